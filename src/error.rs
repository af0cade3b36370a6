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
    /// The database cannot be reached right now; trying again later may work.
    Unavailable(String),
    /// The database cancelled a statement that ran too long.
    TimedOut(String),
    /// A fault on our side. The detail is for the log, never for the client.
    Internal(String),
}

impl Error {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadUserInput(message.into())
    }

    /// The full text, for logs and the command line (never for a GraphQL client).
    pub fn detail(&self) -> String {
        match self {
            Self::BadUserInput(message) => message.clone(),
            Self::Unavailable(detail) => format!("database unavailable: {detail}"),
            Self::TimedOut(detail) => format!("statement timed out: {detail}"),
            Self::Internal(detail) => format!("internal error: {detail}"),
        }
    }

    /// The `extensions.code` a client sees for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::Unavailable(_) | Self::TimedOut(_) => "SERVICE_UNAVAILABLE",
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

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_cancelled(&err) {
            Self::TimedOut(err.to_string())
        } else if is_unreachable(&err) {
            Self::Unavailable(err.to_string())
        } else {
            Self::Internal(err.to_string())
        }
    }
}

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        let message = match &err {
            Error::BadUserInput(message) => message.clone(),
            Error::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                "the service is temporarily unavailable, please retry".to_owned()
            }
            Error::TimedOut(detail) => {
                tracing::warn!(%detail, "statement cancelled by the statement timeout");
                "the query took too long and was cancelled; ask for less, or retry later".to_owned()
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
    use super::is_unavailable_state;

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
