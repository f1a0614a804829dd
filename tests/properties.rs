//! Property tests over random DAGs: the invariants every plan, every edge insert and every
//! export must keep, whatever the graph.

use std::collections::HashMap;

use proptest::prelude::*;
use skillgraph::domain::{
    Category, CategoryId, EdgeSpec, Error, Level, PlanOptions, PrerequisiteKind, Profile, Schedule,
    Skill, SkillGraph, SkillId, Target,
};
use skillgraph::import::seed::{self, Seed};

fn sid(i: usize) -> SkillId {
    SkillId::parse(&format!("s{i}")).unwrap()
}

/// Edge attempts as `(skill, requires, recommended?, min_level)`; some close cycles on purpose.
type Attempt = (usize, usize, bool, Option<i64>);

fn attempts(n: usize) -> impl Strategy<Value = Vec<Attempt>> {
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
type Built = (SkillGraph, Vec<(Attempt, Result<(), Error>)>);

fn build(n: usize, attempts: &[Attempt]) -> Built {
    let mut g = SkillGraph::new();
    for (i, order) in [(0, 2), (1, 1)] {
        g.upsert_category(Category {
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
    let results = attempts
        .iter()
        .map(|&(a, b, recommended, min_level)| {
            let spec = EdgeSpec {
                kind: if recommended {
                    PrerequisiteKind::Recommended
                } else {
                    PrerequisiteKind::Required
                },
                min_level: min_level.map(|l| Level::new(l).unwrap()),
            };
            (
                (a, b, recommended, min_level),
                g.add_prerequisite(&sid(a), &sid(b), spec),
            )
        })
        .collect();
    (g, results)
}

/// A graph size, edge attempts, a profile, targets, and whether to follow recommended edges.
type Question = (
    usize,
    Vec<Attempt>,
    Vec<(usize, i64)>,
    Vec<(usize, i64)>,
    bool,
);

fn graph_and_question() -> impl Strategy<Value = Question> {
    (2usize..25).prop_flat_map(|n| {
        (
            Just(n),
            attempts(n),
            prop::collection::vec((0..n, 1i64..=5), 0..4),
            prop::collection::vec((0..n, 1i64..=5), 1..4),
            any::<bool>(),
        )
    })
}

fn profile(held: &[(usize, i64)]) -> Profile {
    Profile {
        skills: held
            .iter()
            .map(|&(i, l)| (sid(i), Level::new(l).unwrap()))
            .collect(),
        role: None,
    }
}

fn targets(list: &[(usize, i64)]) -> Vec<Target> {
    list.iter()
        .map(|&(i, l)| Target::Skill {
            skill: sid(i),
            level: Level::new(l).unwrap(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_sequence_of_edge_inserts_creates_a_cycle((n, attempts, _, _, _) in graph_and_question()) {
        let (g, results) = build(n, &attempts);
        for i in 0..n {
            let all = g.prerequisites_of(&sid(i), true, true).unwrap();
            prop_assert!(all.iter().all(|p| p.skill != sid(i)), "s{} reaches itself", i);
        }
        // Every refusal names a real cycle: the refused edge, then existing edges back to its start.
        for ((a, b, _, _), result) in results {
            if let Err(Error::Cycle(cycle)) = result {
                prop_assert_eq!(&cycle[0], &sid(a));
                prop_assert_eq!(&cycle[1], &sid(b));
                prop_assert_eq!(cycle.first(), cycle.last());
                for pair in cycle[1..].windows(2) {
                    prop_assert!(g.edge(&pair[0], &pair[1]).is_some(), "{:?} is not an edge", pair);
                }
            }
        }
    }

    #[test]
    fn every_plan_is_ordered_sufficient_and_learns_nothing_already_held(
        (n, attempts, held, wanted, recommended) in graph_and_question()
    ) {
        let (g, _) = build(n, &attempts);
        let options = PlanOptions { include_recommended: recommended, include_optional: true };
        let from = profile(&held);
        let plan = g.plan(&from, &targets(&wanted), options).unwrap();
        let position: HashMap<&SkillId, &skillgraph::domain::Step> =
            plan.steps.iter().map(|s| (&s.skill, s)).collect();
        prop_assert_eq!(position.len(), plan.steps.len(), "a skill appears twice");

        for step in &plan.steps {
            // Nothing already held: a step raises a skill above what the profile holds.
            prop_assert!(step.from_level.is_none_or(|f| f < step.to_level));
            if let Some(&(_, l)) = held.iter().filter(|(i, _)| sid(*i) == step.skill).max_by_key(|(_, l)| *l) {
                prop_assert!(step.from_level.is_some_and(|f| f.get() as i64 >= l));
            }
            // Topological and staged: every prerequisite that is a step comes earlier.
            for (p, spec) in g.direct_prerequisites(&step.skill).unwrap() {
                if spec.kind == PrerequisiteKind::Recommended && !recommended {
                    continue;
                }
                let needed = spec.needed_level(step.to_level);
                match position.get(&p) {
                    Some(pre) => {
                        prop_assert!(pre.position < step.position && pre.stage < step.stage);
                        // Sufficient: either the step reaches the level or it was held anyway.
                        if pre.to_level < needed {
                            let check = g.plan(&from, &[Target::Skill { skill: p.clone(), level: needed }], options).unwrap();
                            prop_assert!(check.steps.iter().all(|s| s.skill != p));
                        }
                    }
                    None => {
                        // Not a step: the profile must already hold it at the needed level.
                        let check = g.plan(&from, &[Target::Skill { skill: p.clone(), level: needed }], options).unwrap();
                        prop_assert!(check.steps.is_empty(), "{} is neither learned nor held at {}", p, needed);
                    }
                }
            }
        }
        prop_assert_eq!(plan.total_hours, plan.steps.iter().map(|s| u64::from(s.hours)).sum::<u64>());
        prop_assert!(plan.critical_path_hours <= plan.total_hours);

        // Covering: once the plan is learned, nothing is left to learn for the same targets.
        let mut after = from.clone();
        after.skills.extend(plan.steps.iter().map(|s| (s.skill.clone(), s.to_level)));
        let rest = g.plan(&after, &targets(&wanted), options).unwrap();
        prop_assert!(rest.steps.is_empty(), "left over: {:?}", rest.steps);

        // Deterministic: the same question gets the same answer.
        prop_assert_eq!(g.plan(&from, &targets(&wanted), options).unwrap(), plan);
    }

    #[test]
    fn every_budgeted_plan_is_a_closed_subsequence_within_budget_and_paced_in_order(
        (n, attempts, held, wanted, recommended) in graph_and_question(),
        budget in 0u64..120,
        hours_per_week in 1u32..30,
    ) {
        let (g, _) = build(n, &attempts);
        let options = PlanOptions { include_recommended: recommended, include_optional: true };
        let from = profile(&held);
        let full = g.plan(&from, &targets(&wanted), options).unwrap();
        let schedule = Schedule { budget_hours: Some(budget), hours_per_week: Some(hours_per_week) };
        let plan = g.plan_scheduled(&from, &targets(&wanted), options, schedule).unwrap();
        let b = plan.budget.clone().unwrap();

        // Within the budget, and everything is either kept or deferred.
        prop_assert!(plan.total_hours <= budget);
        prop_assert_eq!(plan.total_hours + b.deferred_hours, full.total_hours);
        if full.total_hours <= budget {
            prop_assert!(b.deferred.is_empty() && b.exact);
        }
        // A subsequence of the full plan: same steps, same stages, same order; the deferred
        // ones are the rest, exactly as the full plan has them.
        let kept: std::collections::HashSet<&SkillId> = plan.steps.iter().map(|s| &s.skill).collect();
        let mut rest = full.steps.iter();
        for (i, step) in plan.steps.iter().enumerate() {
            prop_assert_eq!(step.position as usize, i + 1);
            let same = rest.by_ref().find(|f| f.skill == step.skill);
            prop_assert!(same.is_some(), "{} is not in the full plan's order", step.skill);
            let same = same.unwrap();
            prop_assert_eq!((same.stage, same.from_level, same.to_level, same.hours),
                (step.stage, step.from_level, step.to_level, step.hours));
        }
        let deferred: Vec<_> = full.steps.iter().filter(|s| !kept.contains(&s.skill)).cloned().collect();
        prop_assert_eq!(&b.deferred, &deferred);
        // Prerequisite-closed and topological: a kept step's prerequisite steps are kept, and
        // come earlier.
        let at: HashMap<&SkillId, u32> = plan.steps.iter().map(|s| (&s.skill, s.position)).collect();
        for f in &full.steps {
            for d in &f.because {
                if let Some(&later) = at.get(d) {
                    prop_assert!(at.get(&f.skill).is_some_and(|&p| p < later),
                        "{} is kept but its prerequisite {} is not before it", d, f.skill);
                }
            }
        }
        prop_assert!(b.readiness_within_budget >= b.readiness - 1e-12);
        prop_assert!((0.0..=1.0 + 1e-12).contains(&b.readiness_within_budget));

        // Paced: weeks run on in plan order, and the last step ends in the plan's last week.
        let mut last_end = 0;
        for step in &plan.steps {
            let (start, end) = (step.start_week.unwrap(), step.end_week.unwrap());
            prop_assert!(1 <= start && start <= end && start >= last_end);
            last_end = end;
        }
        prop_assert_eq!(plan.weeks, Some(last_end));
        if plan.total_hours > 0 {
            prop_assert_eq!(u64::from(last_end), plan.total_hours.div_ceil(u64::from(hours_per_week)));
        }
        prop_assert!(b.deferred.iter().all(|s| s.start_week.is_none()));
    }

    #[test]
    fn export_then_import_gives_the_same_graph_and_bytes((n, attempts, _, _, _) in graph_and_question()) {
        let (g, _) = build(n, &attempts);
        let text = seed::export(&g);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("export.toml");
        std::fs::write(&file, &text).unwrap();
        let mut again = SkillGraph::new();
        let problems = Seed::read(&file).map_err(|p| format!("{p:?}")).unwrap().apply(&mut again);
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(again.edges(), g.edges());
        prop_assert_eq!(seed::export(&again), text);
    }
}
