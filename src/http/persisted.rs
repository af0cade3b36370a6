//! Automatic persisted queries, as Apollo's clients send them: a GET whose URL holds only the
//! SHA-256 hash of a document the server has seen (`extensions.persistedQuery.sha256Hash`),
//! so that URLs stay short and a CDN can cache them. And documents named by id, as the
//! GraphQL-over-HTTP proposal for persisted documents sends them (`documentId`, the
//! parameters put it in `extensions.documentId`).
//!
//! On a server with trusted documents (see `graphql/trusted.rs`), an id names a listed
//! document, found in the manifests, and nothing is remembered: a document sent with its hash
//! runs when it is listed (and is found by its hash anyway) and is refused when it is not,
//! so that no client adds a document of its own. Without them, `documentId` takes
//! `sha256:<hex>` of a document remembered here.
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

use super::protocol;
use crate::graphql::{MAX_ID_BYTES, TrustedDocuments};

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
    /// `extensions.persistedQuery` is not `{ version: 1, sha256Hash: "<64 hex digits>" }`,
    /// or `documentId` is not a short text sent alone.
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

    /// The answer to a request whose named document cannot be used: nothing ran.
    pub fn to_response(&self) -> async_graphql::Response {
        let (message, code) = self.message_and_code();
        protocol::refusal(message, code)
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
#[derive(Debug, PartialEq, Eq)]
pub struct Registration {
    hash: String,
}

/// The hash a request names, if it uses a persisted query: 64 hexadecimal digits, in
/// lowercase; on a server with trusted documents (`any_id`), any id of at most
/// [`MAX_ID_BYTES`], as given, since Apollo's clients send a manifest's ids there.
fn named_hash(request: &Request, any_id: bool) -> Result<Option<String>, PersistedError> {
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
        Some(Value::String(id)) if any_id && !id.is_empty() && id.len() <= MAX_ID_BYTES => {
            Ok(Some(id.clone()))
        }
        Some(Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok(Some(hash.to_ascii_lowercase()))
        }
        _ if any_id => Err(PersistedError::Malformed(
            "`extensions.persistedQuery.sha256Hash` must be an id of 1 to 256 bytes",
        )),
        _ => Err(PersistedError::Malformed(
            "`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits",
        )),
    }
}

// The messages about ids say how long one may be.
const _: () = assert!(MAX_ID_BYTES == 256);

/// The `documentId` a request names (taken out of its extensions, where the parameters put
/// it): refused, before it is looked at further, when it is not a text of at most
/// [`MAX_ID_BYTES`] or comes with a `query` too.
fn document_id(request: &mut Request) -> Result<Option<String>, PersistedError> {
    use async_graphql::Value;
    let Some(id) = request.extensions.0.remove("documentId") else {
        return Ok(None);
    };
    let Value::String(id) = id else {
        return Err(PersistedError::Malformed("`documentId` must be a string"));
    };
    if id.is_empty() || id.len() > MAX_ID_BYTES {
        return Err(PersistedError::Malformed(
            "`documentId` must be 1 to 256 bytes long",
        ));
    }
    if !request.query.is_empty() {
        return Err(PersistedError::Malformed(
            "send `documentId` or `query`, not both",
        ));
    }
    Ok(Some(id))
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

    /// Completes a request that names its document: one with a `documentId`, or with only a
    /// persisted query's hash, gets the document named (from `trusted` when it is on, else
    /// from what this store remembers); one with both a hash and a document has its hash
    /// checked and, unless trusted documents are on, is given back a [`Registration`] to
    /// [`PersistedQueries::register`] once it has run. Other requests are left as they are.
    pub fn resolve(
        &self,
        trusted: &TrustedDocuments,
        request: &mut Request,
    ) -> Result<Option<Registration>, PersistedError> {
        let listed = trusted.current();
        if let Some(id) = document_id(request)? {
            let document = match &listed {
                Some(listed) => listed.lookup(&id),
                None => self.remembered_as(&id)?,
            };
            request.query = document.ok_or(PersistedError::NotFound)?.to_string();
            return Ok(None);
        }
        let Some(hash) = named_hash(request, listed.is_some())? else {
            return Ok(None);
        };
        if let Some(listed) = listed {
            // Only the manifests name documents: nothing is remembered, and a document sent
            // with its hash is left to the trust check, which runs it only when it is listed.
            let named = listed.lookup(&hash);
            if request.query.is_empty() {
                request.query = named.ok_or(PersistedError::NotFound)?.to_string();
            } else if sha256_hex(&request.query) != hash.to_ascii_lowercase()
                && named.as_deref() != Some(request.query.as_str())
            {
                return Err(PersistedError::HashMismatch);
            }
            return Ok(None);
        }
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

    /// The document remembered under a `sha256:<hex>` document id; `None` for any other id.
    fn remembered_as(&self, id: &str) -> Result<Option<Arc<str>>, PersistedError> {
        let Some(hash) = id
            .strip_prefix("sha256:")
            .filter(|hash| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        else {
            return Ok(None);
        };
        Ok(self.store()?.get(&hash.to_ascii_lowercase()))
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
            store
                .resolve(&TrustedDocuments::default(), &mut only_hash)
                .err(),
            Some(PersistedError::NotFound)
        );
        let mut both = with_hash(document, &hash);
        let registration = store
            .resolve(&TrustedDocuments::default(), &mut both)
            .expect("the hash matches");
        let mut only_hash = with_hash("", &hash);
        assert_eq!(
            store
                .resolve(&TrustedDocuments::default(), &mut only_hash)
                .err(),
            Some(PersistedError::NotFound),
            "nothing is remembered before the request is registered"
        );
        store.register(registration.expect("a registration"), &both.query);
        let mut only_hash = with_hash("", &hash.to_uppercase());
        assert!(
            store
                .resolve(&TrustedDocuments::default(), &mut only_hash)
                .expect("found")
                .is_none()
        );
        assert_eq!(only_hash.query, document);
        let mut wrong = with_hash("{ skills { totalCount } }", &hash);
        assert_eq!(
            store
                .resolve(&TrustedDocuments::default(), &mut wrong)
                .err(),
            Some(PersistedError::HashMismatch)
        );
        let mut malformed = with_hash("", "abc");
        assert!(matches!(
            store.resolve(&TrustedDocuments::default(), &mut malformed),
            Err(PersistedError::Malformed(_))
        ));
    }

    /// Registers `documents` in turn, each under its own hash.
    fn remember(store: &PersistedQueries, documents: &[&str]) {
        for document in documents {
            let mut request = with_hash(document, &sha256_hex(document));
            let registration = store
                .resolve(&TrustedDocuments::default(), &mut request)
                .expect("valid")
                .expect("both");
            store.register(registration, document);
        }
    }

    fn knows(store: &PersistedQueries, document: &str) -> bool {
        store
            .resolve(
                &TrustedDocuments::default(),
                &mut with_hash("", &sha256_hex(document)),
            )
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

    /// Trusted documents read from a manifest of `documents`, each under a custom id `d<n>`.
    fn trusting(documents: &[&str]) -> (TrustedDocuments, tempfile::TempDir) {
        let folder = tempfile::tempdir().expect("a folder");
        let file = folder.path().join("persisted-documents.json");
        let manifest: serde_json::Map<String, serde_json::Value> = documents
            .iter()
            .enumerate()
            .map(|(at, document)| (format!("d{at}"), serde_json::json!(document)))
            .collect();
        std::fs::write(&file, serde_json::Value::Object(manifest).to_string()).expect("written");
        let trusted = TrustedDocuments::load(&[file], false).expect("a manifest");
        (trusted, folder)
    }

    fn with_document_id(id: &str) -> Request {
        let mut request = Request::new("");
        request
            .extensions
            .0
            .insert("documentId".into(), async_graphql::Value::String(id.into()));
        request
    }

    #[test]
    fn with_trusted_documents_ids_name_listed_documents_and_nothing_is_remembered() {
        let document = "{ roles { totalCount } }";
        let (trusted, _folder) = trusting(&[document]);
        let store = PersistedQueries::default();
        for id in [
            "d0",
            &sha256_hex(document),
            &format!("sha256:{}", sha256_hex(document)),
        ] {
            let mut by_id = with_document_id(id);
            assert_eq!(store.resolve(&trusted, &mut by_id), Ok(None), "{id}");
            assert_eq!(by_id.query, document, "{id}");
            assert!(by_id.extensions.get("documentId").is_none());
            let mut by_hash = with_hash("", id);
            assert_eq!(store.resolve(&trusted, &mut by_hash), Ok(None), "{id}");
            assert_eq!(by_hash.query, document, "{id}");
        }
        let mut unknown = with_document_id("d1");
        assert_eq!(
            store.resolve(&trusted, &mut unknown),
            Err(PersistedError::NotFound)
        );
        // A document sent with its hash registers nothing, listed or not: the trust check
        // decides whether it runs.
        let other = "{ skills { totalCount } }";
        let mut both = with_hash(other, &sha256_hex(other));
        assert_eq!(store.resolve(&trusted, &mut both), Ok(None));
        let mut listed = with_hash(document, "d0");
        assert_eq!(store.resolve(&trusted, &mut listed), Ok(None));
        let mut mismatch = with_hash(other, "d0");
        assert_eq!(
            store.resolve(&trusted, &mut mismatch),
            Err(PersistedError::HashMismatch)
        );
    }

    #[test]
    fn a_document_id_is_short_and_alone() {
        let store = PersistedQueries::default();
        let off = TrustedDocuments::default();
        let mut long = with_document_id(&"a".repeat(4096));
        assert!(matches!(
            store.resolve(&off, &mut long),
            Err(PersistedError::Malformed(_))
        ));
        let mut both = with_document_id("d0");
        both.query = "{ __typename }".into();
        assert!(matches!(
            store.resolve(&off, &mut both),
            Err(PersistedError::Malformed(_))
        ));
        // Without trusted documents, a `sha256:` id names a remembered document.
        let document = "{ tools { totalCount } }";
        remember(&store, &[document]);
        let mut by_id = with_document_id(&format!("sha256:{}", sha256_hex(document)));
        assert_eq!(store.resolve(&off, &mut by_id), Ok(None));
        assert_eq!(by_id.query, document);
        let mut custom = with_document_id("d0");
        assert_eq!(
            store.resolve(&off, &mut custom),
            Err(PersistedError::NotFound)
        );
    }
}
