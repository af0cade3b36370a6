//! Releases in and out of the database: the one place that stores a release (its graph as
//! gzip-compressed JSON, the JSON's SHA-256, its counts, the nodes it holds), for
//! `createRelease` and for an import whose catalog carries releases; and reads them all back
//! for `export`, so that releases survive an export and an import.

use std::io::{Read, Write};

use entity::release;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::{Catalog, Release};
use crate::data::lifecycle::mark_released;
use crate::error::is_unique_violation;
use crate::{Error, Result};

/// The longest release name.
pub const LONGEST_NAME: usize = 64;

/// Whether `name` can name a release: 1 to 64 ASCII letters, digits, `.`, `-` and `_`,
/// starting with a letter or digit (`2026.12`, `v1.2.0`, `esco-1.2`): safe in a URL path and
/// a file name as it is.
pub fn is_name(name: &str) -> bool {
    name.len() <= LONGEST_NAME
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// How many nodes of each kind a release holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub roles: usize,
    pub skills: usize,
    pub languages: usize,
    pub frameworks: usize,
    pub tools: usize,
}

impl Counts {
    pub fn of(catalog: &Catalog) -> Self {
        Counts {
            roles: catalog.roles.len(),
            skills: catalog.skills.len(),
            languages: catalog.languages.len(),
            frameworks: catalog.frameworks.len(),
            tools: catalog.tools.len(),
        }
    }
}

/// The SHA-256 of a release's JSON, in hex.
pub fn digest(json: &str) -> String {
    format!("{:x}", Sha256::digest(json.as_bytes()))
}

fn compress(json: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(json)
        .and_then(|()| encoder.finish())
        .map_err(|err| Error::Internal(format!("compressing a release: {err}")))
}

/// The JSON of a stored snapshot.
pub fn decompress(gzip: &[u8]) -> Result<Vec<u8>> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(gzip)
        .read_to_end(&mut json)
        .map_err(|err| Error::Internal(format!("reading a release: {err}")))?;
    Ok(json)
}

/// The graph of a stored snapshot.
pub fn parse(gzip: &[u8]) -> Result<Catalog> {
    let json = String::from_utf8(decompress(gzip)?)
        .map_err(|err| Error::Internal(format!("a release is not UTF-8: {err}")))?;
    Catalog::parse_json(&json)
}

pub(crate) fn taken(name: &str) -> Error {
    Error::conflict(
        "name",
        format!("there is a release named {name:?} already; a release name is used once"),
    )
}

/// Whether stores [`store`] made may be skipped: a release of that name and digest is there.
async fn stored_digest(db: &impl ConnectionTrait, name: &str) -> Result<Option<String>> {
    Ok(release::Entity::find_by_id(name.to_owned())
        .select_only()
        .column(release::Column::Digest)
        .into_tuple::<String>()
        .one(db)
        .await?)
}

/// Stores `release` inside the caller's write, its digest checked against its graph. A
/// release of the same name is `CONFLICT`, unless `again` allows one with the same digest
/// (an import of a file whose releases the database already has), which is left as it is.
pub async fn store(db: &impl ConnectionTrait, release: &Release, again: bool) -> Result<()> {
    let json = release.catalog.to_json()?;
    if digest(&json) != release.digest {
        return Err(Error::bad_input(format!(
            "release {:?}: its graph does not match its digest; it was changed after it was \
             exported",
            release.name
        )));
    }
    match stored_digest(db, &release.name).await? {
        Some(digest) if again && digest == release.digest => return Ok(()),
        Some(_) => return Err(taken(&release.name)),
        None => {}
    }
    let row = release::ActiveModel {
        name: Set(release.name.clone()),
        revision: Set(release.revision),
        at: Set(release.at),
        notes: Set(release.notes.clone()),
        counts: Set(serde_json::to_string(&Counts::of(&release.catalog))
            .map_err(|err| Error::Internal(err.to_string()))?),
        digest: Set(release.digest.clone()),
        snapshot: Set(compress(json.as_bytes())?),
    };
    release::Entity::insert(row)
        .exec_without_returning(db)
        .await
        .map_err(|err| {
            if is_unique_violation(&err) {
                taken(&release.name)
            } else {
                err.into()
            }
        })?;
    mark_released(
        db,
        release.catalog.nodes().map(|node| (node.kind, node.slug)),
    )
    .await
}

/// Every release, oldest first, each with its graph.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Release>> {
    let rows = release::Entity::find()
        .order_by_asc(release::Column::At)
        .order_by_asc(release::Column::Name)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Release {
                catalog: Box::new(parse(&row.snapshot)?),
                name: row.name,
                revision: row.revision,
                at: row.at,
                notes: row.notes,
                digest: row.digest,
            })
        })
        .collect()
}
