//! Answer quality: how often `analyzePosting` ranks the role a posting is for first (top-1)
//! and among the first three (top-3), beside two baselines computed here on the same
//! postings.
//!
//! - **built-in**: the labelled postings of `benches/answers/postings.toml` against the
//!   built-in catalog's five roles;
//! - **ESCO-shaped**: for each occupation of a generated ESCO-size bundle, a posting made of a
//!   sample of its skills' names (a third of them, 3 to 8, between sentences that name no
//!   skill), once with the occupation's name as its title and once without.
//!
//! The baselines: **Jaccard**, the plain Jaccard index between the nodes the posting mentions
//! (found as skillgraph finds them) and each role's needs; **TF-IDF**, the cosine between the
//! posting's words and each role's document (its name, aliases and its needs' names and
//! aliases), words weighted by TF-IDF. Ties go to the smaller slug in every ranking.
//!
//! ```sh
//! cargo bench --bench answers                       # both sets
//! cargo bench --bench answers -- --occupations 500  # the first 500 occupations only
//! ```

use std::collections::HashMap;
use std::time::Instant;

use clap::Parser;
use skillgraph::analysis::{self, GraphIndex, Reading};
use skillgraph::catalog::Catalog;
use skillgraph::generator::Rng;
use skillgraph::graph::Kind;

#[derive(Parser, Debug)]
struct Options {
    /// How many of the generated occupations make ESCO-shaped postings (all if not given).
    #[arg(long)]
    occupations: Option<usize>,
    /// Only the built-in postings.
    #[arg(long)]
    built_in_only: bool,
    // `cargo bench` passes `--bench` to every benchmark binary.
    #[arg(long, hide = true)]
    bench: bool,
}

/// A labelled posting.
#[derive(Clone, serde::Deserialize)]
struct Posting {
    role: String,
    text: String,
}

#[derive(serde::Deserialize)]
struct Postings {
    postings: Vec<Posting>,
}

/// Where each method ranked the labelled role of each posting (0 first; `usize::MAX`: not
/// ranked).
#[derive(Default)]
struct Places {
    skillgraph: Vec<usize>,
    jaccard: Vec<usize>,
    tf_idf: Vec<usize>,
}

fn accuracy(places: &[usize], k: usize) -> f64 {
    let hits = places.iter().filter(|place| **place < k).count();
    100.0 * hits as f64 / places.len().max(1) as f64
}

/// The words of a text, folded as search folds them.
fn words(text: &str) -> Vec<String> {
    analysis::fold::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The place of `wanted` among `scores` ranked highest first, ties by slug.
fn place(mut scores: Vec<(f64, &str)>, wanted: &str) -> usize {
    scores.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scores
        .iter()
        .position(|(score, slug)| *slug == wanted && *score > 0.0)
        .unwrap_or(usize::MAX)
}

/// The two baselines' view of the catalog: each role's needs, and each role's document.
struct Baselines<'a> {
    needs: Vec<(&'a str, Vec<(Kind, &'a str)>)>,
    /// Each role's words, weighted by TF-IDF, and the vector's length.
    documents: Vec<(HashMap<String, f64>, f64)>,
    idf: HashMap<String, f64>,
}

impl<'a> Baselines<'a> {
    fn new(catalog: &'a Catalog, index: &'a GraphIndex) -> Self {
        let labels: HashMap<(Kind, &str), Vec<&str>> = catalog
            .nodes()
            .map(|node| {
                let mut labels = vec![node.name];
                labels.extend(node.aliases.iter().map(String::as_str));
                ((node.kind, node.slug), labels)
            })
            .collect();
        let mut needs = Vec::new();
        let mut counts: Vec<HashMap<String, f64>> = Vec::new();
        let mut roles: Vec<&String> = index.roles.keys().collect();
        roles.sort();
        for slug in roles {
            let role = &index.roles[slug];
            let mine: Vec<(Kind, &str)> = role
                .needs
                .iter()
                .map(|need| (need.kind, need.slug.as_str()))
                .collect();
            let mut count: HashMap<String, f64> = HashMap::new();
            let own = labels.get(&(Kind::Role, slug.as_str())).into_iter();
            let theirs = mine.iter().filter_map(|need| labels.get(need));
            for label in own.chain(theirs).flatten() {
                for word in words(label) {
                    *count.entry(word).or_default() += 1.0;
                }
            }
            needs.push((slug.as_str(), mine));
            counts.push(count);
        }
        let mut df: HashMap<String, f64> = HashMap::new();
        for count in &counts {
            for word in count.keys() {
                *df.entry(word.clone()).or_default() += 1.0;
            }
        }
        let n = counts.len() as f64;
        let idf: HashMap<String, f64> = df
            .into_iter()
            .map(|(word, df)| (word, (n / df).ln() + 1.0))
            .collect();
        let documents = counts
            .into_iter()
            .map(|count| {
                let vector: HashMap<String, f64> = count
                    .into_iter()
                    .map(|(word, tf)| {
                        let weight = tf * idf.get(&word).copied().unwrap_or(1.0);
                        (word, weight)
                    })
                    .collect();
                let length = vector.values().map(|w| w * w).sum::<f64>().sqrt();
                (vector, length)
            })
            .collect();
        Baselines {
            needs,
            documents,
            idf,
        }
    }

    fn jaccard(&self, mentioned: &[(Kind, &str)], wanted: &str) -> usize {
        let scores = self
            .needs
            .iter()
            .map(|(slug, needs)| {
                let shared = mentioned.iter().filter(|m| needs.contains(m)).count() as f64;
                let union = (needs.len() + mentioned.len()) as f64 - shared;
                (if union > 0.0 { shared / union } else { 0.0 }, *slug)
            })
            .collect();
        place(scores, wanted)
    }

    fn tf_idf(&self, text: &str, wanted: &str) -> usize {
        let mut query: HashMap<String, f64> = HashMap::new();
        for word in words(text) {
            if let Some(idf) = self.idf.get(&word) {
                *query.entry(word).or_default() += idf;
            }
        }
        let length = query.values().map(|w| w * w).sum::<f64>().sqrt();
        let scores = self
            .needs
            .iter()
            .zip(&self.documents)
            .map(|((slug, _), (document, document_length))| {
                let dot: f64 = query
                    .iter()
                    .filter_map(|(word, w)| Some(w * document.get(word)?))
                    .sum();
                let norm = length * document_length;
                (if norm > 0.0 { dot / norm } else { 0.0 }, *slug)
            })
            .collect();
        place(scores, wanted)
    }
}

/// Ranks the role of every posting by the three methods.
fn evaluate(catalog: &Catalog, index: &GraphIndex, postings: &[Posting]) -> Places {
    let baselines = Baselines::new(catalog, index);
    let mut places = Places::default();
    let reading = Reading::default();
    for posting in postings {
        let analysed = analysis::analyze(index, &posting.text, &[], 3, &reading);
        places.skillgraph.push(
            analysed
                .roles
                .iter()
                .position(|m| m.role == posting.role)
                .unwrap_or(usize::MAX),
        );
        let mentioned: Vec<(Kind, &str)> = analysed
            .needs
            .iter()
            .map(|need| (need.kind, need.slug.as_str()))
            .collect();
        places
            .jaccard
            .push(baselines.jaccard(&mentioned, &posting.role));
        places
            .tf_idf
            .push(baselines.tf_idf(&posting.text, &posting.role));
    }
    places
}

fn report(set: &str, postings: usize, places: &Places) {
    for (method, place) in [
        ("skillgraph", &places.skillgraph),
        ("Jaccard", &places.jaccard),
        ("TF-IDF", &places.tf_idf),
    ] {
        println!(
            "| {set} | {postings} | {method} | {:.1} % | {:.1} % |",
            accuracy(place, 1),
            accuracy(place, 3)
        );
    }
}

/// Sentences that name no skill, between a posting's skills.
const FILLER: [&str; 5] = [
    "We are a friendly team in a growing company.",
    "You will work with colleagues across the organisation.",
    "Flexible hours and a yearly training budget.",
    "Tell us about yourself in a short letter.",
    "Our office is near the station.",
];

/// ESCO-shaped postings: for each occupation (role) of the imported bundle, a third of its
/// skills' names (3 to 8), with and without its name as a title.
fn esco_postings(index: &GraphIndex, built_in: &[String], most: usize) -> Vec<(Posting, bool)> {
    let mut rng = Rng(7);
    let mut roles: Vec<&String> = index
        .roles
        .keys()
        .filter(|slug| !built_in.contains(slug))
        .collect();
    roles.sort();
    let mut postings = Vec::new();
    for slug in roles.into_iter().take(most) {
        let role = &index.roles[slug];
        let skills: Vec<&str> = role
            .needs
            .iter()
            .filter(|need| need.kind == Kind::Skill)
            .map(|need| need.slug.as_str())
            .collect();
        if skills.is_empty() {
            continue;
        }
        let take = (skills.len() / 3).clamp(3, 8).min(skills.len());
        let mut pool = skills.clone();
        let mut sentences = Vec::new();
        for at in 0..take {
            let pick = pool.swap_remove(rng.below(pool.len()));
            sentences.push(format!("You will {}.", index.name(Kind::Skill, pick)));
            if at % 2 == 1 {
                sentences.push(FILLER[rng.below(FILLER.len())].to_owned());
            }
        }
        let body = sentences.join(" ");
        let title = format!("{} wanted. ", index.name(Kind::Role, slug));
        postings.push((
            Posting {
                role: slug.clone(),
                text: format!("{title}{body}"),
            },
            true,
        ));
        postings.push((
            Posting {
                role: slug.clone(),
                text: body,
            },
            false,
        ));
    }
    postings
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    println!("| set | postings | method | top-1 | top-3 |");
    println!("|---|---|---|---|---|");

    let built_in = skillgraph::catalog::built_in().expect("the built-in catalog");
    let index = GraphIndex::new(0, &built_in).expect("the index");
    let labelled: Postings = toml::from_str(include_str!("postings.toml")).expect("postings");
    let places = evaluate(&built_in, &index, &labelled.postings);
    report("built-in", labelled.postings.len(), &places);
    if options.built_in_only {
        return;
    }

    // An ESCO-size bundle, imported beside the built-in catalog into a scratch SQLite file.
    let started = Instant::now();
    let scratch = std::env::temp_dir().join(format!("skillgraph-answers-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch directory");
    let bundle = scratch.join("esco");
    let size = skillgraph::esco::generate::BundleSize::esco(1);
    skillgraph::esco::generate::generate(&bundle, &size).expect("the bundle");
    let url = format!("sqlite://{}?mode=rwc", scratch.join("answers.db").display());
    let db = skillgraph::db::connect(&url).await.expect("connect");
    skillgraph::db::migrate(&db).await.expect("migrate");
    skillgraph::catalog::seed(&db, &built_in, false)
        .await
        .expect("seed");
    skillgraph::esco::import(&db, &bundle, "en", "benchmark", &mut |_| {})
        .await
        .expect("import");
    let catalog = skillgraph::catalog::export(&db.conn).await.expect("export");
    let index = GraphIndex::new(0, &catalog).expect("the index");
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!("ESCO-size graph ready in {:.1?}", started.elapsed());

    let built_in_roles: Vec<String> = built_in.roles.iter().map(|r| r.slug.clone()).collect();
    let postings = esco_postings(
        &index,
        &built_in_roles,
        options.occupations.unwrap_or(usize::MAX),
    );
    for (set, titled) in [
        ("ESCO-shaped, titled", true),
        ("ESCO-shaped, untitled", false),
    ] {
        let these: Vec<Posting> = postings
            .iter()
            .filter(|(_, t)| *t == titled)
            .map(|(p, _)| p.clone())
            .collect();
        let places = evaluate(&catalog, &index, &these);
        report(set, these.len(), &places);
    }
}
