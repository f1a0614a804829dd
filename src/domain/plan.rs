//! Learning plans: the ordered, staged steps from a profile to target skills and roles.
//!
//! This file holds the plan's values and entry points, and runs the phases in order; the rest
//! is split by job: [`groups`] (a "one of" group's option, chosen before the walk), [`walk`]
//! (the phases, from the targets' demand to the assembled steps) and [`budget`] (the budget
//! and the pace). The plan reads the graph, the holdings and readiness; it must not depend on
//! the questions asked of plans: role gaps and matching (`roles`), `next`, `similar`.
//!
//! # The model
//! * **Holdings** (see `holdings`): what a profile holds, explicitly and, through *required*
//!   prerequisites, by implication. Skills held by implication are reported as *implied*. A
//!   current role holds its essential requirements only: an optional one is what some of its
//!   holders have, so a plan teaches it unless the profile lists it.
//! * **Demand.** A target (a skill at a level, or every requirement of a role) demands its skill
//!   at a level. A demanded skill not held at that level becomes a step, and demands its own
//!   prerequisites that apply at that level, at [`EdgeSpec::needed_for`](super::EdgeSpec);
//!   a skill already held stops the walk, since what it needs is implied. So the cost of a plan grows with the part of the graph it touches, never with the
//!   whole graph. Recommended edges join the walk only when asked.
//! * **Groups.** A "one of" group of a demanded skill is satisfied by one option, chosen before
//!   the walk by [`resolve_groups`](SkillGraph::resolve_groups) (see `groups`): a held option
//!   if one suffices, else the option that adds the fewest hours. The chosen option is then an
//!   ordinary prerequisite of the skill for this plan, and its step lists the options it
//!   stands for as `alternatives`. Holding a skill implies nothing about its groups' options.
//!   A role's "one of" requirement not yet met by any option is a group of the role target,
//!   resolved the same way first: the chosen option is the requirement's step.
//! * **Level steps.** A prerequisite may apply only beyond a level of its dependent
//!   ([`EdgeSpec::beyond`](super::EdgeSpec::beyond): transformers to take LLM fundamentals
//!   beyond beginner). A skill is then learned in steps, cut at each such level between the
//!   level held and the level needed where the prerequisite is itself a step: LLM fundamentals
//!   to 2 early, 2 → 4 after transformers. Each step has its own stage, hours and reasons, and
//!   waits for the skill's step below it. Skills may so need each other at different levels
//!   (Python beyond 3 needs testing, testing needs Python at 2: a spiral, not a cycle); the
//!   graph refuses only a cycle on levels (see `graph::dag`), so the steps can always be put
//!   in order.
//! * **Stages.** A step's stage is one more than the latest stage of the steps it waits for,
//!   so steps of one stage can be learned in parallel. A step waits for the step that takes
//!   each prerequisite applying at the level it reaches to the level it needs there; a
//!   prerequisite already held at that level is not waited for, even when the plan raises it
//!   further. Steps are ordered by stage, then category order, then id: a topological order
//!   of what each step needs, with a deterministic tie-break.
//! * **Hours.** A step costs [`Level::hours_between`] the level it starts at and the level it
//!   reaches.
//!   The critical path is the heaviest chain of waiting steps: the least calendar time with
//!   unlimited parallel study.
//! * **Readiness** for a role is the weighted share of the role's learning effort already done,
//!   defined once in `readiness`.
//! * **Pace** (optional, [`Schedule::hours_per_week`]): one learner takes the steps one after
//!   another in plan order at a fixed number of hours a week. A step's weeks are 1-based: it
//!   starts in the week its first hour falls in and ends in the week its last hour falls in,
//!   so a step that spans weeks has `end_week > start_week`, and two steps can share a week.
//!   The plan's `weeks` is the last step's `end_week`: `ceil(total_hours / hours_per_week)`.
//! * **Budget** (optional, [`Schedule::budget_hours`]): the plan keeps the steps that fit the
//!   budget (see [`Budgeted`]) and defers the rest. Each open requirement of the targets (a
//!   role's requirement not yet met, or a target skill, which counts as an essential one) is
//!   bought up to one of its skill's level steps: that step and every step it waits for,
//!   transitively (with level steps, a requirement can be bought to its lower level first,
//!   so a budget buys usable depth in several skills before the last level of one; its
//!   readiness counts the level reached). Greedily, essentials
//!   before optionals, and within each the requirement that raises readiness most per extra
//!   hour (steps already bought cost nothing again) among those that still fit; ties go to
//!   the earlier step. The kept steps are prerequisite-closed, so they keep their stages and
//!   plan order: the budgeted plan is a subsequence of the full one. The exact problem (a
//!   knapsack with precedence constraints) is NP-hard; the greedy choice is exact when
//!   everything fits or at most one requirement is open ([`Budgeted::exact`]).

mod budget;
mod groups;
#[cfg(test)]
pub(crate) mod tests;
mod walk;

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use self::budget::pace;
use self::groups::Choices;
use self::walk::{Demands, Staged, critical_path, explain, stage, steps_met};
use super::graph::SkillGraph;
use super::holdings::Holdings;
use super::scratch::{NodeMap, node_map, with_map};
use super::{Error, Follow, Level, Profile, RoleId, SkillId};

/// What a plan should reach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Skill {
        skill: SkillId,
        level: Level,
    },
    /// Every requirement of the role at its level (optional ones per [`PlanOptions`]).
    Role(RoleId),
}

/// A target as a step's reason: the skill or role the step ultimately serves.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum TargetRef {
    Skill(SkillId),
    Role(RoleId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanOptions {
    /// Follow recommended prerequisites too, not only required ones.
    pub include_recommended: bool,
    /// For role targets, include optional requirements, not only essential ones.
    pub include_optional: bool,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            include_recommended: false,
            include_optional: true,
        }
    }
}

/// One thing to learn, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 1-based position in the plan.
    pub position: u32,
    /// 1-based stage; all steps this one waits for are in earlier stages.
    pub stage: u32,
    pub skill: SkillId,
    /// The level held now (`None`: not at all).
    pub from_level: Option<Level>,
    pub to_level: Level,
    pub hours: u32,
    /// The skills of the later steps of this plan that wait for this one, in plan order, each
    /// once; a skill's own next level step is not named (it is there for what that one serves).
    pub because: Vec<SkillId>,
    /// The 1-based positions of the later steps that wait for this one, in plan order, a
    /// skill's own next level step included: what a drawing links, since a skill's id may
    /// stand for more than one step.
    pub dependents: Vec<u32>,
    /// The targets this step leads to, sorted.
    pub serves: Vec<TargetRef>,
    /// This skill, then the skills it unlocks on the shortest way to a target, ending at a
    /// target skill (a skill target, or a requirement of a role target).
    pub chain: Vec<SkillId>,
    /// For an option chosen for a "one of" group: the group's other options, which would do
    /// instead (in display order). Empty for an ordinary step.
    pub alternatives: Vec<SkillId>,
    /// With a pace: the 1-based week this step starts in (see the module docs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_week: Option<u32>,
    /// With a pace: the 1-based week this step ends in, `>= start_week`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_week: Option<u32>,
}

/// A skill the plan needed that the profile holds only by implication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImpliedSkill {
    pub skill: SkillId,
    pub level: Level,
    /// The held skill whose prerequisite chain implies it.
    pub via: SkillId,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LearningPlan {
    pub steps: Vec<Step>,
    pub stages: u32,
    pub total_hours: u64,
    pub critical_path_hours: u64,
    pub implied: Vec<ImpliedSkill>,
    /// With a pace: the weeks the steps take one after another (the last step's `end_week`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u32>,
    /// With a budget: what did not fit, and the readiness reached within it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budgeted>,
}

impl LearningPlan {
    /// The hours of the whole plan: its steps and, with a budget, the deferred ones.
    pub fn full_hours(&self) -> u64 {
        self.total_hours + self.budget.as_ref().map_or(0, |b| b.deferred_hours)
    }
}

/// How a plan meets a budget (see the module docs for how it chooses).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Budgeted {
    pub budget_hours: u64,
    /// The steps of the full plan that did not fit, in its order, as they are in it (their
    /// positions and stages are the full plan's).
    pub deferred: Vec<Step>,
    pub deferred_hours: u64,
    /// Readiness for the targets now: for role targets as `readiness` defines it (a role's
    /// standing reports the same), over all their requirements; a target skill weighs as an
    /// essential requirement.
    pub readiness: f64,
    /// The same once the plan's steps (those within the budget) are learned.
    pub readiness_within_budget: f64,
    /// Whether the choice is known to be the best: everything fitted, or at most one
    /// requirement was open. Otherwise it is the greedy heuristic's.
    pub exact: bool,
}

/// Time limits on a plan: a budget of hours and a pace. The default asks for neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Keep only the steps that fit these many hours (see the module docs).
    pub budget_hours: Option<u64>,
    /// Number each step's weeks at this many hours a week; must be above 0.
    pub hours_per_week: Option<u32>,
}

// A plan's view of the holdings, what it needs, and each step's index.
node_map!(HELD_HERE: Option<Level>);
node_map!(NEEDED: Option<Level>);
node_map!(STEP: u32);

impl SkillGraph {
    /// The ordered, staged plan from `profile` to `targets`. See the module docs for the rules.
    pub fn plan(
        &self,
        profile: &Profile,
        targets: &[Target],
        options: PlanOptions,
    ) -> Result<LearningPlan, Error> {
        self.plan_scheduled(profile, targets, options, Schedule::default())
    }

    /// [`plan`](Self::plan) within a budget of hours and at a pace (see the module docs).
    pub fn plan_scheduled(
        &self,
        profile: &Profile,
        targets: &[Target],
        options: PlanOptions,
        schedule: Schedule,
    ) -> Result<LearningPlan, Error> {
        if targets.is_empty() {
            return Err(Error::InvalidInput(
                "a plan needs at least one target skill or role".into(),
            ));
        }
        let holdings = self.holdings(profile)?;
        self.plan_from(&holdings, targets, options, schedule)
    }

    /// [`plan_scheduled`](Self::plan_scheduled) from holdings already walked: role gaps
    /// share one holdings walk between the standing and the plan.
    pub(super) fn plan_from(
        &self,
        holdings: &Holdings,
        targets: &[Target],
        options: PlanOptions,
        schedule: Schedule,
    ) -> Result<LearningPlan, Error> {
        debug_assert!(holdings.is_complete(), "a plan needs every skill held");
        if schedule.hours_per_week == Some(0) {
            return Err(Error::InvalidInput("hours per week must be above 0".into()));
        }
        // The targets first: unknown ids fail here, before any walk.
        let mut demands = self.demands(targets, options, schedule.budget_hours.is_some())?;
        // The groups, the demand and the step graph follow the same edges.
        let follow = Follow::recommended_if(options.include_recommended);
        let bound = self.node_bound();
        // Three dense maps of this thread (see `scratch`): what is held, what is needed, and
        // each step's index. A plan reads the first two for every node and edge it touches.
        let plan = with_map(&HELD_HERE, bound, |held| {
            for (node, level) in holdings.levels() {
                held.insert(node, Some(level));
            }
            let one_of: Vec<(&[NodeIndex], Level)> = demands
                .one_of
                .iter()
                .map(|o| (o.options.as_slice(), o.level))
                .collect();
            let held_at = |n| held.get(n).flatten();
            let choices = self.resolve_groups(held_at, &demands.seeds, &one_of, follow);
            // The chosen options are targets like the others from here on.
            demands.settle(choices.targets());
            with_map(&NEEDED, bound, |needed| {
                with_map(&STEP, bound, |step| {
                    let walk = (&demands, &choices);
                    self.plan_walk(held, needed, step, walk, holdings, follow, schedule)
                })
            })
        });
        Ok(plan)
    }

    /// The phases of a plan (see `walk` and `budget`), over the maps
    /// [`plan_from`](Self::plan_from) prepared: `held` (the holdings, filled), `needed` and
    /// `step_of` (empty). Each phase is a function of what the earlier ones gave; none keeps
    /// state of its own.
    #[allow(clippy::too_many_arguments)]
    fn plan_walk(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &mut NodeMap<Option<Level>>,
        step_of: &mut NodeMap<u32>,
        (demands, choices): (&Demands, &Choices),
        holdings: &Holdings,
        follow: Follow,
        schedule: Schedule,
    ) -> LearningPlan {
        let own_targets = &demands.own_targets;
        self.demand(held, needed, &demands.seeds, choices, follow);
        let met = steps_met(held, needed);
        let steps = self.step_graph(held, needed, met, step_of, choices, follow);
        let mut plan = Staged {
            ordered: self.order(&steps, stage(&steps)),
            hours: self.step_hours(&steps),
            steps,
        };
        let mut budget = None;
        if let Some(budget_hours) = schedule.budget_hours {
            let (kept, budgeted) =
                self.within_budget(held, step_of, (demands, choices), plan, budget_hours);
            plan = kept;
            budget = Some(budgeted);
        }
        let reasons = explain(&plan.steps, &plan.ordered, own_targets);
        let critical_path_hours = critical_path(&plan.steps, &plan.ordered, &plan.hours);
        let mut steps = self.assemble(&plan, &reasons, choices);
        let ordered = plan.ordered;
        let weeks = schedule.hours_per_week.map(|h| pace(&mut steps, h));
        LearningPlan {
            stages: ordered.depth,
            total_hours: steps.iter().map(|s| u64::from(s.hours)).sum(),
            critical_path_hours,
            implied: self.implied(held, needed, holdings),
            steps,
            weeks,
            budget,
        }
    }
}
