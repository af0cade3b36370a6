//! `orderBy` on the root and reverse lists: every order's pages are exact forwards and
//! backwards, ties are broken by slug, a cursor belongs to its order, and an ordered nested
//! list still costs one statement per level.

use serde_json::Value;

use crate::helpers::{TestApp, backend_tests};
use crate::pagination::{walk, walk_back};

/// A list in an order: the connection's field with `$ARGS` where the paging arguments go,
/// the path to it, and what each item's keys are read from (`name`, `slug`, or the path of a
/// `totalCount` that is the measure).
struct Case {
    query: &'static str,
    path: &'static [&'static str],
    /// Each key: the field of the node it reads and whether it descends.
    keys: &'static [(&'static str, bool)],
}

const CASES: &[Case] = &[
    Case {
        query: "{ skills($ARGS, orderBy: [{field: ROLE_COUNT, direction: DESC}]) { $SELECT } }",
        path: &["skills"],
        keys: &[("roles", true)],
    },
    Case {
        query: "{ roles($ARGS, orderBy: [{field: SKILL_COUNT, direction: ASC}, {field: NAME, direction: DESC}]) { $SELECT } }",
        path: &["roles"],
        keys: &[("skills", false), ("name", true)],
    },
    Case {
        query: "{ languages($ARGS, orderBy: [{field: NAME, direction: DESC}]) { $SELECT } }",
        path: &["languages"],
        keys: &[("name", true)],
    },
    Case {
        query: "{ tools($ARGS, orderBy: [{field: ROLE_COUNT, direction: ASC}]) { $SELECT } }",
        path: &["tools"],
        keys: &[("roles", false)],
    },
    Case {
        query: "{ frameworks($ARGS, orderBy: [{field: SLUG, direction: DESC}]) { $SELECT } }",
        path: &["frameworks"],
        keys: &[],
    },
    Case {
        query: r#"{ language(slug: "sql") { skills($ARGS, orderBy: [{field: ROLE_COUNT, direction: DESC}, {field: NAME, direction: ASC}]) { $SELECT } } }"#,
        path: &["language", "skills"],
        keys: &[("roles", true), ("name", false)],
    },
    Case {
        query: r#"{ skill(slug: "version-control") { roles($ARGS, orderBy: [{field: NAME, direction: DESC}]) { $SELECT } } }"#,
        path: &["skill", "roles"],
        keys: &[("name", true)],
    },
];

const SELECT: &str = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug $FIELDS } }";

/// The fields each key reads.
fn fields(case: &Case) -> String {
    let mut fields = String::from("name");
    for (key, _) in case.keys {
        if *key != "name" {
            fields.push_str(&format!(" {key} {{ totalCount }}"));
        }
    }
    fields
}

fn connection<'a>(data: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(data, |value, key| &value[key])
}

/// One item's value of a key: a measure's count, or a text field.
fn value(node: &Value, key: &str) -> Value {
    match key {
        "name" | "slug" => node[key].clone(),
        _ => node[key]["totalCount"].clone(),
    }
}

/// Whether `a` sorts before `b` in `case`'s order (slug ascending last, unless the case's
/// order is by slug alone, descending).
fn before(case: &Case, a: &Value, b: &Value) -> bool {
    use std::cmp::Ordering;
    let compare = |x: &Value, y: &Value| match (x, y) {
        (Value::Number(x), Value::Number(y)) => x.as_i64().cmp(&y.as_i64()),
        _ => x.as_str().cmp(&y.as_str()),
    };
    for (key, descending) in case.keys {
        let order = compare(&value(a, key), &value(b, key));
        let order = if *descending { order.reverse() } else { order };
        if order != Ordering::Equal {
            return order == Ordering::Less;
        }
    }
    let slugs = compare(&a["slug"], &b["slug"]);
    if case.keys.is_empty() {
        slugs == Ordering::Greater
    } else {
        slugs == Ordering::Less
    }
}

async fn every_order_pages_exactly_both_ways(app: &TestApp) {
    for case in CASES {
        let select = SELECT.replace("$FIELDS", &fields(case));
        let whole = case
            .query
            .replace("$ARGS", "first: 100")
            .replace("$SELECT", &select);
        let data = app.data(&whole).await;
        let edges = connection(&data, case.path)["edges"]
            .as_array()
            .unwrap()
            .clone();
        assert!(edges.len() > 3, "a list long enough to page: {whole}");
        let nodes: Vec<&Value> = edges.iter().map(|edge| &edge["node"]).collect();
        for pair in nodes.windows(2) {
            assert!(
                before(case, pair[0], pair[1]),
                "{} before {} in {whole}",
                pair[0],
                pair[1]
            );
        }
        let expected: Vec<String> = nodes
            .iter()
            .map(|node| node["slug"].as_str().unwrap().to_owned())
            .collect();
        if case.keys.iter().any(|(key, _)| *key != "name") {
            let counts: Vec<Value> = nodes.iter().map(|n| value(n, case.keys[0].0)).collect();
            assert!(
                counts.windows(2).any(|pair| pair[0] == pair[1]),
                "the measure has ties to break: {counts:?}"
            );
        }
        let forward = case
            .query
            .replace("$ARGS", "first: $FIRST $AFTER")
            .replace("$SELECT", &select);
        let backward = case
            .query
            .replace("$ARGS", "$PAGE $CURSOR")
            .replace("$SELECT", &select);
        for size in [1, 3, 100] {
            let (slugs, total) = walk(app, &forward, case.path, size).await;
            assert_eq!(slugs, expected, "forwards by {size}: {whole}");
            assert_eq!(total as usize, expected.len());
            assert_eq!(
                walk_back(app, &backward, case.path, size).await,
                expected,
                "backwards by {size}: {whole}"
            );
        }
        // Between two cursors, read from either end.
        let cursor = |at: usize| edges[at]["cursor"].as_str().unwrap().to_owned();
        for args in [
            format!(
                r#"first: 100, after: "{}", before: "{}""#,
                cursor(0),
                cursor(3)
            ),
            format!(
                r#"last: 100, after: "{}", before: "{}""#,
                cursor(0),
                cursor(3)
            ),
        ] {
            let data = app
                .data(
                    &case
                        .query
                        .replace("$ARGS", &args)
                        .replace("$SELECT", &select),
                )
                .await;
            let between: Vec<&str> = connection(&data, case.path)["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|edge| edge["node"]["slug"].as_str().unwrap())
                .collect();
            assert_eq!(between, expected[1..3], "{args}: {whole}");
        }
    }
}

async fn a_cursor_belongs_to_its_order(app: &TestApp) {
    let cursor = |data: &Value| {
        data["skills"]["edges"][0]["cursor"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let by_demand = app
        .data("{ skills(first: 2, orderBy: [{field: ROLE_COUNT, direction: DESC}]) { edges { cursor } } }")
        .await;
    let by_slug = app.data("{ skills(first: 2) { edges { cursor } } }").await;
    let by_name = app
        .data("{ skills(first: 2, orderBy: [{field: NAME, direction: ASC}]) { edges { cursor } } }")
        .await;
    for (order, cursor) in [
        ("[{field: ROLE_COUNT, direction: ASC}]", cursor(&by_demand)),
        ("[{field: NAME, direction: ASC}]", cursor(&by_demand)),
        ("[{field: ROLE_COUNT, direction: DESC}]", cursor(&by_slug)),
        ("[{field: ROLE_COUNT, direction: DESC}]", cursor(&by_name)),
    ] {
        for argument in ["after", "before"] {
            let error = app
                .error(&format!(
                    r#"{{ skills(first: 2, {argument}: "{cursor}", orderBy: {order}) {{ totalCount }} }}"#
                ))
                .await;
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
            assert_eq!(error["extensions"]["field"], argument, "{error}");
        }
    }
    let error = app
        .error(&format!(
            r#"{{ skills(first: 2, after: "{}") {{ totalCount }} }}"#,
            cursor(&by_name)
        ))
        .await;
    assert_eq!(
        error["extensions"]["field"], "after",
        "an ordered cursor without its order"
    );
    // The slug ascending is the list's own order: its cursors are the plain ones.
    app.data(&format!(
        r#"{{ skills(first: 2, after: "{}", orderBy: [{{field: SLUG, direction: ASC}}]) {{ totalCount }} }}"#,
        cursor(&by_slug)
    ))
    .await;
    for order in [
        "[{field: NAME, direction: ASC}, {field: NAME, direction: DESC}]",
        "[{field: NAME, direction: ASC}, {field: SLUG, direction: ASC}, {field: ROLE_COUNT, direction: ASC}, {field: NAME, direction: ASC}]",
    ] {
        let error = app
            .error(&format!("{{ skills(orderBy: {order}) {{ totalCount }} }}"))
            .await;
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
        assert_eq!(error["extensions"]["field"], "orderBy", "{error}");
    }
}

async fn ordered_nested_lists_cost_one_statement_per_level(app: &TestApp) {
    let query = |languages: u32, page: &str| {
        format!(
            "{{ languages(first: {languages}, orderBy: [{{field: ROLE_COUNT, direction: DESC}}]) {{ nodes {{
                skills({page}, orderBy: [{{field: ROLE_COUNT, direction: DESC}}]) {{ nodes {{
                    roles(first: 5, orderBy: [{{field: SKILL_COUNT, direction: DESC}}]) {{ nodes {{ slug }} }} }} }} }} }} }}"
        )
    };
    for page in ["first: 3", "last: 3"] {
        let one = app.statements_for(&query(1, page)).await;
        let all = app.statements_for(&query(20, page)).await;
        assert_eq!(
            one, all,
            "statements must not grow with the parents: {page}"
        );
        assert_eq!(all, 3, "one statement per level: {page}");
    }
    let data = app.data(&query(20, "first: 3")).await;
    let roles = data["languages"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|language| language["skills"]["nodes"].as_array().unwrap())
        .flat_map(|skill| skill["roles"]["nodes"].as_array().unwrap())
        .count();
    assert!(roles > 5, "the query reaches every level: {roles}");
}

backend_tests!(
    every_order_pages_exactly_both_ways,
    a_cursor_belongs_to_its_order,
    ordered_nested_lists_cost_one_statement_per_level
);
