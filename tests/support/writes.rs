//! Random graphs and random writes, shared by the property tests (`properties.rs`) and the
//! replication tests (`replication.rs`): each binary uses a part of it.
#![allow(dead_code)]

use proptest::prelude::*;
use skillgraph::domain::{
    Category, CategoryId, ChangeKind, EdgeSpec, Error, Level, PrerequisiteGroup, PrerequisiteKind,
    Skill, SkillGraph, SkillId,
};

pub fn sid(i: usize) -> SkillId {
    SkillId::parse(&format!("s{i}")).unwrap()
}

/// Edge attempts as `(skill, requires, recommended?, min_level)`; some close cycles on purpose.
pub type Attempt = (usize, usize, bool, Option<i64>);

pub fn attempts(n: usize) -> impl Strategy<Value = Vec<Attempt>> {
    prop::collection::vec(
        (
            0..n,
            0..n,
            prop::bool::weighted(0.25),
            prop::option::weighted(0.3, 1i64..=5),
        ),
        0..n * 3,
    )
}

/// The graph, and each attempt with its outcome.
pub type Built = (SkillGraph, Vec<(Attempt, Result<(), Error>)>);

pub fn build(n: usize, attempts: &[Attempt]) -> Built {
    let mut g = SkillGraph::new();
    for (i, order) in [(0, 2), (1, 1)] {
        g.upsert_category(Category {
            kind: skillgraph::domain::CategoryKind::Skill,
            id: CategoryId::parse(&format!("c{i}")).unwrap(),
            name: format!("C{i}"),
            description: None,
            order,
            parent: None,
            external_id: None,
        })
        .unwrap();
    }
    for i in 0..n {
        g.upsert_skill(Skill {
            id: sid(i),
            name: format!("Skill {i}"),
            category: CategoryId::parse(&format!("c{}", i % 2)).unwrap(),
            hours: (i as u32 * 7) % 40 + 1,
            description: None,
            aliases: vec![],
            tags: vec![],
            resources: vec![],
            external_id: None,
        })
        .unwrap();
    }
    let mut results = Vec::new();
    for (i, &(a, b, recommended, min_level)) in attempts.iter().enumerate() {
        let spec = EdgeSpec {
            kind: if recommended {
                PrerequisiteKind::Recommended
            } else {
                PrerequisiteKind::Required
            },
            min_level: min_level.map(|l| Level::new(l).unwrap()),
            beyond: None,
        };
        if i % 4 == 3 {
            // Every fourth attempt is a "one of" group of two or three options from `b` on,
            // interleaved with the edges so that either can close a cycle through the other.
            let mut options: Vec<SkillId> = (0..2 + i % 2)
                .map(|k| sid((b + k) % n))
                .filter(|o| *o != sid(a))
                .collect();
            options.dedup();
            if options.len() >= 2 {
                let group = PrerequisiteGroup {
                    kind: spec.kind,
                    min_level: spec.min_level,
                    options,
                };
                if let Err(e) = g.add_prerequisite_group(&sid(a), group) {
                    assert!(matches!(e, Error::Cycle(_)), "{e}");
                }
            }
            continue;
        }
        results.push((
            (a, b, recommended, min_level),
            g.add_prerequisite(&sid(a), &sid(b), spec),
        ));
    }
    (g, results)
}

/// One random write, as numbers: which kind, and picks among the graph's skills, roles and
/// categories (taken modulo how many there are when the write runs).
pub type Write = (u8, usize, usize, usize, bool);

/// Where replaying starts, and the writes, each with whether a read of the graph comes
/// before it (building the snapshot's lazy tables, which the write must then keep true or
/// leave unbuilt for the new snapshot alone).
pub fn writes() -> impl Strategy<Value = (usize, Vec<(Write, bool)>)> {
    (
        0usize..10,
        prop::collection::vec(
            (
                (0u8..15, 0usize..64, 0usize..64, 0usize..64, any::<bool>()),
                any::<bool>(),
            ),
            1..40,
        ),
    )
}

pub fn pick<T: Clone>(list: &[T], i: usize) -> Option<T> {
    (!list.is_empty()).then(|| list[i % list.len()].clone())
}

pub fn log_skill(id: &str, category: &CategoryId, hours: u32) -> Skill {
    Skill {
        id: SkillId::parse(id).unwrap(),
        name: format!("Skill {id}"),
        category: category.clone(),
        hours,
        description: None,
        aliases: vec![],
        tags: vec![],
        resources: vec![],
        external_id: None,
    }
}

/// Runs write `w` (number `n` of the sequence) on `g` as a mutation or an import would; the
/// error of a refused write is dropped, as the catalog drops its draft.
pub fn run_write(g: &mut SkillGraph, n: usize, w: Write) -> ChangeKind {
    use skillgraph::domain::{Importance, OnDelete, Requirement, Role, RoleId, SkillPatch};
    let (kind, a, b, c, flag) = w;
    let skills: Vec<SkillId> = g.skills().map(|s| s.id.clone()).collect();
    let roles: Vec<RoleId> = g.roles().map(|r| r.id.clone()).collect();
    let categories: Vec<CategoryId> = g.categories().iter().map(|c| c.id.clone()).collect();
    let level = |i: usize| Level::new((i % 5) as i64 + 1).unwrap();
    let spec = |i: usize, recommended: bool| EdgeSpec {
        kind: if recommended {
            PrerequisiteKind::Recommended
        } else {
            PrerequisiteKind::Required
        },
        min_level: i.is_multiple_of(3).then(|| level(i)),
        beyond: None,
    };
    let (sa, sb, sc) = (pick(&skills, a), pick(&skills, b), pick(&skills, c));
    let category = pick(&categories, c).unwrap();
    let _ = match kind {
        0 => {
            let _ = g.create_skill(log_skill(&format!("w{n}"), &category, (a % 50) as u32));
            return ChangeKind::SkillCreated;
        }
        1 => {
            let Some(s) = sa else {
                return ChangeKind::SkillUpdated;
            };
            let patch = SkillPatch {
                hours: flag.then_some((b % 80) as u32),
                name: c.is_multiple_of(2).then(|| format!("Renamed {n}")),
                category: c.is_multiple_of(3).then_some(category),
                aliases: b.is_multiple_of(2).then(|| vec![format!("alias {n}")]),
                ..SkillPatch::default()
            };
            let _ = g.update_skill(&s, patch);
            return ChangeKind::SkillUpdated;
        }
        2 | 3 => sa.map(|s| {
            let on_delete = if kind == 2 {
                OnDelete::Cascade
            } else {
                OnDelete::Refuse
            };
            g.delete_skill(&s, on_delete)
        }),
        4 => sa
            .zip(sb)
            .map(|(x, y)| g.add_prerequisite(&x, &y, spec(c, flag))),
        5 => sa.and_then(|s| {
            let list = g.direct_prerequisites(&s).ok()?;
            let (requires, _) = pick(&list, b)?;
            Some(g.remove_prerequisite(&s, &requires))
        }),
        6 => sa.map(|s| {
            let list: Vec<(SkillId, EdgeSpec)> = [sb, sc]
                .into_iter()
                .flatten()
                .filter(|x| *x != s)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|x| (x, spec(a, flag)))
                .collect();
            g.set_prerequisites(&s, &list)
        }),
        7 => sa.zip(sb).zip(sc).map(|((x, y), z)| {
            let group = PrerequisiteGroup {
                kind: spec(a, flag).kind,
                min_level: spec(a, flag).min_level,
                options: vec![y, z],
            };
            g.add_prerequisite_group(&x, group)
        }),
        8 => sa.and_then(|s| {
            let groups = g.prerequisite_groups(&s).ok()?.to_vec();
            let group = pick(&groups, b)?;
            Some(g.remove_prerequisite_group(&s, &group.options))
        }),
        9 => {
            let requirements: Vec<Requirement> = [sa, sb]
                .into_iter()
                .flatten()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|skill| Requirement {
                    skill,
                    level: level(c),
                    importance: if flag {
                        Importance::Optional
                    } else {
                        Importance::Essential
                    },
                    alternatives: Vec::new(),
                })
                .collect();
            let id = RoleId::parse(&format!("r{}", c % 4)).unwrap();
            Some(g.upsert_role(Role {
                category: None,
                id,
                name: format!("Role {n}"),
                description: flag.then(|| "a role".to_owned()),
                requirements,
                aliases: Vec::new(),
                external_id: None,
            }))
        }
        10 => pick(&roles, a).map(|r| g.delete_role(&r)),
        11 => pick(&roles, a).zip(sb).map(|(r, skill)| {
            let requirement = Requirement {
                skill,
                level: level(c),
                importance: Importance::Essential,
                alternatives: Vec::new(),
            };
            g.set_requirement(&r, requirement)
        }),
        12 => pick(&roles, a).and_then(|r| {
            let role = g.role(r.as_str())?.clone();
            let requirement = pick(&role.requirements, b)?;
            Some(g.remove_requirement(&r, &requirement.skill))
        }),
        13 => Some(
            g.upsert_category(Category {
                kind: skillgraph::domain::CategoryKind::Skill,
                id: CategoryId::parse(&format!("k{}", a % 4)).unwrap(),
                name: format!("Category {n}"),
                description: None,
                order: (b % 7) as i32,
                parent: flag
                    .then_some(category)
                    .filter(|p| p.as_str() != format!("k{}", a % 4)),
                external_id: None,
            }),
        ),
        _ => {
            // An import: new and existing skills, prerequisite lists, a group and a role.
            let mut batch = skillgraph::import::Batch::default();
            let fresh = [format!("i{n}a"), format!("i{n}b")];
            for (i, id) in fresh.iter().enumerate() {
                batch
                    .skills
                    .push(log_skill(id, &category, (a + i) as u32 % 60));
            }
            if let Some(s) = &sa {
                let mut updated = log_skill(s.as_str(), &category, (b % 60) as u32);
                updated.tags = vec![format!("imported {n}")];
                batch.skills.push(updated);
            }
            let (x, y) = (
                SkillId::parse(&fresh[0]).unwrap(),
                SkillId::parse(&fresh[1]).unwrap(),
            );
            let mut list = vec![(y.clone(), spec(c, flag))];
            list.extend(
                sb.clone()
                    .filter(|s| *s != x)
                    .map(|s| (s, EdgeSpec::default())),
            );
            batch.prerequisites.push((x.clone(), list));
            if let Some(z) = sc.filter(|z| *z != y) {
                batch.groups.push((
                    y.clone(),
                    vec![PrerequisiteGroup {
                        kind: PrerequisiteKind::Required,
                        min_level: None,
                        options: vec![x.clone(), z],
                    }],
                ));
            }
            batch.roles.push(Role {
                category: None,
                id: RoleId::parse(&format!("r{}", b % 4)).unwrap(),
                name: format!("Imported role {n}"),
                description: None,
                requirements: vec![Requirement {
                    skill: x,
                    level: level(a),
                    importance: Importance::Essential,
                    alternatives: Vec::new(),
                }],
                aliases: Vec::new(),
                external_id: None,
            });
            let mut report = skillgraph::import::Report::new("proptest");
            skillgraph::import::apply(&batch, g, &mut report);
            return ChangeKind::Imported;
        }
    };
    match kind {
        2 | 3 => ChangeKind::SkillDeleted,
        4 | 6 => ChangeKind::PrerequisiteAdded,
        5 => ChangeKind::PrerequisiteRemoved,
        7 => ChangeKind::PrerequisiteGroupAdded,
        8 => ChangeKind::PrerequisiteGroupRemoved,
        9 => ChangeKind::RoleUpserted,
        10 => ChangeKind::RoleDeleted,
        11 => ChangeKind::RequirementSet,
        12 => ChangeKind::RequirementRemoved,
        _ => ChangeKind::CategoryUpserted,
    }
}
