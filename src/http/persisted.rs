//! Automatic persisted queries, as Apollo's clients send them: a GET whose URL holds only the
//! SHA-256 hash of a document the server has seen (`extensions.persistedQuery.sha256Hash`),
//! so that URLs stay short and a CDN can cache them.
//!
//! async-graphql has an extension for this, but any registered extension wraps the resolution
//! of every field of every request (a few percent of the server's time on large answers, see
//! `graphql/error_codes.rs`), while this needs one look-up before a request runs; hence this
//! small store of our own. Each replica keeps its own store; a client that meets a replica
//! which has not seen its document is told so and sends the document once more.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use sha2::{Digest, Sha256};

/// How many documents a server remembers; the oldest is forgotten first.
const CAPACITY: usize = 10_000;

/// Why a persisted query could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum PersistedError {
    /// The hash names no document this server has seen: send the document with the hash.
    NotFound,
    /// The document's hash is not the one given.
    HashMismatch,
    /// `extensions.persistedQuery` is not `{ version: 1, sha256Hash: "<64 hex digits>" }`.
    Malformed(&'static str),
}

impl PersistedError {
    /// The message and `extensions.code` Apollo's clients look for.
    pub fn message_and_code(&self) -> (&'static str, &'static str) {
        match self {
            PersistedError::NotFound => ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND"),
            PersistedError::HashMismatch => (
                "the document's SHA-256 hash is not `extensions.persistedQuery.sha256Hash`",
                "BAD_REQUEST",
            ),
            PersistedError::Malformed(message) => (message, "BAD_REQUEST"),
        }
    }
}

/// The documents seen with a hash, shared by a server's handlers.
#[derive(Clone, Debug, Default)]
pub struct PersistedQueries {
    inner: Arc<Mutex<Store>>,
}

#[derive(Debug, Default)]
struct Store {
    documents: HashMap<String, Arc<str>>,
    /// Hashes in the order they were stored, for forgetting the oldest.
    order: VecDeque<String>,
}

/// The hash a request names, if it uses a persisted query.
fn named_hash(request: &Request) -> Result<Option<String>, PersistedError> {
    use async_graphql::Value;
    let Some(persisted) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let Value::Object(fields) = persisted else {
        return Err(PersistedError::Malformed(
            "`extensions.persistedQuery` must be an object",
        ));
    };
    if fields.get("version") != Some(&Value::Number(1.into())) {
        return Err(PersistedError::Malformed(
            "`extensions.persistedQuery.version` must be 1",
        ));
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok(Some(hash.to_ascii_lowercase()))
        }
        _ => Err(PersistedError::Malformed(
            "`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits",
        )),
    }
}

/// The SHA-256 hash of a document, in lowercase hexadecimal.
fn sha256_hex(document: &str) -> String {
    Sha256::digest(document.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl PersistedQueries {
    /// Completes a request that uses a persisted query: a request with only the hash gets the
    /// document remembered for it; a request with both has its hash checked and its document
    /// remembered. Other requests are left as they are.
    pub fn resolve(&self, request: &mut Request) -> Result<(), PersistedError> {
        let Some(hash) = named_hash(request)? else {
            return Ok(());
        };
        let mut store = self
            .inner
            .lock()
            .map_err(|_| PersistedError::Malformed("the persisted query store is unusable"))?;
        if request.query.is_empty() {
            let document = store.documents.get(&hash).ok_or(PersistedError::NotFound)?;
            request.query = document.to_string();
            return Ok(());
        }
        if sha256_hex(&request.query) != hash {
            return Err(PersistedError::HashMismatch);
        }
        if !store.documents.contains_key(&hash) {
            if store.order.len() >= CAPACITY
                && let Some(oldest) = store.order.pop_front()
            {
                store.documents.remove(&oldest);
            }
            store.order.push_back(hash.clone());
            store
                .documents
                .insert(hash, Arc::from(request.query.as_str()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_hash(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        let extensions =
            serde_json::json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        request.extensions = serde_json::from_value(extensions).unwrap();
        request
    }

    #[test]
    fn a_hash_finds_the_document_it_was_registered_with() {
        let store = PersistedQueries::default();
        let document = "{ roles { totalCount } }";
        let hash = sha256_hex(document);
        let mut only_hash = with_hash("", &hash);
        assert_eq!(store.resolve(&mut only_hash), Err(PersistedError::NotFound));
        let mut both = with_hash(document, &hash);
        assert_eq!(store.resolve(&mut both), Ok(()));
        let mut only_hash = with_hash("", &hash.to_uppercase());
        assert_eq!(store.resolve(&mut only_hash), Ok(()));
        assert_eq!(only_hash.query, document);
        let mut wrong = with_hash("{ skills { totalCount } }", &hash);
        assert_eq!(store.resolve(&mut wrong), Err(PersistedError::HashMismatch));
        let mut malformed = with_hash("", "abc");
        assert!(matches!(
            store.resolve(&mut malformed),
            Err(PersistedError::Malformed(_))
        ));
    }

    #[test]
    fn the_hash_is_sha256_in_hex() {
        // The SHA-256 of the empty string, as published.
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
