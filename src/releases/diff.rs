//! What changed between two catalogs (two releases, or a release and the live graph): nodes
//! created, updated (which fields, before → after), deprecated, restored, given other
//! replacements, removed; and edges added, changed and removed. Every entry is computed from
//! the two catalogs alone, in one pass over each, in a fixed order (kinds in the list's order,
//! nodes by slug, then edge kinds in the table's order, edges by owner and target), so that a
//! page of the diff is a slice of it.

use std::collections::BTreeMap;

use sea_orm::ActiveEnum;
use serde_json::{Map, Value, json};

use crate::catalog::Catalog;
use crate::graph::{Datum, EdgeData, EdgeKind, Kind};
use crate::{Error, Result};

/// What happened to a node or an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum What {
    Created,
    /// Fields other than the lifecycle and the edges changed.
    Updated,
    Deprecated,
    Restored,
    /// Still deprecated, with other replacements.
    Replaced,
    /// Deleted (only a node no release held can be).
    Removed,
    EdgeAdded,
    /// The edge's data changed (importance, level).
    EdgeChanged,
    EdgeRemoved,
}

/// One difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub what: What,
    /// The node's kind; for an edge, its owner's.
    pub kind: Kind,
    /// The node's slug; for an edge, its owner's.
    pub slug: String,
    /// For an edge: the owner's list holding it and the target's slug.
    pub edge: Option<(&'static str, String)>,
    /// The changed fields before (for an update), the node or edge data before (for a
    /// removal or a change); `None` for a creation.
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The catalog field holding the nodes of `kind`.
fn field_of(kind: Kind) -> String {
    format!("{}s", kind.table())
}

/// Each node of `kind` in `catalog`, as its catalog entry, by slug.
fn nodes(catalog: &Value, kind: Kind) -> BTreeMap<String, Map<String, Value>> {
    catalog[field_of(kind).as_str()]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|node| {
                    let node = node.as_object()?;
                    Some((node.get("slug")?.as_str()?.to_owned(), node.clone()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The lists of `kind`'s entries that hold edges, and its lifecycle fields: what an update
/// does not compare.
fn not_fields(kind: Kind) -> Vec<&'static str> {
    let mut fields: Vec<&str> = EdgeKind::ALL
        .iter()
        .map(|edge| edge.spec())
        .filter(|spec| spec.owner.kind == kind)
        .map(|spec| spec.list)
        .collect();
    fields.push("deprecated");
    fields
}

fn replaced_by(node: &Map<String, Value>) -> Value {
    node.get("replaced_by")
        .cloned()
        .unwrap_or_else(|| json!([]))
}

fn lifecycle(node: &Map<String, Value>) -> Value {
    json!({
        "note": node.get("deprecated").and_then(|d| d.get("note")).cloned().unwrap_or(Value::Null),
        "replacedBy": replaced_by(node),
    })
}

fn edge_json(edge: EdgeKind, position: usize, data: EdgeData) -> Value {
    let mut map = Map::new();
    map.insert("position".into(), json!(position));
    for datum in edge.spec().data {
        let value = match datum {
            Datum::Importance => data.importance.map(|i| i.to_value()),
            Datum::Level => data.level.map(|l| l.to_value()),
        };
        map.insert(datum.column().into(), json!(value));
    }
    Value::Object(map)
}

/// Every difference from `from` to `to`, in the module's order.
pub fn diff(from: &Catalog, to: &Catalog) -> Result<Vec<Entry>> {
    let as_json = |catalog: &Catalog| {
        serde_json::to_value(catalog).map_err(|err| Error::Internal(format!("diff: {err}")))
    };
    let (old, new) = (as_json(from)?, as_json(to)?);
    let mut entries = Vec::new();
    for kind in Kind::ALL {
        let (before, after) = (nodes(&old, *kind), nodes(&new, *kind));
        let skipped = not_fields(*kind);
        let entry = |what, slug: &str, before, after| Entry {
            what,
            kind: *kind,
            slug: slug.to_owned(),
            edge: None,
            before,
            after,
        };
        let mut slugs: Vec<&String> = before.keys().chain(after.keys()).collect();
        slugs.sort();
        slugs.dedup();
        for slug in slugs {
            let (old, new) = match (before.get(slug), after.get(slug)) {
                (None, Some(new)) => {
                    entries.push(entry(
                        What::Created,
                        slug,
                        None,
                        Some(Value::Object(new.clone())),
                    ));
                    continue;
                }
                (Some(old), None) => {
                    entries.push(entry(
                        What::Removed,
                        slug,
                        Some(Value::Object(old.clone())),
                        None,
                    ));
                    continue;
                }
                (Some(old), Some(new)) => (old, new),
                (None, None) => continue,
            };
            let mut changed_before = Map::new();
            let mut changed_after = Map::new();
            let mut fields: Vec<&String> = old.keys().chain(new.keys()).collect();
            fields.sort();
            fields.dedup();
            for field in fields {
                if skipped.contains(&field.as_str()) {
                    continue;
                }
                let (a, b) = (old.get(field), new.get(field));
                if a != b {
                    changed_before.insert(field.clone(), a.cloned().unwrap_or(Value::Null));
                    changed_after.insert(field.clone(), b.cloned().unwrap_or(Value::Null));
                }
            }
            if !changed_before.is_empty() {
                entries.push(entry(
                    What::Updated,
                    slug,
                    Some(Value::Object(changed_before)),
                    Some(Value::Object(changed_after)),
                ));
            }
            let was = old.contains_key("deprecated");
            let is = new.contains_key("deprecated");
            let what = match (was, is) {
                (false, true) => Some(What::Deprecated),
                (true, false) => Some(What::Restored),
                (true, true) if replaced_by(old) != replaced_by(new) => Some(What::Replaced),
                _ => None,
            };
            if let Some(what) = what {
                entries.push(entry(
                    what,
                    slug,
                    Some(lifecycle(old)),
                    Some(lifecycle(new)),
                ));
            }
        }
    }
    for edge in EdgeKind::ALL.iter().filter(|edge| !edge.spec().replaces) {
        let spec = edge.spec();
        let of = |catalog: &Catalog| -> BTreeMap<(String, String), Value> {
            catalog
                .edges(*edge)
                .into_iter()
                .map(|e| {
                    (
                        (e.owner.to_owned(), e.target.to_owned()),
                        edge_json(*edge, e.position, e.data),
                    )
                })
                .collect()
        };
        let (before, after) = (of(from), of(to));
        let mut keys: Vec<&(String, String)> = before.keys().chain(after.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let (old, new) = (before.get(key), after.get(key));
            let what = match (old, new) {
                (None, Some(_)) => What::EdgeAdded,
                (Some(_), None) => What::EdgeRemoved,
                (Some(a), Some(b)) if a != b => What::EdgeChanged,
                _ => continue,
            };
            entries.push(Entry {
                what,
                kind: spec.owner.kind,
                slug: key.0.clone(),
                edge: Some((spec.list, key.1.clone())),
                before: old.cloned(),
                after: new.cloned(),
            });
        }
    }
    Ok(entries)
}

/// What a change of the graph does, in figures: how many differences of each kind, and the
/// roles whose needs change (and with them their gaps, learning paths and related roles),
/// with their needs before and after. What a dry run answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impact {
    pub counts: Vec<(What, usize)>,
    pub roles: Vec<RoleImpact>,
}

/// A role whose needs change: how many it has (and how many are essential), before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleImpact {
    pub slug: String,
    pub needs: (usize, usize),
    pub essential: (usize, usize),
}

/// Each role's needs in `catalog`: every edge of a kind owned by roles, `(target, essential)`.
fn needs(catalog: &Catalog) -> BTreeMap<&str, Vec<(&str, bool)>> {
    let mut needs: BTreeMap<&str, Vec<(&str, bool)>> = BTreeMap::new();
    for edge in EdgeKind::ALL {
        let spec = edge.spec();
        if spec.owner.kind != Kind::Role || !spec.carries(Datum::Importance) {
            continue;
        }
        for e in catalog.edges(*edge) {
            let essential = e.data.importance == Some(entity::Importance::Essential);
            needs
                .entry(e.owner)
                .or_default()
                .push((e.target, essential));
        }
    }
    needs
}

/// The impact of going from `from` to `to`.
pub fn impact(from: &Catalog, to: &Catalog) -> Result<Impact> {
    Ok(impact_of(from, to, &diff(from, to)?))
}

/// The impact of going from `from` to `to`, whose differences are `entries`.
pub fn impact_of(from: &Catalog, to: &Catalog, entries: &[Entry]) -> Impact {
    let mut counts: Vec<(What, usize)> = Vec::new();
    for entry in entries {
        match counts.iter_mut().find(|(what, _)| *what == entry.what) {
            Some((_, n)) => *n += 1,
            None => counts.push((entry.what, 1)),
        }
    }
    // Nodes whose lifecycle changes change the needs of the roles that need them.
    let moved: std::collections::HashSet<&str> = entries
        .iter()
        .filter(|e| matches!(e.what, What::Deprecated | What::Restored | What::Replaced))
        .map(|e| e.slug.as_str())
        .collect();
    let (before, after) = (needs(from), needs(to));
    let mut roles: std::collections::BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.kind == Kind::Role)
        .map(|e| e.slug.as_str())
        .collect();
    for needs in [&before, &after] {
        for (role, targets) in needs {
            if targets.iter().any(|(target, _)| moved.contains(target)) {
                roles.insert(role);
            }
        }
    }
    let figures = |needs: &BTreeMap<&str, Vec<(&str, bool)>>, role: &str| {
        needs.get(role).map_or((0, 0), |targets| {
            (targets.len(), targets.iter().filter(|(_, e)| *e).count())
        })
    };
    let roles = roles
        .into_iter()
        .map(|role| {
            let (b, a) = (figures(&before, role), figures(&after, role));
            RoleImpact {
                slug: role.to_owned(),
                needs: (b.0, a.0),
                essential: (b.1, a.1),
            }
        })
        .collect();
    Impact { counts, roles }
}

impl std::fmt::Display for Impact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// The most roles listed by name.
        const LISTED: usize = 20;
        if self.counts.is_empty() {
            return write!(f, "no changes");
        }
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(what, n)| format!("{n} {what:?}"))
            .collect();
        write!(f, "{}", counts.join(", "))?;
        write!(f, "; {} roles whose needs change", self.roles.len())?;
        for role in self.roles.iter().take(LISTED) {
            write!(
                f,
                "\n  {}: {} → {} needs ({} → {} essential)",
                role.slug, role.needs.0, role.needs.1, role.essential.0, role.essential.1
            )?;
        }
        if self.roles.len() > LISTED {
            write!(f, "\n  … and {} more", self.roles.len() - LISTED)?;
        }
        Ok(())
    }
}
