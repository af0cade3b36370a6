//! ESCO-shaped bundles of any size, written in ESCO's CSV layout, so that the importer, the
//! benchmark and the tests can run at ESCO's full size (v1.2: 3,039 occupations, 13,939
//! skills, 640 skill groups, 129,004 occupation–skill relations, 20,822 broader relations)
//! without the download. Labels are drawn from word lists, so some repeat (as ESCO's do
//! across concepts) and exercise the slug collision rule; alternative labels are multi-line
//! cells; some skills have two broader concepts; popular skills are needed by many
//! occupations and most by few, as in ESCO.

use std::collections::HashSet;
use std::path::Path;

use clap::Args;

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
    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

const VERBS: &[&str] = &[
    "manage",
    "design",
    "develop",
    "maintain",
    "analyse",
    "operate",
    "monitor",
    "test",
    "install",
    "configure",
    "document",
    "plan",
    "evaluate",
    "coordinate",
    "apply",
    "use",
    "inspect",
    "repair",
    "supervise",
    "train",
    "assess",
    "advise on",
    "prepare",
    "implement",
    "optimise",
    "audit",
    "negotiate",
    "report on",
    "calibrate",
    "integrate",
];
const OBJECTS: &[&str] = &[
    "database systems",
    "network infrastructure",
    "software components",
    "customer accounts",
    "production lines",
    "financial records",
    "web applications",
    "cloud services",
    "security policies",
    "quality standards",
    "supply chains",
    "medical equipment",
    "construction sites",
    "marketing campaigns",
    "data pipelines",
    "machine learning models",
    "electrical circuits",
    "hydraulic systems",
    "legal documents",
    "training programmes",
    "inventory levels",
    "user interfaces",
    "api integrations",
    "test plans",
    "budgets",
    "server clusters",
    "mobile applications",
    "research projects",
    "safety procedures",
    "logistics operations",
    "energy systems",
    "laboratory samples",
    "public relations",
    "operating systems",
    "query performance",
    "version control",
    "container platforms",
    "payment systems",
    "telecommunication links",
    "agricultural machinery",
];
const FIELDS: &[&str] = &[
    "",
    "",
    "",
    " in healthcare",
    " in manufacturing",
    " for retail",
    " in finance",
    " in transport",
    " for public services",
    " in energy",
    " in education",
    " in hospitality",
];
const KNOWLEDGE: &[&str] = &[
    "SQL",
    "PostgreSQL",
    "JavaScript",
    "Python",
    "Java",
    "statistics",
    "accounting",
    "cryptography",
    "pharmacology",
    "labour law",
    "ergonomics",
    "thermodynamics",
    "agronomy",
    "linguistics",
    "geology",
    "machine learning",
    "computer networks",
    "software testing",
    "project management",
    "supply chain principles",
    "electronics",
    "metallurgy",
];
const JOBS: &[&str] = &[
    "developer",
    "engineer",
    "technician",
    "manager",
    "analyst",
    "specialist",
    "consultant",
    "operator",
    "inspector",
    "coordinator",
    "administrator",
    "designer",
    "officer",
    "supervisor",
    "assistant",
];
const JOB_FIELDS: &[&str] = &[
    "database",
    "software",
    "network",
    "mechanical",
    "electrical",
    "quality",
    "logistics",
    "marketing",
    "financial",
    "medical",
    "construction",
    "energy",
    "security",
    "data",
    "web",
    "cloud",
    "production",
    "laboratory",
    "agricultural",
    "telecommunications",
    "transport",
    "legal",
    "education",
    "hospitality",
    "research",
];

fn pick<'a>(rng: &mut Rng, words: &[&'a str]) -> &'a str {
    words[rng.below(words.len())]
}

/// An ESCO-style URI with a pseudo-random UUID.
fn uri(rng: &mut Rng, kind: &str) -> String {
    let (a, b) = (rng.next(), rng.next());
    format!(
        "{ESCO_URI}{kind}/{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// Up to `most` labels (half of it on average), one per line, as ESCO's multi-line cells.
fn words(rng: &mut Rng, most: usize, make: &mut dyn FnMut(&mut Rng) -> String) -> String {
    let mut labels: Vec<String> = Vec::new();
    for _ in 0..rng.below(most + 1) {
        let label = make(rng);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join("\n")
}

struct Writer {
    writer: csv::Writer<std::fs::File>,
    file: String,
}

impl Writer {
    fn create(dir: &Path, base: &str, header: &[&str]) -> Result<Self> {
        let name = file(base, "en");
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

/// Writes a bundle of `size` into `dir` (English files); returns a one-line summary.
pub fn generate(dir: &Path, size: &BundleSize) -> Result<String> {
    std::fs::create_dir_all(dir)
        .map_err(|err| Error::bad_input(format!("{}: {err}", dir.display())))?;
    let mut rng = Rng(size.seed);
    let scheme = format!("{ESCO_URI}concept-scheme/");

    // Skill groups: a tree, the first tenth at the top.
    let groups: Vec<String> = (0..size.skill_groups)
        .map(|_| uri(&mut rng, "skill"))
        .collect();
    let tops = (size.skill_groups / 10).max(1).min(size.skill_groups);
    let mut out = Writer::create(
        dir,
        "skillGroups",
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
    for (i, group) in groups.iter().enumerate() {
        let label = format!("{} {}", pick(&mut rng, VERBS), pick(&mut rng, OBJECTS));
        let alt = words(&mut rng, 3, &mut |rng| {
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
    }
    out.finish()?;

    // Skills: knowledge and skill/competence, with reuse levels.
    let skills: Vec<String> = (0..size.skills).map(|_| uri(&mut rng, "skill")).collect();
    let mut out = Writer::create(
        dir,
        "skills",
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
    for skill in &skills {
        let knowledge = rng.below(3) == 0;
        let label = if knowledge {
            format!("{}{}", pick(&mut rng, KNOWLEDGE), pick(&mut rng, FIELDS))
        } else {
            format!(
                "{} {}{}",
                pick(&mut rng, VERBS),
                pick(&mut rng, OBJECTS),
                pick(&mut rng, FIELDS)
            )
        };
        let alt = words(&mut rng, 9, &mut |rng| {
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
    }
    out.finish()?;

    // Broader relations: each group below the top has a parent group above it; each skill a
    // group below the top, and some a second broader concept (an earlier skill or a group).
    let mut out = Writer::create(
        dir,
        "broaderRelationsSkillPillar",
        &["conceptType", "conceptUri", "broaderType", "broaderUri"],
    )?;
    let mut written = 0;
    for i in tops..groups.len() {
        let parent = rng.below(i);
        out.row(&["SkillGroup", &groups[i], "SkillGroup", &groups[parent]])?;
        written += 1;
    }
    let inner = &groups[tops..];
    let inner = if inner.is_empty() { &groups[..] } else { inner };
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

    // Occupations and what they need: popular skills often, most skills rarely.
    let occupations: Vec<String> = (0..size.occupations)
        .map(|_| uri(&mut rng, "occupation"))
        .collect();
    let mut out = Writer::create(
        dir,
        "occupations",
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
    for occupation in &occupations {
        let label = format!("{} {}", pick(&mut rng, JOB_FIELDS), pick(&mut rng, JOBS));
        let alt = words(&mut rng, 16, &mut |rng| {
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
    }
    out.finish()?;

    let mut out = Writer::create(
        dir,
        "occupationSkillRelations",
        &["occupationUri", "relationType", "skillType", "skillUri"],
    )?;
    let per_occupation = size.relations / size.occupations.max(1);
    let mut extra = size.relations - per_occupation * size.occupations.max(1);
    for occupation in &occupations {
        let mut count = per_occupation;
        if extra > 0 {
            count += 1;
            extra -= 1;
        }
        let mut chosen = HashSet::new();
        while chosen.len() < count.min(skills.len()) {
            // Squaring a uniform draw favours the first skills: a long tail, as in ESCO.
            let u = rng.below(1 << 20) as f64 / f64::from(1 << 20);
            let at = ((u * u) * skills.len() as f64) as usize;
            if chosen.insert(at.min(skills.len() - 1)) {
                let kind = if rng.below(2) == 0 {
                    "essential"
                } else {
                    "optional"
                };
                out.row(&[
                    occupation.as_str(),
                    kind,
                    "skill/competence",
                    &skills[at.min(skills.len() - 1)],
                ])?;
            }
        }
    }
    out.finish()?;
    Ok(format!(
        "{} occupations, {} skills, {} skill groups, {} occupation-skill relations in {}",
        size.occupations,
        size.skills,
        size.skill_groups,
        size.relations,
        dir.display()
    ))
}
