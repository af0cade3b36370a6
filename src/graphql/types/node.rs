use async_graphql::{ID, Interface};

use super::{Framework, Language, Role, Skill, Tool};

/// An object with a global ID (Relay object identification): fetch any of them again with
/// `node(id:)` or `nodes(ids:)`.
#[derive(Interface, Clone, Debug)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's global ID: opaque and stable."
))]
pub enum Node {
    Role(Role),
    Skill(Skill),
    Language(Language),
    Framework(Framework),
    Tool(Tool),
}
