//! Where skillgraph replaces parts of async-graphql's own execution: every piece of code that
//! does in place of the library what the library does itself (or does differently from the
//! GraphQL specification), kept behind this one boundary, so that an upgrade of async-graphql
//! (pinned to `=7.2.1` in `Cargo.toml`) knows what to read again. The rest of the schema uses
//! what is here as ordinary types and functions and knows nothing of async-graphql's
//! internals.
//!
//! - [`fast_lists`]: resolves objects and lists of objects. Replaces, for every output object
//!   (wrapped in [`fast_lists::Ordered`]) and every list of objects
//!   ([`fast_lists::PlainList`]), `resolver_utils::resolve_container`, which runs every
//!   selected field as a boxed future in a `FuturesUnordered` and builds the object's answer in
//!   the order the fields finish, and `resolve_list`, which does the same for each item. Why:
//!   the futures of fields that only copy a column were half of the server's time on nested
//!   pages, and the specification wants fields in the query's order. It calls async-graphql's
//!   internals (`ContainerType::resolve_field`, `resolve_container` for what it leaves to the
//!   library, the context's `with_field`, `with_index`, `with_selection_set`, `add_error`,
//!   `set_error_path`, the registry through `Vec<T>`'s type info) and skips extensions'
//!   `resolve` hooks and custom directives (a selection with directives, fragments or a
//!   repeated key goes to `resolve_container`). An upgrade must re-check: that these
//!   internals still exist and mean the same; that a failed field is still left out of its
//!   object and a failed item still fails its list with the first error (what this path
//!   copies); that `Vec<T>` still names and registers the type `[T!]!`; that the schema still
//!   registers no extension (they would not see these fields); and whether the library now
//!   orders fields itself (`Ordered` could then go). `--fast-lists false`
//!   ([`fast_lists::ListResolution::Generic`]) turns the fast path off, and
//!   `tests/api/list_items.rs` holds both paths to the same answers.
//! - [`null_propagation`]: puts a failed field's null where the specification's "Handling
//!   Field Errors" puts it, up to the nearest nullable parent. Replaces nothing in the
//!   library's code but corrects its answer: async-graphql 7.2.1 leaves a failed field's key
//!   out of its object (and answers `data: null` when every root field failed), so clients
//!   that normalise by the query's shape report a missing field. It reads the schema's types
//!   from a registry of its own (`Query` and `Mutation`'s type info) and the request's
//!   document, parsed again. An upgrade must re-check: whether the library now propagates
//!   nulls itself (this would then null too much: remove it), and that error paths still name
//!   response keys and list indexes as `PathSegment`s.
//! - [`operation`]: which operation a request runs, and the root's field order. Re-implements
//!   the operation selection of async-graphql's `prepare_request` (the named operation, or the
//!   only one), so that HTTP can tell a mutation from a query, name it in metrics and count
//!   its writes before anything runs, from the one parse the request keeps; and puts the root
//!   fields in the query's order, since the library resolves the root with
//!   `resolve_container` too (the root is not wrapped in `Ordered`). An upgrade must re-check:
//!   that the library still selects the operation the same way (an anonymous operation asked
//!   for by name is an error, and so are several without a name asked for), that
//!   `Request::parsed_query` still keeps its parse for execution, and whether the root's
//!   fields now come in order.
//! - [`error_codes`]: gives every error the library raises on its own (parse, validation,
//!   depth, cost, argument values) an `extensions.code`, on the finished response rather than
//!   as a schema extension, which would wrap every field's resolution (and [`fast_lists`]
//!   relies on there being none). It recognises the depth and cost refusals by their exact
//!   texts, `Query is nested too deep.` and `Query is too complex.` (`validation/mod.rs` in
//!   7.2.1). An upgrade must re-check those texts (the tests of each limit fail if they
//!   change) and that an error with a path that none of our resolvers raised is still only an
//!   argument the client gave.
//! - [`measure`]: tells a refused client the depth and cost the library computed, which
//!   7.2.1 hands only to extensions (`ValidationResult` in `Extension::validation`) and which
//!   its refusal text leaves out. Rather than register an extension on the serving schema
//!   (every field would pay for it), a second schema of the same types with one extension and
//!   no limits validates a refused query again; batches use it to share one allowance. An
//!   upgrade must re-check: that `ValidationResult` still carries `complexity` and `depth`,
//!   that an extension's `validation` hook still runs and may stop execution by returning
//!   errors, and that the library computes depth and cost the way the limits expect (they are
//!   compared with [`super::limits::Limits`] here and there).
//!
//! What stays outside, because it adds to the library rather than doing its work in its
//! place: `budget.rs` measures a document before async-graphql walks it (bytes, tokens, and
//! what it expands to) and refuses it, or hands it on untouched; `limits.rs` holds the limits
//! and the cost functions that the library's own complexity computation calls (the task-local
//! pricing is how those plain `fn` costs reach the server's settings, not a second
//! computation); `heavy.rs` decides when large work may run, which the library knows nothing
//! of.

pub mod error_codes;
pub mod fast_lists;
pub mod measure;
pub mod null_propagation;
pub mod operation;
