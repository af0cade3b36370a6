//! The crate's layers point one way: each top-level module of `src/` names only modules of
//! lower layers (`crate::…` paths, in `use` and in code; comments and doc links are not
//! imports). The layers, lowest first, are [`LAYERS`]; a module missing from them fails the
//! test, so a new one has to be placed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules, by layer, lowest first; a module may use those of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["error"],
    &["graph"],
    &["db"],
    &["data"],
    &["keys"],
    &["curation", "auth"],
    &["catalog", "generator"],
    &["esco", "analysis", "releases"],
    &["review"],
    &["graphql", "roadmap", "metrics"],
    &["http"],
    &["startup"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The text of a source file without its comments (line comments, doc comments and block
/// comments; string literals are kept, which is good enough for paths).
fn code_of(text: &str) -> String {
    let mut code = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
        } else {
            let next = rest.chars().next().unwrap_or(' ');
            code.push(next);
            rest = &rest[next.len_utf8()..];
        }
    }
    code
}

/// The top-level modules a file's code names: `crate::name` and each first name of a
/// `crate::{a, b::c}` group. Names in capitals are the crate root's re-exports of `error`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    let ident = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let after = code[at + "crate::".len()..].trim_start();
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0usize;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 0 => {
                        named.insert(ident(&group[i..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            named.insert(ident(after));
        }
    }
    named.retain(|name| !name.is_empty());
    named
        .into_iter()
        .map(|name| {
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                "error".to_owned()
            } else {
                name
            }
        })
        .collect()
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    let mut files = 0;
    for path in sources(&src) {
        let relative = path.strip_prefix(&src).expect("under src");
        let first = relative
            .components()
            .next()
            .and_then(|part| part.as_os_str().to_str())
            .unwrap_or_default();
        let module = first.trim_end_matches(".rs");
        if module == "lib" || module == "main" {
            continue;
        }
        files += 1;
        let Some(layer) = layer_of(module) else {
            wrong.push(format!("{module} is in no layer: add it to LAYERS"));
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("read a source file");
        for named in named_modules(&code_of(&text)) {
            if named == module || named == "self" {
                continue;
            }
            match layer_of(&named) {
                Some(below) if below < layer => {}
                Some(_) => wrong.push(format!(
                    "{} uses crate::{named}, which is not below {module}",
                    relative.display()
                )),
                None => wrong.push(format!(
                    "{} uses crate::{named}, which is in no layer",
                    relative.display()
                )),
            }
        }
    }
    assert!(files > 50, "read the sources ({files} files)");
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_reads_every_form_of_path() {
    let code = code_of(
        "use crate::{Error, data::{List, Page}, db};\n// crate::http in a comment\n\
         /// [`crate::cli`]\nfn f() { crate::keys::create(); }\n/* crate::startup */",
    );
    let named: Vec<String> = named_modules(&code).into_iter().collect();
    assert_eq!(named, ["data", "db", "error", "keys"]);
}

/// The sibling files a file's code names: `super::name` and `crate::<its module>::name` (the
/// folder's own module, `mod.rs`, is the parent and not a sibling). Test modules are left out:
/// a test may use what it likes.
fn named_siblings(code: &str, module_path: &str, siblings: &BTreeSet<String>) -> BTreeSet<String> {
    let code = code.split("#[cfg(test)]").next().unwrap_or_default();
    let mut named = BTreeSet::new();
    for prefix in ["super::".to_owned(), format!("{module_path}::")] {
        for (at, _) in code.match_indices(&prefix) {
            let name: String = code[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if siblings.contains(&name) {
                named.insert(name);
            }
        }
    }
    named
}

/// A cycle among `uses` (file → the siblings it names), if there is one.
fn cycle_among(uses: &std::collections::BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn walk(
        at: &str,
        uses: &std::collections::BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == at) {
            let mut cycle = path[start..].to_vec();
            cycle.push(at.to_owned());
            return Some(cycle);
        }
        if !done.insert(at.to_owned()) {
            return None;
        }
        path.push(at.to_owned());
        for next in uses.get(at).into_iter().flatten() {
            if let Some(cycle) = walk(next, uses, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    uses.keys()
        .find_map(|start| walk(start, uses, &mut Vec::new(), &mut done))
}

/// Within a module's folder, files do not import each other round in a cycle, so that each
/// folder reads bottom-up too. `graphql/` is left out: the schema's object types refer to
/// each other as GraphQL types do.
#[test]
fn the_files_of_a_module_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders = vec![src.clone()];
    let mut cycles = Vec::new();
    let mut checked = 0;
    while let Some(folder) = folders.pop() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&folder).expect("read a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
        let relative = folder.strip_prefix(&src).expect("under src");
        if folder == src || relative.starts_with("graphql") {
            continue;
        }
        let module_path = std::iter::once("crate".to_owned())
            .chain(
                relative
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned()),
            )
            .collect::<Vec<_>>()
            .join("::");
        let stem = |path: &Path| -> String {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut siblings: BTreeSet<String> = files.iter().map(|path| stem(path)).collect();
        siblings.remove("mod");
        for entry in std::fs::read_dir(&folder).expect("read a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                siblings.insert(stem(&path));
            }
        }
        let mut uses = std::collections::BTreeMap::new();
        for path in files.iter().filter(|path| stem(path) != "mod") {
            let text = std::fs::read_to_string(path).expect("read a source file");
            let mut named = named_siblings(&code_of(&text), &module_path, &siblings);
            named.remove(&stem(path));
            uses.insert(stem(path), named);
            checked += 1;
        }
        if let Some(cycle) = cycle_among(&uses) {
            cycles.push(format!("{}: {}", relative.display(), cycle.join(" → ")));
        }
    }
    assert!(checked > 30, "read the sources ({checked} files)");
    assert!(
        cycles.is_empty(),
        "files import each other round:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let siblings: BTreeSet<String> = ["gap", "index", "related"].map(String::from).into();
    let code = code_of("use super::index::GraphIndex;\nuse crate::analysis::related::X;");
    let named = named_siblings(&code, "crate::analysis", &siblings);
    assert_eq!(named, ["index", "related"].map(String::from).into());
    let uses = std::collections::BTreeMap::from([
        ("gap".to_owned(), BTreeSet::from(["index".to_owned()])),
        ("index".to_owned(), BTreeSet::from(["related".to_owned()])),
        ("related".to_owned(), BTreeSet::from(["gap".to_owned()])),
    ]);
    assert_eq!(
        cycle_among(&uses),
        Some(
            ["gap", "index", "related", "gap"]
                .map(String::from)
                .to_vec()
        )
    );
    let mut acyclic = uses.clone();
    acyclic.insert("related".to_owned(), BTreeSet::new());
    assert_eq!(cycle_among(&acyclic), None);
}
