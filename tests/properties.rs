//! Property tests over random DAGs: the invariants every plan, every edge insert and every
//! export must keep, whatever the graph.

use std::collections::HashMap;

use proptest::prelude::*;
use skillgraph::domain::{
    ChangeEntry, Error, Level, ListKey, Mention, PlanOptions, PrerequisiteGroup, PrerequisiteKind,
    Profile, RelatedSkill, RoleId, RoleMatch, Schedule, SkillGraph, SkillId, Target,
};
use skillgraph::import::seed::{self, Seed};

#[path = "support/writes.rs"]
mod writes;
use writes::*;

/// Whether `a → b` is an edge or an option of one of `a`'s groups: a step of a cycle.
fn points_at(g: &SkillGraph, a: &SkillId, b: &SkillId) -> bool {
    g.edge(a, b).is_some()
        || g.prerequisite_groups(a)
            .unwrap()
            .iter()
            .any(|grp| grp.options.contains(b))
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
            // Through edges and group options alike.
            let mut seen = vec![false; n];
            let mut stack = vec![sid(i)];
            while let Some(s) = stack.pop() {
                for (j, seen) in seen.iter_mut().enumerate() {
                    if points_at(&g, &s, &sid(j)) {
                        prop_assert!(j != i, "s{} reaches itself", i);
                        if !std::mem::replace(seen, true) {
                            stack.push(sid(j));
                        }
                    }
                }
            }
        }
        // Every refusal names a real cycle: the refused edge, then existing edges back to its start.
        for ((a, b, _, _), result) in results {
            if let Err(Error::Cycle(cycle)) = result {
                prop_assert_eq!(&cycle[0], &sid(a));
                prop_assert_eq!(&cycle[1], &sid(b));
                prop_assert_eq!(cycle.first(), cycle.last());
                for pair in cycle[1..].windows(2) {
                    prop_assert!(points_at(&g, &pair[0], &pair[1]), "{:?} is not an edge", pair);
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
                let Some(needed) = spec.needed_for(step.to_level) else { continue };
                match position.get(&p) {
                    Some(pre) => {
                        // A prerequisite held at the level needed is not waited for.
                        if pre.from_level.is_none_or(|f| f < needed) {
                            prop_assert!(pre.position < step.position && pre.stage < step.stage);
                        }
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
        // Groups: each group of each step is satisfied by an option held at the group's level
        // or learned to it in an earlier step; alternatives are options of some group.
        let held_at = |skill: &SkillId, level: Level| {
            g.plan(&from, &[Target::Skill { skill: skill.clone(), level }], options)
                .unwrap()
                .steps
                .is_empty()
        };
        for step in &plan.steps {
            for group in g.prerequisite_groups(&step.skill).unwrap() {
                if group.kind == PrerequisiteKind::Recommended && !recommended {
                    continue;
                }
                let needed = group.spec().level_for(step.to_level);
                let satisfied: Vec<&SkillId> = group
                    .options
                    .iter()
                    .filter(|o| match position.get(o) {
                        // Held at the level needed: not waited for, even when raised later.
                        Some(pre) => held_at(o, needed)
                            || (pre.position < step.position && pre.to_level >= needed),
                        None => held_at(o, needed),
                    })
                    .collect();
                prop_assert!(!satisfied.is_empty(), "{}: no option of {:?}", step.skill, group.options);
                // One option stands for the group: the step waits for at most one of them, and
                // when one is held at the group's level, for none that is not held too (one
                // held option may still be a step, raised for another target). An option the
                // step also needs for another reason (a plain prerequisite, another of its
                // groups) is not counted.
                let groups = g.prerequisite_groups(&step.skill).unwrap();
                let other_reason = |o: &SkillId| {
                    g.edge(&step.skill, o).is_some_and(|e| recommended || e.kind == PrerequisiteKind::Required)
                        || groups.iter().filter(|other| *other != group).any(|other| other.options.contains(o))
                };
                let learned_for_it: Vec<&SkillId> = group
                    .options
                    .iter()
                    .filter(|o| position.get(o).is_some_and(|pre| pre.because.contains(&step.skill)))
                    .filter(|o| !other_reason(o))
                    .collect();
                prop_assert!(learned_for_it.len() <= 1, "{}: {:?} all learned for {:?}", step.skill, learned_for_it, group.options);
                if group.options.iter().any(|o| held_at(o, needed)) {
                    prop_assert!(learned_for_it.iter().all(|o| held_at(o, needed)),
                        "{}: {:?} learned though an option of {:?} is held", step.skill, learned_for_it, group.options);
                }
            }
            for alternative in &step.alternatives {
                prop_assert!(
                    g.all_prerequisite_groups().any(|(_, groups)| groups.iter().any(|grp| {
                        grp.options.contains(&step.skill) && grp.options.contains(alternative)
                    })),
                    "{} lists {} as an alternative", step.skill, alternative
                );
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
    fn level_steps_keep_every_prerequisite_before_its_dependent_at_the_level_it_needs(
        (n, edges, held, wanted, recommended) in graph_with_cuts(),
        budget in 0u64..150,
    ) {
        let (g, refusals) = build_with_cuts(n, &edges);
        // Every refusal names a real cycle of skills, from the refused edge back to its start.
        for ((a, b), cycle) in refusals {
            prop_assert_eq!(&cycle[0], &sid(a));
            prop_assert_eq!(&cycle[1], &sid(b));
            prop_assert_eq!(cycle.first(), cycle.last());
            for pair in cycle[1..].windows(2) {
                prop_assert!(points_at(&g, &pair[0], &pair[1]), "{:?} is not an edge", pair);
            }
        }
        let options = PlanOptions { include_recommended: recommended, include_optional: true };
        let from = profile(&held);
        let plan = g.plan(&from, &targets(&wanted), options).unwrap();
        check_levels(&g, &from, &plan.steps, options)?;
        // Covering: once the plan is learned, nothing is left to learn for the same targets.
        let mut after = from.clone();
        after.skills.extend(plan.steps.iter().map(|s| (s.skill.clone(), s.to_level)));
        let rest = g.plan(&after, &targets(&wanted), options).unwrap();
        prop_assert!(rest.steps.is_empty(), "left over: {:?}", rest.steps);
        prop_assert_eq!(plan.total_hours, plan.steps.iter().map(|s| u64::from(s.hours)).sum::<u64>());

        // A budget keeps some level steps, in the full plan's order, closed the same way.
        let schedule = Schedule { budget_hours: Some(budget), hours_per_week: None };
        let kept = g.plan_scheduled(&from, &targets(&wanted), options, schedule).unwrap();
        prop_assert!(kept.total_hours <= budget);
        check_levels(&g, &from, &kept.steps, options)?;
        let key = |s: &skillgraph::domain::Step| (s.skill.clone(), s.from_level, s.to_level, s.stage);
        let mut full = plan.steps.iter();
        for step in &kept.steps {
            prop_assert!(full.by_ref().any(|f| key(f) == key(step)), "{:?} is not in the full plan", key(step));
        }
        let deferred = kept.budget.unwrap().deferred;
        prop_assert_eq!(kept.steps.len() + deferred.len(), plan.steps.len());
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
        let groups = |g: &SkillGraph| -> Vec<(SkillId, Vec<PrerequisiteGroup>)> {
            g.all_prerequisite_groups().map(|(s, l)| (s.clone(), l.to_vec())).collect()
        };
        prop_assert_eq!(groups(&again), groups(&g));
        prop_assert_eq!(seed::export(&again), text);
    }
}

// ----- the change log ------------------------------------------------------------------------

type Answers = (
    Vec<skillgraph::domain::Prerequisite>,
    Vec<(SkillId, u32, PrerequisiteGroup)>,
    Vec<(SkillId, u32)>,
    skillgraph::domain::LearningPlan,
);

/// What a graph answers about one skill: its transitive prerequisites, groups and unlocks,
/// and a plan to it with recommended edges.
/// Edges with cuts: (skill, prerequisite, min_level, beyond).
type CutEdge = (usize, usize, Option<i64>, Option<i64>);

/// A graph size, edges with cuts, a profile, targets, and whether to follow recommended edges.
type CutQuestion = (
    usize,
    Vec<CutEdge>,
    Vec<(usize, i64)>,
    Vec<(usize, i64)>,
    bool,
);

/// Each refused edge, with the cycle it named.
type Refusals = Vec<((usize, usize), Vec<SkillId>)>;

fn graph_with_cuts() -> impl Strategy<Value = CutQuestion> {
    (2usize..14).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(
                (
                    0..n,
                    0..n,
                    prop::option::weighted(0.4, 1i64..=5),
                    prop::option::weighted(0.5, 1i64..=4),
                ),
                0..n * 3,
            ),
            prop::collection::vec((0..n, 1i64..=5), 0..4),
            prop::collection::vec((0..n, 1i64..=5), 1..4),
            any::<bool>(),
        )
    })
}

/// The graph of `n` skills with every edge written that closes no cycle on levels, and each
/// refused edge with the cycle it named. Any other refusal fails the test.
fn build_with_cuts(n: usize, edges: &[CutEdge]) -> (SkillGraph, Refusals) {
    let (mut g, _) = build(n, &[]);
    let mut refused = Vec::new();
    for &(a, b, min_level, beyond) in edges {
        if a == b {
            continue;
        }
        let spec = skillgraph::domain::EdgeSpec {
            kind: PrerequisiteKind::Required,
            min_level: min_level.map(|l| Level::new(l).unwrap()),
            beyond: beyond.map(|l| Level::new(l).unwrap()),
        };
        match g.add_prerequisite(&sid(a), &sid(b), spec) {
            Ok(()) => {}
            Err(Error::Cycle(cycle)) => refused.push(((a, b), cycle)),
            Err(e) => panic!("s{a} → s{b}: {e}"),
        }
    }
    (g, refused)
}

/// Level steps in order: a skill's steps run on from the level held, each higher than the
/// last and in a later stage; and before each step, every prerequisite that applies at the
/// level it reaches is held or learned, in an earlier step and stage, to the level it needs.
fn check_levels(
    g: &SkillGraph,
    from: &Profile,
    steps: &[skillgraph::domain::Step],
    options: PlanOptions,
) -> Result<(), TestCaseError> {
    let held_at = |skill: &SkillId, level: Level| {
        g.plan(
            from,
            &[Target::Skill {
                skill: skill.clone(),
                level,
            }],
            options,
        )
        .unwrap()
        .steps
        .is_empty()
    };
    for (i, step) in steps.iter().enumerate() {
        prop_assert_eq!(step.position as usize, i + 1);
        prop_assert!(step.from_level.is_none_or(|f| f < step.to_level));
        // The same skill's earlier step ends where this one starts.
        if let Some(before) = steps[..i].iter().rev().find(|s| s.skill == step.skill) {
            prop_assert_eq!(
                Some(before.to_level),
                step.from_level,
                "{} jumps",
                step.skill
            );
            prop_assert!(before.stage < step.stage);
        }
        for (p, spec) in g.direct_prerequisites(&step.skill).unwrap() {
            if spec.kind == PrerequisiteKind::Recommended && !options.include_recommended {
                continue;
            }
            let Some(needed) = spec.needed_for(step.to_level) else {
                continue;
            };
            if held_at(&p, needed) {
                continue;
            }
            let learned = steps[..i]
                .iter()
                .filter(|s| s.skill == p && s.to_level >= needed)
                .min_by_key(|s| s.position);
            match learned {
                Some(pre) => prop_assert!(pre.stage < step.stage, "{} waits for {}", step.skill, p),
                None => prop_assert!(
                    false,
                    "{} at {} needs {} at {} first",
                    step.skill,
                    step.to_level.get(),
                    p,
                    needed.get()
                ),
            }
        }
    }
    Ok(())
}

fn answers(graph: &SkillGraph, skill: &SkillId) -> Answers {
    use skillgraph::domain::{Follow, Reach};
    let groups = graph
        .prerequisite_groups_of(skill, Reach::Transitive)
        .unwrap()
        .into_iter()
        .map(|(of, depth, group)| (of, depth, group.clone()))
        .collect();
    let target = [Target::Skill {
        skill: skill.clone(),
        level: Level::new(3).unwrap(),
    }];
    let options = PlanOptions {
        include_recommended: true,
        include_optional: true,
    };
    (
        graph
            .prerequisites_of(skill, Reach::Transitive, Follow::RequiredAndRecommended)
            .unwrap(),
        groups,
        graph.unlocks(skill, Reach::Transitive).unwrap(),
        graph.plan(&profile(&[]), &target, options).unwrap(),
    )
}

/// What a graph asks of its derived indexes, worded from one graph's contents so that two
/// graphs are asked alike: search texts (a name, an alias, a prefix, a typo, an id, a role's
/// name), profiles for role matching, and a text naming skills for extraction.
struct Probes {
    queries: Vec<String>,
    category: Option<skillgraph::domain::CategoryId>,
    profiles: Vec<Profile>,
    text: String,
}

fn probes(g: &SkillGraph) -> Probes {
    let mut queries = vec![String::new(), "skill".to_owned(), "Skil".to_owned()];
    let mut words = Vec::new();
    // Every name and alias goes into the text; a dozen or so skills into the queries, spread
    // over the graph (each query is asked of every snapshot, so this bounds the test's time).
    let every = g.skills().count().div_ceil(12).max(1);
    for (i, s) in g.skills().enumerate() {
        words.push(s.name.clone());
        words.extend(s.aliases.iter().cloned());
        if i % every == 0 {
            queries.push(s.name.clone());
            queries.push(s.id.to_string());
            queries.extend(s.aliases.iter().cloned());
        }
    }
    // A typo of the last name, which only the fuzzy tier finds.
    if let Some(name) = words.iter().rev().find(|w| w.len() > 4) {
        let mut typo = name.clone();
        typo.remove(1);
        queries.push(typo);
    }
    queries.extend(g.roles().map(|r| r.name.clone()));
    let ids: Vec<SkillId> = g.skills().map(|s| s.id.clone()).collect();
    let held = |every: usize, level: i64| Profile {
        skills: ids
            .iter()
            .step_by(every)
            .map(|id| (id.clone(), Level::new(level).unwrap()))
            .collect(),
        role: None,
    };
    Probes {
        queries,
        category: g
            .categories_of(skillgraph::domain::CategoryKind::Skill)
            .first()
            .map(|c| c.id.clone()),
        profiles: vec![profile(&[]), held(2, 3), held(3, 5)],
        text: format!("We want {}.", words.join(", and ")),
    }
}

type IndexAnswers = (
    Vec<(Vec<(ListKey, SkillId)>, usize, Vec<SkillId>)>,
    Vec<(Vec<(ListKey, RoleId)>, usize)>,
    Vec<Result<[Vec<RoleMatch>; 3], String>>,
    Vec<Mention>,
    Vec<Vec<(RoleId, u64)>>,
    Vec<Vec<RelatedSkill>>,
    Vec<Vec<Result<skillgraph::domain::RoleStanding, String>>>,
);

/// What a graph answers from its derived indexes: skill and role search (first pages with
/// their keys, counts, within a category), role matching in every order, extraction, and the
/// specificities of the role index as similar roles (scores) and related skills read them, and
/// each profile's standing against each role (read from the implications kept with the edges).
fn index_answers(graph: &SkillGraph, p: &Probes) -> IndexAnswers {
    use skillgraph::domain::MatchOrder;
    let skills = p
        .queries
        .iter()
        .map(|q| {
            let hits = graph.search_skills_keyed(q, None, 5);
            let within = graph.search_skills(q, p.category.as_ref(), 5);
            (
                hits.into_iter().map(|(k, s)| (k, s.id.clone())).collect(),
                graph.count_skills(q, None),
                within.into_iter().map(|s| s.id.clone()).collect(),
            )
        })
        .collect();
    let roles = p
        .queries
        .iter()
        .map(|q| {
            let hits = graph.search_roles_keyed(q, 5);
            (
                hits.into_iter().map(|(k, r)| (k, r.id.clone())).collect(),
                graph.count_roles(q),
            )
        })
        .collect();
    let matches = p
        .profiles
        .iter()
        .map(|profile| {
            // A limit below the number of roles, so that the lower bounds the role index
            // keeps (its hours) decide which roles are planned at all.
            let by = |order| graph.match_roles_by(profile, None, order, 1);
            Ok([
                graph.match_roles(profile, 2),
                by(MatchOrder::Hours),
                by(MatchOrder::Overlap),
            ]
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?
            .try_into()
            .unwrap())
        })
        .collect();
    let similar = graph
        .roles()
        .map(|r| {
            let list = graph.similar_roles(&r.id, 3).unwrap();
            list.into_iter()
                .map(|s| (s.role, s.score.to_bits()))
                .collect()
        })
        .collect();
    let mut ids: Vec<&SkillId> = graph.skills().map(|s| &s.id).collect();
    ids.sort();
    let related = ids
        .into_iter()
        .map(|id| graph.related_skills(id, 3).unwrap())
        .collect();
    let standings = p
        .profiles
        .iter()
        .map(|profile| {
            graph
                .roles()
                .map(|r| {
                    graph
                        .role_standing_for(profile, &r.id)
                        .map_err(|e| e.to_string())
                })
                .collect()
        })
        .collect();
    (
        skills,
        roles,
        matches,
        graph.extract_skills(&p.text, 50),
        similar,
        related,
        standings,
    )
}

/// A graph built afresh from another's contents: no table of it was ever patched or shared.
fn afresh(g: &SkillGraph) -> SkillGraph {
    let c = g.contents();
    SkillGraph::from_parts(
        c.categories,
        c.skills,
        c.edges,
        c.groups,
        c.roles,
        c.revision,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The change log's promise: replaying the entries of revisions N+1..N+k onto the graph of
    /// revision N gives the graph of revision N+k, whatever the writes, refused ones included.
    #[test]
    fn replaying_the_log_from_any_revision_reproduces_the_latest((start, writes) in writes()) {
        let (mut g, _) = build(6, &[(1, 0, false, None), (2, 1, true, Some(3))]);
        g.take_changes();
        let mut snapshots = vec![g.clone()];
        let mut log = Vec::new();
        for (n, (w, read_first)) in writes.into_iter().enumerate() {
            if let Some(s) = g.skills().next().filter(|_| read_first) {
                let target = [Target::Skill { skill: s.id.clone(), level: Level::new(1).unwrap() }];
                g.plan(&profile(&[]), &target, PlanOptions::default()).unwrap();
                // Build the search, role and extraction indexes too, so that the write must
                // patch, overlay or drop them rather than find them unbuilt.
                index_answers(&g, &probes(&g));
            }
            // As the catalog writes: on a copy, published only when something changed.
            let mut draft = g.clone();
            let kind = run_write(&mut draft, n, w);
            let changes = draft.take_changes();
            if changes.is_empty() {
                continue;
            }
            draft.set_revision(g.revision() + 1);
            let entry = ChangeEntry::new(draft.revision(), n as u64, kind, &g, &draft, &changes);
            // Through the bytes the store keeps.
            let bytes = serde_json::to_vec(&entry).unwrap();
            log.push(serde_json::from_slice::<ChangeEntry>(&bytes).unwrap());
            g = draft;
            snapshots.push(g.clone());
        }
        let start = start.min(snapshots.len() - 1);
        let mut replica = snapshots[start].clone();
        for entry in &log[start..] {
            replica.replay(entry).map_err(|e| TestCaseError::fail(format!("{e} replaying {entry:?}")))?;
        }
        prop_assert_eq!(replica.contents(), g.contents());
        // Equal contents answer alike, though the replica inserted its edges in another order
        // and the live graph patched its tables through every write: every skill's transitive
        // prerequisites, groups and unlocks agree, and so does a plan to it, recommended edges
        // included, and every role's gap plan, with the replica and with a graph built afresh
        // from the contents.
        let fresh = afresh(&g);
        for s in g.skills() {
            let live = answers(&g, &s.id);
            prop_assert_eq!(&answers(&replica, &s.id), &live);
            prop_assert_eq!(&answers(&fresh, &s.id), &live);
        }
        for role in g.roles() {
            let gap = |graph: &SkillGraph| graph.gap_plan(&graph.holdings(&profile(&[])).unwrap(), &role.id).unwrap();
            prop_assert_eq!(gap(&replica), gap(&g));
            prop_assert_eq!(gap(&fresh), gap(&g));
        }
        // So do search, role matching and extraction, read from the indexes the live graph
        // patched or overlaid through the writes.
        let asked = probes(&g);
        let live = index_answers(&g, &asked);
        prop_assert_eq!(&index_answers(&replica, &asked), &live);
        prop_assert_eq!(&index_answers(&fresh, &asked), &live);
        // Every older snapshot, read only now (as a request that held it while the writes
        // landed), still answers as its own contents do.
        for old in &snapshots {
            let fresh = afresh(old);
            for s in old.skills() {
                prop_assert_eq!(answers(old, &s.id), answers(&fresh, &s.id));
            }
            let asked = probes(old);
            prop_assert_eq!(index_answers(old, &asked), index_answers(&fresh, &asked));
        }
        // And an entry replayed twice, or out of turn, is refused.
        if let Some(last) = log.last() {
            prop_assert!(replica.replay(last).is_err());
        }
    }
}
