//! What the five node tables have in common, for code that serves every kind of node with one
//! generic function: the readers of this module and the writers (catalog loader, generator).

/// The fields every node table has; lets one generic query serve all five kinds.
pub trait NodeModel {
    fn id(&self) -> i32;
    fn slug(&self) -> &str;
}

macro_rules! node_model {
    ($($module:ident),*) => {$(
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
node_model!(role, skill, language, framework, tool);
