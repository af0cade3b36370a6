//! Live updates over WebSocket at `/graphql`, in both subprotocols, and across replicas.

use std::time::Duration;

use async_graphql::futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use skillgraph::keys::Scope;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::{Backend, TestApp, backend_tests};

backend_tests!(
    both_subprotocols_receive_committed_changes,
    a_bad_key_in_connection_init_closes_the_connection,
);

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a socket speaking `protocol` and initialises it with `payload`; the first message
/// the server answers.
pub(crate) async fn open(app: &TestApp, protocol: &str, payload: Value) -> (Socket, Value) {
    let url = format!("{}/graphql", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().expect("a request");
    request
        .headers_mut()
        .insert("sec-websocket-protocol", protocol.parse().expect("header"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("WebSocket connects");
    send(
        &mut socket,
        json!({"type": "connection_init", "payload": payload}),
    )
    .await;
    let first = next(&mut socket).await;
    (socket, first)
}

pub(crate) async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("sent");
}

/// The next JSON message (keep-alives skipped); `{"closed": code, "reason": text}` when the
/// server closes.
pub(crate) async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s");
        match message {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(&text).expect("JSON");
                if value["type"] != "ka" {
                    return value;
                }
            }
            Some(Ok(Message::Close(frame))) => {
                let (code, reason) = frame
                    .map(|frame| (u16::from(frame.code), frame.reason.to_string()))
                    .unwrap_or_default();
                return json!({"closed": code, "reason": reason});
            }
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return json!({"closed": null}),
        }
    }
}

/// Gives the server a moment to start the subscription streams just sent (the protocols do
/// not acknowledge a subscription).
pub(crate) async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

const EVENT: &str = "revision operation kind slug fields created deleted";

async fn both_subprotocols_receive_committed_changes(app: &TestApp) {
    let key = app.key("live", Scope::Write).await;
    let (mut modern, ack) = open(app, "graphql-transport-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack");
    send(
        &mut modern,
        json!({"id": "1", "type": "subscribe", "payload": {
            "query": format!("subscription {{ catalogChanged(kinds: [SKILL]) {{ {EVENT} node {{ ... on Skill {{ name }} }} }} }}")}}),
    )
    .await;
    let id = app.data(r#"{ skill(slug: "caching") { id } }"#).await["skill"]["id"].clone();
    let (mut legacy, ack) = open(app, "graphql-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack");
    send(
        &mut legacy,
        json!({"id": "a", "type": "start", "payload": {
            "query": format!("subscription($id: ID!) {{ nodeChanged(id: $id) {{ {EVENT} }} }}"),
            "variables": {"id": id}}}),
    )
    .await;
    settle().await;

    // A role changes first: the skill subscribers hear nothing of it.
    app.write(
        &key,
        r#"mutation { updateRole(input: {role: "devops-engineer", name: "DevOps"}) { revision } }"#,
    )
    .await;
    app.write(
        &key,
        r#"mutation { updateSkill(input: {skill: "caching", name: "Caches"}) { revision } }"#,
    )
    .await;
    let event = next(&mut modern).await;
    assert_eq!(event["type"], "next", "{event}");
    assert_eq!(event["id"], "1");
    assert_eq!(
        event["payload"]["data"]["catalogChanged"],
        json!({"revision": 2, "operation": "updateSkill", "kind": "SKILL", "slug": "caching",
               "fields": ["name"], "created": false, "deleted": false, "node": {"name": "Caches"}})
    );
    let event = next(&mut legacy).await;
    assert_eq!(event["type"], "data");
    assert_eq!(event["payload"]["data"]["nodeChanged"]["revision"], 2);
    assert_eq!(event["payload"]["data"]["nodeChanged"]["slug"], "caching");

    // A mutation over the socket needs the key in connection_init.
    send(
        &mut modern,
        json!({"id": "2", "type": "subscribe", "payload": {
            "query": "mutation { updateSkill(input: {skill: \"caching\", name: \"Nope\"}) { revision } }"}}),
    )
    .await;
    let refused = next(&mut modern).await;
    assert_eq!(refused["id"], "2", "{refused}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{refused}"
    );
    let (mut keyed, ack) = open(
        app,
        "graphql-transport-ws",
        json!({"Authorization": format!("Bearer {key}")}),
    )
    .await;
    assert_eq!(ack["type"], "connection_ack");
    send(
        &mut keyed,
        json!({"id": "m", "type": "subscribe", "payload": {
            "query": "mutation { deleteSkill(input: {skill: \"caching\", cascade: true}) { revision } }"}}),
    )
    .await;
    let answer = next(&mut keyed).await;
    assert_eq!(
        answer["payload"]["data"]["deleteSkill"]["revision"], 3,
        "{answer}"
    );
    let deleted = next(&mut legacy).await;
    assert_eq!(deleted["payload"]["data"]["nodeChanged"]["deleted"], true);
}

async fn a_bad_key_in_connection_init_closes_the_connection(app: &TestApp) {
    let (_, answer) = open(
        app,
        "graphql-transport-ws",
        json!({"Authorization": "Bearer sgk_0123456789abcdef_wrong"}),
    )
    .await;
    // graphql-transport-ws closes a refused connection_init with 4403 Forbidden.
    assert_eq!(answer["closed"], 4403, "{answer}");
    assert_eq!(answer["reason"], "the API key is unknown or revoked");
}

#[tokio::test]
async fn subscriptions_per_connection_are_limited() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            settings.http.max_subscriptions = 1;
        })
        .spawn()
        .await
        .expect("SQLite is always available");
    let (mut socket, _) = open(&app, "graphql-transport-ws", json!({})).await;
    for id in ["1", "2"] {
        send(
            &mut socket,
            json!({"id": id, "type": "subscribe", "payload": {"query": "subscription { catalogChanged { revision } }"}}),
        )
        .await;
    }
    let refused = next(&mut socket).await;
    assert_eq!(refused["id"], "2", "{refused}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"],
        "SUBSCRIPTION_LIMIT"
    );
}

/// Two servers over one PostgreSQL database: a change made through one reaches a subscriber
/// of the other (through `LISTEN/NOTIFY`).
#[tokio::test]
async fn changes_cross_replicas_on_postgres() {
    let Some(first) = TestApp::builder(Backend::Postgres).spawn().await else {
        return;
    };
    let second = first.replica().spawn().await;
    let key = first.key("replicated", Scope::Write).await;
    let (mut socket, ack) = open(&second, "graphql-transport-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack");
    send(
        &mut socket,
        json!({"id": "1", "type": "subscribe", "payload": {"query": format!("subscription {{ catalogChanged {{ {EVENT} }} }}")}}),
    )
    .await;
    settle().await;
    first
        .write(&key, r#"mutation { createTool(input: {slug: "valkey", name: "Valkey", category: CACHE}) { revision } }"#)
        .await;
    let event = next(&mut socket).await;
    assert_eq!(
        event["payload"]["data"]["catalogChanged"],
        json!({"revision": 1, "operation": "createTool", "kind": "TOOL", "slug": "valkey",
               "fields": ["aliases", "category", "description", "name", "slug"], "created": true, "deleted": false})
    );
}
