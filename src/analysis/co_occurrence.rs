//! Which roles need each skill and which skills each role needs, by number, for counting the
//! roles two skills share ([`super::related_skills`]). Built with the index; beneath it.

use std::collections::HashMap;

use super::needs::RoleNeeds;
use crate::graph::Kind;

/// Which roles need each skill and which skills each role needs, by number, so that counting
/// the roles two skills share is arithmetic on small integers.
#[derive(Debug, Default)]
pub struct CoOccurrence {
    /// Every skill some active role needs, by number.
    slugs: Vec<String>,
    ids: HashMap<String, u32>,
    /// Each skill's roles, by the roles' numbers.
    roles: Vec<Vec<u32>>,
    /// Each role's skills, by number.
    skills: Vec<Vec<u32>>,
}

/// The skills sharing a role with one skill: how many roles each shares, and which they are.
pub struct Shared {
    counts: Vec<u32>,
    pub(super) touched: Vec<u32>,
}

impl Shared {
    pub(super) fn count(&self, id: u32) -> usize {
        self.counts.get(id as usize).map_or(0, |c| *c as usize)
    }
}

impl CoOccurrence {
    pub fn new(roles: &HashMap<String, RoleNeeds>) -> Self {
        let mut table = CoOccurrence::default();
        let mut slugs: Vec<&String> = roles.keys().collect();
        slugs.sort();
        for (number, slug) in slugs.into_iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            let mut skills = Vec::new();
            for need in roles[slug].needs.iter().filter(|n| n.kind == Kind::Skill) {
                let next = u32::try_from(table.slugs.len()).unwrap_or(u32::MAX);
                let id = *table.ids.entry(need.slug.clone()).or_insert_with(|| {
                    table.slugs.push(need.slug.clone());
                    table.roles.push(Vec::new());
                    next
                });
                table.roles[id as usize].push(number);
                skills.push(id);
            }
            table.skills.push(skills);
        }
        table
    }

    pub(super) fn id(&self, slug: &str) -> Option<u32> {
        self.ids.get(slug).copied()
    }

    pub(super) fn slug(&self, id: u32) -> &str {
        self.slugs.get(id as usize).map_or("", String::as_str)
    }

    pub(super) fn roles_of_id(&self, id: u32) -> usize {
        self.roles.get(id as usize).map_or(0, Vec::len)
    }

    pub(super) fn roles_of(&self, slug: &str) -> usize {
        self.id(slug).map_or(0, |id| self.roles_of_id(id))
    }

    /// The skills sharing a role with `slug`, the skill itself left out.
    pub(super) fn shared_with(&self, slug: &str) -> Shared {
        let mut shared = Shared {
            counts: Vec::new(),
            touched: Vec::new(),
        };
        let Some(me) = self.id(slug) else {
            return shared;
        };
        shared.counts = vec![0; self.slugs.len()];
        for role in &self.roles[me as usize] {
            for &other in self.skills.get(*role as usize).into_iter().flatten() {
                if other == me {
                    continue;
                }
                let count = &mut shared.counts[other as usize];
                if *count == 0 {
                    shared.touched.push(other);
                }
                *count += 1;
            }
        }
        shared
    }
}
