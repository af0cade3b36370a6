//! The items of lists (nodes and edges) answer their plain fields without async-graphql's
//! per-field futures (`src/graphql/engine/fast_lists.rs`). These tests hold that path to what a client
//! expects: the query's field order, aliases, `__typename`, fragments, and errors in a nested
//! field reported at the right path.

use serde_json::{Value, json};

use skillgraph::graphql::ListResolution;

use crate::helpers::{Backend, TestApp, backend_tests};

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
    // `skills`, `Role` in `[Role!]!`, `nodes` and `roles` are all non-null: the null reaches
    // `data` itself, as the specification says.
    assert_eq!(response["data"], Value::Null, "{response:#}");
}

/// A failed field's null goes up to the nearest parent that may be null, and no further; no
/// key is ever missing from an object.
async fn failed_fields_answer_null_at_the_nearest_nullable_parent(app: &TestApp) {
    // `role(slug:)` may be null: it takes the null; its sibling is untouched.
    let response = app
        .post(json!({ "query": r#"{
            role(slug: "backend-developer") { name skills(first: -1) { totalCount } }
            other: role(slug: "frontend-developer") { name }
        }"# }))
        .await;
    assert_eq!(
        response["data"],
        json!({ "role": null, "other": { "name": "Frontend Developer" } }),
        "{response:#}"
    );
    assert_eq!(response["errors"][0]["path"], json!(["role", "skills"]));

    // The items of `nodes(ids:)` may be null: each failed item is null, the list stays.
    let ids = app.data("{ roles(first: 2) { nodes { id } } }").await["roles"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["id"].clone())
        .collect::<Vec<_>>();
    let response = app
        .post(json!({
            "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Role {                       renamed: skills(first: -1) { totalCount } } } }",
            "variables": { "ids": ids },
        }))
        .await;
    assert_eq!(
        response["data"],
        json!({ "nodes": [null, null] }),
        "{response:#}"
    );
    assert_eq!(
        response["errors"][1]["path"],
        json!(["nodes", 1, "renamed"]),
        "{response:#}"
    );

    // A failed field inside a fragment, under an alias, in list items on a nullable parent.
    let response = app
        .post(json!({ "query": r#"{
            skill(slug: "database-management") { children(first: 2) { nodes { ...Broken } } }
        }
        fragment Broken on Skill { slug tree: descendants(maxDepth: 99) { depth } }"# }))
        .await;
    assert_eq!(response["data"], json!({ "skill": null }), "{response:#}");
}

backend_tests!(
    fields_come_in_the_query_order,
    fragments_and_repeated_fields_are_merged,
    a_failing_nested_field_is_reported_at_its_path,
    failed_fields_answer_null_at_the_nearest_nullable_parent,
    both_list_resolutions_answer_alike,
    every_object_answers_in_the_query_order,
);

/// The list fast path can be turned off (`--fast-lists false`): every list is then resolved
/// by async-graphql alone. Both must give the same answers, errors included.
async fn both_list_resolutions_answer_alike(app: &TestApp) {
    let backend = if app.db.conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let generic = TestApp::builder(backend)
        .settings(|settings| {
            settings.lists = ListResolution::Generic;
        })
        .spawn()
        .await
        .expect("the same backend as the fast app");
    let corpus: &[(&str, Value)] = &[
        (
            "{ roles(first: 3) { nodes { id slug name description __typename } } }",
            json!({}),
        ),
        (
            "{ roles(first: 2) { edges { c: cursor n: node { a: name b: slug t: __typename } } } }",
            json!({}),
        ),
        (
            "{ roles(first: 2) { nodes { ...R } } } fragment R on Role { name \
             skills(first: 2) { edges { importance level node { ... on Skill { slug } } } } }",
            json!({}),
        ),
        (
            "query($x: Boolean!) { roles(first: 2) { nodes { name @include(if: $x) \
             slug @skip(if: $x) id } } }",
            json!({ "x": true }),
        ),
        (
            "query($x: Boolean!) { roles(first: 2) { nodes { name @include(if: $x) \
             slug @skip(if: $x) id } } }",
            json!({ "x": false }),
        ),
        (
            r#"{ role(slug: "backend-developer") { skills(first: 5) { edges { importance
               level cursor node { name languages(first: 3) { nodes { name
               frameworks(first: 2) { nodes { name language { slug } } } } } } } } } }"#,
            json!({}),
        ),
        (
            r#"{ skill(slug: "database-management") { children { nodes { name parent { slug }
               prerequisites { slug } descendants(maxDepth: 2) { depth parentSlug
               skill { slug } } } } } }"#,
            json!({}),
        ),
        (
            "{ roles(first: 2) { nodes { name name n: name } } }",
            json!({}),
        ),
        (
            "{ roles(first: 2) { nodes { slug skills(first: -1) { totalCount } } } }",
            json!({}),
        ),
        (
            r#"{ skill(slug: "database-management") { children(first: 2) { nodes { slug
               descendants(maxDepth: 99) { depth } } } } }"#,
            json!({}),
        ),
        (
            "{ tools(first: 3) { nodes { name category roles(first: 1) { edges { importance \
             node { slug } } } } } languages(first: 2) { nodes { slug frameworks { totalCount \
             pageInfo { hasNextPage } } } } }",
            json!({}),
        ),
    ];
    for (query, variables) in corpus {
        let body = json!({ "query": query, "variables": variables });
        let fast = app.post(body.clone()).await;
        let slow = generic.post(body).await;
        assert_eq!(fast, slow, "{query}");
        assert!(
            fast["data"].is_object() || fast["errors"].is_array(),
            "{query}: {fast:#}"
        );
    }
}

/// Every object of an answer, not only list items, lists its fields in the order the query
/// asked for them, as the GraphQL specification says; a field that waits for a statement
/// (`totalCount`, `hasPreviousPage`) keeps its place.
async fn every_object_answers_in_the_query_order(app: &TestApp) {
    let query = r#"{
        b: role(slug: "backend-developer") {
            skills(first: 2) {
                totalCount
                pageInfo { hasPreviousPage endCursor hasNextPage }
                edges { node { languages(first: 1) { totalCount nodes { name } } slug } }
            }
            name
        }
        a: roles(first: 1) { totalCount nodes { slug } }
    }"#;
    let text = app.post_text(json!({ "query": query })).await;
    let markers = [
        r#"{"data":{"b":{"skills":{"totalCount":"#,
        r#""pageInfo":{"hasPreviousPage":false,"endCursor":"#,
        r#""hasNextPage":true},"edges":[{"node":{"languages":{"totalCount":"#,
        r#""nodes":[{"name":"#,
        r#"]},"slug":"#,
        r#""name":"Backend Developer"},"a":{"totalCount":"#,
        r#""nodes":[{"slug":"#,
    ];
    let mut from = 0;
    for marker in markers {
        let at = text[from..]
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} not in order in {text}"));
        from += at + marker.len();
    }
}
