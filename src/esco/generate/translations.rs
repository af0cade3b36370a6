//! The other languages of a generated bundle: for each of ESCO's languages, its occupations,
//! skills and skill groups files, with every concept's text "translated" by a fixed letter
//! mapping of the language (Greek letters for `el`, Cyrillic for `bg` and `uk`, Arabic for
//! `ar`, accented Latin letters for the rest), so that each language's labels differ from
//! the others' and exercise the folding of search and extraction in every script. One concept
//! in twenty is left untranslated (an empty preferred label, as ESCO's files have), one in
//! five has a hidden label.

use std::path::Path;

use super::Writer;
use crate::Result;
use crate::esco::bundle::file;
use crate::generator::Rng;

/// ESCO's 28 languages, English (the catalog's, written by [`super::generate`]) first.
pub const ESCO_LANGUAGES: [&str; 28] = [
    "en", "bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu", "is", "it", "lt",
    "lv", "mt", "nl", "no", "pl", "pt", "ro", "sk", "sl", "sv", "ar", "uk",
];

/// A concept's English text, to translate.
pub struct ConceptText {
    pub uri: String,
    pub label: String,
    /// The alternative labels, one a line.
    pub alt: String,
    pub description: String,
}

/// The concepts of one file: its base name, its concept type, and the concepts.
pub struct ConceptFile<'a> {
    pub base: &'a str,
    pub concept_type: &'a str,
    pub concepts: &'a [ConceptText],
}

const GREEK: &str = "αβψδεφγηιξκλμνοπ;ρστθωςχυζ";
const CYRILLIC: &str = "абцдефгхийклмнопярстужвьыз";
const ARABIC: &str = "ابتدةفغحيجكلمنوقرسطعصشخيز";
const ACCENTS: &str = "áéíóúàèìòùäëïöüâêîôûåøñçšžčłőűāēėųţșğ";

/// `text` in `language`: each ASCII letter mapped by the language's table.
fn translate(language: &str, index: usize, text: &str) -> String {
    let table: Vec<char> = match language {
        "el" => GREEK.chars().collect(),
        "bg" | "uk" => CYRILLIC.chars().collect(),
        "ar" => ARABIC.chars().collect(),
        _ => Vec::new(),
    };
    let accents: Vec<char> = ACCENTS.chars().collect();
    let (first, second) = (
        accents[index % accents.len()],
        accents[(index * 7 + 3) % accents.len()],
    );
    text.chars()
        .map(|c| {
            if !c.is_ascii_alphabetic() {
                return c;
            }
            let letter = usize::from(c.to_ascii_lowercase() as u8 - b'a');
            match table.get(letter) {
                Some(mapped) if c.is_ascii_uppercase() => {
                    mapped.to_uppercase().next().unwrap_or(*mapped)
                }
                Some(mapped) => *mapped,
                None if table.is_empty() && c == 'e' => first,
                None if table.is_empty() && c == 'a' => second,
                None => c,
            }
        })
        .collect()
}

/// Writes the files of `language` (the `index`th of [`ESCO_LANGUAGES`]) for `files` into
/// `dir`.
pub fn write(
    dir: &Path,
    rng: &mut Rng,
    language: &str,
    index: usize,
    files: &[ConceptFile<'_>],
) -> Result<()> {
    for concepts in files {
        let mut out = Writer::create(
            dir,
            &file(concepts.base, language),
            &[
                "conceptType",
                "conceptUri",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "description",
            ],
        )?;
        for concept in concepts.concepts {
            let untranslated = rng.below(20) == 0;
            let label = if untranslated {
                String::new()
            } else {
                translate(language, index, &concept.label)
            };
            let hidden = if !untranslated && rng.below(5) == 0 {
                // A misspelling: two neighbouring letters swapped.
                let mut letters: Vec<char> = label.chars().collect();
                if letters.len() > 3 {
                    letters.swap(1, 2);
                }
                letters.into_iter().collect()
            } else {
                String::new()
            };
            out.row(&[
                concepts.concept_type,
                &concept.uri,
                &label,
                &translate(language, index, &concept.alt),
                &hidden,
                "released",
                &translate(language, index, &concept.description),
            ])?;
        }
        out.finish()?;
    }
    Ok(())
}
