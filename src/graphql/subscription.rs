//! The root `Subscription` type: changes to the catalog as they are committed, on any replica
//! (see [`crate::curation::events`]).

use std::sync::Arc;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::{Context, ErrorExtensions, ID, Object, Subscription};
use chrono::{DateTime, Utc};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;

use super::engine::fast_lists::{Ordered, PlainFields};
use super::enums::NodeKind;
use super::history::time;
use super::ids::{decode_id, encode_id};
use super::types::{Node, node_by_id};
use crate::curation::{ChangeEvent, Curator};
use crate::graph::Kind;

/// A committed change, as a subscriber receives it.
pub struct CatalogChange(Arc<ChangeEvent>);

impl PlainFields for CatalogChange {}

/// A committed change, as a subscriber receives it: the revision it made and what changed.
#[Object]
impl CatalogChange {
    /// The catalog's revision after the change.
    async fn revision(&self) -> i32 {
        self.0.revision
    }

    /// When it was committed.
    async fn at(&self) -> DateTime<Utc> {
        time(self.0.at)
    }

    /// The mutation that made it, e.g. `updateSkill`.
    async fn operation(&self) -> &str {
        &self.0.operation
    }

    /// The kind of node changed (for an edge: the node it belongs to); null for an import,
    /// which changes the catalog as a whole.
    async fn kind(&self) -> Option<NodeKind> {
        self.0.kind.map(Into::into)
    }

    /// The changed node's global ID; null for an import.
    async fn id(&self) -> Option<ID> {
        self.0.kind.map(|kind| encode_id(kind, &self.0.slug))
    }

    /// The changed node's slug; null for an import.
    async fn slug(&self) -> Option<&str> {
        self.0.kind.map(|_| self.0.slug.as_str())
    }

    /// The names of the changed fields (for an edge: its list, e.g. `skills`).
    async fn fields(&self) -> &[String] {
        &self.0.fields
    }

    /// Whether the change created the node.
    async fn created(&self) -> bool {
        self.0.created
    }

    /// Whether the change deleted the node.
    async fn deleted(&self) -> bool {
        self.0.deleted
    }

    /// The node as it is now (null once deleted). Reading it costs a query per event.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Node>>> {
        let Some(kind) = self.0.kind.filter(|_| !self.0.deleted) else {
            return Ok(None);
        };
        Ok(node_by_id(ctx, kind, self.0.slug.clone())
            .await?
            .map(Ordered))
    }
}

/// A stream of changes.
type Changes = BoxStream<'static, async_graphql::Result<Ordered<CatalogChange>>>;

/// The events of this replica's channel that `keep` lets through. A subscriber that falls so
/// far behind that the channel dropped events for it gets an error saying how many it
/// missed, and the stream ends: it should read the node (or `changes`) again and resubscribe.
fn changes(
    ctx: &Context<'_>,
    keep: impl Fn(&ChangeEvent) -> bool + Send + Sync + 'static,
) -> async_graphql::Result<Changes> {
    let receiver = super::schema_data::<Curator>(ctx)?.events().subscribe();
    Ok(stream_of(receiver, keep))
}

/// The events of `receiver` that `keep` lets through, until the subscriber lags.
fn stream_of(
    receiver: Receiver<Arc<ChangeEvent>>,
    keep: impl Fn(&ChangeEvent) -> bool + Send + Sync + 'static,
) -> Changes {
    let keep = Arc::new(keep);
    stream::unfold(Some(receiver), move |receiver| {
        let keep = keep.clone();
        async move {
            let mut receiver = receiver?;
            loop {
                match receiver.recv().await {
                    Ok(event) if keep(&event) => {
                        return Some((Ok(Ordered(CatalogChange(event))), Some(receiver)));
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(missed)) => {
                        let error = async_graphql::Error::new(format!(
                            "this subscriber fell behind and missed {missed} changes; \
                             read again and resubscribe"
                        ))
                        .extend_with(|_, ext| {
                            ext.set("code", "SUBSCRIBER_LAGGED");
                            ext.set("missed", missed);
                        });
                        return Some((Err(error), None));
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    })
    .boxed()
}

/// Live updates: changes as they are committed, on any replica.
#[derive(Default)]
pub struct Subscription;

/// Live updates, over WebSocket at `/graphql`: changes as they are committed, on any replica.
#[Subscription]
impl Subscription {
    /// Every change to the node with this global ID (its fields and its edges), as it is
    /// committed; a deletion is the last.
    async fn node_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node's global ID.")] id: ID,
    ) -> async_graphql::Result<Changes> {
        let (kind, slug) = decode_id(&id)?;
        changes(ctx, move |event| {
            event.kind == Some(kind) && event.slug == slug
        })
    }

    /// Every change to the catalog, as it is committed; only those to nodes of `kinds` when
    /// given. An import (which may change nodes of every kind) is announced to every
    /// subscriber, as one event without a node.
    async fn catalog_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only changes to nodes of these kinds; every change if not given.")]
        kinds: Option<Vec<NodeKind>>,
    ) -> async_graphql::Result<Changes> {
        let kinds: Option<Vec<Kind>> =
            kinds.map(|kinds| kinds.into_iter().map(Kind::from).collect());
        changes(ctx, move |event| {
            kinds
                .as_ref()
                .is_none_or(|kinds| event.kind.is_none_or(|kind| kinds.contains(&kind)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(revision: i32, kind: Kind) -> Arc<ChangeEvent> {
        Arc::new(ChangeEvent {
            revision,
            at: 0,
            operation: "updateSkill".into(),
            kind: Some(kind),
            slug: "caching".into(),
            fields: vec!["name".into()],
            created: false,
            deleted: false,
        })
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_and_the_stream_ends() {
        let (sender, receiver) = tokio::sync::broadcast::channel(2);
        let mut changes = stream_of(receiver, |event| event.kind == Some(Kind::Skill));
        sender.send(event(1, Kind::Role)).ok();
        sender.send(event(2, Kind::Skill)).ok();
        match changes.next().await {
            Some(Ok(first)) => {
                assert_eq!(first.0.0.revision, 2, "the role's change is filtered out")
            }
            _ => panic!("an event"),
        }
        for revision in 3..8 {
            sender.send(event(revision, Kind::Skill)).ok();
        }
        let Some(Err(error)) = changes.next().await else {
            panic!("an error");
        };
        let extensions = format!("{:?}", error.extensions);
        assert!(extensions.contains("SUBSCRIBER_LAGGED"), "{extensions}");
        assert!(
            error.message.contains("missed 3 changes"),
            "{}",
            error.message
        );
        assert!(changes.next().await.is_none(), "the stream ends");
    }
}
