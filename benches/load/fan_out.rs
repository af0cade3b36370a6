//! The fan-out of a change: WebSocket subscribers of `catalogChanged`, one mutation, and the
//! time until each has the event.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::common::{child, percentile};

/// Subscribes `subscribers` WebSocket clients to `endpoint` from a child process, sends
/// `write` with `key` once, and prints when the clients had the event.
pub async fn measure(endpoint: &str, key: &str, write: &str, subscribers: usize) {
    let args = vec![
        "--fan-out".to_owned(),
        endpoint.to_owned(),
        "--query".to_owned(),
        write.to_owned(),
        "--key".to_owned(),
        key.to_owned(),
        "--subscribers".to_owned(),
        subscribers.to_string(),
    ];
    let printed = child(args).await;
    let fan_out: FanOut = serde_json::from_str(printed.trim()).expect("the child's figures");
    println!(
        "\nfan-out: {subscribers} WebSocket subscribers, one change: {} received it; \
         after {:.1} ms (p50), {:.1} ms (p99), {:.1} ms (the last)",
        fan_out.received, fan_out.p50_ms, fan_out.p99_ms, fan_out.max_ms
    );
}

/// What the fan-out child reports.
#[derive(Serialize, Deserialize)]
struct FanOut {
    received: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

/// The child side of `--fan-out`: `subscribers` sockets subscribe to `catalogChanged`, one
/// mutation is sent, and each socket's time from sending it to the event is measured.
pub async fn fan_out(endpoint: &str, key: &str, write: &str, subscribers: usize) {
    use async_graphql::futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    let url = endpoint.replace("http://", "ws://");
    let mut sockets = Vec::with_capacity(subscribers);
    for _ in 0..subscribers {
        let mut request = url.as_str().into_client_request().expect("a request");
        let protocol = "graphql-transport-ws".parse().expect("a header");
        request
            .headers_mut()
            .insert("sec-websocket-protocol", protocol);
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("connect");
        let init = serde_json::json!({"type": "connection_init", "payload": {}});
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .expect("init");
        let _ack = socket.next().await;
        let subscribe = serde_json::json!({"id": "1", "type": "subscribe",
            "payload": {"query": "subscription { catalogChanged { revision slug } }"}});
        socket
            .send(Message::Text(subscribe.to_string().into()))
            .await
            .expect("subscribe");
        sockets.push(socket);
    }
    // The protocol does not acknowledge a subscription: let the server start them all.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = Instant::now();
    let waiting: Vec<_> = sockets
        .into_iter()
        .map(|mut socket| {
            tokio::spawn(async move {
                while let Ok(Some(Ok(message))) =
                    tokio::time::timeout(Duration::from_secs(10), socket.next()).await
                {
                    if let Message::Text(text) = message
                        && text.contains("\"next\"")
                    {
                        return Some(sent.elapsed());
                    }
                }
                None
            })
        })
        .collect();
    let body = serde_json::json!({ "query": write });
    let response = reqwest::Client::new()
        .post(endpoint)
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .expect("the change");
    assert!(response.status().is_success(), "the change failed");
    let mut latencies = Vec::new();
    for waiting in waiting {
        if let Ok(Some(latency)) = waiting.await {
            latencies.push(latency);
        }
    }
    latencies.sort();
    let figures = FanOut {
        received: latencies.len(),
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies
            .last()
            .map_or(f64::NAN, |last| last.as_secs_f64() * 1000.0),
    };
    println!("{}", serde_json::to_string(&figures).expect("JSON"));
}
