//! The benchmark's queries, and what they name, found in the loaded graph.

use crate::common::ask;

/// What the queries name, found in the loaded graph: its first role and skill by slug, the
/// root of its deepest subtree, what a person has, texts to read and cursors to page from.
pub struct Targets {
    role: String,
    /// The role farthest from `role` by slug among the first hundred, for a career route.
    far_role: String,
    skill: String,
    /// Of `role`'s skills, the one the most roles need: the dearest `Skill.related`.
    popular_skill: String,
    deep_root: String,
    have: String,
    posting: String,
    long_text: String,
    /// The end of the first page of skills by demand, where the second page starts.
    by_demand_cursor: String,
    /// The cursor of the skill halfway down the list of skills (by slug), to page back from.
    middle_cursor: String,
    /// Up to three locales of the graph besides English (`de`, `el` and `uk` when there), each
    /// with 100 KB of text made of its skills' names and prefixes of them to search.
    spoken: Vec<(String, String, Vec<String>)>,
}

/// Separates the queries a client sends in turn.
pub const TURNS: char = '\u{1e}';

/// The order of the skills by demand: the most roles first.
const BY_DEMAND: &str = "[{field: ROLE_COUNT, direction: DESC}]";

/// Prefixes a search box sends as it is typed into, 1 to 4 letters.
const PREFIXES: [&str; 10] = [
    "mana", "desi", "anal", "supe", "prog", "conf", "inst", "eval", "oper", "test",
];

/// The benchmark's queries: N, D and F read lists (N: 50 roles × 10 skills with edge data;
/// D: four levels deep under one role; F: a flat page), W writes, T reads the deepest
/// subtree, the answers (G gap, P learning path, R related roles, M recommendations, X
/// extraction from 100 KB, A posting analysis, K related skills, NS next skills for a role,
/// NC next skills for the closest roles, CR a career route), O pages the skills by demand (the
/// first page and the next in turn), B pages back from the middle of the skills, ON orders the
/// skills of five languages by demand, and S1-S4 search as a user types 1 to 4 letters (ten
/// prefixes in turn); with more locales, X-xx and S4-xx extract and search in each of three
/// of them.
pub fn queries(t: &Targets) -> Vec<(String, String)> {
    let (role, skill, have) = (&t.role, &t.skill, &t.have);
    let mut queries = vec![
        ("N", "{ roles(first: 50) { nodes { id name skills(first: 10) { edges { importance level node { id name slug } } } } } }".to_owned()),
        ("D", format!(r#"{{ role(slug: "{role}") {{ name skills(first: 10) {{ nodes {{ name languages(first: 5) {{ nodes {{ name frameworks(first: 5) {{ nodes {{ name }} }} }} }} }} }} }} }}"#)),
        ("F", "{ roles(first: 10) { nodes { id name } } }".to_owned()),
        ("W", format!(r#"mutation {{ updateSkill(input: {{skill: "{skill}", description: "Measured."}}) {{ revision }} }}"#)),
        ("T", format!(r#"{{ skill(slug: "{}") {{ descendants {{ depth skill {{ slug name }} }} }} }}"#, t.deep_root)),
        ("G", format!(r#"{{ skillGap(role: "{role}", have: {have}) {{ coverage missing {{ slug importance }} }} }}"#)),
        ("P", format!(r#"{{ learningPath(role: "{role}", have: {have}) {{ steps {{ slug reason }} }} }}"#)),
        ("R", format!(r#"{{ role(slug: "{role}") {{ related(first: 5) {{ role {{ slug }} similarity }} }} }}"#)),
        ("M", format!(r#"{{ recommendRoles(have: {have}, first: 5) {{ role {{ slug }} coverage missingEssentials }} }}"#)),
        // The texts go as variables, as a client sends them.
        ("X", serde_json::json!({"query": "query($t: String!) { extractSkills(text: $t) { slug start end } }",
                                 "variables": {"t": t.long_text}}).to_string()),
        ("A", serde_json::json!({"query": "query($t: String!) { analyzePosting(text: $t) { roles { role { slug } similarity } learningPath { steps { slug } } } }",
                                 "variables": {"t": t.posting}}).to_string()),
        ("K", format!(r#"{{ skill(slug: "{}") {{ related(first: 10) {{ skill {{ slug }} score reasons {{ kind score }} }} }} }}"#, t.popular_skill)),
        ("NS", format!(r#"{{ nextSkills(have: {have}, roles: ["{role}"], first: 5) {{ skills {{ slug gain gains {{ roleSlug gain }} }} }} }}"#)),
        ("NC", format!(r#"{{ nextSkills(have: {have}, first: 5) {{ roles {{ slug }} skills {{ slug gain }} }} }}"#)),
        ("CR", format!(r#"{{ careerRoute(from: "{role}", to: "{}", have: {have}) {{ found cost steps {{ to {{ slug }} cost gap {{ coverage }} }} }} }}"#, t.far_role)),
        ("O", [String::new(), format!(r#", after: "{}""#, t.by_demand_cursor)]
            .map(|after| format!("{{ skills(first: 20, orderBy: {BY_DEMAND}{after}) {{ edges {{ cursor node {{ slug name }} }} }} }}"))
            .join(&TURNS.to_string())),
        ("B", format!(r#"{{ skills(last: 20, before: "{}") {{ edges {{ cursor node {{ slug name }} }} pageInfo {{ hasPreviousPage }} }} }}"#, t.middle_cursor)),
        ("ON", format!("{{ languages(first: 5) {{ nodes {{ skills(first: 10, orderBy: {BY_DEMAND}) {{ nodes {{ slug }} }} }} }} }}")),
    ];
    let search = |len: usize| {
        PREFIXES
            .iter()
            .map(|p| {
                format!(
                    r#"{{ search(query: "{}") {{ kind slug name matchedBy }} }}"#,
                    &p[..len]
                )
            })
            .collect::<Vec<_>>()
            .join(&TURNS.to_string())
    };
    let names = ["S1", "S2", "S3", "S4"];
    for (len, name) in (1..=4).zip(names) {
        queries.push((name, search(len)));
    }
    let mut queries: Vec<(String, String)> = queries
        .into_iter()
        .map(|(n, q)| (n.to_owned(), q))
        .collect();
    for (tag, text, prefixes) in &t.spoken {
        queries.push((
            format!("X-{tag}"),
            serde_json::json!({"query": "query($t: String!, $l: String) { extractSkills(text: $t, locale: $l) { slug start end } }",
                               "variables": {"t": text, "l": tag}}).to_string(),
        ));
        let searches: Vec<String> = prefixes
            .iter()
            .map(|prefix| {
                serde_json::json!({"query": "query($q: String!, $l: String) { search(query: $q, locale: $l) { kind slug name matchedBy } }",
                                   "variables": {"q": prefix, "l": tag}}).to_string()
            })
            .collect();
        queries.push((format!("S4-{tag}"), searches.join(&TURNS.to_string())));
    }
    queries
}

/// Asks the server for the graph's [`Targets`].
pub async fn targets(endpoint: &str) -> Targets {
    let data = ask(endpoint, "{ roles(first: 1) { nodes { slug skills(first: 100) { nodes { slug roles { totalCount } } } } } skills(first: 1) { nodes { slug } } far: roles(first: 100) { nodes { slug } } }").await;
    let far_role = data["far"]["nodes"]
        .as_array()
        .and_then(|roles| roles.last())
        .and_then(|role| role["slug"].as_str())
        .unwrap_or_default()
        .to_owned();
    let popular_skill = data["roles"]["nodes"][0]["skills"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .max_by_key(|n| n["roles"]["totalCount"].as_i64().unwrap_or(0))
        .and_then(|n| n["slug"].as_str())
        .unwrap_or_default()
        .to_owned();
    let role = data["roles"]["nodes"][0]["slug"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let skill = data["skills"]["nodes"][0]["slug"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let have: Vec<String> = data["roles"]["nodes"][0]["skills"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .take(3)
        .map(|n| format!(r#"{{slug: "{}"}}"#, n["slug"].as_str().unwrap_or_default()))
        .collect();
    let roots = ask(endpoint, "{ skills(first: 100, filter: {rootsOnly: true}) { nodes { slug descendants { depth } } } }").await;
    let deep_root = roots["skills"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .max_by_key(|n| {
            n["descendants"].as_array().map_or(0, |d| {
                d.iter()
                    .filter_map(|e| e["depth"].as_i64())
                    .max()
                    .unwrap_or(0)
                    * 1_000_000
                    + d.len() as i64
            })
        })
        .and_then(|n| n["slug"].as_str())
        .unwrap_or_default()
        .to_owned();
    let names = ask(endpoint, "{ skills(first: 100) { nodes { name } } }").await;
    let names: Vec<&str> = names["skills"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["name"].as_str())
        .collect();
    let mut posting = String::from("We are hiring. ");
    for name in names.iter().take(12) {
        posting.push_str(&format!("You know {name}, and you like to learn. "));
    }
    let mut long_text = String::new();
    while long_text.len() < 100_000 {
        for name in &names {
            long_text.push_str(&format!("Experience with {name} is a plus; "));
        }
    }
    long_text.truncate(100_000);
    let cut = long_text.rfind(' ').unwrap_or(0);
    long_text.truncate(cut);
    let by_demand = ask(
        endpoint,
        &format!("{{ skills(first: 20, orderBy: {BY_DEMAND}) {{ pageInfo {{ endCursor }} }} }}"),
    )
    .await;
    let by_demand_cursor = by_demand["skills"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Targets {
        role,
        far_role,
        skill,
        popular_skill,
        deep_root,
        have: format!("[{}]", have.join(", ")),
        posting,
        long_text,
        by_demand_cursor,
        middle_cursor: middle_cursor(endpoint).await,
        spoken: spoken(endpoint).await,
    }
}

/// The cursor of the skill halfway down the list of skills in its own order, reached a
/// hundred skills at a time.
async fn middle_cursor(endpoint: &str) -> String {
    let count = ask(endpoint, "{ skills { totalCount } }").await;
    let mut left = count["skills"]["totalCount"].as_u64().unwrap_or(0) / 2;
    let mut after = String::new();
    let mut cursor = String::new();
    while left > 0 {
        let first = left.min(100);
        let query = format!("{{ skills(first: {first}{after}) {{ pageInfo {{ endCursor }} }} }}");
        let page = ask(endpoint, &query).await;
        let Some(end) = page["skills"]["pageInfo"]["endCursor"].as_str() else {
            break;
        };
        cursor = end.to_owned();
        after = format!(r#", after: "{cursor}""#);
        left -= first;
    }
    cursor
}

/// Three locales of the graph besides English, with a text and search prefixes in each.
async fn spoken(endpoint: &str) -> Vec<(String, String, Vec<String>)> {
    let catalog = ask(endpoint, "{ catalog { locales { tag } } }").await;
    let mut tags: Vec<String> = catalog["catalog"]["locales"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["tag"].as_str().map(str::to_owned))
        .filter(|tag| tag != "en")
        .collect();
    tags.sort_by_key(|tag| !["de", "el", "uk"].contains(&tag.as_str()));
    let mut spoken = Vec::new();
    for tag in tags.into_iter().take(3) {
        let query = format!(
            r#"{{ skills(first: 100, filter: {{skillType: SKILL_COMPETENCE}}) {{ nodes {{ name(locale: "{tag}") }} }} }}"#
        );
        let names = ask(endpoint, &query).await;
        let names: Vec<String> = names["skills"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["name"].as_str().map(str::to_owned))
            .collect();
        let mut text = String::new();
        while text.len() < 100_000 && !names.is_empty() {
            for name in &names {
                text.push_str(&format!("{name}; "));
            }
        }
        let mut cut = 100_000.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        let prefixes = names
            .iter()
            .take(10)
            .map(|name| name.chars().take(4).collect())
            .collect();
        spoken.push((tag, text, prefixes));
    }
    spoken
}
