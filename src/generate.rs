//! Synthetic skill graphs for sizes no real taxonomy has yet, to measure the service at scale.
//!
//! The shape imitates real stacks: skills in layers (foundations first), each skill requiring a
//! few skills of the layers below, mostly the one just below (long chains, up to one per
//! layer), sometimes a *hub* (a foundation many skills need, like statistics or Python).
//! Roles need 30–60 skills drawn mostly from the upper layers. The same parameters and seed
//! always give the same graph: ChaCha8 is a portable, versioned generator.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::{
    Category, CategoryId, EdgeSpec, Importance, Level, PrerequisiteKind, Requirement, Role, RoleId,
    Skill, SkillId,
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

const CATEGORIES: usize = 20;

fn skill_id(i: usize) -> SkillId {
    SkillId::parse(&format!("gen:s{i}")).expect("generated ids are slugs")
}

/// The number of layers: deep enough for long chains, wide enough to stay realistic.
fn layers(skills: usize) -> usize {
    ((skills as f64).sqrt() / 6.0).clamp(2.0, 60.0) as usize
}

pub fn generate(shape: Shape) -> Batch {
    let mut rng = ChaCha8Rng::seed_from_u64(shape.seed);
    let mut batch = Batch::default();
    for c in 0..CATEGORIES {
        batch.categories.push(Category {
            id: CategoryId::parse(&format!("gen:c{c}")).expect("a slug"),
            name: format!("Generated area {c}"),
            description: None,
            order: 500 + c as i32,
            parent: None,
            external_id: None,
        });
    }
    let n = shape.skills;
    let depth = layers(n);
    // Layer boundaries: the first layer (foundations) is small, the rest equal.
    let first = (n / (depth * 4)).max(1).min(n);
    let per_layer = (n - first).div_ceil(depth.saturating_sub(1).max(1)).max(1);
    let layer_of = |i: usize| {
        if i < first {
            0
        } else {
            1 + (i - first) / per_layer
        }
    };
    let layer_start = |l: usize| {
        if l == 0 {
            0
        } else {
            (first + (l - 1) * per_layer).min(n)
        }
    };
    let layer_end = |l: usize| {
        if l == 0 {
            first
        } else {
            (first + l * per_layer).min(n)
        }
    };
    // Hubs: the first 2% of every layer.
    let hubs: Vec<usize> = (0..n)
        .filter(|&i| {
            let l = layer_of(i);
            i - layer_start(l) < ((layer_end(l) - layer_start(l)) / 50).max(1)
        })
        .collect();

    for i in 0..n {
        let category = CategoryId::parse(&format!("gen:c{}", rng.random_range(0..CATEGORIES)))
            .expect("a slug");
        batch.skills.push(Skill {
            id: skill_id(i),
            name: format!("Skill {i}"),
            category,
            hours: rng.random_range(5..=80),
            description: None,
            aliases: vec![],
            tags: vec![],
            resources: vec![],
            external_id: None,
        });
        let layer = layer_of(i);
        if layer == 0 {
            continue;
        }
        let mut requires: Vec<(SkillId, EdgeSpec)> = Vec::with_capacity(shape.edges_per_skill);
        for _ in 0..shape.edges_per_skill * 2 {
            if requires.len() == shape.edges_per_skill {
                break;
            }
            let roll: f64 = rng.random();
            let target = if roll < 0.6 {
                rng.random_range(layer_start(layer - 1)..layer_end(layer - 1))
            } else if roll < 0.8 {
                let below: Vec<usize> = hubs
                    .iter()
                    .copied()
                    .filter(|&h| h < layer_start(layer))
                    .collect();
                *below.choose(&mut rng).expect("layer 0 has hubs")
            } else {
                rng.random_range(0..layer_start(layer))
            };
            let id = skill_id(target);
            if requires.iter().any(|(r, _)| *r == id) {
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
            requires.push((id, EdgeSpec { kind, min_level }));
        }
        batch.prerequisites.push((skill_id(i), requires));
    }

    for r in 0..shape.roles {
        let count = rng.random_range(30..=60).min(n);
        let mut requirements: Vec<Requirement> = Vec::with_capacity(count);
        while requirements.len() < count {
            // Mostly the upper half of the stack: roles need advanced skills.
            let i = if rng.random_bool(0.75) {
                rng.random_range(n / 2..n)
            } else {
                rng.random_range(0..n)
            };
            let skill = skill_id(i);
            if requirements.iter().any(|q| q.skill == skill) {
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
            });
        }
        batch.roles.push(Role {
            id: RoleId::parse(&format!("gen:r{r}")).expect("a slug"),
            name: format!("Generated role {r}"),
            description: None,
            requirements,
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
        assert!(stats.prerequisites > 7_500, "{stats:?}");
        assert!(g.roles().all(|r| (30..=60).contains(&r.requirements.len())));
        // Long chains: some skill sits many prerequisites deep.
        let deepest = g
            .prerequisites_of(&skill_id(1_999), true, false)
            .unwrap()
            .iter()
            .map(|p| p.depth)
            .max()
            .unwrap();
        assert!(deepest >= 5, "{deepest}");
    }
}
