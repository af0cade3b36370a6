//! Loading the catalog twice duplicates nothing and overwrites nothing without being asked.

use serde_json::{Value, json};
use skillgraph::catalog::{self, SeedOutcome};

use crate::helpers::{TestApp, backend_tests};

const COUNTS: &str = "{ roles { totalCount } skills { totalCount } languages { totalCount } \
                      frameworks { totalCount } tools { totalCount } }";

/// What [`COUNTS`] answers on a database seeded with `catalog` alone.
fn counts_of(catalog: &catalog::Catalog) -> Value {
    let count = |n: usize| json!({ "totalCount": n });
    json!({
        "roles": count(catalog.roles.len()),
        "skills": count(catalog.skills.len()),
        "languages": count(catalog.languages.len()),
        "frameworks": count(catalog.frameworks.len()),
        "tools": count(catalog.tools.len()),
    })
}

async fn seeding_again_changes_nothing(app: &TestApp) {
    let before = app.data(COUNTS).await;
    let catalog = catalog::built_in().unwrap();
    assert_eq!(before, counts_of(&catalog));

    let outcome = catalog::seed(&app.db, &catalog, false).await.unwrap();
    assert!(
        matches!(outcome, SeedOutcome::AlreadyHasData(_)),
        "{outcome:?}"
    );
    assert_eq!(app.data(COUNTS).await, before);

    let outcome = catalog::seed(&app.db, &catalog, true).await.unwrap();
    assert!(matches!(outcome, SeedOutcome::Loaded(_)), "{outcome:?}");
    assert_eq!(app.data(COUNTS).await, before);
    let data = app
        .data(r#"{ framework(slug: "laravel") { language { slug } roles { totalCount } } }"#)
        .await;
    let laravel = catalog
        .frameworks
        .iter()
        .find(|framework| framework.slug == "laravel")
        .expect("the catalog has Laravel");
    assert_eq!(data["framework"]["language"]["slug"], laravel.language);
    let using_laravel = catalog
        .roles
        .iter()
        .filter(|role| role.frameworks.iter().any(|f| f.framework == "laravel"))
        .count();
    assert!(using_laravel > 0, "some role of the catalog uses Laravel");
    assert_eq!(data["framework"]["roles"]["totalCount"], using_laravel);
}

backend_tests!(seeding_again_changes_nothing);
