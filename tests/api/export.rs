//! The whole graph out and back in: export → import into an empty database → export gives the
//! same bytes, in TOML and in JSON, on both backends; and the imported graph answers as the
//! original did. The graph includes an imported ESCO bundle, so that sources, other broader
//! concepts and unknown levels go round too, and labels in other locales (hidden aliases
//! included).

use serde_json::json;
use skillgraph::catalog::{self, Catalog, SeedOutcome};
use skillgraph::keys::Scope;

use crate::helpers::{ScratchDatabase, TestApp, backend_tests};

backend_tests!(export_and_import_round_trip);

/// A nested query that shows order, edge data and aliases.
const SHAPE: &str = r#"{
  roles(first: 100) { nodes { slug aliases domains labels { locale name aliases description }
    skills(first: 100) { edges { importance level node { slug parent { slug } prerequisites { slug } } } }
    frameworks(first: 100) { edges { importance node { slug language { slug } } } } } }
  skills(first: 100, filter: {rootsOnly: true}) { nodes { slug descendants { depth skill { slug aliases } } } }
  tools(first: 100) { nodes { slug category } }
  esco: skills(first: 100, filter: {skillType: KNOWLEDGE}) { nodes { slug externalUri reuseLevel otherBroaderUris parent { slug } } }
  occupations: roles(first: 100, filter: {iscoGroup: "2521"}) { nodes { slug externalUri
    skills(first: 100) { edges { importance level node { slug } } } } }
}"#;

async fn export_and_import_round_trip(app: &TestApp) {
    // Curate first, so that positions have gaps and lists have been reordered.
    let key = app.key("exporter", Scope::Write).await;
    app.write(
        &key,
        r#"mutation {
          a: moveSkill(input: {skill: "caching", parent: "database-management", position: 0}) { revision }
          b: setRoleSkill(input: {role: "devops-engineer", skill: "caching", importance: OPTIONAL, level: EXPERT, position: 1}) { revision }
          c: removeRoleTool(input: {role: "backend-developer", tool: "nginx"}) { revision }
          d: createLanguage(input: {slug: "elixir", name: "Elixir", aliases: ["ex", "Elixir \"lang\""]}) { revision }
        }"#,
    )
    .await;
    let ids = app
        .data(r#"{ role(slug: "backend-developer") { id } skill(slug: "caching") { id } }"#)
        .await;
    let (role, skill) = (&ids["role"]["id"], &ids["skill"]["id"]);
    app.write(
        &key,
        &format!(
            r#"mutation {{
              e: setLabel(input: {{node: {role}, locale: "de", name: "Backend-Entwickler", aliases: ["Server-Entwickler"],
                                  hiddenAliases: ["Bakend"], description: "Baut \"Server\"."}}) {{ revision }}
              f: setLabel(input: {{node: {role}, locale: "uk", name: "Бекенд-розробник"}}) {{ revision }}
              g: setLabel(input: {{node: {skill}, locale: "en", hiddenAliases: ["cashing"]}}) {{ revision }}
            }}"#
        ),
    )
    .await;
    let bundle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco");
    skillgraph::esco::import(&app.db, &bundle, "en", "test", &mut |_| {})
        .await
        .unwrap_or_else(|err| panic!("the ESCO import: {}", err.detail()));
    let original = app.data(SHAPE).await;
    assert_eq!(
        original["occupations"]["nodes"][0]["skills"]["edges"][0]["level"],
        serde_json::Value::Null
    );

    let first = catalog::export(&app.db.conn).await.expect("export");
    let (toml, json_text) = (
        first.to_toml().expect("toml"),
        first.to_json().expect("json"),
    );
    for (format, text) in [("toml", &toml), ("json", &json_text)] {
        let parsed = if format == "json" {
            Catalog::parse_json(text)
        } else {
            Catalog::parse(text)
        }
        .unwrap_or_else(|err| panic!("{format}: {}", err.detail()));
        let Some(database) = ScratchDatabase::create(app.backend).await else {
            return;
        };
        let db = skillgraph::db::connect(&database.url)
            .await
            .expect("connect");
        skillgraph::db::migrate(&db).await.expect("migrate");
        let outcome = catalog::import(&db, &parsed, false, "test")
            .await
            .unwrap_or_else(|err| panic!("import: {}", err.detail()));
        assert!(matches!(outcome, SeedOutcome::Loaded(_)), "{outcome:?}");
        let second = catalog::export(&db.conn).await.expect("export again");
        let again = if format == "json" {
            second.to_json()
        } else {
            second.to_toml()
        }
        .expect("text");
        assert_eq!(
            &again, text,
            "{format}: the second export is byte-identical"
        );
        db.conn.close_by_ref().await.ok();

        let imported = TestApp::on(database).spawn().await;
        assert_eq!(
            imported.data(SHAPE).await,
            original,
            "{format}: the same answers"
        );
    }
    for text in [&toml, &json_text] {
        assert!(text.contains("Бекенд-розробник") && text.contains("cashing"));
    }
    assert!(
        toml.contains("[[languages]]\nslug = \"bash\""),
        "{}",
        &toml[..200]
    );
    let schema: serde_json::Value =
        serde_json::from_str(&Catalog::json_schema().expect("schema")).expect("JSON");
    assert_eq!(
        schema["properties"]["roles"]["items"],
        json!({"$ref": "#/$defs/Role"})
    );
}
