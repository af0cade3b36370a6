//! Answers computed from the graph, checked against the built-in catalog by hand; the large
//! ones are also compared whole with a snapshot (`tests/api/snapshots/`), the same on both
//! backends.

use std::collections::{HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use skillgraph::keys::Scope;

use crate::helpers::{TestApp, assert_snapshot, backend_tests};

backend_tests!(
    the_gap_of_a_python_developer_to_backend_developer,
    a_path_orders_the_missing_skills_after_their_prerequisites,
    the_whole_path_to_backend_developer_respects_every_prerequisite,
    a_cycle_in_the_prerequisites_is_reported_not_looped_on,
    roles_near_a_role_and_roles_that_fit_a_person,
    answers_list_their_fields_in_the_query_order,
    answers_in_a_list_cost_no_statement_per_item,
    mentions_are_found_with_javascript_offsets,
    oversized_arguments_are_refused,
    search_ranks_every_kind_and_says_why,
    search_sees_a_new_alias_at_once,
    a_posting_in_a_learning_plan_out,
    every_labelled_posting_finds_its_role_first,
    a_match_is_scored_and_explained_as_documented,
    ambiguous_words_are_found_by_their_context,
);

/// Backend Developer's skills, in the catalog's order.
async fn backend_skills(app: &TestApp) -> Vec<String> {
    let data = app
        .data(r#"{ role(slug: "backend-developer") { skills(first: 100) { nodes { slug } } } }"#)
        .await;
    data["role"]["skills"]["nodes"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|node| node["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The global ID of the node of `kind` (as answers name it, `LANGUAGE`) and `slug`: URL-safe
/// base64 of its type and slug, `Language:python`.
fn global_id(kind: &Value, slug: &str) -> Value {
    let kind = kind.as_str().expect("a kind");
    let type_name = format!("{}{}", &kind[..1], kind[1..].to_lowercase());
    json!(URL_SAFE_NO_PAD.encode(format!("{type_name}:{slug}")))
}

fn have(slugs: &[String]) -> String {
    let entries: Vec<String> = slugs.iter().map(|s| format!("{{slug: \"{s}\"}}")).collect();
    format!("[{}]", entries.join(", "))
}

async fn path(app: &TestApp, have: &str) -> Value {
    app.data(&format!(
        r#"{{ learningPath(role: "backend-developer", have: {have}) {{
              steps {{ position slug importance level reason skill {{ name }} }} cycle }} }}"#
    ))
    .await["learningPath"]
        .clone()
}

async fn the_gap_of_a_python_developer_to_backend_developer(app: &TestApp) {
    let data = app
        .data(
            r#"{ skillGap(role: "backend-developer", have: [{slug: "python"}, {slug: "django"},
                   {slug: "git"}, {slug: "sql"}, {slug: "sql-querying", level: BEGINNER}, {slug: "cobol"}]) {
                 role { name } coverage unknown
                 covered { kind slug name importance node { id } }
                 belowLevel { slug level held credit importance }
                 missing { slug } }
               nobody: skillGap(role: "astronaut", have: []) { coverage } }"#,
        )
        .await;
    let gap = &data["skillGap"];
    assert_eq!(gap["role"]["name"], "Backend Developer");
    assert_eq!(
        gap["covered"]
            .as_array()
            .expect("covered")
            .iter()
            .map(|item| (
                item["kind"].clone(),
                item["slug"].clone(),
                item["importance"].clone()
            ))
            .collect::<Vec<_>>(),
        vec![
            (json!("LANGUAGE"), json!("python"), json!("ESSENTIAL")),
            (json!("LANGUAGE"), json!("sql"), json!("ESSENTIAL")),
            (json!("FRAMEWORK"), json!("django"), json!("ESSENTIAL")),
            (json!("TOOL"), json!("git"), json!("ESSENTIAL")),
        ]
    );
    for item in gap["covered"].as_array().expect("covered") {
        let slug = item["slug"].as_str().expect("a slug");
        assert_eq!(item["node"]["id"], global_id(&item["kind"], slug), "{item}");
    }
    assert_eq!(
        gap["belowLevel"],
        json!([{"slug": "sql-querying", "level": "ADVANCED", "held": "BEGINNER",
                "credit": 1.0 / 3.0, "importance": "ESSENTIAL"}])
    );
    assert_eq!(gap["unknown"], json!(["cobol"]));
    // 88 needs: 49 skills, 8 languages, 9 frameworks, 22 tools; 4 covered, 1 below level.
    let missing = gap["missing"].as_array().expect("missing");
    assert_eq!(missing.len(), 83);
    assert_eq!(missing[0]["slug"], "server-side-programming");
    // 53 essential needs (weight 2) and 35 optional (weight 1): 141. Four essentials met
    // (8) and one held at a third of its level (2/3).
    let coverage = gap["coverage"].as_f64().expect("coverage");
    assert!(
        (coverage - (8.0 + 2.0 / 3.0) / 141.0).abs() < 1e-12,
        "{coverage}"
    );
    assert_eq!(data["nobody"], Value::Null);
    assert_snapshot("skill_gap_python_developer_to_backend_developer", &data);
}

async fn a_path_orders_the_missing_skills_after_their_prerequisites(app: &TestApp) {
    let lacking = [
        "query-optimization",
        "schema-design",
        "relational-databases",
    ];
    let held: Vec<String> = backend_skills(app)
        .await
        .into_iter()
        .filter(|slug| !lacking.contains(&slug.as_str()))
        .collect();
    let steps = |path: &Value| -> Vec<(String, String, String)> {
        path["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|step| {
                (
                    step["slug"].as_str().unwrap_or_default().to_owned(),
                    step["importance"].as_str().unwrap_or_default().to_owned(),
                    step["reason"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let first = path(app, &have(&held)).await;
    let essential = |slug: &str| {
        (
            slug.to_owned(),
            "ESSENTIAL".to_owned(),
            "essential for Backend Developer".to_owned(),
        )
    };
    assert_eq!(
        steps(&first),
        vec![
            essential("relational-databases"),
            essential("schema-design"),
            essential("query-optimization")
        ]
    );
    assert_eq!(first["steps"][2]["level"], "INTERMEDIATE");
    assert_eq!(first["steps"][0]["skill"]["name"], "Relational Databases");
    assert_eq!(first["cycle"], json!([]));

    // A new prerequisite, written through the API, shows at once (the index follows the
    // catalog's revision), inherits the importance of what waits for it, and says why.
    let key = app.key("teacher", Scope::Write).await;
    app.write(
        &key,
        r#"mutation {
          createSkill(input: {slug: "set-theory", name: "Set Theory"}) { revision }
          addSkillPrerequisite(input: {skill: "relational-databases", prerequisite: "set-theory"}) { revision }
        }"#,
    )
    .await;
    let second = path(app, &have(&held)).await;
    assert_eq!(
        steps(&second)[0],
        (
            "set-theory".to_owned(),
            "ESSENTIAL".to_owned(),
            "prerequisite of Relational Databases".to_owned()
        )
    );
    assert_eq!(second["steps"][0]["level"], Value::Null);
    assert_eq!(steps(&second)[1..], steps(&first)[..]);
    // Held prerequisites are not repeated.
    let mut knows_sets = held.clone();
    knows_sets.push("set-theory".into());
    assert_eq!(steps(&path(app, &have(&knows_sets)).await), steps(&first));
}

/// Each skill's prerequisites, read through the API.
pub(crate) async fn prerequisites(app: &TestApp) -> HashMap<String, Vec<String>> {
    let data = app
        .data("{ skills(first: 100) { nodes { slug prerequisites { slug } } } }")
        .await;
    data["skills"]["nodes"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|node| {
            let slug = node["slug"].as_str().unwrap_or_default().to_owned();
            let before = node["prerequisites"]
                .as_array()
                .expect("prerequisites")
                .iter()
                .map(|p| p["slug"].as_str().unwrap_or_default().to_owned())
                .collect();
            (slug, before)
        })
        .collect()
}

async fn the_whole_path_to_backend_developer_respects_every_prerequisite(app: &TestApp) {
    let path = path(app, "[]").await;
    let order: Vec<String> = path["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| step["slug"].as_str().unwrap_or_default().to_owned())
        .collect();
    let needed: HashSet<String> = backend_skills(app).await.into_iter().collect();
    assert_eq!(order.len(), needed.len(), "each skill once");
    assert_eq!(order.iter().collect::<HashSet<_>>().len(), order.len());
    assert_eq!(
        order[0], "server-side-programming",
        "essential, no prerequisite, first in the catalog"
    );
    let at: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    for (skill, before) in prerequisites(app).await {
        for prerequisite in before {
            if let (Some(p), Some(s)) = (at.get(prerequisite.as_str()), at.get(skill.as_str())) {
                assert!(p < s, "{prerequisite} comes before {skill}");
            }
        }
    }
    let positions: Vec<i64> = path["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| step["position"].as_i64().unwrap_or_default())
        .collect();
    assert_eq!(positions, (1..=order.len() as i64).collect::<Vec<_>>());
    assert_snapshot("learning_path_to_backend_developer", &path);
}

async fn a_cycle_in_the_prerequisites_is_reported_not_looped_on(app: &TestApp) {
    // Written behind the API's back (the API refuses cycles): Server-side Programming now
    // also needs Version Control, which needs Server-side Programming.
    app.db
        .conn
        .execute_unprepared(
            "INSERT INTO skill_prerequisite (skill_id, prerequisite_id, position) \
             SELECT s.id, v.id, 0 FROM skill s, skill v \
             WHERE s.slug = 'server-side-programming' AND v.slug = 'version-control'",
        )
        .await
        .expect("a cycle");
    let path = path(app, "[]").await;
    let cycle: Vec<String> = path["cycle"]
        .as_array()
        .expect("cycle")
        .iter()
        .map(|slug| slug.as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        cycle.contains(&"server-side-programming".to_owned()),
        "{cycle:?}"
    );
    assert!(cycle.contains(&"version-control".to_owned()), "{cycle:?}");
    let placed = path["steps"].as_array().expect("steps").len();
    assert_eq!(
        placed + cycle.len(),
        backend_skills(app).await.len(),
        "every skill once"
    );
    assert_snapshot("learning_path_with_a_cycle", &path);
}

async fn roles_near_a_role_and_roles_that_fit_a_person(app: &TestApp) {
    let data = app
        .data(
            r#"{ role(slug: "backend-developer") { related(first: 4) { role { slug } similarity sharedCount shared { slug } } }
                 recommendRoles(have: [{slug: "html"}, {slug: "css"}, {slug: "javascript"}], first: 2) {
                   role { slug } coverage missingEssentials gap { covered { slug } } }
                 roleGap(from: "frontend-developer", to: "full-stack-developer") { covered { slug } missing { slug } coverage }
                 nobody: roleGap(from: "astronaut", to: "backend-developer") { coverage } }"#,
        )
        .await;
    let related = data["role"]["related"].as_array().expect("related");
    assert_eq!(related.len(), 4, "every other role");
    assert_eq!(
        related[0]["role"]["slug"], "full-stack-developer",
        "the nearest role"
    );
    let similarities: Vec<f64> = related
        .iter()
        .map(|r| r["similarity"].as_f64().unwrap_or(-1.0))
        .collect();
    assert!(
        similarities.windows(2).all(|w| w[0] >= w[1]),
        "{similarities:?}"
    );
    assert!(similarities.iter().all(|s| (0.0..=1.0).contains(s)));
    assert_eq!(
        related[0]["sharedCount"].as_u64(),
        related[0]["shared"].as_array().map(|a| a.len() as u64)
    );
    assert!(
        related[0]["shared"]
            .as_array()
            .expect("shared")
            .contains(&json!({"slug": "javascript"}))
    );

    let fits = data["recommendRoles"].as_array().expect("fits");
    assert_eq!(fits[0]["role"]["slug"], "frontend-developer");
    assert_eq!(
        fits[0]["gap"]["covered"],
        json!([{"slug": "html"}, {"slug": "css"}, {"slug": "javascript"}])
    );
    assert!(fits[0]["coverage"].as_f64() > fits[1]["coverage"].as_f64());

    // Frontend → Full-Stack: the shared needs are covered; JavaScript among them.
    let gap = &data["roleGap"];
    let covered = gap["covered"].as_array().expect("covered");
    assert!(covered.contains(&json!({"slug": "javascript"})), "{gap}");
    assert!(
        !gap["missing"]
            .as_array()
            .expect("missing")
            .contains(&json!({"slug": "javascript"}))
    );
    assert_eq!(data["nobody"], Value::Null);
    assert_snapshot("related_recommended_and_role_gap", &data);

    let error = app
        .error(r#"{ role(slug: "backend-developer") { related(first: 101) { similarity } } }"#)
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
}

async fn answers_list_their_fields_in_the_query_order(app: &TestApp) {
    let text = app
        .post_text(json!({"query": r#"{ skillGap(role: "devops-engineer", have: [{slug: "bash"}]) {
            covered { node { ... on Language { name } } credit slug } coverage role { slug name } } }"#}))
        .await;
    assert!(
        text.starts_with(r#"{"data":{"skillGap":{"covered":[{"node":{"name":"Bash"},"credit":1.0,"slug":"bash"}],"coverage":"#),
        "{text}"
    );
    assert!(
        text.ends_with(r#""role":{"slug":"devops-engineer","name":"DevOps Engineer"}}}}"#),
        "{text}"
    );
    let key = app.key("orderly", Scope::Write).await;
    let answer = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&key)
        .json(&json!({"query": r#"mutation { createSkill(input: {slug: "ordered", name: "O", parent: "caching", clientMutationId: "c"}) {
                skill { parent { slug } slug } clientMutationId revision } }"#}))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    assert_eq!(
        answer,
        r#"{"data":{"createSkill":{"skill":{"parent":{"slug":"caching"},"slug":"ordered"},"clientMutationId":"c","revision":1}}}"#
    );
}

/// Once the index is built, `related` under every role costs the roles' page, one look at the
/// catalog's revision for the whole request, and one batch of the related roles: three
/// statements, whatever the number of roles.
async fn answers_in_a_list_cost_no_statement_per_item(app: &TestApp) {
    let query =
        "{ roles(first: 100) { nodes { slug related(first: 4) { role { slug } similarity } } } }";
    app.data(query).await;
    assert_eq!(app.statements_for(query).await, 3);
    // The other answers that name nodes: the revision, then one statement per kind of node
    // named (and the page of skills): never one per item.
    for (query, statements) in [
        (
            "{ skills(first: 100) { nodes { slug related(first: 5) { skill { slug } } } } }",
            3,
        ),
        (
            r#"{ nextSkills(have: [{slug: "python"}]) { roles { slug } skills { skill { slug } unlocks { slug } gains { role { slug } } } } }"#,
            3,
        ),
        (
            // The roles of the steps, and the skills, languages, frameworks and tools missing.
            r#"{ careerRoute(from: "frontend-developer", to: "database-administrator") { steps { from { slug } to { slug } gap { missing { node { id } } } } } }"#,
            6,
        ),
    ] {
        app.data(query).await;
        assert_eq!(app.statements_for(query).await, statements, "{query}");
    }
}

/// Where `part` starts in `text`, in UTF-16 code units, as JavaScript counts.
fn utf16_offset(text: &str, part: &str) -> usize {
    let at = text.find(part).expect("the part is in the text");
    text[..at].encode_utf16().count()
}

async fn mentions_are_found_with_javascript_offsets(app: &TestApp) {
    let text = "We want a Backend Developer: Python or C# (.NET), Node.js and Postgres; 🚀 \
                REST APIs with caching. Not Google, but ASP.NET Core and Git.";
    let answer = app
        .post(json!({"query": "query($t: String!) { extractSkills(text: $t) { start end text kind slug byName node { id } } }",
                     "variables": {"t": text}}))
        .await;
    let found = answer["data"]["extractSkills"]
        .as_array()
        .expect("mentions");
    let expected = [
        ("Backend Developer", "ROLE", "backend-developer", true),
        ("Python", "LANGUAGE", "python", true),
        ("C#", "LANGUAGE", "csharp", true),
        (".NET", "LANGUAGE", "csharp", false),
        ("Node.js", "TOOL", "nodejs", true),
        ("Postgres", "TOOL", "postgresql", false),
        ("REST APIs", "SKILL", "restful-apis", false),
        ("caching", "SKILL", "caching", true),
        ("ASP.NET Core", "FRAMEWORK", "aspnet-core", true),
        ("Git", "TOOL", "git", true),
    ];
    assert_eq!(found.len(), expected.len(), "{answer:#}");
    for (mention, (written, kind, slug, by_name)) in found.iter().zip(expected) {
        let start = utf16_offset(text, written);
        assert_eq!(
            (
                &mention["text"],
                &mention["kind"],
                &mention["slug"],
                &mention["byName"]
            ),
            (&json!(written), &json!(kind), &json!(slug), &json!(by_name))
        );
        assert_eq!(mention["start"], start, "{written}");
        assert_eq!(
            mention["end"],
            start + written.encode_utf16().count(),
            "{written}"
        );
        assert_eq!(mention["node"]["id"], global_id(&json!(kind), slug));
    }
    assert_snapshot("extract_skills_mentions", &answer);
}

async fn oversized_arguments_are_refused(app: &TestApp) {
    let have: Vec<Value> = (0..1001)
        .map(|i| json!({"slug": format!("s{i}")}))
        .collect();
    let answer = app
        .post(json!({"query": "query($h: [HaveInput!]!) { skillGap(role: \"backend-developer\", have: $h) { coverage } }",
                     "variables": {"h": have}}))
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{answer}"
    );
    let error = app
        .error("{ recommendRoles(have: [], first: -1) { coverage } }")
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    let admin = app.key("auditor", Scope::Admin).await;
    let (_, answer) = app
        .post_as(
            &admin,
            json!({"query": "{ changes(first: 101) { edges { cursor } } }"}),
        )
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{answer}"
    );
    let (_, answer) = app
        .post_as(
            &admin,
            json!({"query": "{ changes(after: \"not-a-cursor\") { edges { cursor } } }"}),
        )
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{answer}"
    );
}

async fn search(app: &TestApp, query: &str, rest: &str) -> Vec<(String, String, String, i64)> {
    let answer = app
        .post(json!({"query": format!("query($q: String!) {{ search(query: $q{rest}) {{ kind slug name matchedBy matched distance node {{ id }} }} }}"),
                     "variables": {"q": query}}))
        .await;
    answer["data"]["search"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer:#}"))
        .iter()
        .map(|hit| {
            let slug = hit["slug"].as_str().unwrap_or_default();
            assert_eq!(hit["node"]["id"], global_id(&hit["kind"], slug), "{hit}");
            (
                hit["slug"].as_str().unwrap_or_default().to_owned(),
                hit["matchedBy"].as_str().unwrap_or_default().to_owned(),
                hit["matched"].as_str().unwrap_or_default().to_owned(),
                hit["distance"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

fn hit(slug: &str, by: &str, matched: &str, distance: i64) -> (String, String, String, i64) {
    (slug.into(), by.into(), matched.into(), distance)
}

async fn search_ranks_every_kind_and_says_why(app: &TestApp) {
    // The catalog names PostgreSQL (alias Postgres), JavaScript (alias JS), Django.
    assert_eq!(
        search(app, "postgres", "").await,
        [hit("postgresql", "PREFIX", "PostgreSQL", 0)]
    );
    assert_eq!(
        search(app, "  DJANGO ", "").await[0],
        hit("django", "EXACT", "Django", 0)
    );
    assert_eq!(
        search(app, "dajngo", "").await,
        [hit("django", "TYPO", "Django", 1)]
    );
    assert_eq!(
        search(app, "javscript", "").await,
        [hit("javascript", "TYPO", "JavaScript", 1)]
    );
    assert_eq!(
        search(app, "postgress", "").await,
        [hit("postgresql", "TYPO", "Postgres", 1)]
    );
    assert_eq!(
        search(app, "backend-developer", "").await[0],
        hit("backend-developer", "EXACT", "backend-developer", 0)
    );
    // `js`: the alias JS, then the alias JSON Web Tokens, then the `.js` of the JavaScript
    // frameworks and tools (better-connected first), then NestJS, where it is inside a word.
    let js = search(app, "js", "").await;
    assert_eq!(js[0], hit("javascript", "ALIAS", "JS", 0));
    assert_eq!(
        js[1],
        hit("token-authentication", "ALIAS", "JSON Web Tokens", 0)
    );
    let ranks: Vec<&str> = js.iter().map(|h| h.1.as_str()).collect();
    let mut sorted = ranks.clone();
    sorted.sort_by_key(|rank| {
        [
            "EXACT",
            "PREFIX",
            "ALIAS",
            "WORD_PREFIX",
            "SUBSTRING",
            "TYPO",
        ]
        .iter()
        .position(|r| r == rank)
    });
    assert_eq!(ranks, sorted, "ranks come in order");
    assert!(
        js.contains(&hit("nodejs", "WORD_PREFIX", "Node.js", 0)),
        "{js:?}"
    );
    assert_eq!(js.last(), Some(&hit("nestjs", "SUBSTRING", "NestJS", 0)));
    let whole = app
        .data(
            r#"{ search(query: "js") { kind slug name matchedBy matched distance node { id } } }"#,
        )
        .await;
    assert_eq!(whole["search"].as_array().map(Vec::len), Some(js.len()));
    assert_snapshot("search_js", &whole);
    // Kinds and first.
    let frameworks = search(app, "js", ", kinds: [FRAMEWORK], first: 2").await;
    assert_eq!(frameworks.len(), 2);
    let kinds = app
        .data(r#"{ search(query: "js", kinds: [FRAMEWORK]) { kind } }"#)
        .await;
    assert!(
        kinds["search"]
            .as_array()
            .expect("hits")
            .iter()
            .all(|hit| hit["kind"] == "FRAMEWORK")
    );
    assert!(search(app, "qqqq", "").await.is_empty());
    assert!(search(app, "", "").await.is_empty());
    // Bad arguments name their field.
    let error = app
        .error(&format!(
            "{{ search(query: \"{}\") {{ slug }} }}",
            "a".repeat(257)
        ))
        .await;
    assert_eq!(
        (&error["extensions"]["code"], &error["extensions"]["field"]),
        (&json!("BAD_USER_INPUT"), &json!("query"))
    );
    let error = app
        .error(r#"{ search(query: "a", first: 101) { slug } }"#)
        .await;
    assert_eq!(error["extensions"]["field"], "first");
}

/// The index follows the catalog: an alias added through the API is found by the next search.
async fn search_sees_a_new_alias_at_once(app: &TestApp) {
    assert!(search(app, "pgsql", "").await.is_empty());
    let key = app.key("curator", Scope::Write).await;
    app.write(
        &key,
        r#"mutation { updateTool(input: {tool: "postgresql", aliases: ["Postgres", "pgsql"]}) { tool { slug } } }"#,
    )
    .await;
    assert_eq!(
        search(app, "pgsql", "").await,
        [hit("postgresql", "ALIAS", "pgsql", 0)]
    );
}

/// A role's needs, by kind and slug, each with its weight (2 essential, 1 optional), read
/// from the role's own edges.
async fn needs_of(app: &TestApp, role: &str) -> HashMap<(String, String), f64> {
    let data = app
        .data(&format!(
            r#"{{ role(slug: "{role}") {{
                 skills(first: 100) {{ edges {{ importance node {{ slug }} }} }}
                 languages(first: 100) {{ edges {{ importance node {{ slug }} }} }}
                 frameworks(first: 100) {{ edges {{ importance node {{ slug }} }} }}
                 tools(first: 100) {{ edges {{ importance node {{ slug }} }} }} }} }}"#
        ))
        .await;
    let mut theirs = HashMap::new();
    for (field, kind) in [
        ("skills", "SKILL"),
        ("languages", "LANGUAGE"),
        ("frameworks", "FRAMEWORK"),
        ("tools", "TOOL"),
    ] {
        for edge in data["role"][field]["edges"].as_array().expect("edges") {
            let weight = if edge["importance"] == "ESSENTIAL" {
                2.0
            } else {
                1.0
            };
            let slug = edge["node"]["slug"].as_str().unwrap_or_default();
            theirs.insert((kind.to_owned(), slug.to_owned()), weight);
        }
    }
    theirs
}

/// Every role's needs, by role slug.
async fn every_roles_needs(app: &TestApp) -> HashMap<String, HashMap<(String, String), f64>> {
    let all = app.data("{ roles(first: 100) { nodes { slug } } }").await;
    let mut needs = HashMap::new();
    for role in all["roles"]["nodes"].as_array().expect("roles") {
        let slug = role["slug"].as_str().unwrap_or_default().to_owned();
        needs.insert(slug.clone(), needs_of(app, &slug).await);
    }
    needs
}

/// Weighted Jaccard of a role's needs against needs that all weigh 2.
async fn similarity_to(app: &TestApp, role: &str, needs: &HashSet<(String, String)>) -> f64 {
    let theirs = needs_of(app, role).await;
    let shared: f64 = needs.iter().filter_map(|need| theirs.get(need)).sum();
    let union: f64 = theirs
        .iter()
        .map(|(need, w)| if needs.contains(need) { 2.0 } else { *w })
        .sum::<f64>()
        + 2.0
            * needs
                .iter()
                .filter(|need| !theirs.contains_key(*need))
                .count() as f64;
    shared / union
}

/// A match's figures as the documentation of `MatchExplanation` defines them, computed here:
/// `(score, confidence, accounted, covered)` of `role` for `asks` (kind and slug, at no
/// level), with the weights of the accounted, covered and titled shares.
fn expected_match(
    all: &HashMap<String, HashMap<(String, String), f64>>,
    role: &str,
    asks: &[(String, String)],
    titled: bool,
    weights: (f64, f64, f64),
) -> (f64, f64, f64, f64) {
    let roles = all.len() as f64;
    let mine = &all[role];
    let (mut told, mut accounted, mut earned, mut met) = (0.0, 0.0, 0.0, 0);
    for ask in asks {
        let needing = all.values().filter(|needs| needs.contains_key(ask)).count() as f64;
        let tells = 1.0 + ((roles + 1.0) / (needing + 1.0)).ln();
        told += tells;
        if let Some(weight) = mine.get(ask) {
            accounted += tells * if *weight == 2.0 { 1.0 } else { 0.5 };
            earned += weight;
            met += 1;
        }
    }
    let accounted = if told > 0.0 { accounted / told } else { 0.0 };
    let covered = earned / mine.values().sum::<f64>();
    let score =
        weights.0 * accounted + weights.1 * covered + weights.2 * f64::from(u8::from(titled));
    let evidence = f64::from(met + 2 * u32::from(titled));
    (
        score,
        score * evidence / (evidence + 1.0),
        accounted,
        covered,
    )
}

async fn a_posting_in_a_learning_plan_out(app: &TestApp) {
    let text = "Backend Developer wanted: REST APIs in Python with Django and PostgreSQL, \
                shipped with Docker on AWS. Python again; Git required.";
    let have = r#"[{slug: "python"}, {slug: "git"}]"#;
    let answer = app
        .post(json!({"query": format!("query($t: String!) {{ analyzePosting(text: $t, have: {have}, first: 3) {{
              mentions {{ kind slug text }}
              roles {{ role {{ slug }} similarity score sharedCount }}
              gap {{ role {{ slug }} coverage missing {{ slug }} }}
              learningPath {{ role {{ slug }} steps {{ slug reason }} }} }} }}"),
                     "variables": {"t": text}}))
        .await;
    let posting = &answer["data"]["analyzePosting"];
    let mentioned: Vec<&str> = posting["mentions"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer:#}"))
        .iter()
        .map(|m| m["slug"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        mentioned,
        [
            "backend-developer",
            "restful-apis",
            "python",
            "django",
            "postgresql",
            "docker",
            "aws",
            "python",
            "git"
        ]
    );
    // The needs: each node once, roles aside.
    let needs: HashSet<(String, String)> = posting["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .filter(|m| m["kind"] != "ROLE")
        .map(|m| {
            (
                m["kind"].as_str().unwrap_or_default().to_owned(),
                m["slug"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(needs.len(), 7);
    let roles = posting["roles"].as_array().expect("roles");
    assert_eq!(roles.len(), 3);
    let all = every_roles_needs(app).await;
    let asks: Vec<(String, String)> = needs.iter().cloned().collect();
    let mut previous = f64::INFINITY;
    for role in roles {
        let slug = role["role"]["slug"].as_str().unwrap_or_default();
        let expected = similarity_to(app, slug, &needs).await;
        let similarity = role["similarity"].as_f64().unwrap_or(-1.0);
        assert!(
            (similarity - expected).abs() < 1e-9,
            "{slug}: {similarity} vs {expected}"
        );
        let titled = slug == "backend-developer";
        let (score, ..) = expected_match(&all, slug, &asks, titled, (0.6, 0.2, 0.2));
        let got = role["score"].as_f64().unwrap_or(-1.0);
        assert!((got - score).abs() < 1e-9, "{slug}: {got} vs {score}");
        assert!(got <= previous, "best first");
        previous = got;
    }
    assert_eq!(
        roles[0]["role"]["slug"], "backend-developer",
        "the role it names"
    );
    // No role outside the three scores higher than the third.
    for slug in all.keys() {
        if roles.iter().all(|r| r["role"]["slug"] != slug.as_str()) {
            let (score, ..) = expected_match(&all, slug, &asks, false, (0.6, 0.2, 0.2));
            assert!(score <= previous, "{slug}");
        }
    }
    // The gap and the path are those of `have` against the closest role.
    let best = roles[0]["role"]["slug"].as_str().unwrap_or_default();
    let direct = app
        .data(&format!(
            r#"{{ skillGap(role: "{best}", have: {have}) {{ role {{ slug }} coverage missing {{ slug }} }}
                 learningPath(role: "{best}", have: {have}) {{ role {{ slug }} steps {{ slug reason }} }} }}"#
        ))
        .await;
    assert_eq!(posting["gap"], direct["skillGap"]);
    assert_eq!(posting["learningPath"], direct["learningPath"]);
    assert_snapshot("analyze_posting", posting);
    assert!(
        !direct["learningPath"]["steps"]
            .as_array()
            .expect("steps")
            .is_empty()
    );
    // A text that mentions nothing: no roles, no gap.
    let nothing = app
        .data(r#"{ analyzePosting(text: "Friendly team, free coffee.") { mentions { slug } roles { similarity } gap { coverage } learningPath { cycle } } }"#)
        .await;
    assert_eq!(
        nothing["analyzePosting"],
        json!({"mentions": [], "roles": [], "gap": null, "learningPath": null})
    );
}

/// The labelled postings of the answer-quality benchmark (`benches/answers/`).
#[derive(serde::Deserialize)]
struct Labelled {
    postings: Vec<LabelledPosting>,
}

#[derive(serde::Deserialize)]
struct LabelledPosting {
    role: String,
    text: String,
}

async fn every_labelled_posting_finds_its_role_first(app: &TestApp) {
    let labelled: Labelled =
        toml::from_str(include_str!("../../benches/answers/postings.toml")).expect("postings");
    assert!(labelled.postings.len() >= 20, "four or more a role");
    let mut wrong = Vec::new();
    for posting in &labelled.postings {
        let answer = app
            .post(json!({
                "query": "query($t: String!) { analyzePosting(text: $t, first: 3) { roles { role { slug } score } } }",
                "variables": {"t": posting.text}}))
            .await;
        let roles = &answer["data"]["analyzePosting"]["roles"];
        if roles[0]["role"]["slug"] != posting.role.as_str() {
            wrong.push(format!("{}: {roles}\n{}", posting.role, posting.text));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// The slugs of a list of gap items.
fn slugs_of(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn close(got: &Value, expected: f64, what: &str) {
    let got = got.as_f64().unwrap_or(f64::NAN);
    assert!((got - expected).abs() < 1e-9, "{what}: {got} vs {expected}");
}

async fn a_match_is_scored_and_explained_as_documented(app: &TestApp) {
    let all = every_roles_needs(app).await;
    let explanation = "explanation { accounted covered titleMatched matched { kind slug importance credit } lacking { kind slug } }";
    // The posting a recruiter tried: it names the role and what the role needs.
    let text = "Backend engineer: build REST APIs in Python with Django, PostgreSQL and Redis; \
                write unit tests; deploy with Docker.";
    let answer = app
        .post(json!({
            "query": format!("query($t: String!) {{ analyzePosting(text: $t, first: 5) {{
                mentions {{ kind slug }} roles {{ role {{ slug }} score confidence {explanation} }} }} }}"),
            "variables": {"t": text}}))
        .await;
    let posting = &answer["data"]["analyzePosting"];
    let asks: Vec<(String, String)> = posting["mentions"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer:#}"))
        .iter()
        .filter(|m| m["kind"] != "ROLE")
        .map(|m| {
            (
                m["kind"].as_str().unwrap_or_default().to_owned(),
                m["slug"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        asks.iter()
            .map(|(_, slug)| slug.as_str())
            .collect::<Vec<_>>(),
        [
            "restful-apis",
            "python",
            "django",
            "postgresql",
            "redis",
            "docker"
        ]
    );
    let roles = posting["roles"].as_array().expect("roles");
    let order: Vec<&str> = roles
        .iter()
        .map(|r| r["role"]["slug"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(order[0], "backend-developer", "{posting:#}");
    let mut previous = f64::INFINITY;
    for role in roles {
        let slug = role["role"]["slug"].as_str().unwrap_or_default();
        let titled = slug == "backend-developer";
        let (score, confidence, accounted, covered) =
            expected_match(&all, slug, &asks, titled, (0.6, 0.2, 0.2));
        close(&role["score"], score, slug);
        close(&role["confidence"], confidence, slug);
        let why = &role["explanation"];
        close(&why["accounted"], accounted, slug);
        close(&why["covered"], covered, slug);
        assert_eq!(why["titleMatched"], titled, "{slug}");
        let needed: Vec<&(String, String)> =
            asks.iter().filter(|a| all[slug].contains_key(*a)).collect();
        let mut matched = slugs_of(&why["matched"]);
        matched.sort();
        let mut expected: Vec<String> = needed.iter().map(|(_, s)| s.clone()).collect();
        expected.sort();
        assert_eq!(matched, expected, "{slug}");
        let lacking: Vec<String> = asks
            .iter()
            .filter(|a| !all[slug].contains_key(*a))
            .map(|(_, s)| s.clone())
            .collect();
        assert_eq!(
            slugs_of(&why["lacking"]),
            lacking,
            "{slug}: in the posting's order"
        );
        let score = role["score"].as_f64().unwrap_or_default();
        assert!(score <= previous && (0.0..=1.0).contains(&score), "{slug}");
        previous = score;
    }
    assert_snapshot("posting_matches", posting);

    // A person: the role that uses what they have and that they cover most.
    let data = app
        .data(&format!(
            r#"{{ recommendRoles(have: [{{slug: "html"}}, {{slug: "css"}}, {{slug: "javascript"}}, {{slug: "bash"}}, {{slug: "nowhere"}}], first: 5) {{
                 role {{ slug }} score confidence coverage {explanation} }}
               role(slug: "backend-developer") {{ related(first: 4) {{ role {{ slug }} similarity score confidence sharedCount {explanation} }} }} }}"#
        ))
        .await;
    let have: Vec<(String, String)> = [
        ("LANGUAGE", "html"),
        ("LANGUAGE", "css"),
        ("LANGUAGE", "javascript"),
        ("LANGUAGE", "bash"),
    ]
    .iter()
    .map(|(k, s)| ((*k).to_owned(), (*s).to_owned()))
    .collect();
    let fits = data["recommendRoles"].as_array().expect("fits");
    assert_eq!(fits.len(), 5, "every role");
    let mut previous = f64::INFINITY;
    for fit in fits {
        let slug = fit["role"]["slug"].as_str().unwrap_or_default();
        // The unknown slug names nothing, and asks nothing.
        let (score, confidence, accounted, covered) =
            expected_match(&all, slug, &have, false, (0.5, 0.5, 0.0));
        close(&fit["score"], score, slug);
        close(&fit["confidence"], confidence, slug);
        close(&fit["explanation"]["accounted"], accounted, slug);
        close(&fit["explanation"]["covered"], covered, slug);
        close(&fit["coverage"], covered, slug);
        let score = fit["score"].as_f64().unwrap_or_default();
        assert!(score <= previous, "{slug}");
        previous = score;
    }
    assert_eq!(fits[0]["role"]["slug"], "frontend-developer");

    // Between two roles the score is the similarity; what is lacking is the first role's rest.
    let own = &all["backend-developer"];
    for related in data["role"]["related"].as_array().expect("related") {
        assert_eq!(related["score"], related["similarity"]);
        let why = &related["explanation"];
        assert_eq!(why["titleMatched"], false);
        let matched = why["matched"].as_array().expect("matched").len();
        assert_eq!(Some(matched as u64), related["sharedCount"].as_u64());
        assert_eq!(
            matched + why["lacking"].as_array().expect("lacking").len(),
            own.len()
        );
        let shared = matched as f64;
        close(
            &related["confidence"],
            related["similarity"].as_f64().unwrap_or_default() * shared / (shared + 1.0),
            "confidence",
        );
    }
}

/// `(slug, text, confidence)` of each mention `extractSkills` finds in `text` (with
/// `minConfidence` when given).
async fn confident(app: &TestApp, text: &str, least: Option<f64>) -> Vec<(String, String, f64)> {
    let answer = app
        .post(json!({
            "query": "query($t: String!, $c: Float) { extractSkills(text: $t, minConfidence: $c) { slug text confidence } }",
            "variables": {"t": text, "c": least}}))
        .await;
    answer["data"]["extractSkills"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer:#}"))
        .iter()
        .map(|m| {
            (
                m["slug"].as_str().unwrap_or_default().to_owned(),
                m["text"].as_str().unwrap_or_default().to_owned(),
                m["confidence"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect()
}

fn found(expected: &[(&str, &str, f64)]) -> Vec<(String, String, f64)> {
    expected
        .iter()
        .map(|(slug, text, confidence)| ((*slug).to_owned(), (*text).to_owned(), *confidence))
        .collect()
}

async fn ambiguous_words_are_found_by_their_context(app: &TestApp) {
    let fair = "we go to the spring fair";
    assert_eq!(
        confident(app, fair, None).await,
        [],
        "no technology by default"
    );
    // Common words with no cue: 0.2 each.
    assert_eq!(
        confident(app, fair, Some(0.0)).await,
        found(&[("go", "go", 0.2), ("spring", "spring", 0.2)])
    );
    // A capital where the catalog writes one, and a preposition: 0.2 + 2 × 0.25.
    assert_eq!(
        confident(app, "Our services are written in Go and Rust.", None).await,
        found(&[("go", "Go", 0.7)])
    );
    // Python is sure on its own (not a common word), and keeps the others company; Go has a
    // capital, a list's comma and company; Express a capital, `and` and company.
    assert_eq!(
        confident(app, "Python, Go and Express for the APIs", None).await,
        found(&[
            ("python", "Python", 1.0),
            ("go", "Go", 0.95),
            ("express", "Express", 0.95),
            ("api-development", "APIs", 1.0)
        ])
    );
    // A sentence's first word has a capital anyway; alone it stays below the threshold.
    assert_eq!(
        confident(app, "Spring is here.", Some(0.0)).await,
        found(&[("spring", "Spring", 0.2)])
    );
    // SQL is a language and a skill's alias: a technology either way, 0.6 and 0.2 a cue.
    let sql = confident(app, "We write SQL every day", None).await;
    assert_eq!(sql.len(), 1);
    assert!((sql[0].2 - 0.8).abs() < 1e-9, "{sql:?}");
    // The threshold is checked.
    for bad in ["1.5", "-0.1"] {
        let error = app
            .error(&format!(
                r#"{{ extractSkills(text: "Go", minConfidence: {bad}) {{ slug }} }}"#
            ))
            .await;
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
        assert_eq!(error["extensions"]["field"], "minConfidence", "{error}");
    }
    // A posting's analysis reads the confident mentions only.
    let data = app
        .data(r#"{ analyzePosting(text: "we go to the spring fair") { mentions { slug } roles { score } } }"#)
        .await;
    assert_eq!(data["analyzePosting"], json!({"mentions": [], "roles": []}));
}
