//! The connection and edge types of every list in the schema.

use super::enums::{Importance, Proficiency};
use super::pagination::connection;
use super::types::{Framework, Language, Role, Skill, Tool};

connection!(
    /// A page of roles.
    RoleConnection, RoleEdge, Role
);
connection!(
    /// A page of skills.
    SkillConnection, SkillEdge, Skill
);
connection!(
    /// A page of languages.
    LanguageConnection, LanguageEdge, Language
);
connection!(
    /// A page of frameworks.
    FrameworkConnection, FrameworkEdge, Framework
);
connection!(
    /// A page of tools.
    ToolConnection, ToolEdge, Tool
);
connection!(
    /// A page of the skills a role needs.
    RoleSkillConnection, RoleSkillEdge, Skill,
    /// How much the role needs the skill.
    importance: Importance,
    /// The level at which the role needs the skill; null when the source does not say (no
    /// ESCO occupation says).
    level: Option<Proficiency>,
);
connection!(
    /// A page of the languages a role uses.
    RoleLanguageConnection, RoleLanguageEdge, Language,
    /// How much the role needs the language.
    importance: Importance,
);
connection!(
    /// A page of the frameworks a role uses.
    RoleFrameworkConnection, RoleFrameworkEdge, Framework,
    /// How much the role needs the framework.
    importance: Importance,
);
connection!(
    /// A page of the tools a role uses.
    RoleToolConnection, RoleToolEdge, Tool,
    /// How much the role needs the tool.
    importance: Importance,
);
connection!(
    /// A page of the roles that need a skill.
    SkillRoleConnection, SkillRoleEdge, Role,
    /// How much the role needs the skill.
    importance: Importance,
    /// The level at which the role needs the skill; null when the source does not say (no
    /// ESCO occupation says).
    level: Option<Proficiency>,
);
connection!(
    /// A page of the roles that use a language.
    LanguageRoleConnection, LanguageRoleEdge, Role,
    /// How much the role needs the language.
    importance: Importance,
);
connection!(
    /// A page of the roles that use a framework.
    FrameworkRoleConnection, FrameworkRoleEdge, Role,
    /// How much the role needs the framework.
    importance: Importance,
);
connection!(
    /// A page of the roles that use a tool.
    ToolRoleConnection, ToolRoleEdge, Role,
    /// How much the role needs the tool.
    importance: Importance,
);
connection!(
    /// A page of the skills related to a skill.
    SkillRelationConnection, SkillRelationEdge, Skill,
    /// How much the related skill matters to the skill.
    importance: Importance,
);
