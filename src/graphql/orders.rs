//! The orders a client may ask the root and reverse lists for (`orderBy`), GitHub's style:
//! `[RoleOrder!]`, each `{ field: RoleOrderField!, direction: OrderDirection! }`, applied in
//! turn, ties broken by slug. What each field sorts by is [`Key`]; how it reads in SQL is the
//! data layer's.

use async_graphql::{Enum, InputObject, InputType};

use crate::data::lists::{Key, OrderKey, Ordering, ordering};
use crate::graph::EdgeKind;
use crate::{Error, Result};

/// Which way an order runs.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderDirection {
    /// Smallest first (A to Z, fewest first).
    Asc,
    /// Largest first (Z to A, most first).
    Desc,
}

/// One key of an order a client gives.
pub trait OrderInput: InputType {
    fn key(&self) -> OrderKey;
}

/// Declares, for each node kind, its order fields (with the key each sorts by) and its order
/// input.
macro_rules! orders {
    ($(
        $(#[doc = $doc:literal])*
        $order:ident, $field:ident {
            $($(#[doc = $variant_doc:literal])* $variant:ident => $key:expr),+ $(,)?
        }
    )+) => {$(
        #[doc = concat!("The fields a `", stringify!($order), "` sorts by.")]
        #[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $field {
            $($(#[doc = $variant_doc])* $variant,)+
        }

        $(#[doc = $doc])*
        #[derive(InputObject, Clone, Copy, Debug)]
        pub struct $order {
            /// What to sort by.
            pub field: $field,
            /// Which way.
            pub direction: OrderDirection,
        }

        impl OrderInput for $order {
            fn key(&self) -> OrderKey {
                OrderKey {
                    key: match self.field {
                        $($field::$variant => $key,)+
                    },
                    descending: self.direction == OrderDirection::Desc,
                }
            }
        }
    )+};
}

orders! {
    /// One key of an order of roles.
    RoleOrder, RoleOrderField {
        /// The role's name.
        Name => Key::Name,
        /// The role's slug.
        Slug => Key::Slug,
        /// How many active skills the role needs.
        SkillCount => Key::Edges(EdgeKind::RoleSkill, true),
    }
    /// One key of an order of skills.
    SkillOrder, SkillOrderField {
        /// The skill's name.
        Name => Key::Name,
        /// The skill's slug.
        Slug => Key::Slug,
        /// How many active roles need the skill: its demand.
        RoleCount => Key::Edges(EdgeKind::RoleSkill, false),
    }
    /// One key of an order of languages.
    LanguageOrder, LanguageOrderField {
        /// The language's name.
        Name => Key::Name,
        /// The language's slug.
        Slug => Key::Slug,
        /// How many active roles need the language.
        RoleCount => Key::Edges(EdgeKind::RoleLanguage, false),
    }
    /// One key of an order of frameworks.
    FrameworkOrder, FrameworkOrderField {
        /// The framework's name.
        Name => Key::Name,
        /// The framework's slug.
        Slug => Key::Slug,
        /// How many active roles need the framework.
        RoleCount => Key::Edges(EdgeKind::RoleFramework, false),
    }
    /// One key of an order of tools.
    ToolOrder, ToolOrderField {
        /// The tool's name.
        Name => Key::Name,
        /// The tool's slug.
        Slug => Key::Slug,
        /// How many active roles need the tool.
        RoleCount => Key::Edges(EdgeKind::RoleTool, false),
    }
}

/// The most keys an order may have: as many as a kind has fields (each may come once).
const MOST_KEYS: usize = 3;

/// The ordering an `orderBy` argument asks for; `None` for the list's own (absent, empty, or
/// the slug ascending alone). A field named twice is refused: the second time could never
/// decide anything, and is a client's mistake.
pub fn ordering_of<O: OrderInput>(order_by: Option<Vec<O>>) -> Result<Option<Ordering>> {
    let Some(order_by) = order_by else {
        return Ok(None);
    };
    if order_by.len() > MOST_KEYS {
        return Err(Error::invalid(
            "orderBy",
            format!(
                "`orderBy` takes at most {MOST_KEYS} keys, each field once; got {}",
                order_by.len()
            ),
        ));
    }
    let keys: Vec<OrderKey> = order_by.iter().map(OrderInput::key).collect();
    for (at, key) in keys.iter().enumerate() {
        if keys[..at].iter().any(|earlier| earlier.key == key.key) {
            return Err(Error::invalid(
                "orderBy",
                "`orderBy` names a field twice; each field may come once",
            ));
        }
    }
    Ok(ordering(&keys))
}
