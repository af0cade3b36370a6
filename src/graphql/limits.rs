//! What one query may ask for: page sizes, tree depth, query depth, and the cost that the
//! complexity limit compares against.
//!
//! async-graphql computes a query's cost while it validates the document, by calling each
//! field's cost function; those functions are plain `fn` pointers that receive no schema
//! data. The server's configured limits, and the lengths of its lists (a page never holds more
//! items than its list), reach them through a task-local value that [`with_pricing`] sets
//! around each execution; outside of it (unit tests, `skillgraph schema`) the defaults apply.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::futures_util::Stream;

use crate::data::List;

/// Limits that protect the service from oversized requests (a query's cost is
/// [`connection_cost`]'s, the document's measures [`super::budget`]'s). They are `serve`'s
/// flags too, flattened into its arguments, each defaulting to [`Limits::default`]'s value;
/// the field docs are the flags' help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::Args)]
pub struct Limits {
    /// Page size of a connection when a query gives no `first`.
    #[arg(long, env = "SKILLGRAPH_DEFAULT_PAGE_SIZE", default_value_t = Limits::default().default_page_size)]
    pub default_page_size: u32,
    /// The largest `first` a query may ask for.
    #[arg(long, env = "SKILLGRAPH_MAX_PAGE_SIZE", default_value_t = Limits::default().max_page_size)]
    pub max_page_size: u32,
    /// The deepest `Skill.descendants` may walk, and its depth when no `maxDepth` is given.
    #[arg(long, env = "SKILLGRAPH_MAX_TREE_DEPTH", default_value_t = Limits::default().max_tree_depth)]
    pub max_tree_depth: u32,
    /// The deepest a query may nest its selections (deeper: `QUERY_TOO_DEEP`).
    #[arg(long, env = "SKILLGRAPH_MAX_QUERY_DEPTH", default_value_t = Limits::default().max_query_depth)]
    pub max_query_depth: usize,
    /// The most a query may cost, a connection costing its selection times `first`
    /// (more: `QUERY_TOO_COMPLEX`).
    #[arg(long, env = "SKILLGRAPH_MAX_COMPLEXITY", default_value_t = Limits::default().max_complexity)]
    pub max_complexity: usize,
    /// Whether clients may introspect the schema (`--introspection false` to turn it off;
    /// deployments that publish `schema.graphql` may).
    #[arg(long, env = "SKILLGRAPH_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub introspection: bool,
    /// The longest query document accepted, in bytes (longer: `QUERY_TOO_LARGE`).
    #[arg(long, env = "SKILLGRAPH_MAX_DOCUMENT_BYTES", default_value_t = Limits::default().max_document_bytes)]
    pub max_document_bytes: usize,
    /// The most lexical tokens a query document may have (more: `QUERY_TOO_LARGE`).
    #[arg(long, env = "SKILLGRAPH_MAX_TOKENS", default_value_t = Limits::default().max_tokens)]
    pub max_tokens: usize,
    /// The most field selections a document may expand to, each fragment spread counted in
    /// full (more: `QUERY_TOO_LARGE`).
    #[arg(long, env = "SKILLGRAPH_MAX_SELECTIONS", default_value_t = Limits::default().max_selections)]
    pub max_selections: usize,
    /// The most aliased fields a document may expand to (more: `QUERY_TOO_LARGE`).
    #[arg(long, env = "SKILLGRAPH_MAX_ALIASES", default_value_t = Limits::default().max_aliases)]
    pub max_aliases: usize,
    /// The most directives a document may expand to (more: `QUERY_TOO_LARGE`).
    #[arg(long, env = "SKILLGRAPH_MAX_DIRECTIVES", default_value_t = Limits::default().max_directives)]
    pub max_directives: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            default_page_size: 20,
            max_page_size: 100,
            max_tree_depth: 16,
            max_query_depth: 20,
            max_complexity: 200_000,
            introspection: true,
            max_document_bytes: 100_000,
            max_tokens: 20_000,
            max_selections: 5_000,
            max_aliases: 200,
            max_directives: 200,
        }
    }
}

/// A limit as a GraphQL `Int`, which is 32 bits wide.
fn int(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// What this server accepts, so that clients can size their queries without guessing.
#[async_graphql::Object]
impl Limits {
    /// The page size of a connection whose `first` is absent.
    async fn default_page_size(&self) -> i32 {
        int(self.default_page_size)
    }

    /// The largest `first` a connection accepts, and the most IDs `nodes(ids:)` takes.
    async fn max_page_size(&self) -> i32 {
        int(self.max_page_size)
    }

    /// The deepest `Skill.descendants` walks, and its depth when `maxDepth` is absent.
    async fn max_tree_depth(&self) -> i32 {
        int(self.max_tree_depth)
    }

    /// The deepest a query may nest its selections (deeper: `QUERY_TOO_DEEP`).
    async fn max_query_depth(&self) -> i32 {
        int(self.max_query_depth)
    }

    /// The most a query may cost (more: `QUERY_TOO_COMPLEX`). A field costs 1 plus its
    /// selection; a connection multiplies its selection by its `first` (the default page size
    /// when absent), `descendants` by the default page size per level, and a root list adds
    /// 100 for its own statement.
    async fn max_complexity(&self) -> i32 {
        int(self.max_complexity)
    }

    /// The longest query document accepted, in bytes (longer: `QUERY_TOO_LARGE`, with
    /// `extensions.measure` saying which of these limits was passed).
    async fn max_document_bytes(&self) -> i32 {
        int(self.max_document_bytes)
    }

    /// The most lexical tokens (names, punctuators, values) a document may have.
    async fn max_tokens(&self) -> i32 {
        int(self.max_tokens)
    }

    /// The most field selections a document may come to with its fragments spread out, each
    /// spread counted in full; `__typename` and introspection fields count.
    async fn max_selections(&self) -> i32 {
        int(self.max_selections)
    }

    /// The most aliased fields a document may come to with its fragments spread out.
    async fn max_aliases(&self) -> i32 {
        int(self.max_aliases)
    }

    /// The most directives a document may come to with its fragments spread out.
    async fn max_directives(&self) -> i32 {
        int(self.max_directives)
    }
}

impl super::engine::fast_lists::PlainFields for Limits {}

/// How long each list can be (see [`crate::data::lists::longest`]); lists not in the map are
/// priced by page size alone.
pub type ListSizes = Arc<HashMap<List, u32>>;

/// What a query is priced with: the server's limits and the lengths of its lists; and what
/// its priced fields came to.
#[derive(Clone, Debug, Default)]
struct Pricing {
    limits: Limits,
    sizes: ListSizes,
    /// The costs of every priced field of the request, added up as validation computes them
    /// (see [`is_large_read`]).
    priced: Arc<AtomicUsize>,
}

impl Pricing {
    fn new(limits: Limits, sizes: ListSizes) -> Self {
        Pricing {
            limits,
            sizes,
            priced: Arc::default(),
        }
    }
}

tokio::task_local! {
    /// The pricing of the server whose request is being validated and run.
    static CURRENT: Pricing;
}

/// Runs `future` (a query's validation and execution) with `limits` and `sizes` as what its
/// cost functions price with.
pub async fn with_pricing<F: Future>(limits: Limits, sizes: ListSizes, future: F) -> F::Output {
    CURRENT.scope(Pricing::new(limits, sizes), future).await
}

/// The server's limits, from a resolver's context.
pub fn of(ctx: &async_graphql::Context<'_>) -> Limits {
    ctx.data_opt::<Limits>().copied().unwrap_or_default()
}

/// The limits of the request being validated; the defaults outside [`with_pricing`].
fn current() -> Limits {
    CURRENT
        .try_with(|pricing| pricing.limits)
        .unwrap_or_default()
}

/// How many items `list` may return for `first`: the page size asked for (the default when
/// absent, at most the maximum: the resolver refuses more, with a clearer error than "too
/// complex"), and never more than the list's longest known length.
fn items(list: List, first: Option<i32>) -> usize {
    let limits = current();
    let page = match first {
        None => limits.default_page_size,
        Some(first) => u32::try_from(first).unwrap_or(0).min(limits.max_page_size),
    };
    let longest = CURRENT
        .try_with(|pricing| pricing.sizes.get(&list).copied())
        .ok()
        .flatten()
        .unwrap_or(u32::MAX);
    page.min(longest) as usize
}

/// The most any one field may cost. Costs saturate here, so that no product of page sizes and
/// nesting can wrap around: async-graphql adds the costs of a document's fields with plain
/// `usize` arithmetic, and a body of at most a few megabytes holds far fewer than
/// `usize::MAX / MAX_FIELD_COST` (over 16 million) fields.
pub const MAX_FIELD_COST: usize = 1 << 40;

/// `1 + items × child`, saturating at [`MAX_FIELD_COST`]; every priced field's cost is one of
/// these, and is added to the request's priced total here.
fn multiplied(items: usize, child_complexity: usize) -> usize {
    let cost = items
        .saturating_mul(child_complexity)
        .saturating_add(1)
        .min(MAX_FIELD_COST);
    let _outside_a_request =
        CURRENT.try_with(|pricing| pricing.priced.fetch_add(cost, Ordering::Relaxed));
    cost
}

/// The share of the complexity limit from which a request is a large read: one in ten.
const LARGE_READ_SHARE: usize = 10;

/// Whether the request being run is a large read: its priced fields add up to a tenth of the
/// complexity limit or more. Such a request reads its nested lists only while it holds a
/// place for heavy work (see [`super::heavy`]), so that two clients sending the largest pages
/// the limits admit share one core between them and leave the others, and the database's
/// connections, to everyone else.
///
/// The total is what validation computed, so it is known before the first resolver runs. It
/// adds the cost of each nested field to its parent's, which holds it already, so it is
/// larger than the query's cost (by at most the number of nested priced levels); for telling
/// large from small that errs on the safe side, and it costs one addition per priced field
/// instead of a second walk of the document. Outside a request: false.
pub fn is_large_read() -> bool {
    CURRENT
        .try_with(|pricing| {
            let threshold = pricing.limits.max_complexity / LARGE_READ_SHARE;
            pricing.priced.load(Ordering::Relaxed) >= threshold.max(1)
        })
        .unwrap_or(false)
}

/// The cost of a connection field for the complexity limit: its selection's cost times the
/// number of items it may return (see [`items`]), and at least once: what a connection
/// answers beside its items (`totalCount`, `groups`, `pageInfo`) is resolved even for a page
/// of none, so `first: 0` does not make those free.
pub fn connection_cost(list: List, first: Option<i32>, child_complexity: usize) -> usize {
    multiplied(items(list, first).max(1), child_complexity)
}

/// The cost of a root connection field: a connection's, plus what its own statement is worth.
/// Root fields are not multiplied by any parent, so without this a document could repeat one
/// under thousands of aliases, each a statement of its own (`totalCount`), and stay "cheap".
pub fn root_connection_cost(list: List, first: Option<i32>, child_complexity: usize) -> usize {
    connection_cost(list, first, child_complexity)
        .saturating_add(ROOT_STATEMENT_COST)
        .min(MAX_FIELD_COST)
}

/// The cost of a connection's `groups`: a list of at most as many groups as the largest
/// page holds items (no more than the list's items, usually a handful), each priced by its
/// selection, and a statement of its own.
pub fn groups_cost(child_complexity: usize) -> usize {
    multiplied(current().max_page_size as usize, child_complexity)
        .saturating_add(ROOT_STATEMENT_COST)
        .min(MAX_FIELD_COST)
}

/// What one statement of a root field counts for the complexity limit.
pub const ROOT_STATEMENT_COST: usize = 100;

/// What a short list without paging (a skill's prerequisites) counts as, in items.
const SHORT_LIST_ITEMS: usize = 10;

/// The cost of a short list without paging (a skill's prerequisites).
pub fn short_list_cost(child_complexity: usize) -> usize {
    multiplied(SHORT_LIST_ITEMS, child_complexity)
}

/// The cost of a list of up to `n` items asked for by the client (`nodes(ids:)`).
pub fn list_cost(n: usize, child_complexity: usize) -> usize {
    multiplied(n.max(1), child_complexity)
}

/// The cost of `Skill.descendants`: a subtree may hold many skills, so every level counts as
/// a full page of the default size.
pub fn tree_cost(max_depth: Option<i32>, child_complexity: usize) -> usize {
    let limits = current();
    let depth = match max_depth {
        None => limits.max_tree_depth,
        Some(depth) => u32::try_from(depth)
            .unwrap_or(1)
            .clamp(1, limits.max_tree_depth.max(1)),
    };
    let items = (depth as usize).saturating_mul(limits.default_page_size as usize);
    multiplied(items, child_complexity)
}

/// The most mentions `extractSkills` and `analyzePosting` return for one text; a text that
/// mentions more is refused (`BAD_USER_INPUT` on `text`), never cut short in silence.
pub const MOST_MENTIONS: usize = 25_000;

/// The fewest bytes a mention and what separates it from the next take: what a text's answer
/// is priced by.
const BYTES_PER_MENTION: usize = 8;

/// The cost of an answer read from a text (`extractSkills`, `analyzePosting`): its selection
/// once for every mention the text could hold, up to [`MOST_MENTIONS`], plus a statement's
/// worth, so that a megabyte under a few aliases is refused before it is read.
pub fn text_cost(text_bytes: usize, child_complexity: usize) -> usize {
    let mentions = (text_bytes / BYTES_PER_MENTION + 1).min(MOST_MENTIONS);
    multiplied(mentions, child_complexity)
        .saturating_add(ROOT_STATEMENT_COST)
        .min(MAX_FIELD_COST)
}

/// What one `search` counts for beyond its hits: it walks the whole index (prefixes, words,
/// typos), milliseconds of CPU on a large graph, so a document of a few hundred aliased
/// searches is refused.
pub const SEARCH_COST: usize = 2_000;

/// The cost of one `search`: its hits' (see [`ranked_cost`]) and [`SEARCH_COST`].
pub fn search_cost(first: Option<i32>, child_complexity: usize) -> usize {
    ranked_cost(first, 10, child_complexity)
        .saturating_add(SEARCH_COST)
        .min(MAX_FIELD_COST)
}

/// The cost of an answer of up to `first` items (`default` when absent), such as `search`'s
/// hits or `recommendRoles`' roles: its selection once per item, plus a statement's worth.
pub fn ranked_cost(first: Option<i32>, default: usize, child_complexity: usize) -> usize {
    let items = first.map_or(default, |first| usize::try_from(first).unwrap_or(0));
    multiplied(items.max(1), child_complexity)
        .saturating_add(ROOT_STATEMENT_COST)
        .min(MAX_FIELD_COST)
}

/// What one `careerRoute` counts for beyond its steps: its search computes up to a few
/// thousand learning paths ([`crate::analysis::route::MOST_EXPANDED`] roles, each with its
/// nearest ones), so a document of more than 20 aliased routes is refused.
pub const ROUTE_COST: usize = 10_000;

/// The cost of one `careerRoute`: each of its up to `max_steps` steps priced as an answer
/// about one role's needs (its gap), plus [`ROUTE_COST`].
pub fn route_cost(max_steps: Option<i32>, child_complexity: usize) -> usize {
    let steps = max_steps.map_or(4, |steps| usize::try_from(steps).unwrap_or(0));
    multiplied(steps.max(1), role_needs_cost(child_complexity))
        .saturating_add(ROUTE_COST)
        .min(MAX_FIELD_COST)
}

/// The cost of an answer about one role's needs (`skillGap`, `learningPath`, `roleGap`): its
/// selection once for every need the largest role has (its skills, languages, frameworks and
/// tools), plus a statement's worth.
pub fn role_needs_cost(child_complexity: usize) -> usize {
    let lists = [
        List::RoleSkills,
        List::RoleLanguages,
        List::RoleFrameworks,
        List::RoleTools,
    ];
    let needs = CURRENT
        .try_with(|pricing| {
            lists
                .iter()
                .map(|list| pricing.sizes.get(list).copied().unwrap_or(0) as usize)
                .sum::<usize>()
        })
        .unwrap_or(0);
    multiplied(needs.max(SHORT_LIST_ITEMS), child_complexity)
        .saturating_add(ROOT_STATEMENT_COST)
        .min(MAX_FIELD_COST)
}

/// A stream whose every step runs with `pricing` in force, as [`with_pricing`] does for a
/// future: over a WebSocket, validation and execution happen inside the stream.
pub struct PricedStream<S> {
    pricing: Pricing,
    inner: S,
}

impl<S: Stream + Unpin> Stream for PricedStream<S> {
    type Item = S::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<S::Item>> {
        let this = &mut *self;
        let pricing = this.pricing.clone();
        let inner = &mut this.inner;
        CURRENT.sync_scope(pricing, || std::pin::Pin::new(inner).poll_next(cx))
    }
}

/// Runs every step of `stream` with `limits` and `sizes` as what its cost functions price with.
pub fn stream_with_pricing<S: Stream + Unpin>(
    limits: Limits,
    sizes: ListSizes,
    stream: S,
) -> PricedStream<S> {
    PricedStream {
        pricing: Pricing::new(limits, sizes),
        inner: stream,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computes a cost as it is computed while a request is validated.
    async fn priced(limits: Limits, sizes: ListSizes, cost: impl FnOnce() -> usize) -> usize {
        with_pricing(limits, sizes, async move { cost() }).await
    }

    #[tokio::test]
    async fn costs_follow_the_configured_limits() {
        let small = Limits {
            default_page_size: 5,
            max_page_size: 7,
            max_tree_depth: 3,
            ..Limits::default()
        };
        let list = List::RoleSkills;
        let none = ListSizes::default;
        assert_eq!(connection_cost(list, None, 2), 41);
        let cost = priced(small, none(), || connection_cost(list, None, 2));
        assert_eq!(cost.await, 11);
        let cost = priced(small, none(), || connection_cost(list, Some(50), 2));
        assert_eq!(cost.await, 15);
        assert_eq!(priced(small, none(), || tree_cost(None, 1)).await, 16);
    }

    #[tokio::test]
    async fn a_page_costs_no_more_than_its_list_holds() {
        let sizes: ListSizes = Arc::new([(List::RoleSkills, 3), (List::Roles, 0)].into());
        let limits = Limits::default();
        let cost = priced(limits, sizes.clone(), || {
            connection_cost(List::RoleSkills, Some(50), 2)
        });
        assert_eq!(cost.await, 7);
        let cost = priced(limits, sizes.clone(), || {
            connection_cost(List::RoleTools, Some(50), 2)
        });
        assert_eq!(cost.await, 101);
        // An empty list's page costs nothing, what the connection answers beside it once.
        let cost = priced(limits, sizes, || root_connection_cost(List::Roles, None, 9));
        assert_eq!(cost.await, 110);
    }

    #[tokio::test]
    async fn answers_are_priced_by_what_they_may_return() {
        let limits = Limits::default();
        // A megabyte of text may hold the most mentions; the selection counts once each.
        assert_eq!(
            text_cost(1 << 20, 4),
            4 * MOST_MENTIONS + 1 + ROOT_STATEMENT_COST
        );
        assert_eq!(text_cost(80, 4), 4 * 11 + 1 + ROOT_STATEMENT_COST);
        assert!(3 * text_cost(1 << 20, 7) > limits.max_complexity);
        assert_eq!(ranked_cost(None, 10, 3), 31 + ROOT_STATEMENT_COST);
        assert_eq!(ranked_cost(Some(100), 10, 3), 301 + ROOT_STATEMENT_COST);
        assert_eq!(search_cost(None, 3), 31 + ROOT_STATEMENT_COST + SEARCH_COST);
        let sizes: ListSizes = Arc::new([(List::RoleSkills, 40), (List::RoleTools, 5)].into());
        let cost = priced(limits, sizes, || role_needs_cost(2)).await;
        assert_eq!(cost, 2 * 45 + 1 + ROOT_STATEMENT_COST);
    }

    #[tokio::test]
    async fn a_request_is_a_large_read_from_a_tenth_of_the_limit() {
        let limits = Limits {
            max_complexity: 1_000,
            ..Limits::default()
        };
        let none = ListSizes::default;
        // 1 + 9 × 10 = 91, then 1 + 10 × 10 = 101 in all, when counted on its own.
        let small = || {
            connection_cost(List::Roles, Some(9), 10);
            is_large_read()
        };
        assert!(!with_pricing(limits, none(), async move { small() }).await);
        let large = || {
            connection_cost(List::Roles, Some(10), 10);
            is_large_read()
        };
        assert!(with_pricing(limits, none(), async move { large() }).await);
        // Every priced field of the request counts, nested ones too.
        let two = || {
            let nested = connection_cost(List::RoleSkills, Some(5), 10);
            connection_cost(List::Roles, Some(1), nested);
            is_large_read()
        };
        assert!(with_pricing(limits, none(), async move { two() }).await);
        assert!(!is_large_read(), "outside a request nothing is large");
    }

    #[test]
    fn costs_saturate_instead_of_wrapping() {
        let mut cost = 1;
        for _ in 0..64 {
            cost = tree_cost(
                Some(i32::MAX),
                connection_cost(List::Roles, Some(100), cost),
            );
            assert!(cost <= MAX_FIELD_COST);
        }
        assert_eq!(cost, MAX_FIELD_COST);
        assert_eq!(
            root_connection_cost(List::Roles, Some(100), usize::MAX),
            MAX_FIELD_COST
        );
        assert_eq!(list_cost(usize::MAX, usize::MAX), MAX_FIELD_COST);
        assert_eq!(connection_cost(List::Roles, Some(-5), 10), 11);
    }
}
