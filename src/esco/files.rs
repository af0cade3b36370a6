//! Reading ESCO's CSV files as ESCO publishes them, with every mistake reported at its place:
//! `file:line:column` (the line where the cell starts, the column's number from 1). The cells
//! the import reads go through [`repair`], which reports each repair at its place likewise.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::repair::{self, Kind, Place, Repairs};
use super::uri;
use crate::{Error, Result};

pub use super::uri::ESCO_URI;

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
    /// Reads `dir/name`. Every column of `required` must be in the header. A byte order mark
    /// at the start is removed, a repair.
    pub fn read(dir: &Path, name: &str, required: &[&str], repairs: &mut Repairs) -> Result<Self> {
        let path = dir.join(name);
        let bytes = std::fs::read(&path)
            .map_err(|err| Error::bad_input(format!("{}: {err}", path.display())))?;
        const BOM: &str = "\u{feff}";
        let text = match bytes.strip_prefix(BOM.as_bytes()) {
            Some(rest) => {
                let place = Place {
                    file: name,
                    line: 1,
                    column: 1,
                    name: "header",
                };
                repairs.note(&place, 1, Kind::Bom, BOM, "")?;
                rest
            }
            None => &bytes[..],
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text);
        // The line a record starts on. After a `\r\n`, the reader starts the next record at
        // the `\n`, before counting its line.
        let line_of = |pos: &csv::Position| {
            let byte = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
            pos.line() + u64::from(text.get(byte) == Some(&b'\n'))
        };
        let broken = |err: csv::Error| {
            let (line, column) = match err.kind() {
                csv::ErrorKind::UnequalLengths { pos, .. } => (pos.as_ref().map_or(0, line_of), 1),
                csv::ErrorKind::Utf8 { pos, err } => {
                    (pos.as_ref().map_or(0, line_of), err.field() + 1)
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
        for record in reader.byte_records() {
            let record = record.map_err(broken)?;
            let line = record.position().map_or(0, line_of);
            let record = csv::StringRecord::from_byte_record(record).map_err(|err| {
                // Placed on the line of the first byte that is no UTF-8, past the line
                // breaks of the cells before it and of its own cell before it.
                let (field, valid) = (err.utf8_error().field(), err.utf8_error().valid_up_to());
                let record = err.into_byte_record();
                let before: usize = (0..field)
                    .filter_map(|i| record.get(i))
                    .chain(record.get(field).map(|cell| &cell[..valid.min(cell.len())]))
                    .map(|cell| memchr::memchr_iter(b'\n', cell).count())
                    .sum();
                Error::bad_input(format!(
                    "{name}:{}:{}: bytes that are no UTF-8 (the file must be UTF-8)",
                    line + before as u64,
                    field + 1
                ))
            })?;
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

    /// Where the cell of `column` is.
    pub fn place<'c>(&self, column: &'c str) -> Place<'c>
    where
        't: 'c,
    {
        let at = self.table.columns.get(column).copied().unwrap_or(0);
        // The cell starts below the record's first line by the line breaks of the cells
        // before it (multi-line labels).
        let breaks: usize = (0..at)
            .filter_map(|i| self.record.get(i))
            .map(|cell| cell.matches('\n').count())
            .sum();
        Place {
            file: &self.table.file,
            line: self.line + breaks as u64,
            column: at + 1,
            name: column,
        }
    }

    /// An error about the cell of `column`, at its place.
    pub fn error(&self, column: &str, what: impl std::fmt::Display) -> Error {
        let place = self.place(column);
        Error::bad_input(format!(
            "{}:{}:{}: {column}: {what}",
            place.file, place.line, place.column
        ))
    }

    /// The text of the cell of `column`, repaired ([`repair::cell`]).
    pub fn text(&self, column: &str, repairs: &mut Repairs) -> Result<Cow<'t, str>> {
        repair::cell(&self.place(column), self.get(column), repairs)
    }

    /// The cell of `column`, a code or a URI: only whitespace around it is repaired (what
    /// else is wrong with one is refused where it is checked).
    pub fn code(&self, column: &str, repairs: &mut Repairs) -> Result<&'t str> {
        repair::trimmed(&self.place(column), self.get(column), repairs)
    }

    /// The cell of `column`, which must be a concept URI ([`uri::check`]).
    pub fn uri(&self, column: &str, repairs: &mut Repairs) -> Result<&'t str> {
        let uri = self.code(column, repairs)?;
        uri::check(uri)
            .map_err(|why| self.error(column, format!("{uri:?} is not a concept URI: {why}")))?;
        Ok(uri)
    }
}
