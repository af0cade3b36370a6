//! The load: concurrent clients sending one query (or a few in turn), run in a child process
//! that reports its figures to the server's process.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::common::{child, percentile};
use crate::options::Options;
use crate::queries::TURNS;

/// Sends `query` from `concurrency` clients for `duration`; returns the latencies of the
/// successful requests and the number of failed ones.
async fn drive(
    endpoint: &str,
    query: &str,
    key: Option<&str>,
    concurrency: usize,
    duration: Duration,
) -> (Vec<Duration>, u64) {
    let authorization = key.map(|key| format!("Bearer {key}")).unwrap_or_default();
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        query
            .split(TURNS)
            .map(|query| {
                // A whole request body (with variables), or a query alone.
                if query.starts_with("{\"") {
                    query.as_bytes().to_vec()
                } else {
                    serde_json::to_vec(&serde_json::json!({ "query": query })).expect("JSON")
                }
            })
            .collect(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    // One client: its pool keeps one keep-alive connection per concurrent task.
    let client = reqwest::Client::new();
    let mut clients = Vec::new();
    for _ in 0..concurrency {
        let (client, endpoint, bodies, stop, failures, authorization) = (
            client.clone(),
            endpoint.to_owned(),
            bodies.clone(),
            stop.clone(),
            failures.clone(),
            authorization.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut turn = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = &bodies[turn % bodies.len()];
                turn += 1;
                let started = Instant::now();
                let mut request = client
                    .post(&endpoint)
                    .header("content-type", "application/json");
                if !authorization.is_empty() {
                    request = request.header("authorization", &authorization);
                }
                let response = request.body(body.clone()).send().await;
                let ok = match response {
                    Ok(response) if response.status().is_success() => response
                        .bytes()
                        .await
                        .is_ok_and(|bytes| bytes.starts_with(b"{\"data\"")),
                    _ => false,
                };
                if ok {
                    latencies.push(started.elapsed());
                } else {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await.unwrap_or_default());
    }
    (latencies, failures.load(Ordering::Relaxed))
}

/// What a load-generating child reports.
#[derive(Serialize, Deserialize)]
pub struct Figures {
    pub requests: u64,
    pub failures: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// The child side of `--drive`: runs the load and prints its figures.
pub async fn drive_and_report(
    endpoint: &str,
    query: &str,
    key: Option<&str>,
    concurrency: usize,
    duration: Duration,
) {
    let (mut latencies, failures) = drive(endpoint, query, key, concurrency, duration).await;
    latencies.sort();
    let figures = Figures {
        requests: latencies.len() as u64,
        failures,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
    };
    println!("{}", serde_json::to_string(&figures).expect("JSON"));
}

/// Drives `query` from a child process for `seconds`.
pub async fn drive_from_child(
    options: &Options,
    endpoint: &str,
    query: &str,
    seconds: u64,
) -> Figures {
    let args = vec![
        "--drive".to_owned(),
        endpoint.to_owned(),
        "--query".to_owned(),
        query.to_owned(),
        "--concurrency".to_owned(),
        options.concurrency.to_string(),
        "--duration".to_owned(),
        seconds.to_string(),
    ];
    // Only the writes carry the key, as an anonymous frontend's reads carry none (a request
    // with a key pays for checking it: one indexed lookup).
    let mut args = args;
    if let Some(key) = options
        .key
        .as_ref()
        .filter(|_| query.starts_with("mutation"))
    {
        args.extend(["--key".to_owned(), key.clone()]);
    }
    let printed = child(args).await;
    serde_json::from_str(printed.trim()).expect("the child's figures")
}
