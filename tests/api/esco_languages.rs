//! Importing ESCO in many languages: the bundle in `tests/fixtures/esco-languages`, English
//! with hidden labels, German, Greek and Ukrainian (a concept left untranslated in German, two
//! left out of the Greek files), imported in one run, by a list or by `all`, and one language
//! imported again alone.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use skillgraph::esco;

use crate::helpers::{TestApp, backend_tests};

backend_tests!(
    every_language_named_becomes_labels_in_one_import,
    all_imports_every_language_in_the_directory,
    importing_one_language_again_changes_that_language_alone,
    languages_that_cannot_be_imported_are_refused_and_nothing_changes,
);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco-languages")
}

async fn import(app: &TestApp, dir: &Path, languages: &str) -> skillgraph::Result<esco::Report> {
    esco::import(&app.db, dir, languages, "test", &mut |_| {}).await
}

/// POSTs `query` with `Accept-Language: language`; the data.
async fn read_in(app: &TestApp, language: &str, query: &str) -> Value {
    let response: Value = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-language", language)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("JSON");
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"].clone()
}

const TEXTS: &str = r#"{
  role(slug: "database-developer") { name aliases description }
  sql: skill(slug: "sql") { name aliases }
  js: skill(slug: "javascript") { name description }
  pg: skill(slug: "postgresql") { name }
}"#;

async fn locales(app: &TestApp) -> Value {
    app.data("{ catalog { locales { tag labelCount } } }").await["catalog"]["locales"].clone()
}

/// The locales after the fixture's four languages: the built-in catalog's nodes and the
/// bundle's 2 occupations and 9 skills and groups in English; German has every concept but
/// JavaScript, Greek 7, Ukrainian 9.
async fn expected_locales(app: &TestApp) -> Value {
    let english = app
        .data("{ roles { totalCount } skills { totalCount } languages { totalCount } frameworks { totalCount } tools { totalCount } }")
        .await;
    let nodes: i64 = ["roles", "skills", "languages", "frameworks", "tools"]
        .iter()
        .map(|field| english[field]["totalCount"].as_i64().unwrap_or_default())
        .sum();
    json!([
        {"tag": "de", "labelCount": 10},
        {"tag": "el", "labelCount": 7},
        {"tag": "en", "labelCount": nodes},
        {"tag": "uk", "labelCount": 9},
    ])
}

async fn every_language_named_becomes_labels_in_one_import(app: &TestApp) {
    let before = app.data("{ catalog { revision } }").await;
    let report = import(app, &fixture(), "en, de,el,uk")
        .await
        .unwrap_or_else(|err| panic!("import: {}", err.detail()));
    assert_eq!(report.roles.created, 2);
    assert_eq!(
        report
            .labels
            .iter()
            .map(|(l, n)| (l.as_str(), *n))
            .collect::<Vec<_>>(),
        [("de", 10), ("el", 7), ("en", 2), ("uk", 9)],
        "en: the concepts with hidden labels"
    );
    assert_eq!(report.labels_left_out, 0);
    assert_eq!(
        app.data("{ catalog { revision } }").await["catalog"]["revision"],
        json!(before["catalog"]["revision"].as_i64().unwrap_or_default() + 1),
        "one import, one revision"
    );
    assert_eq!(locales(app).await, expected_locales(app).await);

    let german = read_in(app, "de", TEXTS).await;
    assert_eq!(
        german["role"],
        json!({"name": "Datenbankentwickler/Datenbankentwicklerin",
               "aliases": ["Datenbankprogrammierer", "DB-Entwickler"],
               "description": "Datenbankentwickler programmieren, ändern und testen Datenbanken."})
    );
    assert_eq!(
        german["sql"]["aliases"],
        json!(["Strukturierte Abfragesprache"])
    );
    // JavaScript has no German label: English; PostgreSQL's has no description.
    assert_eq!(german["js"]["name"], "JavaScript");
    assert_eq!(
        german["js"]["description"],
        "The techniques and principles of software development in JavaScript."
    );
    let greek = read_in(app, "el", TEXTS).await;
    assert_eq!(greek["role"]["name"], "προγραμματιστής βάσεων δεδομένων");
    assert_eq!(greek["pg"]["name"], "PostgreSQL", "not in the Greek files");
    let ukrainian = read_in(app, "uk, de;q=0.5", TEXTS).await;
    assert_eq!(ukrainian["role"]["name"], "розробник баз даних");
    assert_eq!(ukrainian["js"]["name"], "JavaScript");
    // Hidden labels are imported, and never shown.
    let labels = app
        .data(r#"{ role(slug: "database-developer") { labels { locale aliases } } }"#)
        .await;
    assert_eq!(
        labels["role"]["labels"],
        json!([
            {"locale": "de", "aliases": ["Datenbankprogrammierer", "DB-Entwickler"]},
            {"locale": "el", "aliases": ["προγραμματίστρια βάσεων δεδομένων"]},
            {"locale": "en", "aliases": ["database programmer", "DB developer"]},
            {"locale": "uk", "aliases": ["програміст баз даних"]},
        ])
    );
    let export = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    let hidden: Vec<(&str, &str, &[String])> = export
        .labels
        .iter()
        .filter(|label| !label.hidden.is_empty())
        .map(|label| {
            (
                label.slug.as_str(),
                label.locale.as_str(),
                label.hidden.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        hidden,
        [
            (
                "database-developer",
                "de",
                &["Datenbank-Entwickler".to_owned()][..]
            ),
            (
                "database-developer",
                "en",
                &["databse developer".to_owned()][..]
            ),
            ("caching-a0b1c2d3", "uk", &["кеширування".to_owned()][..]),
            ("postgresql", "en", &["postgre".to_owned()][..]),
            ("work-in-teams", "de", &["Teamarbeit".to_owned()][..]),
        ]
    );
    // The same bundle again changes nothing.
    let again = import(app, &fixture(), "en,de,el,uk")
        .await
        .unwrap_or_else(|err| panic!("import again: {}", err.detail()));
    assert!(!again.changes(), "{again}");
}

async fn all_imports_every_language_in_the_directory(app: &TestApp) {
    let report = import(app, &fixture(), "all")
        .await
        .unwrap_or_else(|err| panic!("import: {}", err.detail()));
    assert_eq!(
        report.labels.keys().collect::<Vec<_>>(),
        ["de", "el", "en", "uk"]
    );
    assert_eq!(locales(app).await, expected_locales(app).await);
}

/// A copy of the fixture with each `(file, from, to)`: `from` replaced by `to` in `file`.
fn edited(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    crate::esco::copy_edited(&fixture(), edits)
}

async fn importing_one_language_again_changes_that_language_alone(app: &TestApp) {
    import(app, &fixture(), "en,de,el,uk")
        .await
        .unwrap_or_else(|err| panic!("import: {}", err.detail()));
    let texts = |language: &'static str| read_in(app, language, TEXTS);
    let (greek, english) = (texts("el").await, app.data(TEXTS).await);
    let version = app
        .data(r#"{ role(slug: "database-developer") { version } }"#)
        .await["role"]["version"]
        .as_i64()
        .unwrap_or_default();
    // German again, with one name changed and the English files' names changed too: only
    // German is read.
    let newer = edited(&[
        (
            "occupations_de.csv",
            "Datenbankentwickler/Datenbankentwicklerin",
            "Datenbank-Entwickler/-in",
        ),
        (
            "occupations_en.csv",
            "database developer,",
            "database engineer,",
        ),
    ]);
    let report = import(app, newer.path(), "de")
        .await
        .unwrap_or_else(|err| panic!("import de: {}", err.detail()));
    assert_eq!(report.labels_changed, 1, "{report}");
    assert_eq!(report.roles.created + report.roles.updated, 0, "{report}");
    assert_eq!(
        texts("de").await["role"]["name"],
        "Datenbank-Entwickler/-in"
    );
    assert_eq!(texts("el").await, greek);
    assert_eq!(app.data(TEXTS).await, english);
    assert_eq!(locales(app).await, expected_locales(app).await);
    assert_eq!(
        app.data(r#"{ role(slug: "database-developer") { version } }"#)
            .await["role"]["version"],
        json!(version + 1),
        "a changed translation moves its node's version"
    );
    let changes = app.data(r#"{ catalog { revision } }"#).await;
    assert!(changes["catalog"]["revision"].as_i64().is_some());
}

async fn languages_that_cannot_be_imported_are_refused_and_nothing_changes(app: &TestApp) {
    // Translations without the concepts: the graph holds no ESCO concept yet.
    let error = import(app, &fixture(), "de")
        .await
        .expect_err("no concepts to translate");
    assert_eq!(error.code(), "BAD_USER_INPUT");
    assert!(
        error.detail().contains("import the en files first"),
        "{}",
        error.detail()
    );
    for (languages, says) in [
        ("en,d e", "is no language tag"),
        ("en,fr", "occupations_fr.csv"),
        ("", "is no language tag"),
    ] {
        let error = import(app, &fixture(), languages)
            .await
            .expect_err(languages);
        assert!(
            error.detail().contains(says),
            "{languages}: {}",
            error.detail()
        );
    }
    let broken = edited(&[("skills_uk.csv", "кешування", "")]);
    // A concept whose label is missing in one language is left untranslated, not refused.
    let report = import(app, broken.path(), "en,uk")
        .await
        .unwrap_or_else(|err| panic!("import: {}", err.detail()));
    assert_eq!(report.labels.get("uk"), Some(&8));
    let empty = tempfile::tempdir().expect("a temporary directory");
    let error = import(app, empty.path(), "all")
        .await
        .expect_err("no files");
    assert!(
        error.detail().contains("no occupations_xx.csv"),
        "{}",
        error.detail()
    );
}
