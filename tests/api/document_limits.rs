//! The document limits: a document's length, tokens, and the selections, aliases and
//! directives it expands to are measured before async-graphql walks it, on every way in.
//! A fragment bomb (fragments that each spread the next twice) expands to 2^depth fields from
//! a kilobyte: at depth 40 no walk of the expanded tree could ever end, so an answer at all
//! shows that it was measured without one.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Backend, TestApp};
use crate::subscriptions::{next, open, send};

/// Fragments `F0` … `F{depth}`, each spreading the next twice, the last selecting `leaf`.
fn fragment_bomb(depth: usize, leaf: &str) -> String {
    let mut query = String::from("query Bomb { ...F0 }\n");
    for level in 0..depth {
        let next = level + 1;
        query.push_str(&format!(
            "fragment F{level} on Query {{ ...F{next} ...F{next} }}\n"
        ));
    }
    query.push_str(&format!("fragment F{depth} on Query {{ {leaf} }}\n"));
    query
}

/// Checks that `error` refuses the document for `measure`, with its count and the limit.
fn assert_too_large(error: &Value, measure: &str, count: Option<u64>, case: &str) {
    assert_eq!(
        error["extensions"]["code"], "QUERY_TOO_LARGE",
        "{case}: {error}"
    );
    assert_eq!(error["extensions"]["measure"], measure, "{case}: {error}");
    if let Some(count) = count {
        assert_eq!(error["extensions"]["count"], count, "{case}: {error}");
    }
    assert!(
        error["extensions"]["limit"].as_u64().is_some(),
        "{case}: {error}"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("limit"))
    );
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The first error of a GET of `query`, after checking its status.
async fn get_error(app: &TestApp, query: &str) -> Value {
    let url = url::Url::parse_with_params(&format!("{}/graphql", app.address), [("query", query)])
        .expect("a URL");
    let response = app
        .client
        .get(url)
        .header("accept", "application/graphql-response+json")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400, "refused before it runs");
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let body: Value = response.json().await.expect("JSON");
    assert!(body.get("data").is_none(), "{body}");
    body["errors"][0].clone()
}

#[tokio::test]
async fn fragment_bombs_are_refused_on_every_way_in() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    for depth in [24_usize, 40] {
        for leaf in ["__typename", "roles { totalCount }"] {
            let bomb = fragment_bomb(depth, leaf);
            let fields_per_leaf = if leaf == "__typename" { 1 } else { 2 };
            let count = Some(fields_per_leaf << depth);
            let case = format!("depth {depth}, leaf {leaf}");

            let posted = app.post(json!({ "query": bomb })).await;
            assert_too_large(&posted["errors"][0], "selections", count, &case);
            assert!(posted.get("data").is_none(), "{case}: nothing ran");

            assert_too_large(&get_error(&app, &bomb).await, "selections", count, &case);

            let batch = app
                .post(json!([{ "query": "{ __typename }" }, { "query": bomb }]))
                .await;
            assert_eq!(batch[0]["data"]["__typename"], "Query", "{case}: {batch}");
            assert_too_large(&batch[1]["errors"][0], "selections", count, &case);

            let hash = sha256_hex(&bomb);
            let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
            let persisted = app
                .post(json!({ "query": bomb, "extensions": extensions }))
                .await;
            assert_too_large(&persisted["errors"][0], "selections", count, &case);

            let (mut socket, ack) = open(&app, "graphql-transport-ws", json!({})).await;
            assert_eq!(ack["type"], "connection_ack");
            let subscribe = json!({"id": "1", "type": "subscribe", "payload": {"query": bomb}});
            send(&mut socket, subscribe).await;
            let answer = next(&mut socket).await;
            let error = if answer["type"] == "error" {
                answer["payload"][0].clone()
            } else {
                answer["payload"]["errors"][0].clone()
            };
            assert_too_large(&error, "selections", count, &case);
        }
    }
    // The server is as responsive as before.
    let health = app.get("/health").await;
    assert_eq!(health.status().as_u16(), 200);
    app.assert_still_answers().await;
}

#[tokio::test]
async fn every_document_limit_refuses_with_its_measure() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let aliases: String = (0..201).map(|i| format!("a{i}: __typename ")).collect();
    let directives = "__typename @include(if: true) ".repeat(201);
    let tokens = format!("{{ __typename {} }}", "@skip(if: false) ".repeat(4_000));
    let long = format!("{{ __typename }}\n#{}", "x".repeat(100_000));
    let long_string = format!(r#"{{ role(slug: "{}") {{ name }} }}"#, "x".repeat(200_000));
    let cases = [
        ("201 aliases", format!("{{ {aliases} }}"), "aliases"),
        (
            "201 directives",
            format!("{{ {directives} }}"),
            "directives",
        ),
        ("20,000 tokens", tokens, "tokens"),
        ("100 kB of comment", long, "bytes"),
        ("a 200 kB slug", long_string, "bytes"),
    ];
    for (case, query, measure) in cases {
        let answer = app.post(json!({ "query": query })).await;
        assert_too_large(&answer["errors"][0], measure, None, case);
    }
    // Just inside every limit: answered.
    let aliases: String = (0..200).map(|i| format!("a{i}: __typename ")).collect();
    let data = app.data(&format!("{{ {aliases} }}")).await;
    assert_eq!(data["a199"], "Query");
    // What the API says its limits are.
    let limits = app
        .data("{ limits { maxDocumentBytes maxTokens maxSelections maxAliases maxDirectives } }")
        .await;
    assert_eq!(
        limits["limits"],
        json!({
            "maxDocumentBytes": 100_000,
            "maxTokens": 20_000,
            "maxSelections": 5_000,
            "maxAliases": 200,
            "maxDirectives": 200,
        })
    );
}

/// The introspection query GraphiQL and graphql-codegen send (graphql-js 16, every option on)
/// passes the limits with room to spare.
#[tokio::test]
async fn the_introspection_query_of_real_clients_is_answered() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let query = include_str!("../fixtures/documents/introspection.graphql");
    let data = app.data(query).await;
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
}
