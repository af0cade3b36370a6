//! The analysis of the graph, as GraphQL serves it: the root fields (`skillGap`,
//! `roleGap`, `learningPath`, `recommendRoles`, `extractSkills`, `analyzePosting`, `search`)
//! and what they check of their arguments and of the request's text budget, here; their
//! output types in a file each, mirroring the module of [`crate::analysis`] they expose (`gap`,
//! `path`, `related`, `mentions`, `search`, `posting`). They are computed over the
//! in-memory index; the nodes they name are loaded through the request's DataLoader, only when
//! selected.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::{Context, InputObject, Object};
use entity::{role, skill};

use super::engine::fast_lists::{Ordered, PlainList};
use super::enums::{NodeKind, Proficiency};
use super::heavy::HeavyWork;
use super::limits::MOST_MENTIONS;
use super::loaders::loader;
use super::schema_data;
use super::types::{NodeObject, Role, Skill, by_slug};
use crate::analysis::{self, CurrentIndex, Have};
use crate::graph::slug::is_slug;
use crate::{Error, Result};

mod gap;
mod mentions;
mod next;
mod path;
mod posting;
mod related;
mod related_skills;
mod route;
mod search;

use gap::{GapItem, SkillGap};
use mentions::Mention;
use next::NextSkills;
use path::LearningPath;
use posting::PostingAnalysis;
pub use related::{RelatedRole, related_roles};
use related::{RoleRecommendation, posting_role, recommendation};
pub use related_skills::{RelatedSkill, related_skills};
use route::CareerRoute;
use search::SearchHit;

/// Something a person has: a skill, language, framework or tool, by slug, at a level if
/// known (without one it meets any level).
#[derive(InputObject, Clone)]
pub struct HaveInput {
    /// The slug of a skill, language, framework or tool, e.g. `python`, `sql-querying`.
    pub slug: String,
    /// How well the person has it (skills only; ignored for the others).
    pub level: Option<Proficiency>,
}

/// The most entries `have` takes.
const MOST_HAVE: usize = 1_000;

fn haves(have: Vec<HaveInput>) -> Result<Vec<Have>> {
    if have.len() > MOST_HAVE {
        return Err(Error::invalid(
            "have",
            format!(
                "`have` takes at most {MOST_HAVE} entries, got {}",
                have.len()
            ),
        ));
    }
    Ok(have
        .into_iter()
        .map(|have| Have {
            slug: have.slug,
            level: have.level.map(Into::into),
        })
        .collect())
}

/// The graph index at the catalog's revision, looked up once per request.
pub async fn index(ctx: &Context<'_>) -> Result<Arc<analysis::GraphIndex>> {
    let current: &CurrentIndex = super::schema_data(ctx)?;
    let db: &crate::db::Db = super::schema_data(ctx)?;
    let index = loader(ctx)?
        .index
        .get_or_try_init(|| current.index(db))
        .await?;
    Ok(index.clone())
}

async fn role_of(ctx: &Context<'_>, slug: &str) -> async_graphql::Result<Option<Ordered<Role>>> {
    Ok(by_slug::<role::Entity>(ctx, slug.to_owned())
        .await?
        .map(|model| Ordered(NodeObject(model))))
}

async fn skill_of(ctx: &Context<'_>, slug: &str) -> async_graphql::Result<Option<Ordered<Skill>>> {
    Ok(by_slug::<skill::Entity>(ctx, slug.to_owned())
        .await?
        .map(|model| Ordered(NodeObject(model))))
}

/// Runs `work` (a large text's reading) as heavy work: in the place the request holds already
/// when it is a large read that has read (a second place would wait for the request itself),
/// or once one is free.
async fn heavy<T: Send + 'static>(
    ctx: &Context<'_>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    if loader(ctx)?.holds_place() {
        HeavyWork::run_placed(work).await
    } else {
        schema_data::<HeavyWork>(ctx)?.run(work).await
    }
}

/// The longest text `extractSkills` reads, in bytes.
const LONGEST_TEXT: usize = 1024 * 1024;

/// The most roles `nextSkills` aims at.
const MOST_AIMED_ROLES: usize = 20;

/// The most moves of a `careerRoute`.
const MOST_STEPS: i32 = 6;

/// The most roles `related` and `recommendRoles` return.
pub const MOST_ROLES: i32 = 100;

/// A `first` of `related` or `recommendRoles`, checked.
pub fn roles_first(first: Option<i32>) -> Result<usize> {
    let first = first.unwrap_or(5);
    if !(0..=MOST_ROLES).contains(&first) {
        return Err(Error::invalid(
            "first",
            format!("`first` must be between 0 and {MOST_ROLES}, got {first}"),
        ));
    }
    Ok(usize::try_from(first).unwrap_or_default())
}

/// What one request may still send to the answers that read a text, in bytes: a variable
/// used under several aliases is read once for each, so the body limit alone does not bound
/// the work. Each request gets its own (see `Api::execute`).
pub struct TextBudget(AtomicUsize);

impl Default for TextBudget {
    fn default() -> Self {
        TextBudget(AtomicUsize::new(LONGEST_TEXT))
    }
}

/// A `text` argument, checked against the longest text read, and taken from the request's
/// [`TextBudget`].
fn text_in_bounds(ctx: &Context<'_>, text: &str) -> Result<()> {
    if text.len() > LONGEST_TEXT {
        return Err(Error::invalid(
            "text",
            format!(
                "`text` may be at most {LONGEST_TEXT} bytes, got {}",
                text.len()
            ),
        ));
    }
    if let Some(TextBudget(left)) = ctx.data_opt::<TextBudget>() {
        let taken = left.fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
            left.checked_sub(text.len())
        });
        if taken.is_err() {
            return Err(Error::invalid(
                "text",
                format!(
                    "one request may send at most {LONGEST_TEXT} bytes of text to \
                     `extractSkills` and `analyzePosting` together"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses an answer of more mentions than [`MOST_MENTIONS`]: never cut short in silence.
fn mentions_in_bounds(count: usize) -> Result<()> {
    if count > MOST_MENTIONS {
        return Err(Error::invalid(
            "text",
            format!(
                "the text mentions {count} nodes, more than the {MOST_MENTIONS} one answer \
                 lists; send a shorter text"
            ),
        ));
    }
    Ok(())
}

/// The most hits `search` returns.
const MOST_HITS: i32 = analysis::search::MOST_HITS as i32;

/// The answers computed from the graph.
#[derive(Default)]
pub struct AnalysisQuery;

#[Object]
impl AnalysisQuery {
    /// What a person who has `have` lacks for the role `role` (a slug): what they cover, what
    /// they hold below the level asked, what is missing, and a coverage score. Null when
    /// there is no such role.
    #[graphql(complexity = "crate::graphql::limits::role_needs_cost(child_complexity)")]
    async fn skill_gap(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role's slug, e.g. `backend-developer`.")] role: String,
        #[graphql(desc = "What the person has (at most 1,000 entries).")] have: Vec<HaveInput>,
    ) -> async_graphql::Result<Option<Ordered<SkillGap>>> {
        let have = haves(have)?;
        if !is_slug(&role) {
            return Ok(None);
        }
        let index = index(ctx).await?;
        Ok(analysis::skill_gap(&index, &role, &have).map(|gap| Ordered(SkillGap(gap))))
    }

    /// The skills, languages, frameworks, tools and roles a text mentions (a job ad, a CV), by
    /// name, alias or hidden label in the request's locales (or `locale`, and English; every
    /// locale with `allLocales`), ignoring case and accents, on word boundaries (`C#`, `.NET`,
    /// `Node.js` and `CI/CD` included; `Go` is not found in `Google`), leftmost-longest, in
    /// the order they appear, with UTF-16 offsets and how sure each is (`Go` in "written in
    /// Go" is, in "we go" it is not); the less sure than `minConfidence` are left out.
    #[graphql(complexity = "crate::graphql::limits::text_cost(text.len(), child_complexity)")]
    async fn extract_skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The text, up to 1 MiB.")] text: String,
        #[graphql(desc = "Read the text in this locale (a BCP 47 tag) instead of the request's.")]
        locale: Option<String>,
        #[graphql(desc = "Match the labels of every locale, not only the request's.")]
        all_locales: Option<bool>,
        #[graphql(
            desc = "Only mentions at least this sure (0 to 1; 0.5 if not given): 0 \
                          finds every label, common words in any context too."
        )]
        min_confidence: Option<f64>,
    ) -> async_graphql::Result<PlainList<Mention>> {
        let least = min_confidence.unwrap_or(analysis::confidence::DEFAULT_THRESHOLD);
        if !(0.0..=1.0).contains(&least) {
            return Err(Error::invalid(
                "minConfidence",
                format!("`minConfidence` must be between 0 and 1, got {least}"),
            )
            .into());
        }
        text_in_bounds(ctx, &text)?;
        let index = index(ctx).await?;
        let reading = reading(ctx, &index, locale.as_deref(), all_locales)?;
        let found = heavy(ctx, move || {
            let mut found = index
                .vocabulary
                .as_ref()
                .map(|vocabulary| vocabulary.find(&text, &reading))
                .unwrap_or_default();
            found.retain(|m| m.confidence >= least);
            found
        })
        .await?;
        mentions_in_bounds(found.len())?;
        Ok(PlainList(found.into_iter().map(Mention).collect()))
    }

    /// What a person in the role `from` lacks for the role `to`, for a career move: `from`'s
    /// needs count as held at the levels `from` asks. Null when either role does not exist.
    #[graphql(complexity = "crate::graphql::limits::role_needs_cost(child_complexity)")]
    async fn role_gap(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The current role's slug.")] from: String,
        #[graphql(desc = "The wanted role's slug.")] to: String,
    ) -> async_graphql::Result<Option<Ordered<SkillGap>>> {
        if !is_slug(&from) || !is_slug(&to) {
            return Ok(None);
        }
        let index = index(ctx).await?;
        Ok(analysis::role_gap(&index, &from, &to).map(|gap| Ordered(SkillGap(gap))))
    }

    /// The roles that fit a person who has `have` best: highest score first (how much of what
    /// the person has each role uses, and how much of it they cover), then by slug.
    #[graphql(complexity = "crate::graphql::limits::ranked_cost(first, 5, child_complexity)")]
    async fn recommend_roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the person has (at most 1,000 entries).")] have: Vec<HaveInput>,
        #[graphql(desc = "How many roles (0 to 100; 5 if not given).")] first: Option<i32>,
    ) -> async_graphql::Result<PlainList<RoleRecommendation>> {
        let have = haves(have)?;
        let first = roles_first(first)?;
        let index = index(ctx).await?;
        Ok(PlainList(
            analysis::recommend(&index, &have, first)
                .into_iter()
                .map(|fit| recommendation(&index, fit, &have))
                .collect(),
        ))
    }

    /// The skills a person who has `have` should learn for the role `role`, in an order to
    /// learn them, each with the reason it is there. Null when there is no such role.
    #[graphql(complexity = "crate::graphql::limits::role_needs_cost(child_complexity)")]
    async fn learning_path(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role's slug, e.g. `backend-developer`.")] role: String,
        #[graphql(desc = "What the person has (at most 1,000 entries).")] have: Vec<HaveInput>,
    ) -> async_graphql::Result<Option<Ordered<LearningPath>>> {
        let have = haves(have)?;
        if !is_slug(&role) {
            return Ok(None);
        }
        let index = index(ctx).await?;
        Ok(analysis::learning_path(&index, &role, &have).map(|path| Ordered(LearningPath(path))))
    }

    /// The skills a person who has `have` could learn now (every prerequisite held), the
    /// most gainful first: how much each raises their coverage of `roles` (or of the 3 roles
    /// that fit them best when none are given), with the gain for each role; a missing
    /// prerequisite that is ready comes with the needed skills it unlocks.
    #[graphql(complexity = "crate::graphql::limits::ranked_cost(first, 5, child_complexity)")]
    async fn next_skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the person has (at most 1,000 entries).")] have: Vec<HaveInput>,
        #[graphql(
            desc = "The slugs of the roles aimed at (at most 20; the closest 3 if none).",
            default
        )]
        roles: Vec<String>,
        #[graphql(desc = "How many skills (0 to 100; 5 if not given).")] first: Option<i32>,
    ) -> async_graphql::Result<Ordered<NextSkills>> {
        let have = haves(have)?;
        if roles.len() > MOST_AIMED_ROLES {
            return Err(Error::invalid(
                "roles",
                format!(
                    "`roles` takes at most {MOST_AIMED_ROLES} slugs, got {}",
                    roles.len()
                ),
            )
            .into());
        }
        let first = roles_first(Some(first.unwrap_or(5)))?;
        let index = index(ctx).await?;
        let (roles, skills) = analysis::next_skills(&index, &have, &roles, first);
        Ok(Ordered(NextSkills { roles, skills }))
    }

    /// The cheapest sequence of moves from the role `from` to the role `to` for a person who
    /// has `have`, each move to a role near the one before (one of its 10 nearest, or the
    /// goal when they share anything) and costing what the person must learn for it, holding
    /// the needs of the role they leave; with each step's gap. Within `maxSteps` moves; when
    /// there is none, `found` is false. Null when either role does not exist.
    #[graphql(complexity = "crate::graphql::limits::route_cost(max_steps, child_complexity)")]
    async fn career_route(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The current role's slug.")] from: String,
        #[graphql(desc = "The wanted role's slug.")] to: String,
        #[graphql(
            desc = "What the person has besides `from`'s needs (at most 1,000 entries).",
            default
        )]
        have: Vec<HaveInput>,
        #[graphql(desc = "The most moves (1 to 6; 4 if not given).")] max_steps: Option<i32>,
    ) -> async_graphql::Result<Option<Ordered<CareerRoute>>> {
        let have = haves(have)?;
        let max_steps = max_steps.unwrap_or(4);
        if !(1..=MOST_STEPS).contains(&max_steps) {
            return Err(Error::invalid(
                "maxSteps",
                format!("`maxSteps` must be between 1 and {MOST_STEPS}, got {max_steps}"),
            )
            .into());
        }
        if !is_slug(&from) || !is_slug(&to) {
            return Ok(None);
        }
        let index = index(ctx).await?;
        let max_steps = usize::try_from(max_steps).unwrap_or_default();
        let searched = index.clone();
        let route = heavy(ctx, move || {
            analysis::career_route(&searched, &from, &to, &have, max_steps)
        })
        .await?;
        Ok(route.map(|route| Ordered(CareerRoute(route))))
    }

    /// What a job posting asks (the nodes it mentions), which roles it is closest to, and
    /// what a person who has `have` lacks for the closest one, with the order to learn it.
    #[graphql(complexity = "crate::graphql::limits::text_cost(text.len(), child_complexity)")]
    async fn analyze_posting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The posting's text, up to 1 MiB.")] text: String,
        #[graphql(
            desc = "What the reader has (at most 1,000 entries; none if not given).",
            default
        )]
        have: Vec<HaveInput>,
        #[graphql(desc = "How many closest roles (0 to 100; 3 if not given).")] first: Option<i32>,
        #[graphql(desc = "Read the text in this locale (a BCP 47 tag) instead of the request's.")]
        locale: Option<String>,
        #[graphql(desc = "Match the labels of every locale, not only the request's.")]
        all_locales: Option<bool>,
    ) -> async_graphql::Result<Ordered<PostingAnalysis>> {
        text_in_bounds(ctx, &text)?;
        let have = haves(have)?;
        let first = roles_first(Some(first.unwrap_or(3)))?;
        let index = index(ctx).await?;
        let reading = reading(ctx, &index, locale.as_deref(), all_locales)?;
        let analysed = index.clone();
        let mut posting = heavy(ctx, move || {
            analysis::analyze(&analysed, &text, &have, first, &reading)
        })
        .await?;
        mentions_in_bounds(posting.mentions.len())?;
        // What the posting asks, each as an essential need.
        let asked: Vec<analysis::GapItem> = posting
            .needs
            .iter()
            .map(|need| analysis::GapItem {
                need: need.clone(),
                name: index.name(need.kind, &need.slug),
                held: None,
                credit: 0.0,
            })
            .collect();
        let roles = std::mem::take(&mut posting.roles)
            .into_iter()
            .map(|matched| posting_role(&index, matched, &asked))
            .collect();
        Ok(Ordered(PostingAnalysis { posting, roles }))
    }

    /// Nodes of every kind (or of `kinds`) that match `query`, best first, for a search box
    /// that answers as the user types: the slug or name itself, then names that begin with
    /// it, aliases, later words, anywhere in a label, and names within a typo or two; each
    /// hit says why it matched. Matching ignores case, accents and extra spaces, and reads the
    /// labels (hidden ones included) of the request's locales (or `locale`, and English;
    /// every locale with `allLocales`).
    #[graphql(complexity = "crate::graphql::limits::search_cost(first, child_complexity)")]
    // A resolver's parameters are the field's GraphQL arguments.
    #[allow(clippy::too_many_arguments)]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the user typed (at most 256 characters).")] query: String,
        #[graphql(desc = "Only nodes of these kinds (all kinds if not given or empty).")]
        kinds: Option<Vec<NodeKind>>,
        #[graphql(desc = "How many hits (0 to 100; 10 if not given).")] first: Option<i32>,
        #[graphql(desc = "Also find deprecated nodes (left out by default).")]
        include_deprecated: Option<bool>,
        #[graphql(desc = "Search this locale (a BCP 47 tag) instead of the request's.")]
        locale: Option<String>,
        #[graphql(desc = "Match the labels of every locale, not only the request's.")]
        all_locales: Option<bool>,
    ) -> async_graphql::Result<PlainList<SearchHit>> {
        let chars = query.chars().count();
        if chars > analysis::search::LONGEST_QUERY {
            return Err(Error::invalid(
                "query",
                format!(
                    "`query` may be at most {} characters, got {chars}",
                    analysis::search::LONGEST_QUERY
                ),
            )
            .into());
        }
        let first = first.unwrap_or(10);
        if !(0..=MOST_HITS).contains(&first) {
            return Err(Error::invalid(
                "first",
                format!("`first` must be between 0 and {MOST_HITS}, got {first}"),
            )
            .into());
        }
        let kinds: Vec<crate::graph::Kind> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let index = index(ctx).await?;
        let reading = reading(ctx, &index, locale.as_deref(), all_locales)?;
        let hits = index.search.search(
            &query,
            &kinds,
            include_deprecated.unwrap_or(false),
            usize::try_from(first).unwrap_or_default(),
            &reading,
        );
        Ok(PlainList(hits.into_iter().map(SearchHit).collect()))
    }
}

/// What an answer over text reads: the labels of the request's locales (or of `locale`'s
/// chain), or of every locale with `all_locales`.
fn reading(
    ctx: &Context<'_>,
    index: &analysis::GraphIndex,
    locale: Option<&str>,
    all_locales: Option<bool>,
) -> Result<analysis::Reading> {
    let chain = super::locales::chain_of(ctx, locale)?;
    Ok(analysis::Reading::new(
        index.search.locales(),
        &chain,
        all_locales.unwrap_or(false),
    ))
}
