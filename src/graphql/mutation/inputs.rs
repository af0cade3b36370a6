//! The inputs of the node mutations: what a create or an update of each kind takes, and
//! what of it the curator needs ([`NodeInput`]).

use async_graphql::{ID, InputObject};

use crate::Result;
use crate::curation::fields::Draft;
use crate::curation::nodes::Placement;
use crate::graph::Kind;
use crate::graphql::enums::ToolCategory;

use super::slug_of;

/// A new role.
#[derive(InputObject)]
pub struct CreateRoleInput {
    /// Kebab-case, unique among roles, stable forever, e.g. `data-engineer`.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// What the role does day to day (up to 100 items).
    pub responsibilities: Option<Vec<String>>,
    /// Application domains (up to 100 items).
    pub domains: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new skill, at a place in the skill tree.
#[derive(InputObject)]
pub struct CreateSkillInput {
    /// Kebab-case, unique among skills, stable forever.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// The skill it is part of (global ID or slug); a new root when not given.
    pub parent: Option<ID>,
    /// Its index among its siblings; the end when not given.
    pub position: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new programming language.
#[derive(InputObject)]
pub struct CreateLanguageInput {
    /// Kebab-case, unique among languages, stable forever, e.g. `csharp`.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new framework of an existing language.
#[derive(InputObject)]
pub struct CreateFrameworkInput {
    /// Kebab-case, unique among frameworks, stable forever.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// Its language (global ID or slug); it must exist.
    pub language: ID,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new tool.
#[derive(InputObject)]
pub struct CreateToolInput {
    /// Kebab-case, unique among tools, stable forever.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// What kind of technology it is.
    pub category: ToolCategory,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a role; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateRoleInput {
    /// The role (global ID or slug).
    pub role: ID,
    /// The `version` you read; the update fails with `CONFLICT` if the role changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// The new list of responsibilities (replaces the old one).
    pub responsibilities: Option<Vec<String>>,
    /// The new list of domains (replaces the old one).
    pub domains: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a skill; fields not given stay as they are (its place: `moveSkill`).
#[derive(InputObject)]
pub struct UpdateSkillInput {
    /// The skill (global ID or slug).
    pub skill: ID,
    /// The `version` you read; the update fails with `CONFLICT` if the skill changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a language; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateLanguageInput {
    /// The language (global ID or slug).
    pub language: ID,
    /// The `version` you read; the update fails with `CONFLICT` if it changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a framework; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateFrameworkInput {
    /// The framework (global ID or slug).
    pub framework: ID,
    /// The `version` you read; the update fails with `CONFLICT` if it changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// Another language for it (global ID or slug).
    pub language: Option<ID>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a tool; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateToolInput {
    /// The tool (global ID or slug).
    pub tool: ID,
    /// The `version` you read; the update fails with `CONFLICT` if it changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// A new category.
    pub category: Option<ToolCategory>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

fn category_name(category: ToolCategory) -> String {
    use sea_orm::ActiveEnum;
    entity::ToolCategory::from(category).to_value()
}

/// The parts of a create or update input the curator needs.
pub(super) trait NodeInput {
    /// The node the input changes (`None` for a creation).
    fn target(&self) -> Option<&ID>;
    fn expected_version(&self) -> Option<i32>;
    fn client_mutation_id(&mut self) -> Option<String>;
    fn draft(self) -> Result<Draft>;
    fn placement(&self) -> Result<Option<Placement>> {
        Ok(None)
    }
}

/// Implements [`NodeInput`] for a kind's create and update inputs.
macro_rules! node_input {
    (create $input:ident, |$this:ident, $base:ident| $draft:expr) => {
        impl NodeInput for $input {
            fn target(&self) -> Option<&ID> {
                None
            }
            fn expected_version(&self) -> Option<i32> {
                None
            }
            fn client_mutation_id(&mut self) -> Option<String> {
                self.client_mutation_id.take()
            }
            fn draft(self) -> Result<Draft> {
                let $this = self;
                let $base = Draft::default()
                    .text("slug", Some($this.slug))
                    .text("name", Some($this.name))
                    .text("description", $this.description)
                    .list("aliases", $this.aliases);
                $draft
            }
        }
    };
    (update $input:ident . $target:ident, |$this:ident, $base:ident| $draft:expr) => {
        impl NodeInput for $input {
            fn target(&self) -> Option<&ID> {
                Some(&self.$target)
            }
            fn expected_version(&self) -> Option<i32> {
                self.expected_version
            }
            fn client_mutation_id(&mut self) -> Option<String> {
                self.client_mutation_id.take()
            }
            fn draft(self) -> Result<Draft> {
                let $this = self;
                let $base = Draft::default()
                    .text("name", $this.name)
                    .text("description", $this.description)
                    .list("aliases", $this.aliases);
                $draft
            }
        }
    };
}

node_input!(create CreateRoleInput, |input, draft| Ok(
    draft
        .list("responsibilities", input.responsibilities)
        .list("domains", input.domains)
));
node_input!(create CreateLanguageInput, |_input, draft| Ok(draft));
node_input!(create CreateFrameworkInput, |input, draft| Ok(draft.text(
    "language",
    Some(slug_of(Kind::Language, "language", &input.language)?)
)));
node_input!(create CreateToolInput, |input, draft| Ok(
    draft.text("category", Some(category_name(input.category)))
));
node_input!(update UpdateRoleInput.role, |input, draft| Ok(
    draft
        .list("responsibilities", input.responsibilities)
        .list("domains", input.domains)
));
node_input!(update UpdateSkillInput.skill, |_input, draft| Ok(draft));
node_input!(update UpdateLanguageInput.language, |_input, draft| Ok(draft));
node_input!(update UpdateFrameworkInput.framework, |input, draft| {
    let language = input
        .language
        .as_ref()
        .map(|language| slug_of(Kind::Language, "language", language))
        .transpose()?;
    Ok(draft.text("language", language))
});
node_input!(update UpdateToolInput.tool, |input, draft| Ok(
    draft.text("category", input.category.map(category_name))
));

impl NodeInput for CreateSkillInput {
    fn target(&self) -> Option<&ID> {
        None
    }
    fn expected_version(&self) -> Option<i32> {
        None
    }
    fn client_mutation_id(&mut self) -> Option<String> {
        self.client_mutation_id.take()
    }
    fn draft(self) -> Result<Draft> {
        Ok(Draft::default()
            .text("slug", Some(self.slug))
            .text("name", Some(self.name))
            .text("description", self.description)
            .list("aliases", self.aliases))
    }
    fn placement(&self) -> Result<Option<Placement>> {
        let parent = self
            .parent
            .as_ref()
            .map(|parent| slug_of(Kind::Skill, "parent", parent))
            .transpose()?;
        Ok(Some(Placement {
            parent,
            position: self.position,
        }))
    }
}
