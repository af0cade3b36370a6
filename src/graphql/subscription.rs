//! The root `Subscription` type: changes to the catalog as they are committed, on any replica
//! (see [`crate::curation::events`]).

use std::collections::VecDeque;
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
use crate::curation::log::{self, Selection};
use crate::curation::{ChangeEvent, Curator, Events};
use crate::db::Db;
use crate::graph::Kind;
use crate::{Error, Result};

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

/// How many entries of the log a replay reads at a time: what one subscriber holds of it.
const REPLAY_PAGE: u64 = 100;

/// Which changes a subscription delivers, one test for the log's entries (in SQL) and for the
/// live events, so that a replayed stream and a live one agree.
#[derive(Clone, Debug)]
enum Filter {
    /// Changes to nodes of these kinds, and imports; every change if `None`.
    Kinds(Option<Vec<Kind>>),
    /// Changes to this node, and the batches that changed it.
    Node(Kind, String),
}

impl Filter {
    fn keeps(&self, event: &ChangeEvent) -> bool {
        match self {
            Filter::Kinds(kinds) => kinds
                .as_ref()
                .is_none_or(|kinds| event.kind.is_none_or(|kind| kinds.contains(&kind))),
            Filter::Node(kind, slug) => {
                (event.kind == Some(*kind) && event.slug == *slug)
                    || event.nodes.iter().any(|(k, s)| k == kind && s == slug)
            }
        }
    }

    /// The log's entries this filter keeps, after `after` and up to `through`.
    fn selection(&self, after: i32, through: i32) -> Selection {
        let (node, kinds) = match self {
            Filter::Kinds(kinds) => (None, kinds.clone()),
            Filter::Node(kind, slug) => (Some((*kind, slug.clone())), None),
        };
        Selection {
            after: Some(after),
            through: Some(through),
            since: None,
            node,
            kinds,
        }
    }
}

/// Where a resumable subscriber is in the log, so that it can read what the live channel
/// did not bring it.
struct Resume {
    db: Db,
    events: Events,
    /// Every change up to this revision has been delivered or filtered out; a live event at
    /// or below it is a duplicate.
    seen: i32,
    /// A read of the log in progress: the entries after `seen` up to this revision, which
    /// had all committed when the read began.
    reading_to: Option<i32>,
}

impl Resume {
    /// Reads the log from `seen` up to the catalog's revision now (and at least `through`).
    async fn catch_up(&mut self, through: i32) -> Result<()> {
        let (now, _) = log::state(&self.db.conn).await?;
        let to = now.max(through);
        if to > self.seen {
            self.reading_to = Some(to);
        }
        Ok(())
    }
}

/// One subscriber's stream: the live channel, and for a subscriber that gave
/// `afterRevision`, its place in the log.
struct Feed {
    receiver: Receiver<Arc<ChangeEvent>>,
    filter: Filter,
    /// `None` for a subscriber that only listens, which ends when it lags.
    resume: Option<Resume>,
    /// The events read from the log and not yet delivered; at most a page.
    ready: VecDeque<Arc<ChangeEvent>>,
}

/// How a [`Feed`] goes on.
enum Step {
    Deliver(Arc<ChangeEvent>),
    Fail(async_graphql::Error),
    End,
}

impl Feed {
    /// The next event to deliver, in the order of revisions, each at most once.
    async fn step(&mut self) -> Step {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Step::Deliver(event);
            }
            if let Some(resume) = &mut self.resume
                && let Some(to) = resume.reading_to
            {
                let selection = self.filter.selection(resume.seen, to);
                match resume
                    .events
                    .replay(&resume.db, &selection, REPLAY_PAGE)
                    .await
                {
                    Ok(page) => {
                        self.ready.extend(page.events);
                        match page.last.filter(|_| page.more) {
                            Some(last) => resume.seen = last,
                            None => {
                                resume.seen = to;
                                resume.reading_to = None;
                            }
                        }
                        continue;
                    }
                    Err(err) => return Step::Fail(err.into()),
                }
            }
            let received = self.receiver.recv().await;
            match (received, &mut self.resume) {
                (Ok(event), None) => {
                    if self.filter.keeps(&event) {
                        return Step::Deliver(event);
                    }
                }
                (Ok(event), Some(resume)) => {
                    if event.revision <= resume.seen {
                        // Replayed already.
                    } else if event.revision == resume.seen + 1 {
                        resume.seen = event.revision;
                        if self.filter.keeps(&event) {
                            return Step::Deliver(event);
                        }
                    } else if let Err(err) = resume.catch_up(event.revision).await {
                        // Revisions count up by one, so changes were missed in between (a
                        // relay that reconnected): the log has them, and this one.
                        return Step::Fail(err.into());
                    }
                }
                (Err(RecvError::Lagged(_)), Some(resume)) => {
                    // The channel dropped events for this subscriber; the log has them.
                    if let Err(err) = resume.catch_up(resume.seen).await {
                        return Step::Fail(err.into());
                    }
                }
                (Err(RecvError::Lagged(missed)), None) => return Step::Fail(lagged(missed)),
                (Err(RecvError::Closed), _) => return Step::End,
            }
        }
    }
}

/// The error of a subscriber without a place in the log that fell behind the channel.
fn lagged(missed: u64) -> async_graphql::Error {
    async_graphql::Error::new(format!(
        "this subscriber fell behind and missed {missed} changes; \
         read again and resubscribe (with `afterRevision` to resume where it was)"
    ))
    .extend_with(|_, ext| {
        ext.set("code", "SUBSCRIBER_LAGGED");
        ext.set("missed", missed);
    })
}

/// The changes `filter` keeps: with `after_revision`, first those after it from the log, then
/// the live ones; without, the live ones only. A resumable subscriber listens before it
/// reads the log, so that nothing committed in between is lost; see [`Feed::step`].
async fn changes(
    ctx: &Context<'_>,
    filter: Filter,
    after_revision: Option<i32>,
) -> async_graphql::Result<Changes> {
    let events = super::schema_data::<Curator>(ctx)?.events().clone();
    let receiver = events.subscribe();
    let resume = match after_revision {
        None => None,
        Some(after) => {
            let db = super::schema_data::<Db>(ctx)?.clone();
            let (now, _) = log::state(&db.conn).await?;
            if !(0..=now).contains(&after) {
                return Err(Error::bad_input(format!(
                    "`afterRevision` must be between 0 and the catalog's revision, {now}, \
                     got {after}"
                ))
                .into());
            }
            Some(Resume {
                db,
                events,
                seen: after,
                reading_to: (now > after).then_some(now),
            })
        }
    };
    Ok(stream_of(Feed {
        receiver,
        filter,
        resume,
        ready: VecDeque::new(),
    }))
}

/// The feed's events as a stream, which ends after an error.
fn stream_of(feed: Feed) -> Changes {
    stream::unfold(Some(feed), |feed| async move {
        let mut feed = feed?;
        match feed.step().await {
            Step::Deliver(event) => Some((Ok(Ordered(CatalogChange(event))), Some(feed))),
            Step::Fail(error) => Some((Err(error), None)),
            Step::End => None,
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
    /// committed, and every batch that changed it (an event without a node, whose `after`
    /// lists the batch's operations); a deletion is the last. With `afterRevision`, first the node's changes
    /// after that revision from the change log, as `catalogChanged` replays them.
    async fn node_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node's global ID.")] id: ID,
        #[graphql(
            desc = "Replay the node's changes after this revision (0 up to the catalog's \
                    revision) before the live ones."
        )]
        after_revision: Option<i32>,
    ) -> async_graphql::Result<Changes> {
        let (kind, slug) = decode_id(&id)?;
        changes(ctx, Filter::Node(kind, slug), after_revision).await
    }

    /// Every change to the catalog, as it is committed; only those to nodes of `kinds` when
    /// given. An import (which may change nodes of every kind) is announced to every
    /// subscriber, as one event without a node.
    ///
    /// With `afterRevision` (0 up to the catalog's revision; anything else is
    /// `BAD_USER_INPUT`), the changes after it come first, read from the change log, then the
    /// live ones: each revision once, in order, whatever was committed meanwhile, so that a
    /// client that reconnects with the last revision it got resumes without a gap. Such a
    /// subscriber that falls behind the live channel catches up from the log instead of being
    /// told `SUBSCRIBER_LAGGED`.
    async fn catalog_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only changes to nodes of these kinds; every change if not given.")]
        kinds: Option<Vec<NodeKind>>,
        #[graphql(
            desc = "Replay the changes after this revision (0 up to the catalog's revision) \
                    before the live ones."
        )]
        after_revision: Option<i32>,
    ) -> async_graphql::Result<Changes> {
        let kinds: Option<Vec<Kind>> =
            kinds.map(|kinds| kinds.into_iter().map(Kind::from).collect());
        changes(ctx, Filter::Kinds(kinds), after_revision).await
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
            nodes: Vec::new(),
        })
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_and_the_stream_ends() {
        let (sender, receiver) = tokio::sync::broadcast::channel(2);
        let mut changes = stream_of(Feed {
            receiver,
            filter: Filter::Kinds(Some(vec![Kind::Skill])),
            resume: None,
            ready: VecDeque::new(),
        });
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

    /// A database whose log holds `revisions` changes, alternately to a skill and a role,
    /// and whose catalog is at the last of them.
    async fn log_of(revisions: i32) -> Db {
        use sea_orm::ConnectionTrait;
        let db = crate::db::connect("sqlite::memory:").await.expect("SQLite");
        crate::db::migrate(&db).await.expect("migrated");
        for revision in 1..=revisions {
            let kind = if revision % 2 == 0 { "Role" } else { "Skill" };
            db.conn
                .execute_unprepared(&format!(
                    "INSERT INTO catalog_change \
                     (revision, at, key_name, operation, kind, slug, before, after) VALUES \
                     ({revision}, {revision}, 'k', 'update', '{kind}', 'caching', \
                     '{{\"name\":\"a\"}}', '{{\"name\":\"b\"}}')"
                ))
                .await
                .expect("an entry");
        }
        db.conn
            .execute_unprepared(&format!(
                "UPDATE catalog_state SET revision = {revisions} WHERE id = 1"
            ))
            .await
            .expect("the revision");
        db
    }

    /// The revisions a stream delivers until it has delivered `last`.
    async fn revisions_through(changes: &mut Changes, last: i32) -> Vec<i32> {
        let mut revisions = Vec::new();
        while revisions.last() != Some(&last) {
            match changes.next().await {
                Some(Ok(change)) => revisions.push(change.0.0.revision),
                other => panic!("after {revisions:?}: {:?}", other.map(|item| item.err())),
            }
        }
        revisions
    }

    /// A resumable feed that subscribed when the catalog was at `now`, from `after`.
    fn resumable(
        receiver: Receiver<Arc<ChangeEvent>>,
        db: Db,
        filter: Filter,
        after: i32,
        now: i32,
    ) -> Changes {
        stream_of(Feed {
            receiver,
            filter,
            resume: Some(Resume {
                db,
                events: Events::new(sea_orm::DbBackend::Sqlite),
                seen: after,
                reading_to: (now > after).then_some(now),
            }),
            ready: VecDeque::new(),
        })
    }

    #[tokio::test]
    async fn a_resumable_subscriber_that_falls_behind_catches_up_from_the_log() {
        let db = log_of(12).await;
        let (sender, receiver) = tokio::sync::broadcast::channel(2);
        let mut changes = resumable(receiver, db, Filter::Kinds(None), 1, 3);
        // Committed after it subscribed, and more than the channel keeps for it.
        for revision in 2..=12 {
            sender.send(event(revision, Kind::Skill)).ok();
        }
        assert_eq!(
            revisions_through(&mut changes, 12).await,
            (2..=12).collect::<Vec<_>>(),
            "the log's 2 and 3, then what the channel dropped, each once and in order"
        );
        sender.send(event(13, Kind::Skill)).ok();
        assert_eq!(revisions_through(&mut changes, 13).await, vec![13]);
    }

    #[tokio::test]
    async fn a_gap_in_the_live_events_is_filled_from_the_log() {
        let db = log_of(9).await;
        let (sender, receiver) = tokio::sync::broadcast::channel(16);
        let mut changes = resumable(receiver, db, Filter::Kinds(Some(vec![Kind::Skill])), 0, 4);
        // 3 and 4 were in the log already; 5 and 6 never reached the channel.
        for revision in [3, 4, 7, 8, 9] {
            sender.send(event(revision, Kind::Skill)).ok();
        }
        assert_eq!(
            revisions_through(&mut changes, 9).await,
            vec![1, 3, 5, 7, 9],
            "the skills' changes (odd revisions, as the log has them) and no duplicate"
        );
    }

    #[tokio::test]
    async fn a_node_replays_only_its_changes_and_the_log_is_read_in_pages() {
        let db = log_of(250).await;
        let before = db.statements.get();
        let (_sender, receiver) = tokio::sync::broadcast::channel(16);
        let filter = Filter::Node(Kind::Role, "caching".into());
        let mut changes = resumable(receiver, db.clone(), filter, 10, 250);
        let revisions = revisions_through(&mut changes, 250).await;
        assert_eq!(revisions, (12..=250).step_by(2).collect::<Vec<_>>());
        assert_eq!(
            db.statements.get() - before,
            2,
            "120 entries in pages of {REPLAY_PAGE}"
        );
    }
}
