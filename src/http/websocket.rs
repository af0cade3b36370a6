//! Subscriptions (and queries and mutations) over a WebSocket at `/graphql`, served by
//! async-graphql-axum in both subprotocols: `graphql-transport-ws` and the legacy
//! `graphql-ws` that GraphQL Playground speaks.
//!
//! The key comes in the `connection_init` payload, as `{"Authorization": "Bearer <key>"}`.
//! Each replica takes at most `max_websockets` connections (more: `503`), and each connection
//! at most `max_subscriptions` subscriptions at once (more: a `SUBSCRIPTION_LIMIT` error).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{FromRequestParts, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::{AppState, access, protocol};
use crate::graphql::{Caller, Operation, add_codes, request_loader};

/// The answer to a refused upgrade.
fn refuse(status: StatusCode, message: &str) -> Response {
    (status, message.to_owned()).into_response()
}

/// Upgrades a `GET /graphql` to a GraphQL WebSocket.
pub(super) async fn upgrade(state: AppState, parts: &mut Parts) -> Response {
    let upgrade = match WebSocketUpgrade::from_request_parts(parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let Ok(protocol) = GraphQLProtocol::from_request_parts(parts, &state).await else {
        let message = "ask for the graphql-transport-ws or graphql-ws subprotocol";
        return refuse(StatusCode::BAD_REQUEST, message);
    };
    if !state.is_prepared() {
        let message = "the service is starting or its database is unreachable, please retry";
        return refuse(StatusCode::SERVICE_UNAVAILABLE, message);
    }
    let Ok(permit) = state.websockets.clone().try_acquire_owned() else {
        let message = "this server has as many WebSocket connections as it takes; retry later";
        return refuse(StatusCode::SERVICE_UNAVAILABLE, message);
    };
    let executor = SocketExecutor {
        state: state.clone(),
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            GraphQLWebSocket::new(socket, executor, protocol)
                .on_connection_init(move |payload| connection_data(state, payload))
                .serve()
                .await;
            drop(permit);
        })
}

/// How many subscriptions a connection has running.
#[derive(Clone, Default)]
struct Running(Arc<AtomicUsize>);

/// Decrements [`Running`] when a subscription's stream ends or is dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The connection's data, from its `connection_init` payload: who it is, and its count of
/// running subscriptions. A bad key refuses the connection.
async fn connection_data(
    state: AppState,
    payload: serde_json::Value,
) -> async_graphql::Result<Data> {
    let authorization = ["Authorization", "authorization"]
        .iter()
        .find_map(|name| payload.get(name).and_then(|value| value.as_str()));
    let caller = match authorization {
        None => Caller(None),
        Some(value) => {
            let key = value
                .trim()
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, key)| key.trim())
                .ok_or_else(|| async_graphql::Error::new("send `Authorization: Bearer <key>`"))?;
            access::presented(&state, key)
                .await
                .map_err(|refused| async_graphql::Error::new(refused.message()))?
        }
    };
    if caller.0.is_none() && state.http.require_key_for_reads {
        return Err(async_graphql::Error::new(
            "this server needs an API key: put `Authorization: Bearer <key>` in connection_init",
        ));
    }
    let mut data = Data::default();
    data.insert(caller);
    data.insert(Running::default());
    Ok(data)
}

/// Runs a connection's operations through the same schema, limits and loaders as HTTP.
#[derive(Clone)]
struct SocketExecutor {
    state: AppState,
}

/// The connection's data of type `T`, if it has any.
fn session_data<T: Clone + Send + Sync + 'static>(session: Option<&Data>) -> Option<T> {
    session?
        .get(&std::any::TypeId::of::<T>())?
        .downcast_ref::<T>()
        .cloned()
}

impl Executor for SocketExecutor {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let request = request.data(request_loader(self.state.db.clone()));
        self.state.api.execute(request).await
    }

    fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        let operation = Operation::of(&mut request);
        let caller: Caller = session_data(session.as_deref()).unwrap_or_default();
        let mut slot = None;
        match operation.kind {
            Some(OperationType::Subscription) => {
                let running: Running = session_data(session.as_deref()).unwrap_or_default();
                let most = self.state.http.max_subscriptions;
                if running.0.fetch_add(1, Ordering::AcqRel) >= most {
                    running.0.fetch_sub(1, Ordering::AcqRel);
                    let message = format!("a connection may run at most {most} subscriptions");
                    return stream::once(async move {
                        protocol::refusal(message, "SUBSCRIPTION_LIMIT")
                    })
                    .boxed();
                }
                slot = Some(Slot(running.0));
            }
            Some(OperationType::Mutation) => {
                if let Some(principal) = &caller.0
                    && let Err(wait) = self
                        .state
                        .write_limiter
                        .take(&format!("key:{}", principal.name), 1)
                {
                    let message = format!("too many writes; retry in {} s", wait.as_secs().max(1));
                    return stream::once(async move { protocol::refusal(message, "RATE_LIMITED") })
                        .boxed();
                }
            }
            _ => {}
        }
        let request = request.data(request_loader(self.state.db.clone()));
        self.state
            .api
            .execute_stream(request, session)
            .map(move |mut response| {
                let _slot = &slot;
                if response.is_err() {
                    add_codes(&mut response, &operation);
                }
                response
            })
            .boxed()
    }
}
