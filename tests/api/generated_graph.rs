//! On synthetic graphs of two sizes: a query's statement count does not depend on the data
//! size (one per level, plus one per selected `totalCount` level), and a nested page fetches at
//! most `first + 1` rows per parent.

use skillgraph::generator::GraphSize;

use crate::helpers::{Backend, TestApp, per_backend};

/// `(query, statements it may cost)`.
const QUERIES: &[(&str, u64)] = &[
    ("{ roles(first: 30) { nodes { slug skills(first: 5) { nodes { slug } } } } }", 2),
    (
        "{ roles(first: 30) { totalCount nodes { skills(first: 5) { totalCount nodes { slug } } } } }",
        4,
    ),
    (
        "{ roles(first: 30) { nodes { skills(first: 5) { edges { importance level node {
            languages(first: 3) { nodes { slug } } } } } } } }",
        3,
    ),
    (
        "{ roles(first: 30) { nodes { skills(first: 5) { nodes {
            languages(first: 3) { totalCount nodes { frameworks(first: 2) { totalCount nodes { slug } } } } } } } } }",
        6,
    ),
    (
        "{ roles(first: 30) { nodes { skills(first: 5) { nodes {
            languages(first: 3) { nodes { frameworks(first: 2) { nodes { slug language { slug } } } } } } } } } }",
        5,
    ),
    (
        "{ skills(first: 20, filter: { rootsOnly: true }) { nodes { children(first: 4) { nodes {
            parent { slug } prerequisites { slug } roles(first: 2) { edges { importance node { slug } } }
            descendants(maxDepth: 2) { depth skill { slug } } } } } } }",
        6,
    ),
];

async fn statements_do_not_grow_with_the_data(backend: Backend) {
    let Some(small) = TestApp::builder(backend)
        .generated(GraphSize::small(1))
        .spawn()
        .await
    else {
        return;
    };
    let Some(large) = TestApp::builder(backend)
        .generated(GraphSize::small(4))
        .spawn()
        .await
    else {
        return;
    };
    for (query, most) in QUERIES {
        let on_small = small.statements_for(query).await;
        let on_large = large.statements_for(query).await;
        assert_eq!(
            on_small, on_large,
            "statements must not depend on data size:\n{query}"
        );
        assert!(
            on_large <= *most,
            "{on_large} statements, at most {most} expected:\n{query}"
        );
    }
}

async fn nested_pages_are_cut_in_sql(backend: Backend) {
    let size = GraphSize::small(2);
    let per_role = size.skills_per_role as u64;
    let Some(app) = TestApp::builder(backend).generated(size).spawn().await else {
        return;
    };
    let (statements, rows) = app
        .cost_of("{ roles(first: 10) { nodes { skills(first: 3) { nodes { slug } } } } }")
        .await;
    assert_eq!(statements, 2);
    // 11 role rows (first + 1), then at most 4 skill rows per role: not all 20 of each.
    assert!(rows <= 11 + 10 * 4, "{rows} rows fetched");
    assert!(
        rows < 10 * per_role,
        "{rows} rows: the page was cut in memory, not in SQL"
    );
    walk_a_generated_connection(&app).await;
}

/// Pages through one role's skills on the generated graph: no overlap, no gap.
async fn walk_a_generated_connection(app: &TestApp) {
    let mut after = String::new();
    let mut seen = Vec::new();
    loop {
        let data = app
            .data(&format!(
                r#"{{ role(slug: "role-3") {{ skills(first: 6{after}) {{ totalCount
                    pageInfo {{ hasNextPage endCursor }} nodes {{ slug }} }} }} }}"#
            ))
            .await;
        let skills = &data["role"]["skills"];
        for node in skills["nodes"].as_array().unwrap() {
            seen.push(node["slug"].as_str().unwrap().to_owned());
        }
        if skills["pageInfo"]["hasNextPage"] != true {
            assert_eq!(seen.len() as i64, skills["totalCount"].as_i64().unwrap());
            break;
        }
        after = format!(
            r#", after: "{}""#,
            skills["pageInfo"]["endCursor"].as_str().unwrap()
        );
    }
    let distinct: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(distinct.len(), seen.len(), "no item twice");
    assert_eq!(seen.len(), 20);
}

/// A level with more parents than SQLite takes terms in one compound statement (500) is still
/// one statement, read another way (numbering every edge); its pages are the same as those
/// read for one parent at a time.
async fn a_level_of_many_parents_is_one_statement(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .generated(GraphSize::small(8))
        .spawn()
        .await
    else {
        return;
    };
    let query = "{ roles(first: 100) { nodes { skills(first: 50) { nodes { slug
        languages(first: 2) { pageInfo { hasNextPage } nodes { slug } } } } } } }";
    let statements = app.statements_for(query).await;
    assert_eq!(statements, 3, "one statement per level");
    let data = app.data(query).await;
    let mut pages = std::collections::BTreeMap::new();
    for role in data["roles"]["nodes"].as_array().unwrap() {
        for skill in role["skills"]["nodes"].as_array().unwrap() {
            pages.insert(
                skill["slug"].as_str().unwrap().to_owned(),
                skill["languages"].clone(),
            );
        }
    }
    assert!(pages.len() > 500, "only {} parents", pages.len());
    for (slug, page) in pages.iter().step_by(50) {
        let alone = app
            .data(&format!(
                r#"{{ skill(slug: "{slug}") {{
                    languages(first: 2) {{ pageInfo {{ hasNextPage }} nodes {{ slug }} }} }} }}"#
            ))
            .await;
        assert_eq!(&alone["skill"]["languages"], page, "{slug}");
    }
}

per_backend!(
    statements_do_not_grow_with_the_data,
    nested_pages_are_cut_in_sql,
    a_level_of_many_parents_is_one_statement
);
