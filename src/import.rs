//! Importers: each turns a set of files into domain values ([`Batch`]) and a [`Report`] of what
//! it skipped and why; [`apply`] merges a batch into a graph.
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

use std::collections::BTreeMap;
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

/// Merges a batch into `graph`: what fails validation is skipped and reported, the rest lands.
///
/// Prerequisites first go in with one acyclicity check for the whole batch; only when that finds
/// a cycle does it fall back to edge by edge, skipping each edge that would close one.
pub fn apply(batch: &Batch, graph: &mut SkillGraph, report: &mut Report) {
    // Categories: parents first, whatever order the source lists them in.
    let mut pending: Vec<&Category> = batch.categories.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|c| {
            let ready = c
                .parent
                .as_ref()
                .is_none_or(|p| graph.category(p.as_str()).is_some());
            !(ready && graph.upsert_category((*c).clone()).is_ok())
        });
        if pending.len() == before {
            for c in pending.drain(..) {
                if let Err(e) = graph.upsert_category(c.clone()) {
                    report.skip(&format!("category: {}", reason(&e)), || {
                        format!("{}: {e}", c.id)
                    });
                }
            }
        }
    }
    report.categories = batch.categories.len() - report.skipped_with("category: ");
    for c in &batch.missing_categories {
        if graph.category(c.id.as_str()).is_none() && graph.upsert_category(c.clone()).is_ok() {
            report.categories += 1;
        }
    }

    for s in &batch.skills {
        if let Err(e) = graph.upsert_skill(s.clone()) {
            report.skip(&format!("skill: {}", reason(&e)), || {
                format!("{}: {e}", s.id)
            });
        }
    }
    report.skills = batch.skills.len() - report.skipped_with("skill: ");

    let present: Vec<(SkillId, Vec<(SkillId, EdgeSpec)>)> = batch
        .prerequisites
        .iter()
        .filter(|(skill, _)| graph.skill(skill.as_str()).is_some())
        .map(|(skill, list)| {
            let kept = list
                .iter()
                .filter(|(requires, _)| {
                    let known = graph.skill(requires.as_str()).is_some();
                    if !known {
                        report.skip("prerequisite: names a skill that was not imported", || {
                            format!("{skill} requires {requires}")
                        });
                    }
                    known
                })
                .cloned()
                .collect();
            (skill.clone(), kept)
        })
        .collect();
    if graph.set_prerequisites_many(&present).is_err() {
        for (skill, list) in &present {
            set_prerequisites_leniently(graph, skill, list, report);
        }
    }
    report.prerequisites = present.iter().map(|(_, l)| l.len()).sum::<usize>()
        - report.skipped_with("prerequisite: would close a cycle");
    apply_groups(batch, graph, report);

    for r in &batch.roles {
        let mut role = r.clone();
        role.requirements.retain(|q| {
            let known = graph.skill(q.skill.as_str()).is_some();
            if !known {
                report.skip("requirement: names a skill that was not imported", || {
                    format!("{} requires {}", r.id, q.skill)
                });
            }
            known
        });
        match graph.upsert_role(role) {
            Ok(()) => {
                report.roles += 1;
                report.requirements += r.requirements.len();
            }
            Err(e) => report.skip(&format!("role: {}", reason(&e)), || {
                format!("{}: {e}", r.id)
            }),
        }
    }
}

/// Makes each listed skill's groups the batch's, group by group, skipping (and reporting) each
/// group that names a skill not imported or would close a cycle.
fn apply_groups(batch: &Batch, graph: &mut SkillGraph, report: &mut Report) {
    for (skill, groups) in &batch.groups {
        if graph.skill(skill.as_str()).is_none() {
            continue;
        }
        if graph.set_prerequisite_groups(skill, groups.clone()).is_ok() {
            report.groups += groups.len();
            continue;
        }
        let _ = graph.set_prerequisite_groups(skill, Vec::new());
        for group in groups {
            let options = || {
                let names: Vec<&str> = group.options.iter().map(SkillId::as_str).collect();
                format!("{skill} requires one of {}", names.join(", "))
            };
            match graph.add_prerequisite_group(skill, group.clone()) {
                Ok(()) => report.groups += 1,
                Err(domain::Error::Cycle(cycle)) => {
                    report.skip("group: would close a cycle", || {
                        cycle
                            .iter()
                            .map(SkillId::as_str)
                            .collect::<Vec<_>>()
                            .join(" → ")
                    })
                }
                Err(e) => report.skip(&format!("group: {}", reason(&e)), || {
                    format!("{}: {e}", options())
                }),
            }
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
}

/// Makes `list` a skill's prerequisites edge by edge, leaving out each edge that would close a
/// cycle with what is already there.
fn set_prerequisites_leniently(
    graph: &mut SkillGraph,
    skill: &SkillId,
    list: &[(SkillId, EdgeSpec)],
    report: &mut Report,
) {
    let keep: std::collections::HashSet<&SkillId> = list.iter().map(|(r, _)| r).collect();
    for (old, _) in graph.direct_prerequisites(skill).unwrap_or_default() {
        if !keep.contains(&old) {
            let _ = graph.remove_prerequisite(skill, &old);
        }
    }
    for (requires, spec) in list {
        match graph.add_prerequisite(skill, requires, *spec) {
            Ok(()) => {}
            Err(domain::Error::Cycle(cycle)) => {
                report.skip("prerequisite: would close a cycle", || {
                    cycle
                        .iter()
                        .map(SkillId::as_str)
                        .collect::<Vec<_>>()
                        .join(" → ")
                })
            }
            Err(e) => report.skip(&format!("prerequisite: {}", reason(&e)), || {
                format!("{skill} requires {requires}: {e}")
            }),
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
