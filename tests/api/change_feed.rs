//! The public change feed: `changes` without a key and its filters, and subscriptions that
//! resume from a revision (`afterRevision`): the log's changes after it, then the live ones,
//! each revision once and in order, on one server, across replicas and across a restart.

use serde_json::{Value, json};
use skillgraph::keys::Scope;
use tokio::sync::watch;

use crate::helpers::{Backend, TestApp, backend_tests, per_backend};
use crate::subscriptions::{Socket, next, open, send};

backend_tests!(
    the_public_log_filters_by_revision_range_and_kind,
    a_subscriber_resumes_after_a_revision_then_goes_live,
    after_revision_outside_the_log_is_refused,
    resuming_while_another_task_writes_delivers_every_revision_once,
    a_long_log_replays_in_pages_to_many_subscribers_at_once,
);

mod restart {
    use super::*;
    per_backend!(a_restarted_server_replays_what_was_committed_before_it);
}

/// Renames a skill (odd `n`) or a role (even `n`), so that changes of two kinds alternate;
/// the revision it made.
async fn change(app: &TestApp, key: &str, n: usize) -> i64 {
    let (field, mutation) = if n % 2 == 1 {
        (
            "updateSkill",
            format!(r#"updateSkill(input: {{skill: "caching", name: "Caching {n}"}})"#),
        )
    } else {
        (
            "updateRole",
            format!(r#"updateRole(input: {{role: "devops-engineer", name: "DevOps {n}"}})"#),
        )
    };
    let data = app
        .write(key, &format!("mutation {{ {mutation} {{ revision }} }}"))
        .await;
    data[field]["revision"].as_i64().expect("a revision")
}

/// A socket with one subscription, `query`, started.
async fn subscribe(app: &TestApp, query: &str) -> Socket {
    let (mut socket, ack) = open(app, "graphql-transport-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    send(
        &mut socket,
        json!({"id": "1", "type": "subscribe", "payload": {"query": query}}),
    )
    .await;
    socket
}

/// The next `count` events of the subscription's `field`, whole.
async fn events(socket: &mut Socket, field: &str, count: usize) -> Vec<Value> {
    let mut events = Vec::with_capacity(count);
    for _ in 0..count {
        let message = next(socket).await;
        assert_eq!(message["type"], "next", "after {events:?}: {message}");
        assert!(
            message["payload"].get("errors").is_none(),
            "after {} events: {message}",
            events.len()
        );
        events.push(message["payload"]["data"][field].clone());
    }
    events
}

/// The revisions of the next `count` events of the subscription's `field`.
async fn revisions(socket: &mut Socket, field: &str, count: usize) -> Vec<i64> {
    events(socket, field, count)
        .await
        .iter()
        .map(|event| event["revision"].as_i64().expect("a revision"))
        .collect()
}

/// The revisions (and kinds) of a page of `changes` asked for with `arguments`, without a key.
async fn log_page(app: &TestApp, arguments: &str) -> (Vec<(i64, String)>, Value) {
    let data = app
        .data(&format!(
            "{{ changes({arguments}) {{ edges {{ node {{ revision kind keyName }} }} pageInfo {{ hasNextPage }} }} }}"
        ))
        .await;
    let entries = data["changes"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| {
            assert_eq!(edge["node"]["keyName"], Value::Null, "{edge}");
            (
                edge["node"]["revision"].as_i64().expect("a revision"),
                edge["node"]["kind"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (entries, data["changes"]["pageInfo"]["hasNextPage"].clone())
}

fn entries(list: &[(i64, &str)]) -> Vec<(i64, String)> {
    list.iter()
        .map(|(revision, kind)| (*revision, (*kind).to_owned()))
        .collect()
}

async fn the_public_log_filters_by_revision_range_and_kind(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    for n in 1..=4 {
        change(app, &key, n).await;
    }
    let tool = r#"mutation { createTool(input: {slug: "valkey", name: "Valkey", category: CACHE}) { revision } }"#;
    assert_eq!(app.write(&key, tool).await["createTool"]["revision"], 5);

    let (page, more) = log_page(app, "fromRevision: 2, toRevision: 4").await;
    assert_eq!(page, entries(&[(2, "ROLE"), (3, "SKILL"), (4, "ROLE")]));
    assert_eq!(more, false);
    let (page, _) = log_page(app, "kinds: [SKILL, TOOL]").await;
    assert_eq!(page, entries(&[(1, "SKILL"), (3, "SKILL"), (5, "TOOL")]));
    let (page, _) = log_page(app, "kinds: [ROLE], fromRevision: 3").await;
    assert_eq!(page, entries(&[(4, "ROLE")]));
    let (page, _) = log_page(app, "kinds: [ROLE], toRevision: 3").await;
    assert_eq!(page, entries(&[(2, "ROLE")]));
    // The later of a cursor and `fromRevision` counts, and pages go on within the range.
    let (page, more) = log_page(app, r#"fromRevision: 2, after: "3", first: 1"#).await;
    assert_eq!(page, entries(&[(4, "ROLE")]));
    assert_eq!(more, true);
    let (page, more) = log_page(app, r#"fromRevision: 4, after: "1", toRevision: 4"#).await;
    assert_eq!(page, entries(&[(4, "ROLE")]));
    assert_eq!(more, false);
    let (page, _) = log_page(app, "toRevision: 0").await;
    assert_eq!(page, entries(&[]));
    let (page, _) = log_page(app, "kinds: [LANGUAGE]").await;
    assert_eq!(page, entries(&[]));

    // An admin key sees who made the changes, through the same filters.
    let admin = app.key("auditor", Scope::Admin).await;
    let (_, answer) = app
        .post_as(
            &admin,
            json!({"query": "{ changes(kinds: [TOOL]) { edges { node { revision keyName slug } } } }"}),
        )
        .await;
    assert_eq!(
        answer["data"]["changes"]["edges"],
        json!([{"node": {"revision": 5, "keyName": "curator", "slug": "valkey"}}]),
        "{answer}"
    );

    for arguments in [
        "fromRevision: -1",
        "toRevision: -2",
        "fromRevision: 4, toRevision: 3",
    ] {
        let error = app
            .error(&format!(
                "{{ changes({arguments}) {{ edges {{ cursor }} }} }}"
            ))
            .await;
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{arguments}: {error}"
        );
    }
}

const EVENT: &str = "revision operation kind slug fields created deleted";

async fn a_subscriber_resumes_after_a_revision_then_goes_live(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    // Six changes while nobody listens.
    for n in 1..=6 {
        change(app, &key, n).await;
    }
    let mut every = subscribe(
        app,
        &format!("subscription {{ catalogChanged(afterRevision: 2) {{ {EVENT} node {{ ... on Skill {{ name }} }} }} }}"),
    )
    .await;
    let mut skills = subscribe(
        app,
        "subscription { catalogChanged(kinds: [SKILL], afterRevision: 2) { revision kind } }",
    )
    .await;
    let role = app
        .data(r#"{ role(slug: "devops-engineer") { id } }"#)
        .await["role"]["id"]
        .clone();
    let mut node = subscribe(
        app,
        &format!(
            "subscription {{ nodeChanged(id: {role}, afterRevision: 3) {{ revision slug }} }}"
        ),
    )
    .await;
    let replayed = events(&mut every, "catalogChanged", 4).await;
    // A replayed event is what a live subscriber got for it (the node as it is now).
    assert_eq!(
        replayed[0],
        json!({"revision": 3, "operation": "updateSkill", "kind": "SKILL", "slug": "caching",
               "fields": ["name"], "created": false, "deleted": false,
               "node": {"name": "Caching 5"}})
    );
    let revisions_of = |events: &[Value]| -> Vec<i64> {
        events
            .iter()
            .filter_map(|e| e["revision"].as_i64())
            .collect()
    };
    assert_eq!(revisions_of(&replayed), vec![3, 4, 5, 6]);
    assert_eq!(
        revisions(&mut skills, "catalogChanged", 2).await,
        vec![3, 5]
    );
    assert_eq!(revisions(&mut node, "nodeChanged", 2).await, vec![4, 6]);

    // Then live, from where the log left off.
    for n in 7..=9 {
        change(app, &key, n).await;
    }
    let live = events(&mut every, "catalogChanged", 3).await;
    assert_eq!(revisions_of(&live), vec![7, 8, 9]);
    // Of the same shape; its node is read as it is delivered, which may be after 9.
    let mut first_live = live[0].clone();
    let shown = first_live
        .as_object_mut()
        .and_then(|event| event.remove("node"));
    assert!(
        [json!({"name": "Caching 7"}), json!({"name": "Caching 9"})]
            .contains(&shown.clone().unwrap_or_default()),
        "{shown:?}"
    );
    assert_eq!(
        first_live,
        json!({"revision": 7, "operation": "updateSkill", "kind": "SKILL", "slug": "caching",
               "fields": ["name"], "created": false, "deleted": false})
    );
    assert_eq!(
        revisions(&mut skills, "catalogChanged", 2).await,
        vec![7, 9]
    );
    assert_eq!(revisions(&mut node, "nodeChanged", 1).await, vec![8]);
}

/// The first error of the subscription's answer, as either message carries it.
async fn refusal(app: &TestApp, query: &str) -> Value {
    let mut socket = subscribe(app, query).await;
    let message = next(&mut socket).await;
    let error = match message["type"].as_str() {
        Some("error") => message["payload"][0].clone(),
        _ => message["payload"]["errors"][0].clone(),
    };
    assert!(error.is_object(), "{query}: {message}");
    error
}

async fn after_revision_outside_the_log_is_refused(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    change(app, &key, 1).await;
    for after in [-1, 2] {
        let error = refusal(
            app,
            &format!("subscription {{ catalogChanged(afterRevision: {after}) {{ revision }} }}"),
        )
        .await;
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
        assert_eq!(
            error["message"],
            format!("`afterRevision` must be between 0 and the catalog's revision, 1, got {after}")
        );
    }
    let skill = app.data(r#"{ skill(slug: "caching") { id } }"#).await["skill"]["id"].clone();
    let error = refusal(
        app,
        &format!("subscription {{ nodeChanged(id: {skill}, afterRevision: 5) {{ revision }} }}"),
    )
    .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");

    // The catalog's own revision: nothing to replay, the next change comes live.
    let mut socket = subscribe(
        app,
        "subscription { catalogChanged(afterRevision: 1) { revision } }",
    )
    .await;
    change(app, &key, 2).await;
    assert_eq!(revisions(&mut socket, "catalogChanged", 1).await, vec![2]);
}

/// How many changes the race test's writer makes.
const RACING_WRITES: usize = 30;

async fn resuming_while_another_task_writes_delivers_every_revision_once(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let (progress, written) = watch::channel(0_i64);
    let writer = async {
        for n in 1..=RACING_WRITES {
            let revision = change(app, &key, n).await;
            progress.send_replace(revision);
        }
    };
    // Each subscriber resumes from a revision it saw, while the writes go on: its log read
    // and the writes' commits interleave as they will.
    let subscriber = |k: i64| {
        let mut written = written.clone();
        async move {
            let seen = *written
                .wait_for(|revision| *revision >= 6 * k)
                .await
                .expect("the writer goes on");
            let after = seen - k % 2;
            let mut socket = subscribe(
                app,
                &format!(
                    "subscription {{ catalogChanged(afterRevision: {after}) {{ revision }} }}"
                ),
            )
            .await;
            let total = RACING_WRITES as i64;
            let count = usize::try_from(total - after).expect("ahead of the writer");
            (after, revisions(&mut socket, "catalogChanged", count).await)
        }
    };
    let ((), first, second, third, fourth) = tokio::join!(
        writer,
        subscriber(0),
        subscriber(1),
        subscriber(2),
        subscriber(3)
    );
    for (after, delivered) in [first, second, third, fourth] {
        let expected: Vec<i64> = (after + 1..=RACING_WRITES as i64).collect();
        assert_eq!(delivered, expected, "after {after}");
    }
}

/// Writes `entries` changes of a skill straight into the log, as a long history would have
/// left them, and sets the catalog's revision to the last.
async fn long_log(app: &TestApp, entries: i64) {
    use sea_orm::ConnectionTrait;
    let mut revision = 0;
    while revision < entries {
        let rows: Vec<String> = (revision + 1..=(revision + 500).min(entries))
            .map(|r| {
                format!(
                    "({r}, {r}, 'history', 'updateSkill', 'Skill', 'caching', \
                     '{{\"name\":\"a\"}}', '{{\"name\":\"b\"}}')"
                )
            })
            .collect();
        app.db
            .conn
            .execute_unprepared(&format!(
                "INSERT INTO catalog_change \
                 (revision, at, key_name, operation, kind, slug, before, after) VALUES {}",
                rows.join(", ")
            ))
            .await
            .expect("log entries");
        revision += rows.len() as i64;
    }
    app.db
        .conn
        .execute_unprepared(&format!(
            "UPDATE catalog_state SET revision = {entries} WHERE id = 1"
        ))
        .await
        .expect("the revision");
}

async fn a_long_log_replays_in_pages_to_many_subscribers_at_once(app: &TestApp) {
    const ENTRIES: i64 = 3000;
    long_log(app, ENTRIES).await;
    let key = app.key("curator", Scope::Write).await;
    let everything: Vec<i64> = (1..=ENTRIES).collect();

    // One subscriber from the start: the log is read a page at a time, not at once.
    let statements = app.db.statements.get();
    let mut socket = subscribe(
        app,
        "subscription { catalogChanged(afterRevision: 0) { revision } }",
    )
    .await;
    let replayed = revisions(&mut socket, "catalogChanged", ENTRIES as usize).await;
    assert!(replayed == everything, "not 1..={ENTRIES} in order");
    let reads = app.db.statements.get() - statements;
    assert!(reads >= 30, "{reads} statements for {ENTRIES} entries");
    drop(socket);

    // Many at once, while writes go on: every write is made, every subscriber gets all.
    let subscriber = || async {
        let mut socket = subscribe(
            app,
            "subscription { catalogChanged(afterRevision: 0) { revision } }",
        )
        .await;
        revisions(&mut socket, "catalogChanged", ENTRIES as usize + 5).await
    };
    let writer = async {
        let mut made = Vec::new();
        for n in 1..=5 {
            made.push(change(app, &key, n).await);
        }
        made
    };
    let (made, a, b, c, d, e, f) = tokio::join!(
        writer,
        subscriber(),
        subscriber(),
        subscriber(),
        subscriber(),
        subscriber(),
        subscriber()
    );
    let expected: Vec<i64> = (1..=ENTRIES + 5).collect();
    assert_eq!(made, (ENTRIES + 1..=ENTRIES + 5).collect::<Vec<_>>());
    for delivered in [a, b, c, d, e, f] {
        assert!(delivered == expected, "not 1..={} in order", ENTRIES + 5);
    }
}

async fn a_restarted_server_replays_what_was_committed_before_it(backend: Backend) {
    let Some(app) = TestApp::builder(backend).spawn().await else {
        return;
    };
    let key = app.key("curator", Scope::Write).await;
    for n in 1..=4 {
        change(&app, &key, n).await;
    }
    let app = app.restart().await;
    let mut socket = subscribe(
        &app,
        "subscription { catalogChanged(afterRevision: 1) { revision } }",
    )
    .await;
    assert_eq!(
        revisions(&mut socket, "catalogChanged", 3).await,
        vec![2, 3, 4]
    );
    change(&app, &key, 5).await;
    assert_eq!(revisions(&mut socket, "catalogChanged", 1).await, vec![5]);
}

/// Written through one replica, resumed on the other: the log is the database's, the live
/// events come through `LISTEN/NOTIFY`.
#[tokio::test]
async fn resuming_on_another_postgres_replica() {
    let Some(first) = TestApp::builder(Backend::Postgres).spawn().await else {
        return;
    };
    let second = first.replica().spawn().await;
    let key = first.key("curator", Scope::Write).await;
    for n in 1..=5 {
        change(&first, &key, n).await;
    }
    let mut socket = subscribe(
        &second,
        "subscription { catalogChanged(afterRevision: 2) { revision } }",
    )
    .await;
    assert_eq!(
        revisions(&mut socket, "catalogChanged", 3).await,
        vec![3, 4, 5]
    );
    for n in 6..=7 {
        change(&first, &key, n).await;
    }
    assert_eq!(
        revisions(&mut socket, "catalogChanged", 2).await,
        vec![6, 7]
    );
}
