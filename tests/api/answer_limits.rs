//! The answers that read a text are priced by what they may return and bounded per request:
//! a megabyte under many aliases is refused before it is read, one request reads at most a
//! megabyte of text in all, and a text that mentions more nodes than one answer lists is
//! refused by name, never cut short.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};

const MEBIBYTE: usize = 1024 * 1024;

async fn post(app: &TestApp, query: &str, text: &str) -> Value {
    app.post(json!({ "query": query, "variables": { "t": text } }))
        .await
}

#[tokio::test]
async fn large_texts_are_priced_and_bounded_per_request() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    // As much as a body of the default limit holds beside the query.
    let megabyte = "lorem ipsum ".repeat((MEBIBYTE - 4096) / 12);

    // Three aliases of a megabyte each cost more than the limit: refused before anything runs.
    let three = "query($t: String!) { a: extractSkills(text: $t) { start end slug } \
                 b: extractSkills(text: $t) { start end slug } c: extractSkills(text: $t) { start end slug } }";
    let answer = post(&app, three, &megabyte).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{}",
        answer["errors"]
    );
    assert!(answer.get("data").is_none());

    // Two fit the cost, but together they read two megabytes: the second is refused.
    let two = "query($t: String!) { a: extractSkills(text: $t) { start } \
               b: analyzePosting(text: $t) { mentions { start } } }";
    let answer = post(&app, two, &megabyte).await;
    let errors = answer["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(errors[0]["extensions"]["field"], "text");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("together"))
    );

    // One megabyte alone is read.
    let one = "query($t: String!) { extractSkills(text: $t) { start } }";
    let answer = post(&app, one, &megabyte).await;
    assert!(answer.get("errors").is_none(), "{}", answer["errors"]);
    assert_eq!(answer["data"]["extractSkills"], json!([]));
}

/// Characters whose fold is many times longer (U+FDFA is 3 bytes and folds to 33: eighteen
/// letters and spaces; U+0301 folds to nothing) are read like any other megabyte: answered,
/// every mention's offsets those of the text as sent.
#[tokio::test]
async fn a_megabyte_that_folds_to_ten_is_read_whole() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let expanding = "\u{fdfa}".repeat((MEBIBYTE - 4096) / 3 - 100);
    let query =
        "query($t: String!) { extractSkills(text: $t, allLocales: true) { start end text } }";
    let answer = post(&app, query, &format!("{expanding} Python")).await;
    assert!(answer.get("errors").is_none(), "{}", answer["errors"]);
    let at = expanding.encode_utf16().count() + 1;
    assert_eq!(
        answer["data"]["extractSkills"],
        json!([{"start": at, "end": at + 6, "text": "Python"}])
    );
    let marks = format!("Python{} and Java", "\u{301}".repeat(200_000));
    let answer = post(&app, query, &marks).await;
    let found = &answer["data"]["extractSkills"];
    assert_eq!(
        found[0]["end"],
        json!(6 + 200_000),
        "the marks belong with the word"
    );
    assert_eq!(found[1]["text"], "Java", "{}", answer["errors"]);
    let search = "query($t: String!) { search(query: $t) { slug } }";
    let answer = post(&app, search, &"\u{fdfa}".repeat(256)).await;
    assert!(answer.get("errors").is_none(), "{}", answer["errors"]);
}

#[tokio::test]
async fn a_text_with_more_mentions_than_an_answer_lists_is_refused() {
    let app = TestApp::builder(Backend::Sqlite)
        .spawn()
        .await
        .expect("SQLite");
    let query = "query($t: String!) { extractSkills(text: $t) { slug } }";
    let many = "Python ".repeat(25_001);
    let answer = post(&app, query, &many).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{}",
        answer["errors"]
    );
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("25000"))
    );
    let enough = "Python ".repeat(25_000);
    let answer = post(&app, query, &enough).await;
    assert_eq!(
        answer["data"]["extractSkills"].as_array().map(Vec::len),
        Some(25_000)
    );
    let posting = "query($t: String!) { analyzePosting(text: $t) { mentions { slug } } }";
    let answer = post(&app, posting, &many).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{}",
        answer["errors"]
    );
}

#[tokio::test]
async fn an_answer_over_the_size_limit_is_refused_with_a_code() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            settings.http.max_answer_bytes = 2_000;
        })
        .spawn()
        .await
        .expect("SQLite");
    let answer = app
        .post(json!({ "query": "{ skills(first: 100) { nodes { slug name description } } }" }))
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "ANSWER_TOO_LARGE",
        "{answer}"
    );
    assert_eq!(answer["errors"][0]["extensions"]["limit"], 2_000);
    assert!(answer["data"].is_null());
    let small = app.data("{ roles(first: 1) { nodes { slug } } }").await;
    let catalog = skillgraph::catalog::built_in().expect("the built-in catalog");
    let first = catalog.roles.iter().map(|role| &role.slug).min();
    assert_eq!(
        small["roles"]["nodes"][0]["slug"].as_str(),
        first.map(String::as_str)
    );
}

/// A large read holds a place for heavy work from its first nested statement; a text it reads
/// as well runs in that place, since waiting for a second one would wait for the request
/// itself (on two cores there is one place). A write just before makes this very request
/// rebuild the answers' index, so the text is read after the nested lists took the place.
#[tokio::test]
async fn a_large_read_that_reads_a_text_does_not_wait_for_itself() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|settings| {
            // A tenth of this makes the query below a large read.
            settings.limits.max_complexity = 1_000;
            settings.http.request_timeout = std::time::Duration::from_secs(5);
        })
        .spawn()
        .await
        .expect("SQLite");
    let key = app.key("curator", skillgraph::keys::Scope::Write).await;
    let write = "mutation { createTool(input: {slug: \"bun\", name: \"Bun\", category: RUNTIME}) \
                 { revision } }";
    let (status, written) = app.post_as(&key, json!({ "query": write })).await;
    assert!(
        status.is_success() && written.get("errors").is_none(),
        "{written}"
    );
    let query = "{ roles(first: 5) { nodes { skills(first: 20) { nodes { slug } } } } \
                 extractSkills(text: \"Python and PostgreSQL\") { slug } }";
    let started = std::time::Instant::now();
    let answer = app.post(json!({ "query": query })).await;
    assert!(answer.get("errors").is_none(), "{answer}");
    let found = answer["data"]["extractSkills"].as_array().map(Vec::len);
    assert!(found.is_some_and(|found| found >= 2), "{answer}");
    let roles = answer["data"]["roles"]["nodes"].as_array().map(Vec::len);
    assert_eq!(roles, Some(5), "{answer}");
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
}
