//! GraphQL over HTTP: media types and status codes as the specification gives them.

use serde_json::Value;

use crate::helpers::{TestApp, backend_tests};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// POSTs `query` with the given `Accept` (if any); returns status, content type and body.
async fn post(app: &TestApp, accept: Option<&str>, query: &str) -> (u16, String, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&serde_json::json!({ "query": query }));
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
}

backend_tests!(
    graphql_response_json_uses_status_codes,
    application_json_is_always_200,
    unusable_requests_get_4xx,
);
