//! In what order to learn what a role needs: the skills the person lacks (or holds below the
//! level asked) and, transitively, their prerequisites the person does not hold, ordered so
//! that a prerequisite always comes before what needs it. Among the skills that are ready,
//! the more important comes first (a prerequisite is as important as the most important skill
//! waiting for it), then the catalog's order. The walk is Kahn's algorithm: it terminates on
//! any graph, and skills caught in a cycle (which the writes never let in, but a database
//! edited by hand could hold) are reported instead of ordered.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

use entity::{Importance, Proficiency};

use super::gap::{Have, skill_gap};
use super::index::GraphIndex;
use crate::graph::Kind;

/// One step of a learning path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub slug: String,
    pub name: String,
    /// How much the role needs it; for a skill that is only a prerequisite, as much as the
    /// most important skill that waits for it.
    pub importance: Importance,
    /// The level the role asks, for a skill the role names.
    pub level: Option<Proficiency>,
    /// The level the person holds now, if below the level asked.
    pub held: Option<Proficiency>,
    /// Why it is on the path: `essential for Backend Developer`, `prerequisite of Query
    /// Optimization`.
    pub reason: String,
}

/// A learning path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LearningPath {
    pub role: String,
    pub steps: Vec<Step>,
    /// Skills that could not be ordered because their prerequisites form a cycle, by slug.
    pub cycle: Vec<String>,
}

fn importance_rank(importance: Importance) -> u8 {
    match importance {
        Importance::Essential => 0,
        Importance::Optional => 1,
    }
}

/// The learning path to `role` for a person who has `have`; `None` if there is no such role.
pub fn learning_path(index: &GraphIndex, role: &str, have: &[Have]) -> Option<LearningPath> {
    let gap = skill_gap(index, role, have)?;
    let role_name = index.name(Kind::Role, role);
    let (have, _) = super::gap::follow(index, have);
    let held: HashSet<&str> = have.iter().map(|have| have.slug.as_str()).collect();

    // The skills to learn, each with its step (reason, importance) as first reached.
    let mut steps: HashMap<String, Step> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for item in gap.missing.iter().chain(&gap.below_level) {
        if item.need.kind != Kind::Skill {
            continue;
        }
        let importance = item.need.importance;
        let word = if importance == Importance::Essential {
            "essential"
        } else {
            "optional"
        };
        steps.insert(
            item.need.slug.clone(),
            Step {
                slug: item.need.slug.clone(),
                name: item.name.clone(),
                importance,
                level: item.need.level,
                held: item.held,
                reason: format!("{word} for {role_name}"),
            },
        );
        order.push(item.need.slug.clone());
    }
    // Their prerequisites not held, transitively, breadth first from the role's skills in the
    // role's order, so that a reason names the nearest skill that needs it.
    let mut at = 0;
    while at < order.len() {
        let slug = order[at].clone();
        at += 1;
        let (importance, name) = match steps.get(&slug) {
            Some(step) => (step.importance, step.name.clone()),
            None => continue,
        };
        for prerequisite in index.prerequisites.get(&slug).into_iter().flatten() {
            if held.contains(prerequisite.as_str()) {
                continue;
            }
            match steps.get_mut(prerequisite) {
                Some(step) => {
                    if importance_rank(importance) < importance_rank(step.importance) {
                        step.importance = importance;
                    }
                }
                None => {
                    steps.insert(
                        prerequisite.clone(),
                        Step {
                            slug: prerequisite.clone(),
                            name: index.name(Kind::Skill, prerequisite),
                            importance,
                            level: None,
                            held: None,
                            reason: format!("prerequisite of {name}"),
                        },
                    );
                    order.push(prerequisite.clone());
                }
            }
        }
    }
    // A prerequisite is as important as the most important skill waiting for it, through
    // chains too: lower the rank along prerequisite edges until nothing changes.
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds <= steps.len() {
        changed = false;
        rounds += 1;
        for slug in &order {
            let Some(importance) = steps.get(slug).map(|step| step.importance) else {
                continue;
            };
            for prerequisite in index.prerequisites.get(slug).into_iter().flatten() {
                if let Some(step) = steps.get_mut(prerequisite)
                    && importance_rank(importance) < importance_rank(step.importance)
                {
                    step.importance = importance;
                    changed = true;
                }
            }
        }
    }

    // Kahn's algorithm over the steps, ready skills by (importance, catalog order).
    let mut waiting: HashMap<&str, usize> = HashMap::new();
    let mut unlocks: HashMap<&str, Vec<&str>> = HashMap::new();
    for slug in steps.keys() {
        let prerequisites = index.prerequisites.get(slug).into_iter().flatten();
        let pending: Vec<&str> = prerequisites
            .map(String::as_str)
            .filter(|p| steps.contains_key(*p))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        waiting.insert(slug.as_str(), pending.len());
        for prerequisite in pending {
            unlocks.entry(prerequisite).or_default().push(slug.as_str());
        }
    }
    let key = |slug: &str| {
        let step = &steps[slug];
        let rank = index.skill_rank.get(slug).copied().unwrap_or(usize::MAX);
        Reverse((importance_rank(step.importance), rank, slug.to_owned()))
    };
    let mut ready: BinaryHeap<Reverse<(u8, usize, String)>> = waiting
        .iter()
        .filter(|(_, count)| **count == 0)
        .map(|(slug, _)| key(slug))
        .collect();
    let mut path = Vec::with_capacity(steps.len());
    while let Some(Reverse((_, _, slug))) = ready.pop() {
        for next in unlocks.get(slug.as_str()).into_iter().flatten() {
            if let Some(count) = waiting.get_mut(next) {
                *count -= 1;
                if *count == 0 {
                    ready.push(key(next));
                }
            }
        }
        path.push(steps[&slug].clone());
    }
    let placed: HashSet<&str> = path.iter().map(|step| step.slug.as_str()).collect();
    let mut cycle: Vec<String> = steps
        .keys()
        .filter(|slug| !placed.contains(slug.as_str()))
        .cloned()
        .collect();
    cycle.sort_by_key(|slug| index.skill_rank.get(slug).copied().unwrap_or(usize::MAX));
    Some(LearningPath {
        role: role.to_owned(),
        steps: path,
        cycle,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use entity::{Importance, Proficiency};
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::needs::{Need, RoleNeeds};

    /// A graph of `n` skills whose prerequisites are `edges` (from a skill to one it needs),
    /// and a role that needs the skills `needed`.
    fn index(n: usize, edges: &[(usize, usize)], needed: &[usize]) -> GraphIndex {
        let slug = |i: usize| format!("s{i}");
        let mut index = GraphIndex::default();
        for i in 0..n {
            index.skill_rank.insert(slug(i), i);
            index.names.insert((Kind::Skill, slug(i)), format!("S{i}"));
            index.prerequisites.insert(slug(i), Vec::new());
        }
        for &(from, to) in edges {
            if let Some(list) = index.prerequisites.get_mut(&slug(from)) {
                list.push(slug(to));
            }
        }
        let needs = needed
            .iter()
            .map(|&i| Need {
                kind: Kind::Skill,
                slug: slug(i),
                importance: if i % 3 == 0 {
                    Importance::Optional
                } else {
                    Importance::Essential
                },
                level: Some(Proficiency::Intermediate),
            })
            .collect();
        index.roles.insert(
            "r".into(),
            RoleNeeds {
                name: "R".into(),
                needs,
            },
        );
        index
    }

    /// A random case: the number of skills, the prerequisite edges, the skills the role
    /// needs, the skills the person holds.
    type Case = (usize, Vec<(usize, usize)>, Vec<usize>, Vec<usize>);

    /// Edges of a random DAG: only from a higher index to a lower one.
    fn dag() -> impl Strategy<Value = Case> {
        (2usize..40).prop_flat_map(|n| {
            let edges = proptest::collection::vec((1..n, 0..n), 0..n * 2)
                .prop_map(|edges| edges.into_iter().filter(|(a, b)| a > b).collect::<Vec<_>>());
            let needed = proptest::collection::vec(0..n, 1..n);
            let held = proptest::collection::vec(0..n, 0..n / 2 + 1);
            (Just(n), edges, needed, held)
        })
    }

    proptest! {
        #[test]
        fn prerequisites_come_first_and_every_skill_once((n, edges, needed, held) in dag()) {
            let index = index(n, &edges, &needed);
            let have: Vec<Have> = held
                .iter()
                .map(|i| Have { slug: format!("s{i}"), level: None })
                .collect();
            let path = learning_path(&index, "r", &have).expect("the role exists");
            prop_assert!(path.cycle.is_empty());
            let at: HashMap<&str, usize> = path
                .steps
                .iter()
                .enumerate()
                .map(|(i, step)| (step.slug.as_str(), i))
                .collect();
            prop_assert_eq!(at.len(), path.steps.len(), "each skill once");
            let held: Vec<String> = held.iter().map(|i| format!("s{i}")).collect();
            for i in &needed {
                let slug = format!("s{i}");
                prop_assert_eq!(at.contains_key(slug.as_str()), !held.contains(&slug));
            }
            for (skill, position) in &at {
                for prerequisite in &index.prerequisites[*skill] {
                    if held.contains(prerequisite) {
                        prop_assert!(!at.contains_key(prerequisite.as_str()));
                    } else {
                        prop_assert!(at[prerequisite.as_str()] < *position, "{prerequisite} before {skill}");
                    }
                }
            }
        }

        #[test]
        fn a_cycle_ends_the_walk((n, edges, needed, _) in dag(), close in 0usize..40) {
            // Close a cycle: the lowest skill needs the highest.
            let mut edges = edges;
            edges.push((0, n - 1));
            edges.push((n - 1, close % n));
            let index = index(n, &edges, &needed);
            let path = learning_path(&index, "r", &[]).expect("the role exists");
            let mut seen: Vec<&str> = path.steps.iter().map(|step| step.slug.as_str()).collect();
            seen.extend(path.cycle.iter().map(String::as_str));
            let count = seen.len();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), count, "no skill twice");
        }
    }
}
