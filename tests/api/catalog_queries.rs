//! The contract's queries, with answers checked against the built-in catalog.

use std::collections::HashMap;

use entity::{Importance, ToolCategory};
use sea_orm::ActiveEnum;
use serde_json::{Value, json};
use skillgraph::catalog::{self, Catalog};

use crate::helpers::{TestApp, assert_snapshot, backend_tests};

fn catalog() -> Catalog {
    catalog::built_in().expect("built-in catalog")
}

fn slugs(nodes: &Value) -> Vec<String> {
    nodes
        .as_array()
        .expect("a list")
        .iter()
        .map(|node| node["slug"].as_str().expect("a slug").to_owned())
        .collect()
}

/// `(node slug, importance, level if present)` of each edge of a served connection.
fn edges(edges: &Value) -> Vec<(String, String, Option<String>)> {
    edges
        .as_array()
        .expect("a list of edges")
        .iter()
        .map(|e| {
            (
                e["node"]["slug"].as_str().unwrap().to_owned(),
                e["importance"].as_str().unwrap().to_owned(),
                e["level"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn role_by_slug(app: &TestApp) {
    let data = app
        .data(
            r#"{ role(slug: "backend-developer") {
                slug name description aliases responsibilities domains
            } }"#,
        )
        .await;
    let catalog = catalog();
    let expected = catalog.role("backend-developer").expect("in the catalog");
    let role = &data["role"];
    assert_eq!(role["name"], "Backend Developer");
    assert_eq!(role["description"], expected.description.as_str());
    assert_eq!(role["aliases"], json!(expected.aliases));
    assert_eq!(role["responsibilities"], json!(expected.responsibilities));
    assert_eq!(role["domains"], json!(expected.domains));
    assert!(
        role["domains"]
            .as_array()
            .unwrap()
            .contains(&json!("fintech"))
    );
}

async fn backend_developer_uses_php(app: &TestApp) {
    let data = app
        .data(
            r#"{ role(slug: "backend-developer") {
                languages(first: 100) { edges { importance node { slug name } } }
            } }"#,
        )
        .await;
    let edges = data["role"]["languages"]["edges"].as_array().unwrap();
    let catalog = catalog();
    let expected: Vec<(&str, String)> = catalog
        .role("backend-developer")
        .unwrap()
        .languages
        .iter()
        .map(|e| (e.language.as_str(), e.importance.to_value()))
        .collect();
    let served: Vec<(&str, String)> = edges
        .iter()
        .map(|e| {
            (
                e["node"]["slug"].as_str().unwrap(),
                e["importance"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(served, expected);
    assert!(served.iter().any(|(slug, _)| *slug == "php"));
}

async fn frameworks_belong_to_their_language(app: &TestApp) {
    let data = app
        .data(r#"{ framework(slug: "django") { name language { slug name } } }"#)
        .await;
    assert_eq!(data["framework"]["name"], "Django");
    assert_eq!(data["framework"]["language"]["slug"], "python");
    assert_eq!(data["framework"]["language"]["name"], "Python");

    // And every framework of the catalog is served with the language the catalog gives it.
    let data = app
        .data("{ frameworks(first: 100) { nodes { slug language { slug } } } }")
        .await;
    let served: HashMap<String, String> = data["frameworks"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["slug"].as_str().unwrap().to_owned(),
                f["language"]["slug"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: HashMap<String, String> = catalog()
        .frameworks
        .into_iter()
        .map(|f| (f.slug, f.language))
        .collect();
    assert_eq!(served, expected);
}

/// The catalog's subtree under `root`, in pre-order, as `(depth, parent, slug)`.
fn expected_subtree(catalog: &Catalog, root: &str, max_depth: i64) -> Vec<(i64, String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_owned(), 0)];
    while let Some((slug, depth)) = stack.pop() {
        if depth > 0 {
            let parent = catalog.skill(&slug).and_then(|s| s.parent.clone()).unwrap();
            out.push((depth, parent, slug.clone()));
        }
        if depth == max_depth {
            continue;
        }
        let children: Vec<_> = catalog
            .skills
            .iter()
            .filter(|s| s.parent.as_deref() == Some(slug.as_str()))
            .collect();
        for child in children.into_iter().rev() {
            stack.push((child.slug.clone(), depth + 1));
        }
    }
    out
}

async fn descendants_come_in_pre_order(app: &TestApp) {
    let catalog = catalog();
    for (root, max_depth) in [
        ("database-management", None),
        ("security", Some(1)),
        ("security", None),
    ] {
        let argument = max_depth
            .map(|d| format!("(maxDepth: {d})"))
            .unwrap_or_default();
        let data = app
            .data(&format!(
                r#"{{ skill(slug: "{root}") {{ descendants{argument} {{ depth parentSlug skill {{ slug }} }} }} }}"#
            ))
            .await;
        let served: Vec<(i64, String, String)> = data["skill"]["descendants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["depth"].as_i64().unwrap(),
                    e["parentSlug"].as_str().unwrap().to_owned(),
                    e["skill"]["slug"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected = expected_subtree(&catalog, root, max_depth.unwrap_or(i64::MAX));
        assert_eq!(
            served, expected,
            "descendants of {root} (maxDepth {max_depth:?})"
        );
        assert!(served.iter().any(|e| e.0 == 1));
    }
    // The tree really is deeper than one level somewhere.
    let deep = expected_subtree(&catalog, "database-management", i64::MAX);
    assert!(deep.iter().any(|e| e.0 == 2));
}

async fn skill_tree_links_both_ways(app: &TestApp) {
    let data = app
        .data(
            r#"{ skill(slug: "query-optimization") {
                parent { slug }
                prerequisites { slug }
                languages { nodes { slug } }
                tools { nodes { slug } }
                roles(first: 100) { edges { importance level node { slug } } }
            } }"#,
        )
        .await;
    let catalog = catalog();
    let skill = catalog.skill("query-optimization").unwrap();
    let served = &data["skill"];
    assert_eq!(served["parent"]["slug"], json!(skill.parent));
    assert_eq!(slugs(&served["prerequisites"]), skill.prerequisites);
    assert_eq!(slugs(&served["languages"]["nodes"]), skill.languages);
    assert_eq!(slugs(&served["tools"]["nodes"]), skill.tools);
    let mut expected_roles: Vec<(String, String, Option<String>)> = catalog
        .roles
        .iter()
        .flat_map(|r| {
            r.skills
                .iter()
                .filter(|e| e.skill == "query-optimization")
                .map(|e| {
                    let level = e.level.map(|level| level.to_value());
                    (r.slug.clone(), e.importance.to_value(), level)
                })
        })
        .collect();
    expected_roles.sort();
    let served_roles: Vec<(String, String, Option<String>)> = edges(&served["roles"]["edges"]);
    assert_eq!(served_roles, expected_roles);
    assert!(served_roles.len() >= 2, "a skill shared by several roles");

    let data = app
        .data(r#"{ skill(slug: "database-management") { parent { slug } children(first: 100) { nodes { slug } } } }"#)
        .await;
    assert_eq!(data["skill"]["parent"], Value::Null);
    let children: Vec<String> = catalog
        .skills
        .iter()
        .filter(|s| s.parent.as_deref() == Some("database-management"))
        .map(|s| s.slug.clone())
        .collect();
    assert_eq!(slugs(&data["skill"]["children"]["nodes"]), children);
}

async fn reverse_queries_find_every_role(app: &TestApp) {
    let data = app
        .data(
            r#"{ language(slug: "python") {
                roles(first: 100) { edges { importance node { slug } } }
                frameworks { nodes { slug } }
                skills(first: 100) { nodes { slug } }
            } }"#,
        )
        .await;
    let catalog = catalog();
    let mut expected: Vec<(String, String)> = catalog
        .roles
        .iter()
        .flat_map(|r| {
            r.languages
                .iter()
                .filter(|e| e.language == "python")
                .map(|e| (r.slug.clone(), e.importance.to_value()))
        })
        .collect();
    expected.sort();
    let served: Vec<(String, String)> = edges(&data["language"]["roles"]["edges"])
        .into_iter()
        .map(|(slug, importance, _)| (slug, importance))
        .collect();
    assert_eq!(served, expected);
    assert!(served.len() >= 3);
    let mut frameworks: Vec<String> = catalog
        .frameworks
        .iter()
        .filter(|f| f.language == "python")
        .map(|f| f.slug.clone())
        .collect();
    frameworks.sort();
    assert_eq!(slugs(&data["language"]["frameworks"]["nodes"]), frameworks);
    let mut skills: Vec<String> = catalog
        .skills
        .iter()
        .filter(|s| s.languages.iter().any(|l| l == "python"))
        .map(|s| s.slug.clone())
        .collect();
    skills.sort();
    assert_eq!(slugs(&data["language"]["skills"]["nodes"]), skills);

    let data = app
        .data(r#"{ tool(slug: "postgresql") { category roles { nodes { slug } } } framework(slug: "react") { roles { nodes { slug } } } }"#)
        .await;
    assert_eq!(data["tool"]["category"], "DATABASE");
    assert!(slugs(&data["tool"]["roles"]["nodes"]).contains(&"database-administrator".to_owned()));
    assert!(slugs(&data["framework"]["roles"]["nodes"]).contains(&"frontend-developer".to_owned()));
}

async fn unknown_slugs_are_null(app: &TestApp) {
    let data = app
        .data(
            r#"{ role(slug: "astronaut") { name } skill(slug: "juggling") { name }
                 language(slug: "cobol-2099") { name } framework(slug: "nope") { name }
                 tool(slug: "hammer") { name } }"#,
        )
        .await;
    for field in ["role", "skill", "language", "framework", "tool"] {
        assert_eq!(data[field], Value::Null, "{field}");
    }
}

async fn global_ids_round_trip(app: &TestApp) {
    let data = app
        .data(
            r#"{ roles(first: 3) { nodes { id slug } }
                 language(slug: "csharp") { id name }
                 tool(slug: "docker") { id } }"#,
        )
        .await;
    let mut ids: Vec<Value> = data["roles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    ids.push(data["language"]["id"].clone());
    ids.push(data["tool"]["id"].clone());
    let response = app
        .post(json!({
            "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Role { slug } ... on Language { name } ... on Tool { slug } } }",
            "variables": { "ids": ids },
        }))
        .await;
    let nodes = response["data"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    for (node, id) in nodes.iter().zip(&ids) {
        assert_eq!(&node["id"], id);
    }
    assert_eq!(nodes[3]["__typename"], "Language");
    assert_eq!(nodes[3]["name"], "C#");
    assert_eq!(nodes[4]["slug"], "docker");

    let id = data["language"]["id"].as_str().unwrap();
    let data = app
        .data(&format!(
            r#"{{ node(id: "{id}") {{ id ... on Language {{ slug }} }} }}"#
        ))
        .await;
    assert_eq!(data["node"]["slug"], "csharp");
}

async fn filters_narrow_root_lists(app: &TestApp) {
    let catalog = catalog();
    let data = app
        .data(
            r#"{
                sharp: languages(filter: { search: "SHARP" }) { nodes { slug } }
                postgres: tools(filter: { search: "postgres" }) { nodes { slug } }
                rails: frameworks(filter: { search: "rails" }) { nodes { slug } }
                python: frameworks(first: 100, filter: { language: "python" }) { totalCount nodes { slug } }
                databases: tools(first: 100, filter: { category: DATABASE }) { totalCount nodes { slug } }
                roots: skills(first: 100, filter: { rootsOnly: true }) { totalCount nodes { slug } }
                engineers: roles(filter: { search: "engineer" }) { nodes { slug } }
                literal: skills(filter: { search: "%" }) { totalCount }
            }"#,
        )
        .await;
    assert_eq!(slugs(&data["sharp"]["nodes"]), ["csharp"]);
    assert_eq!(slugs(&data["postgres"]["nodes"]), ["postgresql"]);
    assert_eq!(slugs(&data["rails"]["nodes"]), ["ruby-on-rails"]);
    let mut python: Vec<String> = catalog
        .frameworks
        .iter()
        .filter(|f| f.language == "python")
        .map(|f| f.slug.clone())
        .collect();
    python.sort();
    assert_eq!(slugs(&data["python"]["nodes"]), python);
    assert_eq!(data["python"]["totalCount"], python.len());
    let databases = catalog
        .tools
        .iter()
        .filter(|t| t.category == ToolCategory::Database)
        .count();
    assert_eq!(data["databases"]["totalCount"], databases);
    assert_eq!(
        data["databases"]["nodes"].as_array().unwrap().len(),
        databases
    );
    // The seed articles list Redis with the databases ("MySQL, PostgreSQL, MongoDB, or Redis").
    let database_slugs = slugs(&data["databases"]["nodes"]);
    for slug in ["mysql", "postgresql", "mongodb", "redis"] {
        assert!(
            database_slugs.iter().any(|s| s == slug),
            "{slug}: {database_slugs:?}"
        );
    }
    let roots = catalog.skills.iter().filter(|s| s.parent.is_none()).count();
    assert_eq!(data["roots"]["totalCount"], roots);
    let engineers = slugs(&data["engineers"]["nodes"]);
    assert!(
        engineers.contains(&"backend-developer".to_owned()),
        "{engineers:?}"
    );
    assert!(
        engineers.contains(&"devops-engineer".to_owned()),
        "{engineers:?}"
    );
    assert_eq!(data["literal"]["totalCount"], 0, "`%` is matched literally");
}

async fn nested_filters_narrow_role_lists(app: &TestApp) {
    let data = app
        .data(
            r#"{ role(slug: "backend-developer") {
                essential: skills(first: 100, importance: ESSENTIAL) { totalCount edges { importance } }
                optional: skills(first: 100, importance: OPTIONAL) { totalCount }
                all: skills { totalCount }
                databases: tools(first: 100, category: DATABASE) { nodes { slug } }
                optionalClouds: tools(first: 100, category: CLOUD_PLATFORM, importance: OPTIONAL) { nodes { slug } }
            } }"#,
        )
        .await;
    let catalog = catalog();
    let role = catalog.role("backend-developer").unwrap();
    let essential = role
        .skills
        .iter()
        .filter(|e| e.importance == Importance::Essential)
        .count();
    let served = &data["role"];
    assert_eq!(served["essential"]["totalCount"], essential);
    assert!(
        served["essential"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["importance"] == "ESSENTIAL")
    );
    assert_eq!(
        served["optional"]["totalCount"],
        role.skills.len() - essential
    );
    assert_eq!(served["all"]["totalCount"], role.skills.len());
    let tool_category = |slug: &str| {
        catalog
            .tools
            .iter()
            .find(|t| t.slug == slug)
            .map(|t| t.category)
            .unwrap()
    };
    let databases: Vec<String> = role
        .tools
        .iter()
        .filter(|e| tool_category(&e.tool) == ToolCategory::Database)
        .map(|e| e.tool.clone())
        .collect();
    assert_eq!(slugs(&served["databases"]["nodes"]), databases);
    let clouds: Vec<String> = role
        .tools
        .iter()
        .filter(|e| {
            tool_category(&e.tool) == ToolCategory::CloudPlatform
                && e.importance == Importance::Optional
        })
        .map(|e| e.tool.clone())
        .collect();
    assert_eq!(slugs(&served["optionalClouds"]["nodes"]), clouds);
}

async fn nested_skill_tree_snapshot(app: &TestApp) {
    let data = app
        .data(
            r#"{ role(slug: "backend-developer") {
                name
                skills(first: 3) {
                    totalCount
                    pageInfo { hasNextPage hasPreviousPage }
                    edges { importance level node {
                        slug name
                        languages(first: 3) { nodes { slug name frameworks(first: 2) { nodes { slug name } } } }
                    } }
                }
            } }"#,
        )
        .await;
    assert_snapshot("backend_developer_skill_tree", &data);
}

/// Search matches each alias on its own, never the text that stores the list: the quotes,
/// commas and brackets of a JSON array match nothing, and a match cannot span two aliases.
async fn search_matches_aliases_one_by_one(app: &TestApp) {
    let data = app
        .data(
            r#"{
                quote: languages(filter: { search: "\"" }) { totalCount }
                comma: languages(filter: { search: "," }) { totalCount }
                bracket: languages(filter: { search: "[" }) { totalCount }
                across: languages(filter: { search: "js\", \"ecma" }) { totalCount }
                alias: languages(filter: { search: "ecmascript" }) { nodes { slug } }
                part: languages(filter: { search: "olan" }) { nodes { slug } }
            }"#,
        )
        .await;
    for key in ["quote", "comma", "bracket", "across"] {
        assert_eq!(data[key]["totalCount"], 0, "{key}: {data}");
    }
    assert_eq!(slugs(&data["alias"]["nodes"]), ["javascript"]);
    assert_eq!(slugs(&data["part"]["nodes"]), ["go"]);
}

backend_tests!(
    search_matches_aliases_one_by_one,
    role_by_slug,
    backend_developer_uses_php,
    frameworks_belong_to_their_language,
    descendants_come_in_pre_order,
    skill_tree_links_both_ways,
    reverse_queries_find_every_role,
    unknown_slugs_are_null,
    global_ids_round_trip,
    filters_narrow_root_lists,
    nested_filters_narrow_role_lists,
    nested_skill_tree_snapshot,
);
