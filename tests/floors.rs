//! The floors of the house: every import in `src/` runs down the floor table below, or along
//! one floor, never up. A room that imports one above it is how circles start (the domain had a
//! six-file one around the graph's caches, and plans and roles imported each other), so the
//! test fails naming the file, the line and the import.
//!
//! What counts as an import: every path of a `use` line (its braces expanded), and every path
//! written inline from `crate::` or `super::`. `super::` and `self::` are resolved against the
//! module the line sits in (an inline `mod tests` included), and a name reached through a
//! `use` of another module (`domain.rs`'s re-exports, or `super::SkillGraph` where the parent
//! imported it) is followed to the module that defines it, so `use super::Error` in
//! `domain/id.rs` counts as an import of `domain/error.rs`, not of `domain.rs`.
//!
//! Files on one floor may import each other: a floor is a set of rooms with one job, and some
//! need each other (`domain/error.rs` names ids, `domain/id.rs` returns errors). Whether those
//! form a circle is what `farm-studio look src` draws; this test only keeps the floors one-way.
//!
//! Test code (a `#[cfg(test)]` module, inline or in its own file) is not held to the table: a
//! unit test builds its fixtures with whatever builds them best (the graph's `tests::graph`,
//! `generate` and `import::apply` for a large graph), and test code ships in no build, so it
//! makes no room depend on another. [`KNOWN`] lists the upward imports of shipped code that
//! are known and waiting for their move; the test fails when one of them is gone, so the list
//! cannot outlive them.
//!
//! The parse is a small lexer (comments, strings and char literals dropped), not a Rust parser:
//! enough for imports, which is all it reads.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One floor: the rooms on it (a file, or a folder ending in `/` for every file under it, both
/// relative to `src/`), and why it stands where it does. A file belongs to the floor of the
/// longest pattern that names it, so `domain/graph/adjacency.rs` overrides `domain/graph/`.
struct Floor {
    name: &'static str,
    why: &'static str,
    rooms: &'static [&'static str],
}

/// Bottom to top: a room may import its own floor and the floors below it, never above.
const FLOORS: &[Floor] = &[
    Floor {
        name: "config",
        why: "every flag and default; it holds paths, never loaded machinery, so every layer can \
              read it and it imports nothing of the crate",
        rooms: &["config.rs", "config/"],
    },
    Floor {
        name: "domain values",
        why: "ids, plain values, errors, bounds, change entries, name folding and scratch maps: \
              what everything else in the domain is built of",
        rooms: &[
            "domain/id.rs",
            "domain/model.rs",
            "domain/error.rs",
            "domain/rules.rs",
            "domain/changes.rs",
            "domain/text.rs",
            "domain/scratch.rs",
        ],
    },
    Floor {
        name: "domain indexes",
        why: "built from plain values and a lookup (and the lazy cell they sit in), they know no \
              SkillGraph: the graph holds them, so they cannot read it back",
        rooms: &[
            "domain/graph/lazy.rs",
            "domain/graph/adjacency.rs",
            "domain/graph/implications.rs",
            "domain/graph/nodes.rs",
            "domain/search/rank.rs",
            "domain/search/index.rs",
            "domain/roles/index.rs",
            "domain/extract/matcher.rs",
        ],
    },
    Floor {
        name: "the graph",
        why: "SkillGraph: the source of truth, its writes and the indexes it derives; it answers \
              no question of its own above prerequisite walks",
        rooms: &["domain/graph.rs", "domain/graph/"],
    },
    Floor {
        name: "readiness and holdings",
        why: "what a profile holds and how far it is from a role: the one formula plans, gaps, \
              matching and suggestions share",
        rooms: &["domain/readiness.rs", "domain/holdings.rs"],
    },
    Floor {
        name: "plans",
        why: "learning plans read the graph, the holdings and readiness; role questions are built \
              on plans, never the reverse",
        rooms: &["domain/plan.rs", "domain/plan/"],
    },
    Floor {
        name: "questions",
        why: "what people ask of the graph: role gaps and matching, what next, similar roles, \
              related skills, job titles, search, extraction; each reads the floors below and \
              none is read \
              by them",
        rooms: &[
            "domain/roles.rs",
            "domain/roles/",
            "domain/next.rs",
            "domain/similar.rs",
            "domain/related.rs",
            "domain/titles.rs",
            "domain/search.rs",
            "domain/search/",
            "domain/extract.rs",
            "domain/extract/",
        ],
    },
    Floor {
        name: "domain face",
        why: "domain.rs declares the modules and re-exports the public API; a name reached \
              through it counts as its source module's",
        rooms: &["domain.rs"],
    },
    Floor {
        name: "store",
        why: "the sled file: it stores domain values and reads config, knows nothing of serving",
        rooms: &["store.rs", "store/"],
    },
    Floor {
        name: "formats and pictures",
        why: "import, render and generate turn files, plans and seeds into domain values or \
              pictures; generate feeds import's one apply",
        rooms: &[
            "import.rs",
            "import/",
            "render.rs",
            "render/",
            "generate.rs",
            "generate/",
        ],
    },
    Floor {
        name: "catalog",
        why: "where graph and store meet: snapshots, the single writer, the change log",
        rooms: &["catalog.rs", "catalog/"],
    },
    Floor {
        name: "replication",
        why: "publishes and follows the catalog's change log; knows the catalog, never GraphQL \
              or HTTP",
        rooms: &["replication.rs", "replication/"],
    },
    Floor {
        name: "telemetry",
        why: "the OpenTelemetry pipeline (exporter, batch thread, propagator) the binary \
              installs when traces are on; it reads config and knows nothing of \
              what it traces; http names the spans it must not export",
        rooms: &["telemetry.rs"],
    },
    Floor {
        name: "graphql",
        why: "the schema: thin views and resolvers over catalog snapshots",
        rooms: &["graphql.rs", "graphql/"],
    },
    Floor {
        name: "http",
        why: "transport: serves the schema, admin and ops routes",
        rooms: &["http.rs", "http/"],
    },
    Floor {
        name: "cli",
        why: "the commands: each wires the floors below together",
        rooms: &["cli.rs", "cli/"],
    },
    Floor {
        name: "crate roots",
        why: "lib.rs declares the modules; main.rs parses the command line and hands over",
        rooms: &["lib.rs", "main.rs"],
    },
];

/// Upward imports known and waiting for their move: (file, the file it reaches, why). Every
/// import from the file to that file is let through; each entry must still be needed.
const KNOWN: &[(&str, &str, &str)] = &[(
    "domain/changes.rs",
    "domain/graph.rs",
    "the entries are values, but `ChangeEntry::new` diffs two graphs and \
     `SkillGraph::contents` lists one: graph code in a values room. It belongs beside \
     `graph/replay.rs` (an entry applied; this is a write recorded), once graph/ is not being \
     reworked by another branch",
)];

/// The floor a file (relative to `src/`, with `/`) stands on: its longest matching pattern.
fn floor_of(file: &str) -> Option<usize> {
    FLOORS
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.rooms.iter().map(move |r| (i, *r)))
        .filter(|(_, room)| {
            if room.ends_with('/') {
                file.starts_with(room)
            } else {
                file == *room
            }
        })
        .max_by_key(|(_, room)| room.len())
        .map(|(i, _)| i)
}

/// A token of the source with its 1-based line.
#[derive(Clone, Debug)]
struct Token {
    text: String,
    line: usize,
}

/// Identifiers, `::` and single punctuation; comments, strings and char literals dropped.
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' || ((c == 'r' || c == 'b') && starts_raw_or_byte_string(&chars, i)) {
            // Skip the prefix (`b`, `r`, `br` and the hashes), then the body to its end.
            let mut hashes = 0;
            while chars[i] != '"' {
                hashes += usize::from(chars[i] == '#');
                i += 1;
            }
            let raw = i > 0 && (chars[i - 1] == 'r' || chars[i - 1] == '#');
            i += 1;
            while i < chars.len() {
                match chars[i] {
                    '\\' if !raw => i += 2,
                    '"' if (1..=hashes).all(|k| at(i + k) == '#') => {
                        i += 1 + hashes;
                        break;
                    }
                    ch => {
                        line += usize::from(ch == '\n');
                        i += 1;
                    }
                }
            }
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'), or a lifetime, which is skipped as a tick.
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Token { text, line });
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token {
                text: "::".into(),
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                text: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

/// Whether `r"`, `r#"`, `b"`, `br"` or `br#"` starts at `i` (and not an identifier's `r`/`b`).
fn starts_raw_or_byte_string(chars: &[char], i: usize) -> bool {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return false;
    }
    let mut j = i + 1;
    if chars[i] == 'b' && chars.get(j) == Some(&'r') {
        j += 1;
    }
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"') && (chars[i] == 'r' || j == i + 1 || chars[i + 1] == 'r')
}

/// A path as written: its segments, the line it starts on, and the name it binds (`as`
/// renames; `*` binds none).
#[derive(Clone, Debug)]
struct Written {
    segments: Vec<String>,
    line: usize,
    binds: Option<String>,
}

/// The paths of one `use` tree, braces expanded, starting at `tokens[*i]`; stops after `;`.
fn use_tree(tokens: &[Token], i: &mut usize, prefix: &[String], out: &mut Vec<Written>) {
    let line = tokens[*i].line;
    let mut segments = prefix.to_vec();
    loop {
        let Some(token) = tokens.get(*i) else { return };
        match token.text.as_str() {
            "::" => *i += 1,
            "{" => {
                *i += 1;
                while tokens
                    .get(*i)
                    .is_some_and(|t| t.text != "}" && t.text != ";")
                {
                    let before = *i;
                    use_tree(tokens, i, &segments, out);
                    assert!(*i > before, "a use tree the lexer cannot read, line {line}");
                    if tokens.get(*i).is_some_and(|t| t.text == ",") {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "*" => {
                *i += 1;
                out.push(Written {
                    segments,
                    line,
                    binds: None,
                });
                return;
            }
            "," | "}" | ";" => {
                // `self` in braces names the prefix itself.
                let binds = segments.last().cloned();
                if segments.last().is_some_and(|s| s == "self") {
                    segments.pop();
                }
                let binds = binds.filter(|b| b != "self").or(segments.last().cloned());
                out.push(Written {
                    segments,
                    line,
                    binds,
                });
                return;
            }
            "as" => {
                let alias = tokens[*i + 1].text.clone();
                *i += 2;
                if segments.last().is_some_and(|s| s == "self") {
                    segments.pop();
                }
                out.push(Written {
                    segments,
                    line,
                    binds: Some(alias),
                });
                return;
            }
            name => {
                segments.push(name.to_string());
                *i += 1;
            }
        }
    }
}

/// An import found in a file: where it is written and the absolute path it names.
#[derive(Debug)]
struct Import {
    line: usize,
    written: String,
    path: Vec<String>,
    /// Written inside a `#[cfg(test)]` module.
    test: bool,
}

/// What one file says: its module path, the names its `use` lines bind per module (for
/// following a name to where it is defined), and its imports.
#[derive(Default)]
struct Read {
    binds: BTreeMap<(Vec<String>, String), Vec<String>>,
    imports: Vec<Import>,
    /// The modules declared here under `#[cfg(test)]` (`mod tests;` and `mod tests { .. }`).
    tests: Vec<Vec<String>>,
}

/// Whether the item that starts at `tokens[i]` carries `#[cfg(test)]`: looks back over its
/// attributes and visibility, to the end of the item before it.
fn under_cfg_test(tokens: &[Token], i: usize) -> bool {
    let start = tokens[..i]
        .iter()
        .rposition(|t| matches!(t.text.as_str(), ";" | "{" | "}"))
        .map_or(0, |p| p + 1);
    tokens[start..i]
        .windows(4)
        .any(|w| w[0].text == "cfg" && w[1].text == "(" && w[2].text == "test" && w[3].text == ")")
}

/// The module path of a file under `src/`: `domain/plan/walk.rs` is `domain::plan::walk`,
/// `domain.rs` is `domain`, `lib.rs` and `main.rs` the root.
fn module_of(file: &str) -> Vec<String> {
    let stem = file.trim_end_matches(".rs");
    if stem == "lib" || stem == "main" {
        return vec![];
    }
    stem.split('/').map(String::from).collect()
}

/// Makes `written` absolute from module `here`, or `None` for an outside crate's path.
fn absolute(
    written: &[String],
    here: &[String],
    file: &str,
    modules: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let (first, rest) = written.split_first()?;
    let mut path = here.to_vec();
    match first.as_str() {
        "crate" => path.clear(),
        "skillgraph" if file == "main.rs" => path.clear(),
        "self" => {}
        "super" => {
            path.pop();
        }
        _ => {
            // A bare first segment is relative when it is a child module of this one
            // (`use index::Need` in `roles.rs`), else another crate's.
            path.push(first.clone());
            if !modules.contains(&path) {
                return None;
            }
        }
    }
    let mut rest = rest.iter().peekable();
    while rest.peek().is_some_and(|s| *s == "super") {
        path.pop();
        rest.next();
    }
    path.extend(rest.cloned());
    Some(path)
}

/// Reads one file's `use` lines and inline `crate::` / `super::` paths.
fn read(file: &str, source: &str, modules: &BTreeSet<Vec<String>>) -> Read {
    let tokens = tokens(source);
    let mut read = Read::default();
    // The module each token sits in: the file's, plus the inline `mod x { .. }` around it.
    let mut here = module_of(file);
    let mut inline: Vec<usize> = Vec::new(); // brace depth at each inline mod's opening
    let mut depth = 0;
    // The number of inline mods open when the first `#[cfg(test)]` one opened.
    let mut test_from: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].text.as_str();
        let previous = i.checked_sub(1).map(|p| tokens[p].text.as_str());
        match t {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if inline.last() == Some(&depth) {
                    inline.pop();
                    here.pop();
                    if test_from == Some(inline.len()) {
                        test_from = None;
                    }
                }
            }
            "mod"
                if tokens
                    .get(i + 2)
                    .is_some_and(|t| t.text == "{" || t.text == ";") =>
            {
                let mut module = here.clone();
                module.push(tokens[i + 1].text.clone());
                if under_cfg_test(&tokens, i) {
                    read.tests.push(module.clone());
                }
                if tokens[i + 2].text == "{" {
                    if test_from.is_none() && under_cfg_test(&tokens, i) {
                        test_from = Some(inline.len());
                    }
                    here = module;
                    inline.push(depth);
                    depth += 1;
                }
                i += 3;
                continue;
            }
            // Not `impl Trait + use<..>`, which names captured lifetimes.
            "use" if tokens.get(i + 1).is_some_and(|t| t.text != "<") => {
                i += 1;
                let mut written = Vec::new();
                use_tree(&tokens, &mut i, &[], &mut written);
                for w in written {
                    let Some(path) = absolute(&w.segments, &here, file, modules) else {
                        continue;
                    };
                    if let Some(name) = &w.binds {
                        read.binds
                            .insert((here.clone(), name.clone()), path.clone());
                    }
                    read.imports.push(Import {
                        line: w.line,
                        written: format!("use {}", w.segments.join("::")),
                        path,
                        test: test_from.is_some(),
                    });
                }
                continue;
            }
            // `pub(in crate::x)` names a visibility, and `$crate` a macro's own crate.
            "crate" | "super"
                if tokens.get(i + 1).is_some_and(|t| t.text == "::")
                    && previous != Some("in")
                    && previous != Some("$")
                    && previous != Some("::") =>
            {
                let line = tokens[i].line;
                let mut segments = vec![t.to_string()];
                i += 1;
                while tokens.get(i).is_some_and(|t| t.text == "::")
                    && tokens
                        .get(i + 1)
                        .is_some_and(|t| t.text.chars().all(|c| c.is_alphanumeric() || c == '_'))
                {
                    segments.push(tokens[i + 1].text.clone());
                    i += 2;
                }
                if let Some(path) = absolute(&segments, &here, file, modules) {
                    read.imports.push(Import {
                        line,
                        written: segments.join("::"),
                        path,
                        test: test_from.is_some(),
                    });
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    read
}

/// The file that defines what `path` names: the longest prefix that is a file's module, then,
/// if the next name was bound there by a `use`, wherever that `use` leads.
fn defining_file(
    path: &[String],
    files: &BTreeMap<Vec<String>, String>,
    binds: &BTreeMap<(Vec<String>, String), Vec<String>>,
) -> String {
    let mut path = path.to_vec();
    for _ in 0..16 {
        let split = (0..=path.len())
            .rev()
            .find(|&n| files.contains_key(&path[..n]))
            .expect("the crate root is a file");
        let module = path[..split].to_vec();
        match path.get(split) {
            Some(name) => match binds.get(&(module.clone(), name.clone())) {
                Some(target) if *target != path[..=split] => {
                    let mut next = target.clone();
                    next.extend_from_slice(&path[split + 1..]);
                    path = next;
                }
                _ => return files[&module].clone(),
            },
            None => return files[&module].clone(),
        }
    }
    panic!("the uses of {} lead in a circle", path.join("::"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every file under `src/` (relative, with `/`) and its source.
fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let relative = p.strip_prefix(&src).unwrap().to_string_lossy();
            (relative.replace('\\', "/"), fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Every import of shipped code that runs up the table and is not [`KNOWN`], as `file:line:
/// import reaches file, on floor a above floor b`; and the entries of `KNOWN` no import needs.
fn upward_imports(sources: &[(String, String)]) -> (Vec<String>, Vec<&'static str>) {
    // main.rs is a crate of its own; its `skillgraph::` paths name lib.rs's modules.
    let files: BTreeMap<Vec<String>, String> = sources
        .iter()
        .filter(|(f, _)| f != "main.rs")
        .map(|(f, _)| (module_of(f), f.clone()))
        .collect();
    let modules: BTreeSet<Vec<String>> = files.keys().cloned().collect();
    let reads: Vec<(&str, Read)> = sources
        .iter()
        .map(|(f, s)| (f.as_str(), read(f, s, &modules)))
        .collect();
    let binds: BTreeMap<_, _> = reads
        .iter()
        .filter(|(f, _)| *f != "main.rs")
        .flat_map(|(_, r)| r.binds.clone())
        .collect();
    let tests: Vec<&Vec<String>> = reads.iter().flat_map(|(_, r)| &r.tests).collect();
    let (mut up, mut known_used) = (Vec::new(), BTreeSet::new());
    for (file, read) in &reads {
        let floor = floor_of(file).unwrap_or_else(|| panic!("src/{file} is on no floor"));
        let test_file = tests.iter().any(|t| module_of(file).starts_with(t));
        for import in read.imports.iter().filter(|i| !i.test && !test_file) {
            let target = defining_file(&import.path, &files, &binds);
            let target_floor = floor_of(&target).unwrap();
            if target_floor <= floor {
                continue;
            }
            if let Some(k) = KNOWN.iter().position(|(f, t, _)| f == file && *t == target) {
                known_used.insert(k);
                continue;
            }
            up.push(format!(
                "src/{file}:{}: `{}` reaches src/{target}, on floor \"{}\" above this file's \
                 \"{}\"",
                import.line, import.written, FLOORS[target_floor].name, FLOORS[floor].name
            ));
        }
    }
    let stale = (0..KNOWN.len())
        .filter(|k| !known_used.contains(k))
        .map(|k| KNOWN[k].0)
        .collect();
    (up, stale)
}

#[test]
fn every_file_of_src_stands_on_a_floor() {
    let lost: Vec<String> = sources()
        .into_iter()
        .map(|(f, _)| f)
        .filter(|f| floor_of(f).is_none())
        .collect();
    assert!(
        lost.is_empty(),
        "add these files to FLOORS in tests/floors.rs: {lost:?}"
    );
}

#[test]
fn no_import_runs_up_the_floors() {
    let (up, stale) = upward_imports(&sources());
    let mut message = String::new();
    for line in &up {
        writeln!(message, "  {line}").unwrap();
    }
    writeln!(
        message,
        "The floors, bottom to top (FLOORS in tests/floors.rs):"
    )
    .unwrap();
    for floor in FLOORS {
        writeln!(message, "  {}: {}", floor.name, floor.why).unwrap();
    }
    assert!(
        up.is_empty(),
        "{} import(s) run up the floors:\n{message}",
        up.len()
    );
    assert!(
        stale.is_empty(),
        "these files no longer import up the floors: remove them from KNOWN: {stale:?}"
    );
}

#[test]
fn an_import_up_the_floors_is_named_with_its_file_and_line() {
    // A plan reaching a role gap is the import this table exists to stop.
    let mut sources = sources();
    let plan = sources
        .iter_mut()
        .find(|(f, _)| f == "domain/plan.rs")
        .unwrap();
    plan.1 = format!("use super::RoleGap;\n{}", plan.1);
    let (up, _) = upward_imports(&sources);
    assert_eq!(
        up,
        [
            "src/domain/plan.rs:1: `use super::RoleGap` reaches src/domain/roles/gap.rs, on \
             floor \"questions\" above this file's \"plans\""
        ]
    );
}

#[test]
fn test_code_may_build_its_fixtures_from_any_floor() {
    let source = "#[cfg(test)]\nmod tests {\n    use crate::cli::Cli;\n}\n\
                  #[cfg(test)]\nmod more;\nfn f() {}\n";
    let modules = [vec![], vec!["cli".to_string()]].into_iter().collect();
    let read = read("domain/id.rs", source, &modules);
    assert!(read.imports.iter().all(|i| i.test), "{:?}", read.imports);
    let id = |m: &str| vec!["domain".to_string(), "id".to_string(), m.to_string()];
    assert_eq!(read.tests, [id("tests"), id("more")]);
}

#[test]
fn the_lexer_reads_past_strings_comments_and_lifetimes() {
    let source = "// use crate::cli;\nfn f<'a>(s: &'a str) -> char { let _ = \"crate::http\"; \
                  let _ = r#\"super::x\"#; '{' }\nuse crate::{config::{self, Limits as L}, \
                  store::*};";
    let modules = [
        vec![],
        vec!["config".to_string()],
        vec!["store".to_string()],
    ]
    .into_iter()
    .collect();
    let read = read("domain/id.rs", source, &modules);
    let written: Vec<(usize, &str)> = read
        .imports
        .iter()
        .map(|i| (i.line, i.written.as_str()))
        .collect();
    assert_eq!(
        written,
        [
            (3, "use crate::config"),
            (3, "use crate::config::Limits"),
            (3, "use crate::store")
        ]
    );
}
