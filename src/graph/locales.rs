//! Human languages, which the API calls locales (`Language` is a programming language here):
//! their tags, and which of them an answer speaks.
//!
//! A node's own row holds its text in the catalog's locale ([`CATALOG`]); every other locale's
//! text is a translation ([`crate::data::labels`]). A request names the locales it reads, in
//! order of preference; each text is taken from the first of them that has it, then from the
//! server's default locale, and at last from the row, which every node has.

/// The locale of the text in the node rows: English, the built-in catalog's and ESCO's
/// canonical language. A translation in this locale would be a second copy of the row's text,
/// so a label of it holds hidden labels only.
pub const CATALOG: &str = "en";

/// A node's text in one locale: what a label row holds, its lists as lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Label {
    pub locale: String,
    /// `None` in the catalog's locale, whose shown text is the row's.
    pub name: Option<String>,
    pub aliases: Vec<String>,
    /// For search and extraction only, never shown (ESCO's `hiddenLabels`).
    pub hidden: Vec<String>,
    pub description: Option<String>,
}

/// The most locales one request (a header, a `locale` argument and the fallbacks) reads; the
/// rest of a longer `Accept-Language` is ignored.
pub const MOST_LOCALES: usize = 12;

/// The longest tag taken (RFC 5646's longest useful tags are far shorter).
const LONGEST_TAG: usize = 35;

/// The tag in its canonical case (`de`, `pt-BR`, `sr-Latn-RS`, `nb`), or `None` when it is not
/// a well-formed BCP 47 language tag of the shapes taxonomies use: a language of 2–3 letters,
/// then optionally a script (4 letters), a region (2 letters or 3 digits) and variants (5–8
/// letters or digits, or a digit and 3). Extensions and private use (`-u-`, `-x-`) are not
/// taken: no catalog labels by them.
pub fn canonical(tag: &str) -> Option<String> {
    if tag.is_empty() || tag.len() > LONGEST_TAG {
        return None;
    }
    let mut out = String::with_capacity(tag.len());
    // 0: language, 1: script seen or possible, 2: region seen or possible, 3: variants.
    let mut stage = 0;
    for (at, part) in tag.split(['-', '_']).enumerate() {
        let letters = part.bytes().all(|b| b.is_ascii_alphabetic());
        let alnum = part.bytes().all(|b| b.is_ascii_alphanumeric());
        let digits = part.bytes().all(|b| b.is_ascii_digit());
        let piece = if at == 0 {
            if !(letters && (2..=3).contains(&part.len())) {
                return None;
            }
            stage = 1;
            part.to_ascii_lowercase()
        } else if stage <= 1 && letters && part.len() == 4 {
            stage = 2;
            let mut script = part.to_ascii_lowercase();
            script[..1].make_ascii_uppercase();
            script
        } else if stage <= 2 && ((letters && part.len() == 2) || (digits && part.len() == 3)) {
            stage = 3;
            part.to_ascii_uppercase()
        } else if alnum
            && ((5..=8).contains(&part.len())
                || (part.len() == 4 && part.as_bytes()[0].is_ascii_digit()))
        {
            stage = 3;
            part.to_ascii_lowercase()
        } else {
            return None;
        };
        if at > 0 {
            out.push('-');
        }
        out.push_str(&piece);
    }
    Some(out)
}

/// The language ranges of an `Accept-Language` header (RFC 9110 §12.5.4), most preferred
/// first (a stable sort by q-value), canonical; `*`, ranges with `q=0` and malformed ones are
/// left out, and so is everything past the first [`MOST_LOCALES`] ranges, so that reading a
/// header costs time linear in its length and no more than a few tags.
pub fn accepted(header: &str) -> Vec<String> {
    let mut ranges: Vec<(u16, String)> = Vec::new();
    for item in header.split(',').take(MOST_LOCALES) {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or_default().trim();
        let mut weight = 1000;
        for parameter in parts {
            let Some((name, value)) = parameter.split_once('=') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("q") {
                weight = quality(value.trim()).unwrap_or(0);
            }
        }
        if weight == 0 || range == "*" {
            continue;
        }
        if let Some(tag) = canonical(range) {
            ranges.push((weight, tag));
        }
    }
    ranges.sort_by_key(|range| std::cmp::Reverse(range.0));
    ranges.into_iter().map(|(_, tag)| tag).collect()
}

/// A q-value in thousandths (`0.5` → 500), or `None` when it is not one.
fn quality(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The locales an answer reads, in order: each of `wanted` and, after it, the shorter tags
/// RFC 4647's lookup falls back to (`de-AT` → `de`), then `default` the same way, then the
/// catalog's own locale, each once, at most [`MOST_LOCALES`] of them. The catalog's locale
/// ends the chain wherever it comes: every node has its text, so no locale after it is read
/// (a client asking for `en` on a server whose default is `de` reads English).
pub fn chain<'a>(wanted: impl IntoIterator<Item = &'a str>, default: &'a str) -> Vec<String> {
    let mut chain: Vec<String> = Vec::new();
    for tag in wanted.into_iter().chain([default]) {
        let mut tag = tag;
        loop {
            if chain.len() + 1 >= MOST_LOCALES {
                break;
            }
            if tag == CATALOG {
                chain.push(CATALOG.to_owned());
                return chain;
            }
            if !chain.iter().any(|seen| seen == tag) {
                chain.push(tag.to_owned());
            }
            let Some((shorter, _)) = tag.rsplit_once('-') else {
                break;
            };
            // A single-letter subtag left at the end is dropped with what followed it.
            tag = match shorter.rsplit_once('-') {
                Some((before, last)) if last.len() == 1 => before,
                _ => shorter,
            };
        }
    }
    chain.push(CATALOG.to_owned());
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_and_put_in_canonical_case() {
        assert_eq!(canonical("de").as_deref(), Some("de"));
        assert_eq!(canonical("PT-br").as_deref(), Some("pt-BR"));
        assert_eq!(canonical("sr-latn-rs").as_deref(), Some("sr-Latn-RS"));
        assert_eq!(canonical("es-419").as_deref(), Some("es-419"));
        assert_eq!(canonical("de-CH-1996").as_deref(), Some("de-CH-1996"));
        assert_eq!(canonical("en_GB").as_deref(), Some("en-GB"));
        for bad in [
            "",
            "d",
            "deutsch",
            "de-",
            "de--AT",
            "de AT",
            "12",
            "de-x-private",
            "ü",
        ] {
            assert_eq!(canonical(bad), None, "{bad:?}");
        }
        assert_eq!(canonical(&"a".repeat(4000)), None);
    }

    #[test]
    fn accept_language_is_read_by_quality_then_order() {
        assert_eq!(accepted("de-AT, de;q=0.9, en;q=0.5"), ["de-AT", "de", "en"]);
        assert_eq!(accepted("fr;q=0.4, sv, *;q=0.1, ar;q=0"), ["sv", "fr"]);
        assert_eq!(accepted("en;q=1.5, nb;q=0.8x, da;Q=0.3"), ["da"]);
        assert_eq!(accepted(""), Vec::<String>::new());
        let long = vec!["de"; 10_000].join(",");
        assert_eq!(accepted(&long).len(), MOST_LOCALES);
    }

    #[test]
    fn a_chain_falls_back_to_shorter_tags_then_the_default_then_the_catalog() {
        assert_eq!(chain(["de-AT", "de", "en"], "en"), ["de-AT", "de", "en"]);
        assert_eq!(
            chain(["sr-Latn-RS"], "fr"),
            ["sr-Latn-RS", "sr-Latn", "sr", "fr", "en"]
        );
        assert_eq!(
            chain(["de-CH-x-a"], "en"),
            ["de-CH-x-a", "de-CH", "de", "en"]
        );
        assert_eq!(chain([], "en"), ["en"]);
        assert_eq!(chain(["en-GB", "fr"], "de"), ["en-GB", "en"]);
        assert_eq!(chain(["fr"], "de"), ["fr", "de", "en"]);
        let many: Vec<String> = (0..100).map(|i| format!("x{i:02}")).collect();
        let long = chain(many.iter().map(String::as_str), "en");
        assert_eq!(long.len(), MOST_LOCALES);
        assert_eq!(long.last().map(String::as_str), Some(CATALOG));
    }
}
