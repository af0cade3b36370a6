//! What a key protects stays protected: answers to keyed requests are never for shared
//! caches, a server that needs keys for reads has no side door, persisted queries are
//! remembered only for requests that were admitted and validated, and rate limits count the
//! work a request asks for, not the request.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use skillgraph::keys::Scope;

use crate::helpers::{Backend, TestApp};

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A GET of `path` with `Authorization: Bearer <key>` when a key is given.
async fn get(app: &TestApp, path: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request.send().await.expect("an answer")
}

fn header<'r>(response: &'r reqwest::Response, name: &str) -> &'r str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

const READ: &str = "/graphql?query=%7B%20roles%20%7B%20totalCount%20%7D%20%7D";
const CHANGES: &str =
    "/graphql?query=%7B%20changes%20%7B%20pageInfo%20%7B%20hasNextPage%20%7D%20%7D%20%7D";

#[tokio::test]
async fn keyed_answers_are_never_public() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let anonymous = get(&app, READ, None).await;
    assert_eq!(anonymous.status(), StatusCode::OK);
    assert!(header(&anonymous, "cache-control").starts_with("public"));
    assert!(header(&anonymous, "vary").contains("authorization"));

    let admin = app.key("auditor", Scope::Admin).await;
    for path in [READ, CHANGES] {
        let keyed = get(&app, path, Some(&admin)).await;
        assert_eq!(keyed.status(), StatusCode::OK, "{path}");
        let cache_control = header(&keyed, "cache-control").to_owned();
        assert!(
            cache_control.starts_with("private"),
            "{path}: {cache_control}"
        );
        assert!(!cache_control.contains("public"), "{path}: {cache_control}");
        assert!(header(&keyed, "vary").contains("authorization"));
        let body: Value = keyed.json().await.expect("JSON");
        assert!(body.get("errors").is_none(), "{body}");
    }
    // Errors, and a persisted query the server has not seen, are kept by no cache.
    let hash = sha256_hex("{ roles { totalCount } }");
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let path = format!("/graphql?extensions={}", urlencode(&extensions.to_string()));
    let miss = get(&app, &path, None).await;
    assert_eq!(header(&miss, "cache-control"), "no-store");
    let oversized = urlencode("{ changes(first: 101) { pageInfo { hasNextPage } } }");
    let refused = get(&app, &format!("/graphql?query={oversized}"), None).await;
    assert_eq!(header(&refused, "cache-control"), "no-store");
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn a_server_that_needs_keys_for_reads_has_no_side_door() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            settings.http.require_key_for_reads = true;
        })
        .spawn()
        .await
        .expect("SQLite");
    let reader = app.key("reader", Scope::Write).await;
    let admin = app.key("operator", Scope::Admin).await;
    let doors = [
        ("/roles/backend-developer/roadmap.svg", Some(&reader)),
        ("/schema.graphql", Some(&reader)),
        ("/metrics", Some(&admin)),
        (READ, Some(&reader)),
    ];
    for (path, key) in doors {
        let anonymous = get(&app, path, None).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert!(header(&anonymous, "www-authenticate").starts_with("Bearer"));
        let body: Value = anonymous.json().await.expect("a JSON error");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        let keyed = get(&app, path, key.map(String::as_str)).await;
        assert_eq!(keyed.status(), StatusCode::OK, "{path}");
        assert!(
            !header(&keyed, "cache-control").contains("public"),
            "{path}"
        );
    }
    // Metrics are the operator's: a key without the admin scope may not read them.
    let forbidden = get(&app, "/metrics", Some(&reader)).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    // The IDE pages hold no data: they stay open.
    assert_eq!(get(&app, "/", None).await.status(), StatusCode::OK);

    // An anonymous POST is refused, and its persisted document is not remembered.
    let document = "{ skills { totalCount } }";
    let hash = sha256_hex(document);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": document, "extensions": extensions }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (_, by_hash) = app
        .post_as(&reader, json!({ "extensions": extensions }))
        .await;
    assert_eq!(
        by_hash["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{by_hash}"
    );
}

#[tokio::test]
async fn only_valid_documents_are_remembered_as_persisted_queries() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let by_hash = |document: &str| {
        let hash = sha256_hex(document);
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } })
    };
    let with_document = |document: &str| {
        let mut body = by_hash(document);
        body["query"] = json!(document);
        body
    };
    for invalid in [
        "{ noSuchField }",
        "{ roles { ",
        "{ roles(first: \"ten\") { totalCount } }",
    ] {
        let refused = app.post(with_document(invalid)).await;
        assert!(refused.get("errors").is_some(), "{invalid}: {refused}");
        let again = app.post(by_hash(invalid)).await;
        assert_eq!(
            again["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
            "{invalid} must not be remembered: {again}"
        );
    }
    let valid = "{ tools { totalCount } }";
    app.post(with_document(valid)).await;
    let again = app.post(by_hash(valid)).await;
    let catalog = skillgraph::catalog::built_in().expect("the built-in catalog");
    assert_eq!(
        again["data"]["tools"]["totalCount"],
        catalog.tools.len(),
        "{again}"
    );
}

#[tokio::test]
async fn the_write_limit_counts_root_mutation_fields() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            settings.http.write_rate = 1;
            settings.http.write_burst = 5;
        })
        .spawn()
        .await
        .expect("SQLite");
    let key = app.key("bulk", Scope::Write).await;
    let creates = |from: usize, to: usize| -> String {
        let fields: String = (from..to)
            .map(|n| {
                format!(
                    "t{n}: createTool(input: {{slug: \"bulk-{n}\", name: \"Bulk {n}\", category: OTHER}}) {{ revision }} "
                )
            })
            .collect();
        format!("mutation {{ {fields} }}")
    };
    // More writes than the burst in one document: refused whole, nothing written.
    let (status, body) = app.post_as(&key, json!({ "query": creates(0, 300) })).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    let count = app
        .data("{ tools(filter: {search: \"bulk\"}) { totalCount } }")
        .await;
    assert_eq!(count["tools"]["totalCount"], 0);
    // Four writes fit; the next two do not (one token is left).
    let (status, body) = app.post_as(&key, json!({ "query": creates(0, 4) })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.post_as(&key, json!({ "query": creates(4, 6) })).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("retry"))
    );
}

#[tokio::test]
async fn an_optional_read_limit_counts_operations() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            settings.http.read_rate = 1;
            settings.http.read_burst = 3;
        })
        .spawn()
        .await
        .expect("SQLite");
    let batch: Vec<Value> = (0..3)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let answer = app.post(json!(batch)).await;
    assert_eq!(answer[2]["data"]["__typename"], "Query", "{answer}");
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!header(&response, "retry-after").is_empty());
}
