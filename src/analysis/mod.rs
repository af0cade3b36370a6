//! Analysis of the whole graph: what a person lacks for a role ([`gap`]), in what
//! order to learn it ([`path`]), and which roles are near a role or fit a person
//! ([`related`]), which nodes a text mentions ([`mentions`]) and which a search box means
//! ([`search`]). They read an in-memory [`index::GraphIndex`] of the catalog,
//! rebuilt when the catalog's revision moves (every write through the API moves it, on any
//! replica), so an answer costs one cheap statement (the revision) plus the loading of the
//! nodes it returns.

mod co_occurrence;
pub mod confidence;
pub mod fold;
pub mod gap;
pub mod index;
mod inverted;
pub mod matching;
pub mod mentions;
pub mod needs;
pub mod next;
pub mod path;
mod per_role;
pub mod posting;
pub mod related;
mod related_answers;
pub mod related_skills;
pub mod route;
mod route_tables;
pub mod search;
pub mod spoken;

use std::sync::Arc;

use tokio::sync::{Mutex, RwLock};

pub use gap::{Gap, GapItem, Have, skill_gap};
pub use index::GraphIndex;
pub use matching::RoleMatch;
pub use mentions::{Mention, Vocabulary};
pub use next::{NextSkill, RoleGain, next_skills};
pub use path::{LearningPath, Step, learning_path};
pub use posting::{Posting, analyze};
pub use related::{Fit, Related, recommend, related, role_gap};
pub use related_skills::{RelatedSkill, related_skills};
pub use route::{Move, Route, career_route};
pub use search::{Hit, MatchedBy, SearchIndex};
pub use spoken::Reading;

use crate::Result;
use crate::curation::log;
use crate::db::Db;

/// The index of the catalog, kept up to date with its revision.
#[derive(Clone, Default)]
pub struct CurrentIndex {
    current: Arc<RwLock<Option<Arc<GraphIndex>>>>,
    /// One rebuild at a time; the others wait for it and use its result.
    rebuilding: Arc<Mutex<()>>,
}

impl CurrentIndex {
    /// The index at the catalog's current revision, rebuilt first if the catalog changed.
    pub async fn index(&self, db: &Db) -> Result<Arc<GraphIndex>> {
        let (revision, _) = log::state(&db.conn).await?;
        if let Some(index) = self.fresh(revision).await {
            return Ok(index);
        }
        // The build belongs to the index, not to the request that found it stale: a request
        // that gives up (its timeout, a client gone) leaves it running, and a later one finds
        // it done instead of starting it again.
        let (this, db) = (self.clone(), db.clone());
        tokio::spawn(async move { this.rebuild(&db, revision).await })
            .await
            .map_err(|err| crate::Error::Internal(format!("the index build: {err}")))?
    }

    /// Builds the index at `revision`, unless another build just did.
    async fn rebuild(&self, db: &Db, revision: i32) -> Result<Arc<GraphIndex>> {
        let _rebuilding = self.rebuilding.lock().await;
        if let Some(index) = self.fresh(revision).await {
            return Ok(index);
        }
        let started = std::time::Instant::now();
        // At ESCO's size in 28 locales the build reads hundreds of megabytes of catalog and
        // takes seconds of CPU: it runs off the async workers, which go on serving other
        // requests, in a thread of its own that reads the catalog, builds the index, drops the
        // catalog and hands the freed memory back to the system before it returns, so that
        // what stays is the index.
        let handle = tokio::runtime::Handle::current();
        let db = db.clone();
        let index = tokio::task::spawn_blocking(move || {
            let built = handle
                .block_on(db.read_apart(|conn| async move { crate::catalog::export(&conn).await }))
                .and_then(|catalog| GraphIndex::new(revision, &catalog));
            // SAFETY: `mi_collect` takes no pointer and may be called from any thread at any
            // time; it frees and returns the empty pages of this thread's heap.
            unsafe { libmimalloc_sys::mi_collect(true) };
            built
        })
        .await
        .map_err(|err| crate::Error::Internal(format!("the index build: {err}")))?;
        let index = Arc::new(index?);
        tracing::info!(
            revision,
            roles = index.roles.len(),
            automaton_bytes = index
                .vocabulary
                .as_ref()
                .map_or(0, Vocabulary::automaton_usage),
            vocabulary_bytes = index
                .vocabulary
                .as_ref()
                .map_or(0, Vocabulary::memory_usage),
            search_bytes = index.search.memory_usage(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "analysis index built"
        );
        *self.current.write().await = Some(index.clone());
        Ok(index)
    }

    async fn fresh(&self, revision: i32) -> Option<Arc<GraphIndex>> {
        let current = self.current.read().await;
        current
            .as_ref()
            .filter(|index| index.revision == revision)
            .cloned()
    }
}
