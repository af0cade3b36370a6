//! Roles near each other, and roles that fit what a person has.
//!
//! **Similarity** of two roles is a weighted Jaccard index over their needs (skills,
//! languages, frameworks, tools, matched by kind and slug), a need weighing 2 when essential
//! and 1 when optional: Σ over shared needs of the smaller weight / Σ over all needs of either
//! of the larger weight. 1 for the same needs at the same importance, 0 for nothing shared.

use std::collections::HashMap;

use super::gap::{Gap, Have, skill_gap, weight};
use super::index::{GraphIndex, Need};
use crate::data::model::Kind;

/// A role near another, with what they share.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub slug: String,
    pub similarity: f64,
    /// The needs both roles name, in the other role's order.
    pub shared: Vec<Need>,
}

fn weights(needs: &[Need]) -> HashMap<(Kind, &str), f64> {
    needs
        .iter()
        .map(|need| ((need.kind, need.slug.as_str()), weight(need.importance)))
        .collect()
}

/// The `first` roles most similar to `role`, most similar first (ties by slug); empty if
/// there is no such role.
pub fn related(index: &GraphIndex, role: &str, first: usize) -> Vec<Related> {
    match index.roles.get(role) {
        Some(own) => nearest(index, &own.needs, Some(role), first),
        None => Vec::new(),
    }
}

/// The `first` roles (but `skip`) most similar to a set of needs, most similar first (ties
/// by slug); roles that share nothing are left out.
pub fn nearest(
    index: &GraphIndex,
    needs: &[Need],
    skip: Option<&str>,
    first: usize,
) -> Vec<Related> {
    let mine = weights(needs);
    let mut found: Vec<Related> = index
        .roles
        .iter()
        .filter(|(slug, _)| Some(slug.as_str()) != skip)
        .filter_map(|(slug, other)| {
            let theirs = weights(&other.needs);
            let (mut shared_weight, mut union) = (0.0, 0.0);
            for (key, w) in &mine {
                match theirs.get(key) {
                    Some(t) => {
                        shared_weight += w.min(*t);
                        union += w.max(*t);
                    }
                    None => union += w,
                }
            }
            union += theirs
                .iter()
                .filter(|(key, _)| !mine.contains_key(*key))
                .map(|(_, w)| w)
                .sum::<f64>();
            let shared: Vec<Need> = other
                .needs
                .iter()
                .filter(|need| mine.contains_key(&(need.kind, need.slug.as_str())))
                .cloned()
                .collect();
            (skip.is_some() || !shared.is_empty()).then(|| Related {
                slug: slug.clone(),
                similarity: if union > 0.0 {
                    shared_weight / union
                } else {
                    0.0
                },
                shared,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    found.truncate(first);
    found
}

/// How a role fits a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub gap: Gap,
    /// The essential needs the person does not hold at all.
    pub missing_essentials: usize,
}

/// The `first` roles that fit `have` best: highest coverage first, then fewer missing
/// essentials, then by slug.
pub fn recommend(index: &GraphIndex, have: &[Have], first: usize) -> Vec<Fit> {
    let mut fits: Vec<Fit> = index
        .roles
        .keys()
        .filter_map(|role| skill_gap(index, role, have))
        .map(|gap| Fit {
            missing_essentials: gap
                .missing
                .iter()
                .filter(|item| item.need.importance == entity::Importance::Essential)
                .count(),
            gap,
        })
        .collect();
    fits.sort_by(|a, b| {
        b.gap
            .coverage
            .total_cmp(&a.gap.coverage)
            .then_with(|| a.missing_essentials.cmp(&b.missing_essentials))
            .then_with(|| a.gap.role.cmp(&b.gap.role))
    });
    fits.truncate(first);
    fits
}

/// The gap between two roles, for a career move: what `to` needs that `from` does not
/// (`from`'s skills held at the levels `from` asks). `None` if either role does not exist.
pub fn role_gap(index: &GraphIndex, from: &str, to: &str) -> Option<Gap> {
    let from = index.roles.get(from)?;
    let have: Vec<Have> = from
        .needs
        .iter()
        .map(|need| Have {
            slug: need.slug.clone(),
            level: need.level,
        })
        .collect();
    skill_gap(index, to, &have)
}
