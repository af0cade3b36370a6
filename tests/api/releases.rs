//! Named releases: made by an admin, read whole over HTTP, compared with each other and with
//! the live graph, and protecting the nodes they hold from deletion, on both backends.

use std::io::Read;

use serde_json::{Value, json};
use skillgraph::keys::Scope;

use crate::helpers::{TestApp, backend_tests};

backend_tests!(
    a_release_is_made_once_by_an_admin_and_its_diff_is_exact,
    a_release_is_served_whole_immutable_and_in_gzip,
    a_node_a_release_holds_is_deprecated_never_deleted,
    the_pinned_api_answers_as_of_its_release_and_refuses_writes,
    releases_survive_an_export_and_an_import,
);

const RELEASE: &str =
    "release { name revision notes counts { roles skills languages frameworks tools } }";

async fn release(app: &TestApp, admin: &str, name: &str) -> Value {
    let done = app
        .write(
            admin,
            &format!(r#"mutation {{ createRelease(input: {{name: "{name}", notes: "Notes of {name}."}}) {{ {RELEASE} }} }}"#),
        )
        .await;
    done["createRelease"]["release"].clone()
}

async fn skill_id(app: &TestApp, slug: &str) -> String {
    let data = app
        .data(&format!(r#"{{ skill(slug: "{slug}") {{ id }} }}"#))
        .await;
    data["skill"]["id"].as_str().unwrap_or_default().to_owned()
}

/// The diff's changes, as `(change, kind, slug, list, target)`, and its `before`/`after`s.
fn changes(diff: &Value) -> Vec<(String, String, String, Value, Value)> {
    diff["changes"]["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .map(|edge| {
                    let n = &edge["node"];
                    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
                    (
                        text(&n["change"]),
                        text(&n["kind"]),
                        text(&n["slug"]),
                        n["list"].clone(),
                        n["target"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn a_release_is_made_once_by_an_admin_and_its_diff_is_exact(app: &TestApp) {
    let admin = app.key("release-manager", Scope::Admin).await;
    let writer = app.key("curator", Scope::Write).await;
    let totals = app
        .data("{ catalog { revision } roles { totalCount } skills { totalCount } languages { totalCount } frameworks { totalCount } tools { totalCount } }")
        .await;
    let first = release(app, &admin, "2026.12").await;
    assert_eq!(
        first,
        json!({"name": "2026.12", "revision": totals["catalog"]["revision"], "notes": "Notes of 2026.12.",
               "counts": {"roles": totals["roles"]["totalCount"], "skills": totals["skills"]["totalCount"],
                          "languages": totals["languages"]["totalCount"], "frameworks": totals["frameworks"]["totalCount"],
                          "tools": totals["tools"]["totalCount"]}})
    );
    // A name is used once; a name must be safe in a path; only an admin makes releases.
    for (key, name, code) in [
        (&admin, "2026.12", "CONFLICT"),
        (&admin, "../etc", "BAD_USER_INPUT"),
        (&admin, "", "BAD_USER_INPUT"),
        (&writer, "2026.99", "FORBIDDEN"),
    ] {
        let error = app
            .write_error(key, &format!(r#"mutation {{ createRelease(input: {{name: "{name}"}}) {{ release {{ name }} }} }}"#))
            .await;
        assert_eq!(error["extensions"]["code"], code, "{name}: {error}");
    }

    app.write(
        &writer,
        &format!(
            r#"mutation {{
              updateSkill(input: {{skill: "caching", description: "Keeping answers close."}}) {{ revision }}
              createSkill(input: {{slug: "edge-caching", name: "Edge caching", parent: "caching"}}) {{ revision }}
              setRoleSkill(input: {{role: "backend-developer", skill: "edge-caching", importance: OPTIONAL, level: BEGINNER}}) {{ revision }}
              deprecateNode(input: {{node: "{}", replacedBy: ["restful-apis"], note: "Folded in."}}) {{ revision }} }}"#,
            skill_id(app, "graphql-apis").await
        ),
    )
    .await;
    release(app, &admin, "2026.13").await;
    let query = |to: &str, page: &str| {
        format!(
            r#"{{ releaseDiff(from: "2026.12"{to}) {{ from to toRevision counts {{ change count }}
                 changes({page}) {{ totalCount pageInfo {{ hasNextPage endCursor }}
                   edges {{ node {{ change kind slug list target before after }} }} }} }} }}"#
        )
    };
    let diff = app.data(&query(r#", to: "2026.13""#, "first: 100")).await["releaseDiff"].clone();
    assert_eq!(
        changes(&diff),
        vec![
            (
                "UPDATED".into(),
                "SKILL".into(),
                "caching".into(),
                Value::Null,
                Value::Null
            ),
            (
                "CREATED".into(),
                "SKILL".into(),
                "edge-caching".into(),
                Value::Null,
                Value::Null
            ),
            (
                "DEPRECATED".into(),
                "SKILL".into(),
                "graphql-apis".into(),
                Value::Null,
                Value::Null
            ),
            (
                "EDGE_ADDED".into(),
                "ROLE".into(),
                "backend-developer".into(),
                json!("skills"),
                json!("edge-caching")
            ),
        ]
    );
    let nodes = &diff["changes"]["edges"];
    assert_eq!(
        nodes[0]["node"]["after"],
        json!({"description": "Keeping answers close."})
    );
    assert!(nodes[0]["node"]["before"]["description"].is_string());
    assert_eq!(nodes[1]["node"]["after"]["parent"], "caching");
    assert_eq!(
        (&nodes[2]["node"]["before"], &nodes[2]["node"]["after"]),
        (
            &json!({"note": null, "replacedBy": []}),
            &json!({"note": "Folded in.", "replacedBy": ["restful-apis"]})
        )
    );
    assert_eq!(nodes[3]["node"]["after"]["importance"], "OPTIONAL");
    assert_eq!(nodes[3]["node"]["after"]["level"], "BEGINNER");
    assert_eq!(nodes[3]["node"]["before"], Value::Null);
    assert_eq!(diff["changes"]["totalCount"], 4);
    assert_eq!(diff["to"], "2026.13");

    // Paged: two and then the rest, the same entries.
    let page = app.data(&query(r#", to: "2026.13""#, "first: 2")).await["releaseDiff"].clone();
    assert_eq!(page["changes"]["pageInfo"]["hasNextPage"], true);
    let cursor = page["changes"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let rest = app
        .data(&query(
            r#", to: "2026.13""#,
            &format!(r#"first: 10, after: "{cursor}""#),
        ))
        .await["releaseDiff"]
        .clone();
    let mut paged = changes(&page);
    paged.extend(changes(&rest));
    assert_eq!(paged, changes(&diff));

    // Against the live graph: the same, and what came since.
    app.write(&writer, r#"mutation { removeRoleSkill(input: {role: "backend-developer", skill: "edge-caching"}) { revision } }"#)
        .await;
    let live = app.data(&query("", "first: 100")).await["releaseDiff"].clone();
    assert_eq!(live["to"], Value::Null);
    let live_changes = changes(&live);
    assert_eq!(live_changes.len(), 3, "{live_changes:?}");
    assert!(!live_changes.iter().any(|c| c.0 == "EDGE_ADDED"));

    let unknown = app.error(r#"{ releaseDiff(from: "nope") { from } }"#).await;
    assert_eq!(unknown["extensions"]["code"], "NOT_FOUND");
    let listed = app.data("{ releases { edges { cursor node { name } } } release(name: \"2026.13\") { name notes } }").await;
    assert_eq!(
        listed,
        json!({"releases": {"edges": [{"cursor": "2026.12", "node": {"name": "2026.12"}},
                                      {"cursor": "2026.13", "node": {"name": "2026.13"}}]},
               "release": {"name": "2026.13", "notes": "Notes of 2026.13."}})
    );
}

async fn a_release_is_served_whole_immutable_and_in_gzip(app: &TestApp) {
    let admin = app.key("release-manager", Scope::Admin).await;
    release(app, &admin, "v1").await;
    let writer = app.key("curator", Scope::Write).await;
    app.write(&writer, r#"mutation { updateSkill(input: {skill: "caching", name: "Caching, later"}) { revision } }"#)
        .await;
    let answer = app.get("/releases/v1.json").await;
    assert_eq!(answer.status(), 200);
    let headers = answer.headers().clone();
    let etag = headers["etag"].to_str().unwrap_or_default().to_owned();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "a strong ETag: {etag}"
    );
    let cache = headers["cache-control"].to_str().unwrap_or_default();
    assert!(
        cache.contains("immutable") && cache.contains("public"),
        "{cache}"
    );
    let body = answer.bytes().await.expect("the body");
    let snapshot: skillgraph::catalog::Catalog =
        serde_json::from_slice(&body).expect("the catalog format");
    let caching = snapshot
        .skills
        .iter()
        .find(|s| s.slug == "caching")
        .expect("caching");
    assert_eq!(
        caching.name, "Caching",
        "the release is the graph as it was"
    );
    let (_, exported) = skillgraph::releases::catalog(&app.db, "v1")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(exported, snapshot, "`export --release` reads the same");

    let again = app
        .client
        .get(format!("{}/releases/v1.json", app.address))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), 304);
    let zipped = app
        .client
        .get(format!("{}/releases/v1.json", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("sent");
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert_ne!(
        zipped.headers()["etag"].to_str().unwrap_or_default(),
        etag,
        "another representation"
    );
    let gzip = zipped.bytes().await.expect("the body");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_end(&mut unzipped)
        .expect("gzip");
    assert_eq!(unzipped, body.to_vec());
    for missing in [
        "/releases/v2.json",
        "/releases/v1",
        "/releases/..%2Fv1.json",
    ] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}

async fn a_node_a_release_holds_is_deprecated_never_deleted(app: &TestApp) {
    let admin = app.key("release-manager", Scope::Admin).await;
    let writer = app.key("curator", Scope::Write).await;
    release(app, &admin, "r1").await;
    app.write(
        &writer,
        r#"mutation { createSkill(input: {slug: "fresh-skill", name: "Fresh"}) { revision } }"#,
    )
    .await;
    let error = app
        .write_error(
            &writer,
            r#"mutation { deleteSkill(input: {skill: "caching", cascade: true}) { deletedSlug } }"#,
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("deprecate it instead"),
        "{error}"
    );
    let deleted = app
        .write(
            &writer,
            r#"mutation { deleteSkill(input: {skill: "fresh-skill"}) { deletedSlug } }"#,
        )
        .await;
    assert_eq!(
        deleted["deleteSkill"]["deletedSlug"], "fresh-skill",
        "no release holds it"
    );
    let still = app.data(r#"{ skill(slug: "caching") { slug } }"#).await;
    assert_eq!(still["skill"]["slug"], "caching");
}

async fn pinned(app: &TestApp, name: &str, body: Value) -> (u16, Value) {
    let answer = app
        .client
        .post(format!("{}/releases/{name}/graphql", app.address))
        .json(&body)
        .send()
        .await
        .expect("sent");
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

async fn the_pinned_api_answers_as_of_its_release_and_refuses_writes(app: &TestApp) {
    let admin = app.key("release-manager", Scope::Admin).await;
    let writer = app.key("curator", Scope::Write).await;
    let made = release(app, &admin, "pinned-1").await;
    let query = r#"{ catalog { revision } skills { totalCount }
        skill(slug: "caching") { name status }
        skillGap(role: "backend-developer", have: [{slug: "caching"}]) { coverage } }"#;
    let live_before = app.data(query).await;
    app.write(
        &writer,
        &format!(
            r#"mutation {{ updateSkill(input: {{skill: "caching", name: "Caching, later"}}) {{ revision }}
                 createSkill(input: {{slug: "later-skill", name: "Later"}}) {{ revision }}
                 deprecateNode(input: {{node: "{}"}}) {{ revision }} }}"#,
            skill_id(app, "caching").await
        ),
    )
    .await;
    let (status, answer) = pinned(app, "pinned-1", json!({"query": query})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"], live_before, "the release answers as it was");
    assert_eq!(answer["data"]["catalog"]["revision"], made["revision"]);
    let live = app.data(query).await;
    assert_eq!(
        live["skill"],
        json!({"name": "Caching, later", "status": "DEPRECATED"})
    );

    // Read-only: a write is refused and changes nothing, there or live.
    let write = json!({"query": r#"mutation { updateSkill(input: {skill: "caching", name: "X"}) { revision } }"#});
    let (_, refused) = pinned(app, "pinned-1", write).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    let (_, again) = pinned(app, "pinned-1", json!({"query": query})).await;
    assert_eq!(again["data"], live_before);
    // GET works as on /graphql; an unknown release is not found.
    let got = app
        .get("/releases/pinned-1/graphql?query=%7B%20skill(slug%3A%20%22caching%22)%20%7B%20name%20%7D%20%7D")
        .await;
    assert_eq!(got.status(), 200);
    let got: Value = got.json().await.expect("json");
    assert_eq!(got["data"]["skill"]["name"], live_before["skill"]["name"]);
    let (status, _) = pinned(
        app,
        "no-such-release",
        json!({"query": "{ catalog { revision } }"}),
    )
    .await;
    assert_eq!(status, 404);
}

/// The diff between the releases `r1` and `r2`, whole.
async fn diff(app: &TestApp) -> Value {
    app.data(r#"{ releaseDiff(from: "r1", to: "r2") { counts { change count } changes(first: 100) { totalCount edges { node { change kind slug list target before after } } } } }"#)
        .await
}

/// Every release's name, revision, time, notes and counts, as `releases` lists them.
async fn listed(app: &TestApp) -> Value {
    app.data("{ releases(first: 100) { edges { node { name revision createdAt notes counts { roles skills } } } } }")
        .await
}

async fn releases_survive_an_export_and_an_import(app: &TestApp) {
    use skillgraph::catalog::{self, Catalog, SeedOutcome};

    let admin = app.key("releaser", Scope::Admin).await;
    let key = app.key("curator", Scope::Write).await;
    release(app, &admin, "r1").await;
    let caching = skill_id(app, "caching").await;
    app.write(
        &key,
        &format!(
            r#"mutation {{ a: createSkill(input: {{slug: "edge-caching", name: "Edge caching"}}) {{ revision }}
               b: deprecateNode(input: {{node: "{caching}", replacedBy: ["edge-caching"]}}) {{ revision }} }}"#
        ),
    )
    .await;
    release(app, &admin, "r2").await;
    app.write(
        &key,
        r#"mutation { updateRole(input: {role: "backend-developer", description: "After r2."}) { revision } }"#,
    )
    .await;
    let (original_list, original_diff) = (listed(app).await, diff(app).await);
    let revision = app.data("{ catalog { revision } }").await["catalog"]["revision"].clone();

    let exported = catalog::export_all(&app.db.conn).await.expect("export");
    assert_eq!(exported.releases.len(), 2);
    assert!(
        exported.releases[0]
            .catalog
            .skills
            .iter()
            .all(|s| s.slug != "edge-caching"),
        "r1 is the graph as it was"
    );
    let (toml, json_text) = (
        exported.to_toml().expect("toml"),
        exported.to_json().expect("json"),
    );
    for (format, text) in [("toml", &toml), ("json", &json_text)] {
        let parse = |text: &str| {
            if format == "json" {
                Catalog::parse_json(text)
            } else {
                Catalog::parse(text)
            }
        };
        let parsed = parse(text).unwrap_or_else(|err| panic!("{format}: {}", err.detail()));
        let Some(database) = crate::helpers::ScratchDatabase::create(app.backend).await else {
            return;
        };
        let db = skillgraph::db::connect(&database.url)
            .await
            .expect("connect");
        skillgraph::db::migrate(&db).await.expect("migrate");

        // A file whose release was edited after the export is refused whole.
        let mut tampered = parsed.clone();
        tampered.releases[1].catalog.roles[0]
            .name
            .push_str(" (edited)");
        let refused = catalog::import(&db, &tampered, false, "test").await;
        let err = refused.expect_err("a tampered release");
        assert!(err.detail().contains("digest"), "{}", err.detail());
        assert_eq!(
            catalog::export_all(&db.conn)
                .await
                .expect("export")
                .roles
                .len(),
            0,
            "nothing written"
        );

        let outcome = catalog::import(&db, &parsed, false, "test")
            .await
            .unwrap_or_else(|err| panic!("import: {}", err.detail()));
        assert!(matches!(outcome, SeedOutcome::Loaded(_)), "{outcome:?}");
        let again = catalog::export_all(&db.conn).await.expect("export again");
        let again = if format == "json" {
            again.to_json()
        } else {
            again.to_toml()
        }
        .expect("text");
        assert_eq!(
            &again, text,
            "{format}: the second export is byte-identical"
        );
        // Importing the same file again over it keeps the releases it has.
        catalog::import(&db, &parse(&again).expect("parse"), true, "test")
            .await
            .unwrap_or_else(|err| panic!("import again: {}", err.detail()));
        db.conn.close_by_ref().await.ok();

        let imported = TestApp::on(database).spawn().await;
        assert_eq!(
            listed(&imported).await,
            original_list,
            "{format}: the same releases"
        );
        assert_eq!(
            diff(&imported).await,
            original_diff,
            "{format}: the same diff"
        );
        let later = imported.data("{ catalog { revision } }").await["catalog"]["revision"].clone();
        assert!(
            later.as_i64() > original_list["releases"]["edges"][1]["node"]["revision"].as_i64(),
            "{format}: revisions go on after the releases' ({later} after {revision})"
        );
        let (status, pinned) = pinned(
            &imported,
            "r2",
            json!({"query": r#"{ role(slug: "backend-developer") { description } skill(slug: "caching") { status } }"#}),
        )
        .await;
        assert_eq!(status, 200, "{pinned}");
        assert_ne!(pinned["data"]["role"]["description"], "After r2.");
        assert_eq!(pinned["data"]["skill"]["status"], "DEPRECATED");
        let imported_key = imported.key("curator", Scope::Write).await;
        let refused = imported
            .write_error(
                &imported_key,
                r#"mutation { deleteSkill(input: {skill: "edge-caching"}) { deletedSlug } }"#,
            )
            .await;
        assert_eq!(
            refused["extensions"]["code"], "CONFLICT",
            "{format}: released"
        );
    }
}
