//! What the benchmarks share: the scratch database (the integration suite's) and the graph
//! generated into it, a query asked of the server, child processes of the benchmark's own
//! binary, and the CPU time and memory of a process.

// Each benchmark is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

use clap::Args;
use skillgraph::generator::{self, GraphSize};

// The integration suite's scratch database, which names nothing of the suite's.
#[path = "../../tests/api/scratch.rs"]
mod scratch;
pub use scratch::ScratchDatabase;

/// The graph a benchmark loads.
#[derive(Args, Debug)]
pub struct GraphArgs {
    /// Load an ESCO-shaped bundle of ESCO's full size (through `import esco`) instead of the
    /// synthetic graph.
    #[arg(long)]
    pub esco: bool,
    /// With `--esco`: how many of ESCO's 28 languages the bundle has (English first), all
    /// imported (`--language all`).
    #[arg(long, default_value_t = 1)]
    pub esco_languages: usize,
    #[command(flatten)]
    pub size: GraphSize,
    /// Child process: generate the graph into this database, then exit.
    #[arg(long, hide = true)]
    pub generate_into: Option<String>,
}

/// Fills the empty database at `url` with the graph of `args` (the synthetic graph, or the
/// built-in catalog plus an ESCO-size bundle) and prints what it made.
pub async fn generate_into(url: &str, args: &GraphArgs) {
    let db = skillgraph::db::connect(url).await.expect("connect");
    skillgraph::db::migrate(&db).await.expect("migrate");
    if !args.esco {
        let started = Instant::now();
        let summary = generator::generate(&db, &args.size, true)
            .await
            .unwrap_or_else(|err| panic!("generate: {}", err.detail()));
        println!("{summary}, generated in {:.1?}", started.elapsed());
        return;
    }
    let built_in = skillgraph::catalog::built_in().expect("the built-in catalog");
    skillgraph::catalog::seed(&db, &built_in, false)
        .await
        .unwrap_or_else(|err| panic!("seed: {}", err.detail()));
    let dir = std::env::temp_dir().join(format!("skillgraph-esco-{}", std::process::id()));
    let size = skillgraph::esco::generate::BundleSize::esco(args.esco_languages);
    skillgraph::esco::generate::generate(&dir, &size).expect("the bundle");
    let started = Instant::now();
    let report = skillgraph::esco::import(&db, &dir, "all", "benchmark", &mut |_| {})
        .await
        .unwrap_or_else(|err| panic!("import: {}", err.detail()));
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "built-in catalog + ESCO-size bundle ({report}), imported in {:.1?}",
        started.elapsed()
    );
}

/// Generates the graph into `url` from a child process, which is given this process's own
/// arguments (the graph's options among them), so that this process's memory holds none of
/// it. Returns the child's summary.
pub async fn generate(url: &str) -> String {
    let mut args = vec!["--generate-into".to_owned(), url.to_owned()];
    args.extend(std::env::args().skip(1).filter(|arg| arg != "--bench"));
    child(args).await.trim().to_owned()
}

/// A new empty database, removed when dropped: a scratch file, or with a PostgreSQL URL a
/// database created on that server (the database named in the URL is never touched).
pub async fn scratch_database(url: Option<&str>) -> ScratchDatabase {
    match url {
        Some(url) if url.starts_with("postgres") => ScratchDatabase::postgres(url).await,
        _ => ScratchDatabase::sqlite(),
    }
}

/// CPU time (user + system) this process has used so far.
pub fn cpu_time() -> Duration {
    process_cpu("/proc/self/stat").map_or(Duration::ZERO, |(_, cpu)| cpu)
}

/// CPU time (user + system) the process `pid` has used so far.
pub fn cpu_time_of(pid: u32) -> Duration {
    process_cpu(&format!("/proc/{pid}/stat")).map_or(Duration::ZERO, |(_, cpu)| cpu)
}

/// CPU time (user + system) the PostgreSQL processes of this machine have used so far, when
/// the database runs here: the database's share of each request, which the server's own CPU
/// time does not include. (On SQLite the engine runs inside the server.)
pub fn postgres_cpu_time() -> Duration {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return Duration::ZERO;
    };
    processes
        .flatten()
        .filter_map(|entry| process_cpu(&format!("{}/stat", entry.path().display())))
        .filter(|(command, _)| command == "postgres")
        .map(|(_, cpu)| cpu)
        .sum()
}

/// The command name and the CPU time (user + system) of the process whose `stat` file is at
/// `path`.
fn process_cpu(path: &str) -> Option<(String, Duration)> {
    let stat = std::fs::read_to_string(path).ok()?;
    // The command name is in parentheses and may hold spaces; the fields follow the last ')'.
    let (head, rest) = stat.rsplit_once(')')?;
    let command = head.split_once('(').map_or("", |(_, name)| name).to_owned();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index).and_then(|f| f.parse::<u64>().ok());
    // utime and stime are fields 14 and 15 of the file, 12 and 13 after the name.
    let total = ticks(11)? + ticks(12)?;
    Some((
        command,
        Duration::from_secs_f64(total as f64 / clock_ticks_per_second()),
    ))
}

/// The kernel's clock tick (`getconf CLK_TCK`), 100 on Linux unless configured otherwise;
/// asked once.
fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// `VmRSS` and `VmHWM` (peak) of this process, in MiB.
pub fn memory() -> (f64, f64) {
    memory_in("/proc/self/status")
}

/// `VmRSS` and `VmHWM` (peak) of the process `pid`, in MiB; NaN once it is gone.
pub fn memory_of(pid: u32) -> (f64, f64) {
    memory_in(&format!("/proc/{pid}/status"))
}

fn memory_in(path: &str) -> (f64, f64) {
    let status = std::fs::read_to_string(path).unwrap_or_default();
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

/// Asks `endpoint` for `query` and returns its `data`; panics on errors.
pub async fn ask(endpoint: &str, query: &str) -> serde_json::Value {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(endpoint)
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .expect("ask")
        .json()
        .await
        .expect("JSON");
    assert!(answer.get("errors").is_none(), "{query}: {answer}");
    answer["data"].clone()
}

/// Runs this binary as a child with `args` and returns what it printed.
pub async fn child(args: Vec<String>) -> String {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let output = tokio::task::spawn_blocking(move || Command::new(exe).args(args).output())
        .await
        .expect("child task")
        .expect("start a child process");
    if !output.status.success() {
        panic!(
            "child process failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The `p` quantile (0 to 1) of `sorted`, in milliseconds; NaN when empty.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}
