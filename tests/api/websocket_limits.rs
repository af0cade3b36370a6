//! What keeps a WebSocket from holding the server for nothing: the key checked again for
//! every operation, time limits on `connection_init` and on silence, the body limit on every
//! message, caps on operations per connection and connections per address, and the close
//! codes `graphql-transport-ws` specifies.

use std::time::Duration;

use async_graphql::futures_util::SinkExt;
use serde_json::{Value, json};
use skillgraph::keys::{self, Scope};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{Backend, TestApp};
use crate::subscriptions::{next, open, send};

const RENAME: &str =
    r#"mutation { updateSkill(input: {skill: "caching", name: "Renamed"}) { revision } }"#;

/// The first error of the answer to operation `id`.
async fn first_error(socket: &mut crate::subscriptions::Socket, id: &str) -> Value {
    let answer = next(socket).await;
    assert_eq!(answer["id"], id, "{answer}");
    answer["payload"]["errors"][0].clone()
}

#[tokio::test]
async fn a_revoked_key_cannot_write_over_a_socket_opened_before() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let key = app.key("soon-revoked", Scope::Write).await;
    let init = json!({ "Authorization": format!("Bearer {key}") });
    let (mut socket, ack) = open(&app, "graphql-transport-ws", init).await;
    assert_eq!(ack["type"], "connection_ack");
    let subscribe = |id: &str| json!({"id": id, "type": "subscribe", "payload": {"query": RENAME}});
    send(&mut socket, subscribe("1")).await;
    let written = next(&mut socket).await;
    assert!(
        written["payload"]["data"]["updateSkill"]["revision"].is_number(),
        "{written}"
    );
    let _complete = next(&mut socket).await;

    assert!(
        keys::revoke(&app.db, "soon-revoked")
            .await
            .expect("revoked")
    );
    let revision = app.data("{ catalog { revision } }").await;
    send(&mut socket, json!({"id": "2", "type": "subscribe", "payload": {"query": RENAME.replace("Renamed", "Again")}})).await;
    let error = first_error(&mut socket, "2").await;
    assert_eq!(error["extensions"]["code"], "UNAUTHENTICATED", "{error}");
    assert_eq!(
        app.data("{ catalog { revision } }").await,
        revision,
        "nothing written"
    );
    let name = app.data(r#"{ skill(slug: "caching") { name } }"#).await;
    assert_eq!(name["skill"]["name"], "Renamed");
}

#[tokio::test]
async fn messages_larger_than_the_body_limit_close_the_socket() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    for megabytes in [2, 8] {
        let (mut socket, ack) = open(&app, "graphql-transport-ws", json!({})).await;
        assert_eq!(ack["type"], "connection_ack");
        let padding = " ".repeat(megabytes * 1024 * 1024);
        let query = format!("{{ __typename {padding} }}");
        let message = json!({"id": "1", "type": "subscribe", "payload": {"query": query}});
        // The server may close before the whole message is written.
        let _ = socket.send(Message::Text(message.to_string().into())).await;
        let answer = next(&mut socket).await;
        assert!(answer.get("closed").is_some(), "{megabytes} MiB: {answer}");
        assert_ne!(answer["type"], "next", "{megabytes} MiB must not run");
    }
    assert_eq!(app.get("/health").await.status().as_u16(), 200);
}

#[tokio::test]
async fn silent_sockets_are_closed() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            settings.http.websocket_init_timeout = Duration::from_millis(500);
            settings.http.websocket_keepalive = Duration::from_millis(300);
            settings.http.websocket_idle_timeout = Duration::from_millis(1500);
        })
        .spawn()
        .await
        .expect("SQLite");
    // No connection_init: closed with 4408.
    let url = format!("{}/graphql", app.address.replace("http://", "ws://"));
    let mut request = url.clone().into_client_request().expect("a request");
    let protocol = "graphql-transport-ws".parse().expect("a header");
    request
        .headers_mut()
        .insert("sec-websocket-protocol", protocol);
    let (mut silent, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connects");
    let closed = next(&mut silent).await;
    assert_eq!(closed["closed"], 4408, "{closed}");

    // A client that answers the pings (tungstenite does, while it reads) stays connected
    // past the idle timeout...
    let (mut alive, ack) = open(&app, "graphql-transport-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack");
    let (mut mute, _) = open(&app, "graphql-transport-ws", json!({})).await;
    let reading = tokio::time::timeout(Duration::from_secs(3), next(&mut alive)).await;
    assert!(reading.is_err(), "nothing arrives but pings: {reading:?}");
    send(
        &mut alive,
        json!({"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }"}}),
    )
    .await;
    let answer = next(&mut alive).await;
    assert_eq!(answer["payload"]["data"]["__typename"], "Query", "{answer}");
    // ...while one that read nothing, and so answered no ping, was closed as idle (with
    // 1001, unless the client's reply to a ping queued before it finds the socket gone).
    let closed = next(&mut mute).await;
    assert!(
        closed["closed"] == 1001 || closed["closed"].is_null(),
        "{closed}"
    );
    assert!(closed.get("closed").is_some(), "{closed}");
}

#[tokio::test]
async fn operations_per_connection_and_connections_per_address_are_capped() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            settings.http.max_socket_operations = 2;
            settings.http.max_websockets_per_address = 2;
        })
        .spawn()
        .await
        .expect("SQLite");
    let (mut socket, _) = open(&app, "graphql-transport-ws", json!({})).await;
    let watch = "subscription { catalogChanged { revision } }";
    for id in ["1", "2"] {
        send(
            &mut socket,
            json!({"id": id, "type": "subscribe", "payload": {"query": watch}}),
        )
        .await;
    }
    send(
        &mut socket,
        json!({"id": "3", "type": "subscribe", "payload": {"query": "{ __typename }"}}),
    )
    .await;
    let error = first_error(&mut socket, "3").await;
    assert_eq!(error["extensions"]["code"], "OPERATION_LIMIT", "{error}");
    // Ending one frees its place.
    send(&mut socket, json!({"id": "1", "type": "complete"})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    send(
        &mut socket,
        json!({"id": "4", "type": "subscribe", "payload": {"query": "{ __typename }"}}),
    )
    .await;
    let answer = loop {
        let answer = next(&mut socket).await;
        if answer["id"] == "4" {
            break answer;
        }
    };
    assert_eq!(answer["payload"]["data"]["__typename"], "Query", "{answer}");

    let (_second, ack) = open(&app, "graphql-transport-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack");
    let url = format!("{}/graphql", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().expect("a request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 429);
        }
        other => panic!("a third socket from one address: {:?}", other.map(|_| ())),
    }
}

/// Opens a `graphql-transport-ws` socket, sends `messages`, and gives the close code.
async fn closed_after(app: &TestApp, init: bool, messages: &[Value]) -> Value {
    let (mut socket, ack) = if init {
        open(app, "graphql-transport-ws", json!({})).await
    } else {
        let url = format!("{}/graphql", app.address.replace("http://", "ws://"));
        let mut request = url.into_client_request().expect("a request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().expect("header"),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("connects");
        (socket, json!({"type": "connection_ack"}))
    };
    assert_eq!(ack["type"], "connection_ack");
    for message in messages {
        send(&mut socket, message.clone()).await;
    }
    loop {
        let answer = next(&mut socket).await;
        if answer.get("closed").is_some() {
            return answer["closed"].clone();
        }
    }
}

#[tokio::test]
async fn close_codes_follow_graphql_transport_ws() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let watch = json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { catalogChanged { revision } }"}});
    let cases = [
        (
            "a message that is not one",
            true,
            vec![json!({"type": "nonsense"})],
            4400,
        ),
        (
            "subscribe before connection_init",
            false,
            vec![watch.clone()],
            4401,
        ),
        (
            "a second connection_init",
            true,
            vec![json!({"type": "connection_init"})],
            4429,
        ),
        (
            "a subscriber ID in use",
            true,
            vec![watch.clone(), watch.clone()],
            4409,
        ),
    ];
    for (case, init, messages, code) in cases {
        assert_eq!(closed_after(&app, init, &messages).await, code, "{case}");
    }
}

/// A query over a socket is answered as over HTTP: a refused cost says by how much, a failed
/// field nulls what the specification says, the root fields come in the query's order.
#[tokio::test]
async fn queries_over_a_socket_are_answered_as_over_http() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let (mut socket, _) = open(&app, "graphql-transport-ws", json!({})).await;
    let costly = "{ roles(first: 50) { nodes { skills(first: 50) { nodes { roles(first: 50) { nodes { \
                  skills(first: 50) { nodes { roles(first: 50) { nodes { slug } } } } } } } } } } }";
    let over_http = app.post(json!({ "query": costly })).await;
    send(
        &mut socket,
        json!({"id": "1", "type": "subscribe", "payload": {"query": costly}}),
    )
    .await;
    let answer = next(&mut socket).await;
    let error = if answer["type"] == "error" {
        answer["payload"][0].clone()
    } else {
        answer["payload"]["errors"][0].clone()
    };
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{error}");
    assert!(error["extensions"]["cost"].as_u64().is_some(), "{error}");
    assert_eq!(error["extensions"], over_http["errors"][0]["extensions"]);

    let failing = "{ b: catalog { revision } a: roles(first: 1000) { totalCount } }";
    let over_http = app.post(json!({ "query": failing })).await;
    send(
        &mut socket,
        json!({"id": "2", "type": "subscribe", "payload": {"query": failing}}),
    )
    .await;
    let answer = loop {
        let answer = next(&mut socket).await;
        if answer["id"] == "2" && answer["type"] == "next" {
            break answer;
        }
    };
    assert_eq!(answer["payload"]["data"], over_http["data"], "{answer}");
}
