//! The answers about what to learn and where to go: `Skill.related`, `nextSkills` and
//! `careerRoute` on the built-in catalog, each checked against what the test computes from the
//! catalog's own lists (the roles' needs, the skills' prerequisites, `learningPath` and
//! `skillGap`), on both backends.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};
use skillgraph::keys::Scope;

use crate::answers::prerequisites;
use crate::helpers::{TestApp, backend_tests};

backend_tests!(
    related_skills_join_the_catalogs_relations_and_the_roles_they_share,
    a_skill_cannot_be_related_to_itself,
    the_next_skills_are_the_ready_ones_that_raise_coverage_most,
    a_career_route_is_the_cheapest_within_its_moves,
    no_route_within_the_moves_is_an_answer,
    routes_are_priced_so_that_a_document_of_many_is_refused,
);

/// Each role's skills, by slug: `(skill, essential)`, in the role's order.
async fn role_skills(app: &TestApp) -> HashMap<String, Vec<(String, bool)>> {
    let data = app
        .data(
            "{ roles(first: 100) { nodes { slug
                 skills(first: 100) { edges { importance node { slug } } } } } }",
        )
        .await;
    let mut roles = HashMap::new();
    for role in data["roles"]["nodes"].as_array().expect("roles") {
        let skills = role["skills"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| {
                (
                    e["node"]["slug"].as_str().unwrap_or_default().to_owned(),
                    e["importance"] == "ESSENTIAL",
                )
            })
            .collect();
        roles.insert(role["slug"].as_str().unwrap_or_default().to_owned(), skills);
    }
    roles
}

/// The co-occurrence score the API documents, from the roles' skills.
fn co_occurrence(roles: &HashMap<String, Vec<(String, bool)>>, a: &str, b: &str) -> (f64, usize) {
    let needing = |skill: &str| -> HashSet<&String> {
        roles
            .iter()
            .filter(|(_, skills)| skills.iter().any(|(s, _)| s == skill))
            .map(|(role, _)| role)
            .collect()
    };
    let (ra, rb) = (needing(a), needing(b));
    let shared = ra.intersection(&rb).count();
    let union = ra.union(&rb).count();
    if shared == 0 {
        return (0.0, 0);
    }
    let j = shared as f64 / union as f64;
    (j * shared as f64 / (shared as f64 + 1.0), shared)
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

async fn related_skills_join_the_catalogs_relations_and_the_roles_they_share(app: &TestApp) {
    let roles = role_skills(app).await;
    let query = r#"{ skill(slug: "sql-querying") { related(first: 50) {
        skill { slug } score reasons { kind importance score sharedRoles } } } }"#;
    let related = app.data(query).await["skill"]["related"].clone();
    let list = related.as_array().expect("a list");
    assert!(
        !list.is_empty(),
        "sql-querying shares roles with other skills"
    );
    // A shorter answer is the start of the longer one.
    let short = app
        .data(
            r#"{ skill(slug: "sql-querying") { related(first: 3) {
            skill { slug } score reasons { kind importance score sharedRoles } } } }"#,
        )
        .await;
    assert_eq!(
        short["skill"]["related"].as_array().map(Vec::as_slice),
        list.get(..3.min(list.len())),
    );
    // Before any relation every reason is shared roles, scored as documented, and the list
    // is every skill sharing a role, best first then by slug.
    let mut expected: Vec<(String, f64)> = Vec::new();
    let all: HashSet<&String> = roles.values().flatten().map(|(s, _)| s).collect();
    for other in all {
        let (score, _) = co_occurrence(&roles, "sql-querying", other);
        if other != "sql-querying" && score > 0.0 {
            expected.push((other.clone(), score));
        }
    }
    expected.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    expected.truncate(50);
    let got: Vec<(String, f64)> = list
        .iter()
        .map(|r| {
            (
                r["skill"]["slug"].as_str().unwrap_or_default().to_owned(),
                r["score"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(got.len(), expected.len(), "{related:#}");
    for ((slug, score), (want, want_score)) in got.iter().zip(&expected) {
        assert_eq!(slug, want, "{related:#}");
        assert!(
            (score - want_score).abs() < 1e-9,
            "{slug}: {score} vs {want_score}"
        );
    }
    for r in list {
        let (score, shared) = co_occurrence(
            &roles,
            "sql-querying",
            r["skill"]["slug"].as_str().unwrap_or(""),
        );
        assert_eq!(
            r["reasons"],
            json!([{"kind": "SHARED_ROLES", "importance": null, "score": score, "sharedRoles": shared}])
        );
    }

    // A curator relates sql-querying to a skill no role shares with it: it comes first at
    // 0.9 (an essential relation), and the other skill names it back.
    let unrelated = roles
        .values()
        .flatten()
        .map(|(s, _)| s.clone())
        .find(|s| s != "sql-querying" && co_occurrence(&roles, "sql-querying", s).0 == 0.0)
        .expect("a skill that shares no role with sql-querying");
    let key = app.key("curator", Scope::Write).await;
    app.write(
        &key,
        &format!(
            r#"mutation {{ setSkillRelation(input: {{skill: "sql-querying", related: "{unrelated}", importance: ESSENTIAL}}) {{ revision }} }}"#
        ),
    )
    .await;
    let data = app
        .data(&format!(
            r#"{{ a: skill(slug: "sql-querying") {{ relations {{ edges {{ importance node {{ slug }} }} }}
                   related(first: 1) {{ skill {{ slug }} score reasons {{ kind importance score sharedRoles }} }} }}
                 b: skill(slug: "{unrelated}") {{ related(first: 50) {{ skill {{ slug }} score reasons {{ kind importance }} }} }} }}"#
        ))
        .await;
    assert_eq!(
        data["a"]["relations"]["edges"],
        json!([{"importance": "ESSENTIAL", "node": {"slug": unrelated}}])
    );
    assert_eq!(
        data["a"]["related"],
        json!([{"skill": {"slug": unrelated}, "score": 0.9,
                "reasons": [{"kind": "RELATION", "importance": "ESSENTIAL", "score": 0.9, "sharedRoles": 0}]}])
    );
    let back = data["b"]["related"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| r["skill"]["slug"] == "sql-querying")
        .cloned()
        .expect("the relation read backwards");
    assert_eq!(
        back["reasons"],
        json!([{"kind": "REVERSE_RELATION", "importance": "ESSENTIAL"}])
    );

    // A relation to a skill that shares roles too: both reasons, joined as evidence.
    let (partner, partner_score) = expected.first().cloned().expect("a shared skill");
    app.write(
        &key,
        &format!(
            r#"mutation {{ setSkillRelation(input: {{skill: "sql-querying", related: "{partner}", importance: OPTIONAL}}) {{ revision }} }}"#
        ),
    )
    .await;
    let data = app.data(query).await;
    let entry = data["skill"]["related"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| r["skill"]["slug"] == partner.as_str())
        .cloned()
        .expect("the partner");
    assert!(
        close(&entry["score"], 1.0 - (1.0 - 0.6) * (1.0 - partner_score)),
        "{entry:#}"
    );
    let kinds: Vec<&Value> = entry["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| &r["kind"])
        .collect();
    assert_eq!(kinds, [&json!("RELATION"), &json!("SHARED_ROLES")]);

    // Removing a relation takes it out of the answer at once.
    app.write(
        &key,
        &format!(
            r#"mutation {{ removeSkillRelation(input: {{skill: "sql-querying", related: "{unrelated}"}}) {{ revision }} }}"#
        ),
    )
    .await;
    let data = app.data(query).await;
    assert!(
        data["skill"]["related"]
            .as_array()
            .expect("a list")
            .iter()
            .all(|r| r["skill"]["slug"] != unrelated.as_str()),
        "{data:#}"
    );
    // Out-of-range `first` is the client's mistake.
    let err = app
        .error(r#"{ skill(slug: "sql-querying") { related(first: 51) { score } } }"#)
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err:#}");
}

async fn a_skill_cannot_be_related_to_itself(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let (_, answer) = app
        .post_as(
            &key,
            json!({"query": r#"mutation { setSkillRelation(input: {skill: "caching", related: "caching", importance: OPTIONAL}) { revision } }"#}),
        )
        .await;
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{answer:#}");
    assert_eq!(error["extensions"]["field"], "related", "{answer:#}");
    let data = app
        .data(r#"{ skill(slug: "caching") { relations { totalCount } } }"#)
        .await;
    assert_eq!(data["skill"]["relations"]["totalCount"], 0);
    // Two skills may name each other: the relation may go round.
    for (a, b) in [("caching", "sql-querying"), ("sql-querying", "caching")] {
        app.write(
            &key,
            &format!(
                r#"mutation {{ setSkillRelation(input: {{skill: "{a}", related: "{b}", importance: OPTIONAL}}) {{ revision }} }}"#
            ),
        )
        .await;
    }
    let data = app
        .data(r#"{ a: skill(slug: "caching") { relations { nodes { slug } } } b: skill(slug: "sql-querying") { relations { nodes { slug } } } }"#)
        .await;
    assert_eq!(
        data["a"]["relations"]["nodes"],
        json!([{"slug": "sql-querying"}])
    );
    assert_eq!(
        data["b"]["relations"]["nodes"],
        json!([{"slug": "caching"}])
    );
}

async fn the_next_skills_are_the_ready_ones_that_raise_coverage_most(app: &TestApp) {
    let prerequisites = prerequisites(app).await;
    let role = "backend-developer";
    // The role's total weight: essential 2, optional 1, over every kind of need.
    let needs = app
        .data(&format!(
            r#"{{ skillGap(role: "{role}", have: []) {{ missing {{ kind slug importance }} }} }}"#
        ))
        .await;
    let missing = needs["skillGap"]["missing"]
        .as_array()
        .expect("missing")
        .clone();
    let weight = |n: &Value| {
        if n["importance"] == "ESSENTIAL" {
            2.0
        } else {
            1.0
        }
    };
    let total: f64 = missing.iter().map(weight).sum();
    let have = ["server-side-programming"];
    let held: HashSet<&str> = have.into_iter().collect();
    let ready = |slug: &str| {
        prerequisites
            .get(slug)
            .is_none_or(|before| before.iter().all(|p| held.contains(p.as_str())))
    };
    let mut expected: Vec<f64> = missing
        .iter()
        .filter(|n| n["kind"] == "SKILL")
        .filter(|n| {
            let slug = n["slug"].as_str().unwrap_or_default();
            !held.contains(slug) && ready(slug)
        })
        .map(|n| weight(n) / total)
        .collect();
    expected.sort_by(|a, b| b.total_cmp(a));
    let data = app
        .data(&format!(
            r#"{{ nextSkills(have: [{{slug: "server-side-programming"}}], roles: ["{role}"], first: 100) {{
                 roles {{ slug }}
                 skills {{ slug gain unlocks {{ slug }} unlockedGain
                   gains {{ roleSlug gain importance role {{ slug }} }} }} }} }}"#
        ))
        .await;
    let answer = &data["nextSkills"];
    assert_eq!(answer["roles"], json!([{"slug": role}]));
    let skills = answer["skills"].as_array().expect("skills");
    let gainful: Vec<&Value> = skills
        .iter()
        .filter(|s| s["gain"].as_f64() > Some(0.0))
        .collect();
    assert_eq!(gainful.len(), expected.len(), "{answer:#}");
    for (skill, want) in gainful.iter().zip(&expected) {
        assert!(close(&skill["gain"], *want), "{skill:#} gains {want}");
        let slug = skill["slug"].as_str().unwrap_or_default();
        assert!(
            ready(slug) && !held.contains(slug),
            "{slug} is ready to learn"
        );
        assert_eq!(skill["gains"][0]["roleSlug"], role);
        assert_eq!(skill["gains"][0]["role"]["slug"], role);
        assert!(close(&skill["gains"][0]["gain"], *want));
    }
    // The rest gain nothing themselves: each is the last missing prerequisite of a needed
    // skill, which it names.
    for skill in skills.iter().filter(|s| s["gain"].as_f64() == Some(0.0)) {
        let slug = skill["slug"].as_str().unwrap_or_default();
        let unlocks = skill["unlocks"].as_array().expect("unlocks");
        assert!(!unlocks.is_empty(), "{skill:#}");
        for unlocked in unlocks {
            let waits = &prerequisites[unlocked["slug"].as_str().unwrap_or_default()];
            let missing: Vec<&String> = waits
                .iter()
                .filter(|p| !held.contains(p.as_str()))
                .collect();
            assert_eq!(missing, [&slug.to_owned()], "{skill:#}");
        }
        assert!(skill["unlockedGain"].as_f64() > Some(0.0));
    }
    // Without roles the person's three closest roles are aimed at, as recommendRoles ranks them.
    let data = app
        .data(
            r#"{ nextSkills(have: [{slug: "python"}, {slug: "sql-querying"}]) { roles { slug } skills { slug } }
                 recommendRoles(have: [{slug: "python"}, {slug: "sql-querying"}], first: 3) { role { slug } } }"#,
        )
        .await;
    let closest: Vec<&Value> = data["recommendRoles"]
        .as_array()
        .expect("roles")
        .iter()
        .map(|r| &r["role"])
        .collect();
    assert_eq!(
        data["nextSkills"]["roles"]
            .as_array()
            .map(|r| r.iter().collect::<Vec<_>>()),
        Some(closest)
    );
    assert_eq!(
        data["nextSkills"]["skills"].as_array().map(Vec::len),
        Some(5)
    );
    // Bounds.
    let many: Vec<String> = (0..21).map(|i| format!("\"r{i}\"")).collect();
    let err = app
        .error(&format!(
            "{{ nextSkills(have: [], roles: [{}]) {{ roles {{ slug }} }} }}",
            many.join(",")
        ))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err:#}");
    assert_eq!(err["extensions"]["field"], "roles", "{err:#}");
}

/// What moving from `from` to `to` costs, read from `learningPath` and `skillGap`: the path's
/// skills and the other kinds of need missing or below level, for a person holding `from`'s
/// needs at the levels it asks.
async fn move_cost(app: &TestApp, from: &str, to: &str) -> u64 {
    let data = app
        .data(&format!(
            r#"{{ role(slug: "{from}") {{
                   skills(first: 100) {{ edges {{ level node {{ slug }} }} }}
                   languages(first: 100) {{ nodes {{ slug }} }}
                   frameworks(first: 100) {{ nodes {{ slug }} }}
                   tools(first: 100) {{ nodes {{ slug }} }} }} }}"#
        ))
        .await;
    let mut have: Vec<String> = Vec::new();
    for edge in data["role"]["skills"]["edges"].as_array().expect("skills") {
        let slug = edge["node"]["slug"].as_str().unwrap_or_default();
        match edge["level"].as_str() {
            Some(level) => have.push(format!("{{slug: \"{slug}\", level: {level}}}")),
            None => have.push(format!("{{slug: \"{slug}\"}}")),
        }
    }
    for list in ["languages", "frameworks", "tools"] {
        for node in data["role"][list]["nodes"].as_array().expect("nodes") {
            have.push(format!(
                "{{slug: \"{}\"}}",
                node["slug"].as_str().unwrap_or_default()
            ));
        }
    }
    let have = have.join(", ");
    let answer = app
        .data(&format!(
            r#"{{ learningPath(role: "{to}", have: [{have}]) {{ steps {{ slug }} }}
                 skillGap(role: "{to}", have: [{have}]) {{ missing {{ kind }} belowLevel {{ kind }} }} }}"#
        ))
        .await;
    let steps = answer["learningPath"]["steps"]
        .as_array()
        .map_or(0, Vec::len);
    let others = ["missing", "belowLevel"]
        .iter()
        .flat_map(|list| {
            answer["skillGap"][*list]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|item| item["kind"] != "SKILL")
        .count();
    (steps + others) as u64
}

const ROUTE: &str =
    "steps { from { slug } to { slug } cost gap { role { slug } coverage } } cost found complete";

async fn a_career_route_is_the_cheapest_within_its_moves(app: &TestApp) {
    let roles: Vec<String> = role_skills(app).await.into_keys().collect();
    let (from, to) = ("frontend-developer", "database-administrator");
    let route = |steps: u32| {
        format!(r#"{{ careerRoute(from: "{from}", to: "{to}", maxSteps: {steps}) {{ {ROUTE} }} }}"#)
    };
    let one = app.data(&route(1)).await["careerRoute"].clone();
    let many = app.data(&route(4)).await["careerRoute"].clone();
    // Each move's cost is what the learning path and the gap say, and they add up.
    for answer in [&one, &many] {
        if answer["found"] != true {
            continue;
        }
        let mut total = 0;
        let mut at = from.to_owned();
        for step in answer["steps"].as_array().expect("steps") {
            assert_eq!(step["from"]["slug"], at.as_str());
            let next = step["to"]["slug"].as_str().unwrap_or_default().to_owned();
            let cost = move_cost(app, &at, &next).await;
            assert_eq!(step["cost"], cost, "{answer:#}");
            assert_eq!(step["gap"]["role"]["slug"], next.as_str());
            total += cost;
            at = next;
        }
        assert_eq!(at, to, "the route ends at the goal");
        assert_eq!(answer["cost"], total);
        assert_eq!(answer["complete"], true);
    }
    // More moves allowed never cost more, and no route through the built-in roles within two
    // moves is cheaper than the answer (every pair of moves tried here).
    assert_eq!(many["found"], true, "{many:#}");
    let best = many["cost"].as_u64().unwrap_or(u64::MAX);
    if one["found"] == true {
        assert!(best <= one["cost"].as_u64().unwrap_or(0));
    }
    // A move goes to a role that shares a need (with the few built-in roles, every such role
    // is among the nearest): the answer is no dearer than the direct move or any two moves.
    let near = app
        .data("{ roles(first: 100) { nodes { slug related(first: 100) { role { slug } similarity } } } }")
        .await;
    let mut allowed: HashMap<String, HashSet<String>> = HashMap::new();
    for role in near["roles"]["nodes"].as_array().expect("roles") {
        let moves = role["related"]
            .as_array()
            .expect("related")
            .iter()
            .filter(|r| r["similarity"].as_f64() > Some(0.0))
            .map(|r| r["role"]["slug"].as_str().unwrap_or_default().to_owned())
            .collect();
        allowed.insert(role["slug"].as_str().unwrap_or_default().to_owned(), moves);
    }
    let can = |a: &str, b: &str| allowed.get(a).is_some_and(|next| next.contains(b));
    let mut cheapest = u64::MAX;
    if can(from, to) {
        cheapest = move_cost(app, from, to).await;
    }
    for middle in roles.iter().filter(|r| *r != from && *r != to) {
        if can(from, middle) && can(middle, to) {
            let cost = move_cost(app, from, middle).await + move_cost(app, middle, to).await;
            cheapest = cheapest.min(cost);
        }
    }
    assert!(cheapest < u64::MAX, "a route of one or two moves exists");
    assert!(best <= cheapest, "{best} vs {cheapest}: {many:#}");
    // Bounds and unknown roles.
    let err = app
        .error(&format!(
            r#"{{ careerRoute(from: "{from}", to: "{to}", maxSteps: 0) {{ found }} }}"#
        ))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err:#}");
    assert_eq!(err["extensions"]["field"], "maxSteps", "{err:#}");
    let data = app
        .data(r#"{ careerRoute(from: "no-such-role", to: "backend-developer") { found } }"#)
        .await;
    assert_eq!(data["careerRoute"], Value::Null);
}

async fn no_route_within_the_moves_is_an_answer(app: &TestApp) {
    // A role whose one skill no other role needs: it has no neighbours, so no move leaves it.
    let key = app.key("curator", Scope::Write).await;
    app.write(
        &key,
        r#"mutation {
             createSkill(input: {slug: "beekeeping", name: "Beekeeping"}) { skill { slug } }
             createRole(input: {slug: "beekeeper", name: "Beekeeper"}) { role { slug } }
             setRoleSkill(input: {role: "beekeeper", skill: "beekeeping", importance: ESSENTIAL, level: BEGINNER}) { revision } }"#,
    )
    .await;
    let data = app
        .data(&format!(
            r#"{{ careerRoute(from: "beekeeper", to: "backend-developer", maxSteps: 6) {{ {ROUTE} }} }}"#
        ))
        .await;
    assert_eq!(
        data["careerRoute"],
        json!({"steps": [], "cost": 0, "found": false, "complete": true})
    );
}

async fn routes_are_priced_so_that_a_document_of_many_is_refused(app: &TestApp) {
    let routes = |n: usize| {
        let fields: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"r{i}: careerRoute(from: "frontend-developer", to: "backend-developer") {{ found }}"#
                )
            })
            .collect();
        format!("{{ {} }}", fields.join(" "))
    };
    // Each route's search counts for 10,000 of the 200,000 a document may cost.
    let answer = app.post(json!({"query": routes(21)})).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{answer:#}"
    );
    assert!(answer.get("data").is_none());
    // A few run (each as heavy work, in the places large requests take turns in).
    let data = app.data(&routes(4)).await;
    assert_eq!(data["r3"]["found"], true);
    // `have` is bounded like every answer's.
    let many: Vec<String> = (0..1_001).map(|i| format!("{{slug: \"s{i}\"}}")).collect();
    let err = app
        .error(&format!(
            r#"{{ careerRoute(from: "frontend-developer", to: "backend-developer", have: [{}]) {{ found }} }}"#,
            many.join(",")
        ))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err:#}");
    assert_eq!(err["extensions"]["field"], "have", "{err:#}");
}
