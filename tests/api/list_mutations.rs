//! The list mutations (`setRoleSkills`, `setRoleLanguages`, `setRoleFrameworks`,
//! `setRoleTools`): the list given becomes the role's list exactly, in one revision and one
//! change-log entry, or nothing is written; hostile lists are refused quickly, the statements
//! do not grow with the list, and two replicas setting one role's list at once leave one of
//! the two lists whole.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use skillgraph::keys::Scope;
use skillgraph::startup::Settings;

use crate::helpers::{Backend, TestApp, backend_tests, per_backend};

backend_tests!(
    lists_of_every_kind_become_exactly_the_list_given,
    one_call_is_one_revision_and_one_change_log_entry,
    a_refused_list_writes_nothing,
    deprecated_nodes_keep_their_edges_but_get_no_new_ones,
    hostile_lists_are_refused_with_one_error_quickly,
);

/// Tests that start their own apps, without the write rate limit (both macros name their
/// modules after the backends, hence a module of their own).
mod unlimited {
    use super::*;

    per_backend!(
        a_hundred_items_are_set_in_statements_that_do_not_grow,
        lists_set_at_once_on_two_replicas_leave_one_of_them_whole,
    );
}

const ROLE: &str = "backend-developer";

const SET_SKILLS: &str = "mutation($input: SetRoleSkillsInput!) { setRoleSkills(input: $input) {
    role { slug version skills(first: 100) { edges { node { slug } importance level } } }
    clientMutationId revision } }";

/// A skill item of the input.
fn skill(slug: &str, importance: &str, level: &str) -> Value {
    json!({"skill": slug, "importance": importance, "level": level})
}

/// Sets the skills of `role` to `items`; the whole response.
async fn set_skills(app: &TestApp, key: &str, role: &str, items: &[Value]) -> Value {
    set_skills_with(app, key, json!({"role": role, "skills": items})).await
}

async fn set_skills_with(app: &TestApp, key: &str, input: Value) -> Value {
    app.post_as(
        key,
        json!({"query": SET_SKILLS, "variables": {"input": input}}),
    )
    .await
    .1
}

/// The role's skills as `{skill, importance, level}` items, in order: the shape of the input.
async fn skills_of(app: &TestApp, role: &str) -> Vec<Value> {
    let data = app
        .data(&format!(
            r#"{{ role(slug: "{role}") {{ skills(first: 100) {{ edges {{ node {{ slug }} importance level }} }} }} }}"#
        ))
        .await;
    as_items(&data["role"]["skills"])
}

fn as_items(connection: &Value) -> Vec<Value> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| {
            skill(
                str_of(&edge["node"]["slug"]),
                str_of(&edge["importance"]),
                str_of(&edge["level"]),
            )
        })
        .collect()
}

fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// Every skill slug of the catalog (up to 100).
async fn all_skills(app: &TestApp) -> Vec<String> {
    let data = app.data("{ skills(first: 100) { nodes { slug } } }").await;
    data["skills"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| str_of(&node["slug"]).to_owned())
        .collect()
}

async fn revision(app: &TestApp) -> i64 {
    app.data("{ catalog { revision } }").await["catalog"]["revision"]
        .as_i64()
        .expect("revision")
}

async fn version(app: &TestApp, role: &str) -> i64 {
    app.data(&format!(r#"{{ role(slug: "{role}") {{ version }} }}"#))
        .await["role"]["version"]
        .as_i64()
        .expect("version")
}

/// The first error's code and field.
fn refusal(response: &Value) -> (String, String) {
    let errors = response["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "one error: {response:#}");
    let extensions = &errors[0]["extensions"];
    (
        str_of(&extensions["code"]).to_owned(),
        str_of(&extensions["field"]).to_owned(),
    )
}

fn succeeded(response: &Value) -> &Value {
    assert!(
        response.get("errors").is_none(),
        "write failed: {response:#}"
    );
    &response["data"]
}

async fn lists_of_every_kind_become_exactly_the_list_given(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let before = skills_of(app, ROLE).await;
    assert!(before.len() > 3, "a role with a list to change: {before:?}");
    let outsider = all_skills(app)
        .await
        .into_iter()
        .find(|slug| before.iter().all(|item| item["skill"] != slug.as_str()))
        .expect("a skill the role does not need");
    let (old_revision, old_version) = (revision(app).await, version(app, ROLE).await);
    // A new edge first, an existing one with new data, another as it was; the rest go.
    let given = vec![
        skill(&outsider, "OPTIONAL", "BEGINNER"),
        skill(str_of(&before[2]["skill"]), "OPTIONAL", "EXPERT"),
        before[0].clone(),
    ];
    let response = app
        .post_as(
            &key,
            json!({"query": SET_SKILLS, "variables": {"input":
                {"role": ROLE, "skills": given, "clientMutationId": "list-1"}}}),
        )
        .await
        .1;
    let payload = &succeeded(&response)["setRoleSkills"];
    assert_eq!(
        as_items(&payload["role"]["skills"]),
        given,
        "the payload's role is as after"
    );
    assert_eq!(payload["clientMutationId"], "list-1");
    assert_eq!(payload["revision"], old_revision + 1);
    assert_eq!(
        payload["role"]["version"],
        old_version + 1,
        "one version more"
    );
    assert_eq!(skills_of(app, ROLE).await, given, "exactly the list given");
    let dropped = str_of(&before[1]["skill"]);
    let reverse = app
        .data(&format!(
            r#"{{ skill(slug: "{dropped}") {{ roles {{ nodes {{ slug }} }} }} }}"#
        ))
        .await;
    assert!(
        !reverse.to_string().contains(ROLE),
        "an edge not named is gone from both ends: {reverse}"
    );

    // The other kinds: each list reversed, its last item dropped, importances flipped.
    for (field, list, target, input_type) in [
        (
            "setRoleLanguages",
            "languages",
            "language",
            "SetRoleLanguagesInput",
        ),
        (
            "setRoleFrameworks",
            "frameworks",
            "framework",
            "SetRoleFrameworksInput",
        ),
        ("setRoleTools", "tools", "tool", "SetRoleToolsInput"),
    ] {
        let read = format!(
            r#"{{ role(slug: "{ROLE}") {{ {list}(first: 100) {{ edges {{ node {{ slug }} importance }} }} }} }}"#
        );
        let items = |data: &Value| -> Vec<Value> {
            data["role"][list]["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|edge| json!({target: edge["node"]["slug"], "importance": edge["importance"]}))
                .collect()
        };
        let old = items(&app.data(&read).await);
        assert!(old.len() >= 2, "{list}: a list to change: {old:?}");
        let mut given: Vec<Value> = old[1..].to_vec();
        given.reverse();
        for item in &mut given {
            let flipped = if item["importance"] == "ESSENTIAL" {
                "OPTIONAL"
            } else {
                "ESSENTIAL"
            };
            item["importance"] = json!(flipped);
        }
        let query = format!(
            "mutation($input: {input_type}!) {{ {field}(input: $input) {{ revision role {{ {list}(first: 100) {{ edges {{ node {{ slug }} importance }} }} }} }} }}"
        );
        let response = app
            .post_as(
                &key,
                json!({"query": query, "variables": {"input": {"role": ROLE, list: given}}}),
            )
            .await
            .1;
        assert_eq!(
            items(&json!({"role": succeeded(&response)[field]["role"]})),
            given,
            "{list}"
        );
        assert_eq!(items(&app.data(&read).await), given, "{list}: as read back");
    }

    // An empty list clears it.
    let cleared = app
        .write(&key, &format!(r#"mutation {{ setRoleTools(input: {{role: "{ROLE}", tools: []}}) {{ role {{ tools {{ totalCount }} }} }} }}"#))
        .await;
    assert_eq!(cleared["setRoleTools"]["role"]["tools"]["totalCount"], 0);
}

async fn one_call_is_one_revision_and_one_change_log_entry(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let admin = app.key("auditor", Scope::Admin).await;
    let id = app
        .data(&format!(r#"{{ role(slug: "{ROLE}") {{ id }} }}"#))
        .await["role"]["id"]
        .clone();
    let log = || async {
        let (_, response) = app
            .post_as(
                &admin,
                json!({"query": "query($id: ID) { changes(node: $id, first: 100) { edges { node { revision keyName operation kind slug before after } } } }",
                       "variables": {"id": id}}),
            )
            .await;
        response["data"]["changes"]["edges"]
            .as_array()
            .expect("the log")
            .iter()
            .map(|edge| edge["node"].clone())
            .collect::<Vec<_>>()
    };
    let before = skills_of(app, ROLE).await;
    let old_log = log().await;
    let old_revision = revision(app).await;
    let given: Vec<Value> = before.iter().rev().take(3).cloned().collect();
    succeeded(&set_skills(app, &key, ROLE, &given).await);
    assert_eq!(
        revision(app).await,
        old_revision + 1,
        "one revision for the whole list"
    );
    let new_log = log().await;
    assert_eq!(new_log.len(), old_log.len() + 1, "one entry: {new_log:#?}");
    let entry = new_log
        .iter()
        .find(|entry| entry["revision"] == old_revision + 1)
        .expect("the entry of the new revision");
    let logged = |items: &[Value]| -> Value {
        json!({"skills": items.iter().map(|item| json!({
            "slug": item["skill"], "importance": item["importance"], "level": item["level"]
        })).collect::<Vec<_>>()})
    };
    assert_eq!(
        *entry,
        json!({"revision": old_revision + 1, "keyName": "curator", "operation": "setRoleSkills",
               "kind": "ROLE", "slug": ROLE, "before": logged(&before), "after": logged(&given)})
    );
}

async fn a_refused_list_writes_nothing(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let known = skills_of(app, ROLE).await;
    let tool_id = app.data(r#"{ tool(slug: "docker") { id } }"#).await["tool"]["id"].clone();
    let too_many: Vec<Value> = (0..101)
        .map(|at| skill(&format!("skill-{at}"), "ESSENTIAL", "EXPERT"))
        .collect();
    let mut unknown_among_known = known.clone();
    unknown_among_known.insert(1, skill("no-such-skill", "ESSENTIAL", "EXPERT"));
    let mut twice = known.clone();
    twice.push(known[0].clone());
    let at_version = version(app, ROLE).await;
    let cases = [
        (
            json!({"role": "no-such-role", "skills": known}),
            "NOT_FOUND",
            "role",
        ),
        (
            json!({"role": ROLE, "skills": unknown_among_known}),
            "NOT_FOUND",
            "skills",
        ),
        (
            json!({"role": ROLE, "skills": [{"skill": tool_id, "importance": "ESSENTIAL", "level": "EXPERT"}]}),
            "BAD_USER_INPUT",
            "skills",
        ),
        (
            json!({"role": ROLE, "skills": twice}),
            "BAD_USER_INPUT",
            "skills",
        ),
        (
            json!({"role": ROLE, "skills": too_many}),
            "BAD_USER_INPUT",
            "skills",
        ),
        (
            json!({"role": ROLE, "skills": known[..1], "expectedVersion": at_version - 1}),
            "CONFLICT",
            "expectedVersion",
        ),
    ];
    let (old_revision, old_list) = (revision(app).await, known.clone());
    for (input, code, field) in cases {
        let response = set_skills_with(app, &key, input.clone()).await;
        assert_eq!(
            refusal(&response),
            (code.to_owned(), field.to_owned()),
            "{input}"
        );
        assert_eq!(response["data"]["setRoleSkills"], Value::Null);
        assert_eq!(
            skills_of(app, ROLE).await,
            old_list,
            "the list stays: {input}"
        );
        assert_eq!(revision(app).await, old_revision, "no revision: {input}");
        assert_eq!(version(app, ROLE).await, at_version, "no version: {input}");
    }
    // The version read is the one to give.
    let response = set_skills_with(
        app,
        &key,
        json!({"role": ROLE, "skills": known[..1], "expectedVersion": at_version}),
    )
    .await;
    assert_eq!(
        succeeded(&response)["setRoleSkills"]["role"]["version"],
        at_version + 1
    );
}

async fn deprecated_nodes_keep_their_edges_but_get_no_new_ones(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let known = skills_of(app, ROLE).await;
    let outsider = all_skills(app)
        .await
        .into_iter()
        .find(|slug| known.iter().all(|item| item["skill"] != slug.as_str()))
        .expect("a skill the role does not need");
    let held = str_of(&known[0]["skill"]).to_owned();
    for slug in [&outsider, &held] {
        let id = app
            .data(&format!(r#"{{ skill(slug: "{slug}") {{ id }} }}"#))
            .await["skill"]["id"]
            .clone();
        app.write(
            &key,
            &format!(
                r#"mutation {{ deprecateNode(input: {{node: "{}"}}) {{ revision }} }}"#,
                str_of(&id)
            ),
        )
        .await;
    }
    let old_revision = revision(app).await;
    // A deprecated skill the role does not hold yet is refused...
    let mut grown = known.clone();
    grown.push(skill(&outsider, "OPTIONAL", "BEGINNER"));
    let response = set_skills(app, &key, ROLE, &grown).await;
    assert_eq!(refusal(&response), ("CONFLICT".into(), "skills".into()));
    assert!(
        str_of(&response["errors"][0]["message"]).contains(&outsider),
        "{response}"
    );
    assert_eq!(skills_of(app, ROLE).await, known);
    assert_eq!(revision(app).await, old_revision);
    // ...one it holds may stay, moved and with new data.
    let mut kept: Vec<Value> = known.iter().rev().cloned().collect();
    let last = kept.len() - 1;
    kept[last] = skill(&held, "OPTIONAL", "INTERMEDIATE");
    succeeded(&set_skills(app, &key, ROLE, &kept).await);
    assert_eq!(skills_of(app, ROLE).await, kept);

    // A deprecated role's list may shrink, not grow.
    let role_id = app
        .data(r#"{ role(slug: "devops-engineer") { id } }"#)
        .await["role"]["id"]
        .clone();
    app.write(
        &key,
        &format!(
            r#"mutation {{ deprecateNode(input: {{node: "{}"}}) {{ revision }} }}"#,
            str_of(&role_id)
        ),
    )
    .await;
    let devops = skills_of(app, "devops-engineer").await;
    let fresh = all_skills(app)
        .await
        .into_iter()
        .find(|slug| {
            *slug != outsider
                && *slug != held
                && devops.iter().all(|item| item["skill"] != slug.as_str())
        })
        .expect("an active skill devops does not need");
    let mut grown = devops.clone();
    grown.push(skill(&fresh, "OPTIONAL", "BEGINNER"));
    let response = set_skills(app, &key, "devops-engineer", &grown).await;
    assert_eq!(refusal(&response), ("CONFLICT".into(), "role".into()));
    succeeded(&set_skills(app, &key, "devops-engineer", &devops[1..]).await);
    assert_eq!(
        skills_of(app, "devops-engineer").await,
        devops[1..].to_vec()
    );
}

async fn hostile_lists_are_refused_with_one_error_quickly(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let known = skills_of(app, ROLE).await;
    let old_revision = revision(app).await;
    // The longest list, every target unknown: one error naming a few, from one lookup.
    let unknown: Vec<Value> = (0..100)
        .map(|at| skill(&format!("no-such-skill-{at}"), "ESSENTIAL", "EXPERT"))
        .collect();
    let statements = app.db.statements.get();
    let started = Instant::now();
    let response = set_skills(app, &key, ROLE, &unknown).await;
    let took = started.elapsed();
    let cost = app.db.statements.get() - statements;
    assert_eq!(refusal(&response), ("NOT_FOUND".into(), "skills".into()));
    let message = str_of(&response["errors"][0]["message"]);
    assert!(
        message.contains("\"no-such-skill-0\"") && message.contains("and 95 more"),
        "{message}"
    );
    assert!(took < Duration::from_secs(2), "answered in {took:?}");
    assert!(
        cost < 15,
        "one lookup for all the targets, not one each: {cost} statements"
    );
    // One target a hundred times.
    let same = vec![known[0].clone(); 100];
    let response = set_skills(app, &key, ROLE, &same).await;
    assert_eq!(
        refusal(&response),
        ("BAD_USER_INPUT".into(), "skills".into())
    );
    assert!(str_of(&response["errors"][0]["message"]).contains("named twice"));
    // Ten thousand items are refused before any lookup.
    let huge: Vec<Value> = (0..10_000).map(|_| known[0].clone()).collect();
    let statements = app.db.statements.get();
    let response = set_skills(app, &key, ROLE, &huge).await;
    assert_eq!(
        refusal(&response),
        ("BAD_USER_INPUT".into(), "skills".into())
    );
    assert!(
        app.db.statements.get() - statements < 5,
        "refused before the database"
    );
    assert_eq!(skills_of(app, ROLE).await, known);
    assert_eq!(revision(app).await, old_revision);
}

fn unlimited(settings: &mut Settings) {
    settings.http.write_rate = 0;
}

async fn a_hundred_items_are_set_in_statements_that_do_not_grow(backend: Backend) {
    let Some(app) = TestApp::builder(backend).settings(unlimited).spawn().await else {
        return;
    };
    let key = app.key("curator", Scope::Write).await;
    let existing = all_skills(&app).await;
    let creates: Vec<String> = (existing.len()..100)
        .map(|at| format!(r#"s{at}: createSkill(input: {{slug: "extra-skill-{at}", name: "Extra {at}"}}) {{ revision }}"#))
        .collect();
    if !creates.is_empty() {
        app.write(&key, &format!("mutation {{ {} }}", creates.join(" ")))
            .await;
    }
    let slugs = all_skills(&app).await;
    assert_eq!(slugs.len(), 100);
    let levels = ["BEGINNER", "INTERMEDIATE", "ADVANCED", "EXPERT"];
    let hundred: Vec<Value> = slugs
        .iter()
        .rev()
        .enumerate()
        .map(|(at, slug)| {
            skill(
                slug,
                if at % 3 == 0 { "OPTIONAL" } else { "ESSENTIAL" },
                levels[at % 4],
            )
        })
        .collect();
    let cost = |items: Vec<Value>| {
        let app = &app;
        let key = &key;
        async move {
            let statements = app.db.statements.get();
            let response = app
                .post_as(key, json!({"query": "mutation($input: SetRoleSkillsInput!) { setRoleSkills(input: $input) { revision } }",
                                     "variables": {"input": {"role": ROLE, "skills": items}}}))
                .await
                .1;
            succeeded(&response);
            app.db.statements.get() - statements
        }
    };
    let two = cost(hundred[..2].to_vec()).await;
    let all = cost(hundred.clone()).await;
    assert_eq!(
        skills_of(&app, ROLE).await,
        hundred,
        "the longest list, exactly"
    );
    assert!(
        all <= two + 1,
        "statements must not grow with the list: {two} for 2, {all} for 100"
    );
    assert!(all < 20, "{all} statements for 100 items");
    // One more is one too many.
    let mut more = hundred.clone();
    more.push(skill("one-more", "ESSENTIAL", "EXPERT"));
    let response = set_skills(&app, &key, ROLE, &more).await;
    assert_eq!(
        refusal(&response),
        ("BAD_USER_INPUT".into(), "skills".into())
    );
    assert_eq!(skills_of(&app, ROLE).await, hundred);
}

/// Trials of the race.
const TRIALS: usize = 8;

async fn lists_set_at_once_on_two_replicas_leave_one_of_them_whole(backend: Backend) {
    let Some(first) = TestApp::builder(backend).settings(unlimited).spawn().await else {
        return;
    };
    let second = first.replica().settings(unlimited).spawn().await;
    let key = first.key("racer", Scope::Write).await;
    let slugs = all_skills(&first).await;
    assert!(slugs.len() >= 30);
    // Two lists that share some skills, with other data and in another order.
    let a: Vec<Value> = slugs[..20]
        .iter()
        .map(|slug| skill(slug, "ESSENTIAL", "EXPERT"))
        .collect();
    let b: Vec<Value> = slugs[10..30]
        .iter()
        .rev()
        .map(|slug| skill(slug, "OPTIONAL", "BEGINNER"))
        .collect();
    for trial in 0..TRIALS {
        let revision_before = revision(&first).await;
        let (one, two) = tokio::join!(
            set_skills(&first, &key, ROLE, &a),
            set_skills(&second, &key, ROLE, &b),
        );
        succeeded(&one);
        succeeded(&two);
        let list = skills_of(&first, ROLE).await;
        assert!(
            list == a || list == b,
            "trial {trial}: a mix of the two lists: {list:?}"
        );
        assert_eq!(
            skills_of(&second, ROLE).await,
            list,
            "trial {trial}: both replicas agree"
        );
        assert_eq!(revision(&first).await, revision_before + 2, "trial {trial}");
    }
    // With the version read, one of the two stands and the other is refused.
    for trial in 0..TRIALS {
        let read = version(&first, ROLE).await;
        let (one, two) = tokio::join!(
            set_skills_with(
                &first,
                &key,
                json!({"role": ROLE, "skills": a, "expectedVersion": read})
            ),
            set_skills_with(
                &second,
                &key,
                json!({"role": ROLE, "skills": b, "expectedVersion": read})
            ),
        );
        let won: Vec<&Vec<Value>> = [(&one, &a), (&two, &b)]
            .into_iter()
            .filter(|(response, _)| response.get("errors").is_none())
            .map(|(_, list)| list)
            .collect();
        assert_eq!(
            won.len(),
            1,
            "trial {trial}: exactly one stands: {one} {two}"
        );
        for response in [&one, &two] {
            if response.get("errors").is_some() {
                assert_eq!(
                    refusal(response),
                    ("CONFLICT".into(), "expectedVersion".into())
                );
            }
        }
        assert_eq!(skills_of(&first, ROLE).await, *won[0], "trial {trial}");
    }
}
