//! What the five node tables have in common, for code that serves every kind of node with one
//! generic function: the readers of this module and the writers (catalog loader, generator).

use sea_orm::Value;

use crate::graph::for_each_node_kind;

/// The fields every node table has; lets one generic query serve all five kinds.
pub trait NodeModel {
    fn id(&self) -> i32;
    fn slug(&self) -> &str;
}

macro_rules! node_model {
    ($($kind:ident: $module:ident),* $(,)?) => {$(
        impl NodeModel for entity::$module::Model {
            fn id(&self) -> i32 {
                self.id
            }
            fn slug(&self) -> &str {
                &self.slug
            }
        }
    )*};
}
for_each_node_kind!(node_model);

/// What a node can be looked up by: its primary key or its slug.
pub trait NodeKey: Clone + Eq + std::hash::Hash + Send + Sync + Into<Value> + 'static {
    /// The column holding the key.
    const COLUMN: &'static str;

    /// The key of `model`.
    fn of<M: NodeModel>(model: &M) -> Self;
}

impl NodeKey for i32 {
    const COLUMN: &'static str = "id";

    fn of<M: NodeModel>(model: &M) -> Self {
        model.id()
    }
}

impl NodeKey for String {
    const COLUMN: &'static str = "slug";

    fn of<M: NodeModel>(model: &M) -> Self {
        model.slug().to_owned()
    }
}
