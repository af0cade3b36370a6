//! Dry runs: a write run in full and rolled back, answering what it would have changed in the
//! terms of a release diff (nodes and edges, before → after) and of the roles whose needs
//! (and with them gaps, learning paths and related roles) it would move.
//!
//! The write runs exactly as it would for real ([`Curator::begin`], every step's checks and
//! statements, in its transaction and under the write lock), so that what a dry run reports
//! is what the real run then does, provided nothing else is written in between: the preview
//! says the revision it ran against, for the client to compare with the real write's.

use std::sync::Arc;

use crate::Result;
use crate::catalog::export;
use crate::curation::{Curator, Step, log, name_of, serial};
use crate::keys::Principal;
use crate::releases::diff::{self, Entry, Impact};

/// What a write would change.
#[derive(Clone, Debug)]
pub struct Preview {
    /// The catalog's revision the dry run ran against.
    pub revision: i32,
    /// The differences between the graph before and after, in the order a release diff
    /// lists them.
    pub entries: Arc<Vec<Entry>>,
    pub impact: Impact,
}

/// Runs `steps` as [`Curator::run`] would (a `batch` as one), reading the whole graph before
/// and after inside the write, then rolls everything back. Reading the graph twice is heavy
/// work: the caller takes a place for it.
pub async fn dry_run(
    curator: &Curator,
    who: &Principal,
    steps: &[Step],
    batch: bool,
) -> Result<Preview> {
    let name = name_of(steps, batch);
    serial::retrying(name, || async {
        let write = curator.begin(who, name).await?;
        let revision = log::state(&write.txn).await?.0;
        let before = export(&write.txn).await?;
        write.apply(steps, batch).await?;
        let after = export(&write.txn).await?;
        write.roll_back().await?;
        let entries = diff::diff(&before, &after)?;
        let impact = diff::impact_of(&before, &after, &entries);
        Ok(Preview {
            revision,
            entries: Arc::new(entries),
            impact,
        })
    })
    .await
}
