//! Load benchmark: generates a synthetic graph, starts the server in this process on an
//! ephemeral port, and drives it with concurrent HTTP clients, one query at a time.
//!
//! ```sh
//! cargo bench --bench load                                    # SQLite (a scratch file)
//! cargo bench --bench load -- --database-url postgres://postgres@127.0.0.1:5432/postgres
//! ```
//!
//! With a PostgreSQL URL the benchmark creates a scratch database on that server and drops it
//! afterwards; the database named in the URL is never touched. It prints, for each query,
//! requests per second, p50/p99 latency, SQL statements per request and the process's memory
//! (the server and the load generator share the process, so the figure is an upper bound for
//! the server).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use mimalloc::MiMalloc;
use sea_orm::{ConnectionTrait, Database};
use skillgraph::generator::{self, GraphSize};
use skillgraph::graphql::Limits;
use skillgraph::http::{AppState, router};

/// The same allocator as the `skillgraph` binary, so that the figures are the server's.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

#[derive(Parser, Debug)]
struct Options {
    /// `sqlite://...` (default: a scratch file) or a PostgreSQL server URL.
    #[arg(long)]
    database_url: Option<String>,
    /// Concurrent client connections.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Seconds of warm-up per query (not measured).
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Seconds of measurement per query.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Only these queries (N, D, F); all by default.
    #[arg(long, value_delimiter = ',')]
    queries: Vec<String>,
    #[command(flatten)]
    size: GraphSize,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

const QUERIES: [(&str, &str); 3] = [
    (
        "N",
        "{ roles(first: 50) { nodes { id name skills(first: 10) { edges { importance level node { id name slug } } } } } }",
    ),
    (
        "D",
        r#"{ role(slug: "role-1") { name skills(first: 10) { nodes { name languages(first: 5) { nodes { name frameworks(first: 5) { nodes { name } } } } } } } }"#,
    ),
    ("F", "{ roles(first: 10) { nodes { id name } } }"),
];

/// Where the scratch database lives, to remove it at the end.
enum Scratch {
    File(std::path::PathBuf),
    Postgres { server: String, name: String },
}

async fn scratch_database(url: Option<&str>) -> (String, Scratch) {
    match url {
        Some(url) if url.starts_with("postgres") => {
            let name = format!("skillgraph_bench_{}", std::process::id());
            let admin = Database::connect(url).await.expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                .await
                .expect("drop an old scratch database");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the scratch database");
            let mut scratch = url::Url::parse(url).expect("a PostgreSQL URL");
            scratch.set_path(&name);
            let server = url.to_owned();
            (scratch.to_string(), Scratch::Postgres { server, name })
        }
        _ => {
            let path =
                std::env::temp_dir().join(format!("skillgraph-bench-{}.db", std::process::id()));
            let _ = std::fs::remove_file(&path);
            (format!("sqlite://{}", path.display()), Scratch::File(path))
        }
    }
}

async fn remove(scratch: Scratch) {
    match scratch {
        Scratch::File(path) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        Scratch::Postgres { server, name } => {
            if let Ok(admin) = Database::connect(&server).await {
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = admin.execute_unprepared(&drop).await;
            }
        }
    }
}

/// `VmRSS` and `VmHWM` (peak) of this process, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Sends `query` from `concurrency` clients for `duration`; returns the latencies of the
/// successful requests and the number of failed ones.
async fn drive(
    endpoint: &str,
    query: &str,
    concurrency: usize,
    duration: Duration,
) -> (Vec<Duration>, u64) {
    let body = serde_json::to_vec(&serde_json::json!({ "query": query })).expect("JSON");
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    // One client: its pool keeps one keep-alive connection per concurrent task.
    let client = reqwest::Client::new();
    let mut clients = Vec::new();
    for _ in 0..concurrency {
        let (client, endpoint, body, stop, failures) = (
            client.clone(),
            endpoint.to_owned(),
            body.clone(),
            stop.clone(),
            failures.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let response = client
                    .post(&endpoint)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
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

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    let (url, scratch) = scratch_database(options.database_url.as_deref()).await;
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    let db = skillgraph::db::connect(&url).await.expect("connect");
    skillgraph::db::migrate(&db).await.expect("migrate");
    let started = Instant::now();
    let summary = generator::generate(&db, &options.size, true)
        .await
        .unwrap_or_else(|err| panic!("generate: {}", err.detail()));
    println!(
        "graph: {summary} ({backend}, generated in {:.1?})",
        started.elapsed()
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!("http://{}/graphql", listener.local_addr().expect("address"));
    let app = router(AppState::new(db.clone(), Limits::default()));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });

    println!(
        "{} clients, {}s warm-up, {}s measured per query\n",
        options.concurrency, options.warmup, options.duration
    );
    println!(
        "{:<6}{:>10}{:>10}{:>10}{:>16}{:>10}{:>10}{:>9}",
        "query", "req/s", "p50 ms", "p99 ms", "statements/req", "RSS MiB", "peak MiB", "errors"
    );
    for (name, query) in QUERIES {
        if !options.queries.is_empty() && !options.queries.iter().any(|q| q == name) {
            continue;
        }
        let concurrency = options.concurrency;
        drive(
            &endpoint,
            query,
            concurrency,
            Duration::from_secs(options.warmup),
        )
        .await;
        let statements = db.statements.get();
        let duration = Duration::from_secs(options.duration);
        let (mut latencies, failures) = drive(&endpoint, query, concurrency, duration).await;
        let statements = db.statements.get() - statements;
        let (rss, peak) = memory();
        latencies.sort();
        let requests = latencies.len() as f64;
        println!(
            "{:<6}{:>10.0}{:>10.2}{:>10.2}{:>16.2}{:>10.1}{:>10.1}{:>9}",
            name,
            requests / duration.as_secs_f64(),
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            statements as f64 / (requests + failures as f64).max(1.0),
            rss,
            peak,
            failures
        );
    }
    remove(scratch).await;
}
