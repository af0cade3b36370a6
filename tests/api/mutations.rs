//! Writes through the API: every node and edge mutation, the graph's rules, versions and the
//! change log, on both backends.

use serde_json::{Value, json};
use skillgraph::keys::Scope;

use crate::helpers::{TestApp, backend_tests};

backend_tests!(
    nodes_of_every_kind_are_created_updated_and_deleted,
    edges_of_every_kind_are_set_reordered_and_removed,
    skills_move_in_the_tree_and_among_siblings,
    rules_of_the_graph_are_kept_and_nothing_is_half_written,
    deleting_what_others_depend_on_needs_cascade,
    versions_refuse_lost_updates,
    the_change_log_records_who_changed_what,
    nodes_are_addressed_by_slug_or_global_id,
    several_mutations_run_in_order,
);

async fn writer(app: &TestApp) -> String {
    app.key("curator", Scope::Write).await
}

/// The revision and the number of nodes of each kind, to show a failed write changed nothing.
async fn state(app: &TestApp) -> Value {
    app.data(
        "{ catalog { revision } roles { totalCount } skills { totalCount } \
         languages { totalCount } frameworks { totalCount } tools { totalCount } }",
    )
    .await
}

async fn nodes_of_every_kind_are_created_updated_and_deleted(app: &TestApp) {
    let key = writer(app).await;
    let created = app
        .write(
            &key,
            r#"mutation {
              createLanguage(input: {slug: "zig", name: "Zig", aliases: ["ziglang"], clientMutationId: "l1"}) {
                language { slug name aliases version } clientMutationId revision }
              createFramework(input: {slug: "zap", name: "Zap", language: "zig"}) {
                framework { slug language { slug } } }
              createTool(input: {slug: "bun", name: "Bun", category: RUNTIME}) { tool { slug category } }
              createRole(input: {slug: "zig-developer", name: "Zig Developer", description: "Writes Zig.",
                responsibilities: ["Ship"], domains: ["systems"]}) {
                role { slug description responsibilities domains } }
              createSkill(input: {slug: "comptime", name: "Comptime"}) { skill { slug parent { slug } version } }
            }"#,
        )
        .await;
    assert_eq!(
        created["createLanguage"],
        json!({"language": {"slug": "zig", "name": "Zig", "aliases": ["ziglang"], "version": 1},
               "clientMutationId": "l1", "revision": 1})
    );
    assert_eq!(
        created["createFramework"]["framework"]["language"]["slug"],
        "zig"
    );
    assert_eq!(created["createTool"]["tool"]["category"], "RUNTIME");
    assert_eq!(created["createRole"]["role"]["domains"], json!(["systems"]));
    assert_eq!(created["createSkill"]["skill"]["parent"], Value::Null);

    let updated = app
        .write(
            &key,
            r#"mutation {
              updateLanguage(input: {language: "zig", name: "Zig language"}) { language { name version } revision }
              updateFramework(input: {framework: "zap", description: "HTTP", language: "python"}) {
                framework { description language { slug } version } }
              updateTool(input: {tool: "bun", category: BUILD_TOOL}) { tool { category } }
              updateRole(input: {role: "zig-developer", aliases: ["Ziguana"]}) { role { aliases name } }
              updateSkill(input: {skill: "comptime", description: "Code at compile time"}) { skill { description } }
            }"#,
        )
        .await;
    assert_eq!(
        updated["updateLanguage"],
        json!({"language": {"name": "Zig language", "version": 2}, "revision": 6})
    );
    assert_eq!(
        updated["updateFramework"]["framework"],
        json!({"description": "HTTP", "language": {"slug": "python"}, "version": 2})
    );
    assert_eq!(updated["updateTool"]["tool"]["category"], "BUILD_TOOL");
    assert_eq!(
        updated["updateRole"]["role"],
        json!({"aliases": ["Ziguana"], "name": "Zig Developer"})
    );
    let read = app
        .data(r#"{ role(slug: "zig-developer") { responsibilities } skill(slug: "comptime") { description } }"#)
        .await;
    assert_eq!(
        read["role"]["responsibilities"],
        json!(["Ship"]),
        "untouched fields stay"
    );
    assert_eq!(read["skill"]["description"], "Code at compile time");

    let deleted = app
        .write(
            &key,
            r#"mutation {
              deleteFramework(input: {framework: "zap"}) { deletedSlug deletedId }
              deleteLanguage(input: {language: "zig"}) { deletedSlug }
              deleteTool(input: {tool: "bun"}) { deletedSlug }
              deleteRole(input: {role: "zig-developer"}) { deletedSlug }
              deleteSkill(input: {skill: "comptime", clientMutationId: "bye"}) { deletedSlug clientMutationId revision }
            }"#,
        )
        .await;
    assert_eq!(
        deleted["deleteSkill"],
        json!({"deletedSlug": "comptime", "clientMutationId": "bye", "revision": 15})
    );
    let gone = app
        .data(
            r#"{ language(slug: "zig") { slug } framework(slug: "zap") { slug } tool(slug: "bun") { slug }
                role(slug: "zig-developer") { slug } skill(slug: "comptime") { slug } }"#,
        )
        .await;
    assert_eq!(
        gone,
        json!({"language": null, "framework": null, "tool": null, "role": null, "skill": null})
    );
}

/// The slugs of a role's skills in order, with importance and level.
async fn role_skills(app: &TestApp, role: &str) -> Vec<(String, String, String)> {
    let data = app
        .data(&format!(
            r#"{{ role(slug: "{role}") {{ skills(first: 100) {{ edges {{ node {{ slug }} importance level }} }} }} }}"#
        ))
        .await;
    data["role"]["skills"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| {
            (
                edge["node"]["slug"].as_str().unwrap_or_default().to_owned(),
                edge["importance"].as_str().unwrap_or_default().to_owned(),
                edge["level"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn edges_of_every_kind_are_set_reordered_and_removed(app: &TestApp) {
    let key = writer(app).await;
    let before = role_skills(app, "devops-engineer").await;
    app.write(
        &key,
        r#"mutation { createSkill(input: {slug: "chaos-engineering", name: "Chaos engineering"}) { revision } }"#,
    )
    .await;
    // New edges go to the end, or to the position asked for.
    let set = app
        .write(
            &key,
            r#"mutation { setRoleSkill(input: {role: "devops-engineer", skill: "chaos-engineering",
                importance: OPTIONAL, level: ADVANCED, position: 0}) {
                role { slug version } skill { slug } revision } }"#,
        )
        .await;
    assert_eq!(
        set["setRoleSkill"]["role"]["version"], 2,
        "the owner's version moves"
    );
    let after = role_skills(app, "devops-engineer").await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        after[0],
        (
            "chaos-engineering".into(),
            "OPTIONAL".into(),
            "ADVANCED".into()
        )
    );
    assert_eq!(&after[1..], &before[..], "the others keep their order");
    // Setting it again changes its data and, with a position, its place.
    app.write(
        &key,
        r#"mutation { setRoleSkill(input: {role: "devops-engineer", skill: "chaos-engineering",
            importance: ESSENTIAL, level: EXPERT, position: 2}) { revision } }"#,
    )
    .await;
    let moved = role_skills(app, "devops-engineer").await;
    assert_eq!(
        moved[2],
        (
            "chaos-engineering".into(),
            "ESSENTIAL".into(),
            "EXPERT".into()
        )
    );
    assert_eq!(moved[..2], before[..2]);
    assert_eq!(moved[3..], before[2..]);
    // A position past the end means the end.
    app.write(
        &key,
        r#"mutation { setRoleSkill(input: {role: "devops-engineer", skill: "chaos-engineering",
            importance: ESSENTIAL, level: EXPERT, position: 1000}) { revision } }"#,
    )
    .await;
    assert_eq!(
        role_skills(app, "devops-engineer")
            .await
            .last()
            .map(|e| e.0.as_str()),
        Some("chaos-engineering")
    );
    app.write(
        &key,
        r#"mutation { removeRoleSkill(input: {role: "devops-engineer", skill: "chaos-engineering"}) { role { slug } } }"#,
    )
    .await;
    assert_eq!(role_skills(app, "devops-engineer").await, before);

    // The other edge kinds, each set and read back, then removed.
    let data = app
        .write(
            &key,
            r#"mutation {
              setRoleLanguage(input: {role: "devops-engineer", language: "ruby", importance: OPTIONAL}) { revision }
              setRoleFramework(input: {role: "devops-engineer", framework: "django", importance: OPTIONAL, position: 0}) { revision }
              setRoleTool(input: {role: "devops-engineer", tool: "redis", importance: ESSENTIAL}) { revision }
              setSkillLanguage(input: {skill: "chaos-engineering", language: "go"}) { revision }
              setSkillTool(input: {skill: "chaos-engineering", tool: "docker"}) { revision }
              addSkillPrerequisite(input: {skill: "chaos-engineering", prerequisite: "containerization"}) {
                skill { prerequisites { slug } } prerequisite { slug } }
            }"#,
        )
        .await;
    assert_eq!(
        data["addSkillPrerequisite"]["skill"]["prerequisites"],
        json!([{"slug": "containerization"}])
    );
    let read = app
        .data(
            r#"{ role(slug: "devops-engineer") {
                 languages(first: 100) { edges { node { slug } importance } }
                 frameworks(first: 1) { edges { node { slug } importance } }
                 tools(first: 100) { nodes { slug } } }
               skill(slug: "chaos-engineering") { languages { nodes { slug } } tools { nodes { slug } } } }"#,
        )
        .await;
    let languages = read["role"]["languages"]["edges"]
        .as_array()
        .expect("edges");
    assert_eq!(
        languages.last(),
        Some(&json!({"node": {"slug": "ruby"}, "importance": "OPTIONAL"}))
    );
    assert_eq!(
        read["role"]["frameworks"]["edges"],
        json!([{"node": {"slug": "django"}, "importance": "OPTIONAL"}])
    );
    assert!(
        read["role"]["tools"]["nodes"]
            .as_array()
            .expect("tools")
            .contains(&json!({"slug": "redis"}))
    );
    assert_eq!(read["skill"]["languages"]["nodes"], json!([{"slug": "go"}]));
    assert_eq!(read["skill"]["tools"]["nodes"], json!([{"slug": "docker"}]));
    app.write(
        &key,
        r#"mutation {
          removeRoleLanguage(input: {role: "devops-engineer", language: "ruby"}) { revision }
          removeRoleFramework(input: {role: "devops-engineer", framework: "django"}) { revision }
          removeRoleTool(input: {role: "devops-engineer", tool: "redis"}) { revision }
          removeSkillLanguage(input: {skill: "chaos-engineering", language: "go"}) { revision }
          removeSkillTool(input: {skill: "chaos-engineering", tool: "docker"}) { revision }
          removeSkillPrerequisite(input: {skill: "chaos-engineering", prerequisite: "containerization"}) { revision }
        }"#,
    )
    .await;
    let read = app
        .data(
            r#"{ role(slug: "devops-engineer") { frameworks { totalCount } }
               skill(slug: "chaos-engineering") { languages { totalCount } tools { totalCount } prerequisites { slug } } }"#,
        )
        .await;
    assert_eq!(
        read,
        json!({"role": {"frameworks": {"totalCount": 0}},
               "skill": {"languages": {"totalCount": 0}, "tools": {"totalCount": 0}, "prerequisites": []}})
    );
    // Removing an edge that is not there is NOT_FOUND, naming the field.
    let error = app
        .write_error(
            &key,
            r#"mutation { removeSkillTool(input: {skill: "chaos-engineering", tool: "docker"}) { revision } }"#,
        )
        .await;
    assert_eq!(error["extensions"]["code"], "NOT_FOUND");
    assert_eq!(error["extensions"]["field"], "tool");
}

async fn children(app: &TestApp, skill: &str) -> Vec<String> {
    let data = app
        .data(&format!(
            r#"{{ skill(slug: "{skill}") {{ children(first: 100) {{ nodes {{ slug }} }} }} }}"#
        ))
        .await;
    data["skill"]["children"]["nodes"]
        .as_array()
        .expect("children")
        .iter()
        .map(|node| node["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn skills_move_in_the_tree_and_among_siblings(app: &TestApp) {
    let key = writer(app).await;
    let before = children(app, "database-management").await;
    assert!(before.len() >= 3);
    let moved = app
        .write(
            &key,
            r#"mutation { moveSkill(input: {skill: "query-optimization", parent: "api-development", position: 0}) {
                skill { parent { slug } version } parent { slug } revision } }"#,
        )
        .await;
    assert_eq!(
        moved["moveSkill"]["skill"],
        json!({"parent": {"slug": "api-development"}, "version": 2})
    );
    assert_eq!(
        children(app, "api-development").await[0],
        "query-optimization"
    );
    let without: Vec<String> = before
        .iter()
        .filter(|slug| *slug != "query-optimization")
        .cloned()
        .collect();
    assert_eq!(children(app, "database-management").await, without);
    // Reorder among siblings: the last child first.
    let last = without.last().cloned().unwrap_or_default();
    app.write(
        &key,
        &format!(
            r#"mutation {{ moveSkill(input: {{skill: "{last}", parent: "database-management", position: 0}}) {{ revision }} }}"#
        ),
    )
    .await;
    let reordered = children(app, "database-management").await;
    assert_eq!(reordered[0], last);
    assert_eq!(reordered[1..], without[..without.len() - 1]);
    // To the roots, and the descendants follow.
    app.write(
        &key,
        r#"mutation { moveSkill(input: {skill: "database-management"}) { skill { parent { slug } } } }"#,
    )
    .await;
    let tree = app
        .data(r#"{ skill(slug: "database-management") { parent { slug } descendants(maxDepth: 1) { skill { slug } } } }"#)
        .await;
    assert_eq!(tree["skill"]["parent"], Value::Null);
    assert_eq!(
        tree["skill"]["descendants"].as_array().map(Vec::len),
        Some(reordered.len())
    );
}

async fn rules_of_the_graph_are_kept_and_nothing_is_half_written(app: &TestApp) {
    let key = writer(app).await;
    let unchanged = state(app).await;
    let cases: Vec<(String, &str, &str)> = vec![
        (r#"createRole(input: {slug: "Not A Slug", name: "X"})"#.into(), "BAD_USER_INPUT", "slug"),
        (format!(r#"createRole(input: {{slug: "{}", name: "X"}})"#, "a".repeat(129)), "BAD_USER_INPUT", "slug"),
        (r#"createRole(input: {slug: "backend-developer", name: "Again"})"#.into(), "CONFLICT", "slug"),
        (r#"createRole(input: {slug: "nameless", name: "  "})"#.into(), "BAD_USER_INPUT", "name"),
        (format!(r#"createRole(input: {{slug: "long", name: "{}"}})"#, "n".repeat(257)), "BAD_USER_INPUT", "name"),
        (format!(r#"createRole(input: {{slug: "long", name: "L", description: "{}"}})"#, "d".repeat(10_001)), "BAD_USER_INPUT", "description"),
        (r#"createFramework(input: {slug: "orphan", name: "Orphan", language: "cobol"})"#.into(), "NOT_FOUND", "language"),
        (r#"createSkill(input: {slug: "lost", name: "Lost", parent: "no-such-skill"})"#.into(), "NOT_FOUND", "parent"),
        (r#"updateSkill(input: {skill: "no-such-skill", name: "X"})"#.into(), "NOT_FOUND", "skill"),
        (r#"createSkill(input: {slug: "negative", name: "N", parent: "database-management", position: -1})"#.into(), "BAD_USER_INPUT", "position"),
        (r#"moveSkill(input: {skill: "database-management", parent: "query-optimization"})"#.into(), "CONFLICT", "parent"),
        (r#"setRoleSkill(input: {role: "backend-developer", skill: "ghost", importance: OPTIONAL, level: BEGINNER})"#.into(), "NOT_FOUND", "skill"),
    ];
    for (mutation, code, field) in &cases {
        let error = app
            .write_error(&key, &format!("mutation {{ {mutation} {{ revision }} }}"))
            .await;
        assert_eq!(error["extensions"]["code"], *code, "{mutation}: {error:#}");
        assert_eq!(
            error["extensions"]["field"], *field,
            "{mutation}: {error:#}"
        );
    }
    let aliases = vec!["alias"; 10_000];
    let (status, response) = app
        .post_as(
            &key,
            json!({"query": "mutation($a: [String!]) { createRole(input: {slug: \"many\", name: \"Many\", aliases: $a}) { revision } }",
                   "variables": {"a": aliases}}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(response["errors"][0]["extensions"]["field"], "aliases");
    assert_eq!(state(app).await, unchanged, "no failed write left a trace");

    // The cycle a move would close is named, from the moved skill back to it.
    let error = app
        .write_error(
            &key,
            r#"mutation { moveSkill(input: {skill: "database-management", parent: "query-optimization"}) { revision } }"#,
        )
        .await;
    assert_eq!(
        error["extensions"]["cycle"],
        json!([
            "database-management",
            "query-optimization",
            "database-management"
        ])
    );
    // A prerequisite loop: a → b → c, then c → a.
    app.write(
        &key,
        r#"mutation {
          a: createSkill(input: {slug: "step-a", name: "A"}) { revision }
          b: createSkill(input: {slug: "step-b", name: "B"}) { revision }
          c: createSkill(input: {slug: "step-c", name: "C"}) { revision }
          ab: addSkillPrerequisite(input: {skill: "step-a", prerequisite: "step-b"}) { revision }
          bc: addSkillPrerequisite(input: {skill: "step-b", prerequisite: "step-c"}) { revision }
        }"#,
    )
    .await;
    let before = state(app).await;
    let error = app
        .write_error(
            &key,
            r#"mutation { addSkillPrerequisite(input: {skill: "step-c", prerequisite: "step-a"}) { revision } }"#,
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert_eq!(
        error["extensions"]["cycle"],
        json!(["step-c", "step-a", "step-b", "step-c"])
    );
    let error = app
        .write_error(
            &key,
            r#"mutation { addSkillPrerequisite(input: {skill: "step-a", prerequisite: "step-a"}) { revision } }"#,
        )
        .await;
    assert_eq!(error["extensions"]["cycle"], json!(["step-a", "step-a"]));
    assert_eq!(state(app).await, before);
}

async fn deleting_what_others_depend_on_needs_cascade(app: &TestApp) {
    let key = writer(app).await;
    let before = state(app).await;
    let error = app
        .write_error(
            &key,
            r#"mutation { deleteLanguage(input: {language: "python"}) { revision } }"#,
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert_eq!(error["extensions"]["field"], "cascade");
    let dependents = error["extensions"]["dependents"]
        .as_array()
        .expect("dependents");
    assert!(
        dependents.contains(&json!("Framework:django")),
        "{dependents:?}"
    );
    assert_eq!(state(app).await, before, "nothing deleted");

    let subtree = app
        .data(r#"{ skill(slug: "database-management") { descendants { skill { slug } } } }"#)
        .await;
    let descendants: Vec<String> = subtree["skill"]["descendants"]
        .as_array()
        .expect("descendants")
        .iter()
        .map(|entry| {
            entry["skill"]["slug"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert!(!descendants.is_empty());
    app.write(
        &key,
        r#"mutation { deleteSkill(input: {skill: "database-management", cascade: true}) { deletedSlug } }"#,
    )
    .await;
    for slug in descendants
        .iter()
        .chain(["database-management".to_owned()].iter())
    {
        let data = app
            .data(&format!(r#"{{ skill(slug: "{slug}") {{ slug }} }}"#))
            .await;
        assert_eq!(data["skill"], Value::Null, "{slug} went with its parent");
    }
    // No edge is left dangling: the roles that needed them no longer list them.
    let data = app
        .data(
            r#"{ role(slug: "database-administrator") { skills(first: 100) { nodes { slug } } } }"#,
        )
        .await;
    let remaining = data["role"]["skills"]["nodes"].as_array().expect("skills");
    assert!(
        remaining.iter().all(
            |node| !descendants.contains(&node["slug"].as_str().unwrap_or_default().to_owned())
        )
    );

    app.write(
        &key,
        r#"mutation { deleteLanguage(input: {language: "python", cascade: true}) { deletedSlug } }"#,
    )
    .await;
    let data = app.data(r#"{ framework(slug: "django") { slug } }"#).await;
    assert_eq!(
        data["framework"],
        Value::Null,
        "the language's frameworks went with it"
    );
    // A role has no dependents: it is deleted with its edges.
    app.write(
        &key,
        r#"mutation { deleteRole(input: {role: "backend-developer"}) { deletedSlug } }"#,
    )
    .await;
}

async fn versions_refuse_lost_updates(app: &TestApp) {
    let key = writer(app).await;
    let read = app.data(r#"{ skill(slug: "caching") { version } }"#).await;
    let version = read["skill"]["version"].as_i64().expect("version");
    app.write(
        &key,
        &format!(r#"mutation {{ updateSkill(input: {{skill: "caching", expectedVersion: {version}, name: "Caching!"}}) {{ revision }} }}"#),
    )
    .await;
    let error = app
        .write_error(
            &key,
            &format!(r#"mutation {{ updateSkill(input: {{skill: "caching", expectedVersion: {version}, name: "Lost"}}) {{ revision }} }}"#),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert_eq!(error["extensions"]["field"], "expectedVersion");
    let read = app
        .data(r#"{ skill(slug: "caching") { name version } }"#)
        .await;
    assert_eq!(
        read["skill"],
        json!({"name": "Caching!", "version": version + 1})
    );
    let error = app
        .write_error(
            &key,
            &format!(r#"mutation {{ deleteSkill(input: {{skill: "caching", expectedVersion: {version}, cascade: true}}) {{ revision }} }}"#),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
}

/// `text`, an RFC 3339 time, in milliseconds since the Unix epoch.
fn rfc3339_ms(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|err| panic!("{text:?} is not RFC 3339: {err}"))
        .timestamp_millis()
}

async fn the_change_log_records_who_changed_what(app: &TestApp) {
    let key = writer(app).await;
    let admin = app.key("auditor", Scope::Admin).await;
    let start = app.data("{ catalog { revision updatedAt } }").await;
    assert_eq!(start["catalog"], json!({"revision": 0, "updatedAt": null}));
    let started = chrono::Utc::now().timestamp_millis();
    app.write(
        &key,
        r#"mutation { updateTool(input: {tool: "redis", name: "Redis OSS"}) { revision } }"#,
    )
    .await;
    app.write(
        &key,
        r#"mutation { setRoleTool(input: {role: "frontend-developer", tool: "redis", importance: OPTIONAL}) { revision } }"#,
    )
    .await;
    app.write(
        &key,
        r#"mutation { createLanguage(input: {slug: "gleam", name: "Gleam"}) { revision } }"#,
    )
    .await;
    let finished = chrono::Utc::now().timestamp_millis();
    let catalog = app.data("{ catalog { revision updatedAt } }").await;
    assert_eq!(catalog["catalog"]["revision"], 3);
    // Each change is stamped within the test's writes, in order, and the catalog was last
    // changed when the last of them was made.
    let (_, stamps) = app
        .post_as(
            &admin,
            json!({"query": "{ changes(first: 3) { edges { node { revision at } } } }"}),
        )
        .await;
    let stamps: Vec<(i64, i64)> = stamps["data"]["changes"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{stamps:#}"))
        .iter()
        .map(|edge| {
            let at = edge["node"]["at"].as_str().expect("a time");
            (
                edge["node"]["revision"].as_i64().expect("a revision"),
                rfc3339_ms(at),
            )
        })
        .collect();
    assert_eq!(
        stamps
            .iter()
            .map(|(revision, _)| *revision)
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert!(
        stamps.windows(2).all(|pair| pair[0].1 <= pair[1].1),
        "{stamps:?}"
    );
    assert!(
        started <= stamps[0].1 && stamps[2].1 <= finished,
        "{started} <= {stamps:?} <= {finished}"
    );
    let updated_at = catalog["catalog"]["updatedAt"].as_str().expect("a time");
    assert_eq!(rfc3339_ms(updated_at), stamps[2].1, "{updated_at}");

    let (_, log) = app
        .post_as(
            &admin,
            json!({"query": "{ changes(first: 2) { edges { cursor node { revision keyName operation kind slug before after } } pageInfo { hasNextPage endCursor } } }"}),
        )
        .await;
    let changes = &log["data"]["changes"];
    assert_eq!(
        changes["edges"][0]["node"],
        json!({"revision": 1, "keyName": "curator", "operation": "updateTool", "kind": "TOOL",
               "slug": "redis", "before": {"name": "Redis"}, "after": {"name": "Redis OSS"}})
    );
    assert_eq!(changes["edges"][1]["node"]["kind"], "ROLE");
    assert_eq!(
        changes["edges"][1]["node"]["before"],
        json!({"tools": null})
    );
    assert_eq!(
        changes["edges"][1]["node"]["after"]["tools"]["slug"],
        "redis"
    );
    assert_eq!(changes["pageInfo"]["hasNextPage"], true);
    let cursor = changes["pageInfo"]["endCursor"].as_str().expect("cursor");
    let (_, next) = app
        .post_as(
            &admin,
            json!({"query": "query($after: String) { changes(after: $after) { edges { node { revision operation before } } pageInfo { hasNextPage } } }",
                   "variables": {"after": cursor}}),
        )
        .await;
    assert_eq!(
        next["data"]["changes"]["edges"],
        json!([{"node": {"revision": 3, "operation": "createLanguage", "before": null}}])
    );
    let id = app.data(r#"{ tool(slug: "redis") { id } }"#).await["tool"]["id"].clone();
    let (_, by_node) = app
        .post_as(
            &admin,
            json!({"query": "query($id: ID) { changes(node: $id) { edges { node { revision } } } }", "variables": {"id": id}}),
        )
        .await;
    assert_eq!(
        by_node["data"]["changes"]["edges"],
        json!([{"node": {"revision": 1}}])
    );
    let (_, later) = app
        .post_as(
            &admin,
            json!({"query": "{ changes(since: \"2999-01-01T00:00:00Z\") { edges { node { revision } } } }"}),
        )
        .await;
    assert_eq!(later["data"]["changes"]["edges"], json!([]));
    // The log is public, but who made a change is for admins.
    let public = app
        .write(
            &key,
            "{ changes(first: 1) { edges { node { revision keyName } } } }",
        )
        .await;
    assert_eq!(
        public["changes"]["edges"],
        json!([{"node": {"revision": 1, "keyName": null}}])
    );
}

async fn nodes_are_addressed_by_slug_or_global_id(app: &TestApp) {
    let key = writer(app).await;
    let ids = app
        .data(r#"{ role(slug: "frontend-developer") { id } skill(slug: "caching") { id } }"#)
        .await;
    let (role, skill) = (ids["role"]["id"].clone(), ids["skill"]["id"].clone());
    let (_, response) = app
        .post_as(
            &key,
            json!({"query": "mutation($role: ID!, $skill: ID!) { setRoleSkill(input: {role: $role, skill: $skill, importance: OPTIONAL, level: BEGINNER}) { role { slug } skill { slug } } }",
                   "variables": {"role": role, "skill": skill}}),
        )
        .await;
    assert_eq!(
        response["data"]["setRoleSkill"],
        json!({"role": {"slug": "frontend-developer"}, "skill": {"slug": "caching"}})
    );
    // A global ID of another kind is refused, naming the field.
    let (_, response) = app
        .post_as(
            &key,
            json!({"query": "mutation($id: ID!) { updateSkill(input: {skill: $id, name: \"X\"}) { revision } }",
                   "variables": {"id": role}}),
        )
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert_eq!(response["errors"][0]["extensions"]["field"], "skill");
    let error = app
        .write_error(
            &key,
            r#"mutation { updateSkill(input: {skill: "Not a slug!", name: "X"}) { revision } }"#,
        )
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
}

async fn several_mutations_run_in_order(app: &TestApp) {
    let key = writer(app).await;
    let data = app
        .write(
            &key,
            r#"mutation {
              first: createSkill(input: {slug: "ordered-a", name: "A"}) { revision }
              second: createSkill(input: {slug: "ordered-b", name: "B", parent: "ordered-a"}) { revision skill { parent { slug } } }
              third: updateSkill(input: {skill: "ordered-a", name: "A2", expectedVersion: 1}) { revision }
            }"#,
        )
        .await;
    assert_eq!(data["first"]["revision"], 1);
    assert_eq!(data["second"]["revision"], 2);
    assert_eq!(data["second"]["skill"]["parent"]["slug"], "ordered-a");
    assert_eq!(data["third"]["revision"], 3);
    // A failed field answers null and the ones after it still run.
    let (_, response) = app
        .post_as(
            &key,
            json!({"query": r#"mutation {
              bad: createSkill(input: {slug: "ordered-a", name: "Again"}) { revision }
              good: updateSkill(input: {skill: "ordered-b", name: "B2"}) { revision }
            }"#}),
        )
        .await;
    let keys: Vec<&String> = response["data"].as_object().expect("data").keys().collect();
    assert_eq!(keys, ["bad", "good"]);
    assert_eq!(response["data"]["bad"], Value::Null);
    assert_eq!(response["data"]["good"]["revision"], 4);
    assert_eq!(response["errors"][0]["path"], json!(["bad"]));
}
