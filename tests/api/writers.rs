//! Writes under load: the rate limit, and concurrent writers that must not lose updates.

use reqwest::StatusCode;
use serde_json::json;
use skillgraph::keys::Scope;

use crate::access::{RENAME, post_with};
use crate::helpers::{Backend, TestApp, per_backend};

per_backend!(
    writes_are_rate_limited,
    reads_may_require_a_key,
    concurrent_writers_lose_no_update
);

async fn writes_are_rate_limited(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .settings(|settings| {
            settings.http.write_rate = 1;
            settings.http.write_burst = 2;
        })
        .spawn()
        .await
    else {
        return;
    };
    let key = app.key("busy", Scope::Write).await;
    for _ in 0..2 {
        let (status, _, _) = post_with(&app, Some(&format!("Bearer {key}")), RENAME).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = post_with(&app, Some(&format!("Bearer {key}")), RENAME).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    let retry: u64 = headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=2).contains(&retry), "{retry}");
    // Reads are not limited.
    let (status, _, _) = post_with(
        &app,
        Some(&format!("Bearer {key}")),
        "{ roles { totalCount } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Another key from the same address is limited by the address.
    let other = app.key("other", Scope::Write).await;
    let (status, _, _) = post_with(&app, Some(&format!("Bearer {other}")), RENAME).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, _, _) = post_with(&app, Some(&format!("Bearer {key}")), RENAME).await;
    assert_eq!(status, StatusCode::OK, "the bucket refills");
}

async fn reads_may_require_a_key(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .settings(|settings| {
            settings.http.require_key_for_reads = true;
        })
        .spawn()
        .await
    else {
        return;
    };
    let (status, _, body) = post_with(&app, None, "{ roles { totalCount } }").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let key = app.key("reader", Scope::Write).await;
    let (status, _, body) = post_with(
        &app,
        Some(&format!("Bearer {key}")),
        "{ roles { totalCount } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["roles"]["totalCount"], 5);
}

/// Eight writers each add their mark to one skill's description five times, by reading it,
/// appending, and writing it back with the version they read, retrying on `CONFLICT`. No
/// mark may be lost.
async fn concurrent_writers_lose_no_update(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .settings(|settings| {
            settings.http.write_rate = 0;
        })
        .spawn()
        .await
    else {
        return;
    };
    let key = app.key("racer", Scope::Write).await;
    app.write(
        &key,
        r#"mutation { updateSkill(input: {skill: "caching", description: ""}) { revision } }"#,
    )
    .await;
    let app = std::sync::Arc::new(app);
    let mut writers = Vec::new();
    for writer in 0..8 {
        let (app, key) = (app.clone(), key.clone());
        writers.push(tokio::spawn(async move {
            let mut conflicts = 0;
            for round in 0..5 {
                loop {
                    let read = app.data(r#"{ skill(slug: "caching") { description version } }"#).await;
                    let description = read["skill"]["description"].as_str().unwrap_or_default();
                    let version = read["skill"]["version"].as_i64().unwrap_or_default();
                    let next = format!("{description}[{writer}.{round}]");
                    let (_, response) = app
                        .post_as(
                            &key,
                            json!({"query": "mutation($d: String, $v: Int) { updateSkill(input: {skill: \"caching\", description: $d, expectedVersion: $v}) { revision } }",
                                   "variables": {"d": next, "v": version}}),
                        )
                        .await;
                    match response["errors"][0]["extensions"]["code"].as_str() {
                        None => break,
                        Some("CONFLICT") => conflicts += 1,
                        Some(other) => panic!("writer {writer}: {other}: {response}"),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for writer in writers {
        conflicts += writer.await.expect("writer finished");
    }
    let read = app
        .data(r#"{ skill(slug: "caching") { description version } catalog { revision } }"#)
        .await;
    let description = read["skill"]["description"].as_str().expect("text");
    for writer in 0..8 {
        for round in 0..5 {
            assert!(
                description.contains(&format!("[{writer}.{round}]")),
                "lost [{writer}.{round}]: {description}"
            );
        }
    }
    assert_eq!(description.matches('[').count(), 40);
    assert_eq!(
        read["catalog"]["revision"], 41,
        "one revision per write that succeeded"
    );
    eprintln!("{backend:?}: {conflicts} conflicts were retried");
}
