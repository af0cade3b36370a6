//! The operations of a batch share one cost allowance, as one request would: a batch of ten
//! large pages costs no more than one request may.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};
use skillgraph::graphql::Limits;

/// Roles, their skills and those skills' roles: a few thousand on the built-in catalog.
const PAGES: &str = "{ roles(first: 50) { nodes { skills(first: 50) { nodes { slug \
                     roles(first: 20) { nodes { slug } } } } } } }";

const SMALL: &str = "{ roles(first: 2) { nodes { slug } } }";

fn code(error: &Value) -> &str {
    error["extensions"]["code"].as_str().unwrap_or("<no code>")
}

fn limits(max_complexity: usize) -> Limits {
    Limits {
        max_complexity,
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_batch_shares_one_allowance() {
    // What the large query costs, from the refusal of a server that admits almost nothing.
    let measuring = TestApp::builder(Backend::Sqlite)
        .limits(limits(1))
        .spawn()
        .await
        .expect("SQLite");
    let refused = measuring.error(PAGES).await;
    assert_eq!(code(&refused), "QUERY_TOO_COMPLEX", "{refused}");
    let cost = refused["extensions"]["cost"].as_u64().expect("the cost");
    assert!(cost > 1_000, "a large query: {refused}");
    drop(measuring);

    // A limit that admits the query once, but not twice.
    let limit = cost + cost / 2;
    let app = TestApp::builder(Backend::Sqlite)
        .limits(limits(limit as usize))
        .spawn()
        .await
        .expect("SQLite");
    let alone = app.post(json!({ "query": PAGES })).await;
    assert!(alone.get("errors").is_none(), "alone it runs: {alone}");

    let batch = app
        .post(json!([{ "query": PAGES }, { "query": PAGES }, { "query": SMALL }]))
        .await;
    let answers = batch.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 3, "{batch}");
    assert_eq!(answers[0], alone, "the first runs as it would alone");
    let error = &answers[1]["errors"][0];
    assert_eq!(code(error), "QUERY_TOO_COMPLEX", "{batch}");
    assert_eq!(error["extensions"]["cost"], cost, "{error}");
    assert_eq!(error["extensions"]["batchCost"], cost, "{error}");
    assert_eq!(error["extensions"]["limit"], limit, "{error}");
    assert!(
        answers[1].get("data").is_none(),
        "nothing of it ran: {batch}"
    );
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("share one allowance"), "{message}");
    // What is left of the allowance still serves a small operation after it.
    assert!(answers[2].get("errors").is_none(), "{batch}");
    assert_eq!(
        answers[2],
        app.post(json!({ "query": SMALL })).await,
        "as alone"
    );

    // An operation refused on its own takes nothing from the others; one that does not
    // validate is refused for that, and takes nothing either.
    let over = "{ a: roles(first: 100) { nodes { skills(first: 100) { nodes { roles(first: 100) \
                { nodes { skills(first: 100) { nodes { slug } } } } } } } } }";
    let batch = app
        .post(json!([{ "query": over }, { "query": "{ nope }" }, { "query": PAGES }]))
        .await;
    let answers = batch.as_array().expect("a batch answer");
    assert_eq!(
        code(&answers[0]["errors"][0]),
        "QUERY_TOO_COMPLEX",
        "{batch}"
    );
    let own_cost = answers[0]["errors"][0]["extensions"]["cost"].as_u64();
    assert!(own_cost.is_some_and(|own| own > limit), "{batch}");
    assert_eq!(
        code(&answers[1]["errors"][0]),
        "GRAPHQL_VALIDATION_FAILED",
        "{batch}"
    );
    assert_eq!(answers[2], alone, "{batch}");
}
