//! The lifecycle of nodes: deprecation with replacements, what a deprecated node still
//! answers and what leaves it out, restoration, and the rules of replacement, on both
//! backends.

use serde_json::{Value, json};
use skillgraph::keys::Scope;

use crate::helpers::{TestApp, backend_tests};

backend_tests!(
    a_deprecated_node_is_found_by_slug_and_id_and_left_out_of_lists_search_and_answers,
    replacements_are_active_nodes_of_the_same_kind_and_follow_a_chain,
    the_lifecycle_is_in_the_change_log_and_the_catalog_export,
    every_list_reads_the_lifecycle_its_answer_asks_for,
);

const SKILL_STATUS: &str = "slug status deprecatedAt deprecationNote version \
    replacedBy { id ... on Skill { slug status } }";

/// A skill that replaces `sql-querying` in the built-in catalog, under the same parent.
async fn with_replacement(app: &TestApp, key: &str) {
    app.write(
        key,
        r#"mutation { createSkill(input: {slug: "structured-querying", name: "Structured querying",
             parent: "relational-databases"}) { skill { slug } } }"#,
    )
    .await;
}

fn slugs(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    let node = if item.get("node").is_some() {
                        &item["node"]
                    } else {
                        item
                    };
                    node["slug"].as_str().unwrap_or_default().to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn a_deprecated_node_is_found_by_slug_and_id_and_left_out_of_lists_search_and_answers(
    app: &TestApp,
) {
    let key = app.key("curator", Scope::Write).await;
    with_replacement(app, &key).await;
    let lists = |include: bool| {
        format!(
            r#"{{ skills(first: 100, includeDeprecated: {include}) {{ totalCount nodes {{ slug }} }}
                 roles(includeDeprecated: {include}) {{ totalCount nodes {{ slug }} }}
                 parent: skill(slug: "relational-databases") {{
                   children(first: 50, includeDeprecated: {include}) {{ totalCount nodes {{ slug }} }} }}
                 optimization: skill(slug: "query-optimization") {{
                   roles(includeDeprecated: {include}) {{ nodes {{ slug }} }} }}
                 search(query: "sql querying", kinds: [SKILL], includeDeprecated: {include}) {{ slug }} }}"#
        )
    };
    let before = app.data(&lists(false)).await;
    assert!(slugs(&before["parent"]["children"]["nodes"]).contains(&"sql-querying".to_owned()));
    assert!(
        slugs(&before["optimization"]["roles"]["nodes"])
            .contains(&"database-administrator".to_owned())
    );
    assert_eq!(before["search"][0]["slug"], "sql-querying");

    let deprecated = app
        .write(
            &key,
            &format!(
                r#"mutation {{
                  deprecateNode(input: {{node: "{}", replacedBy: ["structured-querying"],
                      note: "Renamed.", clientMutationId: "d1"}}) {{
                    node {{ id ... on Skill {{ {SKILL_STATUS} }} }} clientMutationId revision }}
                  role: deprecateNode(input: {{node: "{}"}}) {{
                    node {{ ... on Role {{ slug status replacedBy {{ id }} }} }} }} }}"#,
                skill_id(app, "sql-querying").await,
                role_id(app, "database-administrator").await,
            ),
        )
        .await;
    let skill = &deprecated["deprecateNode"]["node"];
    assert_eq!(skill["status"], "DEPRECATED");
    assert_eq!(skill["deprecationNote"], "Renamed.");
    assert!(skill["deprecatedAt"].is_string(), "{skill}");
    assert_eq!(
        skill["replacedBy"],
        json!([{"id": skill_id(app, "structured-querying").await,
                "slug": "structured-querying", "status": "ACTIVE"}])
    );
    assert_eq!(deprecated["deprecateNode"]["clientMutationId"], "d1");
    assert_eq!(
        deprecated["role"]["node"],
        json!({"slug": "database-administrator", "status": "DEPRECATED", "replacedBy": []})
    );

    // Found by slug and by ID, with its status.
    let id = skill["id"].as_str().unwrap_or_default().to_owned();
    let found = app
        .data(&format!(
            r#"{{ skill(slug: "sql-querying") {{ slug status }}
                 node(id: "{id}") {{ ... on Skill {{ slug status }} }} }}"#
        ))
        .await;
    assert_eq!(
        found,
        json!({"skill": {"slug": "sql-querying", "status": "DEPRECATED"},
               "node": {"slug": "sql-querying", "status": "DEPRECATED"}})
    );

    // Left out of root lists, reverse lists and search unless asked.
    let after = app.data(&lists(false)).await;
    let all = app.data(&lists(true)).await;
    for (field, path) in [
        ("skills", "/skills"),
        ("roles", "/roles"),
        ("children", "/parent/children"),
    ] {
        let total = |data: &Value| {
            data.pointer(&format!("{path}/totalCount"))
                .and_then(Value::as_i64)
                .unwrap_or(-1)
        };
        assert_eq!(total(&after), total(&before) - 1, "{field}: one fewer");
        assert_eq!(
            total(&all),
            total(&before),
            "{field}: all with includeDeprecated"
        );
    }
    assert!(!slugs(&after["skills"]["nodes"]).contains(&"sql-querying".to_owned()));
    assert!(slugs(&all["skills"]["nodes"]).contains(&"sql-querying".to_owned()));
    assert!(!slugs(&after["parent"]["children"]["nodes"]).contains(&"sql-querying".to_owned()));
    assert!(
        !slugs(&after["optimization"]["roles"]["nodes"])
            .contains(&"database-administrator".to_owned())
    );
    assert!(
        slugs(&all["optimization"]["roles"]["nodes"])
            .contains(&"database-administrator".to_owned())
    );
    assert!(
        !slugs(&after["search"]).contains(&"sql-querying".to_owned()),
        "{}",
        after["search"]
    );
    assert_eq!(all["search"][0]["slug"], "sql-querying");

    // Left out of every answer: extraction, recommendations, the role's needs (which follow
    // the replacement), and a `have` entry naming it is followed to its replacement.
    let answers = app
        .data(
            r#"{ extractSkills(text: "Strong SQL querying and query optimization.") { slug }
                 recommendRoles(have: [{slug: "sql-querying"}], first: 10) { role { slug } }
                 skillGap(role: "backend-developer", have: [{slug: "sql-querying"}]) {
                   covered { slug } missing { slug } followed { slug replacedBy } }
                 learningPath(role: "backend-developer", have: []) { steps { slug } } }"#,
        )
        .await;
    let mentioned = slugs(&answers["extractSkills"]);
    assert!(
        mentioned.contains(&"query-optimization".to_owned()),
        "{mentioned:?}"
    );
    assert!(
        !mentioned.contains(&"sql-querying".to_owned()),
        "{mentioned:?}"
    );
    let recommended: Vec<String> = answers["recommendRoles"]
        .as_array()
        .map(|fits| {
            fits.iter()
                .map(|fit| fit["role"]["slug"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        !recommended.contains(&"database-administrator".to_owned()),
        "{recommended:?}"
    );
    assert!(
        recommended.contains(&"backend-developer".to_owned()),
        "{recommended:?}"
    );
    let gap = &answers["skillGap"];
    assert_eq!(
        gap["followed"],
        json!([{"slug": "sql-querying", "replacedBy": ["structured-querying"]}])
    );
    assert_eq!(
        slugs(&gap["covered"]),
        vec!["structured-querying".to_owned()]
    );
    assert!(!slugs(&gap["missing"]).contains(&"sql-querying".to_owned()));
    let steps = slugs(&answers["learningPath"]["steps"]);
    assert!(
        steps.contains(&"structured-querying".to_owned()),
        "{steps:?}"
    );
    assert!(!steps.contains(&"sql-querying".to_owned()), "{steps:?}");
    let at = |slug: &str| steps.iter().position(|s| s == slug);
    assert!(
        at("structured-querying") < at("query-optimization"),
        "the replacement stands in as a prerequisite: {steps:?}"
    );

    // Restored: active again, without replacements, and back in the lists.
    let restored = app
        .write(
            &key,
            &format!(
                r#"mutation {{ restoreNode(input: {{node: "{id}"}}) {{
                    node {{ ... on Skill {{ {SKILL_STATUS} }} }} }} }}"#
            ),
        )
        .await;
    let skill = &restored["restoreNode"]["node"];
    assert_eq!(
        (
            &skill["status"],
            &skill["deprecatedAt"],
            &skill["deprecationNote"],
            &skill["replacedBy"]
        ),
        (&json!("ACTIVE"), &Value::Null, &Value::Null, &json!([]))
    );
    let again = app.data(&lists(false)).await;
    assert_eq!(
        again["skills"]["totalCount"],
        before["skills"]["totalCount"]
    );
}

async fn skill_id(app: &TestApp, slug: &str) -> String {
    let data = app
        .data(&format!(r#"{{ skill(slug: "{slug}") {{ id }} }}"#))
        .await;
    data["skill"]["id"].as_str().unwrap_or_default().to_owned()
}

async fn role_id(app: &TestApp, slug: &str) -> String {
    let data = app
        .data(&format!(r#"{{ role(slug: "{slug}") {{ id }} }}"#))
        .await;
    data["role"]["id"].as_str().unwrap_or_default().to_owned()
}

async fn replacements_are_active_nodes_of_the_same_kind_and_follow_a_chain(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    for slug in ["a-skill", "b-skill", "c-skill"] {
        app.write(
            &key,
            &format!(r#"mutation {{ createSkill(input: {{slug: "{slug}", name: "{slug}"}}) {{ skill {{ slug }} }} }}"#),
        )
        .await;
    }
    let a = skill_id(app, "a-skill").await;
    let b = skill_id(app, "b-skill").await;
    let revision =
        || async { app.data("{ catalog { revision } }").await["catalog"]["revision"].clone() };
    let refusals = [
        (
            format!(r#"{{node: "{a}", replacedBy: ["a-skill"]}}"#),
            "BAD_USER_INPUT",
            "replacedBy",
        ),
        (
            format!(r#"{{node: "{a}", replacedBy: ["b-skill", "b-skill"]}}"#),
            "BAD_USER_INPUT",
            "replacedBy",
        ),
        (
            format!(r#"{{node: "{a}", replacedBy: ["python"]}}"#),
            "NOT_FOUND",
            "replacedBy",
        ),
        (
            format!(
                r#"{{node: "{a}", replacedBy: ["{}"]}}"#,
                role_id(app, "backend-developer").await
            ),
            "BAD_USER_INPUT",
            "replacedBy",
        ),
        (
            r#"{node: "not an id"}"#.to_owned(),
            "BAD_USER_INPUT",
            "node",
        ),
        (
            format!(r#"{{node: "{a}", expectedVersion: 99}}"#),
            "CONFLICT",
            "expectedVersion",
        ),
    ];
    let before = revision().await;
    for (input, code, field) in refusals {
        let error = app
            .write_error(
                &key,
                &format!("mutation {{ deprecateNode(input: {input}) {{ revision }} }}"),
            )
            .await;
        assert_eq!(error["extensions"]["code"], code, "{input}: {error}");
        assert_eq!(error["extensions"]["field"], field, "{input}: {error}");
    }
    assert_eq!(revision().await, before, "a refused write changes nothing");

    // A chain: a → b, then b → c makes a → c, so every replacement stays active.
    app.write(&key, &format!(r#"mutation {{ deprecateNode(input: {{node: "{a}", replacedBy: ["b-skill"]}}) {{ revision }} }}"#)).await;
    let error = app
        .write_error(&key, &format!(r#"mutation {{ deprecateNode(input: {{node: "{}", replacedBy: ["a-skill"]}}) {{ revision }} }}"#, skill_id(app, "c-skill").await))
        .await;
    assert_eq!(
        error["extensions"]["code"], "CONFLICT",
        "a deprecated replacement: {error}"
    );
    assert_eq!(error["extensions"]["field"], "replacedBy");
    app.write(&key, &format!(r#"mutation {{ deprecateNode(input: {{node: "{b}", replacedBy: ["c-skill"]}}) {{ revision }} }}"#)).await;
    let chain = app
        .data(
            r#"{ a: skill(slug: "a-skill") { replacedBy { ... on Skill { slug } } }
                   b: skill(slug: "b-skill") { replacedBy { ... on Skill { slug } } } }"#,
        )
        .await;
    assert_eq!(
        chain,
        json!({"a": {"replacedBy": [{"slug": "c-skill"}]}, "b": {"replacedBy": [{"slug": "c-skill"}]}})
    );
    // The replacements of a page of nodes are read in one statement, however many are
    // deprecated.
    let page =
        "{ skills(first: 100, includeDeprecated: true) { nodes { slug replacedBy { id } } } }";
    let with_two = app.statements_for(page).await;
    for slug in ["d-skill", "e-skill"] {
        app.write(&key, &format!(r#"mutation {{ createSkill(input: {{slug: "{slug}", name: "{slug}"}}) {{ revision }} }}"#))
            .await;
        let id = skill_id(app, slug).await;
        app.write(&key, &format!(r#"mutation {{ deprecateNode(input: {{node: "{id}", replacedBy: ["c-skill"]}}) {{ revision }} }}"#))
            .await;
    }
    assert_eq!(
        app.statements_for(page).await,
        with_two,
        "no statement per deprecated node"
    );

    // Restoring an active node is refused; without a key nothing is written.
    let error = app
        .write_error(
            &key,
            &format!(
                r#"mutation {{ restoreNode(input: {{node: "{}"}}) {{ revision }} }}"#,
                skill_id(app, "c-skill").await
            ),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    let anonymous = app
        .error(&format!(
            r#"mutation {{ restoreNode(input: {{node: "{a}"}}) {{ revision }} }}"#
        ))
        .await;
    assert_eq!(anonymous["extensions"]["code"], "UNAUTHENTICATED");
}

async fn the_lifecycle_is_in_the_change_log_and_the_catalog_export(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    with_replacement(app, &key).await;
    let id = skill_id(app, "sql-querying").await;
    app.write(
        &key,
        &format!(r#"mutation {{ deprecateNode(input: {{node: "{id}", replacedBy: ["structured-querying"], note: "Renamed."}}) {{ revision }} }}"#),
    )
    .await;
    let admin = app.key("auditor", Scope::Admin).await;
    let (_, answer) = app
        .post_as(
            &admin,
            json!({"query": format!(r#"{{ changes(node: "{id}") {{ edges {{ node {{ operation keyName before after }} }} }} }}"#)}),
        )
        .await;
    assert_eq!(
        answer["data"]["changes"]["edges"],
        json!([{"node": {"operation": "deprecateNode", "keyName": "curator",
            "before": {"status": "ACTIVE", "deprecationNote": null, "replacedBy": []},
            "after": {"status": "DEPRECATED", "deprecationNote": "Renamed.", "replacedBy": ["structured-querying"]}}}])
    );
    // The catalog carries the lifecycle, and a catalog with it loads back the same.
    let catalog = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    let skill = catalog
        .skills
        .iter()
        .find(|s| s.slug == "sql-querying")
        .expect("kept");
    assert_eq!(skill.replaced_by, vec!["structured-querying".to_owned()]);
    assert_eq!(
        skill.deprecated.as_ref().and_then(|d| d.note.as_deref()),
        Some("Renamed.")
    );
    let text = catalog.to_toml().expect("toml");
    let parsed = skillgraph::catalog::Catalog::parse(&text).expect("it parses back");
    assert_eq!(parsed, catalog);
    // A catalog that breaks the rules is refused where it is read.
    let mut broken = catalog.clone();
    if let Some(target) = broken
        .skills
        .iter_mut()
        .find(|s| s.slug == "structured-querying")
    {
        target.deprecated = skill.deprecated.clone();
    }
    let error = broken.check().expect_err("a deprecated replacement");
    assert!(
        format!("{error:?}").contains("deprecated itself"),
        "{error:?}"
    );
}

/// Lists leave the lifecycle's columns out when their answer asks for none of its fields;
/// whichever way a list's nodes ask (`nodes`, `edges { node }`, a fragment, a plain list),
/// the status is the stored one.
async fn every_list_reads_the_lifecycle_its_answer_asks_for(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    with_replacement(app, &key).await;
    let id = skill_id(app, "sql-querying").await;
    app.write(
        &key,
        &format!(
            r#"mutation {{ deprecateNode(input: {{node: "{id}", replacedBy: ["structured-querying"], note: "Renamed."}}) {{ revision }} }}"#
        ),
    )
    .await;
    let role = app
        .data(r#"{ skill(slug: "sql-querying") { roles(includeDeprecated: true) { nodes { slug } } } }"#)
        .await["skill"]["roles"]["nodes"][0]["slug"]
        .as_str()
        .expect("a role needs sql-querying")
        .to_owned();
    let data = app
        .data(&format!(
            r#"fragment Life on Skill {{ slug deprecationNote }}
               {{ role(slug: "{role}") {{
                 plain: skills(first: 100) {{ nodes {{ slug }} }}
                 byNodes: skills(first: 100) {{ nodes {{ slug status }} }}
                 byEdges: skills(first: 100) {{ edges {{ node {{ slug deprecatedAt }} }} }}
                 byFragment: skills(first: 100) {{ nodes {{ ...Life }} }}
                 byInline: skills(first: 100) {{ edges {{ node {{ ... on Skill {{ slug replacedBy {{ id }} }} }} }} }} }}
               parent: skill(slug: "relational-databases") {{
                 children(first: 100, includeDeprecated: true) {{ nodes {{ slug status }} }}
                 active: descendants {{ skill {{ slug }} }}
                 every: descendants(includeDeprecated: true) {{ skill {{ slug status }} }} }}
               all: skills(first: 100, includeDeprecated: true) {{ nodes {{ slug status }} }} }}"#
        ))
        .await;
    let find = |list: &Value, slug: &str| -> Value {
        let items = list.as_array().cloned().unwrap_or_default();
        items
            .into_iter()
            .map(|item| {
                if item.get("node").is_some() {
                    item["node"].clone()
                } else {
                    item
                }
            })
            .find(|node| node["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug} in {list}"))
    };
    let r = &data["role"];
    assert_eq!(
        find(&r["plain"]["nodes"], "sql-querying"),
        json!({"slug": "sql-querying"})
    );
    assert_eq!(
        find(&r["byNodes"]["nodes"], "sql-querying")["status"],
        "DEPRECATED"
    );
    assert!(
        find(&r["byEdges"]["edges"], "sql-querying")["deprecatedAt"].is_string(),
        "{r}"
    );
    assert_eq!(
        find(&r["byFragment"]["nodes"], "sql-querying")["deprecationNote"],
        "Renamed."
    );
    assert_eq!(
        find(&r["byInline"]["edges"], "sql-querying")["replacedBy"],
        json!([{"id": skill_id(app, "structured-querying").await}])
    );
    let under = |entries: &Value| -> Vec<String> {
        entries
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|entry| {
                entry["skill"]["slug"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    let active = under(&data["parent"]["active"]);
    assert!(
        active.contains(&"structured-querying".to_owned()),
        "{active:?}"
    );
    assert!(
        !active.contains(&"sql-querying".to_owned()),
        "descendants leave it out"
    );
    assert!(under(&data["parent"]["every"]).contains(&"sql-querying".to_owned()));
    let every: Vec<Value> = data["parent"]["every"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|entry| entry["skill"].clone())
        .collect();
    assert_eq!(find(&json!(every), "sql-querying")["status"], "DEPRECATED");
    for list in [&data["parent"]["children"]["nodes"], &data["all"]["nodes"]] {
        assert_eq!(find(list, "sql-querying")["status"], "DEPRECATED", "{list}");
        assert_eq!(find(list, "structured-querying")["status"], "ACTIVE");
    }
}
