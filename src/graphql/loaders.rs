//! The request's DataLoader: every nested field asks it for rows, and it answers all the
//! fields of one level of a query with one statement per kind of request.
//!
//! A new [`DataLoader`] is made for every HTTP request (see `http.rs`), so nothing read for one
//! request is ever served to another.
//!
//! ## Why batches wait for the request to settle
//!
//! A DataLoader runs a batch a fixed delay after the first key of it arrives. The fields of one
//! level do not always ask within that delay: async-graphql resolves a long list through
//! `FuturesUnordered`, which yields to the scheduler after every 32 items, and a busy machine
//! can take longer than the delay to come back. The batch would then split in two, and the
//! statement count would grow with the number of rows. So every key a resolver asks for is
//! counted, and a batch only starts its delay once a turn of the scheduler has passed with no
//! new key: the request has run out of fields to resolve at this level.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::EntityTrait;

use crate::data::lists::{Bound, Group, GroupKey};
use crate::data::model::{NodeKey, NodeModel};
use crate::data::nodes;
use crate::data::sources::{self, SourceRow};
use crate::data::tree::{self, TreeEntry};
use crate::data::{Filter, List, NodeColumns, Page, PageArgs, lists};
use tokio::sync::OwnedSemaphorePermit;

use super::heavy::{self, HeavyWork};
use crate::db::Db;
use crate::{Error, Result};

/// Loads rows for the fields of one request.
pub struct SqlLoader {
    db: Db,
}

/// The per-request loader, as stored in the request's data.
pub struct RequestLoader {
    loader: DataLoader<SqlLoader>,
    /// How many keys the request's resolvers have asked for so far.
    asked: Arc<AtomicU64>,
    /// The places for heavy work (none for a subscription), and the one a large read holds
    /// from its first nested statement until its answer is built (none if it was refused one).
    heavy: Option<HeavyWork>,
    place: tokio::sync::OnceCell<Option<OwnedSemaphorePermit>>,
    /// The graph index the request's answers read, checked against the catalog's revision
    /// once per request (so that `roles { nodes { related } }` is one statement, not one
    /// per role).
    pub index: tokio::sync::OnceCell<Arc<crate::analysis::GraphIndex>>,
}

/// How long the loader waits for sibling fields to add their keys, once the request settled.
const BATCH_DELAY: std::time::Duration = std::time::Duration::from_millis(1);

/// The most keys one batch holds; far below SQLite's and PostgreSQL's limits on bound values.
const MAX_BATCH_SIZE: usize = 5_000;

/// Waits until a turn of the scheduler passes without a new key.
async fn settle(asked: &AtomicU64) {
    let mut seen = asked.load(Ordering::Acquire);
    loop {
        tokio::task::yield_now().await;
        let now = asked.load(Ordering::Acquire);
        if now == seen {
            return;
        }
        seen = now;
    }
}

/// A new loader for one request, whose large reads take their place among `heavy`'s (if
/// given).
pub fn request_loader(db: Db, heavy: Option<HeavyWork>) -> RequestLoader {
    let asked = Arc::new(AtomicU64::new(0));
    let watched = asked.clone();
    let spawn = move |batch: async_graphql::futures_util::future::BoxFuture<'static, ()>| {
        let asked = watched.clone();
        tokio::spawn(async move {
            settle(&asked).await;
            batch.await;
        })
    };
    let loader = DataLoader::new(SqlLoader { db }, spawn)
        .delay(BATCH_DELAY)
        .max_batch_size(MAX_BATCH_SIZE);
    RequestLoader {
        loader,
        asked,
        heavy,
        place: tokio::sync::OnceCell::new(),
        index: tokio::sync::OnceCell::new(),
    }
}

impl RequestLoader {
    /// Loads one value, batched with the other keys of the same kind this request asks for.
    pub async fn load_one<K>(&self, key: K) -> Result<Option<<SqlLoader as Loader<K>>::Value>>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        SqlLoader: Loader<K, Error = Error>,
    {
        self.asked.fetch_add(1, Ordering::Release);
        if self.heavy.is_some() && crate::graphql::limits::is_large_read() {
            self.hold_place().await?;
        }
        self.loader.load_one(key).await
    }

    /// Whether the request holds a place for heavy work (it is a large read that has read).
    pub fn holds_place(&self) -> bool {
        matches!(self.place.get(), Some(Some(_)))
    }

    /// Takes a place for heavy work, once per request: every field of a large read waits for
    /// the same one, and a refusal (the queue is full) is every field's.
    async fn hold_place(&self) -> Result<()> {
        let Some(heavy) = &self.heavy else {
            return Ok(());
        };
        let place = self
            .place
            .get_or_init(|| async { heavy.place().await.ok() })
            .await;
        match place {
            Some(_) => Ok(()),
            None => Err(heavy::busy()),
        }
    }
}

/// The request's loader, from the context of a resolver.
pub fn loader<'a>(ctx: &Context<'a>) -> Result<&'a RequestLoader> {
    ctx.data::<RequestLoader>()
        .map_err(|_| Error::Internal("no DataLoader in the request data".into()))
}

/// A key tagged with the entity whose models it loads, so that one loader can serve every
/// node kind with one generic implementation per kind of key.
pub struct Typed<K, N> {
    pub key: K,
    node: PhantomData<fn() -> N>,
}

impl<K, N> Typed<K, N> {
    pub fn new(key: K) -> Self {
        Typed {
            key,
            node: PhantomData,
        }
    }
}

impl<K: Clone, N> Clone for Typed<K, N> {
    fn clone(&self) -> Self {
        Typed::new(self.key.clone())
    }
}

impl<K: PartialEq, N> PartialEq for Typed<K, N> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<K: Eq, N> Eq for Typed<K, N> {}

impl<K: Hash, N> Hash for Typed<K, N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// One parent's page of a nested list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub list: List,
    pub parent: i32,
    pub args: PageArgs,
}

/// One parent's item count of a nested list: all items, or those within a bound.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CountRequest {
    pub list: List,
    pub parent: i32,
    pub filters: Vec<Filter>,
    pub bound: Option<Bound>,
}

/// One parent's grouped counts of a nested list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupRequest {
    pub list: List,
    pub parent: i32,
    pub filters: Vec<Filter>,
    pub by: GroupKey,
}

/// One skill's subtree, `max_depth` levels deep.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SubtreeRequest {
    pub root: i32,
    pub max_depth: u32,
    /// Whether deprecated skills (and what is under them) are walked too.
    pub include_deprecated: bool,
}

/// Groups keys that share everything but their parent, so that each group is one statement.
fn group_by<K, G: Hash + Eq + Clone>(
    keys: &[K],
    group: impl Fn(&K) -> (G, i32),
) -> HashMap<G, Vec<i32>> {
    let mut groups: HashMap<G, Vec<i32>> = HashMap::new();
    for key in keys {
        let (g, parent) = group(key);
        groups.entry(g).or_default().push(parent);
    }
    groups
}

impl<N> Loader<Typed<PageRequest, N>> for SqlLoader
where
    N: EntityTrait + Default,
    N::Model: NodeColumns + Sync,
{
    type Value = Page<N::Model>;
    type Error = Error;

    async fn load(
        &self,
        keys: &[Typed<PageRequest, N>],
    ) -> Result<HashMap<Typed<PageRequest, N>, Self::Value>> {
        let groups = group_by(keys, |k| ((k.key.list, k.key.args.clone()), k.key.parent));
        let mut loaded = HashMap::new();
        for ((list, args), parents) in groups {
            let pages = lists::nested_pages::<N>(&self.db, list, &parents, &args).await?;
            for (parent, page) in pages {
                let key = PageRequest {
                    list,
                    parent,
                    args: args.clone(),
                };
                loaded.insert(Typed::new(key), page);
            }
        }
        Ok(loaded)
    }
}

impl Loader<CountRequest> for SqlLoader {
    type Value = i64;
    type Error = Error;

    async fn load(&self, keys: &[CountRequest]) -> Result<HashMap<CountRequest, i64>> {
        let groups = group_by(keys, |k| {
            ((k.list, k.filters.clone(), k.bound.clone()), k.parent)
        });
        let mut loaded = HashMap::new();
        for ((list, filters, bound), parents) in groups {
            let counts =
                lists::nested_counts(&self.db, list, &parents, &filters, bound.as_ref()).await?;
            for (parent, count) in counts {
                let key = CountRequest {
                    list,
                    parent,
                    filters: filters.clone(),
                    bound: bound.clone(),
                };
                loaded.insert(key, count);
            }
        }
        Ok(loaded)
    }
}

impl Loader<GroupRequest> for SqlLoader {
    type Value = Vec<Group>;
    type Error = Error;

    async fn load(&self, keys: &[GroupRequest]) -> Result<HashMap<GroupRequest, Vec<Group>>> {
        let groups = group_by(keys, |k| ((k.list, k.filters.clone(), k.by), k.parent));
        let mut loaded = HashMap::new();
        for ((list, filters, by), parents) in groups {
            let found = lists::nested_groups(&self.db, list, &parents, &filters, by).await?;
            for (parent, groups) in found {
                let key = GroupRequest {
                    list,
                    parent,
                    filters: filters.clone(),
                    by,
                };
                loaded.insert(key, groups);
            }
        }
        Ok(loaded)
    }
}

impl Loader<SubtreeRequest> for SqlLoader {
    type Value = Vec<TreeEntry>;
    type Error = Error;

    async fn load(&self, keys: &[SubtreeRequest]) -> Result<HashMap<SubtreeRequest, Self::Value>> {
        let groups = group_by(keys, |k| ((k.max_depth, k.include_deprecated), k.root));
        let mut loaded = HashMap::new();
        for ((max_depth, include_deprecated), roots) in groups {
            let trees = tree::descendants(&self.db, &roots, max_depth, include_deprecated).await?;
            for (root, entries) in trees {
                let key = SubtreeRequest {
                    root,
                    max_depth,
                    include_deprecated,
                };
                loaded.insert(key, entries);
            }
        }
        Ok(loaded)
    }
}

/// A node by primary key.
pub type ById<N> = Typed<i32, N>;

/// A node by slug.
pub type BySlug<N> = Typed<String, N>;

impl<N, K> Loader<Typed<K, N>> for SqlLoader
where
    N: EntityTrait + Default,
    N::Model: NodeModel + Sync,
    K: NodeKey,
{
    type Value = Arc<N::Model>;
    type Error = Error;

    async fn load(&self, keys: &[Typed<K, N>]) -> Result<HashMap<Typed<K, N>, Self::Value>> {
        let keys: Vec<K> = keys.iter().map(|typed| typed.key.clone()).collect();
        let found = nodes::by_keys::<N, K>(&self.db, &keys).await?;
        Ok(found
            .into_iter()
            .map(|(key, model)| (Typed::new(key), model))
            .collect())
    }
}

/// The source row (where an imported node came from) of one node, by node id.
pub struct SourceRequest<M> {
    pub node: i32,
    row: PhantomData<fn() -> M>,
}

impl<M> SourceRequest<M> {
    pub fn new(node: i32) -> Self {
        SourceRequest {
            node,
            row: PhantomData,
        }
    }
}

impl<M> Clone for SourceRequest<M> {
    fn clone(&self) -> Self {
        SourceRequest::new(self.node)
    }
}

impl<M> PartialEq for SourceRequest<M> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<M> Eq for SourceRequest<M> {}

impl<M> Hash for SourceRequest<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.node.hash(state);
    }
}

impl<M: SourceRow> Loader<SourceRequest<M>> for SqlLoader {
    type Value = Arc<M>;
    type Error = Error;

    async fn load(
        &self,
        keys: &[SourceRequest<M>],
    ) -> Result<HashMap<SourceRequest<M>, Self::Value>> {
        let nodes: Vec<i32> = keys.iter().map(|key| key.node).collect();
        Ok(sources::by_nodes::<M>(&self.db, &nodes)
            .await?
            .into_iter()
            .map(|(node, row)| (SourceRequest::new(node), row))
            .collect())
    }
}

/// A node's labels: in the locales of a chain, or in every locale (`None`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LabelRequest {
    kind: crate::graph::Kind,
    node: i32,
    locales: Option<Arc<[String]>>,
}

impl LabelRequest {
    pub fn new(kind: crate::graph::Kind, node: i32, locales: Option<Arc<[String]>>) -> Self {
        LabelRequest {
            kind,
            node,
            locales,
        }
    }
}

impl Loader<LabelRequest> for SqlLoader {
    type Value = Arc<Vec<crate::data::labels::LabelRow>>;
    type Error = Error;

    /// One statement per kind, whatever locales the keys name (a request's chain, a field's
    /// `locale` argument, every locale for `labels`): the union of theirs is read, and each
    /// key given its own. A document of many aliased `name(locale:)` fields costs no more
    /// statements than one.
    async fn load(&self, keys: &[LabelRequest]) -> Result<HashMap<LabelRequest, Self::Value>> {
        /// A kind's nodes, and the locales to read for them (`None`: every locale).
        type Wanted = (Vec<i32>, Option<BTreeSet<String>>);
        let mut kinds: HashMap<crate::graph::Kind, Wanted> = HashMap::new();
        for key in keys {
            let (nodes, locales) = kinds
                .entry(key.kind)
                .or_insert_with(|| (Vec::new(), Some(BTreeSet::new())));
            nodes.push(key.node);
            match (&key.locales, locales.as_mut()) {
                (Some(chain), Some(union)) => union.extend(chain.iter().cloned()),
                (None, _) => *locales = None,
                (Some(_), None) => {}
            }
        }
        let mut found = HashMap::with_capacity(keys.len());
        for (kind, (mut nodes, locales)) in kinds {
            nodes.sort_unstable();
            nodes.dedup();
            let locales: Option<Vec<String>> = locales.map(|set| set.into_iter().collect());
            let rows =
                crate::data::labels::of_nodes(&self.db.conn, kind, &nodes, locales.as_deref())
                    .await?;
            for key in keys.iter().filter(|key| key.kind == kind) {
                let Some(labels) = rows.get(&key.node) else {
                    continue;
                };
                let wanted: Vec<_> = labels
                    .iter()
                    .filter(|label| {
                        key.locales
                            .as_ref()
                            .is_none_or(|chain| chain.contains(&label.locale))
                    })
                    .cloned()
                    .collect();
                found.insert(key.clone(), Arc::new(wanted));
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_large_read_holds_one_place_or_is_refused_when_none_is_free() -> Result<()> {
        let db = crate::db::connect("sqlite::memory:").await?;
        let heavy = HeavyWork::new(1, 0);
        let taken = heavy.place().await?;
        let refused = request_loader(db.clone(), Some(heavy.clone()));
        let outcome = refused.hold_place().await.map_err(|err| err.code());
        assert_eq!(outcome, Err("SERVICE_UNAVAILABLE"));
        drop(taken);
        // The refusal is the request's for good; a new request finds the place free.
        let outcome = refused.hold_place().await.map_err(|err| err.code());
        assert_eq!(outcome, Err("SERVICE_UNAVAILABLE"));
        let holding = request_loader(db.clone(), Some(heavy.clone()));
        holding.hold_place().await?;
        holding.hold_place().await?;
        assert!(
            heavy.place().await.is_err(),
            "one place, held by the request"
        );
        drop(holding);
        assert!(heavy.place().await.is_ok(), "given back with the request");
        let _all_taken = heavy.place().await?;
        let ungated = request_loader(db, None);
        ungated.hold_place().await?;
        Ok(())
    }
}
