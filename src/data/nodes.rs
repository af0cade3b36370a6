//! Single nodes by primary key or by slug, many at a time.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect, Value};

use super::model::NodeModel;
use crate::Result;
use crate::db::Db;

async fn find_in<N, V>(db: &Db, column: &str, keys: Vec<V>) -> Result<Vec<N::Model>>
where
    N: EntityTrait + Default,
    V: Into<Value>,
{
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let column = Expr::col((N::default(), Alias::new(column)));
    Ok(N::find()
        .filter(column.is_in(keys))
        .limit(None)
        .all(&db.conn)
        .await?)
}

/// Nodes of kind `N` by primary key; missing ids are simply absent from the map.
pub async fn by_ids<N>(db: &Db, ids: &[i32]) -> Result<HashMap<i32, Arc<N::Model>>>
where
    N: EntityTrait + Default,
    N::Model: NodeModel,
{
    let models = find_in::<N, _>(db, "id", ids.to_vec()).await?;
    Ok(models.into_iter().map(|m| (m.id(), Arc::new(m))).collect())
}

/// Nodes of kind `N` by slug; unknown slugs are simply absent from the map.
pub async fn by_slugs<N>(db: &Db, slugs: &[String]) -> Result<HashMap<String, Arc<N::Model>>>
where
    N: EntityTrait + Default,
    N::Model: NodeModel,
{
    let models = find_in::<N, _>(db, "slug", slugs.to_vec()).await?;
    Ok(models
        .into_iter()
        .map(|m| (m.slug().to_owned(), Arc::new(m)))
        .collect())
}
