//! Setting and removing a node's label in one locale: its translation (name, aliases,
//! description) and its hidden labels, or, in the catalog's own locale, its hidden labels
//! only. A label belongs to its node: writing one moves the node's version, and the change log
//! records it as a change of the node's `labels`.

use serde_json::{Map, Value};

use super::Write;
use super::log::Change;
use super::nodes::{bump, check_version, find};
use crate::data::labels::{self, LabelRow};
use crate::graph::Kind;
use crate::graph::locales::{self, Label};
use crate::graph::rules::check_label;
use crate::{Error, Result};

/// The change log's fields of a node's label in `locale`: `{"labels": {locale: …}}`, the
/// label or null.
fn fields(locale: &str, label: Option<Value>) -> Map<String, Value> {
    let mut labels = Map::new();
    labels.insert(locale.to_owned(), label.unwrap_or(Value::Null));
    Map::from_iter([("labels".to_owned(), Value::Object(labels))])
}

fn logged(label: &Label) -> Value {
    serde_json::json!({
        "name": label.name,
        "aliases": label.aliases,
        "hiddenAliases": label.hidden,
        "description": label.description,
    })
}

fn logged_row(row: &LabelRow) -> Result<Value> {
    Ok(logged(&Label {
        locale: row.locale.clone(),
        name: row.name.clone(),
        aliases: row.aliases()?,
        hidden: row.hidden()?,
        description: row.description.clone(),
    }))
}

/// Sets the label of the node `slug` in the label's locale, replacing the one it had there.
pub(super) async fn set_label(
    write: &Write<'_>,
    kind: Kind,
    slug: &str,
    label: &Label,
    expected_version: Option<i32>,
) -> Result<Change> {
    let txn = &write.txn;
    let node = find(txn, kind, "node", slug, true).await?;
    check_version(kind, node, expected_version)?;
    let locale = check_label(label)?;
    let label = Label {
        locale: locale.clone(),
        ..label.clone()
    };
    let before = labels::one(txn, kind, node.id, &locale).await?;
    labels::remove(txn, kind, node.id, &locale).await?;
    labels::insert(txn, kind, &[(node.id, &label)]).await?;
    bump(txn, kind, node.id).await?;
    Ok(Change {
        kind: Some(kind),
        slug: slug.to_owned(),
        before: Some(fields(
            &locale,
            before.as_ref().map(logged_row).transpose()?,
        )),
        after: Some(fields(&locale, Some(logged(&label)))),
    })
}

/// Removes the label of the node `slug` in `locale`; `NOT_FOUND` when it has none there.
pub(super) async fn remove_label(
    write: &Write<'_>,
    kind: Kind,
    slug: &str,
    locale: &str,
    expected_version: Option<i32>,
) -> Result<Change> {
    let txn = &write.txn;
    let node = find(txn, kind, "node", slug, true).await?;
    check_version(kind, node, expected_version)?;
    let missing = || Error::not_found("locale", format!("{slug:?} has no label in {locale:?}"));
    let locale = locales::canonical(locale).ok_or_else(|| {
        Error::invalid(
            "locale",
            format!("locale must be a BCP 47 language tag such as `de`, got {locale:?}"),
        )
    })?;
    let before = labels::one(txn, kind, node.id, &locale)
        .await?
        .ok_or_else(missing)?;
    labels::remove(txn, kind, node.id, &locale).await?;
    bump(txn, kind, node.id).await?;
    Ok(Change {
        kind: Some(kind),
        slug: slug.to_owned(),
        before: Some(fields(&locale, Some(logged_row(&before)?))),
        after: Some(fields(&locale, None)),
    })
}
