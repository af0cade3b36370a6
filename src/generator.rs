//! A deterministic synthetic graph of any size, for load tests and statement-count tests.
//!
//! The same size and seed always give the same rows, on SQLite and PostgreSQL alike. Rows are
//! written with explicit ids in large multi-row INSERTs inside one transaction, so a graph of
//! a few hundred thousand rows loads in seconds.

use std::collections::{HashMap, HashSet};

use clap::Args;
use entity::{Importance, Proficiency, ToolCategory, framework, language, role, skill, tool};
use sea_orm::{DatabaseTransaction, Iterable, Set};

use crate::curation::serial;
use crate::data::bulk;
use crate::data::cycles;
use crate::db::Db;
use crate::graph::{EdgeData, EdgeKind, EdgeRow};
use crate::{Error, Result};

/// How big a graph to make.
#[derive(Args, Debug, Clone, PartialEq, Eq)]
pub struct GraphSize {
    #[arg(long, default_value_t = 5_000)]
    pub roles: usize,
    /// Skills, spread over a tree `skill_depth` levels deep (each level four times the last).
    #[arg(long, default_value_t = 20_000)]
    pub skills: usize,
    #[arg(long, default_value_t = 5)]
    pub skill_depth: usize,
    #[arg(long, default_value_t = 300)]
    pub languages: usize,
    /// Frameworks, shared out evenly among the languages.
    #[arg(long, default_value_t = 2_000)]
    pub frameworks: usize,
    #[arg(long, default_value_t = 1_000)]
    pub tools: usize,
    #[arg(long, default_value_t = 20)]
    pub skills_per_role: usize,
    /// Languages, frameworks and tools each role uses (each).
    #[arg(long, default_value_t = 5)]
    pub technologies_per_role: usize,
    /// Languages and tools each skill is practised with (each).
    #[arg(long, default_value_t = 3)]
    pub technologies_per_skill: usize,
    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

impl GraphSize {
    /// A small graph, for tests.
    pub fn small(scale: usize) -> Self {
        GraphSize {
            roles: 20 * scale,
            skills: 100 * scale,
            skill_depth: 4,
            languages: 10 * scale,
            frameworks: 30 * scale,
            tools: 20 * scale,
            skills_per_role: 20,
            technologies_per_role: 5,
            technologies_per_skill: 3,
            seed: 7,
        }
    }

    fn check(&self) -> Result<()> {
        let fits = |wanted: usize, available: usize, what: &str| {
            if wanted > available {
                Err(Error::bad_input(format!(
                    "cannot give each {what}: only {available} to choose from, {wanted} asked"
                )))
            } else {
                Ok(())
            }
        };
        fits(self.skills_per_role, self.skills, "role its skills")?;
        fits(
            self.technologies_per_role,
            self.languages,
            "role its languages",
        )?;
        fits(
            self.technologies_per_role,
            self.frameworks,
            "role its frameworks",
        )?;
        fits(self.technologies_per_role, self.tools, "role its tools")?;
        fits(
            self.technologies_per_skill,
            self.languages,
            "skill its languages",
        )?;
        fits(self.technologies_per_skill, self.tools, "skill its tools")?;
        if self.skill_depth == 0 || self.languages == 0 {
            return Err(Error::bad_input("a graph needs skill levels and languages"));
        }
        Ok(())
    }
}

/// SplitMix64: tiny, fast, and the same on every platform (the benchmarks draw with it too).
pub struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `k` distinct ids in `1..=n`, in the order drawn.
    fn distinct(&mut self, k: usize, n: usize) -> Vec<i32> {
        let mut seen = HashSet::with_capacity(k);
        let mut picked = Vec::with_capacity(k);
        while picked.len() < k {
            let id = self.below(n) as i32 + 1;
            if seen.insert(id) {
                picked.push(id);
            }
        }
        picked
    }

    fn importance(&mut self) -> Importance {
        if self.below(3) == 0 {
            Importance::Optional
        } else {
            Importance::Essential
        }
    }
}

fn id(index: usize) -> i32 {
    i32::try_from(index + 1).unwrap_or(i32::MAX)
}

fn json(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".to_owned())
}

/// Fills an empty database (or, with `replace`, a database emptied first) with a synthetic
/// graph, in one transaction. Returns a summary of what it wrote.
pub async fn generate(db: &Db, size: &GraphSize, replace: bool) -> Result<String> {
    size.check()?;
    let txn = serial::begin_write(&db.conn).await?;
    if let Some(existing) = bulk::existing_data(&txn).await? {
        if !replace {
            return Err(Error::bad_input(format!(
                "the database already holds data ({existing}); use --replace to delete it first"
            )));
        }
        bulk::clear(&txn).await?;
    }
    let mut rng = Rng(size.seed);
    write_nodes(&txn, size).await?;
    let edges = write_edges(&txn, size, &mut rng).await?;
    bulk::reset_id_sequences(&txn).await?;
    cycles::check_graph(&txn).await?;
    txn.commit().await?;
    bulk::analyze(&db.conn).await?;
    Ok(format!(
        "{} roles, {} skills, {} languages, {} frameworks, {} tools, {edges} edges",
        size.roles, size.skills, size.languages, size.frameworks, size.tools
    ))
}

/// The parent and sibling position of every skill: level `k` holds four times as many skills
/// as level `k - 1`, and each skill's parent is dealt round-robin from the level above.
fn skill_tree(size: &GraphSize) -> Vec<(Option<i32>, i32)> {
    let weights: Vec<usize> = (0..size.skill_depth)
        .map(|k| 4usize.pow(k as u32))
        .collect();
    let total: usize = weights.iter().sum();
    let mut levels: Vec<usize> = weights
        .iter()
        .map(|w| (size.skills * w / total).max(1))
        .collect();
    let assigned: usize = levels.iter().sum();
    if let Some(last) = levels.last_mut() {
        *last = (*last + size.skills).saturating_sub(assigned).max(1);
    }
    let mut tree = Vec::with_capacity(size.skills);
    let mut level_start = 0;
    let mut previous: Option<(usize, usize)> = None;
    for (level, &count) in levels.iter().enumerate() {
        let count = count.min(size.skills - tree.len());
        let mut children_of = vec![0i32; previous.map_or(0, |(_, n)| n)];
        for i in 0..count {
            match previous {
                None => tree.push((None, id(i) - 1)),
                Some((start, n)) => {
                    let parent = i % n;
                    tree.push((Some(id(start + parent)), children_of[parent]));
                    children_of[parent] += 1;
                }
            }
        }
        if level + 1 < levels.len() && count > 0 {
            previous = Some((level_start, count));
        }
        level_start += count;
    }
    tree
}

async fn write_nodes(txn: &DatabaseTransaction, size: &GraphSize) -> Result<()> {
    let languages = (0..size.languages).map(|i| language::ActiveModel {
        id: Set(id(i)),
        slug: Set(format!("language-{}", i + 1)),
        name: Set(format!("Language {}", i + 1)),
        description: Set(format!("Synthetic language number {}.", i + 1)),
        aliases: Set(json(&[format!("lang{}", i + 1)])),
        version: Set(1),
        ..Default::default()
    });
    bulk::insert_all(txn, languages.collect()).await?;

    let frameworks = (0..size.frameworks).map(|i| framework::ActiveModel {
        id: Set(id(i)),
        slug: Set(format!("framework-{}", i + 1)),
        name: Set(format!("Framework {}", i + 1)),
        description: Set(format!("Synthetic framework number {}.", i + 1)),
        aliases: Set(json(&[])),
        language_id: Set(id(i % size.languages)),
        version: Set(1),
        ..Default::default()
    });
    bulk::insert_all(txn, frameworks.collect()).await?;

    let categories: Vec<ToolCategory> = ToolCategory::iter().collect();
    let tools = (0..size.tools).map(|i| tool::ActiveModel {
        id: Set(id(i)),
        slug: Set(format!("tool-{}", i + 1)),
        name: Set(format!("Tool {}", i + 1)),
        description: Set(format!("Synthetic tool number {}.", i + 1)),
        aliases: Set(json(&[])),
        category: Set(categories[i % categories.len()]),
        version: Set(1),
        ..Default::default()
    });
    bulk::insert_all(txn, tools.collect()).await?;

    // Parents come before their children, so one pass in id order respects the foreign key.
    let skills = skill_tree(size)
        .into_iter()
        .enumerate()
        .map(|(i, (parent_id, position))| skill::ActiveModel {
            id: Set(id(i)),
            slug: Set(format!("skill-{}", i + 1)),
            name: Set(format!("Skill {}", i + 1)),
            description: Set(format!("Synthetic skill number {}.", i + 1)),
            aliases: Set(json(&[format!("s{}", i + 1)])),
            parent_id: Set(parent_id),
            position: Set(position),
            version: Set(1),
            ..Default::default()
        });
    bulk::insert_all(txn, skills.collect()).await?;

    let roles = (0..size.roles).map(|i| role::ActiveModel {
        id: Set(id(i)),
        slug: Set(format!("role-{}", i + 1)),
        name: Set(format!("Role {}", i + 1)),
        description: Set(format!("Synthetic role number {}.", i + 1)),
        aliases: Set(json(&[format!("Job {}", i + 1)])),
        responsibilities: Set(json(&["Build things".to_owned(), "Run things".to_owned()])),
        domains: Set(json(&["synthetic".to_owned()])),
        version: Set(1),
        ..Default::default()
    });
    bulk::insert_all(txn, roles.collect()).await?;
    Ok(())
}

/// `k` distinct ids in `1..=n` with their positions and a drawn importance: one role's edges.
fn draw(rng: &mut Rng, k: usize, n: usize) -> Vec<(i32, i32, Importance)> {
    rng.distinct(k, n)
        .into_iter()
        .enumerate()
        .map(|(position, id)| (position as i32, id, rng.importance()))
        .collect()
}

/// Draws every edge, kind by kind, and writes them through the table of edge kinds. How many
/// edges each node gets is the generator's own policy, per kind; how they are stored is not.
async fn write_edges(txn: &DatabaseTransaction, size: &GraphSize, rng: &mut Rng) -> Result<usize> {
    let levels: Vec<Proficiency> = Proficiency::iter().collect();
    let per_role = size.technologies_per_role;
    let mut edges: HashMap<EdgeKind, Vec<EdgeRow>> = HashMap::new();
    let mut add = |edge: EdgeKind, owner: i32, target: i32, position: i32, data: EdgeData| {
        edges.entry(edge).or_default().push(EdgeRow {
            owner,
            target,
            position,
            data,
        });
    };
    let needed = |importance: Importance| EdgeData {
        importance: Some(importance),
        level: None,
    };
    for r in 0..size.roles {
        let role_id = id(r);
        for (p, skill_id) in rng
            .distinct(size.skills_per_role, size.skills)
            .into_iter()
            .enumerate()
        {
            let data = EdgeData {
                importance: Some(rng.importance()),
                level: Some(levels[rng.below(levels.len())]),
            };
            add(EdgeKind::RoleSkill, role_id, skill_id, p as i32, data);
        }
        for (edge, count) in [
            (EdgeKind::RoleLanguage, size.languages),
            (EdgeKind::RoleFramework, size.frameworks),
            (EdgeKind::RoleTool, size.tools),
        ] {
            for (position, target, importance) in draw(rng, per_role, count) {
                add(edge, role_id, target, position, needed(importance));
            }
        }
    }
    let per_skill = size.technologies_per_skill;
    let tree = skill_tree(size);
    // A skill's prerequisite is its previous sibling: always a lower id, so never a cycle.
    let mut last_child: HashMap<Option<i32>, i32> = HashMap::new();
    for (s, (parent, _)) in tree.iter().enumerate() {
        let skill_id = id(s);
        for (edge, count) in [
            (EdgeKind::SkillLanguage, size.languages),
            (EdgeKind::SkillTool, size.tools),
        ] {
            for (p, target) in rng.distinct(per_skill, count).into_iter().enumerate() {
                add(edge, skill_id, target, p as i32, EdgeData::default());
            }
        }
        if let Some(previous) = last_child.insert(*parent, skill_id) {
            let data = EdgeData::default();
            add(EdgeKind::SkillPrerequisite, skill_id, previous, 0, data);
        }
    }
    let mut written = 0;
    for edge in EdgeKind::ALL {
        let rows = edges.remove(edge).unwrap_or_default();
        bulk::insert_edges(txn, *edge, &rows).await?;
        written += rows.len();
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_has_the_asked_size_depth_and_sibling_positions() {
        let size = GraphSize {
            skills: 20_000,
            skill_depth: 5,
            ..GraphSize::small(1)
        };
        let tree = skill_tree(&size);
        assert_eq!(tree.len(), 20_000);
        // Parents precede children, and every parent exists.
        for (i, (parent, _)) in tree.iter().enumerate() {
            if let Some(parent) = parent {
                assert!((*parent as usize) <= i);
            }
        }
        let depth = |mut i: usize| {
            let mut d = 1;
            while let Some(p) = tree[i].0 {
                i = p as usize - 1;
                d += 1;
            }
            d
        };
        assert_eq!(depth(tree.len() - 1), 5);
        // Positions are 0, 1, 2, ... among the children of one parent.
        let mut next: std::collections::HashMap<Option<i32>, i32> = Default::default();
        for (parent, position) in &tree {
            let expected = next.entry(*parent).or_default();
            assert_eq!(position, expected);
            *expected += 1;
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_graph() {
        let (mut a, mut b) = (Rng(3), Rng(3));
        assert_eq!(a.distinct(20, 100), b.distinct(20, 100));
        let picked = Rng(9).distinct(50, 50);
        assert_eq!(picked.iter().collect::<HashSet<_>>().len(), 50);
        assert!(picked.iter().all(|id| (1..=50).contains(id)));
    }
}
