//! HTTP caching of read answers, so that browsers and CDNs can keep them: a GET answer without
//! errors says how long it may be kept (`Cache-Control`) and carries an `ETag` derived from its
//! bytes, which therefore changes exactly when the answer does; a client that sends the ETag
//! back in `If-None-Match` gets `304 Not Modified` without the body. POST answers, and answers
//! with errors, are not to be stored; answers to keyed requests are `private`.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The largest answer read back to compute its ETag (answers are far smaller: pages are
/// bounded).
const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// Marks an answer as not to be stored by any cache.
pub fn no_store(mut answer: Response) -> Response {
    answer
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    answer
}

/// The ETag of an answer's bytes in its `Content-Language`: two answers of the same bytes in
/// other locales (a query that reads no text) are two representations, with two tags. Weak
/// (`W/`), since the compression layer may send the same answer in other encodings.
fn etag(body: &[u8], language: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(language);
    hasher.update(b"\n");
    hasher.update(body);
    let digest = hasher.finalize();
    format!("W/\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..16]))
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header).
fn matches(if_none_match: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag);
    if_none_match
        .split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == ours)
}

/// Whether the request's `If-None-Match` names `etag`.
pub fn names_etag(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| matches(value, etag))
}

/// Who may keep an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Any cache, shared ones (CDNs, proxies) included.
    Public,
    /// The client's own cache only: the answer depends on the key the request carried.
    Private,
}

/// Makes a successful GET answer cacheable for `max_age` by `audience`, with an ETag; `304`
/// when the client already holds it. `Vary` names what the answer depends on: `Accept`
/// always (its media type follows it), and `Authorization`, so that even a cache that
/// ignores `private` does not hand one client's answer to another, and `Accept-Language`,
/// whose locales the texts follow.
pub async fn cacheable(
    answer: Response,
    request: &HeaderMap,
    max_age: Duration,
    audience: Audience,
) -> Response {
    let (mut parts, body) = answer.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ANSWER_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "answer too large").into_response();
    };
    let language = parts.headers.get(header::CONTENT_LANGUAGE);
    let tag = etag(&bytes, language.map_or(&[][..], HeaderValue::as_bytes));
    let scope = match audience {
        Audience::Public => "public",
        Audience::Private => "private",
    };
    let cache_control = format!("{scope}, max-age={}", max_age.as_secs());
    let headers = &mut parts.headers;
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&cache_control) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept, accept-language, authorization"),
    );
    let held = request
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| matches(value, &tag));
    if held {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly() {
        let tag = etag(b"{\"data\":{}}", b"en");
        assert!(tag.starts_with("W/\""));
        assert!(matches(&tag, &tag));
        assert!(matches(&tag.replace("W/", ""), &tag));
        assert!(matches(&format!("\"x\", {tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(!matches("W/\"other\"", &tag));
        assert_ne!(etag(b"a", b"en"), etag(b"b", b"en"));
        assert_ne!(etag(b"a", b"en"), etag(b"a", b"de"));
    }
}
