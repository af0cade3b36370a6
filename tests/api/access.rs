//! Who may write: API keys, scopes, revoked keys, the rate limit, and the browser rules that
//! keep another origin from writing with a user's credentials.

use reqwest::StatusCode;
use serde_json::json;
use skillgraph::keys::{self, Scope};

use crate::helpers::{TestApp, backend_tests};

backend_tests!(
    mutations_need_a_key_in_force,
    scopes_decide_what_a_key_may_do,
    mutations_are_refused_over_get_and_form_posts,
);

pub(crate) const RENAME: &str =
    r#"mutation { updateSkill(input: {skill: "caching", name: "Caching 2"}) { revision } }"#;

pub(crate) async fn post_with(
    app: &TestApp,
    authorization: Option<&str>,
    query: &str,
) -> (StatusCode, reqwest::header::HeaderMap, serde_json::Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query }));
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.expect("request sent");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.json().await.expect("JSON");
    (status, headers, body)
}

async fn mutations_need_a_key_in_force(app: &TestApp) {
    let key = app.key("editor", Scope::Write).await;
    for authorization in [
        None,
        Some("Bearer sgk_0123456789abcdef_notarealsecret".to_owned()),
        Some(format!("Basic {key}")),
        Some(format!("Bearer {key}x")),
    ] {
        let (status, headers, body) = post_with(app, authorization.as_deref(), RENAME).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{authorization:?}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        assert!(headers.contains_key("www-authenticate"));
        assert!(body.get("data").is_none(), "nothing ran");
    }
    let (status, _, body) = post_with(app, Some(&format!("Bearer {key}")), RENAME).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["updateSkill"]["revision"], 1);

    assert!(keys::revoke(&app.db, "editor").await.expect("revoke"));
    let (status, _, body) = post_with(app, Some(&format!("Bearer {key}")), RENAME).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked key: {body}");
    // Reads stay open, but a bad key is refused even for them.
    let (status, _, _) = post_with(app, None, "{ roles { totalCount } }").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = post_with(
        app,
        Some(&format!("Bearer {key}")),
        "{ roles { totalCount } }",
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Only the hash is stored.
    let stored = keys::list(&app.db).await.expect("list");
    assert!(
        stored
            .iter()
            .all(|model| !key.contains(&model.hash) && model.hash.len() == 64)
    );
}

async fn scopes_decide_what_a_key_may_do(app: &TestApp) {
    let writer = app.key("writer", Scope::Write).await;
    let admin = app.key("admin", Scope::Admin).await;
    let (_, _, body) = post_with(app, Some(&format!("Bearer {writer}")), RENAME).await;
    assert_eq!(
        body["data"]["updateSkill"]["revision"], 1,
        "a write key may write"
    );
    let rename_again =
        r#"mutation { updateSkill(input: {skill: "caching", name: "Caching 3"}) { revision } }"#;
    let (_, _, body) = post_with(app, Some(&format!("Bearer {admin}")), rename_again).await;
    assert_eq!(
        body["data"]["updateSkill"]["revision"], 2,
        "admin may write"
    );
    // The log is public; only an admin key sees which key made each change.
    let log = "{ changes { edges { node { revision keyName } } } }";
    let hidden = json!([{"node": {"revision": 1, "keyName": null}},
                        {"node": {"revision": 2, "keyName": null}}]);
    for authorization in [None, Some(format!("Bearer {writer}"))] {
        let (status, _, body) = post_with(app, authorization.as_deref(), log).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.get("errors").is_none(), "{body}");
        assert_eq!(
            body["data"]["changes"]["edges"], hidden,
            "{authorization:?}"
        );
    }
    let (_, _, body) = post_with(app, Some(&format!("Bearer {admin}")), log).await;
    assert_eq!(
        body["data"]["changes"]["edges"],
        json!([{"node": {"revision": 1, "keyName": "writer"}},
               {"node": {"revision": 2, "keyName": "admin"}}])
    );
}

async fn mutations_are_refused_over_get_and_form_posts(app: &TestApp) {
    let key = app.key("editor", Scope::Write).await;
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", RENAME)])
        .bearer_auth(&key)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    for content_type in [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/plain",
    ] {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("content-type", content_type)
            .bearer_auth(&key)
            .body(json!({ "query": RENAME }).to_string())
            .send()
            .await
            .expect("sent");
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
    }
    // A key in the query string or a cookie is no key.
    let response = app
        .client
        .post(format!(
            "{}/graphql?authorization=Bearer%20{key}",
            app.address
        ))
        .header("cookie", format!("authorization=Bearer {key}"))
        .json(&json!({ "query": RENAME }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let data = app
        .data(r#"{ skill(slug: "caching") { name } catalog { revision } }"#)
        .await;
    assert_eq!(
        data,
        json!({"skill": {"name": "Caching"}, "catalog": {"revision": 0}})
    );
}
