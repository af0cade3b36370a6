//! Automatic persisted queries, as Apollo's clients send them: a GET whose URL holds only the
//! SHA-256 hash of a document the server has seen (`extensions.persistedQuery.sha256Hash`),
//! so that URLs stay short and a CDN can cache them.
//!
//! async-graphql has an extension for this, but any registered extension wraps the resolution
//! of every field of every request (a few percent of the server's time on large answers, see
//! `graphql/engine/error_codes.rs`), while this needs one look-up before a request runs; hence
//! this small store of our own. Each replica keeps its own store; a client that meets a replica
//! which has not seen its document is told so and sends the document once more.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use sha2::{Digest, Sha256};

/// How many bytes of documents a server remembers unless configured otherwise; the least
/// recently used are forgotten first.
pub const DEFAULT_CAPACITY_BYTES: usize = 16 * 1024 * 1024;

/// What one remembered document counts for, beyond its text: its hash and bookkeeping.
const ENTRY_OVERHEAD: usize = 128;

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
#[derive(Clone, Debug)]
pub struct PersistedQueries {
    inner: Arc<Mutex<Store>>,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        PersistedQueries::with_capacity(DEFAULT_CAPACITY_BYTES)
    }
}

/// The remembered documents, and the order they were last used in, both bounded by bytes.
#[derive(Debug)]
struct Store {
    capacity: usize,
    bytes: usize,
    /// Each hash's document and the tick of its last use.
    documents: HashMap<String, (Arc<str>, u64)>,
    /// Hashes by the tick of their last use: the first is the least recently used.
    by_use: BTreeMap<u64, String>,
    tick: u64,
}

impl Store {
    fn size(document: &str) -> usize {
        document.len() + ENTRY_OVERHEAD
    }

    /// The document of `hash`, marked as just used.
    fn get(&mut self, hash: &str) -> Option<Arc<str>> {
        self.tick += 1;
        let tick = self.tick;
        let (document, used) = self.documents.get_mut(hash)?;
        self.by_use.remove(used);
        *used = tick;
        self.by_use.insert(tick, hash.to_owned());
        Some(document.clone())
    }

    /// Remembers `document` under `hash`, forgetting the least recently used documents until
    /// it fits. A document larger than the whole store is not kept.
    fn insert(&mut self, hash: String, document: &str) {
        let size = Self::size(document);
        if size > self.capacity || self.get(&hash).is_some() {
            return;
        }
        while self.bytes + size > self.capacity {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((forgotten, _)) = self.documents.remove(&oldest) {
                self.bytes -= Self::size(&forgotten);
            }
        }
        self.tick += 1;
        self.by_use.insert(self.tick, hash.clone());
        self.documents
            .insert(hash, (Arc::from(document), self.tick));
        self.bytes += size;
    }
}

/// A document to remember once its request has been admitted and has run past validation:
/// a client cannot fill the store with documents it may not run or that do not validate.
#[derive(Debug)]
pub struct Registration {
    hash: String,
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
    /// A store of at most `capacity` bytes of documents.
    pub fn with_capacity(capacity: usize) -> Self {
        PersistedQueries {
            inner: Arc::new(Mutex::new(Store {
                capacity,
                bytes: 0,
                documents: HashMap::new(),
                by_use: BTreeMap::new(),
                tick: 0,
            })),
        }
    }

    /// Completes a request that uses a persisted query: a request with only the hash gets the
    /// document remembered for it; a request with both has its hash checked, and is given
    /// back a [`Registration`] to [`PersistedQueries::register`] once it has run. Other
    /// requests are left as they are.
    pub fn resolve(&self, request: &mut Request) -> Result<Option<Registration>, PersistedError> {
        let Some(hash) = named_hash(request)? else {
            return Ok(None);
        };
        if request.query.is_empty() {
            let mut store = self.store()?;
            let document = store.get(&hash).ok_or(PersistedError::NotFound)?;
            request.query = document.to_string();
            return Ok(None);
        }
        if sha256_hex(&request.query) != hash {
            return Err(PersistedError::HashMismatch);
        }
        Ok(Some(Registration { hash }))
    }

    /// Remembers the document of a request that was admitted and validated.
    pub fn register(&self, registration: Registration, document: &str) {
        if let Ok(mut store) = self.store() {
            store.insert(registration.hash, document);
        }
    }

    fn store(&self) -> Result<std::sync::MutexGuard<'_, Store>, PersistedError> {
        self.inner
            .lock()
            .map_err(|_| PersistedError::Malformed("the persisted query store is unusable"))
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
        assert_eq!(
            store.resolve(&mut only_hash).err(),
            Some(PersistedError::NotFound)
        );
        let mut both = with_hash(document, &hash);
        let registration = store.resolve(&mut both).expect("the hash matches");
        let mut only_hash = with_hash("", &hash);
        assert_eq!(
            store.resolve(&mut only_hash).err(),
            Some(PersistedError::NotFound),
            "nothing is remembered before the request is registered"
        );
        store.register(registration.expect("a registration"), &both.query);
        let mut only_hash = with_hash("", &hash.to_uppercase());
        assert!(store.resolve(&mut only_hash).expect("found").is_none());
        assert_eq!(only_hash.query, document);
        let mut wrong = with_hash("{ skills { totalCount } }", &hash);
        assert_eq!(
            store.resolve(&mut wrong).err(),
            Some(PersistedError::HashMismatch)
        );
        let mut malformed = with_hash("", "abc");
        assert!(matches!(
            store.resolve(&mut malformed),
            Err(PersistedError::Malformed(_))
        ));
    }

    /// Registers `documents` in turn, each under its own hash.
    fn remember(store: &PersistedQueries, documents: &[&str]) {
        for document in documents {
            let mut request = with_hash(document, &sha256_hex(document));
            let registration = store.resolve(&mut request).expect("valid").expect("both");
            store.register(registration, document);
        }
    }

    fn knows(store: &PersistedQueries, document: &str) -> bool {
        store
            .resolve(&mut with_hash("", &sha256_hex(document)))
            .is_ok()
    }

    #[test]
    fn the_store_is_bounded_in_bytes_and_forgets_the_least_recently_used() {
        let document = |n: usize| format!("{{ a{n}: __typename {} }}", " ".repeat(300));
        let (a, b, c) = (document(1), document(2), document(3));
        let each = Store::size(&a);
        let store = PersistedQueries::with_capacity(2 * each);
        remember(&store, &[&a, &b]);
        assert!(
            knows(&store, &a),
            "a used, so b is now the least recently used"
        );
        remember(&store, &[&c]);
        assert!(knows(&store, &a) && knows(&store, &c));
        assert!(!knows(&store, &b), "b was forgotten to make room");
        let bytes = store.inner.lock().map(|store| store.bytes).unwrap_or(0);
        assert_eq!(bytes, 2 * each);
        // A document larger than the whole store is not kept, and forgets nothing.
        let huge = format!("{{ __typename {} }}", " ".repeat(3 * each));
        remember(&store, &[&huge]);
        assert!(!knows(&store, &huge) && knows(&store, &a) && knows(&store, &c));
        // Registering a known document again changes nothing.
        remember(&store, &[&a]);
        let bytes = store.inner.lock().map(|store| store.bytes).unwrap_or(0);
        assert_eq!(bytes, 2 * each);
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
