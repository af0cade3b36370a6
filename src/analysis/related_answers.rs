//! What `Skill.related` answers, and the answers an index keeps at its revision: a module
//! of its own so that the index can hold them without depending on the ranking.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use entity::Importance;

/// Why a skill is related to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The skill names the other in its relations.
    Names(Importance),
    /// The other skill names this one in its relations.
    NamedBy(Importance),
    /// Roles need both.
    SharedRoles,
}

/// One reason, with its score and, for co-occurrence, how many roles need both.
#[derive(Clone, Debug, PartialEq)]
pub struct Because {
    pub reason: Reason,
    pub score: f64,
    /// The roles that need both skills (counted for every reason).
    pub shared_roles: usize,
}

/// A skill related to another, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatedSkill {
    pub slug: String,
    pub score: f64,
    /// Its reasons, the catalog's first.
    pub reasons: Vec<Because>,
}

/// The most skills one answer holds: what `Skill.related(first:)` allows.
pub const MOST_RELATED: usize = 50;

/// How many skills' answers [`RelatedAnswers`] keeps at most.
const MOST_KEPT: usize = 1_024;

/// The answers already worked out at the index's revision: each skill's [`MOST_RELATED`]
/// most related, of which every smaller `first` is the start. Ranking a skill costs the
/// skills of every role that needs it (some thousand roles for ESCO's most needed ones, a
/// couple of milliseconds), the same on every request until the catalog moves; the index is
/// made anew when it does, and these with it. At most [`MOST_KEPT`] skills' answers are kept
/// (some 7 MB, 50 related skills of 140 bytes or so each); past that a skill is ranked on
/// each request.
#[derive(Debug, Default)]
pub struct RelatedAnswers {
    kept: Mutex<HashMap<String, Arc<[RelatedSkill]>>>,
}

impl RelatedAnswers {
    pub(super) fn get(&self, skill: &str) -> Option<Arc<[RelatedSkill]>> {
        self.kept.lock().ok()?.get(skill).cloned()
    }

    pub(super) fn keep(&self, skill: &str, answer: Arc<[RelatedSkill]>) {
        if let Ok(mut kept) = self.kept.lock()
            && kept.len() < MOST_KEPT
        {
            kept.insert(skill.to_owned(), answer);
        }
    }
}
