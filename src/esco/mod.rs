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
use crate::graph::locales::{self, CATALOG};
use crate::{Error, Result, catalog};

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

/// Imports the bundle in `dir` (the files of `languages`, as `--language` names them: `en`,
/// `en,de,fr`, `all`), as `who` in the change log, with its text repaired; `progress` hears
/// what is being done. See [`import_with`].
pub async fn import(
    db: &Db,
    dir: &Path,
    languages: &str,
    who: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<Report> {
    let imported =
        import_with(db, dir, languages, who, Repairs::default(), false, progress).await?;
    Ok(imported.report)
}

/// The most languages one import reads (ESCO publishes 28).
const MOST_LANGUAGES: usize = 64;

/// The languages `--language` names (`en`, `de,fr,sv`, `all` for every language whose
/// `occupations_xx.csv` is in `dir`), each as its files name it and as a locale, once each.
pub fn languages(dir: &Path, spec: &str) -> Result<Vec<(String, String)>> {
    let named: Vec<String> = if spec.trim() == "all" {
        bundle::languages_in(dir)?
    } else {
        spec.split(',').map(|part| part.trim().to_owned()).collect()
    };
    if named.is_empty() {
        return Err(Error::bad_input(format!(
            "--language all: {} holds no occupations_xx.csv",
            dir.display()
        )));
    }
    if named.len() > MOST_LANGUAGES {
        return Err(Error::bad_input(format!(
            "--language names {} languages, at most {MOST_LANGUAGES}",
            named.len()
        )));
    }
    let mut languages: Vec<(String, String)> = Vec::new();
    for language in named {
        let locale = locales::canonical(&language).ok_or_else(|| {
            Error::bad_input(format!(
                "--language: {language:?} is no language tag (write e.g. `en`, `de,fr,sv` or `all`)"
            ))
        })?;
        if !languages.iter().any(|(_, seen)| *seen == locale) {
            languages.push((language, locale));
        }
    }
    Ok(languages)
}

/// Imports the bundle in `dir` (the files of `languages`, see [`languages`]), as `who` in the
/// change log. The concepts and their relations come from the files of the catalog's locale
/// (`en`) when it is named, and are then merged as [`merge`] says; each other language gives
/// the imported nodes their labels in it ([`merge::merge_labels`]), read one language at a
/// time so that a bundle of many languages is never all in memory. Without `en`, the graph's
/// concepts stay as they are and only the named languages' labels change.
///
/// Its text's repairs go to `repairs` (strict, they refuse the bundle instead); `progress`
/// hears what is being done. Nothing is written when the bundle changes nothing, or when
/// anything is wrong with it, or with `dry_run`: then everything is written and checked and
/// rolled back, so that the import says what it would do and whether it would succeed. Holds
/// the write lock of every writer ([`serial::begin_write`]) from reading the graph to the
/// commit; everything is one transaction.
pub async fn import_with(
    db: &Db,
    dir: &Path,
    languages: &str,
    who: &str,
    mut repairs: Repairs,
    dry_run: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<Imported> {
    let languages = self::languages(dir, languages)?;
    let mut read_step = |file: &str, rows: usize| progress(&format!("read {file}: {rows} rows"));
    let structure = languages.iter().find(|(_, locale)| locale == CATALOG);
    let bundle = structure
        .map(|(language, _)| bundle::read(dir, language, &mut repairs, &mut read_step))
        .transpose()?;
    let txn = serial::begin_write(&db.conn).await?;
    let current = catalog::export(&txn).await?;
    let (mut merged, mut report) = match &bundle {
        Some(bundle) => merge::merge(&current, bundle, crate::graph::clock::now_ms())?,
        None => (current.clone(), Report::default()),
    };
    let nodes = merge::imported_nodes(&merged);
    if nodes.is_empty() && bundle.is_none() {
        return Err(Error::bad_input(format!(
            "--language {}: the graph holds no ESCO concepts to translate; import the {CATALOG} \
             files first, or with them (`--language {CATALOG},...`)",
            languages
                .iter()
                .map(|(l, _)| l.as_str())
                .collect::<Vec<_>>()
                .join(",")
        )));
    }
    if let Some(bundle) = &bundle {
        let concepts: Vec<&bundle::Concept> = bundle
            .occupations
            .iter()
            .map(|o| &o.concept)
            .chain(bundle.skills.iter().map(|s| &s.concept))
            .collect();
        merge::merge_labels(&mut merged, &nodes, CATALOG, &concepts, &mut report);
    }
    drop(bundle);
    for (language, locale) in languages.iter().filter(|(_, locale)| locale != CATALOG) {
        let translation =
            bundle::read_translation(dir, language, locale, &mut repairs, &mut read_step)?;
        report.aliases_left_out += translation.aliases_left_out;
        let concepts: Vec<&bundle::Concept> = translation.concepts.iter().collect();
        merge::merge_labels(&mut merged, &nodes, locale, &concepts, &mut report);
    }
    repairs.finish()?;
    merged.sort_labels();
    merged.check()?;
    progress(&format!("merged: {report}"));
    if report.changes() {
        catalog::replace(&txn, &current, &merged).await?;
        progress("written and checked");
        log::append_import(&txn, who, "importEsco", report.summary()).await?;
        if dry_run {
            txn.rollback().await?;
        } else {
            txn.commit().await?;
            bulk::analyze(&db.conn).await?;
        }
    }
    Ok(Imported {
        report,
        repairs,
        before: current,
        after: merged,
    })
}
