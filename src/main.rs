use clap::Parser;
use mimalloc::MiMalloc;
use tracing_subscriber::EnvFilter;

/// A GraphQL response is built from many small allocations, and mimalloc serves them much
/// faster than the system allocator (the README's benchmark section has the figures).
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    skillgraph::cli::run(skillgraph::cli::Cli::parse()).await
}
