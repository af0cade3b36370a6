//! The inputs of the node mutations: what a create or an update of each kind takes, and
//! the curator's operation it asks for ([`WriteInput`]).

use async_graphql::{ID, InputObject};

use crate::Result;
use crate::curation::Operation;
use crate::curation::fields::Draft;
use crate::curation::nodes::Placement;
use crate::graph::Kind;
use crate::graphql::enums::ToolCategory;

use super::{WriteInput, slug_of};

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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes.
    pub dry_run: Option<bool>,
}

fn category_name(category: ToolCategory) -> String {
    use sea_orm::ActiveEnum;
    entity::ToolCategory::from(category).to_value()
}

/// Implements [`WriteInput`] for a kind's create and update inputs: `$draft` adds the kind's
/// own fields to the draft of the fields every kind has.
macro_rules! node_input {
    (create $kind:ident $input:ident, |$this:ident, $base:ident| $draft:expr) => {
        impl WriteInput for $input {
            fn operation(&self) -> Result<Operation> {
                let $this = self;
                let $base = Draft::default()
                    .text("slug", Some($this.slug.clone()))
                    .text("name", Some($this.name.clone()))
                    .text("description", $this.description.clone())
                    .list("aliases", $this.aliases.clone());
                Ok(Operation::CreateNode {
                    kind: Kind::$kind,
                    draft: $draft?,
                    placement: $this.placement()?,
                })
            }
            fn dry_run(&self) -> Option<bool> {
                self.dry_run
            }
        }
    };
    (update $kind:ident $input:ident . $target:ident, |$this:ident, $base:ident| $draft:expr) => {
        impl WriteInput for $input {
            fn operation(&self) -> Result<Operation> {
                let $this = self;
                let $base = Draft::default()
                    .text("name", $this.name.clone())
                    .text("description", $this.description.clone())
                    .list("aliases", $this.aliases.clone());
                Ok(Operation::UpdateNode {
                    kind: Kind::$kind,
                    slug: slug_of(Kind::$kind, stringify!($target), &$this.$target)?,
                    expected: $this.expected_version,
                    draft: $draft?,
                })
            }
            fn dry_run(&self) -> Option<bool> {
                self.dry_run
            }
        }
    };
}

/// Where a created node goes: only skills have a place (in the tree).
trait Placed {
    fn placement(&self) -> Result<Option<Placement>> {
        Ok(None)
    }
}

impl Placed for CreateRoleInput {}
impl Placed for CreateLanguageInput {}
impl Placed for CreateFrameworkInput {}
impl Placed for CreateToolInput {}

impl Placed for CreateSkillInput {
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

node_input!(create Role CreateRoleInput, |input, draft| Ok::<_, crate::Error>(
    draft
        .list("responsibilities", input.responsibilities.clone())
        .list("domains", input.domains.clone())
));
node_input!(create Skill CreateSkillInput, |_input, draft| Ok::<_, crate::Error>(draft));
node_input!(create Language CreateLanguageInput, |_input, draft| Ok::<_, crate::Error>(draft));
node_input!(create Framework CreateFrameworkInput, |input, draft| Ok::<_, crate::Error>(
    draft.text(
        "language",
        Some(slug_of(Kind::Language, "language", &input.language)?)
    )
));
node_input!(create Tool CreateToolInput, |input, draft| Ok::<_, crate::Error>(
    draft.text("category", Some(category_name(input.category)))
));
node_input!(update Role UpdateRoleInput.role, |input, draft| Ok::<_, crate::Error>(
    draft
        .list("responsibilities", input.responsibilities.clone())
        .list("domains", input.domains.clone())
));
node_input!(update Skill UpdateSkillInput.skill, |_input, draft| Ok::<_, crate::Error>(draft));
node_input!(update Language UpdateLanguageInput.language, |_input, draft| Ok::<_, crate::Error>(draft));
node_input!(update Framework UpdateFrameworkInput.framework, |input, draft| {
    let language = input
        .language
        .as_ref()
        .map(|language| slug_of(Kind::Language, "language", language))
        .transpose()?;
    Ok::<_, crate::Error>(draft.text("language", language))
});
node_input!(update Tool UpdateToolInput.tool, |input, draft| Ok::<_, crate::Error>(
    draft.text("category", input.category.map(category_name))
));
