//! Prometheus metrics at `/metrics`: requests by operation and outcome, their latency, errors
//! by code, SQL statements, and the connections of the pool.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::db::Db;

/// GraphQL requests, by `operation` (the operation name, or `anonymous`) and `outcome`
/// (`ok`, `error`, `unavailable`).
pub const REQUESTS: &str = "skillgraph_graphql_requests_total";
/// Time from receiving a GraphQL request to having its answer, in seconds.
pub const REQUEST_SECONDS: &str = "skillgraph_graphql_request_duration_seconds";
/// Errors in GraphQL answers, by `code` (`extensions.code`).
pub const ERRORS: &str = "skillgraph_graphql_errors_total";
/// SQL statements run against the database.
pub const STATEMENTS: &str = "skillgraph_sql_statements_total";
/// Connections of the pool, by `state` (`in_use`, `idle`).
pub const POOL_CONNECTIONS: &str = "skillgraph_db_pool_connections";

const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide recorder, once [`install`] has run.
static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide Prometheus recorder (the `metrics` facade has one per process);
/// later calls do nothing. Without it, or when the embedding program installed a recorder of
/// its own, `/metrics` is empty.
pub fn install() {
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_owned()), &LATENCY_BUCKETS)
            .ok()?
            .install_recorder()
            .ok()
    });
    describe();
}

/// The `# HELP` text of each metric.
fn describe() {
    metrics::describe_counter!(
        REQUESTS,
        "GraphQL requests, by operation name (the first 100 distinct names, then `other`) \
         and outcome (ok, error, unavailable)"
    );
    metrics::describe_histogram!(
        REQUEST_SECONDS,
        metrics::Unit::Seconds,
        "Time from receiving a GraphQL request to having its answer"
    );
    metrics::describe_counter!(ERRORS, "Errors in GraphQL answers, by extensions.code");
    metrics::describe_counter!(STATEMENTS, "SQL statements run against the database");
    metrics::describe_gauge!(
        POOL_CONNECTIONS,
        "Connections of the database pool, by state (in_use, idle)"
    );
}

/// The most distinct operation names a server keeps as label values. Names are chosen by
/// clients, and every label value is a series the recorder keeps for the life of the process:
/// past this
/// many, new names are counted as `other`, so that a client sending random names cannot grow
/// the server's memory.
pub const MAX_OPERATION_LABELS: usize = 100;

/// Records GraphQL requests for one server. It remembers the operation names it has used as
/// labels, up to a bound (see [`MAX_OPERATION_LABELS`]).
#[derive(Clone, Debug)]
pub struct RequestMetrics {
    labels: Arc<Mutex<HashSet<String>>>,
    max_labels: usize,
}

impl Default for RequestMetrics {
    fn default() -> Self {
        RequestMetrics::with_max_labels(MAX_OPERATION_LABELS)
    }
}

impl RequestMetrics {
    /// Keeps at most `max_labels` distinct operation names as labels.
    pub fn with_max_labels(max_labels: usize) -> Self {
        RequestMetrics {
            labels: Arc::default(),
            max_labels,
        }
    }

    /// The operation name as a label: client-chosen, so kept only when it is a plain GraphQL
    /// name of reasonable length, and only for the first `max_labels` distinct names.
    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name else {
            return "anonymous".to_owned();
        };
        let plain = name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !plain {
            return "invalid".to_owned();
        }
        let Ok(mut seen) = self.labels.lock() else {
            return "other".to_owned();
        };
        if seen.contains(name) {
            return name.to_owned();
        }
        if seen.len() < self.max_labels {
            seen.insert(name.to_owned());
            return name.to_owned();
        }
        "other".to_owned()
    }

    /// Records one GraphQL request under its operation's name.
    pub fn record_request<'a>(
        &self,
        operation: Option<&str>,
        outcome: &'static str,
        error_codes: impl Iterator<Item = &'a str>,
        elapsed: Duration,
    ) {
        let operation = self.operation_label(operation);
        metrics::counter!(REQUESTS, "operation" => operation, "outcome" => outcome).increment(1);
        metrics::histogram!(REQUEST_SECONDS).record(elapsed.as_secs_f64());
        for code in error_codes {
            metrics::counter!(ERRORS, "code" => code.to_owned()).increment(1);
        }
    }
}

/// The metrics in Prometheus' text format, with the pool's connections and the statements
/// run so far read now.
pub fn render(db: &Db) -> String {
    metrics::counter!(STATEMENTS).absolute(db.statements.get());
    let (size, idle) = pool_connections(db);
    metrics::gauge!(POOL_CONNECTIONS, "state" => "in_use").set(size.saturating_sub(idle) as f64);
    metrics::gauge!(POOL_CONNECTIONS, "state" => "idle").set(idle as f64);
    HANDLE
        .get()
        .and_then(Option::as_ref)
        .map(PrometheusHandle::render)
        .unwrap_or_default()
}

/// `(open connections, idle connections)` of the pool.
fn pool_connections(db: &Db) -> (u32, u32) {
    use sea_orm::DbBackend;
    match db.conn.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.conn.get_postgres_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        DbBackend::Sqlite => {
            let pool = db.conn.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::RequestMetrics;

    #[test]
    fn operation_labels_stay_tame_and_bounded() {
        let metrics = RequestMetrics::with_max_labels(2);
        assert_eq!(metrics.operation_label(None), "anonymous");
        assert_eq!(metrics.operation_label(Some("RoleTree")), "RoleTree");
        assert_eq!(metrics.operation_label(Some("drop table; --")), "invalid");
        assert_eq!(metrics.operation_label(Some(&"a".repeat(65))), "invalid");
        assert_eq!(metrics.operation_label(Some("Second")), "Second");
        assert_eq!(metrics.operation_label(Some("Third")), "other");
        assert_eq!(metrics.operation_label(Some("RoleTree")), "RoleTree");
    }
}
