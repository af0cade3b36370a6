//! GraphQL over HTTP: media types and status codes as the specification gives them.

use serde_json::{Value, json};
use skillgraph::http::HttpConfig;

use crate::helpers::{Backend, TestApp, backend_tests};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// POSTs `query` with the given `Accept` (if any); returns status, content type and body.
async fn post(app: &TestApp, accept: Option<&str>, query: &str) -> (u16, String, Value) {
    post_body(app, accept, &json!({ "query": query })).await
}

/// POSTs a JSON body with the given `Accept` (if any); returns status, content type and body.
async fn post_body(app: &TestApp, accept: Option<&str>, body: &Value) -> (u16, String, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (
        status,
        content_type,
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn graphql_response_json_uses_status_codes(app: &TestApp) {
    let accept = Some(GRAPHQL_RESPONSE);
    let (status, content_type, body) = post(app, accept, "{ roles { totalCount } }").await;
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");

    let (status, content_type, body) = post(app, accept, "{ roles {").await;
    assert_eq!(status, 400, "a parse error: {body}");
    assert!(content_type.starts_with(GRAPHQL_RESPONSE));
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_PARSE_FAILED"
    );

    let (status, _, body) = post(app, accept, "{ salaries }").await;
    assert_eq!(status, 400, "a validation error: {body}");

    // A field error is an executed request: 200, with the error beside the data.
    let query = r#"{ ok: role(slug: "php") { name } roles(first: 1000) { totalCount } }"#;
    let (status, _, body) = post(app, accept, query).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

async fn application_json_is_always_200(app: &TestApp) {
    for accept in [Some("application/json"), Some("*/*"), None] {
        let (status, content_type, body) = post(app, accept, "{ roles {").await;
        assert_eq!(status, 200, "{accept:?}: {body}");
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "GRAPHQL_PARSE_FAILED"
        );
    }
}

async fn unusable_requests_get_4xx(app: &TestApp) {
    let (status, _, _) = post(app, Some("text/html"), "{ roles { totalCount } }").await;
    assert_eq!(status, 406);

    let url = format!("{}/graphql", app.address);
    let plain = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body("{ roles { totalCount } }")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 415);

    let broken = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let body: Value = broken.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");

    let mutation = app
        .client
        .get(&url)
        .query(&[("query", "mutation { doSomething }")])
        .send()
        .await
        .unwrap();
    assert_eq!(mutation.status(), 405);
    assert_eq!(mutation.headers()["allow"], "POST");

    // The operation that would run decides, however the document begins.
    let two = "query A { roles { totalCount } } mutation B { doSomething }";
    let disguised = [
        vec![("query", two), ("operationName", "B")],
        vec![("query", "# a comment first\nmutation { doSomething }")],
        vec![("query", "\u{feff}mutation { doSomething }")],
        vec![("query", "subscription { doSomething }")],
    ];
    for params in disguised {
        let response = app.client.get(&url).query(&params).send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        // A document that does not parse is refused as such; one that does is refused as a
        // mutation over GET. Never is it executed.
        let code = body["errors"][0]["extensions"]["code"].as_str();
        assert!(
            status == 405 || code == Some("GRAPHQL_PARSE_FAILED"),
            "{params:?}: {status} {body}"
        );
        assert!(body.get("data").is_none_or(Value::is_null), "{body}");
    }
    let two_queries = "query A { roles { totalCount } } query B { skills { totalCount } }";
    let query_of_two = app
        .client
        .get(&url)
        .query(&[("query", two_queries), ("operationName", "A")])
        .send()
        .await
        .unwrap();
    assert_eq!(query_of_two.status(), 200);
    let body: Value = query_of_two.json().await.unwrap();
    assert!(
        body["data"]["roles"]["totalCount"].as_i64().unwrap() > 0,
        "{body}"
    );
}

/// `Accept` is ranked by quality, not by the order of its ranges.
async fn accept_is_ranked_by_quality(app: &TestApp) {
    let query = "{ roles { totalCount } }";
    let ranked = "application/json;q=0.5, application/graphql-response+json";
    let (status, content_type, _) = post(app, Some(ranked), query).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
    let (_, content_type, _) = post(app, Some("application/json, */*;q=0.1"), query).await;
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let (status, _, _) = post(app, Some("application/json;q=0"), query).await;
    assert_eq!(status, 406);
}

/// Nothing ran, so there is no `data` entry at all (not even `null`), under either media type.
async fn request_errors_have_no_data(app: &TestApp) {
    for accept in [Some(GRAPHQL_RESPONSE), None] {
        for query in ["{ roles {", "{ salaries }"] {
            let (_, _, body) = post(app, accept, query).await;
            assert!(body["errors"].is_array(), "{body}");
            assert!(body.get("data").is_none(), "{accept:?} {query}: {body}");
        }
    }
    // An executed request keeps its `data`, even when a field failed.
    let (_, _, body) = post(app, None, "{ roles(first: 1000) { totalCount } }").await;
    assert_eq!(body["data"], Value::Null, "{body}");
    assert!(body.as_object().unwrap().contains_key("data"), "{body}");
}

/// A body without `query` is not a GraphQL request: 400 whatever the client accepts, with a
/// message naming the parameter.
async fn a_request_without_a_query_is_400(app: &TestApp) {
    for accept in [Some(GRAPHQL_RESPONSE), Some("application/json"), None] {
        let (status, _, body) =
            post_body(app, accept, &json!({ "qeury": "{ roles { totalCount } }" })).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("`query`"), "{message}");
    }
    let (status, _, body) = post_body(
        app,
        None,
        &json!({ "query": "{ roles { totalCount } }", "variables": [1] }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected a map"),
        "{body}"
    );
}

/// GET carries `operationName` and `variables` like POST does.
async fn get_keeps_the_operation_name_and_variables(app: &TestApp) {
    let document =
        "query A { __typename } query B($n: Int) { roles(first: $n) { nodes { slug } } }";
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[
            ("query", document),
            ("operationName", "B"),
            ("variables", r#"{"n": 2}"#),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["data"]["roles"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
}

/// A JSON array is a batch: one answer per operation, in order, each with its own errors.
async fn batches_answer_each_operation_in_order(app: &TestApp) {
    let batch = json!([
        { "query": "{ roles { totalCount } }" },
        { "query": "{ salaries }" },
        { "query": "query ($slug: String!) { language(slug: $slug) { name } }", "variables": { "slug": "python" } },
    ]);
    let (status, content_type, body) = post_body(app, Some(GRAPHQL_RESPONSE), &batch).await;
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with(GRAPHQL_RESPONSE));
    let answers = body.as_array().expect("an array of answers");
    assert_eq!(answers.len(), 3, "{body}");
    assert_eq!(answers[0]["data"]["roles"]["totalCount"], 5);
    assert_eq!(
        answers[1]["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert!(answers[1].get("data").is_none(), "{body}");
    assert_eq!(answers[2]["data"]["language"]["name"], "Python");

    let (status, _, body) = post_body(app, None, &json!([])).await;
    assert_eq!(status, 400, "an empty batch: {body}");
}

backend_tests!(
    accept_is_ranked_by_quality,
    graphql_response_json_uses_status_codes,
    application_json_is_always_200,
    unusable_requests_get_4xx,
    request_errors_have_no_data,
    a_request_without_a_query_is_400,
    get_keeps_the_operation_name_and_variables,
    batches_answer_each_operation_in_order,
);

#[tokio::test]
async fn batches_beyond_the_configured_size_are_refused() {
    let http = HttpConfig {
        max_batch_size: 2,
        ..HttpConfig::default()
    };
    let app = TestApp::builder(Backend::Sqlite)
        .http(http)
        .spawn()
        .await
        .expect("SQLite is always available");
    let operation = json!({ "query": "{ roles { totalCount } }" });
    let (status, _, body) = post_body(&app, None, &json!([operation, operation])).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = post_body(&app, None, &json!([operation, operation, operation])).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("at most 2"), "{message}");
}
