//! Writes racing across replicas: two servers over one database, each trial two writes sent
//! at the same moment, one to each server. Of two writes that would close a cycle together,
//! one is refused and the graph stays acyclic; nothing is answered `INTERNAL_SERVER_ERROR`.
//! Skill relations, which may go round, both stand. Imports and catalog loads wait for the
//! same lock as mutations, and a write the database undoes for concurrency is run again, then
//! answered `CONFLICT`. Then a graph corrupted behind the API's back: walks over it stay
//! bounded, and the graph's check names the cycle.

use std::cell::Cell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use skillgraph::curation::serial::begin_write;
use skillgraph::data::cycles::check_graph;
use skillgraph::keys::Scope;
use skillgraph::startup::Settings;

use crate::helpers::{Backend, TestApp, per_backend};

per_backend!(
    three_skills_moved_at_once_close_no_cycle,
    two_skills_moved_under_each_other_close_no_cycle,
    two_prerequisites_added_at_once_close_no_cycle,
    three_prerequisites_added_at_once_close_no_cycle,
    racing_creates_and_deletes_leave_no_duplicate_and_no_dangling_edge,
    a_tree_cycle_made_behind_the_api_is_walked_promptly_and_reported,
    a_prerequisite_cycle_made_behind_the_api_is_walked_promptly_and_reported,
    imports_and_catalog_loads_wait_for_the_write_lock_of_mutations,
    labels_set_at_once_on_two_replicas_each_move_the_version_or_conflict,
    skill_relations_set_at_once_both_stand_and_one_set_twice_is_one,
);

/// Trials per race.
const TRIALS: usize = 50;

/// How long a walk over a corrupted graph may take before the test calls it a spin.
const PROMPT: Duration = Duration::from_secs(5);

/// Two servers over one database, without the write rate limit, and a key for both.
struct Replicas {
    first: TestApp,
    second: TestApp,
    key: String,
}

fn unlimited(settings: &mut Settings) {
    settings.http.write_rate = 0;
}

async fn replicas(backend: Backend) -> Option<Replicas> {
    let first = TestApp::builder(backend)
        .settings(unlimited)
        .spawn()
        .await?;
    let second = first.replica().settings(unlimited).spawn().await;
    let key = first.key("racer", Scope::Write).await;
    Some(Replicas { first, second, key })
}

impl Replicas {
    /// Sends `first` to the first server and `second` to the second at the same moment.
    async fn race(&self, first: &str, second: &str) -> [Value; 2] {
        let (a, b) = tokio::join!(
            self.first.post_as(&self.key, json!({ "query": first })),
            self.second.post_as(&self.key, json!({ "query": second })),
        );
        [a.1, b.1]
    }
}

/// Checks the answers of a race whose two writes cannot both stand: exactly one succeeded,
/// the other was refused with `CONFLICT` and the cycle it would have closed. Returns the
/// index of the one that succeeded.
fn one_won(trial: usize, answers: &[Value; 2]) -> usize {
    let mut winners = Vec::new();
    for (at, answer) in answers.iter().enumerate() {
        let Some(error) = answer["errors"].get(0) else {
            winners.push(at);
            continue;
        };
        let code = error["extensions"]["code"].as_str().unwrap_or_default();
        assert_ne!(
            code, "INTERNAL_SERVER_ERROR",
            "trial {trial}, write {at}: {answer}"
        );
        assert_eq!(code, "CONFLICT", "trial {trial}, write {at}: {answer}");
        let cycle = error["extensions"]["cycle"]
            .as_array()
            .unwrap_or_else(|| panic!("trial {trial}: the refusal names the cycle: {answer}"));
        assert!(
            cycle.len() >= 3 && cycle.first() == cycle.last(),
            "trial {trial}: a closed cycle: {answer}"
        );
    }
    assert_eq!(
        winners.len(),
        1,
        "trial {trial}: exactly one of two writes that close a cycle together stands: {answers:?}"
    );
    winners[0]
}

/// Each skill's parent and descendants, as served.
async fn tree_of(app: &TestApp, slugs: &[&str]) -> HashMap<String, (Option<String>, Vec<String>)> {
    let fields: Vec<String> = slugs
        .iter()
        .enumerate()
        .map(|(at, slug)| {
            format!(
                r#"s{at}: skill(slug: "{slug}") {{ parent {{ slug }} descendants {{ skill {{ slug }} }} }}"#
            )
        })
        .collect();
    let data = app.data(&format!("{{ {} }}", fields.join(" "))).await;
    slugs
        .iter()
        .enumerate()
        .map(|(at, slug)| {
            let skill = &data[format!("s{at}")];
            let parent = skill["parent"]["slug"].as_str().map(str::to_owned);
            let descendants = skill["descendants"]
                .as_array()
                .map(|entries| {
                    entries
                        .iter()
                        .filter_map(|entry| entry["skill"]["slug"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            ((*slug).to_owned(), (parent, descendants))
        })
        .collect()
}

/// Asserts that no skill of `slugs` is its own descendant, and that each one's parents lead
/// to a root.
async fn assert_tree_acyclic(app: &TestApp, trial: usize, slugs: &[&str]) {
    let tree = tree_of(app, slugs).await;
    for (slug, (_, descendants)) in &tree {
        assert!(
            !descendants.contains(slug),
            "trial {trial}: {slug} is its own descendant: {tree:?}"
        );
    }
    for slug in slugs {
        let mut at = Some((*slug).to_owned());
        for _ in 0..=slugs.len() {
            at = at.and_then(|s| tree.get(&s).and_then(|(parent, _)| parent.clone()));
        }
        assert!(
            at.is_none_or(|s| !tree.contains_key(&s)),
            "trial {trial}: the parents of {slug} go round: {tree:?}"
        );
    }
}

/// Each skill's prerequisites, as served.
async fn prerequisites_of(app: &TestApp, slugs: &[&str]) -> HashMap<String, Vec<String>> {
    let fields: Vec<String> = slugs
        .iter()
        .enumerate()
        .map(|(at, slug)| format!(r#"s{at}: skill(slug: "{slug}") {{ prerequisites {{ slug }} }}"#))
        .collect();
    let data = app.data(&format!("{{ {} }}", fields.join(" "))).await;
    slugs
        .iter()
        .enumerate()
        .map(|(at, slug)| {
            let prerequisites = data[format!("s{at}")]["prerequisites"]
                .as_array()
                .map(|skills| {
                    skills
                        .iter()
                        .filter_map(|skill| skill["slug"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            ((*slug).to_owned(), prerequisites)
        })
        .collect()
}

/// After all trials: the graph's own check passes, and the export holds every skill and
/// passes the import's checks (a cycle would make the export refuse itself).
async fn assert_graph_sound(app: &TestApp) {
    if let Err(err) = check_graph(&app.db.conn).await {
        panic!("the graph holds a cycle: {}", err.detail());
    }
    let exported = skillgraph::catalog::export(&app.db.conn)
        .await
        .unwrap_or_else(|err| panic!("export: {}", err.detail()));
    if let Err(err) = exported.check() {
        panic!(
            "the export is refused by the import's checks: {}",
            err.detail()
        );
    }
    let count = app.data("{ skills { totalCount } }").await["skills"]["totalCount"].clone();
    assert_eq!(
        json!(exported.skills.len()),
        count,
        "every skill is exported"
    );
}

/// W a root, Y under W, X a root; X under Y ‖ W under X.
async fn three_skills_moved_at_once_close_no_cycle(backend: Backend) {
    let Some(r) = replicas(backend).await else {
        return;
    };
    let started = Instant::now();
    let mut wins = [0; 2];
    for trial in 0..TRIALS {
        let [w, y, x] = [0, 1, 2].map(|n| format!("t{trial}-tree3-{n}"));
        r.first
            .write(
                &r.key,
                &format!(
                    r#"mutation {{
                      w: createSkill(input: {{slug: "{w}", name: "W"}}) {{ revision }}
                      y: createSkill(input: {{slug: "{y}", name: "Y", parent: "{w}"}}) {{ revision }}
                      x: createSkill(input: {{slug: "{x}", name: "X"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let answers = r
            .race(
                &format!(
                    r#"mutation {{ moveSkill(input: {{skill: "{x}", parent: "{y}"}}) {{ revision }} }}"#
                ),
                &format!(
                    r#"mutation {{ moveSkill(input: {{skill: "{w}", parent: "{x}"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let won = one_won(trial, &answers);
        wins[won] += 1;
        assert_tree_acyclic(&r.second, trial, &[&w, &y, &x]).await;
        let tree = tree_of(&r.first, &[&w, &x]).await;
        let expected = if won == 0 {
            [(&w, None), (&x, Some(y.clone()))]
        } else {
            [(&w, Some(x.clone())), (&x, None)]
        };
        for (slug, parent) in expected {
            assert_eq!(tree[slug.as_str()].0, parent, "trial {trial}: {tree:?}");
        }
    }
    assert_graph_sound(&r.first).await;
    eprintln!(
        "{backend:?}: {TRIALS} three-skill move races in {:.2?}, won first/second {wins:?}",
        started.elapsed()
    );
}

/// A and B roots; A under B ‖ B under A.
async fn two_skills_moved_under_each_other_close_no_cycle(backend: Backend) {
    let Some(r) = replicas(backend).await else {
        return;
    };
    let started = Instant::now();
    let mut wins = [0; 2];
    for trial in 0..TRIALS {
        let [a, b] = [0, 1].map(|n| format!("t{trial}-tree2-{n}"));
        r.first
            .write(
                &r.key,
                &format!(
                    r#"mutation {{
                      a: createSkill(input: {{slug: "{a}", name: "A"}}) {{ revision }}
                      b: createSkill(input: {{slug: "{b}", name: "B"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let answers = r
            .race(
                &format!(
                    r#"mutation {{ moveSkill(input: {{skill: "{a}", parent: "{b}"}}) {{ revision }} }}"#
                ),
                &format!(
                    r#"mutation {{ moveSkill(input: {{skill: "{b}", parent: "{a}"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let won = one_won(trial, &answers);
        wins[won] += 1;
        assert_tree_acyclic(&r.second, trial, &[&a, &b]).await;
        let tree = tree_of(&r.first, &[&a, &b]).await;
        let (moved, stayed, parent) = if won == 0 { (&a, &b, &b) } else { (&b, &a, &a) };
        assert_eq!(tree[moved.as_str()].0.as_ref(), Some(parent), "{tree:?}");
        assert_eq!(tree[stayed.as_str()].0, None, "{tree:?}");
    }
    assert_graph_sound(&r.first).await;
    eprintln!(
        "{backend:?}: {TRIALS} two-skill move races in {:.2?}, won first/second {wins:?}",
        started.elapsed()
    );
}

/// A and B; A needs B ‖ B needs A.
async fn two_prerequisites_added_at_once_close_no_cycle(backend: Backend) {
    let Some(r) = replicas(backend).await else {
        return;
    };
    let started = Instant::now();
    let mut wins = [0; 2];
    for trial in 0..TRIALS {
        let [a, b] = [0, 1].map(|n| format!("t{trial}-pre2-{n}"));
        r.first
            .write(
                &r.key,
                &format!(
                    r#"mutation {{
                      a: createSkill(input: {{slug: "{a}", name: "A"}}) {{ revision }}
                      b: createSkill(input: {{slug: "{b}", name: "B"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let answers = r
            .race(
                &format!(
                    r#"mutation {{ addSkillPrerequisite(input: {{skill: "{a}", prerequisite: "{b}"}}) {{ revision }} }}"#
                ),
                &format!(
                    r#"mutation {{ addSkillPrerequisite(input: {{skill: "{b}", prerequisite: "{a}"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let won = one_won(trial, &answers);
        wins[won] += 1;
        let served = prerequisites_of(&r.second, &[&a, &b]).await;
        let (needs, needed) = if won == 0 { (&a, &b) } else { (&b, &a) };
        assert_eq!(served[needs.as_str()], vec![needed.clone()], "{served:?}");
        assert!(served[needed.as_str()].is_empty(), "{served:?}");
    }
    assert_graph_sound(&r.first).await;
    eprintln!(
        "{backend:?}: {TRIALS} two-prerequisite races in {:.2?}, won first/second {wins:?}",
        started.elapsed()
    );
}

/// A needs B; B needs C ‖ C needs A.
async fn three_prerequisites_added_at_once_close_no_cycle(backend: Backend) {
    let Some(r) = replicas(backend).await else {
        return;
    };
    let started = Instant::now();
    let mut wins = [0; 2];
    for trial in 0..TRIALS {
        let [a, b, c] = [0, 1, 2].map(|n| format!("t{trial}-pre3-{n}"));
        r.first
            .write(
                &r.key,
                &format!(
                    r#"mutation {{
                      a: createSkill(input: {{slug: "{a}", name: "A"}}) {{ revision }}
                      b: createSkill(input: {{slug: "{b}", name: "B"}}) {{ revision }}
                      c: createSkill(input: {{slug: "{c}", name: "C"}}) {{ revision }}
                      ab: addSkillPrerequisite(input: {{skill: "{a}", prerequisite: "{b}"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let answers = r
            .race(
                &format!(
                    r#"mutation {{ addSkillPrerequisite(input: {{skill: "{b}", prerequisite: "{c}"}}) {{ revision }} }}"#
                ),
                &format!(
                    r#"mutation {{ addSkillPrerequisite(input: {{skill: "{c}", prerequisite: "{a}"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let won = one_won(trial, &answers);
        wins[won] += 1;
        let served = prerequisites_of(&r.second, &[&a, &b, &c]).await;
        assert_eq!(served[a.as_str()], vec![b.clone()], "{served:?}");
        let (b_needs, c_needs) = if won == 0 {
            (vec![c.clone()], vec![])
        } else {
            (vec![], vec![a.clone()])
        };
        assert_eq!(served[b.as_str()], b_needs, "trial {trial}: {served:?}");
        assert_eq!(served[c.as_str()], c_needs, "trial {trial}: {served:?}");
    }
    assert_graph_sound(&r.first).await;
    eprintln!(
        "{backend:?}: {TRIALS} three-prerequisite races in {:.2?}, won first/second {wins:?}",
        started.elapsed()
    );
}

/// The same slug created on both servers at once: one stands, the other is `CONFLICT`. A
/// prerequisite added on one server while its target is deleted on the other: either the
/// edge was refused (`NOT_FOUND`) or deleted with its node; never an edge to nothing.
async fn racing_creates_and_deletes_leave_no_duplicate_and_no_dangling_edge(backend: Backend) {
    let Some(r) = replicas(backend).await else {
        return;
    };
    for trial in 0..TRIALS / 2 {
        let slug = format!("t{trial}-twin");
        let create = format!(
            r#"mutation {{ createSkill(input: {{slug: "{slug}", name: "Twin"}}) {{ revision }} }}"#
        );
        let answers = r.race(&create, &create).await;
        let codes: Vec<Option<&str>> = answers
            .iter()
            .map(|answer| answer["errors"][0]["extensions"]["code"].as_str())
            .collect();
        assert!(
            codes.contains(&None) && codes.contains(&Some("CONFLICT")),
            "trial {trial}: one create stands, the other is CONFLICT: {answers:?}"
        );
        let found = r
            .second
            .data(&format!(r#"{{ skill(slug: "{slug}") {{ slug }} }}"#))
            .await;
        assert_eq!(found["skill"]["slug"], json!(slug), "{found}");

        let [a, b] = [0, 1].map(|n| format!("t{trial}-edge-{n}"));
        r.first
            .write(
                &r.key,
                &format!(
                    r#"mutation {{
                      a: createSkill(input: {{slug: "{a}", name: "A"}}) {{ revision }}
                      b: createSkill(input: {{slug: "{b}", name: "B"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let answers = r
            .race(
                &format!(
                    r#"mutation {{ addSkillPrerequisite(input: {{skill: "{a}", prerequisite: "{b}"}}) {{ revision }} }}"#
                ),
                &format!(
                    r#"mutation {{ deleteSkill(input: {{skill: "{b}", cascade: true}}) {{ revision }} }}"#
                ),
            )
            .await;
        assert!(
            answers[1].get("errors").is_none(),
            "trial {trial}: the delete stands: {answers:?}"
        );
        if let Some(error) = answers[0]["errors"].get(0) {
            assert_eq!(
                error["extensions"]["code"], "NOT_FOUND",
                "trial {trial}: {answers:?}"
            );
        }
        let served = prerequisites_of(&r.second, &[&a]).await;
        assert!(served[a.as_str()].is_empty(), "trial {trial}: {served:?}");
    }
    let dangling = r
        .first
        .db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            r.first.db.conn.get_database_backend(),
            "SELECT COUNT(*) FROM skill_prerequisite e LEFT JOIN skill s ON s.id = e.prerequisite_id \
             WHERE s.id IS NULL",
        ))
        .await
        .expect("count dangling edges")
        .expect("a row");
    let dangling: i64 = dangling.try_get_by_index(0).expect("a count");
    assert_eq!(dangling, 0);
    let twins = r
        .first
        .db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            r.first.db.conn.get_database_backend(),
            "SELECT COUNT(*) FROM skill WHERE slug LIKE '%-twin'",
        ))
        .await
        .expect("count twins")
        .expect("a row");
    let twins: i64 = twins.try_get_by_index(0).expect("a count");
    assert_eq!(twins, i64::try_from(TRIALS / 2).expect("small"));
    assert_graph_sound(&r.first).await;
}

/// Runs `query` and says how long it took; panics if it takes longer than [`PROMPT`].
async fn promptly(app: &TestApp, key: &str, query: &str) -> (Value, Duration) {
    let started = Instant::now();
    let (_, answer) = tokio::time::timeout(PROMPT, app.post_as(key, json!({ "query": query })))
        .await
        .unwrap_or_else(|_| panic!("no answer within {PROMPT:?}: {query}"));
    (answer, started.elapsed())
}

async fn raw(app: &TestApp, statement: &str) {
    app.db
        .conn
        .execute_unprepared(statement)
        .await
        .unwrap_or_else(|err| panic!("{statement}: {err}"));
}

/// W → Y → X in the tree, then W's parent set to X in SQL: a cycle the API would refuse.
/// `descendants` lists each skill of it once, a move under it is refused at once with the
/// cycle, the graph's check reports it, and making W a root again repairs it.
async fn a_tree_cycle_made_behind_the_api_is_walked_promptly_and_reported(backend: Backend) {
    let Some(app) = TestApp::builder(backend).settings(unlimited).spawn().await else {
        return;
    };
    let key = app.key("repair", Scope::Write).await;
    app.write(
        &key,
        r#"mutation {
          w: createSkill(input: {slug: "loop-w", name: "W"}) { revision }
          y: createSkill(input: {slug: "loop-y", name: "Y", parent: "loop-w"}) { revision }
          x: createSkill(input: {slug: "loop-x", name: "X", parent: "loop-y"}) { revision }
          z: createSkill(input: {slug: "loop-z", name: "Z"}) { revision } }"#,
    )
    .await;
    raw(
        &app,
        "UPDATE skill SET parent_id = (SELECT id FROM skill WHERE slug = 'loop-x') \
         WHERE slug = 'loop-w'",
    )
    .await;

    let (answer, took) = promptly(
        &app,
        &key,
        r#"{ skill(slug: "loop-w") { descendants { depth skill { slug } } } }"#,
    )
    .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    assert_eq!(
        answer["data"]["skill"]["descendants"],
        json!([
            {"depth": 1, "skill": {"slug": "loop-y"}},
            {"depth": 2, "skill": {"slug": "loop-x"}},
        ]),
        "each skill of the cycle once, the skill asked about not among its descendants"
    );
    eprintln!("{backend:?}: descendants over a cycle in {took:.2?}");

    let (answer, took) = promptly(
        &app,
        &key,
        r#"mutation { moveSkill(input: {skill: "loop-z", parent: "loop-y"}) { revision } }"#,
    )
    .await;
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "CONFLICT", "{answer}");
    assert_eq!(error["extensions"]["field"], "parent", "{answer}");
    let cycle = error["extensions"]["cycle"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for slug in ["loop-w", "loop-x", "loop-y"] {
        assert!(cycle.contains(&json!(slug)), "{slug} in {answer}");
    }
    assert_eq!(cycle.first(), cycle.last(), "{answer}");
    eprintln!("{backend:?}: a move under a cycle refused in {took:.2?}");

    match check_graph(&app.db.conn).await {
        Err(skillgraph::Error::Rejected(rejection)) => {
            assert_eq!(rejection.code, "CONFLICT");
            assert_eq!(rejection.field.as_deref(), Some("parent"));
            for slug in ["loop-w", "loop-x", "loop-y"] {
                assert!(
                    rejection.cycle.iter().any(|s| s == slug),
                    "{slug}: {rejection:?}"
                );
            }
        }
        other => panic!("the check reports the cycle: {other:?}"),
    }

    let (answer, _) = promptly(
        &app,
        &key,
        r#"mutation { moveSkill(input: {skill: "loop-w"}) { revision } }"#,
    )
    .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    assert!(check_graph(&app.db.conn).await.is_ok(), "repaired");
    let tree = tree_of(&app, &["loop-w"]).await;
    assert_eq!(
        tree["loop-w"],
        (None, vec!["loop-y".to_owned(), "loop-x".to_owned()])
    );
}

/// A needs B and B needs A, written in SQL: adding and reading prerequisites near the cycle
/// answers at once, and the graph's check reports it.
async fn a_prerequisite_cycle_made_behind_the_api_is_walked_promptly_and_reported(
    backend: Backend,
) {
    let Some(app) = TestApp::builder(backend).settings(unlimited).spawn().await else {
        return;
    };
    let key = app.key("repair", Scope::Write).await;
    app.write(
        &key,
        r#"mutation {
          a: createSkill(input: {slug: "loop-a", name: "A"}) { revision }
          b: createSkill(input: {slug: "loop-b", name: "B"}) { revision }
          c: createSkill(input: {slug: "loop-c", name: "C"}) { revision } }"#,
    )
    .await;
    raw(
        &app,
        "INSERT INTO skill_prerequisite (skill_id, prerequisite_id, position) \
         SELECT a.id, b.id, 0 FROM skill a, skill b \
         WHERE (a.slug = 'loop-a' AND b.slug = 'loop-b') OR (a.slug = 'loop-b' AND b.slug = 'loop-a')",
    )
    .await;

    // C needs A: A's prerequisites go round, but C is not among them.
    let (answer, took) = promptly(
        &app,
        &key,
        r#"mutation { addSkillPrerequisite(input: {skill: "loop-c", prerequisite: "loop-a"}) { revision } }"#,
    )
    .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    eprintln!("{backend:?}: a prerequisite next to a cycle added in {took:.2?}");
    // A needs C: C reaches A, through the cycle or not, so this would close another.
    let (answer, _) = promptly(
        &app,
        &key,
        r#"mutation { addSkillPrerequisite(input: {skill: "loop-a", prerequisite: "loop-c"}) { revision } }"#,
    )
    .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "CONFLICT",
        "{answer}"
    );
    assert_eq!(
        answer["errors"][0]["extensions"]["cycle"],
        json!(["loop-a", "loop-c", "loop-a"]),
        "{answer}"
    );
    let served = prerequisites_of(&app, &["loop-a", "loop-b", "loop-c"]).await;
    assert_eq!(served["loop-a"], vec!["loop-b".to_owned()]);
    assert_eq!(served["loop-b"], vec!["loop-a".to_owned()]);

    match check_graph(&app.db.conn).await {
        Err(skillgraph::Error::Rejected(rejection)) => {
            assert_eq!(rejection.code, "CONFLICT");
            assert_eq!(rejection.field.as_deref(), Some("prerequisites"));
            for slug in ["loop-a", "loop-b"] {
                assert!(
                    rejection.cycle.iter().any(|s| s == slug),
                    "{slug}: {rejection:?}"
                );
            }
        }
        other => panic!("the check reports the cycle: {other:?}"),
    }
}

/// While a transaction holds the write lock, a mutation, a catalog import, an ESCO import
/// and a catalog load all wait; once it ends, each runs in turn and succeeds.
async fn imports_and_catalog_loads_wait_for_the_write_lock_of_mutations(backend: Backend) {
    let Some(app) = TestApp::builder(backend).spawn().await else {
        return;
    };
    let key = app.key("waiter", Scope::Write).await;
    let exported = skillgraph::catalog::export(&app.db.conn)
        .await
        .unwrap_or_else(|err| panic!("export: {}", err.detail()));
    let holder = skillgraph::db::connect(&app.url)
        .await
        .unwrap_or_else(|err| panic!("connect: {}", err.detail()));
    let held = begin_write(&holder.conn)
        .await
        .unwrap_or_else(|err| panic!("take the write lock: {}", err.detail()));

    // Four writers, each noting when it ends, and the holder, which lets go after a while;
    // all in this task, so that the importer's progress callback need not be `Send`.
    let ended: [Cell<bool>; 4] = Default::default();
    let mutation = async {
        let (_, answer) = app
            .post_as(
                &key,
                json!({"query": r#"mutation { createSkill(input: {slug: "waited", name: "Waited"}) { revision } }"#}),
            )
            .await;
        ended[0].set(true);
        answer
    };
    let import = async {
        let db = skillgraph::db::connect(&app.url).await?;
        let outcome = skillgraph::catalog::import(&db, &exported, true, "test").await;
        ended[1].set(true);
        outcome
    };
    let esco = async {
        let db = skillgraph::db::connect(&app.url).await?;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco");
        let outcome = skillgraph::esco::import(&db, &dir, "en", "test", &mut |_| {}).await;
        ended[2].set(true);
        outcome
    };
    let seed = async {
        let db = skillgraph::db::connect(&app.url).await?;
        let catalog = skillgraph::catalog::built_in()?;
        let outcome = skillgraph::catalog::seed(&db, &catalog, false).await;
        ended[3].set(true);
        outcome
    };
    let holder = async {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let waiting: Vec<bool> = ended.iter().map(|ended| !ended.get()).collect();
        // Read past the server: on SQLite its one connection is the waiting mutation's.
        let reader = skillgraph::db::connect(&app.url).await.expect("connect");
        let (revision, _) = skillgraph::curation::log::state(&reader.conn)
            .await
            .unwrap_or_else(|err| panic!("read the revision: {}", err.detail()));
        held.rollback().await.expect("release the lock");
        (waiting, revision)
    };
    let all = async { tokio::join!(mutation, import, esco, seed, holder) };
    let (answer, imported, report, seeded, (waiting, revision)) =
        tokio::time::timeout(Duration::from_secs(60), all)
            .await
            .expect("every writer ends once the lock is released");
    assert_eq!(
        waiting, [true; 4],
        "the mutation, the catalog import, the ESCO import and the catalog load wait for the lock"
    );
    assert_eq!(revision, 0, "nothing was written meanwhile");
    assert!(answer.get("errors").is_none(), "{answer}");
    assert!(
        matches!(imported, Ok(skillgraph::catalog::SeedOutcome::Loaded(_))),
        "{:?}",
        imported.map_err(|err| err.detail())
    );
    let report = report.unwrap_or_else(|err| panic!("the ESCO import: {}", err.detail()));
    assert!(report.changes(), "{report}");
    assert!(
        matches!(
            seeded,
            Ok(skillgraph::catalog::SeedOutcome::AlreadyHasData(_))
        ),
        "the load found the data the others wrote: {:?}",
        seeded.map_err(|err| err.detail())
    );
    let revision = app.data("{ catalog { revision } }").await["catalog"]["revision"].clone();
    assert_eq!(
        revision, 3,
        "the mutation and the two imports, one revision each"
    );
    assert_graph_sound(&app).await;
}

/// A PostgreSQL database of the test's own with the service over it; `None` (announced)
/// without PostgreSQL.
async fn postgres_app() -> Option<(TestApp, String)> {
    let app = TestApp::builder(Backend::Postgres)
        .settings(unlimited)
        .spawn()
        .await?;
    let key = app.key("retrier", Scope::Write).await;
    Some((app, key))
}

/// A write the database undoes for concurrency every time (a trigger raises the error on
/// each attempt and counts them) is run three times, then answered `CONFLICT` with a hint
/// to retry, for a serialization failure and for a deadlock alike; nothing is written.
#[tokio::test]
async fn a_write_undone_for_concurrency_every_time_is_tried_three_times_then_conflict() {
    let Some((app, key)) = postgres_app().await else {
        return;
    };
    raw(&app, "CREATE SEQUENCE attempts").await;
    for state in ["40001", "40P01"] {
        raw(&app, "SELECT setval('attempts', 1, false)").await;
        raw(
            &app,
            &format!(
                "CREATE OR REPLACE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN PERFORM nextval('attempts'); \
                 RAISE EXCEPTION 'collided' USING ERRCODE = '{state}'; END $$"
            ),
        )
        .await;
        raw(
            &app,
            "CREATE OR REPLACE TRIGGER collide BEFORE UPDATE ON skill \
             FOR EACH ROW EXECUTE FUNCTION collide()",
        )
        .await;
        let (_, answer) = app
            .post_as(
                &key,
                json!({"query": r#"mutation { moveSkill(input: {skill: "caching", parent: "api-development"}) { revision } }"#}),
            )
            .await;
        let error = &answer["errors"][0];
        assert_eq!(error["extensions"]["code"], "CONFLICT", "{state}: {answer}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("retry"),
            "{state}: a hint to retry: {answer}"
        );
        assert!(
            error["extensions"].get("cycle").is_none(),
            "{state}: {answer}"
        );
        let tried = app
            .db
            .conn
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT last_value FROM attempts",
            ))
            .await
            .expect("read the count")
            .expect("a row");
        let tried: i64 = tried.try_get_by_index(0).expect("a number");
        assert_eq!(tried, 3, "{state}: tried three times in all");
    }
    raw(&app, "DROP TRIGGER collide ON skill").await;
    let data = app
        .data(r#"{ catalog { revision } skill(slug: "caching") { parent { slug } } }"#)
        .await;
    assert_eq!(data["catalog"]["revision"], 0, "nothing was written");
    assert_ne!(data["skill"]["parent"]["slug"], "api-development");
    app.write(
        &key,
        r#"mutation { moveSkill(input: {skill: "caching", parent: "api-development"}) { revision } }"#,
    )
    .await;
}

/// A real deadlock: another transaction locks B, the move of A under B locks A and waits for
/// B, then the other transaction asks for A. PostgreSQL undoes the move (it waited longest),
/// the server runs it again, it waits for the other transaction to end and then stands.
#[tokio::test]
async fn a_write_undone_by_a_deadlock_is_run_again_and_stands() {
    let Some((app, key)) = postgres_app().await else {
        return;
    };
    app.write(
        &key,
        r#"mutation {
          a: createSkill(input: {slug: "locked-a", name: "A"}) { revision }
          b: createSkill(input: {slug: "locked-b", name: "B"}) { revision } }"#,
    )
    .await;
    let other = sea_orm::Database::connect(&app.url)
        .await
        .expect("connect another client");
    let txn = sea_orm::TransactionTrait::begin(&other)
        .await
        .expect("begin");
    // This transaction is never the one PostgreSQL picks to undo.
    txn.execute_unprepared("SET LOCAL deadlock_timeout = '20s'")
        .await
        .expect("set deadlock_timeout");
    txn.execute_unprepared("SELECT id FROM skill WHERE slug = 'locked-b' FOR UPDATE")
        .await
        .expect("lock B");

    let started = Instant::now();
    let move_ = app.post_as(
        &key,
        json!({"query": r#"mutation { moveSkill(input: {skill: "locked-a", parent: "locked-b"}) { revision } }"#}),
    );
    let other_side = async {
        // Wait until the move waits for B.
        let waiting = "SELECT COUNT(*) FROM pg_stat_activity \
                       WHERE datname = current_database() AND wait_event_type = 'Lock'";
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let row = other
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    waiting,
                ))
                .await
                .expect("read the waits")
                .expect("a row");
            if row.try_get_by_index::<i64>(0).expect("a count") > 0 {
                break;
            }
            assert!(Instant::now() < deadline, "the move never waited for B");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Close the cycle of waits: this returns only once the move let go of A without
        // committing, that is, once PostgreSQL undid it.
        txn.execute_unprepared("SELECT id FROM skill WHERE slug = 'locked-a' FOR UPDATE")
            .await
            .expect("lock A once the move is undone");
        let undone_after = started.elapsed();
        tokio::time::sleep(Duration::from_millis(200)).await;
        txn.commit().await.expect("commit");
        undone_after
    };
    let ((_, answer), undone_after) = tokio::join!(move_, other_side);
    assert!(answer.get("errors").is_none(), "the move stands: {answer}");
    assert!(
        undone_after >= Duration::from_millis(900),
        "undone by the deadlock check (after deadlock_timeout), not otherwise: {undone_after:?}"
    );
    let data = app
        .data(r#"{ catalog { revision } skill(slug: "locked-a") { parent { slug } } }"#)
        .await;
    assert_eq!(data["skill"]["parent"]["slug"], "locked-b");
    assert_eq!(data["catalog"]["revision"], 3, "two creates and one move");
    eprintln!(
        "deadlocked move undone after {undone_after:.2?}, stood after {:.2?}",
        started.elapsed()
    );
}

/// Two replicas set the same node's label in one locale at the same moment, both from the
/// version they read: exactly one stands, the other is refused with `CONFLICT`, and the label
/// is the winner's, one row, the version moved once. Without `expectedVersion` both stand, one
/// after the other: the version moves twice and the label is one of the two.
async fn labels_set_at_once_on_two_replicas_each_move_the_version_or_conflict(backend: Backend) {
    let Some(replicas) = replicas(backend).await else {
        return;
    };
    let read =
        r#"{ role(slug: "backend-developer") { id version labels(locales: ["de"]) { name } } }"#;
    for trial in 0..10 {
        let before = replicas.first.data(read).await;
        let (id, version) = (&before["role"]["id"], &before["role"]["version"]);
        let set = |name: &str, expected: bool| {
            let expected = if expected {
                format!(", expectedVersion: {version}")
            } else {
                String::new()
            };
            format!(
                r#"mutation {{ setLabel(input: {{node: {id}, locale: "de", name: "{name}"{expected}}}) {{ revision }} }}"#
            )
        };
        let answers = replicas
            .race(
                &set(&format!("A{trial}"), true),
                &set(&format!("B{trial}"), true),
            )
            .await;
        let won: Vec<usize> = (0..2)
            .filter(|at| answers[*at].get("errors").is_none())
            .collect();
        assert_eq!(won.len(), 1, "trial {trial}: {answers:?}");
        let lost = &answers[1 - won[0]]["errors"][0]["extensions"]["code"];
        assert_eq!(lost, "CONFLICT", "trial {trial}: {answers:?}");
        let after = replicas.second.data(read).await;
        let winner = if won[0] == 0 { "A" } else { "B" };
        assert_eq!(
            after["role"]["labels"],
            json!([{"name": format!("{winner}{trial}")}]),
            "trial {trial}"
        );
        assert_eq!(
            after["role"]["version"],
            json!(version.as_i64().unwrap_or_default() + 1)
        );
        let answers = replicas
            .race(
                &set(&format!("C{trial}"), false),
                &set(&format!("D{trial}"), false),
            )
            .await;
        assert!(
            answers.iter().all(|a| a.get("errors").is_none()),
            "{answers:?}"
        );
        let last = replicas.first.data(read).await;
        assert_eq!(
            last["role"]["version"],
            json!(version.as_i64().unwrap_or_default() + 3)
        );
        let name = last["role"]["labels"][0]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            [format!("C{trial}"), format!("D{trial}")].contains(&name),
            "{last}"
        );
        assert_eq!(last["role"]["labels"].as_array().map(Vec::len), Some(1));
    }
}

/// A relates to B ‖ B relates to A: unlike prerequisites, both stand (a relation may go
/// round); A relates to B on both replicas at once: one edge, both answered.
async fn skill_relations_set_at_once_both_stand_and_one_set_twice_is_one(backend: Backend) {
    let Some(r) = replicas(backend).await else {
        return;
    };
    for trial in 0..20 {
        let [a, b] = [0, 1].map(|n| format!("t{trial}-rel-{n}"));
        r.first
            .write(
                &r.key,
                &format!(
                    r#"mutation {{
                      a: createSkill(input: {{slug: "{a}", name: "A"}}) {{ revision }}
                      b: createSkill(input: {{slug: "{b}", name: "B"}}) {{ revision }} }}"#
                ),
            )
            .await;
        let relate = |from: &str, to: &str| {
            format!(
                r#"mutation {{ setSkillRelation(input: {{skill: "{from}", related: "{to}", importance: OPTIONAL}}) {{ revision }} }}"#
            )
        };
        for (first, second) in [
            (relate(&a, &b), relate(&b, &a)),
            (relate(&a, &b), relate(&a, &b)),
        ] {
            let answers = r.race(&first, &second).await;
            for answer in &answers {
                assert!(answer.get("errors").is_none(), "trial {trial}: {answer}");
            }
        }
        let served = r
            .second
            .data(&format!(
                r#"{{ a: skill(slug: "{a}") {{ relations {{ nodes {{ slug }} }} }}
                     b: skill(slug: "{b}") {{ relations {{ nodes {{ slug }} }} }} }}"#
            ))
            .await;
        assert_eq!(
            served["a"]["relations"]["nodes"],
            json!([{"slug": b}]),
            "{served}"
        );
        assert_eq!(
            served["b"]["relations"]["nodes"],
            json!([{"slug": a}]),
            "{served}"
        );
    }
    assert_graph_sound(&r.first).await;
}
