//! The kinds of node: the one list of them ([`for_each_node_kind!`]) and [`Kind`], declared
//! from it.

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
