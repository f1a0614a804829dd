//! Synthetic skill graphs for sizes no real taxonomy has yet, to measure the service at scale.
//!
//! The shape imitates real taxonomies: skills form *fields* of about a thousand skills (as in
//! ESCO's skill groups or our seed's layers), each field a layered DAG in which a skill requires
//! a few skills of the layers below, mostly the one just below (long chains: one step per
//! layer), sometimes an earlier one, and sometimes a *hub*: a foundation skill of the first
//! field that many skills everywhere need (statistics, Python). Roles need 30–60 skills drawn
//! from one to three fields, mostly from their upper layers. So, as in real data, what a skill
//! or role transitively needs is a bounded part of the graph, not all of it.
//!
//! The same parameters and seed always give the same graph: ChaCha8 is a portable generator
//! whose stream does not change between versions.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::{
    Category, CategoryId, CategoryKind, EdgeSpec, Importance, Level, PrerequisiteKind, Requirement,
    Role, RoleId, Skill, SkillId,
};
use crate::import::Batch;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub skills: usize,
    pub edges_per_skill: usize,
    pub roles: usize,
    pub seed: u64,
}

/// Skills per field, and layers per field.
const FIELD: usize = 1_000;
const LAYERS: usize = 20;
/// Hubs: the first layer of the first field.
const HUBS: usize = FIELD / LAYERS;

fn skill_id(i: usize) -> SkillId {
    SkillId::parse(&format!("gen:s{i}")).expect("generated ids are slugs")
}

/// Where skill `i` sits: its field, its layer, and the index range of that layer.
fn place(i: usize, skills: usize) -> (usize, usize, std::ops::Range<usize>) {
    let field = i / FIELD;
    let field_start = field * FIELD;
    let field_size = (skills - field_start).min(FIELD);
    let per_layer = field_size.div_ceil(LAYERS).max(1);
    let layer = (i - field_start) / per_layer;
    let start = field_start + layer * per_layer;
    (
        field,
        layer,
        start..(start + per_layer).min(field_start + field_size),
    )
}

/// The id of a skill in layer `layer` of the first full field: its longest prerequisite chain
/// is `layer` steps, which makes it a target of known depth for benchmarks.
pub fn skill_in_layer(shape: Shape, layer: usize) -> SkillId {
    let field = if shape.skills >= 2 * FIELD { 1 } else { 0 };
    let field_size = (shape.skills - field * FIELD).min(FIELD);
    let per_layer = field_size.div_ceil(LAYERS).max(1);
    skill_id(
        (field * FIELD + layer.min(LAYERS - 1) * per_layer + per_layer / 2).min(shape.skills - 1),
    )
}

pub fn generate(shape: Shape) -> Batch {
    let mut rng = ChaCha8Rng::seed_from_u64(shape.seed);
    let mut batch = Batch::default();
    let n = shape.skills;
    let fields = n.div_ceil(FIELD).max(1);
    for f in 0..fields {
        batch.categories.push(Category {
            kind: CategoryKind::Skill,
            id: CategoryId::parse(&format!("gen:f{f}")).expect("a slug"),
            name: format!("Generated field {f}"),
            description: None,
            order: 500 + f as i32,
            parent: None,
            external_id: None,
        });
    }
    let hubs: Vec<usize> = (0..HUBS.min(n)).collect();
    // Foundations (layer 0 of each field) require nothing, so the others carry a little more
    // than `edges_per_skill` each for the total to come out at `skills × edges_per_skill`.
    let foundations = (0..n).filter(|&i| place(i, n).1 == 0).count();
    let per_skill = (shape.edges_per_skill * n) as f64 / (n - foundations).max(1) as f64;

    for i in 0..n {
        let (field, layer, this_layer) = place(i, n);
        batch.skills.push(Skill {
            id: skill_id(i),
            name: format!("Skill {i}"),
            category: CategoryId::parse(&format!("gen:f{field}")).expect("a slug"),
            hours: rng.random_range(5..=80),
            description: None,
            aliases: vec![],
            tags: vec![],
            resources: vec![],
            external_id: None,
        });
        if layer == 0 {
            continue;
        }
        let layer_start = this_layer.start;
        let below = place(layer_start - 1, n).2;
        let field_start = field * FIELD;
        let wanted = per_skill.floor() as usize + usize::from(rng.random_bool(per_skill.fract()));
        let mut requires: Vec<(SkillId, EdgeSpec)> = Vec::with_capacity(wanted);
        for _ in 0..wanted * 3 {
            if requires.len() == wanted {
                break;
            }
            let roll: f64 = rng.random();
            let target = if roll < 0.7 {
                rng.random_range(below.clone())
            } else if roll < 0.85 || field == 0 {
                rng.random_range(field_start..layer_start)
            } else {
                *hubs.choose(&mut rng).expect("there are hubs")
            };
            let id = skill_id(target);
            if target >= i || requires.iter().any(|(r, _)| *r == id) {
                continue;
            }
            let kind = if rng.random_bool(0.15) {
                PrerequisiteKind::Recommended
            } else {
                PrerequisiteKind::Required
            };
            let min_level = rng
                .random_bool(0.1)
                .then(|| Level::new(rng.random_range(1..=4)).expect("1..=4"));
            requires.push((
                id,
                EdgeSpec {
                    kind,
                    min_level,
                    beyond: None,
                },
            ));
        }
        batch.prerequisites.push((skill_id(i), requires));
    }

    for r in 0..shape.roles {
        let count = rng.random_range(30..=60).min(n);
        let role_fields: Vec<usize> = (0..rng.random_range(1..=3))
            .map(|_| rng.random_range(0..fields))
            .collect();
        let mut requirements: Vec<Requirement> = Vec::with_capacity(count);
        while requirements.len() < count {
            let field = *role_fields.choose(&mut rng).expect("at least one field");
            let start = field * FIELD;
            let size = (n - start).min(FIELD);
            // Mostly the upper half of the field: roles need advanced skills.
            let offset = if rng.random_bool(0.75) {
                rng.random_range(size / 2..size)
            } else {
                rng.random_range(0..size)
            };
            let skill = skill_id(start + offset);
            if requirements.iter().any(|q| q.skill == skill) {
                if requirements.len() + 1 >= size {
                    break;
                }
                continue;
            }
            requirements.push(Requirement {
                skill,
                level: Level::new(rng.random_range(1..=5)).expect("1..=5"),
                importance: if rng.random_bool(0.7) {
                    Importance::Essential
                } else {
                    Importance::Optional
                },
                alternatives: Vec::new(),
            });
        }
        batch.roles.push(Role {
            category: None,
            id: RoleId::parse(&format!("gen:r{r}")).expect("a slug"),
            name: format!("Generated role {r}"),
            description: None,
            requirements,
            aliases: Vec::new(),
            external_id: None,
        });
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SkillGraph;
    use crate::import::{Report, apply};

    fn small() -> Shape {
        Shape {
            skills: 2_000,
            edges_per_skill: 4,
            roles: 20,
            seed: 7,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_graph_and_another_seed_another() {
        let export = |shape| {
            let mut g = SkillGraph::new();
            apply(&generate(shape), &mut g, &mut Report::default());
            crate::import::seed::export(&g)
        };
        assert_eq!(export(small()), export(small()));
        assert_ne!(export(small()), export(Shape { seed: 8, ..small() }));
    }

    #[test]
    fn a_generated_graph_is_a_valid_dag_of_the_asked_size() {
        let mut g = SkillGraph::new();
        let mut report = Report::default();
        apply(&generate(small()), &mut g, &mut report);
        assert!(report.skipped.is_empty(), "{report}");
        let stats = g.stats();
        assert_eq!(stats.skills, 2_000);
        assert_eq!(stats.roles, 20);
        assert!(stats.prerequisites > 7_000, "{stats:?}");
        assert!(g.roles().all(|r| (30..=60).contains(&r.requirements.len())));
        // Long chains: the skill picked for layer 10 needs a chain of ten required steps
        // through the layers below, and its closure stays a part of the graph.
        let target = skill_in_layer(small(), 10);
        let closure = g
            .prerequisites_of(
                &target,
                crate::domain::Reach::Transitive,
                crate::domain::Follow::RequiredAndRecommended,
            )
            .unwrap();
        assert!(closure.len() < 1_000, "{}", closure.len());
        let plan = g
            .plan(
                &crate::domain::Profile::default(),
                &[crate::domain::Target::Skill {
                    skill: target,
                    level: Level::PRACTITIONER,
                }],
                crate::domain::PlanOptions {
                    include_recommended: true,
                    include_optional: true,
                },
            )
            .unwrap();
        assert!(plan.stages >= 8, "{}", plan.stages);
    }
}
