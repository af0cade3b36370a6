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

pub use answer::{answer, answer_batch, error, is_request_error, refusal};
pub use params::{BadRequest, Operations, from_json_body, from_query_string};

use std::cmp::Reverse;

use axum::http::{HeaderMap, HeaderValue, header};

const JSON: &str = "application/json";

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

/// How well a media range of an `Accept` header fits one of our types: `None` when it does
/// not name it; else how specific it is (`*/*` 0, `application/*` 1, the type itself 2).
/// Our answers are always UTF-8, so a `charset` parameter is satisfied when it says so and
/// rules the range out otherwise; other parameters are not ours to honour and are ignored.
fn fit(range: &mediatype::MediaType<'_>, subtype: &str) -> Option<u8> {
    use mediatype::ReadParams;
    use mediatype::names::{_STAR as STAR, APPLICATION, CHARSET};
    let charset_ok = range
        .get_param(CHARSET)
        .is_none_or(|charset| charset.unquoted_str().eq_ignore_ascii_case("utf-8"));
    if !charset_ok {
        return None;
    }
    let full_subtype = match range.suffix {
        Some(suffix) => format!("{}+{}", range.subty.as_str(), suffix.as_str()),
        None => range.subty.as_str().to_owned(),
    };
    if range.ty == STAR && range.subty == STAR {
        Some(0)
    } else if range.ty != APPLICATION {
        None
    } else if range.subty == STAR {
        Some(1)
    } else if full_subtype.eq_ignore_ascii_case(subtype) {
        Some(2)
    } else {
        None
    }
}

/// The weight (`q`, in thousandths) an `Accept` header gives one of our types, and where the
/// range that decided it stands in the header: the most specific range naming the type
/// decides (RFC 9110, 12.5.1). `None` when no range names it.
fn weight(ranges: &[mediatype::MediaType<'_>], subtype: &str) -> Option<(u16, usize)> {
    let (_, at, range) = ranges
        .iter()
        .enumerate()
        .filter_map(|(at, range)| Some((fit(range, subtype)?, at, range)))
        .max_by_key(|(specificity, at, _)| (*specificity, Reverse(*at)))?;
    use mediatype::ReadParams;
    let q = match range.get_param(mediatype::names::Q) {
        None => 1000,
        Some(q) => parse_q(&q.unquoted_str())?,
    };
    Some((q, at))
}

/// A quality value (`0`, `0.5`, `1.000`) in thousandths; `None` when it is not one.
fn parse_q(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The media type to answer with, from the `Accept` header, ranked as RFC 9110 says: the
/// highest `q` wins (`q=0` refuses a type), a more specific range overrides a wildcard, and
/// between equal weights the type whose range comes first in the header. Plain JSON is
/// preferred when one range names both (`*/*`), as older clients expect. `None` when the
/// client accepts neither JSON type or sends an `Accept` that does not parse; no `Accept` at
/// all means plain JSON. The header is parsed by the `mediatype` crate.
pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT) else {
        return Some(MediaType::Json);
    };
    let ranges = mediatype::MediaTypeList::new(accept.to_str().ok()?)
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    [
        (MediaType::Json, "json"),
        (MediaType::GraphQLResponseJson, "graphql-response+json"),
    ]
    .into_iter()
    .enumerate()
    .filter_map(|(preference, (ours, subtype))| {
        let (q, at) = weight(&ranges, subtype)?;
        (q > 0).then_some(((q, Reverse(at), Reverse(preference)), ours))
    })
    .max_by_key(|(rank, _)| *rank)
    .map(|(_, ours)| ours)
}

/// Whether a POST body is declared as JSON (the only body type this endpoint reads).
pub fn is_json_body(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(JSON))
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
    fn accept_ranks_by_quality() {
        assert_eq!(
            negotiate(&accept(
                "application/json;q=0.5, application/graphql-response+json"
            )),
            Some(MediaType::GraphQLResponseJson)
        );
        assert_eq!(
            negotiate(&accept(
                "*/*;q=0.1, application/graphql-response+json;q=0.2"
            )),
            Some(MediaType::GraphQLResponseJson)
        );
        assert_eq!(
            negotiate(&accept("application/*;q=0.9, application/json;q=0")),
            Some(MediaType::GraphQLResponseJson)
        );
        assert_eq!(
            negotiate(&accept("application/graphql-response+json; charset=utf-8")),
            Some(MediaType::GraphQLResponseJson)
        );
        assert_eq!(
            negotiate(&accept("text/html,application/xhtml+xml,*/*;q=0.8")),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(&accept("application/json;q=0")), None);
    }
}
