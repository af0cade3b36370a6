//! Walking connections page by page, forwards and backwards: no overlap, no gap, `totalCount`
//! agrees, and `hasPreviousPage`/`hasNextPage` say what the Relay specification says.

use serde_json::Value;
use skillgraph::catalog;

use crate::helpers::{TestApp, backend_tests};

/// Walks a connection with pages of `size`: `query` has `$FIRST` and `$AFTER` where the
/// paging arguments go, `path` leads to the connection in the answer.
pub(crate) async fn walk(
    app: &TestApp,
    query: &str,
    path: &[&str],
    size: usize,
) -> (Vec<String>, i64) {
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

/// Walks a connection backwards from its end with pages of `last: size`, the way Relay's
/// `usePaginationFragment` and Apollo's `relayStylePagination` load previous pages (`before:
/// startCursor` while `hasPreviousPage`), and returns the slugs in list order.
pub(crate) async fn walk_back(
    app: &TestApp,
    query: &str,
    path: &[&str],
    size: usize,
) -> Vec<String> {
    let mut before = String::new();
    let mut pages: Vec<Vec<String>> = Vec::new();
    loop {
        let q = query
            .replace("$PAGE", &format!("last: {size}"))
            .replace("$CURSOR", &before);
        let data = app.data(&q).await;
        let mut connection = &data;
        for key in path {
            connection = &connection[key];
        }
        let edges = connection["edges"].as_array().unwrap();
        assert!(edges.len() <= size);
        let info = &connection["pageInfo"];
        // Spec: with `last`, `hasNextPage` tells whether items follow `before`; without it,
        // false.
        assert_eq!(
            info["hasNextPage"],
            Value::Bool(!pages.is_empty()),
            "page {} back of {query}",
            pages.len()
        );
        if let Some(last) = edges.last() {
            assert_eq!(info["endCursor"], last["cursor"]);
            assert_eq!(info["startCursor"], edges[0]["cursor"]);
        }
        pages.push(
            edges
                .iter()
                .map(|edge| edge["node"]["slug"].as_str().unwrap().to_owned())
                .collect(),
        );
        if info["hasPreviousPage"] != Value::Bool(true) {
            break;
        }
        before = format!(r#", before: "{}""#, info["startCursor"].as_str().unwrap());
    }
    pages.into_iter().rev().flatten().collect()
}

/// One page of the connection at `path`: its slugs and its `pageInfo`.
async fn page(app: &TestApp, query: &str, path: &[&str], args: &str) -> (Vec<String>, Value) {
    let data = app
        .data(&query.replace("$PAGE", args).replace("$CURSOR", ""))
        .await;
    let mut connection = &data;
    for key in path {
        connection = &connection[key];
    }
    let slugs = connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["slug"].as_str().unwrap().to_owned())
        .collect();
    (slugs, connection["pageInfo"].clone())
}

/// Every cursor of a connection, in order.
async fn cursors(app: &TestApp, query: &str, path: &[&str]) -> Vec<String> {
    let data = app
        .data(&query.replace("$PAGE", "first: 100").replace("$CURSOR", ""))
        .await;
    let mut connection = &data;
    for key in path {
        connection = &connection[key];
    }
    connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["cursor"].as_str().unwrap().to_owned())
        .collect()
}

/// The lists each way of reading a page goes through: a root list; a role's skills (the
/// edge index, walked per parent) alone and with a filter on the edge; a skill's children
/// (a column, every parent's items numbered); the skills of a language (by slug, numbered).
const BOTH_WAYS: &[(&str, &[&str])] = &[
    (
        r#"{ skills($PAGE $CURSOR) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
             edges { cursor node { slug } } } }"#,
        &["skills"],
    ),
    (
        r#"{ role(slug: "backend-developer") { skills($PAGE $CURSOR) {
             pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
             edges { cursor node { slug } } } } }"#,
        &["role", "skills"],
    ),
    (
        r#"{ role(slug: "backend-developer") { skills($PAGE $CURSOR, importance: ESSENTIAL) {
             pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
             edges { cursor node { slug } } } } }"#,
        &["role", "skills"],
    ),
    (
        r#"{ skill(slug: "database-management") { children($PAGE $CURSOR) {
             pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
             edges { cursor node { slug } } } } }"#,
        &["skill", "children"],
    ),
    (
        r#"{ language(slug: "sql") { skills($PAGE $CURSOR) {
             pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
             edges { cursor node { slug } } } } }"#,
        &["language", "skills"],
    ),
];

async fn backward_pages_are_the_forward_pages_in_reverse(app: &TestApp) {
    for (query, path) in BOTH_WAYS {
        let forward_query = query
            .replace("$PAGE $CURSOR", "first: $FIRST $AFTER")
            .replace("pageInfo {", "totalCount pageInfo {");
        for size in [1, 3, 100] {
            let (forward, total) = walk(app, &forward_query, path, size).await;
            assert!(forward.len() > 3, "a list long enough to page: {query}");
            assert_eq!(forward.len() as i64, total);
            let backward = walk_back(app, query, path, size).await;
            assert_eq!(backward, forward, "page size {size}: {query}");
        }
    }
}

async fn cursors_bound_pages_from_both_sides(app: &TestApp) {
    for (query, path) in BOTH_WAYS {
        let all = page(app, query, path, "first: 100").await.0;
        let cursor = cursors(app, query, path).await;
        let n = all.len();
        assert!(n > 5, "{query}");
        // `first` with `before`: from the start, no further than the cursor.
        let (items, info) = page(
            app,
            query,
            path,
            &format!(r#"first: 2, before: "{}""#, cursor[4]),
        )
        .await;
        assert_eq!(items, all[..2], "{query}");
        assert_eq!(info["hasNextPage"], true);
        assert_eq!(info["hasPreviousPage"], false);
        let (items, info) = page(
            app,
            query,
            path,
            &format!(r#"first: 10, before: "{}""#, cursor[4]),
        )
        .await;
        assert_eq!(items, all[..4], "{query}");
        assert_eq!(info["hasNextPage"], false, "nothing more before the cursor");
        // `last` with `after`: from the end, no further back than the cursor.
        let (items, info) = page(
            app,
            query,
            path,
            &format!(r#"last: 2, after: "{}""#, cursor[1]),
        )
        .await;
        assert_eq!(items, all[n - 2..], "{query}");
        assert_eq!(info["hasPreviousPage"], true);
        assert_eq!(info["hasNextPage"], false);
        let (items, info) = page(
            app,
            query,
            path,
            &format!(r#"last: 100, after: "{}""#, cursor[n - 4]),
        )
        .await;
        assert_eq!(items, all[n - 3..], "{query}");
        assert_eq!(
            info["hasPreviousPage"], false,
            "nothing more after the cursor"
        );
        // Both cursors: the items strictly between them.
        let (items, _) = page(
            app,
            query,
            path,
            &format!(
                r#"first: 100, after: "{}", before: "{}""#,
                cursor[1], cursor[4]
            ),
        )
        .await;
        assert_eq!(items, all[2..4], "{query}");
        let (items, info) = page(
            app,
            query,
            path,
            &format!(
                r#"last: 1, after: "{}", before: "{}""#,
                cursor[1], cursor[4]
            ),
        )
        .await;
        assert_eq!(items, all[3..4], "{query}");
        assert_eq!(info["hasPreviousPage"], true);
        assert_eq!(info["hasNextPage"], true, "items follow `before`");
        let (items, info) = page(app, query, path, "last: 0").await;
        assert!(items.is_empty());
        assert_eq!(info["hasPreviousPage"], true);
    }
}

async fn paging_mistakes_are_refused_with_the_argument_named(app: &TestApp) {
    let role_cursor = cursors(app, BOTH_WAYS[0].0, BOTH_WAYS[0].1).await[0].clone();
    for (query, argument) in [
        (
            "{ skills(first: 2, last: 2) { totalCount } }".to_owned(),
            None,
        ),
        (
            "{ skills(last: -1) { totalCount } }".to_owned(),
            Some("last"),
        ),
        (
            "{ skills(last: 100000) { totalCount } }".to_owned(),
            Some("last"),
        ),
        (
            format!(
                r#"{{ role(slug: "backend-developer") {{ skills(last: 2, before: "{role_cursor}") {{ totalCount }} }} }}"#
            ),
            Some("before"),
        ),
        (
            r#"{ skills(before: "%%%") { totalCount } }"#.to_owned(),
            Some("before"),
        ),
    ] {
        let error = app.error(&query).await;
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
        if let Some(argument) = argument {
            assert_eq!(error["extensions"]["field"], argument, "{error}");
        }
    }
}

/// The cursors of a connection read backwards with pages of `last: size`, in list order,
/// checking each page's `hasPreviousPage` on the way.
async fn cursors_back(app: &TestApp, query: &str, path: &[&str], size: usize) -> Vec<String> {
    let mut before = String::new();
    let mut pages: Vec<Vec<String>> = Vec::new();
    loop {
        let q = query
            .replace("$PAGE", &format!("last: {size}"))
            .replace("$CURSOR", &before);
        let data = app.data(&q).await;
        let mut connection = &data;
        for key in path {
            connection = &connection[key];
        }
        let page: Vec<String> = connection["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| edge["cursor"].as_str().unwrap().to_owned())
            .collect();
        assert!(page.len() <= size);
        let info = &connection["pageInfo"];
        assert_eq!(
            info["startCursor"].as_str(),
            page.first().map(String::as_str)
        );
        pages.push(page);
        if info["hasPreviousPage"] != Value::Bool(true) {
            break;
        }
        before = format!(r#", before: "{}""#, info["startCursor"].as_str().unwrap());
    }
    pages.into_iter().rev().flatten().collect()
}

/// The change log, the releases and a release's differences are connections of their own,
/// and page backwards as the node lists do.
async fn the_log_and_the_releases_page_backwards_too(app: &TestApp) {
    use skillgraph::keys::Scope;
    let admin = app.key("pager", Scope::Admin).await;
    for round in 0..3 {
        for skill in ["caching", "sql-querying"] {
            app.write(
                &admin,
                &format!(r#"mutation {{ updateSkill(input: {{skill: "{skill}", description: "Round {round}."}}) {{ revision }} }}"#),
            )
            .await;
        }
        app.write(
            &admin,
            &format!(r#"mutation {{ createRelease(input: {{name: "r{round}", notes: "Round {round}."}}) {{ release {{ name }} }} }}"#),
        )
        .await;
    }
    app.write(
        &admin,
        r#"mutation { createSkill(input: {slug: "edge-caching", name: "Edge caching"}) { revision } }"#,
    )
    .await;
    for (query, path) in [
        (
            "{ changes($PAGE $CURSOR) { pageInfo { hasPreviousPage startCursor } edges { cursor } } }",
            &["changes"][..],
        ),
        (
            "{ releases($PAGE $CURSOR) { pageInfo { hasPreviousPage startCursor } edges { cursor } } }",
            &["releases"][..],
        ),
        (
            r#"{ releaseDiff(from: "r0") { changes($PAGE $CURSOR) { pageInfo { hasPreviousPage startCursor } edges { cursor } } } }"#,
            &["releaseDiff", "changes"][..],
        ),
    ] {
        let all = cursors(app, query, path).await;
        assert!(all.len() >= 3, "{query}: {all:?}");
        for size in [1, 2, 100] {
            assert_eq!(cursors_back(app, query, path, size).await, all, "{query}");
        }
        // `last` after a cursor, `first` before one.
        let between = query.replace(
            "$PAGE $CURSOR",
            &format!(r#"last: 100, after: "{}", before: "{}""#, all[0], all[2]),
        );
        let data = app.data(&between.replace("$CURSOR", "")).await;
        let mut connection = &data;
        for key in path {
            connection = &connection[key];
        }
        let edges = connection["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 1, "{between}");
        assert_eq!(edges[0]["cursor"], all[1].as_str());
        let both = app
            .error(&query.replace("$PAGE $CURSOR", "first: 1, last: 1"))
            .await;
        assert_eq!(both["extensions"]["code"], "BAD_USER_INPUT");
        let bad = app
            .error(&query.replace("$PAGE $CURSOR", r#"last: 1, before: "not-a-cursor!""#))
            .await;
        assert_eq!(bad["extensions"]["field"], "before", "{bad}");
    }
}

backend_tests!(
    the_log_and_the_releases_page_backwards_too,
    nested_pages_walk_exactly,
    root_pages_walk_exactly,
    default_and_empty_pages,
    backward_pages_are_the_forward_pages_in_reverse,
    cursors_bound_pages_from_both_sides,
    paging_mistakes_are_refused_with_the_argument_named
);
