//! Repairing the text of an ESCO bundle where the repair is unambiguous, each repair reported
//! at its place, so that one damaged description does not cost the whole bundle and nothing is
//! changed without saying so.
//!
//! The rules, applied to every label and description the import reads (URIs and codes get the
//! first only; what else is wrong with one is refused where it is checked):
//!
//! 1. **Whitespace** at the start and end of a cell is removed; so is whitespace around each
//!    line of `altLabels`, and a blank line between labels.
//! 2. **Line endings** inside a cell, `\r\n` or a lone `\r`, become `\n` (between records
//!    `\r\n` is CSV's own line ending, not a repair).
//! 3. **Byte order marks**: one at the start of a file, and a stray U+FEFF inside a cell, are
//!    removed.
//! 4. **Mojibake**, UTF-8 text whose bytes were read as Latin-1 or Windows-1252 and written
//!    back as UTF-8 (`’` → `â` U+0080 U+0099 or `â€™`, `é` → `Ã©`), is decoded back. The rule
//!    looks at each maximal run of non-ASCII characters that each stand for one byte — a
//!    character up to U+00FF stands for itself (Latin-1), one of the 27 that Windows-1252
//!    puts at 0x80–0x9F (`€`, `’`, `™`, …) for its byte there. The run is replaced by the
//!    text its bytes spell only when all of them together are well-formed UTF-8 and every
//!    character they spell is one ESCO's languages plausibly hold ([`plausible`]: Latin,
//!    Greek, Cyrillic and Arabic letters, accents, punctuation, currency and common symbols).
//!    A run of genuine Latin-1 letters is left as it is, since a lone `é` (0xE9) or `Ä` (0xC4)
//!    followed by a letter or by nothing is no UTF-8; so is a run that spells something
//!    implausible (`é…”` would spell a CJK ideograph). One layer is decoded: text encoded
//!    wrongly twice comes back encoded wrongly once.
//! 5. **Control characters**: C0 controls other than tab and line feed, DEL, and a run of C1
//!    controls (U+0080–U+009F) standing alone, are removed. A C1 control in a run with other
//!    one-byte characters that does not decode by rule 4 is damaged text that cannot be put
//!    right with certainty: the bundle is refused at its place.
//! 6. **Duplicate labels**: an alternative label given before in the cell, or equal to the
//!    preferred label, case aside, is dropped.
//!
//! Every repair is counted by kind; the details of the first [`KEPT`] are kept in memory (a
//! hostile file could need millions), and all of them are written as they are found to the
//! report, when there is one. In strict mode the first repair needed is an error instead.

use std::borrow::Cow;
use std::io::Write;

use crate::{Error, Result};

/// The kinds of repair, in the order the summary lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Mojibake,
    Control,
    Bom,
    LineEnding,
    Whitespace,
    DuplicateLabel,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Mojibake,
        Kind::Control,
        Kind::Bom,
        Kind::LineEnding,
        Kind::Whitespace,
        Kind::DuplicateLabel,
    ];

    /// The kind's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Mojibake => "mojibake",
            Kind::Control => "control characters",
            Kind::Bom => "byte order mark",
            Kind::LineEnding => "line ending",
            Kind::Whitespace => "whitespace",
            Kind::DuplicateLabel => "duplicate label",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a cell is: its file, the line it starts on, its column's number from 1 and name.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub file: &'a str,
    pub line: u64,
    pub column: usize,
    pub name: &'a str,
}

impl Place<'_> {
    /// `file:line:column: name` for `line`, a line of the cell.
    fn at(&self, line: u64) -> String {
        format!("{}:{line}:{}: {}", self.file, self.column, self.name)
    }
}

/// The longest text a kept repair shows of its before and after, in characters; the rest is
/// counted.
pub const SHOWN: usize = 200;

/// How many repairs keep their details in memory; those past it are counted (and written to
/// the report) only.
pub const KEPT: usize = 10_000;

/// A text as a repair shows it: up to [`SHOWN`] characters, and how many were left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    pub cut: usize,
}

impl Shown {
    fn of(text: &str) -> Self {
        match text.char_indices().nth(SHOWN) {
            None => Shown {
                text: text.to_owned(),
                cut: 0,
            },
            Some((end, _)) => Shown {
                text: text[..end].to_owned(),
                cut: text[end..].chars().count(),
            },
        }
    }
}

/// Escaped with `{:?}`, so that control characters and byte order marks are visible.
impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.text)?;
        if self.cut > 0 {
            write!(f, " (and {} more characters)", self.cut)?;
        }
        Ok(())
    }
}

/// One repair: where, what kind, the text before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub file: String,
    pub line: u64,
    pub column: usize,
    /// The column's name.
    pub name: String,
    pub kind: Kind,
    pub before: Shown,
    pub after: Shown,
}

impl Repair {
    /// `file:line:column`.
    pub fn position(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

/// `file:line:column: name: kind: "before" → "after"`, one line.
impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}: {} → {}",
            self.position(),
            self.name,
            self.kind,
            self.before,
            self.after
        )
    }
}

/// The repairs of one import: counted by kind, the first [`KEPT`] kept, all written to the
/// report as they are found.
#[derive(Default)]
pub struct Repairs {
    strict: bool,
    counts: [usize; Kind::ALL.len()],
    kept: Vec<Repair>,
    report: Option<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for Repairs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repairs")
            .field("strict", &self.strict)
            .field("counts", &self.counts)
            .field("kept", &self.kept.len())
            .finish()
    }
}

impl Repairs {
    /// Repairs that, `strict`, refuse instead; each one written to `report` as a line.
    pub fn new(strict: bool, report: Option<Box<dyn Write + Send>>) -> Self {
        Repairs {
            strict,
            report,
            ..Repairs::default()
        }
    }

    /// How many repairs were made.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// How many repairs of `kind` were made.
    pub fn count(&self, kind: Kind) -> usize {
        self.counts[kind.index()]
    }

    /// The first [`KEPT`] repairs, in the order they were made.
    pub fn kept(&self) -> &[Repair] {
        &self.kept
    }

    /// Flushes the report.
    pub fn finish(&mut self) -> Result<()> {
        if let Some(report) = self.report.as_mut() {
            report
                .flush()
                .map_err(|err| Error::Internal(format!("write the report: {err}")))?;
        }
        Ok(())
    }

    /// Notes a repair on `line` of the cell at `place`; in strict mode, refuses instead.
    pub fn note(
        &mut self,
        place: &Place<'_>,
        line: u64,
        kind: Kind,
        before: &str,
        after: &str,
    ) -> Result<()> {
        if !self.strict {
            self.counts[kind.index()] += 1;
            if self.report.is_none() && self.kept.len() >= KEPT {
                return Ok(());
            }
        }
        let repair = Repair {
            file: place.file.to_owned(),
            line,
            column: place.column,
            name: place.name.to_owned(),
            kind,
            before: Shown::of(before),
            after: Shown::of(after),
        };
        if self.strict {
            return Err(Error::bad_input(format!(
                "{}: {}: {} → {} would be repaired; refused in strict mode",
                place.at(line),
                kind,
                repair.before,
                repair.after
            )));
        }
        if let Some(report) = self.report.as_mut() {
            writeln!(report, "{repair}")
                .map_err(|err| Error::Internal(format!("write the report: {err}")))?;
        }
        if self.kept.len() < KEPT {
            self.kept.push(repair);
        }
        Ok(())
    }
}

/// What the summary says: the count of each kind made.
impl std::fmt::Display for Repairs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = Kind::ALL
            .iter()
            .filter(|kind| self.count(**kind) > 0)
            .map(|kind| format!("{} {kind}", self.count(*kind)))
            .collect();
        if parts.is_empty() {
            f.write_str("no repairs")
        } else {
            write!(f, "{} repairs ({})", self.total(), parts.join(", "))
        }
    }
}

/// The byte a character stands for in a text whose bytes were read as Windows-1252, or
/// Latin-1 (where U+0080–U+009F stand for themselves); `None` for any other character.
fn byte_of(c: char) -> Option<u8> {
    if let Ok(byte) = u8::try_from(u32::from(c)) {
        return Some(byte);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Whether a character may be part of a mojibake run: non-ASCII, and one byte.
fn one_byte(c: char) -> bool {
    !c.is_ascii() && byte_of(c).is_some()
}

/// Whether mis-encoded text plausibly stood for `c`: the letters, accents and punctuation of
/// ESCO's languages and common symbols. The ranges leave out controls, zero-width and
/// direction marks, and the scripts (Hebrew, Syriac, NKo, CJK, …) that an accented capital
/// followed by a symbol, or a lowercase accented letter followed by two, happens to spell.
fn plausible(c: char) -> bool {
    matches!(u32::from(c),
        0x00A0..=0x024F // Latin-1 Supplement, Latin Extended-A and -B
        | 0x0300..=0x036F // combining accents
        | 0x0370..=0x052F // Greek, Cyrillic
        | 0x0600..=0x06FF // Arabic
        | 0x1E00..=0x1EFF // Latin Extended Additional
        | 0x2000..=0x200A | 0x2010..=0x2027 | 0x202F..=0x205F // spaces, punctuation
        | 0x20A0..=0x2BFF // currency, letterlike (™), arrows, mathematical and other symbols
        | 0x1F000..=0x1FAFF) // emoji
}

/// Whether `c` is removed as a control character wherever it is: C0 controls but tab and
/// line feed (carriage returns are line endings), and DEL.
fn c0_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn c1_control(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// The text a run of one-byte characters spells when its bytes are read as UTF-8, if the rule
/// of the module's documentation (4) takes it.
fn decoded(run: &str) -> Option<String> {
    let bytes: Vec<u8> = run.chars().filter_map(byte_of).collect();
    let text = String::from_utf8(bytes).ok()?;
    text.chars().all(plausible).then_some(text)
}

/// Counts the lines of a cell up to an offset, moving forwards only, so that placing every
/// repair of a cell costs one pass over it.
struct Lines<'c> {
    text: &'c str,
    at: usize,
    line: u64,
}

impl Lines<'_> {
    fn to(&mut self, offset: usize) -> u64 {
        if offset > self.at {
            let passed = self.text.get(self.at..offset).unwrap_or("");
            self.line += memchr::memchr_iter(b'\n', passed.as_bytes()).count() as u64;
            self.at = offset;
        }
        self.line
    }
}

/// Whether any character of `text` could need a repair inside it (rules 2–5).
fn needs_scan(text: &str) -> bool {
    text.bytes()
        .any(|b| b >= 0x80 || b == 0x7f || (b < 0x20 && b != b'\t' && b != b'\n'))
}

/// The cell `text` at `place`, repaired by rules 1–5 of the module's documentation.
pub fn cell<'c>(place: &Place<'_>, text: &'c str, repairs: &mut Repairs) -> Result<Cow<'c, str>> {
    // Rule 1 on the cell as read, so that the whitespace is placed on its own line; the end's
    // is reported after the repairs inside, to keep them in the order of the text.
    let start = text.len() - text.trim_start().len();
    let inner = text.trim();
    let end = start + inner.len();
    if start > 0 {
        repairs.note(place, place.line, Kind::Whitespace, &text[..start], "")?;
    }
    let mut lines = Lines {
        text,
        at: 0,
        line: place.line,
    };
    let repaired = if needs_scan(inner) {
        let out = scan(place, text, start, end, &mut lines, repairs)?;
        match out {
            Some(out) => Cow::Owned(out),
            None => Cow::Borrowed(inner),
        }
    } else {
        Cow::Borrowed(inner)
    };
    if end < text.len() {
        let line = lines.to(end);
        repairs.note(place, line, Kind::Whitespace, &text[end..], "")?;
    }
    // What a repair inside left at an edge (whitespace behind a removed control character, a
    // decoded no-break space).
    let trimmed = repaired.trim();
    if trimmed.len() == repaired.len() {
        return Ok(repaired);
    }
    let lead = repaired.len() - repaired.trim_start().len();
    if lead > 0 {
        repairs.note(place, place.line, Kind::Whitespace, &repaired[..lead], "")?;
    }
    let tail = lead + trimmed.len();
    if tail < repaired.len() {
        let line = place.line + repaired[..tail].matches('\n').count() as u64;
        repairs.note(place, line, Kind::Whitespace, &repaired[tail..], "")?;
    }
    Ok(Cow::Owned(trimmed.to_owned()))
}

/// The cell `text` at `place`, a code or a URI, by rule 1 only: what else is wrong with one is
/// refused where it is checked.
pub fn trimmed<'c>(place: &Place<'_>, text: &'c str, repairs: &mut Repairs) -> Result<&'c str> {
    let inner = text.trim();
    if inner.len() < text.len() {
        let lead = text.len() - text.trim_start().len();
        if lead > 0 {
            repairs.note(place, place.line, Kind::Whitespace, &text[..lead], "")?;
        }
        let tail = lead + inner.len();
        if tail < text.len() {
            let line = place.line + text[..tail].matches('\n').count() as u64;
            repairs.note(place, line, Kind::Whitespace, &text[tail..], "")?;
        }
    }
    Ok(inner)
}

/// Rules 2–5 on `text[start..end]`: the repaired text, or `None` when nothing needed one.
fn scan(
    place: &Place<'_>,
    text: &str,
    start: usize,
    end: usize,
    lines: &mut Lines<'_>,
    repairs: &mut Repairs,
) -> Result<Option<String>> {
    let mut out = String::with_capacity(end - start);
    let mut changed = false;
    let mut at = start;
    while at < end {
        let rest = &text[at..end];
        let Some(c) = rest.chars().next() else { break };
        // The length of what is looked at from `at`, and what it becomes, if repaired.
        let (len, repair): (usize, Option<(Kind, Cow<'_, str>)>) = if c == '\r' {
            let len = if rest.as_bytes().get(1) == Some(&b'\n') {
                2
            } else {
                1
            };
            (len, Some((Kind::LineEnding, "\n".into())))
        } else if c == '\u{feff}' {
            (c.len_utf8(), Some((Kind::Bom, "".into())))
        } else if c0_control(c) {
            let len = rest.find(|c| !c0_control(c)).unwrap_or(rest.len());
            (len, Some((Kind::Control, "".into())))
        } else if one_byte(c) {
            let len = rest.find(|c| !one_byte(c)).unwrap_or(rest.len());
            let run = &rest[..len];
            if let Some(text) = decoded(run) {
                (len, Some((Kind::Mojibake, text.into())))
            } else if !run.chars().any(c1_control) {
                (len, None)
            } else if run.chars().all(c1_control) {
                (len, Some((Kind::Control, "".into())))
            } else {
                return Err(Error::bad_input(format!(
                    "{}: {run:?} holds control characters (U+0080–U+009F) among Latin-1 \
                     characters: mis-encoded text that does not decode unambiguously",
                    place.at(lines.to(at))
                )));
            }
        } else {
            (c.len_utf8(), None)
        };
        let before = &rest[..len];
        match repair {
            Some((kind, after)) => {
                repairs.note(place, lines.to(at), kind, before, &after)?;
                out.push_str(&after);
                changed = true;
            }
            None => out.push_str(before),
        }
        at += len;
    }
    Ok(changed.then_some(out))
}

/// The alternative labels of a repaired `altLabels` cell at `place`, one a line, by rules 1
/// and 6: each line trimmed, blank lines and labels given before in the cell (or equal to
/// `name`, the preferred label), case aside, dropped.
pub fn labels<'t>(
    place: &Place<'_>,
    text: &'t str,
    name: &str,
    repairs: &mut Repairs,
) -> Result<Vec<&'t str>> {
    let mut seen: std::collections::HashSet<String> =
        std::collections::HashSet::from([name.to_lowercase()]);
    let mut labels = Vec::new();
    if text.is_empty() {
        return Ok(labels);
    }
    for (at, line) in text.split('\n').enumerate() {
        let number = place.line + at as u64;
        let label = line.trim();
        if label.is_empty() {
            repairs.note(place, number, Kind::Whitespace, &format!("{line}\n"), "")?;
            continue;
        }
        if label.len() < line.len() {
            let lead = line.len() - line.trim_start().len();
            if lead > 0 {
                repairs.note(place, number, Kind::Whitespace, &line[..lead], "")?;
            }
            let tail = lead + label.len();
            if tail < line.len() {
                repairs.note(place, number, Kind::Whitespace, &line[tail..], "")?;
            }
        }
        if seen.insert(label.to_lowercase()) {
            labels.push(label);
        } else {
            repairs.note(place, number, Kind::DuplicateLabel, label, "")?;
        }
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACE: Place<'static> = Place {
        file: "skills_en.csv",
        line: 10,
        column: 13,
        name: "description",
    };

    /// The cell repaired, and its repairs as `(line, kind, before, after)`.
    fn repaired(text: &str) -> (String, Vec<(u64, Kind, String, String)>) {
        let mut repairs = Repairs::new(false, None);
        let out = cell(&PLACE, text, &mut repairs).expect("repairable");
        let list = repairs
            .kept()
            .iter()
            .map(|r| (r.line, r.kind, r.before.text.clone(), r.after.text.clone()))
            .collect();
        (out.into_owned(), list)
    }

    fn one(line: u64, kind: Kind, before: &str, after: &str) -> (u64, Kind, String, String) {
        (line, kind, before.to_owned(), after.to_owned())
    }

    #[test]
    fn latin1_mojibake_of_a_right_quote_is_decoded() {
        assert_eq!(
            repaired("the manager\u{e2}\u{80}\u{99}s staff"),
            (
                "the manager’s staff".to_owned(),
                vec![one(10, Kind::Mojibake, "â\u{80}\u{99}", "’")]
            )
        );
    }

    #[test]
    fn windows_1252_mojibake_is_decoded() {
        assert_eq!(
            repaired("cafÃ© and â€œquotesâ€\u{9d} â€” done"),
            (
                "café and “quotes” — done".to_owned(),
                vec![
                    one(10, Kind::Mojibake, "Ã©", "é"),
                    one(10, Kind::Mojibake, "â€œ", "“"),
                    one(10, Kind::Mojibake, "â€\u{9d}", "”"),
                    one(10, Kind::Mojibake, "â€”", "—"),
                ]
            )
        );
    }

    #[test]
    fn mojibake_of_greek_cyrillic_and_a_run_of_letters_is_decoded() {
        assert_eq!(repaired("ÎºÎ±Î»Î¬").0, "καλά");
        assert_eq!(repaired("ÐŸÑ€Ð¸Ð²ÐµÑ‚").0, "Привет");
        assert_eq!(repaired("MÃ¼ller").0, "Müller");
    }

    #[test]
    fn genuine_latin1_text_is_left_as_it_is() {
        for text in [
            "café",
            "Ärzte für Öffentlichkeit",
            "Straße «Fuß»",
            "œuvre, naïve, señor, Ångström, Œdipe, Žižek",
            "l’été, “quoted”, 5 €, 20 °C, ½ kg, © ESCO",
            // A lowercase accented letter and two symbols would spell a CJK ideograph.
            "café…”",
            // An accented capital and a symbol would spell a Hebrew point or NKo.
            "Ö°, ß«",
            // Incomplete sequences.
            "â€ and Ã",
        ] {
            assert_eq!(repaired(text), (text.to_owned(), vec![]), "{text:?}");
        }
    }

    #[test]
    fn text_in_other_scripts_is_left_as_it_is() {
        for text in [
            "καλά",
            "Привет",
            "مرحبا",
            "中文",
            "Łódź, Čeština, Tiếng Việt",
        ] {
            assert_eq!(repaired(text), (text.to_owned(), vec![]));
        }
    }

    #[test]
    fn stray_control_characters_are_removed_and_tabs_and_line_feeds_kept() {
        assert_eq!(
            repaired("a\u{0}\u{1}b\tc\nd\u{7f}e\u{85}f\u{80}\u{81}g"),
            (
                "ab\tc\ndefg".to_owned(),
                vec![
                    one(10, Kind::Control, "\u{0}\u{1}", ""),
                    one(11, Kind::Control, "\u{7f}", ""),
                    one(11, Kind::Control, "\u{85}", ""),
                    one(11, Kind::Control, "\u{80}\u{81}", ""),
                ]
            )
        );
    }

    #[test]
    fn control_characters_in_mojibake_that_does_not_decode_are_refused_at_their_line() {
        let mut repairs = Repairs::new(false, None);
        let err = cell(&PLACE, "first\nSCH\u{c4}\u{e2}\u{80}\u{99}S", &mut repairs)
            .expect_err("ambiguous");
        assert!(
            err.detail()
                .starts_with("skills_en.csv:11:13: description: \"Äâ\\u{80}\\u{99}\" holds"),
            "{}",
            err.detail()
        );
    }

    #[test]
    fn byte_order_marks_line_endings_and_whitespace_are_repaired_in_place() {
        assert_eq!(
            repaired(" \u{a0}one\r\ntwo\u{feff}\rthree\r\n\t"),
            (
                "one\ntwo\nthree".to_owned(),
                vec![
                    one(10, Kind::Whitespace, " \u{a0}", ""),
                    one(10, Kind::LineEnding, "\r\n", "\n"),
                    one(11, Kind::Bom, "\u{feff}", ""),
                    one(11, Kind::LineEnding, "\r", "\n"),
                    one(11, Kind::Whitespace, "\r\n\t", ""),
                ]
            )
        );
    }

    #[test]
    fn whitespace_left_at_an_edge_by_a_repair_is_trimmed() {
        assert_eq!(
            repaired("\u{feff} text \u{1}"),
            (
                "text".to_owned(),
                vec![
                    one(10, Kind::Bom, "\u{feff}", ""),
                    one(10, Kind::Control, "\u{1}", ""),
                    one(10, Kind::Whitespace, " ", ""),
                    one(10, Kind::Whitespace, " ", ""),
                ]
            )
        );
    }

    #[test]
    fn clean_text_is_borrowed_and_unreported() {
        let mut repairs = Repairs::new(false, None);
        let out = cell(&PLACE, "plain text\nlines", &mut repairs).expect("clean");
        assert!(matches!(out, Cow::Borrowed("plain text\nlines")));
        assert_eq!(repairs.total(), 0);
    }

    #[test]
    fn strict_mode_refuses_the_first_repair_at_its_place() {
        let mut repairs = Repairs::new(true, None);
        let err =
            cell(&PLACE, "ok\nthe team\u{e2}\u{80}\u{99}s", &mut repairs).expect_err("strict");
        assert_eq!(
            err.detail(),
            "skills_en.csv:11:13: description: mojibake: \"â\\u{80}\\u{99}\" → \"’\" would be \
             repaired; refused in strict mode"
        );
        assert_eq!(repairs.total(), 0);
    }

    #[test]
    fn labels_are_trimmed_and_blank_and_repeated_ones_dropped() {
        let mut repairs = Repairs::new(false, None);
        let place = Place {
            name: "altLabels",
            ..PLACE
        };
        let labels = labels(
            &place,
            "Postgres \n\n postgres\nPostgreSQL\npg",
            "postgresql",
            &mut repairs,
        )
        .expect("labels");
        assert_eq!(labels, ["Postgres", "pg"]);
        let list: Vec<String> = repairs.kept().iter().map(ToString::to_string).collect();
        assert_eq!(
            list,
            [
                "skills_en.csv:10:13: altLabels: whitespace: \" \" → \"\"",
                "skills_en.csv:11:13: altLabels: whitespace: \"\\n\" → \"\"",
                "skills_en.csv:12:13: altLabels: whitespace: \" \" → \"\"",
                "skills_en.csv:12:13: altLabels: duplicate label: \"postgres\" → \"\"",
                "skills_en.csv:13:13: altLabels: duplicate label: \"PostgreSQL\" → \"\"",
            ]
        );
    }

    #[test]
    fn a_megabyte_of_hostile_text_repairs_in_one_pass_with_a_bounded_list() {
        // One run of a million `Ã` (no UTF-8: left as it is), then a million control
        // characters between letters (each removed), then half a million `Ã©`.
        let text = format!(
            "{}x{}{}",
            "Ã".repeat(1_000_000),
            "a\u{1}".repeat(1_000_000),
            "Ã©".repeat(500_000)
        );
        let started = std::time::Instant::now();
        let mut repairs = Repairs::new(false, None);
        let out = cell(&PLACE, &text, &mut repairs).expect("repairable");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(repairs.count(Kind::Control), 1_000_000);
        assert_eq!(repairs.count(Kind::Mojibake), 1);
        assert_eq!(repairs.kept().len(), KEPT);
        assert!(
            out == format!(
                "{}x{}{}",
                "Ã".repeat(1_000_000),
                "a".repeat(1_000_000),
                "é".repeat(500_000)
            )
        );
        // The last one was counted, not kept; the mojibake's texts are cut.
        let mut repairs = Repairs::new(false, None);
        cell(&PLACE, &"Ã©".repeat(500_000), &mut repairs).expect("repairable");
        let kept = &repairs.kept()[0];
        assert_eq!(
            (kept.before.cut, kept.after.cut),
            (1_000_000 - SHOWN, 500_000 - SHOWN)
        );
    }

    #[test]
    fn a_control_run_of_a_megabyte_is_one_repair() {
        let text = format!("a{}b", "\u{85}".repeat(1_000_000));
        let mut repairs = Repairs::new(false, None);
        let out = cell(&PLACE, &text, &mut repairs).expect("repairable");
        assert_eq!(out, "ab");
        assert_eq!(repairs.total(), 1);
    }

    #[test]
    fn the_report_gets_every_repair_past_the_kept_ones() {
        #[derive(Clone, Default)]
        struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0
                    .lock()
                    .map_err(|_| std::io::Error::other("poisoned"))?
                    .extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let shared = Shared::default();
        let mut repairs = Repairs::new(false, Some(Box::new(shared.clone())));
        cell(&PLACE, &"a\u{1}".repeat(KEPT + 5), &mut repairs).expect("repairable");
        repairs.finish().expect("flushed");
        let written = String::from_utf8(shared.0.lock().expect("lock").clone()).expect("UTF-8");
        assert_eq!(written.lines().count(), KEPT + 5);
        assert_eq!(
            written.lines().last(),
            Some("skills_en.csv:10:13: description: control characters: \"\\u{1}\" → \"\"")
        );
        assert_eq!(repairs.kept().len(), KEPT);
        assert_eq!(
            repairs.to_string(),
            format!("{} repairs ({} control characters)", KEPT + 5, KEPT + 5)
        );
    }
}
