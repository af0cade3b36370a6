//! The fields a client may write on each kind of node: the one table that the create and
//! update mutations, the checks and the change log all read.

use crate::graph::Kind;
use crate::graph::rules::{check_list, check_name, check_slug, check_text};
use crate::{Error, Result};

/// What a field holds, which says how it is checked and stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The node's slug: kebab-case, unique within the kind, set once.
    Slug,
    /// A display name: non-empty, bounded.
    Name,
    /// Free text, bounded.
    Text,
    /// A list of short texts, stored as a JSON array.
    List,
    /// A framework's language, given by slug, stored as its id.
    Language,
    /// A tool's category, stored as its value's name.
    Category,
}

/// One writable field.
#[derive(Debug)]
pub struct FieldSpec {
    /// The field's name in the GraphQL input and in the change log.
    pub name: &'static str,
    pub column: &'static str,
    pub shape: Shape,
    /// Whether a creation must give it.
    pub required: bool,
}

const fn field(name: &'static str, column: &'static str, shape: Shape) -> FieldSpec {
    FieldSpec {
        name,
        column,
        shape,
        required: false,
    }
}

const fn required(name: &'static str, column: &'static str, shape: Shape) -> FieldSpec {
    FieldSpec {
        name,
        column,
        shape,
        required: true,
    }
}

const SLUG: FieldSpec = required("slug", "slug", Shape::Slug);
const NAME: FieldSpec = required("name", "name", Shape::Name);
const DESCRIPTION: FieldSpec = field("description", "description", Shape::Text);
const ALIASES: FieldSpec = field("aliases", "aliases", Shape::List);

const ROLE: &[FieldSpec] = &[
    SLUG,
    NAME,
    DESCRIPTION,
    ALIASES,
    field("responsibilities", "responsibilities", Shape::List),
    field("domains", "domains", Shape::List),
];
const PLAIN: &[FieldSpec] = &[SLUG, NAME, DESCRIPTION, ALIASES];
const FRAMEWORK: &[FieldSpec] = &[
    SLUG,
    NAME,
    DESCRIPTION,
    ALIASES,
    required("language", "language_id", Shape::Language),
];
const TOOL: &[FieldSpec] = &[
    SLUG,
    NAME,
    DESCRIPTION,
    ALIASES,
    required("category", "category", Shape::Category),
];

/// The writable fields of `kind`. (A skill's place in the tree, `parent` and `position`, is
/// written by `moveSkill` and on creation, not as a plain field.)
pub fn specs(kind: Kind) -> &'static [FieldSpec] {
    match kind {
        Kind::Role => ROLE,
        Kind::Skill | Kind::Language => PLAIN,
        Kind::Framework => FRAMEWORK,
        Kind::Tool => TOOL,
    }
}

/// The spec of `kind`'s field `name`.
pub fn spec(kind: Kind, name: &str) -> Option<&'static FieldSpec> {
    specs(kind).iter().find(|spec| spec.name == name)
}

/// A value a client gave for a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given {
    /// A slug, name, text, language slug or category name.
    Text(String),
    List(Vec<String>),
}

impl Given {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Given::Text(text) => serde_json::Value::from(text.as_str()),
            Given::List(items) => serde_json::Value::from(items.clone()),
        }
    }
}

/// The fields a create or update mutation gives, by field name; fields not given are left as
/// they are (update) or take their defaults (create: empty text, empty lists).
#[derive(Clone, Debug, Default)]
pub struct Draft(pub Vec<(&'static str, Given)>);

impl Draft {
    /// The slug the draft gives, if it gives one.
    pub fn slug(&self) -> Option<&str> {
        self.0.iter().find_map(|(name, given)| match given {
            Given::Text(slug) if *name == "slug" => Some(slug.as_str()),
            _ => None,
        })
    }

    /// Adds a field when the client gave it.
    pub fn text(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.0.push((name, Given::Text(value)));
        }
        self
    }

    /// Adds a list field when the client gave it.
    pub fn list(mut self, name: &'static str, value: Option<Vec<String>>) -> Self {
        if let Some(value) = value {
            self.0.push((name, Given::List(value)));
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&Given> {
        self.0
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| value)
    }
}

/// Checks one value against its field's shape (the existence of a language and the validity
/// of a category are checked where they are looked up).
pub fn check_value(spec: &FieldSpec, value: &Given) -> Result<()> {
    let field = spec.name;
    match (spec.shape, value) {
        (Shape::Slug, Given::Text(slug)) => check_slug(field, slug),
        (Shape::Name, Given::Text(name)) => check_name(field, name),
        (Shape::Text, Given::Text(text)) => check_text(field, text),
        (Shape::List, Given::List(items)) => check_list(field, items),
        (Shape::Language | Shape::Category, Given::Text(_)) => Ok(()),
        _ => Err(Error::invalid(field, format!("{field} has the wrong type"))),
    }
}
