//! Prometheus metrics at `/metrics`: requests by operation and outcome, their latency, errors
//! by code, SQL statements, and the connections of the pool.

use std::sync::OnceLock;
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

/// The process-wide recorder, installed on first use; `None` if another recorder was already
/// installed by the embedding program.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_owned()), &LATENCY_BUCKETS)
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// The name of the document's first operation (`query RoleTree { ... }`), for requests that
/// name their operation only in the document.
fn named_in_document(query: &str) -> Option<&str> {
    let rest = query.trim_start();
    let rest = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|keyword| rest.strip_prefix(keyword))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The operation name as a label: client-chosen, so kept only when it is a plain GraphQL name
/// of reasonable length.
fn operation_label(name: Option<&str>) -> String {
    match name {
        None => "anonymous".to_owned(),
        Some(name)
            if name.len() <= 64
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            name.to_owned()
        }
        Some(_) => "invalid".to_owned(),
    }
}

/// Records one GraphQL request: `operation` is the request's `operationName`, `query` its
/// document (which may name the operation instead).
pub fn record_request<'a>(
    operation: Option<&str>,
    query: &str,
    outcome: &'static str,
    error_codes: impl Iterator<Item = &'a str>,
    elapsed: Duration,
) {
    let operation = operation_label(operation.or_else(|| named_in_document(query)));
    metrics::counter!(REQUESTS, "operation" => operation, "outcome" => outcome).increment(1);
    metrics::histogram!(REQUEST_SECONDS).record(elapsed.as_secs_f64());
    for code in error_codes {
        metrics::counter!(ERRORS, "code" => code.to_owned()).increment(1);
    }
}

/// Records one SQL statement.
pub fn record_statement() {
    metrics::counter!(STATEMENTS).increment(1);
}

/// The metrics in Prometheus' text format, with the pool's connections read now.
pub fn render(db: &Db) -> String {
    let (size, idle) = pool_connections(db);
    metrics::gauge!(POOL_CONNECTIONS, "state" => "in_use").set(size.saturating_sub(idle) as f64);
    metrics::gauge!(POOL_CONNECTIONS, "state" => "idle").set(idle as f64);
    handle().map(PrometheusHandle::render).unwrap_or_default()
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
    use super::{named_in_document, operation_label};

    #[test]
    fn operation_names_are_read_from_the_document() {
        assert_eq!(
            named_in_document("query RoleTree { roles { totalCount } }"),
            Some("RoleTree")
        );
        assert_eq!(
            named_in_document("  query\n  Tree($n: Int) { x }"),
            Some("Tree")
        );
        assert_eq!(named_in_document("{ roles { totalCount } }"), None);
        assert_eq!(named_in_document("query { roles { totalCount } }"), None);
        assert_eq!(named_in_document("queryX { a }"), None);
    }

    #[test]
    fn operation_labels_stay_tame() {
        assert_eq!(operation_label(None), "anonymous");
        assert_eq!(operation_label(Some("RoleTree")), "RoleTree");
        assert_eq!(operation_label(Some("drop table; --")), "invalid");
        assert_eq!(operation_label(Some(&"a".repeat(65))), "invalid");
    }
}
