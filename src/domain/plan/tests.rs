//! Unit tests of plans: order and stages, holdings, budgets and pace (a role gap's own test is
//! in `roles::gap`). The helpers `lvl` and `role` are shared with the tests of `roles`, `next`
//! and `similar`.

use super::*;
use crate::domain::graph::tests::{category, graph, id, skill};
use crate::domain::{EdgeSpec, Importance, PrerequisiteKind, Requirement, Role};

pub(crate) fn lvl(v: i64) -> Level {
    Level::new(v).unwrap()
}

fn to(s: &str, level: i64) -> Target {
    Target::Skill {
        skill: id(s),
        level: lvl(level),
    }
}

fn have(skills: &[(&str, i64)]) -> Profile {
    Profile {
        skills: skills.iter().map(|&(s, l)| (id(s), lvl(l))).collect(),
        role: None,
    }
}

fn order(plan: &LearningPlan) -> Vec<(&str, u32)> {
    plan.steps
        .iter()
        .map(|s| (s.skill.as_str(), s.stage))
        .collect()
}

pub(crate) fn role(rid: &str, reqs: &[(&str, i64, Importance)]) -> Role {
    Role {
        category: None,
        id: RoleId::parse(rid).unwrap(),
        name: rid.into(),
        description: None,
        requirements: reqs
            .iter()
            .map(|&(s, l, importance)| Requirement {
                skill: id(s),
                level: lvl(l),
                importance,
                alternatives: Vec::new(),
            })
            .collect(),
        aliases: Vec::new(),
        external_id: None,
    }
}

#[test]
fn a_plan_puts_every_prerequisite_first_and_groups_parallel_stages() {
    // d needs b and c, both need a.
    let g = graph(&["d>b", "d>c", "b>a", "c>a"]);
    let plan = g
        .plan(&Profile::default(), &[to("d", 3)], PlanOptions::default())
        .unwrap();
    assert_eq!(order(&plan), [("a", 1), ("b", 2), ("c", 2), ("d", 3)]);
    assert_eq!(plan.stages, 3);
    // d at 3 (10 h) needs b and c at beginner (4 h each), and they need a at beginner (4 h).
    assert_eq!(plan.total_hours, 22);
    assert_eq!(plan.critical_path_hours, 18);
    let a = &plan.steps[0];
    assert_eq!(a.because, [id("b"), id("c")]);
    assert_eq!(a.chain, [id("a"), id("b"), id("d")]);
    assert_eq!(a.serves, [TargetRef::Skill(id("d"))]);
}

#[test]
fn held_skills_and_their_prerequisites_are_not_relearned() {
    let g = graph(&["d>c", "c>b", "b>a"]);
    let plan = g
        .plan(&have(&[("c", 3)]), &[to("d", 3)], PlanOptions::default())
        .unwrap();
    assert_eq!(order(&plan), [("d", 1)]);
    // b and a were not even visited: c stops the walk, so nothing is reported as implied.
    assert!(plan.implied.is_empty());

    // Demanding b directly shows it as implied by c.
    let plan = g
        .plan(&have(&[("c", 3)]), &[to("b", 2)], PlanOptions::default())
        .unwrap();
    assert!(plan.steps.is_empty());
    assert_eq!(
        plan.implied,
        [ImpliedSkill {
            skill: id("b"),
            level: lvl(2),
            via: id("c")
        }]
    );
}

#[test]
fn an_under_level_skill_is_raised_from_its_current_level() {
    let g = graph(&["b>a"]);
    let plan = g
        .plan(&have(&[("b", 1)]), &[to("b", 4)], PlanOptions::default())
        .unwrap();
    // a was implied at 1 by b@1; b@4 needs a at beginner (2), the most an edge without
    // `min_level` asks.
    let got: Vec<_> = plan
        .steps
        .iter()
        .map(|s| {
            (
                s.skill.as_str(),
                s.from_level.map(Level::get),
                s.to_level.get(),
                s.hours,
            )
        })
        .collect();
    assert_eq!(got, [("a", Some(1), 2, 3), ("b", Some(1), 4, 19)]);
}

#[test]
fn recommended_prerequisites_join_only_when_asked() {
    let mut g = graph(&["b>a"]);
    g.upsert_skill(skill("r", "c", 10)).unwrap();
    let rec = EdgeSpec {
        kind: PrerequisiteKind::Recommended,
        min_level: None,
        beyond: None,
    };
    g.add_prerequisite(&id("b"), &id("r"), rec).unwrap();
    let plain = g
        .plan(&Profile::default(), &[to("b", 3)], PlanOptions::default())
        .unwrap();
    assert_eq!(order(&plain), [("a", 1), ("b", 2)]);
    let options = PlanOptions {
        include_recommended: true,
        ..PlanOptions::default()
    };
    let with = g.plan(&Profile::default(), &[to("b", 3)], options).unwrap();
    assert_eq!(order(&with), [("a", 1), ("r", 1), ("b", 2)]);
}

#[test]
fn ties_follow_category_order_then_id() {
    let mut g = SkillGraph::new();
    g.upsert_category(category("late", 2)).unwrap();
    g.upsert_category(category("early", 1)).unwrap();
    for (s, c) in [
        ("a", "late"),
        ("z", "early"),
        ("m", "early"),
        ("top", "late"),
    ] {
        g.upsert_skill(skill(s, c, 1)).unwrap();
    }
    for s in ["a", "z", "m"] {
        g.add_prerequisite(&id("top"), &id(s), EdgeSpec::default())
            .unwrap();
    }
    let plan = g
        .plan(&Profile::default(), &[to("top", 3)], PlanOptions::default())
        .unwrap();
    assert_eq!(order(&plan), [("m", 1), ("z", 1), ("a", 1), ("top", 2)]);
}

#[test]
fn holding_a_role_counts_its_requirements_as_held() {
    let mut g = graph(&["b>a"]);
    g.upsert_role(role("junior", &[("a", 3, Importance::Essential)]))
        .unwrap();
    g.upsert_role(role("senior", &[("b", 3, Importance::Essential)]))
        .unwrap();
    let from_junior = Profile {
        skills: vec![],
        role: Some(RoleId::parse("junior").unwrap()),
    };
    let gap = g
        .role_gap(&from_junior, &RoleId::parse("senior").unwrap())
        .unwrap();
    assert_eq!(order(&gap.plan), [("b", 1)]);
    let matches = g.match_roles(&from_junior, 10).unwrap();
    assert_eq!(
        matches.len(),
        1,
        "the current role is not a match for itself"
    );
    assert_eq!(matches[0].missing_essential, 1);
}

fn budget(hours: u64) -> Schedule {
    Schedule {
        budget_hours: Some(hours),
        hours_per_week: None,
    }
}

fn skills_of(steps: &[Step]) -> Vec<&str> {
    steps.iter().map(|s| s.skill.as_str()).collect()
}

#[test]
fn a_pace_numbers_weeks_one_step_after_another() {
    let g = graph(&["d>b", "d>c", "b>a", "c>a"]);
    let pace = Schedule {
        budget_hours: None,
        hours_per_week: Some(5),
    };
    let plan = g
        .plan_scheduled(
            &Profile::default(),
            &[to("d", 3)],
            PlanOptions::default(),
            pace,
        )
        .unwrap();
    // a, b, c 4 h each, then d 10 h: hours (0,4], (4,8], (8,12], (12,22] at 5 a week.
    let weeks: Vec<_> = plan
        .steps
        .iter()
        .map(|s| (s.skill.as_str(), s.start_week.unwrap(), s.end_week.unwrap()))
        .collect();
    assert_eq!(weeks, [("a", 1, 1), ("b", 1, 2), ("c", 2, 3), ("d", 3, 5)]);
    assert_eq!(plan.weeks, Some(5));
    // Without a pace, nothing changes and there are no weeks.
    let plain = g
        .plan(&Profile::default(), &[to("d", 3)], PlanOptions::default())
        .unwrap();
    assert_eq!(plain.weeks, None);
    assert!(plain.steps.iter().all(|s| s.start_week.is_none()));
    let mut unpaced = plan.clone();
    unpaced.weeks = None;
    for s in &mut unpaced.steps {
        (s.start_week, s.end_week) = (None, None);
    }
    assert_eq!(unpaced, plain);
    // Zero hours a week is no pace.
    let stalled = Schedule {
        budget_hours: None,
        hours_per_week: Some(0),
    };
    assert!(matches!(
        g.plan_scheduled(
            &Profile::default(),
            &[to("d", 3)],
            PlanOptions::default(),
            stalled
        ),
        Err(Error::InvalidInput(_))
    ));
}

/// b needs a; e is 40 h; o is optional. From nothing: a@2 4 h, b 10 h, e 40 h, o 10 h.
fn budget_graph() -> (SkillGraph, RoleId) {
    let mut g = graph(&["b>a", "c>a"]);
    g.upsert_skill(skill("e", "c", 40)).unwrap();
    g.upsert_skill(skill("o", "c", 10)).unwrap();
    g.upsert_role(role(
        "r",
        &[
            ("b", 3, Importance::Essential),
            ("e", 3, Importance::Essential),
            ("o", 3, Importance::Optional),
        ],
    ))
    .unwrap();
    (g, RoleId::parse("r").unwrap())
}

#[test]
fn a_budget_buys_essentials_first_then_the_most_readiness_per_hour() {
    let (g, r) = budget_graph();
    let targets = [Target::Role(r.clone())];
    let full = g
        .plan(&Profile::default(), &targets, PlanOptions::default())
        .unwrap();
    assert_eq!(skills_of(&full.steps), ["a", "e", "o", "b"]);
    assert_eq!(full.total_hours, 64);
    let within = |hours| {
        g.plan_scheduled(
            &Profile::default(),
            &targets,
            PlanOptions::default(),
            budget(hours),
        )
        .unwrap()
    };

    // 20 h: b with a (14 h, 3 of 7) beats e (40 h, 3 of 7); then nothing else fits.
    let plan = within(20);
    assert_eq!(skills_of(&plan.steps), ["a", "b"]);
    assert_eq!(plan.total_hours, 14);
    let b = plan.budget.as_ref().unwrap();
    assert_eq!(skills_of(&b.deferred), ["e", "o"]);
    // Deferred steps keep their place in the full plan.
    assert_eq!(b.deferred[0].position, 2);
    assert_eq!(b.deferred_hours, 50);
    assert_eq!(b.readiness, 0.0);
    assert!((b.readiness_within_budget - 3.0 / 7.0).abs() < 1e-12);
    assert!(!b.exact);
    assert_eq!(plan.full_hours(), 64);

    // 50 h: after b, e (40 h) does not fit the 36 h left, but the optional o does.
    let plan = within(50);
    assert_eq!(skills_of(&plan.steps), ["a", "o", "b"]);
    let b = plan.budget.as_ref().unwrap();
    assert_eq!(skills_of(&b.deferred), ["e"]);
    assert!((b.readiness_within_budget - 4.0 / 7.0).abs() < 1e-12);
    // Positions are renumbered; stages and order are the full plan's.
    assert_eq!(order(&plan), [("a", 1), ("o", 1), ("b", 2)]);

    // Everything fits: the full plan, exactly, nothing deferred.
    let plan = within(64);
    let b = plan.budget.clone().unwrap();
    assert!(b.exact && b.deferred.is_empty());
    assert!((b.readiness_within_budget - 1.0).abs() < 1e-12);
    let mut plain = plan;
    plain.budget = None;
    assert_eq!(plain, full);

    // Nothing fits: every step is deferred.
    let plan = within(0);
    assert!(plan.steps.is_empty());
    assert_eq!(plan.budget.unwrap().deferred, full.steps);
}

#[test]
fn a_shared_prerequisite_is_paid_once_and_readiness_matches_the_standing() {
    // b and c both need a@2 (4 h); each costs 10 h more. Together 24 h, apart 28 h.
    let g = graph(&["b>a", "c>a"]);
    let plan = g
        .plan_scheduled(
            &Profile::default(),
            &[to("b", 3), to("c", 3)],
            PlanOptions::default(),
            budget(24),
        )
        .unwrap();
    assert_eq!(skills_of(&plan.steps), ["a", "b", "c"]);
    assert!(plan.budget.unwrap().deferred.is_empty());

    // With a profile, a role's readiness now is the standing's, to the bit.
    let (g, r) = budget_graph();
    let from = have(&[("b", 2), ("o", 1)]);
    let gap = g.role_gap_scheduled(&from, &r, budget(45)).unwrap();
    let b = gap.plan.budget.as_ref().unwrap();
    assert_eq!(b.readiness, gap.standing.readiness);
    assert_eq!(gap.hours, gap.plan.full_hours());
    assert_eq!(gap.hours, g.role_gap(&from, &r).unwrap().hours);
}

#[test]
fn unknown_targets_and_empty_target_lists_are_errors() {
    let g = graph(&["b>a"]);
    assert!(matches!(
        g.plan(
            &Profile::default(),
            &[to("nope", 3)],
            PlanOptions::default()
        ),
        Err(Error::UnknownSkill(_))
    ));
    assert!(matches!(
        g.plan(&Profile::default(), &[], PlanOptions::default()),
        Err(Error::InvalidInput(_))
    ));
    assert!(
        g.plan(&have(&[("nope", 1)]), &[to("b", 1)], PlanOptions::default())
            .is_err()
    );
}

/// Adds `skill → requires`, needed only to take `skill` beyond `beyond`, at `min_level`.
fn beyond(g: &mut SkillGraph, skill: &str, requires: &str, beyond: i64, min_level: Option<i64>) {
    for s in [skill, requires] {
        if g.skill(s).is_none() {
            g.upsert_skill(crate::domain::graph::tests::skill(s, "c", 10))
                .unwrap();
        }
    }
    let spec = EdgeSpec {
        min_level: min_level.map(lvl),
        beyond: Some(lvl(beyond)),
        ..EdgeSpec::default()
    };
    g.add_prerequisite(&id(skill), &id(requires), spec).unwrap();
}

fn levels(plan: &LearningPlan) -> Vec<(&str, Option<u8>, u8, u32)> {
    plan.steps
        .iter()
        .map(|s| {
            let from = s.from_level.map(Level::get);
            (s.skill.as_str(), from, s.to_level.get(), s.stage)
        })
        .collect()
}

#[test]
fn a_skill_is_learned_in_level_steps_where_a_prerequisite_starts_to_apply() {
    // f (LLM fundamentals) needs t (transformers) only beyond 2; t needs d (deep learning).
    let mut g = graph(&["t>d"]);
    beyond(&mut g, "f", "t", 2, None);
    let plan = g
        .plan(&Profile::default(), &[to("f", 4)], PlanOptions::default())
        .unwrap();
    // f to 2 at once; t after d; f from 2 to 4 after t.
    assert_eq!(
        levels(&plan),
        [
            ("d", None, 2, 1),
            ("f", None, 2, 1),
            ("t", None, 2, 2),
            ("f", Some(2), 4, 3),
        ]
    );
    // Each step its own hours (10 h skills: 0 → 2 is 4 h, 2 → 4 is 16 h) and reason.
    let hours: Vec<u32> = plan.steps.iter().map(|s| s.hours).collect();
    assert_eq!(hours, [4, 4, 4, 16]);
    assert_eq!(plan.total_hours, 28);
    let first_f = &plan.steps[1];
    assert!(first_f.because.is_empty(), "{:?}", first_f.because);
    assert_eq!(first_f.chain, [id("f")]);
    assert_eq!(first_f.serves, [TargetRef::Skill(id("f"))]);
    assert_eq!(plan.steps[2].because, [id("f")]);
    // Below the cut, the prerequisite is not needed at all.
    let low = g
        .plan(&Profile::default(), &[to("f", 2)], PlanOptions::default())
        .unwrap();
    assert_eq!(levels(&low), [("f", None, 2, 1)]);
}

#[test]
fn a_held_level_at_or_above_the_cut_is_one_step_after_the_prerequisite() {
    let mut g = graph(&[]);
    beyond(&mut g, "f", "t", 2, None);
    let plan = g
        .plan(&have(&[("f", 2)]), &[to("f", 4)], PlanOptions::default())
        .unwrap();
    assert_eq!(levels(&plan), [("t", None, 2, 1), ("f", Some(2), 4, 2)]);
    // Nor is a skill split at a cut whose prerequisite is held already.
    let plan = g
        .plan(&have(&[("t", 3)]), &[to("f", 4)], PlanOptions::default())
        .unwrap();
    assert_eq!(levels(&plan), [("f", None, 4, 1)]);
}

#[test]
fn skills_that_need_each_other_at_different_levels_spiral() {
    // Python beyond 3 needs testing; testing needs Python at 2.
    let mut g = graph(&["testing>python"]);
    beyond(&mut g, "python", "testing", 3, None);
    let plan = g
        .plan(
            &Profile::default(),
            &[to("python", 4)],
            PlanOptions::default(),
        )
        .unwrap();
    assert_eq!(
        levels(&plan),
        [
            ("python", None, 3, 1),
            ("testing", None, 2, 2),
            ("python", Some(3), 4, 3),
        ]
    );
    // Held at 3 already, testing waits for nothing.
    let plan = g
        .plan(
            &have(&[("python", 3)]),
            &[to("python", 4)],
            PlanOptions::default(),
        )
        .unwrap();
    assert_eq!(
        levels(&plan),
        [("testing", None, 2, 1), ("python", Some(3), 4, 2)]
    );
}

#[test]
fn holding_a_skill_below_a_cut_implies_nothing_beyond_it() {
    let mut g = graph(&[]);
    beyond(&mut g, "f", "t", 2, Some(3));
    let at_two = g.holdings(&have(&[("f", 2)])).unwrap();
    assert_eq!(at_two.level(g.entry(&id("t")).unwrap().node), None);
    let at_four = g.holdings(&have(&[("f", 4)])).unwrap();
    assert_eq!(at_four.level(g.entry(&id("t")).unwrap().node), Some(lvl(3)));
}

#[test]
fn a_budget_buys_a_skills_lower_level_step_before_its_last() {
    // f to 4 needs t (40 h to 3) beyond 3; g needs nothing. Roles want f at 4 and g at 3.
    let mut g = graph(&[]);
    for (s, h) in [("t", 40), ("f", 20), ("h", 20)] {
        g.upsert_skill(skill(s, "c", h)).unwrap();
    }
    beyond(&mut g, "f", "t", 3, Some(3));
    g.upsert_role(role(
        "r",
        &[
            ("f", 4, Importance::Essential),
            ("h", 3, Importance::Essential),
        ],
    ))
    .unwrap();
    let target = [Target::Role(RoleId::parse("r").unwrap())];
    let schedule = Schedule {
        budget_hours: Some(45),
        hours_per_week: None,
    };
    let plan = g
        .plan_scheduled(
            &Profile::default(),
            &target,
            PlanOptions::default(),
            schedule,
        )
        .unwrap();
    // f to 3 (20 h) and h (20 h) fit; t (40 h) and f's last step (20 h) do not.
    assert_eq!(levels(&plan), [("f", None, 3, 1), ("h", None, 3, 1)]);
    let budget = plan.budget.unwrap();
    let deferred: Vec<_> = budget.deferred.iter().map(|s| s.skill.as_str()).collect();
    assert_eq!(deferred, ["t", "f"]);
    assert!(budget.readiness_within_budget > budget.readiness);
}
