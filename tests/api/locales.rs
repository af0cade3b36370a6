//! Texts in many locales: labels set and removed by mutation (and logged), the locale an answer
//! speaks chosen by `Accept-Language` or a field's `locale`, each text falling back along the
//! chain on its own, `labels` and `catalog { locales }`, `Content-Language`, `Vary` and the
//! ETag of GET answers, a server with another default locale, refused tags, and the cost in
//! statements of reading texts in a locale.

use serde_json::{Value, json};
use skillgraph::keys::Scope;

use crate::helpers::{Backend, TestApp, backend_tests, per_backend};

backend_tests!(
    a_request_reads_the_first_locale_of_its_accept_language_that_has_a_label,
    each_text_falls_back_along_the_chain_on_its_own,
    a_locale_argument_reads_that_locale_whatever_the_request_says,
    labels_list_every_translation_and_never_the_hidden_aliases,
    the_catalog_says_which_locales_it_holds,
    a_label_is_logged_removed_and_goes_with_its_node,
    tags_that_are_no_language_tags_are_refused_and_change_nothing,
    a_get_answer_in_another_locale_has_its_own_etag,
    texts_in_a_locale_cost_one_statement_per_level,
);

mod defaults {
    use super::*;

    per_backend!(a_server_whose_default_locale_is_german_answers_in_german);
}

const ROLE: &str = "backend-developer";
const SKILL: &str = "caching";

/// Sets one label by mutation; returns its payload.
async fn set_label(app: &TestApp, key: &str, id: &str, label: Value) -> Value {
    let mut input = label;
    input["node"] = json!(id);
    let (status, response) = app
        .post_as(
            key,
            json!({
                "query": "mutation($input: SetLabelInput!) { setLabel(input: $input) { revision node { id } } }",
                "variables": {"input": input},
            }),
        )
        .await;
    assert!(
        status.is_success() && response.get("errors").is_none(),
        "setLabel failed ({status}): {response:#}"
    );
    response["data"]["setLabel"].clone()
}

async fn id_of(app: &TestApp, field: &str, slug: &str) -> String {
    let data = app
        .data(&format!(r#"{{ {field}(slug: "{slug}") {{ id }} }}"#))
        .await;
    data[field]["id"].as_str().expect("id").to_owned()
}

/// The translations every test reads: the role in German (with a hidden alias), French and
/// Ukrainian (a name only), the skill in German (a name only), and a hidden English alias of
/// Python.
async fn translate(app: &TestApp) -> String {
    let key = app.key("translator", Scope::Write).await;
    let role = id_of(app, "role", ROLE).await;
    let skill = id_of(app, "skill", SKILL).await;
    let python = id_of(app, "language", "python").await;
    set_label(
        app,
        &key,
        &role,
        json!({"locale": "de", "name": "Backend-Entwickler", "aliases": ["Backend-Programmierer"],
               "hiddenAliases": ["Bakend-Entwickler"], "description": "Baut die Serverseite von Anwendungen."}),
    )
    .await;
    set_label(
        app,
        &key,
        &role,
        json!({"locale": "fr", "name": "Développeur back-end", "description": "Construit le côté serveur."}),
    )
    .await;
    set_label(
        app,
        &key,
        &role,
        json!({"locale": "uk", "name": "Бекенд-розробник"}),
    )
    .await;
    set_label(
        app,
        &key,
        &skill,
        json!({"locale": "DE", "name": "Zwischenspeicherung"}),
    )
    .await;
    set_label(
        app,
        &key,
        &python,
        json!({"locale": "en", "hiddenAliases": ["pyhton"]}),
    )
    .await;
    key
}

/// POSTs `query` with `Accept-Language` (if any); the `Content-Language` and the data.
async fn read_in(app: &TestApp, accept_language: Option<&str>, query: &str) -> (String, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query }));
    if let Some(value) = accept_language {
        request = request.header("accept-language", value);
    }
    let response = request.send().await.expect("request sent");
    let language = response
        .headers()
        .get("content-language")
        .map(|value| value.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let body: Value = response.json().await.expect("JSON");
    assert!(body.get("errors").is_none(), "{body:#}\n{query}");
    (language, body["data"].clone())
}

/// The role's and the skill's texts.
const TEXTS: &str = r#"{ role(slug: "backend-developer") { name description aliases }
                        skill(slug: "caching") { name description aliases } }"#;

/// The texts as a request that names no locale reads them.
async fn english(app: &TestApp) -> Value {
    app.data(TEXTS).await
}

async fn a_request_reads_the_first_locale_of_its_accept_language_that_has_a_label(app: &TestApp) {
    let before = english(app).await;
    translate(app).await;
    let (language, data) = read_in(app, Some("de-AT, de;q=0.9, en;q=0.5"), TEXTS).await;
    assert_eq!(data["role"]["name"], "Backend-Entwickler");
    assert_eq!(data["role"]["aliases"], json!(["Backend-Programmierer"]));
    assert_eq!(
        data["role"]["description"],
        "Baut die Serverseite von Anwendungen."
    );
    assert_eq!(data["skill"]["name"], "Zwischenspeicherung");
    // The skill's German label has no description: the chain's next locale, `en`, gives it.
    assert_eq!(data["skill"]["description"], before["skill"]["description"]);
    assert_eq!(language, "de, en");

    // The q-values order the chain, not the header's order.
    let (language, data) = read_in(app, Some("en;q=0.2, fr;q=0.8, de;q=0.5"), TEXTS).await;
    assert_eq!(data["role"]["name"], "Développeur back-end");
    assert_eq!(data["skill"]["name"], "Zwischenspeicherung");
    assert_eq!(language, "fr, de, en");

    // No header, a locale the graph does not hold, `*` and `q=0`: the catalog's own text.
    for header in [None, Some("ja"), Some("*"), Some("de;q=0")] {
        let (language, data) = read_in(app, header, TEXTS).await;
        assert_eq!(data, before, "{header:?}");
        assert_eq!(language, "en", "{header:?}");
    }
    // A header that is no list of tags at all is read as naming none, not refused.
    let (_, data) = read_in(app, Some(";;;, q=2, @@@"), TEXTS).await;
    assert_eq!(data, before);
}

async fn each_text_falls_back_along_the_chain_on_its_own(app: &TestApp) {
    let before = english(app).await;
    translate(app).await;
    // Ukrainian has a name and no description: the name is Ukrainian, the description the
    // next locale's (German here, then English).
    let (language, data) = read_in(app, Some("uk, de;q=0.5"), TEXTS).await;
    assert_eq!(data["role"]["name"], "Бекенд-розробник");
    assert_eq!(data["role"]["aliases"], json!([]));
    assert_eq!(
        data["role"]["description"],
        "Baut die Serverseite von Anwendungen."
    );
    assert_eq!(data["skill"]["name"], "Zwischenspeicherung");
    assert_eq!(data["skill"]["description"], before["skill"]["description"]);
    assert_eq!(language, "uk, de, en");
    let (_, data) = read_in(app, Some("uk"), TEXTS).await;
    assert_eq!(data["role"]["description"], before["role"]["description"]);
    assert_eq!(data["skill"], before["skill"]);
    // A region falls back to its language (RFC 4647 lookup).
    let (language, data) = read_in(app, Some("fr-CA"), TEXTS).await;
    assert_eq!(data["role"]["name"], "Développeur back-end");
    assert_eq!(language, "fr, en");
}

async fn a_locale_argument_reads_that_locale_whatever_the_request_says(app: &TestApp) {
    let before = english(app).await;
    translate(app).await;
    let query = r#"{ role(slug: "backend-developer") { de: name(locale: "de") uk: name(locale: "uk")
        fr: description(locale: "fr-FR") en: name(locale: "en") ja: name(locale: "ja")
        deAliases: aliases(locale: "de") } }"#;
    let (language, data) = read_in(app, Some("uk"), query).await;
    let role = &data["role"];
    assert_eq!(role["de"], "Backend-Entwickler");
    assert_eq!(role["uk"], "Бекенд-розробник");
    assert_eq!(role["fr"], "Construit le côté serveur.");
    assert_eq!(role["en"], before["role"]["name"]);
    assert_eq!(role["ja"], before["role"]["name"]);
    assert_eq!(role["deAliases"], json!(["Backend-Programmierer"]));
    // The answer holds texts in German, French and English, and the header says so.
    for tag in ["de", "fr", "en", "uk"] {
        assert!(
            language.split(", ").any(|spoken| spoken == tag),
            "{tag} in {language:?}"
        );
    }
}

async fn labels_list_every_translation_and_never_the_hidden_aliases(app: &TestApp) {
    let before = english(app).await;
    translate(app).await;
    let data = app
        .data(
            r#"{ role(slug: "backend-developer") { labels { locale name aliases description }
                  some: labels(locales: ["UK", "en", "sv"]) { locale name } }
                 language(slug: "python") { labels { locale aliases } } }"#,
        )
        .await;
    assert_eq!(
        data["role"]["labels"],
        json!([
            {"locale": "de", "name": "Backend-Entwickler", "aliases": ["Backend-Programmierer"],
             "description": "Baut die Serverseite von Anwendungen."},
            {"locale": "en", "name": before["role"]["name"], "aliases": before["role"]["aliases"],
             "description": before["role"]["description"]},
            {"locale": "fr", "name": "Développeur back-end", "aliases": [],
             "description": "Construit le côté serveur."},
            {"locale": "uk", "name": "Бекенд-розробник", "aliases": [], "description": null},
        ])
    );
    assert_eq!(
        data["role"]["some"],
        json!([{"locale": "en", "name": before["role"]["name"]}, {"locale": "uk", "name": "Бекенд-розробник"}])
    );
    // Python's English label holds a hidden alias only: its labels are its row's text.
    let shown = data["language"]["labels"].to_string();
    assert!(!shown.contains("pyhton"), "{shown}");
    assert!(!data["role"]["labels"].to_string().contains("Bakend"));
    assert_eq!(data["language"]["labels"].as_array().map(Vec::len), Some(1));
}

async fn the_catalog_says_which_locales_it_holds(app: &TestApp) {
    let nodes = app
        .data(
            "{ roles { totalCount } skills(includeDeprecated: true) { totalCount } languages { totalCount }
               frameworks { totalCount } tools { totalCount } }",
        )
        .await;
    let total: i64 = ["roles", "skills", "languages", "frameworks", "tools"]
        .iter()
        .map(|field| nodes[field]["totalCount"].as_i64().unwrap_or_default())
        .sum();
    let only_english = app
        .data("{ catalog { defaultLocale locales { tag labelCount } } }")
        .await;
    assert_eq!(
        only_english["catalog"],
        json!({"defaultLocale": "en", "locales": [{"tag": "en", "labelCount": total}]})
    );
    translate(app).await;
    let data = app.data("{ catalog { locales { tag labelCount } } }").await;
    assert_eq!(
        data["catalog"]["locales"],
        json!([
            {"tag": "de", "labelCount": 2},
            {"tag": "en", "labelCount": total},
            {"tag": "fr", "labelCount": 1},
            {"tag": "uk", "labelCount": 1},
        ])
    );
}

async fn a_label_is_logged_removed_and_goes_with_its_node(app: &TestApp) {
    let before = english(app).await;
    let key = translate(app).await;
    let role = id_of(app, "role", ROLE).await;
    let history = app
        .post(json!({
            "query": "query($id: ID) { changes(node: $id, first: 10) { edges { node { operation kind slug before after } } } }",
            "variables": {"id": role},
        }))
        .await;
    let entries = history["data"]["changes"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(entries.len(), 3, "{history:#}");
    let german = entries
        .iter()
        .map(|edge| &edge["node"])
        .find(|entry| entry["after"]["labels"].get("de").is_some())
        .unwrap_or_else(|| panic!("the German label is logged: {history:#}"));
    assert_eq!(german["operation"], "setLabel");
    assert_eq!(german["before"], json!({"labels": {"de": null}}));
    assert_eq!(
        german["after"]["labels"]["de"],
        json!({"name": "Backend-Entwickler", "aliases": ["Backend-Programmierer"],
               "hiddenAliases": ["Bakend-Entwickler"], "description": "Baut die Serverseite von Anwendungen."})
    );

    // Removing the German label: German readers fall back to English; the log has it.
    let version = app
        .data(r#"{ role(slug: "backend-developer") { version } }"#)
        .await["role"]["version"]
        .clone();
    let removed = app
        .write(
            &key,
            &format!(
                r#"mutation {{ removeLabel(input: {{node: "{role}", locale: "de", expectedVersion: {version}}}) {{ node {{ ... on Role {{ version }} }} }} }}"#
            ),
        )
        .await;
    assert_eq!(
        removed["removeLabel"]["node"]["version"],
        json!(version.as_i64().unwrap_or_default() + 1)
    );
    let (_, data) = read_in(app, Some("de"), TEXTS).await;
    assert_eq!(data["role"], before["role"]);
    assert_eq!(data["skill"]["name"], "Zwischenspeicherung");
    let again = app
        .write_error(
            &key,
            &format!(r#"mutation {{ removeLabel(input: {{node: "{role}", locale: "de"}}) {{ revision }} }}"#),
        )
        .await;
    assert_eq!(again["extensions"]["code"], "NOT_FOUND", "{again}");
    assert_eq!(again["extensions"]["field"], "locale", "{again}");

    // Deleting the skill takes its labels with it.
    app.write(
        &key,
        &format!(
            r#"mutation {{ deleteSkill(input: {{skill: "{SKILL}", cascade: true}}) {{ deletedSlug }} }}"#
        ),
    )
    .await;
    let locales = app.data("{ catalog { locales { tag labelCount } } }").await;
    let german = locales["catalog"]["locales"]
        .as_array()
        .and_then(|all| all.iter().find(|locale| locale["tag"] == "de").cloned());
    assert_eq!(german, None, "{locales}");
}

async fn tags_that_are_no_language_tags_are_refused_and_change_nothing(app: &TestApp) {
    translate(app).await;
    let key = app.key("careless", Scope::Write).await;
    let role = id_of(app, "role", ROLE).await;
    let revision = app.data("{ catalog { revision } }").await;
    let refused = [
        (r#"locale: "not a tag", name: "x""#, "locale"),
        (r#"locale: "", name: "x""#, "locale"),
        (r#"locale: "de""#, "name"),
        (r#"locale: "de", name: """#, "name"),
        (r#"locale: "en", name: "Another English name""#, "name"),
        (r#"locale: "en", description: "another""#, "description"),
    ];
    for (fields, field) in refused {
        let error = app
            .write_error(
                &key,
                &format!(
                    r#"mutation {{ setLabel(input: {{node: "{role}", {fields}}}) {{ revision }} }}"#
                ),
            )
            .await;
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{fields}: {error}"
        );
        assert_eq!(error["extensions"]["field"], field, "{fields}: {error}");
    }
    let error = app
        .write_error(
            &key,
            &format!(r#"mutation {{ removeLabel(input: {{node: "{role}", locale: "x y"}}) {{ revision }} }}"#),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
    assert_eq!(app.data("{ catalog { revision } }").await, revision);

    for query in [
        r#"{ role(slug: "backend-developer") { name(locale: "not a tag") } }"#,
        r#"{ role(slug: "backend-developer") { labels(locales: ["de", "--"]) { name } } }"#,
        r#"{ role(slug: "backend-developer") { labels(locales: ["a","b","c","d","e","f","g","h","i","j","k","l","m"]) { name } } }"#,
    ] {
        let error = app.error(query).await;
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{query}: {error}"
        );
    }
    // A long hostile header costs a bounded chain, and is answered.
    let header = "de;q=0.9, ".repeat(400) + "fr";
    let (_, data) = read_in(app, Some(&header), TEXTS).await;
    assert_eq!(data["role"]["name"], "Backend-Entwickler");
}

async fn a_get_answer_in_another_locale_has_its_own_etag(app: &TestApp) {
    translate(app).await;
    let get = |language: &'static str, query: &'static str| async move {
        let response = app
            .client
            .get(format!("{}/graphql", app.address))
            .query(&[("query", query)])
            .header("accept-language", language)
            .send()
            .await
            .expect("request sent");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|value| value.to_str().unwrap_or_default().to_owned())
                .unwrap_or_default()
        };
        (header("etag"), header("content-language"), header("vary"))
    };
    let named = r#"{ role(slug: "backend-developer") { name } }"#;
    let (german, de, vary) = get("de", named).await;
    let (english, en, _) = get("en", named).await;
    assert_eq!((de.as_str(), en.as_str()), ("de", "en"));
    assert!(vary.to_lowercase().contains("accept-language"), "{vary}");
    assert_ne!(german, english);
    assert_eq!(
        get("de", named).await.0,
        german,
        "the same answer, the same tag"
    );
    // An answer without text has the same bytes in every locale, and still two tags.
    let slugs = r#"{ role(slug: "backend-developer") { slug } }"#;
    assert_ne!(get("de", slugs).await.0, get("en", slugs).await.0);
}

async fn texts_in_a_locale_cost_one_statement_per_level(app: &TestApp) {
    translate(app).await;
    let query = r#"{ roles(first: 20) { nodes { name aliases description
        skills(first: 50) { nodes { name description
          children(first: 20) { nodes { name } } } } } } }"#;
    let english = app.statements_for(query).await;
    let before = app.db.statements.get();
    read_in(app, Some("de, fr;q=0.5"), query).await;
    let german = app.db.statements.get() - before;
    // At most one label statement per level (two levels of skills may share one, when the
    // second's loads come before the first's batch was sent).
    assert!(
        german > english && german <= english + 3,
        "{german} statements in German, {english} in English"
    );
    let labelled = r#"{ roles(first: 20) { nodes { labels { name } skills(first: 50) { nodes { labels { locale } } } } } }"#;
    let plain = app
        .statements_for(
            r#"{ roles(first: 20) { nodes { skills(first: 50) { nodes { slug } } } } }"#,
        )
        .await;
    assert_eq!(app.statements_for(labelled).await, plain + 2);
    // Many fields each naming its own locale read them in one statement per level too (up
    // to the loader's batch of 5,000 keys: here 40 per node, 10 roles, 100 skills).
    let fields: String = (0..40)
        .map(|at| {
            let tag = format!(
                "{}{}",
                char::from(b'a' + (at / 26) as u8),
                char::from(b'a' + (at % 26) as u8)
            );
            format!(" t{at}: name(locale: \"{tag}\")")
        })
        .collect();
    let many = format!(
        "{{ roles(first: 10) {{ nodes {{ {fields} skills(first: 10) {{ nodes {{ {fields} }} }} }} }} }}"
    );
    let plain = app
        .statements_for(
            r#"{ roles(first: 10) { nodes { skills(first: 10) { nodes { slug } } } } }"#,
        )
        .await;
    assert_eq!(app.statements_for(&many).await, plain + 2);
}

async fn a_server_whose_default_locale_is_german_answers_in_german(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .settings(|settings| settings.default_locale = "de".to_owned())
        .spawn()
        .await
    else {
        return;
    };
    let app = &app;
    let before = english(app).await;
    assert_ne!(before["role"]["name"], "Backend-Entwickler");
    translate(app).await;
    let (language, data) = read_in(app, None, TEXTS).await;
    assert_eq!(data["role"]["name"], "Backend-Entwickler");
    assert_eq!(language, "de, en");
    // Ukrainian first, then the server's default, then the catalog's.
    let (_, data) = read_in(app, Some("uk"), TEXTS).await;
    assert_eq!(data["role"]["name"], "Бекенд-розробник");
    assert_eq!(
        data["role"]["description"],
        "Baut die Serverseite von Anwendungen."
    );
    // A client asking for English reads English: every node has it, nothing after it is read.
    let (language, data) = read_in(app, Some("en-GB, de;q=0.5"), TEXTS).await;
    assert_eq!(data, before);
    assert_eq!(language, "en");
    let (_, data) = read_in(app, Some("ja"), r#"{ catalog { defaultLocale } }"#).await;
    assert_eq!(data["catalog"]["defaultLocale"], "de");
}
