//! Answering the fields that need no waiting without a future each.
//!
//! async-graphql resolves every field of every object as a boxed future in a
//! `FuturesUnordered`, even a field that only copies a column, and builds each object's answer
//! in the order its fields happen to finish. A nested page of 50 roles × 10 skills has about
//! 3,000 such fields, and their futures were half of the server's time per request.
//!
//! Lists of nodes and edges are therefore served by [`PlainList`]: for each item, every field
//! its type can answer at once ([`PlainFields`]) goes straight into the answer, in the order of
//! the query; only the other fields (a nested connection, say) run as futures, through the
//! type's own generated resolver. A selection with fragments, directives or a response key
//! given twice is resolved entirely by async-graphql, as before.
//!
//! This path uses async-graphql's resolver internals (`resolve_container`, the context's
//! selection sets, the registry), which is why `Cargo.toml` pins async-graphql's exact
//! version. It does not call extensions' `resolve` hooks, and the schema registers none; a
//! schema that needs them, or anyone who suspects this path, can turn it off
//! ([`ListResolution::Generic`], `--fast-lists false`): every list is then resolved by
//! async-graphql alone, and a test holds the two to the same answers.
//!
//! A failed field is left out of its object's answer, as async-graphql does everywhere; the
//! specification's nulls are put in afterwards, for the whole answer, by `null_propagation`.

use std::borrow::Cow;

use async_graphql::futures_util::future::{BoxFuture, join_all};
use async_graphql::indexmap::IndexMap;
use async_graphql::indexmap::map::Entry;
use async_graphql::parser::types::{Field, Selection};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::{ContainerType, resolve_container};
use async_graphql::{
    Context, ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult, Value,
};

/// An object type some of whose fields can be answered at once.
///
/// The rule: every output object (and interface) of the schema, the roots excepted, is served
/// through [`Ordered`] or [`PlainList`], so that its fields come in the query's order and its
/// plain fields without a future each; most types implement this trait with no method of
/// their own (`impl PlainFields for SkillGap {}`), for [`Ordered`] and [`PlainList`] to accept
/// them. How it is enforced: the compiler refuses `Ordered<T>` and `PlainList<T>` for a `T`
/// without this trait, and the test `every_output_object_is_served_ordered` (below) builds
/// the served schema's types and counts, for each object and interface type, the fields that
/// return it and the fields that return it through [`Ordered`] or [`PlainList`] (whose type
/// info counts itself while the test builds); a resolver or a field returning a bare object
/// type (`-> SkillGap`, `Option<Role>`, `Vec<Node>`) makes the two differ, and the test names
/// the type. A type that cannot be wrapped never reaches the schema unwrapped unnoticed.
pub trait PlainFields: ContainerType {
    /// The value of the field `ctx` points at, when it needs no waiting and cannot fail;
    /// `None` (the default) sends the field through the type's generated resolver.
    fn plain_field(&self, _ctx: &Context<'_>) -> Option<Value> {
        None
    }
}

/// What is known of an object after its plain fields are answered.
enum Partial<'a> {
    /// Every field is answered.
    Done(Value),
    /// These fields still have to run; their places in the answer are held by nulls.
    Waiting(IndexMap<Name, Value>, Vec<&'a Positioned<Field>>),
    /// The selection needs async-graphql's own resolution (fragments, directives, repeats).
    Generic,
}

/// Answers the plain fields of `root`'s selection and says what is left. A selection that is
/// not plain fields only, each under its own response key, is left to async-graphql.
fn start<'a, T: PlainFields + ?Sized>(ctx: &ContextSelectionSet<'a>, root: &T) -> Partial<'a> {
    let selection_set: &'a Positioned<_> = ctx.item;
    let items = &selection_set.node.items;
    let mut values = IndexMap::with_capacity(items.len());
    let mut waiting = Vec::new();
    for selection in items {
        let Selection::Field(field) = &selection.node else {
            return Partial::Generic;
        };
        if !field.node.directives.is_empty() {
            return Partial::Generic;
        }
        let Entry::Vacant(slot) = values.entry(field.node.response_key().node.clone()) else {
            return Partial::Generic;
        };
        let value = if field.node.name.node == "__typename" {
            Some(Value::String(root.introspection_type_name().into_owned()))
        } else {
            root.plain_field(&ctx.with_field(field))
        };
        slot.insert(value.unwrap_or_else(|| {
            // Held by a null until the field has run.
            waiting.push(field);
            Value::Null
        }));
    }
    if waiting.is_empty() {
        Partial::Done(Value::Object(values))
    } else {
        Partial::Waiting(values, waiting)
    }
}

/// Runs what [`start`] left: the waiting fields, concurrently, through the type's resolver.
/// A field that fails is reported and left out of the answer, exactly as async-graphql's own
/// resolver does; `null_propagation` then puts the specification's nulls in place.
async fn finish<T: PlainFields + ?Sized>(
    ctx: &ContextSelectionSet<'_>,
    root: &T,
    partial: Partial<'_>,
) -> ServerResult<Value> {
    let (mut values, waiting) = match partial {
        Partial::Done(value) => return Ok(value),
        Partial::Generic => return resolve_container(ctx, root).await,
        Partial::Waiting(values, waiting) => (values, waiting),
    };
    let results = join_all(waiting.iter().map(|field| async move {
        let ctx_field = ctx.with_field(field);
        root.resolve_field(&ctx_field).await
    }))
    .await;
    for (field, result) in waiting.into_iter().zip(results) {
        let key = &field.node.response_key().node;
        match result {
            Ok(value) => {
                if let Some(slot) = values.get_mut(key) {
                    *slot = value.unwrap_or_default();
                }
            }
            Err(error) => {
                ctx.add_error(error);
                values.shift_remove(key);
            }
        }
    }
    Ok(Value::Object(values))
}

/// The value of a field whose own selection is plain fields only, at once; `None` when
/// anything in it has to wait. For object-valued fields such as an edge's `node`.
pub fn plain_object<T: PlainFields + ?Sized>(ctx: &Context<'_>, object: &T) -> Option<Value> {
    match start(
        &ctx.with_selection_set(&ctx.item.node.selection_set),
        object,
    ) {
        Partial::Done(value) => Some(value),
        _ => None,
    }
}

/// How list items are resolved; kept in the schema data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListResolution {
    /// Plain fields at once, the rest as futures (this module).
    #[default]
    Fast,
    /// Every item through async-graphql's own resolver, as `Vec<T>` would be.
    Generic,
}

/// A list of objects, served as the GraphQL type `[T!]!` (exactly what `Vec<T>` gives), whose
/// items are resolved by [`start`] and [`finish`]: plain fields at once, the rest as futures.
pub struct PlainList<T>(pub Vec<T>);

impl<T: OutputType + PlainFields> OutputType for PlainList<T> {
    fn type_name() -> Cow<'static, str> {
        Vec::<T>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        #[cfg(test)]
        tests::count_served::<T>();
        Vec::<T>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let generic = ctx.data_opt::<ListResolution>() == Some(&ListResolution::Generic);
        let mut values = Vec::with_capacity(self.0.len());
        let mut waiting = Vec::new();
        for (at, item) in self.0.iter().enumerate() {
            let ctx_item = ctx.with_index(at);
            let partial = if generic {
                Partial::Generic
            } else {
                start(&ctx_item, item)
            };
            match partial {
                Partial::Done(value) => values.push(value),
                partial => {
                    values.push(Value::Null);
                    waiting.push(async move {
                        // Boxed, as in `Ordered`: items may hold lists of their own type.
                        let future: BoxFuture<'_, ServerResult<Value>> =
                            Box::pin(finish(&ctx_item, item, partial));
                        let value = future
                            .await
                            .map_err(|error| ctx_item.set_error_path(error))?;
                        Ok::<_, ServerError>((at, value))
                    });
                }
            }
        }
        // An item that failed makes the list fail (its items are non-null); the first error
        // goes up with it, any others are reported beside it.
        let mut failed = None;
        for result in join_all(waiting).await {
            match result {
                Ok((at, value)) => values[at] = value,
                Err(error) if failed.is_none() => failed = Some(error),
                Err(error) => ctx.add_error(error),
            }
        }
        match failed {
            Some(error) => Err(error),
            None => Ok(Value::List(values)),
        }
    }
}

/// An object served as the GraphQL type of `T` whose answer lists its fields in the query's
/// order, as the GraphQL specification asks: async-graphql puts an object's fields in the
/// order they finish, so a `totalCount` that waits for its statement came after a `pageInfo`
/// asked for later. Plain fields are answered at once here too.
#[derive(Debug)]
pub struct Ordered<T>(pub T);

impl<T: OutputType + PlainFields> OutputType for Ordered<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        #[cfg(test)]
        tests::count_served::<T>();
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let partial = if ctx.data_opt::<ListResolution>() == Some(&ListResolution::Generic) {
            Partial::Generic
        } else {
            start(ctx, &self.0)
        };
        // Boxed: an object's fields may hold objects of the same type (a skill's children),
        // and a recursive future needs a type-erased step.
        let future: BoxFuture<'_, ServerResult<Value>> = Box::pin(finish(ctx, &self.0, partial));
        future.await
    }
}

impl<T: Clone> Clone for Ordered<T> {
    fn clone(&self) -> Self {
        Ordered(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use async_graphql::OutputType;
    use async_graphql::registry::{MetaType, MetaTypeName, Registry};

    use crate::graphql::{Mutation, Query, Subscription};

    thread_local! {
        /// How many fields return each type through `Ordered` or `PlainList`, counted as the
        /// schema's type info is built on this thread.
        static SERVED: RefCell<BTreeMap<String, usize>> = const { RefCell::new(BTreeMap::new()) };
    }

    /// Counts one field that returns `T` through `Ordered` or `PlainList`.
    pub(super) fn count_served<T: OutputType>() {
        SERVED.with(|served| {
            *served
                .borrow_mut()
                .entry(T::type_name().into_owned())
                .or_default() += 1
        });
    }

    /// The served schema's types: those the roots reach, as `Schema::finish` keeps them.
    fn served_types() -> Registry {
        let mut registry = Registry::default();
        Query::create_type_info(&mut registry);
        Mutation::create_type_info(&mut registry);
        <Subscription as async_graphql::SubscriptionType>::create_type_info(&mut registry);
        registry.query_type = "Query".to_owned();
        registry.mutation_type = Some("Mutation".to_owned());
        registry.subscription_type = Some("Subscription".to_owned());
        registry.remove_unused_types();
        registry
    }

    #[test]
    fn every_output_object_is_served_ordered() {
        SERVED.with(|served| served.borrow_mut().clear());
        let registry = served_types();
        let served = SERVED.with(|served| served.borrow().clone());
        let is_object = |name: &str| {
            !name.starts_with("__")
                && !["Query", "Mutation", "Subscription"].contains(&name)
                && matches!(
                    registry.types.get(name),
                    Some(MetaType::Object { .. } | MetaType::Interface { .. })
                )
        };
        // Every field of the schema that returns an object or an interface, by that type.
        let mut returned: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (parent, ty) in &registry.types {
            let fields = match ty {
                MetaType::Object { fields, .. } => fields,
                _ => continue,
            };
            for field in fields.values() {
                let target = MetaTypeName::concrete_typename(&field.ty);
                if is_object(target) {
                    returned
                        .entry(target)
                        .or_default()
                        .push(format!("{parent}.{}", field.name));
                }
            }
        }
        assert!(
            returned.len() > 40,
            "the schema's object types: {returned:?}"
        );
        let unordered: Vec<String> = returned
            .iter()
            .filter(|(ty, fields)| served.get(**ty).copied().unwrap_or(0) != fields.len())
            .map(|(ty, fields)| {
                let wrapped = served.get(*ty).copied().unwrap_or(0);
                format!("{ty}: {} fields return it ({fields:?}), {wrapped} through Ordered or PlainList", fields.len())
            })
            .collect();
        assert!(
            unordered.is_empty(),
            "output types served without Ordered or PlainList:\n{}",
            unordered.join("\n")
        );
    }
}
