//! The graph's domain, beneath every module that reads or writes it: the kinds of node
//! ([`kinds`]) and of edge ([`edges`]), each declared once in a table the rest of the crate
//! is generated or driven from; the locales text is written in ([`locales`]); the rules every write keeps ([`rules`], [`slug`]); and the
//! clock records are stamped with ([`clock`]). Nothing here touches the database.

pub mod clock;
pub mod edges;
pub mod kinds;
pub mod locales;
pub mod rules;
pub mod slug;

pub(crate) use edges::for_each_edge_kind;
pub use edges::{Datum, EdgeData, EdgeKind, EdgeRow, EdgeSpec, End};
pub use kinds::Kind;
pub(crate) use kinds::for_each_node_kind;
