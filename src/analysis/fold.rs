//! Text as search and extraction compare it, in every script ESCO uses: compatibility forms
//! and ligatures normalised (`ﬁ` → `fi`, full-width `Ｊａｖａ` → `java`, NFKD), case folded
//! beyond ASCII (Unicode full case folding: `Ä` → `ä`, `ß` → `ss`, `ς` and `Σ` → `σ`, `İ` →
//! `i̇`), and accents taken off (combining marks dropped, after both: `Büro` → `buro`, `é` →
//! `e`, `ή` → `η`, `İ` → `i`), so that users typing without accents, in capitals or with a
//! keyboard's compatibility forms find what the labels spell.
//!
//! The tables are the ecosystem's (`unicode-normalization` for the decompositions and the
//! combining marks, `caseless` for the case folding), not this crate's. Each character is
//! folded on its own, which lets [`Folded`] say where in the original text each folded byte
//! came from: an extraction matches in the folded text and reports the original's offsets.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Pushes the fold of `c` to `out`.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    out.extend(
        std::iter::once(c)
            .nfkd()
            .default_case_fold()
            .nfkd()
            .filter(|c| !is_combining_mark(*c)),
    );
}

/// The fold of `text`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// A text's fold, with the original character each folded byte came from.
#[derive(Debug)]
pub struct Folded {
    pub text: String,
    /// For each character of the original, where its fold starts in `text` and where it
    /// starts in the original: one entry a character, however far it expands (a ligature of
    /// 18 letters costs one entry, not 18 × its bytes).
    starts: Vec<(u32, u32)>,
    original_len: usize,
}

impl Folded {
    pub fn of(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut starts = Vec::with_capacity(original.len());
        for (at, c) in original.char_indices() {
            starts.push((offset(text.len()), offset(at)));
            fold_char(c, &mut text);
        }
        Folded {
            text,
            starts,
            original_len: original.len(),
        }
    }

    /// The original character whose fold holds the folded byte `at`, by its place in
    /// `starts`.
    fn character(&self, at: usize) -> usize {
        let at = offset(at);
        self.starts
            .partition_point(|&(folded, _)| folded <= at)
            .saturating_sub(1)
    }

    /// The original's byte range of the folded range `start..end` (`start < end`): from the
    /// start of the character the first folded byte came from to the end of the one the last
    /// came from.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.character(start);
        let last = self.character(end.saturating_sub(1).max(start));
        let from = self.starts.get(first).map_or(0, |&(_, at)| at as usize);
        // The marks that follow the last character fold to nothing, and belong with it.
        let folded_start = |at: usize| {
            self.starts
                .get(at)
                .map_or(self.text.len(), |&(folded, _)| folded as usize)
        };
        let mut next = last + 1;
        while next < self.starts.len() && folded_start(next + 1) == folded_start(next) {
            next += 1;
        }
        let to = self
            .starts
            .get(next)
            .map_or(self.original_len, |&(_, at)| at as usize);
        (from, to)
    }
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_compatibility_forms_fold_away() {
        assert_eq!(fold("Büro"), "buro");
        assert_eq!(fold("BÜRO"), fold("buro"));
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ΟΔΟΣ"), fold("οδός"), "final sigma and tonos");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("ﬁle"), "file");
        assert_eq!(fold("Ｊａｖａ"), "java");
        assert_eq!(
            fold("е\u{301}"),
            "е",
            "a combining accent after a Cyrillic letter"
        );
        assert_eq!(fold("КЕШУВАННЯ"), "кешування");
        assert_eq!(fold("C# and .NET"), "c# and .net");
    }

    #[test]
    fn a_folded_range_finds_its_original_characters() {
        let original = "Die Straße, ﬁnal";
        let folded = Folded::of(original);
        assert_eq!(folded.text, "die strasse, final");
        let at = folded.text.find("strasse").unwrap_or_default();
        let (start, end) = folded.original(at, at + "strasse".len());
        assert_eq!(&original[start..end], "Straße");
        let at = folded.text.find("fi").unwrap_or_default();
        let (start, end) = folded.original(at, at + 1);
        assert_eq!(
            &original[start..end],
            "ﬁ",
            "half a ligature is the whole ligature"
        );
        let original = "Cafe\u{301} au lait";
        let folded = Folded::of(original);
        assert_eq!(folded.text, "cafe au lait");
        assert_eq!(
            folded.original(0, 4),
            (0, "Cafe\u{301}".len()),
            "with its accent"
        );
        assert_eq!(folded.original(5, 7), (7, 9));
    }
}
