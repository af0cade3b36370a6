//! The `skillgraph` binary: logging, then the command line (`cli::run`); a failure is one line
//! on standard error and a failed exit.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use mimalloc::MiMalloc;
use skillgraph::cli::{Cli, LogFormat};
use tracing_subscriber::EnvFilter;

/// A GraphQL response is built from many small allocations, and mimalloc serves them much
/// faster than the system allocator (the README's benchmark section has the figures).
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // `serve` says what it does; the other commands print their own output and progress, and
    // log only what went wrong.
    let quiet = if cli.serves() {
        "info,sqlx=warn"
    } else {
        "warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| quiet.into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never in files or log collectors.
        .with_ansi(std::io::stderr().is_terminal());
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    match skillgraph::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", skillgraph::cli::one_line(&err));
            ExitCode::FAILURE
        }
    }
}
