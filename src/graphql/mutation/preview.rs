//! What a dry run answers: the `preview` of every mutation's payload.

use std::sync::Arc;

use async_graphql::{Object, SimpleObject};

use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::pagination::Paging;
use crate::graphql::releases::{ReleaseChangeConnection, ReleaseChangeCount, counts, page};
use crate::releases::diff::Entry;
use crate::review;

/// What a write would change, answered by a dry run (`dryRun: true`), which then changed
/// nothing. The differences are those `releaseDiff` would list between the graph before and
/// after the write.
pub struct Preview {
    revision: i32,
    entries: Arc<Vec<Entry>>,
    roles: Vec<RoleImpact>,
}

impl Preview {
    pub fn of(preview: review::Preview) -> Self {
        let roles = preview
            .impact
            .roles
            .into_iter()
            .map(|role| RoleImpact {
                slug: role.slug,
                needs_before: count(role.needs.0),
                needs_after: count(role.needs.1),
                essential_before: count(role.essential.0),
                essential_after: count(role.essential.1),
            })
            .collect();
        Preview {
            revision: preview.revision,
            entries: preview.entries,
            roles,
        }
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// What a write would change, answered by a dry run (`dryRun: true`), which then changed
/// nothing: the differences `releaseDiff` would list between the graph before and after, and
/// the roles whose needs would change.
#[Object]
impl Preview {
    /// The catalog's revision the dry run ran against: the real write makes exactly these
    /// changes if it runs at this revision.
    async fn revision(&self) -> i32 {
        self.revision
    }

    /// How many differences of each kind the write would make.
    async fn counts(&self) -> PlainList<ReleaseChangeCount> {
        counts(&self.entries)
    }

    /// The nodes and edges the write would create, change, deprecate, restore or remove,
    /// with their fields before and after, a page at a time (at most 100; 20 if not given).
    async fn changes(
        &self,
        #[graphql(
            desc = "How many differences from the start (0 to 100; 20 if neither this nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Only the differences after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many differences from the end (0 to 100), to page backwards.")]
        last: Option<i32>,
        #[graphql(desc = "Only the differences before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Ordered<ReleaseChangeConnection>> {
        let paging = Paging {
            first,
            after,
            last,
            before,
        };
        Ok(page(&self.entries, paging)?)
    }

    /// The roles whose needs the write would change (and with them their skill gaps,
    /// learning paths and related roles), with their figures before and after.
    async fn roles(&self) -> PlainList<RoleImpact> {
        PlainList(self.roles.clone())
    }
}

/// A role whose needs a write would change.
#[derive(SimpleObject, Clone)]
pub struct RoleImpact {
    /// The role's slug.
    pub slug: String,
    /// How many skills, languages, frameworks and tools it needs now.
    pub needs_before: i32,
    /// How many it would need after the write.
    pub needs_after: i32,
    /// How many of its needs are essential now.
    pub essential_before: i32,
    /// How many would be essential after the write.
    pub essential_after: i32,
}

impl PlainFields for Preview {}
impl PlainFields for RoleImpact {}
