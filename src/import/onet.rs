//! O*NET, the U.S. Department of Labor's occupational database: `Occupation Data.txt`, the
//! Skills file (`Skills.xlsx`, or `Skills.txt` from the text edition) and
//! `Technology Skills.txt`, all tab-separated but the Excel one.
//!
//! Mapping:
//! * occupations → roles `onet:<O*NET-SOC code>`, each in the role category of its SOC 2018
//!   major group (the code's first two digits: `15-1252.00` → `onet:soc.15`, "Computer and
//!   Mathematical Occupations"), under one `onet:soc` root; only the major groups with an
//!   occupation are created. Minor and broad groups are not: their titles are not in the
//!   O*NET files, and inventing them from codes alone would give nameless categories;
//! * the 35 O*NET skills → skills `onet:<element id>`, in categories after the O*NET content
//!   model (basic skills, social skills, complex problem solving, technical, systems, resource
//!   management), at [`SKILL_HOURS`] hours;
//! * each occupation's skill ratings → requirements. Importance (IM, 1–5) decides whether a
//!   skill counts: at least [`ESSENTIAL_IMPORTANCE`] is essential, at least
//!   [`MIN_IMPORTANCE`] optional, below that (or flagged "not relevant") it is left out. The
//!   level (LV, 0–7) maps to our 1–5 as `ceil(LV / 1.4)`, clamped: LV 0–1.4 → 1, –2.8 → 2,
//!   –4.2 → 3, –5.6 → 4, above → 5;
//! * technology skills → skills `onet:tech:<slug>` in one category per commodity, tagged
//!   `hot-technology` / `in-demand`, at [`TECH_HOURS`] hours; each occupation's technologies
//!   → requirements at level 2, essential where O*NET marks them in demand for it.

use std::collections::{BTreeMap, HashMap};

use super::files::{Table, field};
use super::{Batch, Error, FileSet, Report, bounded, description_of, slug};
use crate::domain::{
    Category, CategoryId, CategoryKind, Importance, Level, Requirement, Role, RoleId, Skill,
    SkillId,
};

pub const ATTRIBUTION: &str = "This service includes information from the O*NET Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. The data was modified: mapped to skillgraph's levels and requirements.";
pub const SKILL_HOURS: u32 = 40;
pub const TECH_HOURS: u32 = 20;
pub const ESSENTIAL_IMPORTANCE: f64 = 3.5;
pub const MIN_IMPORTANCE: f64 = 2.5;
const TECH_LEVEL: u8 = 2;

/// O*NET's skill families by element-id prefix, longest prefix first.
const FAMILIES: [(&str, &str, &str); 6] = [
    ("2.a", "onet:basic-skills", "Basic skills"),
    ("2.b.1", "onet:social-skills", "Social skills"),
    (
        "2.b.2",
        "onet:complex-problem-solving",
        "Complex problem solving skills",
    ),
    ("2.b.3", "onet:technical-skills", "Technical skills"),
    ("2.b.4", "onet:systems-skills", "Systems skills"),
    (
        "2.b.5",
        "onet:resource-management",
        "Resource management skills",
    ),
];

fn category(id: &str, name: &str, order: i32, parent: Option<&str>) -> Category {
    Category {
        kind: CategoryKind::Skill,
        id: CategoryId::parse(id).expect("a valid id"),
        name: name.to_owned(),
        description: None,
        order,
        parent: parent.map(|p| CategoryId::parse(p).expect("a valid id")),
        external_id: None,
    }
}

/// One occupation's rating of one skill: importance, level, and whether it is "not relevant".
type Rating = (Option<f64>, Option<f64>, bool);

/// Maps an O*NET level (LV, 0–7) to ours (1–5).
pub fn level_of(lv: f64) -> Level {
    let value = (lv / 1.4).ceil().clamp(1.0, 5.0) as i64;
    Level::new(value).expect("clamped to 1..=5")
}

/// The 23 major groups of the 2018 Standard Occupational Classification, by code: public data
/// of the U.S. Bureau of Labor Statistics (<https://www.bls.gov/soc/2018/major_groups.htm>).
/// Hard-coded because no O*NET file names them, and they change only with a new SOC.
pub const SOC_MAJOR_GROUPS: [(&str, &str); 23] = [
    ("11", "Management Occupations"),
    ("13", "Business and Financial Operations Occupations"),
    ("15", "Computer and Mathematical Occupations"),
    ("17", "Architecture and Engineering Occupations"),
    ("19", "Life, Physical, and Social Science Occupations"),
    ("21", "Community and Social Service Occupations"),
    ("23", "Legal Occupations"),
    ("25", "Educational Instruction and Library Occupations"),
    (
        "27",
        "Arts, Design, Entertainment, Sports, and Media Occupations",
    ),
    ("29", "Healthcare Practitioners and Technical Occupations"),
    ("31", "Healthcare Support Occupations"),
    ("33", "Protective Service Occupations"),
    ("35", "Food Preparation and Serving Related Occupations"),
    (
        "37",
        "Building and Grounds Cleaning and Maintenance Occupations",
    ),
    ("39", "Personal Care and Service Occupations"),
    ("41", "Sales and Related Occupations"),
    ("43", "Office and Administrative Support Occupations"),
    ("45", "Farming, Fishing, and Forestry Occupations"),
    ("47", "Construction and Extraction Occupations"),
    ("49", "Installation, Maintenance, and Repair Occupations"),
    ("51", "Production Occupations"),
    ("53", "Transportation and Material Moving Occupations"),
    ("55", "Military Specific Occupations"),
];

/// The root of the SOC major groups: a role category, apart from the skills' `onet`.
const SOC_ROOT: &str = "onet:soc";

/// The SOC major group of an O*NET-SOC code (`15-1252.00` → `15`), with its rank and title.
fn major_group(code: &str) -> Option<(usize, &'static str, &'static str)> {
    let major = code.trim().get(..2)?;
    SOC_MAJOR_GROUPS
        .iter()
        .enumerate()
        .find(|(_, (c, _))| *c == major)
        .map(|(rank, (c, title))| (rank, *c, *title))
}

/// Puts each role in its SOC major group's category, creating the groups that have a role.
fn categorise(
    roles: &mut BTreeMap<RoleId, (Role, BTreeMap<SkillId, Requirement>)>,
    batch: &mut Batch,
    report: &mut Report,
) {
    let mut used = std::collections::BTreeSet::new();
    for (role, _) in roles.values_mut() {
        let code = role.external_id.as_deref().unwrap_or("");
        match major_group(code) {
            Some((rank, major, title)) => {
                role.category =
                    Some(CategoryId::parse(&format!("{SOC_ROOT}.{major}")).expect("a valid id"));
                used.insert((rank, major, title));
            }
            None => report.repair(
                "occupation outside the SOC 2018 major groups: left without a role category",
                || role.id.to_string(),
            ),
        }
    }
    if used.is_empty() {
        return;
    }
    let mut root = category(SOC_ROOT, "O*NET occupations (SOC 2018)", 200, None);
    root.kind = CategoryKind::Role;
    root.description =
        Some("Major groups of the U.S. Standard Occupational Classification (SOC 2018)".into());
    batch.categories.push(root);
    for (rank, major, title) in used {
        let id = format!("{SOC_ROOT}.{major}");
        let mut group = category(&id, title, 201 + rank as i32, Some(SOC_ROOT));
        group.kind = CategoryKind::Role;
        group.external_id = Some(format!("{major}-0000"));
        batch.categories.push(group);
    }
}

fn role_id(code: &str) -> Option<RoleId> {
    RoleId::parse(&format!("onet:{}", code.trim().to_lowercase())).ok()
}

/// The Skills file as rows of named columns, from the Excel or the text edition.
fn skills_rows(files: &FileSet) -> Result<Option<Vec<HashMap<String, String>>>, Error> {
    if let Some(bytes) = files.get("skills", "xlsx") {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
                .map_err(|e| Error::Format(format!("Skills.xlsx: {e}")))?;
        let sheet = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| Error::Format("Skills.xlsx has no sheet".into()))?;
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| Error::Format(format!("Skills.xlsx: {e}")))?;
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .map(|r| {
                r.iter()
                    .map(|c| c.to_string().trim().to_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        let rows = rows
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(|c| c.to_string().trim().to_owned()))
                    .collect()
            })
            .collect();
        return Ok(Some(rows));
    }
    if let Some(bytes) = files.get("skills", "txt") {
        let table = Table::read(bytes, b'\t').map_err(|source| Error::Csv {
            file: "Skills.txt".into(),
            source,
        })?;
        let names: Vec<(String, usize)> = [
            "o*net-soc code",
            "title",
            "element id",
            "element name",
            "scale id",
            "data value",
            "recommend suppress",
            "not relevant",
        ]
        .iter()
        .filter_map(|n| Some((n.to_string(), table.column(n)?)))
        .collect();
        let rows = table
            .rows
            .iter()
            .map(|r| {
                names
                    .iter()
                    .map(|(n, i)| (n.clone(), r.get(*i).unwrap_or("").trim().to_owned()))
                    .collect()
            })
            .collect();
        return Ok(Some(rows));
    }
    Ok(None)
}

/// Reads the O*NET files into a batch.
pub fn read(files: &FileSet, source: &str) -> Result<(Batch, Report), Error> {
    let mut report = Report::new(source);
    report.attribution = Some(ATTRIBUTION.into());
    let mut batch = Batch::default();
    batch.categories.push(category("onet", "O*NET", 200, None));

    let occupations = files.require("occupation data", "txt", "pass the folder of O*NET files")?;
    let occupations = Table::read(occupations, b'\t').map_err(|source| Error::Csv {
        file: "Occupation Data.txt".into(),
        source,
    })?;
    let (code, title, description) = (
        occupations.column("O*NET-SOC Code"),
        occupations.column("Title"),
        occupations.column("Description"),
    );
    let mut roles: BTreeMap<RoleId, (Role, BTreeMap<SkillId, Requirement>)> = BTreeMap::new();
    for row in &occupations.rows {
        let Some(id) = role_id(field(row, code)) else {
            report.skip("occupation: code not understood", || {
                field(row, code).to_owned()
            });
            continue;
        };
        let role = Role {
            category: None,
            id: id.clone(),
            name: bounded(field(row, title), 200, "title", id.as_str(), &mut report),
            description: description_of(field(row, description), id.as_str(), &mut report),
            requirements: vec![],
            aliases: Vec::new(),
            external_id: Some(field(row, code).to_owned()),
        };
        roles.insert(id, (role, BTreeMap::new()));
    }

    // The 35 skills and each occupation's ratings of them.
    if let Some(rows) = skills_rows(files)? {
        for (i, (_, id, name)) in FAMILIES.iter().enumerate() {
            batch
                .categories
                .push(category(id, name, 201 + i as i32, Some("onet")));
        }
        let get = |row: &HashMap<String, String>, k: &str| row.get(k).cloned().unwrap_or_default();
        // (occupation, element) → (importance, level, not relevant)
        let mut ratings: BTreeMap<(String, String), Rating> = BTreeMap::new();
        let mut skill_names: BTreeMap<String, String> = BTreeMap::new();
        let mut titles: HashMap<String, String> = HashMap::new();
        for row in &rows {
            let (occupation, element) = (
                get(row, "o*net-soc code"),
                get(row, "element id").to_lowercase(),
            );
            if occupation.is_empty() || element.is_empty() {
                report.skip("skill rating: no occupation or element", String::new);
                continue;
            }
            skill_names.insert(element.clone(), get(row, "element name"));
            titles.insert(occupation.clone(), get(row, "title"));
            let value: Option<f64> = get(row, "data value").parse().ok();
            let entry = ratings
                .entry((occupation, element))
                .or_insert((None, None, false));
            match get(row, "scale id").as_str() {
                "IM" => entry.0 = value,
                "LV" => {
                    entry.1 = value;
                    entry.2 = get(row, "not relevant") == "Y";
                }
                _ => {}
            }
        }
        for (element, name) in &skill_names {
            let Some((_, family, _)) = FAMILIES
                .iter()
                .rev()
                .find(|(p, _, _)| element.starts_with(p))
            else {
                report.skip("skill: element outside the skill families", || {
                    element.clone()
                });
                continue;
            };
            batch.skills.push(Skill {
                id: SkillId::parse(&format!("onet:{element}")).expect("element ids are slugs"),
                name: name.clone(),
                category: CategoryId::parse(family).expect("a valid id"),
                hours: SKILL_HOURS,
                description: None,
                aliases: vec![],
                tags: vec!["onet-skill".into()],
                resources: vec![],
                external_id: Some(element.to_uppercase()),
            });
        }
        for ((occupation, element), (importance, lv, not_relevant)) in ratings {
            let Some(id) = role_id(&occupation) else {
                continue;
            };
            if !roles.contains_key(&id) {
                report.repair(
                    "occupation only in the Skills file: role created from its title",
                    || occupation.clone(),
                );
                let role = Role {
                    category: None,
                    id: id.clone(),
                    name: titles
                        .get(&occupation)
                        .cloned()
                        .unwrap_or_else(|| occupation.clone()),
                    description: None,
                    requirements: vec![],
                    aliases: Vec::new(),
                    external_id: Some(occupation.clone()),
                };
                roles.insert(id.clone(), (role, BTreeMap::new()));
            }
            let importance = importance.unwrap_or(0.0);
            if not_relevant {
                report.filter("requirement: rated not relevant", || {
                    format!("{occupation} {element}")
                });
                continue;
            }
            if importance < MIN_IMPORTANCE {
                report.filter("requirement: importance below 2.5", || {
                    format!("{occupation} {element} IM {importance}")
                });
                continue;
            }
            let skill = SkillId::parse(&format!("onet:{element}")).expect("element ids are slugs");
            let requirement = Requirement {
                skill: skill.clone(),
                level: lv.map_or(Level::PRACTITIONER, level_of),
                importance: if importance >= ESSENTIAL_IMPORTANCE {
                    Importance::Essential
                } else {
                    Importance::Optional
                },
                alternatives: Vec::new(),
            };
            roles
                .get_mut(&id)
                .expect("inserted above")
                .1
                .insert(skill, requirement);
        }
    } else {
        report.repair(
            "no Skills file (Skills.xlsx or Skills.txt): O*NET skills not imported",
            String::new,
        );
    }

    // Technology skills.
    if let Some(bytes) = files.get("technology skills", "txt") {
        batch.categories.push(category(
            "onet:technology",
            "Technology skills",
            210,
            Some("onet"),
        ));
        let table = Table::read(bytes, b'\t').map_err(|source| Error::Csv {
            file: "Technology Skills.txt".into(),
            source,
        })?;
        let (code, example, commodity, commodity_title, hot, demand) = (
            table.column("O*NET-SOC Code"),
            table.column("Example"),
            table.column("Commodity Code"),
            table.column("Commodity Title"),
            table.column("Hot Technology"),
            table.column("In Demand"),
        );
        // Distinct technologies in name order, so ids are stable across imports.
        let mut technologies: BTreeMap<String, (String, bool)> = BTreeMap::new();
        let mut commodities: BTreeMap<String, String> = BTreeMap::new();
        for row in &table.rows {
            let name = field(row, example);
            if name.is_empty() {
                report.skip("technology: no name", String::new);
                continue;
            }
            let entry = technologies
                .entry(name.to_owned())
                .or_insert((field(row, commodity).to_owned(), false));
            entry.1 |= field(row, hot) == "Y";
            commodities.insert(
                field(row, commodity).to_owned(),
                field(row, commodity_title).to_owned(),
            );
        }
        for (i, (code, title)) in commodities.iter().enumerate() {
            let id = format!("onet:commodity:{}", slug(code));
            batch.categories.push(category(
                &id,
                title,
                211 + i as i32,
                Some("onet:technology"),
            ));
        }
        let mut ids: HashMap<String, SkillId> = HashMap::new();
        let mut taken: HashMap<String, usize> = HashMap::new();
        for (name, (commodity, is_hot)) in &technologies {
            let base = format!("onet:tech:{}", slug(name));
            let n = taken.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}-{n}") };
            let Ok(id) = SkillId::parse(&id) else {
                report.skip("technology: name gives no usable id", || name.clone());
                continue;
            };
            ids.insert(name.clone(), id.clone());
            let mut tags = vec!["technology".to_owned()];
            if *is_hot {
                tags.push("hot-technology".into());
            }
            batch.skills.push(Skill {
                id,
                name: bounded(name, 200, "technology name", name, &mut report),
                category: CategoryId::parse(&format!("onet:commodity:{}", slug(commodity)))
                    .unwrap_or_else(|_| CategoryId::parse("onet:technology").expect("valid")),
                hours: TECH_HOURS,
                description: None,
                aliases: vec![],
                tags,
                resources: vec![],
                external_id: None,
            });
        }
        let level = Level::new(TECH_LEVEL.into()).expect("a level");
        for row in &table.rows {
            let Some(skill) = ids.get(field(row, example)) else {
                continue;
            };
            let Some(entry) = role_id(field(row, code)).and_then(|id| roles.get_mut(&id)) else {
                report.skip(
                    "technology requirement: names an unknown occupation",
                    || field(row, code).to_owned(),
                );
                continue;
            };
            let importance = if field(row, demand) == "Y" {
                Importance::Essential
            } else {
                Importance::Optional
            };
            let requirement = entry.1.entry(skill.clone()).or_insert(Requirement {
                skill: skill.clone(),
                level,
                importance,
                alternatives: Vec::new(),
            });
            requirement.importance = requirement.importance.min(importance);
        }
    }

    categorise(&mut roles, &mut batch, &mut report);
    batch.roles = super::assemble_roles(roles);
    Ok((batch, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onet_levels_map_onto_one_to_five() {
        let got: Vec<u8> = [0.0, 1.0, 1.4, 2.0, 3.5, 4.62, 5.9, 7.0]
            .iter()
            .map(|&lv| level_of(lv).get())
            .collect();
        assert_eq!(got, [1, 1, 1, 2, 3, 4, 5, 5]);
    }
}
