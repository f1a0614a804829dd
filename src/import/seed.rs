//! The seed format: human-editable TOML files of categories, skills and roles (see
//! `seed/README.md`). Reading turns files into a [`Batch`], remembering where each of its
//! entries was written; applying it goes through the importers' one merge, strictly, and
//! collects *every* problem with its file and line, so `skillgraph check` can list them all at
//! once. Export writes the same format, so an export is a valid seed and export → import →
//! export is byte-identical.
//!
//! Applying is an upsert: each category, skill and role named replaces the stored one, and a
//! skill's `requires` list replaces its prerequisites. What the seed does not name is left alone,
//! which makes re-importing the same files a no-op.

mod builtin;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::domain::{
    Category, CategoryId, CategoryKind, EdgeSpec, Error, Importance, Level, PrerequisiteGroup,
    PrerequisiteKind, Requirement, Resource, Role, RoleId, Skill, SkillGraph, SkillId,
};
use crate::import::{self, Batch, Refusal};

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
    /// `role` for a role category; left out for a skill category, as every seed before role
    /// categories wrote them.
    #[serde(default, skip_serializing_if = "CategoryKind::is_skill")]
    kind: CategoryKind,
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
    /// Only to take the skill beyond this level (see `EdgeSpec::beyond`); not on a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    beyond: Option<i64>,
}

fn is_required(kind: &PrerequisiteKind) -> bool {
    *kind == PrerequisiteKind::Required
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RoleEntry {
    id: String,
    name: String,
    /// The role category (a `kind = "role"` category) it sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    requirements: Vec<RequirementEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
}

/// One entry of a role's `requirements`: a skill (`skill`) or one of several (`any_of`, the
/// first listed preferred), at `level`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RequirementEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    skill: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any_of: Option<Vec<String>>,
    level: i64,
    #[serde(default, skip_serializing_if = "is_essential")]
    importance: Importance,
}

impl RequirementEntry {
    /// The skill it is listed under in problems: its skill, or its first option.
    fn name(&self) -> &str {
        match (&self.skill, &self.any_of) {
            (Some(skill), _) => skill,
            (None, Some(options)) => options.first().map_or("", String::as_str),
            (None, None) => "",
        }
    }
}

fn is_essential(importance: &Importance) -> bool {
    *importance == Importance::Essential
}

type SpannedFile = SeedFile<Spanned<CategoryEntry>, Spanned<SkillEntry>, Spanned<RoleEntry>>;

/// Where an entry was written, and which of its kind it is (counting every entry read).
#[derive(Clone, Copy, Debug)]
struct Place {
    file: usize,
    line: usize,
    entry: usize,
}

/// Where each thing of the batch was written, by its index in the batch.
#[derive(Debug, Default)]
struct Places {
    categories: Vec<Place>,
    /// Also the places of `prerequisites[i]` and `groups[i]`: the seed lists every skill there.
    skills: Vec<Place>,
    /// For each skill, the index in its `requires` of each prerequisite kept.
    requires: Vec<Vec<usize>>,
    roles: Vec<Place>,
    /// For each role, the index in its `requirements` of each requirement kept.
    requirements: Vec<Vec<usize>>,
}

/// When a problem comes up in one pass over the entries: phase, entry, then the entry's part.
/// Some are found while reading and some while applying; sorting by this lists them as one
/// pass over the seed meets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Order {
    phase: Phase,
    entry: usize,
    part: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// A category written twice or not valid on its own.
    Category,
    /// A category the graph refused (an unknown parent, a cycle).
    Placing,
    /// A skill written twice, not valid on its own, or refused.
    Skill,
    /// One entry of a skill's `requires`.
    Requires,
    /// A skill's prerequisites, as a whole.
    Prerequisites,
    /// A skill's "one of" groups, as a whole.
    Groups,
    /// A role, or one of its requirements.
    Role,
}

/// A parsed seed, ready to apply: the domain values it holds as a [`Batch`], where each was
/// written, and what was wrong with the entries that could not become one.
pub struct Seed {
    files: Vec<PathBuf>,
    batch: Batch,
    places: Places,
    /// Problems found while reading entries, to be listed with those applying finds.
    found: Vec<(Order, Problem)>,
    counts: SeedCounts,
    /// The first place of each id, for "defined twice".
    seen: Seen,
}

#[derive(Default)]
struct Seen {
    categories: HashMap<String, (usize, usize)>,
    skills: HashMap<String, (usize, usize)>,
    roles: HashMap<String, (usize, usize)>,
}

/// How much a seed holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedCounts {
    /// Every `[[category]]` entry, of skills and of roles.
    pub categories: usize,
    /// Those of them with `kind = "role"`.
    pub role_categories: usize,
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
        let files = toml_files(path).map_err(|e| {
            // Name the directory looked for: a relative default read from elsewhere is the
            // usual cause ("seed" from another working directory).
            let looked = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
            vec![whole(format!("cannot read {}: {e}", looked.display()))]
        })?;
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
            Ok(seed.done())
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
            Ok(seed.done())
        } else {
            Err(problems)
        }
    }

    fn empty() -> Seed {
        Seed {
            files: Vec::new(),
            batch: Batch::default(),
            places: Places::default(),
            found: Vec::new(),
            counts: SeedCounts::default(),
            seen: Seen::default(),
        }
    }

    /// Reading is over: the first places are needed no more.
    fn done(mut self) -> Seed {
        self.seen = Seen::default();
        self
    }

    fn add(&mut self, file: PathBuf, text: &str, problems: &mut Vec<Problem>) {
        let index = self.files.len();
        self.files.push(file);
        match toml::from_str::<SpannedFile>(text) {
            Ok(parsed) => {
                // Where each line ends, once: counting newlines from the start for every
                // entry made reading a 24 MB export (a replica's ESCO snapshot) take minutes.
                let ends: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
                let locate =
                    |span: std::ops::Range<usize>| ends.partition_point(|&e| e < span.start) + 1;
                for c in parsed.category {
                    let line = locate(c.span());
                    self.add_category(index, line, c.into_inner());
                }
                for s in parsed.skill {
                    let line = locate(s.span());
                    self.add_skill(index, line, s.into_inner());
                }
                for r in parsed.role {
                    let line = locate(r.span());
                    self.add_role(index, line, r.into_inner());
                }
            }
            Err(e) => problems.push(Problem {
                line: e.span().map_or(0, |s| line_of(text, s.start)),
                message: e.message().trim().to_owned(),
                file: self.files[index].clone(),
            }),
        }
    }

    fn problem(&mut self, order: Order, place: Place, message: String) {
        let problem = Problem {
            file: self.files[place.file].clone(),
            line: place.line,
            message,
        };
        self.found.push((order, problem));
    }

    /// "defined twice" when `id` was seen before, naming where first.
    fn twice(
        files: &[PathBuf],
        seen: &mut HashMap<String, (usize, usize)>,
        id: &str,
        place: Place,
    ) -> Option<String> {
        match seen.get(id) {
            Some(&(file, line)) => Some(format!(
                "is defined twice (first at {}:{line})",
                files[file].display()
            )),
            None => {
                seen.insert(id.to_owned(), (place.file, place.line));
                None
            }
        }
    }

    fn add_category(&mut self, file: usize, line: usize, e: CategoryEntry) {
        let place = Place {
            file,
            line,
            entry: self.counts.categories,
        };
        self.counts.categories += 1;
        if e.kind == CategoryKind::Role {
            self.counts.role_categories += 1;
        }
        let order = Order {
            phase: Phase::Category,
            entry: place.entry,
            part: 0,
        };
        let what = format!("category {:?}", e.id);
        if let Some(twice) = Self::twice(&self.files, &mut self.seen.categories, &e.id, place) {
            return self.problem(order, place, format!("{what} {twice}"));
        }
        match category(&e) {
            Ok(c) => {
                self.batch.categories.push(c);
                self.places.categories.push(place);
            }
            Err(err) => self.problem(order, place, format!("{what}: {err}")),
        }
    }

    fn add_skill(&mut self, file: usize, line: usize, e: SkillEntry) {
        let place = Place {
            file,
            line,
            entry: self.counts.skills,
        };
        self.counts.skills += 1;
        self.counts.prerequisites += e.requires.iter().filter(|r| r.skill.is_some()).count();
        let order = |phase, part| Order {
            phase,
            entry: place.entry,
            part,
        };
        let what = format!("skill {:?}", e.id);
        if let Some(twice) = Self::twice(&self.files, &mut self.seen.skills, &e.id, place) {
            return self.problem(order(Phase::Skill, 0), place, format!("{what} {twice}"));
        }
        let id = match skill(&e) {
            Ok(s) => {
                let id = s.id.clone();
                self.batch.skills.push(s);
                id
            }
            Err(err) => {
                return self.problem(order(Phase::Skill, 0), place, format!("{what}: {err}"));
            }
        };
        let mut edges = Vec::new();
        let mut kept = Vec::new();
        let mut groups = Vec::new();
        for (part, r) in e.requires.iter().enumerate() {
            let refused = match (&r.skill, &r.any_of) {
                (Some(skill), None) => match prerequisite(skill, r) {
                    Ok(edge) => {
                        edges.push(edge);
                        kept.push(part);
                        continue;
                    }
                    Err(err) => format!("{what} requires {skill:?}: {err}"),
                },
                (None, Some(options)) => match group(options, r) {
                    Ok(g) => {
                        groups.push(g);
                        continue;
                    }
                    Err(err) => format!("{what} requires any of {options:?}: {err}"),
                },
                _ => format!("{what}: each `requires` entry has either `skill` or `any_of`"),
            };
            self.problem(order(Phase::Requires, part), place, refused);
        }
        self.batch.prerequisites.push((id.clone(), edges));
        self.batch.groups.push((id, groups));
        self.places.skills.push(place);
        self.places.requires.push(kept);
    }

    fn add_role(&mut self, file: usize, line: usize, e: RoleEntry) {
        let place = Place {
            file,
            line,
            entry: self.counts.roles,
        };
        self.counts.roles += 1;
        let order = |part| Order {
            phase: Phase::Role,
            entry: place.entry,
            part,
        };
        let what = format!("role {:?}", e.id);
        if let Some(twice) = Self::twice(&self.files, &mut self.seen.roles, &e.id, place) {
            return self.problem(order(0), place, format!("{what} {twice}"));
        }
        let id = match RoleId::parse(&e.id) {
            Ok(id) => id,
            Err(err) => return self.problem(order(0), place, err.to_string()),
        };
        let category = match e.category.as_deref().map(CategoryId::parse).transpose() {
            Ok(category) => category,
            Err(err) => return self.problem(order(0), place, format!("{what}: {err}")),
        };
        let mut requirements = Vec::new();
        let mut kept = Vec::new();
        for (part, q) in e.requirements.iter().enumerate() {
            match requirement(q) {
                Ok(q) => {
                    requirements.push(q);
                    kept.push(part);
                }
                Err(err) => self.problem(
                    order(1 + part),
                    place,
                    format!("{what} requirement {:?}: {err}", q.name()),
                ),
            }
        }
        self.batch.roles.push(Role {
            category,
            id,
            name: e.name,
            description: e.description,
            requirements,
            aliases: e.aliases,
            external_id: e.external_id,
        });
        self.places.roles.push(place);
        self.places.requirements.push(kept);
    }

    pub fn counts(&self) -> SeedCounts {
        self.counts
    }

    /// Applies every entry to `graph` and returns every problem found; an empty list means the
    /// whole seed applied. With problems, `graph` holds the valid part only: callers that must
    /// not half-apply (imports) discard it.
    ///
    /// The seed goes through [`import::merge`](crate::import) as every importer does, strictly:
    /// each entry lands whole or is named, with its file and line.
    pub fn apply(&self, graph: &mut SkillGraph) -> Vec<Problem> {
        let batch = &self.batch;
        let places = &self.places;
        let mut found: Vec<(Order, Problem)> = Vec::new();
        let mut refused_skills: HashSet<usize> = HashSet::new();
        let mut refuse = |refusal: Refusal| {
            let at = |place: Place, phase, part, message| {
                let order = Order {
                    phase,
                    entry: place.entry,
                    part,
                };
                let problem = Problem {
                    file: self.files[place.file].clone(),
                    line: place.line,
                    message,
                };
                (order, problem)
            };
            let skill = |i: usize| batch.skills[i].id.as_str();
            found.push(match refusal {
                Refusal::Category(i, e) => {
                    let id = batch.categories[i].id.as_str();
                    at(
                        places.categories[i],
                        Phase::Placing,
                        0,
                        format!("category {id:?}: {e}"),
                    )
                }
                Refusal::Skill(i, e) => {
                    refused_skills.insert(places.skills[i].entry);
                    at(
                        places.skills[i],
                        Phase::Skill,
                        0,
                        format!("skill {:?}: {e}", skill(i)),
                    )
                }
                Refusal::UnknownPrerequisite { list, edge } => {
                    let requires = &batch.prerequisites[list].1[edge].0;
                    let e = Error::UnknownSkill(requires.clone());
                    let message = format!(
                        "skill {:?} requires {:?}: {e}",
                        skill(list),
                        requires.as_str()
                    );
                    let part = places.requires[list][edge];
                    at(places.skills[list], Phase::Requires, part, message)
                }
                Refusal::Prerequisites { list, error }
                | Refusal::Prerequisite { list, error, .. } => {
                    let message = format!("skill {:?}: {error}", skill(list));
                    at(places.skills[list], Phase::Prerequisites, 0, message)
                }
                Refusal::Groups { list, error } | Refusal::Group { list, error, .. } => {
                    let message = format!("skill {:?}: {error}", skill(list));
                    at(places.skills[list], Phase::Groups, 0, message)
                }
                Refusal::UnknownRequirement {
                    role,
                    requirement,
                    skill,
                } => {
                    let r = &batch.roles[role];
                    let q = &r.requirements[requirement].skill;
                    let e = Error::UnknownSkill(skill);
                    let message =
                        format!("role {:?} requirement {:?}: {e}", r.id.as_str(), q.as_str());
                    let part = 1 + places.requirements[role][requirement];
                    at(places.roles[role], Phase::Role, part, message)
                }
                Refusal::Role(i, e) => {
                    let id = batch.roles[i].id.as_str();
                    at(
                        places.roles[i],
                        Phase::Role,
                        usize::MAX,
                        format!("role {id:?}: {e}"),
                    )
                }
            });
        };
        import::merge(batch, graph, import::Mode::Strict, &mut refuse);
        // A refused skill is refused whole: what its `requires` got wrong is not told.
        found.extend(
            self.found
                .iter()
                .filter(|(order, _)| {
                    !(order.phase == Phase::Requires && refused_skills.contains(&order.entry))
                })
                .cloned(),
        );
        found.sort_by_key(|(order, _)| *order);
        found.into_iter().map(|(_, problem)| problem).collect()
    }
}

fn category(e: &CategoryEntry) -> Result<Category, Error> {
    Ok(Category {
        kind: e.kind,
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
            beyond: e.beyond.map(Level::beyond).transpose()?,
        },
    ))
}

fn group(options: &[String], e: &RequiresEntry) -> Result<PrerequisiteGroup, Error> {
    if e.beyond.is_some() {
        // Not yet: a group's option is chosen once per plan, before level steps are cut.
        return Err(Error::InvalidInput(
            "beyond is not supported on an any_of group".into(),
        ));
    }
    Ok(PrerequisiteGroup {
        kind: e.kind,
        min_level: e.min_level.map(Level::new).transpose()?,
        options: options
            .iter()
            .map(|o| SkillId::parse(o))
            .collect::<Result<_, _>>()?,
    })
}

/// A role's requirement from its entry. Only the entry's shape is checked here; that the
/// options are distinct skills of the graph is the role write's check, as for any role.
fn requirement(e: &RequirementEntry) -> Result<Requirement, Error> {
    let (skill, alternatives) = match (&e.skill, &e.any_of) {
        (Some(skill), None) => (SkillId::parse(skill)?, Vec::new()),
        (None, Some(options)) if options.len() >= 2 => (
            SkillId::parse(&options[0])?,
            options[1..]
                .iter()
                .map(|o| SkillId::parse(o))
                .collect::<Result<_, _>>()?,
        ),
        (None, Some(_)) => {
            return Err(Error::InvalidInput(
                "`any_of` lists at least two skills".into(),
            ));
        }
        _ => {
            return Err(Error::InvalidInput(
                "each requirement has either `skill` or `any_of`".into(),
            ));
        }
    };
    Ok(Requirement {
        skill,
        level: Level::new(e.level)?,
        importance: e.importance,
        alternatives,
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
                kind: c.kind,
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
                        beyond: spec.beyond.map(|l| i64::from(l.get())),
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
                                beyond: None,
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
                category: r.category.as_ref().map(ToString::to_string),
                description: r.description.clone(),
                aliases: r.aliases.clone(),
                requirements: r
                    .requirements
                    .iter()
                    .map(|q| {
                        let (skill, any_of) = if q.alternatives.is_empty() {
                            (Some(q.skill.to_string()), None)
                        } else {
                            (None, Some(q.options().map(ToString::to_string).collect()))
                        };
                        RequirementEntry {
                            skill,
                            any_of,
                            level: i64::from(q.level.get()),
                            importance: q.importance,
                        }
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

    /// Reads an export back from a file in `dir`, checks that exporting it again gives the
    /// same bytes, and gives the graph read.
    fn reexported(dir: &Path, first: &str) -> SkillGraph {
        let file = dir.join("export.out");
        std::fs::write(&file, first).unwrap();
        let mut again = SkillGraph::new();
        assert_eq!(Seed::read(&file).unwrap().apply(&mut again), []);
        assert_eq!(export(&again), first);
        again
    }

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
    fn role_categories_apply_round_trip_and_a_role_in_a_skill_category_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let families = "\n[[category]]\nid = \"fam\"\nkind = \"role\"\nname = \"Family\"\n\n\
                        [[category]]\nid = \"sub\"\nkind = \"role\"\nname = \"Sub\"\n\
                        parent = \"fam\"\n";
        let placed = GOOD.replace(
            "id = \"r\"\nname = \"R\"\n",
            "id = \"r\"\nname = \"R\"\ncategory = \"sub\"\n",
        );
        write(dir.path(), "a.toml", &(placed.clone() + families));
        let mut graph = SkillGraph::new();
        assert_eq!(Seed::read(dir.path()).unwrap().apply(&mut graph), []);
        assert_eq!(
            graph
                .roles_in_category(&CategoryId::parse("fam").unwrap())
                .unwrap()
                .len(),
            1
        );
        let again = reexported(dir.path(), &export(&graph));
        assert_eq!(again.contents(), graph.contents());

        // A role in the skill category "c", and a role category under it: each named at its
        // line.
        let wrong = GOOD.replace(
            "id = \"r\"\nname = \"R\"\n",
            "id = \"r\"\nname = \"R\"\ncategory = \"c\"\n",
        ) + "\n[[category]]\nid = \"odd\"\nkind = \"role\"\nname = \"Odd\"\nparent = \"c\"\n";
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.toml", &wrong);
        let problems = Seed::read(dir.path())
            .unwrap()
            .apply(&mut SkillGraph::new());
        let found: Vec<(usize, bool)> = problems
            .iter()
            .map(|p| (p.line, p.message.contains("skill category")))
            .collect();
        assert_eq!(found, [(27, true), (21, true)], "{problems:#?}");
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
        reexported(dir.path(), &first);

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
        reexported(dir.path(), &first);
    }

    #[test]
    fn any_of_requirements_apply_prefer_their_first_skill_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let extra = "\n[[skill]]\nid = \"x\"\nname = \"X\"\ncategory = \"c\"\nhours = 5\n\n\
                     [[skill]]\nid = \"w\"\nname = \"W\"\ncategory = \"c\"\nhours = 5\n";
        let with_one_of = GOOD.replace(
            "{ skill = \"b\", level = 3 }",
            "{ any_of = [\"b\", \"x\", \"w\"], level = 3 }",
        ) + extra;
        write(dir.path(), "all.toml", &with_one_of);
        let mut g = SkillGraph::new();
        assert_eq!(Seed::read(dir.path()).unwrap().apply(&mut g), []);
        let role = g.role("r").unwrap();
        let one_of = role.requirement(&SkillId::parse("x").unwrap()).unwrap();
        assert_eq!(one_of.skill.as_str(), "b", "the first listed is preferred");
        let alternatives: Vec<&str> = one_of.alternatives.iter().map(|a| a.as_str()).collect();
        assert_eq!(alternatives, ["w", "x"]);
        let first = export(&g);
        assert!(
            first.contains("any_of = [\n    \"b\",\n    \"w\",\n    \"x\",\n]")
                || first.contains("any_of = [\"b\", \"w\", \"x\"]"),
            "{first}"
        );
        let again = reexported(dir.path(), &first);
        assert_eq!(again.role("r"), g.role("r"));

        // Each problem with its line: both keys, one option, an unknown option, a skill twice.
        for (requirement, expected) in [
            (
                "{ skill = \"b\", any_of = [\"b\", \"x\"], level = 3 }",
                "either `skill` or `any_of`",
            ),
            ("{ any_of = [\"b\"], level = 3 }", "at least two"),
            (
                "{ any_of = [\"b\", \"ghost\"], level = 3 }",
                "requirement \"b\": no skill with id \"ghost\"",
            ),
            (
                "{ any_of = [\"b\", \"a\"], level = 3 }",
                "lists skill \"a\" twice",
            ),
        ] {
            let bad = GOOD.replace("{ skill = \"b\", level = 3 }", requirement) + extra;
            write(dir.path(), "all.toml", &bad);
            let problems = match Seed::read(dir.path()) {
                Ok(seed) => seed.apply(&mut SkillGraph::new()),
                Err(problems) => problems,
            };
            assert_eq!(problems.len(), 1, "{requirement}: {problems:?}");
            assert!(problems[0].message.contains(expected), "{}", problems[0]);
            assert!(problems[0].line > 1, "{}", problems[0]);
        }
    }
}
