//! Client mistakes become GraphQL errors with an `extensions.code`, and leak nothing.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_snapshot, backend_tests};
use crate::subscriptions;

fn code(error: &serde_json::Value) -> &str {
    error["extensions"]["code"].as_str().unwrap_or("<no code>")
}

/// The first error of the answer to `query`; the whole answer joins `answers`.
async fn first_error(app: &TestApp, answers: &mut Vec<Value>, query: &str) -> Value {
    let response = app.post(json!({ "query": query })).await;
    first_error_of(answers, response)
}

/// The first error of `response`, which must have one; the whole response joins `answers`,
/// whose snapshot pins every error list (messages, locations, paths, extensions) and the data
/// beside it.
fn first_error_of(answers: &mut Vec<Value>, response: Value) -> Value {
    let first = response["errors"][0].clone();
    assert!(first.is_object(), "an error: {response:#}");
    answers.push(response);
    first
}

async fn malformed_queries_have_codes(app: &TestApp) {
    let mut answers = Vec::new();
    let error = first_error(app, &mut answers, "{ role(slug: ").await;
    assert_eq!(code(&error), "GRAPHQL_PARSE_FAILED", "{error}");

    let error = first_error(
        app,
        &mut answers,
        "{ role(slug: \"backend-developer\") { salary } }",
    )
    .await;
    assert_eq!(code(&error), "GRAPHQL_VALIDATION_FAILED", "{error}");

    let error = first_error(
        app,
        &mut answers,
        "{ roles(first: \"ten\") { totalCount } }",
    )
    .await;
    assert_eq!(code(&error), "GRAPHQL_VALIDATION_FAILED", "{error}");

    let response = app
        .post(json!({
            "query": "query($n: Int) { roles(first: $n) { totalCount } }",
            "variables": { "n": "many" },
        }))
        .await;
    let error = first_error_of(&mut answers, response);
    assert_eq!(code(&error), "GRAPHQL_VALIDATION_FAILED", "{error}");
    assert_snapshot("errors_malformed_queries", &Value::Array(answers));
}

async fn page_sizes_are_checked(app: &TestApp) {
    let mut answers = Vec::new();
    for first in ["101", "1000", "-1"] {
        let query = format!("{{ roles(first: {first}) {{ totalCount }} }}");
        let error = first_error(app, &mut answers, &query).await;
        assert_eq!(code(&error), "BAD_USER_INPUT", "{error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("100"), "names the limit: {message}");
    }
    let error = first_error(
        app,
        &mut answers,
        r#"{ role(slug: "backend-developer") { skills(first: 500) { totalCount } } }"#,
    )
    .await;
    assert_eq!(code(&error), "BAD_USER_INPUT", "{error}");
    assert_eq!(error["path"], json!(["role", "skills"]));
    assert_snapshot("errors_page_sizes", &Value::Array(answers));
}

async fn bad_cursors_and_ids_are_refused(app: &TestApp) {
    let mut answers = Vec::new();
    for cursor in ["garbage!", "", "cDox"] {
        // `cDox` is a valid position cursor, but `roles` is ordered by slug.
        let query = format!(r#"{{ roles(after: "{cursor}") {{ totalCount }} }}"#);
        let error = first_error(app, &mut answers, &query).await;
        assert_eq!(code(&error), "BAD_USER_INPUT", "{cursor}: {error}");
    }
    let error = first_error(app, &mut answers, r#"{ node(id: "not-an-id") { id } }"#).await;
    assert_eq!(code(&error), "BAD_USER_INPUT", "{error}");
    let error = first_error(
        app,
        &mut answers,
        r#"{ skill(slug: "security") { descendants(maxDepth: -1) { depth } } }"#,
    )
    .await;
    assert_eq!(code(&error), "BAD_USER_INPUT", "{error}");
    let error = first_error(
        app,
        &mut answers,
        r#"{ skill(slug: "security") { descendants(maxDepth: 1000) { depth } } }"#,
    )
    .await;
    assert_eq!(code(&error), "BAD_USER_INPUT", "{error}");
    assert!(error["message"].as_str().unwrap().contains("16"), "{error}");
    assert_snapshot("errors_bad_cursors_and_ids", &Value::Array(answers));
}

async fn errors_leave_the_rest_of_the_answer(app: &TestApp) {
    // `role` may be null: a failure inside it leaves its siblings as they are.
    let nullable = app
        .post(json!({
            "query": r#"{ ok: role(slug: "backend-developer") { name }
                bad: role(slug: "frontend-developer") { skills(first: 1000) { totalCount } } }"#,
        }))
        .await;
    assert_eq!(nullable["data"]["ok"]["name"], "Backend Developer");
    assert_eq!(nullable["data"]["bad"], Value::Null, "{nullable}");
    assert_eq!(nullable["errors"].as_array().map(Vec::len), Some(1));
    assert_eq!(code(&nullable["errors"][0]), "BAD_USER_INPUT");
    // `roles` may not be null: its failure makes the whole `data` null, as the GraphQL
    // specification says.
    let response = app
        .post(json!({
            "query": r#"{ ok: role(slug: "backend-developer") { name } bad: roles(first: 1000) { totalCount } }"#,
        }))
        .await;
    assert_eq!(response["data"], Value::Null, "{response}");
    assert_eq!(response["errors"].as_array().map(Vec::len), Some(1));
    assert_eq!(response["errors"][0]["path"], json!(["bad"]));
    assert_eq!(code(&response["errors"][0]), "BAD_USER_INPUT");
    let text = response.to_string().to_lowercase();
    assert!(!text.contains("select"), "no SQL in answers: {text}");
    assert_snapshot("errors_beside_data", &json!([nullable, response]));
}

async fn deep_and_costly_queries_are_refused(app: &TestApp) {
    let mut deep = String::from(r#"{ skill(slug: "security") { "#);
    for _ in 0..25 {
        deep.push_str("parent { ");
    }
    deep.push_str("slug");
    deep.push_str(&" }".repeat(25));
    deep.push_str(" } }");
    let mut answers = Vec::new();
    let error = first_error(app, &mut answers, &deep).await;
    assert_eq!(code(&error), "QUERY_TOO_DEEP", "{error}");
    // The error says how deep the query is and what the limit is.
    let depth = error["extensions"]["depth"].as_u64().expect("the depth");
    assert!(depth > 20, "{error}");
    assert_eq!(error["extensions"]["limit"], 20, "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(&format!("nests {depth} levels")) && message.contains("limit of 20"));

    let costly = r#"{ skills(first: 100) { nodes { roles(first: 100) { nodes {
        skills(first: 100) { nodes { languages(first: 100) { nodes { slug
        frameworks(first: 100) { nodes { slug } } } } } } } } } } }"#;
    let error = first_error(app, &mut answers, costly).await;
    assert_eq!(code(&error), "QUERY_TOO_COMPLEX", "{error}");
    // By the documented rule, with the catalog's lists (60 skills; at most 4 roles per skill,
    // 49 skills per role, 7 languages per skill, 4 frameworks per language): frameworks
    // 1 + 4 × 2 = 9, languages 1 + 7 × (1 + 1 + 9) = 78, skills 1 + 49 × (1 + 78) = 3,872,
    // roles 1 + 4 × (1 + 3,872) = 15,493, and the root 100 + 1 + 60 × (1 + 15,493).
    assert_eq!(error["extensions"]["cost"], 929_741, "{error}");
    assert_eq!(error["extensions"]["limit"], 200_000, "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("929741") && message.contains("200000"),
        "{message}"
    );
    assert_snapshot("errors_deep_and_costly", &Value::Array(answers));

    // The same shape with modest pages is fine.
    app.data(
        r#"{ roles(first: 10) { nodes { skills(first: 10) { nodes {
        languages(first: 10) { nodes { slug } } } } } } }"#,
    )
    .await;
}

/// What GraphiQL, codegen and schema-diff tools send first.
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}"#;

async fn introspection_passes_the_limits(app: &TestApp) {
    let data = app.data(INTROSPECTION).await;
    // Every type the schema defines, and besides them only GraphQL's own.
    let introspected: BTreeSet<&str> = data["__schema"]["types"]
        .as_array()
        .expect("types")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .filter(|name| !name.starts_with("__"))
        .filter(|name| !["String", "Int", "Float", "Boolean", "ID"].contains(name))
        .collect();
    let defined: BTreeSet<&str> = include_str!("../../schema.graphql")
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            match words.next()? {
                "type" | "enum" | "input" | "interface" | "scalar" | "union" => words.next(),
                _ => None,
            }
        })
        .collect();
    assert!(defined.contains("RoleSkillEdge"), "{defined:?}");
    assert_eq!(introspected, defined);
}

backend_tests!(
    malformed_queries_have_codes,
    page_sizes_are_checked,
    bad_cursors_and_ids_are_refused,
    errors_leave_the_rest_of_the_answer,
    deep_and_costly_queries_are_refused,
    introspection_passes_the_limits,
    readme_examples_run_within_the_default_limits,
    a_realistic_frontend_query_is_not_refused,
);

/// Every example query in the README runs, within the default limits, without an error;
/// a subscription runs over WebSocket and must deliver the change a mutation then makes to
/// Backend Developer.
async fn readme_examples_run_within_the_default_limits(app: &TestApp) {
    let key = app.key("readme", skillgraph::keys::Scope::Write).await;
    let readme = include_str!("../../README.md");
    let examples: Vec<&str> = readme
        .split("```graphql")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .collect();
    assert!(examples.len() >= 3, "the README shows example queries");
    for example in examples {
        if example.trim_start().starts_with("subscription") {
            let (mut socket, _) = subscriptions::open(app, "graphql-transport-ws", json!({})).await;
            let subscribe = json!({"id": "1", "type": "subscribe", "payload": {"query": example}});
            subscriptions::send(&mut socket, subscribe).await;
            subscriptions::settle().await;
            let change = r#"mutation { updateRole(input: {role: "backend-developer", name: "Backend Developer"}) { revision } }"#;
            app.write(&key, change).await;
            let event = subscriptions::next(&mut socket).await;
            assert_eq!(event["type"], "next", "{example}\n{event:#}");
            assert!(
                event["payload"].get("errors").is_none(),
                "{example}\n{event:#}"
            );
            continue;
        }
        let response = app.post(json!({ "query": example })).await;
        assert!(response.get("errors").is_none(), "{example}\n{response:#}");
        assert!(response["data"].is_object(), "{example}\n{response:#}");
    }
}

/// What a frontend asks for a role picker with skill trees: all roles, each with its skills,
/// their languages and frameworks, in default pages. Priced by what the lists can hold (a role
/// has at most so many skills, a skill so many languages), it is well within the limit.
async fn a_realistic_frontend_query_is_not_refused(app: &TestApp) {
    let data = app
        .data(
            "{ roles { nodes { name skills { nodes { name languages { nodes { name \
             frameworks { nodes { name } } } } } } } } }",
        )
        .await;
    let roles = data["roles"]["nodes"].as_array().expect("roles");
    let catalog = skillgraph::catalog::built_in().expect("the built-in catalog");
    let page = skillgraph::graphql::Limits::default().default_page_size as usize;
    assert_eq!(roles.len(), catalog.roles.len().min(page), "{data}");
    assert!(roles.iter().all(|role| role["skills"]["nodes"].is_array()));
}
