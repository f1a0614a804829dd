//! The seed format: human-editable TOML files of categories, skills and roles (see
//! `seed/README.md`). Reading turns files into entries that remember where they were written;
//! applying them to a graph validates every entry and collects *every* problem with its file and
//! line, so `skillgraph check` can list them all at once. Export writes the same format, so an
//! export is a valid seed and export → import → export is byte-identical.
//!
//! Applying is an upsert: each category, skill and role named replaces the stored one, and a
//! skill's `requires` list replaces its prerequisites. What the seed does not name is left alone,
//! which makes re-importing the same files a no-op.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::domain::{
    Category, CategoryId, EdgeSpec, Error, Importance, Level, PrerequisiteGroup, PrerequisiteKind,
    Requirement, Resource, Role, RoleId, Skill, SkillGraph, SkillId,
};

/// One thing wrong with a seed, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is about the file as a whole.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct SeedFile<C, S, R> {
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    category: Vec<C>,
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    skill: Vec<S>,
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    role: Vec<R>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct CategoryEntry {
    id: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default)]
    order: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct SkillEntry {
    id: String,
    name: String,
    category: String,
    hours: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    requires: Vec<RequiresEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    resources: Vec<Resource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
}

/// One entry of `requires`: a prerequisite (`skill`) or a "one of" group (`any_of`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RequiresEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    skill: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "is_required")]
    kind: PrerequisiteKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_level: Option<i64>,
}

fn is_required(kind: &PrerequisiteKind) -> bool {
    *kind == PrerequisiteKind::Required
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RoleEntry {
    id: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    requirements: Vec<RequirementEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RequirementEntry {
    skill: String,
    level: i64,
    #[serde(default, skip_serializing_if = "is_essential")]
    importance: Importance,
}

fn is_essential(importance: &Importance) -> bool {
    *importance == Importance::Essential
}

type SpannedFile = SeedFile<Spanned<CategoryEntry>, Spanned<SkillEntry>, Spanned<RoleEntry>>;

/// An entry and the place it was written.
struct Located<T> {
    file: usize,
    line: usize,
    entry: T,
}

/// A parsed seed, ready to apply.
pub struct Seed {
    files: Vec<PathBuf>,
    categories: Vec<Located<CategoryEntry>>,
    skills: Vec<Located<SkillEntry>>,
    roles: Vec<Located<RoleEntry>>,
}

/// How much a seed holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedCounts {
    pub categories: usize,
    pub skills: usize,
    pub prerequisites: usize,
    pub roles: usize,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn toml_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

impl Seed {
    /// Reads a seed directory (every `*.toml` below it, in path order) or a single file.
    pub fn read(path: &Path) -> Result<Seed, Vec<Problem>> {
        let whole = |message: String| Problem {
            file: path.to_owned(),
            line: 0,
            message,
        };
        let files = toml_files(path).map_err(|e| vec![whole(format!("cannot read: {e}"))])?;
        if files.is_empty() {
            return Err(vec![whole("no .toml files found".into())]);
        }
        let mut seed = Seed::empty();
        let mut problems = Vec::new();
        for file in files {
            let text = match std::fs::read_to_string(&file) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(Problem {
                        file,
                        line: 0,
                        message: format!("cannot read: {e}"),
                    });
                    continue;
                }
            };
            seed.add(file, &text, &mut problems);
        }
        if problems.is_empty() {
            Ok(seed)
        } else {
            Err(problems)
        }
    }

    /// Reads one seed file's text, `file` naming it in problems.
    pub fn from_text(file: &Path, text: &str) -> Result<Seed, Vec<Problem>> {
        let mut seed = Seed::empty();
        let mut problems = Vec::new();
        seed.add(file.to_owned(), text, &mut problems);
        if problems.is_empty() {
            Ok(seed)
        } else {
            Err(problems)
        }
    }

    fn empty() -> Seed {
        Seed {
            files: Vec::new(),
            categories: Vec::new(),
            skills: Vec::new(),
            roles: Vec::new(),
        }
    }

    fn add(&mut self, file: PathBuf, text: &str, problems: &mut Vec<Problem>) {
        let seed = self;
        let index = seed.files.len();
        {
            match toml::from_str::<SpannedFile>(text) {
                Ok(parsed) => {
                    // Where each line ends, once: counting newlines from the start for every
                    // entry made reading a 24 MB export (a replica's ESCO snapshot) take
                    // minutes.
                    let ends: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
                    let locate = |span: std::ops::Range<usize>| {
                        ends.partition_point(|&e| e < span.start) + 1
                    };
                    seed.categories
                        .extend(parsed.category.into_iter().map(|s| Located {
                            file: index,
                            line: locate(s.span()),
                            entry: s.into_inner(),
                        }));
                    seed.skills
                        .extend(parsed.skill.into_iter().map(|s| Located {
                            file: index,
                            line: locate(s.span()),
                            entry: s.into_inner(),
                        }));
                    seed.roles.extend(parsed.role.into_iter().map(|s| Located {
                        file: index,
                        line: locate(s.span()),
                        entry: s.into_inner(),
                    }));
                }
                Err(e) => problems.push(Problem {
                    line: e.span().map_or(0, |s| line_of(text, s.start)),
                    message: e.message().trim().to_owned(),
                    file: file.clone(),
                }),
            }
            seed.files.push(file);
        }
    }

    pub fn counts(&self) -> SeedCounts {
        SeedCounts {
            categories: self.categories.len(),
            skills: self.skills.len(),
            prerequisites: self
                .skills
                .iter()
                .flat_map(|s| &s.entry.requires)
                .filter(|r| r.skill.is_some())
                .count(),
            roles: self.roles.len(),
        }
    }

    /// Applies every entry to `graph` and returns every problem found; an empty list means the
    /// whole seed applied. With problems, `graph` holds the valid part only: callers that must
    /// not half-apply (imports) discard it.
    pub fn apply(&self, graph: &mut SkillGraph) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut report = |file: usize, line: usize, message: String| {
            problems.push(Problem {
                file: self.files[file].clone(),
                line,
                message,
            })
        };

        // Categories: parents first, whatever the order they were written in.
        let mut pending: Vec<(&Located<CategoryEntry>, Category)> = Vec::new();
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        for c in &self.categories {
            let what = format!("category {:?}", c.entry.id);
            if let Some(&(file, line)) = seen.get(&c.entry.id) {
                let first = self.files[file].display();
                report(
                    c.file,
                    c.line,
                    format!("{what} is defined twice (first at {first}:{line})"),
                );
                continue;
            }
            seen.insert(c.entry.id.clone(), (c.file, c.line));
            match category(&c.entry) {
                Ok(category) => pending.push((c, category)),
                Err(e) => report(c.file, c.line, format!("{what}: {e}")),
            }
        }
        while !pending.is_empty() {
            let before = pending.len();
            pending.retain(|(_, c)| {
                let ready = c
                    .parent
                    .as_ref()
                    .is_none_or(|p| graph.category(p.as_str()).is_some());
                !(ready && graph.upsert_category(c.clone()).is_ok())
            });
            if pending.len() == before {
                for (c, category) in pending.drain(..) {
                    let err = graph.upsert_category(category).unwrap_err();
                    report(c.file, c.line, format!("category {:?}: {err}", c.entry.id));
                }
            }
        }

        // Skills' own data, then their prerequisites once every skill exists.
        let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut placed: Vec<(&Located<SkillEntry>, SkillId)> = Vec::new();
        for s in &self.skills {
            let what = format!("skill {:?}", s.entry.id);
            if let Some(&(file, line)) = seen.get(s.entry.id.as_str()) {
                let first = self.files[file].display();
                report(
                    s.file,
                    s.line,
                    format!("{what} is defined twice (first at {first}:{line})"),
                );
                continue;
            }
            seen.insert(&s.entry.id, (s.file, s.line));
            match skill(&s.entry).and_then(|skill| {
                let id = skill.id.clone();
                graph.upsert_skill(skill).map(|()| id)
            }) {
                Ok(id) => placed.push((s, id)),
                Err(e) => report(s.file, s.line, format!("{what}: {e}")),
            }
        }
        // Every skill's edges in one call: one per skill cloned the whole graph each time,
        // which made a 20,000-skill export take minutes to read (a replica's snapshot).
        let mut edges = Vec::with_capacity(placed.len());
        let mut all_groups = Vec::with_capacity(placed.len());
        for (s, id) in placed {
            let mut valid = Vec::new();
            let mut groups = Vec::new();
            for r in &s.entry.requires {
                match (&r.skill, &r.any_of) {
                    (Some(skill), None) => match prerequisite(skill, r).and_then(|(req, spec)| {
                        graph
                            .skill(req.as_str())
                            .ok_or_else(|| Error::UnknownSkill(req.clone()))?;
                        Ok((req, spec))
                    }) {
                        Ok(p) => valid.push(p),
                        Err(e) => report(
                            s.file,
                            s.line,
                            format!("skill {:?} requires {skill:?}: {e}", s.entry.id),
                        ),
                    },
                    (None, Some(options)) => match group(options, r) {
                        Ok(g) => groups.push(g),
                        Err(e) => report(
                            s.file,
                            s.line,
                            format!("skill {:?} requires any of {options:?}: {e}", s.entry.id),
                        ),
                    },
                    _ => report(
                        s.file,
                        s.line,
                        format!(
                            "skill {:?}: each `requires` entry has either `skill` or `any_of`",
                            s.entry.id
                        ),
                    ),
                }
            }
            edges.push((id.clone(), valid));
            all_groups.push((s, id, groups));
        }
        if graph.set_prerequisites_many(&edges).is_err() {
            // Skill by skill, to say which one is in the way.
            for ((id, valid), (s, _, _)) in edges.iter().zip(&all_groups) {
                if let Err(e) = graph.set_prerequisites(id, valid) {
                    report(s.file, s.line, format!("skill {:?}: {e}", s.entry.id));
                }
            }
        }
        for (s, id, groups) in all_groups {
            if groups.is_empty() && graph.prerequisite_groups(&id).is_ok_and(<[_]>::is_empty) {
                continue;
            }
            if let Err(e) = graph.set_prerequisite_groups(&id, groups) {
                report(s.file, s.line, format!("skill {:?}: {e}", s.entry.id));
            }
        }

        let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
        for r in &self.roles {
            let what = format!("role {:?}", r.entry.id);
            if let Some(&(file, line)) = seen.get(r.entry.id.as_str()) {
                let first = self.files[file].display();
                report(
                    r.file,
                    r.line,
                    format!("{what} is defined twice (first at {first}:{line})"),
                );
                continue;
            }
            seen.insert(&r.entry.id, (r.file, r.line));
            let id = match RoleId::parse(&r.entry.id) {
                Ok(id) => id,
                Err(e) => {
                    report(r.file, r.line, e.to_string());
                    continue;
                }
            };
            let mut requirements = Vec::new();
            for q in &r.entry.requirements {
                match requirement(q).and_then(|q| {
                    graph
                        .skill(q.skill.as_str())
                        .ok_or_else(|| Error::UnknownSkill(q.skill.clone()))?;
                    Ok(q)
                }) {
                    Ok(q) => requirements.push(q),
                    Err(e) => report(
                        r.file,
                        r.line,
                        format!("{what} requirement {:?}: {e}", q.skill),
                    ),
                }
            }
            let role = Role {
                id,
                name: r.entry.name.clone(),
                description: r.entry.description.clone(),
                requirements,
                external_id: r.entry.external_id.clone(),
            };
            if let Err(e) = graph.upsert_role(role) {
                report(r.file, r.line, format!("{what}: {e}"));
            }
        }
        problems
    }
}

fn category(e: &CategoryEntry) -> Result<Category, Error> {
    Ok(Category {
        id: CategoryId::parse(&e.id)?,
        name: e.name.clone(),
        description: e.description.clone(),
        order: e.order,
        parent: e.parent.as_deref().map(CategoryId::parse).transpose()?,
        external_id: e.external_id.clone(),
    })
}

fn skill(e: &SkillEntry) -> Result<Skill, Error> {
    Ok(Skill {
        id: SkillId::parse(&e.id)?,
        name: e.name.clone(),
        category: CategoryId::parse(&e.category)?,
        hours: u32::try_from(e.hours).map_err(|_| {
            Error::InvalidInput(format!("hours must not be negative, got {}", e.hours))
        })?,
        description: e.description.clone(),
        aliases: e.aliases.clone(),
        tags: e.tags.clone(),
        resources: e.resources.clone(),
        external_id: e.external_id.clone(),
    })
}

fn prerequisite(skill: &str, e: &RequiresEntry) -> Result<(SkillId, EdgeSpec), Error> {
    Ok((
        SkillId::parse(skill)?,
        EdgeSpec {
            kind: e.kind,
            min_level: e.min_level.map(Level::new).transpose()?,
        },
    ))
}

fn group(options: &[String], e: &RequiresEntry) -> Result<PrerequisiteGroup, Error> {
    Ok(PrerequisiteGroup {
        kind: e.kind,
        min_level: e.min_level.map(Level::new).transpose()?,
        options: options
            .iter()
            .map(|o| SkillId::parse(o))
            .collect::<Result<_, _>>()?,
    })
}

fn requirement(e: &RequirementEntry) -> Result<Requirement, Error> {
    Ok(Requirement {
        skill: SkillId::parse(&e.skill)?,
        level: Level::new(e.level)?,
        importance: e.importance,
    })
}

/// The graph an [`export`] holds, at `revision`: what a replica loads from a snapshot.
pub fn graph_from_export(text: &str, revision: u64) -> Result<SkillGraph, String> {
    let problems_text = |problems: Vec<Problem>| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    let seed = Seed::from_text(Path::new("snapshot"), text).map_err(problems_text)?;
    let mut graph = SkillGraph::new();
    let problems = seed.apply(&mut graph);
    if !problems.is_empty() {
        return Err(problems_text(problems));
    }
    graph.take_changes();
    graph.set_revision(revision);
    Ok(graph)
}

/// Writes the whole graph in the seed format, in a fixed order (categories by display order,
/// skills and roles by id), so equal graphs export to equal bytes.
pub fn export(graph: &SkillGraph) -> String {
    let file: SeedFile<CategoryEntry, SkillEntry, RoleEntry> = SeedFile {
        category: graph
            .categories()
            .into_iter()
            .map(|c| CategoryEntry {
                id: c.id.to_string(),
                name: c.name.clone(),
                description: c.description.clone(),
                order: c.order,
                parent: c.parent.as_ref().map(ToString::to_string),
                external_id: c.external_id.clone(),
            })
            .collect(),
        skill: graph
            .skills()
            .map(|s| SkillEntry {
                id: s.id.to_string(),
                name: s.name.clone(),
                category: s.category.to_string(),
                hours: i64::from(s.hours),
                description: s.description.clone(),
                aliases: s.aliases.clone(),
                tags: s.tags.clone(),
                requires: graph
                    .direct_prerequisites(&s.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(id, spec)| RequiresEntry {
                        skill: Some(id.to_string()),
                        any_of: None,
                        kind: spec.kind,
                        min_level: spec.min_level.map(|l| i64::from(l.get())),
                    })
                    .chain(
                        graph
                            .prerequisite_groups(&s.id)
                            .unwrap_or_default()
                            .iter()
                            .map(|g| RequiresEntry {
                                skill: None,
                                any_of: Some(g.options.iter().map(ToString::to_string).collect()),
                                kind: g.kind,
                                min_level: g.min_level.map(|l| i64::from(l.get())),
                            }),
                    )
                    .collect(),
                resources: s.resources.clone(),
                external_id: s.external_id.clone(),
            })
            .collect(),
        role: graph
            .roles()
            .map(|r| RoleEntry {
                id: r.id.to_string(),
                name: r.name.clone(),
                description: r.description.clone(),
                requirements: r
                    .requirements
                    .iter()
                    .map(|q| RequirementEntry {
                        skill: q.skill.to_string(),
                        level: i64::from(q.level.get()),
                        importance: q.importance,
                    })
                    .collect(),
                external_id: r.external_id.clone(),
            })
            .collect(),
    };
    let mut out = String::from("# skillgraph export: a seed file (see seed/README.md)\n\n");
    out.push_str(&toml::to_string(&file).expect("seed entries always serialize to TOML"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    const GOOD: &str = r#"
[[category]]
id = "c"
name = "C"
order = 1

[[skill]]
id = "a"
name = "A"
category = "c"
hours = 10
resources = [{ title = "Docs", url = "https://example.org/a", kind = "documentation" }]

[[skill]]
id = "b"
name = "B"
category = "c"
hours = 20
requires = [{ skill = "a", min_level = 2 }]

[[role]]
id = "r"
name = "R"
requirements = [{ skill = "b", level = 3 }, { skill = "a", level = 4, importance = "optional" }]
"#;

    #[test]
    fn a_valid_seed_applies_whole() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "all.toml", GOOD);
        let seed = Seed::read(dir.path()).unwrap();
        let mut g = SkillGraph::new();
        assert_eq!(seed.apply(&mut g), []);
        assert_eq!(g.stats().skills, 2);
        assert_eq!(g.stats().prerequisites, 1);
        assert_eq!(g.role("r").unwrap().requirements.len(), 2);
    }

    #[test]
    fn every_problem_is_listed_with_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", GOOD);
        write(
            dir.path(),
            "b.toml",
            r#"
[[skill]]
id = "a"
name = "dup"
category = "c"
hours = 1

[[skill]]
id = "x"
name = "X"
category = "nope"
hours = 1

[[skill]]
id = "y"
name = "Y"
category = "c"
hours = 1
requires = [{ skill = "ghost" }, { skill = "a", min_level = 9 }]

[[role]]
id = "r2"
name = "R2"
requirements = [{ skill = "a", level = 0 }]
"#,
        );
        let seed = Seed::read(dir.path()).unwrap();
        let problems: Vec<String> = seed
            .apply(&mut SkillGraph::new())
            .iter()
            .map(|p| {
                format!(
                    "{}:{}",
                    p.file.file_name().unwrap().to_str().unwrap(),
                    p.line
                )
            })
            .collect();
        assert_eq!(
            problems,
            [
                "b.toml:2",
                "b.toml:8",
                "b.toml:14",
                "b.toml:14",
                "b.toml:21"
            ]
        );
    }

    #[test]
    fn a_cycle_in_a_seed_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let cyclic = GOOD.replace(
            "hours = 10\n",
            "hours = 10\nrequires = [{ skill = \"b\" }]\n",
        );
        write(dir.path(), "s.toml", &cyclic);
        let problems = Seed::read(dir.path())
            .unwrap()
            .apply(&mut SkillGraph::new());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("b → a → b"), "{}", problems[0]);
    }

    #[test]
    fn syntax_errors_and_unknown_keys_point_at_the_line() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "s.toml",
            "[[skill]]\nid = \"a\"\nnmae = \"typo\"\n",
        );
        let problems = Seed::read(dir.path()).err().unwrap();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].line >= 1, "{}", problems[0]);
    }

    #[test]
    fn any_of_groups_apply_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let with_group = GOOD.replace(
            "requires = [{ skill = \"a\", min_level = 2 }]",
            "requires = [{ skill = \"a\", min_level = 2 }, { any_of = [\"x\", \"a\"], min_level = 3 }]",
        ) + "\n[[skill]]\nid = \"x\"\nname = \"X\"\ncategory = \"c\"\nhours = 5\n";
        write(dir.path(), "all.toml", &with_group);
        let mut g = SkillGraph::new();
        assert_eq!(Seed::read(dir.path()).unwrap().apply(&mut g), []);
        let groups = g
            .prerequisite_groups(&SkillId::parse("b").unwrap())
            .unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].options.len(), 2);
        let first = export(&g);
        assert!(
            first.contains("any_of = [\n    \"a\",\n    \"x\",\n]")
                || first.contains("any_of = [\"a\", \"x\"]"),
            "{first}"
        );
        let file = dir.path().join("export.out");
        std::fs::write(&file, &first).unwrap();
        let mut again = SkillGraph::new();
        assert_eq!(Seed::read(&file).unwrap().apply(&mut again), []);
        assert_eq!(export(&again), first);

        // Both keys, or a group closing a cycle, are problems with the line.
        let bad = with_group.replace("hours = 5\n", "hours = 5\nrequires = [{ skill = \"a\", any_of = [\"a\", \"b\"] }, { any_of = [\"a\", \"b\"] }]\n");
        write(dir.path(), "all.toml", &bad);
        let problems = Seed::read(dir.path())
            .unwrap()
            .apply(&mut SkillGraph::new());
        let text: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        assert_eq!(problems.len(), 2, "{text:?}");
        assert!(text[0].contains("either `skill` or `any_of`"), "{text:?}");
        assert!(text[1].contains("cycle"), "{text:?}");
    }

    #[test]
    fn export_is_a_seed_and_round_trips_to_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "all.toml", GOOD);
        let mut g = SkillGraph::new();
        assert_eq!(Seed::read(dir.path()).unwrap().apply(&mut g), []);
        let first = export(&g);
        let file = dir.path().join("export.out");
        std::fs::write(&file, &first).unwrap();
        let mut again = SkillGraph::new();
        assert_eq!(Seed::read(&file).unwrap().apply(&mut again), []);
        assert_eq!(export(&again), first);
    }
}
