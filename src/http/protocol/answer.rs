//! Sending GraphQL answers: the status code and media type each one gets.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::MediaType;

/// Whether an answer is a request error: nothing was executed, every error is about the
/// request as a whole (no `path`).
pub fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// One answer in the shape the specification gives it: no `data` entry when nothing ran.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [async_graphql::ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

impl<'a> Body<'a> {
    fn of(response: &'a async_graphql::Response) -> Self {
        Body {
            data: (!is_request_error(response)).then_some(&response.data),
            errors: &response.errors,
            extensions: &response.extensions,
        }
    }
}

/// Sends an executed (or refused) GraphQL answer as `media`, if it takes at most
/// `most_bytes` (see [`send`]).
pub fn answer(response: &async_graphql::Response, media: MediaType, most_bytes: usize) -> Response {
    let body = Body::of(response);
    let executed = body.data.is_some();
    let status = if media == MediaType::GraphQLResponseJson && !executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    send(status, &body, media, most_bytes)
}

/// Sends the answers to a batch, in the order of its operations. The status is `200`: each
/// operation's errors are in its own answer.
pub fn answer_batch(
    responses: &[async_graphql::Response],
    media: MediaType,
    most_bytes: usize,
) -> Response {
    let bodies: Vec<Body> = responses.iter().map(Body::of).collect();
    send(StatusCode::OK, &bodies, media, most_bytes)
}

/// A buffer that refuses to grow past its limit, so that an answer over the limit stops being
/// written the moment it passes it rather than once it is whole.
struct Bounded {
    bytes: Vec<u8>,
    most: usize,
}

impl std::io::Write for Bounded {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    /// The JSON writer writes every token with `write_all`: one check and one copy, without
    /// the default's loop. Always inlined, with the refusal out of line, so that the JSON
    /// writer's one-byte writes (quotes, colons, commas, brackets) are a store each, as a
    /// plain `Vec`'s are, and not a call and a `memcpy`.
    #[inline(always)]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.bytes.len() + buf.len() > self.most {
            return Err(over_limit());
        }
        self.bytes.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The error that stops an answer over its limit: built once per answer at most, so kept out
/// of [`Bounded::write_all`]'s inlined body.
#[cold]
#[inline(never)]
fn over_limit() -> std::io::Error {
    std::io::Error::other("the answer is over its limit")
}

/// Writes `body` as JSON, unless it would take more than `most_bytes`: the cost limit keeps
/// answers far below that, so this is the last guard, answered `ANSWER_TOO_LARGE`.
fn send(
    status: StatusCode,
    body: &impl Serialize,
    media: MediaType,
    most_bytes: usize,
) -> Response {
    let bounded = Bounded {
        bytes: Vec::with_capacity(128),
        most: most_bytes,
    };
    // The writer by value, not through `&mut`, so that its `write_all` is inlined into the
    // JSON writer and the guard costs next to nothing.
    let mut serializer = serde_json::Serializer::new(bounded);
    match body.serialize(&mut serializer) {
        Ok(()) => (
            status,
            [(header::CONTENT_TYPE, media.content_type())],
            serializer.into_inner().bytes,
        )
            .into_response(),
        Err(err) if err.is_io() => {
            let body = json!({
                "data": null,
                "errors": [{
                    "message": format!(
                        "the answer would be larger than {most_bytes} bytes; ask for fewer or \
                         smaller pages"
                    ),
                    "extensions": { "code": "ANSWER_TOO_LARGE", "limit": most_bytes },
                }],
            });
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, media.content_type())],
                body.to_string(),
            )
                .into_response()
        }
        Err(err) => {
            tracing::error!(%err, "could not serialize a response");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal server error",
                "INTERNAL_SERVER_ERROR",
                media,
            )
        }
    }
}

/// A GraphQL response of one error with a code, for a request refused before it ran.
pub fn refusal(message: impl Into<String>, code: &str) -> async_graphql::Response {
    let mut error = async_graphql::ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    async_graphql::Response::from_errors(vec![error])
}

/// An answer made of one error, outside GraphQL execution.
pub fn error(status: StatusCode, message: &str, code: &str, media: MediaType) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        body.to_string(),
    )
        .into_response()
}
