//! Databases made by earlier releases move forward with their data intact: one from before
//! the curation migration, one from before the ESCO migration, one from before the lifecycle,
//! one from before batches, one from before labels in other locales, one from before skill
//! relations, one from before the measures were columns.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};
use serde_json::json;
use skillgraph::keys::Scope;

use crate::helpers::{Backend, ScratchDatabase, TestApp, per_backend};

per_backend!(
    a_database_of_the_previous_release_migrates_forward,
    a_database_of_the_curation_release_migrates_forward,
    a_database_of_the_esco_release_migrates_forward_with_every_node_active,
    a_database_of_the_lifecycle_release_migrates_forward_with_its_log_and_takes_batches,
    a_database_of_the_batches_release_migrates_forward_with_its_text_in_english_and_takes_labels,
    a_database_of_the_labels_release_migrates_forward_and_takes_skill_relations,
    a_database_of_the_name_order_release_migrates_forward_with_its_measures_counted,
);

/// Rows as the previous schema held them (no `version`, no change log).
const OLD_ROWS: &[&str] = &[
    "INSERT INTO language (id, slug, name, description, aliases) VALUES (1, 'elixir', 'Elixir', 'BEAM.', '[\"ex\"]')",
    "INSERT INTO framework (id, slug, name, description, aliases, language_id) VALUES (1, 'phoenix', 'Phoenix', '', '[]', 1)",
    "INSERT INTO tool (id, slug, name, description, aliases, category) VALUES (1, 'hex', 'Hex', '', '[]', 'BUILD_TOOL')",
    "INSERT INTO skill (id, slug, name, description, aliases, parent_id, position) VALUES (1, 'otp', 'OTP', '', '[]', NULL, 0)",
    "INSERT INTO skill (id, slug, name, description, aliases, parent_id, position) VALUES (2, 'genservers', 'GenServers', '', '[]', 1, 0)",
    "INSERT INTO role (id, slug, name, description, aliases, responsibilities, domains) VALUES (1, 'elixir-developer', 'Elixir Developer', '', '[]', '[\"Run BEAM\"]', '[\"telecom\"]')",
    "INSERT INTO role_skill (role_id, skill_id, position, importance, level) VALUES (1, 2, 0, 'ESSENTIAL', 'ADVANCED')",
    "INSERT INTO role_language (role_id, language_id, position, importance) VALUES (1, 1, 0, 'ESSENTIAL')",
    "INSERT INTO role_framework (role_id, framework_id, position, importance) VALUES (1, 1, 0, 'OPTIONAL')",
    "INSERT INTO role_tool (role_id, tool_id, position, importance) VALUES (1, 1, 0, 'OPTIONAL')",
    "INSERT INTO skill_prerequisite (skill_id, prerequisite_id, position) VALUES (2, 1, 0)",
];

/// A database at the schema of the first `migrations`, holding `rows` (and `extra`).
async fn old_database(
    backend: Backend,
    migrations: u32,
    extra: &[&str],
) -> Option<ScratchDatabase> {
    let database = ScratchDatabase::create(backend).await?;
    let url = if backend == Backend::Sqlite {
        format!("{}?mode=rwc", database.url)
    } else {
        database.url.clone()
    };
    let conn = Database::connect(&url).await.expect("connect");
    Migrator::up(&conn, Some(migrations))
        .await
        .expect("the previous release's schema");
    for row in OLD_ROWS.iter().chain(extra) {
        conn.execute_unprepared(row).await.expect(row);
    }
    if backend == Backend::Postgres {
        for table in ["language", "framework", "tool", "skill", "role"] {
            conn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)"
            ))
            .await
            .expect("sequence");
        }
    }
    conn.close().await.expect("close");
    Some(database)
}

async fn a_database_of_the_previous_release_migrates_forward(backend: Backend) {
    let Some(database) = old_database(backend, 1, &[]).await else {
        return;
    };
    let app = TestApp::on(database).spawn().await;
    let data = app
        .data(
            r#"{ catalog { revision } roles { totalCount }
                 role(slug: "elixir-developer") { version responsibilities domains
                   skills { edges { node { slug version prerequisites { slug } parent { slug } } importance level } }
                   languages { nodes { slug aliases } } frameworks { nodes { slug language { slug } } }
                   tools { nodes { slug category } } } }"#,
        )
        .await;
    assert_eq!(
        data,
        json!({"catalog": {"revision": 0}, "roles": {"totalCount": 1},
            "role": {"version": 1, "responsibilities": ["Run BEAM"], "domains": ["telecom"],
              "skills": {"edges": [{"node": {"slug": "genservers", "version": 1, "prerequisites": [{"slug": "otp"}],
                                             "parent": {"slug": "otp"}}, "importance": "ESSENTIAL", "level": "ADVANCED"}]},
              "languages": {"nodes": [{"slug": "elixir", "aliases": ["ex"]}]},
              "frameworks": {"nodes": [{"slug": "phoenix", "language": {"slug": "elixir"}}]},
              "tools": {"nodes": [{"slug": "hex", "category": "BUILD_TOOL"}]}}}),
        "the built-in catalog was not loaded over the data, and nothing was lost"
    );
    let key = app.key("migrated", Scope::Write).await;
    let written = app
        .write(
            &key,
            r#"mutation { updateRole(input: {role: "elixir-developer", expectedVersion: 1, name: "Elixirist"}) { role { version } revision }
                          createSkill(input: {slug: "supervisors", name: "Supervisors", parent: "otp"}) { skill { parent { slug } } } }"#,
        )
        .await;
    assert_eq!(
        written,
        json!({"updateRole": {"role": {"version": 2}, "revision": 1},
               "createSkill": {"skill": {"parent": {"slug": "otp"}}}})
    );
}

/// The curation release's database: versions moved, a change logged, a key made; the ESCO
/// migration makes `level` nullable (rebuilding the table on SQLite) and keeps all of it.
async fn a_database_of_the_curation_release_migrates_forward(backend: Backend) {
    let extra = [
        "UPDATE role SET version = 3 WHERE id = 1",
        "UPDATE catalog_state SET revision = 7, updated_at = 1700000000000 WHERE id = 1",
        "INSERT INTO catalog_change (revision, at, key_name, operation, kind, slug, before, after) \
         VALUES (7, 1700000000000, 'curator', 'updateRole', 'Role', 'elixir-developer', '{\"name\":\"Elixir Dev\"}', '{\"name\":\"Elixir Developer\"}')",
    ];
    let Some(database) = old_database(backend, 2, &extra).await else {
        return;
    };
    let app = TestApp::on(database).spawn().await;
    let data = app
        .data(
            r#"{ catalog { revision }
                 role(slug: "elixir-developer") { version externalUri
                   skills { edges { node { slug externalUri } importance level } } } }"#,
        )
        .await;
    assert_eq!(
        data,
        json!({"catalog": {"revision": 7},
               "role": {"version": 3, "externalUri": null,
                 "skills": {"edges": [{"node": {"slug": "genservers", "externalUri": null},
                                       "importance": "ESSENTIAL", "level": "ADVANCED"}]}}})
    );
    let admin = app.key("auditor", Scope::Admin).await;
    let (_, answer) = app
        .post_as(
            &admin,
            json!({"query": "{ changes { edges { node { revision kind slug after } } } }"}),
        )
        .await;
    assert_eq!(
        answer["data"]["changes"]["edges"],
        json!([{"node": {"revision": 7, "kind": "ROLE", "slug": "elixir-developer",
                         "after": {"name": "Elixir Developer"}}}])
    );
    // The rebuilt table takes writes as before: a new edge goes after the old one.
    let key = app.key("migrated", Scope::Write).await;
    let written = app
        .write(
            &key,
            r#"mutation { setRoleSkill(input: {role: "elixir-developer", skill: "otp", importance: OPTIONAL, level: BEGINNER}) {
                            role { skills { edges { node { slug } level } } } } }"#,
        )
        .await;
    assert_eq!(
        written["setRoleSkill"]["role"]["skills"]["edges"],
        json!([{"node": {"slug": "genservers"}, "level": "ADVANCED"},
               {"node": {"slug": "otp"}, "level": "BEGINNER"}])
    );
}

/// The ESCO release's database: an imported role among curated nodes. The lifecycle
/// migration leaves every node active, without replacements, and deprecation works on it.
async fn a_database_of_the_esco_release_migrates_forward_with_every_node_active(backend: Backend) {
    let extra = [
        "INSERT INTO role_external (role_id, uri, isco_group) VALUES (1, 'http://data.europa.eu/esco/occupation/e1', '2512')",
        "UPDATE catalog_state SET revision = 4, updated_at = 1700000000000 WHERE id = 1",
    ];
    let Some(database) = old_database(backend, 3, &extra).await else {
        return;
    };
    let app = TestApp::on(database).spawn().await;
    let lifecycle = "status deprecatedAt deprecationNote replacedBy { id }";
    let data = app
        .data(&format!(
            r#"{{ catalog {{ revision }}
                 roles {{ nodes {{ slug iscoGroup {lifecycle} }} }}
                 skills {{ nodes {{ slug {lifecycle} }} }}
                 languages {{ nodes {{ slug {lifecycle} }} }}
                 frameworks {{ nodes {{ slug {lifecycle} }} }}
                 tools {{ nodes {{ slug {lifecycle} }} }} }}"#
        ))
        .await;
    let active = json!({"status": "ACTIVE", "deprecatedAt": null, "deprecationNote": null, "replacedBy": []});
    let with = |slug: &str, extra: serde_json::Value| {
        let mut node = active.clone();
        node["slug"] = json!(slug);
        if let (Some(node), Some(extra)) = (node.as_object_mut(), extra.as_object()) {
            node.extend(extra.clone());
        }
        node
    };
    assert_eq!(
        data,
        json!({"catalog": {"revision": 4},
               "roles": {"nodes": [with("elixir-developer", json!({"iscoGroup": "2512"}))]},
               "skills": {"nodes": [with("genservers", json!({})), with("otp", json!({}))]},
               "languages": {"nodes": [with("elixir", json!({}))]},
               "frameworks": {"nodes": [with("phoenix", json!({}))]},
               "tools": {"nodes": [with("hex", json!({}))]}})
    );
    let key = app.key("migrated", Scope::Write).await;
    let id = app.data(r#"{ skill(slug: "genservers") { id } }"#).await["skill"]["id"].clone();
    let written = app
        .write(
            &key,
            &format!(r#"mutation {{ deprecateNode(input: {{node: {id}, replacedBy: ["otp"]}}) {{
                node {{ ... on Skill {{ status replacedBy {{ ... on Skill {{ slug }} }} }} }} revision }} }}"#),
        )
        .await;
    assert_eq!(
        written["deprecateNode"],
        json!({"node": {"status": "DEPRECATED", "replacedBy": [{"slug": "otp"}]}, "revision": 5})
    );
}

async fn a_database_of_the_lifecycle_release_migrates_forward_with_its_log_and_takes_batches(
    backend: Backend,
) {
    let extra = [
        "UPDATE skill SET deprecated_at = 1700000000000, deprecation_note = 'Old.' WHERE slug = 'otp'",
        "UPDATE catalog_state SET revision = 7, updated_at = 1700000000000 WHERE id = 1",
        "INSERT INTO catalog_change (revision, at, key_name, operation, kind, slug, before, after) VALUES (7, 1700000000000, 'curator', 'updateSkill', 'Skill', 'genservers', '{\"name\":\"GenServer\"}', '{\"name\":\"GenServers\"}')",
    ];
    let Some(database) = old_database(backend, 4, &extra).await else {
        return;
    };
    let app = TestApp::on(database).spawn().await;
    let id = app.data(r#"{ skill(slug: "genservers") { id } }"#).await["skill"]["id"].clone();
    let history = |id: serde_json::Value| {
        let app = &app;
        async move {
            app.post(json!({"query": "query($id: ID) { catalog { revision } changes(node: $id) { edges { node { revision operation after } } } }",
                            "variables": {"id": id}}))
                .await["data"]
                .clone()
        }
    };
    assert_eq!(
        history(id.clone()).await,
        json!({"catalog": {"revision": 7}, "changes": {"edges": [
            {"node": {"revision": 7, "operation": "updateSkill", "after": {"name": "GenServers"}}}]}})
    );
    let status = app
        .data(r#"{ skill(slug: "otp") { status deprecationNote } }"#)
        .await;
    assert_eq!(
        status["skill"],
        json!({"status": "DEPRECATED", "deprecationNote": "Old."})
    );
    let key = app.key("migrated", Scope::Write).await;
    let written = app
        .write(
            &key,
            r#"mutation { batch(input: {operations: [
                 {updateSkill: {skill: "genservers", name: "Gen servers"}},
                 {updateRole: {role: "elixir-developer", description: "Runs the BEAM."}}]}) { revision } }"#,
        )
        .await;
    assert_eq!(written["batch"]["revision"], 8);
    let after = history(id).await;
    let revisions: Vec<i64> = after["changes"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|edge| edge["node"]["revision"].as_i64())
        .collect();
    assert_eq!(revisions, [7, 8], "the old entry and the batch: {after}");
}

async fn a_database_of_the_batches_release_migrates_forward_with_its_text_in_english_and_takes_labels(
    backend: Backend,
) {
    let Some(database) = old_database(backend, 5, &[]).await else {
        return;
    };
    let app = TestApp::on(database).spawn().await;
    let texts = r#"{ role(slug: "elixir-developer") { id name labels { locale name } }
                     language(slug: "elixir") { name aliases description }
                     catalog { locales { tag labelCount } } }"#;
    let before = app.data(texts).await;
    assert_eq!(
        before["language"],
        json!({"name": "Elixir", "aliases": ["ex"], "description": "BEAM."})
    );
    assert_eq!(
        before["role"]["labels"],
        json!([{"locale": "en", "name": "Elixir Developer"}])
    );
    assert_eq!(
        before["catalog"]["locales"],
        json!([{"tag": "en", "labelCount": 6}])
    );
    let key = app.key("migrated", Scope::Write).await;
    let id = &before["role"]["id"];
    app.write(
        &key,
        &format!(
            r#"mutation {{ setLabel(input: {{node: {id}, locale: "de", name: "Elixir-Entwickler"}}) {{ revision }} }}"#
        ),
    )
    .await;
    let german = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-language", "de")
        .json(&json!({"query": r#"{ role(slug: "elixir-developer") { name } }"#}))
        .send()
        .await
        .expect("request sent")
        .json::<serde_json::Value>()
        .await
        .expect("JSON");
    assert_eq!(german["data"]["role"]["name"], "Elixir-Entwickler");
    assert_eq!(
        app.data(texts).await["language"],
        before["language"],
        "English as before"
    );
}

async fn a_database_of_the_labels_release_migrates_forward_and_takes_skill_relations(
    backend: Backend,
) {
    let Some(database) = old_database(backend, 6, &[]).await else {
        return;
    };
    let app = TestApp::on(database).spawn().await;
    let graph = r#"{ skill(slug: "genservers") { name parent { slug } prerequisites { slug }
                       relations { totalCount } related { skill { slug } reasons { kind } } }
                     role(slug: "elixir-developer") { skills { nodes { slug } } } }"#;
    let before = app.data(graph).await;
    assert_eq!(
        before,
        json!({"skill": {"name": "GenServers", "parent": {"slug": "otp"},
                         "prerequisites": [{"slug": "otp"}], "relations": {"totalCount": 0},
                         "related": []},
               "role": {"skills": {"nodes": [{"slug": "genservers"}]}}})
    );
    let key = app.key("migrated", Scope::Write).await;
    app.write(
        &key,
        r#"mutation { setSkillRelation(input: {skill: "genservers", related: "otp", importance: ESSENTIAL}) { revision } }"#,
    )
    .await;
    let after = app.data(graph).await;
    assert_eq!(after["skill"]["relations"]["totalCount"], 1);
    assert_eq!(
        after["skill"]["related"],
        json!([{"skill": {"slug": "otp"}, "reasons": [{"kind": "RELATION"}]}])
    );
    assert_eq!(after["role"], before["role"], "the rest as before");
}

/// The counts are taken once for the rows a database already holds (a deprecated role's
/// edges left out), and kept from then on.
async fn a_database_of_the_name_order_release_migrates_forward_with_its_measures_counted(
    backend: Backend,
) {
    let legacy = [
        "INSERT INTO role (id, slug, name, description, aliases, responsibilities, domains, deprecated_at) \
         VALUES (2, 'erlang-developer', 'Erlang Developer', '', '[]', '[]', '[]', 1)",
        "INSERT INTO role_skill (role_id, skill_id, position, importance, level) VALUES (2, 1, 0, 'ESSENTIAL', NULL)",
        "INSERT INTO role_skill (role_id, skill_id, position, importance, level) VALUES (2, 2, 1, 'ESSENTIAL', NULL)",
    ];
    let Some(database) = old_database(backend, 8, &legacy).await else {
        return;
    };
    let app = TestApp::on(database).spawn().await;
    let by_demand = r#"{ skills(orderBy: [{field: ROLE_COUNT, direction: DESC}]) { nodes { slug roles { totalCount } } }
                         roles(orderBy: [{field: SKILL_COUNT, direction: DESC}], includeDeprecated: true) { nodes { slug } } }"#;
    let before = app.data(by_demand).await;
    assert_eq!(
        before,
        json!({"skills": {"nodes": [{"slug": "genservers", "roles": {"totalCount": 1}},
                                    {"slug": "otp", "roles": {"totalCount": 0}}]},
               "roles": {"nodes": [{"slug": "erlang-developer"}, {"slug": "elixir-developer"}]}}),
        "the deprecated role needs two active skills, and counts for neither"
    );
    let key = app.key("migrated", Scope::Write).await;
    for write in [
        r#"mutation { setRoleSkill(input: {role: "elixir-developer", skill: "otp", importance: ESSENTIAL, level: BEGINNER}) { revision } }"#,
        r#"mutation { removeRoleSkill(input: {role: "elixir-developer", skill: "genservers"}) { revision } }"#,
    ] {
        app.write(&key, write).await;
    }
    let after = app.data(by_demand).await;
    assert_eq!(
        after["skills"],
        json!({"nodes": [{"slug": "otp", "roles": {"totalCount": 1}},
                         {"slug": "genservers", "roles": {"totalCount": 0}}]})
    );
    // The measures' migration undone takes its columns (and triggers) away; done again, it
    // counts the rows as they are now.
    Migrator::down(&app.db.conn, Some(1))
        .await
        .expect("the measures undone");
    assert!(
        app.db
            .conn
            .execute_unprepared("SELECT role_count FROM skill")
            .await
            .is_err(),
        "the column is gone"
    );
    Migrator::up(&app.db.conn, None)
        .await
        .expect("the measures again");
    assert_eq!(app.data(by_demand).await, after);
}
