//! Value sets stored as short strings, so that a row reads the same in `psql` and `sqlite3`.

use sea_orm::entity::prelude::*;

/// How much a role (or skill) needs the thing an edge points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Importance {
    #[sea_orm(string_value = "ESSENTIAL")]
    Essential,
    #[sea_orm(string_value = "OPTIONAL")]
    Optional,
}

/// The level at which a role needs a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Proficiency {
    #[sea_orm(string_value = "BEGINNER")]
    Beginner,
    #[sea_orm(string_value = "INTERMEDIATE")]
    Intermediate,
    #[sea_orm(string_value = "ADVANCED")]
    Advanced,
    #[sea_orm(string_value = "EXPERT")]
    Expert,
}

/// What kind of technology a tool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ToolCategory {
    #[sea_orm(string_value = "DATABASE")]
    Database,
    #[sea_orm(string_value = "CACHE")]
    Cache,
    #[sea_orm(string_value = "CLOUD_PLATFORM")]
    CloudPlatform,
    #[sea_orm(string_value = "WEB_SERVER")]
    WebServer,
    #[sea_orm(string_value = "VERSION_CONTROL")]
    VersionControl,
    #[sea_orm(string_value = "CONTAINER")]
    Container,
    #[sea_orm(string_value = "CI_CD")]
    CiCd,
    #[sea_orm(string_value = "MONITORING")]
    Monitoring,
    #[sea_orm(string_value = "RUNTIME")]
    Runtime,
    #[sea_orm(string_value = "INFRASTRUCTURE_AS_CODE")]
    InfrastructureAsCode,
    #[sea_orm(string_value = "BUILD_TOOL")]
    BuildTool,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// What kind of skill concept an imported skill is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SkillType {
    #[sea_orm(string_value = "KNOWLEDGE")]
    Knowledge,
    #[sea_orm(string_value = "SKILL_COMPETENCE")]
    SkillCompetence,
    #[sea_orm(string_value = "SKILL_GROUP")]
    SkillGroup,
}

/// How widely an imported skill applies across occupations and sectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ReuseLevel {
    #[sea_orm(string_value = "TRANSVERSAL")]
    Transversal,
    #[sea_orm(string_value = "CROSS_SECTOR")]
    CrossSector,
    #[sea_orm(string_value = "SECTOR_SPECIFIC")]
    SectorSpecific,
    #[sea_orm(string_value = "OCCUPATION_SPECIFIC")]
    OccupationSpecific,
}
