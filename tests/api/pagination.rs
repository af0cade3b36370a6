//! Walking connections page by page: no overlap, no gap, `totalCount` agrees.

use serde_json::Value;
use skillgraph::catalog;

use crate::helpers::{TestApp, backend_tests};

/// Walks a connection with pages of `size`: `query` has `$FIRST` and `$AFTER` where the
/// paging arguments go, `path` leads to the connection in the answer.
async fn walk(app: &TestApp, query: &str, path: &[&str], size: usize) -> (Vec<String>, i64) {
    let mut after = String::new();
    let mut slugs = Vec::new();
    let mut total;
    let mut pages = 0;
    loop {
        let q = query
            .replace("$FIRST", &size.to_string())
            .replace("$AFTER", &after);
        let data = app.data(&q).await;
        let mut connection = &data;
        for key in path {
            connection = &connection[key];
        }
        let edges = connection["edges"].as_array().unwrap();
        assert!(edges.len() <= size);
        for edge in edges {
            slugs.push(edge["node"]["slug"].as_str().unwrap().to_owned());
        }
        total = connection["totalCount"].as_i64().unwrap();
        let info = &connection["pageInfo"];
        assert_eq!(info["hasPreviousPage"], Value::Bool(pages > 0));
        if let Some(last) = edges.last() {
            assert_eq!(info["endCursor"], last["cursor"]);
            assert_eq!(info["startCursor"], edges[0]["cursor"]);
        }
        pages += 1;
        if info["hasNextPage"] != Value::Bool(true) {
            break;
        }
        after = format!(r#", after: "{}""#, info["endCursor"].as_str().unwrap());
    }
    (slugs, total)
}

async fn nested_pages_walk_exactly(app: &TestApp) {
    let catalog = catalog::built_in().unwrap();
    let role = catalog.role("backend-developer").unwrap();
    let expected: Vec<String> = role.skills.iter().map(|e| e.skill.clone()).collect();
    for size in [1, 7, 49, 100] {
        let (slugs, total) = walk(
            app,
            r#"{ role(slug: "backend-developer") { skills(first: $FIRST $AFTER) {
                totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
                edges { cursor node { slug } } } } }"#,
            &["role", "skills"],
            size,
        )
        .await;
        assert_eq!(slugs, expected, "page size {size}");
        assert_eq!(total as usize, expected.len());
    }
}

async fn root_pages_walk_exactly(app: &TestApp) {
    let catalog = catalog::built_in().unwrap();
    let mut expected: Vec<String> = catalog.skills.iter().map(|s| s.slug.clone()).collect();
    expected.sort();
    for size in [1, 9, 100] {
        let (slugs, total) = walk(
            app,
            r#"{ skills(first: $FIRST $AFTER) {
                totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
                edges { cursor node { slug } } } }"#,
            &["skills"],
            size,
        )
        .await;
        assert_eq!(slugs, expected, "page size {size}");
        assert_eq!(total as usize, expected.len());
    }
}

async fn default_and_empty_pages(app: &TestApp) {
    let data = app
        .data(
            r#"{ skills { totalCount edges { cursor } pageInfo { hasNextPage } }
                 empty: skills(first: 0) { edges { cursor } pageInfo { hasNextPage startCursor endCursor } }
                 leaf: skill(slug: "oauth") { children { totalCount nodes { slug } pageInfo { hasNextPage endCursor } } } }"#,
        )
        .await;
    assert_eq!(
        data["skills"]["edges"].as_array().unwrap().len(),
        20,
        "default page size"
    );
    assert_eq!(data["skills"]["pageInfo"]["hasNextPage"], true);
    assert!(data["empty"]["edges"].as_array().unwrap().is_empty());
    assert_eq!(data["empty"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(data["empty"]["pageInfo"]["endCursor"], Value::Null);
    assert_eq!(data["leaf"]["children"]["totalCount"], 0);
    assert_eq!(data["leaf"]["children"]["pageInfo"]["hasNextPage"], false);
}

backend_tests!(
    nested_pages_walk_exactly,
    root_pages_walk_exactly,
    default_and_empty_pages
);
