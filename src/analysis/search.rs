//! Ranked search across every kind of node, fast enough to run on each keystroke.
//!
//! A query and every label (name, alias, hidden label, in every locale) are compared after
//! the same normalisation: trimmed, folded ([`super::fold`]: case folded, accents off,
//! compatibility forms normalised), runs of white space made one space. A search matches the
//! labels of the request's locales (every locale's when asked, see [`Reading`]), and a node
//! is found by the best of those, in this order of **ranks**:
//!
//! 1. `EXACT`: the query is the node's slug or name (in a locale searched);
//! 2. `PREFIX`: it begins the name;
//! 3. `ALIAS`: it is an alias or begins one;
//! 4. `WORD_PREFIX`: it begins a later word of the name or an alias (`js` in `Node.js`,
//!    `opt` in `Query Optimization`);
//! 5. `SUBSTRING`: it appears anywhere in a label;
//! 6. `TYPO`: a label begins with something within a small number of edits of it (an edit is
//!    an inserted, deleted or replaced character, or two neighbours swapped): one edit for
//!    queries of 5 to 8 characters, two from 9; shorter queries must be typed right.
//!
//! Within a rank: fewer edits first, then the whole label typed (`Java` before `JavaScript`
//! for `java` among aliases), then the better-connected node (the more edges it has in the
//! graph: a skill many roles need before a rare one), then the shorter label, then by name,
//! kind and slug, so the order is total and stable.
//!
//! Everything is prepared when the index is built: a sorted array of every word start of
//! every label (its prefix ranges answer ranks 2 to 4 by binary search, and its shared
//! prefixes let the typo walk reuse rows of its edit-distance table from one label to the
//! next), one text of all labels for `memchr`'s substring search, and a static order of the
//! labels for the ties. The later ranks are only computed when the earlier ones found fewer
//! nodes than asked. The hits of one- to three-letter queries, the most asked and the
//! longest to rank, are remembered with the index (which is rebuilt when the catalog changes).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use memchr::memmem;

use super::fold::fold;
use super::spoken::{LabelEntry, LocaleTable, Reading};
use crate::graph::Kind;

/// Why a node was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchedBy {
    Exact,
    Prefix,
    Alias,
    WordPrefix,
    Substring,
    Typo,
}

/// A node found by a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub slug: String,
    /// The node's name in the first locale of the reading's chain that has one.
    pub name: String,
    /// The locale of `name`.
    pub name_locale: String,
    pub matched_by: MatchedBy,
    /// The label (or slug) that matched, as written; for a hidden label, the node's name in
    /// the label's locale (hidden labels are never shown).
    pub matched: String,
    /// The locale of the label that matched (the catalog's for a slug).
    pub locale: String,
    /// Edits between the query and the label's beginning (`TYPO` only; 0 otherwise).
    pub distance: u8,
}

/// The longest query, in characters; longer ones are refused by the API.
pub const LONGEST_QUERY: usize = 256;

/// A piece of one of the index's texts: where it starts and how many bytes it has.
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    at: u32,
    len: u32,
}

impl Span {
    /// Appends `piece` to `text` and says where it is.
    fn push(text: &mut String, piece: &str) -> Self {
        let at = u32::try_from(text.len()).unwrap_or(u32::MAX);
        text.push_str(piece);
        Span {
            at,
            len: u32::try_from(piece.len()).unwrap_or(u32::MAX),
        }
    }

    fn of(self, text: &str) -> &str {
        let at = self.at as usize;
        text.get(at..at + self.len as usize).unwrap_or_default()
    }
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    slug: Box<str>,
    /// Left out of a search unless deprecated nodes are asked for.
    deprecated: bool,
    /// Its names, by locale: `(locale, label)`.
    names: Vec<(u16, u32)>,
}

/// One label, its texts as pieces of the index's two texts: at ESCO's size in 28 locales an
/// index holds some three million labels, and a string of its own for each of their two
/// texts would cost four times what the pieces cost.
#[derive(Debug)]
struct Label {
    node: u32,
    /// Normalised, in `SearchIndex::text`.
    text: Span,
    /// As written, in `SearchIndex::originals` (a hidden label: the node's name in its
    /// locale).
    original: Span,
    /// The characters of `text`.
    chars: u16,
    locale: u16,
    is_name: bool,
    /// Its place in the static order of ties.
    rank: u32,
}

/// The search index of one catalog revision.
#[derive(Debug, Default)]
pub struct SearchIndex {
    locales: LocaleTable,
    nodes: Vec<Node>,
    labels: Vec<Label>,
    /// The nodes, by slug.
    by_slug: Vec<u32>,
    /// Every word start of every label, `(label, byte offset)`, sorted by the text from there.
    starts: Vec<(u32, u32)>,
    /// For each entry of `starts`, how many characters it shares with the one before (at most
    /// 255).
    shared: Vec<u8>,
    /// Every normalised label, each after a `\n`, in the labels' order.
    text: String,
    /// Every label as written.
    originals: String,
    /// The best [`MOST_HITS`] hits of short queries (by query and kinds), kept once asked:
    /// a search box asks for the same few one- to three-letter prefixes over and over, and
    /// theirs are the longest candidate lists. The index is rebuilt when the catalog
    /// changes, and this with it.
    memo: Mutex<HashMap<MemoKey, Arc<Vec<Hit>>>>,
}

/// A remembered query: its normalised text, a bit per kind asked for, whether deprecated
/// nodes are, and the reading.
type MemoKey = (String, u8, bool, Reading);

/// The most hits one search returns.
pub const MOST_HITS: usize = 100;

/// Queries of at most this many characters are remembered.
const MEMO_QUERY: usize = 3;

/// The most remembered queries.
const MEMO_SIZE: usize = 10_000;

/// Trimmed, folded, one space between words.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let word = fold(word);
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

fn word_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut previous: Option<char> = None;
    text.char_indices().filter_map(move |(at, c)| {
        let starts =
            at == 0 || (c.is_alphanumeric() && !previous.is_some_and(char::is_alphanumeric));
        previous = Some(c);
        starts.then_some(at)
    })
}

fn shared_chars(a: &str, b: &str) -> u8 {
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    u8::try_from(shared).unwrap_or(u8::MAX)
}

/// The longest query, in characters, that typos are looked for in.
const TYPO_QUERY: usize = 64;

/// The most edits a query of `chars` characters tolerates.
fn tolerance(chars: usize) -> usize {
    match chars {
        5..=8 => 1,
        9..=TYPO_QUERY => 2,
        _ => 0,
    }
}

impl SearchIndex {
    /// The index of labels in `locales` (each with the number of edges of its node), every
    /// node's name in the catalog's locale among them.
    pub fn new<'a>(
        locales: LocaleTable,
        entries: impl Iterator<Item = (LabelEntry<'a>, usize)>,
    ) -> Self {
        let mut index = SearchIndex {
            locales,
            ..SearchIndex::default()
        };
        let mut node_of: HashMap<(Kind, &str), u32> = HashMap::new();
        let mut degrees: Vec<usize> = Vec::new();
        // The last name written, to write a hidden label's (the same) only once.
        let mut last_name: Option<(&str, Span)> = None;
        for (entry, degree) in entries {
            let text = normalise(entry.text);
            if text.is_empty() {
                continue;
            }
            let node = *node_of.entry((entry.kind, entry.slug)).or_insert_with(|| {
                index.nodes.push(Node {
                    kind: entry.kind,
                    slug: entry.slug.into(),
                    deprecated: entry.deprecated,
                    names: Vec::new(),
                });
                degrees.push(degree);
                u32::try_from(index.nodes.len() - 1).unwrap_or(u32::MAX)
            });
            let id = u32::try_from(index.labels.len()).unwrap_or(u32::MAX);
            let shown = if entry.hidden { entry.name } else { entry.text }.trim();
            let original = match last_name {
                Some((name, span)) if name == shown => span,
                _ => Span::push(&mut index.originals, shown),
            };
            if entry.is_name {
                index.nodes[node as usize].names.push((entry.locale, id));
                last_name = Some((shown, original));
            }
            index.text.push('\n');
            index.labels.push(Label {
                node,
                chars: u16::try_from(text.chars().count()).unwrap_or(u16::MAX),
                text: Span::push(&mut index.text, &text),
                original,
                is_name: entry.is_name,
                locale: entry.locale,
                rank: 0,
            });
        }
        // The static order of ties.
        let mut order: Vec<u32> = (0..index.labels.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&index.labels[a as usize], &index.labels[b as usize]);
            let (na, nb) = (&index.nodes[a.node as usize], &index.nodes[b.node as usize]);
            degrees[b.node as usize]
                .cmp(&degrees[a.node as usize])
                .then(a.chars.cmp(&b.chars))
                .then(index.own_name(na).cmp(index.own_name(nb)))
                .then(kind_rank(na.kind).cmp(&kind_rank(nb.kind)))
                .then(na.slug.cmp(&nb.slug))
                .then(b.is_name.cmp(&a.is_name))
                .then(a.text.of(&index.text).cmp(b.text.of(&index.text)))
        });
        for (rank, label) in order.into_iter().enumerate() {
            index.labels[label as usize].rank = u32::try_from(rank).unwrap_or(u32::MAX);
        }
        index.by_slug = (0..index.nodes.len() as u32).collect();
        let nodes = &index.nodes;
        index
            .by_slug
            .sort_by(|&a, &b| nodes[a as usize].slug.cmp(&nodes[b as usize].slug));
        for (id, label) in index.labels.iter().enumerate() {
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            for at in word_starts(label.text.of(&index.text)) {
                index
                    .starts
                    .push((id, u32::try_from(at).unwrap_or(u32::MAX)));
            }
        }
        let (labels, text) = (&index.labels, &index.text);
        let suffix =
            |&(label, at): &(u32, u32)| &labels[label as usize].text.of(text)[at as usize..];
        index
            .starts
            .sort_unstable_by(|a, b| suffix(a).cmp(suffix(b)).then(a.cmp(b)));
        index.shared = std::iter::once(0)
            .chain(
                index
                    .starts
                    .windows(2)
                    .map(|pair| shared_chars(suffix(&pair[0]), suffix(&pair[1]))),
            )
            .collect();
        index.starts.shrink_to_fit();
        index.labels.shrink_to_fit();
        index.text.shrink_to_fit();
        index.originals.shrink_to_fit();
        index
    }

    fn suffix(&self, (label, at): (u32, u32)) -> &str {
        &self.labels[label as usize].text.of(&self.text)[at as usize..]
    }

    /// A label as written.
    fn original(&self, label: &Label) -> &str {
        label.original.of(&self.originals)
    }

    /// A node's name in the catalog's locale.
    fn own_name(&self, node: &Node) -> &str {
        node.names
            .iter()
            .find(|(locale, _)| *locale == 0)
            .map_or("", |&(_, label)| {
                self.original(&self.labels[label as usize])
            })
    }

    /// The heap memory of the index, in bytes (its tables; the memo of short queries aside).
    pub fn memory_usage(&self) -> usize {
        use std::mem::size_of;
        let nodes: usize = self
            .nodes
            .iter()
            .map(|node| node.slug.len() + node.names.capacity() * size_of::<(u16, u32)>())
            .sum();
        nodes
            + self.nodes.capacity() * size_of::<Node>()
            + self.labels.capacity() * size_of::<Label>()
            + self.by_slug.capacity() * size_of::<u32>()
            + self.starts.capacity() * size_of::<(u32, u32)>()
            + self.shared.capacity()
            + self.text.capacity()
            + self.originals.capacity()
    }

    /// The table of the locales of the index's labels.
    pub fn locales(&self) -> &LocaleTable {
        &self.locales
    }

    /// The `first` nodes (at most [`MOST_HITS`]) that best match `query`, of the given kinds
    /// (all if empty), deprecated ones too with `deprecated`, by the labels of the locales
    /// `reading` matches.
    pub fn search(
        &self,
        query: &str,
        kinds: &[Kind],
        deprecated: bool,
        first: usize,
        reading: &Reading,
    ) -> Vec<Hit> {
        let query = normalise(query);
        let first = first.min(MOST_HITS);
        if query.is_empty() || first == 0 {
            return Vec::new();
        }
        let asked = Asked {
            kinds,
            deprecated,
            reading,
        };
        if query.chars().count() > MEMO_QUERY {
            return self.rank(&query, &asked, first);
        }
        let mask = kinds
            .iter()
            .map(|kind| 1u8 << kind_rank(*kind).min(7))
            .fold(0, |mask, bit| mask | bit);
        let key = (query, mask, deprecated, reading.clone());
        let remembered = self
            .memo
            .lock()
            .ok()
            .and_then(|memo| memo.get(&key).cloned());
        let hits = match remembered {
            Some(hits) => hits,
            None => {
                let hits = Arc::new(self.rank(&key.0, &asked, MOST_HITS));
                if let Ok(mut memo) = self.memo.lock()
                    && memo.len() < MEMO_SIZE
                {
                    memo.insert(key, hits.clone());
                }
                hits
            }
        };
        hits.iter().take(first).cloned().collect()
    }

    /// The `first` nodes that best match the normalised `query`.
    fn rank(&self, query: &str, asked: &Asked, first: usize) -> Vec<Hit> {
        let of_kind = |node: u32| asked.node(&self.nodes[node as usize]);
        let allowed = |label: &Label| of_kind(label.node) && asked.reading.matches(label.locale);
        let chars: Vec<char> = query.chars().collect();
        let mut found = Candidates::new(chars.len());

        // 1. The slug.
        let from = self
            .by_slug
            .partition_point(|&n| &*self.nodes[n as usize].slug < query);
        for &node in self.by_slug[from..]
            .iter()
            .take_while(|&&n| &*self.nodes[n as usize].slug == query)
        {
            if of_kind(node) {
                found.add(self, MatchedBy::Exact, 0, u32::MAX, node);
            }
        }
        // 1-4. Labels and their words that begin with the query: a whole name is exact.
        let from = self.starts.partition_point(|&s| self.suffix(s) < query);
        let to = from + self.starts[from..].partition_point(|&s| self.suffix(s).starts_with(query));
        for &(label, at) in &self.starts[from..to] {
            let l = &self.labels[label as usize];
            if !allowed(l) {
                continue;
            }
            let by = match (at, l.is_name) {
                (0, true) if l.text.len as usize == query.len() => MatchedBy::Exact,
                (0, true) => MatchedBy::Prefix,
                (0, false) => MatchedBy::Alias,
                _ => MatchedBy::WordPrefix,
            };
            found.add(self, by, 0, label, l.node);
        }
        // 5. Anywhere in a label, one hit per label at most.
        if found.nodes.len() < first {
            let finder = memmem::Finder::new(query.as_bytes());
            let text = self.text.as_bytes();
            let mut at = 0;
            while let Some(offset) = finder.find(&text[at..]) {
                let label = self
                    .labels
                    .partition_point(|l| l.text.at as usize <= at + offset)
                    - 1;
                let l = &self.labels[label];
                if allowed(l) {
                    found.add(self, MatchedBy::Substring, 0, label as u32, l.node);
                }
                at = (l.text.at + l.text.len) as usize;
            }
        }
        // 6. Labels that begin within a few edits of the query.
        let most = tolerance(chars.len());
        if found.nodes.len() < first && most > 0 {
            for (entry, distance) in self.near(&chars, most) {
                let (label, _) = self.starts[entry];
                let l = &self.labels[label as usize];
                if allowed(l) {
                    found.add(self, MatchedBy::Typo, distance, label, l.node);
                }
            }
        }
        found.best(self, first, asked.reading)
    }

    /// The entries of `starts` whose text begins within `most` edits of `query` (optimal
    /// string alignment distance of the query to some prefix), with that distance.
    ///
    /// One walk over the sorted entries, as over a trie: row `d` of the table holds the
    /// distances between the first `d` characters of the entry and each prefix of the query;
    /// an entry keeps the rows of the characters it shares with the one before, and a prefix
    /// from which no row can come back within `most` is skipped with everything under it.
    fn near(&self, query: &[char], most: usize) -> Vec<(usize, u8)> {
        let m = query.len();
        let deepest = m + most;
        let width = m + 1;
        let mut rows = vec![0u8; (deepest + 1) * width];
        for (j, cell) in rows[..width].iter_mut().enumerate() {
            *cell = u8::try_from(j).unwrap_or(u8::MAX);
        }
        let mut letters = vec!['\0'; deepest + 1];
        // best[d]: the least distance of the query to a prefix of length ≤ d.
        let mut best = vec![u8::MAX; deepest + 1];
        best[0] = u8::try_from(m).unwrap_or(u8::MAX);
        let most = u8::try_from(most).unwrap_or(u8::MAX);
        let row_min = |rows: &[u8], d: usize| {
            rows[d * width..(d + 1) * width]
                .iter()
                .copied()
                .min()
                .unwrap_or(u8::MAX)
        };
        let mut near = Vec::new();
        let mut depth = 0;
        let mut stopped: Option<usize> = None;
        for (entry, &start) in self.starts.iter().enumerate() {
            let shared = usize::from(self.shared[entry]);
            depth = depth.min(shared);
            if let Some(at) = stopped {
                if shared >= at {
                    if best[at] <= most {
                        near.push((entry, best[at]));
                    }
                    continue;
                }
                stopped = None;
            }
            for c in self.suffix(start).chars().skip(depth) {
                if depth == deepest {
                    break;
                }
                let d = depth + 1;
                letters[d] = c;
                rows[d * width] = u8::try_from(d).unwrap_or(u8::MAX);
                for j in 1..width {
                    let replace =
                        rows[(d - 1) * width + j - 1].saturating_add(u8::from(query[j - 1] != c));
                    let delete = rows[(d - 1) * width + j].saturating_add(1);
                    let insert = rows[d * width + j - 1].saturating_add(1);
                    let mut cell = replace.min(delete).min(insert);
                    if d >= 2 && j >= 2 && query[j - 1] == letters[d - 1] && query[j - 2] == c {
                        cell = cell.min(rows[(d - 2) * width + j - 2].saturating_add(1));
                    }
                    rows[d * width + j] = cell;
                }
                best[d] = best[d - 1].min(rows[d * width + m]);
                depth = d;
                let hopeless = row_min(&rows, d) > most && row_min(&rows, d - 1) >= most;
                if hopeless {
                    stopped = Some(d);
                    break;
                }
            }
            if depth == deepest && stopped.is_none() {
                stopped = Some(depth);
            }
            if best[depth] <= most {
                near.push((entry, best[depth]));
            }
        }
        near
    }
}

fn kind_rank(kind: Kind) -> usize {
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// What a search asks for besides its text.
struct Asked<'a> {
    /// The kinds of nodes (all if empty).
    kinds: &'a [Kind],
    /// Whether deprecated nodes are found.
    deprecated: bool,
    reading: &'a Reading,
}

impl Asked<'_> {
    /// Whether `node` may be found.
    fn node(&self, node: &Node) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&node.kind))
            && (self.deprecated || !node.deprecated)
    }
}

/// `(matched by, distance, not the whole label, label rank)`: a candidate's place.
type CandidateKey = (MatchedBy, u8, bool, u32);

/// The candidates so far: each with its sort key.
struct Candidates {
    query_chars: usize,
    /// `(matched by, distance, not the whole label, label rank)`, the label (`u32::MAX`: the
    /// slug) and the node.
    candidates: Vec<(CandidateKey, u32, u32)>,
    nodes: HashSet<u32>,
}

impl Candidates {
    fn new(query_chars: usize) -> Self {
        Candidates {
            query_chars,
            candidates: Vec::new(),
            nodes: HashSet::new(),
        }
    }

    fn add(&mut self, index: &SearchIndex, by: MatchedBy, distance: u8, label: u32, node: u32) {
        let (partial, rank) = match index.labels.get(label as usize) {
            Some(l) => (
                by != MatchedBy::Exact && usize::from(l.chars) != self.query_chars,
                l.rank,
            ),
            None => (false, u32::MAX),
        };
        self.candidates
            .push(((by, distance, partial, rank), label, node));
        self.nodes.insert(node);
    }

    fn best(mut self, index: &SearchIndex, first: usize, reading: &Reading) -> Vec<Hit> {
        // A node may be a candidate by several labels: sorting a few times `first` of the
        // best is enough when they hold `first` nodes; otherwise sort all.
        let enough = first.saturating_mul(4);
        let sorted = if self.candidates.len() > enough {
            self.candidates.select_nth_unstable(enough);
            self.candidates[..enough].sort_unstable();
            let distinct: HashSet<u32> = self.candidates[..enough].iter().map(|c| c.2).collect();
            distinct.len() >= first
        } else {
            false
        };
        if !sorted {
            self.candidates.sort_unstable();
        }
        let mut seen = HashSet::new();
        let mut hits = Vec::new();
        for ((by, distance, _, _), label, node) in self.candidates {
            if hits.len() == first {
                break;
            }
            if !seen.insert(node) {
                continue;
            }
            let n = &index.nodes[node as usize];
            let (name_locale, name) = reading
                .chain()
                .iter()
                .find_map(|locale| n.names.iter().find(|(l, _)| l == locale))
                .map_or((0, ""), |&(locale, label)| {
                    (locale, index.original(&index.labels[label as usize]))
                });
            let matched = index.labels.get(label as usize);
            hits.push(Hit {
                kind: n.kind,
                slug: n.slug.to_string(),
                name: name.to_owned(),
                name_locale: index.locales.tag(name_locale).to_owned(),
                matched_by: by,
                matched: matched
                    .map_or_else(|| n.slug.to_string(), |l| index.original(l).to_owned()),
                locale: index
                    .locales
                    .tag(matched.map_or(0, |l| l.locale))
                    .to_owned(),
                distance,
            });
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        (kind, slug, text, is_name, degree): (Kind, &'static str, &'static str, bool, usize),
    ) -> (LabelEntry<'static>, usize) {
        (LabelEntry::own(kind, slug, text, is_name), degree)
    }

    fn index() -> SearchIndex {
        SearchIndex::new(
            LocaleTable::default(),
            [
                (Kind::Language, "javascript", "JavaScript", true, 9),
                (Kind::Language, "javascript", "JS", false, 9),
                (Kind::Language, "java", "Java", true, 5),
                (Kind::Framework, "nodejs", "Node.js", true, 4),
                (Kind::Tool, "postgresql", "PostgreSQL", true, 6),
                (Kind::Tool, "postgresql", "Postgres", false, 6),
                (Kind::Framework, "django", "Django", true, 3),
                (
                    Kind::Skill,
                    "query-optimization",
                    "Query Optimization",
                    true,
                    2,
                ),
                (
                    Kind::Role,
                    "backend-developer",
                    "Backend Developer",
                    true,
                    30,
                ),
            ]
            .into_iter()
            .map(entry),
        )
    }

    fn found(query: &str) -> Vec<(String, MatchedBy, u8)> {
        index()
            .search(query, &[], false, 10, &Reading::default())
            .into_iter()
            .map(|hit| (hit.slug, hit.matched_by, hit.distance))
            .collect()
    }

    #[test]
    fn ranks_in_order() {
        use MatchedBy::*;
        assert_eq!(
            found("java"),
            [("java".into(), Exact, 0), ("javascript".into(), Prefix, 0)]
        );
        assert_eq!(
            found("js"),
            [
                ("javascript".into(), Alias, 0),
                ("nodejs".into(), WordPrefix, 0)
            ]
        );
        assert_eq!(found("postgres")[0], ("postgresql".into(), Prefix, 0));
        assert_eq!(found("opt"), [("query-optimization".into(), WordPrefix, 0)]);
        assert_eq!(
            found("ackend"),
            [("backend-developer".into(), Substring, 0)]
        );
        assert_eq!(found("dajngo"), [("django".into(), Typo, 1)]);
        assert_eq!(found("javscript"), [("javascript".into(), Typo, 1)]);
        assert_eq!(found("postgress")[0], ("postgresql".into(), Typo, 1));
        assert_eq!(found("djang")[0].1, Prefix);
        assert!(found("djnago x").is_empty() || found("djnago x")[0].1 == Typo);
        assert!(found("zzzz").is_empty());
        assert_eq!(
            found("BACKEND-developer")[0],
            ("backend-developer".into(), Exact, 0)
        );
    }

    #[test]
    fn kinds_and_first() {
        let index = index();
        let hits = index.search("j", &[Kind::Framework], false, 10, &Reading::default());
        let slugs: Vec<&str> = hits.iter().map(|hit| hit.slug.as_str()).collect();
        assert_eq!(
            slugs,
            ["nodejs", "django"],
            "a word prefix before a substring"
        );
        assert_eq!(
            index.search("j", &[], false, 1, &Reading::default()).len(),
            1
        );
    }

    #[test]
    fn deprecated_nodes_only_when_asked() {
        let old = LabelEntry {
            deprecated: true,
            ..LabelEntry::own(Kind::Tool, "svn", "Subversion", true)
        };
        let index = SearchIndex::new(
            LocaleTable::default(),
            [
                (old, 1),
                (LabelEntry::own(Kind::Tool, "git", "Git", true), 9),
                (
                    LabelEntry::own(Kind::Tool, "git", "Subversion's successor", false),
                    9,
                ),
            ]
            .into_iter(),
        );
        let slugs = |deprecated| {
            index
                .search("subversion", &[], deprecated, 10, &Reading::default())
                .into_iter()
                .map(|hit| (hit.slug, hit.matched_by))
                .collect::<Vec<_>>()
        };
        assert_eq!(slugs(false), [("git".to_owned(), MatchedBy::Alias)]);
        assert_eq!(
            slugs(true),
            [
                ("svn".to_owned(), MatchedBy::Exact),
                ("git".to_owned(), MatchedBy::Alias)
            ]
        );
        // A short query is remembered, apart for each.
        let short = |deprecated| {
            index
                .search("sub", &[], deprecated, 10, &Reading::default())
                .len()
        };
        assert_eq!((short(false), short(true), short(false)), (1, 2, 1));
    }

    /// The walk finds what a plain distance over every label finds.
    #[test]
    fn the_walk_agrees_with_a_plain_scan() {
        let index = index();
        for query in [
            "javscript",
            "postgress",
            "dajngo",
            "qeury opt",
            "nodejss",
            "backnd dev",
        ] {
            let chars: Vec<char> = query.chars().collect();
            let most = tolerance(chars.len());
            let mut walked: Vec<(usize, u8)> = index.near(&chars, most);
            walked.sort();
            let mut plain = Vec::new();
            for (entry, &start) in index.starts.iter().enumerate() {
                let text: Vec<char> = index.suffix(start).chars().collect();
                let least = (0..=text.len().min(chars.len() + most))
                    .map(|len| osa(&chars, &text[..len]))
                    .min()
                    .unwrap_or(usize::MAX);
                if least <= most {
                    plain.push((entry, least as u8));
                }
            }
            assert_eq!(walked, plain, "{query}");
        }
    }

    fn osa(a: &[char], b: &[char]) -> usize {
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }
}
