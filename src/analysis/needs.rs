//! What a role needs, as the analysis reads it: each need's node, importance and level, and
//! what a need weighs. Beneath the index and every analysis.

use entity::{Importance, Proficiency};

use crate::graph::Kind;

/// What a role needs: a node, how much, and for a skill at what level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub kind: Kind,
    pub slug: String,
    pub importance: Importance,
    /// For skills only.
    pub level: Option<Proficiency>,
}

/// A role and its needs: skills, then languages, frameworks and tools, each in its order.
#[derive(Clone, Debug)]
pub struct RoleNeeds {
    pub name: String,
    pub needs: Vec<Need>,
}

/// What a need weighs in coverage and similarity: 2 when essential, 1 when optional.
pub fn weight(importance: Importance) -> f64 {
    match importance {
        Importance::Essential => 2.0,
        Importance::Optional => 1.0,
    }
}
