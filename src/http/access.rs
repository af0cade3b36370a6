//! Who may do what over HTTP: the API key of the `Authorization` header, and the rate limits
//! on writes (one token per root mutation field) and, when configured, on reads (one per
//! operation).
//!
//! Keys come only from `Authorization: Bearer <key>` (or, on a WebSocket, the
//! `connection_init` payload), never from cookies or the query string: a page on another
//! origin cannot make a browser send them, and mutations are only accepted as POST with a JSON
//! body, which a browser sends cross-origin only after a CORS preflight.
//!
//! Statuses: a key that is malformed, unknown or revoked, and a mutation (or, when reads need
//! a key, any operation) sent without one, are refused before anything runs with
//! `401 Unauthorized`, `WWW-Authenticate: Bearer` and `UNAUTHENTICATED`. A key without the
//! scope a field needs gets `FORBIDDEN` on that field, in a `200` answer, as GraphQL over HTTP
//! answers every error of execution. Too many writes: `429 Too Many Requests` with
//! `Retry-After`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::AppState;
use super::protocol::{self, MediaType};
use crate::auth::Caller;
use crate::graphql::Operation;
use crate::keys;

/// Why a presented key was not taken.
pub(super) enum Refused {
    /// Malformed, unknown or revoked: `401`.
    Unauthenticated(String),
    /// The database could not be asked: `503`, try again.
    Unavailable,
}

impl Refused {
    pub(super) fn message(&self) -> &str {
        match self {
            Refused::Unauthenticated(message) => message,
            Refused::Unavailable => "the API key could not be checked right now; retry",
        }
    }

    /// The HTTP answer.
    pub(super) fn response(&self, media: MediaType) -> Response {
        match self {
            Refused::Unauthenticated(message) => unauthenticated(message, media),
            Refused::Unavailable => protocol::error(
                StatusCode::SERVICE_UNAVAILABLE,
                self.message(),
                "SERVICE_UNAVAILABLE",
                media,
            ),
        }
    }
}

/// The key a request carries: `Caller(None)` without an `Authorization` header.
pub(super) async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Refused> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller(None));
    };
    let key = value
        .to_str()
        .ok()
        .and_then(|value| {
            let (scheme, key) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
        })
        .ok_or_else(|| {
            Refused::Unauthenticated("send the API key as `Authorization: Bearer <key>`".into())
        })?;
    presented(state, key).await
}

/// For what is served beside GraphQL — the roadmap diagrams, the SDL, the metrics — on a
/// server that needs keys for reads: the request must carry a valid key (with `needed` scope,
/// when given), or it is refused as GraphQL would refuse it. On other servers, anyone may.
pub(super) async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    needed: Option<keys::Scope>,
) -> Result<(), Box<Response>> {
    if !state.http.require_key_for_reads {
        return Ok(());
    }
    let media = MediaType::Json;
    let caller = caller(state, headers)
        .await
        .map_err(|refused| Box::new(refused.response(media)))?;
    let Some(principal) = caller.0 else {
        let message =
            "this server needs an API key for every request: send `Authorization: Bearer <key>`";
        return Err(Box::new(unauthenticated(message, media)));
    };
    if let Some(needed) = needed
        && principal.require(needed).is_err()
    {
        let message = format!("this needs a key with the `{}` scope", needed.name());
        return Err(Box::new(protocol::error(
            StatusCode::FORBIDDEN,
            &message,
            "FORBIDDEN",
            media,
        )));
    }
    Ok(())
}

/// The holder of a presented key.
pub(super) async fn presented(state: &AppState, key: &str) -> Result<Caller, Refused> {
    match keys::authenticate(&state.db, key).await {
        Ok(principal) => Ok(Caller(Some(principal))),
        Err(crate::Error::Rejected(rejection)) => Err(Refused::Unauthenticated(rejection.message)),
        Err(err) => {
            tracing::warn!(detail = %err.detail(), "could not check an API key");
            Err(Refused::Unavailable)
        }
    }
}

/// `401 Unauthorized` with `UNAUTHENTICATED`.
pub(super) fn unauthenticated(message: &str, media: MediaType) -> Response {
    let mut response = protocol::error(StatusCode::UNAUTHORIZED, message, "UNAUTHENTICATED", media);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"skillgraph\""),
    );
    response
}

/// Why operations may not run: what HTTP answers (status, `Retry-After`) and what a
/// WebSocket operation gets (the same message and code, as a GraphQL error).
pub(super) struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds to wait before retrying, for `429`.
    pub retry_after: Option<u64>,
}

impl Refusal {
    fn unauthenticated(message: &str) -> Self {
        Refusal {
            status: StatusCode::UNAUTHORIZED,
            code: "UNAUTHENTICATED",
            message: message.to_owned(),
            retry_after: None,
        }
    }

    /// The HTTP answer.
    pub(super) fn response(&self, media: MediaType) -> Response {
        if self.status == StatusCode::UNAUTHORIZED {
            return unauthenticated(&self.message, media);
        }
        let mut response = protocol::error(self.status, &self.message, self.code, media);
        if let Some(wait) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        }
        response
    }

    /// The answer to one operation of a WebSocket.
    pub(super) fn graphql(&self) -> async_graphql::Response {
        protocol::refusal(self.message.clone(), self.code)
    }
}

/// Whether operations may run as this caller from `address`, on any transport: keys where
/// they are needed, then the rate limits. A write costs one token per root mutation field
/// (300 aliased writes in one document are 300 writes), a read one per operation.
pub(super) fn check(
    state: &AppState,
    caller: &Caller,
    operations: &[&Operation],
    address: IpAddr,
) -> Result<(), Refusal> {
    let writes: usize = operations
        .iter()
        .filter(|operation| operation.is_mutation())
        .map(|operation| operation.root_fields)
        .sum();
    let reads = operations
        .iter()
        .filter(|operation| !operation.is_mutation())
        .count();
    let anonymous = caller.0.is_none();
    if anonymous && writes > 0 {
        let message = "mutations need an API key: send `Authorization: Bearer <key>`";
        return Err(Refusal::unauthenticated(message));
    }
    if anonymous && state.http.require_key_for_reads {
        let message =
            "this server needs an API key for every request: send `Authorization: Bearer <key>`";
        return Err(Refusal::unauthenticated(message));
    }
    let limits = [
        (&state.write_limiter, writes, "writes"),
        (&state.read_limiter, reads, "reads"),
    ];
    // The buckets' names are made only when a limit applies: reads are not limited unless
    // configured, and most requests are reads.
    let mut buckets = Vec::new();
    for (limiter, count, what) in limits {
        if count == 0 || limiter.burst().is_none() {
            continue;
        }
        if buckets.is_empty() {
            buckets.push(format!("address:{address}"));
            if let Some(principal) = &caller.0 {
                buckets.push(format!("key:{}", principal.name));
            }
        }
        take(limiter, &buckets, count, what)?;
    }
    Ok(())
}

/// [`check`] over HTTP: refuses with the response to send.
pub(super) fn admit(
    state: &AppState,
    caller: &Caller,
    operations: &[&Operation],
    address: IpAddr,
    media: MediaType,
) -> Result<(), Box<Response>> {
    check(state, caller, operations, address).map_err(|refusal| Box::new(refusal.response(media)))
}

/// Takes `count` tokens from each bucket of `limiter`, or refuses with `429`.
fn take(
    limiter: &RateLimiter,
    buckets: &[String],
    count: usize,
    what: &str,
) -> Result<(), Refusal> {
    let limited = |message: String, retry_after: Option<u64>| Refusal {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "RATE_LIMITED",
        message,
        retry_after,
    };
    if let Some(burst) = limiter.burst()
        && count > burst
    {
        let message =
            format!("one request may make at most {burst} {what}; send them in smaller requests");
        return Err(limited(message, None));
    }
    for bucket in buckets {
        if let Err(wait) = limiter.take(bucket, count) {
            let wait = wait.as_secs().max(1);
            let message = format!(
                "too many {what} from this {}; retry in {wait} s",
                bucket.split(':').next().unwrap_or("client"),
            );
            return Err(limited(message, Some(wait)));
        }
    }
    Ok(())
}

/// A token bucket per key and per address: `per_second` writes on average, `burst` at once.
/// Each replica counts its own requests.
#[derive(Clone)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Arc<Mutex<HashMap<String, (f64, Instant)>>>,
}

/// How many buckets are kept before the full ones are forgotten.
const MOST_BUCKETS: usize = 100_000;

impl RateLimiter {
    /// `per_second == 0` turns the limit off.
    pub fn new(per_second: u32, burst: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
            buckets: Arc::default(),
        }
    }

    /// The most tokens one request can take, `None` when the limit is off.
    pub fn burst(&self) -> Option<usize> {
        (self.per_second > 0.0).then_some(self.burst as usize)
    }

    /// Takes `n` tokens from `bucket`, or says how long until they are there.
    pub fn take(&self, bucket: &str, n: usize) -> Result<(), Duration> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MOST_BUCKETS {
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets
            .entry(bucket.to_owned())
            .or_insert((self.burst, now));
        let available =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        let wanted = n as f64;
        if available >= wanted {
            *tokens = available - wanted;
            *at = now;
            Ok(())
        } else {
            let missing = wanted - available;
            Err(Duration::from_secs_f64(missing / self.per_second).max(Duration::from_secs(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_holds_its_burst_and_refills() {
        let limiter = RateLimiter::new(1, 3);
        for _ in 0..3 {
            assert!(limiter.take("a", 1).is_ok());
        }
        let wait = limiter.take("a", 1).unwrap_err();
        assert!(wait >= Duration::from_secs(1));
        assert!(limiter.take("b", 1).is_ok(), "buckets are separate");
        assert!(
            RateLimiter::new(0, 0).take("a", 1_000).is_ok(),
            "0 turns it off"
        );
    }
}
