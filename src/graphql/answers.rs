//! Answers computed from the graph (`skillGap`, `learningPath`), over the in-memory index of
//! [`crate::answers`]; the nodes they name are loaded through the request's DataLoader, only
//! when selected.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::{Context, InputObject, Object};
use entity::{role, skill};

use super::enums::{Importance, NodeKind, Proficiency, SearchMatch};
use super::fast_lists::{Ordered, PlainFields, PlainList};
use super::heavy::HeavyWork;
use super::limits::MOST_MENTIONS;
use super::loaders::loader;
use super::schema_data;
use super::types::{Node, NodeObject, Role, Skill, by_slug, node_by_id};
use crate::answers::{
    self, Answers, Fit, Gap, GapItem, Have, Hit, LearningPath, Mention, Posting, Related, Step,
};
use crate::slug::is_slug;
use crate::{Error, Result};

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
pub async fn index(ctx: &Context<'_>) -> Result<Arc<answers::GraphIndex>> {
    let answers: &Answers = super::schema_data(ctx)?;
    let db: &crate::db::Db = super::schema_data(ctx)?;
    let index = loader(ctx)?
        .index
        .get_or_try_init(|| answers.index(db))
        .await?;
    Ok(index.clone())
}

async fn role_of(ctx: &Context<'_>, slug: &str) -> async_graphql::Result<Option<Ordered<Role>>> {
    Ok(by_slug::<role::Entity>(ctx, slug.to_owned())
        .await?
        .map(|model| Ordered(NodeObject(model))))
}

/// One need of a role, as a person meets it.
pub struct GapEntry(GapItem);

/// One need of a role (a skill, language, framework or tool), as a person meets it.
#[Object(name = "GapItem")]
impl GapEntry {
    /// The kind of node needed.
    async fn kind(&self) -> NodeKind {
        self.0.need.kind.into()
    }

    /// The needed node's slug.
    async fn slug(&self) -> &str {
        &self.0.need.slug
    }

    /// The needed node's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The needed node.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Node>>> {
        Ok(node_by_id(ctx, self.0.need.kind, self.0.need.slug.clone())
            .await?
            .map(Ordered))
    }

    /// How much the role needs it.
    async fn importance(&self) -> Importance {
        self.0.need.importance.into()
    }

    /// The level the role asks (skills only).
    async fn level(&self) -> Option<Proficiency> {
        self.0.need.level.map(Into::into)
    }

    /// The level the person said they hold, if they said.
    async fn held(&self) -> Option<Proficiency> {
        self.0.held.map(Into::into)
    }

    /// What this need counts toward `coverage`, from 0 (not held) to 1 (held at the level
    /// asked); in between for a skill held below it.
    async fn credit(&self) -> f64 {
        self.0.credit
    }
}

/// What a person has and lacks for a role.
pub struct SkillGap(Gap);

/// What a person has and lacks for a role, and how much of it they cover.
#[Object]
impl SkillGap {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.role).await
    }

    /// The weighted share of the role's needs met, from 0 to 1: essential needs weigh 2,
    /// optional ones 1; a need met at the level asked counts whole, a skill held below it in
    /// proportion of the levels (BEGINNER 1 … EXPERT 4), a need not held 0.
    async fn coverage(&self) -> f64 {
        self.0.coverage
    }

    /// The needs met, in the role's order (skills, languages, frameworks, tools).
    async fn covered(&self) -> PlainList<GapEntry> {
        PlainList(self.0.covered.iter().cloned().map(GapEntry).collect())
    }

    /// The skills held below the level the role asks.
    async fn below_level(&self) -> PlainList<GapEntry> {
        PlainList(self.0.below_level.iter().cloned().map(GapEntry).collect())
    }

    /// The needs not held at all.
    async fn missing(&self) -> PlainList<GapEntry> {
        PlainList(self.0.missing.iter().cloned().map(GapEntry).collect())
    }

    /// The slugs of `have` that name no node.
    async fn unknown(&self) -> &[String] {
        &self.0.unknown
    }
}

/// One step of a learning path.
pub struct LearningStep {
    position: i32,
    step: Step,
}

/// One skill to learn, and why it is on the path.
#[Object]
impl LearningStep {
    /// The step's place in the path, from 1.
    async fn position(&self) -> i32 {
        self.position
    }

    /// The skill's slug.
    async fn slug(&self) -> &str {
        &self.step.slug
    }

    /// The skill's name.
    async fn name(&self) -> &str {
        &self.step.name
    }

    /// The skill to learn.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Skill>>> {
        Ok(by_slug::<skill::Entity>(ctx, self.step.slug.clone())
            .await?
            .map(|model| Ordered(NodeObject(model))))
    }

    /// How much the role needs it (a prerequisite: as much as what waits for it).
    async fn importance(&self) -> Importance {
        self.step.importance.into()
    }

    /// The level the role asks; null for a skill that is only a prerequisite.
    async fn level(&self) -> Option<Proficiency> {
        self.step.level.map(Into::into)
    }

    /// The level held now, when the step is to reach a higher one.
    async fn held(&self) -> Option<Proficiency> {
        self.step.held.map(Into::into)
    }

    /// Why it is on the path, e.g. `essential for Backend Developer`, `prerequisite of Query
    /// Optimization`.
    async fn reason(&self) -> &str {
        &self.step.reason
    }
}

/// The skills to learn for a role, in an order to learn them.
pub struct Path(LearningPath);

/// The skills to learn for a role, each prerequisite before what needs it.
#[Object(name = "LearningPath")]
impl Path {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.role).await
    }

    /// The steps: every skill the person lacks (or holds below the level asked) and its
    /// prerequisites they do not hold, each prerequisite before what needs it; among the
    /// skills ready to learn, essential first, then the catalog's order.
    async fn steps(&self) -> PlainList<LearningStep> {
        PlainList(
            self.0
                .steps
                .iter()
                .enumerate()
                .map(|(at, step)| LearningStep {
                    position: i32::try_from(at + 1).unwrap_or(i32::MAX),
                    step: step.clone(),
                })
                .collect(),
        )
    }

    /// Skills that could not be placed because their prerequisites form a cycle (empty on a
    /// graph written through the API, which keeps prerequisites acyclic).
    async fn cycle(&self) -> &[String] {
        &self.0.cycle
    }
}

/// A role near another, with the needs they share named.
#[derive(Clone)]
pub struct RelatedRole {
    related: Related,
    shared: Vec<GapItem>,
}

/// A role near another, by the needs they share.
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

    /// The skills, languages, frameworks and tools both roles need, in the other role's order.
    async fn shared(&self) -> PlainList<GapEntry> {
        PlainList(self.shared.iter().cloned().map(GapEntry).collect())
    }

    /// How many needs they share.
    async fn shared_count(&self) -> usize {
        self.shared.len()
    }
}

/// How a role fits a person.
pub struct RoleFit(Fit);

/// A role ranked for a person by how much of it they already cover.
#[Object(name = "RoleRecommendation")]
impl RoleFit {
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

    /// The whole gap.
    async fn gap(&self) -> Ordered<SkillGap> {
        Ordered(SkillGap(self.0.gap.clone()))
    }
}

/// A node found in a text.
pub struct Found(Mention);

/// A node found in a text, and where.
#[Object(name = "Mention")]
impl Found {
    /// Where the mention starts, in UTF-16 code units: what JavaScript's
    /// `text.slice(start, end)` takes.
    async fn start(&self) -> usize {
        self.0.start
    }

    /// Where the mention ends (exclusive), in UTF-16 code units.
    async fn end(&self) -> usize {
        self.0.end
    }

    /// The mention as written.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// Whether the text is the node's name (otherwise one of its aliases).
    async fn by_name(&self) -> bool {
        self.0.by_name
    }

    /// The kind of node mentioned.
    async fn kind(&self) -> NodeKind {
        self.0.kind.into()
    }

    /// The slug of the node mentioned.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The node mentioned.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Node>>> {
        Ok(node_by_id(ctx, self.0.kind, self.0.slug.clone())
            .await?
            .map(Ordered))
    }
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

impl PlainFields for Found {}
impl PlainFields for GapEntry {}
impl PlainFields for SkillGap {}
impl PlainFields for LearningStep {}
impl PlainFields for Path {}
impl PlainFields for RelatedRole {}
impl PlainFields for RoleFit {}
impl PlainFields for SearchHit {}
impl PlainFields for PostingAnalysis {}

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

/// A related role with the names of what it shares.
fn related_role(index: &answers::GraphIndex, related: Related) -> RelatedRole {
    RelatedRole {
        shared: related
            .shared
            .iter()
            .map(|need| GapItem {
                need: need.clone(),
                name: index.name(need.kind, &need.slug),
                held: None,
                credit: 1.0,
            })
            .collect(),
        related,
    }
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
        answers::related(&index, role, first)
            .into_iter()
            .map(|related| related_role(&index, related))
            .collect(),
    ))
}

/// A node found by `search`.
pub struct SearchHit(Hit);

/// A node found by `search`, and why.
#[Object]
impl SearchHit {
    /// The node's kind.
    async fn kind(&self) -> NodeKind {
        self.0.kind.into()
    }

    /// The node's slug.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The node's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The node.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Node>>> {
        Ok(node_by_id(ctx, self.0.kind, self.0.slug.clone())
            .await?
            .map(Ordered))
    }

    /// Why it was found (its rank).
    async fn matched_by(&self) -> SearchMatch {
        self.0.matched_by.into()
    }

    /// The slug, name or alias that matched, as written.
    async fn matched(&self) -> &str {
        &self.0.matched
    }

    /// For `TYPO`, how many edits (inserted, deleted, replaced or swapped characters) separate
    /// the query from the beginning of `matched`; 0 otherwise.
    async fn distance(&self) -> i32 {
        i32::from(self.0.distance)
    }
}

/// What a job posting asks, which roles it is closest to, and what a person lacks for the
/// closest.
pub struct PostingAnalysis {
    posting: Posting,
    roles: Vec<RelatedRole>,
}

/// A job posting read against the graph: a job ad in, a learning plan out.
#[Object]
impl PostingAnalysis {
    /// The nodes the text mentions, as `extractSkills` finds them.
    async fn mentions(&self) -> PlainList<Found> {
        PlainList(self.posting.mentions.iter().cloned().map(Found).collect())
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
    async fn learning_path(&self) -> Option<Ordered<Path>> {
        self.posting.path.clone().map(|path| Ordered(Path(path)))
    }
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
const MOST_HITS: i32 = answers::search::MOST_HITS as i32;

/// The answers computed from the graph.
#[derive(Default)]
pub struct AnswersQuery;

#[Object]
impl AnswersQuery {
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
        Ok(answers::skill_gap(&index, &role, &have).map(|gap| Ordered(SkillGap(gap))))
    }

    /// The skills, languages, frameworks, tools and roles a text mentions (a job ad, a CV), by
    /// name or alias, case-insensitively, on word boundaries (`C#`, `.NET`, `Node.js` and
    /// `CI/CD` included; `Go` is not found in `Google`), leftmost-longest, in the order they
    /// appear, with UTF-16 offsets.
    #[graphql(complexity = "crate::graphql::limits::text_cost(text.len(), child_complexity)")]
    async fn extract_skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The text, up to 1 MiB.")] text: String,
    ) -> async_graphql::Result<PlainList<Found>> {
        text_in_bounds(ctx, &text)?;
        let index = index(ctx).await?;
        let found = heavy(ctx, move || {
            index
                .vocabulary
                .as_ref()
                .map(|vocabulary| vocabulary.find(&text))
                .unwrap_or_default()
        })
        .await?;
        mentions_in_bounds(found.len())?;
        Ok(PlainList(found.into_iter().map(Found).collect()))
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
        Ok(answers::role_gap(&index, &from, &to).map(|gap| Ordered(SkillGap(gap))))
    }

    /// The roles that fit a person who has `have` best: highest coverage first, then fewest
    /// missing essentials.
    #[graphql(complexity = "crate::graphql::limits::ranked_cost(first, 5, child_complexity)")]
    async fn recommend_roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the person has (at most 1,000 entries).")] have: Vec<HaveInput>,
        #[graphql(desc = "How many roles (0 to 100; 5 if not given).")] first: Option<i32>,
    ) -> async_graphql::Result<PlainList<RoleFit>> {
        let have = haves(have)?;
        let first = roles_first(first)?;
        let index = index(ctx).await?;
        Ok(PlainList(
            answers::recommend(&index, &have, first)
                .into_iter()
                .map(RoleFit)
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
    ) -> async_graphql::Result<Option<Ordered<Path>>> {
        let have = haves(have)?;
        if !is_slug(&role) {
            return Ok(None);
        }
        let index = index(ctx).await?;
        Ok(answers::learning_path(&index, &role, &have).map(|path| Ordered(Path(path))))
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
    ) -> async_graphql::Result<Ordered<PostingAnalysis>> {
        text_in_bounds(ctx, &text)?;
        let have = haves(have)?;
        let first = roles_first(Some(first.unwrap_or(3)))?;
        let index = index(ctx).await?;
        let reading = index.clone();
        let mut posting =
            heavy(ctx, move || answers::analyze(&reading, &text, &have, first)).await?;
        mentions_in_bounds(posting.mentions.len())?;
        let roles = std::mem::take(&mut posting.roles)
            .into_iter()
            .map(|related| related_role(&index, related))
            .collect();
        Ok(Ordered(PostingAnalysis { posting, roles }))
    }

    /// Nodes of every kind (or of `kinds`) that match `query`, best first, for a search box
    /// that answers as the user types: the slug or name itself, then names that begin with
    /// it, aliases, later words, anywhere in a label, and names within a typo or two; each
    /// hit says why it matched. Matching ignores case and extra spaces.
    #[graphql(complexity = "crate::graphql::limits::search_cost(first, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the user typed (at most 256 characters).")] query: String,
        #[graphql(desc = "Only nodes of these kinds (all kinds if not given or empty).")]
        kinds: Option<Vec<NodeKind>>,
        #[graphql(desc = "How many hits (0 to 100; 10 if not given).")] first: Option<i32>,
    ) -> async_graphql::Result<PlainList<SearchHit>> {
        let chars = query.chars().count();
        if chars > answers::search::LONGEST_QUERY {
            return Err(Error::invalid(
                "query",
                format!(
                    "`query` may be at most {} characters, got {chars}",
                    answers::search::LONGEST_QUERY
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
        let kinds: Vec<crate::data::model::Kind> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let index = index(ctx).await?;
        let hits = index
            .search
            .search(&query, &kinds, usize::try_from(first).unwrap_or_default());
        Ok(PlainList(hits.into_iter().map(SearchHit).collect()))
    }
}
