//! Which locale an answer speaks: the request's locales ([`Speech`], from `Accept-Language`),
//! a field's `locale` argument, the fallbacks, and the texts read along them.
//!
//! A request that names no locale on a server whose default is the catalog's (`en`) reads the
//! rows' own texts, answered without a future in lists as before; any other request, and any
//! field with a `locale` argument, reads its nodes' labels through the DataLoader, one
//! statement per kind and level, and the request's [`Speech`] remembers the locales its
//! texts came in, for `Content-Language`.

use std::sync::{Arc, Mutex};

use async_graphql::{Context, SimpleObject};

use super::engine::fast_lists::PlainFields;
use super::loaders::{LabelRequest, loader};
use super::types::NodeText;
use crate::data::labels::LabelRow;
use crate::graph::locales::{self, CATALOG, MOST_LOCALES};
use crate::{Error, Result};

/// The server's default locale, in the schema data: the locale a request that names none
/// reads, and the last before the catalog's in every chain.
#[derive(Clone, Debug)]
pub struct DefaultLocale(pub String);

impl Default for DefaultLocale {
    fn default() -> Self {
        DefaultLocale(CATALOG.to_owned())
    }
}

/// The locales a request reads (the request data of every request that reads other than
/// the catalog's), and those its texts came in.
#[derive(Debug)]
pub struct Speech {
    chain: Arc<[String]>,
    served: Mutex<Vec<String>>,
}

impl Speech {
    /// What a request with this `Accept-Language` (if any) reads on a server whose default
    /// locale is `default`.
    pub fn of(accept_language: Option<&str>, default: &DefaultLocale) -> Arc<Speech> {
        let wanted = accept_language.map(locales::accepted).unwrap_or_default();
        let chain = locales::chain(wanted.iter().map(String::as_str), &default.0);
        Arc::new(Speech {
            chain: chain.into(),
            served: Mutex::new(Vec::new()),
        })
    }

    /// Whether the request reads the catalog's locale alone: its texts are the rows' own.
    fn reads_catalog(&self) -> bool {
        self.chain.len() == 1
    }

    /// Notes that a text of the answer came in `locale`.
    fn served(&self, locale: &str) {
        if let Ok(mut served) = self.served.lock()
            && !served.iter().any(|seen| seen == locale)
        {
            served.push(locale.to_owned());
        }
    }

    /// The answer's `Content-Language`: the locales its texts came in, those of the request's
    /// chain first in its order, then those a `locale` argument read; the first of its chain
    /// when no text was read.
    pub fn content_language(&self) -> String {
        let served = self.served.lock().map(|s| s.clone()).unwrap_or_default();
        let mut spoken: Vec<&str> = self
            .chain
            .iter()
            .filter(|locale| served.contains(locale))
            .map(String::as_str)
            .collect();
        spoken.extend(
            served
                .iter()
                .filter(|locale| !self.chain.contains(locale))
                .map(String::as_str),
        );
        if spoken.is_empty() {
            self.chain
                .first()
                .cloned()
                .unwrap_or_else(|| CATALOG.into())
        } else {
            spoken.join(", ")
        }
    }
}

/// Whether the field's texts are the row's own: no `locale` argument, and a request that
/// reads the catalog's locale alone. The lists' fast path answers those at once.
pub fn reads_rows(ctx: &Context<'_>) -> bool {
    ctx.item.node.arguments.is_empty()
        && ctx
            .data_opt::<Arc<Speech>>()
            .is_none_or(|speech| speech.reads_catalog())
}

/// The chain a field reads: its `locale` argument's, or the request's.
pub fn chain_of(ctx: &Context<'_>, locale: Option<&str>) -> Result<Arc<[String]>> {
    match locale {
        Some(tag) => {
            let tag = locales::canonical(tag).ok_or_else(|| bad_locale("locale", tag))?;
            let default = ctx.data::<DefaultLocale>().cloned().unwrap_or_default();
            Ok(locales::chain([tag.as_str()], &default.0).into())
        }
        None => Ok(match ctx.data_opt::<Arc<Speech>>() {
            Some(speech) => speech.chain.clone(),
            None => Arc::from([CATALOG.to_owned()]),
        }),
    }
}

/// The error of a locale that is no language tag.
pub fn bad_locale(field: &str, tag: &str) -> Error {
    Error::invalid(
        field,
        format!("{field} must be a BCP 47 language tag such as `de` or `pt-BR`, got {tag:?}"),
    )
}

/// A node's shown text, in the locales a field reads, each with the locale it came in.
struct Text {
    name: String,
    aliases: Vec<String>,
    description: String,
    name_locale: String,
    description_locale: String,
}

/// The node's name along the chain the field reads (the first locale with a label).
pub async fn name_of<M: NodeText>(
    ctx: &Context<'_>,
    node: &M,
    locale: Option<&str>,
) -> Result<String> {
    let text = text_of(ctx, node, locale).await?;
    spoken(ctx, &text.name_locale);
    Ok(text.name)
}

/// The node's aliases: those of the label its name is read from.
pub async fn aliases_of<M: NodeText>(
    ctx: &Context<'_>,
    node: &M,
    locale: Option<&str>,
) -> Result<Vec<String>> {
    let text = text_of(ctx, node, locale).await?;
    spoken(ctx, &text.name_locale);
    Ok(text.aliases)
}

/// The node's description along the chain (the first locale whose label has one).
pub async fn description_of<M: NodeText>(
    ctx: &Context<'_>,
    node: &M,
    locale: Option<&str>,
) -> Result<String> {
    let text = text_of(ctx, node, locale).await?;
    spoken(ctx, &text.description_locale);
    Ok(text.description)
}

/// Notes, for the answer's `Content-Language`, that one of its texts came in `locale`.
pub fn spoken(ctx: &Context<'_>, locale: &str) {
    if let Some(speech) = ctx.data_opt::<Arc<Speech>>() {
        speech.served(locale);
    }
}

/// The node's text along the chain the field reads: its name (with the aliases of the same
/// label) from the first locale that has a label, its description from the first that has
/// one, the row's where none has.
async fn text_of<M: NodeText>(ctx: &Context<'_>, node: &M, locale: Option<&str>) -> Result<Text> {
    let chain = chain_of(ctx, locale)?;
    let mut text = Text {
        name: node.name().to_owned(),
        aliases: string_list(node.aliases())?,
        description: node.description().to_owned(),
        name_locale: CATALOG.to_owned(),
        description_locale: CATALOG.to_owned(),
    };
    if chain.len() == 1 {
        return Ok(text);
    }
    let labels = loader(ctx)?
        .load_one(LabelRequest::new(M::KIND, node.id(), Some(chain.clone())))
        .await?
        .unwrap_or_default();
    let in_locale = |locale: &str| labels.iter().find(|label| label.locale == locale);
    let translations = || chain.iter().take_while(|locale| *locale != CATALOG);
    for locale in translations() {
        if let Some(label) = in_locale(locale)
            && let Some(name) = &label.name
        {
            text.name = name.clone();
            text.aliases = label.aliases()?;
            text.name_locale = locale.clone();
            break;
        }
    }
    for locale in translations() {
        if let Some(description) = in_locale(locale).and_then(|label| label.description.clone()) {
            text.description = description;
            text.description_locale = locale.clone();
            break;
        }
    }
    Ok(text)
}

/// Reads a list column stored as a JSON array of strings.
fn string_list(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|err| Error::Internal(format!("bad string list: {err}")))
}

/// A node's text in one locale.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The locale, a BCP 47 language tag (`en`, `de`, `pt-BR`).
    pub locale: String,
    /// The name in this locale.
    pub name: String,
    /// Other names in this locale.
    pub aliases: Vec<String>,
    /// The description in this locale; null when this locale has none (its text falls back).
    pub description: Option<String>,
}

impl PlainFields for Label {}

/// The most labels `labels` is priced for: one per locale ESCO publishes, and the catalog's.
pub const PRICED_LABELS: usize = 30;

/// A node's labels: the catalog locale's (its row's text) and every translation, by tag; only
/// `locales` when given. Hidden aliases are never shown.
pub async fn labels_of<M: NodeText>(
    ctx: &Context<'_>,
    node: &M,
    locales: Option<Vec<String>>,
) -> Result<Vec<Label>> {
    let wanted = match locales {
        None => None,
        Some(tags) => {
            if tags.len() > MOST_LOCALES {
                return Err(Error::invalid(
                    "locales",
                    format!(
                        "locales names at most {MOST_LOCALES} locales, got {}",
                        tags.len()
                    ),
                ));
            }
            let canonical = tags
                .iter()
                .map(|tag| locales::canonical(tag).ok_or_else(|| bad_locale("locales", tag)))
                .collect::<Result<Vec<_>>>()?;
            Some(canonical)
        }
    };
    let wants = |locale: &str| {
        wanted
            .as_ref()
            .is_none_or(|w| w.iter().any(|t| t == locale))
    };
    let rows: Vec<LabelRow> = loader(ctx)?
        .load_one(LabelRequest::new(M::KIND, node.id(), None))
        .await?
        .map(|rows| rows.as_ref().clone())
        .unwrap_or_default();
    let mut labels = Vec::new();
    if wants(CATALOG) {
        labels.push(Label {
            locale: CATALOG.to_owned(),
            name: node.name().to_owned(),
            aliases: string_list(node.aliases())?,
            description: Some(node.description().to_owned()),
        });
    }
    for row in rows {
        let Some(name) = row.name.clone() else {
            continue;
        };
        if wants(&row.locale) {
            labels.push(Label {
                aliases: row.aliases()?,
                locale: row.locale,
                name,
                description: row.description,
            });
        }
    }
    labels.sort_by(|a, b| a.locale.cmp(&b.locale));
    Ok(labels)
}

/// How much of the graph one locale covers.
#[derive(SimpleObject, Clone, Debug)]
pub struct LocaleCount {
    /// The locale, a BCP 47 language tag.
    pub tag: String,
    /// How many nodes have a name in it (in the catalog's locale, every node).
    pub label_count: i64,
}

impl PlainFields for LocaleCount {}
