//! The locales of the index's labels: every label a search or an extraction can match is of
//! one locale (a node's own text of the catalog's, `en`; a translation or a hidden label of
//! its own), and a request matches those of its locales, or of all.

use crate::graph::Kind;
use crate::graph::locales::CATALOG;

/// The locales the index holds labels in, each by a small number; the catalog's is 0.
#[derive(Clone, Debug)]
pub struct LocaleTable {
    tags: Vec<String>,
}

impl Default for LocaleTable {
    fn default() -> Self {
        LocaleTable {
            tags: vec![CATALOG.to_owned()],
        }
    }
}

impl LocaleTable {
    /// The number of `tag`, given one if it has none yet.
    pub fn intern(&mut self, tag: &str) -> u16 {
        match self.find(tag) {
            Some(id) => id,
            None => {
                self.tags.push(tag.to_owned());
                u16::try_from(self.tags.len() - 1).unwrap_or(u16::MAX)
            }
        }
    }

    pub fn find(&self, tag: &str) -> Option<u16> {
        self.tags
            .iter()
            .position(|known| known == tag)
            .and_then(|at| u16::try_from(at).ok())
    }

    pub fn tag(&self, id: u16) -> &str {
        self.tags
            .get(usize::from(id))
            .map_or(CATALOG, String::as_str)
    }
}

/// What a search or an extraction reads: the locales whose labels match (`None`: every
/// locale's), and the chain a hit's name is read along (the catalog's locale last).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reading {
    matched: Option<Vec<u16>>,
    chain: Vec<u16>,
}

impl Default for Reading {
    /// The catalog's locale alone.
    fn default() -> Self {
        Reading {
            matched: Some(vec![0]),
            chain: vec![0],
        }
    }
}

impl Reading {
    /// The reading of a request whose locales are `chain` (tags, the catalog's last), that
    /// matches labels of the chain's locales, or of all with `every_locale`. Tags the index
    /// holds no label in are left out.
    pub fn new(table: &LocaleTable, chain: &[String], every_locale: bool) -> Self {
        let mut ids: Vec<u16> = chain.iter().filter_map(|tag| table.find(tag)).collect();
        if !ids.contains(&0) {
            ids.push(0);
        }
        let mut matched = ids.clone();
        matched.sort_unstable();
        matched.dedup();
        Reading {
            matched: (!every_locale).then_some(matched),
            chain: ids,
        }
    }

    /// Whether labels of `locale` match.
    pub fn matches(&self, locale: u16) -> bool {
        self.matched
            .as_ref()
            .is_none_or(|matched| matched.binary_search(&locale).is_ok())
    }

    /// Where `locale` is in the chain (after it when not in it): of two labels of a node that
    /// match, the one of the locale the request prefers is reported.
    pub fn preference(&self, locale: u16) -> usize {
        self.chain
            .iter()
            .position(|l| *l == locale)
            .unwrap_or(self.chain.len())
    }

    /// The locales a hit's name is read in, in order.
    pub fn chain(&self) -> &[u16] {
        &self.chain
    }
}

/// One label of a node, as the search index and the vocabulary take it.
#[derive(Clone, Copy, Debug)]
pub struct LabelEntry<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub text: &'a str,
    /// The node's name in `locale` (shown for a hidden label, which is never shown).
    pub name: &'a str,
    pub is_name: bool,
    /// A hidden label: matched, never shown.
    pub hidden: bool,
    pub locale: u16,
    /// A deprecated node's: searched only when deprecated nodes are asked for.
    pub deprecated: bool,
}

impl<'a> LabelEntry<'a> {
    /// A node's own name or alias, in the catalog's locale.
    pub fn own(kind: Kind, slug: &'a str, text: &'a str, is_name: bool) -> Self {
        LabelEntry {
            kind,
            slug,
            text,
            name: text,
            is_name,
            hidden: false,
            locale: 0,
            deprecated: false,
        }
    }
}
