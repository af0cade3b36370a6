//! Importing ESCO's CSV bundle: the small bundle in `tests/fixtures/esco`, written by hand in
//! ESCO's layout (multi-line alternative labels, a skill with two broader concepts, an
//! occupation with essential and optional skills), checked through GraphQL.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use skillgraph::esco::{self, Counts, Report};
use skillgraph::keys::Scope;

use crate::helpers::{TestApp, backend_tests};

/// Imported roles group by their ISCO group and skills by their ESCO type, each group as
/// many as the list filtered by its value holds; the nodes curated by hand have none.
async fn imported_nodes_group_by_their_source_values(app: &TestApp) {
    import(app, &fixture()).await.expect("the import");
    let data = app
        .data(
            "{ roles(first: 0) { totalCount groups(by: ISCO_GROUP) { key count } }
               skills(first: 0) { totalCount groups(by: SKILL_TYPE) { key count } } }",
        )
        .await;
    for (list, filter) in [("roles", "iscoGroup"), ("skills", "skillType")] {
        let groups = data[list]["groups"].as_array().unwrap();
        assert!(groups.len() >= 2, "{list}: {groups:?}");
        let mut sum = 0;
        for group in groups {
            let count = group["count"].as_i64().unwrap();
            sum += count;
            let Some(key) = group["key"].as_str() else {
                continue;
            };
            let value = if filter == "iscoGroup" {
                format!("{key:?}")
            } else {
                key.to_owned()
            };
            let filtered = app
                .data(&format!(
                    "{{ {list}(filter: {{{filter}: {value}}}) {{ totalCount }} }}"
                ))
                .await;
            assert_eq!(filtered[list]["totalCount"], count, "{list} of {key}");
        }
        assert_eq!(sum, data[list]["totalCount"].as_i64().unwrap(), "{list}");
        assert!(
            groups.last().is_some_and(|group| group["key"].is_null()),
            "the built-in {list} have no source value, and come last: {groups:?}"
        );
    }
}

backend_tests!(
    imported_nodes_group_by_their_source_values,
    a_dry_run_changes_nothing_and_says_what_the_real_import_then_does,
    a_bundle_becomes_roles_and_skills_with_their_sources,
    importing_again_changes_nothing_and_a_newer_bundle_updates_by_uri,
    a_bundle_with_a_mistake_is_refused_at_its_place_and_nothing_changes,
    alternative_labels_are_searchable,
    a_generated_bundle_imports_whole,
    a_twenty_thousand_deep_broader_chain_imports_and_imports_again,
    a_group_of_fifty_thousand_skills_imports,
    damaged_text_is_repaired_stored_repaired_and_each_repair_reported_at_its_place,
    strict_mode_refuses_the_damaged_bundle_at_its_first_repair_and_nothing_changes,
    text_that_cannot_be_repaired_is_refused_at_its_place_and_nothing_changes,
    a_concept_of_a_taxonomy_built_on_esco_imports_with_its_own_uri,
    a_megabyte_cell_of_damaged_text_imports_with_a_bounded_list_of_repairs,
);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco")
}

async fn import(app: &TestApp, dir: &Path) -> skillgraph::Result<Report> {
    esco::import(&app.db, dir, "en", "test", &mut |_| {}).await
}

/// A copy of the fixture bundle, with `edit` applied to the text of some of its files.
fn edited(edit: &[(&str, &str, &str)]) -> tempfile::TempDir {
    copy_edited(&fixture(), edit)
}

/// A copy of the bundle in `bundle`, with each `(file, from, to)` of `edit` applied: `from`
/// replaced by `to` in `file`, once.
pub(crate) fn copy_edited(bundle: &Path, edit: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for entry in std::fs::read_dir(bundle).expect("the fixture") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let mut text = std::fs::read_to_string(&path).expect("a fixture file");
        for (file, from, to) in edit {
            if *file == name {
                assert!(text.contains(from), "{from:?} is in {file}");
                text = text.replacen(from, to, 1);
            }
        }
        std::fs::write(dir.path().join(&name), text).expect("write a file");
    }
    dir
}

const E: &str = "http://data.europa.eu/esco";

async fn a_bundle_becomes_roles_and_skills_with_their_sources(app: &TestApp) {
    let before = app
        .data("{ catalog { revision } role(slug: \"backend-developer\") { version } }")
        .await;
    let report = import(app, &fixture()).await.expect("the import");
    assert_eq!(
        (report.roles, report.skills),
        (
            Counts {
                created: 2,
                ..Counts::default()
            },
            Counts {
                created: 9,
                ..Counts::default()
            }
        )
    );
    let data = app
        .data(
            r#"{ role(slug: "database-developer") { name aliases description externalUri iscoGroup
                   skills(first: 10) { edges { importance level node { slug } } } }
                 postgres: skill(slug: "postgresql") { name aliases skillType reuseLevel externalUri
                   parent { slug skillType } otherBroaderUris }
                 design: skill(slug: "design-database-scheme") {
                   relations { edges { importance node { slug } } } }
                 teamwork: skill(slug: "work-in-teams") { description reuseLevel parent { slug } }
                 caching: skill(slug: "caching-a0b1c2d3") { name externalUri }
                 curated: skill(slug: "caching") { externalUri skillType otherBroaderUris }
                 groups: skills(first: 10, filter: {skillType: SKILL_GROUP}) { nodes { slug } }
                 ict: skills(first: 10, filter: {rootsOnly: true, reuseLevel: TRANSVERSAL}) { nodes { slug } }
                 byIsco: roles(filter: {iscoGroup: "2513"}) { nodes { slug } }
                 byUri: roles(filter: {externalUri: "http://data.europa.eu/esco/occupation/b1c2d3e4-7777-4000-8111-000000000od1"}) { nodes { slug } }
                 ictChildren: skill(slug: "ict-skills") { descendants { depth skill { slug } } }
                 catalog { revision }
                 backend: role(slug: "backend-developer") { version externalUri } }"#,
        )
        .await;
    assert_eq!(
        data["role"],
        json!({
            "name": "database developer",
            "aliases": ["database programmer", "DB developer"],
            "description": "Database developers program, modify and test computer databases.",
            "externalUri": format!("{E}/occupation/b1c2d3e4-7777-4000-8111-000000000od1"),
            "iscoGroup": "2521",
            "skills": {"edges": [
                {"importance": "ESSENTIAL", "level": null, "node": {"slug": "sql"}},
                {"importance": "ESSENTIAL", "level": null, "node": {"slug": "design-database-scheme"}},
                {"importance": "OPTIONAL", "level": null, "node": {"slug": "postgresql"}},
                {"importance": "OPTIONAL", "level": null, "node": {"slug": "work-in-teams"}},
            ]}
        })
    );
    // Two broader concepts: the smaller URI (`…/isced-f/0613` < `…/skill/…`) is the parent.
    assert_eq!(
        data["postgres"],
        json!({
            "name": "PostgreSQL",
            "aliases": ["Postgres", "postgres database"],
            "skillType": "KNOWLEDGE",
            "reuseLevel": "SECTOR_SPECIFIC",
            "externalUri": format!("{E}/skill/6c7d8e9f-2222-4bbb-8ccc-000000000pg1"),
            "parent": {"slug": "software-and-applications-development-and-analysis", "skillType": "SKILL_GROUP"},
            "otherBroaderUris": [format!("{E}/skill/5b6a1d2e-1111-4aaa-8bbb-000000000sq1")],
        })
    );
    // ESCO's skill-to-skill relations, in the file's order, with their importance.
    assert_eq!(
        data["design"]["relations"]["edges"],
        json!([{"importance": "ESSENTIAL", "node": {"slug": "sql"}},
               {"importance": "OPTIONAL", "node": {"slug": "postgresql"}}])
    );
    assert_eq!(
        data["teamwork"],
        json!({"description": "Work confidently within a group, each doing their part.",
               "reuseLevel": "TRANSVERSAL", "parent": null})
    );
    // `caching` is a curated skill: the concept's slug takes the URI's first characters.
    assert_eq!(data["caching"]["name"], "caching");
    assert_eq!(
        data["curated"],
        json!({"externalUri": null, "skillType": null, "otherBroaderUris": []})
    );
    assert_eq!(
        data["groups"]["nodes"],
        json!([{"slug": "databases"}, {"slug": "ict-skills"},
               {"slug": "software-and-applications-development-and-analysis"}])
    );
    assert_eq!(data["ict"]["nodes"], json!([{"slug": "work-in-teams"}]));
    assert_eq!(data["byIsco"]["nodes"], json!([{"slug": "web-developer"}]));
    assert_eq!(
        data["byUri"]["nodes"],
        json!([{"slug": "database-developer"}])
    );
    assert_eq!(
        data["ictChildren"]["descendants"],
        json!([
            {"depth": 1, "skill": {"slug": "caching-a0b1c2d3"}},
            {"depth": 1, "skill": {"slug": "databases"}},
            {"depth": 2, "skill": {"slug": "design-database-scheme"}},
            {"depth": 2, "skill": {"slug": "sql"}},
        ])
    );
    // One entry in the change log, one revision; curated nodes untouched.
    let revision = before["catalog"]["revision"].as_i64().unwrap_or(-1);
    assert_eq!(data["catalog"]["revision"], revision + 1);
    assert_eq!(data["backend"]["version"], before["role"]["version"]);
    assert_eq!(data["backend"]["externalUri"], Value::Null);
    let admin = app.key("auditor", Scope::Admin).await;
    let (_, answer) = app
        .post_as(&admin, json!({"query": "{ changes(first: 5) { edges { node { operation kind slug nodeId after } } } }"}))
        .await;
    assert_eq!(
        answer["data"]["changes"]["edges"],
        json!([{"node": {"operation": "importEsco", "kind": null, "slug": null, "nodeId": null,
                "after": {"roles": {"created": 2, "updated": 0, "unchanged": 0, "deprecated": 0, "restored": 0},
                          "skills": {"created": 9, "updated": 0, "unchanged": 0, "deprecated": 0, "restored": 0}}}}]),
        "{answer:#}"
    );
}

async fn importing_again_changes_nothing_and_a_newer_bundle_updates_by_uri(app: &TestApp) {
    import(app, &fixture()).await.expect("the first import");
    let before = app
        .data("{ catalog { revision } skill(slug: \"sql\") { version } }")
        .await;
    let again = import(app, &fixture())
        .await
        .expect("the same bundle again");
    assert!(!again.changes());
    assert_eq!(
        (again.roles, again.skills),
        (
            Counts {
                unchanged: 2,
                ..Counts::default()
            },
            Counts {
                unchanged: 9,
                ..Counts::default()
            }
        )
    );
    let after = app
        .data("{ catalog { revision } skill(slug: \"sql\") { version } }")
        .await;
    assert_eq!(after, before, "nothing written, the revision did not move");

    // A newer bundle: SQL's description changes, the web developer is gone.
    let newer = edited(&[
        (
            "skills_en.csv",
            "for retrieving information",
            "for reading information",
        ),
        (
            "occupations_en.csv",
            "Occupation,http://data.europa.eu/esco/occupation/c2d3e4f5",
            "Gone,http://data.europa.eu/esco/occupation/c2d3e4f5",
        ),
    ]);
    // Dropping an occupation: its line and its relations go.
    let occupations =
        std::fs::read_to_string(newer.path().join("occupations_en.csv")).expect("read");
    let kept: Vec<&str> = occupations
        .lines()
        .filter(|l| !l.starts_with("Gone,"))
        .collect();
    std::fs::write(
        newer.path().join("occupations_en.csv"),
        kept.join("\n") + "\n",
    )
    .expect("write");
    let relations = std::fs::read_to_string(newer.path().join("occupationSkillRelations_en.csv"))
        .expect("read");
    let kept: Vec<&str> = relations
        .lines()
        .filter(|l| !l.contains("c2d3e4f5"))
        .collect();
    std::fs::write(
        newer.path().join("occupationSkillRelations_en.csv"),
        kept.join("\n") + "\n",
    )
    .expect("write");

    let report = import(app, newer.path()).await.expect("the newer bundle");
    assert_eq!(
        (report.roles, report.skills),
        (
            Counts {
                unchanged: 1,
                updated: 1,
                deprecated: 1,
                ..Counts::default()
            },
            Counts {
                updated: 1,
                unchanged: 8,
                ..Counts::default()
            }
        )
    );
    let data = app
        .data(r#"{ catalog { revision } skill(slug: "sql") { version description } web: role(slug: "web-developer") { slug status deprecationNote } }"#)
        .await;
    assert_eq!(
        data["catalog"]["revision"],
        before["catalog"]["revision"].as_i64().unwrap_or(-1) + 1
    );
    assert_eq!(
        data["skill"]["version"],
        before["skill"]["version"].as_i64().unwrap_or(-1) + 1
    );
    assert!(
        data["skill"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("for reading")
    );
    // The occupation gone from the bundle is deprecated, not deleted: its slug still answers.
    assert_eq!(
        data["web"],
        json!({"slug": "web-developer", "status": "DEPRECATED",
        "deprecationNote": "No longer in the ESCO bundle."})
    );
    let listed = app.data("{ roles(first: 100) { nodes { slug } } }").await;
    assert!(!listed.to_string().contains("web-developer"), "{listed}");

    // Back in a later bundle, it is restored; a concept ESCO marks obsolete is deprecated.
    let later = edited(&[("occupations_en.csv", ",released,", ",obsolete,")]);
    let report = import(app, later.path()).await.expect("the later bundle");
    assert_eq!(
        (report.roles.restored, report.roles.deprecated),
        (1, 1),
        "{report}"
    );
    let data = app
        .data(r#"{ web: role(slug: "web-developer") { status deprecationNote }
                   roles(first: 100, includeDeprecated: true) { nodes { slug status deprecationNote } } }"#)
        .await;
    assert_eq!(
        data["web"],
        json!({"status": "ACTIVE", "deprecationNote": null})
    );
    let obsolete: Vec<&Value> = data["roles"]["nodes"]
        .as_array()
        .map(|roles| {
            roles
                .iter()
                .filter(|r| r["status"] == "DEPRECATED")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(obsolete.len(), 1, "{}", data["roles"]);
    assert_eq!(obsolete[0]["deprecationNote"], "Obsolete in ESCO.");
}

async fn a_bundle_with_a_mistake_is_refused_at_its_place_and_nothing_changes(app: &TestApp) {
    let snapshot = || async {
        app.data("{ catalog { revision } roles { totalCount } skills { totalCount } }")
            .await
    };
    let before = snapshot().await;
    let unknown = format!("{E}/skill/ffffffff-0000-4000-8000-00000000none");
    let cases: Vec<(tempfile::TempDir, String)> = vec![
        (
            // A relation to a concept the bundle does not have (line 4, column 4).
            edited(&[(
                "occupationSkillRelations_en.csv",
                &format!("{E}/skill/6c7d8e9f-2222-4bbb-8ccc-000000000pg1"),
                &unknown,
            )]),
            "occupationSkillRelations_en.csv:4:4: skillUri".into(),
        ),
        (
            // A skill related to itself (line 3, the related skill in column 5).
            edited(&[(
                "skillSkillRelations_en.csv",
                &format!("optional,knowledge,{E}/skill/5b6a1d2e-1111-4aaa-8bbb-000000000sq1"),
                &format!("optional,knowledge,{E}/skill/6c7d8e9f-2222-4bbb-8ccc-000000000pg1"),
            )]),
            "skillSkillRelations_en.csv:3:5: relatedSkillUri: a skill cannot be related to itself"
                .into(),
        ),
        (
            // A missing column.
            edited(&[(
                "occupationSkillRelations_en.csv",
                "occupationUri,",
                "occupation,",
            )]),
            "occupationSkillRelations_en.csv:1:5: the header has no column \"occupationUri\""
                .into(),
        ),
        (
            // A malformed URI in ESCO's namespace, on its own line (the rows before it span
            // five lines).
            edited(&[(
                "skills_en.csv",
                &format!("{E}/skill/7d8e9f0a"),
                &format!("{E}/skills/7d8e9f0a"),
            )]),
            format!(
                "skills_en.csv:7:2: conceptUri: \"{E}/skills/7d8e9f0a-3333-4ccc-8ddd-000000000js1\" \
                 is not a concept URI: ESCO's URIs are"
            ),
        ),
        (
            // A quote left open: the rest of the file is one cell.
            edited(&[(
                "skills_en.csv",
                "\"draft database scheme",
                "draft \"database scheme",
            )]),
            "skills_en.csv:".into(),
        ),
        (
            // A skill type ESCO does not have.
            edited(&[(
                "skills_en.csv",
                "knowledge,cross-sector,SQL",
                "wisdom,cross-sector,SQL",
            )]),
            "skills_en.csv:2:3: skillType".into(),
        ),
    ];
    for (dir, expected) in cases {
        let err = import(app, dir.path()).await.expect_err("a refused bundle");
        let detail = err.detail();
        assert!(
            detail.starts_with(&expected),
            "{detail:?} starts with {expected:?}"
        );
        assert_eq!(snapshot().await, before, "nothing changed after {detail}");
    }
}

async fn alternative_labels_are_searchable(app: &TestApp) {
    import(app, &fixture()).await.expect("the import");
    let data = app
        .data(
            r#"{ a: search(query: "postgres database", kinds: [SKILL]) { slug matchedBy matched }
                   b: search(query: "ecmascript") { slug kind matchedBy }
                   c: skills(filter: {search: "teamwork"}) { nodes { slug } } }"#,
        )
        .await;
    assert_eq!(
        data["a"][0],
        json!({"slug": "postgresql", "matchedBy": "ALIAS", "matched": "postgres database"})
    );
    // The built-in language JavaScript has the alias too, and more edges.
    assert_eq!(
        data["b"],
        json!([{"slug": "javascript", "kind": "LANGUAGE", "matchedBy": "ALIAS"},
               {"slug": "javascript", "kind": "SKILL", "matchedBy": "ALIAS"}])
    );
    // A source filter that could be no URI is refused, naming its field.
    let error = app
        .error(&format!(
            r#"{{ skills(filter: {{externalUri: "{}"}}) {{ totalCount }} }}"#,
            "x".repeat(600)
        ))
        .await;
    assert_eq!(
        (&error["extensions"]["code"], &error["extensions"]["field"]),
        (&json!("BAD_USER_INPUT"), &json!("externalUri"))
    );
    // The built-in catalog names teamwork too (in an alias of its own skill).
    assert_eq!(
        data["c"]["nodes"],
        json!([{"slug": "collaboration-and-problem-solving"}, {"slug": "work-in-teams"}])
    );
}

/// A generated bundle (a tenth of ESCO's size) imports whole: every concept and relation.
async fn a_generated_bundle_imports_whole(app: &TestApp) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let size = esco::generate::BundleSize {
        occupations: 304,
        skills: 1_394,
        skill_groups: 64,
        relations: 12_900,
        broader: 2_082,
        skill_relations: 582,
        languages: 4,
        seed: 7,
    };
    esco::generate::generate(dir.path(), &size).expect("the bundle");
    let before = app
        .data("{ roles { totalCount } skills { totalCount } }")
        .await;
    let report = esco::import(&app.db, dir.path(), "all", "test", &mut |_| {})
        .await
        .expect("the import");
    assert_eq!(report.roles.created, 304);
    // Every translated concept of the other three languages (English, Bulgarian, Czech,
    // Danish) is a label; the untranslated ones (an empty preferred label) are not.
    for language in ["bg", "cs", "da"] {
        let translated: usize = ["occupations", "skills", "skillGroups"]
            .iter()
            .map(|base| {
                let path = dir.path().join(format!("{base}_{language}.csv"));
                csv::Reader::from_path(&path)
                    .expect("a translation file")
                    .records()
                    .filter(|row| row.as_ref().is_ok_and(|r| !r[2].is_empty()))
                    .count()
            })
            .sum();
        assert_eq!(report.labels.get(language), Some(&translated), "{language}");
        assert!(
            translated > (304 + 1_394 + 64) * 9 / 10,
            "{language}: {translated}"
        );
    }
    assert_eq!(report.skills.created, 1_394 + 64);
    let after = app
        .data("{ roles { totalCount } skills { totalCount } groups: skills(filter: {skillType: SKILL_GROUP}) { totalCount } }")
        .await;
    let count = |data: &Value, list: &str| data[list]["totalCount"].as_i64().unwrap_or(-1);
    assert_eq!(count(&after, "roles"), count(&before, "roles") + 304);
    assert_eq!(
        count(&after, "skills"),
        count(&before, "skills") + 1_394 + 64
    );
    assert_eq!(count(&after, "groups"), 64);
    let catalog = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    let relations: usize = catalog
        .roles
        .iter()
        .filter(|r| r.external.is_some())
        .map(|r| r.skills.len())
        .sum();
    assert_eq!(relations, 12_900, "every relation became an edge");
    let broader: usize = catalog
        .skills
        .iter()
        .filter_map(|s| {
            s.external
                .as_ref()
                .map(|e| usize::from(s.parent.is_some()) + e.other_broader.len())
        })
        .sum();
    let written = std::fs::read_to_string(dir.path().join("broaderRelationsSkillPillar_en.csv"))
        .expect("read")
        .lines()
        .count()
        - 1;
    assert_eq!(
        broader, written,
        "every broader relation kept, as parent or as data"
    );
    let skill_relations: usize = catalog.skills.iter().map(|s| s.relations.len()).sum();
    assert_eq!(skill_relations, 582, "every skill relation became an edge");
}

/// A bundle of one skill group (`tree top`) and `skills` under it, `(label, broader skill)`:
/// the index in `skills` of the skill's broader concept, or `None` for the group. The skills
/// are written in the order given, and one occupation (`tree worker`) needs `needs`:
/// `(index in skills, essential)`, in that order.
fn tree_bundle(skills: &[(String, Option<usize>)], needs: &[(usize, bool)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let top = format!("{E}/skill/tree-top");
    let uri = |at: usize| format!("{E}/skill/tree-{at:06}");
    let occupation = format!("{E}/occupation/tree-worker");
    let mut files: Vec<(&str, String)> = vec![
        (
            "skillGroups_en.csv",
            format!(
                "conceptUri,preferredLabel,altLabels,description\n{top},tree top,,The top of the tree.\n"
            ),
        ),
        (
            "occupations_en.csv",
            format!(
                "conceptUri,iscoGroup,preferredLabel,altLabels,description\n\
                 {occupation},2512,tree worker,,Works the whole tree.\n"
            ),
        ),
    ];
    let mut text =
        String::from("conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n");
    let mut broader = String::from("conceptUri,broaderUri\n");
    for (at, (label, parent)) in skills.iter().enumerate() {
        text.push_str(&format!(
            "{},knowledge,transversal,{label},,The skill {label}.\n",
            uri(at)
        ));
        let wider = parent.map_or_else(|| top.clone(), uri);
        broader.push_str(&format!("{},{wider}\n", uri(at)));
    }
    files.push(("skills_en.csv", text));
    files.push(("broaderRelationsSkillPillar_en.csv", broader));
    let mut relations = String::from("occupationUri,relationType,skillUri\n");
    for (at, essential) in needs {
        let kind = if *essential { "essential" } else { "optional" };
        relations.push_str(&format!("{occupation},{kind},{}\n", uri(*at)));
    }
    files.push(("occupationSkillRelations_en.csv", relations));
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write a file");
    }
    dir
}

/// Each skill's parent, by slug, in an export of the graph.
fn parents(catalog: &skillgraph::catalog::Catalog) -> HashMap<&str, Option<&str>> {
    catalog
        .skills
        .iter()
        .map(|s| (s.slug.as_str(), s.parent.as_deref()))
        .collect()
}

/// How many ancestors `slug` has, and the root it reaches; walked without recursion.
fn ancestors<'a>(parents: &HashMap<&'a str, Option<&'a str>>, slug: &'a str) -> (usize, &'a str) {
    let (mut count, mut at) = (0, slug);
    while let Some(Some(parent)) = parents.get(at) {
        count += 1;
        at = parent;
        assert!(count <= parents.len(), "the parents of {slug} form a cycle");
    }
    (count, at)
}

/// How many skills have a parent whose id is not smaller than theirs (the loader writes
/// parents first).
async fn parents_after_children(app: &TestApp) -> i64 {
    use sea_orm::ConnectionTrait;
    let row = app
        .db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM skill c JOIN skill p ON p.id = c.parent_id WHERE p.id >= c.id",
        ))
        .await
        .expect("the count")
        .expect("a row");
    row.try_get("", "n").expect("a number")
}

/// A chain of 20,000 broader relations (`link 1` under the group, `link 2` under `link 1`,
/// ...), written deepest first: it imports, a newer bundle updates it (which replaces the
/// whole tree), and the exported graph loads back through the catalog format.
async fn a_twenty_thousand_deep_broader_chain_imports_and_imports_again(app: &TestApp) {
    const DEPTH: usize = 20_000;
    // skills[at] is `link DEPTH - at`, under the next one; the last, `link 1`, under the group.
    let chain = |description_of_5: &str| {
        let skills: Vec<(String, Option<usize>)> = (0..DEPTH)
            .map(|at| {
                let link = DEPTH - at;
                let label = if link == 5 {
                    description_of_5.to_owned()
                } else {
                    format!("link {link}")
                };
                (label, (at + 1 < DEPTH).then_some(at + 1))
            })
            .collect();
        tree_bundle(&skills, &[(0, true), (DEPTH - 1, false)])
    };
    let first = chain("link 5");
    let report = import(app, first.path()).await.expect("the deep chain");
    assert_eq!(
        (report.roles, report.skills),
        (
            Counts {
                created: 1,
                ..Counts::default()
            },
            Counts {
                created: DEPTH + 1,
                ..Counts::default()
            }
        )
    );
    let query = r#"{ deepest: skill(slug: "link-20000") { parent { slug parent { slug } } roles { totalCount } }
                     first: skill(slug: "link-1") { parent { slug } children { nodes { slug } } }
                     top: skill(slug: "tree-top") { parent { slug } skillType
                       descendants(maxDepth: 3) { depth skill { slug } } }
                     worker: role(slug: "tree-worker") { skills { edges { importance node { slug } } } } }"#;
    let expected = json!({
        "deepest": {"parent": {"slug": "link-19999", "parent": {"slug": "link-19998"}},
                    "roles": {"totalCount": 1}},
        "first": {"parent": {"slug": "tree-top"}, "children": {"nodes": [{"slug": "link-2"}]}},
        "top": {"parent": null, "skillType": "SKILL_GROUP", "descendants": [
            {"depth": 1, "skill": {"slug": "link-1"}},
            {"depth": 2, "skill": {"slug": "link-2"}},
            {"depth": 3, "skill": {"slug": "link-3"}},
        ]},
        "worker": {"skills": {"edges": [
            {"importance": "ESSENTIAL", "node": {"slug": "link-20000"}},
            {"importance": "OPTIONAL", "node": {"slug": "link-1"}},
        ]}},
    });
    assert_eq!(app.data(query).await, expected);
    let exported = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    assert_eq!(
        ancestors(&parents(&exported), "link-20000"),
        (DEPTH, "tree-top"),
        "the deepest skill is 20,000 levels below the group"
    );
    assert_eq!(parents_after_children(app).await, 0);

    // A newer bundle changes one label near the top: the tree is written again.
    let newer = chain("link five");
    let report = import(app, newer.path()).await.expect("the newer chain");
    assert_eq!(
        (report.roles, report.skills),
        (
            Counts {
                unchanged: 1,
                ..Counts::default()
            },
            Counts {
                updated: 1,
                unchanged: DEPTH,
                ..Counts::default()
            }
        )
    );
    assert_eq!(app.data(query).await, expected);
    let data = app
        .data(r#"{ skill(slug: "link-5") { name version parent { slug } children { nodes { slug } } } }"#)
        .await;
    assert_eq!(
        data["skill"],
        json!({"name": "link five", "version": 2, "parent": {"slug": "link-4"},
               "children": {"nodes": [{"slug": "link-6"}]}})
    );
    let exported = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    assert_eq!(
        ancestors(&parents(&exported), "link-20000"),
        (DEPTH, "tree-top")
    );
    assert_eq!(parents_after_children(app).await, 0);

    // The catalog format loads the same graph back over it.
    skillgraph::catalog::import(&app.db, &exported, true, "test")
        .await
        .expect("the exported catalog");
    let again = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    assert!(again == exported, "the catalog came back as it was");
    assert_eq!(app.data(query).await, expected);
}

/// One group with 50,000 skills under it (written last first), all of them needed by one
/// occupation, the first twice.
async fn a_group_of_fifty_thousand_skills_imports(app: &TestApp) {
    const WIDTH: usize = 50_000;
    // skills[at] is `leaf WIDTH - at`.
    let skills: Vec<(String, Option<usize>)> = (0..WIDTH)
        .map(|at| (format!("leaf {:05}", WIDTH - at), None))
        .collect();
    // Leaf n is essential when n is even; leaf 1 comes again as essential at the end.
    let mut needs: Vec<(usize, bool)> = (1..=WIDTH).map(|n| (WIDTH - n, n % 2 == 0)).collect();
    needs.push((WIDTH - 1, true));
    let dir = tree_bundle(&skills, &needs);
    let report = import(app, dir.path()).await.expect("the wide group");
    assert_eq!(
        (report.roles, report.skills),
        (
            Counts {
                created: 1,
                ..Counts::default()
            },
            Counts {
                created: WIDTH + 1,
                ..Counts::default()
            }
        )
    );
    let data = app
        .data(
            r#"{ top: skill(slug: "tree-top") { parent { slug } children(first: 3) { totalCount nodes { slug } } }
                 last: skill(slug: "leaf-50000") { parent { slug } children { totalCount } }
                 worker: role(slug: "tree-worker") {
                   skills(first: 3) { totalCount edges { importance node { slug } } } } }"#,
        )
        .await;
    assert_eq!(
        data,
        json!({
            "top": {"parent": null, "children": {"totalCount": WIDTH, "nodes": [
                {"slug": "leaf-00001"}, {"slug": "leaf-00002"}, {"slug": "leaf-00003"}]}},
            "last": {"parent": {"slug": "tree-top"}, "children": {"totalCount": 0}},
            "worker": {"skills": {"totalCount": WIDTH, "edges": [
                {"importance": "ESSENTIAL", "node": {"slug": "leaf-00001"}},
                {"importance": "ESSENTIAL", "node": {"slug": "leaf-00002"}},
                {"importance": "OPTIONAL", "node": {"slug": "leaf-00003"}},
            ]}},
        })
    );
    let exported = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    let parents = parents(&exported);
    let under_top = parents
        .values()
        .filter(|parent| **parent == Some("tree-top"))
        .count();
    assert_eq!(under_top, WIDTH);
    assert_eq!(ancestors(&parents, "leaf-25000"), (1, "tree-top"));
    assert_eq!(parents_after_children(app).await, 0);
}

/// The fixture bundle with damaged text: mojibake of `é` (twice) in an occupation's
/// description, of `’` (read as Latin-1: `â` and two C1 controls) in SQL's, a stray C1 control
/// in caching's, a byte order mark at the start of the skill groups' file, and the
/// occupations' file with CRLF line endings (one of them inside a multi-line label cell).
fn damaged() -> tempfile::TempDir {
    let dir = edited(&[
        (
            "occupations_en.csv",
            "test computer databases.",
            "test computer databases (rÃ©sumÃ© included).",
        ),
        (
            "skills_en.csv",
            "for retrieving information",
            "for the team\u{e2}\u{80}\u{99}s information",
        ),
        (
            "skills_en.csv",
            "copies of data close",
            "copies of data\u{9d} close",
        ),
    ]);
    let path = |name: &str| dir.path().join(name);
    let groups = std::fs::read_to_string(path("skillGroups_en.csv")).expect("read");
    std::fs::write(path("skillGroups_en.csv"), format!("\u{feff}{groups}")).expect("write");
    let occupations = std::fs::read_to_string(path("occupations_en.csv")).expect("read");
    std::fs::write(
        path("occupations_en.csv"),
        occupations.replace('\n', "\r\n"),
    )
    .expect("write");
    dir
}

/// The repairs of [`damaged`], as reported, in the order they are made (a concept's columns
/// in the order the import reads them: URI, label, description, alternative labels).
const DAMAGED_REPAIRS: [&str; 7] = [
    r#"occupations_en.csv:3:13: description: mojibake: "Ã©" → "é""#,
    r#"occupations_en.csv:3:13: description: mojibake: "Ã©" → "é""#,
    r#"occupations_en.csv:2:5: altLabels: line ending: "\r\n" → "\n""#,
    r#"skills_en.csv:3:13: description: mojibake: "â\u{80}\u{99}" → "’""#,
    // The fixture's own: PostgreSQL's label repeats its name.
    r#"skills_en.csv:6:6: altLabels: duplicate label: "PostgreSQL" → """#,
    r#"skills_en.csv:12:13: description: control characters: "\u{9d}" → """#,
    r#"skillGroups_en.csv:1:1: header: byte order mark: "\u{feff}" → """#,
];

async fn damaged_text_is_repaired_stored_repaired_and_each_repair_reported_at_its_place(
    app: &TestApp,
) {
    let dir = damaged();
    let imported = esco::import_with(
        &app.db,
        dir.path(),
        "en",
        "test",
        esco::Repairs::new(false, None),
        false,
        &mut |_| {},
    )
    .await
    .expect("the damaged bundle imports");
    let repairs: Vec<String> = imported
        .repairs
        .kept()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(repairs, DAMAGED_REPAIRS);
    assert_eq!(
        imported.repairs.to_string(),
        "7 repairs (3 mojibake, 1 control characters, 1 byte order mark, 1 line ending, \
         1 duplicate label)"
    );
    assert_eq!(
        (
            imported.report.roles.created,
            imported.report.skills.created
        ),
        (2, 9)
    );
    let data = app
        .data(
            r#"{ role(slug: "database-developer") { description aliases }
                 sql: skill(slug: "sql") { description }
                 caching: skill(slug: "caching-a0b1c2d3") { description }
                 groups: skills(first: 10, filter: {skillType: SKILL_GROUP}) { nodes { slug } } }"#,
        )
        .await;
    assert_eq!(
        data,
        json!({
            "role": {
                "description": "Database developers program, modify and test computer databases (résumé included).",
                "aliases": ["database programmer", "DB developer"],
            },
            "sql": {"description": "The computer language SQL is a query language for the team’s information from a database."},
            "caching": {"description": "Keeping copies of data close to where they are used."},
            "groups": {"nodes": [{"slug": "databases"}, {"slug": "ict-skills"},
                                 {"slug": "software-and-applications-development-and-analysis"}]},
        })
    );
    // The same bundle again: the repaired text is what is stored, so nothing changes.
    let again = import(app, dir.path()).await.expect("again");
    assert!(!again.changes(), "{again}");
}

async fn strict_mode_refuses_the_damaged_bundle_at_its_first_repair_and_nothing_changes(
    app: &TestApp,
) {
    let snapshot = || async {
        app.data("{ catalog { revision } roles { totalCount } skills { totalCount } }")
            .await
    };
    let before = snapshot().await;
    let dir = damaged();
    let err = esco::import_with(
        &app.db,
        dir.path(),
        "en",
        "test",
        esco::Repairs::new(true, None),
        false,
        &mut |_| {},
    )
    .await
    .expect_err("refused in strict mode");
    assert_eq!(
        err.detail(),
        r#"occupations_en.csv:3:13: description: mojibake: "Ã©" → "é" would be repaired; refused in strict mode"#
    );
    assert_eq!(snapshot().await, before, "nothing written");
    // Without the damage, only the fixture's repeated label is left to refuse.
    let err = esco::import_with(
        &app.db,
        &fixture(),
        "en",
        "test",
        esco::Repairs::new(true, None),
        false,
        &mut |_| {},
    )
    .await
    .expect_err("the repeated label");
    assert!(
        err.detail()
            .starts_with(r#"skills_en.csv:6:6: altLabels: duplicate label: "PostgreSQL""#),
        "{}",
        err.detail()
    );
    assert_eq!(snapshot().await, before, "nothing written");
}

async fn text_that_cannot_be_repaired_is_refused_at_its_place_and_nothing_changes(app: &TestApp) {
    let snapshot = || async {
        app.data("{ catalog { revision } roles { totalCount } skills { totalCount } }")
            .await
    };
    let before = snapshot().await;
    // C1 controls beside a Latin-1 capital: mojibake that does not decode.
    let ambiguous = edited(&[(
        "skills_en.csv",
        "where they are used.",
        "where SCH\u{c4}\u{e2}\u{80}\u{99}S are used.",
    )]);
    // Bytes that are no UTF-8 at all, in SQL's description (line 3, the 13th column).
    let invalid = edited(&[]);
    let path = invalid.path().join("skills_en.csv");
    let mut bytes = std::fs::read(&path).expect("read");
    let at = bytes
        .windows(10)
        .position(|w| w == b"retrieving")
        .map(|at| at + 1)
        .unwrap_or_default();
    bytes.splice(at..at, [0xff, 0xfe]);
    std::fs::write(&path, bytes).expect("write");
    // A cell that is only a control character's worth of damage but in a URI.
    let in_uri = edited(&[(
        "occupationSkillRelations_en.csv",
        &format!("{E}/skill/9f0a1b2c"),
        &format!("{E}/skill/9f0a\u{85}1b2c"),
    )]);
    for (dir, expected) in [
        (
            ambiguous,
            r#"skills_en.csv:12:13: description: "Äâ\u{80}\u{99}" holds control characters"#
                .to_owned(),
        ),
        (
            invalid,
            "skills_en.csv:3:13: bytes that are no UTF-8".to_owned(),
        ),
        (
            in_uri,
            format!("occupationSkillRelations_en.csv:5:4: skillUri: \"{E}/skill/9f0a\\u{{85}}1b2c"),
        ),
    ] {
        let err = import(app, dir.path()).await.expect_err("refused");
        let detail = err.detail();
        assert!(
            detail.starts_with(&expected),
            "{detail:?} starts with {expected:?}"
        );
        assert_eq!(snapshot().await, before, "nothing changed after {detail}");
    }
}

async fn a_concept_of_a_taxonomy_built_on_esco_imports_with_its_own_uri(app: &TestApp) {
    let extension = "https://taxonomy.example.org/skill/42";
    let caching = format!("{E}/skill/a0b1c2d3-6666-4fff-8000-000000000ca1");
    let dir = edited(&[
        ("skills_en.csv", &caching, extension),
        ("broaderRelationsSkillPillar_en.csv", &caching, extension),
    ]);
    let report = import(app, dir.path()).await.expect("the extended bundle");
    assert_eq!(report.skills.created, 9);
    // `caching` is curated: the concept's slug takes its suffix from the URI's last part.
    let data = app
        .data(
            r#"{ skill(slug: "caching-42") { name externalUri parent { slug } }
                 byUri: skills(filter: {externalUri: "https://taxonomy.example.org/skill/42"}) { nodes { slug } } }"#,
        )
        .await;
    assert_eq!(
        data,
        json!({
            "skill": {"name": "caching", "externalUri": extension, "parent": {"slug": "ict-skills"}},
            "byUri": {"nodes": [{"slug": "caching-42"}]},
        })
    );
}

async fn a_megabyte_cell_of_damaged_text_imports_with_a_bounded_list_of_repairs(app: &TestApp) {
    const PAIRS: usize = 350_000;
    // One alternative label of 350,000 `Ã` each followed by a control character: every
    // control character is removed, the `Ã`s (no UTF-8) are left, and the label, too long
    // to keep, is left out.
    let huge = "Ã\u{1}".repeat(PAIRS);
    let dir = edited(&[(
        "skills_en.csv",
        "\"cache management\"",
        &format!("\"{huge}\""),
    )]);
    let started = std::time::Instant::now();
    let imported = esco::import_with(
        &app.db,
        dir.path(),
        "en",
        "test",
        esco::Repairs::new(false, None),
        false,
        &mut |_| {},
    )
    .await
    .expect("the bundle");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let repairs = &imported.repairs;
    assert_eq!(repairs.count(esco::repair::Kind::Control), PAIRS);
    assert_eq!(repairs.kept().len(), esco::repair::KEPT);
    assert_eq!(
        repairs.kept().last().map(ToString::to_string).as_deref(),
        Some(r#"skills_en.csv:12:6: altLabels: control characters: "\u{1}" → """#)
    );
    assert_eq!(imported.report.aliases_left_out, 1);
    let data = app
        .data(r#"{ skill(slug: "caching-a0b1c2d3") { aliases } }"#)
        .await;
    assert_eq!(data["skill"]["aliases"], json!([]));
}

/// Runs the binary with `args` on the SQLite file `database`.
fn skillgraph(database: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", database.display()))
        .args(args)
        .output()
        .expect("run skillgraph")
}

/// `import esco --report FILE` writes every repair there and sums them up on the terminal;
/// `--strict` refuses the bundle at the first one and writes nothing.
#[test]
fn the_command_line_reports_repairs_to_a_file_and_refuses_them_when_strict() {
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let bundle = damaged();
    let dir = bundle.path().to_str().unwrap_or_default();
    let report = scratch.path().join("repairs.txt");
    let strict_db = scratch.path().join("strict.db");
    let strict = skillgraph(&strict_db, &["import", "esco", dir, "--strict"]);
    assert!(!strict.status.success());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains(r#"occupations_en.csv:3:13: description: mojibake: "Ã©" → "é" would be repaired; refused in strict mode"#),
        "{stderr}"
    );
    let exported = skillgraph(&strict_db, &["export", "--format", "json"]);
    assert!(exported.status.success());
    let catalog: Value = serde_json::from_slice(&exported.stdout).expect("JSON");
    assert_eq!(catalog["roles"], json!([]), "nothing was written");

    let database = scratch.path().join("skillgraph.db");
    let imported = skillgraph(
        &database,
        &[
            "import",
            "esco",
            dir,
            "--report",
            report.to_str().unwrap_or_default(),
        ],
    );
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let mut expected = vec![
        "repaired the bundle's text: 7 repairs (3 mojibake, 1 control characters, 1 byte order \
         mark, 1 line ending, 1 duplicate label)"
            .to_owned(),
    ];
    expected.extend(DAMAGED_REPAIRS.iter().map(|r| format!("  {r}")));
    expected.push(format!("  (written to {})", report.display()));
    let lines: Vec<&str> = stdout.lines().take(expected.len()).collect();
    assert_eq!(lines, expected);
    let written = std::fs::read_to_string(&report).expect("the report");
    assert_eq!(written.lines().collect::<Vec<_>>(), DAMAGED_REPAIRS);
    assert!(stdout.contains("imported ESCO from"), "{stdout}");
}

/// The graph's figures a dry run must leave as they were.
async fn figures(app: &TestApp) -> Value {
    app.data("{ catalog { revision } roles(includeDeprecated: true) { totalCount } skills(includeDeprecated: true) { totalCount } }")
        .await
}

async fn a_dry_run_changes_nothing_and_says_what_the_real_import_then_does(app: &TestApp) {
    use skillgraph::releases::diff::impact;
    async fn dry_import(app: &TestApp, dry_run: bool) -> skillgraph::Result<esco::Imported> {
        let repairs = esco::Repairs::default();
        esco::import_with(
            &app.db,
            &fixture(),
            "en",
            "test",
            repairs,
            dry_run,
            &mut |_| {},
        )
        .await
    }
    let before = figures(app).await;
    let dry = dry_import(app, true).await.expect("the dry run");
    assert_eq!(figures(app).await, before, "a dry run writes nothing");
    let said = impact(&dry.before, &dry.after).expect("impact");
    assert!(!said.counts.is_empty());
    let exported_before = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    let real = dry_import(app, false).await.expect("the import");
    let exported_after = skillgraph::catalog::export(&app.db.conn)
        .await
        .expect("export");
    assert_eq!(real.report, dry.report, "the report is the same");
    assert_eq!(
        impact(&exported_before, &exported_after).expect("impact"),
        said,
        "the dry run said what the import did"
    );
    assert_eq!(
        figures(app).await["catalog"]["revision"],
        before["catalog"]["revision"].as_i64().unwrap_or(-1) + 1
    );

    // The catalog import's dry run too: everything checked, nothing written.
    let mut catalog = exported_after.clone();
    catalog.roles.retain(|r| r.slug != "database-administrator");
    catalog.check().expect("still a valid catalog");
    let at = figures(app).await;
    let (_, current) = skillgraph::catalog::import_with(&app.db, &catalog, true, "test", true)
        .await
        .expect("the dry run");
    assert_eq!(figures(app).await, at, "a dry run writes nothing");
    let would = impact(&current, &catalog).expect("impact");
    assert!(
        would
            .counts
            .iter()
            .any(|(what, n)| *what == skillgraph::releases::diff::What::Removed && *n >= 1),
        "{would}"
    );
}
