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
    search_reads_the_labels_of_the_requests_locales_folded,
    extraction_reads_each_language_with_utf16_offsets,
);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco-languages")
}

async fn import(app: &TestApp, dir: &Path, languages: &str) -> skillgraph::Result<esco::Report> {
    esco::import(&app.db, dir, languages, "test", &mut |_| {}).await
}

/// POSTs `query` with `Accept-Language: language`; the data.
async fn read_in(app: &TestApp, language: &str, query: &str) -> Value {
    ask_in(app, language, json!({ "query": query })).await
}

/// POSTs `body` with `Accept-Language: language` (none if empty); the data.
async fn ask_in(app: &TestApp, language: &str, body: Value) -> Value {
    let mut request = app.client.post(format!("{}/graphql", app.address));
    if !language.is_empty() {
        request = request.header("accept-language", language);
    }
    let response: Value = request
        .json(&body)
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

/// The hits of `search(query:)` read in `language` (with `arguments`): `(slug, matchedBy,
/// matched, locale, name)`.
async fn hits(app: &TestApp, language: &str, query: &str, arguments: &str) -> Vec<[String; 5]> {
    let data = ask_in(
        app,
        language,
        json!({
            "query": format!("query($q: String!) {{ search(query: $q, first: 5 {arguments}) {{ slug matchedBy matched locale name }} }}"),
            "variables": {"q": query},
        }),
    )
    .await;
    data["search"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|hit| {
            ["slug", "matchedBy", "matched", "locale", "name"]
                .map(|field| hit[field].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

fn hit(slug: &str, by: &str, matched: &str, locale: &str, name: &str) -> [String; 5] {
    [slug, by, matched, locale, name].map(str::to_owned)
}

async fn search_reads_the_labels_of_the_requests_locales_folded(app: &TestApp) {
    import(app, &fixture(), "all")
        .await
        .unwrap_or_else(|err| panic!("import: {}", err.detail()));
    // Typed without the umlaut, in German: the German alias, the German name shown.
    assert_eq!(
        hits(app, "de", "teamfahigkeit", "").await,
        [hit(
            "work-in-teams",
            "ALIAS",
            "Teamfähigkeit",
            "de",
            "im Team arbeiten"
        )]
    );
    // English alone does not search German labels; `allLocales` does, and a `locale`
    // argument reads that locale whatever the header says.
    assert!(
        hits(app, "", "teamfahigkeit", "")
            .await
            .iter()
            .all(|h| h[0] != "work-in-teams"),
        "German labels are not searched in English"
    );
    assert_eq!(
        hits(app, "", "teamfahigkeit", ", allLocales: true").await[0],
        hit(
            "work-in-teams",
            "ALIAS",
            "Teamfähigkeit",
            "de",
            "work in teams"
        )
    );
    assert_eq!(
        hits(app, "uk", "TEAMFÄHIGKEIT", ", locale: \"de\"").await[0],
        hit(
            "work-in-teams",
            "ALIAS",
            "Teamfähigkeit",
            "de",
            "im Team arbeiten"
        )
    );
    // Greek in capitals, without accents: the name, folded (final sigma, tonos).
    assert_eq!(
        hits(app, "el", "ΟΜΑΔΙΚΗ ΕΡΓΑΣΙΑ", "").await,
        [hit(
            "work-in-teams",
            "EXACT",
            "ομαδική εργασία",
            "el",
            "ομαδική εργασία"
        )]
    );
    assert_eq!(
        hits(app, "el", "ΠΡΟΓΡΑΜΜΑΤΙΣΤΗΣ ΒΑΣΕΩΝ", "").await[0],
        hit(
            "database-developer",
            "PREFIX",
            "προγραμματιστής βάσεων δεδομένων",
            "el",
            "προγραμματιστής βάσεων δεδομένων"
        )
    );
    // A hidden label finds its node, and is not shown: `matched` is the name.
    assert_eq!(
        hits(app, "de", "Teamarbeit", "").await[0],
        hit(
            "work-in-teams",
            "ALIAS",
            "im Team arbeiten",
            "de",
            "im Team arbeiten"
        )
    );
    assert_eq!(
        hits(app, "uk", "кеширування", "").await[0],
        hit("caching-a0b1c2d3", "ALIAS", "кешування", "uk", "кешування")
    );
    assert_eq!(
        hits(app, "", "databse developer", "").await[0],
        hit(
            "database-developer",
            "ALIAS",
            "database developer",
            "en",
            "database developer"
        )
    );
    // A typo counts characters, not bytes: one Cyrillic letter swapped.
    assert_eq!(
        hits(app, "uk", "розробнки баз", "").await[0][0],
        "database-developer"
    );
    // English names stay searchable in every chain; a node without a name in the chain's
    // first locale shows the next one's.
    assert_eq!(
        hits(app, "de", "javascript", ", kinds: [SKILL]").await[0],
        hit("javascript", "EXACT", "JavaScript", "en", "JavaScript")
    );
}

async fn extraction_reads_each_language_with_utf16_offsets(app: &TestApp) {
    import(app, &fixture(), "all")
        .await
        .unwrap_or_else(|err| panic!("import: {}", err.detail()));
    let extract = |language: &'static str, text: &'static str, arguments: &'static str| async move {
        let data = ask_in(
            app,
            language,
            json!({
                "query": format!("query($t: String!) {{ extractSkills(text: $t {arguments}) {{ start end text slug byName locale }} }}"),
                "variables": {"t": text},
            }),
        )
        .await;
        data["extractSkills"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|m| m["slug"] != "postgresql" || m["locale"] != "en")
            .map(|m| {
                (
                    m["start"].as_u64().unwrap_or_default(),
                    m["end"].as_u64().unwrap_or_default(),
                    m["text"].as_str().unwrap_or_default().to_owned(),
                    m["slug"].as_str().unwrap_or_default().to_owned(),
                    m["locale"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let m = |start: u64, end: u64, text: &str, slug: &str, locale: &str| {
        (
            start,
            end,
            text.to_owned(),
            slug.to_owned(),
            locale.to_owned(),
        )
    };
    let german = "Wir suchen Datenbank-Entwickler mit TEAMFÄHIGKEIT; teamfahigkeit zählt.";
    assert_eq!(
        extract("de", german, "").await,
        [
            m(11, 31, "Datenbank-Entwickler", "database-developer", "de"),
            m(36, 49, "TEAMFÄHIGKEIT", "work-in-teams", "de"),
            m(51, 64, "teamfahigkeit", "work-in-teams", "de"),
        ]
    );
    assert!(
        extract("", german, "").await.is_empty(),
        "English reads no German labels"
    );
    assert_eq!(extract("", german, ", allLocales: true").await.len(), 3);
    // Greek and Ukrainian, in capitals, after a character of two UTF-16 units.
    assert_eq!(
        extract("el", "🚀 ΟΜΑΔΙΚΗ ΕΡΓΑΣΙΑ, SQL", "").await,
        [
            m(3, 18, "ΟΜΑΔΙΚΗ ΕΡΓΑΣΙΑ", "work-in-teams", "el"),
            m(20, 23, "SQL", "sql", "el"),
        ]
    );
    assert_eq!(
        extract(
            "uk",
            "Шукаємо: РОЗРОБНИК БАЗ ДАНИХ, кешування; розробник баз данихх",
            ""
        )
        .await,
        [
            m(9, 28, "РОЗРОБНИК БАЗ ДАНИХ", "database-developer", "uk"),
            m(30, 39, "кешування", "caching-a0b1c2d3", "uk"),
        ],
        "a label inside a longer word is no mention"
    );
}
