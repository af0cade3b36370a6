//! Finding the graph's nodes in free text (a job ad, a CV): every name, alias and hidden label
//! of every node, in every locale (or those a request reads, see [`Reading`]), compared
//! folded ([`super::fold`]: case folded beyond ASCII, accents off, compatibility forms
//! normalised), on word boundaries, leftmost-longest.
//!
//! A label matches only where the characters on either side of it are not letters, digits or
//! `_`, so `Go` is not found in `Google`, `C#` is found in `C#,` and `.NET` in `(.NET)` but not
//! in `ASP.NET` (where `ASP.NET` itself is). Among the labels that match at one place the
//! longest wins (`REST APIs` over `REST`), then a name over an alias; matches do not overlap.
//! Letters and digits are those of every script (Latin, Greek, Cyrillic, Arabic: Unicode's
//! alphabetic and numeric properties), and accents are gone before boundaries are looked for,
//! so a combining mark never splits a word. The automaton runs over the folded text, and a
//! mention's offsets are those of the original characters it covers, in UTF-16 code units, as
//! JavaScript strings count them.
//!
//! The automaton runs anchored, leftmost-longest, only where a mention may start (after a
//! character that is not part of a word): at each such place it finds the longest label
//! there, and if that one ends inside a word (or no label of that text is in a locale read),
//! the longest shorter one, and so on. Labels that fold to the same text are one pattern,
//! whose labels are ordered at build time (names first, then by kind, slug and locale), so the
//! choice among them is the documented one.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use super::confidence::{self, Ambiguity, Context};
use super::fold::{Folded, fold};
use super::spoken::{LabelEntry, LocaleTable, Reading};
use crate::graph::Kind;
use crate::{Error, Result};

/// A label of a node: one of three million at ESCO's size in 28 locales, so a few bytes.
#[derive(Clone, Copy, Debug)]
struct Label {
    /// In `Vocabulary::nodes`.
    node: u32,
    is_name: bool,
    locale: u16,
    /// Written with a capital letter.
    cased: bool,
}

/// Every node's labels, compiled into one automaton.
#[derive(Debug)]
pub struct Vocabulary {
    automaton: AhoCorasick,
    /// The labels of every pattern (a folded text), each pattern's in the order of
    /// preference.
    labels: Vec<Label>,
    /// Where each pattern's labels start in `labels` (and, last, where the last one's end).
    patterns: Vec<u32>,
    /// The nodes labelled.
    nodes: Vec<(Kind, Box<str>)>,
    /// What each pattern is, for the confidence of its mentions.
    ambiguity: Vec<Ambiguity>,
    locales: LocaleTable,
}

/// A node found in a text.
#[derive(Clone, Debug, PartialEq)]
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
    /// The locale of the label found.
    pub locale: String,
    /// How sure the extraction is that the text means the node, from 0 to 1 (see
    /// [`super::confidence`]).
    pub confidence: f64,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The folded word before byte `at` of the folded `text`, punctuation and spaces aside (empty
/// if none).
fn word_before(text: &str, at: usize) -> &str {
    let before = text[..at].trim_end_matches(|c: char| !is_word(c));
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(before.len(), |(i, _)| i);
    &before[start..]
}

/// Whether what follows `before` begins a sentence: nothing but spaces before it, or the end of
/// a sentence, a colon, a line break or a list's bullet.
fn begins_sentence(before: &str) -> bool {
    for c in before.chars().rev() {
        if c == '\n' {
            return true;
        }
        if !c.is_whitespace() {
            return matches!(c, '.' | '!' | '?' | ':' | '-' | '*' | '•');
        }
    }
    true
}

/// Whether a list's punctuation stands right before or after a mention, spaces aside.
fn in_list(before: &str, after: &str) -> bool {
    let last = before.chars().rev().find(|c| !c.is_whitespace());
    let next = after.chars().find(|c| !c.is_whitespace());
    matches!(last, Some(',' | '/' | ';' | '(' | '['))
        || matches!(next, Some(',' | '/' | ';' | ')' | ']'))
}

/// A length or an offset in the vocabulary's tables (which hold fewer than 2³² bytes).
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn kind_rank(kind: Kind) -> usize {
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

impl Vocabulary {
    /// The vocabulary of the labels of `locales`; blank labels are skipped.
    pub fn new<'a>(
        locales: LocaleTable,
        entries: impl Iterator<Item = LabelEntry<'a>>,
    ) -> Result<Self> {
        // Every folded label in one text, then sorted: labels that fold alike are one pattern.
        let mut text = String::new();
        let mut spans: Vec<(u32, u32)> = Vec::new();
        let mut all: Vec<Label> = Vec::new();
        let mut node_of: HashMap<(Kind, &str), u32> = HashMap::new();
        let mut nodes: Vec<(Kind, Box<str>)> = Vec::new();
        for entry in entries {
            let folded = fold(entry.text.trim());
            if folded.is_empty() {
                continue;
            }
            let node = *node_of.entry((entry.kind, entry.slug)).or_insert_with(|| {
                nodes.push((entry.kind, entry.slug.into()));
                offset(nodes.len() - 1)
            });
            spans.push((offset(text.len()), offset(folded.len())));
            text.push_str(&folded);
            all.push(Label {
                node,
                is_name: entry.is_name,
                locale: entry.locale,
                cased: entry.text.chars().any(char::is_uppercase),
            });
        }
        let piece = |(at, len): (u32, u32)| &text[at as usize..(at + len) as usize];
        let mut order: Vec<u32> = (0..offset(all.len())).collect();
        order.sort_unstable_by(|&a, &b| piece(spans[a as usize]).cmp(piece(spans[b as usize])));
        let node_rank = |label: &Label| {
            let (kind, slug) = &nodes[label.node as usize];
            (kind_rank(*kind), slug)
        };
        let mut labels: Vec<Label> = Vec::with_capacity(all.len());
        let mut patterns: Vec<u32> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        let mut ambiguity: Vec<Ambiguity> = Vec::new();
        let mut group: Vec<Label> = Vec::new();
        for same in order.chunk_by(|&a, &b| piece(spans[a as usize]) == piece(spans[b as usize])) {
            let pattern = piece(spans[same[0] as usize]);
            texts.push(pattern);
            group.clear();
            group.extend(same.iter().map(|&label| all[label as usize]));
            let kind_of = |label: &Label| nodes[label.node as usize].0;
            ambiguity.push(Ambiguity {
                common_word: group.iter().any(|label| label.locale == 0)
                    && confidence::is_common_word(pattern),
                several_kinds: group
                    .iter()
                    .any(|label| kind_of(label) != kind_of(&group[0])),
                cased: group.iter().any(|label| label.cased),
            });
            group.sort_by(|a, b| {
                b.is_name
                    .cmp(&a.is_name)
                    .then(node_rank(a).cmp(&node_rank(b)))
                    .then(a.locale.cmp(&b.locale))
            });
            group.dedup_by(|a, b| {
                a.node == b.node && a.locale == b.locale && a.is_name == b.is_name
            });
            patterns.push(offset(labels.len()));
            labels.extend_from_slice(&group);
        }
        patterns.push(offset(labels.len()));
        labels.shrink_to_fit();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&texts)
            .map_err(|err| Error::Internal(format!("the label automaton: {err}")))?;
        Ok(Vocabulary {
            automaton,
            labels,
            patterns,
            nodes,
            ambiguity,
            locales,
        })
    }

    /// Every node of `kind` with a label (of a locale `reading` matches) that folds as
    /// `text` does, by slug: a mention names one node, and others may share its label (two
    /// occupations of one name).
    pub fn all_named(&self, text: &str, kind: Kind, reading: &Reading) -> Vec<String> {
        let folded = fold(text.trim());
        let input = Input::new(&folded).anchored(Anchored::Yes);
        let Some(m) = self
            .automaton
            .find(input)
            .filter(|m| m.end() == folded.len())
        else {
            return Vec::new();
        };
        let mut slugs: Vec<String> = self
            .labels_of(m.pattern().as_usize())
            .iter()
            .filter(|label| reading.matches(label.locale))
            .map(|label| &self.nodes[label.node as usize])
            .filter(|(of, _)| *of == kind)
            .map(|(_, slug)| slug.to_string())
            .collect();
        slugs.sort();
        slugs.dedup();
        slugs
    }

    /// The labels of a pattern, in the order of preference.
    fn labels_of(&self, pattern: usize) -> &[Label] {
        let from = self.patterns.get(pattern).copied().unwrap_or_default() as usize;
        let to = self.patterns.get(pattern + 1).copied().unwrap_or_default() as usize;
        self.labels.get(from..to).unwrap_or_default()
    }

    /// The table of the locales of the vocabulary's labels.
    pub fn locales(&self) -> &LocaleTable {
        &self.locales
    }

    /// The heap memory of the automaton, in bytes.
    pub fn automaton_usage(&self) -> usize {
        self.automaton.memory_usage()
    }

    /// The heap memory of the vocabulary, in bytes: the automaton and the labels' tables.
    pub fn memory_usage(&self) -> usize {
        use std::mem::size_of;
        let nodes: usize = self.nodes.iter().map(|(_, slug)| slug.len()).sum();
        self.automaton.memory_usage()
            + self.labels.capacity() * size_of::<Label>()
            + self.patterns.capacity() * size_of::<u32>()
            + self.nodes.capacity() * size_of::<(Kind, Box<str>)>()
            + nodes
    }

    /// The mentions of nodes in `text`, in the order they appear, by the labels of the
    /// locales `reading` matches.
    pub fn find(&self, original: &str, reading: &Reading) -> Vec<Mention> {
        let folded = Folded::of(original);
        let text = folded.text.as_str();
        let ends_a_word = |end: usize| !text[end..].chars().next().is_some_and(is_word);
        // The first label of the pattern read (names first, then by kind and slug), in the
        // locale the request prefers among that node's.
        let read = |pattern: usize| {
            let labels = self.labels_of(pattern);
            let first = labels.iter().find(|label| reading.matches(label.locale))?;
            labels
                .iter()
                .filter(|label| {
                    label.node == first.node
                        && label.is_name == first.is_name
                        && reading.matches(label.locale)
                })
                .min_by_key(|label| reading.preference(label.locale))
        };
        let mut mentions = Vec::new();
        // Each mention's pattern's ambiguity, its bytes in the original and the word before.
        let mut contexts: Vec<(Ambiguity, usize, usize, &str)> = Vec::new();
        let (mut byte_at, mut utf16_at) = (0, 0);
        let mut advance = |to: usize| {
            utf16_at += original[byte_at..to].encode_utf16().count();
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
                let Some(m) = self.automaton.find(input) else {
                    break None;
                };
                let label = ends_a_word(m.end())
                    .then(|| read(m.pattern().as_usize()))
                    .flatten();
                match label {
                    Some(label) => break Some((m, label)),
                    None if m.end() > start + 1 => limit = m.end() - 1,
                    None => break None,
                }
            };
            let Some((m, label)) = found else {
                continue;
            };
            let (from, to) = folded.original(m.start(), m.end());
            let start16 = advance(from);
            let end16 = advance(to);
            let ambiguity = self
                .ambiguity
                .get(m.pattern().as_usize())
                .copied()
                .unwrap_or_default();
            contexts.push((ambiguity, from, to, word_before(text, start)));
            mentions.push(Mention {
                start: start16,
                end: end16,
                text: original[from..to].to_owned(),
                kind: self.nodes[label.node as usize].0,
                slug: self.nodes[label.node as usize].1.to_string(),
                by_name: label.is_name,
                locale: self.locales.tag(label.locale).to_owned(),
                confidence: 1.0,
            });
            skip_to = m.end();
        }
        // Each mention's cues; then the company each keeps, of mentions sure on their own.
        let cued: Vec<Context> = contexts
            .iter()
            .map(|&(_, from, to, word_before)| Context {
                written: &original[from..to],
                word_before,
                sentence_start: begins_sentence(&original[..from]),
                in_list: in_list(&original[..from], &original[to..]),
                near_technology: false,
            })
            .collect();
        let sure: Vec<(usize, usize)> = contexts
            .iter()
            .zip(&cued)
            .filter(|((ambiguity, ..), context)| {
                confidence::confidence(*ambiguity, context) >= confidence::DEFAULT_THRESHOLD
            })
            .map(|((_, from, to, _), _)| (*from, *to))
            .collect();
        for ((mention, (ambiguity, from, to, _)), mut context) in
            mentions.iter_mut().zip(&contexts).zip(cued)
        {
            if !ambiguity.is_ambiguous() {
                continue;
            }
            // The sure mentions are in the text's order: those that end after `from - NEAR`.
            let first = sure.partition_point(|(_, end)| end + confidence::NEAR < *from);
            context.near_technology = sure[first..]
                .iter()
                .take_while(|(start, _)| *start <= to + confidence::NEAR)
                .any(|(start, end)| (start, end) != (from, to));
            mention.confidence = confidence::confidence(*ambiguity, &context);
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
            LocaleTable::default(),
            [
                (Kind::Language, "go", "Go", true),
                (Kind::Language, "csharp", "C#", true),
                (Kind::Language, "csharp", ".NET", false),
                (Kind::Framework, "aspnet-core", "ASP.NET", false),
                (Kind::Skill, "restful-apis", "REST", false),
                (Kind::Skill, "restful-apis", "REST APIs", false),
                (Kind::Tool, "ci", "CI/CD", true),
            ]
            .into_iter()
            .map(|(kind, slug, text, is_name)| LabelEntry::own(kind, slug, text, is_name)),
        )
        .expect("vocabulary");
        let text = "🚀 go, not Google; C# (.NET) and ASP.NET; rest apis and ci/cd";
        let mentions = vocabulary.find(text, &Reading::default());
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

    #[test]
    fn marks_never_split_a_word_and_offsets_are_the_originals() {
        let vocabulary = Vocabulary::new(
            LocaleTable::default(),
            [("python", "بايثون"), ("sql", "SQL")]
                .into_iter()
                .map(|(slug, text)| LabelEntry::own(Kind::Language, slug, text, true)),
        )
        .expect("vocabulary");
        // With its vowel marks, after an Arabic word and a Latin ligature.
        let text = "أحب بَايْثُون و ﬁ SQL، وبايثون";
        let found = vocabulary.find(text, &Reading::default());
        let slugs: Vec<(&str, &str)> = found
            .iter()
            .map(|m| (m.slug.as_str(), m.text.as_str()))
            .collect();
        assert_eq!(
            slugs,
            [("python", "بَايْثُون"), ("sql", "SQL")],
            "not inside وبايثون"
        );
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let first = &found[0];
        assert_eq!(
            String::from_utf16_lossy(&utf16[first.start..first.end]),
            "بَايْثُون"
        );
    }
}
