//! The request's DataLoader: every nested field asks it for rows, and it answers all the
//! fields of one level of a query with one statement per kind of request.
//!
//! A new [`DataLoader`] is made for every HTTP request (see `http.rs`), so nothing read for one
//! request is ever served to another.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::service::nodes::{self, NodeModel};
use crate::service::tree::{self, TreeEntry};
use crate::service::{Filter, List, Page, PageArgs, lists};
use crate::{Error, Result};

/// Loads rows for the fields of one request.
pub struct SqlLoader {
    db: DatabaseConnection,
}

/// The per-request loader, as stored in the request's data.
pub type RequestLoader = DataLoader<SqlLoader>;

/// How long the loader waits for sibling fields to add their keys before it runs a batch.
const BATCH_DELAY: std::time::Duration = std::time::Duration::from_millis(1);

/// The most keys one batch holds; far below SQLite's and PostgreSQL's limits on bound values.
const MAX_BATCH_SIZE: usize = 5_000;

/// A new loader for one request.
pub fn request_loader(db: DatabaseConnection) -> RequestLoader {
    DataLoader::new(SqlLoader { db }, tokio::spawn)
        .delay(BATCH_DELAY)
        .max_batch_size(MAX_BATCH_SIZE)
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

/// One parent's item count of a nested list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CountRequest {
    pub list: List,
    pub parent: i32,
    pub filters: Vec<Filter>,
}

/// One skill's subtree, `max_depth` levels deep.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SubtreeRequest {
    pub root: i32,
    pub max_depth: u32,
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
    N::Model: Sync,
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
        let groups = group_by(keys, |k| ((k.list, k.filters.clone()), k.parent));
        let mut loaded = HashMap::new();
        for ((list, filters), parents) in groups {
            let counts = lists::nested_counts(&self.db, list, &parents, &filters).await?;
            for (parent, count) in counts {
                let key = CountRequest {
                    list,
                    parent,
                    filters: filters.clone(),
                };
                loaded.insert(key, count);
            }
        }
        Ok(loaded)
    }
}

impl Loader<SubtreeRequest> for SqlLoader {
    type Value = Vec<TreeEntry>;
    type Error = Error;

    async fn load(&self, keys: &[SubtreeRequest]) -> Result<HashMap<SubtreeRequest, Self::Value>> {
        let groups = group_by(keys, |k| (k.max_depth, k.root));
        let mut loaded = HashMap::new();
        for (max_depth, roots) in groups {
            for (root, entries) in tree::descendants(&self.db, &roots, max_depth).await? {
                loaded.insert(SubtreeRequest { root, max_depth }, entries);
            }
        }
        Ok(loaded)
    }
}

/// A node by primary key.
pub type ById<N> = Typed<i32, N>;

impl<N> Loader<ById<N>> for SqlLoader
where
    N: EntityTrait + Default,
    N::Model: NodeModel + Sync,
{
    type Value = N::Model;
    type Error = Error;

    async fn load(&self, keys: &[ById<N>]) -> Result<HashMap<ById<N>, N::Model>> {
        let ids: Vec<i32> = keys.iter().map(|k| k.key).collect();
        let found = nodes::by_ids::<N>(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, m)| (Typed::new(id), m))
            .collect())
    }
}

/// A node by slug.
pub type BySlug<N> = Typed<String, N>;

impl<N> Loader<BySlug<N>> for SqlLoader
where
    N: EntityTrait + Default,
    N::Model: NodeModel + Sync,
{
    type Value = N::Model;
    type Error = Error;

    async fn load(&self, keys: &[BySlug<N>]) -> Result<HashMap<BySlug<N>, N::Model>> {
        let slugs: Vec<String> = keys.iter().map(|k| k.key.clone()).collect();
        let found = nodes::by_slugs::<N>(&self.db, &slugs).await?;
        Ok(found
            .into_iter()
            .map(|(slug, m)| (Typed::new(slug), m))
            .collect())
    }
}
