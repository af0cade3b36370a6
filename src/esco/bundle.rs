//! An ESCO bundle, read and checked: its occupations, skills and skill groups, the broader
//! relations of the skill pillar, and which skills each occupation needs. The text it reads is
//! repaired where the repair is unambiguous ([`super::repair`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use entity::{ReuseLevel, SkillType};

use super::files::{Row, Table};
use super::repair::{self, Repairs};

use crate::Result;
use crate::graph::rules::{self, LONGEST_ITEM, MOST_ITEMS};

/// What every concept has.
#[derive(Debug, Clone)]
pub struct Concept {
    pub uri: String,
    pub name: String,
    pub description: String,
    pub aliases: Vec<String>,
    /// ESCO's `hiddenLabels`: for search and extraction, never shown.
    pub hidden: Vec<String>,
    /// Whether ESCO marks the concept obsolete (its `status`): it is imported deprecated.
    pub obsolete: bool,
}

/// An ESCO occupation.
#[derive(Debug, Clone)]
pub struct Occupation {
    pub concept: Concept,
    pub isco_group: Option<String>,
}

/// An ESCO skill or skill group.
#[derive(Debug, Clone)]
pub struct SkillConcept {
    pub concept: Concept,
    pub skill_type: Option<SkillType>,
    pub reuse_level: Option<ReuseLevel>,
}

/// The bundle.
#[derive(Debug, Default)]
pub struct Bundle {
    pub occupations: Vec<Occupation>,
    /// Skills, then skill groups.
    pub skills: Vec<SkillConcept>,
    /// Each skill's broader concepts, in the file's order.
    pub broader: HashMap<String, Vec<String>>,
    /// Each occupation's skills, in the file's order, and whether each is essential.
    pub needs: HashMap<String, Vec<(String, bool)>>,
    /// Each skill's related skills (`skillSkillRelations`, when the bundle has the file), in
    /// the file's order, and whether each is essential to it.
    pub related: HashMap<String, Vec<(String, bool)>>,
    /// Concepts with more alternative labels than a node keeps ([`MOST_ITEMS`]), and labels
    /// longer than one keeps ([`LONGEST_ITEM`]): what was left out.
    pub aliases_left_out: usize,
}

/// One language's text of the bundle's concepts (its occupations, skills and skill groups
/// files), to become the concepts' labels in that locale.
#[derive(Debug, Default)]
pub struct Translation {
    /// The locale (the files' language as a canonical tag: `pt`, `nb`, `pt-BR`).
    pub locale: String,
    /// The concepts that have a preferred label in this language; one without is left out
    /// (its text falls back).
    pub concepts: Vec<Concept>,
    /// Alternative and hidden labels left out, as [`Bundle::aliases_left_out`].
    pub aliases_left_out: usize,
}

/// The files' names for a language: `occupations_en.csv`, ...
pub fn file(base: &str, language: &str) -> String {
    format!("{base}_{language}.csv")
}

/// The common columns of a concept row.
fn concept(row: &Row<'_>, left_out: &mut usize, repairs: &mut Repairs) -> Result<Concept> {
    let uri = row.uri("conceptUri", repairs)?.to_owned();
    let name = row.text("preferredLabel", repairs)?.into_owned();
    rules::check_name("preferredLabel", &name)
        .map_err(|err| row.error("preferredLabel", err.detail()))?;
    // The description, else the definition, else the scope note.
    let mut description = String::new();
    let mut from = "description";
    for column in ["description", "definition", "scopeNote"] {
        let value = row.text(column, repairs)?;
        if !value.is_empty() {
            description = value.into_owned();
            from = column;
            break;
        }
    }
    rules::check_text(from, &description).map_err(|err| row.error(from, err.detail()))?;
    let mut lists = [Vec::new(), Vec::new()];
    for (column, list) in ["altLabels", "hiddenLabels"].into_iter().zip(&mut lists) {
        let labels = row.text(column, repairs)?;
        for label in repair::labels(&row.place(column), &labels, &name, repairs)? {
            if label.chars().count() > LONGEST_ITEM || list.len() == MOST_ITEMS {
                *left_out += 1;
                continue;
            }
            list.push(label.to_owned());
        }
    }
    let [aliases, hidden] = lists;
    let status = row.get("status").trim().to_ascii_lowercase();
    Ok(Concept {
        obsolete: status == "obsolete" || status == "deprecated",
        uri,
        name,
        description,
        aliases,
        hidden,
    })
}

/// The files of concepts, whose text a translation reads.
const CONCEPT_FILES: [&str; 3] = ["occupations", "skills", "skillGroups"];

/// Reads the text of the concepts in `dir` in `language` (its occupations, skills and skill
/// groups files), calling `step` after each file. A row without a preferred label is a
/// concept not translated: left out. Relations are not read: they are the same in every
/// language, and come from the catalog locale's files.
pub fn read_translation(
    dir: &Path,
    language: &str,
    locale: &str,
    repairs: &mut Repairs,
    step: &mut dyn FnMut(&str, usize),
) -> Result<Translation> {
    let mut translation = Translation {
        locale: locale.to_owned(),
        ..Translation::default()
    };
    let mut uris: HashSet<String> = HashSet::new();
    for base in CONCEPT_FILES {
        let table = Table::read(dir, &file(base, language), &CONCEPT[..2], repairs)?;
        for row in table.rows() {
            if row.get("preferredLabel").trim().is_empty() {
                row.uri("conceptUri", repairs)?;
                continue;
            }
            let concept = concept(&row, &mut translation.aliases_left_out, repairs)?;
            if !uris.insert(concept.uri.clone()) {
                return Err(row.error("conceptUri", format!("{} appears twice", concept.uri)));
            }
            translation.concepts.push(concept);
        }
        step(&table.file, table.len());
    }
    Ok(translation)
}

/// The languages of the bundle in `dir`: those of its `occupations_xx.csv` files, sorted.
pub fn languages_in(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|err| crate::Error::bad_input(format!("{}: {err}", dir.display())))?;
    let mut languages = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(language) = name
            .strip_prefix("occupations_")
            .and_then(|rest| rest.strip_suffix(".csv"))
        {
            languages.push(language.to_owned());
        }
    }
    languages.sort();
    Ok(languages)
}

fn skill_type(row: &Row<'_>, repairs: &mut Repairs) -> Result<Option<SkillType>> {
    match row.code("skillType", repairs)? {
        "" => Ok(None),
        "knowledge" => Ok(Some(SkillType::Knowledge)),
        "skill/competence" => Ok(Some(SkillType::SkillCompetence)),
        other => Err(row.error(
            "skillType",
            format!("{other:?} is neither `knowledge` nor `skill/competence`"),
        )),
    }
}

fn reuse_level(row: &Row<'_>, repairs: &mut Repairs) -> Result<Option<ReuseLevel>> {
    match row.code("reuseLevel", repairs)? {
        "" => Ok(None),
        "transversal" => Ok(Some(ReuseLevel::Transversal)),
        "cross-sector" => Ok(Some(ReuseLevel::CrossSector)),
        "sector-specific" => Ok(Some(ReuseLevel::SectorSpecific)),
        "occupation-specific" => Ok(Some(ReuseLevel::OccupationSpecific)),
        other => Err(row.error(
            "reuseLevel",
            format!(
                "{other:?} is not one of transversal, cross-sector, sector-specific, occupation-specific"
            ),
        )),
    }
}

/// Whether the row's `relationType` is `essential` (else `optional`).
fn essential(row: &Row<'_>, repairs: &mut Repairs) -> Result<bool> {
    match row.code("relationType", repairs)? {
        "essential" => Ok(true),
        "optional" => Ok(false),
        other => Err(row.error(
            "relationType",
            format!("{other:?} is neither `essential` nor `optional`"),
        )),
    }
}

/// Where each relation read so far is in its list, so that a repeated one is found without
/// scanning the list.
type Seen<'t> = HashMap<(&'t str, &'t str), usize>;

/// Adds `from → to` to `from`'s list in `relations`, after those there; a relation named
/// twice is kept once, at its first place, essential if either says so.
fn add_relation<'t>(
    relations: &mut HashMap<String, Vec<(String, bool)>>,
    seen: &mut Seen<'t>,
    (from, to): (&'t str, &'t str),
    essential: bool,
) {
    let list = relations.entry(from.to_owned()).or_default();
    match seen.get(&(from, to)).and_then(|&at| list.get_mut(at)) {
        Some(relation) => relation.1 |= essential,
        None => {
            seen.insert((from, to), list.len());
            list.push((to.to_owned(), essential));
        }
    }
}

const CONCEPT: [&str; 4] = ["conceptUri", "preferredLabel", "altLabels", "description"];

/// Reads the bundle in `dir`, in `language`, calling `step` after each file; the repairs made
/// go to `repairs`.
pub fn read(
    dir: &Path,
    language: &str,
    repairs: &mut Repairs,
    step: &mut dyn FnMut(&str, usize),
) -> Result<Bundle> {
    let mut bundle = Bundle::default();
    let read = |base: &str, required: &[&str], repairs: &mut Repairs| {
        Table::read(dir, &file(base, language), required, repairs)
    };

    let occupations = read(
        "occupations",
        &[&CONCEPT[..], &["iscoGroup"]].concat(),
        repairs,
    )?;
    let mut uris: HashSet<String> = HashSet::new();
    let mut left_out = 0;
    for row in occupations.rows() {
        let concept = concept(&row, &mut left_out, repairs)?;
        if !uris.insert(concept.uri.clone()) {
            return Err(row.error("conceptUri", format!("{} appears twice", concept.uri)));
        }
        let group = row.code("iscoGroup", repairs)?;
        if !group.is_empty()
            && (group.len() > 16 || !group.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(row.error("iscoGroup", format!("{group:?} is not an ISCO group code")));
        }
        bundle.occupations.push(Occupation {
            concept,
            isco_group: (!group.is_empty()).then(|| group.to_owned()),
        });
    }
    step(&occupations.file, occupations.len());

    let skills = read(
        "skills",
        &[&CONCEPT[..], &["skillType", "reuseLevel"]].concat(),
        repairs,
    )?;
    let mut skill_uris: HashSet<String> = HashSet::new();
    for row in skills.rows() {
        let concept = concept(&row, &mut left_out, repairs)?;
        if !skill_uris.insert(concept.uri.clone()) {
            return Err(row.error("conceptUri", format!("{} appears twice", concept.uri)));
        }
        bundle.skills.push(SkillConcept {
            skill_type: skill_type(&row, repairs)?,
            reuse_level: reuse_level(&row, repairs)?,
            concept,
        });
    }
    step(&skills.file, skills.len());

    let groups = read("skillGroups", &CONCEPT, repairs)?;
    for row in groups.rows() {
        let concept = concept(&row, &mut left_out, repairs)?;
        if !skill_uris.insert(concept.uri.clone()) {
            return Err(row.error("conceptUri", format!("{} appears twice", concept.uri)));
        }
        bundle.skills.push(SkillConcept {
            concept,
            skill_type: Some(SkillType::SkillGroup),
            reuse_level: None,
        });
    }
    step(&groups.file, groups.len());

    let broader = read(
        "broaderRelationsSkillPillar",
        &["conceptUri", "broaderUri"],
        repairs,
    )?;
    // The relations already read, so that a repeated one is found without scanning a list.
    let mut pairs: HashSet<(&str, &str)> = HashSet::new();
    for row in broader.rows() {
        let (narrower, wider) = (
            row.uri("conceptUri", repairs)?,
            row.uri("broaderUri", repairs)?,
        );
        for (column, uri) in [("conceptUri", narrower), ("broaderUri", wider)] {
            if !skill_uris.contains(uri) {
                return Err(row.error(
                    column,
                    format!("{uri} is no skill or skill group of the bundle"),
                ));
            }
        }
        if narrower == wider {
            return Err(row.error("broaderUri", "a concept cannot be broader than itself"));
        }
        if pairs.insert((narrower, wider)) {
            let list = bundle.broader.entry(narrower.to_owned()).or_default();
            list.push(wider.to_owned());
        }
    }
    step(&broader.file, broader.len());

    let relations = read(
        "occupationSkillRelations",
        &["occupationUri", "relationType", "skillUri"],
        repairs,
    )?;
    let mut seen = Seen::new();
    for row in relations.rows() {
        let occupation = row.uri("occupationUri", repairs)?;
        if !uris.contains(occupation) {
            return Err(row.error(
                "occupationUri",
                format!("{occupation} is no occupation of the bundle"),
            ));
        }
        let skill = row.uri("skillUri", repairs)?;
        if !skill_uris.contains(skill) {
            return Err(row.error("skillUri", format!("{skill} is no skill of the bundle")));
        }
        let essential = essential(&row, repairs)?;
        add_relation(&mut bundle.needs, &mut seen, (occupation, skill), essential);
    }
    step(&relations.file, relations.len());

    // Older bundles and extracts may leave the skills' relations out: then there are none.
    let name = file("skillSkillRelations", language);
    if dir.join(&name).exists() {
        let skill_relations = Table::read(
            dir,
            &name,
            &["originalSkillUri", "relationType", "relatedSkillUri"],
            repairs,
        )?;
        let mut seen = Seen::new();
        for row in skill_relations.rows() {
            let (from, to) = (
                row.uri("originalSkillUri", repairs)?,
                row.uri("relatedSkillUri", repairs)?,
            );
            for (column, uri) in [("originalSkillUri", from), ("relatedSkillUri", to)] {
                if !skill_uris.contains(uri) {
                    return Err(row.error(column, format!("{uri} is no skill of the bundle")));
                }
            }
            if from == to {
                return Err(row.error("relatedSkillUri", "a skill cannot be related to itself"));
            }
            let essential = essential(&row, repairs)?;
            add_relation(&mut bundle.related, &mut seen, (from, to), essential);
        }
        step(&skill_relations.file, skill_relations.len());
    }
    bundle.aliases_left_out = left_out;
    Ok(bundle)
}
