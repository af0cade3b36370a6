//! The GraphQL schema: object types, loaders and resolvers. HTTP only mounts it (`http/`).

pub(crate) mod analysis;
mod budget;
mod connections;
mod engine;
mod enums;
mod heavy;
mod history;
mod ids;
mod limits;
mod loaders;
pub mod locales;
mod mutation;
mod orders;
mod pagination;
mod query;
mod releases;
mod subscription;
mod trusted;
mod types;

use std::sync::{Arc, LazyLock, RwLock};

use async_graphql::{Schema, SchemaBuilder};

use engine::{measure, null_propagation, operation};

pub use engine::error_codes::add_codes;
pub use engine::fast_lists::ListResolution;
pub use engine::operation::Operation;
pub use limits::{Limits, ListSizes};
pub use loaders::RequestLoader;
pub use mutation::Mutation;
pub use query::Query;
pub use subscription::Subscription;
pub use trusted::{DocumentSet, MAX_ID_BYTES, ManifestError, TrustedDocuments};

use crate::curation::Curator;
use crate::db::Db;

/// A value the schema was built with (the pool, the curator, the answers' index), from a
/// resolver's context; its absence is a wiring fault, not a client's.
pub(crate) fn schema_data<'a, T: std::any::Any + Send + Sync>(
    ctx: &async_graphql::Context<'a>,
) -> crate::Result<&'a T> {
    ctx.data::<T>().map_err(|_| {
        crate::Error::Internal(format!(
            "no {} in the schema data",
            std::any::type_name::<T>()
        ))
    })
}

/// The holder of the request's key, if it has `scope` (see [`crate::auth`]); a request with
/// no caller in its data carried no key.
pub(crate) fn require<'a>(
    ctx: &async_graphql::Context<'a>,
    scope: crate::keys::Scope,
) -> crate::Result<&'a crate::keys::Principal> {
    let caller = ctx.data_opt::<crate::auth::Caller>();
    caller.unwrap_or(&crate::auth::ANONYMOUS).require(scope)
}

/// The schema type served by skillgraph.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The schema's types; the one place that names the root types.
fn schema_builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
}

/// Builds the schema over a database. The pool and the limits live in the schema data; the
/// DataLoader does not: [`Api`] gives each request its own.
fn build_schema(
    (db, heavy): (Db, heavy::HeavyWork),
    curator: Curator,
    (limits, lists, default_locale): (Limits, ListResolution, locales::DefaultLocale),
) -> AppSchema {
    let schema = schema_builder()
        .data(db)
        .data(default_locale)
        .data(curator)
        .data(crate::analysis::CurrentIndex::default())
        .data(heavy)
        .data(releases::DiffCache::default())
        .data(limits)
        .data(lists)
        .limit_depth(limits.max_query_depth)
        .limit_complexity(limits.max_complexity);
    if limits.introspection {
        schema.finish()
    } else {
        schema.disable_introspection().finish()
    }
}

/// The schema together with the limits it was built with: every request runs with those
/// limits in force, including the cost functions that async-graphql calls while validating.
#[derive(Clone)]
pub struct Api {
    schema: AppSchema,
    /// The same types without limits, to measure a refused query (see [`measure`]).
    measuring: AppSchema,
    limits: Limits,
    /// How long each list is, for pricing; replaced whole by [`Api::refresh_list_sizes`].
    sizes: Arc<RwLock<ListSizes>>,
    /// What each request's DataLoader reads from, and where its large reads take turns.
    db: Db,
    heavy: heavy::HeavyWork,
    lists: ListResolution,
    default_locale: locales::DefaultLocale,
    /// The only documents requests may run, when the server was given manifests of them.
    trusted: TrustedDocuments,
}

impl Api {
    pub fn new(db: Db, curator: Curator, limits: Limits, lists: ListResolution) -> Self {
        Api::speaking(
            db,
            curator,
            limits,
            lists,
            locales::DefaultLocale::default(),
        )
    }

    /// [`Api::new`], on a server whose default locale is `default_locale`.
    pub fn speaking(
        db: Db,
        curator: Curator,
        limits: Limits,
        lists: ListResolution,
        default_locale: locales::DefaultLocale,
    ) -> Self {
        let heavy = heavy::HeavyWork::default();
        let settings = (limits, lists, default_locale.clone());
        Api {
            schema: build_schema((db.clone(), heavy.clone()), curator, settings),
            measuring: measure::measuring_schema(),
            limits,
            sizes: Arc::default(),
            db,
            heavy,
            lists,
            default_locale,
            trusted: TrustedDocuments::default(),
        }
    }

    /// The same API, running only the documents `trusted` lists (when it lists any).
    pub fn trusting(mut self, trusted: TrustedDocuments) -> Self {
        self.trusted = trusted;
        self
    }

    /// The trusted documents in force, for the ways in that look a document up by its id.
    pub fn trusted(&self) -> &TrustedDocuments {
        &self.trusted
    }

    /// What a request with this `Accept-Language` reads (`None`: the catalog's locale
    /// alone), for [`Api::execute_speaking`].
    pub fn speech(&self, accept_language: Option<&str>) -> Arc<locales::Speech> {
        locales::Speech::of(accept_language, &self.default_locale)
    }

    /// The places for heavy work this API's requests take turns for.
    pub fn heavy(&self) -> &heavy::HeavyWork {
        &self.heavy
    }

    /// The same API, with the same limits, over another database: a release's, read through
    /// `/releases/{name}/graphql`. Its curator announces to no one; the HTTP layer refuses
    /// writes to it.
    pub fn over(&self, db: Db) -> Api {
        let events = crate::curation::Events::new(db.conn.get_database_backend());
        let curator = Curator::new(db.clone(), events);
        Api::speaking(
            db,
            curator,
            self.limits,
            self.lists,
            self.default_locale.clone(),
        )
        .trusting(self.trusted.clone())
    }

    /// A request with a DataLoader of its own, so that nothing read for one request is
    /// served to another. A query's or a mutation's large reads take turns for the places of
    /// heavy work; a subscription's do not (`gated` false): it would hold its place for as
    /// long as it runs, and its events come from writes, which are keyed and rate-limited.
    fn with_loader(&self, request: async_graphql::Request, gated: bool) -> async_graphql::Request {
        let heavy = gated.then(|| self.heavy.clone());
        request.data(loaders::request_loader(self.db.clone(), heavy))
    }

    /// Reads how long each list is now (one statement per list), so that queries are priced
    /// by what they can really return. Run after the database is prepared and now and then
    /// afterwards, as the data changes.
    pub async fn refresh_list_sizes(&self, db: &Db) -> crate::Result<()> {
        let sizes = Arc::new(crate::data::lists::longest(db).await?);
        if let Ok(mut current) = self.sizes.write() {
            *current = sizes;
        }
        Ok(())
    }

    /// Measures the request's document against the document limits (see [`budget`]) before
    /// async-graphql walks it: its text first, then its parse (the one the request keeps).
    /// Every way in — POST, GET, batches, persisted queries, WebSocket — runs through here.
    fn check_budget(
        &self,
        request: &mut async_graphql::Request,
    ) -> Result<(), Box<async_graphql::Response>> {
        let refuse = |too_large: budget::TooLarge| {
            Box::new(async_graphql::Response::from_errors(vec![
                too_large.to_server_error(),
            ]))
        };
        budget::check_text(&request.query, &self.limits).map_err(refuse)?;
        // A document that does not parse is left to execution, which says why.
        if let Ok(document) = request.parsed_query() {
            budget::check_document(document, &self.limits).map_err(refuse)?;
        }
        Ok(())
    }

    /// Refuses a document the server does not trust (see [`trusted`]): on a server given
    /// manifests, only the documents they list run, unless the operator lets callers with an
    /// `admin` key run any. Every way in runs through here, beside [`Api::check_budget`], with
    /// the request's caller in its data (a request without one carried no key).
    fn check_trusted(
        &self,
        request: &async_graphql::Request,
    ) -> Result<(), Box<async_graphql::Response>> {
        let caller = request
            .data
            .get(&std::any::TypeId::of::<crate::auth::Caller>())
            .and_then(|caller| caller.downcast_ref::<crate::auth::Caller>());
        let admin = caller
            .and_then(|caller| caller.0.as_ref())
            .is_some_and(|principal| principal.scope == crate::keys::Scope::Admin);
        self.trusted
            .admits(&request.query, admin)
            .map_err(|untrusted| {
                Box::new(async_graphql::Response::from_errors(vec![
                    untrusted.to_server_error(),
                ]))
            })
    }

    /// Makes the operations of a batch share one cost allowance, as one request would: each
    /// is measured in its turn (once within the document limits), and one that would take the
    /// batch's total past the complexity limit is refused (`QUERY_TOO_COMPLEX`, with its cost
    /// and the batch's so far), so that a batch of ten costs no more than one request. The
    /// answer holds a refusal for each refused operation, in the batch's order. An operation
    /// over the limit on its own, one that does not validate, and one the server does not
    /// trust (which takes nothing from the others' allowance) are left to [`Api::execute`],
    /// which refuses them and says why.
    ///
    /// Measuring validates each operation a second time; only batches pay for it.
    pub async fn share_allowance(
        &self,
        requests: Vec<&mut async_graphql::Request>,
    ) -> Vec<Option<async_graphql::Response>> {
        let limit = self.limits.max_complexity;
        let sizes = self.list_sizes();
        let mut spent = 0usize;
        let mut refusals = Vec::new();
        for request in requests {
            let mut refusal = None;
            if self.check_trusted(request).is_ok() && self.check_budget(request).is_ok() {
                let measured = measure::measure(
                    &self.measuring,
                    (self.limits, sizes.clone()),
                    &request.query,
                    request.operation_name.as_deref(),
                    request.variables.clone(),
                )
                .await;
                if let Some((cost, _)) = measured.filter(|(cost, _)| *cost <= limit) {
                    if spent.saturating_add(cost) > limit {
                        refusal = Some(measure::refuse_in_batch(cost, spent, limit));
                    } else {
                        spent += cost;
                    }
                }
            }
            refusals.push(refusal);
        }
        refusals
    }

    fn list_sizes(&self) -> ListSizes {
        self.sizes
            .read()
            .map(|sizes| sizes.clone())
            .unwrap_or_default()
    }

    /// Validates and runs one request. Failed fields answer null as the specification says
    /// (see [`null_propagation`]); that needs the document, which execution consumes, so it is
    /// parsed again, only for an answer with field errors. A query refused for its depth or
    /// cost is measured, so that the client learns by how much (see [`measure`]).
    pub async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let speech = self.speech(None);
        self.execute_speaking(request, speech).await
    }

    /// [`Api::execute`], reading the locales of `speech` (see [`Api::speech`]), which then
    /// says what locales the answer's texts came in.
    pub async fn execute_speaking(
        &self,
        mut request: async_graphql::Request,
        speech: Arc<locales::Speech>,
    ) -> async_graphql::Response {
        request = request.data(speech);
        if let Err(refused) = self.check_trusted(&request) {
            return *refused;
        }
        if let Err(refused) = self.check_budget(&mut request) {
            return *refused;
        }
        let mut request = self
            .with_loader(request, true)
            .data(analysis::TextBudget::default());
        let root_keys = operation::root_keys(&mut request);
        let query = request.query.clone();
        let operation_name = request.operation_name.clone();
        let variables = request.variables.clone();
        let sizes = self.list_sizes();
        let execution = self.schema.execute(request);
        let mut response = limits::with_pricing(self.limits, sizes.clone(), execution).await;
        if measure::is_refused_for_limits(&response) {
            let name = operation_name.as_deref();
            measure::explain(
                &self.measuring,
                (self.limits, sizes),
                &mut response,
                &query,
                name,
                variables,
            )
            .await;
            return response;
        }
        if response.errors.iter().any(|error| !error.path.is_empty())
            && let Ok(document) = async_graphql::parser::parse_query(&query)
        {
            null_propagation::propagate(&mut response, &document, operation_name.as_deref());
        }
        if let Some(keys) = root_keys {
            operation::order_root(&mut response.data, &keys);
        }
        response
    }
}

impl Api {
    /// Runs one operation of a WebSocket connection: a subscription's events, with the
    /// connection's `session` data, priced like [`Api::execute`]; a query or mutation sent
    /// over the socket through [`Api::execute`] itself.
    pub fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session: Option<Arc<async_graphql::Data>>,
    ) -> async_graphql::futures_util::stream::BoxStream<'static, async_graphql::Response> {
        use async_graphql::futures_util::{StreamExt, stream};
        // A query or a mutation over a socket has one answer: it runs as over HTTP, with the
        // same explanations of refusals, null propagation and root order.
        let subscription = async_graphql::parser::types::OperationType::Subscription;
        if operation::Operation::of(&mut request).kind != Some(subscription) {
            let api = self.clone();
            return stream::once(async move { api.execute(request).await }).boxed();
        }
        if let Err(refused) = self
            .check_trusted(&request)
            .and_then(|()| self.check_budget(&mut request))
        {
            return stream::once(async move { *refused }).boxed();
        }
        let mut request = self
            .with_loader(request, false)
            .data(analysis::TextBudget::default());
        request = request.data(self.speech(None));
        let stream = match session {
            Some(session) => self
                .schema
                .execute_stream_with_session_data(request, session),
            None => self.schema.execute_stream(request),
        };
        limits::stream_with_pricing(self.limits, self.list_sizes(), stream).boxed()
    }
}

/// The description introspection gives the schema (`__schema { description }`). async-graphql
/// answers this fixed text for every schema; the SDL states it too, so that a schema built from
/// introspection (graphql-js `buildClientSchema`, codegen, schema-diff tools) equals the SDL.
pub const SCHEMA_DESCRIPTION: &str = "A GraphQL Schema defines the capabilities of a GraphQL \
    server. It exposes all available types and directives on the server, as well as the entry \
    points for query, mutation, and subscription operations.";

/// The schema in SDL, as `schema.graphql` holds it, `skillgraph schema` prints it and
/// `/schema.graphql` serves it. Built once: it cannot change while the process runs.
pub fn sdl() -> &'static str {
    static SDL: LazyLock<String> = LazyLock::new(|| {
        // `@specifiedBy` included: introspection gives `DateTime`'s `specifiedByURL`, so a schema
        // built from introspection has it.
        let options = async_graphql::SDLExportOptions::new().include_specified_by();
        let mut sdl = schema_builder().finish().sdl_with_options(options);
        let description = format!("\"\"\"\n{SCHEMA_DESCRIPTION}\n\"\"\"\n");
        match sdl.rfind("\nschema {") {
            Some(at) => sdl.insert_str(at + 1, &description),
            None => sdl.push_str(&format!("{description}schema {{\n\tquery: Query\n}}\n")),
        }
        sdl
    });
    &SDL
}
