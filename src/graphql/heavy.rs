//! The places for heavy work, a few at once, so that the runtime's workers and the database
//! stay free for `/health`, `/ready` and small queries however many large requests arrive:
//!
//! - answers that cost CPU in proportion to their input (`extractSkills`, `analyzePosting` on
//!   up to a megabyte of text) run on tokio's blocking threads, each holding a place
//!   ([`HeavyWork::run`]); when a request times out, the work it started finishes on its
//!   blocking thread (it is bounded by the text limits) and its result is dropped;
//! - large reads (see [`super::limits::is_large_read`]) take a place before their first nested
//!   statement and keep it until their answer is built ([`HeavyWork::place`], held by the
//!   request's loader).
//!
//! A request that finds the places and their queue full is answered `SERVICE_UNAVAILABLE` at
//! once rather than queued without bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{Error, Result};

/// The pool's places and the requests waiting for one; shared by a schema's requests.
#[derive(Clone)]
pub struct HeavyWork {
    places: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    most_waiting: usize,
}

impl Default for HeavyWork {
    /// One place per core but one (at least one), and as many waiting again as four times
    /// the places.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        HeavyWork::new(cores.saturating_sub(1).max(1), 4 * cores.max(1))
    }
}

/// Gives a waiting place back when the wait ends, however it ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The refusal of a request that found the places and their queue full.
pub fn busy() -> Error {
    Error::busy("the server is busy with other large requests; retry in a second".to_owned())
}

impl HeavyWork {
    pub fn new(places: usize, most_waiting: usize) -> Self {
        HeavyWork {
            places: Arc::new(Semaphore::new(places.max(1))),
            waiting: Arc::default(),
            most_waiting,
        }
    }

    /// Waits for a place, which is the caller's until it drops it; refused at once when the
    /// queue is full.
    pub async fn place(&self) -> Result<OwnedSemaphorePermit> {
        if let Ok(place) = self.places.clone().try_acquire_owned() {
            return Ok(place);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.most_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(busy());
        }
        let waiting = Waiting(&self.waiting);
        let place = self
            .places
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| busy())?;
        drop(waiting);
        Ok(place)
    }

    /// Runs `work` on a blocking thread once a place is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let place = self.place().await?;
        HeavyWork::run_placed(move || {
            let result = work();
            drop(place);
            result
        })
        .await
    }

    /// Runs `work` on a blocking thread in a place its request holds already (a large read's,
    /// see [`super::loaders::RequestLoader`]): asking for a second would wait for itself.
    pub async fn run_placed<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|err| Error::Internal(format!("heavy work failed: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_pool_and_queue_refuse_at_once() {
        let pool = HeavyWork::new(1, 1);
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let running = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move || wait.recv().is_ok()).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let queued = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let refused = pool.run(|| 3).await;
        assert_eq!(
            refused.map_err(|err| err.code()),
            Err("SERVICE_UNAVAILABLE")
        );
        release.send(()).ok();
        assert!(matches!(running.await, Ok(Ok(true))));
        assert!(matches!(queued.await, Ok(Ok(2))));
        assert!(
            matches!(pool.run(|| 4).await, Ok(4)),
            "places are given back"
        );
    }
}
