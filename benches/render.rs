//! Criterion benchmarks of drawing a plan (`skillgraph::render`): the shipped seed's software
//! engineer to AI engineer plan (the README's, 42 steps), and a plan of a few hundred steps to
//! a deep skill of a generated graph, in each format. The plan is made once; only drawing it
//! is timed.
//!
//! Run: `cargo bench --bench render`. Results are in BENCHMARKS.md.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use skillgraph::domain::{LearningPlan, Level, PlanOptions, Profile, RoleId, SkillGraph, Target};
use skillgraph::generate::{Shape, generate, skill_in_layer};
use skillgraph::import::{self, Report};
use skillgraph::render;

fn seed_plan() -> (SkillGraph, LearningPlan) {
    let seed = import::seed::Seed::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seed"))
        .expect("the seed reads");
    let mut graph = SkillGraph::new();
    assert!(seed.apply(&mut graph).is_empty());
    let engineer = Profile {
        skills: vec![],
        role: Some(RoleId::parse("software-engineer").unwrap()),
    };
    let to = [Target::Role(RoleId::parse("ai-engineer").unwrap())];
    let plan = graph.plan(&engineer, &to, PlanOptions::default()).unwrap();
    (graph, plan)
}

/// A graph of 2,000 skills in two fields of 20 layers, and the plan to a skill of the last
/// layer: hundreds of steps, far more than a person reads, as an upper bound.
fn generated_plan() -> (SkillGraph, LearningPlan) {
    let shape = Shape {
        skills: 2_000,
        edges_per_skill: 4,
        roles: 10,
        seed: 42,
    };
    let mut graph = SkillGraph::new();
    import::apply(&generate(shape), &mut graph, &mut Report::default());
    let to = [Target::Skill {
        skill: skill_in_layer(shape, 19),
        level: Level::new(3).unwrap(),
    }];
    let plan = graph
        .plan(&Profile::default(), &to, PlanOptions::default())
        .unwrap();
    (graph, plan)
}

fn drawing(c: &mut Criterion) {
    for (name, (graph, plan)) in [("seed", seed_plan()), ("generated", generated_plan())] {
        let edges: usize = plan.steps.iter().map(|s| s.because.len()).sum();
        let svg = render::svg(&plan, &graph);
        eprintln!(
            "{name}: {} steps, {} stages, {edges} waits; SVG {} bytes",
            plan.steps.len(),
            plan.stages,
            svg.len()
        );
        let mut group = c.benchmark_group(format!("render {name} ({} steps)", plan.steps.len()));
        group
            .sample_size(30)
            .measurement_time(Duration::from_secs(4));
        group.bench_function("svg", |b| b.iter(|| render::svg(&plan, &graph)));
        group.bench_function("mermaid", |b| b.iter(|| render::mermaid(&plan, &graph)));
        group.bench_function("dot", |b| b.iter(|| render::dot(&plan, &graph)));
        group.finish();
    }
}

criterion_group!(benches, drawing);
criterion_main!(benches);
