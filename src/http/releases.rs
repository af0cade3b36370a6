//! `GET /releases/{name}.json`: a release whole, in the catalog format. A release never
//! changes, so the answer may be kept for good (`immutable`) and its ETag is strong: the
//! SHA-256 of its JSON. A client that accepts gzip gets the stored bytes as they are (the
//! compression layer leaves an encoded answer alone), under an ETag of their own, since
//! they are another representation.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, access, caching};
use crate::releases;

/// A year: as long as caches are asked to keep anything.
const FOREVER: &str = "max-age=31536000, immutable";

/// Whether the request accepts gzip (`Accept-Encoding` names it without `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused =
                parts.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0");
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

pub(super) async fn release_json(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = access::gate(&state, &headers, None).await {
        return caching::no_store(*refused);
    }
    let not_found = || (StatusCode::NOT_FOUND, "no such release").into_response();
    let Some(name) = file
        .strip_suffix(".json")
        .filter(|name| releases::is_name(name))
    else {
        return not_found();
    };
    let (release, gzip) = match releases::stored(&state.db, name).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(err) => {
            tracing::error!(detail = %err.detail(), "reading a release failed");
            return caching::no_store(
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the release cannot be read right now",
                )
                    .into_response(),
            );
        }
    };
    let encoded = accepts_gzip(&headers);
    let etag = if encoded {
        format!("\"{}-gzip\"", release.digest)
    } else {
        format!("\"{}\"", release.digest)
    };
    let scope = if state.http.require_key_for_reads {
        "private"
    } else {
        "public"
    };
    let mut answer = if caching::names_etag(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if encoded {
        let mut answer = gzip.into_response();
        answer
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        answer
    } else {
        match releases::json_of(&gzip) {
            Ok(json) => json.into_response(),
            Err(err) => {
                tracing::error!(detail = %err.detail(), "reading a release failed");
                return caching::no_store(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        }
    };
    let headers = answer.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    for (name, value) in [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, format!("{scope}, {FOREVER}")),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    answer
}
