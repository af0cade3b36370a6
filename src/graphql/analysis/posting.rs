//! The GraphQL type of a posting's analysis (`analyzePosting`); over
//! [`crate::analysis::posting`].

use async_graphql::Object;

use crate::analysis::Posting;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};

use super::{LearningPath, Mention, RelatedRole, SkillGap};

/// What a job posting asks, which roles it is closest to, and what a person lacks for the
/// closest.
pub struct PostingAnalysis {
    pub(super) posting: Posting,
    pub(super) roles: Vec<RelatedRole>,
}

/// A job posting read against the graph: a job ad in, a learning plan out.
#[Object]
impl PostingAnalysis {
    /// The nodes the text mentions, as `extractSkills` finds them.
    async fn mentions(&self) -> PlainList<Mention> {
        PlainList(self.posting.mentions.iter().cloned().map(Mention).collect())
    }

    /// The roles closest to the posting, closest first: the similarity of `Role.related`
    /// between the role's needs and the skills, languages, frameworks and tools the text
    /// mentions (each counted essential); roles that share none of them are left out.
    async fn roles(&self) -> PlainList<RelatedRole> {
        PlainList(self.roles.clone())
    }

    /// What a person with `have` lacks for the closest role; null when no role shares
    /// anything with the posting.
    async fn gap(&self) -> Option<Ordered<SkillGap>> {
        self.posting.gap.clone().map(|gap| Ordered(SkillGap(gap)))
    }

    /// The order in which a person with `have` would learn what the closest role needs; null
    /// when no role shares anything with the posting.
    async fn learning_path(&self) -> Option<Ordered<LearningPath>> {
        self.posting
            .path
            .clone()
            .map(|path| Ordered(LearningPath(path)))
    }
}

impl PlainFields for PostingAnalysis {}
