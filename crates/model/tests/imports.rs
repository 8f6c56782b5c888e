//! The dependency rule, enforced: no two source files of a crate import each other,
//! directly or round a loop — in the model, the config, the recorder, the schema and the
//! CLI alike (docs/architecture.md, "The dependency rule").
//!
//! Each file is a module (`a.rs` and `a/mod.rs` are `a`, `a/b.rs` is `a::b`). A file
//! depends on another when it names an item of it: in a `use` (groups, globs and
//! renames expanded) or in a path in its code (`crate::…`, `super::…`, `self::…`, or a
//! child module's name). `mod` declarations are not imports, and neither is code under
//! `#[cfg(test)]`: tests may build whole worlds. Comments and string literals are
//! skipped. A file that names its own items is not a dependency.
//!
//! Standard library only, so the check builds with nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A crate's files: module path → (file, source).
type Modules = BTreeMap<Vec<String>, (PathBuf, String)>;

/// Every `.rs` file under `src`, keyed by module path.
fn modules_of(src: &Path) -> Modules {
    let mut modules = Modules::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(src).expect("below src");
                let mut module: Vec<String> = relative
                    .with_extension("")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(module.last().map(String::as_str), Some("lib" | "main" | "mod")) {
                    module.pop();
                }
                let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
                modules.insert(module, (path, text));
            }
        }
    }
    modules
}

/// The source with comments and string and char literals blanked out.
fn strip_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || (next == Some('#') && chars.get(i + 2).is_some_and(|&c| c == '"' || c == '#'))) {
            // A raw string: r"…", r#"…"#, …
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && next.is_some() && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A char literal ('a', '\n', '\''), not a lifetime.
            i += if next == Some('\\') { 2 } else { 1 };
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The source without items under `#[cfg(test)]` (a `mod tests { … }` or one item).
fn strip_test_code(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find("#[cfg(test)]") {
        let after = start + "#[cfg(test)]".len();
        let Some(open) = out[after..].find(['{', ';']).map(|i| after + i) else {
            break;
        };
        let end = if out.as_bytes()[open] == b';' {
            open + 1
        } else {
            let mut depth = 0usize;
            let mut end = out.len();
            for (i, byte) in out.bytes().enumerate().skip(open) {
                match byte {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            end
        };
        out.replace_range(start..end, "");
    }
    out
}

/// The paths a `use` tree names, each as its segments (`a::{b, c::d as e}` → a::b, a::c::d).
fn expand_use_tree(tree: &str) -> Vec<Vec<String>> {
    fn split_top(list: &str) -> Vec<&str> {
        let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
        for (i, c) in list.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&list[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&list[start..]);
        parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect()
    }
    let tree = tree.trim();
    let tree = tree.split(" as ").next().unwrap_or(tree).trim();
    if let Some(open) = tree.find('{') {
        let prefix: Vec<String> = tree[..open]
            .trim_end_matches("::")
            .split("::")
            .filter(|s| !s.is_empty())
            .map(|s| s.trim().to_owned())
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut paths = Vec::new();
        for part in split_top(inner) {
            for rest in expand_use_tree(part) {
                let mut path = prefix.clone();
                path.extend(rest.into_iter().filter(|s| s != "self"));
                paths.push(path);
            }
        }
        paths
    } else {
        vec![
            tree.split("::")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty() && s != "*")
                .collect(),
        ]
    }
}

/// Every path `code` names: its `use` trees, and `crate::`, `super::` and `self::` paths.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        paths.extend(expand_use_tree(&rest[..end]));
    }
    let bytes = code.as_bytes();
    for root in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(root).map(|i| from + i) {
            from = found + root.len();
            if found > 0 && (bytes[found - 1].is_ascii_alphanumeric() || bytes[found - 1] == b'_') {
                continue;
            }
            let path: String = code[found..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            // `crate::{…}` or `crate::a::{…}` is a `use` group, expanded above.
            if path.ends_with("::") {
                continue;
            }
            paths.push(path.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect());
        }
    }
    paths
}

/// The files each file depends on, by module path.
fn dependencies(modules: &Modules) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut graph = BTreeMap::new();
    for (module, (_, text)) in modules {
        let code = strip_test_code(&strip_comments_and_strings(text));
        let mut targets = BTreeSet::new();
        for path in named_paths(&code) {
            let Some(first) = path.first() else { continue };
            let absolute: Vec<String> = match first.as_str() {
                "crate" => path[1..].to_vec(),
                "self" => module.iter().chain(&path[1..]).cloned().collect(),
                "super" => {
                    let supers = path.iter().take_while(|s| *s == "super").count();
                    let Some(keep) = module.len().checked_sub(supers) else { continue };
                    module[..keep].iter().chain(&path[supers..]).cloned().collect()
                }
                // A child module's name (`pub use child::Item` in a parent).
                _ => {
                    let child: Vec<String> = module.iter().chain(std::iter::once(first)).cloned().collect();
                    if !modules.contains_key(&child) {
                        continue;
                    }
                    module.iter().chain(&path).cloned().collect()
                }
            };
            // The longest prefix that is a file of the crate.
            let target = (0..=absolute.len())
                .rev()
                .map(|n| absolute[..n].to_vec())
                .find(|prefix| modules.contains_key(prefix));
            if let Some(target) = target
                && &target != module
            {
                targets.insert(target);
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// The import cycles: each a set of two or more files that reach one another (Tarjan).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'g> {
        graph: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'g Vec<String>, usize>,
        low: BTreeMap<&'g Vec<String>, usize>,
        stack: Vec<&'g Vec<String>>,
        on_stack: BTreeSet<&'g Vec<String>>,
        found: Vec<Vec<Vec<String>>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g Vec<String>) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for next in graph.get(node).into_iter().flatten() {
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.clone());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

/// A cycle's files, relative to `root`, joined by ↔.
fn describe(root: &Path, modules: &Modules, cycle: &[Vec<String>]) -> String {
    cycle
        .iter()
        .map(|m| {
            modules.get(m).map_or_else(
                || m.join("::"),
                |(path, _)| path.strip_prefix(root).unwrap_or(path).display().to_string(),
            )
        })
        .collect::<Vec<_>>()
        .join(" ↔ ")
}

#[test]
fn no_file_of_any_crate_imports_another_round_a_loop() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace folder");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(workspace.join("crates"))
        .expect("the crates folder")
        .map(|entry| entry.expect("an entry").path().join("src"))
        .filter(|src| src.is_dir())
        .collect();
    sources.push(workspace.join("src"));
    sources.sort();
    assert!(sources.len() >= 4, "found only {sources:?}");
    let mut problems = Vec::new();
    for src in &sources {
        let modules = modules_of(src);
        let graph = dependencies(&modules);
        assert!(
            graph.values().any(|targets| !targets.is_empty()),
            "{}: no imports found",
            src.display()
        );
        for cycle in cycles(&graph) {
            problems.push(describe(&workspace, &modules, &cycle));
        }
    }
    assert!(problems.is_empty(), "import cycles between files:\n  {}", problems.join("\n  "));
}

/// A synthetic crate: (file below src, source).
fn synthetic(files: &[(&str, &str)]) -> Modules {
    files
        .iter()
        .map(|(file, text)| {
            let mut module: Vec<String> = file.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
            if matches!(module.last().map(String::as_str), Some("lib" | "mod")) {
                module.pop();
            }
            (module, (PathBuf::from(file), (*text).to_owned()))
        })
        .collect()
}

#[test]
fn the_check_catches_a_cycle_through_a_use_a_path_or_super_and_ignores_tests_and_comments() {
    let crate_with = |b: &str| {
        synthetic(&[
            ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\npub use a::A;\n"),
            ("a/mod.rs", "pub mod inner;\nuse crate::c::{C, self as cee};\npub struct A;\n"),
            ("a/inner.rs", "pub fn f() -> super::A { super::A }\n"),
            ("b.rs", b),
            ("c.rs", "pub struct C;\npub fn g() { let _ = crate::b::B; }\n"),
        ])
    };
    // b → a (through a group and a rename), a → c, c → b: one loop of three files.
    let looped = crate_with("use crate::{a::{A as Alias}, c::C};\npub struct B;\n");
    let found = cycles(&dependencies(&looped));
    assert_eq!(
        found,
        vec![vec![vec!["a".to_owned()], vec!["b".to_owned()], vec!["c".to_owned()]]],
        "{found:?}"
    );
    // The same dependency only in tests, a comment or a string is none.
    let quiet = crate_with(
        "// use crate::a::A;\npub struct B;\nconst S: &str = \"crate::a::A\";\n#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n",
    );
    assert_eq!(cycles(&dependencies(&quiet)), Vec::<Vec<Vec<String>>>::new());
    // A child naming its parent through `super` while the parent imports the child.
    let parent_child = synthetic(&[
        ("lib.rs", "pub mod a;\n"),
        ("a/mod.rs", "pub mod inner;\nuse inner::f;\npub struct A;\n"),
        ("a/inner.rs", "pub fn f() -> super::A { super::A }\n"),
    ]);
    assert_eq!(cycles(&dependencies(&parent_child)).len(), 1);
}
