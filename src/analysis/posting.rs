//! A job ad in, a learning plan out: what a posting mentions, which roles it is closest to,
//! and what a person lacks for the best of them.
//!
//! The posting's **needs** are the distinct skills, languages, frameworks and tools it
//! mentions, each counted essential (an ad lists what it requires); its closest roles are
//! ranked by the same weighted Jaccard similarity as [`super::related`], leaving out roles
//! that share nothing with it. The gap and the learning path are those of a person who has
//! `have` against the closest role.

use std::collections::HashSet;

use entity::Importance;

use super::gap::{Gap, Have, skill_gap};
use super::index::GraphIndex;
use super::mentions::Mention;
use super::needs::Need;
use super::path::{LearningPath, learning_path};
use super::related::{Related, nearest};
use super::spoken::Reading;
use crate::graph::Kind;

/// What a posting asks, and what it means for a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Posting {
    pub mentions: Vec<Mention>,
    /// The distinct nodes mentioned (roles aside), in the order first mentioned.
    pub needs: Vec<Need>,
    /// The closest roles, closest first.
    pub roles: Vec<Related>,
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
    let mentions = index
        .vocabulary
        .as_ref()
        .map(|vocabulary| vocabulary.find(text, reading))
        .unwrap_or_default();
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
    let roles = nearest(index, &needs, None, first.max(1));
    let best = roles.first().map(|role| role.slug.clone());
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
