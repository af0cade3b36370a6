//! The GraphQL types of related and recommended roles (`Role.related`, `recommendRoles`);
//! over [`crate::analysis::related`].

use async_graphql::{Context, Object};

use crate::Result;
use crate::analysis::{self, Fit, Related, RoleMatch, matching};
use crate::graph::Kind;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::types::Role;

use super::{GapItem, SkillGap, index, role_of, roles_first};

/// A role near another, with the needs they share named.
#[derive(Clone)]
pub struct RelatedRole {
    pub(super) related: Related,
    pub(super) shared: Vec<analysis::GapItem>,
    pub(super) score: f64,
    pub(super) confidence: f64,
    pub(super) explanation: Explanation,
}

/// A role near another (or near a posting), by the needs they share.
#[Object]
impl RelatedRole {
    /// The other role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.related.slug).await
    }

    /// From 0 (nothing shared) to 1 (the same needs, equally important): a weighted Jaccard
    /// index, essential needs weighing 2 and optional ones 1; Σ over shared needs of the
    /// smaller weight / Σ over the needs of either of the larger weight.
    async fn similarity(&self) -> f64 {
        self.related.similarity
    }

    /// What the list is ranked by, from 0 to 1, comparable across queries. For a posting:
    /// `0.6 accounted + 0.2 covered + 0.2 titled` (see `MatchExplanation`); between two
    /// roles: the similarity.
    async fn score(&self) -> f64 {
        self.score
    }

    /// The score, discounted when few needs support it: `score × e / (e + 1)`, `e` the needs
    /// shared (and 2 more when the posting names the role).
    async fn confidence(&self) -> f64 {
        self.confidence
    }

    /// Why the role is where it is in the list.
    async fn explanation(&self) -> Ordered<Explanation> {
        Ordered(self.explanation.clone())
    }

    /// The skills, languages, frameworks and tools both roles need, in the other role's order.
    async fn shared(&self) -> PlainList<GapItem> {
        PlainList(self.shared.iter().cloned().map(GapItem).collect())
    }

    /// How many needs they share.
    async fn shared_count(&self) -> usize {
        self.shared.len()
    }
}

/// Why a role matched a posting, a person or another role, and how well.
#[derive(Clone)]
pub struct Explanation {
    accounted: f64,
    covered: f64,
    titled: bool,
    matched: Vec<analysis::GapItem>,
    lacking: Vec<analysis::GapItem>,
}

/// The parts of a match's score.
#[Object(name = "MatchExplanation")]
impl Explanation {
    /// How much of what was asked (a posting's skills, languages, frameworks and tools, or
    /// what a person has; for `Role.related`, the first role's needs) the role accounts for,
    /// from 0 to 1: each ask weighted by how few roles need it, counted whole when the role
    /// needs it as essential, half when optional.
    async fn accounted(&self) -> f64 {
        self.accounted
    }

    /// How much of the role what was asked meets, from 0 to 1, weighted as coverage is
    /// (essential 2, optional 1; for a person, the coverage of `skillGap`).
    async fn covered(&self) -> f64 {
        self.covered
    }

    /// Whether the posting names the role, by its name or an alias.
    async fn title_matched(&self) -> bool {
        self.titled
    }

    /// The role's needs that what was asked meets, in the role's order.
    async fn matched(&self) -> PlainList<GapItem> {
        PlainList(self.matched.iter().cloned().map(GapItem).collect())
    }

    /// What was asked that the role does not need, in the order asked.
    async fn lacking(&self) -> PlainList<GapItem> {
        PlainList(self.lacking.iter().cloned().map(GapItem).collect())
    }
}

/// How a role fits a person, and why.
pub struct RoleRecommendation(pub(super) Fit, pub(super) Explanation);

/// A role ranked for a person by how much of it they already cover.
#[Object]
impl RoleRecommendation {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.gap.role).await
    }

    /// The person's coverage of the role (see `SkillGap.coverage`).
    async fn coverage(&self) -> f64 {
        self.0.gap.coverage
    }

    /// How many essential needs the person does not hold at all.
    async fn missing_essentials(&self) -> usize {
        self.0.missing_essentials
    }

    /// What the list is ranked by, from 0 to 1, comparable across queries: `0.5 accounted +
    /// 0.5 covered` (see `MatchExplanation`), so that a role that uses all the person has is
    /// not passed over for a small one they cover as much of.
    async fn score(&self) -> f64 {
        self.0.matching.score
    }

    /// The score, discounted when few of the person's skills support it: `score × e / (e +
    /// 1)`, `e` the entries of `have` the role needs.
    async fn confidence(&self) -> f64 {
        self.0.matching.confidence
    }

    /// Why the role is where it is in the list.
    async fn explanation(&self) -> Ordered<Explanation> {
        Ordered(self.1.clone())
    }

    /// The whole gap.
    async fn gap(&self) -> Ordered<SkillGap> {
        Ordered(SkillGap(self.0.gap.clone()))
    }
}

impl PlainFields for RelatedRole {}
impl PlainFields for RoleRecommendation {}
impl PlainFields for Explanation {}

/// A need of a role, or something asked of it, with its name.
fn item(
    index: &analysis::GraphIndex,
    need: &analysis::needs::Need,
    credit: f64,
) -> analysis::GapItem {
    analysis::GapItem {
        need: need.clone(),
        name: index.name(need.kind, &need.slug),
        held: None,
        credit,
    }
}

/// A related role with the names of what it shares; its score is its similarity.
pub(super) fn related_role(
    index: &analysis::GraphIndex,
    own: &[analysis::needs::Need],
    related: Related,
) -> RelatedRole {
    let shared: Vec<analysis::GapItem> = related
        .shared
        .iter()
        .map(|need| item(index, need, 1.0))
        .collect();
    let weigh = |needs: &mut dyn Iterator<Item = &analysis::needs::Need>| -> f64 {
        needs
            .map(|need| analysis::needs::weight(need.importance))
            .sum()
    };
    let theirs = index.roles.get(&related.slug).map_or(&[][..], |r| &r.needs);
    let shares = |need: &analysis::needs::Need| {
        related
            .shared
            .iter()
            .any(|s| s.kind == need.kind && s.slug == need.slug)
    };
    let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
    let explanation = Explanation {
        accounted: share(
            weigh(&mut own.iter().filter(|n| shares(n))),
            weigh(&mut own.iter()),
        ),
        covered: share(weigh(&mut related.shared.iter()), weigh(&mut theirs.iter())),
        titled: false,
        matched: shared.clone(),
        lacking: own
            .iter()
            .filter(|need| !shares(need))
            .map(|need| item(index, need, 0.0))
            .collect(),
    };
    RelatedRole {
        score: related.similarity,
        confidence: matching::confidence(related.similarity, shared.len()),
        shared,
        explanation,
        related,
    }
}

/// The explanation of a match; `asked` names each ask as a need (a posting's as essential).
pub(super) fn explanation(
    index: &analysis::GraphIndex,
    matched: &RoleMatch,
    asked: &[analysis::GapItem],
) -> Explanation {
    Explanation {
        accounted: matched.accounted,
        covered: matched.covered,
        titled: matched.titled,
        matched: matched
            .matched
            .iter()
            .map(|(need, credit)| item(index, need, *credit))
            .collect(),
        lacking: matched
            .lacking
            .iter()
            .filter_map(|at| asked.get(*at).cloned())
            .collect(),
    }
}

/// A posting's closest role, with its score and why.
pub(super) fn posting_role(
    index: &analysis::GraphIndex,
    matched: RoleMatch,
    asked: &[analysis::GapItem],
) -> RelatedRole {
    let explanation = explanation(index, &matched, asked);
    RelatedRole {
        related: Related {
            slug: matched.role.clone(),
            similarity: matched.similarity,
            shared: matched
                .matched
                .iter()
                .map(|(need, _)| need.clone())
                .collect(),
        },
        shared: explanation.matched.clone(),
        score: matched.score,
        confidence: matched.confidence,
        explanation,
    }
}

/// A role recommended for a person who has `have`, with why.
pub(super) fn recommendation(
    index: &analysis::GraphIndex,
    fit: Fit,
    have: &[analysis::Have],
) -> RoleRecommendation {
    // What the person has, each as the node it names (an unknown slug names none).
    let asked: Vec<analysis::GapItem> = have
        .iter()
        .map(|have| {
            let kind = Kind::ALL
                .iter()
                .copied()
                .find(|kind| index.names.contains_key(&(*kind, have.slug.clone())))
                .unwrap_or(Kind::Skill);
            analysis::GapItem {
                need: analysis::needs::Need {
                    kind,
                    slug: have.slug.clone(),
                    importance: entity::Importance::Essential,
                    level: None,
                },
                name: index.name(kind, &have.slug),
                held: have.level,
                credit: 0.0,
            }
        })
        .collect();
    let explanation = explanation(index, &fit.matching, &asked);
    RoleRecommendation(fit, explanation)
}

/// The `first` roles most similar to `role`.
pub async fn related_roles(
    ctx: &Context<'_>,
    role: &str,
    first: Option<i32>,
) -> Result<PlainList<RelatedRole>> {
    let first = roles_first(first)?;
    let index = index(ctx).await?;
    Ok(PlainList(
        analysis::related(&index, role, first)
            .into_iter()
            .map(|related| {
                let own = index.roles.get(role).map_or(&[][..], |r| &r.needs);
                related_role(&index, own, related)
            })
            .collect(),
    ))
}
