//! ESCO, the European Commission's classification of skills and occupations, from its CSV
//! export (the zips as downloaded, or the extracted folder; v1.1 and v1.2 file names).
//!
//! Mapping, by column name:
//! * skill groups → categories, as a tree under one `esco` root (`broaderRelationsSkillPillar`);
//! * skills → skills: preferred label, alt labels as aliases, description, skill type and reuse
//!   level as tags, the URI as external id, in the nearest skill group above them;
//! * occupations → roles: preferred label, alt and hidden labels as aliases; essential / optional occupation–skill relations → requirements;
//! * ISCO-08 groups (`ISCOGroups`) → role categories, as a tree under one `esco:isco` root, each
//!   group within the group whose code is its own less the last digit (`2511` in `251`); an
//!   occupation sits in its `iscoGroup`, or, where that is empty or unknown, in the group of
//!   its broader concept (`broaderRelationsOccPillar`: an ISCO group, or another occupation,
//!   whose group it shares). Both files are optional: an export or a cut without them still
//!   imports, its roles uncategorised, and the report says so under "filtered";
//! * skill–skill relations → prerequisites, the related skill being needed by the original one:
//!   essential → required, optional → recommended.
//!
//! ESCO has no levels or effort. Essential requirements are taken at level
//! [`ESSENTIAL_LEVEL`] (practitioner), optional ones at [`OPTIONAL_LEVEL`] (beginner), and every
//! skill at [`DEFAULT_HOURS`] hours. Ids are `esco:` and the concept's UUID.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::files::{Table, field};
use super::{Batch, Error, FileSet, Report, bounded, description_of, labels};
use crate::domain::{
    Category, CategoryId, CategoryKind, EdgeSpec, Importance, Level, PrerequisiteKind, Requirement,
    Role, RoleId, Skill, SkillId,
};

pub const ATTRIBUTION: &str =
    "This service uses the ESCO classification of the European Commission.";
pub const DEFAULT_HOURS: u32 = 20;
pub const ESSENTIAL_LEVEL: u8 = 3;
pub const OPTIONAL_LEVEL: u8 = 2;

const ROOT: &str = "esco";
const UNGROUPED: &str = "esco:ungrouped";
/// The root of the occupation groups: a role category, apart from the skills' `esco`.
const ISCO_ROOT: &str = "esco:isco";

/// `esco:` plus the last part of a concept URI: the UUID for skills and occupations, the
/// scheme path with dots for the rest (`isced-f/0011` → `esco:isced-f.0011`).
pub fn id_of(uri: &str) -> Option<String> {
    let rest = uri.trim().strip_prefix("http://data.europa.eu/esco/")?;
    let rest = ["skill/", "occupation/"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    let id = format!("esco:{}", rest.replace('/', ".").to_lowercase());
    SkillId::parse(&id).ok().map(|_| id)
}

fn parse_table(bytes: &[u8], stem: &str) -> Result<Table, Error> {
    Table::read(bytes, b',').map_err(|source| Error::Csv {
        file: format!("{stem}.csv"),
        source,
    })
}

/// The ISCO-08 groups as role categories (pushed to `batch`), by group code.
fn isco_groups(
    files: &FileSet,
    batch: &mut Batch,
    report: &mut Report,
) -> Result<Option<HashMap<String, CategoryId>>, Error> {
    let Some(bytes) = files.get("iscogroups", "csv") else {
        report.filter(
            "no ISCOGroups file: occupations left without a role category",
            || "ISCOGroups_en.csv".to_owned(),
        );
        return Ok(None);
    };
    let groups = parse_table(bytes, "ISCOGroups")?;
    let (uri, code, label, description) = (
        groups.column("conceptUri"),
        groups.column("code"),
        groups.column("preferredLabel"),
        groups.column("description"),
    );
    let root = CategoryId::parse(ISCO_ROOT).expect("a valid id");
    batch.categories.push(Category {
        kind: CategoryKind::Role,
        id: root.clone(),
        name: "ESCO occupations (ISCO-08)".into(),
        description: Some(
            "Occupation groups of ESCO: the International Standard Classification of \
             Occupations (ISCO-08), from major groups (one digit) to unit groups (four)"
                .into(),
        ),
        order: 100,
        parent: None,
        external_id: None,
    });
    let mut rows: Vec<(&str, String, &csv::StringRecord)> = Vec::new();
    for row in &groups.rows {
        let c = field(row, code);
        match id_of(field(row, uri)) {
            Some(id) if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) => {
                rows.push((c, id, row))
            }
            _ => report.skip("ISCO group: URI or code not understood", || {
                field(row, uri).to_owned()
            }),
        }
    }
    // By code, so that a group's children list in code order and parents come first.
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    rows.dedup_by(|a, b| a.0 == b.0);
    let ids: HashMap<String, CategoryId> = rows
        .iter()
        .map(|(c, id, _)| {
            let id = CategoryId::parse(id).expect("id_of validates");
            ((*c).to_owned(), id)
        })
        .collect();
    for (rank, (c, id, row)) in rows.iter().enumerate() {
        let parent = match &c[..c.len() - 1] {
            "" => root.clone(),
            up => match ids.get(up) {
                Some(parent) => parent.clone(),
                None => {
                    report.repair(
                        "ISCO group without its parent group: under the root",
                        || (*c).to_owned(),
                    );
                    root.clone()
                }
            },
        };
        batch.categories.push(Category {
            kind: CategoryKind::Role,
            id: CategoryId::parse(id).expect("id_of validates"),
            name: bounded(field(row, label), 200, "group label", id, report),
            description: description_of(field(row, description), id, report),
            order: 101 + rank as i32,
            parent: Some(parent),
            external_id: Some(field(row, uri).to_owned()),
        });
    }
    Ok(Some(ids))
}

/// Each occupation's role category: its `iscoGroup`, or that of its broader concept.
fn occupation_groups(
    files: &FileSet,
    occupations: &Table,
    groups: &HashMap<String, CategoryId>,
    report: &mut Report,
) -> Result<HashMap<String, CategoryId>, Error> {
    let (uri, isco) = (
        occupations.column("conceptUri"),
        occupations.column("iscoGroup"),
    );
    let mut found: HashMap<String, CategoryId> = HashMap::new();
    let mut open: Vec<String> = Vec::new();
    for row in &occupations.rows {
        let Some(id) = id_of(field(row, uri)) else {
            continue;
        };
        match groups.get(field(row, isco)) {
            Some(group) => {
                found.insert(id, group.clone());
            }
            None => open.push(id),
        }
    }
    if open.is_empty() {
        return Ok(found);
    }
    // The broader concept of each occupation still without a group: a group's id, or an
    // occupation's.
    let mut broader: HashMap<String, String> = HashMap::new();
    if let Some(bytes) = files.get("broaderrelationsoccpillar", "csv") {
        let table = parse_table(bytes, "broaderRelationsOccPillar")?;
        let (concept, up) = (table.column("conceptUri"), table.column("broaderUri"));
        for row in &table.rows {
            if let (Some(c), Some(u)) = (id_of(field(row, concept)), id_of(field(row, up))) {
                broader.entry(c).or_insert(u);
            }
        }
    }
    let by_id: HashMap<&str, &CategoryId> = groups.values().map(|g| (g.as_str(), g)).collect();
    for id in open {
        let mut cursor = broader.get(&id);
        let mut steps = 0;
        let group = loop {
            // The bound guards against a cycle of broader occupations in dirty data.
            let Some(up) = cursor.filter(|_| steps < 32) else {
                break None;
            };
            steps += 1;
            if let Some(group) = by_id.get(up.as_str()).or(found.get(up).as_ref()) {
                break Some((*group).clone());
            }
            cursor = broader.get(up);
        };
        match group {
            Some(group) => {
                found.insert(id, group);
            }
            None => report.repair(
                "occupation without a known ISCO group: left without a role category",
                || id.clone(),
            ),
        }
    }
    Ok(found)
}

fn table(files: &FileSet, stem: &str) -> Result<Table, Error> {
    let bytes = files.require(
        stem,
        "csv",
        "pass the ESCO zips or the folder they were extracted to",
    )?;
    parse_table(bytes, stem)
}

/// Reads the ESCO files into a batch.
pub fn read(files: &FileSet, source: &str) -> Result<(Batch, Report), Error> {
    let mut report = Report::new(source);
    report.attribution = Some(ATTRIBUTION.into());
    let mut batch = Batch::default();

    // Skill groups, as categories under one root.
    let groups = table(files, "skillgroups")?;
    let (uri, label, description, code) = (
        groups.column("conceptUri"),
        groups.column("preferredLabel"),
        groups.column("description"),
        groups.column("code"),
    );
    let mut group_rows: Vec<(String, String, String, &csv::StringRecord)> = Vec::new();
    for row in &groups.rows {
        match id_of(field(row, uri)) {
            Some(id) => group_rows.push((
                field(row, code).to_owned(),
                field(row, label).to_owned(),
                id,
                row,
            )),
            None => report.skip("skill group: URI not understood", || {
                field(row, uri).to_owned()
            }),
        }
    }
    group_rows.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    let group_ids: HashSet<String> = group_rows.iter().map(|(_, _, id, _)| id.clone()).collect();

    // The hierarchy: a group's parent group; a skill's broader groups and skills.
    let broader = table(files, "broaderrelationsskillpillar")?;
    let (concept, parent) = (broader.column("conceptUri"), broader.column("broaderUri"));
    let mut group_parent: HashMap<String, String> = HashMap::new();
    let mut skill_broader: HashMap<String, Vec<String>> = HashMap::new();
    let skills = table(files, "skills")?;
    let skill_uri = skills.column("conceptUri");
    let skill_ids: HashSet<String> = skills
        .rows
        .iter()
        .filter_map(|r| id_of(field(r, skill_uri)))
        .collect();
    for row in &broader.rows {
        let (Some(child), Some(up)) = (id_of(field(row, concept)), id_of(field(row, parent)))
        else {
            report.skip("broader relation: URI not understood", || {
                field(row, concept).to_owned()
            });
            continue;
        };
        let known = |id: &str| group_ids.contains(id) || skill_ids.contains(id);
        if !known(&child) || !known(&up) {
            report.skip("broader relation: names an unknown concept", || {
                format!("{child} → {up}")
            });
            continue;
        }
        if group_ids.contains(&child) {
            if group_ids.contains(&up) {
                group_parent.entry(child).or_insert(up);
            }
        } else {
            skill_broader.entry(child).or_default().push(up);
        }
    }

    batch.categories.push(Category {
        kind: CategoryKind::Skill,
        id: CategoryId::parse(ROOT).expect("a valid id"),
        name: "ESCO skills".into(),
        description: Some("Skill groups of the ESCO classification".into()),
        order: 100,
        parent: None,
        external_id: None,
    });
    batch.categories.push(Category {
        kind: CategoryKind::Skill,
        id: CategoryId::parse(UNGROUPED).expect("a valid id"),
        name: "ESCO skills outside any group".into(),
        description: None,
        order: 101,
        parent: Some(CategoryId::parse(ROOT).expect("a valid id")),
        external_id: None,
    });
    for (rank, (_, name, id, row)) in group_rows.iter().enumerate() {
        let parent = group_parent
            .get(id)
            .cloned()
            .unwrap_or_else(|| ROOT.to_owned());
        batch.categories.push(Category {
            kind: CategoryKind::Skill,
            id: CategoryId::parse(id).expect("id_of validates"),
            name: bounded(name, 200, "group label", id, &mut report),
            description: description_of(field(row, description), id, &mut report),
            order: 102 + rank as i32,
            parent: Some(CategoryId::parse(&parent).expect("id_of validates")),
            external_id: Some(field(row, uri).to_owned()),
        });
    }

    // Skills, each in the nearest group above it.
    let group_of = |id: &str| -> String {
        let mut seen = HashSet::new();
        let mut frontier = vec![id.to_owned()];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            let mut ups: Vec<&String> = frontier
                .iter()
                .filter_map(|c| skill_broader.get(c))
                .flatten()
                .collect();
            ups.sort();
            if let Some(group) = ups.iter().find(|u| group_ids.contains(u.as_str())) {
                return (*group).clone();
            }
            for up in ups {
                if seen.insert(up.clone()) {
                    next.push(up.clone());
                }
            }
            frontier = next;
        }
        UNGROUPED.to_owned()
    };
    let (label, alt, description, skill_type, reuse) = (
        skills.column("preferredLabel"),
        skills.column("altLabels"),
        skills.column("description"),
        skills.column("skillType"),
        skills.column("reuseLevel"),
    );
    for row in &skills.rows {
        let Some(id) = id_of(field(row, skill_uri)) else {
            report.skip("skill: URI not understood", || {
                field(row, skill_uri).to_owned()
            });
            continue;
        };
        let name = field(row, label);
        if name.is_empty() {
            report.skip("skill: no preferred label", || id.clone());
            continue;
        }
        let mut tags = Vec::new();
        match field(row, skill_type) {
            "" => report.repair("skill without a skill type: left untagged", || id.clone()),
            t => tags.push(t.to_owned()),
        }
        if !field(row, reuse).is_empty() {
            tags.push(field(row, reuse).to_owned());
        }
        let skill = Skill {
            id: SkillId::parse(&id).expect("id_of validates"),
            name: bounded(name, 200, "label", &id, &mut report),
            category: CategoryId::parse(&group_of(&id)).expect("id_of validates"),
            hours: DEFAULT_HOURS,
            description: description_of(field(row, description), &id, &mut report),
            aliases: labels(field(row, alt), name, &id, &mut report),
            tags,
            resources: vec![],
            external_id: Some(field(row, skill_uri).to_owned()),
        };
        batch.skills.push(skill);
    }

    // Skill–skill relations: every imported skill gets its complete list, so a newer version
    // that drops a relation drops the edge.
    let relations = table(files, "skillskillrelations")?;
    let (original, kind, related) = (
        relations.column("originalSkillUri"),
        relations.column("relationType"),
        relations.column("relatedSkillUri"),
    );
    let mut prerequisites: BTreeMap<SkillId, BTreeMap<SkillId, EdgeSpec>> = batch
        .skills
        .iter()
        .map(|s| (s.id.clone(), BTreeMap::new()))
        .collect();
    for row in &relations.rows {
        let (a, b) = (id_of(field(row, original)), id_of(field(row, related)));
        let (Some(a), Some(b)) = (a, b) else {
            report.skip("skill relation: URI not understood", || {
                field(row, original).to_owned()
            });
            continue;
        };
        let kind = match field(row, kind) {
            "essential" => PrerequisiteKind::Required,
            "optional" => PrerequisiteKind::Recommended,
            other => {
                report.skip("skill relation: unknown relation type", || other.to_owned());
                continue;
            }
        };
        if a == b {
            report.skip("skill relation: a skill related to itself", || a.clone());
            continue;
        }
        let (a, b) = (
            SkillId::parse(&a).expect("valid"),
            SkillId::parse(&b).expect("valid"),
        );
        let Some(list) = prerequisites.get_mut(&a) else {
            report.skip(
                "skill relation: names a skill missing from skills.csv",
                || a.to_string(),
            );
            continue;
        };
        if !skill_ids.contains(b.as_str()) {
            report.skip(
                "skill relation: names a skill missing from skills.csv",
                || b.to_string(),
            );
            continue;
        }
        let spec = list.entry(b).or_insert(EdgeSpec {
            kind,
            min_level: None,
            beyond: None,
        });
        spec.kind = spec.kind.min(kind); // required wins over recommended
    }
    batch.prerequisites = prerequisites
        .into_iter()
        .map(|(skill, list)| (skill, list.into_iter().collect()))
        .collect();

    // Occupations, in their ISCO groups, and what they require.
    let occupations = table(files, "occupations")?;
    let role_categories = match isco_groups(files, &mut batch, &mut report)? {
        Some(groups) => occupation_groups(files, &occupations, &groups, &mut report)?,
        None => HashMap::new(),
    };
    let (uri, label, alt, hidden, description) = (
        occupations.column("conceptUri"),
        occupations.column("preferredLabel"),
        occupations.column("altLabels"),
        occupations.column("hiddenLabels"),
        occupations.column("description"),
    );
    let mut roles: BTreeMap<String, (Role, BTreeMap<SkillId, Requirement>)> = BTreeMap::new();
    for row in &occupations.rows {
        let Some(id) = id_of(field(row, uri)) else {
            report.skip("occupation: URI not understood", || {
                field(row, uri).to_owned()
            });
            continue;
        };
        let role = Role {
            id: RoleId::parse(&id).expect("id_of validates"),
            name: bounded(field(row, label), 200, "label", &id, &mut report),
            description: description_of(field(row, description), &id, &mut report),
            requirements: vec![],
            // Hidden labels are the misspellings and outdated titles ESCO keeps for search
            // only ("plumbber"); as aliases they are matched, and shown like the others.
            aliases: labels(
                &format!("{}\n{}", field(row, alt), field(row, hidden)),
                field(row, label),
                &id,
                &mut report,
            ),
            external_id: Some(field(row, uri).to_owned()),
            category: role_categories.get(&id).cloned(),
        };
        roles.insert(id, (role, BTreeMap::new()));
    }
    let links = table(files, "occupationskillrelations")?;
    let (occupation, kind, skill) = (
        links.column("occupationUri"),
        links.column("relationType"),
        links.column("skillUri"),
    );
    let essential = Level::new(ESSENTIAL_LEVEL.into()).expect("a level");
    let optional = Level::new(OPTIONAL_LEVEL.into()).expect("a level");
    for row in &links.rows {
        let (o, s) = (id_of(field(row, occupation)), id_of(field(row, skill)));
        let Some(entry) = o.as_ref().and_then(|o| roles.get_mut(o)) else {
            report.skip(
                "requirement: names an occupation missing from occupations.csv",
                || field(row, occupation).to_owned(),
            );
            continue;
        };
        let Some(s) = s.filter(|s| skill_ids.contains(s)) else {
            report.skip("requirement: names a skill missing from skills.csv", || {
                field(row, skill).to_owned()
            });
            continue;
        };
        let (level, importance) = match field(row, kind) {
            "essential" => (essential, Importance::Essential),
            "optional" => (optional, Importance::Optional),
            other => {
                report.skip("requirement: unknown relation type", || other.to_owned());
                continue;
            }
        };
        let skill = SkillId::parse(&s).expect("valid");
        let requirement = entry.1.entry(skill.clone()).or_insert(Requirement {
            skill,
            level,
            importance,
            alternatives: Vec::new(),
        });
        if importance == Importance::Essential {
            requirement.level = level;
            requirement.importance = importance;
        }
    }
    batch.roles = super::assemble_roles(roles);
    Ok((batch, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_uri() {
        assert_eq!(
            id_of("http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
                .as_deref(),
            Some("esco:0005c151-5b5a-4a66-8aac-60e734beb1ab")
        );
        assert_eq!(
            id_of("http://data.europa.eu/esco/isced-f/0011").as_deref(),
            Some("esco:isced-f.0011")
        );
        assert_eq!(id_of("https://example.org/x"), None);
    }
}
