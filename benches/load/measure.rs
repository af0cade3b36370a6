//! The table the benchmark prints: each query driven from a child process, with what the
//! server spent on it read from /proc and from its statement counter.

use skillgraph::db::Db;

use crate::common::{cpu_time, memory, postgres_cpu_time};
use crate::drive::drive_from_child;
use crate::options::Options;

/// Warms up and measures each of `queries` that `--queries` names (all by default), a row of
/// the table each; `postgres` says whether the database's processes are PostgreSQL's here.
pub async fn measure(
    options: &Options,
    endpoint: &str,
    db: &Db,
    postgres: bool,
    queries: &[(String, String)],
) {
    println!(
        "{} clients (a separate process), {}s warm-up, {}s measured per query\n",
        options.concurrency, options.warmup, options.duration
    );
    println!(
        "{:<6}{:>10}{:>10}{:>10}{:>16}{:>14}{:>14}{:>10}{:>10}{:>9}",
        "query",
        "req/s",
        "p50 ms",
        "p99 ms",
        "statements/req",
        "CPU ms/req",
        "DB CPU ms/req",
        "RSS MiB",
        "peak MiB",
        "errors"
    );
    for (name, query) in queries {
        if !options.queries.is_empty() && !options.queries.iter().any(|q| q == name) {
            continue;
        }
        drive_from_child(options, endpoint, query, options.warmup).await;
        let statements = db.statements.get();
        let (cpu, db_cpu) = (cpu_time(), postgres_cpu_time());
        let figures = drive_from_child(options, endpoint, query, options.duration).await;
        let cpu = cpu_time().saturating_sub(cpu);
        let db_cpu = postgres_cpu_time().saturating_sub(db_cpu);
        let requests = figures.requests as f64;
        let answered = (requests + figures.failures as f64).max(1.0);
        // PostgreSQL's processes are only visible when it runs on this machine.
        let db_cpu = if postgres && !db_cpu.is_zero() {
            format!("{:.2}", db_cpu.as_secs_f64() * 1000.0 / answered)
        } else {
            "-".to_owned()
        };
        let statements = db.statements.get() - statements;
        let (rss, peak) = memory();
        println!(
            "{:<6}{:>10.0}{:>10.2}{:>10.2}{:>16.2}{:>14.2}{:>14}{:>10.1}{:>10.1}{:>9}",
            name,
            requests / options.duration as f64,
            figures.p50_ms,
            figures.p99_ms,
            statements as f64 / answered,
            cpu.as_secs_f64() * 1000.0 / answered,
            db_cpu,
            rss,
            peak,
            figures.failures
        );
    }
}
