//! The catalog's revision and its change log, as queries.

use async_graphql::{Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, TimeZone, Utc};
use entity::catalog_change;

use super::engine::fast_lists::{Ordered, PlainFields, PlainList};
use super::enums::NodeKind;
use super::ids::{decode_id, encode_id};
use super::locales::{DefaultLocale, LocaleCount};
use super::pagination::{PageInfo, page_size};
use super::require;
use crate::curation::log::{self, Selection};
use crate::data::labels;
use crate::data::lists::Direction;
use crate::graph::Kind;
use crate::graph::locales::CATALOG;
use crate::keys::Scope;
use crate::{Error, Result};

/// A time from milliseconds since the Unix epoch.
pub fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// The catalog as a whole: how far it has changed.
pub struct Catalog;

/// The catalog as a whole: how far it has changed, so that a client can tell a stale copy.
#[Object]
impl Catalog {
    /// Grows by one with every change; a client whose copy was read at an older revision
    /// has a stale copy. 0 until the first change through the API.
    async fn revision(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(log::state(&super::schema_data::<crate::db::Db>(ctx)?.conn)
            .await?
            .0)
    }

    /// The locale a request that names none reads (`serve --default-locale`), and the last
    /// but `en` that every text falls back to.
    async fn default_locale(&self, ctx: &Context<'_>) -> String {
        ctx.data::<DefaultLocale>().cloned().unwrap_or_default().0
    }

    /// The locales the graph holds text in, by tag, each with how many nodes have a name in
    /// it: `en`, the catalog's own, has every node.
    #[graphql(
        complexity = "crate::graphql::limits::list_cost(crate::graphql::locales::PRICED_LABELS, child_complexity)"
    )]
    async fn locales(&self, ctx: &Context<'_>) -> async_graphql::Result<PlainList<LocaleCount>> {
        let db = &super::schema_data::<crate::db::Db>(ctx)?.conn;
        let mut counts = labels::counts(db).await?;
        counts.insert(CATALOG.to_owned(), labels::node_count(db).await?);
        Ok(PlainList(
            counts
                .into_iter()
                .map(|(tag, label_count)| LocaleCount { tag, label_count })
                .collect(),
        ))
    }

    /// When the latest change was made; null until the first change through the API.
    async fn updated_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(log::state(&super::schema_data::<crate::db::Db>(ctx)?.conn)
            .await?
            .1
            .map(time))
    }
}

/// One entry of the change log.
#[derive(SimpleObject)]
pub struct Change {
    /// The catalog's revision this change made.
    pub revision: i32,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The name of the API key that made it; null unless the request carries an `admin` key,
    /// since key names say who curates the catalog and are for its operators only.
    pub key_name: Option<String>,
    /// The mutation, e.g. `updateSkill`.
    pub operation: String,
    /// The kind of node changed (for an edge: the node it belongs to); null for an import,
    /// which changes the catalog as a whole (`after` then says how much of each kind).
    pub kind: Option<NodeKind>,
    /// The node's global ID (it may since have been deleted); null for an import.
    pub node_id: Option<ID>,
    /// The node's slug; null for an import.
    pub slug: Option<String>,
    /// The changed fields before the change; null for a creation.
    pub before: Option<Json<serde_json::Value>>,
    /// The changed fields after the change; null for a deletion.
    pub after: Option<Json<serde_json::Value>>,
}

fn json(text: Option<String>) -> Option<Json<serde_json::Value>> {
    text.and_then(|text| serde_json::from_str(&text).ok())
        .map(Json)
}

impl Change {
    /// The entry as a change, with its key's name only for an `admin`.
    fn of(entry: catalog_change::Model, admin: bool) -> Result<Self> {
        let kind = match entry.kind.as_str() {
            "" => None,
            name => Some(
                Kind::from_name(name)
                    .ok_or_else(|| Error::Internal(format!("change of kind {name:?}")))?,
            ),
        };
        Ok(Change {
            revision: entry.revision,
            at: time(entry.at),
            key_name: admin.then_some(entry.key_name),
            operation: entry.operation,
            kind: kind.map(Into::into),
            node_id: kind.map(|kind| encode_id(kind, &entry.slug)),
            slug: kind.map(|_| entry.slug),
            before: json(entry.before),
            after: json(entry.after),
        })
    }
}

/// A change and its cursor.
#[derive(SimpleObject)]
pub struct ChangeEdge {
    /// Where this change is in the log, for `changes(after:)`.
    pub cursor: String,
    /// The change.
    pub node: Ordered<Change>,
}

/// A page of the change log, oldest first.
#[derive(SimpleObject)]
pub struct ChangeConnection {
    /// The page's changes, oldest first.
    pub edges: PlainList<ChangeEdge>,
    /// Where the page sits in the log.
    pub page_info: Ordered<PageInfo>,
}

impl PlainFields for Catalog {}
impl PlainFields for Change {}
impl PlainFields for ChangeEdge {}
impl PlainFields for ChangeConnection {}

/// The most entries one page of `changes` holds.
const MOST_CHANGES: u32 = 100;

/// The entries of a page of `changes` when a query does not say.
const DEFAULT_CHANGES: u32 = 20;

/// The `catalog` and `changes` root fields.
#[derive(Default)]
pub struct HistoryQuery;

#[Object]
impl HistoryQuery {
    /// The catalog's revision and when it last changed.
    async fn catalog(&self) -> Ordered<Catalog> {
        Ordered(Catalog)
    }

    /// The change log, oldest first: what changed, when, and the changed fields before and
    /// after; public, but only an `admin` key sees which key made each change (`keyName`).
    /// `since` keeps changes made at or after a time; `fromRevision` and `toRevision` a range
    /// of revisions; `kinds` the changes to nodes of some kinds (and imports); `node` (global
    /// ID) the changes of one node; at most 100 per page (20 by default).
    #[allow(clippy::too_many_arguments)]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many changes from the oldest (0 to 100; 20 if neither this nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Only changes after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many changes from the newest (0 to 100), to page backwards.")]
        last: Option<i32>,
        #[graphql(desc = "Only changes before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only changes made at or after this time.")] since: Option<DateTime<Utc>>,
        #[graphql(
            desc = "Only changes of the node with this global ID, and the batches that changed it."
        )]
        node: Option<ID>,
        #[graphql(desc = "Only changes that made this revision or a later one (0 or more).")]
        from_revision: Option<i32>,
        #[graphql(
            desc = "Only changes that made this revision or an earlier one (0 or more, and not \
                    below `fromRevision`)."
        )]
        to_revision: Option<i32>,
        #[graphql(
            desc = "Only changes to nodes of these kinds, and imports (which may change nodes \
                    of every kind); every change if not given."
        )]
        kinds: Option<Vec<NodeKind>>,
    ) -> async_graphql::Result<Ordered<ChangeConnection>> {
        let admin = require(ctx, Scope::Admin).is_ok();
        for (name, revision) in [("fromRevision", from_revision), ("toRevision", to_revision)] {
            if let Some(revision) = revision.filter(|revision| *revision < 0) {
                return Err(Error::bad_input(format!(
                    "`{name}` must be 0 or more, got {revision}"
                ))
                .into());
            }
        }
        if let (Some(from), Some(to)) = (from_revision, to_revision)
            && from > to
        {
            return Err(Error::bad_input(format!(
                "`toRevision` ({to}) must not be below `fromRevision` ({from})"
            ))
            .into());
        }
        let (count, direction) = page_size(first, last, DEFAULT_CHANGES, MOST_CHANGES)?;
        let revision = |name: &str, cursor: Option<String>| {
            cursor
                .map(|cursor| {
                    cursor.parse::<i32>().map_err(|_| {
                        Error::invalid(
                            name,
                            format!(
                                "`{name}` must be a cursor returned by this field, got {cursor:?}"
                            ),
                        )
                    })
                })
                .transpose()
        };
        let after = revision("after", after)?;
        let before = revision("before", before)?;
        let node = node.map(|id| decode_id(&id)).transpose()?;
        // Both bounds from below: the later one counts.
        let after = match (after, from_revision.map(|from| from - 1)) {
            (Some(cursor), Some(from)) => Some(cursor.max(from)),
            (cursor, from) => cursor.or(from),
        };
        // Both bounds from above: the earlier one counts.
        let through = match (before.map(|cursor| cursor - 1), to_revision) {
            (Some(cursor), Some(to)) => Some(cursor.min(to)),
            (cursor, to) => cursor.or(to),
        };
        let selection = Selection {
            after,
            through,
            since: since.map(|since| since.timestamp_millis()),
            node,
            kinds: kinds.map(|kinds| kinds.into_iter().map(Kind::from).collect()),
        };
        let (entries, more) = log::read(
            &super::schema_data::<crate::db::Db>(ctx)?.conn,
            &selection,
            u64::from(count),
            direction,
        )
        .await?;
        let edges = entries
            .into_iter()
            .map(|entry| {
                let cursor = entry.revision.to_string();
                Ok(ChangeEdge {
                    cursor,
                    node: Ordered(Change::of(entry, admin)?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let page_info = PageInfo::known(
            // What lies beyond the end a page was not read from is not counted: the
            // specification lets a server answer false there.
            direction == Direction::Backward && more,
            direction == Direction::Forward && more,
            edges.first().map(|edge| edge.cursor.clone()),
            edges.last().map(|edge| edge.cursor.clone()),
        );
        Ok(Ordered(ChangeConnection {
            edges: PlainList(edges),
            page_info: Ordered(page_info),
        }))
    }
}
