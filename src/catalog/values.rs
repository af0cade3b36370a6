//! The catalog's enumerated values (importance, level, category, skill type, reuse level) in
//! the file as the names the database stores, and read into their types as the file is read:
//! an unknown value is refused there, once, with its position, and the rest of the crate
//! holds only known values. For `#[serde(with = ...)]`.

use sea_orm::{ActiveEnum, Iterable};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

/// The values `T` may take, for an error.
fn expected<T: ActiveEnum<Value = String> + Iterable>() -> String {
    T::iter()
        .map(|value| value.to_value())
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse<'de, T, D>(text: String) -> Result<T, D::Error>
where
    T: ActiveEnum<Value = String> + Iterable,
    D: Deserializer<'de>,
{
    T::try_from_value(&text).map_err(|_| {
        D::Error::custom(format!(
            "unknown value {text:?}, expected one of {}",
            expected::<T>()
        ))
    })
}

/// A value that must be present.
pub mod required {
    use super::*;

    pub fn serialize<T: ActiveEnum<Value = String>, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_value())
    }

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: ActiveEnum<Value = String> + Iterable,
        D: Deserializer<'de>,
    {
        parse::<T, D>(String::deserialize(deserializer)?)
    }
}

/// A value that may be absent (use with `default` and `skip_serializing_if`).
pub mod optional {
    use super::*;

    pub fn serialize<T: ActiveEnum<Value = String>, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&value.to_value()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: ActiveEnum<Value = String> + Iterable,
        D: Deserializer<'de>,
    {
        Option::<String>::deserialize(deserializer)?
            .map(parse::<T, D>)
            .transpose()
    }
}

/// A time, in milliseconds since the Unix epoch, written as RFC 3339 (`2026-12-02T10:00:00.000Z`).
pub mod instant {
    use chrono::{DateTime, SecondsFormat};

    use super::*;

    pub fn serialize<S: Serializer>(millis: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        let time = DateTime::from_timestamp_millis(*millis)
            .ok_or_else(|| serde::ser::Error::custom(format!("{millis} ms is out of range")))?;
        serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::Millis, true))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|time| time.timestamp_millis())
            .map_err(|err| D::Error::custom(format!("{text:?} is not an RFC 3339 time: {err}")))
    }
}
