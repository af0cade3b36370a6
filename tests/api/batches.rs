//! Batches and dry runs: many writes applied as one (one revision, one change-log entry, all
//! or nothing), and every write or batch run with `dryRun` to see what it would change,
//! changing nothing, answering exactly what the real run then does.

use serde_json::{Value, json};
use skillgraph::keys::Scope;
use skillgraph::startup::Settings;

use crate::helpers::{Backend, TestApp, backend_tests, per_backend};

backend_tests!(
    a_batch_is_one_revision_one_entry_and_every_write_of_it,
    a_refused_batch_writes_nothing_and_says_which_operation,
    a_dry_run_changes_nothing_and_reports_what_the_real_run_then_does,
    a_dry_run_of_one_mutation_answers_its_preview,
    a_nodes_history_lists_the_batches_that_changed_it,
);

/// Tests that start their own apps, without the write rate limit.
mod unlimited {
    use super::*;

    per_backend!(
        batches_on_two_replicas_never_close_a_cycle_together,
        the_nodes_of_a_batchs_results_are_read_in_one_statement_per_kind,
    );
}

const ROLE: &str = "backend-developer";

const BATCH: &str = "mutation($input: BatchInput!) { batch(input: $input) {
    revision clientMutationId
    results { operation clientMutationId node { __typename id ... on Skill { slug name } ... on Role { slug description } } }
    preview { revision counts { change count } roles { slug needsBefore needsAfter essentialBefore essentialAfter }
              changes(first: 100) { totalCount edges { node { change kind slug list target before after } } } } } }";

async fn batch(app: &TestApp, key: &str, input: Value) -> Value {
    app.post_as(key, json!({"query": BATCH, "variables": {"input": input}}))
        .await
        .1
}

fn succeeded(response: &Value) -> &Value {
    assert!(
        response.get("errors").is_none(),
        "write failed: {response:#}"
    );
    &response["data"]
}

async fn revision(app: &TestApp) -> i64 {
    app.data("{ catalog { revision } }").await["catalog"]["revision"]
        .as_i64()
        .expect("revision")
}

/// The graph as a client sees it: every skill (with its parent), and the role's skills.
async fn graph(app: &TestApp) -> Value {
    app.data(&format!(
        r#"{{ skills(first: 100, includeDeprecated: true) {{ nodes {{ slug name status parent {{ slug }} }} }}
             role(slug: "{ROLE}") {{ description version skills(first: 100) {{ edges {{ node {{ slug }} importance level }} }} }} }}"#
    ))
    .await
}

/// Two skills of the catalog: a parent for new ones, and one the role does not need.
async fn two_skills(app: &TestApp) -> (String, String) {
    let data = app
        .data(&format!(
            r#"{{ skills(first: 100) {{ nodes {{ slug }} }} role(slug: "{ROLE}") {{ skills(first: 100) {{ nodes {{ slug }} }} }} }}"#
        ))
        .await;
    let needed = data["role"]["skills"]["nodes"].to_string();
    let all: Vec<String> = data["skills"]["nodes"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|node| node["slug"].as_str().unwrap_or_default().to_owned())
        .collect();
    let outsider = all[1..]
        .iter()
        .find(|slug| !needed.contains(&format!("\"{slug}\"")))
        .expect("a skill the role does not need")
        .clone();
    (all[0].clone(), outsider)
}

/// A reorganisation: a new skill, the role needing it, the role described anew, and a
/// skill the role did not need deprecated in favour of the new one.
fn reorganisation(parent: &str, outsider: &str) -> Value {
    json!([
        {"createSkill": {"slug": "batched-skill", "name": "Batched skill", "parent": parent, "clientMutationId": "c1"}},
        {"setRoleSkill": {"role": ROLE, "skill": "batched-skill", "importance": "ESSENTIAL", "level": "ADVANCED"}},
        {"updateRole": {"role": ROLE, "description": "Builds the server side, in one step."}},
        {"deprecateNode": {"node": skill_id(outsider), "replacedBy": ["batched-skill"], "note": "Merged."}},
    ])
}

fn skill_id(slug: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Skill:{slug}"))
}

async fn a_batch_is_one_revision_one_entry_and_every_write_of_it(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let admin = app.key("auditor", Scope::Admin).await;
    let (parent, outsider) = two_skills(app).await;
    let old_revision = revision(app).await;
    let response = batch(
        app,
        &key,
        json!({"operations": reorganisation(&parent, &outsider), "clientMutationId": "b1"}),
    )
    .await;
    let payload = &succeeded(&response)["batch"];
    assert_eq!(payload["revision"], old_revision + 1, "one revision");
    assert_eq!(payload["clientMutationId"], "b1");
    assert_eq!(
        payload["preview"],
        Value::Null,
        "a real write has no preview"
    );
    let results = payload["results"].as_array().expect("results");
    let operations: Vec<&str> = results
        .iter()
        .map(|result| result["operation"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        operations,
        ["createSkill", "setRoleSkill", "updateRole", "deprecateNode"]
    );
    assert_eq!(results[0]["clientMutationId"], "c1");
    assert_eq!(results[0]["node"]["slug"], "batched-skill");
    assert_eq!(results[1]["node"]["__typename"], "Role");
    assert_eq!(
        results[2]["node"]["description"],
        "Builds the server side, in one step."
    );
    assert_eq!(results[3]["node"]["slug"], outsider.as_str());

    // Every write is there.
    let after = graph(app).await;
    let text = after.to_string();
    assert!(text.contains(r#""slug":"batched-skill""#), "{after:#}");
    let edges = after["role"]["skills"]["edges"].as_array().expect("edges");
    assert!(
        edges
            .iter()
            .any(|edge| edge["node"]["slug"] == "batched-skill"
                && edge["importance"] == "ESSENTIAL"
                && edge["level"] == "ADVANCED"),
        "{edges:?}"
    );
    let deprecated = app
        .data(&format!(
            r#"{{ skill(slug: "{outsider}") {{ status replacedBy {{ ... on Skill {{ slug }} }} }} }}"#
        ))
        .await;
    assert_eq!(
        deprecated["skill"],
        json!({"status": "DEPRECATED", "replacedBy": [{"slug": "batched-skill"}]})
    );

    // One entry in the log, listing each operation's change in order.
    let (_, log) = app
        .post_as(
            &admin,
            json!({"query": "query($r: Int) { changes(fromRevision: $r, first: 10) { edges { node { revision keyName operation kind slug after } } } }",
                   "variables": {"r": old_revision}}),
        )
        .await;
    let entries = log["data"]["changes"]["edges"].as_array().expect("log");
    assert_eq!(entries.len(), 1, "one entry: {log:#}");
    let entry = &entries[0]["node"];
    assert_eq!(entry["revision"], old_revision + 1);
    assert_eq!(entry["operation"], "batch");
    assert_eq!(entry["keyName"], "curator");
    assert_eq!(entry["kind"], Value::Null);
    let logged: Vec<(String, String, String)> = entry["after"]["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| {
            (
                op["operation"].as_str().unwrap_or_default().to_owned(),
                op["kind"].as_str().unwrap_or_default().to_owned(),
                op["slug"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let own = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        logged,
        [
            own("createSkill", "Skill", "batched-skill"),
            own("setRoleSkill", "Role", ROLE),
            own("updateRole", "Role", ROLE),
            own("deprecateNode", "Skill", &outsider),
        ]
    );
    assert_eq!(
        entry["after"]["operations"][2]["after"],
        json!({"description": "Builds the server side, in one step."})
    );
}

async fn a_refused_batch_writes_nothing_and_says_which_operation(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let (parent, outsider) = two_skills(app).await;
    let before = graph(app).await;
    let old_revision = revision(app).await;
    let mut unknown_target = reorganisation(&parent, &outsider);
    unknown_target[1]["setRoleSkill"]["skill"] = json!("no-such-skill");
    let mut twice = reorganisation(&parent, &outsider);
    twice[2] = json!({"createSkill": {"slug": "batched-skill", "name": "Again"}});
    let mut cycle = reorganisation(&parent, &outsider);
    // The new skill's parent moved under the new skill: a cycle only this batch makes.
    cycle[2] = json!({"moveSkill": {"skill": parent, "parent": "batched-skill"}});
    let mut own_dry_run = reorganisation(&parent, &outsider);
    own_dry_run[3]["deprecateNode"]["dryRun"] = json!(true);
    let too_many: Vec<Value> = (0..101)
        .map(|at| json!({"createSkill": {"slug": format!("skill-{at}"), "name": "A skill"}}))
        .collect();
    let cases = [
        (json!(unknown_target), "NOT_FOUND", Some(1)),
        (json!(twice), "CONFLICT", Some(2)),
        (json!(cycle), "CONFLICT", Some(2)),
        (json!(own_dry_run), "BAD_USER_INPUT", Some(3)),
        (json!([]), "BAD_USER_INPUT", None),
        // A batch is as many writes as it lists: 101 are more than one request may make.
        (json!(too_many), "RATE_LIMITED", None),
    ];
    for (operations, code, index) in cases {
        let response = batch(app, &key, json!({"operations": operations})).await;
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errors.len(), 1, "one error: {response:#}");
        assert_eq!(
            errors[0]["extensions"]["code"], code,
            "{operations}: {response:#}"
        );
        assert_eq!(
            errors[0]["extensions"]["operation"],
            json!(index),
            "{response:#}"
        );
        assert_eq!(response["data"]["batch"], Value::Null);
        assert_eq!(graph(app).await, before, "nothing written: {operations}");
        assert_eq!(revision(app).await, old_revision, "no revision");
    }
    // An operation naming two mutations at once is not one operation.
    let response = batch(
        app,
        &key,
        json!({"operations": [{"createSkill": {"slug": "a", "name": "A"}, "updateRole": {"role": ROLE}}]}),
    )
    .await;
    assert!(response["errors"].is_array(), "{response:#}");
    assert_eq!(graph(app).await, before);
    // Without a key, nothing runs.
    let anonymous = app
        .post(json!({"query": BATCH, "variables": {"input": {"operations": reorganisation(&parent, &outsider)}}}))
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous:#}"
    );
    assert_eq!(graph(app).await, before);
}

/// Every page of a diff's changes, as a list.
async fn diff_changes(app: &TestApp, from: &str) -> Value {
    let data = app
        .data(&format!(
            r#"{{ releaseDiff(from: "{from}") {{ counts {{ change count }} changes(first: 100) {{ totalCount edges {{ node {{ change kind slug list target before after }} }} }} }} }}"#
        ))
        .await;
    data["releaseDiff"].clone()
}

async fn a_dry_run_changes_nothing_and_reports_what_the_real_run_then_does(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let admin = app.key("releaser", Scope::Admin).await;
    let (parent, outsider) = two_skills(app).await;
    app.write(
        &admin,
        r#"mutation { createRelease(input: {name: "before-batch"}) { release { name } } }"#,
    )
    .await;
    let before = graph(app).await;
    let old_revision = revision(app).await;
    let operations = reorganisation(&parent, &outsider);
    let dry = batch(app, &key, json!({"operations": operations, "dryRun": true})).await;
    let payload = &succeeded(&dry)["batch"];
    assert_eq!(graph(app).await, before, "a dry run changes nothing");
    assert_eq!(revision(app).await, old_revision, "and makes no revision");
    assert_eq!(payload["revision"], old_revision);
    assert_eq!(
        payload["results"][0]["node"],
        Value::Null,
        "the new skill is not there"
    );
    let preview = &payload["preview"];
    assert_eq!(preview["revision"], old_revision);
    let changes = &preview["changes"];
    assert!(
        changes["totalCount"].as_i64().unwrap_or_default() >= 4,
        "{preview:#}"
    );
    let roles = preview["roles"].as_array().expect("roles");
    let role = roles
        .iter()
        .find(|role| role["slug"] == ROLE)
        .expect("the role's needs change");
    assert_eq!(
        role["needsAfter"].as_i64().unwrap_or_default(),
        role["needsBefore"].as_i64().unwrap_or_default() + 1,
        "{role}"
    );
    assert_eq!(
        role["essentialAfter"].as_i64().unwrap_or_default(),
        role["essentialBefore"].as_i64().unwrap_or_default() + 1,
    );

    // The real run makes exactly the differences the dry run listed.
    let real = batch(app, &key, json!({"operations": operations})).await;
    assert_eq!(succeeded(&real)["batch"]["revision"], old_revision + 1);
    let diff = diff_changes(app, "before-batch").await;
    assert_eq!(diff["changes"], *changes, "the dry run said what happened");
    assert_eq!(diff["counts"], preview["counts"]);
    let kinds: Vec<&str> = changes["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["change"].as_str().unwrap_or_default())
        .collect();
    for expected in ["CREATED", "UPDATED", "DEPRECATED", "EDGE_ADDED"] {
        assert!(kinds.contains(&expected), "{expected} in {kinds:?}");
    }
}

async fn a_dry_run_of_one_mutation_answers_its_preview(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let before = graph(app).await;
    let old_revision = revision(app).await;
    let old_description = before["role"]["description"].clone();
    let update = |dry_run: bool| {
        format!(
            r#"mutation {{ updateRole(input: {{role: "{ROLE}", description: "Dry.", dryRun: {dry_run}}}) {{
                revision role {{ description }}
                preview {{ revision changes {{ edges {{ node {{ change kind slug before after }} }} }} roles {{ slug }} }} }} }}"#
        )
    };
    let dry = app.write(&key, &update(true)).await;
    let payload = &dry["updateRole"];
    assert_eq!(payload["revision"], old_revision);
    assert_eq!(
        payload["role"]["description"], old_description,
        "the role as it stays"
    );
    assert_eq!(
        payload["preview"]["changes"]["edges"],
        json!([{"node": {"change": "UPDATED", "kind": "ROLE", "slug": ROLE,
                          "before": {"description": old_description}, "after": {"description": "Dry."}}}]),
        "{payload:#}"
    );
    assert_eq!(
        payload["preview"]["roles"],
        json!([{"slug": ROLE}]),
        "a role's own change counts as its own"
    );
    assert_eq!(graph(app).await, before);
    assert_eq!(revision(app).await, old_revision);
    // A refused write is refused in a dry run too, with the same error.
    let refused = |dry_run: bool| {
        format!(
            r#"mutation {{ setRoleSkill(input: {{role: "{ROLE}", skill: "no-such-skill", importance: ESSENTIAL, level: EXPERT, dryRun: {dry_run}}}) {{ revision }} }}"#
        )
    };
    let (dry_error, real_error) = (
        app.write_error(&key, &refused(true)).await,
        app.write_error(&key, &refused(false)).await,
    );
    assert_eq!(dry_error, real_error);
    assert_eq!(dry_error["extensions"]["code"], "NOT_FOUND");
    // And the real run.
    let real = app.write(&key, &update(false)).await;
    assert_eq!(real["updateRole"]["revision"], old_revision + 1);
    assert_eq!(real["updateRole"]["preview"], Value::Null);
    assert_eq!(real["updateRole"]["role"]["description"], "Dry.");
}

async fn a_nodes_history_lists_the_batches_that_changed_it(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let (parent, outsider) = two_skills(app).await;
    succeeded(
        &batch(
            app,
            &key,
            json!({"operations": reorganisation(&parent, &outsider)}),
        )
        .await,
    );
    // A tool named as the parent skill is another node: the skill's history must not list it.
    let elsewhere = json!([
        {"createTool": {"slug": "batched-tool", "name": "Batched tool", "category": "DATABASE"}},
        {"createTool": {"slug": parent, "name": "A tool named as a skill", "category": "DATABASE"}},
    ]);
    succeeded(&batch(app, &key, json!({"operations": elsewhere})).await);
    let history = |id: String| async move {
        let data = app
            .post(json!({"query": "query($id: ID) { changes(node: $id, first: 100) { edges { node { operation } } } }",
                         "variables": {"id": id}}))
            .await;
        data["data"]["changes"]["edges"]
            .as_array()
            .expect("history")
            .iter()
            .map(|edge| {
                edge["node"]["operation"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(history(skill_id("batched-skill")).await, ["batch"]);
    assert_eq!(history(skill_id(&outsider)).await, ["batch"]);
    assert_eq!(
        history(skill_id(&parent)).await,
        Vec::<String>::new(),
        "a batch that did not change it is not in its history"
    );
}

async fn the_nodes_of_a_batchs_results_are_read_in_one_statement_per_kind(backend: Backend) {
    let Some(app) = TestApp::builder(backend).settings(unlimited).spawn().await else {
        return;
    };
    let app = &app;
    let key = app.key("curator", Scope::Write).await;
    // Past the rate limit, the batch's own bound: 1 to 100 operations.
    let too_many: Vec<Value> = (0..101)
        .map(|at| json!({"createSkill": {"slug": format!("skill-{at}"), "name": "A skill"}}))
        .collect();
    let refused = batch(app, &key, json!({"operations": too_many})).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{refused:#}"
    );
    assert_eq!(refused["errors"][0]["extensions"]["field"], "operations");
    let count = |n: usize| -> Value {
        json!((0..n)
            .map(|at| json!({"updateRole": {"role": ROLE, "description": format!("Take {at}.")}}))
            .chain((0..n).map(|at| json!({"createSkill": {"slug": format!("counted-{n}-{at}"), "name": "Counted"}})))
            .collect::<Vec<_>>())
    };
    // The same batch (new slugs each time), without and with its results' nodes: what the
    // results add is one statement per kind, however many operations there are.
    let mut added = Vec::new();
    for n in [1, 20] {
        let mut cost = Vec::new();
        for (take, selection) in [
            (0, "revision"),
            (
                1,
                "revision results { node { id ... on Role { name } ... on Skill { name } } }",
            ),
        ] {
            let operations = json!(
                count(n)
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|mut op| {
                        if let Some(slug) = op["createSkill"]["slug"].as_str() {
                            op["createSkill"]["slug"] = json!(format!("{slug}-{take}"));
                        }
                        op
                    })
                    .collect::<Vec<_>>()
            );
            let start = app.db.statements.get();
            let (_, response) = app
                .post_as(&key, json!({"query": format!("mutation($input: BatchInput!) {{ batch(input: $input) {{ {selection} }} }}"),
                                      "variables": {"input": {"operations": operations}}}))
                .await;
            succeeded(&response);
            cost.push(app.db.statements.get() - start);
        }
        added.push(cost[1].saturating_sub(cost[0]));
    }
    assert!(
        added[1] <= 2 && added[1] <= added[0] + 1,
        "the results' nodes cost {} statements for 2 operations and {} for 40",
        added[0],
        added[1]
    );
}

fn unlimited(settings: &mut Settings) {
    settings.http.write_rate = 0;
}

/// Trials of the race.
const TRIALS: usize = 6;

async fn batches_on_two_replicas_never_close_a_cycle_together(backend: Backend) {
    let Some(first) = TestApp::builder(backend).settings(unlimited).spawn().await else {
        return;
    };
    let second = first.replica().settings(unlimited).spawn().await;
    let key = first.key("racer", Scope::Write).await;
    for trial in 0..TRIALS {
        let (a, b) = (format!("race-a-{trial}"), format!("race-b-{trial}"));
        // Two roots; each batch creates a child under one and moves the other root under
        // that child. Each alone is fine; together they would close a cycle.
        first
            .write(
                &key,
                &format!(
                    r#"mutation {{ x: createSkill(input: {{slug: "{a}", name: "A"}}) {{ revision }} y: createSkill(input: {{slug: "{b}", name: "B"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let one = json!([
            {"createSkill": {"slug": format!("{a}-child"), "name": "A child", "parent": a}},
            {"moveSkill": {"skill": b, "parent": format!("{a}-child")}},
        ]);
        let two = json!([
            {"createSkill": {"slug": format!("{b}-child"), "name": "B child", "parent": b}},
            {"moveSkill": {"skill": a, "parent": format!("{b}-child")}},
        ]);
        let (r1, r2) = tokio::join!(
            batch(&first, &key, json!({"operations": one})),
            batch(&second, &key, json!({"operations": two})),
        );
        let won = [&r1, &r2]
            .iter()
            .filter(|response| response.get("errors").is_none())
            .count();
        assert_eq!(won, 1, "trial {trial}: exactly one stands: {r1:#} {r2:#}");
        let lost = if r1.get("errors").is_some() { &r1 } else { &r2 };
        assert_eq!(
            lost["errors"][0]["extensions"]["code"], "CONFLICT",
            "{lost:#}"
        );
        // The loser left nothing: its child was never created.
        let children = first
            .data(&format!(
                r#"{{ a: skill(slug: "{a}-child") {{ slug }} b: skill(slug: "{b}-child") {{ slug }} }}"#
            ))
            .await;
        let present = [&children["a"], &children["b"]]
            .iter()
            .filter(|child| !child.is_null())
            .count();
        assert_eq!(present, 1, "trial {trial}: {children}");
    }
}
