//! The HTTP surface: GraphQL over POST and GET, the IDEs, the SDL and the probes.

use crate::helpers::{TestApp, backend_tests};

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

backend_tests!(ides_sdl_and_probes, queries_over_get);
