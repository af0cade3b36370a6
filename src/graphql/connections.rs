//! The connection and edge types of every list in the schema.

use super::enums::{Importance, Proficiency};
use super::pagination::connection;
use super::types::{Framework, Language, Role, Skill, Tool};

connection!(
    /// A page of roles.
    RoleConnection, RoleEdge, Role [RoleGroupBy: IscoGroup]
);
connection!(
    /// A page of skills.
    SkillConnection, SkillEdge, Skill [SkillGroupBy: SkillType]
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
    ToolConnection, ToolEdge, Tool [ToolGroupBy: Category]
);
connection!(
    /// A page of the skills a role needs.
    RoleSkillConnection, RoleSkillEdge, Skill [RoleSkillGroupBy: Importance, Level, SkillType],
    /// How much the role needs the skill.
    importance: Importance,
    /// The level at which the role needs the skill; null when the source does not say (no
    /// ESCO occupation says).
    level: Option<Proficiency>,
);
connection!(
    /// A page of the languages a role uses.
    RoleLanguageConnection, RoleLanguageEdge, Language [RoleLanguageGroupBy: Importance],
    /// How much the role needs the language.
    importance: Importance,
);
connection!(
    /// A page of the frameworks a role uses.
    RoleFrameworkConnection, RoleFrameworkEdge, Framework [RoleFrameworkGroupBy: Importance],
    /// How much the role needs the framework.
    importance: Importance,
);
connection!(
    /// A page of the tools a role uses.
    RoleToolConnection, RoleToolEdge, Tool [RoleToolGroupBy: Importance, Category],
    /// How much the role needs the tool.
    importance: Importance,
);
connection!(
    /// A page of the roles that need a skill.
    SkillRoleConnection, SkillRoleEdge, Role [SkillRoleGroupBy: Importance, Level, IscoGroup],
    /// How much the role needs the skill.
    importance: Importance,
    /// The level at which the role needs the skill; null when the source does not say (no
    /// ESCO occupation says).
    level: Option<Proficiency>,
);
connection!(
    /// A page of the roles that use a language.
    LanguageRoleConnection, LanguageRoleEdge, Role [LanguageRoleGroupBy: Importance, IscoGroup],
    /// How much the role needs the language.
    importance: Importance,
);
connection!(
    /// A page of the roles that use a framework.
    FrameworkRoleConnection, FrameworkRoleEdge, Role [FrameworkRoleGroupBy: Importance, IscoGroup],
    /// How much the role needs the framework.
    importance: Importance,
);
connection!(
    /// A page of the roles that use a tool.
    ToolRoleConnection, ToolRoleEdge, Role [ToolRoleGroupBy: Importance, IscoGroup],
    /// How much the role needs the tool.
    importance: Importance,
);
connection!(
    /// A page of the skills related to a skill.
    SkillRelationConnection, SkillRelationEdge, Skill [SkillRelationGroupBy: Importance, SkillType],
    /// How much the related skill matters to the skill.
    importance: Importance,
);
