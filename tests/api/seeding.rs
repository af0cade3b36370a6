//! Loading the catalog twice duplicates nothing and overwrites nothing without being asked.

use skillgraph::catalog::{self, SeedOutcome};

use crate::helpers::{TestApp, backend_tests};

const COUNTS: &str = "{ roles { totalCount } skills { totalCount } languages { totalCount } \
                      frameworks { totalCount } tools { totalCount } }";

async fn seeding_again_changes_nothing(app: &TestApp) {
    let before = app.data(COUNTS).await;
    let catalog = catalog::built_in().unwrap();
    assert_eq!(before["skills"]["totalCount"], catalog.skills.len());

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
    assert_eq!(data["framework"]["language"]["slug"], "php");
    assert!(data["framework"]["roles"]["totalCount"].as_i64().unwrap() >= 1);
}

backend_tests!(seeding_again_changes_nothing);
