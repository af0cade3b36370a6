//! What a browser and a CDN see of read answers: automatic persisted queries keep GET URLs
//! short, GET answers say how long they may be kept and carry an ETag (`If-None-Match` gets
//! `304`), POST answers are not to be stored, and large answers are compressed.

use std::io::Read;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, backend_tests};

const QUERY: &str = "{ roles(first: 2) { nodes { slug } } }";

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn persisted(hash: &str) -> String {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).to_string()
}

async fn get(app: &TestApp, params: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .get(format!("{}/graphql", app.address))
        .query(params)
        .send()
        .await
        .expect("request sent")
}

async fn persisted_queries_are_registered_then_sent_by_hash(app: &TestApp) {
    let hash = sha256_hex(QUERY);
    let extensions = persisted(&hash);
    // Not seen yet: the client is told to send the document.
    let miss: Value = get(app, &[("extensions", &extensions)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        miss["errors"][0]["message"], "PersistedQueryNotFound",
        "{miss}"
    );
    assert_eq!(
        miss["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    assert!(miss.get("data").is_none(), "{miss}");
    // The document with its hash registers it (and is answered).
    let registered = app
        .post(json!({ "query": QUERY, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .await;
    assert_eq!(
        registered["data"]["roles"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // Now the hash alone is enough, over GET: a short URL.
    let hit = get(app, &[("extensions", &extensions)]).await;
    assert_eq!(hit.status(), 200);
    let hit: Value = hit.json().await.unwrap();
    assert_eq!(hit["data"], registered["data"]);
    // A hash that is not the document's is refused.
    let wrong = app
        .post(json!({ "query": "{ skills { totalCount } }", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .await;
    assert_eq!(
        wrong["errors"][0]["extensions"]["code"], "BAD_REQUEST",
        "{wrong}"
    );
    let malformed = app
        .post(json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "abc" } } }))
        .await;
    assert_eq!(
        malformed["errors"][0]["extensions"]["code"], "BAD_REQUEST",
        "{malformed}"
    );
}

async fn get_answers_are_cacheable_and_revalidated(app: &TestApp) {
    let first = get(app, &[("query", QUERY)]).await;
    assert_eq!(first.status(), 200);
    let headers = first.headers().clone();
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(headers["cache-control"], "public, max-age=60");
    assert!(
        headers["vary"]
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("accept")
    );
    let body = first.text().await.unwrap();

    // The same answer again: the same ETag, and 304 without a body when the client has it.
    let again = get(app, &[("query", QUERY)]).await;
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(again.text().await.unwrap(), body);
    let revalidated = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", QUERY)])
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304);
    assert_eq!(revalidated.headers()["etag"].to_str().unwrap(), etag);
    assert!(revalidated.text().await.unwrap().is_empty());

    // Another answer has another ETag, so a stale copy is never revalidated as fresh.
    let other = get(app, &[("query", "{ roles(first: 3) { nodes { slug } } }")]).await;
    assert_ne!(other.headers()["etag"].to_str().unwrap(), etag);
    let stale = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ roles(first: 3) { nodes { slug } } }")])
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);

    // Errors and POST answers are not to be stored.
    let failed = get(app, &[("query", "{ roles(first: 1000) { totalCount } }")]).await;
    assert_eq!(failed.headers()["cache-control"], "no-store");
    assert!(failed.headers().get("etag").is_none());
    let posted = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": QUERY }))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.headers()["cache-control"], "no-store");
    assert!(posted.headers().get("etag").is_none());
}

async fn large_answers_are_compressed(app: &TestApp) {
    let large = "{ skills(first: 100) { nodes { slug name description } } }";
    let plain = app.post_text(json!({ "query": large })).await;
    assert!(plain.len() > 4096, "{}", plain.len());
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-encoding", "gzip")
        .json(&json!({ "query": large }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let compressed = response.bytes().await.unwrap();
    assert!(
        compressed.len() < plain.len() / 2,
        "{} of {}",
        compressed.len(),
        plain.len()
    );
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain);

    // A small answer is sent as it is.
    let small = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-encoding", "gzip")
        .json(&json!({ "query": "{ roles(first: 1) { totalCount } }" }))
        .send()
        .await
        .unwrap();
    assert!(small.headers().get("content-encoding").is_none());
    // And nothing is compressed for a client that does not ask.
    let unasked = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": large }))
        .send()
        .await
        .unwrap();
    assert!(unasked.headers().get("content-encoding").is_none());
}

backend_tests!(
    persisted_queries_are_registered_then_sent_by_hash,
    get_answers_are_cacheable_and_revalidated,
    large_answers_are_compressed,
);
