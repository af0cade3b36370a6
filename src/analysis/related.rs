//! Roles near each other, and roles that fit what a person has.
//!
//! **Similarity** of two roles is a weighted Jaccard index over their needs (skills,
//! languages, frameworks, tools, matched by kind and slug), a need weighing 2 when essential
//! and 1 when optional: Σ over shared needs of the smaller weight / Σ over all needs of either
//! of the larger weight. 1 for the same needs at the same importance, 0 for nothing shared.

use std::collections::HashMap;

use super::gap::{Gap, Have, skill_gap};
use super::index::GraphIndex;
use super::matching::{self, Ask, RoleMatch};
use super::needs::{Need, weight};
use crate::graph::Kind;

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
/// by slug). With `skip` (a role's related roles) roles that share nothing fill the list up
/// at similarity 0; without it (a posting's closest roles) they are left out.
pub fn nearest(
    index: &GraphIndex,
    needs: &[Need],
    skip: Option<&str>,
    first: usize,
) -> Vec<Related> {
    let postings = &index.postings;
    let mine = weights(needs);
    let my_total: f64 = mine.values().sum();
    // Σ over shared needs of the smaller weight, per role, in an array by role number.
    let mut shared_weight: Vec<f64> = vec![0.0; postings.roles.len()];
    let mut touched: Vec<u32> = Vec::new();
    for ((kind, slug), w) in &mine {
        for posting in postings.of(*kind, slug) {
            if let Some(shared) = shared_weight.get_mut(posting.role as usize) {
                if *shared == 0.0 {
                    touched.push(posting.role);
                }
                *shared += w.min(posting.weight);
            }
        }
    }
    let similarity = |role: u32, shared: f64| {
        let union = my_total + postings.totals[role as usize].0 - shared;
        if union > 0.0 { shared / union } else { 0.0 }
    };
    let skipped = |role: u32| Some(postings.roles[role as usize].as_str()) == skip;
    let mut ranked: Vec<(f64, u32)> = touched
        .iter()
        .filter(|role| !skipped(**role))
        .map(|&role| (similarity(role, shared_weight[role as usize]), role))
        .collect();
    if skip.is_some() && ranked.len() < first {
        // Roles that share nothing, by slug, after those that share something.
        let zero = (0..postings.roles.len() as u32)
            .filter(|role| shared_weight[*role as usize] == 0.0 && !skipped(*role))
            .take(first - ranked.len())
            .map(|role| (0.0, role));
        ranked.extend(zero.collect::<Vec<_>>());
    }
    let order = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1));
    if first < ranked.len() {
        ranked.select_nth_unstable_by(first, order);
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked.truncate(first);
    ranked
        .into_iter()
        .map(|(similarity, role)| {
            let slug = postings.roles[role as usize].clone();
            let shared = index
                .roles
                .get(&slug)
                .map(|other| {
                    other
                        .needs
                        .iter()
                        .filter(|need| mine.contains_key(&(need.kind, need.slug.as_str())))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            Related {
                slug,
                similarity,
                shared,
            }
        })
        .collect()
}

/// How a role fits a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub gap: Gap,
    /// The essential needs the person does not hold at all.
    pub missing_essentials: usize,
    /// The role's score for the person, and why.
    pub matching: RoleMatch,
}

/// The `first` roles that fit `have` best, by [`super::matching`]'s person score (how much of
/// what the person has each role uses, and how much of each they cover), then by slug; roles
/// the person meets nothing of fill the list up, by slug.
pub fn recommend(index: &GraphIndex, have: &[Have], first: usize) -> Vec<Fit> {
    let (have, _) = super::gap::follow(index, have);
    // One ask a slug that names a node, at the level of its last entry (as the gap reads
    // `have`).
    let mut asks: Vec<Ask> = Vec::with_capacity(have.len());
    let mut at: HashMap<&str, usize> = HashMap::new();
    for entry in have.iter().filter(|entry| index.knows(&entry.slug)) {
        match at.get(entry.slug.as_str()) {
            Some(&i) => asks[i].level = entry.level,
            None => {
                at.insert(&entry.slug, asks.len());
                asks.push(Ask {
                    kind: None,
                    slug: entry.slug.clone(),
                    level: entry.level,
                    also: Vec::new(),
                });
            }
        }
    }
    matching::rank(index, &asks, &[], matching::PERSON, first, true)
        .into_iter()
        .filter_map(|matching| {
            let gap = skill_gap(index, &matching.role, &have)?;
            Some(Fit {
                missing_essentials: gap
                    .missing
                    .iter()
                    .filter(|item| item.need.importance == entity::Importance::Essential)
                    .count(),
                gap,
                matching,
            })
        })
        .collect()
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
