//! N+1 is a bug: a nested query costs one statement per level, whatever the number of rows.

use skillgraph::catalog;

use crate::helpers::{TestApp, backend_tests};

/// Pages large enough to hold every row of the catalog at each level.
const FOUR_LEVELS: &str = r#"{ roles(first: $ROLES) { nodes { slug
    skills(first: 50) { nodes { slug
        languages(first: 10) { nodes { slug
            frameworks(first: 5) { nodes { slug } } } } } } } } }"#;

async fn four_levels_cost_four_statements(app: &TestApp) {
    let two = app
        .statements_for(&FOUR_LEVELS.replace("$ROLES", "2"))
        .await;
    let all = app
        .statements_for(&FOUR_LEVELS.replace("$ROLES", "10"))
        .await;
    assert_eq!(
        two, all,
        "statements must not grow with the number of roles"
    );
    assert!(all <= 4, "one statement per level, got {all}");

    // The query really reaches every level.
    let data = app.data(&FOUR_LEVELS.replace("$ROLES", "10")).await;
    let roles = data["roles"]["nodes"].as_array().unwrap();
    assert_eq!(
        roles.len(),
        catalog::built_in().unwrap().roles.len(),
        "all roles"
    );
    let frameworks = roles
        .iter()
        .flat_map(|r| r["skills"]["nodes"].as_array().unwrap())
        .flat_map(|s| s["languages"]["nodes"].as_array().unwrap())
        .flat_map(|l| l["frameworks"]["nodes"].as_array().unwrap())
        .count();
    assert!(
        frameworks > 50,
        "a real fan-out, got {frameworks} frameworks"
    );
}

async fn total_count_costs_one_statement_per_level_only_when_selected(app: &TestApp) {
    let without = app
        .statements_for(r#"{ roles { nodes { skills { nodes { slug } } } } }"#)
        .await;
    let with = app
        .statements_for(
            r#"{ roles { totalCount nodes { skills { totalCount nodes { slug } } } } }"#,
        )
        .await;
    assert_eq!(without, 2);
    assert_eq!(with, 4);
}

async fn edges_and_reverse_edges_are_batched(app: &TestApp) {
    // Python alone reaches every field below (each level has rows), so the single-language
    // query runs every statement the all-languages one does.
    let fields = r#"{
        roles(first: 10) { edges { importance node { slug } } }
        frameworks { nodes { language { slug } roles { totalCount } } }
        skills(first: 20) { nodes { parent { slug } prerequisites { slug } tools { nodes { slug } } descendants(maxDepth: 3) { depth } } }
    }"#;
    let one = app
        .statements_for(&format!(r#"{{ language(slug: "python") {fields} }}"#))
        .await;
    let many = app
        .statements_for(&format!("{{ languages(first: 20) {{ nodes {fields} }} }}"))
        .await;
    assert_eq!(one, many);
    assert!(many <= 11, "one statement per field and level, got {many}");
}

/// Pages read from the end cost what pages read from the start cost: one statement per
/// level, whatever the number of parents; `hasNextPage` of a page read before a cursor, which
/// only a count can tell, one more per level, and only when selected.
async fn backward_pages_cost_one_statement_per_level(app: &TestApp) {
    let backward = |roles: u32| {
        FOUR_LEVELS
            .replace("roles(first: $ROLES)", &format!("roles(last: {roles})"))
            .replace("(first: ", "(last: ")
    };
    let two = app.statements_for(&backward(2)).await;
    let all = app.statements_for(&backward(10)).await;
    assert_eq!(
        two, all,
        "statements must not grow with the number of roles"
    );
    assert!(all <= 4, "one statement per level, got {all}");
    let forward = app.data(&FOUR_LEVELS.replace("$ROLES", "10")).await;
    assert_eq!(
        app.data(&backward(10)).await,
        forward,
        "whole lists read from either end are alike"
    );

    let data = app
        .data(r#"{ roles(first: 2) { edges { cursor } } }"#)
        .await;
    let cursor = data["roles"]["edges"][1]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = format!(
        r#"{{ roles(last: 1, before: "{cursor}") {{ nodes {{ skills(last: 2, before: "cA") {{ nodes {{ slug }} }} }} }} }}"#
    );
    let error = app.error(&page).await;
    assert_eq!(
        error["extensions"]["field"], "before",
        "a role cursor is no skill cursor"
    );
    let plain = app
        .statements_for(&format!(
            r#"{{ roles(last: 1, before: "{cursor}") {{ nodes {{ skills(last: 2) {{ nodes {{ slug }} }} }} }} }}"#
        ))
        .await;
    let with_next = app
        .statements_for(&format!(
            r#"{{ roles(last: 1, before: "{cursor}") {{ pageInfo {{ hasNextPage hasPreviousPage }} nodes {{ skills(last: 2) {{ pageInfo {{ hasNextPage hasPreviousPage }} nodes {{ slug }} }} }} }} }}"#
        ))
        .await;
    assert_eq!(plain, 2);
    assert_eq!(
        with_next, 3,
        "one count, for the root page read before a cursor"
    );
}

backend_tests!(
    backward_pages_cost_one_statement_per_level,
    four_levels_cost_four_statements,
    total_count_costs_one_statement_per_level_only_when_selected,
    edges_and_reverse_edges_are_batched,
    sources_of_imported_nodes_cost_one_statement_per_level,
);

/// Where imported nodes came from is read for a whole level at once: every role's source in
/// one statement, every skill's in one, however many fields of it are selected.
async fn sources_of_imported_nodes_cost_one_statement_per_level(app: &TestApp) {
    let bundle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco");
    skillgraph::esco::import(&app.db, &bundle, "en", "test", &mut |_| {})
        .await
        .unwrap_or_else(|err| panic!("the import: {}", err.detail()));
    let plain = app
        .statements_for(
            "{ roles(first: 100) { nodes { slug skills(first: 100) { nodes { slug } } } } }",
        )
        .await;
    let query = "{ roles(first: 100) { nodes { externalUri iscoGroup
        skills(first: 100) { nodes { externalUri skillType reuseLevel otherBroaderUris } } } } }";
    assert_eq!(app.statements_for(query).await, plain + 2);
    let data = app.data(query).await;
    let sourced = data["roles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["skills"]["nodes"].as_array().unwrap())
        .filter(|s| s["externalUri"].is_string())
        .count();
    assert!(sourced >= 6, "imported skills answered, got {sourced}");
}
