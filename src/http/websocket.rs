//! Subscriptions (and queries and mutations) over a WebSocket at `/graphql`, in both
//! subprotocols: `graphql-transport-ws` and the legacy `graphql-ws` that GraphQL Playground
//! speaks. async-graphql (through async-graphql-axum's `GraphQLWebSocket`) runs the protocol;
//! around it this module keeps a socket from holding the server for nothing:
//!
//! - the key comes in the `connection_init` payload, as `{"Authorization": "Bearer <key>"}`,
//!   and is checked again before every operation, so a revoked key stops at once;
//! - `connection_init` must come within `websocket_init_timeout` (else `4408`), and the
//!   server pings every `websocket_keepalive`; a peer silent for `websocket_idle_timeout`
//!   (no message, no pong) is closed (`1001`);
//! - a message larger than the HTTP body limit closes the socket (`1009`);
//! - each replica takes at most `max_websockets` connections (more: `503`), and at most
//!   `max_websockets_per_address` from one client address (more: `429`); each connection runs
//!   at most `max_socket_operations` operations at once, queries included, of which
//!   `max_subscriptions` subscriptions (more: an `OPERATION_LIMIT` or `SUBSCRIPTION_LIMIT`
//!   error);
//! - an operation may name its document as over HTTP (`extensions.persistedQuery`, or
//!   `documentId` in the subscribe message's payload), and on a server with trusted documents
//!   only those run, checked where every way in is checked (`graphql/mod.rs`);
//! - on `graphql-transport-ws`, the close codes are the ones its protocol document gives:
//!   `4400` for a message that is not one, `4401` for a subscribe before the acknowledgement,
//!   `4403` for a refused `connection_init`, `4408` for none in time, `4409` for a subscriber
//!   ID already in use, `4429` for a second `connection_init`. async-graphql says `1002` and
//!   `1011` for the first three and nothing of the others, hence the watch kept here.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::futures_util::stream::{self, BoxStream, SplitSink, StreamExt};
use async_graphql::futures_util::{SinkExt, sink};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{FromRequestParts, WebSocketUpgrade};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

use super::access::Refusal;
use super::{AppState, access, protocol};
use crate::auth::Caller;
use crate::graphql::{Operation, add_codes};

/// The answer to a refused upgrade.
fn refuse(status: StatusCode, message: &str) -> Response {
    (status, message.to_owned()).into_response()
}

/// Whether the client asked for `graphql-transport-ws` (rather than the legacy `graphql-ws`),
/// as async-graphql-axum picks: the first subprotocol it knows.
fn speaks_transport_ws(parts: &Parts) -> bool {
    parts
        .headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .find(|protocol| ALL_WEBSOCKET_PROTOCOLS.contains(protocol))
        == Some("graphql-transport-ws")
}

/// Upgrades a `GET /graphql` from `address` to a GraphQL WebSocket.
pub(super) async fn upgrade(state: AppState, parts: &mut Parts, address: IpAddr) -> Response {
    let upgrade = match WebSocketUpgrade::from_request_parts(parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let Ok(protocol) = GraphQLProtocol::from_request_parts(parts, &state).await else {
        let message = "ask for the graphql-transport-ws or graphql-ws subprotocol";
        return refuse(StatusCode::BAD_REQUEST, message);
    };
    let transport_ws = speaks_transport_ws(parts);
    if !state.is_prepared() {
        let message = "the service is starting or its database is unreachable, please retry";
        return refuse(StatusCode::SERVICE_UNAVAILABLE, message);
    }
    let Some(from_address) = state.socket_addresses.enter(address) else {
        let message = "this client address has as many WebSocket connections as it may; close one";
        return refuse(StatusCode::TOO_MANY_REQUESTS, message);
    };
    let Ok(permit) = state.websockets.clone().try_acquire_owned() else {
        let message = "this server has as many WebSocket connections as it takes; retry later";
        return refuse(StatusCode::SERVICE_UNAVAILABLE, message);
    };
    let most = state.http.max_body_bytes;
    let executor = SocketExecutor {
        state: state.clone(),
        address,
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(most)
        .max_frame_size(most)
        .on_upgrade(move |socket| async move {
            serve(state, socket, protocol, transport_ws, executor).await;
            drop((permit, from_address));
        })
}

/// What the guard around the protocol has seen of a connection.
#[derive(Default)]
struct Watch {
    /// The client has sent `connection_init`.
    init_sent: AtomicBool,
    /// The server has acknowledged it.
    acked: AtomicBool,
    /// The subscriber IDs in use.
    running: Mutex<HashSet<String>>,
    /// The close frame to send once the protocol has stopped, when the guard stopped it.
    close: Mutex<Option<(u16, &'static str)>>,
}

impl Watch {
    fn close_with(&self, code: u16, reason: &'static str) {
        if let Ok(mut close) = self.close.lock() {
            close.get_or_insert((code, reason));
        }
    }

    fn ended(&self, id: &str) {
        if let Ok(mut running) = self.running.lock() {
            running.remove(id);
        }
    }
}

/// The `type` and `id` of a protocol message, when it is JSON with a string `type`.
fn kind_and_id(text: &str) -> Option<(String, Option<String>)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let kind = value.get("type")?.as_str()?.to_owned();
    let id = value
        .get("id")
        .and_then(|id| id.as_str())
        .map(str::to_owned);
    Some((kind, id))
}

/// A subscribe message whose payload names its document by `documentId`, with the id moved
/// into the payload's `extensions`, where the HTTP parameters put it too and `persisted.rs`
/// reads it: async-graphql reads the payload into its request, which has no place for it.
/// `None` for any other message, which goes on as it came.
fn with_document_id_in_extensions(text: &str) -> Option<String> {
    if !text.contains("documentId") {
        return None;
    }
    let mut message: serde_json::Value = serde_json::from_str(text).ok()?;
    let payload = message.get_mut("payload")?.as_object_mut()?;
    let id = payload.remove("documentId")?;
    let extensions = payload
        .entry("extensions")
        .or_insert_with(|| serde_json::Value::Object(Default::default()));
    if extensions.is_null() {
        *extensions = serde_json::Value::Object(Default::default());
    }
    extensions.as_object_mut()?.insert("documentId".into(), id);
    Some(message.to_string())
}

/// The close code `graphql-transport-ws` gives to what async-graphql closes with.
fn transport_ws_code(code: u16, watch: &Watch) -> u16 {
    let acked = watch.acked.load(Ordering::Acquire);
    match code {
        // A refused `connection_init` (the init future answers before any further message is
        // read), or else a message that could not be read.
        1002 if watch.init_sent.load(Ordering::Acquire) && !acked => 4403,
        1002 => 4400,
        // "The handshake is not completed": a subscribe before the acknowledgement.
        1011 => 4401,
        other => other,
    }
}

/// Serves one connection: the protocol, with the guard's input and output around it, and the
/// keep-alive pings beside it.
async fn serve(
    state: AppState,
    socket: WebSocket,
    protocol: GraphQLProtocol,
    transport_ws: bool,
    executor: SocketExecutor,
) {
    let (sink, input) = socket.split();
    let sink = Arc::new(tokio::sync::Mutex::new(sink));
    let watch = Arc::new(Watch::default());
    let http = &state.http;
    let input = guarded_input(
        input,
        watch.clone(),
        transport_ws,
        http.websocket_init_timeout,
        http.websocket_idle_timeout,
    );
    let output = sink::unfold(
        (sink.clone(), watch.clone()),
        move |(sink, watch), message: Message| async move {
            let message = observed(message, &watch, transport_ws);
            sink.lock().await.send(message).await?;
            Ok::<_, axum::Error>((sink, watch))
        },
    );
    let pings = keepalive(sink.clone(), http.websocket_keepalive);
    let session = GraphQLWebSocket::new_with_pair(output, input, executor, protocol)
        .on_connection_init(move |payload| connection_data(state, payload))
        .serve();
    tokio::select! {
        () = session => {}
        () = pings => {}
    }
    let close = watch.close.lock().ok().and_then(|mut close| close.take());
    if let Some((code, reason)) = close {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = sink.lock().await.send(Message::Close(Some(frame))).await;
    }
}

/// Notes what the server sends (the acknowledgement, the end of an operation) and gives
/// close frames the codes of the client's protocol.
fn observed(message: Message, watch: &Watch, transport_ws: bool) -> Message {
    match message {
        Message::Text(text) => {
            if let Some((kind, id)) = kind_and_id(text.as_str()) {
                match (kind.as_str(), id) {
                    ("connection_ack", _) => watch.acked.store(true, Ordering::Release),
                    ("complete" | "error", Some(id)) => watch.ended(&id),
                    _ => {}
                }
            }
            Message::Text(text)
        }
        Message::Close(Some(frame)) => {
            let code = if transport_ws {
                transport_ws_code(frame.code, watch)
            } else {
                frame.code
            };
            Message::Close(Some(CloseFrame {
                code,
                reason: close_reason(frame.reason.as_str()).into(),
            }))
        }
        other => other,
    }
}

/// A close frame's reason cut to the 123 bytes a frame may carry (at a character boundary):
/// a longer one, like a JSON parser's message, would fail to send and drop the connection
/// without its code.
fn close_reason(reason: &str) -> String {
    const MOST: usize = 123;
    let mut end = reason.len().min(MOST);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}

/// Pings the peer every `every`; ends when the socket cannot be written to.
async fn keepalive(sink: Arc<tokio::sync::Mutex<SplitSink<WebSocket, Message>>>, every: Duration) {
    let mut ticks = tokio::time::interval_at(Instant::now() + every, every);
    loop {
        ticks.tick().await;
        let sent = sink
            .lock()
            .await
            .send(Message::Ping(axum::body::Bytes::new()))
            .await;
        if sent.is_err() {
            return;
        }
    }
}

/// The client's messages as the protocol should see them. Ends the connection (leaving the
/// close frame in the watch) on a message too large, no `connection_init` in time, silence
/// past the idle timeout, and, on `graphql-transport-ws`, a subscriber ID already in use.
fn guarded_input(
    input: stream::SplitStream<WebSocket>,
    watch: Arc<Watch>,
    transport_ws: bool,
    init_timeout: Duration,
    idle_timeout: Duration,
) -> BoxStream<'static, Result<Message, axum::Error>> {
    let opened = Instant::now();
    let state = (input, watch, Instant::now());
    stream::unfold(state, move |(mut input, watch, mut heard)| async move {
        loop {
            let acked = watch.acked.load(Ordering::Acquire);
            let deadline = if acked {
                heard + idle_timeout
            } else {
                (opened + init_timeout).min(heard + idle_timeout)
            };
            let message = tokio::select! {
                message = input.next() => message,
                () = tokio::time::sleep_until(deadline) => {
                    let now = Instant::now();
                    if !watch.acked.load(Ordering::Acquire) && now >= opened + init_timeout {
                        watch.close_with(4408, "Connection initialisation timeout");
                        return None;
                    }
                    if now >= heard + idle_timeout {
                        watch.close_with(1001, "no message or pong within the idle timeout");
                        return None;
                    }
                    continue;
                }
            };
            heard = Instant::now();
            let message = match message {
                Some(Ok(message)) => message,
                Some(Err(_)) => {
                    watch.close_with(1009, "the message is larger than the server takes");
                    return None;
                }
                None => return None,
            };
            if let Message::Text(text) = &message
                && let Some((kind, id)) = kind_and_id(text.as_str())
            {
                match (kind.as_str(), id) {
                    ("connection_init", _) => watch.init_sent.store(true, Ordering::Release),
                    ("subscribe" | "start", Some(id)) => {
                        let fresh = watch
                            .running
                            .lock()
                            .map(|mut running| running.insert(id.clone()))
                            .unwrap_or(true);
                        if !fresh && transport_ws {
                            watch.close_with(4409, "Subscriber for that ID already exists");
                            return None;
                        }
                        if let Some(carried) = with_document_id_in_extensions(text.as_str()) {
                            return Some((
                                Ok(Message::Text(carried.into())),
                                (input, watch, heard),
                            ));
                        }
                    }
                    ("complete" | "stop", Some(id)) => watch.ended(&id),
                    _ => {}
                }
            }
            return Some((Ok(message), (input, watch, heard)));
        }
    })
    .boxed()
}

/// The connection's data, from its `connection_init` payload: the key it presented (checked
/// now, and again before each operation), and its counts of running operations. A bad key
/// refuses the connection.
async fn connection_data(
    state: AppState,
    payload: serde_json::Value,
) -> async_graphql::Result<Data> {
    let authorization = ["Authorization", "authorization"]
        .iter()
        .find_map(|name| payload.get(name).and_then(|value| value.as_str()));
    let key = match authorization {
        None => None,
        Some(value) => {
            let key = value
                .trim()
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, key)| key.trim().to_owned())
                .ok_or_else(|| async_graphql::Error::new("send `Authorization: Bearer <key>`"))?;
            access::presented(&state, &key)
                .await
                .map_err(|refused| async_graphql::Error::new(refused.message()))?;
            Some(key)
        }
    };
    if key.is_none() && state.http.require_key_for_reads {
        return Err(async_graphql::Error::new(
            "this server needs an API key: put `Authorization: Bearer <key>` in connection_init",
        ));
    }
    let mut data = Data::default();
    data.insert(PresentedKey(key.map(Arc::from)));
    data.insert(Running::default());
    Ok(data)
}

/// The key a connection presented in `connection_init`, if any.
#[derive(Clone, Default)]
struct PresentedKey(Option<Arc<str>>);

/// How many operations, and of them subscriptions, a connection has running.
#[derive(Clone, Default)]
struct Running {
    operations: Arc<AtomicUsize>,
    subscriptions: Arc<AtomicUsize>,
}

/// A place in one of [`Running`]'s counts, given back when the operation's stream ends or is
/// dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    /// Takes a place in `count` if fewer than `most` are taken.
    fn take(count: &Arc<AtomicUsize>, most: usize) -> Option<Slot> {
        if count.fetch_add(1, Ordering::AcqRel) >= most {
            count.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Slot(count.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The WebSocket connections each client address holds, for `max_websockets_per_address`.
#[derive(Clone, Debug, Default)]
pub struct SocketAddresses {
    most: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One connection counted for its address until dropped.
pub(super) struct FromAddress {
    address: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl SocketAddresses {
    pub fn new(most: usize) -> Self {
        SocketAddresses {
            most,
            open: Arc::default(),
        }
    }

    /// Counts a new connection from `address`, unless it already has the most it may.
    fn enter(&self, address: IpAddr) -> Option<FromAddress> {
        let mut open = self.open.lock().ok()?;
        let count = open.entry(address).or_insert(0);
        if *count >= self.most {
            return None;
        }
        *count += 1;
        Some(FromAddress {
            address,
            open: self.open.clone(),
        })
    }
}

impl Drop for FromAddress {
    fn drop(&mut self) {
        if let Ok(mut open) = self.open.lock()
            && let Some(count) = open.get_mut(&self.address)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Runs a connection's operations through the same schema, limits and loaders as HTTP.
#[derive(Clone)]
struct SocketExecutor {
    state: AppState,
    address: IpAddr,
}

/// The connection's data of type `T`, if it has any.
fn session_data<T: Clone + Send + Sync + 'static>(session: Option<&Data>) -> Option<T> {
    session?
        .get(&std::any::TypeId::of::<T>())?
        .downcast_ref::<T>()
        .cloned()
}

/// One error as the whole answer to an operation.
fn refused(response: async_graphql::Response) -> BoxStream<'static, async_graphql::Response> {
    stream::once(async move { response }).boxed()
}

impl SocketExecutor {
    /// Who the connection's key belongs to now: a key revoked since `connection_init` runs
    /// nothing more.
    async fn caller(&self, key: &PresentedKey) -> Result<Caller, Box<async_graphql::Response>> {
        let Some(key) = &key.0 else {
            return Ok(Caller(None));
        };
        access::presented(&self.state, key)
            .await
            .map_err(|refused| {
                let code = match refused {
                    access::Refused::Unavailable => "SERVICE_UNAVAILABLE",
                    access::Refused::Unauthenticated(_) => "UNAUTHENTICATED",
                };
                Box::new(protocol::refusal(refused.message(), code))
            })
    }

    /// Takes the operation's places in the connection's counts, in the order operations
    /// arrive; the refusal when the connection runs as many as it may.
    fn places(
        &self,
        operation: &Operation,
        session: Option<&Data>,
    ) -> Result<(Slot, Option<Slot>), Box<async_graphql::Response>> {
        let running: Running = session_data(session).unwrap_or_default();
        let http = &self.state.http;
        let Some(slot) = Slot::take(&running.operations, http.max_socket_operations) else {
            let most = http.max_socket_operations;
            let message = format!("a connection may run at most {most} operations at once");
            return Err(Box::new(protocol::refusal(message, "OPERATION_LIMIT")));
        };
        if operation.kind != Some(OperationType::Subscription) {
            return Ok((slot, None));
        }
        let most = http.max_subscriptions;
        match Slot::take(&running.subscriptions, most) {
            Some(subscription) => Ok((slot, Some(subscription))),
            None => {
                let message = format!("a connection may run at most {most} subscriptions");
                Err(Box::new(protocol::refusal(message, "SUBSCRIPTION_LIMIT")))
            }
        }
    }

    /// Checks the key and the rate limits, then runs the operation; `places` are held until
    /// its stream ends.
    async fn run(
        self,
        request: async_graphql::Request,
        operation: Operation,
        places: (Slot, Option<Slot>),
        session: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        let key: PresentedKey = session_data(session.as_deref()).unwrap_or_default();
        let caller = match self.caller(&key).await {
            Ok(caller) => caller,
            Err(response) => return refused(*response),
        };
        if let Err(refusal) = access::check(&self.state, &caller, &[&operation], self.address) {
            return refused(Refusal::graphql(&refusal));
        }
        let request = request.data(caller);
        self.state
            .api
            .execute_stream(request, session)
            .map(move |mut response| {
                let _places = &places;
                if response.is_err() {
                    add_codes(&mut response, &operation);
                }
                response
            })
            .boxed()
    }
}

impl Executor for SocketExecutor {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        self.state.api.execute(request).await
    }

    fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        // A socket's documents are named as over HTTP, but none is remembered: an automatic
        // persisted query is for URLs, which a socket's operations do not have.
        let persisted = &self.state.persisted;
        if let Err(error) = persisted.resolve(self.state.api.trusted(), &mut request) {
            return refused(error.to_response());
        }
        let operation = Operation::of(&mut request);
        let places = match self.places(&operation, session.as_deref()) {
            Ok(places) => places,
            Err(response) => return refused(*response),
        };
        let executor = self.clone();
        stream::once(executor.run(request, operation, places, session))
            .flatten()
            .boxed()
    }
}
