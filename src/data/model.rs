//! What the five node tables have in common, for code that serves every kind of node with one
//! generic function: the readers of this module and the writers (catalog loader, generator).

use sea_orm::Value;

/// Calls the macro `$then!` with every kind of node, as `Type: module` pairs (the GraphQL
/// type's name, the entity module). This is the one list of node kinds: what differs between
/// kinds is written where it belongs (entity, migration, the GraphQL type's own fields), and
/// everything that merely repeats per kind is generated from this list.
macro_rules! for_each_node_kind {
    ($then:ident) => {
        $then! {
            Role: role,
            Skill: skill,
            Language: language,
            Framework: framework,
            Tool: tool,
        }
    };
}
pub(crate) use for_each_node_kind;

/// Declares [`Kind`] from the list of node kinds.
macro_rules! kinds {
    ($($kind:ident: $module:ident),* $(,)?) => {
        /// The kinds of node, as global IDs, the change log and the API name them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($kind,)*
        }

        impl Kind {
            /// Every kind, in the order of the list.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            /// The kind's name, as global IDs and the change log write it (`Role`, ...).
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$kind => stringify!($kind),)*
                }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $(stringify!($kind) => Some(Kind::$kind),)*
                    _ => None,
                }
            }

            /// The kind's table.
            pub fn table(self) -> &'static str {
                match self {
                    $(Kind::$kind => stringify!($module),)*
                }
            }
        }
    };
}
for_each_node_kind!(kinds);

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
