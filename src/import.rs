//! Importers: each turns a set of files into domain values ([`Batch`]) and a [`Report`] of what
//! it skipped and why; [`apply`] merges a batch into a graph.
//!
//! `merge` is the only way a batch reaches a graph, for every source: [`apply`] runs it
//! leniently and tallies what it refused in a [`Report`]; the seed runs it strictly and names
//! each refusal by file and line. Nothing here depends on the catalog or the command line.
//!
//! * [`seed`]: the project's own TOML format (strict: any problem fails the import).
//! * [`esco`]: the European Commission's ESCO CSV export, zipped or extracted.
//! * [`onet`]: the U.S. O*NET database (text edition and the Excel `Skills.xlsx`).
//! * [`csv`]: the plain spreadsheet layout teams keep.
//!
//! Real data is dirty. Importers never panic on it: a row naming a missing concept, an edge that
//! would close a cycle, an over-long label are skipped or trimmed and counted by reason, with
//! the first few examples. The caller commits the valid rest in one durable write, or nothing
//! with `--strict`. Upserts make re-importing the same files a no-op and a newer version an
//! update in place.

pub mod csv;
pub mod esco;
mod files;
pub mod onet;
pub mod seed;

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use crate::domain::{
    self, Category, EdgeSpec, PrerequisiteGroup, Role, Skill, SkillGraph, SkillId,
};

pub use files::FileSet;

/// Why a source could not be read at all (as opposed to rows skipped in a [`Report`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Files(#[from] files::Error),
    #[error("{file}: {source}")]
    Csv { file: String, source: ::csv::Error },
    #[error("{0}")]
    Format(String),
}

/// The credit lines the licences of the taxonomies present in `graph` ask for, wherever their
/// data is served. Each importer files its data under a root category of its own name.
pub fn attributions(graph: &SkillGraph) -> Vec<&'static str> {
    [("esco", esco::ATTRIBUTION), ("onet", onet::ATTRIBUTION)]
        .into_iter()
        .filter(|(root, _)| graph.category(root).is_some())
        .map(|(_, credit)| credit)
        .collect()
}

/// An importer: reads a file set (named by `source` in its report) into a batch.
pub type Reader = fn(&FileSet, &str) -> Result<(Batch, Report), Error>;

/// Domain values read from a source, ready to merge.
#[derive(Debug, Default)]
pub struct Batch {
    pub categories: Vec<Category>,
    pub skills: Vec<Skill>,
    /// Each skill's complete list of prerequisites.
    pub prerequisites: Vec<(SkillId, Vec<(SkillId, EdgeSpec)>)>,
    /// Each listed skill's complete list of "one of" groups (skills not listed keep theirs).
    pub groups: Vec<(SkillId, Vec<PrerequisiteGroup>)>,
    pub roles: Vec<Role>,
    /// Categories created only where none with the id exists yet (the CSV layout names
    /// categories without describing them; an existing category keeps its name and order).
    pub missing_categories: Vec<Category>,
}

/// How many things of one kind went wrong, and the first few of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: usize,
    pub examples: Vec<String>,
}

/// What an import read, applied, and passed over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub source: String,
    pub categories: usize,
    pub skills: usize,
    pub prerequisites: usize,
    /// "One of" groups applied.
    pub groups: usize,
    pub roles: usize,
    pub requirements: usize,
    /// Rows left out, by reason.
    pub skipped: BTreeMap<String, Tally>,
    /// Rows kept with a repair (a trimmed label, a default filled in), by what was repaired.
    pub repaired: BTreeMap<String, Tally>,
    /// Rows left out on purpose by a documented mapping rule (not data errors: `--strict`
    /// ignores them), by rule.
    pub filtered: BTreeMap<String, Tally>,
    /// Credit the source's licence asks for.
    pub attribution: Option<String>,
}

const EXAMPLES: usize = 5;

fn tally(map: &mut BTreeMap<String, Tally>, reason: &str, example: impl FnOnce() -> String) {
    let entry = map.entry(reason.to_owned()).or_default();
    entry.count += 1;
    if entry.examples.len() < EXAMPLES {
        let example = example();
        if !entry.examples.contains(&example) {
            entry.examples.push(example);
        }
    }
}

impl Report {
    pub fn new(source: impl Into<String>) -> Self {
        Report {
            source: source.into(),
            ..Report::default()
        }
    }

    pub fn skip(&mut self, reason: &str, example: impl FnOnce() -> String) {
        tally(&mut self.skipped, reason, example);
    }

    pub fn repair(&mut self, what: &str, example: impl FnOnce() -> String) {
        tally(&mut self.repaired, what, example);
    }

    pub fn filter(&mut self, rule: &str, example: impl FnOnce() -> String) {
        tally(&mut self.filtered, rule, example);
    }

    pub fn skipped_count(&self) -> usize {
        self.skipped.values().map(|t| t.count).sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "import of {}", self.source)?;
        writeln!(
            f,
            "  applied: {} categories, {} skills, {} prerequisites, {} roles with {} requirements",
            self.categories, self.skills, self.prerequisites, self.roles, self.requirements
        )?;
        if self.groups > 0 {
            writeln!(f, "  and {} \"one of\" prerequisite groups", self.groups)?;
        }
        for (title, map) in [
            ("skipped", &self.skipped),
            ("repaired", &self.repaired),
            ("left out by rule", &self.filtered),
        ] {
            if map.is_empty() {
                continue;
            }
            let total: usize = map.values().map(|t| t.count).sum();
            writeln!(f, "  {title}: {total}")?;
            for (reason, t) in map {
                writeln!(f, "    {:>7}  {reason}", t.count)?;
                for e in &t.examples {
                    writeln!(f, "             e.g. {e}")?;
                }
            }
        }
        if let Some(credit) = &self.attribution {
            writeln!(f, "  {credit}")?;
        }
        Ok(())
    }
}

/// How [`merge`] meets what it cannot apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The taxonomies': land what can land. A skill whose prerequisites or groups fail together
    /// gets them edge by edge and group by group, each failing one refused on its own.
    Lenient,
    /// The seed's: an entry lands whole or is refused whole, so that every refusal names one
    /// entry the author can find. A refused skill's prerequisites and groups are not tried.
    Strict,
}

/// What [`merge`] could not apply, by its place in the batch, so that the caller can say it in
/// its own words: a [`Report`] tallies by reason, the seed names a file and line.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// `categories[i]`.
    Category(usize, domain::Error),
    /// `skills[i]`.
    Skill(usize, domain::Error),
    /// Edge `edge` of `prerequisites[list]` names a skill the graph does not hold.
    UnknownPrerequisite { list: usize, edge: usize },
    /// `prerequisites[list]` as a whole ([`Mode::Strict`]).
    Prerequisites { list: usize, error: domain::Error },
    /// One edge of `prerequisites[list]`, to `requires` ([`Mode::Lenient`]).
    Prerequisite {
        list: usize,
        requires: SkillId,
        error: domain::Error,
    },
    /// `groups[list]` as a whole ([`Mode::Strict`]).
    Groups { list: usize, error: domain::Error },
    /// Group `group` of `groups[list]` ([`Mode::Lenient`]).
    Group {
        list: usize,
        group: usize,
        error: domain::Error,
    },
    /// Requirement `requirement` of `roles[role]` names a skill the graph does not hold:
    /// `skill`, its skill or one of its alternatives.
    UnknownRequirement {
        role: usize,
        requirement: usize,
        skill: SkillId,
    },
    /// `roles[i]`.
    Role(usize, domain::Error),
}

/// What [`merge`] applied beyond what a count of refusals tells.
#[derive(Debug, Default)]
pub(crate) struct Landed {
    /// Categories from `missing_categories` created.
    pub missing_categories: usize,
    /// Edges offered to the graph (those naming known skills of listed skills).
    pub edges_offered: usize,
    pub groups: usize,
    pub roles: usize,
    /// Requirements of the roles that landed, as the batch lists them.
    pub requirements: usize,
}

/// Merges a batch into `graph`: what fails validation is skipped and reported, the rest lands.
///
/// Prerequisites first go in with one acyclicity check for the whole batch; only when that finds
/// a cycle does it fall back to edge by edge, skipping each edge that would close one.
pub fn apply(batch: &Batch, graph: &mut SkillGraph, report: &mut Report) {
    // What the reader skipped never reached the batch: only what `merge` refuses counts against
    // what the batch offered (subtracting read-time skips too underflowed on a CSV whose
    // skills.csv had an invalid id).
    let refusals = |report: &Report| {
        [
            report.skipped_with("category: "),
            report.skipped_with("skill: "),
            report.skipped_with("prerequisite: would close a cycle"),
        ]
    };
    let read = refusals(report);
    let landed = merge(batch, graph, Mode::Lenient, &mut |refusal| {
        report.refused(batch, refusal);
    });
    let now = refusals(report);
    let refused = |i: usize| now[i] - read[i];
    report.categories = batch.categories.len() - refused(0) + landed.missing_categories;
    report.skills = batch.skills.len() - refused(1);
    report.prerequisites = landed.edges_offered - refused(2);
    report.groups += landed.groups;
    report.roles += landed.roles;
    report.requirements += landed.requirements;
}

/// The one way a batch reaches a graph, for every importer and the seed: categories parents
/// first, skills, every skill's prerequisites in one call, groups, roles. Each thing refused is
/// handed to `refuse` with its place in the batch; `mode` says how hard to try before refusing.
pub(crate) fn merge(
    batch: &Batch,
    graph: &mut SkillGraph,
    mode: Mode,
    refuse: &mut dyn FnMut(Refusal),
) -> Landed {
    let mut landed = Landed::default();

    // Categories: parents first, whatever order the source lists them in.
    let mut pending: Vec<usize> = (0..batch.categories.len()).collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|&i| {
            let c = &batch.categories[i];
            let ready = c
                .parent
                .as_ref()
                .is_none_or(|p| graph.category(p.as_str()).is_some());
            !(ready && graph.upsert_category(c.clone()).is_ok())
        });
        if pending.len() == before {
            for i in pending.drain(..) {
                if let Err(e) = graph.upsert_category(batch.categories[i].clone()) {
                    refuse(Refusal::Category(i, e));
                }
            }
        }
    }
    for c in &batch.missing_categories {
        if graph.category(c.id.as_str()).is_none() && graph.upsert_category(c.clone()).is_ok() {
            landed.missing_categories += 1;
        }
    }

    let mut refused: HashSet<&SkillId> = HashSet::new();
    for (i, s) in batch.skills.iter().enumerate() {
        if let Err(e) = graph.upsert_skill(s.clone()) {
            refused.insert(&s.id);
            refuse(Refusal::Skill(i, e));
        }
    }
    // Lenient, a skill the batch failed to update still takes its prerequisites and groups
    // when the graph holds an older version of it; strict, a refused entry is refused whole.
    let takes = |graph: &SkillGraph, skill: &SkillId| {
        graph.skill(skill.as_str()).is_some() && (mode == Mode::Lenient || !refused.contains(skill))
    };

    let mut lists: Vec<usize> = Vec::new();
    let mut present: Vec<(SkillId, Vec<(SkillId, EdgeSpec)>)> = Vec::new();
    for (list, (skill, edges)) in batch.prerequisites.iter().enumerate() {
        if !takes(graph, skill) {
            continue;
        }
        let mut kept = Vec::with_capacity(edges.len());
        for (edge, (requires, spec)) in edges.iter().enumerate() {
            if graph.skill(requires.as_str()).is_some() {
                kept.push((requires.clone(), *spec));
            } else {
                refuse(Refusal::UnknownPrerequisite { list, edge });
            }
        }
        landed.edges_offered += kept.len();
        lists.push(list);
        present.push((skill.clone(), kept));
    }
    // Every skill's edges in one call: one per skill cloned the whole graph each time, which
    // made a 20,000-skill export take minutes to read (a replica's snapshot).
    if graph.set_prerequisites_many(&present).is_err() {
        for (&list, (skill, edges)) in lists.iter().zip(&present) {
            match mode {
                // Skill by skill, to say which one is in the way.
                Mode::Strict => {
                    if let Err(error) = graph.set_prerequisites(skill, edges) {
                        refuse(Refusal::Prerequisites { list, error });
                    }
                }
                Mode::Lenient => set_prerequisites_leniently(graph, list, skill, edges, refuse),
            }
        }
    }

    for (list, (skill, groups)) in batch.groups.iter().enumerate() {
        if !takes(graph, skill) {
            continue;
        }
        // Nothing to set and nothing to clear: a seed names every skill here.
        if groups.is_empty() && graph.prerequisite_groups(skill).is_ok_and(<[_]>::is_empty) {
            continue;
        }
        match graph.set_prerequisite_groups(skill, groups.clone()) {
            Ok(()) => landed.groups += groups.len(),
            Err(error) if mode == Mode::Strict => refuse(Refusal::Groups { list, error }),
            Err(_) => {
                let _ = graph.set_prerequisite_groups(skill, Vec::new());
                for (group, g) in groups.iter().enumerate() {
                    match graph.add_prerequisite_group(skill, g.clone()) {
                        Ok(()) => landed.groups += 1,
                        Err(error) => refuse(Refusal::Group { list, group, error }),
                    }
                }
            }
        }
    }

    for (i, r) in batch.roles.iter().enumerate() {
        let mut role = r.clone();
        let mut requirement = 0;
        // A "one of" requirement with an unknown option goes whole, as one with an unknown
        // skill: keeping the rest would be a different requirement from the one written.
        role.requirements.retain(|q| {
            let unknown = q.options().find(|o| graph.skill(o.as_str()).is_none());
            if let Some(skill) = unknown {
                refuse(Refusal::UnknownRequirement {
                    role: i,
                    requirement,
                    skill: skill.clone(),
                });
            }
            requirement += 1;
            unknown.is_none()
        });
        match graph.upsert_role(role) {
            Ok(()) => {
                landed.roles += 1;
                landed.requirements += r.requirements.len();
            }
            Err(e) => refuse(Refusal::Role(i, e)),
        }
    }
    landed
}

/// Makes `list` a skill's prerequisites edge by edge, leaving out each edge that would close a
/// cycle with what is already there.
fn set_prerequisites_leniently(
    graph: &mut SkillGraph,
    list: usize,
    skill: &SkillId,
    edges: &[(SkillId, EdgeSpec)],
    refuse: &mut dyn FnMut(Refusal),
) {
    let keep: HashSet<&SkillId> = edges.iter().map(|(r, _)| r).collect();
    for (old, _) in graph.direct_prerequisites(skill).unwrap_or_default() {
        if !keep.contains(&old) {
            let _ = graph.remove_prerequisite(skill, &old);
        }
    }
    for (requires, spec) in edges {
        if let Err(error) = graph.add_prerequisite(skill, requires, *spec) {
            refuse(Refusal::Prerequisite {
                list,
                requires: requires.clone(),
                error,
            });
        }
    }
}

impl Report {
    fn skipped_with(&self, prefix: &str) -> usize {
        self.skipped
            .iter()
            .filter(|(reason, _)| reason.starts_with(prefix))
            .map(|(_, t)| t.count)
            .sum()
    }

    /// A refusal of [`merge`], tallied by reason with an example.
    fn refused(&mut self, batch: &Batch, refusal: Refusal) {
        let path = |cycle: &[SkillId]| {
            cycle
                .iter()
                .map(SkillId::as_str)
                .collect::<Vec<_>>()
                .join(" → ")
        };
        match refusal {
            Refusal::Category(i, e) => {
                let id = &batch.categories[i].id;
                self.skip(&format!("category: {}", reason(&e)), || {
                    format!("{id}: {e}")
                });
            }
            Refusal::Skill(i, e) => {
                let id = &batch.skills[i].id;
                self.skip(&format!("skill: {}", reason(&e)), || format!("{id}: {e}"));
            }
            Refusal::UnknownPrerequisite { list, edge } => {
                let (skill, edges) = &batch.prerequisites[list];
                let requires = &edges[edge].0;
                self.skip("prerequisite: names a skill that was not imported", || {
                    format!("{skill} requires {requires}")
                });
            }
            Refusal::Prerequisite {
                error: domain::Error::Cycle(cycle),
                ..
            } => self.skip("prerequisite: would close a cycle", || path(&cycle)),
            Refusal::Prerequisite {
                list,
                requires,
                error,
            } => {
                let skill = &batch.prerequisites[list].0;
                self.skip(&format!("prerequisite: {}", reason(&error)), || {
                    format!("{skill} requires {requires}: {error}")
                });
            }
            Refusal::Group {
                error: domain::Error::Cycle(cycle),
                ..
            } => self.skip("group: would close a cycle", || path(&cycle)),
            Refusal::Group { list, group, error } => {
                let (skill, groups) = &batch.groups[list];
                self.skip(&format!("group: {}", reason(&error)), || {
                    let names: Vec<&str> =
                        groups[group].options.iter().map(SkillId::as_str).collect();
                    format!("{skill} requires one of {}: {error}", names.join(", "))
                });
            }
            Refusal::UnknownRequirement { role, skill, .. } => {
                let r = &batch.roles[role];
                self.skip("requirement: names a skill that was not imported", || {
                    format!("{} requires {skill}", r.id)
                });
            }
            Refusal::Role(i, e) => {
                let id = &batch.roles[i].id;
                self.skip(&format!("role: {}", reason(&e)), || format!("{id}: {e}"));
            }
            // Whole lists are refused in strict merges only, which list problems instead of
            // tallying them; said here too, so that nothing refused goes untold.
            Refusal::Prerequisites { list, error } => {
                let skill = &batch.prerequisites[list].0;
                self.skip(&format!("prerequisite: {}", reason(&error)), || {
                    format!("{skill}: {error}")
                });
            }
            Refusal::Groups { list, error } => {
                let skill = &batch.groups[list].0;
                self.skip(&format!("group: {}", reason(&error)), || {
                    format!("{skill}: {error}")
                });
            }
        }
    }
}

/// A short, example-free reason for grouping errors in a report.
fn reason(e: &domain::Error) -> &'static str {
    match e {
        domain::Error::InvalidId { .. } => "invalid id",
        domain::Error::InvalidLevel(_) => "invalid level",
        domain::Error::InvalidInput(_) => "invalid data",
        domain::Error::UnknownSkill(_) => "unknown skill",
        domain::Error::UnknownRole(_) => "unknown role",
        domain::Error::UnknownCategory(_) => "unknown category",
        domain::Error::Cycle(_) => "would close a cycle",
        domain::Error::SelfPrerequisite(_) => "requires itself",
        domain::Error::CategoryCycle(_) => "category cycle",
        _ => "refused",
    }
}

/// Roles gathered with their requirements keyed by skill (so a repeated row updates rather
/// than duplicates), as the batch's roles.
fn assemble_roles<K>(
    roles: std::collections::BTreeMap<
        K,
        (
            Role,
            std::collections::BTreeMap<SkillId, crate::domain::Requirement>,
        ),
    >,
) -> Vec<Role> {
    roles
        .into_values()
        .map(|(mut role, requirements)| {
            role.requirements = requirements.into_values().collect();
            role
        })
        .collect()
}

/// Turns free text into a slug fragment: ASCII-folded, lower-case, runs of other characters
/// collapsed to `-`. `+` and `#` are spelled out so that C, C++ and C# stay apart.
pub fn slug(text: &str) -> String {
    let folded = deunicode::deunicode(text)
        .to_ascii_lowercase()
        .replace('+', " plus ")
        .replace('#', " sharp ");
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Trims a label to the domain's limit, noting the repair.
fn bounded(text: &str, max: usize, what: &str, id: &str, report: &mut Report) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    report.repair(
        &format!("{what} longer than {max} characters trimmed"),
        || id.to_owned(),
    );
    text.chars().take(max).collect()
}

/// A free-text description, trimmed to the domain's limit; none when empty.
fn description_of(text: &str, id: &str, report: &mut Report) -> Option<String> {
    Some(bounded(text, 10_000, "description", id, report)).filter(|d| !d.is_empty())
}

/// Splits a multi-line label field into distinct labels, bounded as the domain requires.
fn labels(text: &str, except: &str, id: &str, report: &mut Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if label.eq_ignore_ascii_case(except) || out.iter().any(|o| o == label) {
            continue;
        }
        if label.chars().count() > 200 {
            report.repair("alias longer than 200 characters dropped", || id.to_owned());
            continue;
        }
        if out.len() == 100 {
            report.repair("aliases beyond 100 dropped", || id.to_owned());
            break;
        }
        out.push(label.to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_c_cplusplus_and_csharp_apart() {
        assert_eq!(slug("C"), "c");
        assert_eq!(slug("C++"), "c-plus-plus");
        assert_eq!(slug("C#"), "c-sharp");
        assert_eq!(slug("  Microsoft Excel®  "), "microsoft-excel-r");
        assert_eq!(slug("Café Überwachung"), "cafe-uberwachung");
    }

    #[test]
    fn labels_split_on_lines_and_drop_repeats() {
        let mut report = Report::default();
        let got = labels("a\n\n b \nA\nb\nname", "name", "x", &mut report);
        assert_eq!(got, ["a", "b", "A"]);
    }
}
