//! The orders a client may ask a list for (`orderBy`), and how any order of a list reads in
//! SQL: the sort-key columns a statement selects, the `ORDER BY`, and the keyset conditions
//! of cursors and counts.
//!
//! A list's own order has one key (a position or the slug), which is unique within the list.
//! An order a client asks for has several, each ascending or descending, and always ends in
//! the slug, so that ties are broken the same way on every page and both backends. A cursor
//! holds every key's value of its item, and the order it belongs to: a cursor of one order is
//! refused by another.
//!
//! A measure of the graph (how many active roles need a skill, how many active skills a role
//! needs) is a column of the node that the database keeps by triggers on every write
//! ([`measure_column`]), with an index on `(measure DESC, slug)`: a page by demand walks the
//! index and stops after the page, instead of counting the edges of every item to sort them.

use std::sync::Arc;

use sea_orm::Value;
use serde::{Deserialize, Serialize};

use super::{Direction, Order, PageArgs, SortKey, Spec};
use crate::data::sql::Sql;
use crate::graph::EdgeKind;

/// What an order sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Name,
    Slug,
    /// How many edges of this kind join the item to active nodes at the other end, the item
    /// being the edge's owner (`true`) or its target (`false`).
    Edges(EdgeKind, bool),
}

/// One key of an order, and its direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrderKey {
    pub key: Key,
    pub descending: bool,
}

/// An order a client asked for, ending in the slug: shared by a page's request, its items'
/// keys and the cursors made of them.
pub type Ordering = Arc<[OrderKey]>;

/// The ordering `keys` give, the slug appended as the last tie-break (and anything after a
/// slug dropped: the slug is unique, so nothing after it ever decides); `None` when that is
/// the slug ascending alone, a list's own order for root lists.
pub fn ordering(keys: &[OrderKey]) -> Option<Ordering> {
    let mut order: Vec<OrderKey> = Vec::with_capacity(keys.len() + 1);
    for key in keys {
        order.push(*key);
        if key.key == Key::Slug {
            break;
        }
    }
    if order.last().is_none_or(|last| last.key != Key::Slug) {
        order.push(OrderKey {
            key: Key::Slug,
            descending: false,
        });
    }
    let slug_alone = order.len() == 1 && !order[0].descending;
    (!slug_alone).then(|| order.into())
}

/// The value of one key of an item.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyValue {
    Count(i64),
    Text(String),
}

impl From<&KeyValue> for Value {
    fn from(value: &KeyValue) -> Value {
        match value {
            KeyValue::Count(count) => (*count).into(),
            KeyValue::Text(text) => text.clone().into(),
        }
    }
}

/// A name of an ordering that tells it from every other: what a cursor carries to say which
/// order it belongs to.
pub fn signature(order: &[OrderKey]) -> String {
    let mut signature = String::new();
    for (at, key) in order.iter().enumerate() {
        if at > 0 {
            signature.push(',');
        }
        match key.key {
            Key::Name => signature.push_str("name"),
            Key::Slug => signature.push_str("slug"),
            Key::Edges(edge, owner) => {
                signature.push_str(edge.spec().table);
                signature.push_str(if owner { ".owner" } else { ".target" });
            }
        }
        signature.push_str(if key.descending { " desc" } else { " asc" });
    }
    signature
}

/// How one statement of a list sorts: its sort-key expressions, each with its direction.
pub(super) struct Sorting {
    keys: Vec<(String, bool)>,
    /// The ordering asked for, `None` for the list's own order.
    ordering: Option<Ordering>,
    own: Order,
}

impl Sorting {
    /// The sorting of a page of `spec`'s list read with `args`; `own_key` is the expression of
    /// the list's own sort key.
    pub(super) fn of(spec: &Spec, own_key: &str, args_order: Option<&Ordering>) -> Sorting {
        match args_order {
            None => Sorting {
                keys: vec![(own_key.to_owned(), false)],
                ordering: None,
                own: spec.order,
            },
            Some(ordering) => Sorting {
                keys: ordering
                    .iter()
                    .map(|key| (expression(key.key), key.descending))
                    .collect(),
                ordering: Some(ordering.clone()),
                own: spec.order,
            },
        }
    }

    /// The sort-key expressions as selected columns: `k AS sg_key`, or `k0 AS sg_key0, ...`.
    pub(super) fn columns(&self) -> String {
        if self.ordering.is_none() {
            return format!("{} AS sg_key", self.keys[0].0);
        }
        let columns: Vec<String> = self
            .keys
            .iter()
            .enumerate()
            .map(|(at, (expression, _))| format!("{expression} AS sg_key{at}"))
            .collect();
        columns.join(", ")
    }

    /// How many columns [`Self::columns`] selects.
    pub(super) fn width(&self) -> usize {
        self.keys.len()
    }

    /// The `ORDER BY` list (without the words), reversed for a page read backward.
    pub(super) fn order_by(&self, direction: Direction) -> String {
        let backward = direction == Direction::Backward;
        let keys: Vec<String> = self
            .keys
            .iter()
            .map(|(expression, descending)| {
                if *descending != backward {
                    format!("{expression} DESC")
                } else {
                    expression.clone()
                }
            })
            .collect();
        keys.join(", ")
    }

    /// ` AND (the item sorts after `after`) AND (it sorts before `before`)`.
    pub(super) fn push_window(&self, sql: &mut Sql, args: &PageArgs) {
        if let Some(after) = &args.after {
            self.push_beyond(sql, after, true, false);
        }
        if let Some(before) = &args.before {
            self.push_beyond(sql, before, false, false);
        }
    }

    /// ` AND (the item sorts at or before `key`)` (`up_to`), or at or after it.
    pub(super) fn push_bound(&self, sql: &mut Sql, key: &SortKey, up_to: bool) {
        self.push_beyond(sql, key, !up_to, true);
    }

    /// ` AND (...)`: the items sorting after `key` (`later`) or before it, and with
    /// `inclusive` the item at `key` too. For keys `k1 .. kn` that is the first key beyond
    /// the cursor's, the ones before it equal: `k1 > c1 OR (k1 = c1 AND (k2 > c2 OR ...))`,
    /// each `>` a `<` where the key descends or the comparison looks back.
    fn push_beyond(&self, sql: &mut Sql, key: &SortKey, later: bool, inclusive: bool) {
        let values: Vec<Value> = match key {
            SortKey::Position(position) => vec![(*position).into()],
            SortKey::Slug(slug) => vec![slug.clone().into()],
            SortKey::Ordered(_, values) => values.iter().map(Value::from).collect(),
        };
        sql.push(" AND ");
        if values.len() == 1 {
            let (expression, descending) = &self.keys[0];
            let operator = match (later != *descending, inclusive) {
                (true, false) => " > ",
                (true, true) => " >= ",
                (false, false) => " < ",
                (false, true) => " <= ",
            };
            sql.push(expression).push(operator).bind(values[0].clone());
            return;
        }
        sql.push("(");
        for (at, ((expression, descending), value)) in self.keys.iter().zip(&values).enumerate() {
            if at > 0 {
                sql.push(" OR (");
                for ((equal, _), value) in self.keys.iter().zip(&values).take(at) {
                    sql.push(equal)
                        .push(" = ")
                        .bind(value.clone())
                        .push(" AND ");
                }
            }
            let operator = if later != *descending { " > " } else { " < " };
            sql.push(expression).push(operator).bind(value.clone());
            if at > 0 {
                sql.push(")");
            }
        }
        if inclusive {
            sql.push(" OR (");
            for (at, ((expression, _), value)) in self.keys.iter().zip(&values).enumerate() {
                if at > 0 {
                    sql.push(" AND ");
                }
                sql.push(expression).push(" = ").bind(value.clone());
            }
            sql.push(")");
        }
        sql.push(")");
    }

    /// Reads an item's sort key from the row's columns from `at` on.
    pub(super) fn read(
        &self,
        row: &crate::data::rows::Row<'_>,
        at: usize,
    ) -> crate::Result<SortKey> {
        let Some(ordering) = &self.ordering else {
            return Ok(match self.own {
                Order::Position => SortKey::Position(row.get(at)?),
                Order::Slug => SortKey::Slug(row.get(at)?),
            });
        };
        let mut values = Vec::with_capacity(ordering.len());
        for (offset, key) in ordering.iter().enumerate() {
            values.push(match key.key {
                Key::Edges(..) => KeyValue::Count(row.get(at + offset)?),
                Key::Name | Key::Slug => KeyValue::Text(row.get(at + offset)?),
            });
        }
        Ok(SortKey::Ordered(ordering.clone(), values))
    }
}

/// The SQL expression of a key, over the item's row `n`.
fn expression(key: Key) -> String {
    match key {
        Key::Name => "n.name".to_owned(),
        Key::Slug => "n.slug".to_owned(),
        Key::Edges(edge, owner) => format!("n.{}", measure_column(edge, owner)),
    }
}

/// The column of an item holding how many edges of `edge` join it to active nodes at the
/// other end (the item being the edge's owner or its target): `role_count` of a skill,
/// `skill_count` of a role. The database keeps it by triggers (migration
/// `m20261207_000001_measures`), for the edge kinds a role needs.
fn measure_column(edge: EdgeKind, owner: bool) -> String {
    let spec = edge.spec();
    let other = if owner { &spec.target } else { &spec.owner };
    format!("{}_count", other.field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: Key, descending: bool) -> OrderKey {
        OrderKey { key, descending }
    }

    #[test]
    fn orderings_end_in_the_slug_and_the_slug_alone_is_the_lists_own() {
        assert_eq!(ordering(&[]), None);
        assert_eq!(ordering(&[key(Key::Slug, false)]), None);
        let by_name = ordering(&[key(Key::Name, true)]).unwrap();
        assert_eq!(&*by_name, &[key(Key::Name, true), key(Key::Slug, false)]);
        let cut = ordering(&[key(Key::Slug, true), key(Key::Name, false)]).unwrap();
        assert_eq!(&*cut, &[key(Key::Slug, true)]);
        assert_ne!(
            signature(&by_name),
            signature(&ordering(&[key(Key::Name, false)]).unwrap())
        );
    }
}
