//! The items of lists (nodes and edges) answer their plain fields without async-graphql's
//! per-field futures (`src/graphql/plain.rs`). These tests hold that path to what a client
//! expects: the query's field order, aliases, `__typename`, fragments, and errors in a nested
//! field reported at the right path.

use serde_json::{Value, json};

use crate::helpers::{TestApp, backend_tests};

fn text(value: &Value) -> String {
    serde_json::to_string(value).expect("JSON")
}

async fn fields_come_in_the_query_order(app: &TestApp) {
    let query = r#"{ roles(first: 1) { nodes {
        slug kind: __typename name
        skills(first: 2) { edges { level node { slug title: name id } importance cursor } }
    } } }"#;
    let answer = app.post_text(json!({ "query": query })).await;
    let parsed: Value = serde_json::from_str(&answer).expect("JSON");
    let role = &parsed["data"]["roles"]["nodes"][0];
    assert_eq!(role["kind"], "Role");
    let edges = role["skills"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 2);
    // The whole answer, with every object's keys in the order the query asked for them.
    let edges: Vec<String> = edges
        .iter()
        .map(|edge| {
            let node = &edge["node"];
            format!(
                r#"{{"level":{},"node":{{"slug":{},"title":{},"id":{}}},"importance":{},"cursor":{}}}"#,
                text(&edge["level"]),
                text(&node["slug"]),
                text(&node["title"]),
                text(&node["id"]),
                text(&edge["importance"]),
                text(&edge["cursor"]),
            )
        })
        .collect();
    let expected = format!(
        r#"{{"data":{{"roles":{{"nodes":[{{"slug":{},"kind":"Role","name":{},"skills":{{"edges":[{}]}}}}]}}}}}}"#,
        text(&role["slug"]),
        text(&role["name"]),
        edges.join(",")
    );
    assert_eq!(answer, expected);
    assert!(
        role["name"].as_str().is_some_and(|name| !name.is_empty()),
        "{answer}"
    );
}

async fn fragments_and_repeated_fields_are_merged(app: &TestApp) {
    let data = app
        .data(
            r#"{ roles(first: 2) { nodes {
                slug ... on Role { name } ...roleId
                skills(first: 1) { nodes { slug } }
                skills(first: 1) { nodes { name } }
            } } }
            fragment roleId on Node { id }"#,
        )
        .await;
    let plain = app
        .data("{ roles(first: 2) { nodes { slug name id skills(first: 1) { nodes { slug name } } } } }")
        .await;
    assert_eq!(data, plain);
    let first = &data["roles"]["nodes"][0];
    for field in ["slug", "name", "id"] {
        assert!(first[field].is_string(), "{field} missing: {data:#}");
    }
    assert!(first["skills"]["nodes"][0]["name"].is_string(), "{data:#}");
    assert!(first["skills"]["nodes"][0]["slug"].is_string(), "{data:#}");
}

async fn a_failing_nested_field_is_reported_at_its_path(app: &TestApp) {
    let response = app
        .post(json!({
            "query": "{ roles(first: 2) { nodes { slug skills(first: -1) { totalCount } } } }"
        }))
        .await;
    let errors = response["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{response:#}");
    for (at, error) in errors.iter().enumerate() {
        assert_eq!(error["path"], json!(["roles", "nodes", at, "skills"]));
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    }
    // The other fields of the items are still answered.
    let nodes = response["data"]["roles"]["nodes"]
        .as_array()
        .expect("nodes");
    assert_eq!(nodes.len(), 2);
    assert!(nodes.iter().all(|node| node["slug"].is_string()));
}

backend_tests!(
    fields_come_in_the_query_order,
    fragments_and_repeated_fields_are_merged,
    a_failing_nested_field_is_reported_at_its_path,
);
