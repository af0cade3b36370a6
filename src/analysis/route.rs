//! A route between roles, for a career: the cheapest sequence of moves from one role to
//! another, each move to a role near the one before.
//!
//! - **A move** from a role goes to one of its [`NEIGHBOURS`] nearest roles ([`super::related`],
//!   sharing something), or straight to the goal when the two share anything at all.
//! - **Its cost** is what the person must learn for the new role, holding what they have and
//!   the needs of the role they leave, at the levels it asks (as [`super::role_gap`] reads a
//!   move): the skills of the [`super::learning_path`] to it (with the prerequisites it adds)
//!   and the languages, frameworks and tools it needs that they lack, one each.
//! - **The route** is the cheapest in total within `max_steps` moves (Dijkstra's search over
//!   roles and moves made), ties going to fewer moves and then to the roles' slugs; none
//!   within the moves is an answer. The search expands at most [`MOST_EXPANDED`] roles, so a
//!   request costs a bounded number of learning paths whatever the graph; a search cut short
//!   says so, with the cheapest route it found.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use entity::Proficiency;

use super::gap::{Gap, Have, credit_at, skill_gap};
use super::index::GraphIndex;
use super::route_tables::RouteTables;
use crate::graph::Kind;

/// How many nearest roles a move may go to.
pub const NEIGHBOURS: usize = 10;
/// The most roles one search expands.
pub const MOST_EXPANDED: usize = 200;

/// One move of a route.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    pub from: String,
    pub to: String,
    pub cost: usize,
    /// What the person lacks for `to` as they arrive from `from`.
    pub gap: Gap,
}

/// A route, or the answer that there is none within the moves.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub moves: Vec<Move>,
    pub cost: usize,
    /// Whether a route was found.
    pub found: bool,
    /// Whether the search ran to its end (else it stopped at [`MOST_EXPANDED`] roles, and a
    /// cheaper route may exist).
    pub complete: bool,
    /// How many roles the search expanded.
    pub expanded: usize,
}

/// What a person who has `have` holds on arriving from `role`: `have`, and `role`'s needs at
/// the levels it asks.
fn holding(index: &GraphIndex, role: &str, have: &[Have]) -> Vec<Have> {
    let mut held = have.to_vec();
    held.extend(
        index
            .roles
            .get(role)
            .into_iter()
            .flat_map(|r| &r.needs)
            .map(|need| Have {
                slug: need.slug.clone(),
                level: need.level,
            }),
    );
    held
}

/// The route tables of the index, made the first time a route needs them.
fn tables(index: &GraphIndex) -> &RouteTables {
    index
        .route_tables
        .get_or_init(|| RouteTables::new(&index.roles, &index.postings.roles, &index.prerequisites))
}

/// What a person holds while a route is priced, by slug number, and the skills a move's cost
/// has counted: arrays as long as the numbered slugs, made once a route, whose entries count
/// only where they carry the current stamp (so starting afresh is a stamp, not a clearing).
struct Scratch {
    held_at: Vec<u32>,
    held: Vec<Option<Proficiency>>,
    counted_at: Vec<u32>,
    holding: u32,
    counting: u32,
}

impl Scratch {
    fn new(slugs: usize) -> Scratch {
        Scratch {
            held_at: vec![0; slugs],
            held: vec![None; slugs],
            counted_at: vec![0; slugs],
            holding: 0,
            counting: 0,
        }
    }

    /// Holds `have` and the needs of the role numbered `role` at the levels it asks (a later
    /// entry's level standing, as the gap reads `have`).
    fn hold_from(&mut self, tables: &RouteTables, role: u32, have: &[(u32, Option<Proficiency>)]) {
        self.holding += 1;
        let needs = tables
            .needs(role)
            .iter()
            .map(|need| (need.slug, need.level));
        for (slug, level) in have.iter().copied().chain(needs) {
            self.held_at[slug as usize] = self.holding;
            self.held[slug as usize] = level;
        }
    }

    /// What is held of the slug numbered `slug`: `None` if nothing, else the level (`None`:
    /// any).
    fn held(&self, slug: u32) -> Option<Option<Proficiency>> {
        (self.held_at[slug as usize] == self.holding).then(|| self.held[slug as usize])
    }

    /// The cost of moving to the role numbered `to` holding what is held: what
    /// [`super::learning_path`] and [`skill_gap`] give (the steps of the path, the other
    /// kinds of need missing or below level), counted without building either: the skills
    /// not met, their prerequisites not held (transitively), and the rest not met.
    fn cost(&mut self, tables: &RouteTables, to: u32) -> usize {
        self.counting += 1;
        let mut waiting: Vec<u32> = Vec::new();
        let (mut steps, mut others) = (0, 0);
        for need in tables.needs(to) {
            if credit_at(need.level, self.held(need.slug)) >= 1.0 {
                continue;
            }
            if !need.skill {
                others += 1;
            } else if self.count(need.slug) {
                steps += 1;
                waiting.push(need.slug);
            }
        }
        while let Some(skill) = waiting.pop() {
            for &prerequisite in tables.prerequisites(skill) {
                if self.held(prerequisite).is_none() && self.count(prerequisite) {
                    steps += 1;
                    waiting.push(prerequisite);
                }
            }
        }
        steps + others
    }

    /// Counts the skill numbered `skill` once a move: true the first time.
    fn count(&mut self, skill: u32) -> bool {
        let first = self.counted_at[skill as usize] != self.counting;
        self.counted_at[skill as usize] = self.counting;
        first
    }
}

/// A role's nearest roles that share something with it (at most [`NEIGHBOURS`]), by role
/// number, found the first time a route passes the role and kept with the index (so until
/// the catalog's revision moves).
fn neighbours(index: &GraphIndex, role: u32) -> &[u32] {
    let Some(slug) = index.postings.roles.get(role as usize) else {
        return &[];
    };
    index
        .route_neighbours
        .get_or_init(role as usize, || {
            super::related(index, slug, NEIGHBOURS)
                .into_iter()
                .filter(|r| r.similarity > 0.0)
                .filter_map(|r| number(index, &r.slug))
                .collect()
        })
        .map_or(&[], Vec::as_slice)
}

/// A role's number: the place of its slug among the sorted slugs.
fn number(index: &GraphIndex, slug: &str) -> Option<u32> {
    let at = index
        .postings
        .roles
        .binary_search_by(|s| s.as_str().cmp(slug))
        .ok()?;
    u32::try_from(at).ok()
}

/// The cheapest route from `from` to `to` within `max_steps` moves for a person who has
/// `have`; `None` if either role does not exist.
pub fn career_route(
    index: &GraphIndex,
    from: &str,
    to: &str,
    have: &[Have],
    max_steps: usize,
) -> Option<Route> {
    let (start, goal) = (number(index, from)?, number(index, to)?);
    let slug = |role: u32| {
        index
            .postings
            .roles
            .get(role as usize)
            .map_or("", String::as_str)
    };
    let (have, _) = super::gap::follow(index, have);
    let tables = tables(index);
    // What the person has that any role needs or any needed skill's prerequisites reach: the
    // rest never changes a move's cost.
    let numbered_have: Vec<(u32, Option<Proficiency>)> = have
        .iter()
        .filter_map(|h| Some((tables.number_of(&h.slug)?, h.level)))
        .collect();
    let mut scratch = Scratch::new(tables.slugs());
    let goal_needs: foldhash::HashSet<(Kind, &str)> = index
        .roles
        .get(to)
        .into_iter()
        .flat_map(|r| &r.needs)
        .map(|n| (n.kind, n.slug.as_str()))
        .collect();
    // A state: the total cost, the moves made, the roles passed (from first, by number) and
    // each move's cost. The heap pops the cheapest, then the one of fewer moves, then by the
    // roles passed (numbers are in the slugs' order).
    let first: State = (0, 0, vec![start], Vec::new());
    let mut queue: BinaryHeap<Reverse<State>> = BinaryHeap::from([Reverse(first)]);
    // The fewest moves an expanded state reached each role with (at no greater cost).
    let mut fewest: Vec<usize> = vec![usize::MAX; index.postings.roles.len()];
    // The cheapest state reaching `to` seen so far, for a search cut short.
    let mut best: Option<State> = None;
    let mut expanded = 0;
    while let Some(Reverse(state)) = queue.pop() {
        let (total, moves, roles, costs) = &state;
        let Some(&here) = roles.last() else {
            continue;
        };
        if here == goal {
            return Some(finish(index, &have, Some(state), true, expanded));
        }
        let Some(fewer) = fewest.get_mut(here as usize) else {
            continue;
        };
        if *fewer <= *moves {
            continue;
        }
        *fewer = *moves;
        if *moves >= max_steps {
            continue;
        }
        if expanded == MOST_EXPANDED {
            return Some(finish(index, &have, best, false, expanded));
        }
        expanded += 1;
        let mut next: Vec<u32> = neighbours(index, here).to_vec();
        let shares = index.roles.get(slug(here)).is_some_and(|r| {
            r.needs
                .iter()
                .any(|n| goal_needs.contains(&(n.kind, n.slug.as_str())))
        });
        if shares && !next.contains(&goal) {
            next.push(goal);
        }
        scratch.hold_from(tables, here, &numbered_have);
        for role in next {
            if roles.contains(&role) {
                continue;
            }
            let step = scratch.cost(tables, role);
            let mut passed = roles.clone();
            passed.push(role);
            let mut steps = costs.clone();
            steps.push(step);
            let reached: State = (total + step, moves + 1, passed, steps);
            if role == goal && best.as_ref().is_none_or(|b| reached < *b) {
                best = Some(reached.clone());
            }
            queue.push(Reverse(reached));
        }
    }
    Some(finish(index, &have, None, true, expanded))
}

/// A state of the search: the total cost, the moves made, the roles passed by number (the
/// first is where the route starts) and each move's cost.
type State = (usize, usize, Vec<u32>, Vec<usize>);

/// The route a state reached (none when `found` is `None`), with each move's gap.
fn finish(
    index: &GraphIndex,
    have: &[Have],
    found: Option<State>,
    complete: bool,
    expanded: usize,
) -> Route {
    let Some((cost, _, roles, costs)) = found else {
        return Route {
            moves: Vec::new(),
            cost: 0,
            found: false,
            complete,
            expanded,
        };
    };
    let slug = |role: u32| index.postings.roles.get(role as usize).cloned();
    let moves: Vec<Move> = roles
        .windows(2)
        .zip(costs)
        .filter_map(|(pair, cost)| {
            let (from, to) = (slug(pair[0])?, slug(pair[1])?);
            let held = holding(index, &from, have);
            Some(Move {
                gap: skill_gap(index, &to, &held)?,
                from,
                to,
                cost,
            })
        })
        .collect();
    Route {
        cost,
        moves,
        found: true,
        complete,
        expanded,
    }
}
