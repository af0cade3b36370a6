//! SeaORM's migration command line over this crate's `Migrator` (`cargo run -p migration --
//! up`, `status`, …); `skillgraph migrate` and `serve` run the same migrations.

use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(migration::Migrator).await;
}
