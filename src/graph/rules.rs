//! The graph's rules that need no database: what a name, a text, a list of texts and a slug
//! may be, and how a cycle is found in a relation. Every writer (mutations, catalog loader,
//! importers, generator) checks values here; [`crate::data::cycles`] reads the relations
//! from the database and looks for cycles with [`find_path`] and [`any_cycle`]. Unique slugs
//! are the database's unique indexes (a race loses with `CONFLICT`), and edges cannot dangle:
//! every edge column is a foreign key that removes the edge with its node.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;

use super::slug::{MAX_SLUG_LEN, is_slug};
use crate::{Error, Result};

/// The longest display name, in characters.
pub const LONGEST_NAME: usize = 256;
/// The longest description, in characters.
pub const LONGEST_TEXT: usize = 10_000;
/// The most items a list field (aliases, responsibilities, domains) holds.
pub const MOST_ITEMS: usize = 100;
/// The longest item of a list field, in characters.
pub const LONGEST_ITEM: usize = 256;

/// Checks a slug.
pub fn check_slug(field: &str, slug: &str) -> Result<()> {
    if is_slug(slug) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!(
                "{field} must be lowercase words of a-z and 0-9 joined by single hyphens, \
                 at most {MAX_SLUG_LEN} characters"
            ),
        ))
    }
}

/// Checks a text's length, and that it holds no NUL (which PostgreSQL cannot store); a
/// one-line text (`empty_ok == false`: names, list items) holds no control character at all.
fn check_length(field: &str, text: &str, longest: usize, empty_ok: bool) -> Result<()> {
    let forbidden = |c: char| c == '\0' || (!empty_ok && c.is_control());
    if text.chars().any(forbidden) {
        return Err(Error::invalid(
            field,
            format!("{field} may not hold control characters"),
        ));
    }
    let length = text.chars().count();
    if (!empty_ok && text.trim().is_empty()) || length > longest {
        let least = if empty_ok { 0 } else { 1 };
        return Err(Error::invalid(
            field,
            format!("{field} must be {least} to {longest} characters long, got {length}"),
        ));
    }
    Ok(())
}

/// Checks a name.
pub fn check_name(field: &str, name: &str) -> Result<()> {
    check_length(field, name, LONGEST_NAME, false)
}

/// Checks a description.
pub fn check_text(field: &str, text: &str) -> Result<()> {
    check_length(field, text, LONGEST_TEXT, true)
}

/// Checks a list of short texts.
pub fn check_list(field: &str, items: &[String]) -> Result<()> {
    if items.len() > MOST_ITEMS {
        return Err(Error::invalid(
            field,
            format!(
                "{field} holds at most {MOST_ITEMS} items, got {}",
                items.len()
            ),
        ));
    }
    for item in items {
        check_length(field, item, LONGEST_ITEM, false)?;
    }
    Ok(())
}

/// Checks a label of a node in one locale and gives its tag in canonical case: the tag
/// well-formed (BCP 47), and the texts within the bounds of the row's own. In the catalog's
/// locale a label holds hidden labels only (the shown text is the node's own, in its row);
/// in any other it has a name. The one check every writer of labels calls (mutations, the
/// catalog loader, the ESCO importer).
pub fn check_label(label: &super::locales::Label) -> Result<String> {
    let locale = super::locales::canonical(&label.locale).ok_or_else(|| {
        Error::invalid(
            "locale",
            format!(
                "locale must be a BCP 47 language tag such as `de`, `pt-BR` or `sr-Latn`, got {:?}",
                label.locale
            ),
        )
    })?;
    let catalog = locale == super::locales::CATALOG;
    match (&label.name, catalog) {
        (Some(name), false) => check_name("name", name)?,
        (None, false) => {
            return Err(Error::invalid(
                "name",
                format!("a label in {locale} needs a name"),
            ));
        }
        (Some(_), true) => {
            return Err(Error::invalid(
                "name",
                format!(
                    "a node's {locale} text is its own name, aliases and description \
                     (update the node); a label in {locale} holds hidden aliases only"
                ),
            ));
        }
        (None, true) => {}
    }
    if catalog && (!label.aliases.is_empty() || label.description.is_some()) {
        return Err(Error::invalid(
            if label.aliases.is_empty() {
                "description"
            } else {
                "aliases"
            },
            format!("a label in {locale} holds hidden aliases only: update the node instead"),
        ));
    }
    check_list("aliases", &label.aliases)?;
    check_list("hiddenAliases", &label.hidden)?;
    if let Some(description) = &label.description {
        check_text("description", description)?;
    }
    Ok(locale)
}

/// Checks that an edge of `edge` between two nodes of one kind joins two nodes: for the kinds
/// that may go round it is the only rule of their shape (for the acyclic ones a node that
/// names itself is the shortest cycle, refused as one). Mutations and the catalog's checks
/// call it; `owner` and `target` are slugs.
pub fn check_ends(edge: super::EdgeKind, owner: &str, target: &str) -> Result<()> {
    let spec = edge.spec();
    if spec.within_kind() && !spec.acyclic && owner == target {
        return Err(Error::invalid(
            spec.target.field,
            format!("{owner:?} cannot be in its own {}", spec.list),
        ));
    }
    Ok(())
}

/// A path from `from` to `to` following `next`, both ends included; `None` if there is none.
/// Used to name the cycle a new edge would close: the edge `to → from` closes a cycle exactly
/// when `from` already reaches `to`.
pub fn find_path<K: Copy + Eq + Hash>(from: K, to: K, next: &HashMap<K, Vec<K>>) -> Option<Vec<K>> {
    let mut came_from: HashMap<K, K> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = HashSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to];
            let mut at = to;
            while let Some(&previous) = came_from.get(&at) {
                path.push(previous);
                at = previous;
            }
            path.reverse();
            return Some(path);
        }
        for &n in next.get(&node).map(Vec::as_slice).unwrap_or_default() {
            if seen.insert(n) {
                came_from.insert(n, node);
                queue.push_back(n);
            }
        }
    }
    None
}

/// Some cycle of `next`, closed (first and last equal), if there is one.
pub fn any_cycle<K: Copy + Eq + Hash + Ord>(next: &HashMap<K, Vec<K>>) -> Option<Vec<K>> {
    let mut starts: Vec<K> = next.keys().copied().collect();
    starts.sort();
    let mut finished: HashSet<K> = HashSet::new();
    for start in starts {
        if finished.contains(&start) {
            continue;
        }
        // Depth-first, keeping the path: an edge back into the path is a cycle.
        let mut path: Vec<K> = vec![start];
        let mut on_path: HashSet<K> = HashSet::from([start]);
        let mut stack: Vec<std::slice::Iter<'_, K>> = vec![
            next.get(&start)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter(),
        ];
        while let Some(children) = stack.last_mut() {
            match children.next() {
                Some(&child) if on_path.contains(&child) => {
                    let at = path.iter().position(|&k| k == child).unwrap_or(0);
                    let mut cycle = path[at..].to_vec();
                    cycle.push(child);
                    return Some(cycle);
                }
                Some(&child) if !finished.contains(&child) => {
                    path.push(child);
                    on_path.insert(child);
                    stack.push(
                        next.get(&child)
                            .map(Vec::as_slice)
                            .unwrap_or_default()
                            .iter(),
                    );
                }
                Some(_) => {}
                None => {
                    stack.pop();
                    if let Some(done) = path.pop() {
                        on_path.remove(&done);
                        finished.insert(done);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_cycles() {
        let next = HashMap::from([(1, vec![2]), (2, vec![3, 4]), (4, vec![5])]);
        assert_eq!(find_path(1, 5, &next), Some(vec![1, 2, 4, 5]));
        assert_eq!(find_path(5, 1, &next), None);
        assert_eq!(any_cycle(&next), None);
        let cyclic = HashMap::from([(1, vec![2]), (2, vec![3]), (3, vec![1])]);
        assert_eq!(any_cycle(&cyclic), Some(vec![1, 2, 3, 1]));
        assert_eq!(any_cycle(&HashMap::from([(7, vec![7])])), Some(vec![7, 7]));
    }

    #[test]
    fn values_are_bounded() {
        assert!(check_name("name", "Backend Developer").is_ok());
        assert!(check_name("name", " ").is_err());
        assert!(check_name("name", &"x".repeat(LONGEST_NAME + 1)).is_err());
        assert!(check_list("aliases", &vec!["a".to_owned(); MOST_ITEMS + 1]).is_err());
        assert!(check_list("aliases", &["".to_owned()]).is_err());
        assert!(check_slug("slug", "Not A Slug").is_err());
    }
}
