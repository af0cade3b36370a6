//! GraphQL over HTTP (graphql.github.io/graphql-over-http): which media type an answer is sent
//! as, and with which status.
//!
//! - `Accept: application/graphql-response+json`: a request error (the document does not parse
//!   or validate, a variable does not fit) is `400`; anything that was executed is `200`.
//! - `Accept: application/json`, `*/*` or no `Accept` (older clients): always `200`.
//! - An `Accept` that allows neither is `406`; a POST body that is not JSON is `415`; a
//!   mutation over GET is `405` with `Allow: POST`; a request without a `query`, or with
//!   parameters of the wrong type, is `400`.
//!
//! A request error's answer has no `data` entry, as the GraphQL specification asks: nothing
//! was executed.

mod answer;
mod params;

pub use answer::{answer, answer_batch, error};
pub use params::{BadRequest, Operations, from_json_body, from_query_string};

use axum::http::{HeaderMap, HeaderValue, header};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub const JSON: &str = "application/json";

/// The media type an answer is sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    GraphQLResponseJson,
    Json,
}

impl MediaType {
    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphQLResponseJson => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        })
    }
}

/// The media type to answer with, from the `Accept` header: the first acceptable range wins;
/// `None` when the client accepts neither JSON type.
pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT) else {
        return Some(MediaType::Json);
    };
    let accept = accept.to_str().ok()?;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let refused = parts.any(|param| {
            let param = param.trim().replace(' ', "");
            param == "q=0" || param == "q=0.0" || param == "q=0.00" || param == "q=0.000"
        });
        if refused {
            continue;
        }
        match media.as_str() {
            GRAPHQL_RESPONSE_JSON => return Some(MediaType::GraphQLResponseJson),
            JSON | "application/*" | "*/*" => return Some(MediaType::Json),
            _ => {}
        }
    }
    None
}

/// Whether a POST body is declared as JSON (the only body type this endpoint reads).
pub fn is_json_body(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(JSON))
}

/// Whether a document's first operation is a mutation (not allowed over GET).
pub fn is_mutation(query: &str) -> bool {
    query
        .trim_start()
        .strip_prefix("mutation")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '{' || c == '('))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn accept_picks_the_first_acceptable_type() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(MediaType::Json));
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(MediaType::GraphQLResponseJson)
        );
        assert_eq!(
            negotiate(&accept(
                "application/json, application/graphql-response+json"
            )),
            Some(MediaType::Json)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0, application/json"
            )),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
    }

    #[test]
    fn mutations_are_recognised() {
        assert!(is_mutation("mutation { x }"));
        assert!(is_mutation("  mutation Save($a: Int) { x }"));
        assert!(!is_mutation("{ mutation }"));
        assert!(!is_mutation("query mutation { x }"));
    }
}
