//! The time the graph's records are stamped with (the change log, API keys), in milliseconds
//! since the Unix epoch: one clock for every module that writes a time, beneath them all.

/// Now, in milliseconds since the Unix epoch (0 for a clock set before it).
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}
