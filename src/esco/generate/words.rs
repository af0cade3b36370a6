//! The word lists generated labels are drawn from, and the draws themselves: a word, a URI,
//! a multi-line cell of labels.

use super::super::files::ESCO_URI;
use crate::generator::Rng;

pub(super) const VERBS: &[&str] = &[
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
pub(super) const OBJECTS: &[&str] = &[
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
pub(super) const FIELDS: &[&str] = &[
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
pub(super) const KNOWLEDGE: &[&str] = &[
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
pub(super) const JOBS: &[&str] = &[
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
pub(super) const JOB_FIELDS: &[&str] = &[
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

pub(super) fn pick<'a>(rng: &mut Rng, words: &[&'a str]) -> &'a str {
    words[rng.below(words.len())]
}

/// An ESCO-style URI with a pseudo-random UUID.
pub(super) fn uri(rng: &mut Rng, kind: &str) -> String {
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
pub(super) fn words(
    rng: &mut Rng,
    most: usize,
    make: &mut dyn FnMut(&mut Rng) -> String,
) -> String {
    let mut labels: Vec<String> = Vec::new();
    for _ in 0..rng.below(most + 1) {
        let label = make(rng);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join("\n")
}
