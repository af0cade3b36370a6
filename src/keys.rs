//! API keys: who may write. A key is shown once, when it is made; the database keeps only
//! its SHA-256, found by the key's public prefix and compared in constant time.
//!
//! A key reads `sgk_<prefix>_<secret>`: 8 random bytes of prefix in hex (the lookup handle,
//! safe to show in `keys list`) and 32 random bytes of secret in URL-safe base64. 256 bits of
//! randomness need no slow password hash: nobody can guess them, and a stolen hash is no key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::api_key;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::db::Db;
use crate::graph::clock::now_ms;
use crate::{Error, Result};

/// What a key may do. Reads need no key unless the server requires one; any key may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Change the graph.
    Write,
    /// Everything `write` may, and see which key made each change in the log.
    Admin,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "write" => Some(Scope::Write),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }
}

/// The holder of a key that was presented and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The key's name; the change log records it.
    pub name: String,
    pub scope: Scope,
}

impl Principal {
    /// Fails with `FORBIDDEN` unless the key has at least `needed`.
    pub fn require(&self, needed: Scope) -> Result<()> {
        if self.scope >= needed {
            Ok(())
        } else {
            Err(Error::forbidden(format!(
                "the key {:?} has scope {}; this needs {}",
                self.name,
                self.scope.name(),
                needed.name()
            )))
        }
    }
}

const KEY_PREFIX: &str = "sgk_";
const LONGEST_NAME: usize = 128;

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|err| Error::Internal(format!("random: {err}")))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// Splits a presented key into its prefix, or `None` when it cannot be one of ours.
fn prefix_of(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(KEY_PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    let is_hex = prefix.len() == 16 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
    (is_hex && !secret.is_empty()).then_some(prefix)
}

/// Makes a key; the returned text is the only copy of the key there will ever be.
pub async fn create(db: &Db, name: &str, scope: Scope) -> Result<(api_key::Model, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > LONGEST_NAME || name.chars().any(char::is_control)
    {
        return Err(Error::invalid(
            "name",
            format!("a key's name is 1 to {LONGEST_NAME} printable characters"),
        ));
    }
    let existing = api_key::Entity::find()
        .filter(api_key::Column::Name.eq(name))
        .one(&db.conn)
        .await?;
    if existing.is_some() {
        return Err(Error::conflict(
            "name",
            format!("a key named {name:?} exists"),
        ));
    }
    let prefix = hex(&random::<8>()?);
    let key = format!(
        "{KEY_PREFIX}{prefix}_{}",
        URL_SAFE_NO_PAD.encode(random::<32>()?)
    );
    let model = api_key::ActiveModel {
        name: Set(name.to_owned()),
        scope: Set(scope.name().to_owned()),
        prefix: Set(prefix),
        hash: Set(hash(&key)),
        created_at: Set(now_ms()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&db.conn)
    .await?;
    Ok((model, key))
}

/// Every key ever made, revoked ones included, oldest first.
pub async fn list(db: &Db) -> Result<Vec<api_key::Model>> {
    Ok(api_key::Entity::find()
        .order_by_asc(api_key::Column::Id)
        .all(&db.conn)
        .await?)
}

/// Revokes the key named `name`; says whether there was such a key still in force.
pub async fn revoke(db: &Db, name: &str) -> Result<bool> {
    let result = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, now_ms().into())
        .filter(api_key::Column::Name.eq(name))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(&db.conn)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Who holds the key `presented`: `UNAUTHENTICATED` unless it is a key in force.
pub async fn authenticate(db: &Db, presented: &str) -> Result<Principal> {
    let refused = || Error::unauthenticated("the API key is unknown or revoked");
    let prefix = prefix_of(presented).ok_or_else(refused)?;
    let stored = api_key::Entity::find()
        .filter(api_key::Column::Prefix.eq(prefix))
        .one(&db.conn)
        .await?
        .ok_or_else(refused)?;
    let matches: bool = hash(presented)
        .as_bytes()
        .ct_eq(stored.hash.as_bytes())
        .into();
    if !matches || stored.revoked_at.is_some() {
        return Err(refused());
    }
    let scope = Scope::parse(&stored.scope).ok_or_else(|| {
        Error::Internal(format!("key {:?}: scope {:?}", stored.name, stored.scope))
    })?;
    Ok(Principal {
        name: stored.name,
        scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_keys_have_a_prefix() {
        assert_eq!(
            prefix_of("sgk_0123456789abcdef_secret"),
            Some("0123456789abcdef")
        );
        assert_eq!(prefix_of("sgk_0123456789abcdef_"), None);
        assert_eq!(prefix_of("sgk_0123456789abcdeg_secret"), None);
        assert_eq!(prefix_of("Bearer sgk_0123456789abcdef_x"), None);
        assert_eq!(prefix_of(""), None);
    }

    #[test]
    fn scopes_are_ordered() {
        let admin = Principal {
            name: "a".into(),
            scope: Scope::Admin,
        };
        let writer = Principal {
            name: "w".into(),
            scope: Scope::Write,
        };
        assert!(admin.require(Scope::Write).is_ok());
        assert!(writer.require(Scope::Write).is_ok());
        assert!(writer.require(Scope::Admin).is_err());
    }
}
