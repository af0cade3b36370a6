//! Trusted documents: a server given manifests of the documents its own clients send
//! (`serve --trusted-documents FILE`) runs those and nothing else.
//!
//! A public API answers any document anyone writes; an API behind first-party frontends need
//! not, and refusing every document its clients were not built with takes away the costly,
//! probing and scraping queries at once, whatever the limits would have let through. The
//! manifests are what the clients' build tools write: Apollo's persisted query manifest
//! (`generate-persisted-query-manifest`) and graphql-codegen's `persisted-documents.json`
//! (client preset, `persistedDocuments: true`).
//!
//! A document is trusted when it is listed, however a request names it: by a manifest's id
//! (`documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`, which the HTTP layer
//! looks up in [`DocumentSet::lookup`]), by `sha256:<hex>` of its text, or by its text itself, when the text's SHA-256
//! is that of a listed document or a listed id. The check ([`TrustedDocuments::admits`]) runs
//! where the document limits run, in [`super::Api`], so that it covers every way in.
//!
//! The set is replaced whole on a reload (SIGHUP, see `cli.rs`): each look-up and each check
//! reads it through a lock held only to clone an `Arc` (a request that a reload overtakes
//! between the two is checked against the newer set), and a reload that fails leaves the set
//! before it in force.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use sha2::{Digest, Sha256};

use super::engine::error_codes::UNTRUSTED_DOCUMENT;

/// The longest document id taken, in bytes, from a manifest or from a request. Real ids are
/// hashes (40 or 64 hexadecimal digits, with a prefix at most); a longer one in a request is
/// refused before it is hashed or looked up.
pub const MAX_ID_BYTES: usize = 256;

/// Why a manifest could not be used; the message names the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError(String);

impl ManifestError {
    fn in_file(file: &Path, reason: impl std::fmt::Display) -> Self {
        ManifestError(format!("trusted documents {}: {reason}", file.display()))
    }
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The documents of a set of manifests, by id and by the SHA-256 of their text.
#[derive(Debug, Default)]
pub struct DocumentSet {
    /// Each document's text, once however many ids name it.
    bodies: Vec<Arc<str>>,
    /// The ids the manifests give, as given.
    by_id: HashMap<Box<str>, usize>,
    /// The SHA-256 of each document's text.
    by_sha256: HashMap<[u8; 32], usize>,
}

/// The SHA-256 of a text.
fn sha256(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The 32 bytes that 64 hexadecimal digits (either case) spell.
fn from_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(bytes)
}

impl DocumentSet {
    /// How many distinct documents the set holds.
    pub fn len(&self) -> usize {
        self.bodies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }

    /// The document `id` names: a manifest's id as given, or `sha256:<hex>` (or the 64
    /// digits alone, as Apollo's clients send them) of a listed document's text.
    pub fn lookup(&self, id: &str) -> Option<Arc<str>> {
        if let Some(&at) = self.by_id.get(id) {
            return Some(self.bodies[at].clone());
        }
        let digits = id.strip_prefix("sha256:").unwrap_or(id);
        let at = *self.by_sha256.get(&from_hex(digits)?)?;
        Some(self.bodies[at].clone())
    }

    /// Whether a document's text is trusted: it is a listed document's, byte for byte, or
    /// its SHA-256 is a listed id (a manifest whose ids are hashes of texts it spells
    /// differently).
    pub fn trusts(&self, text: &str) -> bool {
        let digest = sha256(text);
        if self.by_sha256.contains_key(&digest) {
            return true;
        }
        let digits = hex(&digest);
        self.by_id.contains_key(digits.as_str())
            || self.by_id.contains_key(format!("sha256:{digits}").as_str())
    }

    /// Adds the documents of one manifest, checked: every id is a non-empty text of at most
    /// [`MAX_ID_BYTES`] naming one document, and every document parses as GraphQL.
    fn add(&mut self, file: &Path, entries: Vec<(String, String)>) -> Result<(), ManifestError> {
        for (id, body) in entries {
            if id.is_empty() || id.len() > MAX_ID_BYTES {
                let reason = format!("an id must be 1 to {MAX_ID_BYTES} bytes long");
                return Err(ManifestError::in_file(file, reason));
            }
            if let Err(err) = async_graphql::parser::parse_query(&body) {
                let reason = format!(
                    "the document {id:?} is not valid GraphQL: {}",
                    parse_error(&err)
                );
                return Err(ManifestError::in_file(file, reason));
            }
            let digest = sha256(&body);
            let at = match self.by_sha256.get(&digest) {
                Some(&at) => at,
                None => {
                    self.bodies.push(Arc::from(body));
                    let at = self.bodies.len() - 1;
                    self.by_sha256.insert(digest, at);
                    at
                }
            };
            match self.by_id.get(id.as_str()) {
                Some(&known) if known != at => {
                    let reason = format!("the id {id:?} names two different documents");
                    return Err(ManifestError::in_file(file, reason));
                }
                Some(_) => {}
                None => {
                    self.by_id.insert(id.into_boxed_str(), at);
                }
            }
        }
        Ok(())
    }

    /// The documents of the manifests in `files`, read and checked; the first file that
    /// cannot be read or used fails the whole set.
    pub fn read(files: &[PathBuf]) -> Result<Self, ManifestError> {
        let mut set = DocumentSet::default();
        for file in files {
            let text = std::fs::read_to_string(file)
                .map_err(|err| ManifestError::in_file(file, format!("cannot be read: {err}")))?;
            let entries = parse_manifest(&text).map_err(|err| ManifestError::in_file(file, err))?;
            set.add(file, entries)?;
        }
        Ok(set)
    }
}

/// A parser's error on one line: its position and what it expected, without the excerpt of
/// the document a syntax error draws over several lines.
fn parse_error(err: &async_graphql::parser::Error) -> String {
    let position = err
        .positions()
        .next()
        .map(|at| format!("line {}, column {}: ", at.line, at.column))
        .unwrap_or_default();
    let text = err.to_string();
    // A syntax error's last line says what was expected (`= expected selection`).
    let what = text
        .lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix('='))
        .map_or(text.as_str(), str::trim);
    format!("{position}{}", what.replace('\n', " "))
}

/// The `format` of Apollo's persisted query manifest.
const APOLLO_FORMAT: &str = "apollo-persisted-query-manifest";

/// The (id, document) pairs of a manifest in either format: Apollo's (`{"format":
/// "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "body", "name",
/// "type"}]}`, of which the id and the body count) or graphql-codegen's (an object of ids to
/// documents).
fn parse_manifest(text: &str) -> Result<Vec<(String, String)>, String> {
    use serde_json::Value;
    let value: Value = serde_json::from_str(text).map_err(|err| format!("is not JSON: {err}"))?;
    let Value::Object(mut object) = value else {
        return Err(not_a_manifest());
    };
    let Some(format) = object.remove("format") else {
        // graphql-codegen's map, which has no `format`.
        return object
            .into_iter()
            .map(|(id, body)| match body {
                Value::String(body) => Ok((id, body)),
                _ => Err(format!("the entry {id:?} is not a document (a string)")),
            })
            .collect();
    };
    if format != APOLLO_FORMAT {
        return Err(format!("the format {format} is not {APOLLO_FORMAT:?}"));
    }
    match object.get("version") {
        Some(version) if version == 1 => {}
        Some(version) => return Err(format!("version {version} is not supported (1 is)")),
        None => return Err("the manifest has no `version`".into()),
    }
    let Some(Value::Array(operations)) = object.remove("operations") else {
        return Err("the manifest has no `operations` list".into());
    };
    operations
        .into_iter()
        .enumerate()
        .map(|(at, operation)| {
            let text = |name: &str| match operation.get(name) {
                Some(Value::String(text)) => Ok(text.clone()),
                _ => Err(format!("operation {at} has no `{name}` string")),
            };
            Ok((text("id")?, text("body")?))
        })
        .collect()
}

fn not_a_manifest() -> String {
    "is neither Apollo's persisted query manifest ({\"format\": \"apollo-persisted-query-manifest\", \
     \"version\": 1, \"operations\": [...]}) nor an object of ids to documents (graphql-codegen's \
     persisted-documents.json)"
        .into()
}

/// The refusal of a document that is not trusted.
#[derive(Debug, PartialEq, Eq)]
pub struct Untrusted;

impl Untrusted {
    /// The error a client gets: `UNTRUSTED_DOCUMENT`, before anything runs.
    pub fn to_server_error(&self) -> async_graphql::ServerError {
        let message = "this server runs only its trusted documents, and this document is not \
                       one of them: send one of the documents your client was built with, by \
                       its id or its exact text";
        let mut error = async_graphql::ServerError::new(message, None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", UNTRUSTED_DOCUMENT);
        error
    }
}

/// The trusted documents a server runs, shared by everything that answers requests: off (every
/// document runs) unless manifests were given.
#[derive(Clone, Default)]
pub struct TrustedDocuments {
    /// The manifests, read again on [`TrustedDocuments::reload`]; none when off.
    files: Arc<[PathBuf]>,
    /// Whether a key with the `admin` scope may run any document.
    admin_runs_any: bool,
    /// The documents in force; `None` when off.
    current: Arc<RwLock<Option<Arc<DocumentSet>>>>,
}

impl std::fmt::Debug for TrustedDocuments {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("TrustedDocuments")
            .field("files", &self.files)
            .field("admin_runs_any", &self.admin_runs_any)
            .field("documents", &self.current().map(|set| set.len()))
            .finish()
    }
}

impl TrustedDocuments {
    /// Reads the manifests in `files`; with none, every document runs. `admin_runs_any`
    /// lets a key with the `admin` scope run documents that are not listed.
    pub fn load(files: &[PathBuf], admin_runs_any: bool) -> Result<Self, ManifestError> {
        let current = if files.is_empty() {
            None
        } else {
            Some(Arc::new(DocumentSet::read(files)?))
        };
        Ok(TrustedDocuments {
            files: files.into(),
            admin_runs_any,
            current: Arc::new(RwLock::new(current)),
        })
    }

    /// Whether only trusted documents run.
    pub fn is_on(&self) -> bool {
        !self.files.is_empty()
    }

    /// The manifests the documents are read from.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The documents in force now; `None` when every document runs.
    pub fn current(&self) -> Option<Arc<DocumentSet>> {
        let current = self
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        current.clone()
    }

    /// Reads the manifests again and puts the new set in force, whole; how many documents it
    /// holds. When a manifest cannot be read or used, the set before stays in force and the
    /// error says why. Reads files: call it off the request threads.
    pub fn reload(&self) -> Result<usize, ManifestError> {
        if !self.is_on() {
            return Ok(0);
        }
        let set = Arc::new(DocumentSet::read(&self.files)?);
        let documents = set.len();
        let mut current = self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *current = Some(set);
        Ok(documents)
    }

    /// Whether `document` may run for a caller (`admin`: one whose key has the `admin`
    /// scope): always when trusted documents are off; when on, if it is listed, or if the
    /// operator lets admins run any document and this caller is one.
    pub fn admits(&self, document: &str, admin: bool) -> Result<(), Untrusted> {
        let Some(set) = self.current() else {
            return Ok(());
        };
        if (admin && self.admin_runs_any) || set.trusts(document) {
            Ok(())
        } else {
            Err(Untrusted)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: &str = "query Roles { roles(first: 2) { nodes { slug } } }";
    const SKILLS: &str = "query Skills { skills { totalCount } }";

    fn set(entries: &[(&str, &str)]) -> Result<DocumentSet, ManifestError> {
        let mut set = DocumentSet::default();
        let entries = entries
            .iter()
            .map(|(id, body)| ((*id).to_owned(), (*body).to_owned()))
            .collect();
        set.add(Path::new("m.json"), entries)?;
        Ok(set)
    }

    #[test]
    fn both_formats_give_their_ids_and_documents() {
        let apollo = serde_json::json!({
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [{ "id": "abc", "name": "Roles", "type": "query", "body": ROLES }],
        });
        assert_eq!(
            parse_manifest(&apollo.to_string()),
            Ok(vec![("abc".to_owned(), ROLES.to_owned())])
        );
        let codegen = serde_json::json!({ "b1": SKILLS, "a2": ROLES });
        let mut entries = parse_manifest(&codegen.to_string()).expect("a map");
        entries.sort();
        assert_eq!(
            entries,
            [
                ("a2".to_owned(), ROLES.to_owned()),
                ("b1".to_owned(), SKILLS.to_owned())
            ]
        );
    }

    #[test]
    fn what_is_not_a_manifest_is_named() {
        let refused = |text: &str| parse_manifest(text).expect_err("refused");
        assert!(refused("{").contains("not JSON"));
        assert!(refused("[]").contains("neither"));
        assert!(refused(r#"{"a": 1}"#).contains("\"a\" is not a document"));
        assert!(refused(r#"{"format": "other"}"#).contains("is not"));
        let version =
            r#"{"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}"#;
        assert!(refused(version).contains("version 2"));
        let no_body = r#"{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": "x"}]}"#;
        assert!(refused(no_body).contains("operation 0 has no `body`"));
    }

    #[test]
    fn a_document_is_found_by_id_by_its_hash_and_by_its_text() {
        let set = set(&[("custom-id", ROLES), ("other", ROLES), ("s", SKILLS)]).expect("valid");
        assert_eq!(set.len(), 2, "one document however many ids name it");
        assert_eq!(set.lookup("custom-id").as_deref(), Some(ROLES));
        let digits = hex(&sha256(ROLES));
        assert_eq!(set.lookup(&digits).as_deref(), Some(ROLES));
        assert_eq!(set.lookup(&digits.to_uppercase()).as_deref(), Some(ROLES));
        assert_eq!(
            set.lookup(&format!("sha256:{digits}")).as_deref(),
            Some(ROLES)
        );
        assert_eq!(set.lookup("unknown"), None);
        assert_eq!(set.lookup(&hex(&sha256("{ __typename }"))), None);
        assert!(set.trusts(ROLES) && set.trusts(SKILLS));
        assert!(!set.trusts(&format!("{ROLES} ")), "byte for byte");
        assert!(!set.trusts("{ __typename }"));
    }

    #[test]
    fn a_listed_id_that_is_a_hash_trusts_the_text_it_hashes() {
        let text = "{ __typename }";
        let id = hex(&sha256(text));
        let set = set(&[(&id, "{  __typename  }")]).expect("valid");
        assert!(set.trusts(text));
        let prefixed = self::set(&[(&format!("sha256:{id}"), "{  __typename  }")]).expect("valid");
        assert!(prefixed.trusts(text));
    }

    #[test]
    fn a_bad_entry_fails_the_manifest() {
        let error = set(&[("x", ROLES), ("x", SKILLS)]).expect_err("refused");
        assert!(error.0.contains("two different documents"), "{error}");
        assert!(error.0.contains("m.json"), "{error}");
        assert!(set(&[("x", ROLES), ("x", ROLES)]).is_ok(), "the same twice");
        assert!(set(&[("", ROLES)]).is_err());
        assert!(set(&[(&"a".repeat(MAX_ID_BYTES + 1), ROLES)]).is_err());
        let error = set(&[("x", "{ roles {")]).expect_err("refused");
        assert!(error.0.contains("not valid GraphQL"), "{error}");
        assert!(
            error.0.contains("line 1, column 10: expected selection") && !error.0.contains('\n'),
            "one line, with the position: {error}"
        );
    }

    #[test]
    fn off_admits_everything_and_on_admits_the_listed_or_an_allowed_admin() {
        let off = TrustedDocuments::default();
        assert!(!off.is_on());
        assert_eq!(off.admits("{ anything }", false), Ok(()));
        let on = |admin_runs_any| TrustedDocuments {
            files: Arc::from([PathBuf::from("m.json")]),
            admin_runs_any,
            current: Arc::new(RwLock::new(Some(Arc::new(
                set(&[("r", ROLES)]).expect("valid"),
            )))),
        };
        assert_eq!(on(false).admits(ROLES, false), Ok(()));
        assert_eq!(on(false).admits(SKILLS, false), Err(Untrusted));
        assert_eq!(on(false).admits(SKILLS, true), Err(Untrusted));
        assert_eq!(on(true).admits(SKILLS, true), Ok(()));
        assert_eq!(on(true).admits(SKILLS, false), Err(Untrusted));
    }

    #[test]
    fn hexadecimal_is_read_in_either_case_and_only_whole() {
        let digest = sha256("x");
        assert_eq!(from_hex(&hex(&digest)), Some(digest));
        assert_eq!(from_hex(&hex(&digest).to_uppercase()), Some(digest));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex(&"g".repeat(64)), None);
        assert_eq!(from_hex(&"é".repeat(32)), None);
    }
}
