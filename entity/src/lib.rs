//! SeaORM models of the skillgraph database: one module per table, nothing else.
//!
//! Node tables (`role`, `skill`, `language`, `framework`, `tool`) hold the things a client asks
//! about; edge tables (`role_skill`, `role_language`, ...) hold the relations and the data that
//! belongs to a relation (importance, level, position); `role_replacement`, ... name the nodes
//! that replace a deprecated one. Short ordered string lists that are
//! always read together with their node (aliases, responsibilities, domains) are stored as JSON
//! arrays in a text column of the node. `api_key`, `catalog_change` and `catalog_state` hold
//! who may write, what was written, and the catalog's revision; `release` and
//! `released_node` the named releases and the nodes they hold.

pub mod api_key;
pub mod catalog_change;
pub mod catalog_change_node;
pub mod catalog_state;
pub mod enums;
pub mod framework;
pub mod framework_replacement;
pub mod language;
pub mod language_replacement;
pub mod release;
pub mod released_node;
pub mod role;
pub mod role_external;
pub mod role_framework;
pub mod role_language;
pub mod role_replacement;
pub mod role_skill;
pub mod role_tool;
pub mod skill;
pub mod skill_external;
pub mod skill_language;
pub mod skill_prerequisite;
pub mod skill_related;
pub mod skill_replacement;
pub mod skill_tool;
pub mod tool;
pub mod tool_replacement;

pub use enums::{Importance, Proficiency, ReuseLevel, SkillType, ToolCategory};
