//! Releases as queries (`releases`, `release`, `releaseDiff`) and the `createRelease`
//! mutation; over [`crate::releases`].

use std::sync::{Arc, Mutex};

use async_graphql::{Context, Enum, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::engine::fast_lists::{Ordered, PlainFields, PlainList};
use super::enums::NodeKind;
use super::history::time;
use super::pagination::{PageInfo, Paging, Window, page_size};
use super::require;
use crate::catalog;
use crate::data::lists::Direction;
use crate::db::Db;
use crate::keys::Scope;
use crate::releases::{self, diff};
use crate::{Error, Result};

/// How many nodes of each kind a release holds.
#[derive(SimpleObject)]
pub struct ReleaseCounts {
    /// Roles, deprecated ones included.
    pub roles: i32,
    /// Skills, deprecated ones included.
    pub skills: i32,
    /// Languages, deprecated ones included.
    pub languages: i32,
    /// Frameworks, deprecated ones included.
    pub frameworks: i32,
    /// Tools, deprecated ones included.
    pub tools: i32,
}

/// A named release: the graph as it was at one revision, kept for good. Read it whole at
/// `/releases/{name}.json`.
#[derive(SimpleObject)]
pub struct Release {
    /// Unique and never reused, e.g. `2026.12`.
    pub name: String,
    /// The catalog's revision it names.
    pub revision: i32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// What the release brings, as its maker wrote it.
    pub notes: String,
    /// How many nodes of each kind it holds (deprecated ones included).
    pub counts: Ordered<ReleaseCounts>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Release {
    fn of(release: releases::Release) -> Self {
        let c = release.counts;
        Release {
            name: release.name,
            revision: release.revision,
            created_at: time(release.at),
            notes: release.notes,
            counts: Ordered(ReleaseCounts {
                roles: count(c.roles),
                skills: count(c.skills),
                languages: count(c.languages),
                frameworks: count(c.frameworks),
                tools: count(c.tools),
            }),
        }
    }
}

/// One release of a page.
#[derive(SimpleObject)]
pub struct ReleaseEdge {
    /// Where this release is in the list, for `releases(after:)`.
    pub cursor: String,
    /// The release.
    pub node: Ordered<Release>,
}

/// A page of releases, oldest first.
#[derive(SimpleObject)]
pub struct ReleaseConnection {
    /// The page's releases, oldest first.
    pub edges: PlainList<ReleaseEdge>,
    /// Where the page sits in the list.
    pub page_info: Ordered<PageInfo>,
}

/// What happened to a node or an edge between two releases.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::releases::diff::What")]
pub enum ReleaseChangeKind {
    /// The node is new.
    Created,
    /// Fields of the node changed (`before` and `after` hold them).
    Updated,
    /// The node was deprecated (`after` holds its note and replacements).
    Deprecated,
    /// The node is active again.
    Restored,
    /// The node, still deprecated, has other replacements.
    Replaced,
    /// The node was deleted (only one no release held can be).
    Removed,
    /// The edge is new.
    EdgeAdded,
    /// The edge's importance, level or place changed.
    EdgeChanged,
    /// The edge is gone.
    EdgeRemoved,
}

/// One difference between two releases.
#[derive(SimpleObject)]
pub struct ReleaseChange {
    /// What happened.
    pub change: ReleaseChangeKind,
    /// The node's kind; for an edge, its owner's.
    pub kind: NodeKind,
    /// The node's slug; for an edge, its owner's.
    pub slug: String,
    /// For an edge: the owner's list holding it (`skills`, `prerequisites`, ...).
    pub list: Option<String>,
    /// For an edge: the slug of the node it points at.
    pub target: Option<String>,
    /// What changed, as it was: the changed fields, the edge's data; null for a creation.
    pub before: Option<Json<serde_json::Value>>,
    /// What changed, as it is: null for a removal.
    pub after: Option<Json<serde_json::Value>>,
}

/// One difference of a page.
#[derive(SimpleObject)]
pub struct ReleaseChangeEdge {
    /// Where this difference is in the diff, for `changes(after:)`.
    pub cursor: String,
    /// The difference.
    pub node: Ordered<ReleaseChange>,
}

/// A page of the differences, in a fixed order (kinds, then slugs; then edges).
#[derive(SimpleObject)]
pub struct ReleaseChangeConnection {
    /// The page's differences, in the diff's order.
    pub edges: PlainList<ReleaseChangeEdge>,
    /// Where the page sits in the diff.
    pub page_info: Ordered<PageInfo>,
    /// How many differences there are in all.
    pub total_count: i32,
}

/// What changed between two releases, or a release and the live graph.
pub struct ReleaseDiff {
    from: String,
    to: Option<String>,
    to_revision: i32,
    entries: Arc<Vec<diff::Entry>>,
}

/// What changed between two releases, or a release and the live graph: counts by kind and
/// the differences, paged.
#[Object]
impl ReleaseDiff {
    /// The release compared from.
    async fn from(&self) -> &str {
        &self.from
    }

    /// The release compared to; null for the live graph.
    async fn to(&self) -> Option<&str> {
        self.to.as_deref()
    }

    /// The revision compared to.
    async fn to_revision(&self) -> i32 {
        self.to_revision
    }

    /// How many differences of each kind there are.
    async fn counts(&self) -> PlainList<ReleaseChangeCount> {
        counts(&self.entries)
    }

    /// The differences, a page at a time (at most 100; 20 if not given).
    async fn changes(
        &self,
        #[graphql(
            desc = "How many differences from the start (0 to 100; 20 if neither this nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Only the differences after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many differences from the end (0 to 100), to page backwards.")]
        last: Option<i32>,
        #[graphql(desc = "Only the differences before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Ordered<ReleaseChangeConnection>> {
        let paging = Paging {
            first,
            after,
            last,
            before,
        };
        Ok(page(&self.entries, paging)?)
    }
}

/// How many of `entries` there are of each kind.
pub(crate) fn counts(entries: &[diff::Entry]) -> PlainList<ReleaseChangeCount> {
    let mut counts: Vec<ReleaseChangeCount> = Vec::new();
    for entry in entries {
        let change = ReleaseChangeKind::from(entry.what);
        match counts.iter_mut().find(|c| c.change == change) {
            Some(c) => c.count += 1,
            None => counts.push(ReleaseChangeCount { change, count: 1 }),
        }
    }
    PlainList(counts)
}

/// A page of `entries` (20 if neither `first` nor `last` is given, at most 100), cursors
/// being the entries' indexes.
pub(crate) fn page(
    entries: &[diff::Entry],
    paging: Paging,
) -> Result<Ordered<ReleaseChangeConnection>> {
    let window = Window::of(entries.len(), paging, DEFAULT_PER_PAGE, MOST_PER_PAGE)?;
    let start = window.items.start;
    let edges: Vec<ReleaseChangeEdge> = entries[window.items.clone()]
        .iter()
        .enumerate()
        .map(|(offset, entry)| ReleaseChangeEdge {
            cursor: (start + offset).to_string(),
            node: Ordered(ReleaseChange {
                change: entry.what.into(),
                kind: entry.kind.into(),
                slug: entry.slug.clone(),
                list: entry.edge.as_ref().map(|(list, _)| (*list).to_owned()),
                target: entry.edge.as_ref().map(|(_, target)| target.clone()),
                before: entry.before.clone().map(Json),
                after: entry.after.clone().map(Json),
            }),
        })
        .collect();
    Ok(Ordered(ReleaseChangeConnection {
        edges: PlainList(edges),
        page_info: Ordered(window.page_info()),
        total_count: count(entries.len()),
    }))
}

/// How many differences of one kind a diff has.
#[derive(SimpleObject)]
pub struct ReleaseChangeCount {
    /// The kind of difference.
    pub change: ReleaseChangeKind,
    /// How many the diff has.
    pub count: i32,
}

impl PlainFields for ReleaseCounts {}
impl PlainFields for Release {}
impl PlainFields for ReleaseEdge {}
impl PlainFields for ReleaseConnection {}
impl PlainFields for ReleaseChange {}
impl PlainFields for ReleaseChangeEdge {}
impl PlainFields for ReleaseChangeConnection {}
impl PlainFields for ReleaseChangeCount {}
impl PlainFields for ReleaseDiff {}

/// The most items one page of releases or differences holds.
const MOST_PER_PAGE: u32 = 100;

/// The items of a page of releases or differences when a query does not say.
const DEFAULT_PER_PAGE: u32 = 20;

/// The diff computed last, kept for the next pages of it: `(from, to, to's revision)`.
/// Comparing two ESCO-size releases reads and parses both snapshots; a client paging through
/// the diff should pay that once.
#[derive(Default)]
pub struct DiffCache(Mutex<Option<(DiffKey, Arc<Vec<diff::Entry>>)>>);

/// What a diff compares: the release from, the release to (`None`: the live graph), and the
/// revision compared to (the live graph moves on).
type DiffKey = (String, Option<String>, i32);

impl DiffCache {
    fn get(&self, key: &DiffKey) -> Option<Arc<Vec<diff::Entry>>> {
        let cached = self.0.lock().ok()?;
        cached
            .as_ref()
            .filter(|(at, _)| at == key)
            .map(|(_, entries)| entries.clone())
    }

    fn put(&self, key: DiffKey, entries: Arc<Vec<diff::Entry>>) {
        if let Ok(mut cached) = self.0.lock() {
            *cached = Some((key, entries));
        }
    }
}

fn no_release(field: &str, name: &str) -> Error {
    Error::not_found(field, format!("there is no release named {name:?}"))
}

/// The release root fields.
#[derive(Default)]
pub struct ReleaseQuery;

#[Object]
impl ReleaseQuery {
    /// The named releases, oldest first (at most 100 per page; 20 by default).
    async fn releases(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many releases from the oldest (0 to 100; 20 if neither this nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Only the releases after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many releases from the newest (0 to 100), to page backwards.")]
        last: Option<i32>,
        #[graphql(desc = "Only the releases before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Ordered<ReleaseConnection>> {
        let (count, direction) = page_size(first, last, DEFAULT_PER_PAGE, MOST_PER_PAGE)?;
        let db: &Db = super::schema_data(ctx)?;
        let listing = releases::Listing {
            count: u64::from(count),
            direction,
            after: after.as_deref(),
            before: before.as_deref(),
        };
        let (found, more) = releases::list(db, listing).await?;
        let edges: Vec<ReleaseEdge> = found
            .into_iter()
            .map(|release| ReleaseEdge {
                cursor: release.name.clone(),
                node: Ordered(Release::of(release)),
            })
            .collect();
        let page_info = PageInfo::known(
            // Beyond the end a page was not read from is not counted: the specification
            // lets a server answer false there.
            direction == Direction::Backward && more,
            direction == Direction::Forward && more,
            edges.first().map(|edge| edge.cursor.clone()),
            edges.last().map(|edge| edge.cursor.clone()),
        );
        Ok(Ordered(ReleaseConnection {
            edges: PlainList(edges),
            page_info: Ordered(page_info),
        }))
    }

    /// The release with this name, or null.
    async fn release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's name, e.g. `2026.12`.")] name: String,
    ) -> async_graphql::Result<Option<Ordered<Release>>> {
        let db: &Db = super::schema_data(ctx)?;
        Ok(releases::get(db, &name)
            .await?
            .map(|release| Ordered(Release::of(release))))
    }

    /// What changed from the release `from` to the release `to`, or to the live graph when
    /// `to` is not given: nodes created, updated (fields before → after), deprecated,
    /// restored, replaced and removed, and edges added, changed and removed, paged.
    async fn release_diff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release to compare from.")] from: String,
        #[graphql(desc = "The release to compare to; the live graph if not given.")] to: Option<
            String,
        >,
    ) -> async_graphql::Result<Ordered<ReleaseDiff>> {
        let db: &Db = super::schema_data(ctx)?;
        let cache: &DiffCache = super::schema_data(ctx)?;
        let Some(from_release) = releases::get(db, &from).await? else {
            return Err(no_release("from", &from).into());
        };
        let to_revision = match &to {
            Some(name) => match releases::get(db, name).await? {
                Some(release) => release.revision,
                None => return Err(no_release("to", name).into()),
            },
            None => crate::curation::log::state(&db.conn).await?.0,
        };
        let key = (from.clone(), to.clone(), to_revision);
        let entries = match cache.get(&key) {
            Some(entries) => entries,
            None => {
                // Reading and comparing two whole graphs is heavy work: it takes a place.
                let heavy: &super::heavy::HeavyWork = super::schema_data(ctx)?;
                let _place = heavy.place().await?;
                let (_, old) = releases::catalog(db, &from_release.name)
                    .await?
                    .ok_or_else(|| no_release("from", &from))?;
                let new = match &to {
                    Some(name) => {
                        releases::catalog(db, name)
                            .await?
                            .ok_or_else(|| no_release("to", name))?
                            .1
                    }
                    None => catalog::export(&db.conn).await?,
                };
                let entries = Arc::new(diff::diff(&old, &new)?);
                cache.put(key, entries.clone());
                entries
            }
        };
        Ok(Ordered(ReleaseDiff {
            from,
            to,
            to_revision,
            entries,
        }))
    }
}

/// A release to make of the graph as it is now.
#[derive(InputObject)]
pub struct CreateReleaseInput {
    /// 1 to 64 letters, digits, `.`, `-` or `_`, starting with a letter or digit; used once.
    pub name: String,
    /// What the release brings (up to 10,000 characters).
    pub notes: Option<String>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
    /// Check the name and read the graph as the release would store it, answer the release
    /// as it would be, and store nothing.
    pub dry_run: Option<bool>,
}

/// The release made.
#[derive(SimpleObject)]
pub struct CreateReleasePayload {
    /// The release, as stored (in a dry run, as it would be: nothing was stored).
    pub release: Ordered<Release>,
    /// The input's `clientMutationId`.
    pub client_mutation_id: Option<String>,
}

impl PlainFields for CreateReleasePayload {}

/// The release mutation.
#[derive(Default)]
pub struct ReleaseMutations;

#[Object]
impl ReleaseMutations {
    /// Names the current revision for good: stores the graph as it is now, readable whole at
    /// `/releases/{name}.json` and compared with `releaseDiff`. The nodes it holds can be
    /// deprecated from then on, never deleted. Needs an `admin` key.
    async fn create_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's name and notes.")] input: CreateReleaseInput,
    ) -> async_graphql::Result<Option<Ordered<CreateReleasePayload>>> {
        require(ctx, Scope::Admin)?;
        let db: &Db = super::schema_data(ctx)?;
        let notes = input.notes.as_deref().unwrap_or("");
        let dry_run = input.dry_run.unwrap_or(false);
        let release = releases::create(db, &input.name, notes, dry_run).await?;
        Ok(Some(Ordered(CreateReleasePayload {
            release: Ordered(Release::of(release)),
            client_mutation_id: input.client_mutation_id,
        })))
    }
}
