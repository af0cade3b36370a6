//! The next skill worth learning: of the skills a person could learn now (every prerequisite
//! held), those that raise their coverage ([`super::gap`]) of the roles they aim at the most.
//!
//! A skill's **gain** for a role is what coverage rises by when the person learns it to the
//! level the role asks: the need's weight times the credit it lacks, over the role's total
//! weight. Its gain is the mean over the roles (the given ones, or else the roles that fit
//! the person best, [`super::recommend`]). A needed skill whose prerequisites are not all
//! held is not ready; its missing prerequisites that are ready are candidates too, with no
//! gain of their own but the skills they **unlock** (that wait for nothing else). Ranked by
//! gain, then by how much the skills they unlock would gain, then by the catalog's order.

use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{Importance, Proficiency};

use super::gap::{Have, credit, follow};
use super::index::GraphIndex;
use super::needs::weight;
use crate::graph::Kind;

/// The roles a next skill is ranked for when none are given.
pub const CLOSEST_ROLES: usize = 3;

/// What learning a skill gains for one role.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleGain {
    pub role: String,
    /// The rise of the person's coverage of the role, from 0 to 1.
    pub gain: f64,
    pub importance: Importance,
    /// The level the role asks, if it says.
    pub level: Option<Proficiency>,
}

/// A skill the person could learn now.
#[derive(Clone, Debug, PartialEq)]
pub struct NextSkill {
    pub slug: String,
    /// The mean rise of coverage over the roles.
    pub gain: f64,
    /// Each role that needs it, in the roles' order.
    pub gains: Vec<RoleGain>,
    /// The needed skills it is the last missing prerequisite of, by slug.
    pub unlocks: Vec<String>,
    /// What the skills it unlocks would gain, summed.
    pub unlocked_gain: f64,
}

/// The roles' next skills: the `first` best for a person who has `have`, aiming at `roles`
/// (slugs; unknown ones left out), or at the [`CLOSEST_ROLES`] roles that fit them best
/// when `roles` is empty. Also the roles ranked for.
pub fn next_skills(
    index: &GraphIndex,
    have: &[Have],
    roles: &[String],
    first: usize,
) -> (Vec<String>, Vec<NextSkill>) {
    let (have, _) = follow(index, have);
    let roles: Vec<String> = if roles.is_empty() {
        super::recommend(index, &have, CLOSEST_ROLES)
            .into_iter()
            .map(|fit| fit.gap.role)
            .collect()
    } else {
        let mut seen = HashSet::new();
        roles
            .iter()
            .filter(|slug| index.roles.contains_key(*slug) && seen.insert(slug.as_str()))
            .cloned()
            .collect()
    };
    if roles.is_empty() || first == 0 {
        return (roles, Vec::new());
    }
    let held: HashMap<&str, Option<Proficiency>> = have
        .iter()
        .map(|have| (have.slug.as_str(), have.level))
        .collect();
    let ready = |slug: &str| {
        index
            .prerequisites
            .get(slug)
            .into_iter()
            .flatten()
            .all(|prerequisite| held.contains_key(prerequisite.as_str()))
    };
    // Every needed skill not met, by slug, with its gain for each role that needs it.
    let mut needed: BTreeMap<&str, Vec<RoleGain>> = BTreeMap::new();
    for role in &roles {
        let Some(needs) = index.roles.get(role) else {
            continue;
        };
        let total: f64 = needs.needs.iter().map(|n| weight(n.importance)).sum();
        for need in needs.needs.iter().filter(|n| n.kind == Kind::Skill) {
            let lacking = 1.0 - credit(need, held.get(need.slug.as_str()).copied());
            if lacking <= 0.0 || total <= 0.0 {
                continue;
            }
            needed.entry(&need.slug).or_default().push(RoleGain {
                role: role.clone(),
                gain: weight(need.importance) * lacking / total,
                importance: need.importance,
                level: need.level,
            });
        }
    }
    let count = roles.len() as f64;
    let mean = |gains: &[RoleGain]| gains.iter().map(|g| g.gain).sum::<f64>() / count;
    let mut candidates: HashMap<&str, NextSkill> = HashMap::new();
    let candidate = |slug: &str| NextSkill {
        slug: slug.to_owned(),
        gain: 0.0,
        gains: Vec::new(),
        unlocks: Vec::new(),
        unlocked_gain: 0.0,
    };
    for (slug, gains) in &needed {
        if ready(slug) {
            let entry = candidates.entry(slug).or_insert_with(|| candidate(slug));
            entry.gain = mean(gains);
            entry.gains = gains.clone();
            continue;
        }
        // Waiting for exactly one prerequisite that is ready: that one unlocks it.
        let missing: Vec<&String> = index
            .prerequisites
            .get(*slug)
            .into_iter()
            .flatten()
            .filter(|p| !held.contains_key(p.as_str()))
            .collect();
        if let [only] = missing.as_slice()
            && ready(only)
        {
            let entry = candidates
                .entry(only.as_str())
                .or_insert_with(|| candidate(only));
            entry.unlocks.push((*slug).to_owned());
            entry.unlocked_gain += mean(gains);
        }
    }
    let rank = |slug: &str| index.skill_rank.get(slug).copied().unwrap_or(usize::MAX);
    let mut ranked: Vec<NextSkill> = candidates.into_values().collect();
    ranked.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| b.unlocked_gain.total_cmp(&a.unlocked_gain))
            .then_with(|| rank(&a.slug).cmp(&rank(&b.slug)))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    ranked.truncate(first);
    for skill in &mut ranked {
        skill.unlocks.sort_by_key(|slug| rank(slug));
    }
    (roles, ranked)
}
