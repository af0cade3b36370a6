//! What a slug is: the stable, URL-friendly name of a node, unique within its kind. Lookups,
//! cursors and IDs read slugs; every writer checks them here.

/// The longest slug accepted.
pub const MAX_SLUG_LEN: usize = 128;

/// Lowercase ASCII words (letters and digits) joined by single hyphens, at most
/// [`MAX_SLUG_LEN`] bytes.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_SLUG_LEN
        && text.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_kebab_case() {
        assert!(is_slug("ruby-on-rails"));
        assert!(is_slug("csharp"));
        assert!(is_slug(&"a".repeat(MAX_SLUG_LEN)));
        assert!(!is_slug(&"a".repeat(MAX_SLUG_LEN + 1)));
        assert!(!is_slug("C#"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }
}
