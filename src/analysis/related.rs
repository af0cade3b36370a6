//! Roles near each other, and roles that fit what a person has.
//!
//! **Similarity** of two roles is a weighted Jaccard index over their needs (skills,
//! languages, frameworks, tools, matched by kind and slug), a need weighing 2 when essential
//! and 1 when optional: Σ over shared needs of the smaller weight / Σ over all needs of either
//! of the larger weight. 1 for the same needs at the same importance, 0 for nothing shared.

use std::collections::HashMap;

use super::gap::{Gap, Have, credit, skill_gap};
use super::index::GraphIndex;
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
    // Σ over shared needs of the smaller weight, per role.
    let mut shared_weight: HashMap<u32, f64> = HashMap::new();
    for ((kind, slug), w) in &mine {
        for posting in postings.of(*kind, slug) {
            *shared_weight.entry(posting.role).or_default() += w.min(posting.weight);
        }
    }
    let similarity = |role: u32, shared: f64| {
        let union = my_total + postings.totals[role as usize].0 - shared;
        if union > 0.0 { shared / union } else { 0.0 }
    };
    let skipped = |role: u32| Some(postings.roles[role as usize].as_str()) == skip;
    let mut ranked: Vec<(f64, u32)> = shared_weight
        .iter()
        .filter(|(role, _)| !skipped(**role))
        .map(|(role, shared)| (similarity(*role, *shared), *role))
        .collect();
    if skip.is_some() && ranked.len() < first {
        // Roles that share nothing, by slug, after those that share something.
        let zero = (0..postings.roles.len() as u32)
            .filter(|role| !shared_weight.contains_key(role) && !skipped(*role))
            .take(first - ranked.len())
            .map(|role| (0.0, role));
        ranked.extend(zero.collect::<Vec<_>>());
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
}

/// The `first` roles that fit `have` best: highest coverage first, then fewer missing
/// essentials, then by slug.
///
/// Every role is scored from the inverted index (the roles that need each thing held); the
/// gaps are then computed in full for the best ones only, and ranked by those exact figures.
pub fn recommend(index: &GraphIndex, have: &[Have], first: usize) -> Vec<Fit> {
    let postings = &index.postings;
    let (have, _) = super::gap::follow(index, have);
    let held: HashMap<&str, Option<entity::Proficiency>> = have
        .iter()
        .map(|have| (have.slug.as_str(), have.level))
        .collect();
    let mut earned = vec![0.0; postings.roles.len()];
    let mut essentials_held = vec![0usize; postings.roles.len()];
    for (slug, level) in &held {
        for kind in Kind::ALL {
            for posting in postings.of(*kind, slug) {
                let need = index
                    .roles
                    .get(&postings.roles[posting.role as usize])
                    .and_then(|role| role.needs.get(posting.need as usize));
                let Some(need) = need else {
                    continue;
                };
                earned[posting.role as usize] += posting.weight * credit(need, Some(*level));
                if need.importance == entity::Importance::Essential {
                    essentials_held[posting.role as usize] += 1;
                }
            }
        }
    }
    let mut scored: Vec<(f64, usize, usize)> = (0..postings.roles.len())
        .map(|role| {
            let (total, essentials) = postings.totals[role];
            let coverage = if total > 0.0 {
                earned[role] / total
            } else {
                1.0
            };
            (
                coverage,
                essentials.saturating_sub(essentials_held[role]),
                role,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // The exact gaps of the best, and of any role whose score is within rounding of the last
    // one taken, so that rounding cannot change the order.
    let cutoff = scored
        .get(first.saturating_sub(1))
        .map_or(f64::INFINITY, |s| s.0);
    let mut fits: Vec<Fit> = scored
        .iter()
        .enumerate()
        .take_while(|(at, s)| *at < first || s.0 >= cutoff - 1e-9)
        .filter_map(|(_, s)| skill_gap(index, &postings.roles[s.2], &have))
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
