//! The order a roadmap is read in: the role's skills as a forest (a skill under its parent
//! when the role needs the parent too), siblings in learning order, the whole read in
//! pre-order.
//!
//! Siblings are ordered by the prerequisites between their subtrees, then by the role's
//! order (the catalog's position order, its learning order): a prerequisite from anywhere
//! under one sibling to anywhere under another puts the first sibling earlier. Grouping
//! skills under their areas can make such constraints contradict each other (an API area
//! with a part that needs a security part, and a security area that needs the API area),
//! so a constraint on a part of a sibling (a *soft* one) gives way when it closes a cycle;
//! one on the sibling itself (a *hard* one) only when hard ones alone form a cycle, which
//! the walk breaks at the earliest skill in the role's order. Every step terminates on any
//! input, including parent links that loop (a database edited by hand), which are cut.
//!
//! Cost: O(n log n + p·d) for n skills, p prerequisites among them and a tree d deep.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The forest of a role's skills, in reading order.
pub(super) struct Forest {
    /// Each skill's parent within the role (after cutting loops).
    pub parent: Vec<Option<usize>>,
    /// Each skill's depth: 0 for an area (a root), 1 for its parts, …
    pub depth: Vec<usize>,
    /// Each skill's children, in learning order.
    pub children: Vec<Vec<usize>>,
    /// The areas, in learning order: the spine.
    pub roots: Vec<usize>,
    /// Every skill, in pre-order: how the diagram is read.
    pub reading: Vec<usize>,
    /// Each skill's place in `reading`.
    pub place: Vec<usize>,
}

/// Orders `parents.len()` skills, given in the role's order, with `parents[i]` the index
/// of skill `i`'s parent and `prerequisites` as `(prerequisite, skill)` index pairs.
pub(super) fn arrange(parents: &[Option<usize>], prerequisites: &[(usize, usize)]) -> Forest {
    let n = parents.len();
    let mut parent: Vec<Option<usize>> = parents
        .iter()
        .enumerate()
        .map(|(i, p)| p.filter(|p| *p < n && *p != i))
        .collect();
    cut_loops(&mut parent);
    let mut depth = vec![0; n];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => members[*p].push(i),
            None => roots.push(i),
        }
    }
    // Depths, breadth first from the roots.
    let mut queue = roots.clone();
    let mut at = 0;
    while at < queue.len() {
        let v = queue[at];
        at += 1;
        for &c in &members[v] {
            depth[c] = depth[v] + 1;
            queue.push(c);
        }
    }

    // Lift each prerequisite to the pair of siblings whose subtrees hold its ends.
    // `constraints[g]` holds those among the children of `g` (`n` stands for the roots).
    let mut constraints: Vec<Vec<(usize, usize, bool)>> = vec![Vec::new(); n + 1];
    for &(before, after) in prerequisites {
        if before >= n || after >= n || before == after {
            continue;
        }
        let (mut a, mut b) = (before, after);
        while depth[a] > depth[b] {
            a = parent[a].unwrap_or(a);
        }
        while depth[b] > depth[a] {
            b = parent[b].unwrap_or(b);
        }
        if a == b {
            // One end is an ancestor of the other: an area is drawn before its parts anyway.
            continue;
        }
        while parent[a] != parent[b] {
            match (parent[a], parent[b]) {
                (Some(pa), Some(pb)) => {
                    a = pa;
                    b = pb;
                }
                _ => break,
            }
        }
        let group = parent[a].unwrap_or(n);
        constraints[group].push((a, b, b == after));
    }

    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (g, kids) in members.iter().enumerate() {
        children[g] = order_siblings(kids, &constraints[g]);
    }
    let roots = order_siblings(&roots, &constraints[n]);

    let mut reading = Vec::with_capacity(n);
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(v) = stack.pop() {
        reading.push(v);
        stack.extend(children[v].iter().rev());
    }
    let mut place = vec![0; n];
    for (i, &v) in reading.iter().enumerate() {
        place[v] = i;
    }
    Forest {
        parent,
        depth,
        children,
        roots,
        reading,
        place,
    }
}

/// Cuts parent links that loop: each skill not reachable from a root becomes one, the
/// earliest first, until every skill is reachable.
fn cut_loops(parent: &mut [Option<usize>]) {
    let n = parent.len();
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            kids[*p].push(i);
        }
    }
    let mut reached = vec![false; n];
    let mut stack: Vec<usize> = (0..n).filter(|i| parent[*i].is_none()).collect();
    let mut next = 0;
    loop {
        while let Some(v) = stack.pop() {
            if reached[v] {
                continue;
            }
            reached[v] = true;
            stack.extend(kids[v].iter().filter(|c| !reached[**c]));
        }
        while next < n && reached[next] {
            next += 1;
        }
        if next == n {
            break;
        }
        parent[next] = None;
        stack.push(next);
    }
}

/// `members` (indices in the role's order, ascending) in learning order under
/// `constraints` (`(before, after, hard)` among them).
fn order_siblings(members: &[usize], constraints: &[(usize, usize, bool)]) -> Vec<usize> {
    if constraints.is_empty() {
        return members.to_vec();
    }
    let local = |skill: usize| members.binary_search(&skill).ok();
    let m = members.len();
    let mut edges: Vec<(usize, usize, bool)> = constraints
        .iter()
        .filter_map(|&(a, b, hard)| Some((local(a)?, local(b)?, hard)))
        .collect();
    edges.sort_unstable();
    // The same pair twice is one constraint, hard if either is.
    edges.dedup_by(|later, kept| {
        let same = later.0 == kept.0 && later.1 == kept.1;
        if same {
            kept.2 |= later.2;
        }
        same
    });
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); m];
    for &(a, b, _) in &edges {
        next[a].push(b);
    }
    let component = components(&next);
    let kept: Vec<(usize, usize)> = edges
        .iter()
        .filter(|&&(a, b, hard)| hard || component[a] != component[b])
        .map(|&(a, b, _)| (a, b))
        .collect();

    // Kahn's algorithm, the earliest ready sibling first; when only a cycle of hard
    // constraints is left, its earliest sibling goes first.
    let mut waiting = vec![0usize; m];
    let mut unlocks: Vec<Vec<usize>> = vec![Vec::new(); m];
    for &(a, b) in &kept {
        waiting[b] += 1;
        unlocks[a].push(b);
    }
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..m).filter(|i| waiting[*i] == 0).map(Reverse).collect();
    let mut placed = vec![false; m];
    let mut order = Vec::with_capacity(m);
    let mut earliest = 0;
    while order.len() < m {
        let v = match ready.pop() {
            Some(Reverse(v)) if placed[v] => continue,
            Some(Reverse(v)) => v,
            None => {
                while placed[earliest] {
                    earliest += 1;
                }
                earliest
            }
        };
        placed[v] = true;
        order.push(members[v]);
        for &w in &unlocks[v] {
            waiting[w] = waiting[w].saturating_sub(1);
            if waiting[w] == 0 && !placed[w] {
                ready.push(Reverse(w));
            }
        }
    }
    order
}

/// The strongly connected component of each node of `next` (Tarjan's algorithm, with an
/// explicit stack so that a long chain cannot overflow the thread's).
fn components(next: &[Vec<usize>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = next.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![NONE; n];
    let mut counter = 0;
    let mut found = 0;
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for start in 0..n {
        if index[start] != NONE {
            continue;
        }
        index[start] = counter;
        low[start] = counter;
        counter += 1;
        stack.push(start);
        on_stack[start] = true;
        calls.push((start, 0));
        while let Some(top) = calls.last_mut() {
            let v = top.0;
            if let Some(&w) = next[v].get(top.1) {
                top.1 += 1;
                if index[w] == NONE {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = found;
                    if w == v {
                        break;
                    }
                }
                found += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_follow_prerequisites_then_the_roles_order() {
        // 0 and 1 are areas; 2 is a part of 0 that needs 1.
        let forest = arrange(&[None, None, Some(0)], &[(1, 2)]);
        assert_eq!(forest.roots, [1, 0]);
        assert_eq!(forest.reading, [1, 0, 2]);
        // Without it, the role's order.
        assert_eq!(arrange(&[None, None, Some(0)], &[]).reading, [0, 2, 1]);
    }

    #[test]
    fn a_soft_constraint_gives_way_to_a_hard_one() {
        // Area 1 needs area 0 itself; a part of 0 (2) needs a part of 1 (3).
        let forest = arrange(&[None, None, Some(0), Some(1)], &[(0, 1), (3, 2)]);
        assert_eq!(forest.roots, [0, 1]);
        // Area 2, free of constraints, keeps its place after them.
        let forest = arrange(
            &[None, None, None, Some(0), Some(1)],
            &[(1, 3), (0, 1), (4, 3)],
        );
        assert_eq!(forest.roots, [0, 1, 2]);
    }

    #[test]
    fn loops_terminate() {
        // Hard constraints in a cycle, and parents that loop.
        let forest = arrange(&[None, None], &[(0, 1), (1, 0)]);
        assert_eq!(forest.roots, [0, 1]);
        let forest = arrange(&[Some(1), Some(0), Some(1)], &[]);
        assert_eq!(forest.reading.len(), 3);
        assert_eq!(forest.roots, [0]);
        assert_eq!(forest.reading, [0, 1, 2]);
        let forest = arrange(&[Some(0), Some(7)], &[(0, 0), (5, 1)]);
        assert_eq!(forest.reading, [0, 1]);
    }

    #[test]
    fn components_are_found() {
        let c = components(&[vec![1], vec![0, 2], vec![], vec![3]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[2], c[3]);
    }
}
