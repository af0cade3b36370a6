//! Hostile clients: how the server holds up while two clients send it, over and over, the most
//! expensive requests its default limits admit.
//!
//! The benchmark first measures candidates for "most expensive" (see [`candidates`]): each is
//! sent once, alone, to a fresh server, which gives its CPU time, the size of its answer and
//! the server's peak resident memory. The candidate that costs the most CPU time, and of the
//! others the one that needs the most memory, are then sent in a loop on two connections (one
//! each) for `--duration` seconds, while a third client asks for `/health` and for a small
//! query (`{ roles(first: 10) { nodes { id name } } }`) every `--interval-ms`, first alone for
//! `--alone` seconds, then under the hostile load. It prints p50, p99 and the longest latency
//! of each, the server's CPU time and resident memory (now and at its peak), and whether the
//! targets are met: p99 under 100 ms for both, resident memory under 300 MB.
//!
//! The latencies are counted from when each request was due, not from when it could be sent,
//! so a server that stalls is charged for every request that waited (a request still
//! unanswered at the end counts with the time it had waited).
//!
//! The server is the `skillgraph` binary itself (`serve` with its default settings) in a
//! process of its own, whose memory and CPU time are read from `/proc`. Should its resident
//! memory pass `--rss-ceiling` (MB), it is killed (SIGKILL: a graceful shutdown would wait for
//! the request that holds the memory) and the measurement ends there, so that a request the
//! server admits cannot take the machine down with it.
//!
//! ```sh
//! cargo bench --bench hostile                                  # SQLite (a scratch file)
//! cargo bench --bench hostile -- --database-url postgres://postgres@127.0.0.1:5432/postgres
//! cargo bench --bench hostile -- --pick extract-bomb,search-bomb --duration 30
//! ```
//!
//! `--pick` skips the candidates' measurement and runs the two named; `--candidates-only` stops
//! after it; `--save-candidates DIR` writes each candidate's body to a file, to send it by hand.
//! The graph is the load benchmark's (the synthetic graph, or `--esco`).

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use async_graphql::parser::types::{Selection, SelectionSet};
use clap::Parser;
use common::{GraphArgs, ask, cpu_time_of, memory_of, percentile, postgres_cpu_time};
use serde_json::{Value, json};

#[derive(Parser, Debug)]
struct Options {
    /// `sqlite://...` (default: a scratch file) or a PostgreSQL server URL.
    #[arg(long)]
    database_url: Option<String>,
    /// Seconds of hostile load.
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// Seconds the small requests are measured alone first.
    #[arg(long, default_value_t = 5)]
    alone: u64,
    /// Milliseconds between two `/health` requests, and between two small queries.
    #[arg(long, default_value_t = 10)]
    interval_ms: u64,
    /// Seconds after which `/health` or the small query is given up (and counted with that
    /// time).
    #[arg(long, default_value_t = 10)]
    probe_timeout: u64,
    /// The server is killed, and the measurement ends, when its resident memory passes this
    /// many MB.
    #[arg(long, default_value_t = 2_000)]
    rss_ceiling: u64,
    /// The longest a candidate's measurement waits for its answer, in seconds.
    #[arg(long, default_value_t = 60)]
    candidate_timeout: u64,
    /// Run these two candidates in the loop instead of the two the measurement picks.
    #[arg(long, value_delimiter = ',')]
    pick: Vec<String>,
    /// Measure the candidates, then stop.
    #[arg(long)]
    candidates_only: bool,
    /// Write each candidate's request body to `DIR/NAME.json` (for `curl --data-binary @…`).
    #[arg(long, value_name = "DIR")]
    save_candidates: Option<std::path::PathBuf>,
    #[command(flatten)]
    graph: GraphArgs,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// The small query measured beside `/health`.
const SMALL_QUERY: &str = "{ roles(first: 10) { nodes { id name } } }";

/// The targets.
const TARGET_P99_MS: f64 = 100.0;
const TARGET_RSS_MB: f64 = 300.0;

const MIB: f64 = 1024.0 * 1024.0;
const MB: f64 = 1_000_000.0;

/// The longest text `extractSkills` and `analyzePosting` read.
const LONGEST_TEXT: usize = 1024 * 1024;

/// Codes of requests refused before they ran, or by their resolver's argument checks.
const REFUSALS: [&str; 6] = [
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_DEEP",
    "QUERY_TOO_COMPLEX",
    "QUERY_TOO_LARGE",
    "BAD_USER_INPUT",
];

/// The `skillgraph` binary serving the scratch database, in a process of its own; killed when
/// dropped.
struct Server {
    child: Arc<Mutex<Child>>,
    pid: u32,
    /// `http://127.0.0.1:PORT`.
    base: String,
    /// The last lines it logged.
    log: Arc<Mutex<VecDeque<String>>>,
}

impl Server {
    /// Starts a server on a free port and waits until it answers GraphQL.
    fn start(url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
            .args(["serve", "--database-url", url, "--listen", "127.0.0.1:0"])
            .env(
                "RUST_LOG",
                "warn,skillgraph::cli=info,skillgraph::startup=info",
            )
            .env("SKILLGRAPH_LOG_FORMAT", "text")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the server");
        let stderr = child.stderr.take().expect("the server's log");
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let (said, heard) = mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some((_, rest)) = line.split_once("listening on http://") {
                    let address = rest.split_whitespace().next().unwrap_or_default();
                    let _ = said.send(Some(address.to_owned()));
                } else if line.contains("database ready") {
                    let _ = said.send(None);
                }
                let mut lines = lines.lock().expect("log");
                if lines.len() == 20 {
                    lines.pop_front();
                }
                lines.push_back(line);
            }
        });
        let pid = child.id();
        let child = Arc::new(Mutex::new(child));
        let mut base = None;
        loop {
            match heard.recv_timeout(Duration::from_secs(600)) {
                Ok(Some(address)) => base = Some(format!("http://{address}")),
                Ok(None) if base.is_some() => break,
                Ok(None) => {}
                Err(_) => {
                    let _ = child.lock().expect("child").kill();
                    let log: Vec<String> = log.lock().expect("log").iter().cloned().collect();
                    panic!("the server did not start:\n{}", log.join("\n"));
                }
            }
        }
        Server {
            child,
            pid,
            base: base.unwrap_or_default(),
            log,
        }
    }

    fn graphql(&self) -> String {
        format!("{}/graphql", self.base)
    }

    /// Builds the answers' index (the first answer after start-up does) and forgets the
    /// memory peak so far, so that the peak measured next is the requests'.
    async fn warm(&self) {
        ask(
            &self.graphql(),
            r#"{ extractSkills(text: "warm") { slug } }"#,
        )
        .await;
        ask(&self.graphql(), SMALL_QUERY).await;
        // Writing 5 to clear_refs resets VmHWM to the current resident memory.
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5");
    }

    fn log_tail(&self) -> String {
        let log = self.log.lock().expect("log");
        log.iter().cloned().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A server's figures over a stretch of time.
#[derive(Clone, Copy, Debug, Default)]
struct Watched {
    /// CPU time the server used.
    cpu: Duration,
    /// CPU time PostgreSQL's processes used.
    db_cpu: Duration,
    /// The highest resident memory sampled, in MB.
    peak_mb: f64,
    /// Resident memory at the last sample, and its peak (`VmHWM`), in MB.
    rss_mb: f64,
    hwm_mb: f64,
    /// When the server was killed for passing the ceiling, after the start.
    over: Option<Duration>,
}

/// Samples a server's resident memory and CPU time every 20 ms, and kills it when its memory
/// passes the ceiling.
struct Watch {
    stop: Arc<AtomicBool>,
    /// Set when the server was killed.
    tripped: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Watched>,
}

impl Watch {
    fn start(server: &Server, ceiling_mb: f64) -> Watch {
        let (pid, child) = (server.pid, server.child.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let tripped = Arc::new(AtomicBool::new(false));
        let (stopping, tripping) = (stop.clone(), tripped.clone());
        let (cpu, db_cpu, started) = (cpu_time_of(pid), postgres_cpu_time(), Instant::now());
        let thread = std::thread::spawn(move || {
            let mut watched = Watched::default();
            loop {
                let (rss, hwm) = memory_of(pid);
                if rss.is_nan() {
                    break;
                }
                watched.cpu = cpu_time_of(pid).saturating_sub(cpu);
                watched.rss_mb = rss * MIB / MB;
                watched.hwm_mb = hwm * MIB / MB;
                watched.peak_mb = watched.peak_mb.max(watched.rss_mb);
                if watched.rss_mb > ceiling_mb {
                    watched.over = Some(started.elapsed());
                    tripping.store(true, Ordering::Release);
                    let _ = child.lock().expect("child").kill();
                    break;
                }
                if stopping.load(Ordering::Acquire) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            watched.db_cpu = postgres_cpu_time().saturating_sub(db_cpu);
            watched
        });
        Watch {
            stop,
            tripped,
            thread,
        }
    }

    fn finish(self) -> Watched {
        self.stop.store(true, Ordering::Release);
        self.thread.join().expect("the watch")
    }
}

/// What came back for a request, read as it streams in.
#[derive(Debug, Default)]
struct Answer {
    status: Option<u16>,
    bytes: u64,
    /// The first and the last few kilobytes.
    head: Vec<u8>,
    tail: Vec<u8>,
    /// The connection's failure, if it failed.
    failure: Option<String>,
    elapsed: Duration,
}

impl Answer {
    /// The first error code in the answer's ends.
    fn code(&self) -> Option<String> {
        [&self.head, &self.tail].into_iter().find_map(|part| {
            let text = String::from_utf8_lossy(part);
            let (_, rest) = text.split_once(r#""code":""#)?;
            rest.split_once('"').map(|(code, _)| code.to_owned())
        })
    }

    fn has_errors(&self) -> bool {
        let errors = |part: &[u8]| part.windows(9).any(|w| w == br#""errors":"#);
        errors(&self.head) || errors(&self.tail)
    }

    /// Whether anything of the request ran: an answer with `data` (a refusal has none; in a
    /// batch, the operations refused for the batch's shared cost have none, the others do).
    fn ran(&self) -> bool {
        self.head.windows(7).any(|w| w == br#""data":"#)
    }

    fn refusal_code(&self) -> bool {
        self.code()
            .is_some_and(|code| REFUSALS.contains(&code.as_str()))
    }

    /// Whether the server refused the request instead of running it.
    fn refused(&self) -> bool {
        matches!(self.status, Some(400 | 413 | 415)) || (self.refusal_code() && !self.ran())
    }

    /// `ok`, `errors: CODE`, `refused: CODE`, `partly refused: CODE` (a batch of which some
    /// operations ran), `HTTP 503`, `cut off`, `no answer`.
    fn outcome(&self) -> String {
        let code = self.code().unwrap_or_default();
        match self.status {
            None => "no answer".to_owned(),
            Some(_) if self.refused() => format!("refused: {code}"),
            Some(200) if self.failure.is_none() && self.refusal_code() => {
                format!("partly refused: {code}")
            }
            Some(200) if self.failure.is_some() => "cut off".to_owned(),
            Some(200) if self.has_errors() => format!("errors: {code}"),
            Some(200) => "ok".to_owned(),
            Some(status) if code.is_empty() => format!("HTTP {status}"),
            Some(status) => format!("HTTP {status}: {code}"),
        }
    }
}

/// Posts `body` and reads the answer to its end without keeping it.
async fn send(client: &reqwest::Client, endpoint: &str, body: &[u8]) -> Answer {
    const ENDS: usize = 4096;
    let started = Instant::now();
    let mut answer = Answer::default();
    let response = client
        .post(endpoint)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await;
    match response {
        Err(err) => answer.failure = Some(err.to_string()),
        Ok(mut response) => {
            answer.status = Some(response.status().as_u16());
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        answer.bytes += chunk.len() as u64;
                        let room = ENDS.saturating_sub(answer.head.len());
                        answer
                            .head
                            .extend_from_slice(&chunk[..room.min(chunk.len())]);
                        answer.tail.extend_from_slice(&chunk);
                        if answer.tail.len() > 2 * ENDS {
                            answer.tail.drain(..answer.tail.len() - ENDS);
                        }
                    }
                    Ok(None) => break,
                    Err(err) => {
                        answer.failure = Some(err.to_string());
                        break;
                    }
                }
            }
        }
    }
    answer.elapsed = started.elapsed();
    answer
}

/// What the candidates are built from: the server's limits and the loaded graph.
struct Ground {
    selections: usize,
    aliases: usize,
    max_depth: usize,
    max_complexity: usize,
    /// The largest request body and batch the server accepts (its defaults).
    body_bytes: usize,
    batch: usize,
    role: String,
    /// Short labels (names and aliases) of skills, languages, frameworks and tools, shortest
    /// first: the text that holds the most mentions.
    labels: Vec<String>,
    /// Skills a person has, for the answers that take `have`.
    have: Vec<Value>,
    /// A misspelt name: a search that finds few nodes before it looks for typos.
    typo: String,
    /// Four-letter prefixes of labels, as a search box sends them.
    prefixes: Vec<String>,
}

/// Reads the server's limits and the graph's labels.
async fn ground(endpoint: &str) -> Ground {
    let limits = ask(
        endpoint,
        "{ limits { maxSelections maxAliases maxQueryDepth maxComplexity } }",
    )
    .await;
    let limit = |name: &str| limits["limits"][name].as_u64().unwrap_or_default() as usize;
    let kinds = ["skills", "languages", "frameworks", "tools"];
    let query = kinds
        .iter()
        .map(|kind| format!("{kind}(first: 100) {{ nodes {{ name aliases }} }}"))
        .collect::<Vec<_>>()
        .join(" ");
    let graph = ask(
        endpoint,
        &format!("{{ roles(first: 1) {{ nodes {{ slug }} }} {query} }}"),
    )
    .await;
    let mut labels: Vec<String> = kinds
        .iter()
        .flat_map(|kind| graph[kind]["nodes"].as_array().cloned().unwrap_or_default())
        .flat_map(|node| {
            let aliases = node["aliases"].as_array().cloned().unwrap_or_default();
            std::iter::once(node["name"].clone()).chain(aliases)
        })
        .filter_map(|label| label.as_str().map(str::to_owned))
        // Plain words only: nothing to escape in JSON, nothing that ends a word early.
        .filter(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
        })
        .collect();
    labels.sort_by_key(|label| (label.len(), label.clone()));
    labels.dedup();
    let typo = labels
        .iter()
        .rev()
        .find(|label| label.len() >= 9)
        .map(|label| {
            let mut chars: Vec<char> = label.chars().collect();
            chars.swap(1, 2);
            chars.into_iter().collect()
        })
        .unwrap_or_else(|| "typescrpit".to_owned());
    let mut prefixes: Vec<String> = labels
        .iter()
        .filter(|label| label.len() >= 4)
        .map(|label| label[..4].to_lowercase())
        .collect();
    prefixes.sort();
    prefixes.dedup();
    if prefixes.is_empty() {
        prefixes.push("data".to_owned());
    }
    labels.truncate(200);
    let mut have = Vec::new();
    let mut after = Value::Null;
    while have.len() < 1_000 {
        let page = format!(
            "{{ skills(first: 100, after: {after}) {{ pageInfo {{ endCursor hasNextPage }} nodes {{ slug }} }} }}"
        );
        let page = ask(endpoint, &page).await;
        let nodes = page["skills"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        have.extend(nodes.iter().map(|node| json!({ "slug": node["slug"] })));
        after = page["skills"]["pageInfo"]["endCursor"].clone();
        if page["skills"]["pageInfo"]["hasNextPage"] != Value::Bool(true) {
            break;
        }
    }
    let http = skillgraph::http::HttpConfig::default();
    Ground {
        selections: limit("maxSelections"),
        aliases: limit("maxAliases"),
        max_depth: limit("maxQueryDepth"),
        max_complexity: limit("maxComplexity"),
        body_bytes: http.max_body_bytes,
        batch: usize::from(http.max_batch_size),
        role: graph["roles"]["nodes"][0]["slug"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        labels,
        have,
        typo,
        prefixes,
    }
}

/// A request that may be among the most expensive the server admits.
struct Candidate {
    name: &'static str,
    what: String,
    body: Vec<u8>,
}

/// The field selections `selection` (the inside of a selection set) holds.
fn fields(selection: &str) -> usize {
    fn count(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => 1 + count(&field.node.selection_set.node),
                Selection::InlineFragment(inline) => count(&inline.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let document = async_graphql::parser::parse_query(format!("{{ {selection} }}"))
        .expect("a selection that parses");
    document
        .operations
        .iter()
        .map(|(_, operation)| count(&operation.node.selection_set.node))
        .sum()
}

/// An operation that spreads fragments expanding to `copies` copies of `field`, doubling at
/// each level: one answer key, but the field is run once per copy.
fn bomb(head: &str, field: &str, copies: usize) -> String {
    let levels = (usize::BITS - copies.max(1).leading_zeros()) as usize;
    let spreads: Vec<String> = (0..levels)
        .filter(|level| copies >> level & 1 == 1)
        .map(|level| format!("...C{level}"))
        .collect();
    let spreads = spreads.join(" ");
    let mut document = format!("{head} {{ {spreads} }}\nfragment C0 on Query {{ {field} }}\n");
    for level in 1..levels {
        let below = level - 1;
        document.push_str(&format!(
            "fragment C{level} on Query {{ ...C{below} ...C{below} }}\n"
        ));
    }
    document
}

/// An operation asking for `fields` under aliases `a0`, `a1`, ….
fn aliased(head: &str, fields: impl Iterator<Item = String>) -> String {
    let aliased: Vec<String> = fields
        .enumerate()
        .map(|(at, field)| format!("a{at}: {field}"))
        .collect();
    format!("{head} {{ {} }}", aliased.join(" "))
}

/// Words of `labels`, one space apart, as many as fit in `len` bytes.
fn dense_text(labels: &[String], len: usize) -> String {
    let mut text = String::with_capacity(len);
    let fallback = ["x".to_owned()];
    let labels = if labels.is_empty() { &fallback } else { labels };
    'fill: loop {
        for label in labels {
            if text.len() + label.len() + 1 > len {
                break 'fill;
            }
            text.push_str(label);
            text.push(' ');
        }
    }
    text
}

/// A request body of `query` with `$t` the densest text that fits the body limit.
fn with_text(ground: &Ground, query: &str) -> (Vec<u8>, usize) {
    let body = |text: &str| {
        serde_json::to_vec(&json!({ "query": query, "variables": { "t": text } })).expect("JSON")
    };
    let room = ground.body_bytes.saturating_sub(body("").len());
    let text = dense_text(&ground.labels, room.min(LONGEST_TEXT));
    (body(&text), text.len())
}

/// A body of `batch` copies of one operation.
fn batch(ground: &Ground, query: &str, variables: Value) -> Vec<u8> {
    let operation = json!({ "query": query, "variables": variables });
    let operations = vec![operation; ground.batch.max(1)];
    serde_json::to_vec(&operations).expect("JSON")
}

/// What a refused request said about itself in `extensions`: its `depth` or `cost`.
async fn reported(endpoint: &str, query: &str, what: &str) -> Option<usize> {
    let answer: Value = reqwest::Client::new()
        .post(endpoint)
        .json(&json!({ "query": query }))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let value = answer["errors"][0]["extensions"][what].as_u64()?;
    Some(value as usize)
}

/// `role(slug:) { related(first:) { role { related(first:) { … { role { slug } } } } } }`,
/// `levels` deep.
fn related_nest(role: &str, levels: usize, first: usize) -> String {
    let mut inner = "slug".to_owned();
    for _ in 0..levels {
        inner = format!("related(first: {first}) {{ role {{ {inner} }} }}");
    }
    format!(r#"{{ role(slug: "{role}") {{ {inner} }} }}"#)
}

/// The deepest nesting of `related` the depth limit admits, found from the depth the server
/// reports for a nesting just too deep (with `first: 0`: refused or not, it costs nothing;
/// much deeper, async-graphql's parser refuses it before the depth is measured).
async fn related_levels(endpoint: &str, ground: &Ground) -> usize {
    let deep = ground.max_depth / 2 + 1;
    match reported(endpoint, &related_nest(&ground.role, deep, 0), "depth").await {
        // Each level is two deep; the rest of the query is `depth - 2 × deep`.
        Some(depth) if depth > 2 * deep => {
            let rest = depth - 2 * deep;
            ground.max_depth.saturating_sub(rest) / 2
        }
        _ => deep,
    }
}

/// The largest `first` of the outer list of `shape` (`{first}` in it) the complexity limit
/// admits, from the cost the server reports for `first: 100`: the outer list costs its
/// items times their selection, plus 101.
async fn widest(endpoint: &str, ground: &Ground, shape: &str) -> usize {
    let query = shape.replace("{first}", "100");
    match reported(endpoint, &query, "cost").await {
        Some(cost) if cost > ground.max_complexity => {
            let each = (cost.saturating_sub(101) / 100).max(1);
            (ground.max_complexity.saturating_sub(101) / each).clamp(1, 100)
        }
        _ => 100,
    }
}

/// The candidates for the most expensive requests the server admits with its default limits:
/// the answers over the longest text the body limit allows, under as many aliases as it
/// admits or copied by a fragment bomb as far as the selection limit goes (copies of one field
/// share an answer key but each is run), `related` nested as deep as the depth limit goes
/// (it is a plain list: the complexity limit counts it once), the answers that take `have`
/// and search copied the same way, the widest nested connections and the whole skill tree
/// just under the complexity limit, and the largest plain fragment bomb. Those without a text
/// go as a batch of as many operations as a request may hold.
async fn candidates(endpoint: &str, ground: &Ground) -> Vec<Candidate> {
    let mut list = Vec::new();
    let text_head = "query($t: String!)";
    let mb = |bytes: usize| bytes as f64 / MB;

    let field = "extractSkills(text: $t) { start end text kind slug byName }";
    let copies = ground.aliases.min(ground.selections / fields(field));
    let (body, text) = with_text(
        ground,
        &aliased(text_head, std::iter::repeat_n(field.to_owned(), copies)),
    );
    list.push(Candidate {
        name: "extract-aliases",
        what: format!(
            "{copies} aliases of `{field}`, $t a {:.2} MB text of labels",
            mb(text)
        ),
        body,
    });

    let field = "extractSkills(text: $t) { start }";
    let copies = ground.selections / fields(field);
    let (body, text) = with_text(ground, &bomb(text_head, field, copies));
    list.push(Candidate {
        name: "extract-bomb",
        what: format!(
            "fragments spreading {copies} copies of `{field}` (no aliases), $t {:.2} MB",
            mb(text)
        ),
        body,
    });

    let field = "analyzePosting(text: $t, first: 100) { mentions { start end slug } \
                 roles { similarity role { slug } shared { slug } } \
                 learningPath { steps { slug reason } } }";
    let copies = ground.aliases.min(ground.selections / fields(field));
    let (body, text) = with_text(
        ground,
        &aliased(text_head, std::iter::repeat_n(field.to_owned(), copies)),
    );
    list.push(Candidate {
        name: "analyze-aliases",
        what: format!("{copies} aliases of `{field}`, $t {:.2} MB", mb(text)),
        body,
    });

    let field = "analyzePosting(text: $t, first: 100) { roles { similarity } }";
    let copies = ground.selections / fields(field);
    let (body, text) = with_text(ground, &bomb(text_head, field, copies));
    list.push(Candidate {
        name: "analyze-bomb",
        what: format!(
            "fragments spreading {copies} copies of `{field}`, $t {:.2} MB",
            mb(text)
        ),
        body,
    });

    let levels = related_levels(endpoint, ground).await;
    let query = related_nest(&ground.role, levels, 100);
    list.push(Candidate {
        name: "related-nest",
        what: format!(
            "`role {{ related(first: 100) {{ role {{ related(first: 100) … }} }} }}`, {levels} levels (100^{levels} roles)"
        ),
        body: serde_json::to_vec(&json!({ "query": query })).expect("JSON"),
    });

    let head = "query($h: [HaveInput!]!)";
    let field = "recommendRoles(have: $h, first: 100) { coverage }";
    let copies = ground.selections / fields(field);
    list.push(Candidate {
        name: "recommend-bomb",
        what: format!(
            "a batch of {} operations, each fragments spreading {copies} copies of `{field}`, $h {} skills",
            ground.batch,
            ground.have.len()
        ),
        body: batch(ground, &bomb(head, field, copies), json!({ "h": ground.have })),
    });

    let field = format!(r#"search(query: "{}", first: 100) {{ slug }}"#, ground.typo);
    let copies = ground.selections / fields(&field);
    list.push(Candidate {
        name: "search-bomb",
        what: format!(
            "a batch of {} operations, each fragments spreading {copies} copies of `{field}`",
            ground.batch
        ),
        body: batch(ground, &bomb("query", &field, copies), json!({})),
    });

    let field = |prefix: &str| {
        format!(
            r#"search(query: "{prefix}", first: 100) {{ kind slug name matchedBy matched node {{ id }} }}"#
        )
    };
    let copies = ground.aliases.min(ground.selections / fields(&field("x")));
    let prefixes = ground.prefixes.iter().cycle().take(copies);
    let query = aliased("query", prefixes.map(|prefix| field(prefix)));
    list.push(Candidate {
        name: "search-aliases",
        what: format!(
            "a batch of {} operations, each {copies} aliases of `{}` on {} four-letter prefixes in turn",
            ground.batch,
            field("…"),
            ground.prefixes.len().min(copies)
        ),
        body: batch(ground, &query, json!({})),
    });

    let shape = "{ roles(first: {first}) { nodes { skills(first: 100) { nodes { roles(first: 100) \
                 { nodes { skills(first: 100) { nodes { slug } } } } } } } } }";
    let first = widest(endpoint, ground, shape).await;
    let query = shape.replace("{first}", &first.to_string());
    list.push(Candidate {
        name: "nested-connections",
        what: format!(
            "a batch of {} operations, each `{query}`, just under the complexity limit",
            ground.batch
        ),
        body: batch(ground, &query, json!({})),
    });

    let query = "{ skills(first: 100, filter: {rootsOnly: true}) { nodes { slug descendants { depth skill { slug name } } } } }";
    list.push(Candidate {
        name: "descendants",
        what: format!(
            "a batch of {} operations, each the whole skill tree: `{query}`",
            ground.batch
        ),
        body: batch(ground, query, json!({})),
    });

    let copies = ground.selections;
    list.push(Candidate {
        name: "typename-bomb",
        what: format!(
            "the largest fragment bomb: fragments spreading {copies} copies of `__typename`"
        ),
        body: serde_json::to_vec(&json!({ "query": bomb("query", "__typename", copies) }))
            .expect("JSON"),
    });
    list
}

/// One candidate, sent alone to a fresh server.
struct Measured {
    answer: Answer,
    server: Watched,
    /// How long the answer was awaited at most.
    waited: Duration,
}

impl Measured {
    fn admitted(&self) -> bool {
        !self.answer.refused()
    }

    fn outcome(&self) -> String {
        match self.server.over {
            Some(after) => format!("stopped: RSS ceiling after {:.1} s", after.as_secs_f64()),
            None if self.answer.status.is_none() && self.answer.elapsed >= self.waited => {
                format!("no answer in {} s", self.waited.as_secs())
            }
            None => self.answer.outcome(),
        }
    }

    /// The peak resident memory of the request: the sampled peak, or `VmHWM` when higher
    /// (it was reset after the warm-up).
    fn peak_mb(&self) -> f64 {
        self.server.peak_mb.max(self.server.hwm_mb)
    }
}

async fn measure(url: &str, candidate: &Candidate, options: &Options) -> Measured {
    let server = Server::start(url);
    server.warm().await;
    let watch = Watch::start(&server, options.rss_ceiling as f64);
    let client = reqwest::Client::new();
    let wait = Duration::from_secs(options.candidate_timeout);
    let started = Instant::now();
    let answer = tokio::time::timeout(wait, send(&client, &server.graphql(), &candidate.body))
        .await
        .unwrap_or_else(|_| Answer {
            failure: Some("no answer in time".to_owned()),
            elapsed: started.elapsed(),
            ..Answer::default()
        });
    let figures = watch.finish();
    let timed_out = answer.status.is_none() && answer.elapsed >= wait;
    if answer.status.is_none() && figures.over.is_none() && !timed_out {
        eprintln!(
            "{}: {:?}\n{}",
            candidate.name,
            answer.failure,
            server.log_tail()
        );
    }
    Measured {
        answer,
        server: figures,
        waited: wait,
    }
}

/// Latencies of one kind of request sent at a steady pace.
#[derive(Debug, Default)]
struct Paced {
    /// One per request due, answered or not.
    latencies: Vec<Duration>,
    /// Answers that were not a success, and failed connections.
    failures: usize,
    /// Requests given up after `--probe-timeout` (they count with that time).
    timeouts: usize,
    /// Requests still unanswered at the end (they count with the time they had waited).
    unanswered: usize,
}

impl Paced {
    fn p(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        percentile(&sorted, p)
    }

    fn max_ms(&self) -> f64 {
        self.latencies
            .iter()
            .max()
            .map_or(f64::NAN, |max| max.as_secs_f64() * 1000.0)
    }
}

/// How one paced request ended.
#[derive(Clone, Copy, Debug)]
enum Ending {
    Answered { latency: Duration, success: bool },
    TimedOut,
}

/// Sends a request every `interval` until `end` or until `stop` is set, each at its time
/// whether or not the ones before are answered (as many clients would, each on a connection of
/// its own when the others are busy), and gives up on one after `timeout`. Each latency is
/// counted from when the request was due.
async fn pace(
    request: impl Fn() -> reqwest::RequestBuilder,
    interval: Duration,
    timeout: Duration,
    end: Instant,
    stop: Arc<AtomicBool>,
) -> Paced {
    let start = Instant::now();
    let ended = Arc::new(Mutex::new(Vec::<Option<Ending>>::new()));
    let mut tasks = tokio::task::JoinSet::new();
    let mut dues = Vec::new();
    for tick in 0.. {
        let due = start + interval * tick;
        if due >= end || stop.load(Ordering::Acquire) {
            break;
        }
        tokio::time::sleep_until(due.into()).await;
        let slot = {
            let mut ended = ended.lock().expect("paced");
            ended.push(None);
            ended.len() - 1
        };
        dues.push(due);
        let (sent, ended) = (request().send(), ended.clone());
        tasks.spawn(async move {
            let answered = async {
                let response = sent.await.ok()?;
                let success = response.status().is_success();
                let body = response.bytes().await.ok()?;
                Some(success && !body.windows(9).any(|w| w == br#""errors":"#))
            };
            let outcome = match tokio::time::timeout(timeout, answered).await {
                Ok(success) => Ending::Answered {
                    latency: due.elapsed(),
                    success: success == Some(true),
                },
                Err(_) => Ending::TimedOut,
            };
            ended.lock().expect("paced")[slot] = Some(outcome);
        });
        // Answered requests need not be kept.
        while tasks.try_join_next().is_some() {}
    }
    if !stop.load(Ordering::Acquire) {
        tokio::time::sleep_until(end.into()).await;
    }
    let over = Instant::now().min(end);
    tasks.abort_all();
    let ended = ended.lock().expect("paced");
    let mut paced = Paced::default();
    for (outcome, due) in ended.iter().zip(dues) {
        match outcome {
            Some(Ending::Answered { latency, success }) => {
                paced.latencies.push(*latency);
                paced.failures += usize::from(!success);
            }
            Some(Ending::TimedOut) => {
                paced.latencies.push(timeout);
                paced.timeouts += 1;
            }
            None => {
                paced.latencies.push(over.saturating_duration_since(due));
                paced.unanswered += 1;
            }
        }
    }
    paced
}

/// `/health` and the small query, each every `interval` for `duration` (or until `stop`), from
/// a thread of their own, on connections of their own (none shared with the hostile clients).
fn probe(
    base: &str,
    [interval, timeout, duration]: [Duration; 3],
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<(Paced, Paced)> {
    let base = base.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let end = Instant::now() + duration;
            let (health, graphql) = (format!("{base}/health"), format!("{base}/graphql"));
            let (one, two) = (reqwest::Client::new(), reqwest::Client::new());
            let small = serde_json::to_vec(&json!({ "query": SMALL_QUERY })).expect("JSON");
            let health = pace(|| one.get(&health), interval, timeout, end, stop.clone());
            let small = pace(
                || {
                    two.post(&graphql)
                        .header("content-type", "application/json")
                        .body(small.clone())
                },
                interval,
                timeout,
                end,
                stop.clone(),
            );
            tokio::join!(health, small)
        })
    })
}

/// What one hostile client's requests came to: answers by outcome, with their latencies.
type Outcomes = BTreeMap<String, Vec<Duration>>;

/// Sends `body` over and over, one request at a time on one connection, until `stop` (the end)
/// or `tripped` (the server was killed at the ceiling).
async fn hammer(
    endpoint: String,
    body: Arc<Vec<u8>>,
    [stop, tripped]: [Arc<AtomicBool>; 2],
    seen: Arc<Mutex<Outcomes>>,
) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("a client");
    let ended = || stop.load(Ordering::Acquire) || tripped.load(Ordering::Acquire);
    while !ended() {
        let answer = send(&client, &endpoint, &body).await;
        let outcome = if answer.failure.is_some() && ended() {
            "in flight at the end".to_owned()
        } else if answer.status.is_none() {
            "no answer".to_owned()
        } else {
            answer.outcome()
        };
        let mut seen = seen.lock().expect("outcomes");
        seen.entry(outcome).or_default().push(answer.elapsed);
    }
}

/// The figures of a hostile run.
struct Run {
    alone: (Paced, Paced),
    alone_server: Watched,
    hostile: (Paced, Paced),
    server: Watched,
    elapsed: Duration,
    outcomes: [Outcomes; 2],
}

async fn run(url: &str, picks: [&Candidate; 2], options: &Options) -> Run {
    let server = Server::start(url);
    server.warm().await;
    let interval = Duration::from_millis(options.interval_ms.max(1));
    let ceiling = options.rss_ceiling as f64;

    let watch = Watch::start(&server, ceiling);
    let timeout = Duration::from_secs(options.probe_timeout);
    let alone = probe(
        &server.base,
        [interval, timeout, Duration::from_secs(options.alone)],
        watch.tripped.clone(),
    );
    let alone = tokio::task::spawn_blocking(move || alone.join().expect("the probe"))
        .await
        .expect("the probe");
    let alone_server = watch.finish();

    let watch = Watch::start(&server, ceiling);
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let seen: [Arc<Mutex<Outcomes>>; 2] = Default::default();
    let hammers: Vec<_> = picks
        .iter()
        .zip(&seen)
        .map(|(candidate, seen)| {
            tokio::spawn(hammer(
                server.graphql(),
                Arc::new(candidate.body.clone()),
                [stop.clone(), watch.tripped.clone()],
                seen.clone(),
            ))
        })
        .collect();
    let probes = probe(
        &server.base,
        [interval, timeout, Duration::from_secs(options.duration)],
        watch.tripped.clone(),
    );
    let hostile = tokio::task::spawn_blocking(move || probes.join().expect("the probe"))
        .await
        .expect("the probe");
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Release);
    let server_figures = watch.finish();
    drop(server);
    for hammer in hammers {
        hammer.abort();
        let _ = hammer.await;
    }
    let outcomes = seen.map(|seen| std::mem::take(&mut *seen.lock().expect("outcomes")));
    Run {
        alone,
        alone_server,
        hostile,
        server: server_figures,
        elapsed,
        outcomes,
    }
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    if let Some(url) = &options.graph.generate_into {
        return common::generate_into(url, &options.graph).await;
    }
    let scratch = common::scratch_database(options.database_url.as_deref()).await;
    let url = scratch.url.clone();
    let postgres = scratch.is_postgres();
    let backend = if postgres { "PostgreSQL" } else { "SQLite" };
    let summary = common::generate(&url).await;
    println!("graph: {summary} ({backend})");

    let setup = Server::start(&url);
    setup.warm().await;
    let ground = ground(&setup.graphql()).await;
    let candidates = candidates(&setup.graphql(), &ground).await;
    drop(setup);
    if let Some(dir) = &options.save_candidates {
        std::fs::create_dir_all(dir).expect("the candidates' directory");
        for candidate in &candidates {
            let path = dir.join(format!("{}.json", candidate.name));
            std::fs::write(&path, &candidate.body).expect("a candidate's body");
        }
    }
    println!(
        "server: `skillgraph serve`, default settings ({} selections, {} aliases, depth {}, \
         complexity {}, body {} bytes, batches of {})\n",
        ground.selections,
        ground.aliases,
        ground.max_depth,
        ground.max_complexity,
        ground.body_bytes,
        ground.batch
    );

    let picks: [&Candidate; 2] = if options.pick.is_empty() {
        match pick_by_measuring(&url, &candidates, &options, postgres).await {
            Some(picks) if !options.candidates_only => picks,
            // Dropping `scratch` removes the database.
            _ => return,
        }
    } else {
        assert_eq!(
            options.pick.len(),
            2,
            "--pick takes two candidates, e.g. --pick a,b"
        );
        let named = |name: &str| {
            candidates
                .iter()
                .find(|candidate| candidate.name == name)
                .unwrap_or_else(|| {
                    let names: Vec<&str> = candidates.iter().map(|c| c.name).collect();
                    panic!("no candidate {name:?}; they are {}", names.join(", "))
                })
        };
        [named(&options.pick[0]), named(&options.pick[1])]
    };

    println!(
        "\nhostile: {} and {} in a loop on two connections for {} s; /health and \
         `{SMALL_QUERY}` every {} ms each, alone for {} s first\n",
        picks[0].name, picks[1].name, options.duration, options.interval_ms, options.alone
    );
    let run = run(&url, picks, &options).await;
    report(&run, picks, &options, postgres);
}

/// Measures every candidate and picks the one that costs the most CPU time and, of the others,
/// the one that needs the most memory: the one that passed the ceiling soonest, or else the
/// highest peak.
async fn pick_by_measuring<'a>(
    url: &str,
    candidates: &'a [Candidate],
    options: &Options,
    postgres: bool,
) -> Option<[&'a Candidate; 2]> {
    println!("candidates:");
    for candidate in candidates {
        println!("  {:<19}{}", candidate.name, candidate.what);
    }
    println!(
        "\neach sent once, alone, to a fresh server (RSS ceiling {} MB, answer awaited {} s at most):\n",
        options.rss_ceiling, options.candidate_timeout
    );
    println!(
        "{:<20}{:<36}{:>9}{:>14}{:>12}{:>13}{:>15}",
        "candidate", "outcome", "wall s", "server CPU s", "DB CPU s", "answer MB", "peak RSS MB"
    );
    let mut measured = Vec::new();
    for candidate in candidates {
        let m = measure(url, candidate, options).await;
        let db_cpu = if postgres {
            format!("{:.2}", m.server.db_cpu.as_secs_f64())
        } else {
            "-".to_owned()
        };
        let answer = match m.answer.status {
            Some(_) => format!("{:.2}", m.answer.bytes as f64 / MB),
            None => "-".to_owned(),
        };
        println!(
            "{:<20}{:<36}{:>9.2}{:>14.2}{:>12}{:>13}{:>15.0}",
            candidate.name,
            m.outcome(),
            m.answer.elapsed.as_secs_f64(),
            m.server.cpu.as_secs_f64(),
            db_cpu,
            answer,
            m.peak_mb()
        );
        measured.push((candidate, m));
    }
    let admitted: Vec<&(&Candidate, Measured)> =
        measured.iter().filter(|(_, m)| m.admitted()).collect();
    let cpu = admitted
        .iter()
        .max_by(|a, b| a.1.server.cpu.cmp(&b.1.server.cpu))?;
    // Candidates killed at the ceiling rank above the others, the sooner the higher.
    let memory = admitted
        .iter()
        .filter(|(candidate, _)| candidate.name != cpu.0.name)
        .max_by(|a, b| match (a.1.server.over, b.1.server.over) {
            (Some(a), Some(b)) => b.cmp(&a),
            (Some(_), None) => std::cmp::Ordering::Greater,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (None, None) => a.1.peak_mb().total_cmp(&b.1.peak_mb()),
        })?;
    println!(
        "\nthe most CPU time: {}; the most memory of the others: {}",
        cpu.0.name, memory.0.name
    );
    Some([cpu.0, memory.0])
}

fn report(run: &Run, picks: [&Candidate; 2], options: &Options, postgres: bool) {
    println!(
        "{:<10}{:<10}{:>8}{:>8}{:>10}{:>12}{:>10}{:>10}{:>10}",
        "phase",
        "request",
        "sent",
        "failed",
        "timed out",
        "unanswered",
        "p50 ms",
        "p99 ms",
        "max ms"
    );
    let rows = [
        ("alone", "/health", &run.alone.0),
        ("alone", "small", &run.alone.1),
        ("hostile", "/health", &run.hostile.0),
        ("hostile", "small", &run.hostile.1),
    ];
    for (phase, request, paced) in rows {
        println!(
            "{:<10}{:<10}{:>8}{:>8}{:>10}{:>12}{:>10.1}{:>10.1}{:>10.1}",
            phase,
            request,
            paced.latencies.len(),
            paced.failures,
            paced.timeouts,
            paced.unanswered,
            paced.p(0.50),
            paced.p(0.99),
            paced.max_ms()
        );
    }
    let seconds = run.elapsed.as_secs_f64().max(0.001);
    let db = if postgres {
        format!(
            ", PostgreSQL {:.2} cores",
            run.server.db_cpu.as_secs_f64() / seconds
        )
    } else {
        String::new()
    };
    let peak = run.server.peak_mb.max(run.server.hwm_mb);
    println!(
        "\nserver while alone: {:.0} MB resident; under hostile load ({:.1} s): CPU {:.2} cores{db}, \
         resident {:.0} MB at the end, peak {:.0} MB",
        run.alone_server.rss_mb,
        seconds,
        run.server.cpu.as_secs_f64() / seconds,
        run.server.rss_mb,
        peak
    );
    if let Some(after) = run.server.over {
        println!(
            "stopped: the server passed the RSS ceiling of {} MB after {:.1} s and was killed",
            options.rss_ceiling,
            after.as_secs_f64()
        );
    }
    for (candidate, outcomes) in picks.iter().zip(&run.outcomes) {
        let answered: Vec<String> = outcomes
            .iter()
            .map(|(outcome, latencies)| {
                let longest = latencies.iter().max().copied().unwrap_or_default();
                format!(
                    "{} {outcome} (longest {:.1} s)",
                    latencies.len(),
                    longest.as_secs_f64()
                )
            })
            .collect();
        let answered = if answered.is_empty() {
            "none answered".to_owned()
        } else {
            answered.join(", ")
        };
        println!("{}: {answered}", candidate.name);
    }
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    let (health, small) = (run.hostile.0.p(0.99), run.hostile.1.p(0.99));
    println!(
        "\ntargets under hostile load: /health p99 < {TARGET_P99_MS:.0} ms: {} ({health:.1} ms); \
         small query p99 < {TARGET_P99_MS:.0} ms: {} ({small:.1} ms); RSS < {TARGET_RSS_MB:.0} MB: {} (peak {peak:.0} MB{})",
        verdict(health < TARGET_P99_MS),
        verdict(small < TARGET_P99_MS),
        verdict(peak < TARGET_RSS_MB && run.server.over.is_none()),
        if run.server.over.is_some() {
            ", stopped at the ceiling"
        } else {
            ""
        }
    );
}
