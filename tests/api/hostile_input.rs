//! Malformed and abusive requests: each is answered quickly with a 4xx or a GraphQL error
//! carrying `extensions.code`, never a 5xx, a hang or a crash. Every case states exactly what
//! it gets back. (Oversized bodies are in `http_endpoints`: `413`.)

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{TestApp, backend_tests};

/// What a case must get back: a status, and the code of its first error (`None`: no error).
struct Expected {
    status: u16,
    code: Option<&'static str>,
}

const fn answer(status: u16, code: &'static str) -> Expected {
    Expected {
        status,
        code: Some(code),
    }
}

/// Executed, with `data` and no error.
const NO_ERROR: Expected = Expected {
    status: 200,
    code: None,
};

/// Sends `body` as `content_type` and checks the answer against `expected`, and that it came
/// quickly.
async fn check(app: &TestApp, case: &str, content_type: &str, body: Vec<u8>, expected: Expected) {
    let started = Instant::now();
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", content_type)
        .body(body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap_or_else(|err| panic!("{case}: no answer: {err}"));
    let status = response.status().as_u16();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{case}: took {elapsed:?}");
    assert_eq!(status, expected.status, "{case}: {answer}");
    let code = answer["errors"][0]["extensions"]["code"].as_str();
    assert_eq!(code, expected.code, "{case}: {answer}");
    if status != 200 || code.is_some() {
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{case}: an error says what is wrong");
    }
}

/// A JSON body holding `query`.
fn query(text: &str) -> Vec<u8> {
    json!({ "query": text }).to_string().into_bytes()
}

async fn malformed_bodies(app: &TestApp) {
    let json = "application/json";
    let bad_request = || answer(400, "BAD_REQUEST");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("malformed JSON", b"{\"query\": ".to_vec()),
        ("empty body", Vec::new()),
        ("an array of numbers", b"[1, 2]".to_vec()),
        ("query is a number", br#"{"query": 42}"#.to_vec()),
        (
            "variables are a string",
            br#"{"query": "{ roles { totalCount } }", "variables": "x"}"#.to_vec(),
        ),
        ("no query", b"{}".to_vec()),
        ("binary garbage", vec![0xff, 0xfe, 0x00, 0x01]),
        (
            "a batch of 10,000 operations",
            json!(vec![json!({ "query": "{ roles { totalCount } }" }); 10_000])
                .to_string()
                .into_bytes(),
        ),
    ];
    for (case, body) in cases {
        check(app, case, json, body, bad_request()).await;
    }
    let plain = b"{ roles { totalCount } }".to_vec();
    check(
        app,
        "a text/plain body",
        "text/plain",
        plain,
        answer(415, "BAD_REQUEST"),
    )
    .await;

    // A NUL byte in a slug names no node (null, no query); in a search it is refused.
    let nul_slug = "{ role(slug: \"a\u{0}b\") { name } }";
    check(app, "NUL in a slug", json, query(nul_slug), NO_ERROR).await;
    let nul_search = "{ roles(filter: { search: \"a\u{0}b\" }) { totalCount } }";
    let expected = answer(200, "BAD_USER_INPUT");
    check(app, "NUL in a search", json, query(nul_search), expected).await;
}

async fn abusive_documents(app: &TestApp) {
    let json = "application/json";
    let deep = format!(
        "{}{}",
        "{ roles { nodes { skills { nodes { roles { nodes { ".repeat(150),
        "}".repeat(1000)
    );
    let aliases: String = (0..5000)
        .map(|i| format!("a{i}: roles {{ totalCount }} "))
        .collect();
    let introspection = format!(
        "{{ __schema {{ types {{ {} name {} }} }} }}",
        "fields { type { ofType { ".repeat(30),
        "} } }".repeat(30)
    );
    // Each level multiplies the cost by hundreds: 2^64 is passed after eight, and crafted
    // `first` values could bring a wrapped product under the limit.
    let deep_cost = format!(
        r#"{{ skill(slug: "database-management") {{ {} slug {} }} }}"#,
        "descendants(maxDepth: 16) { skill { ".repeat(9),
        "} }".repeat(9)
    );
    let wide_cost = format!(
        "{{ skills(first: 97) {{ nodes {{ {} slug {} }} }} }}",
        "roles(first: 89) { nodes { skills(first: 83) { nodes { ".repeat(2),
        "} } } }".repeat(2)
    );
    let huge_slug = format!(r#"{{ role(slug: "{}") {{ name }} }}"#, "x".repeat(500_000));
    let cases = [
        ("depth 1000", deep, answer(200, "GRAPHQL_PARSE_FAILED")),
        (
            "5,000 aliases",
            format!("{{ {aliases} }}"),
            answer(200, "QUERY_TOO_LARGE"),
        ),
        (
            "a fragment cycle",
            "query { roles { ...A } } fragment A on RoleConnection { ...B } \
             fragment B on RoleConnection { ...A }"
                .to_owned(),
            answer(200, "GRAPHQL_VALIDATION_FAILED"),
        ),
        (
            "introspection nested 90 deep",
            introspection,
            answer(200, "GRAPHQL_PARSE_FAILED"),
        ),
        (
            "a cost beyond 2^64",
            deep_cost,
            answer(200, "QUERY_TOO_COMPLEX"),
        ),
        (
            "chosen page sizes six levels deep",
            wide_cost,
            answer(200, "QUERY_TOO_COMPLEX"),
        ),
        ("a 500 KB slug", huge_slug, answer(200, "QUERY_TOO_LARGE")),
        (
            "a huge first",
            "{ roles(first: 2147483647) { totalCount } }".to_owned(),
            answer(200, "BAD_USER_INPUT"),
        ),
        (
            "a negative first",
            "{ roles(first: -1) { totalCount } }".to_owned(),
            answer(200, "BAD_USER_INPUT"),
        ),
        (
            "a cursor that is not one",
            r#"{ roles(after: "garbage") { totalCount } }"#.to_owned(),
            answer(200, "BAD_USER_INPUT"),
        ),
    ];
    for (case, text, expected) in cases {
        check(app, case, json, query(&text), expected).await;
    }
    let wrong_type = json!({
        "query": "query($n: Int) { roles(first: $n) { totalCount } }",
        "variables": { "n": "ten" },
    });
    let body = wrong_type.to_string().into_bytes();
    let expected = answer(200, "GRAPHQL_VALIDATION_FAILED");
    check(app, "a variable of the wrong type", json, body, expected).await;

    // After all of that, the server still answers.
    app.assert_still_answers().await;
}

/// Abusive mutations, sent with a valid key: all refused with a code, nothing written.
async fn abusive_mutations(app: &TestApp) {
    let key = app.key("hostile", skillgraph::keys::Scope::Write).await;
    let huge = "n".repeat(1024 * 1024 - 200);
    let aliases = vec!["a"; 10_000];
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "wrong type for a field",
            json!({"query": "mutation { createRole(input: {slug: 5, name: \"X\"}) { revision } }"}),
            200,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "wrong type in a variable",
            json!({"query": "mutation($p: Int) { createSkill(input: {slug: \"x\", name: \"X\", position: $p}) { revision } }", "variables": {"p": "first"}}),
            200,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "a 1 MB name",
            json!({"query": "mutation($n: String!) { createRole(input: {slug: \"huge\", name: $n}) { revision } }", "variables": {"n": huge}}),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "10,000 aliases",
            json!({"query": "mutation($a: [String!]) { createRole(input: {slug: \"many\", name: \"M\", aliases: $a}) { revision } }", "variables": {"a": aliases}}),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "an unknown global ID",
            json!({"query": "mutation { updateSkill(input: {skill: \"U2tpbGw6bm9wZQ\", name: \"X\"}) { revision } }"}),
            200,
            "NOT_FOUND",
        ),
        (
            "an ID that is neither",
            json!({"query": "mutation { deleteRole(input: {role: \"%%%\"}) { revision } }"}),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "a NUL in a name",
            json!({"query": "mutation($n: String!) { createTool(input: {slug: \"nul\", name: $n, category: OTHER}) { revision } }", "variables": {"n": "a\u{0}b"}}),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "a huge position",
            json!({"query": "mutation { setSkillTool(input: {skill: \"caching\", tool: \"redis\", position: 2147483647}) { revision } }"}),
            200,
            "",
        ),
        (
            "an unknown enum value",
            json!({"query": "mutation { createTool(input: {slug: \"t\", name: \"T\", category: SPACESHIP}) { revision } }"}),
            200,
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ];
    for (case, body, status, code) in cases {
        let (got, answer) = app.post_as(&key, body).await;
        assert_eq!(got.as_u16(), status, "{case}: {answer}");
        let found = answer["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(found, code, "{case}: {answer}");
    }
    let data = app
        .data("{ catalog { revision } roles { totalCount } tools { totalCount } }")
        .await;
    assert_eq!(
        data["catalog"]["revision"], 1,
        "only the valid write was made: {data}"
    );
    assert_eq!(data["roles"]["totalCount"], 5);
}

backend_tests!(malformed_bodies, abusive_documents, abusive_mutations);
