//! Grouped counts on connections (`groups(by:)`): exact against the catalog and against
//! filtered counts, the filters applied, one statement per level.

use std::collections::BTreeMap;

use serde_json::Value;
use skillgraph::catalog;

use crate::helpers::{TestApp, backend_tests};

/// The groups of an answer as `key → count` (the key `null` written `"-"`), checking they
/// come in order with the valueless last.
fn groups(answer: &Value) -> Vec<(String, i64)> {
    let groups: Vec<(String, i64)> = answer
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            (
                group["key"].as_str().unwrap_or("-").to_owned(),
                group["count"].as_i64().unwrap(),
            )
        })
        .collect();
    let keys: Vec<&str> = groups.iter().map(|(key, _)| key.as_str()).collect();
    let mut sorted: Vec<&str> = keys.iter().copied().filter(|key| *key != "-").collect();
    sorted.sort();
    if keys.contains(&"-") {
        sorted.push("-");
    }
    assert_eq!(keys, sorted, "groups in order, the valueless last");
    groups
}

/// Counts of `values` in order, as [`groups`] gives them.
fn tally<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<(String, i64)> {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    let mut none = 0;
    for value in values {
        match value {
            Some(value) => *counts.entry(value.to_owned()).or_default() += 1,
            None => none += 1,
        }
    }
    let mut tallied: Vec<(String, i64)> = counts.into_iter().collect();
    if none > 0 {
        tallied.push(("-".to_owned(), none));
    }
    tallied
}

/// The value a database enum is stored, and grouped, as.
fn stored(value: impl sea_orm::ActiveEnum<Value = String>) -> String {
    value.to_value()
}

async fn groups_count_the_whole_list_exactly(app: &TestApp) {
    let catalog = catalog::built_in().unwrap();
    let data = app
        .data(
            r#"{ roles(first: 100) { nodes { slug
                   skills(first: 1) { totalCount
                     importance: groups(by: IMPORTANCE) { key count }
                     level: groups(by: LEVEL) { key count }
                     type: groups(by: SKILL_TYPE) { key count } }
                   tools(first: 1) { category: groups(by: CATEGORY) { key count } }
                   essential: tools(importance: ESSENTIAL) { category: groups(by: CATEGORY) { key count } } } }
                 tools(first: 1) { groups(by: CATEGORY) { key count } }
                 skills(first: 1) { totalCount groups(by: SKILL_TYPE) { key count } } }"#,
        )
        .await;
    let tool_category = |slug: &str| {
        let tool = catalog.tools.iter().find(|tool| tool.slug == slug).unwrap();
        stored(tool.category)
    };
    for role in data["roles"]["nodes"].as_array().unwrap() {
        let source = catalog.role(role["slug"].as_str().unwrap()).unwrap();
        let skills = &role["skills"];
        let importance = |edge: &catalog::model::RoleSkill| stored(edge.importance);
        let importances: Vec<String> = source.skills.iter().map(importance).collect();
        assert_eq!(
            groups(&skills["importance"]),
            tally(importances.iter().map(|s| Some(s.as_str())))
        );
        let levels: Vec<Option<String>> = source
            .skills
            .iter()
            .map(|edge| edge.level.map(stored))
            .collect();
        assert_eq!(
            groups(&skills["level"]),
            tally(levels.iter().map(|l| l.as_deref()))
        );
        assert_eq!(
            groups(&skills["type"]),
            vec![("-".to_owned(), skills["totalCount"].as_i64().unwrap())],
            "no built-in skill has an ESCO type"
        );
        let categories: Vec<String> = source
            .tools
            .iter()
            .map(|edge| tool_category(&edge.tool))
            .collect();
        assert_eq!(
            groups(&role["tools"]["category"]),
            tally(categories.iter().map(|c| Some(c.as_str())))
        );
        let essential: Vec<String> = source
            .tools
            .iter()
            .filter(|edge| stored(edge.importance) == "ESSENTIAL")
            .map(|edge| tool_category(&edge.tool))
            .collect();
        assert_eq!(
            groups(&role["essential"]["category"]),
            tally(essential.iter().map(|c| Some(c.as_str()))),
            "the list's filters apply"
        );
    }
    let all: Vec<String> = catalog
        .tools
        .iter()
        .map(|tool| tool_category(&tool.slug))
        .collect();
    assert_eq!(
        groups(&data["tools"]["groups"]),
        tally(all.iter().map(|c| Some(c.as_str())))
    );
}

async fn groups_cost_one_statement_per_level(app: &TestApp) {
    let query = |roles: u32| {
        format!(
            "{{ roles(first: {roles}) {{ nodes {{ skills(first: 0) {{ groups(by: IMPORTANCE) {{ key count }} }}
                tools(first: 0) {{ groups(by: CATEGORY) {{ key count }} }} }} }} }}"
        )
    };
    let one = app.statements_for(&query(1)).await;
    let all = app.statements_for(&query(100)).await;
    assert_eq!(one, all, "statements must not grow with the roles");
    assert_eq!(
        all, 5,
        "the roles, then per nested list one statement for its page and one for its groups"
    );
}

/// Groups are priced as a list of a full page's length and a statement: under a limit of
/// 1,000, two root groups (about 300 each) pass and three are refused before anything runs.
#[tokio::test]
async fn groups_are_priced_before_they_run() {
    let app = crate::helpers::TestApp::builder(crate::helpers::Backend::Sqlite)
        .settings(|settings| settings.limits.max_complexity = 1_000)
        .spawn()
        .await
        .expect("SQLite");
    let aliases = |n: usize| -> String {
        let many: String = (0..n)
            .map(|at| format!("g{at}: groups(by: CATEGORY) {{ key count }} "))
            .collect();
        format!("{{ tools(first: 0) {{ {many} }} }}")
    };
    app.data(&aliases(1)).await;
    let statements = app.statements_for(&aliases(1)).await;
    app.data(&aliases(2)).await;
    let before = app.db.statements.get();
    let error = app.error(&aliases(3)).await;
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{error}");
    assert_eq!(
        app.db.statements.get(),
        before,
        "the refused document ran nothing"
    );
    assert_eq!(statements, 2, "the page and the groups");
}

backend_tests!(
    groups_count_the_whole_list_exactly,
    groups_cost_one_statement_per_level
);
