//! The roles' needs inverted, for comparing a role or a person with every role at once.

use std::collections::HashMap;

use super::needs::{RoleNeeds, weight};
use crate::graph::Kind;

/// A role's need, as the inverted index lists it under the needed node.
#[derive(Clone, Copy, Debug)]
pub(super) struct RoleNeed {
    /// The role, by its place in [`RolesByNeed::roles`].
    pub(super) role: u32,
    /// The need, by its place in the role's needs.
    pub(super) need: u32,
    pub(super) weight: f64,
    /// The need's importance and level, so that scoring a posting reads no role.
    pub(super) importance: entity::Importance,
    pub(super) level: Option<entity::Proficiency>,
}

/// The roles' needs inverted: for each node, the roles that need it. With it, comparing one
/// role (or one person) with every role costs what the shared needs cost, not a pass over
/// every need of every role.
#[derive(Debug, Default)]
pub struct RolesByNeed {
    /// Every role's slug, sorted.
    pub(super) roles: Vec<String>,
    /// Each role's total weight and its number of essential needs.
    pub(super) totals: Vec<(f64, usize)>,
    by_node: HashMap<Kind, HashMap<String, Vec<RoleNeed>>>,
}

impl RolesByNeed {
    pub fn new(roles: &HashMap<String, RoleNeeds>) -> Self {
        let mut slugs: Vec<&String> = roles.keys().collect();
        slugs.sort();
        let mut postings = RolesByNeed::default();
        for (at, slug) in slugs.into_iter().enumerate() {
            let role = &roles[slug];
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            let mut total = 0.0;
            let mut essentials = 0;
            for (need_at, need) in role.needs.iter().enumerate() {
                let w = weight(need.importance);
                total += w;
                essentials += usize::from(need.importance == entity::Importance::Essential);
                postings
                    .by_node
                    .entry(need.kind)
                    .or_default()
                    .entry(need.slug.clone())
                    .or_default()
                    .push(RoleNeed {
                        role: at,
                        need: u32::try_from(need_at).unwrap_or(u32::MAX),
                        weight: w,
                        importance: need.importance,
                        level: need.level,
                    });
            }
            postings.roles.push(slug.clone());
            postings.totals.push((total, essentials));
        }
        postings
    }

    pub(super) fn of(&self, kind: Kind, slug: &str) -> &[RoleNeed] {
        self.by_node
            .get(&kind)
            .and_then(|nodes| nodes.get(slug))
            .map_or(&[], Vec::as_slice)
    }
}
