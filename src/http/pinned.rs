//! `/releases/{name}/graphql`: the whole GraphQL API as of a release, read-only. The release's
//! snapshot is loaded once into an embedded SQLite database of its own (a file in the
//! temporary directory, named by the snapshot's digest, so that it is built once per machine
//! and never goes stale), and the same schema, with the same limits, serves it. Writes and
//! subscriptions are refused there: a release never changes.
//!
//! At most [`MOST_OPEN`] releases are open at once (the least recently used one is closed
//! first); building one is heavy work and takes a place among the others.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::ConnectionTrait;
use tokio::sync::OnceCell;

use super::{AppState, caching, graphql};
use crate::catalog::{self, Catalog};
use crate::db::{self, Db};
use crate::graphql::Api;
use crate::releases;
use crate::{Error, Result};

/// How many releases may be open at once.
pub const MOST_OPEN: usize = 4;

/// A release opened for reading.
#[derive(Clone)]
struct Opened {
    api: Api,
    db: Db,
}

/// A release by name, opened once however many requests ask for it at the same time.
type Opening = (String, Arc<OnceCell<Opened>>);

/// The releases open for reading, least recently used first.
#[derive(Clone, Default)]
pub struct Pinned(Arc<Mutex<Vec<Opening>>>);

impl Pinned {
    /// The state that serves the release `name`, opening it if needed; `None` when there is
    /// no such release.
    async fn open(&self, state: &AppState, name: &str) -> Result<Option<AppState>> {
        if !releases::is_name(name) {
            return Ok(None);
        }
        let cell = {
            let mut open = self
                .0
                .lock()
                .map_err(|_| Error::Internal("the open releases' lock is poisoned".into()))?;
            let cell = match open.iter().position(|(open, _)| open == name) {
                Some(at) => open.remove(at).1,
                None => Arc::new(OnceCell::new()),
            };
            open.push((name.to_owned(), cell.clone()));
            if open.len() > MOST_OPEN {
                open.remove(0);
            }
            cell
        };
        let opened = cell
            .get_or_try_init(|| async {
                match build(state, name).await? {
                    Some(opened) => Ok(opened),
                    None => Err(Error::not_found(
                        "name",
                        format!("there is no release {name:?}"),
                    )),
                }
            })
            .await;
        match opened {
            Ok(opened) => Ok(Some(AppState {
                api: opened.api.clone(),
                db: opened.db.clone(),
                read_only: true,
                ..state.clone()
            })),
            Err(err) if err.code() == "NOT_FOUND" => {
                if let Ok(mut open) = self.0.lock() {
                    open.retain(|(open, _)| open != name);
                }
                Ok(None)
            }
            Err(err) => Err(err),
        }
    }
}

/// Where the database of the release with this digest lives.
fn file_of(digest: &str) -> PathBuf {
    std::env::temp_dir()
        .join("skillgraph-releases")
        .join(format!("{digest}.db"))
}

fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Opens the release `name`: builds its database unless a file of its digest exists (built
/// under another name and renamed when complete, so a file that exists is whole).
async fn build(state: &AppState, name: &str) -> Result<Option<Opened>> {
    let Some((release, json)) = releases::snapshot(&state.db, name).await? else {
        return Ok(None);
    };
    let path = file_of(&release.digest);
    if !path.exists() {
        let _place = state.api.heavy().place().await?;
        let folder = path
            .parent()
            .ok_or_else(|| Error::Internal("a release file has no folder".into()))?;
        std::fs::create_dir_all(folder)
            .map_err(|err| Error::Internal(format!("{}: {err}", folder.display())))?;
        // A name of its own for each build, in this process and others: two builds of one
        // release each write their own file, and the last rename wins with a whole one.
        static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let build = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let building = path.with_extension(format!("building-{}-{build}", std::process::id()));
        let _ = std::fs::remove_file(&building);
        let text = String::from_utf8(json)
            .map_err(|err| Error::Internal(format!("a release is not UTF-8: {err}")))?;
        let snapshot = Catalog::parse_json(&text)?;
        let db = db::connect(&sqlite_url(&building)).await?;
        db::migrate(&db).await?;
        catalog::seed(&db, &snapshot, false).await?;
        // The pinned API answers the release's revision, not its own loader's.
        db.conn
            .execute_unprepared(&format!(
                "UPDATE catalog_state SET revision = {}, updated_at = {} WHERE id = 1",
                release.revision, release.at
            ))
            .await?;
        db.conn.close().await?;
        std::fs::rename(&building, &path)
            .map_err(|err| Error::Internal(format!("{}: {err}", path.display())))?;
    }
    let db = db::connect(&sqlite_url(&path)).await?;
    db::migrate(&db).await?;
    let api = state.api.over(db.clone());
    api.refresh_list_sizes(&db).await?;
    Ok(Some(Opened { api, db }))
}

fn failed(err: &Error) -> Response {
    let status = if err.code() == "SERVICE_UNAVAILABLE" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        tracing::error!(detail = %err.detail(), "opening a release failed");
        StatusCode::INTERNAL_SERVER_ERROR
    };
    caching::no_store((status, "the release cannot be read right now").into_response())
}

fn no_release() -> Response {
    caching::no_store((StatusCode::NOT_FOUND, "no such release").into_response())
}

pub(super) async fn pinned_post(
    State(state): State<AppState>,
    Path(name): Path<String>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match state.releases.open(&state, &name).await {
        Ok(Some(pinned)) => graphql::graphql_post(State(pinned), peer, headers, body).await,
        Ok(None) => no_release(),
        Err(err) => failed(&err),
    }
}

pub(super) async fn pinned_get(
    State(state): State<AppState>,
    Path(name): Path<String>,
    peer: ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    match state.releases.open(&state, &name).await {
        Ok(Some(pinned)) => graphql::graphql_get(State(pinned), peer, request).await,
        Ok(None) => no_release(),
        Err(err) => failed(&err),
    }
}
