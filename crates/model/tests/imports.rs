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

/// What one `use` tree brings in: each item's path, the name it is bound to in the
/// file (its last segment, or its `as` alias), and whether it is a glob.
#[derive(Debug, Clone, PartialEq)]
struct UseItem {
    path: Vec<String>,
    name: Option<String>,
    glob: bool,
}

/// Splits a `use` group's list at its top-level commas.
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

/// The items a `use` tree names (`a::{b, c::d as e, f::*}` → a::b, a::c::d as e, a::f::*).
fn use_items(tree: &str) -> Vec<UseItem> {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let prefix: Vec<String> = tree[..open]
            .trim_end_matches("::")
            .split("::")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        return split_top(inner)
            .into_iter()
            .flat_map(use_items)
            .map(|mut item| {
                if item.path == ["self"] {
                    item.name = item.name.filter(|n| n != "self").or_else(|| prefix.last().cloned());
                    item.path.clear();
                }
                item.path = prefix.iter().cloned().chain(item.path).collect();
                item
            })
            .collect();
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((path, alias)) => (path.trim(), Some(alias.trim().to_owned())),
        None => (tree, None),
    };
    let mut segments: Vec<String> = path.split("::").map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    let glob = segments.last().is_some_and(|s| s == "*");
    if glob {
        segments.pop();
    }
    let name = if glob { None } else { alias.or_else(|| segments.last().cloned()) };
    vec![UseItem {
        path: segments,
        name,
        glob,
    }]
}

/// The `use` trees of `code` (their text between `use` and `;`), and `code` with them
/// blanked out.
fn take_uses(code: &str) -> (Vec<String>, String) {
    let mut trees = Vec::new();
    let mut rest = String::with_capacity(code.len());
    let mut i = 0;
    let bytes = code.as_bytes();
    while i < code.len() {
        let at_word = code[i..].starts_with("use ") && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if at_word {
            let end = code[i..].find(';').map_or(code.len(), |e| i + e);
            trees.push(code[i + 4..end].to_owned());
            rest.push(' ');
            i = (end + 1).min(code.len());
        } else {
            let c = code[i..].chars().next().expect("a char at a char boundary");
            rest.push(c);
            i += c.len_utf8();
        }
    }
    (trees, rest)
}

/// Every path written in `code` outside `use` trees: `a::b::c` (generic arguments cut
/// off), starting where no identifier or `::` precedes it.
fn code_paths(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut paths = Vec::new();
    let mut i = 0;
    while let Some(found) = code[i..].find("::").map(|f| i + f) {
        // Walk back to the start of the path.
        let mut start = found;
        while start > 0
            && (bytes[start - 1].is_ascii_alphanumeric()
                || bytes[start - 1] == b'_'
                || bytes[start - 1] == b':'
                || bytes[start - 1] == b'$')
        {
            start -= 1;
        }
        let mut end = found;
        while end < code.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_' || bytes[end] == b':') {
            end += 1;
        }
        i = end.max(found + 2);
        let text = code[start..end].trim_end_matches(':');
        let segments: Vec<String> = text.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect();
        if segments.len() > 1 {
            paths.push(segments);
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// The absolute path (below the crate root) that `path`, written in `module`, names — or
/// None for a path into another crate. `bound` maps the names the file's `use`s bind to
/// their absolute paths; `globs` are the modules it glob-imports.
fn absolute(
    module: &[String],
    path: &[String],
    (bound, globs): (&BTreeMap<String, Vec<String>>, &[Vec<String>]),
    modules: &Modules,
) -> Option<Vec<String>> {
    let first = path.first()?;
    let join = |head: &[String], tail: &[String]| -> Vec<String> { head.iter().chain(tail).cloned().collect() };
    match first.as_str() {
        "crate" | "$crate" => Some(path[1..].to_vec()),
        "self" => Some(join(module, &path[1..])),
        "super" => {
            let supers = path.iter().take_while(|s| *s == "super").count();
            let keep = module.len().checked_sub(supers)?;
            Some(join(&module[..keep], &path[supers..]))
        }
        _ => {
            if let Some(target) = bound.get(first) {
                return Some(join(target, &path[1..]));
            }
            // A child module of this file, or of a module it glob-imports.
            std::iter::once(module.to_vec())
                .chain(globs.iter().cloned())
                .find(|parent| modules.contains_key(&join(parent, std::slice::from_ref(first))))
                .map(|parent| join(&parent, path))
        }
    }
}

/// Every item path each file names (in `use`s and in its code), made absolute.
fn resolved_paths(modules: &Modules) -> BTreeMap<Vec<String>, Vec<Vec<String>>> {
    let mut all = BTreeMap::new();
    for (module, (_, text)) in modules {
        let code = strip_test_code(&strip_comments_and_strings(text));
        let (trees, rest) = take_uses(&code);
        let items: Vec<UseItem> = trees.iter().flat_map(|t| use_items(t)).collect();
        let mut bound = BTreeMap::new();
        let mut globs = Vec::new();
        let mut named = Vec::new();
        // A `use` may name a module bound by an earlier one (`use inner::X` in a parent).
        for item in &items {
            let Some(path) = absolute(module, &item.path, (&bound, &globs), modules) else {
                continue;
            };
            if item.glob {
                globs.push(path.clone());
            } else if let Some(name) = &item.name {
                bound.insert(name.clone(), path.clone());
            }
            named.push(path);
        }
        for path in code_paths(&rest) {
            named.extend(absolute(module, &path, (&bound, &globs), modules));
        }
        all.insert(module.clone(), named);
    }
    all
}

/// The module (file) an absolute item path lies in: its longest prefix that is a file.
fn file_of(path: &[String], modules: &Modules) -> Option<Vec<String>> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains_key(prefix))
}

/// The files each file depends on, by module path.
fn dependencies(modules: &Modules) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    resolved_paths(modules)
        .into_iter()
        .map(|(module, paths)| {
            let targets = paths
                .iter()
                .filter_map(|path| file_of(path, modules))
                .filter(|target| *target != module)
                .collect();
            (module, targets)
        })
        .collect()
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

/// The loops a file can hide behind a module alias, a glob, a generic call, a child's
/// name in code or a macro's `$crate`: each is still a loop between x.rs and y.rs.
#[test]
fn the_check_sees_through_aliases_globs_generics_child_paths_and_macros() {
    let y = "pub fn g() { crate::x::f(); }\npub fn h<T>() {}\n";
    for x in [
        "use crate::y as why;\npub fn f() { why::g(); }\n",
        "use crate::*;\npub fn f() { y::g(); }\n",
        "pub fn f() { crate::y::h::<u8>(); }\n",
        "pub fn f() {}\nmacro_rules! m { () => { $crate::y::g() }; }\n",
    ] {
        let files = synthetic(&[("lib.rs", "pub mod x;\npub mod y;\n"), ("x.rs", x), ("y.rs", y)]);
        assert_eq!(cycles(&dependencies(&files)).len(), 1, "missed the loop in {x:?}");
    }
    // A parent naming its child in code while the child names the parent's item.
    let files = synthetic(&[
        ("lib.rs", "pub mod a;\n"),
        ("a/mod.rs", "pub mod inner;\npub struct A;\npub fn f() { inner::g(); }\n"),
        ("a/inner.rs", "pub fn g() { let _ = super::A; }\n"),
    ]);
    assert_eq!(cycles(&dependencies(&files)).len(), 1);
}

/// The model's source, as modules.
fn model_modules() -> Modules {
    modules_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// The model's lowest folders import only what is below them, and no domain imports
/// `tick/` or `world/`, which sit above every domain (docs/architecture.md).
#[test]
fn the_lower_folders_import_only_what_is_below_them() {
    let below: &[(&str, &[&str])] = &[
        ("common", &["common"]),
        ("money", &["common", "money"]),
        ("firms", &["common", "money", "firms"]),
    ];
    let above = ["tick", "world"];
    let modules = model_modules();
    let mut problems = Vec::new();
    for (from, targets) in dependencies(&modules) {
        let Some(folder) = from.first() else { continue };
        for to in targets {
            let Some(to_folder) = to.first() else { continue };
            if let Some((_, allowed)) = below.iter().find(|(f, _)| f == folder)
                && !allowed.contains(&to_folder.as_str())
            {
                problems.push(format!("{} imports {}", from.join("::"), to.join("::")));
            }
            let from_above = above.contains(&folder.as_str()) && (folder == "world" || to_folder == "tick");
            if above.contains(&to_folder.as_str()) && !from_above {
                problems.push(format!("{} imports {} (above every domain)", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A system is added to the schedule and never called: no file but `tick/schedule.rs`
/// names a function the schedule runs (a system reads other domains' data, never their
/// systems). The crate root may re-export one, for the benchmarks.
#[test]
fn systems_are_scheduled_never_called() {
    let modules = model_modules();
    let schedule = vec!["tick".to_owned(), "schedule".to_owned()];
    let paths = resolved_paths(&modules);
    let systems: BTreeSet<Vec<String>> = paths[&schedule]
        .iter()
        .filter(|path| file_of(path, &modules).is_some_and(|file| file != schedule && file.len() < path.len()))
        .filter(|path| path.last().is_some_and(|name| name.chars().next().is_some_and(char::is_lowercase)))
        .cloned()
        .collect();
    assert!(systems.len() > 30, "found only {} systems in the schedule", systems.len());
    let mut problems = Vec::new();
    for (module, named) in &paths {
        if *module == schedule || module.is_empty() {
            continue;
        }
        for path in named.iter().filter(|path| systems.contains(*path)) {
            if file_of(path, &modules).as_ref() != Some(module) {
                problems.push(format!("{} calls the system {}", module.join("::"), path.join("::")));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
