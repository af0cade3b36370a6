//! The GraphQL type `Language`: a programming language row, its frameworks, the skills that
//! use it and the roles that need it.

use entity::language;

use super::nested_connections;
use crate::graphql::connections::{FrameworkConnection, LanguageRoleConnection, SkillConnection};

/// A `language` row, served as the GraphQL type `Language`.
pub type Language = super::NodeObject<language::Model>;

nested_connections! {
    /// A programming language, such as Python or C#.
    impl Language with shared fields of language {
        /// The frameworks written for this language, ordered by slug unless `orderBy` says otherwise.
        frameworks(LanguageFrameworks) -> FrameworkConnection of framework ordered by FrameworkOrder
            where include_deprecated: bool = "Also list deprecated nodes (left out by default)."
            => super::active(include_deprecated);

        /// The skills practised in this language, ordered by slug unless `orderBy` says otherwise.
        skills(LanguageSkills) -> SkillConnection of skill ordered by SkillOrder
            where include_deprecated: bool = "Also list deprecated nodes (left out by default)."
            => super::active(include_deprecated);

        /// The roles that use this language, with importance, ordered by role slug unless `orderBy` says otherwise.
        roles(LanguageRoles) -> LanguageRoleConnection of role ordered by RoleOrder
            where include_deprecated: bool = "Also list deprecated nodes (left out by default)."
            => super::active(include_deprecated);
    }
}
