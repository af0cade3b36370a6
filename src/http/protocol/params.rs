//! The request parameters of GraphQL over HTTP: `query`, `operationName`, `variables` and
//! `extensions`, from a JSON body (POST) or a URL query string (GET), and `documentId`, which
//! names a persisted document instead of `query` (the GraphQL-over-HTTP proposal's persisted
//! document request).
//!
//! Read here rather than by a generic extractor so that a client's mistake is named precisely
//! (which parameter, what was wrong with it) and so that GET keeps `operationName`.

use async_graphql::{Extensions, Request, Variables};
use serde::Deserialize;

/// What a client sent: one operation, or a batch of them (a JSON array, as Apollo's batch link
/// sends).
#[derive(Debug)]
pub enum Operations {
    Single(Box<Request>),
    Batch(Vec<Request>),
}

/// Why a request is not a GraphQL request; the message is shown to the client.
#[derive(Debug, PartialEq, Eq)]
pub struct BadRequest(pub String);

/// The parameters of a POST body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BodyParams {
    query: Option<String>,
    document_id: Option<String>,
    operation_name: Option<String>,
    #[serde(default)]
    variables: Variables,
    #[serde(default)]
    extensions: Extensions,
}

/// The parameters of a GET query string; `variables` and `extensions` are JSON text there.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UrlParams {
    query: Option<String>,
    document_id: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// Reads a POST body: a JSON object with the parameters, or an array of such objects holding
/// at most `max_batch` operations.
pub fn from_json_body(body: &[u8], max_batch: usize) -> Result<Operations, BadRequest> {
    let is_array = body
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| *byte == b'[');
    if !is_array {
        let params = serde_json::from_slice(body).map_err(|err| not_json_params(&err))?;
        return request(params).map(|request| Operations::Single(Box::new(request)));
    }
    let batch: Vec<BodyParams> =
        serde_json::from_slice(body).map_err(|err| not_json_params(&err))?;
    if batch.is_empty() {
        return Err(BadRequest("the batch is empty".into()));
    }
    if batch.len() > max_batch {
        return Err(BadRequest(format!(
            "a batch may hold at most {max_batch} operations; this one holds {}",
            batch.len()
        )));
    }
    batch
        .into_iter()
        .map(request)
        .collect::<Result<_, _>>()
        .map(Operations::Batch)
}

/// Reads the query string of a GET request.
pub fn from_query_string(query_string: &str) -> Result<Request, BadRequest> {
    let params: UrlParams = serde_urlencoded::from_str(query_string)
        .map_err(|err| BadRequest(format!("the URL parameters are malformed: {err}")))?;
    let variables = json_param("variables", params.variables.as_deref())?;
    let extensions = json_param("extensions", params.extensions.as_deref())?;
    request(BodyParams {
        query: params.query,
        document_id: params.document_id,
        operation_name: params.operation_name,
        variables: variables.unwrap_or_default(),
        extensions: extensions.unwrap_or_default(),
    })
}

fn not_json_params(err: &serde_json::Error) -> BadRequest {
    let reason = if err.is_syntax() || err.is_eof() {
        "the body is not valid JSON"
    } else {
        "the body is not a GraphQL request (a JSON object with a string `query` or \
         `documentId`, an optional `operationName` string and `variables` and `extensions` \
         objects)"
    };
    BadRequest(format!("{reason}: {err}"))
}

/// A JSON-encoded URL parameter (`variables`, `extensions`).
fn json_param<T: serde::de::DeserializeOwned>(
    name: &str,
    text: Option<&str>,
) -> Result<Option<T>, BadRequest> {
    text.filter(|text| !text.is_empty())
        .map(|text| {
            serde_json::from_str(text).map_err(|err| {
                BadRequest(format!("`{name}` must be a JSON object in the URL: {err}"))
            })
        })
        .transpose()
}

fn request(params: BodyParams) -> Result<Request, BadRequest> {
    let query = params.query.filter(|query| !query.trim().is_empty());
    // An automatic persisted query may name its document by hash alone, and a persisted
    // document request by `documentId` (see `persisted.rs`, which reads it from the
    // extensions: async-graphql's request has no place of its own for it, and a WebSocket's
    // subscribe message is read into that request without this function).
    let mut extensions = params.extensions;
    if let Some(id) = params.document_id {
        extensions
            .0
            .insert("documentId".into(), async_graphql::Value::String(id));
    }
    let persisted =
        extensions.contains_key("persistedQuery") || extensions.contains_key("documentId");
    let query = match query {
        Some(query) => query,
        None if persisted => String::new(),
        None => {
            return Err(BadRequest(
                "the `query` parameter is missing or empty; it holds the GraphQL document".into(),
            ));
        }
    };
    let mut request = Request::new(query).variables(params.variables);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    request.extensions = extensions;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(body: &str) -> Request {
        match from_json_body(body.as_bytes(), 10) {
            Ok(Operations::Single(request)) => *request,
            other => panic!("expected one operation, got {other:?}"),
        }
    }

    fn refused(body: &str) -> String {
        match from_json_body(body.as_bytes(), 2) {
            Err(BadRequest(message)) => message,
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn a_body_gives_every_parameter() {
        let request = single(
            r#"{"query":"query A($n: Int) { a }","operationName":"A","variables":{"n":3},"extensions":null}"#,
        );
        assert_eq!(request.query, "query A($n: Int) { a }");
        assert_eq!(request.operation_name.as_deref(), Some("A"));
        assert_eq!(
            request.variables.get("n").map(ToString::to_string),
            Some("3".into())
        );
    }

    #[test]
    fn null_variables_and_operation_name_are_absent_ones() {
        let request = single(r#"{"query":"{ a }","operationName":null,"variables":null}"#);
        assert_eq!(request.operation_name, None);
        assert!(request.variables.is_empty());
    }

    #[test]
    fn mistakes_are_named() {
        assert!(refused(r#"{"qeury":"{ a }"}"#).contains("`query` parameter is missing"));
        assert!(refused(r#"{"query":"  "}"#).contains("`query` parameter is missing"));
        assert!(refused(r#"{"query":1}"#).contains("not a GraphQL request"));
        assert!(refused(r#"{"query":"{ a }","variables":"x"}"#).contains("not a GraphQL request"));
        assert!(refused(r#"{"query":"#).contains("not valid JSON"));
        assert!(refused("").contains("not valid JSON"));
        assert!(refused("[]").contains("batch is empty"));
        assert!(
            refused(r#"[{"query":"{a}"},{"query":"{a}"},{"query":"{a}"}]"#).contains("at most 2")
        );
    }

    #[test]
    fn a_document_id_stands_for_the_query() {
        let request = single(r#"{"documentId":"sha256:abc","variables":{"n":1}}"#);
        assert_eq!(request.query, "");
        assert_eq!(
            request.extensions.get("documentId"),
            Some(&async_graphql::Value::String("sha256:abc".into()))
        );
        let request = from_query_string("documentId=abc&operationName=A").unwrap();
        assert_eq!(
            request.extensions.get("documentId"),
            Some(&async_graphql::Value::String("abc".into()))
        );
        assert!(refused(r#"{"documentId":1}"#).contains("not a GraphQL request"));
    }

    #[test]
    fn a_batch_keeps_its_order() {
        let Ok(Operations::Batch(batch)) =
            from_json_body(br#" [{"query":"{ a }"},{"query":"{ b }"}]"#, 2)
        else {
            panic!("expected a batch");
        };
        let queries: Vec<_> = batch.iter().map(|request| request.query.as_str()).collect();
        assert_eq!(queries, ["{ a }", "{ b }"]);
    }

    #[test]
    fn a_query_string_keeps_the_operation_name() {
        let request = from_query_string(
            "query=query%20A%20%7B%20a%20%7D&operationName=A&variables=%7B%22n%22%3A1%7D",
        )
        .unwrap();
        assert_eq!(request.query, "query A { a }");
        assert_eq!(request.operation_name.as_deref(), Some("A"));
        assert_eq!(
            request.variables.get("n").map(ToString::to_string),
            Some("1".into())
        );
        assert!(from_query_string("operationName=A").is_err());
        assert!(from_query_string("query=%7Ba%7D&variables=%5B1").is_err());
    }
}
