//! Importing ESCO, the European Commission's classification of occupations and skills, from
//! its CSV bundle as it is downloaded: [`files`] reads the CSV files, [`repair`] repairs their
//! text where that is unambiguous (reporting each repair), [`bundle`] checks them (concept
//! URIs by [`uri`]) and makes a bundle of concepts, [`merge`] merges it into the catalog. The import then
//! replaces the graph with the merged catalog in one transaction, through the catalog loader
//! (the graph's rules are checked there, as for every writer), and records one entry in the
//! change log, which moves the catalog's revision.

pub mod bundle;
pub mod files;
pub mod generate;
pub mod merge;
pub mod repair;
pub mod uri;

use std::path::Path;

pub use merge::{Counts, Report};
pub use repair::Repairs;

use crate::catalog::Catalog;
use crate::curation::{log, serial};
use crate::data::bulk;
use crate::db::Db;
use crate::{Result, catalog};

/// What an import did: the report, and the repairs of the bundle's text.
#[derive(Debug)]
pub struct Imported {
    pub report: Report,
    pub repairs: Repairs,
    /// The graph before the import and after it (written, or with a dry run, as it would
    /// be), to tell what it changes.
    pub before: Catalog,
    pub after: Catalog,
}

/// Imports the bundle in `dir` (files of `language`, e.g. `en`), as `who` in the change log,
/// with its text repaired; `progress` hears what is being done. See [`import_with`].
pub async fn import(
    db: &Db,
    dir: &Path,
    language: &str,
    who: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<Report> {
    let imported = import_with(db, dir, language, who, Repairs::default(), false, progress).await?;
    Ok(imported.report)
}

/// Imports the bundle in `dir` (files of `language`, e.g. `en`), as `who` in the change log;
/// its text's repairs go to `repairs` (strict, they refuse the bundle instead); `progress`
/// hears what is being done. Nothing is written when the bundle changes nothing, or when
/// anything is wrong with it, or with `dry_run`: then everything is written and checked and
/// rolled back, so that the import says what it would do and whether it would succeed. Holds the write lock of every writer ([`serial::begin_write`])
/// from reading the graph to the commit.
pub async fn import_with(
    db: &Db,
    dir: &Path,
    language: &str,
    who: &str,
    mut repairs: Repairs,
    dry_run: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<Imported> {
    let mut read_step = |file: &str, rows: usize| progress(&format!("read {file}: {rows} rows"));
    let bundle = bundle::read(dir, language, &mut repairs, &mut read_step)?;
    repairs.finish()?;
    let txn = serial::begin_write(&db.conn).await?;
    let current = catalog::export(&txn).await?;
    let (merged, report) = merge::merge(&current, &bundle, crate::graph::clock::now_ms())?;
    merged.check()?;
    progress(&format!("merged: {report}"));
    let imported = |report, repairs| Imported {
        report,
        repairs,
        before: current.clone(),
        after: merged.clone(),
    };
    if !report.changes() {
        return Ok(imported(report, repairs));
    }
    catalog::replace(&txn, &current, &merged).await?;
    progress("written and checked");
    log::append_import(&txn, who, "importEsco", report.summary()).await?;
    if dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
        bulk::analyze(&db.conn).await?;
    }
    Ok(imported(report, repairs))
}
