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
    &["esco", "analysis"],
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
