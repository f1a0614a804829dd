//! Learning plans and role gaps: the questions a person asks of the graph (matching is in
//! `roles`).
//!
//! # The model
//! * **Holdings.** A profile holds skills at levels; a current role counts as holding its
//!   requirements at their levels. Holding a skill at level L implies holding each *required*
//!   prerequisite at [`EdgeSpec::needed_level`]`(L)`, transitively: whoever practises PyTorch
//!   knows some Python. Such skills are reported as *implied*, never silently assumed.
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
//! * **Readiness** for a role is the weighted share of the role's learning effort already done:
//!   each requirement contributes `effort(min(held, needed)) / effort(needed)` (effort as in
//!   [`Level::effort_share`]), essentials weigh [`ESSENTIAL_WEIGHT`] and optionals 1. A role with
//!   no requirements is fully ready.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use super::graph::SkillGraph;
use super::groups::Choices;
use super::scratch::{NodeMap, node_map, with_map};
use super::{Error, Importance, Level, Profile, Requirement, RoleId, SkillId};

/// How much more an essential requirement counts than an optional one in readiness.
pub const ESSENTIAL_WEIGHT: f64 = 3.0;

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
}

/// A skill the plan needed that the profile holds only by implication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImpliedSkill {
    pub skill: SkillId,
    pub level: Level,
    /// The held skill whose prerequisite chain implies it.
    pub via: SkillId,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LearningPlan {
    pub steps: Vec<Step>,
    pub stages: u32,
    pub total_hours: u64,
    pub critical_path_hours: u64,
    pub implied: Vec<ImpliedSkill>,
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

/// What a profile holds, explicitly and by implication: computed once per profile and shared
/// by the questions asked about it (a role's standing and the plan that closes its gap).
pub struct Holdings {
    explicit: HashMap<NodeIndex, Level>,
    /// Explicit or implied level, with the explicitly held skill that implies it; sorted by
    /// node, for binary search (built once, read a few hundred times).
    effective: Vec<(NodeIndex, Level, NodeIndex)>,
    pub(super) role: Option<RoleId>,
}

impl Holdings {
    fn effective(&self, node: NodeIndex) -> Option<(Level, NodeIndex)> {
        let i = self.effective.binary_search_by_key(&node, |e| e.0).ok()?;
        let (_, level, via) = self.effective[i];
        Some((level, via))
    }

    pub(super) fn level(&self, node: NodeIndex) -> Option<Level> {
        self.effective(node).map(|(l, _)| l)
    }

    /// Every skill held, explicitly or by implication, with its level.
    pub(super) fn levels(&self) -> impl Iterator<Item = (NodeIndex, Level)> + '_ {
        self.effective.iter().map(|&(node, level, _)| (node, level))
    }
}

// The holdings walk's levels: (level, the explicitly held skill implying it).
node_map!(HELD: Option<(Level, NodeIndex)>);
// A plan's view of the holdings, what it needs, and each step's index.
node_map!(HELD_HERE: Option<Level>);
node_map!(NEEDED: Option<Level>);
node_map!(STEP: u32);

fn above(level: Level, held: Option<Level>) -> bool {
    held.is_none_or(|h| level > h)
}

impl SkillGraph {
    /// What `profile` holds, explicitly and by implication (see the module docs).
    pub fn holdings(&self, profile: &Profile) -> Result<Holdings, Error> {
        let mut explicit: HashMap<NodeIndex, Level> = HashMap::default();
        let mut hold = |node: NodeIndex, level: Level| {
            let held = explicit.entry(node).or_insert(level);
            *held = (*held).max(level);
        };
        if let Some(role) = &profile.role {
            for r in &self.role_entry(role)?.requirements {
                hold(self.entry(&r.skill)?.node, r.level);
            }
        }
        for (skill, level) in &profile.skills {
            hold(self.entry(skill)?.node, *level);
        }
        // Levels only rise, at most five times per node, so the worklist ends; its cost is the
        // size of the held skills' prerequisite closure.
        let effective = with_map(&HELD, self.node_bound(), |effective| {
            for (&n, &l) in &explicit {
                effective.insert(n, Some((l, n)));
            }
            // One stack per level, highest level first: a node reached at a low level and
            // raised later would be walked again with everything below it, so walking the
            // highest levels first walks most nodes once. Within a level, held skills in
            // order, so when two imply the same level, the same one is named.
            let mut work: [Vec<NodeIndex>; Level::MAX.get() as usize] = Default::default();
            let mut held: Vec<NodeIndex> = explicit.keys().copied().collect();
            held.sort_by_cached_key(|&n| std::cmp::Reverse(self.order_key(n)));
            for node in held {
                work[usize::from(explicit[&node].get()) - 1].push(node);
            }
            while let Some(node) = work.iter_mut().rev().find_map(Vec::pop) {
                let Some((level, via)) = effective.get(node).flatten() else {
                    continue;
                };
                for (prerequisite, spec) in self.prerequisite_edges(node, false) {
                    let needed = spec.needed_level(level);
                    if above(needed, effective.get(prerequisite).flatten().map(|e| e.0)) {
                        effective.insert(prerequisite, Some((needed, via)));
                        work[usize::from(needed.get()) - 1].push(prerequisite);
                    }
                }
            }
            let mut all: Vec<(NodeIndex, Level, NodeIndex)> = effective
                .touched()
                .iter()
                .filter_map(|&n| effective.get(n).flatten().map(|(l, via)| (n, l, via)))
                .collect();
            all.sort_unstable_by_key(|e| e.0);
            all
        });
        Ok(Holdings {
            explicit,
            effective,
            role: profile.role.clone(),
        })
    }

    /// The ordered, staged plan from `profile` to `targets`. See the module docs for the rules.
    pub fn plan(
        &self,
        profile: &Profile,
        targets: &[Target],
        options: PlanOptions,
    ) -> Result<LearningPlan, Error> {
        if targets.is_empty() {
            return Err(Error::InvalidInput(
                "a plan needs at least one target skill or role".into(),
            ));
        }
        let holdings = self.holdings(profile)?;
        self.plan_from(&holdings, targets, options)
    }

    fn plan_from(
        &self,
        holdings: &Holdings,
        targets: &[Target],
        options: PlanOptions,
    ) -> Result<LearningPlan, Error> {
        // The targets first: unknown ids fail here, before any walk.
        let mut own_targets: HashMap<NodeIndex, BTreeSet<TargetRef>> = HashMap::default();
        let mut seeds: Vec<(NodeIndex, Level)> = Vec::new();
        for target in targets {
            match target {
                Target::Skill { skill, level } => {
                    let node = self.entry(skill)?.node;
                    seeds.push((node, *level));
                    own_targets
                        .entry(node)
                        .or_default()
                        .insert(TargetRef::Skill(skill.clone()));
                }
                Target::Role(role) => {
                    for r in &self.role_entry(role)?.requirements {
                        if r.importance == Importance::Optional && !options.include_optional {
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
        let bound = self.node_bound();
        // Three dense maps of this thread (see `scratch`): what is held, what is needed, and
        // each step's index. A plan reads the first two for every node and edge it touches.
        let plan = with_map(&HELD_HERE, bound, |held| {
            for &(node, level, _) in &holdings.effective {
                held.insert(node, Some(level));
            }
            let choices = self.resolve_groups(|n| held.get(n).flatten(), &seeds, options);
            with_map(&NEEDED, bound, |needed| {
                with_map(&STEP, bound, |step| {
                    self.plan_walk(
                        held,
                        needed,
                        step,
                        &choices,
                        &seeds,
                        &own_targets,
                        holdings,
                        options,
                    )
                })
            })
        });
        Ok(plan)
    }

    /// The phases of a plan, over the maps [`plan_from`](Self::plan_from) prepared.
    #[allow(clippy::too_many_arguments)]
    fn plan_walk(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &mut NodeMap<Option<Level>>,
        step_of: &mut NodeMap<u32>,
        choices: &Choices,
        seeds: &[(NodeIndex, Level)],
        own_targets: &HashMap<NodeIndex, BTreeSet<TargetRef>>,
        holdings: &Holdings,
        options: PlanOptions,
    ) -> LearningPlan {
        let held_level = |node: NodeIndex| held.get(node).flatten();
        let needed_level = |needed: &NodeMap<Option<Level>>, node: NodeIndex| {
            needed
                .get(node)
                .flatten()
                .expect("a demanded node has a level")
        };

        // 1. Demand: walk down from the targets through skills not yet held well enough.
        let mut work: Vec<NodeIndex> = Vec::new();
        let demand = |needed: &mut NodeMap<Option<Level>>,
                      work: &mut Vec<NodeIndex>,
                      node: NodeIndex,
                      level: Level| {
            if above(level, needed.get(node).flatten()) {
                needed.insert(node, Some(level));
                if above(level, held_level(node)) {
                    work.push(node);
                }
            }
        };
        for &(node, level) in seeds {
            demand(needed, &mut work, node, level);
        }
        while let Some(node) = work.pop() {
            let level = needed_level(needed, node);
            let edges = self.prerequisite_edges(node, options.include_recommended);
            for (prerequisite, spec) in edges.chain(choices.edges(node)) {
                demand(needed, &mut work, prerequisite, spec.needed_level(level));
            }
        }

        // 2. Steps (numbered in the order the walk met them) and what each waits for, as
        // flat adjacency lists indexed by step.
        let is_step = |node: NodeIndex| above(needed_level(needed, node), held_level(node));
        let steps_met: Vec<NodeIndex> = needed
            .touched()
            .iter()
            .copied()
            .filter(|&n| is_step(n))
            .collect();
        for (i, &node) in steps_met.iter().enumerate() {
            step_of.insert(node, i as u32);
        }
        let n = steps_met.len();
        let (mut pred_start, mut preds) = (Vec::with_capacity(n + 1), Vec::new());
        for &node in &steps_met {
            pred_start.push(preds.len());
            preds.extend(
                self.prerequisite_edges(node, options.include_recommended)
                    .chain(choices.edges(node))
                    .filter_map(|(p, _)| step_of.get(p)),
            );
        }
        pred_start.push(preds.len());
        let preds_of = |i: usize| &preds[pred_start[i]..pred_start[i + 1]];
        let mut succ_count = vec![0usize; n + 1];
        for &p in &preds {
            succ_count[p as usize + 1] += 1;
        }
        for i in 0..n {
            succ_count[i + 1] += succ_count[i];
        }
        let succ_start = succ_count;
        let mut succs = vec![0u32; preds.len()];
        let mut fill = succ_start.clone();
        for i in 0..n {
            for &p in preds_of(i) {
                succs[fill[p as usize]] = i as u32;
                fill[p as usize] += 1;
            }
        }
        let succs_of = |i: usize| &succs[succ_start[i]..succ_start[i + 1]];

        // 3. Stages by Kahn layering: the graph is a DAG, so every step gets one.
        let mut remaining: Vec<usize> = (0..n).map(|i| preds_of(i).len()).collect();
        let mut stage = vec![0u32; n];
        let mut layer: Vec<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
        let mut depth = 0;
        while !layer.is_empty() {
            depth += 1;
            let mut next = Vec::new();
            for i in layer {
                stage[i] = depth;
                for &s in succs_of(i) {
                    let count = &mut remaining[s as usize];
                    *count -= 1;
                    if *count == 0 {
                        next.push(s as usize);
                    }
                }
            }
            layer = next;
        }

        // 4. Order, then explain: reasons flow from later steps back to earlier ones.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_cached_key(|&i| (stage[i], self.order_key(steps_met[i])));
        let mut position = vec![0usize; n];
        for (at, &i) in order.iter().enumerate() {
            position[i] = at;
        }
        // Dependents of the step at each position, as positions, in plan order.
        let dependents = |at: usize| -> Vec<usize> {
            let mut list: Vec<usize> = succs_of(order[at])
                .iter()
                .map(|&s| position[s as usize])
                .collect();
            list.sort_unstable();
            list
        };
        // What each step serves, as bits over the plan's targets in their order: a step
        // serves what its dependents serve, and copying sets of targets along every edge
        // of a 600-step plan cost more than the rest of this phase.
        let targets: Vec<&TargetRef> = own_targets
            .values()
            .flatten()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let words = targets.len().div_ceil(64).max(1);
        let mut serves = vec![0u64; n * words];
        // (distance to a target, next skill on the way)
        let mut toward: Vec<(u32, Option<usize>)> = vec![(u32::MAX, None); n];
        let mut because: Vec<Vec<usize>> = vec![Vec::new(); n];
        for at in (0..n).rev() {
            let node = steps_met[order[at]];
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
        let served = |at: usize| -> Vec<TargetRef> {
            (0..targets.len())
                .filter(|&bit| serves[at * words + bit / 64] & (1 << (bit % 64)) != 0)
                .map(|bit| targets[bit].clone())
                .collect()
        };

        let mut steps = Vec::with_capacity(n);
        let mut finish: Vec<u64> = vec![0; n];
        for at in 0..n {
            let node = steps_met[order[at]];
            let skill = self.skill_at(node);
            let from_level = held_level(node);
            let to_level = needed_level(needed, node);
            let hours = Level::hours_between(skill.hours, from_level, to_level);
            let start = preds_of(order[at])
                .iter()
                .map(|&p| finish[position[p as usize]])
                .max()
                .unwrap_or(0);
            finish[at] = start + u64::from(hours);
            let id_at = |at: usize| self.graph[steps_met[order[at]]].clone();
            let mut chain = vec![skill.id.clone()];
            let mut cursor = toward[at].1;
            while let Some(next) = cursor {
                chain.push(id_at(next));
                cursor = toward[next].1;
            }
            steps.push(Step {
                position: at as u32 + 1,
                stage: stage[order[at]],
                skill: skill.id.clone(),
                from_level,
                to_level,
                hours,
                because: because[at].iter().map(|&d| id_at(d)).collect(),
                serves: served(at),
                chain,
                alternatives: {
                    let mut others = choices.alternatives(node).to_vec();
                    others.sort_by_cached_key(|&n| self.order_key(n));
                    others.into_iter().map(|n| self.graph[n].clone()).collect()
                },
            });
        }

        let mut implied: Vec<NodeIndex> = needed
            .touched()
            .iter()
            .copied()
            .filter(|&n| {
                let level = needed_level(needed, n);
                !above(level, held_level(n)) && above(level, holdings.explicit.get(&n).copied())
            })
            .collect();
        implied.sort_by_cached_key(|&n| self.order_key(n));
        LearningPlan {
            stages: depth,
            total_hours: steps.iter().map(|s| u64::from(s.hours)).sum(),
            critical_path_hours: finish.iter().copied().max().unwrap_or(0),
            implied: implied
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
                .collect(),
            steps,
        }
    }

    /// Where a profile stands against a role, and the plan that closes the gap.
    pub fn role_gap(&self, profile: &Profile, role: &RoleId) -> Result<RoleGap, Error> {
        let holdings = self.holdings(profile)?;
        let standing = self.role_standing(&holdings, role)?;
        let plan = self.gap_plan(&holdings, role)?;
        Ok(RoleGap {
            standing,
            hours: plan.total_hours,
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
        self.plan_from(
            holdings,
            &[Target::Role(role.clone())],
            PlanOptions::default(),
        )
    }
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
