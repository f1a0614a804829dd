//! Criterion benchmarks of the core operations at three sizes: the shipped seed, ESCO (the
//! full v1.1.1 files when `../shared/data` is there, else the committed fixture), and a
//! generated graph of 100k skills, ~400k prerequisite edges and 5k roles.
//!
//! Run: `cargo bench --bench core`. Results and the machine are in BENCHMARKS.md.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{Criterion, criterion_group, criterion_main};
use skillgraph::domain::{
    Follow, Level, MatchOrder, PlanOptions, Profile, Reach, RoleId, SkillGraph, SkillId, Target,
};
use skillgraph::generate::{Shape, generate, skill_in_layer};
use skillgraph::import::{self, FileSet, Report};

mod shared;
use shared::{esco_paths, root};

fn seed_graph() -> SkillGraph {
    let seed = import::seed::Seed::read(&root().join("seed")).expect("the seed reads");
    let mut graph = SkillGraph::new();
    assert!(seed.apply(&mut graph).is_empty());
    graph
}

fn esco_graph(paths: &[PathBuf]) -> SkillGraph {
    let files = FileSet::open(paths).expect("ESCO files");
    let (batch, mut report) = import::esco::read(&files, "bench").expect("ESCO parses");
    let mut graph = SkillGraph::new();
    import::apply(&batch, &mut graph, &mut report);
    // As the catalog does before it publishes a snapshot.
    graph.take_changes();
    graph
}

const BIG: Shape = Shape {
    skills: 100_000,
    edges_per_skill: 4,
    roles: 5_000,
    seed: 42,
};

fn big_graph() -> SkillGraph {
    let started = Instant::now();
    let mut graph = SkillGraph::new();
    import::apply(&generate(BIG), &mut graph, &mut Report::default());
    graph.take_changes();
    eprintln!("generated {:?} in {:.2?}", graph.stats(), started.elapsed());
    graph
}

fn profile(skills: &[(&str, i64)], role: Option<&str>) -> Profile {
    Profile {
        skills: skills
            .iter()
            .map(|&(s, l)| (SkillId::parse(s).unwrap(), Level::new(l).unwrap()))
            .collect(),
        role: role.map(|r| RoleId::parse(r).unwrap()),
    }
}

/// Every hit, as the old search returned.
const ALL: usize = usize::MAX;
/// What an autocomplete page (`first: 10`) asks of the search: ten and one for `hasNextPage`.
const PAGE: usize = 11;

/// Search-as-you-type: each prefix of a name as it is typed, a broad one-word query, a typo,
/// and a query whose hits are only substrings.
fn autocomplete(group: &mut criterion::BenchmarkGroup<'_, WallTime>, graph: &SkillGraph) {
    let typed = "manage staff";
    group.bench_function("autocomplete 'manage staff' typed (12 queries)", |b| {
        b.iter(|| {
            (1..=typed.len())
                .map(|n| {
                    graph
                        .search_skills(black_box(&typed[..n]), None, PAGE)
                        .len()
                })
                .sum::<usize>()
        })
    });
    for query in ["d", "data", "pyhton", "ql"] {
        group.bench_function(format!("autocomplete '{query}'"), |b| {
            b.iter(|| graph.search_skills(black_box(query), None, PAGE).len())
        });
    }
    // A snapshot with writes since its index was built: they are ranked directly on top.
    let mut written = graph.clone();
    written.prepare_search();
    let ids: Vec<SkillId> = graph.skills().take(60).map(|s| s.id.clone()).collect();
    for id in &ids {
        let mut skill = skillgraph::domain::Skill::clone(graph.skill(id.as_str()).unwrap());
        skill.name.push_str(" renamed");
        written.upsert_skill(skill).unwrap();
    }
    group.bench_function("autocomplete 'data' after 60 writes", |b| {
        b.iter(|| written.search_skills(black_box("data"), None, PAGE).len())
    });
}

fn seed(c: &mut Criterion) {
    let graph = seed_graph();
    let engineer = profile(&[], Some("software-engineer"));
    let ai = RoleId::parse("ai-engineer").unwrap();
    let mut group = c.benchmark_group("seed");
    group.bench_function("learning_path software-engineer -> ai-engineer", |b| {
        b.iter(|| {
            graph
                .plan(
                    &engineer,
                    &[Target::Role(ai.clone())],
                    PlanOptions::default(),
                )
                .unwrap()
        })
    });
    group.bench_function("role_gap software-engineer -> ai-engineer", |b| {
        b.iter(|| graph.role_gap(&engineer, &ai).unwrap())
    });
    group.bench_function("match_roles top 10", |b| {
        b.iter(|| graph.match_roles(&engineer, 10).unwrap())
    });
    group.bench_function("next_skills software-engineer, exploring", |b| {
        b.iter(|| graph.next_skills(&engineer, &[], 10).unwrap())
    });
    group.bench_function("next_skills software-engineer -> ai-engineer", |b| {
        b.iter(|| {
            graph
                .next_skills(&engineer, &[Target::Role(ai.clone())], 10)
                .unwrap()
        })
    });
    group.bench_function("search 'learn'", |b| {
        b.iter(|| graph.search_skills(black_box("learn"), None, ALL).len())
    });
    group.bench_function("autocomplete 'learn'", |b| {
        b.iter(|| graph.search_skills(black_box("learn"), None, PAGE).len())
    });
    group.bench_function("transitive prerequisites of ml-system-design", |b| {
        let id = SkillId::parse("ml-system-design").unwrap();
        b.iter(|| {
            graph
                .prerequisites_of(&id, Reach::Transitive, Follow::RequiredAndRecommended)
                .unwrap()
        })
    });
    group.finish();
}

fn esco(c: &mut Criterion) {
    let (paths, name) = esco_paths();
    let graph = esco_graph(&paths);
    // The occupation with the median number of requirements: a typical gap question.
    let mut roles: Vec<_> = graph
        .roles()
        .filter(|r| !r.requirements.is_empty())
        .collect();
    roles.sort_by_key(|r| (r.requirements.len(), r.id.clone()));
    let typical = roles[roles.len() / 2].id.clone();
    let largest = roles.last().unwrap().id.clone();
    let person = Profile {
        skills: roles[0]
            .requirements
            .iter()
            .map(|r| (r.skill.clone(), r.level))
            .collect(),
        role: None,
    };
    let mut group = c.benchmark_group(name);
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("role_gap median occupation", |b| {
        b.iter(|| graph.role_gap(&person, &typical).unwrap())
    });
    group.bench_function("role_gap largest occupation", |b| {
        b.iter(|| graph.role_gap(&person, &largest).unwrap())
    });
    group.bench_function("match_roles top 10 over all occupations", |b| {
        b.iter(|| graph.match_roles(&person, 10).unwrap())
    });
    group.bench_function("match_roles top 10 by hours over all occupations", |b| {
        b.iter(|| {
            graph
                .match_roles_by(&person, None, MatchOrder::Hours, 10)
                .unwrap()
        })
    });
    group.bench_function("next_skills top 10 exploring all occupations", |b| {
        b.iter(|| graph.next_skills(&person, &[], 10).unwrap())
    });
    group.bench_function("next_skills top 10 toward the median occupation", |b| {
        let toward = [Target::Role(typical.clone())];
        b.iter(|| graph.next_skills(&person, &toward, 10).unwrap())
    });
    group.bench_function("search 'data'", |b| {
        b.iter(|| graph.search_skills(black_box("data"), None, ALL).len())
    });
    autocomplete(&mut group, &graph);
    group.bench_function("search index build", |b| {
        b.iter_batched(
            || {
                let mut g = graph.clone();
                g.forget_search_indexes();
                g
            },
            |g| {
                g.prepare_search();
                g
            },
            criterion::BatchSize::LargeInput,
        )
    });
    // A 5 KB text from the occupations' own descriptions (about 60 words each), in id order:
    // the kind of prose a job ad is, naming skills by the taxonomy's words.
    let mut ad = String::new();
    for role in graph.roles() {
        if ad.len() >= 5_000 {
            break;
        }
        ad.push_str(role.description.as_deref().unwrap_or(&role.name));
        ad.push('\n');
    }
    let ad: String = ad.chars().take(5_000).collect();
    graph.prepare_extraction();
    group.bench_function("extract_skills 5 KB text", |b| {
        b.iter(|| graph.extract_skills(black_box(&ad), 50).len())
    });
    group.bench_function("role_gap median occupation from a 5 KB text", |b| {
        b.iter(|| {
            let from = graph.with_text(Profile::default(), black_box(&ad));
            graph.role_gap(&from, &typical).unwrap()
        })
    });
    group.bench_function("similar roles top 10 median occupation", |b| {
        b.iter(|| graph.similar_roles(&typical, 10).unwrap())
    });
    group.bench_function("similar roles top 10 largest occupation", |b| {
        b.iter(|| graph.similar_roles(&largest, 10).unwrap())
    });
    // Related skills cost one pass over the roles asking for the skill: the median skill
    // among those some role asks for, and the one most roles ask for.
    let mut asked: Vec<(usize, SkillId)> = graph
        .skills()
        .map(|s| {
            (
                graph.required_by(&s.id).map_or(0, |r| r.len()),
                s.id.clone(),
            )
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    asked.sort();
    let (median_skill, most_asked) = (
        asked[asked.len() / 2].1.clone(),
        asked[asked.len() - 1].1.clone(),
    );
    group.bench_function("related skills top 10 median skill", |b| {
        b.iter(|| graph.related_skills(&median_skill, 10).unwrap())
    });
    group.bench_function("related skills top 10 most asked-for skill", |b| {
        b.iter(|| graph.related_skills(&most_asked, 10).unwrap())
    });
    group.bench_function(
        "snapshot clone (the copy-on-write cost of one write)",
        |b| b.iter(|| black_box(graph.clone())),
    );
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("extraction matcher build", |b| {
        b.iter_batched(
            || {
                let mut g = graph.clone();
                g.forget_matcher();
                g
            },
            |g| {
                g.prepare_extraction();
                g
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("import: read + apply both zips", |b| {
        b.iter(|| esco_graph(&paths))
    });
    group.finish();
}

fn big(c: &mut Criterion) {
    let graph = big_graph();
    let target = skill_in_layer(BIG, 10);
    let role = RoleId::parse("gen:r0").unwrap();
    let empty = Profile::default();
    let some = Profile {
        skills: (0..200)
            .map(|i| {
                (
                    SkillId::parse(&format!("gen:s{}", i * 7)).unwrap(),
                    Level::new(3).unwrap(),
                )
            })
            .collect(),
        role: None,
    };
    let depth = graph
        .prerequisites_of(&target, Reach::Transitive, Follow::Required)
        .unwrap()
        .len();
    eprintln!("depth-10 target {target}: {depth} transitive prerequisites");
    let mut group = c.benchmark_group("generated-100k");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("learning_path to a depth-10 target", |b| {
        b.iter(|| {
            graph
                .plan(
                    &empty,
                    &[Target::Skill {
                        skill: target.clone(),
                        level: Level::new(3).unwrap(),
                    }],
                    PlanOptions::default(),
                )
                .unwrap()
        })
    });
    group.bench_function("role_gap 30-60 requirements, 200 skills held", |b| {
        b.iter(|| graph.role_gap(&some, &role).unwrap())
    });
    group.bench_function("match_roles top 10 over 5k roles", |b| {
        b.iter(|| graph.match_roles(&some, 10).unwrap())
    });
    group.bench_function(
        "next_skills top 10 exploring 5k roles, 200 skills held",
        |b| b.iter(|| graph.next_skills(&some, &[], 10).unwrap()),
    );
    group.bench_function("search 'skill 4242'", |b| {
        b.iter(|| {
            graph
                .search_skills(black_box("skill 4242"), None, ALL)
                .len()
        })
    });
    autocomplete(&mut group, &graph);
    group.bench_function(
        "snapshot clone (the copy-on-write cost of one write)",
        |b| b.iter(|| black_box(graph.clone())),
    );
    group.finish();
}

criterion_group!(benches, seed, esco, big);
criterion_main!(benches);
