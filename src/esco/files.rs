//! Reading ESCO's CSV files as ESCO publishes them, with every mistake reported at its place:
//! `file:line:column` (the line where the cell starts, the column's number from 1).

use std::collections::HashMap;
use std::path::Path;

use crate::{Error, Result};

/// One CSV file of the bundle, read whole.
pub struct Table {
    pub file: String,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

/// One row of a table, to read cells from by column name.
pub struct Row<'t> {
    table: &'t Table,
    line: u64,
    record: &'t csv::StringRecord,
}

impl Table {
    /// Reads `dir/name`. Every column of `required` must be in the header.
    pub fn read(dir: &Path, name: &str, required: &[&str]) -> Result<Self> {
        let path = dir.join(name);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_path(&path)
            .map_err(|err| Error::bad_input(format!("{}: {err}", path.display())))?;
        let broken = |err: csv::Error| {
            let (line, column) = match err.kind() {
                csv::ErrorKind::UnequalLengths { pos, .. } => {
                    (pos.as_ref().map_or(0, |p| p.line()), 1)
                }
                csv::ErrorKind::Utf8 { pos, err } => {
                    (pos.as_ref().map_or(0, |p| p.line()), err.field() + 1)
                }
                _ => (0, 1),
            };
            let what = match err.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!(
                    "a row of {len} cells where the header has {expected_len} (a quote left open or a stray comma?)"
                ),
                _ => err.to_string(),
            };
            Error::bad_input(format!("{name}:{line}:{column}: {what}"))
        };
        let header = reader.headers().map_err(broken)?.clone();
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(at, column)| (column.trim_start_matches('\u{feff}').trim().to_owned(), at))
            .collect();
        for column in required {
            if !columns.contains_key(*column) {
                return Err(Error::bad_input(format!(
                    "{name}:1:{}: the header has no column {column:?}",
                    header.len() + 1
                )));
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(broken)?;
            let line = record.position().map_or(0, csv::Position::line);
            rows.push((line, record));
        }
        Ok(Table {
            file: name.to_owned(),
            columns,
            rows,
        })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, record)| Row {
            table: self,
            line: *line,
            record,
        })
    }
}

impl<'t> Row<'t> {
    /// The cell of `column` (empty when the column is absent from the file).
    pub fn get(&self, column: &str) -> &'t str {
        self.table
            .columns
            .get(column)
            .and_then(|at| self.record.get(*at))
            .unwrap_or("")
    }

    /// An error about the cell of `column`, at its place.
    pub fn error(&self, column: &str, what: impl std::fmt::Display) -> Error {
        let at = self.table.columns.get(column).copied().unwrap_or(0);
        // The cell starts below the record's first line by the line breaks of the cells
        // before it (multi-line labels).
        let breaks: usize = (0..at)
            .filter_map(|i| self.record.get(i))
            .map(|cell| cell.matches('\n').count())
            .sum();
        Error::bad_input(format!(
            "{}:{}:{}: {column}: {what}",
            self.table.file,
            self.line + breaks as u64,
            at + 1
        ))
    }

    /// The cell of `column`, which must be an ESCO concept URI.
    pub fn uri(&self, column: &str) -> Result<&'t str> {
        let uri = self.get(column).trim();
        let rest = uri.strip_prefix(ESCO_URI).unwrap_or("");
        let sane = !rest.is_empty()
            && uri.len() <= 512
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
        if sane {
            Ok(uri)
        } else {
            Err(self.error(
                column,
                format!("{uri:?} is not an ESCO concept URI ({ESCO_URI}…)"),
            ))
        }
    }
}

/// What every ESCO concept URI begins with.
pub const ESCO_URI: &str = "http://data.europa.eu/esco/";
