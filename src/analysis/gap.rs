//! What a person lacks for a role.
//!
//! **Coverage** is the share of the role's needs the person meets, weighted: an essential need
//! weighs 2, an optional one 1. A need met at (or above) the level the role asks counts whole;
//! a skill held below it counts in proportion to the levels (BEGINNER 1, INTERMEDIATE 2,
//! ADVANCED 3, EXPERT 4: held INTERMEDIATE where ADVANCED is asked counts 2/3); a need not
//! held counts 0. A `have` entry without a level meets any level. Needs are matched by slug.

use std::collections::HashMap;

use entity::Proficiency;

use super::index::GraphIndex;
use super::needs::{Need, weight};

/// Something a person has, by slug, at a level if they say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Have {
    pub slug: String,
    pub level: Option<Proficiency>,
}

/// One need of the role, as the person meets it.
#[derive(Clone, Debug, PartialEq)]
pub struct GapItem {
    pub need: Need,
    pub name: String,
    /// The level the person holds, if they said.
    pub held: Option<Proficiency>,
    /// What the need counts toward coverage, from 0 to 1.
    pub credit: f64,
}

/// A person's gap against a role.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    pub role: String,
    pub coverage: f64,
    pub covered: Vec<GapItem>,
    /// Skills held below the level the role asks.
    pub below_level: Vec<GapItem>,
    pub missing: Vec<GapItem>,
    /// Slugs in `have` that name no node.
    pub unknown: Vec<String>,
    /// The entries of `have` that named deprecated nodes, followed to their replacements.
    pub followed: Vec<Followed>,
}

/// A `have` entry that named a deprecated node, and the replacements it counts as instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Followed {
    pub slug: String,
    /// Empty when nothing replaces the node: the entry then counts for nothing.
    pub replaced_by: Vec<String>,
}

/// `have` with each entry that names a deprecated node replaced by its replacements, at the
/// entry's level (a person who knows a skill knows what replaced it as far as the answers
/// can tell), and what was followed. An entry already held is not repeated.
pub fn follow(index: &GraphIndex, have: &[Have]) -> (Vec<Have>, Vec<Followed>) {
    if index.deprecated.is_empty() {
        return (have.to_vec(), Vec::new());
    }
    let mut followed = Vec::new();
    let mut out: Vec<Have> = Vec::with_capacity(have.len());
    let named: std::collections::HashSet<&str> = have.iter().map(|h| h.slug.as_str()).collect();
    for entry in have {
        match index.deprecated_by_slug(&entry.slug) {
            Some(replacements) => {
                followed.push(Followed {
                    slug: entry.slug.clone(),
                    replaced_by: replacements.to_vec(),
                });
                out.extend(
                    replacements
                        .iter()
                        .filter(|slug| !named.contains(slug.as_str()))
                        .map(|slug| Have {
                            slug: slug.clone(),
                            level: entry.level,
                        }),
                );
            }
            None => out.push(entry.clone()),
        }
    }
    (out, followed)
}

pub fn rank(level: Proficiency) -> u8 {
    match level {
        Proficiency::Beginner => 1,
        Proficiency::Intermediate => 2,
        Proficiency::Advanced => 3,
        Proficiency::Expert => 4,
    }
}

/// What meeting `need` with `held` (`None`: not held; `Some(None)`: held, level unsaid)
/// counts, from 0 to 1.
pub(super) fn credit(need: &Need, held: Option<Option<Proficiency>>) -> f64 {
    credit_at(need.level, held)
}

/// [`credit`] of a need asked at `asked`.
pub(super) fn credit_at(asked: Option<Proficiency>, held: Option<Option<Proficiency>>) -> f64 {
    match (held, asked) {
        (None, _) => 0.0,
        (Some(Some(held)), Some(asked)) if rank(held) < rank(asked) => {
            f64::from(rank(held)) / f64::from(rank(asked))
        }
        (Some(_), _) => 1.0,
    }
}

/// The gap of a person who has `have` against the role `role`; `None` if there is no such role.
pub fn skill_gap(index: &GraphIndex, role: &str, have: &[Have]) -> Option<Gap> {
    let needs = index.roles.get(role)?;
    let (have, followed) = follow(index, have);
    let held: HashMap<&str, Option<Proficiency>> = have
        .iter()
        .map(|have| (have.slug.as_str(), have.level))
        .collect();
    let mut gap = Gap {
        role: role.to_owned(),
        coverage: 0.0,
        covered: Vec::new(),
        below_level: Vec::new(),
        missing: Vec::new(),
        unknown: have
            .iter()
            .filter(|have| !index.knows(&have.slug))
            .map(|have| have.slug.clone())
            .collect(),
        followed,
    };
    let (mut earned, mut total) = (0.0, 0.0);
    for need in &needs.needs {
        let held_level = held.get(need.slug.as_str()).copied();
        let credit = credit(need, held_level);
        let item = GapItem {
            need: need.clone(),
            name: index.name(need.kind, &need.slug),
            held: held_level.flatten(),
            credit,
        };
        total += weight(need.importance);
        earned += weight(need.importance) * credit;
        if credit >= 1.0 {
            gap.covered.push(item);
        } else if credit > 0.0 {
            gap.below_level.push(item);
        } else {
            gap.missing.push(item);
        }
    }
    gap.coverage = if total > 0.0 { earned / total } else { 1.0 };
    Some(gap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Kind;
    use entity::Importance;

    fn need(level: Option<Proficiency>) -> Need {
        Need {
            kind: Kind::Skill,
            slug: "s".into(),
            importance: Importance::Essential,
            level,
        }
    }

    #[test]
    fn credit_follows_the_levels() {
        let advanced = need(Some(Proficiency::Advanced));
        assert_eq!(credit(&advanced, None), 0.0);
        assert_eq!(credit(&advanced, Some(None)), 1.0);
        assert_eq!(credit(&advanced, Some(Some(Proficiency::Expert))), 1.0);
        assert!(
            (credit(&advanced, Some(Some(Proficiency::Intermediate))) - 2.0 / 3.0).abs() < 1e-9
        );
        assert_eq!(credit(&need(None), Some(Some(Proficiency::Beginner))), 1.0);
    }
}
