//! Building the whole application: settings → database pool → schema → router → listener.
//! `serve`, the integration tests and the benchmark all start the service through
//! [`Application`], so the tests exercise the wiring that runs in production.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::catalog::{self, SeedOutcome};
use crate::curation::{Curator, Events};
use crate::db::{self, Db};
use crate::graphql::{Api, Limits, ListResolution, TrustedDocuments};
use crate::http::{AppState, HttpConfig, PersistedQueries, RateLimiter, SocketAddresses, router};
use crate::metrics::{self, RequestMetrics};
use crate::{Error, Result};

/// Everything a server is configured with.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://FILE` or `postgres://...`.
    pub database_url: String,
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// How long PostgreSQL lets one statement run.
    pub statement_timeout: Duration,
    /// The most connections the pool opens (absent: the backend's default, see `db`).
    pub database_connections: Option<u32>,
    pub limits: Limits,
    pub lists: ListResolution,
    pub http: HttpConfig,
    /// The locale answers speak when a request names none (a canonical BCP 47 tag).
    pub default_locale: String,
    /// Manifests of the only documents the server runs (Apollo's persisted query manifest,
    /// graphql-codegen's `persisted-documents.json`); none: every document runs.
    pub trusted_documents: Vec<std::path::PathBuf>,
    /// Whether a key with the `admin` scope may run documents the manifests do not list.
    pub admin_runs_any_document: bool,
}

impl Settings {
    /// Defaults for everything but the database, listening on a free local port.
    pub fn new(database_url: impl Into<String>) -> Self {
        Settings {
            database_url: database_url.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            statement_timeout: db::DEFAULT_STATEMENT_TIMEOUT,
            database_connections: None,
            limits: Limits::default(),
            lists: ListResolution::default(),
            http: HttpConfig::default(),
            default_locale: crate::graph::locales::CATALOG.to_owned(),
            trusted_documents: Vec::new(),
            admin_runs_any_document: false,
        }
    }
}

/// A server, built and bound, not yet serving.
pub struct Application {
    listener: tokio::net::TcpListener,
    state: AppState,
}

impl Application {
    /// Opens the pool (lazily: the database need not be up yet), builds the schema and the
    /// router, installs the metrics recorder and binds the listener. The database is not
    /// touched: see [`Application::prepare`] and [`Application::serve`]. A manifest of trusted
    /// documents that cannot be read or used fails the build, naming the file.
    pub async fn build(settings: &Settings) -> Result<Self> {
        let trusted = trusted_documents(settings)?;
        let db = db::connect_with(
            &settings.database_url,
            settings.statement_timeout,
            settings.database_connections,
        )
        .await?;
        let listener = tokio::net::TcpListener::bind(settings.listen)
            .await
            .map_err(|err| Error::Internal(format!("bind {}: {err}", settings.listen)))?;
        metrics::install();
        let events = Events::new(sea_orm::ConnectionTrait::get_database_backend(&db.conn));
        let curator = Curator::new(db.clone(), events);
        let state = AppState {
            api: Api::speaking(
                db.clone(),
                curator.clone(),
                settings.limits,
                settings.lists,
                crate::graphql::locales::DefaultLocale(settings.default_locale.clone()),
            )
            .trusting(trusted),
            curator,
            db,
            http: settings.http.clone(),
            prepared: Arc::new(AtomicBool::new(false)),
            metrics: RequestMetrics::default(),
            persisted: PersistedQueries::with_capacity(settings.http.persisted_query_bytes),
            write_limiter: RateLimiter::new(settings.http.write_rate, settings.http.write_burst),
            read_limiter: RateLimiter::new(settings.http.read_rate, settings.http.read_burst),
            websockets: Arc::new(tokio::sync::Semaphore::new(settings.http.max_websockets)),
            socket_addresses: SocketAddresses::new(settings.http.max_websockets_per_address),
            releases: Default::default(),
            read_only: false,
        };
        Ok(Application { listener, state })
    }

    /// The address the server listens on.
    pub fn address(&self) -> Result<SocketAddr> {
        self.listener
            .local_addr()
            .map_err(|err| Error::Internal(format!("local address: {err}")))
    }

    /// The server's pool (its statement counters, for tests and the benchmark).
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// The trusted documents the server runs, to reload them while it serves (on SIGHUP, see
    /// `cli.rs`; the tests call [`TrustedDocuments::reload`] themselves).
    pub fn trusted_documents(&self) -> TrustedDocuments {
        self.state.api.trusted().clone()
    }

    /// Migrates the database and loads the built-in catalog into it if it is empty, now; the
    /// server answers GraphQL from then on.
    pub async fn prepare(&self) -> Result<()> {
        prepare_database(&self.state.db).await?;
        self.state.api.refresh_list_sizes(&self.state.db).await?;
        self.state.prepared.store(true, Ordering::Release);
        Ok(())
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight. A database
    /// that [`Application::prepare`] has not prepared is prepared in the background, retrying
    /// until it answers; until then GraphQL answers `SERVICE_UNAVAILABLE`.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        // The background tasks end with the server, also when `serve` itself is dropped (a
        // test aborting its server): each is aborted when its guard goes.
        let _preparing = (!self.state.prepared.load(Ordering::Acquire)).then(|| {
            let db = self.state.db.clone();
            let prepared = self.state.prepared.clone();
            let api = self.state.api.clone();
            AbortOnDrop(tokio::spawn(async move {
                prepare_with_retry(&db).await;
                refresh_list_sizes(&api, &db).await;
                prepared.store(true, Ordering::Release);
                // Said once GraphQL answers (not when the database is merely migrated), so
                // that whoever waits for this line can send queries at once.
                tracing::info!("database ready");
            }))
        });
        let _refreshing = {
            let (api, db) = (self.state.api.clone(), self.state.db.clone());
            let prepared = self.state.prepared.clone();
            AbortOnDrop(tokio::spawn(async move {
                loop {
                    tokio::time::sleep(LIST_SIZES_EVERY).await;
                    if prepared.load(Ordering::Acquire) {
                        refresh_list_sizes(&api, &db).await;
                    }
                }
            }))
        };
        let _relay = self
            .state
            .curator
            .events()
            .relay(&self.state.db)
            .map(AbortOnDrop);
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        served.map_err(|err| Error::Internal(format!("serve: {err}")))
    }
}

/// The trusted documents of `settings`, read from their manifests; says what is in force.
fn trusted_documents(settings: &Settings) -> Result<TrustedDocuments> {
    let trusted = TrustedDocuments::load(
        &settings.trusted_documents,
        settings.admin_runs_any_document,
    )
    .map_err(|err| Error::bad_input(err.to_string()))?;
    if let Some(documents) = trusted.current() {
        let files = settings.trusted_documents.len();
        let admins = if settings.admin_runs_any_document {
            "; admin keys run any document"
        } else {
            ""
        };
        tracing::info!(
            "trusted documents: only the {} documents of {files} manifests run{admins}",
            documents.len()
        );
    } else if settings.admin_runs_any_document {
        tracing::warn!("--admin-runs-any-document does nothing without --trusted-documents");
    }
    Ok(trusted)
}

/// A background task that is aborted when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// How often the lengths of the lists are read again for pricing queries (the data may change
/// under a running server: a reload, another replica's writes).
const LIST_SIZES_EVERY: Duration = Duration::from_secs(60);

/// Reads the lengths of the lists for pricing; on failure the previous ones stay.
async fn refresh_list_sizes(api: &Api, db: &Db) {
    if let Err(err) = api.refresh_list_sizes(db).await {
        tracing::warn!(detail = %err.detail(), "could not read the lengths of the lists");
    }
}

/// Prepares the database like [`Application::prepare`], trying again with growing pauses (up
/// to 10 s) until the database answers.
async fn prepare_with_retry(db: &Db) {
    let mut pause = Duration::from_millis(250);
    loop {
        match prepare_database(db).await {
            Ok(()) => return,
            Err(err) => {
                tracing::warn!(detail = %err.detail(), "database not ready; retrying in {pause:?}");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// Migrates, and loads the built-in catalog if the database is empty.
pub async fn prepare_database(db: &Db) -> Result<()> {
    db::migrate(db).await?;
    match catalog::seed(db, &catalog::built_in()?, false).await? {
        SeedOutcome::Loaded(summary) => tracing::info!("loaded the built-in catalog: {summary}"),
        SeedOutcome::AlreadyHasData(existing) => {
            tracing::info!("database already holds data ({existing}); catalog not loaded")
        }
    }
    Ok(())
}
