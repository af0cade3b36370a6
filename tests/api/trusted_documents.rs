//! `serve --trusted-documents FILE`: a server given the manifests its clients' build tools
//! write (Apollo's persisted query manifest, graphql-codegen's `persisted-documents.json`)
//! runs the documents they list, named by id or sent as text, and refuses every other one on
//! every way in; admin keys run any document only when the operator allows it; the manifests
//! are read again on SIGHUP, and a bad one never takes the server down.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use skillgraph::keys::Scope;
use skillgraph::startup::{Application, Settings};

use crate::helpers::{Backend, TestApp, per_backend};
use crate::subscriptions::{Socket, next, open, send, settle};

per_backend!(
    listed_documents_run_in_both_formats_and_others_are_refused,
    documents_are_checked_over_websocket_in_both_subprotocols,
    admins_run_any_document_only_when_the_operator_allows_it,
    a_reload_puts_new_manifests_in_force_and_a_bad_one_keeps_the_old,
);

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

const ROLES: &str = "query Roles { roles(first: 2) { nodes { slug } } }";
const TOOLS: &str = "query Tools { tools { totalCount } }";
const CHANGES: &str = "subscription Changes { catalogChanged { revision kind slug } }";
const RENAME: &str = r#"mutation Rename { updateSkill(input: {skill: "caching", name: "Caching, renamed"}) { revision } }"#;
/// A document no manifest lists.
const UNLISTED: &str = "{ skills { totalCount } }";
/// graphql-codegen's id of [`TOOLS`]: a SHA-1 by default, taken as given.
const TOOLS_ID: &str = "b4c3f2a1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5";

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Apollo's manifest of `documents`, each with its SHA-256 as its id, as
/// `generate-persisted-query-manifest` writes it.
fn apollo_manifest(documents: &[(&str, &str, &str)]) -> String {
    let operations: Vec<Value> = documents
        .iter()
        .map(|(name, kind, body)| {
            json!({ "id": sha256_hex(body), "name": name, "type": kind, "body": body })
        })
        .collect();
    json!({ "format": "apollo-persisted-query-manifest", "version": 1, "operations": operations })
        .to_string()
}

/// The manifests of a test, in a folder of their own: Apollo's with [`ROLES`], [`CHANGES`]
/// and [`RENAME`], graphql-codegen's with [`TOOLS`].
struct Manifests {
    folder: tempfile::TempDir,
    apollo: PathBuf,
    codegen: PathBuf,
}

impl Manifests {
    fn write() -> Self {
        let folder = tempfile::tempdir().expect("a folder");
        let apollo = folder.path().join("persisted-query-manifest.json");
        let codegen = folder.path().join("persisted-documents.json");
        let listed = [
            ("Roles", "query", ROLES),
            ("Changes", "subscription", CHANGES),
            ("Rename", "mutation", RENAME),
        ];
        std::fs::write(&apollo, apollo_manifest(&listed)).expect("written");
        std::fs::write(&codegen, json!({ TOOLS_ID: TOOLS }).to_string()).expect("written");
        Manifests {
            folder,
            apollo,
            codegen,
        }
    }

    fn files(&self) -> Vec<PathBuf> {
        vec![self.apollo.clone(), self.codegen.clone()]
    }
}

/// A server running only the documents of `manifests`; `None` when `backend` is not set up.
async fn trusting(
    backend: Backend,
    manifests: &Manifests,
    admin_runs_any_document: bool,
) -> Option<TestApp> {
    TestApp::builder(backend)
        .settings(|settings| {
            settings.trusted_documents = manifests.files();
            settings.admin_runs_any_document = admin_runs_any_document;
        })
        .spawn()
        .await
}

/// POSTs `body` with `Accept` (if given) and a key (if given): the status and the JSON.
async fn post(
    app: &TestApp,
    body: &Value,
    accept: Option<&str>,
    key: Option<&str>,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"));
    (status, json)
}

/// GETs `/graphql` with `params`, as `application/graphql-response+json`, with a key (if
/// given): the status, the `Cache-Control` and the JSON.
async fn get(app: &TestApp, params: &[(&str, &str)], key: Option<&str>) -> (u16, String, Value) {
    let url =
        url::Url::parse_with_params(&format!("{}/graphql", app.address), params).expect("a URL");
    let mut request = app.client.get(url).header("accept", GRAPHQL_RESPONSE);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    let cache_control = response
        .headers()
        .get("cache-control")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, cache_control, response.json().await.expect("JSON"))
}

/// The code of the first error of an answer.
fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

#[track_caller]
fn assert_ran(answer: &Value, case: &str) {
    assert!(
        answer.get("errors").is_none() && answer["data"].is_object(),
        "{case} should run: {answer}"
    );
}

/// A refusal before anything ran: the code, and no `data` entry.
#[track_caller]
fn assert_refused(answer: &Value, expected: &str, case: &str) {
    assert_eq!(code(answer), expected, "{case}: {answer}");
    assert!(
        answer.get("data").is_none(),
        "{case}: nothing ran: {answer}"
    );
}

fn by_hash(id: &str) -> Value {
    json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": id } } })
}

async fn listed_documents_run_in_both_formats_and_others_are_refused(backend: Backend) {
    let manifests = Manifests::write();
    let Some(app) = trusting(backend, &manifests, false).await else {
        return;
    };
    let catalog = skillgraph::catalog::built_in().expect("the built-in catalog");
    let json = Some("application/json");

    // A listed document by the id its manifest gives, Apollo's way and the proposal's.
    let (status, answer) = post(&app, &by_hash(&sha256_hex(ROLES)), json, None).await;
    assert_eq!(status, 200);
    assert_ran(&answer, "Apollo's id");
    assert_eq!(
        answer["data"]["roles"]["nodes"].as_array().map(Vec::len),
        Some(2)
    );
    let (_, answer) = post(&app, &json!({ "documentId": TOOLS_ID }), json, None).await;
    assert_ran(&answer, "graphql-codegen's id");
    assert_eq!(answer["data"]["tools"]["totalCount"], catalog.tools.len());
    // By the SHA-256 of its text, whatever id the manifest gives it; Apollo's link may send a
    // manifest's own id as its hash.
    let sha256_id = format!("sha256:{}", sha256_hex(TOOLS));
    let (_, answer) = post(&app, &json!({ "documentId": sha256_id }), json, None).await;
    assert_ran(&answer, "a sha256: id");
    let (_, answer) = post(&app, &by_hash(TOOLS_ID), json, None).await;
    assert_ran(&answer, "codegen's id as Apollo's hash");
    // By its exact text, with its operation named or not.
    for body in [
        json!({ "query": ROLES }),
        json!({ "query": TOOLS, "operationName": "Tools" }),
    ] {
        let (status, answer) = post(&app, &body, Some(GRAPHQL_RESPONSE), None).await;
        assert_eq!(status, 200, "{answer}");
        assert_ran(&answer, &body.to_string());
    }

    // Anything else is refused before it runs, with the status the audit allows.
    let unlisted = json!({ "query": UNLISTED });
    let (status, answer) = post(&app, &unlisted, json, None).await;
    assert_eq!(status, 200, "application/json: 200 throughout");
    assert_refused(&answer, "UNTRUSTED_DOCUMENT", "unlisted text");
    let (status, answer) = post(&app, &unlisted, Some(GRAPHQL_RESPONSE), None).await;
    assert_eq!(status, 400, "nothing ran: 400 for graphql-response+json");
    assert_refused(&answer, "UNTRUSTED_DOCUMENT", "unlisted text");
    let respaced = json!({ "query": format!("{ROLES} ") });
    let (_, answer) = post(&app, &respaced, json, None).await;
    assert_refused(&answer, "UNTRUSTED_DOCUMENT", "a listed text, respaced");
    let introspection = json!({ "query": "{ __schema { queryType { name } } }" });
    let (_, answer) = post(&app, &introspection, json, None).await;
    assert_refused(&answer, "UNTRUSTED_DOCUMENT", "introspection, not listed");
    for unknown in [
        json!({ "documentId": "not-listed" }),
        json!({ "documentId": format!("sha256:{}", sha256_hex(UNLISTED)) }),
        by_hash(&sha256_hex(UNLISTED)),
    ] {
        let (status, answer) = post(&app, &unknown, json, None).await;
        assert_eq!(status, 200);
        assert_refused(&answer, "PERSISTED_QUERY_NOT_FOUND", &unknown.to_string());
        let (status, answer) = post(&app, &unknown, Some(GRAPHQL_RESPONSE), None).await;
        assert_eq!(status, 400, "{answer}");
    }

    // GET: by id (cacheable), and refusals that no cache keeps.
    let (status, cache_control, answer) = get(&app, &[("documentId", TOOLS_ID)], None).await;
    assert_eq!(status, 200, "{answer}");
    assert_ran(&answer, "GET by documentId");
    assert!(cache_control.starts_with("public"), "{cache_control}");
    let extensions = by_hash(&sha256_hex(ROLES))["extensions"].to_string();
    let (status, _, answer) = get(&app, &[("extensions", &extensions)], None).await;
    assert_eq!(status, 200);
    assert_ran(&answer, "GET by Apollo's id");
    let (status, _, answer) = get(&app, &[("query", ROLES)], None).await;
    assert_eq!(status, 200);
    assert_ran(&answer, "GET by text");
    let (status, cache_control, answer) = get(&app, &[("query", UNLISTED)], None).await;
    assert_eq!(status, 400);
    assert_eq!(cache_control, "no-store");
    assert_refused(&answer, "UNTRUSTED_DOCUMENT", "GET of unlisted text");
    let (status, cache_control, answer) = get(&app, &[("documentId", "not-listed")], None).await;
    assert_eq!(status, 400);
    assert_eq!(cache_control, "no-store");
    assert_refused(&answer, "PERSISTED_QUERY_NOT_FOUND", "GET of an unknown id");

    // A batch answers each operation by itself.
    let batch = json!([
        { "documentId": TOOLS_ID },
        { "query": UNLISTED },
        { "query": ROLES },
        { "documentId": "not-listed" },
    ]);
    let (status, answers) = post(&app, &batch, Some(GRAPHQL_RESPONSE), None).await;
    assert_eq!(status, 200, "{answers}");
    assert_ran(&answers[0], "batch: by id");
    assert_refused(&answers[1], "UNTRUSTED_DOCUMENT", "batch: unlisted");
    assert_ran(&answers[2], "batch: by text");
    assert_refused(
        &answers[3],
        "PERSISTED_QUERY_NOT_FOUND",
        "batch: unknown id",
    );

    // Automatic persisted queries add nothing: an unlisted document sent with its hash is
    // refused and not remembered; a listed one runs.
    let mut register = by_hash(&sha256_hex(UNLISTED));
    register["query"] = json!(UNLISTED);
    let (_, answer) = post(&app, &register, json, None).await;
    assert_refused(
        &answer,
        "UNTRUSTED_DOCUMENT",
        "registering an unlisted document",
    );
    let (_, answer) = post(&app, &by_hash(&sha256_hex(UNLISTED)), json, None).await;
    assert_refused(
        &answer,
        "PERSISTED_QUERY_NOT_FOUND",
        "nothing was remembered",
    );
    let mut listed = by_hash(&sha256_hex(ROLES));
    listed["query"] = json!(ROLES);
    let (_, answer) = post(&app, &listed, json, None).await;
    assert_ran(&answer, "a listed document with its hash");
    let mut mismatched = by_hash(&sha256_hex(ROLES));
    mismatched["query"] = json!(TOOLS);
    let (_, answer) = post(&app, &mismatched, json, None).await;
    assert_refused(&answer, "BAD_REQUEST", "a hash of another document");

    // Hostile ids are refused at their length, without an echo.
    let long = "a".repeat(4096);
    for hostile in [json!({ "documentId": long }), by_hash(&long)] {
        let started = std::time::Instant::now();
        let (status, answer) = post(&app, &hostile, Some(GRAPHQL_RESPONSE), None).await;
        assert_eq!(status, 400);
        assert_refused(&answer, "BAD_REQUEST", "a 4 KB id");
        assert!(answer.to_string().len() < 512, "{answer}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    let both = json!({ "documentId": TOOLS_ID, "query": TOOLS });
    let (_, answer) = post(&app, &both, json, None).await;
    assert_refused(&answer, "BAD_REQUEST", "documentId and query");

    // The IDE pages still load: they hold no documents.
    let page = app
        .client
        .get(format!("{}/", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status().as_u16(), 200);
    drop(manifests);
}

/// The first error of the answer to operation `id` of a socket, in either subprotocol's shape,
/// skipping the messages of other operations.
async fn socket_error(socket: &mut Socket, id: &str) -> Value {
    loop {
        let answer = next(socket).await;
        assert!(
            answer.get("closed").is_none(),
            "the socket stays open: {answer}"
        );
        if answer["id"] != id {
            continue;
        }
        let payload = &answer["payload"];
        return match (payload.get("errors"), payload.as_array()) {
            (Some(errors), _) => errors[0].clone(),
            (None, Some(errors)) => errors[0].clone(),
            (None, None) => payload.clone(),
        };
    }
}

/// The data of the next answer to operation `id`, skipping the messages of others.
async fn socket_data(socket: &mut Socket, id: &str) -> Value {
    loop {
        let answer = next(socket).await;
        assert!(
            answer.get("closed").is_none(),
            "the socket stays open: {answer}"
        );
        if answer["id"] == id {
            let payload = &answer["payload"];
            assert!(payload.get("errors").is_none(), "{id} should run: {answer}");
            assert!(payload["data"].is_object(), "{id} should run: {answer}");
            return payload["data"].clone();
        }
    }
}

fn subscribe(id: &str, payload: Value) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": payload })
}

async fn documents_are_checked_over_websocket_in_both_subprotocols(backend: Backend) {
    let manifests = Manifests::write();
    let Some(app) = trusting(backend, &manifests, false).await else {
        return;
    };
    let (mut socket, ack) = open(&app, "graphql-transport-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");

    send(&mut socket, subscribe("1", json!({ "query": UNLISTED }))).await;
    let error = socket_error(&mut socket, "1").await;
    assert_eq!(error["extensions"]["code"], "UNTRUSTED_DOCUMENT", "{error}");
    let unlisted_subscription = "subscription { catalogChanged { revision } }";
    send(
        &mut socket,
        subscribe("2", json!({ "query": unlisted_subscription })),
    )
    .await;
    let error = socket_error(&mut socket, "2").await;
    assert_eq!(error["extensions"]["code"], "UNTRUSTED_DOCUMENT", "{error}");
    send(
        &mut socket,
        subscribe("3", json!({ "documentId": "not-listed" })),
    )
    .await;
    let error = socket_error(&mut socket, "3").await;
    assert_eq!(
        error["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{error}"
    );

    // Listed documents run, by id or by text.
    let by_id = json!({ "documentId": format!("sha256:{}", sha256_hex(ROLES)) });
    send(&mut socket, subscribe("4", by_id)).await;
    let data = socket_data(&mut socket, "4").await;
    assert_eq!(data["roles"]["nodes"].as_array().map(Vec::len), Some(2));
    send(&mut socket, subscribe("5", json!({ "query": TOOLS }))).await;
    socket_data(&mut socket, "5").await;
    let changes = by_hash(&sha256_hex(CHANGES));
    send(&mut socket, subscribe("6", changes)).await;
    settle().await;
    let writer = app.key("editor", Scope::Write).await;
    let (_, written) = post(&app, &json!({ "query": RENAME }), None, Some(&writer)).await;
    assert_ran(&written, "a listed mutation");
    let event = socket_data(&mut socket, "6").await;
    assert_eq!(event["catalogChanged"]["slug"], "caching", "{event}");

    // The legacy subprotocol is checked the same way.
    let (mut legacy, ack) = open(&app, "graphql-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    let start = |id: &str, payload: Value| json!({ "id": id, "type": "start", "payload": payload });
    send(&mut legacy, start("1", json!({ "query": UNLISTED }))).await;
    let error = socket_error(&mut legacy, "1").await;
    assert_eq!(error["extensions"]["code"], "UNTRUSTED_DOCUMENT", "{error}");
    send(&mut legacy, start("2", json!({ "documentId": TOOLS_ID }))).await;
    socket_data(&mut legacy, "2").await;
    drop(manifests);
}

async fn admins_run_any_document_only_when_the_operator_allows_it(backend: Backend) {
    let manifests = Manifests::write();
    let Some(allowing) = trusting(backend, &manifests, true).await else {
        return;
    };
    let admin = allowing.key("operator", Scope::Admin).await;
    let writer = allowing.key("editor", Scope::Write).await;
    let unlisted = json!({ "query": UNLISTED });
    let (_, answer) = post(&allowing, &unlisted, None, Some(&admin)).await;
    assert_ran(&answer, "an admin's unlisted document");
    let (_, _, answer) = get(&allowing, &[("query", UNLISTED)], Some(&admin)).await;
    assert_ran(&answer, "an admin's unlisted GET");
    let batch = json!([{ "query": UNLISTED }, { "query": "{ tools { totalCount } }" }]);
    let (_, answers) = post(&allowing, &batch, None, Some(&admin)).await;
    assert_ran(&answers[0], "an admin's batch");
    assert_ran(&answers[1], "an admin's batch");
    let own_write = json!({ "query": r#"mutation { updateSkill(input: {skill: "caching", name: "By the operator"}) { revision } }"# });
    let (_, answer) = post(&allowing, &own_write, None, Some(&admin)).await;
    assert_ran(&answer, "an admin's unlisted mutation");
    // Ids still name only listed documents.
    let (_, answer) = post(&allowing, &json!({ "documentId": "x" }), None, Some(&admin)).await;
    assert_refused(
        &answer,
        "PERSISTED_QUERY_NOT_FOUND",
        "an admin's unknown id",
    );

    // A write key, or none, never does.
    for key in [Some(writer.as_str()), None] {
        let (_, answer) = post(&allowing, &unlisted, None, key).await;
        assert_refused(&answer, "UNTRUSTED_DOCUMENT", "not an admin");
    }
    let (_, answer) = post(&allowing, &own_write, None, Some(&writer)).await;
    assert_refused(
        &answer,
        "UNTRUSTED_DOCUMENT",
        "a write key's unlisted mutation",
    );
    let (_, answer) = post(&allowing, &json!({ "query": RENAME }), None, Some(&writer)).await;
    assert_ran(&answer, "a listed mutation with a write key");

    // Over a socket, by the key of its connection_init.
    let init = |key: &str| json!({ "Authorization": format!("Bearer {key}") });
    let (mut socket, ack) = open(&allowing, "graphql-transport-ws", init(&admin)).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    send(&mut socket, subscribe("1", unlisted.clone())).await;
    socket_data(&mut socket, "1").await;
    let (mut socket, ack) = open(&allowing, "graphql-transport-ws", init(&writer)).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    send(&mut socket, subscribe("1", unlisted.clone())).await;
    let error = socket_error(&mut socket, "1").await;
    assert_eq!(error["extensions"]["code"], "UNTRUSTED_DOCUMENT", "{error}");
    // A release's endpoint runs only what is listed too.
    let release = json!({ "query": r#"mutation { createRelease(input: {name: "2026.12"}) { release { name } } }"# });
    let (_, answer) = post(&allowing, &release, None, Some(&admin)).await;
    assert_ran(&answer, "an admin's release");
    let pinned = |body: Value| {
        allowing
            .client
            .post(format!("{}/releases/2026.12/graphql", allowing.address))
            .json(&body)
            .send()
    };
    let answer: Value = pinned(unlisted.clone())
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_refused(
        &answer,
        "UNTRUSTED_DOCUMENT",
        "an unlisted read of a release",
    );
    let by_id = json!({ "documentId": TOOLS_ID });
    let answer: Value = pinned(by_id)
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_ran(&answer, "a listed read of a release");
    drop(allowing);

    // Without the operator's leave, an admin runs only what is listed.
    let Some(strict) = trusting(backend, &manifests, false).await else {
        return;
    };
    let admin = strict.key("operator", Scope::Admin).await;
    let (_, answer) = post(&strict, &unlisted, None, Some(&admin)).await;
    assert_refused(
        &answer,
        "UNTRUSTED_DOCUMENT",
        "an admin without the operator's leave",
    );
    let (_, answer) = post(&strict, &json!({ "query": ROLES }), None, Some(&admin)).await;
    assert_ran(&answer, "a listed document with an admin key");
}

async fn a_reload_puts_new_manifests_in_force_and_a_bad_one_keeps_the_old(backend: Backend) {
    let manifests = Manifests::write();
    let Some(app) = trusting(backend, &manifests, false).await else {
        return;
    };
    let unlisted = json!({ "query": UNLISTED });
    let (_, answer) = post(&app, &unlisted, None, None).await;
    assert_refused(&answer, "UNTRUSTED_DOCUMENT", "before the reload");

    // A new manifest in place of the old: its documents run, the ones it dropped no longer.
    let listed = [("Roles", "query", ROLES), ("Skills", "query", UNLISTED)];
    std::fs::write(&manifests.apollo, apollo_manifest(&listed)).expect("written");
    assert_eq!(
        app.trusted_documents.reload(),
        Ok(3),
        "ROLES, UNLISTED and TOOLS"
    );
    let (_, answer) = post(&app, &unlisted, None, None).await;
    assert_ran(&answer, "listed since the reload");
    let (_, answer) = post(&app, &by_hash(&sha256_hex(UNLISTED)), None, None).await;
    assert_ran(&answer, "by its id since the reload");
    let (_, answer) = post(&app, &json!({ "query": CHANGES }), None, None).await;
    assert_refused(&answer, "UNTRUSTED_DOCUMENT", "dropped by the reload");

    // A manifest that cannot be used, or is gone, leaves the documents before in force.
    let broken: &[(&str, Option<&str>)] = &[
        ("not JSON", Some("{\"format\": ")),
        ("not valid GraphQL", Some(r#"{"x": "{ roles {"}"#)),
        ("cannot be read", None),
    ];
    for (reason, text) in broken {
        match text {
            Some(text) => std::fs::write(&manifests.codegen, text).expect("written"),
            None => std::fs::remove_file(&manifests.codegen).expect("removed"),
        }
        let error = app
            .trusted_documents
            .reload()
            .expect_err("refused")
            .to_string();
        assert!(error.contains(reason), "{error}");
        assert!(
            error.contains(&manifests.codegen.display().to_string()),
            "names the file: {error}"
        );
        let (_, answer) = post(&app, &unlisted, None, None).await;
        assert_ran(&answer, "still listed");
        let (_, answer) = post(&app, &json!({ "documentId": TOOLS_ID }), None, None).await;
        assert_ran(&answer, "still listed");
    }
}

/// Without manifests every document runs, and ids name what automatic persisted queries
/// remembered, on every way in.
#[tokio::test]
async fn without_trusted_documents_ids_name_remembered_documents() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let (_, answer) = post(&app, &json!({ "query": UNLISTED }), None, None).await;
    assert_ran(&answer, "any document");
    let mut register = by_hash(&sha256_hex(TOOLS));
    register["query"] = json!(TOOLS);
    let (_, answer) = post(&app, &register, None, None).await;
    assert_ran(&answer, "a registration");
    let id = format!("sha256:{}", sha256_hex(TOOLS));
    let (_, answer) = post(&app, &json!({ "documentId": id }), None, None).await;
    assert_ran(&answer, "a remembered document by documentId");
    let (status, _, answer) = get(&app, &[("documentId", &id)], None).await;
    assert_eq!(status, 200);
    assert_ran(&answer, "GET by documentId");
    let (_, answer) = post(&app, &json!({ "documentId": TOOLS_ID }), None, None).await;
    assert_refused(&answer, "PERSISTED_QUERY_NOT_FOUND", "an id of no manifest");

    let (mut socket, ack) = open(&app, "graphql-transport-ws", json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    send(&mut socket, subscribe("1", by_hash(&sha256_hex(TOOLS)))).await;
    socket_data(&mut socket, "1").await;
    send(&mut socket, subscribe("2", json!({ "documentId": id }))).await;
    socket_data(&mut socket, "2").await;
}

/// The error `Application::build` gives for the manifests `files`.
async fn build_error(folder: &Path, files: Vec<PathBuf>) -> String {
    let database = folder.join("skillgraph.db");
    let mut settings = Settings::new(format!("sqlite://{}", database.display()));
    settings.trusted_documents = files;
    match Application::build(&settings).await {
        Ok(_) => panic!("built with bad manifests"),
        Err(err) => err.detail(),
    }
}

#[tokio::test]
async fn a_manifest_that_cannot_be_used_stops_the_start_and_names_the_file() {
    let manifests = Manifests::write();
    let folder = manifests.folder.path();
    let write = |name: &str, text: &str| {
        let file = folder.join(name);
        std::fs::write(&file, text).expect("written");
        file
    };
    let missing = folder.join("missing.json");
    let cases = [
        (missing, "cannot be read"),
        (write("text.json", "query { roles }"), "is not JSON"),
        (write("list.json", "[]"), "neither"),
        (
            write("graphql.json", r#"{"id": "{ roles {"}"#),
            "not valid GraphQL",
        ),
        (
            write(
                "version.json",
                r#"{"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}"#,
            ),
            "version 2",
        ),
        (
            write(
                "clash.json",
                &json!({ TOOLS_ID: "{ skills { totalCount } }" }).to_string(),
            ),
            "two different documents",
        ),
    ];
    for (file, reason) in cases {
        let error = build_error(folder, vec![manifests.codegen.clone(), file.clone()]).await;
        assert!(error.contains(&file.display().to_string()), "{error}");
        assert!(error.contains(reason), "{reason}: {error}");
        assert!(!error.contains('\n'), "one line: {error}");
    }
}

/// Runs the binary's `serve` with `args` and `env` on a SQLite file in `folder`, its log to
/// `log`.
fn serve(folder: &Path, args: &[&str], env: &[(&str, String)]) -> std::process::Child {
    let log = std::fs::File::create(folder.join("server.log")).expect("a log file");
    let database = folder.join("skillgraph.db");
    std::process::Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", database.display()))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start skillgraph")
}

/// The server's log so far.
fn log_of(folder: &Path) -> String {
    std::fs::read_to_string(folder.join("server.log")).unwrap_or_default()
}

/// Waits until the log holds `count` lines with `text`.
async fn logged(folder: &Path, text: &str, count: usize) {
    for _ in 0..400 {
        if log_of(folder).matches(text).count() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{text:?} not logged {count} times:\n{}", log_of(folder));
}

/// The process, killed when the test ends however it ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
#[tokio::test]
async fn sighup_reloads_the_manifests_of_a_running_server() {
    let manifests = Manifests::write();
    let folder = manifests.folder.path();
    // The environment's list, comma-separated, as an operator's unit file would give it.
    let files = format!(
        "{},{}",
        manifests.apollo.display(),
        manifests.codegen.display()
    );
    let mut server = Running(serve(
        folder,
        &[],
        &[("SKILLGRAPH_TRUSTED_DOCUMENTS", files)],
    ));
    logged(folder, "database ready", 1).await;
    let log = log_of(folder);
    assert!(
        log.contains("only the 4 documents of 2 manifests run"),
        "{log}"
    );
    let address = log
        .split_once("listening on http://")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .expect("the address")
        .to_owned();
    let client = reqwest::Client::new();
    let ask = |query: &'static str| {
        let request = client
            .post(format!("http://{address}/graphql"))
            .json(&json!({ "query": query }))
            .send();
        async move {
            let answer: Value = request.await.expect("sent").json().await.expect("JSON");
            answer
        }
    };
    assert_refused(&ask(UNLISTED).await, "UNTRUSTED_DOCUMENT", "before SIGHUP");
    assert_ran(&ask(TOOLS).await, "listed");

    let hangup = |pid: u32| {
        let sent = std::process::Command::new("kill")
            .args(["-HUP", &pid.to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
    };
    std::fs::write(&manifests.codegen, json!({ "s": UNLISTED }).to_string()).expect("written");
    hangup(server.0.id());
    logged(
        folder,
        "reloaded the trusted documents: 4 documents of 2 manifests",
        1,
    )
    .await;
    assert_ran(&ask(UNLISTED).await, "listed since SIGHUP");
    assert_refused(&ask(TOOLS).await, "UNTRUSTED_DOCUMENT", "dropped by SIGHUP");

    std::fs::write(&manifests.codegen, "{ not json").expect("written");
    hangup(server.0.id());
    logged(folder, "stay in force", 1).await;
    assert!(log_of(folder).contains(&manifests.codegen.display().to_string()));
    assert_ran(&ask(UNLISTED).await, "still listed");
    assert!(
        server.0.try_wait().expect("a status").is_none(),
        "a bad manifest never ends the server"
    );
}

#[tokio::test]
async fn the_binary_refuses_to_start_on_a_bad_manifest_in_one_line() {
    let manifests = Manifests::write();
    let folder = manifests.folder.path();
    std::fs::write(&manifests.codegen, "[1, 2]").expect("written");
    let codegen = manifests.codegen.display().to_string();
    let mut server = Running(serve(folder, &["--trusted-documents", &codegen], &[]));
    let status = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let Some(status) = server.0.try_wait().expect("a status") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    })
    .await
    .expect("the server stops at once");
    assert!(!status.success());
    let log = log_of(folder);
    let line = log
        .lines()
        .find(|line| line.starts_with("error: "))
        .unwrap_or_else(|| panic!("an error line: {log}"));
    assert!(
        line.contains(&codegen) && line.contains("neither"),
        "{line}"
    );
    assert!(!log.contains("listening on"), "{log}");
}
