//! [`TestApp`]: a real server on an ephemeral port over a fresh database of its own,
//! started through [`TestApp::builder`], [`TestApp::on`] or [`TestApp::replica`].

use std::io::Write;
use std::sync::Once;

use serde_json::{Value, json};
use skillgraph::db::Db;
use skillgraph::generator::GraphSize;
use skillgraph::graphql::Limits;
use skillgraph::http::HttpConfig;
use skillgraph::keys::{self, Scope};
use skillgraph::startup::{Application, Settings};

pub use crate::scratch::ScratchDatabase;

/// The environment variable that turns the PostgreSQL runs of the suite on.
pub const POSTGRES_URL_VAR: &str = "SKILLGRAPH_TEST_POSTGRES_URL";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl ScratchDatabase {
    /// A new empty database on `backend`; `None` when the backend is not configured
    /// (PostgreSQL without `SKILLGRAPH_TEST_POSTGRES_URL`), which is said loudly once.
    pub async fn create(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(ScratchDatabase::sqlite()),
            Backend::Postgres => match std::env::var(POSTGRES_URL_VAR) {
                Ok(server) => Some(ScratchDatabase::postgres(&server).await),
                Err(_) => {
                    warn_postgres_skipped();
                    None
                }
            },
        }
    }

    pub fn backend(&self) -> Backend {
        if self.is_postgres() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Says, where the test output is seen even when captured, that the PostgreSQL runs are skipped.
fn warn_postgres_skipped() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n!!! PostgreSQL tests SKIPPED: set {POSTGRES_URL_VAR} (e.g. \
             postgres://postgres@127.0.0.1:5432/postgres) to run them !!!\n"
        );
    });
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// The database's URL, for a second server over the same database.
    pub url: String,
    pub backend: Backend,
    /// The trusted documents the server runs, to reload them as SIGHUP would.
    pub trusted_documents: skillgraph::graphql::TrustedDocuments,
    server: tokio::task::JoinHandle<()>,
    /// Declared last, so that it is dropped after the pool above has been; `None` for a
    /// replica, which shares another app's database.
    _database: Option<ScratchDatabase>,
}

/// How a [`TestApp`] is started: the service as `serve` runs it, through [`Application`],
/// with [`Settings`] adjusted by the builder's methods, over a database prepared before the
/// first request. `Over` is the database: [`Fresh`] for [`TestApp::builder`], [`Existing`]
/// for [`TestApp::on`] and [`TestApp::replica`].
#[must_use = "a builder starts nothing until spawned"]
pub struct TestAppBuilder<Over> {
    over: Over,
    /// Everything but `database_url`, which is known once the database is.
    settings: Settings,
}

/// A fresh database on a backend, seeded with the built-in catalog (as `serve` seeds it) or
/// filled with a generated graph.
pub struct Fresh {
    backend: Backend,
    generated: Option<GraphSize>,
}

/// A database that is there already: a scratch database as a test left it, or another app's.
pub struct Existing {
    url: String,
    backend: Backend,
    /// The database the app owns and removes; `None` for a replica.
    database: Option<ScratchDatabase>,
}

impl TestApp {
    /// An app over a fresh database on `backend`, seeded with the built-in catalog unless
    /// [`TestAppBuilder::generated`] says otherwise.
    pub fn builder(backend: Backend) -> TestAppBuilder<Fresh> {
        TestAppBuilder::new(Fresh {
            backend,
            generated: None,
        })
    }

    /// An app over `database` as it is (migrated and seeded by the server only if it needs
    /// it), which it removes when dropped.
    pub fn on(database: ScratchDatabase) -> TestAppBuilder<Existing> {
        TestAppBuilder::new(Existing {
            url: database.url.clone(),
            backend: database.backend(),
            database: Some(database),
        })
    }

    /// Stops this server and starts a new one over the same database with the default
    /// settings, as a restart of the service would; the database stays.
    pub async fn restart(mut self) -> TestApp {
        self.server.abort();
        let _ = (&mut self.server).await;
        let existing = Existing {
            url: self.url.clone(),
            backend: self.backend,
            database: self._database.take(),
        };
        start(Settings::new(""), existing).await
    }

    /// A second server over this app's database, as another replica would be.
    pub fn replica(&self) -> TestAppBuilder<Existing> {
        TestAppBuilder::new(Existing {
            url: self.url.clone(),
            backend: self.backend,
            database: None,
        })
    }
}

impl<Over> TestAppBuilder<Over> {
    fn new(over: Over) -> Self {
        TestAppBuilder {
            over,
            settings: Settings::new(""),
        }
    }

    /// Adjusts the settings the server starts with.
    pub fn settings(mut self, configure: impl FnOnce(&mut Settings)) -> Self {
        configure(&mut self.settings);
        self
    }

    pub fn limits(self, limits: Limits) -> Self {
        self.settings(|settings| settings.limits = limits)
    }

    pub fn http(self, http: HttpConfig) -> Self {
        self.settings(|settings| settings.http = http)
    }
}

impl TestAppBuilder<Fresh> {
    /// Fills the database with a synthetic graph of `size` instead of the built-in catalog.
    pub fn generated(mut self, size: GraphSize) -> Self {
        self.over.generated = Some(size);
        self
    }

    /// Starts the app; `None` when the backend is not configured (PostgreSQL without
    /// `SKILLGRAPH_TEST_POSTGRES_URL`).
    pub async fn spawn(self) -> Option<TestApp> {
        let database = ScratchDatabase::create(self.over.backend).await?;
        if let Some(size) = &self.over.generated {
            generate(&database.url, size)
                .await
                .unwrap_or_else(|err| panic!("generate into {}: {}", database.url, err.detail()));
        }
        let existing = Existing {
            url: database.url.clone(),
            backend: self.over.backend,
            database: Some(database),
        };
        Some(start(self.settings, existing).await)
    }
}

impl TestAppBuilder<Existing> {
    /// Starts the app.
    pub async fn spawn(self) -> TestApp {
        start(self.settings, self.over).await
    }
}

async fn start(mut settings: Settings, over: Existing) -> TestApp {
    let url = over.url;
    settings.database_url = url.clone();
    let app = Application::build(&settings)
        .await
        .unwrap_or_else(|err| panic!("build over {url}: {}", err.detail()));
    app.prepare()
        .await
        .unwrap_or_else(|err| panic!("prepare {url}: {}", err.detail()));
    let address = format!("http://{}", app.address().expect("local address"));
    let db = app.db().clone();
    let trusted_documents = app.trusted_documents();
    let server = tokio::spawn(async move {
        app.serve(std::future::pending())
            .await
            .expect("server runs");
    });
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        url,
        backend: over.backend,
        trusted_documents,
        server,
        _database: over.database,
    }
}

async fn generate(url: &str, size: &GraphSize) -> skillgraph::Result<()> {
    let db = skillgraph::db::connect(url).await?;
    skillgraph::db::migrate(&db).await?;
    skillgraph::generator::generate(&db, size, false).await?;
    db.conn.close_by_ref().await?;
    Ok(())
}

impl TestApp {
    /// POSTs a GraphQL request and returns the JSON response.
    pub async fn post(&self, body: Value) -> Value {
        let text = self.post_text(body).await;
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
    }

    /// POSTs a GraphQL request and returns the response's text, as sent.
    pub async fn post_text(&self, body: Value) -> String {
        self.client
            .post(format!("{}/graphql", self.address))
            .json(&body)
            .send()
            .await
            .expect("request sent")
            .text()
            .await
            .expect("a text response")
    }

    /// Runs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str) -> Value {
        let response = self.post(json!({ "query": query })).await;
        assert!(
            response.get("errors").is_none(),
            "query failed: {response:#}\n{query}"
        );
        response["data"].clone()
    }

    /// Runs a query that must fail and returns its first error.
    pub async fn error(&self, query: &str) -> Value {
        let response = self.post(json!({ "query": query })).await;
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        assert!(
            !errors.is_empty(),
            "query should fail: {response:#}\n{query}"
        );
        errors[0].clone()
    }

    /// Asserts that the server still answers, with the whole built-in catalog it was seeded
    /// with.
    pub async fn assert_still_answers(&self) {
        let data = self.data("{ roles { totalCount } }").await;
        let catalog = skillgraph::catalog::built_in().expect("the built-in catalog");
        assert_eq!(data["roles"]["totalCount"], catalog.roles.len(), "{data}");
    }

    /// Runs a query and says how many SQL statements it cost.
    pub async fn statements_for(&self, query: &str) -> u64 {
        self.cost_of(query).await.0
    }

    /// Runs a query and says how many SQL statements it cost and how many rows its list
    /// statements fetched.
    pub async fn cost_of(&self, query: &str) -> (u64, u64) {
        let (statements, rows) = (self.db.statements.get(), self.db.list_rows.get());
        self.data(query).await;
        (
            self.db.statements.get() - statements,
            self.db.list_rows.get() - rows,
        )
    }

    /// A new API key with `scope`, named `name`.
    pub async fn key(&self, name: &str, scope: Scope) -> String {
        keys::create(&self.db, name, scope)
            .await
            .unwrap_or_else(|err| panic!("create key {name}: {}", err.detail()))
            .1
    }

    /// POSTs a GraphQL request with `Authorization: Bearer <key>`; the status and the JSON.
    pub async fn post_as(&self, key: &str, body: Value) -> (reqwest::StatusCode, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let text = response.text().await.expect("a text response");
        let json =
            serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"));
        (status, json)
    }

    /// Runs a mutation (or query) with `key` that must succeed; returns its `data`.
    pub async fn write(&self, key: &str, query: &str) -> Value {
        let (status, response) = self.post_as(key, json!({ "query": query })).await;
        assert!(
            status.is_success() && response.get("errors").is_none(),
            "write failed ({status}): {response:#}\n{query}"
        );
        response["data"].clone()
    }

    /// Runs a mutation with `key` that must fail; returns its first error.
    pub async fn write_error(&self, key: &str, query: &str) -> Value {
        let (_, response) = self.post_as(key, json!({ "query": query })).await;
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        assert!(
            !errors.is_empty(),
            "write should fail: {response:#}\n{query}"
        );
        errors[0].clone()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Asserts `value` against the snapshot `name` (`tests/api/snapshots/{name}.snap`), which a
/// test's SQLite and PostgreSQL runs share: both backends must give the same answer. Under
/// `CI` a mismatch or a missing snapshot fails; elsewhere insta writes a `.snap.new` beside it
/// to review (`INSTA_UPDATE=always` writes the snapshots themselves).
pub fn assert_snapshot(name: &str, value: &Value) {
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_json_snapshot!(name, value);
    });
}

/// Declares each listed `async fn(&TestApp)` as two tests, one per backend.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::helpers::TestApp::builder($crate::helpers::Backend::Sqlite)
                        .spawn()
                        .await
                        .expect("SQLite is always available");
                    super::$name(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(app) =
                        $crate::helpers::TestApp::builder($crate::helpers::Backend::Postgres)
                            .spawn()
                            .await
                    else {
                        return;
                    };
                    super::$name(&app).await;
                }
            )*
        }
    };
}
pub(crate) use backend_tests;

/// Declares each listed `async fn(Backend)` as two tests, one per backend, for tests that
/// start their own apps.
macro_rules! per_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            )*
        }
    };
}
pub(crate) use per_backend;
