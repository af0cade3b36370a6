//! Named releases: the graph as it was at one revision, kept for good, so that clients can
//! pin to a release, read it whole and compare two ([`diff`]).
//!
//! A release stores the catalog export of its revision as JSON, gzip-compressed (an
//! ESCO-size graph is tens of megabytes of JSON and a few of gzip), with the SHA-256 of the
//! JSON, which is its strong ETag: a release never changes. Every node a release holds is
//! listed in `released_node`, so that deleting it can be refused in one lookup
//! ([`crate::data::lifecycle::is_released`]); such a node can only be deprecated.

pub mod diff;

use entity::release;
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};

pub use crate::catalog::releases::{Counts, LONGEST_NAME, is_name};
use crate::catalog::releases::{decompress, digest, store, taken};
use crate::catalog::{self, Catalog, model};
use crate::curation::{log, serial};
use crate::data::lists::Direction;
use crate::db::Db;
use crate::graph::clock::now_ms;
use crate::graph::rules::check_text;
use crate::{Error, Result};

/// A release, without its snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    pub revision: i32,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    pub notes: String,
    pub counts: Counts,
    /// The SHA-256 of the snapshot's JSON, in hex.
    pub digest: String,
}

impl Release {
    fn of(model: release::Model) -> Result<Self> {
        Ok(Release {
            counts: serde_json::from_str(&model.counts)
                .map_err(|err| Error::Internal(format!("release counts: {err}")))?,
            name: model.name,
            revision: model.revision,
            at: model.at,
            notes: model.notes,
            digest: model.digest,
        })
    }
}

/// Makes the release `name` of the graph as it is now: its revision, its snapshot, its
/// counts. Holds the write lock of every writer from reading the graph to the commit, so the
/// snapshot is exactly the revision it names. A name is used once (`CONFLICT`). With
/// `dry_run`, everything is done and checked, then rolled back.
pub async fn create(db: &Db, name: &str, notes: &str, dry_run: bool) -> Result<Release> {
    if !is_name(name) {
        return Err(Error::invalid(
            "name",
            format!(
                "a release name is 1 to {LONGEST_NAME} letters, digits, `.`, `-` or `_`, \
                 starting with a letter or digit, e.g. `2026.12`; got {name:?}"
            ),
        ));
    }
    check_text("notes", notes)?;
    let txn = serial::begin_write(&db.conn).await?;
    if release::Entity::find_by_id(name.to_owned())
        .select_only()
        .column(release::Column::Name)
        .into_tuple::<String>()
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(taken(name));
    }
    let (revision, _) = log::state(&txn).await?;
    let catalog = catalog::export(&txn).await?;
    let json = catalog.to_json()?;
    let release = Release {
        name: name.to_owned(),
        revision,
        at: now_ms(),
        notes: notes.to_owned(),
        counts: Counts::of(&catalog),
        digest: digest(&json),
    };
    store(
        &txn,
        &model::Release {
            name: release.name.clone(),
            revision,
            at: release.at,
            notes: release.notes.clone(),
            digest: release.digest.clone(),
            catalog: Box::new(catalog),
        },
        false,
    )
    .await?;
    if dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
    }
    Ok(release)
}

/// Which releases [`list`] reads: `count` of them between the ones named `after` and
/// `before` (each optional), the oldest of those or, [`Direction::Backward`], the newest.
pub struct Listing<'a> {
    pub count: u64,
    pub direction: Direction,
    pub after: Option<&'a str>,
    pub before: Option<&'a str>,
}

/// The place of the release a cursor names, `(at, name)`, read without its snapshot;
/// `argument` (`after`, `before`) names the cursor in the error for a release that is not.
async fn place(db: &Db, argument: &str, name: Option<&str>) -> Result<Option<(i64, String)>> {
    let Some(name) = name else {
        return Ok(None);
    };
    let found: Option<(i64, String)> = if is_name(name) {
        release::Entity::find_by_id(name.to_owned())
            .select_only()
            .columns([release::Column::At, release::Column::Name])
            .into_tuple()
            .one(&db.conn)
            .await?
    } else {
        None
    };
    match found {
        Some(place) => Ok(Some(place)),
        None => Err(Error::invalid(
            argument,
            format!("`{argument}` must be a cursor this field returned, got {name:?}"),
        )),
    }
}

/// The releases of `listing`, oldest first, and whether more lie beyond them in the
/// direction they were read.
pub async fn list(db: &Db, listing: Listing<'_>) -> Result<(Vec<Release>, bool)> {
    use sea_orm::sea_query::Condition;
    use sea_orm::{ColumnTrait, QueryFilter};

    let after = place(db, "after", listing.after).await?;
    let before = place(db, "before", listing.before).await?;
    let mut query = release::Entity::find().select_only().columns(METADATA);
    query = match listing.direction {
        Direction::Forward => query
            .order_by_asc(release::Column::At)
            .order_by_asc(release::Column::Name),
        Direction::Backward => query
            .order_by_desc(release::Column::At)
            .order_by_desc(release::Column::Name),
    };
    // Releases are ordered by `(at, name)`: past a cursor is a later time, or the same time
    // and a later name.
    if let Some((at, name)) = after {
        query = query.filter(
            Condition::any().add(release::Column::At.gt(at)).add(
                Condition::all()
                    .add(release::Column::At.eq(at))
                    .add(release::Column::Name.gt(name)),
            ),
        );
    }
    if let Some((at, name)) = before {
        query = query.filter(
            Condition::any().add(release::Column::At.lt(at)).add(
                Condition::all()
                    .add(release::Column::At.eq(at))
                    .add(release::Column::Name.lt(name)),
            ),
        );
    }
    let count = listing.count;
    let rows: Vec<(String, i32, i64, String, String, String)> =
        query.limit(count + 1).into_tuple().all(&db.conn).await?;
    let more = rows.len() as u64 > count;
    let mut releases = rows
        .into_iter()
        .take(usize::try_from(count).unwrap_or(usize::MAX))
        .map(metadata)
        .collect::<Result<Vec<_>>>()?;
    if listing.direction == Direction::Backward {
        releases.reverse();
    }
    Ok((releases, more))
}

async fn find_model(db: &Db, name: &str) -> Result<Option<release::Model>> {
    if !is_name(name) {
        return Ok(None);
    }
    Ok(release::Entity::find_by_id(name.to_owned())
        .one(&db.conn)
        .await?)
}

/// The release `name`, if there is one, read without its snapshot (which is megabytes for an
/// ESCO-size graph: `release(name:)` must not cost that).
pub async fn get(db: &Db, name: &str) -> Result<Option<Release>> {
    if !is_name(name) {
        return Ok(None);
    }
    let row: Option<(String, i32, i64, String, String, String)> =
        release::Entity::find_by_id(name.to_owned())
            .select_only()
            .columns(METADATA)
            .into_tuple()
            .one(&db.conn)
            .await?;
    row.map(metadata).transpose()
}

/// The columns of a release but its snapshot, in the order [`metadata`] reads them.
const METADATA: [release::Column; 6] = [
    release::Column::Name,
    release::Column::Revision,
    release::Column::At,
    release::Column::Notes,
    release::Column::Counts,
    release::Column::Digest,
];

fn metadata(
    (name, revision, at, notes, counts, digest): (String, i32, i64, String, String, String),
) -> Result<Release> {
    Release::of(release::Model {
        name,
        revision,
        at,
        notes,
        counts,
        digest,
        snapshot: Vec::new(),
    })
}

/// The release `name` and its snapshot as stored: gzip-compressed JSON.
pub async fn stored(db: &Db, name: &str) -> Result<Option<(Release, Vec<u8>)>> {
    let Some(mut model) = find_model(db, name).await? else {
        return Ok(None);
    };
    let gzip = std::mem::take(&mut model.snapshot);
    Ok(Some((Release::of(model)?, gzip)))
}

/// The JSON of a stored snapshot.
pub fn json_of(gzip: &[u8]) -> Result<Vec<u8>> {
    decompress(gzip)
}

/// The release `name` and its snapshot's JSON, as the catalog export wrote it.
pub async fn snapshot(db: &Db, name: &str) -> Result<Option<(Release, Vec<u8>)>> {
    let Some(mut model) = find_model(db, name).await? else {
        return Ok(None);
    };
    let json = decompress(&std::mem::take(&mut model.snapshot))?;
    Ok(Some((Release::of(model)?, json)))
}

/// The release `name` as a catalog.
pub async fn catalog(db: &Db, name: &str) -> Result<Option<(Release, Catalog)>> {
    let Some((release, json)) = snapshot(db, name).await? else {
        return Ok(None);
    };
    let text = String::from_utf8(json)
        .map_err(|err| Error::Internal(format!("a release is not UTF-8: {err}")))?;
    Ok(Some((release, Catalog::parse_json(&text)?)))
}
