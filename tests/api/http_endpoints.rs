//! The HTTP surface: GraphQL over POST and GET, the IDEs, the SDL and the probes.

use skillgraph::graphql::Limits;
use skillgraph::http::HttpConfig;

use crate::helpers::{Backend, TestApp, backend_tests};

async fn ides_sdl_and_probes(app: &TestApp) {
    let graphiql = app.get("/").await;
    assert_eq!(graphiql.status(), 200);
    assert!(
        graphiql
            .text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );

    let from_browser = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(
        from_browser
            .text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );

    let playground = app.get("/playground").await;
    assert_eq!(playground.status(), 200);
    assert!(
        playground
            .text()
            .await
            .unwrap()
            .contains("GraphQL Playground")
    );

    let sdl = app.get("/schema.graphql").await.text().await.unwrap();
    assert_eq!(sdl, skillgraph::graphql::sdl());

    assert_eq!(app.get("/health").await.status(), 200);
    let ready = app.get("/ready").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["status"],
        "ready"
    );
}

async fn queries_over_get(app: &TestApp) {
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", r#"{ role(slug: "backend-developer") { name } }"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["role"]["name"], "Backend Developer");
}

async fn every_response_carries_a_request_id(app: &TestApp) {
    let generated = app.get("/health").await;
    let id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let echoed = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-request-id", "client-chosen-42")
        .json(&serde_json::json!({ "query": "{ roles { totalCount } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "client-chosen-42");
}

async fn oversized_bodies_are_refused(app: &TestApp) {
    let padding = "x".repeat(2 * 1024 * 1024);
    let body = serde_json::json!({ "query": format!("{{ roles {{ totalCount }} }} # {padding}") });
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    // The server is fine afterwards.
    app.assert_still_answers().await;
}

async fn no_cors_headers_unless_configured(app: &TestApp) {
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
        .header("origin", "https://example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

async fn metrics_count_requests_errors_and_statements(app: &TestApp) {
    // The recorder is shared by every test of this process: a name of our own keeps the counts
    // exact.
    let operation = format!("Probe{}", uuid::Uuid::new_v4().simple());
    for _ in 0..2 {
        let query = format!("query {operation} {{ roles {{ totalCount }} }}");
        app.post(serde_json::json!({ "query": query })).await;
    }
    let query = format!("query {operation} {{ roles(first: 1000) {{ totalCount }} }}");
    app.post(serde_json::json!({ "query": query })).await;

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let value = |needles: &[&str]| -> Option<f64> {
        text.lines()
            .filter(|line| !line.starts_with('#'))
            .find(|line| needles.iter().all(|needle| line.contains(needle)))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
    };
    let op = format!("operation=\"{operation}\"");
    let requests = "skillgraph_graphql_requests_total{";
    assert_eq!(
        value(&[requests, &op, "outcome=\"ok\""]),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(&[requests, &op, "outcome=\"error\""]),
        Some(1.0),
        "{text}"
    );
    assert!(
        value(&[
            "skillgraph_graphql_errors_total{",
            "code=\"BAD_USER_INPUT\""
        ])
        .unwrap_or(0.0)
            >= 1.0
    );
    assert!(
        value(&["skillgraph_sql_statements_total"]).unwrap_or(0.0) >= 2.0,
        "{text}"
    );
    assert!(
        value(&["skillgraph_db_pool_connections{", "state=\"idle\""]).is_some(),
        "{text}"
    );
    assert!(
        text.contains("skillgraph_graphql_request_duration_seconds_bucket"),
        "{text}"
    );
    for metric in [
        "skillgraph_graphql_requests_total",
        "skillgraph_graphql_request_duration_seconds",
        "skillgraph_graphql_errors_total",
        "skillgraph_sql_statements_total",
        "skillgraph_db_pool_connections",
    ] {
        assert!(
            text.contains(&format!("# HELP {metric} ")),
            "{metric}: {text}"
        );
    }
}

backend_tests!(
    roadmaps_are_svg_diagrams,
    metrics_count_requests_errors_and_statements,
    ides_sdl_and_probes,
    queries_over_get,
    every_response_carries_a_request_id,
    oversized_bodies_are_refused,
    no_cors_headers_unless_configured,
);

#[tokio::test]
async fn configured_origins_may_call_from_a_browser() {
    let http = HttpConfig {
        cors_origins: vec!["https://careers.example".to_owned()],
        ..HttpConfig::default()
    };
    let app = TestApp::builder(Backend::Sqlite)
        .http(http)
        .spawn()
        .await
        .expect("SQLite is always available");
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://careers.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://careers.example"
    );
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn introspection_can_be_turned_off() {
    let limits = Limits {
        introspection: false,
        ..Limits::default()
    };
    let app = TestApp::builder(Backend::Sqlite)
        .limits(limits)
        .spawn()
        .await
        .expect("SQLite is always available");
    let response = app
        .post(serde_json::json!({ "query": "{ __schema { types { name } } }" }))
        .await;
    // The schema is not revealed: `__schema` answers null.
    assert!(response["data"]["__schema"].is_null(), "{response}");
    assert!(
        !response.to_string().contains("RoleSkillEdge"),
        "{response}"
    );
    // Ordinary queries are unaffected.
    let data = app
        .data(r#"{ role(slug: "backend-developer") { name } }"#)
        .await;
    assert_eq!(data["role"]["name"], "Backend Developer");
}

/// The cost of a query is priced with the server's own page sizes, and `Query.limits` tells
/// clients what they are.
#[tokio::test]
async fn costs_follow_the_configured_limits() {
    let limits = Limits {
        default_page_size: 100,
        max_complexity: 500,
        ..Limits::default()
    };
    let app = TestApp::builder(Backend::Sqlite)
        .limits(limits)
        .spawn()
        .await
        .expect("SQLite is always available");
    let data = app
        .data("{ limits { defaultPageSize maxPageSize maxTreeDepth maxQueryDepth maxComplexity } }")
        .await;
    assert_eq!(
        data["limits"],
        serde_json::json!({
            "defaultPageSize": 100,
            "maxPageSize": 100,
            "maxTreeDepth": 16,
            "maxQueryDepth": 20,
            "maxComplexity": 500,
        })
    );
    // The catalog's 5 roles have at most 49 skills each: with pages of 20 this costs
    // 100 + 1 + 5 × (1 + 1 + 20 × 2) = 311; with the configured pages of 100 (cut to the 49
    // skills a role can have), 100 + 1 + 5 × (1 + 1 + 49 × 2) = 601.
    let error = app
        .error("{ roles { nodes { skills { nodes { name } } } } }")
        .await;
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{error}");
    assert_eq!(error["extensions"]["cost"], 601, "{error}");
    // With explicit small pages the same shape is cheap.
    app.data("{ roles(first: 5) { nodes { skills(first: 5) { nodes { name } } } } }")
        .await;
}

/// Operation names are chosen by clients: past a bound, new ones are counted as `other`
/// instead of each becoming a series the server keeps forever.
#[tokio::test]
async fn metrics_keep_a_bounded_set_of_operation_names() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite is always available");
    let run = uuid::Uuid::new_v4().simple().to_string();
    let max = skillgraph::metrics::MAX_OPERATION_LABELS;
    let names: Vec<String> = (0..max + 5).map(|i| format!("Flood{run}N{i}")).collect();
    for name in &names {
        let query = format!("query {name} {{ limits {{ maxPageSize }} }}");
        app.data(&query).await;
    }
    let text = app.get("/metrics").await.text().await.unwrap();
    let kept = names
        .iter()
        .filter(|name| text.contains(&format!("operation=\"{name}\"")))
        .count();
    assert_eq!(kept, max, "the first {max} names are kept");
    assert!(!text.contains(&format!("operation=\"{}\"", names[max])));
    let other: f64 = text
        .lines()
        .find(|line| {
            line.starts_with("skillgraph_graphql_requests_total{")
                && line.contains("operation=\"other\"")
                && line.contains("outcome=\"ok\"")
        })
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0.0);
    assert!(other >= 5.0, "{text}");
}

/// The IDE pages load everything from this server: every script and stylesheet they name is
/// served here, with a long cache lifetime for the versioned vendored files.
#[tokio::test]
async fn ide_pages_load_only_assets_of_this_server() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite is always available");
    for page in ["/", "/playground", "/explore"] {
        let html = app.get(page).await.text().await.unwrap();
        assert!(
            !html.contains("//cdn") && !html.contains("https://"),
            "{page}: {html}"
        );
        let referenced: Vec<&str> = html
            .split(['"', '\''])
            .filter(|part| part.starts_with("/assets/"))
            .collect();
        assert!(!referenced.is_empty(), "{page}: {referenced:?}");
        for path in referenced {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap();
            assert!(body.len() > 100, "{path}");
            let content_type = headers["content-type"].to_str().unwrap();
            assert!(
                ["text/javascript", "text/css", "image/png"]
                    .iter()
                    .any(|ty| content_type.starts_with(ty)),
                "{path}: {content_type}"
            );
            let cache = headers["cache-control"].to_str().unwrap();
            if path.starts_with("/assets/skillgraph/") {
                assert!(cache.contains("max-age=300"), "{path}: {cache}");
            } else {
                assert!(cache.contains("immutable"), "{path}: {cache}");
            }
        }
    }
    assert_eq!(app.get("/assets/nothing.js").await.status(), 404);
    assert_eq!(app.get("/assets/../Cargo.toml").await.status(), 404);
}

/// A role's roadmap is an SVG diagram at a stable URL: every skill of the role is drawn, with
/// an arrow for each area → part and each prerequisite among them.
async fn roadmaps_are_svg_diagrams(app: &TestApp) {
    let response = app.get("/roles/backend-developer/roadmap.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let svg = response.text().await.unwrap();
    assert!(
        svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
        "{svg}"
    );
    let data = app
        .data(r#"{ role(slug: "backend-developer") { skills(first: 100) { totalCount nodes { name } } } }"#)
        .await;
    let skills = data["role"]["skills"]["nodes"].as_array().unwrap();
    assert_eq!(
        Some(skills.len() as u64),
        data["role"]["skills"]["totalCount"].as_u64()
    );
    for skill in skills {
        let name = skill["name"]
            .as_str()
            .unwrap()
            .replace('&', "&amp;")
            .replace('<', "&lt;");
        assert!(svg.contains(&name), "{name} is not drawn");
    }
    assert!(svg.matches("<rect").count() >= skills.len());
    assert_eq!(
        app.get("/roles/no-such-role/roadmap.svg").await.status(),
        404
    );
    assert_eq!(
        app.get("/roles/Not%20A%20Slug/roadmap.svg").await.status(),
        404
    );
}
