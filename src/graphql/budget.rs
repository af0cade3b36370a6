//! A document's size, measured in time linear in its length before anything expands it.
//!
//! async-graphql walks a document with its fragments expanded, without remembering what a
//! fragment came to — for its recursion-depth and directive checks, for every validation rule
//! that follows spreads, and for depth and cost — so a few hundred bytes of fragments that each
//! spread the next one twice cost 2^depth steps before any of its limits sees them. The
//! checks here run first: the document's length and tokens before it is read, then the
//! number of field selections, aliases and directives it expands to, each fragment measured
//! once however often it is spread. Once a document passes, its expanded tree holds at most
//! [`Limits::max_selections`] fields, so every later walk of it (async-graphql's, and the
//! measuring schema's that explains a refused cost, see `engine/measure.rs`) is bounded too.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use super::engine::error_codes::QUERY_TOO_LARGE;
use super::limits::Limits;

/// What a document is measured by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Its length in bytes.
    Bytes,
    /// Its lexical tokens (names, punctuators, values), as a GraphQL lexer reads them.
    Tokens,
    /// Field selections, fragments expanded; `__typename` and introspection fields count.
    Selections,
    /// Fields under an alias, fragments expanded.
    Aliases,
    /// Directives, fragments expanded.
    Directives,
}

impl Measure {
    /// The name clients see in `extensions.measure`.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Bytes => "bytes",
            Measure::Tokens => "tokens",
            Measure::Selections => "selections",
            Measure::Aliases => "aliases",
            Measure::Directives => "directives",
        }
    }

    fn limit(self, limits: &Limits) -> u64 {
        let limit = match self {
            Measure::Bytes => limits.max_document_bytes,
            Measure::Tokens => limits.max_tokens,
            Measure::Selections => limits.max_selections,
            Measure::Aliases => limits.max_aliases,
            Measure::Directives => limits.max_directives,
        };
        limit as u64
    }
}

/// A document over one of the limits: which, by how much.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLarge {
    pub measure: Measure,
    /// What the document measures; for tokens, counting stops just above the limit.
    pub count: u64,
    pub limit: u64,
}

impl TooLarge {
    /// The GraphQL error a client gets: `QUERY_TOO_LARGE`, with the measure, the count and
    /// the limit in `extensions`.
    pub fn to_server_error(&self) -> async_graphql::ServerError {
        let what = match self.measure {
            Measure::Bytes => "bytes long",
            Measure::Tokens => "tokens",
            Measure::Selections => "field selections with its fragments expanded",
            Measure::Aliases => "aliased fields with its fragments expanded",
            Measure::Directives => "directives with its fragments expanded",
        };
        let count = if self.measure == Measure::Tokens {
            format!("more than {}", self.limit)
        } else {
            self.count.to_string()
        };
        let message = format!(
            "the document has {count} {what}, above the limit of {}",
            self.limit
        );
        let mut error = async_graphql::ServerError::new(message, None);
        let extensions = error.extensions.get_or_insert_with(Default::default);
        extensions.set("code", QUERY_TOO_LARGE);
        extensions.set("measure", self.measure.name());
        extensions.set("count", self.count);
        extensions.set("limit", self.limit);
        error
    }
}

fn over(measure: Measure, count: u64, limits: &Limits) -> Result<(), TooLarge> {
    let limit = measure.limit(limits);
    if count > limit {
        Err(TooLarge {
            measure,
            count,
            limit,
        })
    } else {
        Ok(())
    }
}

/// Checks a document's text: its length, then its tokens (counting stops past the limit).
pub fn check_text(text: &str, limits: &Limits) -> Result<(), TooLarge> {
    over(Measure::Bytes, text.len() as u64, limits)?;
    let most = limits.max_tokens;
    over(Measure::Tokens, tokens(text, most) as u64, limits)
}

/// Checks a parsed document: the selections, aliases and directives all its operations expand
/// to (validation walks every operation, not only the one that runs). A fragment that spreads
/// itself, directly or not, is left for validation to refuse: the spread that closes the
/// cycle counts nothing.
pub fn check_document(document: &ExecutableDocument, limits: &Limits) -> Result<(), TooLarge> {
    let size = expanded(document);
    over(Measure::Selections, size.selections, limits)?;
    over(Measure::Aliases, size.aliases, limits)?;
    over(Measure::Directives, size.directives, limits)
}

/// What a selection set comes to: its counts without the fragments it spreads, and the names
/// of those fragments, once per spread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Size {
    selections: u64,
    aliases: u64,
    directives: u64,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.selections = self.selections.saturating_add(other.selections);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.directives = self.directives.saturating_add(other.directives);
    }
}

/// The own size of a selection set and the fragments it spreads (with repeats), read without
/// recursion, so that no nesting can exhaust the stack.
fn shape<'d>(root: &'d SelectionSet, spreads: &mut Vec<&'d str>) -> Size {
    let mut size = Size::default();
    let mut sets = vec![root];
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    size.selections += 1;
                    size.aliases += u64::from(field.alias.is_some());
                    size.directives += field.directives.len() as u64;
                    sets.push(&field.selection_set.node);
                }
                Selection::FragmentSpread(spread) => {
                    size.directives += spread.node.directives.len() as u64;
                    spreads.push(spread.node.fragment_name.node.as_str());
                }
                Selection::InlineFragment(inline) => {
                    size.directives += inline.node.directives.len() as u64;
                    sets.push(&inline.node.selection_set.node);
                }
            }
        }
    }
    size
}

/// What every operation of `document` expands to, together. Each fragment's own shape is read
/// once, and its expanded size computed once (children first, with an explicit stack), so the
/// whole takes time linear in the document's length.
fn expanded(document: &ExecutableDocument) -> Size {
    // Each fragment's own size and spreads, by name.
    let mut fragments: HashMap<&str, (Size, Vec<&str>)> = HashMap::new();
    for (name, fragment) in &document.fragments {
        let mut spreads = Vec::new();
        let mut size = shape(&fragment.node.selection_set.node, &mut spreads);
        size.directives += fragment.node.directives.len() as u64;
        fragments.insert(name.as_str(), (size, spreads));
    }
    // Expanded sizes, in post-order. A fragment in progress that is met again is a cycle:
    // it adds nothing more (validation refuses the document).
    let mut totals: HashMap<&str, Size> = HashMap::with_capacity(fragments.len());
    let mut in_progress: HashSet<&str> = HashSet::new();
    for &start in fragments.keys() {
        if totals.contains_key(start) {
            continue;
        }
        // (fragment, index of its next spread to visit)
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        in_progress.insert(start);
        while let Some(top) = stack.last_mut() {
            let name = top.0;
            let Some((own, spreads)) = fragments.get(name) else {
                stack.pop();
                continue;
            };
            if let Some(&child) = spreads.get(top.1) {
                top.1 += 1;
                let unvisited = fragments.contains_key(child)
                    && !totals.contains_key(child)
                    && !in_progress.contains(child);
                if unvisited {
                    in_progress.insert(child);
                    stack.push((child, 0));
                }
                continue;
            }
            let mut total = *own;
            for spread in spreads {
                if let Some(size) = totals.get(spread) {
                    total.add(*size);
                }
            }
            totals.insert(name, total);
            in_progress.remove(name);
            stack.pop();
        }
    }
    let mut whole = Size::default();
    for (_, operation) in document.operations.iter() {
        let mut spreads = Vec::new();
        let mut size = shape(&operation.node.selection_set.node, &mut spreads);
        size.directives += operation.node.directives.len() as u64;
        for spread in spreads {
            if let Some(total) = totals.get(spread) {
                size.add(*total);
            }
        }
        whole.add(size);
    }
    whole
}

/// The number of lexical tokens in `text`, counting no further than `most + 1`: names,
/// numbers, strings (a block string is one), and punctuators (`...` is one). White space,
/// commas, comments and a byte-order mark are not tokens. Anything a GraphQL lexer would
/// refuse counts one token per byte; the parser refuses it afterwards.
pub fn tokens(text: &str, most: usize) -> usize {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let name_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let (mut at, mut count) = (0, 0);
    while at < len && count <= most {
        let b = bytes[at];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => at += 1,
            0xEF if bytes[at..].starts_with("\u{feff}".as_bytes()) => at += 3,
            b'#' => {
                while at < len && bytes[at] != b'\n' && bytes[at] != b'\r' {
                    at += 1;
                }
            }
            b'"' => {
                count += 1;
                at = after_string(bytes, at);
            }
            b'.' if bytes[at..].starts_with(b"...") => {
                count += 1;
                at += 3;
            }
            b'-' | b'0'..=b'9' => {
                count += 1;
                at += 1;
                while at < len {
                    let b = bytes[at];
                    let sign = (b == b'+' || b == b'-') && matches!(bytes[at - 1], b'e' | b'E');
                    if name_char(b) || b == b'.' || sign {
                        at += 1;
                    } else {
                        break;
                    }
                }
            }
            b if name_char(b) => {
                count += 1;
                while at < len && name_char(bytes[at]) {
                    at += 1;
                }
            }
            _ => {
                count += 1;
                at += 1;
            }
        }
    }
    count
}

/// Where the string that starts at `start` (a `"`) ends: after its closing quote, or at the
/// end of its line (a plain string) or of the text (a block string) when it is not closed.
fn after_string(bytes: &[u8], start: usize) -> usize {
    let len = bytes.len();
    if bytes[start..].starts_with(b"\"\"\"") {
        let mut at = start + 3;
        while at < len {
            if bytes[at..].starts_with(b"\\\"\"\"") {
                at += 4;
            } else if bytes[at..].starts_with(b"\"\"\"") {
                return at + 3;
            } else {
                at += 1;
            }
        }
        return len;
    }
    let mut at = start + 1;
    while at < len {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            b'\n' | b'\r' => return at,
            _ => at += 1,
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(query: &str) -> Size {
        let document = async_graphql::parser::parse_query(query).expect("a valid document");
        expanded(&document)
    }

    /// Fragments `F0` … `F{depth}`, each spreading the next twice, ending in `leaf`.
    pub(crate) fn fragment_bomb(depth: usize, leaf: &str) -> String {
        let mut query = String::from("query { ...F0 }\n");
        for level in 0..depth {
            let next = level + 1;
            query.push_str(&format!(
                "fragment F{level} on Query {{ ...F{next} ...F{next} }}\n"
            ));
        }
        query.push_str(&format!("fragment F{depth} on Query {{ {leaf} }}\n"));
        query
    }

    #[test]
    fn fields_are_counted_with_fragments_expanded() {
        let plain = size("{ roles { nodes { id name } } __typename }");
        assert_eq!(plain.selections, 5);
        let spread = size(
            "query { a: roles { ...R } b: roles { ...R } } \
             fragment R on RoleConnection { nodes { id @include(if: true) } }",
        );
        assert_eq!(spread.selections, 2 + 2 * 2);
        assert_eq!(spread.aliases, 2);
        assert_eq!(spread.directives, 2);
        let inline =
            size("{ node(id: \"x\") { ... on Role { slug } ... @skip(if: false) { id } } }");
        assert_eq!(
            inline,
            Size {
                selections: 3,
                aliases: 0,
                directives: 1
            }
        );
        // Every operation counts: validation walks them all.
        assert_eq!(size("query A { x } query B { y z }").selections, 3);
    }

    #[test]
    fn a_fragment_bomb_is_measured_exactly_and_at_once() {
        for depth in [10, 24, 40, 63] {
            let bomb = fragment_bomb(depth, "__typename");
            let started = std::time::Instant::now();
            let counted = size(&bomb).selections;
            assert_eq!(counted, 1u64 << depth, "depth {depth}");
            assert!(started.elapsed() < std::time::Duration::from_millis(50));
        }
        // Beyond 64 levels the count saturates instead of wrapping.
        assert_eq!(size(&fragment_bomb(70, "__typename")).selections, u64::MAX);
    }

    #[test]
    fn cycles_and_unknown_fragments_end_the_count() {
        let cyclic = "query { ...A } fragment A on Query { x ...B } fragment B on Query { y ...A }";
        // Which fragment of the cycle is cut depends on where the walk starts; either way
        // each is counted at most once.
        assert!((1..=2).contains(&size(cyclic).selections));
        assert_eq!(size("{ ...Missing x }").selections, 1);
    }

    #[test]
    fn a_long_chain_of_fragments_needs_no_deep_stack() {
        let mut query = String::from("query { ...F0 }\n");
        let depth = 20_000;
        for level in 0..depth {
            query.push_str(&format!(
                "fragment F{level} on Query {{ a ...F{} }}\n",
                level + 1
            ));
        }
        query.push_str(&format!("fragment F{depth} on Query {{ a }}\n"));
        assert_eq!(size(&query).selections, depth as u64 + 1);
    }

    #[test]
    fn real_clients_documents_are_far_inside_the_defaults() {
        let introspection = include_str!("../../tests/fixtures/documents/introspection.graphql");
        let document = async_graphql::parser::parse_query(introspection).expect("valid");
        let measured = expanded(&document);
        let limits = Limits::default();
        assert!(
            measured.selections * 10 < limits.max_selections as u64,
            "{measured:?}"
        );
        assert!(tokens(introspection, usize::MAX) * 10 < limits.max_tokens);
    }

    #[test]
    fn tokens_are_counted_as_a_lexer_reads_them() {
        assert_eq!(tokens("{ a }", 100), 3);
        assert_eq!(
            tokens("\u{feff}query Q($v: Int = -1.5e+3) { a(x: $v) }", 100),
            19
        );
        assert_eq!(
            tokens(
                "{ a(s: \"x, y # z\\\"\" b: \"\"\"a\n\\\"\"\" b\"\"\") }",
                100
            ),
            11
        );
        assert_eq!(tokens("# only a comment\n , ,", 100), 0);
        assert_eq!(tokens("{ ...F }", 100), 4);
        assert_eq!(tokens("\"unclosed\n{ a }", 100), 4);
        // Counting stops past the limit.
        assert_eq!(tokens(&"a ".repeat(1000), 10), 11);
    }

    #[test]
    fn limits_refuse_with_the_measure_count_and_limit() {
        let limits = Limits {
            max_selections: 3,
            ..Limits::default()
        };
        let document = async_graphql::parser::parse_query("{ a b c d }").expect("valid");
        let refused = check_document(&document, &limits).expect_err("four fields");
        assert_eq!(
            refused,
            TooLarge {
                measure: Measure::Selections,
                count: 4,
                limit: 3
            }
        );
        let error = refused.to_server_error();
        assert!(
            error.message.contains("4 field selections"),
            "{}",
            error.message
        );
        let small = Limits {
            max_document_bytes: 4,
            ..Limits::default()
        };
        let refused = check_text("{ a b }", &small).expect_err("seven bytes");
        assert_eq!(refused.measure, Measure::Bytes);
    }
}
