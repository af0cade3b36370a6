//! ESCO-shaped bundles of any size, written in ESCO's CSV layout, so that the importer, the
//! benchmark and the tests can run at ESCO's full size (v1.2: 3,039 occupations, 13,939
//! skills, 640 skill groups, 129,004 occupation–skill relations, 20,822 broader relations)
//! without the download. Labels are drawn from word lists, so some repeat (as ESCO's do
//! across concepts) and exercise the slug collision rule; alternative labels are multi-line
//! cells; some skills have two broader concepts; popular skills are needed by many
//! occupations and most by few, as in ESCO.

mod translations;
mod words;

use std::collections::HashSet;
use std::path::Path;

use clap::Args;

pub use self::translations::ESCO_LANGUAGES;
use self::translations::{ConceptFile, ConceptText};
use self::words::{FIELDS, JOB_FIELDS, JOBS, KNOWLEDGE, OBJECTS, VERBS, pick, uri, words};
use super::bundle::file;
use super::files::ESCO_URI;
use crate::generator::Rng;
use crate::{Error, Result};

/// The size of a generated bundle (ESCO v1.2's by default).
#[derive(Args, Debug, Clone)]
pub struct BundleSize {
    #[arg(long, default_value_t = 3_039)]
    pub occupations: usize,
    #[arg(long, default_value_t = 13_939)]
    pub skills: usize,
    #[arg(long, default_value_t = 640)]
    pub skill_groups: usize,
    #[arg(long, default_value_t = 129_004)]
    pub relations: usize,
    /// Broader relations in all (each group but the top ones has one; the rest go to skills,
    /// one each and a second for some).
    #[arg(long, default_value_t = 20_822)]
    pub broader: usize,
    /// Skill–skill relations (`skillSkillRelations`; ESCO v1.2 has 5,818, nearly all
    /// optional).
    #[arg(long, default_value_t = 5_818)]
    pub skill_relations: usize,
    /// How many of ESCO's 28 languages to write files for: English first, then ESCO's others
    /// in its order (28: all), each language's concept files translated by a letter mapping
    /// of its script.
    #[arg(long, default_value_t = 1)]
    pub languages: usize,
    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

impl BundleSize {
    /// ESCO v1.2's size, in the first `languages` of its languages, from the default seed.
    pub fn esco(languages: usize) -> Self {
        BundleSize {
            occupations: 3_039,
            skills: 13_939,
            skill_groups: 640,
            relations: 129_004,
            broader: 20_822,
            skill_relations: 5_818,
            languages,
            seed: 42,
        }
    }
}

struct Writer {
    writer: csv::Writer<std::fs::File>,
    file: String,
}

impl Writer {
    fn create(dir: &Path, name: &str, header: &[&str]) -> Result<Self> {
        let name = name.to_owned();
        let path = dir.join(&name);
        let writer = csv::Writer::from_path(&path)
            .map_err(|err| Error::bad_input(format!("{}: {err}", path.display())))?;
        let mut this = Writer { writer, file: name };
        this.row(header)?;
        Ok(this)
    }

    fn row<S: AsRef<[u8]>>(&mut self, cells: &[S]) -> Result<()> {
        self.writer
            .write_record(cells)
            .map_err(|err| Error::Internal(format!("{}: {err}", self.file)))
    }

    fn finish(mut self) -> Result<()> {
        self.writer
            .flush()
            .map_err(|err| Error::Internal(format!("{}: {err}", self.file)))
    }
}

/// Writes a bundle of `size` into `dir` (English files, then those of the other languages
/// asked), one file after the other from one stream of pseudo-random draws; returns a
/// one-line summary.
pub fn generate(dir: &Path, size: &BundleSize) -> Result<String> {
    std::fs::create_dir_all(dir)
        .map_err(|err| Error::bad_input(format!("{}: {err}", dir.display())))?;
    let mut rng = Rng(size.seed);
    let scheme = format!("{ESCO_URI}concept-scheme/");
    let group_texts = skill_groups(dir, &mut rng, size, &scheme)?;
    let groups = uris(&group_texts);
    let tops = (size.skill_groups / 10).max(1).min(size.skill_groups);
    let skill_texts = skills(dir, &mut rng, size, &scheme)?;
    let skills = uris(&skill_texts);
    broader_relations(dir, &mut rng, size, &groups, tops, &skills)?;
    let occupation_texts = occupations(dir, &mut rng, size, &scheme)?;
    let occupations = uris(&occupation_texts);
    occupation_skill_relations(dir, &mut rng, size, &occupations, &skills)?;
    // From a stream of draws of its own, so that adding the file changed none of the others.
    skill_skill_relations(dir, &mut Rng(size.seed ^ 0x5eed), size, &skills)?;
    let files = [
        ConceptFile {
            base: "occupations",
            concept_type: "Occupation",
            concepts: &occupation_texts,
        },
        ConceptFile {
            base: "skills",
            concept_type: "KnowledgeSkillCompetence",
            concepts: &skill_texts,
        },
        ConceptFile {
            base: "skillGroups",
            concept_type: "SkillGroup",
            concepts: &group_texts,
        },
    ];
    let languages = size.languages.clamp(1, ESCO_LANGUAGES.len());
    for (index, language) in ESCO_LANGUAGES.iter().enumerate().take(languages).skip(1) {
        translations::write(dir, &mut rng, language, index, &files)?;
    }
    Ok(format!(
        "{} occupations, {} skills, {} skill groups, {} occupation-skill relations, {} \
         skill-skill relations in {} language(s) in {}",
        size.occupations,
        size.skills,
        size.skill_groups,
        size.relations,
        size.skill_relations,
        languages,
        dir.display()
    ))
}

fn uris(concepts: &[ConceptText]) -> Vec<String> {
    concepts.iter().map(|c| c.uri.clone()).collect()
}

/// `skillGroups`: a tree of groups, the first tenth at the top; returns their texts.
fn skill_groups(
    dir: &Path,
    rng: &mut Rng,
    size: &BundleSize,
    scheme: &str,
) -> Result<Vec<ConceptText>> {
    let groups: Vec<String> = (0..size.skill_groups).map(|_| uri(rng, "skill")).collect();
    let mut out = Writer::create(
        dir,
        &file("skillGroups", "en"),
        &[
            "conceptType",
            "conceptUri",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "inScheme",
            "description",
            "code",
        ],
    )?;
    let mut texts = Vec::with_capacity(groups.len());
    for (i, group) in groups.iter().enumerate() {
        let label = format!("{} {}", pick(rng, VERBS), pick(rng, OBJECTS));
        let alt = words(rng, 3, &mut |rng| {
            format!("{} {}", pick(rng, VERBS), pick(rng, OBJECTS))
        });
        out.row(&[
            "SkillGroup",
            group,
            &label,
            &alt,
            "",
            "released",
            "2024-01-01T00:00:00Z",
            "",
            &format!("{scheme}skills"),
            &format!("Skills of the group {label}."),
            &format!("S{i}"),
        ])?;
        texts.push(ConceptText {
            uri: group.clone(),
            description: format!("Skills of the group {label}."),
            label,
            alt,
        });
    }
    out.finish()?;

    Ok(texts)
}

/// `skills`: knowledge and skill/competence, with reuse levels; returns their texts.
fn skills(dir: &Path, rng: &mut Rng, size: &BundleSize, scheme: &str) -> Result<Vec<ConceptText>> {
    let skills: Vec<String> = (0..size.skills).map(|_| uri(rng, "skill")).collect();
    let mut out = Writer::create(
        dir,
        &file("skills", "en"),
        &[
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
        ],
    )?;
    let mut texts = Vec::with_capacity(skills.len());
    for skill in &skills {
        let knowledge = rng.below(3) == 0;
        let label = if knowledge {
            format!("{}{}", pick(rng, KNOWLEDGE), pick(rng, FIELDS))
        } else {
            format!(
                "{} {}{}",
                pick(rng, VERBS),
                pick(rng, OBJECTS),
                pick(rng, FIELDS)
            )
        };
        let alt = words(rng, 9, &mut |rng| {
            format!("{} {}", pick(rng, VERBS), pick(rng, OBJECTS))
        });
        let reuse = [
            "transversal",
            "cross-sector",
            "sector-specific",
            "occupation-specific",
        ][rng.below(4)];
        let kind = if knowledge {
            "knowledge"
        } else {
            "skill/competence"
        };
        out.row(&[
            "KnowledgeSkillCompetence",
            skill,
            kind,
            reuse,
            &label,
            &alt,
            "",
            "released",
            "2024-01-01T00:00:00Z",
            "",
            "",
            &format!("{scheme}skills"),
            &format!("The ability to {label}, as practised in the trade."),
        ])?;
        texts.push(ConceptText {
            uri: skill.clone(),
            description: format!("The ability to {label}, as practised in the trade."),
            label,
            alt,
        });
    }
    out.finish()?;

    Ok(texts)
}

/// `broaderRelationsSkillPillar`: each group below the top has a parent group above it; each
/// skill a group below the top, and some a second broader concept (an earlier skill or a
/// group).
fn broader_relations(
    dir: &Path,
    rng: &mut Rng,
    size: &BundleSize,
    groups: &[String],
    tops: usize,
    skills: &[String],
) -> Result<()> {
    let mut out = Writer::create(
        dir,
        &file("broaderRelationsSkillPillar", "en"),
        &["conceptType", "conceptUri", "broaderType", "broaderUri"],
    )?;
    let mut written = 0;
    for i in tops..groups.len() {
        let parent = rng.below(i);
        out.row(&["SkillGroup", &groups[i], "SkillGroup", &groups[parent]])?;
        written += 1;
    }
    let inner = &groups[tops..];
    let inner = if inner.is_empty() { groups } else { inner };
    let wanted = size.broader.saturating_sub(written + skills.len());
    let mut seconds = wanted;
    for (i, skill) in skills.iter().enumerate() {
        if inner.is_empty() {
            break;
        }
        let group = &inner[rng.below(inner.len())];
        out.row(&["KnowledgeSkillCompetence", skill, "SkillGroup", group])?;
        if seconds > 0 && rng.below(skills.len()) < wanted {
            seconds -= 1;
            if i > 0 && rng.below(2) == 0 {
                let earlier = &skills[rng.below(i)];
                out.row(&[
                    "KnowledgeSkillCompetence",
                    skill,
                    "KnowledgeSkillCompetence",
                    earlier,
                ])?;
            } else {
                let other = &inner[rng.below(inner.len())];
                if other != group {
                    out.row(&["KnowledgeSkillCompetence", skill, "SkillGroup", other])?;
                }
            }
        }
    }
    out.finish()?;

    Ok(())
}

/// `occupations`; returns their URIs.
fn occupations(
    dir: &Path,
    rng: &mut Rng,
    size: &BundleSize,
    scheme: &str,
) -> Result<Vec<ConceptText>> {
    let occupations: Vec<String> = (0..size.occupations)
        .map(|_| uri(rng, "occupation"))
        .collect();
    let mut out = Writer::create(
        dir,
        &file("occupations", "en"),
        &[
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "regulatedProfessionNote",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
            "code",
        ],
    )?;
    let mut texts = Vec::with_capacity(occupations.len());
    for occupation in &occupations {
        let label = format!("{} {}", pick(rng, JOB_FIELDS), pick(rng, JOBS));
        let alt = words(rng, 16, &mut |rng| {
            format!("{} {}", pick(rng, JOB_FIELDS), pick(rng, JOBS))
        });
        let isco = format!("{}", 1000 + rng.below(9000));
        out.row(&[
            "Occupation",
            occupation,
            &isco,
            &label,
            &alt,
            "",
            "released",
            "2024-01-01T00:00:00Z",
            "",
            "",
            "",
            &format!("{scheme}occupations"),
            &format!("A {label} does the work of a {label}."),
            &format!("{isco}.1"),
        ])?;
        texts.push(ConceptText {
            uri: occupation.clone(),
            description: format!("A {label} does the work of a {label}."),
            label,
            alt,
        });
    }
    out.finish()?;

    Ok(texts)
}

/// A place in `0..n` (`n` > 0), the first ones far more often: squaring a uniform draw gives
/// a long tail, as ESCO's skills have (a few needed everywhere, most by few).
fn popular(rng: &mut Rng, n: usize) -> usize {
    let u = rng.below(1 << 20) as f64 / f64::from(1 << 20);
    (((u * u) * n as f64) as usize).min(n - 1)
}

/// `occupationSkillRelations`: popular skills often, most skills rarely.
fn occupation_skill_relations(
    dir: &Path,
    rng: &mut Rng,
    size: &BundleSize,
    occupations: &[String],
    skills: &[String],
) -> Result<()> {
    let mut out = Writer::create(
        dir,
        &file("occupationSkillRelations", "en"),
        &["occupationUri", "relationType", "skillType", "skillUri"],
    )?;
    let per_occupation = size.relations / size.occupations.max(1);
    let mut extra = size.relations - per_occupation * size.occupations.max(1);
    for occupation in occupations {
        let mut count = per_occupation;
        if extra > 0 {
            count += 1;
            extra -= 1;
        }
        let mut chosen = HashSet::new();
        while chosen.len() < count.min(skills.len()) {
            let at = popular(rng, skills.len());
            if chosen.insert(at) {
                let kind = if rng.below(2) == 0 {
                    "essential"
                } else {
                    "optional"
                };
                out.row(&[occupation.as_str(), kind, "skill/competence", &skills[at]])?;
            }
        }
    }
    out.finish()?;
    Ok(())
}

/// `skillSkillRelations`: from popular skills more often, to any skill, one in 30 essential
/// (as ESCO's are nearly all optional); never from a skill to itself, no pair twice.
fn skill_skill_relations(
    dir: &Path,
    rng: &mut Rng,
    size: &BundleSize,
    skills: &[String],
) -> Result<()> {
    let mut out = Writer::create(
        dir,
        &file("skillSkillRelations", "en"),
        &[
            "originalSkillUri",
            "originalSkillType",
            "relationType",
            "relatedSkillType",
            "relatedSkillUri",
        ],
    )?;
    let n = skills.len();
    // Every pair but a skill with itself, at most.
    let count = size.skill_relations.min(n * n.saturating_sub(1));
    let mut chosen = HashSet::new();
    while chosen.len() < count {
        let from = popular(rng, n);
        let to = rng.below(n);
        if from == to || !chosen.insert((from, to)) {
            continue;
        }
        let kind = if rng.below(30) == 0 {
            "essential"
        } else {
            "optional"
        };
        out.row(&[
            skills[from].as_str(),
            "skill/competence",
            kind,
            "skill/competence",
            skills[to].as_str(),
        ])?;
    }
    out.finish()?;
    Ok(())
}
