//! The plain layout teams keep in spreadsheets, one CSV file per kind of record:
//!
//! | file | columns (optional ones in brackets) |
//! |---|---|
//! | `skills.csv` | `id, name, category, hours[, description]` |
//! | `prerequisites.csv` | `skill_id, requires_id[, kind, min_level, group, beyond]` |
//! | `roles.csv` | `id, name[, description, category]` |
//! | `role_requirements.csv` | `role_id, skill_id, level[, importance]` |
//!
//! Columns are found by name. Ids are taken as written. A category named in `skills.csv` is
//! created when missing: its id is the name as a slug (`Machine learning` → `machine-learning`),
//! so a column that already holds category ids keeps them. `kind` is `required` (default) or
//! `recommended`; `importance` is `essential` (default) or `optional`.
//!
//! A role's `category` is a role category's name, created when missing like a skill's, with
//! the id `roles:` and the name as a slug (`Data & analytics` → `roles:data-analytics`): the
//! prefix keeps it from meeting a skill category of the same name (the two trees are apart).
//! Empty: the role has none.
//!
//! A non-empty `group` makes a row an option of a "one of" group instead of an ordinary
//! prerequisite: the rows of one skill that share a group label form one group (label order
//! is group order), and must agree on `kind` and `min_level`. A group needs at least two
//! options; a label used by one row only is skipped and reported. `beyond` (1-4) makes a
//! prerequisite apply only to take the skill beyond that level; a group row cannot have one.

use std::collections::BTreeMap;

use super::files::{Table, field};
use super::{Batch, Error, FileSet, Report, slug};
use crate::domain::{
    Category, CategoryId, CategoryKind, EdgeSpec, Importance, Level, PrerequisiteGroup,
    PrerequisiteKind, Requirement, Role, RoleId, Skill, SkillId,
};

/// What a role category named in `roles.csv` gets before its slug.
pub const ROLE_CATEGORY_PREFIX: &str = "roles:";

fn table(files: &FileSet, stem: &str) -> Result<Option<Table>, Error> {
    files
        .get(stem, "csv")
        .map(|bytes| {
            Table::read(bytes, b',').map_err(|source| Error::Csv {
                file: format!("{stem}.csv"),
                source,
            })
        })
        .transpose()
}

fn require_columns(table: &Table, file: &str, columns: &[&str]) -> Result<(), Error> {
    match columns.iter().find(|c| !table.has(c)) {
        Some(missing) => Err(Error::Format(format!("{file} has no column {missing:?}"))),
        None => Ok(()),
    }
}

/// Reads the four files (only `skills.csv` is required) into a batch.
pub fn read(files: &FileSet, source: &str) -> Result<(Batch, Report), Error> {
    let mut report = Report::new(source);
    let mut batch = Batch::default();
    let skills = table(files, "skills")?
        .ok_or_else(|| Error::Format("no skills.csv found in the folder".into()))?;
    require_columns(&skills, "skills.csv", &["id", "name", "category", "hours"])?;
    let (id, name, category, hours, description) = (
        skills.column("id"),
        skills.column("name"),
        skills.column("category"),
        skills.column("hours"),
        skills.column("description"),
    );
    let mut categories: BTreeMap<String, String> = BTreeMap::new();
    let mut prerequisites: BTreeMap<SkillId, Vec<(SkillId, EdgeSpec)>> = BTreeMap::new();
    // skill → group label → (spec, options, where first seen)
    type Groups = BTreeMap<SkillId, BTreeMap<String, (EdgeSpec, Vec<SkillId>, String)>>;
    let mut groups: Groups = BTreeMap::new();
    for (line, row) in skills.rows.iter().enumerate() {
        let at = || format!("skills.csv:{}", line + 2);
        let Ok(skill_id) = SkillId::parse(field(row, id)) else {
            report.skip("skill: invalid id", || {
                format!("{}: {:?}", at(), field(row, id))
            });
            continue;
        };
        let Ok(h) = field(row, hours).parse::<u32>() else {
            report.skip("skill: hours is not a whole number", || {
                format!("{}: {:?}", at(), field(row, hours))
            });
            continue;
        };
        let category_name = field(row, category);
        let category_id = slug(category_name);
        if category_id.is_empty() {
            report.skip("skill: no category", at);
            continue;
        }
        categories
            .entry(category_id.clone())
            .or_insert_with(|| category_name.to_owned());
        batch.skills.push(Skill {
            id: skill_id.clone(),
            name: field(row, name).to_owned(),
            category: CategoryId::parse(&category_id).expect("slugs are ids"),
            hours: h,
            description: Some(field(row, description).to_owned()).filter(|d| !d.is_empty()),
            aliases: vec![],
            tags: vec![],
            resources: vec![],
            external_id: None,
        });
        prerequisites.insert(skill_id, vec![]);
    }
    batch.missing_categories = categories
        .into_iter()
        .enumerate()
        .map(|(i, (id, name))| Category {
            kind: CategoryKind::Skill,
            id: CategoryId::parse(&id).expect("slugs are ids"),
            name,
            description: None,
            order: 1000 + i as i32,
            parent: None,
            external_id: None,
        })
        .collect();

    if let Some(edges) = table(files, "prerequisites")? {
        require_columns(&edges, "prerequisites.csv", &["skill_id", "requires_id"])?;
        let (skill, requires, kind, min_level, group, beyond) = (
            edges.column("skill_id"),
            edges.column("requires_id"),
            edges.column("kind"),
            edges.column("min_level"),
            edges.column("group"),
            edges.column("beyond"),
        );
        for (line, row) in edges.rows.iter().enumerate() {
            let at = || format!("prerequisites.csv:{}", line + 2);
            let (Ok(a), Ok(b)) = (
                SkillId::parse(field(row, skill)),
                SkillId::parse(field(row, requires)),
            ) else {
                report.skip("prerequisite: invalid id", at);
                continue;
            };
            let kind = match field(row, kind) {
                "" | "required" => PrerequisiteKind::Required,
                "recommended" => PrerequisiteKind::Recommended,
                _ => {
                    report.skip("prerequisite: kind is not required or recommended", at);
                    continue;
                }
            };
            let min_level = match field(row, min_level) {
                "" => None,
                text => match text.parse().ok().and_then(|v| Level::new(v).ok()) {
                    Some(level) => Some(level),
                    None => {
                        report.skip("prerequisite: min_level is not 1-5", at);
                        continue;
                    }
                },
            };
            let Some(list) = prerequisites.get_mut(&a) else {
                report.skip(
                    "prerequisite: names a skill missing from skills.csv",
                    || format!("{}: {a}", at()),
                );
                continue;
            };
            let beyond = match field(row, beyond) {
                "" => None,
                text => match text.parse().ok().and_then(|v| Level::beyond(v).ok()) {
                    Some(level) => Some(level),
                    None => {
                        report.skip("prerequisite: beyond is not 1-4", at);
                        continue;
                    }
                },
            };
            let spec = EdgeSpec {
                kind,
                min_level,
                beyond,
            };
            let label = field(row, group);
            if !label.is_empty() && beyond.is_some() {
                report.skip("prerequisite: beyond is not supported in a group", at);
                continue;
            }
            if !label.is_empty() {
                let group = groups
                    .entry(a.clone())
                    .or_default()
                    .entry(label.to_owned())
                    .or_insert_with(|| (spec, Vec::new(), at()));
                if group.0 != spec {
                    report.skip("prerequisite: group rows disagree on kind or min_level", at);
                } else if group.1.contains(&b) {
                    report.skip("prerequisite: listed twice", at);
                } else {
                    group.1.push(b);
                }
                continue;
            }
            if list.iter().any(|(r, _)| *r == b) {
                report.skip("prerequisite: listed twice", at);
                continue;
            }
            list.push((b, spec));
        }
    }
    batch.prerequisites = prerequisites.into_iter().collect();
    batch.groups = batch
        .prerequisites
        .iter()
        .map(|(skill, _)| {
            let mut list = Vec::new();
            for (label, (spec, options, at)) in groups.remove(skill).unwrap_or_default() {
                if options.len() < 2 {
                    report.skip("prerequisite: a group with fewer than two options", || {
                        format!("{at}: group {label:?} of {skill}")
                    });
                    continue;
                }
                list.push(PrerequisiteGroup {
                    kind: spec.kind,
                    min_level: spec.min_level,
                    options,
                });
            }
            (skill.clone(), list)
        })
        .collect();

    let mut roles: BTreeMap<RoleId, Role> = BTreeMap::new();
    if let Some(table) = table(files, "roles")? {
        require_columns(&table, "roles.csv", &["id", "name"])?;
        let (id, name, description, category) = (
            table.column("id"),
            table.column("name"),
            table.column("description"),
            table.column("category"),
        );
        let mut role_categories: BTreeMap<String, String> = BTreeMap::new();
        for (line, row) in table.rows.iter().enumerate() {
            let Ok(role_id) = RoleId::parse(field(row, id)) else {
                report.skip("role: invalid id", || format!("roles.csv:{}", line + 2));
                continue;
            };
            let category_name = field(row, category);
            let category = match slug(category_name) {
                s if s.is_empty() => None,
                s => {
                    let id = format!("{ROLE_CATEGORY_PREFIX}{s}");
                    role_categories
                        .entry(id.clone())
                        .or_insert_with(|| category_name.to_owned());
                    Some(CategoryId::parse(&id).expect("a prefixed slug is an id"))
                }
            };
            roles.insert(
                role_id.clone(),
                Role {
                    category,
                    id: role_id,
                    name: field(row, name).to_owned(),
                    description: Some(field(row, description).to_owned()).filter(|d| !d.is_empty()),
                    requirements: vec![],
                    aliases: Vec::new(),
                    external_id: None,
                },
            );
        }
        let first = batch.missing_categories.len();
        batch
            .missing_categories
            .extend(
                role_categories
                    .into_iter()
                    .enumerate()
                    .map(|(i, (id, name))| Category {
                        kind: CategoryKind::Role,
                        id: CategoryId::parse(&id).expect("checked above"),
                        name,
                        description: None,
                        order: 1000 + (first + i) as i32,
                        parent: None,
                        external_id: None,
                    }),
            );
    }
    if let Some(table) = table(files, "role_requirements")? {
        require_columns(
            &table,
            "role_requirements.csv",
            &["role_id", "skill_id", "level"],
        )?;
        let (role, skill, level, importance) = (
            table.column("role_id"),
            table.column("skill_id"),
            table.column("level"),
            table.column("importance"),
        );
        for (line, row) in table.rows.iter().enumerate() {
            let at = || format!("role_requirements.csv:{}", line + 2);
            let Some(entry) = RoleId::parse(field(row, role))
                .ok()
                .and_then(|r| roles.get_mut(&r))
            else {
                report.skip("requirement: names a role missing from roles.csv", at);
                continue;
            };
            let Ok(skill) = SkillId::parse(field(row, skill)) else {
                report.skip("requirement: invalid skill id", at);
                continue;
            };
            let Some(level) = field(row, level)
                .parse()
                .ok()
                .and_then(|v| Level::new(v).ok())
            else {
                report.skip("requirement: level is not 1-5", at);
                continue;
            };
            let importance = match field(row, importance) {
                "" | "essential" => Importance::Essential,
                "optional" => Importance::Optional,
                _ => {
                    report.skip("requirement: importance is not essential or optional", at);
                    continue;
                }
            };
            if entry.requirements.iter().any(|r| r.skill == skill) {
                report.skip("requirement: listed twice", at);
                continue;
            }
            entry.requirements.push(Requirement {
                skill,
                level,
                importance,
                alternatives: Vec::new(),
            });
        }
    }
    batch.roles = roles.into_values().collect();
    Ok((batch, report))
}
