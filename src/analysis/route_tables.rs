//! The needs and prerequisites a career route weighs, by number rather than by slug: a route
//! prices thousands of moves, each over a role's needs and their prerequisites, and hashing
//! the slugs was half of its time. Computed the first time a route needs them and kept with
//! the index (so until the catalog's revision moves). Beneath the index.

use std::collections::HashMap;

use entity::Proficiency;

use super::needs::RoleNeeds;
use crate::graph::Kind;

/// One need of a role: the number of its slug, whether it is a skill, the level asked.
#[derive(Clone, Copy, Debug)]
pub struct NumberedNeed {
    pub slug: u32,
    pub skill: bool,
    pub level: Option<Proficiency>,
}

/// Every slug a role needs or a needed skill's prerequisites reach, numbered; each role's
/// needs (by role number) and each numbered skill's prerequisites in those numbers.
#[derive(Debug, Default)]
pub struct RouteTables {
    numbers: HashMap<String, u32>,
    /// The slugs by number.
    slugs: Vec<String>,
    needs: Vec<Vec<NumberedNeed>>,
    prerequisites: Vec<Vec<u32>>,
}

impl RouteTables {
    /// The tables of `roles`, numbered in the order of `role_slugs` (the index's role
    /// numbers), with `prerequisites` by skill slug.
    pub fn new(
        roles: &HashMap<String, RoleNeeds>,
        role_slugs: &[String],
        prerequisites: &HashMap<String, Vec<String>>,
    ) -> RouteTables {
        let mut tables = RouteTables::default();
        for slug in role_slugs {
            let needs = roles
                .get(slug)
                .map_or(&[][..], |role| role.needs.as_slice());
            let numbered = needs
                .iter()
                .map(|need| NumberedNeed {
                    slug: tables.number(&need.slug),
                    skill: need.kind == Kind::Skill,
                    level: need.level,
                })
                .collect();
            tables.needs.push(numbered);
        }
        // Prerequisites of prerequisites are numbered as they are met, so walk until none is
        // left without its list.
        let mut at = 0;
        while at < tables.slugs.len() {
            let slug = tables.slugs[at].clone();
            let listed: Vec<u32> = prerequisites
                .get(&slug)
                .into_iter()
                .flatten()
                .map(|prerequisite| tables.number(prerequisite))
                .collect();
            tables.prerequisites.push(listed);
            at += 1;
        }
        tables
    }

    /// The number of `slug`, given it if it has none yet.
    fn number(&mut self, slug: &str) -> u32 {
        if let Some(number) = self.numbers.get(slug) {
            return *number;
        }
        let next = u32::try_from(self.slugs.len()).unwrap_or(u32::MAX);
        self.numbers.insert(slug.to_owned(), next);
        self.slugs.push(slug.to_owned());
        next
    }

    /// How many slugs are numbered: the length of a table indexed by slug number.
    pub fn slugs(&self) -> usize {
        self.slugs.len()
    }

    /// The number of `slug`, if any role needs it or any needed skill's prerequisites reach it.
    pub fn number_of(&self, slug: &str) -> Option<u32> {
        self.numbers.get(slug).copied()
    }

    /// The needs of the role numbered `role`.
    pub fn needs(&self, role: u32) -> &[NumberedNeed] {
        self.needs.get(role as usize).map_or(&[], Vec::as_slice)
    }

    /// The prerequisites of the skill numbered `skill`.
    pub fn prerequisites(&self, skill: u32) -> &[u32] {
        self.prerequisites
            .get(skill as usize)
            .map_or(&[], Vec::as_slice)
    }
}
