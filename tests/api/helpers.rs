//! `spawn_app()`: a real server on an ephemeral port over a fresh database of its own.

use std::io::Write;
use std::sync::Once;

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use skillgraph::db::Db;
use skillgraph::generator::GraphSize;
use skillgraph::graphql::Limits;
use skillgraph::http::HttpConfig;
use skillgraph::keys::{self, Scope};
use skillgraph::startup::{Application, Settings};

/// The environment variable that turns the PostgreSQL runs of the suite on.
pub const POSTGRES_URL_VAR: &str = "SKILLGRAPH_TEST_POSTGRES_URL";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where a test's database lives, so that it can be removed when the test ends.
enum Scratch {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

/// A fresh, empty database of a test's own, removed when dropped.
pub struct ScratchDatabase {
    pub url: String,
    scratch: Scratch,
}

impl ScratchDatabase {
    /// A new empty database on `backend`; `None` when the backend is not configured.
    pub async fn create(backend: Backend) -> Option<Self> {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        Some(match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("skillgraph-test-{unique}.db"));
                ScratchDatabase {
                    url: format!("sqlite://{}", path.display()),
                    scratch: Scratch::SqliteFile(path),
                }
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
                    warn_postgres_skipped();
                    return None;
                };
                let name = format!("skillgraph_test_{unique}");
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("connect to the PostgreSQL test server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                admin.close().await.ok();
                let mut url = url::Url::parse(&admin_url).expect("a valid PostgreSQL URL");
                url.set_path(&name);
                ScratchDatabase {
                    url: url.to_string(),
                    scratch: Scratch::PostgresDatabase { admin_url, name },
                }
            }
        })
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// The database's URL, for a second server over the same database.
    pub url: String,
    server: tokio::task::JoinHandle<()>,
    /// Declared last, so that it is dropped after the pool above has been; `None` for a
    /// replica, which shares another app's database.
    _database: Option<ScratchDatabase>,
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

/// Starts the service over a fresh, migrated and seeded database on `backend`; `None` when the
/// backend is not configured (PostgreSQL without `SKILLGRAPH_TEST_POSTGRES_URL`).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, Content::Catalog).await
}

/// What the test database is filled with.
pub enum Content {
    /// The built-in catalog, as `serve` loads it.
    Catalog,
    /// A synthetic graph of this size.
    Generated(GraphSize),
}

pub async fn spawn_app_with(backend: Backend, content: Content) -> Option<TestApp> {
    spawn_app_configured(backend, content, Limits::default(), HttpConfig::default()).await
}

pub async fn spawn_app_configured(
    backend: Backend,
    content: Content,
    limits: Limits,
    http: HttpConfig,
) -> Option<TestApp> {
    spawn_app_with_settings(backend, content, |settings| {
        settings.limits = limits;
        settings.http = http;
    })
    .await
}

/// Starts the service as `serve` does, through [`Application`], with settings adjusted by
/// `configure`, over a fresh database prepared before the first request.
pub async fn spawn_app_with_settings(
    backend: Backend,
    content: Content,
    configure: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let database = ScratchDatabase::create(backend).await?;
    let url = database.url.clone();
    if let Content::Generated(size) = content {
        generated(&url, &size)
            .await
            .unwrap_or_else(|err| panic!("generate into {url}: {}", err.detail()));
    }
    let mut settings = Settings::new(&url);
    configure(&mut settings);
    Some(start(settings, Some(database)).await)
}

/// Starts the service over `database` as it is (migrated and seeded by the server only if
/// it needs it).
pub async fn spawn_app_on(database: ScratchDatabase) -> TestApp {
    start(Settings::new(&database.url), Some(database)).await
}

/// A second server over the database of `app`, as another replica would be.
pub async fn spawn_replica(app: &TestApp) -> TestApp {
    spawn_replica_with_settings(app, |_| {}).await
}

/// Like [`spawn_replica`], with settings adjusted by `configure`.
pub async fn spawn_replica_with_settings(
    app: &TestApp,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings::new(&app.url);
    configure(&mut settings);
    start(settings, None).await
}

async fn start(settings: Settings, database: Option<ScratchDatabase>) -> TestApp {
    let url = settings.database_url.clone();
    let app = Application::build(&settings)
        .await
        .unwrap_or_else(|err| panic!("build over {url}: {}", err.detail()));
    app.prepare()
        .await
        .unwrap_or_else(|err| panic!("prepare {url}: {}", err.detail()));
    let address = format!("http://{}", app.address().expect("local address"));
    let db = app.db().clone();
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
        server,
        _database: database,
    }
}

async fn generated(url: &str, size: &GraphSize) -> skillgraph::Result<()> {
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

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        match &self.scratch {
            Scratch::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Scratch::PostgresDatabase { admin_url, name } => {
                // Drop runs inside the test's runtime, which cannot be blocked on: a thread
                // with a runtime of its own removes the database.
                let admin_url = admin_url.clone();
                let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    runtime.block_on(async {
                        let admin = Database::connect(&admin_url).await?;
                        admin.execute_unprepared(&statement).await?;
                        admin.close().await
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    let _ = writeln!(std::io::stderr(), "could not drop test database {name}");
                }
            }
        }
    }
}

/// Declares each listed `async fn(&TestApp)` as two tests, one per backend.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite)
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
                        $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await
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
