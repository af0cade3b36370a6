//! A job ad in, a learning plan out: what a posting mentions, which roles it is closest to,
//! and what a person lacks for the best of them.
//!
//! The posting's **needs** are the distinct skills, languages, frameworks and tools it
//! mentions, each counted essential (an ad lists what it requires); its closest roles are
//! ranked by [`super::matching`]'s posting score (how much of the posting each accounts for,
//! how much of each it names, and whether it names the role), leaving out roles that meet
//! none of it. The gap and the learning path are those of a person who has `have` against the
//! closest role.

use std::collections::{HashMap, HashSet};

use entity::Importance;

use super::confidence;
use super::gap::{Gap, Have, skill_gap};
use super::index::GraphIndex;
use super::matching::{self, Ask, RoleMatch};
use super::mentions::Mention;
use super::needs::Need;
use super::path::{LearningPath, learning_path};
use super::spoken::Reading;
use crate::graph::Kind;

/// What a posting asks, and what it means for a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Posting {
    /// The mentions at the default confidence threshold or above.
    pub mentions: Vec<Mention>,
    /// The distinct nodes mentioned (roles aside), in the order first mentioned.
    pub needs: Vec<Need>,
    /// The closest roles, closest first.
    pub roles: Vec<RoleMatch>,
    /// The gap of the person against the closest role.
    pub gap: Option<Gap>,
    /// The learning path of the person to the closest role.
    pub path: Option<LearningPath>,
}

/// The analysis of `text` for a person who has `have`, with the `first` closest roles; the
/// text is read in the locales of `reading`.
pub fn analyze(
    index: &GraphIndex,
    text: &str,
    have: &[Have],
    first: usize,
    reading: &Reading,
) -> Posting {
    let mut mentions = index
        .vocabulary
        .as_ref()
        .map(|vocabulary| vocabulary.find(text, reading))
        .unwrap_or_default();
    mentions.retain(|m| m.confidence >= confidence::DEFAULT_THRESHOLD);
    let mut seen = HashSet::new();
    let needs: Vec<Need> = mentions
        .iter()
        .filter(|m| m.kind != Kind::Role && seen.insert((m.kind, m.slug.as_str())))
        .map(|m| Need {
            kind: m.kind,
            slug: m.slug.clone(),
            importance: Importance::Essential,
            level: None,
        })
        .collect();
    // Each need, with the other nodes of its kind that the words mentioning it may mean.
    let at: HashMap<(Kind, &str), usize> = needs
        .iter()
        .enumerate()
        .map(|(i, need)| ((need.kind, need.slug.as_str()), i))
        .collect();
    let mut words: Vec<HashSet<&str>> = vec![HashSet::new(); needs.len()];
    for m in &mentions {
        if let Some(&i) = at.get(&(m.kind, m.slug.as_str())) {
            words[i].insert(&m.text);
        }
    }
    let asks: Vec<Ask> = needs
        .iter()
        .zip(&words)
        .map(|(need, words)| {
            let mut also: Vec<String> = words
                .iter()
                .flat_map(|text| {
                    index
                        .vocabulary
                        .as_ref()
                        .map_or_else(Vec::new, |vocabulary| {
                            vocabulary.all_named(text, need.kind, reading)
                        })
                })
                .filter(|slug| *slug != need.slug)
                .collect();
            also.sort();
            also.dedup();
            Ask {
                kind: Some(need.kind),
                slug: need.slug.clone(),
                level: None,
                also,
            }
        })
        .collect();
    // Every role the text names: each role mention's, and any other role of the same label.
    let mut titled: Vec<String> = mentions
        .iter()
        .filter(|m| m.kind == Kind::Role)
        .flat_map(|m| {
            let others = index
                .vocabulary
                .as_ref()
                .map_or_else(Vec::new, |vocabulary| {
                    vocabulary.all_named(&m.text, Kind::Role, reading)
                });
            others.into_iter().chain(std::iter::once(m.slug.clone()))
        })
        .collect();
    titled.sort();
    titled.dedup();
    let roles = matching::rank(
        index,
        &asks,
        &titled,
        matching::POSTING,
        first.max(1),
        false,
    );
    let best = roles.first().map(|role| role.role.clone());
    let gap = best
        .as_deref()
        .and_then(|role| skill_gap(index, role, have));
    let path = best
        .as_deref()
        .and_then(|role| learning_path(index, role, have));
    let roles = roles.into_iter().take(first).collect();
    Posting {
        mentions,
        needs,
        roles,
        gap,
        path,
    }
}
