//! Skills related to a skill, for "people who know this also need…" and for what to learn
//! beside it. Two sources, each a reason with a score from 0 to 1:
//!
//! - **The catalog's relations** (ESCO's `skillSkillRelations`, or a curator's): a skill the
//!   skill names as essential to it scores 0.9, as optional 0.6; a skill that names it
//!   likewise (the relation read backwards) as much.
//! - **Co-occurrence**: skills that the same roles need. Of the roles needing either, the
//!   share needing both (the Jaccard index of the two sets of roles), discounted when few
//!   roles support it: `J × s / (s + 1)`, `s` the roles needing both, so that two skills of
//!   one role alone score half their index, and a pair a hundred roles share nearly all of
//!   it. Read from the index at the catalog's revision, so it moves with every write.
//!
//! A skill's score joins its reasons' as independent evidence: `1 − Π (1 − score)`, so a
//! second reason raises it and nothing passes 1. Ranked by score, then by slug.

use std::collections::HashMap;
use std::sync::Arc;

use entity::Importance;

use super::index::GraphIndex;
pub use super::related_answers::{Because, MOST_RELATED, Reason, RelatedSkill};

/// The score of a catalog relation.
fn relation_score(importance: Importance) -> f64 {
    match importance {
        Importance::Essential => 0.9,
        Importance::Optional => 0.6,
    }
}

/// The co-occurrence score of two skills needed by `a` and `b` roles, `shared` by both.
pub fn co_occurrence(a: usize, b: usize, shared: usize) -> f64 {
    let union = a + b - shared.min(a + b);
    if union == 0 || shared == 0 {
        return 0.0;
    }
    let jaccard = shared as f64 / union as f64;
    jaccard * shared as f64 / (shared as f64 + 1.0)
}

/// Reasons' scores joined as independent evidence: `1 − Π (1 − score)`.
fn joined(scores: impl IntoIterator<Item = f64>) -> f64 {
    1.0 - scores.into_iter().map(|s| 1.0 - s).product::<f64>()
}

/// The `first` skills most related to `skill`, most related first (ties by slug); empty for a
/// skill that is not in the index (unknown, or deprecated: a deprecated node is in no answer).
/// Worked out once per revision and skill ([`RelatedAnswers`]).
pub fn related_skills(index: &GraphIndex, skill: &str, first: usize) -> Vec<RelatedSkill> {
    if !index.prerequisites.contains_key(skill) || first == 0 {
        return Vec::new();
    }
    if first > MOST_RELATED {
        return rank(index, skill, first);
    }
    let answer = index.related_answers.get(skill).unwrap_or_else(|| {
        let answer: Arc<[RelatedSkill]> = rank(index, skill, MOST_RELATED).into();
        index.related_answers.keep(skill, answer.clone());
        answer
    });
    answer.iter().take(first).cloned().collect()
}

/// The `first` skills most related to `skill`, worked out: the cost is the skills of the
/// roles that need the skill, counted once. The first `k` of an answer are the answer for
/// `first: k`: the skills that only share roles are ranked by score and slug, as the answer is.
fn rank(index: &GraphIndex, skill: &str, first: usize) -> Vec<RelatedSkill> {
    let table = &index.co_occurrence;
    // The skills sharing a role with `skill`, each with its roles in common.
    let shared = table.shared_with(skill);
    let mine = table.roles_of(skill);
    let mut found: HashMap<&str, Vec<Because>> = HashMap::new();
    let relations = index.relations.get(skill).into_iter().flatten();
    let named_by = index.related_by.get(skill).into_iter().flatten();
    let catalog = relations
        .map(|(slug, importance)| (slug, Reason::Names(*importance)))
        .chain(named_by.map(|(slug, importance)| (slug, Reason::NamedBy(*importance))));
    for (slug, reason) in catalog {
        let importance = match reason {
            Reason::Names(importance) | Reason::NamedBy(importance) => importance,
            Reason::SharedRoles => continue,
        };
        let both = table.id(slug).map_or(0, |id| shared.count(id));
        found.entry(slug.as_str()).or_default().push(Because {
            reason,
            score: relation_score(importance),
            shared_roles: both,
        });
    }
    // The catalog's related skills that share roles too get that reason beside theirs; of the
    // skills that only share roles the `first` best are enough, picked by score (then slug)
    // before any is named, so a skill that shares roles with thousands costs a count.
    let named: std::collections::HashSet<u32> =
        found.keys().filter_map(|slug| table.id(slug)).collect();
    let mut sharing: Vec<(f64, u32)> = Vec::with_capacity(shared.touched.len());
    for &id in &shared.touched {
        let because = Because {
            reason: Reason::SharedRoles,
            score: co_occurrence(mine, table.roles_of_id(id), shared.count(id)),
            shared_roles: shared.count(id),
        };
        if named.contains(&id) {
            found.entry(table.slug(id)).or_default().push(because);
        } else {
            // Picked by the score it is ranked by below, rounding included, so that the
            // `first` kept are the first of the whole ranking.
            sharing.push((joined([because.score]), id));
        }
    }
    let better = |a: &(f64, u32), b: &(f64, u32)| {
        b.0.total_cmp(&a.0)
            .then_with(|| table.slug(a.1).cmp(table.slug(b.1)))
    };
    if first < sharing.len() {
        sharing.select_nth_unstable_by(first, better);
        sharing.truncate(first);
    }
    for (_, id) in sharing {
        let count = shared.count(id);
        found.entry(table.slug(id)).or_default().push(Because {
            reason: Reason::SharedRoles,
            score: co_occurrence(mine, table.roles_of_id(id), count),
            shared_roles: count,
        });
    }
    let mut ranked: Vec<RelatedSkill> = found
        .into_iter()
        .map(|(slug, mut reasons)| {
            // Kept in [`RelatedAnswers`]: no room beyond the reasons.
            reasons.shrink_to_fit();
            RelatedSkill {
                slug: slug.to_owned(),
                score: joined(reasons.iter().map(|r| r.score)),
                reasons,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    ranked.truncate(first);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn co_occurrence_grows_with_the_roles_that_support_it() {
        assert_eq!(co_occurrence(3, 4, 0), 0.0);
        // One role each, the same one: the index is 1, discounted to half.
        assert!((co_occurrence(1, 1, 1) - 0.5).abs() < 1e-12);
        // A hundred roles each, all shared: nearly 1.
        assert!(co_occurrence(100, 100, 100) > 0.99);
        // Shared by 2 of 2 and 4 roles: J = 2/4, × 2/3.
        assert!((co_occurrence(2, 4, 2) - 1.0 / 3.0).abs() < 1e-12);
        assert!(co_occurrence(10, 10, 5) < co_occurrence(10, 10, 10));
    }
}
