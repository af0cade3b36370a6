//! Opaque identifiers a client holds on to: global node IDs and page cursors.
//!
//! Both are URL-safe base64 of a short text, so clients treat them as opaque strings while we
//! can still decode them without a lookup. A global ID names the node's kind and slug
//! (`Role:backend-developer`), so it stays the same across databases and reloads, because slugs
//! are stable forever.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::data::lists::{Key, KeyValue, Ordering, signature};
use crate::data::{List, SortKey};
pub use crate::graph::Kind;
use crate::{Error, Result};

fn decode_text(text: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    String::from_utf8(bytes).ok()
}

/// The global ID of a node.
pub fn encode_id(kind: Kind, slug: &str) -> async_graphql::ID {
    // Every node of an answer has an ID, so this is a hot path: the text is assembled once and
    // encoded in one call (base64's streaming writer cost ten times as much).
    let name = kind.name();
    let mut text = Vec::with_capacity(name.len() + 1 + slug.len());
    text.extend_from_slice(name.as_bytes());
    text.push(b':');
    text.extend_from_slice(slug.as_bytes());
    async_graphql::ID(URL_SAFE_NO_PAD.encode(text))
}

/// Reads a global ID back into its kind and slug.
pub fn decode_id(id: &str) -> Result<(Kind, String)> {
    decode_text(id)
        .and_then(|text| {
            let (kind, slug) = text.split_once(':')?;
            let slug = Some(slug).filter(|slug| crate::graph::slug::is_slug(slug))?;
            Some((Kind::from_name(kind)?, slug.to_owned()))
        })
        .ok_or_else(|| Error::bad_input(format!("{id:?} is not a skillgraph node ID")))
}

/// What the cursor of an item in an order a client asked for holds: the order's signature
/// and the item's key values.
#[derive(serde::Serialize, serde::Deserialize)]
struct OrderedCursor {
    o: String,
    v: Vec<KeyValue>,
}

/// The cursor of an item: its sort key in the list (with the order, for an order a client
/// asked for).
pub fn encode_cursor(key: &SortKey) -> String {
    let text = match key {
        SortKey::Position(position) => format!("p:{position}"),
        SortKey::Slug(slug) => format!("s:{slug}"),
        SortKey::Ordered(ordering, values) => {
            let cursor = OrderedCursor {
                o: signature(ordering),
                v: values.clone(),
            };
            format!("o:{}", serde_json::to_string(&cursor).unwrap_or_default())
        }
    };
    URL_SAFE_NO_PAD.encode(text)
}

/// Reads a cursor of `list` in `ordering` (`None`: the list's own order), given as the
/// argument `argument` (`after`, `before`), back into a sort key. A cursor of another list
/// or of another order is refused.
pub fn decode_cursor(
    list: List,
    ordering: Option<&Ordering>,
    argument: &str,
    cursor: &str,
) -> Result<SortKey> {
    let key = decode_text(cursor).and_then(|text| match (text.split_once(':')?, ordering) {
        (("p", position), None) if list.ordered_by_position() => {
            position.parse().ok().map(SortKey::Position)
        }
        (("s", slug), None) if !list.ordered_by_position() && crate::graph::slug::is_slug(slug) => {
            Some(SortKey::Slug(slug.to_owned()))
        }
        (("o", json), Some(ordering)) => {
            let cursor: OrderedCursor = serde_json::from_str(json).ok()?;
            let fits = cursor.o == signature(ordering)
                && cursor.v.len() == ordering.len()
                && ordering
                    .iter()
                    .zip(&cursor.v)
                    .all(|(key, value)| match (key.key, value) {
                        (Key::Edges(..), KeyValue::Count(_)) => true,
                        (Key::Slug, KeyValue::Text(slug)) => crate::graph::slug::is_slug(slug),
                        (Key::Name, KeyValue::Text(_)) => true,
                        _ => false,
                    });
            fits.then(|| SortKey::Ordered(ordering.clone(), cursor.v))
        }
        _ => None,
    });
    key.ok_or_else(|| {
        Error::invalid(
            argument,
            format!(
                "`{argument}` must be a cursor returned by this field in the same order, got \
                 {cursor:?}"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_base64_of_kind_and_slug() {
        assert_eq!(
            encode_id(Kind::Role, "backend-developer").0,
            "Um9sZTpiYWNrZW5kLWRldmVsb3Blcg"
        );
        assert_eq!(
            encode_id(Kind::Skill, "sql").0,
            URL_SAFE_NO_PAD.encode("Skill:sql")
        );
    }

    #[test]
    fn ids_round_trip() {
        let id = encode_id(Kind::Framework, "ruby-on-rails");
        assert_eq!(
            decode_id(&id).unwrap(),
            (Kind::Framework, "ruby-on-rails".to_owned())
        );
        assert!(decode_id("not an id").is_err());
        assert!(decode_id(&URL_SAFE_NO_PAD.encode("Planet:earth")).is_err());
    }

    #[test]
    fn cursors_belong_to_their_kind_of_list() {
        let cursor = encode_cursor(&SortKey::Position(7));
        assert_eq!(
            decode_cursor(List::RoleSkills, None, "after", &cursor).unwrap(),
            SortKey::Position(7)
        );
        assert!(decode_cursor(List::Roles, None, "after", &cursor).is_err());
        let cursor = encode_cursor(&SortKey::Slug("go".into()));
        assert_eq!(
            decode_cursor(List::Languages, None, "after", &cursor).unwrap(),
            SortKey::Slug("go".into())
        );
        assert!(decode_cursor(List::Languages, None, "after", "%%%").is_err());
    }
}
