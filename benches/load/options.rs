//! The benchmark's command line, with the hidden options its child processes are started with.

use clap::Parser;

#[derive(Parser, Debug)]
pub struct Options {
    /// `sqlite://...` (default: a scratch file) or a PostgreSQL server URL.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Concurrent client connections.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Seconds of warm-up per query (not measured).
    #[arg(long, default_value_t = 2)]
    pub warmup: u64,
    /// Seconds of measurement per query.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Only these queries (N, D, F, W, T, G, P, R, M, X, A, K, NS, NC, CR, O, B, ON, S1-S4); all by
    /// default.
    #[arg(long, value_delimiter = ',')]
    pub queries: Vec<String>,
    #[command(flatten)]
    pub graph: crate::common::GraphArgs,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    pub bench: bool,
    /// Child process: drive this endpoint with `--query` for `--duration`, print the figures
    /// as one JSON line, then exit.
    #[arg(long, hide = true, requires = "query")]
    pub drive: Option<String>,
    #[arg(long, hide = true)]
    pub query: Option<String>,
    /// Child process: the API key the writes send.
    #[arg(long, hide = true)]
    pub key: Option<String>,
    /// WebSocket subscribers of the fan-out measurement (0: none).
    #[arg(long, default_value_t = 1000)]
    pub subscribers: usize,
    /// Child process: subscribe `--subscribers` clients to this endpoint, make one change,
    /// print the fan-out figures as one JSON line, then exit.
    #[arg(long, hide = true, requires = "key")]
    pub fan_out: Option<String>,
}
