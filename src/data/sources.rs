//! Where imported nodes came from (`role_external`, `skill_external`): read for many nodes
//! at once, by node id.

use std::collections::HashMap;
use std::sync::Arc;

use entity::{role_external, skill_external};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect};

use crate::Result;
use crate::db::Db;

/// A row of one of the source tables.
pub trait SourceRow: sea_orm::FromQueryResult + Send + Sync + Sized + 'static {
    type Entity: EntityTrait<Model = Self> + Default;
    /// The column holding the node's id.
    const NODE_COLUMN: &'static str;
    fn node(&self) -> i32;
}

impl SourceRow for role_external::Model {
    type Entity = role_external::Entity;
    const NODE_COLUMN: &'static str = "role_id";
    fn node(&self) -> i32 {
        self.role_id
    }
}

impl SourceRow for skill_external::Model {
    type Entity = skill_external::Entity;
    const NODE_COLUMN: &'static str = "skill_id";
    fn node(&self) -> i32 {
        self.skill_id
    }
}

/// The source rows of these nodes; nodes without one (curated by hand) are absent.
pub async fn by_nodes<M: SourceRow>(db: &Db, nodes: &[i32]) -> Result<HashMap<i32, Arc<M>>> {
    if nodes.is_empty() {
        return Ok(HashMap::new());
    }
    let column = Expr::col((M::Entity::default(), Alias::new(M::NODE_COLUMN)));
    let rows = M::Entity::find()
        .filter(column.is_in(nodes.iter().copied()))
        .limit(None)
        .all(&db.conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.node(), Arc::new(row)))
        .collect())
}
