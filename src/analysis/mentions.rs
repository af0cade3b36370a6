//! Finding the graph's nodes in free text (a job ad, a CV): every name and alias of every
//! node, case-insensitively (ASCII letters), on word boundaries, leftmost-longest.
//!
//! A label matches only where the characters on either side of it are not letters, digits or
//! `_`, so `Go` is not found in `Google`, `C#` is found in `C#,` and `.NET` in `(.NET)` but not
//! in `ASP.NET` (where `ASP.NET` itself is). Among the labels that match at one place the
//! longest wins (`REST APIs` over `REST`), then a name over an alias; matches do not overlap.
//! Offsets are in UTF-16 code units, as JavaScript strings count them.
//!
//! The automaton runs anchored, leftmost-longest, only where a mention may start (after a
//! character that is not part of a word): at each such place it finds the longest label
//! there, and if that one ends inside a word, the longest shorter one, and so on. Labels that
//! are the same text are ordered at build time (names first, then by kind and slug), so the
//! automaton's choice among them is the documented one.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::graph::Kind;
use crate::{Error, Result};

/// A label of a node.
#[derive(Clone, Debug)]
struct Label {
    kind: Kind,
    slug: String,
    is_name: bool,
}

/// Every node's labels, compiled into one automaton.
#[derive(Debug)]
pub struct Vocabulary {
    automaton: AhoCorasick,
    labels: Vec<Label>,
}

/// A node found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Where it starts, in UTF-16 code units.
    pub start: usize,
    /// Where it ends (exclusive), in UTF-16 code units.
    pub end: usize,
    /// The text as written.
    pub text: String,
    pub kind: Kind,
    pub slug: String,
    /// Whether the text is the node's name (not an alias).
    pub by_name: bool,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn kind_rank(kind: Kind) -> usize {
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

impl Vocabulary {
    /// The vocabulary of `(kind, slug, label, is the name)` entries; blank labels are skipped.
    pub fn new<'a>(entries: impl Iterator<Item = (Kind, &'a str, &'a str, bool)>) -> Result<Self> {
        let mut entries: Vec<(&str, Label)> = entries
            .map(|(kind, slug, label, is_name)| {
                let label = label.trim();
                let entry = Label {
                    kind,
                    slug: slug.to_owned(),
                    is_name,
                };
                (label, entry)
            })
            .filter(|(label, _)| !label.is_empty())
            .collect();
        entries.sort_by(|(_, a), (_, b)| {
            b.is_name
                .cmp(&a.is_name)
                .then(kind_rank(a.kind).cmp(&kind_rank(b.kind)))
                .then(a.slug.cmp(&b.slug))
        });
        let (texts, labels): (Vec<&str>, Vec<Label>) = entries.into_iter().unzip();
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&texts)
            .map_err(|err| Error::Internal(format!("the label automaton: {err}")))?;
        Ok(Vocabulary { automaton, labels })
    }

    /// The heap memory of the automaton, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.automaton.memory_usage()
    }

    /// The mentions of nodes in `text`, in the order they appear.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let ends_a_word = |end: usize| !text[end..].chars().next().is_some_and(is_word);
        let mut mentions = Vec::new();
        let (mut byte_at, mut utf16_at) = (0, 0);
        let mut advance = |to: usize| {
            utf16_at += text[byte_at..to].encode_utf16().count();
            byte_at = to;
            utf16_at
        };
        let mut previous: Option<char> = None;
        let mut skip_to = 0;
        for (start, c) in text.char_indices() {
            let may_start = start >= skip_to && !previous.is_some_and(is_word);
            previous = Some(c);
            if !may_start {
                continue;
            }
            // The longest label here that ends where a word ends.
            let mut limit = text.len();
            let found = loop {
                let input = Input::new(text).span(start..limit).anchored(Anchored::Yes);
                match self.automaton.find(input) {
                    Some(m) if ends_a_word(m.end()) => break Some(m),
                    Some(m) if m.end() > start + 1 => limit = m.end() - 1,
                    _ => break None,
                }
            };
            let Some(m) = found else {
                continue;
            };
            let label = &self.labels[m.pattern().as_usize()];
            let start16 = advance(m.start());
            let end16 = advance(m.end());
            mentions.push(Mention {
                start: start16,
                end: end16,
                text: text[m.start()..m.end()].to_owned(),
                kind: label.kind,
                slug: label.slug.clone(),
                by_name: label.is_name,
            });
            skip_to = m.end();
        }
        mentions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_symbols_and_utf16() {
        let vocabulary = Vocabulary::new(
            [
                (Kind::Language, "go", "Go", true),
                (Kind::Language, "csharp", "C#", true),
                (Kind::Language, "csharp", ".NET", false),
                (Kind::Framework, "aspnet-core", "ASP.NET", false),
                (Kind::Skill, "restful-apis", "REST", false),
                (Kind::Skill, "restful-apis", "REST APIs", false),
                (Kind::Tool, "ci", "CI/CD", true),
            ]
            .into_iter(),
        )
        .expect("vocabulary");
        let text = "🚀 go, not Google; C# (.NET) and ASP.NET; rest apis and ci/cd";
        let mentions = vocabulary.find(text);
        let slugs: Vec<&str> = mentions.iter().map(|m| m.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "go",
                "csharp",
                "csharp",
                "aspnet-core",
                "restful-apis",
                "ci"
            ]
        );
        // 🚀 is two UTF-16 code units: "go" starts at 3.
        assert_eq!((mentions[0].start, mentions[0].end), (3, 5));
        assert_eq!(mentions[4].text, "rest apis", "the longest label wins");
        assert!(!mentions[4].by_name);
    }
}
