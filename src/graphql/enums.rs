//! The GraphQL enums, mirrors of the database's value sets (the entity crate stays free of
//! GraphQL); async-graphql's `remote` generates the conversions both ways, variant by variant.

use async_graphql::Enum;

/// How much a role needs a skill, language, framework or tool.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::Importance")]
pub enum Importance {
    /// Needed to do the job.
    Essential,
    /// Useful, or needed only in some teams and stacks.
    Optional,
}

/// The level at which a role needs a skill.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::Proficiency")]
pub enum Proficiency {
    /// Knows the basics and can work under guidance.
    Beginner,
    /// Works independently on common tasks.
    Intermediate,
    /// Handles hard problems and guides others.
    Advanced,
    /// Recognised authority; designs and reviews others' work.
    Expert,
}

/// What kind of technology a tool is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::ToolCategory")]
pub enum ToolCategory {
    /// A database server or service (relational or NoSQL).
    Database,
    /// An in-memory store used as a cache.
    Cache,
    /// A cloud or hosting platform.
    CloudPlatform,
    /// A web server or reverse proxy.
    WebServer,
    /// A version control system or code hosting service.
    VersionControl,
    /// A container runtime or orchestrator.
    Container,
    /// A continuous integration or delivery system.
    CiCd,
    /// A metrics, logging or alerting system.
    Monitoring,
    /// A language runtime.
    Runtime,
    /// A tool that manages infrastructure from code.
    InfrastructureAsCode,
    /// A frontend bundler or build tool.
    BuildTool,
    /// Anything else.
    Other,
}

/// The kinds of node.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "crate::graph::Kind")]
pub enum NodeKind {
    /// A job role.
    Role,
    /// An ability or area of knowledge.
    Skill,
    /// A programming language.
    Language,
    /// A framework or library of a language.
    Framework,
    /// Any other technology.
    Tool,
}

/// Why `search` found a node, best first: the ranks of its results.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "crate::analysis::MatchedBy")]
pub enum SearchMatch {
    /// The query is the node's slug or name.
    Exact,
    /// The query begins the node's name.
    Prefix,
    /// The query is one of the node's aliases or begins one.
    Alias,
    /// The query begins a later word of the name or of an alias (`js` in `Node.js`).
    WordPrefix,
    /// The query appears inside the name or an alias.
    Substring,
    /// The name or an alias begins with something one or two edits away from the query.
    Typo,
}

/// What kind of concept an imported skill is (ESCO's skill type).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::SkillType")]
pub enum SkillType {
    /// Knowledge: facts, principles, theories (ESCO `knowledge`).
    Knowledge,
    /// The ability to apply knowledge to complete tasks (ESCO `skill/competence`).
    SkillCompetence,
    /// A group of skills in the hierarchy (ESCO's skill groups).
    SkillGroup,
}

/// How widely an imported skill applies (ESCO's reuse level).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::ReuseLevel")]
pub enum ReuseLevel {
    /// Relevant to a broad range of occupations and sectors.
    Transversal,
    /// Relevant to occupations in several sectors.
    CrossSector,
    /// Relevant to one sector, across its occupations.
    SectorSpecific,
    /// Relevant to one occupation or a few.
    OccupationSpecific,
}

/// Where a node is in its lifecycle.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeStatus {
    /// In use: in lists, search and answers.
    Active,
    /// Kept for the clients that stored its slug or ID, and found by both, but left out of
    /// lists, search and answers unless asked; `replacedBy` names what to use instead.
    Deprecated,
}
