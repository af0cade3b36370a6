//! Finding the graph's nodes in free text (a job ad, a CV): every name and alias of every
//! node, case-insensitively (ASCII letters), on word boundaries, leftmost-longest.
//!
//! A label matches only where the characters on either side of it are not letters, digits or
//! `_`, so `Go` is not found in `Google`, `C#` is found in `C#,` and `.NET` in `(.NET)` but not
//! in `ASP.NET` (where `ASP.NET` itself is). Among the labels that match at one place the
//! longest wins (`REST APIs` over `REST`), then a name over an alias; matches do not overlap.
//! Offsets are in UTF-16 code units, as JavaScript strings count them.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::data::model::Kind;
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
        let mut texts = Vec::new();
        let mut labels = Vec::new();
        for (kind, slug, label, is_name) in entries {
            let label = label.trim();
            if label.is_empty() {
                continue;
            }
            texts.push(label.to_owned());
            labels.push(Label {
                kind,
                slug: slug.to_owned(),
                is_name,
            });
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .map_err(|err| Error::Internal(format!("the label automaton: {err}")))?;
        Ok(Vocabulary { automaton, labels })
    }

    /// The mentions of nodes in `text`, in the order they appear.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let on_boundary = |start: usize, end: usize| {
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        };
        let mut found: Vec<(usize, usize, &Label)> = self
            .automaton
            .find_overlapping_iter(text)
            .filter(|m| on_boundary(m.start(), m.end()))
            .map(|m| (m.start(), m.end(), &self.labels[m.pattern().as_usize()]))
            .collect();
        found.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.cmp(&a.1))
                .then(b.2.is_name.cmp(&a.2.is_name))
                .then(kind_rank(a.2.kind).cmp(&kind_rank(b.2.kind)))
                .then(a.2.slug.cmp(&b.2.slug))
        });
        // Leftmost-longest, without overlaps; offsets converted to UTF-16 as we go.
        let mut mentions = Vec::new();
        let (mut taken_until, mut byte_at, mut utf16_at) = (0, 0, 0);
        let mut advance = |to: usize| {
            utf16_at += text[byte_at..to].encode_utf16().count();
            byte_at = to;
            utf16_at
        };
        for (start, end, label) in found {
            if start < taken_until {
                continue;
            }
            taken_until = end;
            let start16 = advance(start);
            let end16 = advance(end);
            mentions.push(Mention {
                start: start16,
                end: end16,
                text: text[start..end].to_owned(),
                kind: label.kind,
                slug: label.slug.clone(),
                by_name: label.is_name,
            });
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
