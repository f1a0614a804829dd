//! Learning plans and role gaps: the questions a person asks of the graph (matching is in
//! `roles`).
//!
//! # The model
//! * **Holdings** (see `holdings`): what a profile holds, explicitly and, through *required*
//!   prerequisites, by implication. Skills held by implication are reported as *implied*.
//! * **Demand.** A target (a skill at a level, or every requirement of a role) demands its skill
//!   at a level. A demanded skill not held at that level becomes a step, and demands its own
//!   prerequisites at `needed_level`; a skill already held stops the walk, since what it needs is
//!   implied. So the cost of a plan grows with the part of the graph it touches, never with the
//!   whole graph. Recommended edges join the walk only when asked.
//! * **Groups.** A "one of" group of a demanded skill is satisfied by one option, chosen before
//!   the walk by [`resolve_groups`](SkillGraph::resolve_groups) (see `groups`): a held option
//!   if one suffices, else the option that adds the fewest hours. The chosen option is then an
//!   ordinary prerequisite of the skill for this plan, and its step lists the options it
//!   stands for as `alternatives`. Holding a skill implies nothing about its groups' options.
//! * **Stages.** A step's stage is one more than the latest stage of the steps it waits for
//!   (its prerequisites that are steps too), so steps of one stage can be learned in parallel.
//!   A prerequisite that is a step always comes first, even when the dependent would make do
//!   with the level already held: the plan stays a topological order of what it includes. Steps are ordered by stage, then category order, then
//!   id: a topological order with a deterministic tie-break.
//! * **Hours.** A step costs [`Level::hours_between`] its held level and the level it must reach.
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
//!   bought whole: its step and every step it waits for, transitively. Greedily, essentials
//!   before optionals, and within each the requirement that raises readiness most per extra
//!   hour (steps already bought cost nothing again) among those that still fit; ties go to
//!   the earlier step. The kept steps are prerequisite-closed, so they keep their stages and
//!   plan order: the budgeted plan is a subsequence of the full one. The exact problem (a
//!   knapsack with precedence constraints) is NP-hard; the greedy choice is exact when
//!   everything fits or at most one requirement is open ([`Budgeted::exact`]).

mod groups;

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use self::groups::Choices;
use super::graph::SkillGraph;
use super::holdings::{Holdings, above};
use super::readiness::{readiness_of, readiness_share};
use super::scratch::{NodeMap, node_map, with_map};
use super::{Error, Follow, Importance, Level, Profile, Requirement, RoleId, SkillId};

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
    /// Later steps of this plan that wait for this one, in plan order.
    pub because: Vec<SkillId>,
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
    /// Readiness for the targets now: for role targets as in [`RoleStanding::readiness`],
    /// over all their requirements; a target skill weighs as an essential requirement.
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

/// A requirement of the plan's targets, for budgets: a role's requirement, or a target skill.
struct Want {
    node: NodeIndex,
    level: Level,
    importance: Importance,
    /// Whether the plan learns it (an optional requirement left out by the options is not,
    /// but still counts in readiness).
    planned: bool,
}

/// What the targets demand: the seeds of the walk, the target each target node is part of,
/// and (with a budget) the requirements to choose among.
struct Demands {
    seeds: Vec<(NodeIndex, Level)>,
    own_targets: HashMap<NodeIndex, BTreeSet<TargetRef>>,
    wants: Vec<Want>,
}

/// A role requirement with the level the profile holds (`None`: not at all).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementStatus {
    pub requirement: Requirement,
    pub current: Option<Level>,
}

/// Where a profile stands against a role's requirements: cheap (one look per requirement),
/// unlike the plan that closes the gap, so callers that only list requirements ask for this.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleStanding {
    pub role: RoleId,
    /// In `[0, 1]`; see the module docs.
    pub readiness: f64,
    /// Each list: essential requirements first, then by category order and id.
    pub satisfied: Vec<RequirementStatus>,
    pub under_level: Vec<RequirementStatus>,
    pub missing: Vec<RequirementStatus>,
}

/// A role's standing together with the plan that closes the gap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleGap {
    #[serde(flatten)]
    pub standing: RoleStanding,
    /// Hours of the plan that closes every unmet requirement.
    pub hours: u64,
    pub plan: LearningPlan,
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

    fn plan_from(
        &self,
        holdings: &Holdings,
        targets: &[Target],
        options: PlanOptions,
        schedule: Schedule,
    ) -> Result<LearningPlan, Error> {
        if schedule.hours_per_week == Some(0) {
            return Err(Error::InvalidInput("hours per week must be above 0".into()));
        }
        // The targets first: unknown ids fail here, before any walk.
        let mut own_targets: HashMap<NodeIndex, BTreeSet<TargetRef>> = HashMap::default();
        let mut seeds: Vec<(NodeIndex, Level)> = Vec::new();
        let mut wants: Vec<Want> = Vec::new();
        let budgeted = schedule.budget_hours.is_some();
        for target in targets {
            match target {
                Target::Skill { skill, level } => {
                    let node = self.entry(skill)?.node;
                    seeds.push((node, *level));
                    if budgeted {
                        wants.push(Want {
                            node,
                            level: *level,
                            importance: Importance::Essential,
                            planned: true,
                        });
                    }
                    own_targets
                        .entry(node)
                        .or_default()
                        .insert(TargetRef::Skill(skill.clone()));
                }
                Target::Role(role) => {
                    for r in &self.role_entry(role)?.requirements {
                        let planned =
                            r.importance == Importance::Essential || options.include_optional;
                        if budgeted {
                            wants.push(Want {
                                node: self.entry(&r.skill)?.node,
                                level: r.level,
                                importance: r.importance,
                                planned,
                            });
                        }
                        if !planned {
                            continue;
                        }
                        let node = self.entry(&r.skill)?.node;
                        seeds.push((node, r.level));
                        own_targets
                            .entry(node)
                            .or_default()
                            .insert(TargetRef::Role(role.clone()));
                    }
                }
            }
        }
        let demands = Demands {
            seeds,
            own_targets,
            wants,
        };
        let bound = self.node_bound();
        // Three dense maps of this thread (see `scratch`): what is held, what is needed, and
        // each step's index. A plan reads the first two for every node and edge it touches.
        let plan = with_map(&HELD_HERE, bound, |held| {
            for (node, level) in holdings.levels() {
                held.insert(node, Some(level));
            }
            let follow = Follow::recommended_if(options.include_recommended);
            let choices = self.resolve_groups(|n| held.get(n).flatten(), &demands.seeds, follow);
            with_map(&NEEDED, bound, |needed| {
                with_map(&STEP, bound, |step| {
                    let walk = (&demands, &choices);
                    self.plan_walk(held, needed, step, walk, holdings, options, schedule)
                })
            })
        });
        Ok(plan)
    }

    /// The phases of a plan, over the maps [`plan_from`](Self::plan_from) prepared: `held`
    /// (the holdings, filled), `needed` and `step_of` (empty). Each phase is a function of what
    /// the earlier ones gave; none keeps state of its own.
    #[allow(clippy::too_many_arguments)]
    fn plan_walk(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &mut NodeMap<Option<Level>>,
        step_of: &mut NodeMap<u32>,
        (demands, choices): (&Demands, &Choices),
        holdings: &Holdings,
        options: PlanOptions,
        schedule: Schedule,
    ) -> LearningPlan {
        let own_targets = &demands.own_targets;
        self.demand(held, needed, &demands.seeds, choices, options);
        let steps = self.step_graph(steps_met(held, needed), step_of, choices, options);
        let mut plan = Staged {
            ordered: self.order(&steps, stage(&steps)),
            hours: self.step_hours(held, needed, &steps),
            steps,
        };
        let mut budget = None;
        if let Some(budget_hours) = schedule.budget_hours {
            let (kept, budgeted) = self.within_budget(
                held,
                needed,
                step_of,
                (demands, choices),
                plan,
                budget_hours,
            );
            plan = kept;
            budget = Some(budgeted);
        }
        let reasons = explain(&plan.steps, &plan.ordered, own_targets);
        let critical_path_hours = critical_path(&plan.steps, &plan.ordered, &plan.hours);
        let mut steps = self.assemble(held, needed, &plan, &reasons, choices);
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

    /// Phase "budget": chooses the steps of the full plan `plan` that fit `budget_hours` (see
    /// [`fit`]) and gives the plan of those steps, staged and ordered again (the same stages
    /// and order: the kept steps are prerequisite-closed), with the deferred steps as the full
    /// plan has them and the readiness before and after.
    fn within_budget(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &NodeMap<Option<Level>>,
        step_of: &NodeMap<u32>,
        (demands, choices): (&Demands, &Choices),
        plan: Staged,
        budget_hours: u64,
    ) -> (Staged, Budgeted) {
        let choice = fit(&plan, &demands.wants, held, step_of, budget_hours);
        let now = readiness(&demands.wants, |w| held_at(held, w.node));
        let within = readiness(&demands.wants, |w| match step_of.get(w.node) {
            Some(i) if choice.keep[i as usize] => Some(needed_at(needed, w.node)),
            _ => held_at(held, w.node),
        });
        let mut deferred = Vec::new();
        let mut plan = plan;
        if choice.keep.contains(&false) {
            let reasons = explain(&plan.steps, &plan.ordered, &demands.own_targets);
            deferred = self.assemble(held, needed, &plan, &reasons, choices);
            deferred.retain(|s| !choice.keep[plan.ordered.order[s.position as usize - 1]]);
            let steps = plan.steps.restrict(&choice.keep);
            plan = Staged {
                ordered: self.order(&steps, stage(&steps)),
                hours: keep_only(plan.hours, &choice.keep),
                steps,
            };
        }
        let budgeted = Budgeted {
            budget_hours,
            deferred_hours: deferred.iter().map(|s| u64::from(s.hours)).sum(),
            deferred,
            readiness: now,
            readiness_within_budget: within,
            exact: choice.exact,
        };
        (plan, budgeted)
    }

    /// Phase 1, demand: walks down from the `seeds` (target skills at levels) through skills
    /// not yet held well enough, raising `needed` to the most each skill is needed at. Takes
    /// `held` filled and `needed` empty; gives `needed` for every node the walk touched
    /// (held ones included: they stop the walk, and may be reported as implied).
    fn demand(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &mut NodeMap<Option<Level>>,
        seeds: &[(NodeIndex, Level)],
        choices: &Choices,
        options: PlanOptions,
    ) {
        let mut work: Vec<NodeIndex> = Vec::new();
        for &(node, level) in seeds {
            raise(held, needed, &mut work, node, level);
        }
        while let Some(node) = work.pop() {
            let level = needed_at(needed, node);
            let edges =
                self.prerequisite_edges(node, Follow::recommended_if(options.include_recommended));
            // The option chosen for each of the skill's groups is a prerequisite like the others.
            for (prerequisite, spec) in edges.chain(choices.edges(node)) {
                raise(
                    held,
                    needed,
                    &mut work,
                    prerequisite,
                    spec.needed_level(level),
                );
            }
        }
    }

    /// Phase 2, the step graph: numbers the steps `nodes` (as [`steps_met`] gives them) in
    /// that order, recording each node's number in `step_of` (empty before), and lists what
    /// each step waits for and what waits for it.
    fn step_graph(
        &self,
        nodes: Vec<NodeIndex>,
        step_of: &mut NodeMap<u32>,
        choices: &Choices,
        options: PlanOptions,
    ) -> StepGraph {
        for (i, &node) in nodes.iter().enumerate() {
            step_of.insert(node, i as u32);
        }
        let n = nodes.len();
        let (mut start, mut items) = (Vec::with_capacity(n + 1), Vec::new());
        for &node in &nodes {
            start.push(items.len());
            items.extend(
                self.prerequisite_edges(node, Follow::recommended_if(options.include_recommended))
                    .chain(choices.edges(node))
                    .filter_map(|(p, _)| step_of.get(p)),
            );
        }
        start.push(items.len());
        let preds = Links { start, items };
        let succs = preds.reversed(n);
        StepGraph {
            nodes,
            preds,
            succs,
        }
    }

    /// Phase 4, order: sorts the staged steps by stage, then category order, then id (a
    /// topological order with a deterministic tie-break). Gives both directions of the
    /// permutation, with the stages.
    fn order(&self, steps: &StepGraph, (stage, depth): (Vec<u32>, u32)) -> Ordered {
        let n = steps.nodes.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_cached_key(|&i| (stage[i], self.order_key(steps.nodes[i])));
        let mut position = vec![0usize; n];
        for (at, &i) in order.iter().enumerate() {
            position[i] = at;
        }
        Ordered {
            stage,
            depth,
            order,
            position,
        }
    }

    /// The hours of each step (by step index): from the level held to the level needed.
    fn step_hours(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &NodeMap<Option<Level>>,
        steps: &StepGraph,
    ) -> Vec<u32> {
        steps
            .nodes
            .iter()
            .map(|&node| {
                let skill = self.skill_at(node);
                Level::hours_between(skill.hours, held_at(held, node), needed_at(needed, node))
            })
            .collect()
    }

    /// Phase 6, assembly: the plan's steps, in plan order, from the earlier phases' arrays.
    fn assemble(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &NodeMap<Option<Level>>,
        plan: &Staged,
        reasons: &Reasons<'_>,
        choices: &Choices,
    ) -> Vec<Step> {
        let Staged {
            steps,
            ordered,
            hours,
        } = plan;
        let id_at = |at: usize| self.graph[steps.nodes[ordered.order[at]]].clone();
        (0..steps.nodes.len())
            .map(|at| {
                let i = ordered.order[at];
                let node = steps.nodes[i];
                let skill = self.skill_at(node);
                let mut chain = vec![skill.id.clone()];
                let mut cursor = reasons.toward[at].1;
                while let Some(next) = cursor {
                    chain.push(id_at(next));
                    cursor = reasons.toward[next].1;
                }
                Step {
                    position: at as u32 + 1,
                    stage: ordered.stage[i],
                    skill: skill.id.clone(),
                    from_level: held_at(held, node),
                    to_level: needed_at(needed, node),
                    hours: hours[i],
                    because: reasons.because[at].iter().map(|&d| id_at(d)).collect(),
                    serves: reasons.served(at),
                    chain,
                    alternatives: {
                        let mut others = choices.alternatives(node).to_vec();
                        others.sort_by_cached_key(|&n| self.order_key(n));
                        others.into_iter().map(|n| self.graph[n].clone()).collect()
                    },
                    start_week: None,
                    end_week: None,
                }
            })
            .collect()
    }

    /// Phase 7, implied skills: the demanded skills held only by implication, by category
    /// order and id, each with the held skill that implies it.
    fn implied(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &NodeMap<Option<Level>>,
        holdings: &Holdings,
    ) -> Vec<ImpliedSkill> {
        let mut implied: Vec<NodeIndex> = needed
            .touched()
            .iter()
            .copied()
            .filter(|&n| {
                let level = needed_at(needed, n);
                !above(level, held_at(held, n)) && above(level, holdings.explicit(n))
            })
            .collect();
        implied.sort_by_cached_key(|&n| self.order_key(n));
        implied
            .into_iter()
            .map(|n| {
                let (level, via) = holdings
                    .effective(n)
                    .expect("an implied skill is held by implication");
                ImpliedSkill {
                    skill: self.graph[n].clone(),
                    level,
                    via: self.graph[via].clone(),
                }
            })
            .collect()
    }

    /// Where a profile stands against a role, and the plan that closes the gap.
    pub fn role_gap(&self, profile: &Profile, role: &RoleId) -> Result<RoleGap, Error> {
        self.role_gap_scheduled(profile, role, Schedule::default())
    }

    /// [`role_gap`](Self::role_gap) with its plan within a budget and at a pace; `hours`
    /// stays the hours of the whole gap.
    pub fn role_gap_scheduled(
        &self,
        profile: &Profile,
        role: &RoleId,
        schedule: Schedule,
    ) -> Result<RoleGap, Error> {
        let holdings = self.holdings(profile)?;
        let standing = self.role_standing(&holdings, role)?;
        let plan = self.gap_plan_scheduled(&holdings, role, schedule)?;
        Ok(RoleGap {
            standing,
            hours: plan.full_hours(),
            plan,
        })
    }

    /// Where `holdings` stand against a role's requirements, without planning.
    pub fn role_standing(&self, holdings: &Holdings, role: &RoleId) -> Result<RoleStanding, Error> {
        let role_data = self.role_entry(role)?;
        let mut statuses: Vec<(NodeIndex, RequirementStatus)> = role_data
            .requirements
            .iter()
            .map(|r| {
                let node = self.entry(&r.skill)?.node;
                let status = RequirementStatus {
                    requirement: r.clone(),
                    current: holdings.level(node),
                };
                Ok((node, status))
            })
            .collect::<Result<_, Error>>()?;
        statuses.sort_by_cached_key(|(node, s)| (s.requirement.importance, self.order_key(*node)));
        let (mut satisfied, mut under_level, mut missing) = (vec![], vec![], vec![]);
        for (_, status) in statuses {
            match status.current {
                Some(level) if level >= status.requirement.level => satisfied.push(status),
                Some(_) => under_level.push(status),
                None => missing.push(status),
            }
        }
        Ok(RoleStanding {
            role: role.clone(),
            readiness: self.readiness(holdings, &role_data.requirements)?,
            satisfied,
            under_level,
            missing,
        })
    }

    /// The plan from `holdings` that closes every unmet requirement of a role.
    pub fn gap_plan(&self, holdings: &Holdings, role: &RoleId) -> Result<LearningPlan, Error> {
        self.gap_plan_scheduled(holdings, role, Schedule::default())
    }

    /// [`gap_plan`](Self::gap_plan) within a budget and at a pace.
    pub fn gap_plan_scheduled(
        &self,
        holdings: &Holdings,
        role: &RoleId,
        schedule: Schedule,
    ) -> Result<LearningPlan, Error> {
        self.plan_from(
            holdings,
            &[Target::Role(role.clone())],
            PlanOptions::default(),
            schedule,
        )
    }
}

/// The level `node` is held at, in a plan's map of the holdings.
fn held_at(held: &NodeMap<Option<Level>>, node: NodeIndex) -> Option<Level> {
    held.get(node).flatten()
}

/// The level a node the demand walk touched is needed at.
fn needed_at(needed: &NodeMap<Option<Level>>, node: NodeIndex) -> Level {
    needed
        .get(node)
        .flatten()
        .expect("a demanded node has a level")
}

/// One demand of the walk: raises `node`'s needed level to `level`, and queues it to demand
/// its own prerequisites when that is more than it is held at.
fn raise(
    held: &NodeMap<Option<Level>>,
    needed: &mut NodeMap<Option<Level>>,
    work: &mut Vec<NodeIndex>,
    node: NodeIndex,
    level: Level,
) {
    if above(level, needed.get(node).flatten()) {
        needed.insert(node, Some(level));
        if above(level, held_at(held, node)) {
            work.push(node);
        }
    }
}

/// The steps after the demand walk: the touched nodes needed above the level held, in the
/// order the walk met them.
fn steps_met(held: &NodeMap<Option<Level>>, needed: &NodeMap<Option<Level>>) -> Vec<NodeIndex> {
    needed
        .touched()
        .iter()
        .copied()
        .filter(|&n| above(needed_at(needed, n), held_at(held, n)))
        .collect()
}

/// The greedy budget choice (see the module docs): which steps (by index) the plan keeps.
struct Choice {
    keep: Vec<bool>,
    exact: bool,
}

/// The budget's choice: the requirements to buy whole within `budget` hours, essentials
/// first, each time the one with the most readiness per extra hour among those that still fit
/// (ties: the earlier step). Takes the full plan and the targets' requirements (`step_of`
/// maps their nodes to steps); gives the kept steps, a prerequisite-closed set.
fn fit(
    plan: &Staged,
    wants: &[Want],
    held: &NodeMap<Option<Level>>,
    step_of: &NodeMap<u32>,
    budget: u64,
) -> Choice {
    let Staged {
        steps,
        ordered,
        hours,
    } = plan;
    let n = steps.nodes.len();
    // The open requirements: (its step, readiness it adds (weighted), the steps it needs).
    let mut open: Vec<(usize, Importance, f64, Vec<u32>)> = Vec::new();
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    for want in wants {
        let now = held_at(held, want.node);
        if !want.planned || !above(want.level, now) {
            continue;
        }
        let Some(i) = step_of.get(want.node) else {
            continue;
        };
        let (done, weight) = readiness_share(want.importance, want.level, now);
        // Its closure: the step and everything it waits for, transitively.
        seen.fill(false);
        let mut closure = Vec::new();
        stack.push(i);
        seen[i as usize] = true;
        while let Some(s) = stack.pop() {
            closure.push(s);
            for &p in steps.preds.of(s as usize) {
                if !std::mem::replace(&mut seen[p as usize], true) {
                    stack.push(p);
                }
            }
        }
        open.push((i as usize, want.importance, weight - done, closure));
    }
    open.sort_by_key(|o| (o.1, ordered.position[o.0]));
    let total: u64 = hours.iter().map(|&h| u64::from(h)).sum();
    let exact = total <= budget || open.len() <= 1;
    let mut keep = vec![false; n];
    if total <= budget {
        keep.fill(true);
        return Choice { keep, exact };
    }
    let mut left = budget;
    let mut taken = vec![false; open.len()];
    for tier in [Importance::Essential, Importance::Optional] {
        loop {
            // (index into `open`, extra hours, gain)
            let mut best: Option<(usize, u64, f64)> = None;
            for (k, (_, importance, gain, closure)) in open.iter().enumerate() {
                if taken[k] || *importance != tier {
                    continue;
                }
                let extra: u64 = closure
                    .iter()
                    .filter(|&&s| !keep[s as usize])
                    .map(|&s| u64::from(hours[s as usize]))
                    .sum();
                if extra > left {
                    continue;
                }
                // More gain per hour wins; `a/b > c/d` as `a·d > c·b`, so no hour is zero.
                let better = best.is_none_or(|(_, e, g)| gain * e as f64 > g * extra as f64);
                if better {
                    best = Some((k, extra, *gain));
                }
            }
            let Some((k, extra, _)) = best else { break };
            taken[k] = true;
            left -= extra;
            for &s in &open[k].3 {
                keep[s as usize] = true;
            }
        }
    }
    Choice { keep, exact }
}

/// Readiness over the targets' requirements (see the module docs), each held at `level_of`.
fn readiness(wants: &[Want], level_of: impl Fn(&Want) -> Option<Level>) -> f64 {
    readiness_of(wants.iter().map(|w| (w.importance, w.level, level_of(w))))
}

/// The items of `list` (by step index) whose step is kept.
fn keep_only<T>(list: Vec<T>, keep: &[bool]) -> Vec<T> {
    list.into_iter()
        .zip(keep)
        .filter_map(|(item, &k)| k.then_some(item))
        .collect()
}

/// Phase "pace": numbers each step's weeks, taken one after another in plan order at
/// `hours_per_week`, and gives the plan's weeks (see the module docs).
fn pace(steps: &mut [Step], hours_per_week: u32) -> u32 {
    let h = u64::from(hours_per_week);
    let mut done = 0u64;
    let mut weeks = 0u32;
    for step in steps {
        let before = done;
        done += u64::from(step.hours);
        let week = |hours: u64| u32::try_from(hours).unwrap_or(u32::MAX);
        let (start, end) = if done == before {
            // No hours: in the week the previous step ended (the first week if none).
            let w = week(before.div_ceil(h)).max(1);
            (w, w)
        } else {
            (week(before / h + 1), week(done.div_ceil(h)))
        };
        step.start_week = Some(start);
        step.end_week = Some(end);
        weeks = end;
    }
    weeks
}

/// Lists of step indices, one list per step, in one flat array.
struct Links {
    start: Vec<usize>,
    items: Vec<u32>,
}

impl Links {
    fn of(&self, i: usize) -> &[u32] {
        &self.items[self.start[i]..self.start[i + 1]]
    }

    /// The same edges the other way round, over `n` steps: for each step, the steps whose
    /// lists hold it, in step order.
    fn reversed(&self, n: usize) -> Links {
        let mut start = vec![0usize; n + 1];
        for &p in &self.items {
            start[p as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut items = vec![0u32; self.items.len()];
        let mut fill = start.clone();
        for i in 0..n {
            for &p in self.of(i) {
                items[fill[p as usize]] = i as u32;
                fill[p as usize] += 1;
            }
        }
        Links { start, items }
    }
}

/// A plan's steps as indices `0..n` in the order the walk met them, with what each waits for
/// (`preds`: its prerequisites that are steps) and what waits for it (`succs`).
struct StepGraph {
    nodes: Vec<NodeIndex>,
    preds: Links,
    succs: Links,
}

/// A plan before assembly: its step graph, order and each step's hours.
struct Staged {
    steps: StepGraph,
    ordered: Ordered,
    /// By step index.
    hours: Vec<u32>,
}

/// The steps staged and put in plan order.
struct Ordered {
    /// By step index: the 1-based stage.
    stage: Vec<u32>,
    /// How many stages.
    depth: u32,
    /// By position: the step index.
    order: Vec<usize>,
    /// By step index: the position.
    position: Vec<usize>,
}

impl StepGraph {
    /// The steps `keep` marks (a prerequisite-closed set), renumbered in the same order.
    fn restrict(&self, keep: &[bool]) -> StepGraph {
        let mut index = vec![u32::MAX; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, &node) in self.nodes.iter().enumerate() {
            if keep[i] {
                index[i] = nodes.len() as u32;
                nodes.push(node);
            }
        }
        let (mut start, mut items) = (Vec::with_capacity(nodes.len() + 1), Vec::new());
        for i in (0..self.nodes.len()).filter(|&i| keep[i]) {
            start.push(items.len());
            items.extend(self.preds.of(i).iter().map(|&p| {
                debug_assert!(keep[p as usize], "a kept step's prerequisites are kept");
                index[p as usize]
            }));
        }
        start.push(items.len());
        let preds = Links { start, items };
        let succs = preds.reversed(nodes.len());
        StepGraph {
            nodes,
            preds,
            succs,
        }
    }
}

/// Why each step is there, by position: what it serves, its way to a target, what waits.
struct Reasons<'t> {
    /// The plan's targets, sorted: bit `b` of a step's `serves` words is `targets[b]`.
    targets: Vec<&'t TargetRef>,
    words: usize,
    serves: Vec<u64>,
    /// (distance to a target, the next position on the way)
    toward: Vec<(u32, Option<usize>)>,
    /// The positions of the steps that wait for this one, in plan order.
    because: Vec<Vec<usize>>,
}

impl Reasons<'_> {
    fn served(&self, at: usize) -> Vec<TargetRef> {
        (0..self.targets.len())
            .filter(|&bit| self.serves[at * self.words + bit / 64] & (1 << (bit % 64)) != 0)
            .map(|bit| self.targets[bit].clone())
            .collect()
    }
}

/// Phase 3, stages by Kahn layering: a step's stage is one more than the latest stage of the
/// steps it waits for. The graph is a DAG, so every step gets one. Gives the stage of each
/// step (by index) and the number of stages.
fn stage(steps: &StepGraph) -> (Vec<u32>, u32) {
    let n = steps.nodes.len();
    let mut remaining: Vec<usize> = (0..n).map(|i| steps.preds.of(i).len()).collect();
    let mut stage = vec![0u32; n];
    let mut layer: Vec<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
    let mut depth = 0;
    while !layer.is_empty() {
        depth += 1;
        let mut next = Vec::new();
        for i in layer {
            stage[i] = depth;
            for &s in steps.succs.of(i) {
                let count = &mut remaining[s as usize];
                *count -= 1;
                if *count == 0 {
                    next.push(s as usize);
                }
            }
        }
        layer = next;
    }
    (stage, depth)
}

/// Phase 5, explain: reasons flow from later steps back to earlier ones. A step serves what
/// its dependents serve (as bits over the plan's targets in their order: copying sets of
/// targets along every edge of a 600-step plan cost more than the rest of this phase), and
/// its way to a target goes through its nearest dependent. Takes the ordered steps and the
/// targets of each target node; gives [`Reasons`] by position.
fn explain<'t>(
    steps: &StepGraph,
    ordered: &Ordered,
    own_targets: &'t HashMap<NodeIndex, BTreeSet<TargetRef>>,
) -> Reasons<'t> {
    let n = steps.nodes.len();
    // Dependents of the step at each position, as positions, in plan order.
    let dependents = |at: usize| -> Vec<usize> {
        let mut list: Vec<usize> = steps
            .succs
            .of(ordered.order[at])
            .iter()
            .map(|&s| ordered.position[s as usize])
            .collect();
        list.sort_unstable();
        list
    };
    let targets: Vec<&TargetRef> = own_targets
        .values()
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let words = targets.len().div_ceil(64).max(1);
    let mut serves = vec![0u64; n * words];
    let mut toward: Vec<(u32, Option<usize>)> = vec![(u32::MAX, None); n];
    let mut because: Vec<Vec<usize>> = vec![Vec::new(); n];
    for at in (0..n).rev() {
        let node = steps.nodes[ordered.order[at]];
        if let Some(own) = own_targets.get(&node) {
            for target in own {
                let bit = targets
                    .binary_search(&target)
                    .expect("a target of the plan");
                serves[at * words + bit / 64] |= 1 << (bit % 64);
            }
            toward[at] = (0, None);
        }
        let later = dependents(at);
        for &d in &later {
            for w in 0..words {
                serves[at * words + w] |= serves[d * words + w];
            }
            if toward[d].0.saturating_add(1) < toward[at].0 {
                toward[at] = (toward[d].0 + 1, Some(d));
            }
        }
        because[at] = later;
    }
    Reasons {
        targets,
        words,
        serves,
        toward,
        because,
    }
}

/// The critical path: the hours of the heaviest chain of waiting steps, the least calendar
/// time with unlimited parallel study. Takes the ordered steps and each step's hours.
fn critical_path(steps: &StepGraph, ordered: &Ordered, hours: &[u32]) -> u64 {
    let mut finish: Vec<u64> = vec![0; steps.nodes.len()];
    for (at, &i) in ordered.order.iter().enumerate() {
        let start = steps
            .preds
            .of(i)
            .iter()
            .map(|&p| finish[ordered.position[p as usize]])
            .max()
            .unwrap_or(0);
        finish[at] = start + u64::from(hours[i]);
    }
    finish.iter().copied().max().unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::graph::tests::{category, graph, id, skill};
    use crate::domain::{EdgeSpec, PrerequisiteKind, Role};

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
            id: RoleId::parse(rid).unwrap(),
            name: rid.into(),
            description: None,
            requirements: reqs
                .iter()
                .map(|&(s, l, importance)| Requirement {
                    skill: id(s),
                    level: lvl(l),
                    importance,
                })
                .collect(),
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
    fn a_role_gap_sorts_requirements_and_scores_readiness() {
        let mut g = graph(&["b>a", "c>a"]);
        let r = role(
            "r",
            &[
                ("a", 3, Importance::Essential),
                ("b", 3, Importance::Essential),
                ("c", 2, Importance::Optional),
            ],
        );
        g.upsert_role(r).unwrap();
        let gap = g
            .role_gap(&have(&[("a", 3), ("b", 2)]), &RoleId::parse("r").unwrap())
            .unwrap();
        assert_eq!(gap.standing.satisfied.len(), 1);
        assert_eq!(gap.standing.under_level[0].requirement.skill, id("b"));
        assert_eq!(gap.standing.missing[0].requirement.skill, id("c"));
        // (3·1 + 3·0.4 + 1·0) / 7
        assert!(
            (gap.standing.readiness - 4.2 / 7.0).abs() < 1e-9,
            "{}",
            gap.standing.readiness
        );
        assert_eq!(gap.hours, 6 + 4);
        assert_eq!(gap.hours, gap.plan.total_hours);
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
}
