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

use super::gap::{Gap, Have, credit, skill_gap};
use super::index::GraphIndex;
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

/// What a person holds, by slug, at the level they hold it (`None`: any).
type Held<'a> = foldhash::HashMap<&'a str, Option<Proficiency>>;

/// What a person who has `have` holds on arriving from `role`, by slug (a later entry's
/// level standing, as the gap reads `have`).
fn held_from<'a>(index: &'a GraphIndex, role: &str, have: &'a [Have]) -> Held<'a> {
    let needs = index.roles.get(role).into_iter().flat_map(|r| &r.needs);
    have.iter()
        .map(|h| (h.slug.as_str(), h.level))
        .chain(needs.map(|n| (n.slug.as_str(), n.level)))
        .collect()
}

/// The cost of moving to `to` holding `held`: what [`super::learning_path`] and [`skill_gap`] give
/// (the steps of the path, the other kinds of need missing or below level), counted without
/// building either: the skills not met, their prerequisites not held (transitively), and the
/// rest not met.
fn cost(index: &GraphIndex, held: &Held<'_>, to: &str) -> usize {
    let Some(needs) = index.roles.get(to) else {
        return 0;
    };
    let mut steps: foldhash::HashSet<&str> = foldhash::HashSet::default();
    let mut waiting: Vec<&str> = Vec::new();
    let mut others = 0;
    for need in &needs.needs {
        if credit(need, held.get(need.slug.as_str()).copied()) >= 1.0 {
            continue;
        }
        if need.kind != Kind::Skill {
            others += 1;
        } else if steps.insert(&need.slug) {
            waiting.push(&need.slug);
        }
    }
    while let Some(skill) = waiting.pop() {
        for prerequisite in index.prerequisites.get(skill).into_iter().flatten() {
            if !held.contains_key(prerequisite.as_str()) && steps.insert(prerequisite) {
                waiting.push(prerequisite);
            }
        }
    }
    steps.len() + others
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
        let held = held_from(index, slug(here), &have);
        for role in next {
            if roles.contains(&role) {
                continue;
            }
            let step = cost(index, &held, slug(role));
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
