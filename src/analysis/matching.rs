//! How well a role matches what a posting asks or what a person has: the score
//! `analyzePosting` and `recommendRoles` rank roles by.
//!
//! The **asks** are the skills, languages, frameworks and tools a posting mentions (or a person
//! has, at their levels). Three shares, each from 0 to 1, say how a role meets them:
//!
//! - **accounted**: how much of the asks the role accounts for. Each ask weighs by how much it
//!   tells roles apart, `1 + ln((R + 1) / (n + 1))` for an ask that `n` of the `R` roles need
//!   (what every role needs, such as version control, tells little), and counts whole when
//!   the role needs it as essential, half when optional (and in proportion to the level held,
//!   as in coverage). A role is not punished for needing more than the asks name: the most
//!   complete role accounts for a posting as well as a smaller one.
//! - **covered**: how much of the role the asks meet, weighted as coverage is (essential 2,
//!   optional 1; for a person, the coverage of `skillGap`). Of two roles that account for the
//!   same asks, it prefers the one they describe more fully.
//! - **titled**: 1 when the text names the role, by its name or an alias.
//!
//! A posting's score is `0.6 accounted + 0.2 covered + 0.2 titled`; a person's (who names no
//! title, and wants a role they are near to holding) `0.5 accounted + 0.5 covered`. Both are
//! fixed formulas of shares, so scores compare across queries. The **confidence** is the score
//! discounted when little supports it: `score × e / (e + 1)`, `e` the number of asks met plus 2
//! for a title named (one ask met halves the score; six take a seventh off). Roles are ranked
//! by score, then confidence, then slug.

use entity::{Importance, Proficiency};

use super::gap::credit_at;
use super::index::GraphIndex;
use super::inverted::RoleNeed;
use super::needs::{Need, weight};
use crate::graph::Kind;

/// Something asked of a role: a node (of one kind, or of any kind with that slug), at a level
/// if said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ask {
    pub kind: Option<Kind>,
    pub slug: String,
    pub level: Option<Proficiency>,
    /// Other nodes of the same kind the text may mean: a posting's word names one node, and
    /// others may share its label (ESCO has skills of one name under different concepts). A
    /// role that needs any of them meets the ask.
    pub also: Vec<String>,
}

/// The weights of a score's three shares.
#[derive(Clone, Copy, Debug)]
pub struct Weights {
    pub accounted: f64,
    pub covered: f64,
    pub titled: f64,
}

/// The weights of a posting's score.
pub const POSTING: Weights = Weights {
    accounted: 0.6,
    covered: 0.2,
    titled: 0.2,
};

/// The weights of a person's score.
pub const PERSON: Weights = Weights {
    accounted: 0.5,
    covered: 0.5,
    titled: 0.0,
};

/// How a role meets the asks.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleMatch {
    pub role: String,
    pub score: f64,
    pub confidence: f64,
    pub accounted: f64,
    pub covered: f64,
    pub titled: bool,
    /// The role's needs the asks meet, in the role's order, with the credit of each.
    pub matched: Vec<(Need, f64)>,
    /// The asks the role does not need, by their place in the asks.
    pub lacking: Vec<usize>,
    /// The weighted Jaccard similarity of `Role.related` between the role's needs and the
    /// asks (each weighing as an essential need).
    pub similarity: f64,
}

/// The confidence of a score supported by `evidence` asks met (a title counting 2).
pub fn confidence(score: f64, evidence: usize) -> f64 {
    let e = evidence as f64;
    score * e / (e + 1.0)
}

/// Per role, what the asks add up to.
#[derive(Default, Clone, Copy)]
struct Tally {
    accounted: f64,
    earned: f64,
    shared: f64,
    /// How many asks the role meets.
    asks: u32,
    met: bool,
}

/// Every role that meets an ask or is `titled` (roles by slug), best first, at most `first`;
/// with `fill`, roles that meet nothing follow at score 0, by slug, up to `first`. The
/// tallies are sums in an array by role number; only the `first` roles ranked get their
/// needs matched and named.
pub fn rank(
    index: &GraphIndex,
    asks: &[Ask],
    titled: &[String],
    weights: Weights,
    first: usize,
    fill: bool,
) -> Vec<RoleMatch> {
    let postings = &index.postings;
    let roles = postings.roles.len();
    let mut tallies: Vec<Tally> = vec![Tally::default(); roles];
    let mut touched: Vec<u32> = Vec::new();
    let mut told = 0.0;
    // Each ask's postings, one a role (the most telling: essential before optional), and
    // what the ask tells.
    let mut needed_by_ask: Vec<(f64, Vec<RoleNeed>)> = Vec::with_capacity(asks.len());
    for ask in asks {
        let kinds: &[Kind] = match &ask.kind {
            Some(kind) => std::slice::from_ref(kind),
            None => Kind::ALL,
        };
        let slugs = std::iter::once(&ask.slug).chain(&ask.also);
        let mut needed: Vec<RoleNeed> = slugs
            .flat_map(|slug| kinds.iter().flat_map(|kind| postings.of(*kind, slug)))
            .copied()
            .collect();
        needed.sort_by(|a, b| a.role.cmp(&b.role).then(b.weight.total_cmp(&a.weight)));
        needed.dedup_by_key(|posting| posting.role);
        let tells = 1.0 + ((roles as f64 + 1.0) / (needed.len() as f64 + 1.0)).ln();
        told += tells;
        for posting in &needed {
            let credit = credit_at(posting.level, Some(ask.level));
            let share = match posting.importance {
                Importance::Essential => 1.0,
                Importance::Optional => 0.5,
            };
            let Some(tally) = tallies.get_mut(posting.role as usize) else {
                continue;
            };
            if !tally.met {
                tally.met = true;
                touched.push(posting.role);
            }
            tally.accounted += tells * share * credit;
            tally.earned += posting.weight * credit;
            tally.shared += posting.weight.min(weight(Importance::Essential));
            tally.asks += 1;
        }
        needed_by_ask.push((tells, needed));
    }
    let titled: Vec<u32> = titled
        .iter()
        .filter_map(|slug| postings.roles.binary_search(slug).ok())
        .map(|at| u32::try_from(at).unwrap_or(u32::MAX))
        .collect();
    for role in &titled {
        if let Some(tally) = tallies.get_mut(*role as usize)
            && !tally.met
        {
            tally.met = true;
            touched.push(*role);
        }
    }
    let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
    // `(score, confidence, role)` of every role met; roles are numbered in slug order.
    let mut scored: Vec<(f64, f64, u32)> = touched
        .iter()
        .map(|&role| {
            let tally = &tallies[role as usize];
            let (total, _) = postings.totals[role as usize];
            let is_titled = titled.contains(&role);
            let score = weights.accounted * share(tally.accounted, told)
                + weights.covered * share(tally.earned, total)
                + weights.titled * f64::from(u8::from(is_titled));
            let evidence = tally.asks as usize + 2 * usize::from(is_titled);
            (score, confidence(score, evidence), role)
        })
        .collect();
    let order = |a: &(f64, f64, u32), b: &(f64, f64, u32)| {
        b.0.total_cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then_with(|| a.2.cmp(&b.2))
    };
    if first < scored.len() {
        scored.select_nth_unstable_by(first, order);
        scored.truncate(first);
    }
    scored.sort_by(order);
    let asked_weight = weight(Importance::Essential) * asks.len() as f64;
    let mut matches: Vec<RoleMatch> = scored
        .into_iter()
        .filter_map(|(score, confidence, role)| {
            let slug = &postings.roles[role as usize];
            let needs = &index.roles.get(slug)?.needs;
            let tally = &tallies[role as usize];
            let (total, _) = postings.totals[role as usize];
            // The role's needs met, and the asks it meets, from the asks' postings.
            let mut matched: Vec<(u32, f64)> = Vec::new();
            let mut met: Vec<usize> = Vec::new();
            for (at, (ask, (_, needed))) in asks.iter().zip(&needed_by_ask).enumerate() {
                if let Ok(found) = needed.binary_search_by(|p| p.role.cmp(&role)) {
                    let posting = &needed[found];
                    matched.push((posting.need, credit_at(posting.level, Some(ask.level))));
                    met.push(at);
                }
            }
            matched.sort_by_key(|(need, _)| *need);
            matched.dedup_by_key(|(need, _)| *need);
            let union = asked_weight + total - tally.shared;
            Some(RoleMatch {
                role: slug.clone(),
                score,
                confidence,
                accounted: share(tally.accounted, told),
                covered: share(tally.earned, total),
                titled: titled.contains(&role),
                matched: matched
                    .iter()
                    .filter_map(|&(need, credit)| Some((needs.get(need as usize)?.clone(), credit)))
                    .collect(),
                lacking: (0..asks.len())
                    .filter(|at| met.binary_search(at).is_err())
                    .collect(),
                similarity: share(tally.shared, union),
            })
        })
        .collect();
    matches.truncate(first);
    if fill && matches.len() < first {
        let zero: Vec<RoleMatch> = postings
            .roles
            .iter()
            .filter(|slug| !matches.iter().any(|m| &m.role == *slug))
            .take(first - matches.len())
            .map(|slug| RoleMatch {
                role: slug.clone(),
                score: 0.0,
                confidence: 0.0,
                accounted: 0.0,
                covered: 0.0,
                titled: false,
                matched: Vec::new(),
                lacking: (0..asks.len()).collect(),
                similarity: 0.0,
            })
            .collect();
        matches.extend(zero);
    }
    matches
}
