//! Single nodes by primary key or by slug, many at a time.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect};

use super::model::{NodeKey, NodeModel};
use crate::Result;
use crate::db::Db;

/// Nodes of kind `N` by primary key or by slug; keys that name no node are simply absent from
/// the map.
pub async fn by_keys<N, K>(db: &Db, keys: &[K]) -> Result<HashMap<K, Arc<N::Model>>>
where
    N: EntityTrait + Default,
    N::Model: NodeModel,
    K: NodeKey,
{
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let column = Expr::col((N::default(), Alias::new(K::COLUMN)));
    let models = N::find()
        .filter(column.is_in(keys.iter().cloned()))
        .limit(None)
        .all(&db.conn)
        .await?;
    Ok(models
        .into_iter()
        .map(|model| (K::of(&model), Arc::new(model)))
        .collect())
}
