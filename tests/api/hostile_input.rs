//! Malformed and abusive requests: each is answered quickly with a 4xx or a GraphQL error
//! carrying `extensions.code`, never a 5xx, a hang or a crash.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{TestApp, backend_tests};

/// What the server answered: the status and, when the body is JSON, the body.
async fn send(app: &TestApp, content_type: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let started = Instant::now();
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", content_type)
        .body(body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("an answer, not a hang");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered quickly"
    );
    (status, body)
}

/// Asserts a 4xx, or a 200 whose GraphQL errors all carry a code.
fn refused(case: &str, (status, body): (u16, Value)) {
    assert!(status < 500, "{case}: status {status}, {body}");
    if status == 200 {
        let errors = body["errors"].as_array().cloned().unwrap_or_default();
        assert!(!errors.is_empty(), "{case}: should be an error: {body}");
        for error in errors {
            assert!(
                error["extensions"]["code"].is_string(),
                "{case}: no code: {error}"
            );
        }
    }
}

async fn malformed_bodies(app: &TestApp) {
    refused(
        "malformed JSON",
        send(app, "application/json", "{\"query\": ").await,
    );
    refused("empty body", send(app, "application/json", "").await);
    refused(
        "not an object",
        send(app, "application/json", "[1, 2]").await,
    );
    refused(
        "query is a number",
        send(app, "application/json", r#"{"query": 42}"#).await,
    );
    refused(
        "variables are a string",
        send(
            app,
            "application/json",
            r#"{"query": "{ roles { totalCount } }", "variables": "x"}"#,
        )
        .await,
    );
    refused("no query", send(app, "application/json", "{}").await);
    let operations = vec![json!({ "query": "{ roles { totalCount } }" }); 10_000];
    let (status, body) = send(app, "application/json", json!(operations).to_string()).await;
    assert_eq!(status, 400, "a batch of 10,000 operations: {body}");
    // A NUL byte in a slug names no node; in a search it is refused.
    let (status, body) = send(
        app,
        "application/json",
        "{\"query\": \"{ role(slug: \\\"a\\u0000b\\\") { name } }\"}",
    )
    .await;
    assert_eq!(
        (status, &body["data"]["role"]),
        (200, &Value::Null),
        "{body}"
    );
    refused(
        "NUL bytes in a search",
        send(
            app,
            "application/json",
            "{\"query\": \"{ roles(filter: { search: \\\"a\\u0000b\\\" }) { totalCount } }\"}",
        )
        .await,
    );
    refused(
        "binary garbage",
        send(app, "application/json", vec![0xff, 0xfe, 0x00, 0x01]).await,
    );
}

async fn abusive_documents(app: &TestApp) {
    let deep = format!(
        "{}{}",
        "{ roles { nodes { skills { nodes { roles { nodes { ".repeat(150),
        "}".repeat(1000)
    );
    refused(
        "depth 1000",
        send(
            app,
            "application/json",
            json!({ "query": deep }).to_string(),
        )
        .await,
    );

    let aliases: String = (0..5000)
        .map(|i| format!("a{i}: roles {{ totalCount }} "))
        .collect();
    let query = format!("{{ {aliases} }}");
    refused(
        "5000 aliases",
        send(
            app,
            "application/json",
            json!({ "query": query }).to_string(),
        )
        .await,
    );

    let cycle = "query { roles { ...A } } fragment A on RoleConnection { ...B } fragment B on RoleConnection { ...A }";
    refused(
        "fragment cycle",
        send(
            app,
            "application/json",
            json!({ "query": cycle }).to_string(),
        )
        .await,
    );

    let introspection = format!(
        "{{ __schema {{ types {{ {} name {} }} }} }}",
        "fields { type { ofType { ".repeat(30),
        "} } }".repeat(30)
    );
    refused(
        "deep introspection",
        send(
            app,
            "application/json",
            json!({ "query": introspection }).to_string(),
        )
        .await,
    );

    let huge_slug = "x".repeat(500_000);
    let query = format!(r#"{{ role(slug: "{huge_slug}") {{ name }} }}"#);
    let (status, body) = send(
        app,
        "application/json",
        json!({ "query": query }).to_string(),
    )
    .await;
    assert!(status < 500, "megabyte string: {status}");
    if status == 200 {
        assert_eq!(body["data"]["role"], Value::Null, "an unknown slug is null");
    }

    let query = "query($n: Int) { roles(first: $n) { totalCount } }";
    refused(
        "wrong variable type",
        send(
            app,
            "application/json",
            json!({ "query": query, "variables": { "n": "ten" } }).to_string(),
        )
        .await,
    );
    refused(
        "huge first",
        send(
            app,
            "application/json",
            json!({ "query": "{ roles(first: 2147483647) { totalCount } }" }).to_string(),
        )
        .await,
    );

    // After all of that, the server still answers.
    let data = app.data("{ roles { totalCount } }").await;
    assert!(data["roles"]["totalCount"].as_i64().unwrap() > 0);
}

backend_tests!(malformed_bodies, abusive_documents);
