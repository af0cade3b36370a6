//! The measures the lists sort by (a skill's, language's, framework's and tool's
//! `role_count`, a role's `skill_count`) are columns the database keeps by triggers. After
//! every kind of write that moves them (the catalog's load, the generator's bulk write, edges
//! set, removed and replaced, an edge's end moved and edges rewritten in place by hand,
//! nodes deprecated, restored and deleted with their subtree) each stored count equals the
//! count of the edges to active nodes, recounted here from the edge tables. Two replicas
//! racing a node's status against its edges leave the counts right too.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use skillgraph::generator::GraphSize;
use skillgraph::keys::Scope;

use crate::helpers::{Backend, TestApp, per_backend};

/// Each stored count: the node table, its count column, the edge table, the edge's column
/// pointing at the node, the other end's table and the edge's column pointing at it.
const MEASURES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "skill",
        "role_count",
        "role_skill",
        "skill_id",
        "role",
        "role_id",
    ),
    (
        "language",
        "role_count",
        "role_language",
        "language_id",
        "role",
        "role_id",
    ),
    (
        "framework",
        "role_count",
        "role_framework",
        "framework_id",
        "role",
        "role_id",
    ),
    (
        "tool",
        "role_count",
        "role_tool",
        "tool_id",
        "role",
        "role_id",
    ),
    (
        "role",
        "skill_count",
        "role_skill",
        "role_id",
        "skill",
        "skill_id",
    ),
];

async fn number(app: &TestApp, sql: String) -> i64 {
    let backend = app.db.conn.get_database_backend();
    let row = app
        .db
        .conn
        .query_one_raw(Statement::from_string(backend, sql.clone()))
        .await
        .expect(&sql)
        .expect("one row");
    row.try_get_by_index::<i64>(0).expect("a number")
}

async fn execute(app: &TestApp, sql: String) {
    app.db.conn.execute_unprepared(&sql).await.expect(&sql);
}

/// Asserts that every stored count is the recount, after `step`; returns the counts' sum
/// (so that a caller can see a write moved them).
async fn assert_counts_hold(app: &TestApp, step: &str) -> i64 {
    let mut total = 0;
    for (table, count, edges, this, other, other_column) in MEASURES {
        let recount = format!(
            "(SELECT COUNT(*) FROM {edges} m JOIN {other} o ON o.id = m.{other_column} \
             WHERE m.{this} = n.id AND o.deprecated_at IS NULL)"
        );
        let wrong = number(
            app,
            format!("SELECT COUNT(*) FROM {table} n WHERE n.{count} <> {recount}"),
        )
        .await;
        assert_eq!(wrong, 0, "{table}.{count} after {step}");
        total += number(
            app,
            format!("SELECT CAST(COALESCE(SUM({count}), 0) AS BIGINT) FROM {table}"),
        )
        .await;
    }
    total
}

/// The global id of the `kind` node with `slug`.
async fn node_id(app: &TestApp, kind: &str, slug: &str) -> String {
    let data = app
        .data(&format!(r#"{{ {kind}(slug: "{slug}") {{ id }} }}"#))
        .await;
    data[kind]["id"].as_str().unwrap_or_default().to_owned()
}

/// A skill's stored demand.
async fn role_count(app: &TestApp, skill: &str) -> i64 {
    let sql = format!("SELECT CAST(role_count AS BIGINT) FROM skill WHERE slug = '{skill}'");
    number(app, sql).await
}

async fn curated_writes_keep_every_count(backend: Backend) {
    let Some(app) = TestApp::builder(backend).spawn().await else {
        return;
    };
    let app = &app;
    let loaded = assert_counts_hold(app, "the catalog's load").await;
    assert!(loaded > 100, "the built-in catalog is counted: {loaded}");
    let key = app.key("curator", Scope::Write).await;
    let write = |query: String| {
        let key = key.clone();
        async move { app.write(&key, &query).await }
    };

    let demand = role_count(app, "nosql-databases").await;
    write(r#"mutation { removeRoleSkill(input: {role: "backend-developer", skill: "nosql-databases"}) { revision } }"#.into()).await;
    assert_eq!(role_count(app, "nosql-databases").await, demand - 1);
    assert_counts_hold(app, "removeRoleSkill").await;
    write(r#"mutation { setRoleSkill(input: {role: "backend-developer", skill: "nosql-databases", importance: OPTIONAL, level: BEGINNER}) { revision } }"#.into()).await;
    assert_eq!(role_count(app, "nosql-databases").await, demand);
    assert_counts_hold(app, "setRoleSkill").await;

    let tools = app
        .data(r#"{ role(slug: "backend-developer") { tools { nodes { slug } } } }"#)
        .await;
    let tool = tools["role"]["tools"]["nodes"][0]["slug"]
        .as_str()
        .expect("the role needs a tool")
        .to_owned();
    write(format!(
        r#"mutation {{ removeRoleTool(input: {{role: "backend-developer", tool: "{tool}"}}) {{ revision }} }}"#
    ))
    .await;
    assert_counts_hold(app, "removeRoleTool").await;

    write(
        r#"mutation { setRoleSkills(input: {role: "backend-developer", skills: [
        {skill: "sql-querying", importance: ESSENTIAL, level: ADVANCED},
        {skill: "clean-code", importance: OPTIONAL, level: BEGINNER}]}) { revision } }"#
            .into(),
    )
    .await;
    assert_counts_hold(app, "setRoleSkills").await;

    // Statements run by hand: an edge's end moved to a skill the role did not need, then
    // every edge rewritten without moving an end.
    let role = "(SELECT id FROM role WHERE slug = 'backend-developer')";
    let demand = role_count(app, "clean-code").await;
    execute(
        app,
        format!(
            "UPDATE role_skill SET skill_id = (SELECT MIN(id) FROM skill WHERE id NOT IN \
             (SELECT skill_id FROM role_skill WHERE role_id = {role})) WHERE role_id = {role} \
             AND skill_id = (SELECT id FROM skill WHERE slug = 'clean-code')"
        ),
    )
    .await;
    assert_eq!(role_count(app, "clean-code").await, demand - 1);
    assert_counts_hold(app, "an edge's end moved").await;
    let before = assert_counts_hold(app, "before the rewrite").await;
    execute(app, "UPDATE role_skill SET importance = importance".into()).await;
    let after = assert_counts_hold(app, "every edge rewritten").await;
    assert_eq!(before, after, "a rewrite that moves no end moves no count");

    let role = node_id(app, "role", "database-administrator").await;
    let demand = role_count(app, "sql-querying").await;
    write(format!(
        r#"mutation {{ deprecateNode(input: {{node: "{role}"}}) {{ revision }} }}"#
    ))
    .await;
    assert_eq!(
        role_count(app, "sql-querying").await,
        demand - 1,
        "a deprecated role no longer counts"
    );
    assert_counts_hold(app, "deprecating a role").await;
    write(format!(
        r#"mutation {{ restoreNode(input: {{node: "{role}"}}) {{ revision }} }}"#
    ))
    .await;
    assert_eq!(role_count(app, "sql-querying").await, demand);
    assert_counts_hold(app, "restoring a role").await;

    let skill = node_id(app, "skill", "query-optimization").await;
    write(format!(
        r#"mutation {{ deprecateNode(input: {{node: "{skill}"}}) {{ revision }} }}"#
    ))
    .await;
    assert_counts_hold(app, "deprecating a skill").await;

    let before = assert_counts_hold(app, "before the deletes").await;
    let subtree = app
        .data(r#"{ skill(slug: "database-management") { children { totalCount } } }"#)
        .await;
    assert!(
        subtree["skill"]["children"]["totalCount"].as_i64() > Some(0),
        "{subtree}"
    );
    write(r#"mutation { deleteSkill(input: {skill: "database-management", cascade: true}) { revision } }"#.into()).await;
    let after = assert_counts_hold(app, "deleting a subtree").await;
    assert!(
        after < before,
        "the subtree's edges no longer count: {before} → {after}"
    );
    write(r#"mutation { deleteRole(input: {role: "backend-developer", cascade: true}) { revision } }"#.into()).await;
    assert_counts_hold(app, "deleting a role").await;
}

async fn bulk_writes_keep_every_count(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .generated(GraphSize::small(2))
        .spawn()
        .await
    else {
        return;
    };
    let total = assert_counts_hold(&app, "the generator's bulk write").await;
    assert!(total > 1_000, "the generated graph is counted: {total}");
    let top: Value = app
        .data("{ skills(first: 1, orderBy: [{field: ROLE_COUNT, direction: DESC}]) { nodes { roles { totalCount } } } }")
        .await;
    let most = number(
        &app,
        "SELECT CAST(MAX(role_count) AS BIGINT) FROM skill".into(),
    )
    .await;
    assert_eq!(top["skills"]["nodes"][0]["roles"]["totalCount"], most);
}

/// Races on two replicas, each trial two writes sent at once: a skill deprecated on one while
/// the other gives a role that skill; restored on one while the other takes it away; a role
/// deprecated on one while the other gives it a skill.
async fn racing_replicas_keep_every_count(backend: Backend) {
    let Some(first) = TestApp::builder(backend)
        .settings(|settings| settings.http.write_rate = 0)
        .spawn()
        .await
    else {
        return;
    };
    let second = first
        .replica()
        .settings(|settings| settings.http.write_rate = 0)
        .spawn()
        .await;
    let key = first.key("racer", Scope::Write).await;
    let skill = node_id(&first, "skill", "clean-code").await;
    let role = node_id(&first, "role", "devops-engineer").await;
    let race = |a: String, b: String| {
        let (first, second, key) = (&first, &second, &key);
        async move {
            let (a, b) = tokio::join!(
                first.post_as(key, json!({ "query": a })),
                second.post_as(key, json!({ "query": b })),
            );
            // Either may be refused for what the other did first, with a client's code.
            let mut stood = 0;
            for (status, answer) in [a, b] {
                assert!(status.is_success(), "{status}: {answer}");
                let code = &answer["errors"][0]["extensions"]["code"];
                assert_ne!(code, "INTERNAL_SERVER_ERROR", "{answer}");
                stood += usize::from(code.is_null());
            }
            stood
        }
    };
    let status = |verb: &str, node: &str| {
        format!(r#"mutation {{ {verb}(input: {{node: "{node}"}}) {{ revision }} }}"#)
    };
    let need = |verb: &str, role: &str, extra: &str| {
        format!(
            r#"mutation {{ {verb}(input: {{role: "{role}", skill: "clean-code"{extra}}}) {{ revision }} }}"#
        )
    };
    let give = |role: &str| {
        need(
            "setRoleSkill",
            role,
            ", importance: ESSENTIAL, level: BEGINNER",
        )
    };
    let mut stood = 0;
    for trial in 0..10 {
        stood += race(status("deprecateNode", &skill), give("backend-developer")).await;
        stood += race(
            status("restoreNode", &skill),
            need("removeRoleSkill", "backend-developer", ""),
        )
        .await;
        stood += race(status("deprecateNode", &role), give("devops-engineer")).await;
        stood += race(
            status("restoreNode", &role),
            need("removeRoleSkill", "devops-engineer", ""),
        )
        .await;
        assert_counts_hold(&first, &format!("race {trial}")).await;
    }
    assert!(stood >= 40, "most of the 80 writes stand: {stood}");
}

per_backend!(
    curated_writes_keep_every_count,
    bulk_writes_keep_every_count,
    racing_replicas_keep_every_count
);
