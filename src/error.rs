//! The crate's one error type and how each variant reaches a GraphQL client.

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, RuntimeErr};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while answering a request.
///
/// `Clone` because DataLoader results are shared between the fields that asked for them; the
/// database's own error is therefore kept as text, and only ever written to the server log.
///
/// It deliberately does not implement `Display`: async-graphql turns any `Display` type into an
/// error without a code, and this way the only route to a client is the `From` below, which
/// sets `extensions.code` and keeps internal detail out of the message.
#[derive(Debug, Clone)]
pub enum Error {
    /// The client sent something we cannot use; the message says what and why.
    BadUserInput(String),
    /// A write the client asked for breaks a rule of the graph, names something that does not
    /// exist, or lacks the key it needs; the rejection says which input field and why.
    Rejected(Box<Rejection>),
    /// The database cannot be reached right now; trying again later may work.
    Unavailable(String),
    /// The database cancelled a statement that ran too long.
    TimedOut(String),
    /// The database undid a write because it collided with concurrent ones (a deadlock, a
    /// serialization failure, a busy SQLite file); the same write may well succeed when
    /// tried again. The curator retries it a few times ([`crate::curation::serial`]) before
    /// a client sees it, as `CONFLICT` with a hint to retry.
    Contended(String),
    /// A fault on our side. The detail is for the log, never for the client.
    Internal(String),
}

/// Why a write was refused, in the terms of the client's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The `extensions.code`: `BAD_USER_INPUT`, `NOT_FOUND`, `CONFLICT`, `UNAUTHENTICATED`
    /// or `FORBIDDEN`.
    pub code: &'static str,
    pub message: String,
    /// The input field at fault (`extensions.field`), e.g. `slug` or `parent`.
    pub field: Option<String>,
    /// For a cycle: the slugs along it, starting and ending at the same node.
    pub cycle: Vec<String>,
    /// For a refused deletion: what depends on the node (`Kind:slug`).
    pub dependents: Vec<String>,
    /// In a batch: the index of the operation refused (`extensions.operation`).
    pub operation: Option<usize>,
}

impl Error {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadUserInput(message.into())
    }

    fn rejected(code: &'static str, field: Option<&str>, message: String) -> Self {
        Self::Rejected(Box::new(Rejection {
            code,
            message,
            field: field.map(str::to_owned),
            operation: None,
            cycle: Vec::new(),
            dependents: Vec::new(),
        }))
    }

    /// An input field's value cannot be used (`BAD_USER_INPUT`, with the field).
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::rejected("BAD_USER_INPUT", Some(field), message.into())
    }

    /// The server cannot take this now; retrying later may work (`SERVICE_UNAVAILABLE`).
    pub fn busy(message: String) -> Self {
        Self::rejected("SERVICE_UNAVAILABLE", None, message)
    }

    /// The node an input field names does not exist (`NOT_FOUND`).
    pub fn not_found(field: &str, message: impl Into<String>) -> Self {
        Self::rejected("NOT_FOUND", Some(field), message.into())
    }

    /// The write would break an invariant or lose someone else's change (`CONFLICT`).
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self::rejected("CONFLICT", Some(field), message.into())
    }

    /// No key, or one that is unknown or revoked (`UNAUTHENTICATED`).
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::rejected("UNAUTHENTICATED", None, message.into())
    }

    /// A key without the scope the operation needs (`FORBIDDEN`).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::rejected("FORBIDDEN", None, message.into())
    }

    /// Adds the cycle a write would have closed.
    pub fn with_cycle(mut self, cycle: Vec<String>) -> Self {
        if let Self::Rejected(rejection) = &mut self {
            rejection.cycle = cycle;
        }
        self
    }

    /// Adds what depends on a node whose deletion was refused.
    pub fn with_dependents(mut self, dependents: Vec<String>) -> Self {
        if let Self::Rejected(rejection) = &mut self {
            rejection.dependents = dependents;
        }
        self
    }

    /// Says that the operation at `index` of a batch (named `name`) was refused. Other
    /// failures are not the client's and stay as they are.
    pub fn in_operation(self, index: usize, name: &str) -> Self {
        let mut rejection = match self {
            Self::Rejected(rejection) => rejection,
            Self::BadUserInput(message) => Box::new(Rejection {
                code: "BAD_USER_INPUT",
                message,
                field: None,
                cycle: Vec::new(),
                dependents: Vec::new(),
                operation: None,
            }),
            other => return other,
        };
        rejection.message = format!("operation {index} ({name}): {}", rejection.message);
        rejection.operation = Some(index);
        Self::Rejected(rejection)
    }

    /// The full text, for logs and the command line (never for a GraphQL client).
    pub fn detail(&self) -> String {
        match self {
            Self::BadUserInput(message) => message.clone(),
            Self::Rejected(rejection) => rejection.message.clone(),
            Self::Unavailable(detail) => format!("database unavailable: {detail}"),
            Self::TimedOut(detail) => format!("statement timed out: {detail}"),
            Self::Contended(detail) => format!("collided with concurrent writes: {detail}"),
            Self::Internal(detail) => format!("internal error: {detail}"),
        }
    }

    /// The `extensions.code` a client sees for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::Rejected(rejection) => rejection.code,
            Self::Unavailable(_) | Self::TimedOut(_) => "SERVICE_UNAVAILABLE",
            Self::Contended(_) => "CONFLICT",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

/// Whether a database error means "cannot reach the database" rather than "this statement
/// failed": a client may retry the former, and it says nothing about the request.
///
/// Besides a broken or missing connection, the database itself may say so: SQLSTATE class
/// `08` (connection exception) and class `57` (operator intervention: `57P01` when the server
/// shuts down or an administrator ends the session, `57P03` while it starts). Its `57014`,
/// a cancelled statement, is told apart before this is asked.
fn is_unreachable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx)) => {
            match sqlx.as_ref() {
                Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
                Sqlx::Database(db) => db.code().is_some_and(|code| is_unavailable_state(&code)),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether a SQLSTATE says the database is (for now) out of reach.
fn is_unavailable_state(code: &str) -> bool {
    code.starts_with("08") || code.starts_with("57")
}

/// Whether the database cancelled the statement because it ran past the statement timeout.
fn is_cancelled(err: &DbErr) -> bool {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx)) => {
            sqlx.as_database_error()
                .and_then(|db| db.code())
                .is_some_and(|code| code == QUERY_CANCELED)
        }
        _ => false,
    }
}

/// PostgreSQL's SQLSTATE for a statement cancelled by `statement_timeout`.
const QUERY_CANCELED: &str = "57014";

/// Whether the database undid the statement's transaction because of concurrent ones, so
/// that running the transaction again may succeed.
fn is_contended(err: &DbErr) -> bool {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx)) => {
            sqlx.as_database_error()
                .and_then(|db| db.code())
                .is_some_and(|code| is_contended_state(&code))
        }
        _ => false,
    }
}

/// Whether an error code says "collided with concurrent transactions": PostgreSQL's
/// SQLSTATE `40001` (serialization_failure) and `40P01` (deadlock_detected), SQLite's
/// `SQLITE_BUSY` (5, another connection held the write lock past the busy timeout) and
/// `SQLITE_BUSY_SNAPSHOT` (517, a reader's snapshot went stale before it could write).
fn is_contended_state(code: &str) -> bool {
    matches!(code, "40001" | "40P01" | "5" | "517")
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_cancelled(&err) {
            Self::TimedOut(err.to_string())
        } else if is_contended(&err) {
            Self::Contended(err.to_string())
        } else if is_unreachable(&err) {
            Self::Unavailable(err.to_string())
        } else {
            Self::Internal(err.to_string())
        }
    }
}

/// Whether a database error is a unique constraint's refusal (SQLSTATE `23505` on
/// PostgreSQL, extended code `2067` or `1555` on SQLite): two writers raced to the same slug.
pub fn is_unique_violation(err: &DbErr) -> bool {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx)) => {
            sqlx.as_database_error()
                .and_then(|db| db.code())
                .is_some_and(|code| matches!(code.as_ref(), "23505" | "2067" | "1555"))
        }
        _ => false,
    }
}

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        let message = match &err {
            Error::BadUserInput(message) => message.clone(),
            Error::Rejected(rejection) => {
                let rejection = rejection.clone();
                return async_graphql::Error::new(rejection.message).extend_with(|_, ext| {
                    ext.set("code", rejection.code);
                    if let Some(field) = &rejection.field {
                        ext.set("field", field.as_str());
                    }
                    if !rejection.cycle.is_empty() {
                        ext.set("cycle", rejection.cycle.clone());
                    }
                    if !rejection.dependents.is_empty() {
                        ext.set("dependents", rejection.dependents.clone());
                    }
                    if let Some(operation) = rejection.operation {
                        ext.set("operation", operation);
                    }
                });
            }
            Error::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                "the service is temporarily unavailable, please retry".to_owned()
            }
            Error::TimedOut(detail) => {
                tracing::warn!(%detail, "statement cancelled by the statement timeout");
                "the query took too long and was cancelled; ask for less, or retry later".to_owned()
            }
            Error::Contended(detail) => {
                tracing::warn!(%detail, "write undone by concurrent writes");
                "the write collided with concurrent writes and nothing was changed; \
                 retry it (after reading again if it depends on what it read)"
                    .to_owned()
            }
            Error::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal server error".to_owned()
            }
        };
        async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", err.code()))
    }
}

impl From<Error> for anyhow::Error {
    fn from(err: Error) -> Self {
        anyhow::anyhow!(err.detail())
    }
}

#[cfg(test)]
mod tests {
    use super::{is_contended_state, is_unavailable_state};

    #[test]
    fn deadlocks_and_serialization_failures_mean_contended() {
        for code in ["40001", "40P01", "5", "517"] {
            assert!(is_contended_state(code), "{code}");
            assert!(!is_unavailable_state(code), "{code}");
        }
        for code in ["23505", "23503", "57014", "40002", "2067"] {
            assert!(!is_contended_state(code), "{code}");
        }
    }

    #[test]
    fn connection_and_shutdown_states_mean_unavailable() {
        for code in ["57P01", "57P02", "57P03", "08006", "08003"] {
            assert!(is_unavailable_state(code), "{code}");
        }
        for code in ["23505", "42P01", "40001", "22P02"] {
            assert!(!is_unavailable_state(code), "{code}");
        }
    }
}
