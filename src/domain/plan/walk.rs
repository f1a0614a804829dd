//! The phases of a plan (the model is in the `plan` module docs): the targets' demand, the
//! step graph, stages, order, hours, reasons, assembly and implied skills. Each phase is a
//! function of what the earlier ones gave and keeps no state of its own; the entry points in
//! `plan` run them in order, with the budget between staging and assembly.
//!
//! Reads the graph, the holdings, the scratch maps and the groups' [`Choices`]; must not
//! depend on the budget or the pace (`budget`), which read the staged plan given here.

use std::collections::BTreeSet;

use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashMap as HashMap;

use super::groups::Choices;
use super::{ImpliedSkill, PlanOptions, Step, Target, TargetRef};
use crate::domain::graph::SkillGraph;
use crate::domain::holdings::{Holdings, above};
use crate::domain::scratch::NodeMap;
use crate::domain::{Error, Follow, Importance, Level, SkillId};

/// A requirement of the plan's targets, for budgets: a role's requirement, or a target skill.
pub(super) struct Want {
    /// Its skill; for a planned "one of" requirement, the option the plan chose once
    /// [`Demands::settle`] has run.
    pub(super) node: NodeIndex,
    /// A "one of" requirement's other options (empty for most).
    pub(super) others: Vec<NodeIndex>,
    pub(super) level: Level,
    pub(super) importance: Importance,
    /// Whether the plan learns it (an optional requirement left out by the options is not,
    /// but still counts in readiness).
    pub(super) planned: bool,
}

impl Want {
    /// The level it is held at: its option held highest, as `readiness` counts it.
    pub(super) fn held(&self, held: &NodeMap<Option<Level>>) -> Option<Level> {
        std::iter::once(self.node)
            .chain(self.others.iter().copied())
            .map(|n| held_at(held, n))
            .max()
            .flatten()
    }
}

/// A "one of" requirement of a role target, planned through the one option
/// [`resolve_groups`](SkillGraph::resolve_groups) chooses.
pub(super) struct OneOf {
    /// The requirement's skill first, then its alternatives.
    pub(super) options: Vec<NodeIndex>,
    pub(super) level: Level,
    pub(super) target: TargetRef,
    /// Its entry in [`Demands::wants`], when a budget lists them.
    want: Option<usize>,
}

/// What the targets demand: the seeds of the walk, the target each target node is part of,
/// and (with a budget) the requirements to choose among.
pub(super) struct Demands {
    pub(super) seeds: Vec<(NodeIndex, Level)>,
    pub(super) own_targets: HashMap<NodeIndex, BTreeSet<TargetRef>>,
    pub(super) wants: Vec<Want>,
    /// The "one of" requirements, not yet in `seeds` nor `own_targets`: see
    /// [`settle`](Self::settle).
    pub(super) one_of: Vec<OneOf>,
}

impl Demands {
    /// Makes each "one of" requirement's chosen option (`chosen[i]` for `one_of[i]`) a seed
    /// and a target node of its role, and the node of its budget entry.
    pub(super) fn settle(&mut self, chosen: &[NodeIndex]) {
        for (one_of, &option) in self.one_of.iter().zip(chosen) {
            self.seeds.push((option, one_of.level));
            self.own_targets
                .entry(option)
                .or_default()
                .insert(one_of.target.clone());
            if let Some(want) = one_of.want {
                let want = &mut self.wants[want];
                want.node = option;
                want.others = one_of
                    .options
                    .iter()
                    .copied()
                    .filter(|&o| o != option)
                    .collect();
            }
        }
    }
}

impl SkillGraph {
    /// Phase 0, the targets: what they demand (see [`Demands`]); `budgeted` also lists the
    /// requirements a budget chooses among. Unknown ids fail here, before any walk.
    pub(super) fn demands(
        &self,
        targets: &[Target],
        options: PlanOptions,
        budgeted: bool,
    ) -> Result<Demands, Error> {
        let mut own_targets: HashMap<NodeIndex, BTreeSet<TargetRef>> = HashMap::default();
        let mut seeds: Vec<(NodeIndex, Level)> = Vec::new();
        let mut wants: Vec<Want> = Vec::new();
        let mut one_of: Vec<OneOf> = Vec::new();
        for target in targets {
            match target {
                Target::Skill { skill, level } => {
                    let node = self.entry(skill)?.node;
                    seeds.push((node, *level));
                    if budgeted {
                        wants.push(Want {
                            node,
                            others: Vec::new(),
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
                        let nodes = r
                            .options()
                            .map(|skill| Ok(self.entry(skill)?.node))
                            .collect::<Result<Vec<_>, Error>>()?;
                        if budgeted {
                            wants.push(Want {
                                node: nodes[0],
                                others: nodes[1..].to_vec(),
                                level: r.level,
                                importance: r.importance,
                                planned,
                            });
                        }
                        if !planned {
                            continue;
                        }
                        if nodes.len() > 1 {
                            one_of.push(OneOf {
                                options: nodes,
                                level: r.level,
                                target: TargetRef::Role(role.clone()),
                                want: budgeted.then(|| wants.len() - 1),
                            });
                            continue;
                        }
                        let node = nodes[0];
                        seeds.push((node, r.level));
                        own_targets
                            .entry(node)
                            .or_default()
                            .insert(TargetRef::Role(role.clone()));
                    }
                }
            }
        }
        Ok(Demands {
            seeds,
            own_targets,
            wants,
            one_of,
        })
    }

    /// Phase 1, demand: walks down from the `seeds` (target skills at levels) through skills
    /// not yet held well enough, raising `needed` to the most each skill is needed at. Takes
    /// `held` filled and `needed` empty; gives `needed` for every node the walk touched
    /// (held ones included: they stop the walk, and may be reported as implied).
    pub(super) fn demand(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &mut NodeMap<Option<Level>>,
        seeds: &[(NodeIndex, Level)],
        choices: &Choices,
        follow: Follow,
    ) {
        let mut work: Vec<NodeIndex> = Vec::new();
        for &(node, level) in seeds {
            raise(held, needed, &mut work, node, level);
        }
        while let Some(node) = work.pop() {
            let level = needed_at(needed, node);
            let edges = self.prerequisite_edges(node, follow);
            // The option chosen for each of the skill's groups is a prerequisite like the others.
            for (prerequisite, spec) in edges.chain(choices.edges(node)) {
                if let Some(at) = spec.needed_for(level) {
                    raise(held, needed, &mut work, prerequisite, at);
                }
            }
        }
    }

    /// Phase 2, the step graph: splits each skill of `nodes` (as [`steps_met`] gives them)
    /// into its level steps, numbers the steps in that order (a skill's steps in a row, lowest
    /// first), records each node's first step in `step_of` (empty before), and lists what each
    /// step waits for and what waits for it.
    ///
    /// A skill is split where a prerequisite starts to apply: at each `beyond` of an edge whose
    /// prerequisite the plan raises, between the level held and the level needed. Its step to
    /// level `t` waits for the skill's step below it, and for the step of each prerequisite
    /// that applies at `t` which takes that prerequisite to the level `t` needs; a
    /// prerequisite already held at that level is not waited for.
    pub(super) fn step_graph(
        &self,
        held: &NodeMap<Option<Level>>,
        needed: &NodeMap<Option<Level>>,
        nodes: Vec<NodeIndex>,
        step_of: &mut NodeMap<u32>,
        choices: &Choices,
        follow: Follow,
    ) -> StepGraph {
        // Membership first: a breakpoint counts only where the prerequisite is a step.
        for &node in &nodes {
            step_of.insert(node, 0);
        }
        let mut steps: Vec<NodeIndex> = Vec::with_capacity(nodes.len());
        let mut levels: Vec<(Option<Level>, Level)> = Vec::with_capacity(nodes.len());
        let mut cuts: Vec<Level> = Vec::new();
        for &node in &nodes {
            let (from, to) = (held_at(held, node), needed_at(needed, node));
            cuts.clear();
            for (p, spec) in self
                .prerequisite_edges(node, follow)
                .chain(choices.edges(node))
            {
                let Some(b) = spec.beyond else { continue };
                let gates = spec
                    .needed_for(to)
                    .is_some_and(|n| step_of.get(p).is_some() && above(n, held_at(held, p)));
                if gates && above(b, from) && b < to {
                    cuts.push(b);
                }
            }
            cuts.sort_unstable();
            cuts.dedup();
            step_of.insert(node, steps.len() as u32);
            let mut low = from;
            for &cut in cuts.iter().chain([&to]) {
                steps.push(node);
                levels.push((low, cut));
                low = Some(cut);
            }
        }
        let n = steps.len();
        let (mut start, mut items) = (Vec::with_capacity(n + 1), Vec::new());
        for i in 0..n {
            start.push(items.len());
            let (node, top) = (steps[i], levels[i].1);
            if i > 0 && steps[i - 1] == node {
                items.push(i as u32 - 1);
            }
            for (p, spec) in self
                .prerequisite_edges(node, follow)
                .chain(choices.edges(node))
            {
                let Some(level) = spec.needed_for(top) else {
                    continue;
                };
                if !above(level, held_at(held, p)) {
                    continue;
                }
                if let Some(first) = step_of.get(p) {
                    items.push(reaching(&steps, &levels, first as usize, level) as u32);
                }
            }
        }
        start.push(items.len());
        let preds = Links { start, items };
        let succs = preds.reversed(n);
        StepGraph {
            nodes: steps,
            levels,
            preds,
            succs,
        }
    }

    /// Phase 4, order: sorts the staged steps by stage, then category order, then id (a
    /// topological order with a deterministic tie-break). Gives both directions of the
    /// permutation, with the stages.
    pub(super) fn order(&self, steps: &StepGraph, (stage, depth): (Vec<u32>, u32)) -> Ordered {
        let n = steps.nodes.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_cached_key(|&i| (stage[i], self.rank(steps.nodes[i])));
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

    /// The hours of each step (by step index): from the level it starts at to the level it
    /// reaches.
    pub(super) fn step_hours(&self, steps: &StepGraph) -> Vec<u32> {
        steps
            .nodes
            .iter()
            .zip(&steps.levels)
            .map(|(&node, &(from, to))| Level::hours_between(self.skill_at(node).hours, from, to))
            .collect()
    }

    /// Phase 6, assembly: the plan's steps, in plan order, from the earlier phases' arrays.
    pub(super) fn assemble(
        &self,
        plan: &Staged,
        reasons: &Reasons<'_>,
        choices: &Choices,
    ) -> Vec<Step> {
        let Staged {
            steps,
            ordered,
            hours,
        } = plan;
        let id_at = |at: usize| self.id_at(steps.nodes[ordered.order[at]]).clone();
        (0..steps.nodes.len())
            .map(|at| {
                let i = ordered.order[at];
                let node = steps.nodes[i];
                let skill = self.skill_at(node);
                let mut chain = vec![skill.id.clone()];
                let mut cursor = reasons.toward[at].1;
                while let Some(next) = cursor {
                    // A skill's later level step is the same skill on the way.
                    let id = id_at(next);
                    if chain.last() != Some(&id) {
                        chain.push(id);
                    }
                    cursor = reasons.toward[next].1;
                }
                let (from_level, to_level) = steps.levels[i];
                Step {
                    position: at as u32 + 1,
                    stage: ordered.stage[i],
                    skill: skill.id.clone(),
                    from_level,
                    to_level,
                    hours: hours[i],
                    // A skill's own later level step is not a reason to name: the step is
                    // there for what that one serves.
                    because: {
                        // Each skill once: two level steps of one skill may both wait.
                        let mut named: Vec<SkillId> = Vec::new();
                        for d in reasons.because[at].iter().map(|&d| id_at(d)) {
                            if d != skill.id && !named.contains(&d) {
                                named.push(d);
                            }
                        }
                        named
                    },
                    dependents: reasons.because[at].iter().map(|&d| d as u32 + 1).collect(),
                    serves: reasons.served(at),
                    chain,
                    alternatives: {
                        let mut others = choices.alternatives(node).to_vec();
                        others.sort_by_cached_key(|&n| self.rank(n));
                        others.into_iter().map(|n| self.id_at(n).clone()).collect()
                    },
                    start_week: None,
                    end_week: None,
                }
            })
            .collect()
    }

    /// Phase 7, implied skills: the demanded skills held only by implication, by category
    /// order and id, each with the held skill that implies it.
    pub(super) fn implied(
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
        implied.sort_by_cached_key(|&n| self.rank(n));
        implied
            .into_iter()
            .map(|n| {
                let (level, via) = holdings
                    .effective(n)
                    .expect("an implied skill is held by implication");
                ImpliedSkill {
                    skill: self.id_at(n).clone(),
                    level,
                    via: self.id_at(via).clone(),
                }
            })
            .collect()
    }
}

/// The level `node` is held at, in a plan's map of the holdings.
pub(super) fn held_at(held: &NodeMap<Option<Level>>, node: NodeIndex) -> Option<Level> {
    held.get(node).flatten()
}

/// The level a node the demand walk touched is needed at.
pub(super) fn needed_at(needed: &NodeMap<Option<Level>>, node: NodeIndex) -> Level {
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
pub(super) fn steps_met(
    held: &NodeMap<Option<Level>>,
    needed: &NodeMap<Option<Level>>,
) -> Vec<NodeIndex> {
    needed
        .touched()
        .iter()
        .copied()
        .filter(|&n| above(needed_at(needed, n), held_at(held, n)))
        .collect()
}

/// Lists of step indices, one list per step, in one flat array.
pub(super) struct Links {
    start: Vec<usize>,
    items: Vec<u32>,
}

impl Links {
    pub(super) fn of(&self, i: usize) -> &[u32] {
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

/// A plan's steps as indices `0..n` in the order the walk met their skills (a skill's level
/// steps in a row, lowest first), with the levels each goes from and to, what each waits for
/// (`preds`: the steps that take its prerequisites to the levels it needs, and the skill's
/// step below it) and what waits for it (`succs`).
pub(super) struct StepGraph {
    pub(super) nodes: Vec<NodeIndex>,
    pub(super) levels: Vec<(Option<Level>, Level)>,
    pub(super) preds: Links,
    succs: Links,
}

/// The step of a skill, among its level steps from `first` on, that takes it to `level`.
pub(super) fn reaching(
    nodes: &[NodeIndex],
    levels: &[(Option<Level>, Level)],
    first: usize,
    level: Level,
) -> usize {
    let mut i = first;
    while levels[i].1 < level && nodes.get(i + 1) == Some(&nodes[first]) {
        i += 1;
    }
    i
}

/// A plan before assembly: its step graph, order and each step's hours.
pub(super) struct Staged {
    pub(super) steps: StepGraph,
    pub(super) ordered: Ordered,
    /// By step index.
    pub(super) hours: Vec<u32>,
}

/// The steps staged and put in plan order.
pub(super) struct Ordered {
    /// By step index: the 1-based stage.
    stage: Vec<u32>,
    /// How many stages.
    pub(super) depth: u32,
    /// By position: the step index.
    pub(super) order: Vec<usize>,
    /// By step index: the position.
    pub(super) position: Vec<usize>,
}

impl StepGraph {
    /// The steps `keep` marks (a prerequisite-closed set), renumbered in the same order.
    pub(super) fn restrict(&self, keep: &[bool]) -> StepGraph {
        let mut index = vec![u32::MAX; self.nodes.len()];
        let (mut nodes, mut levels) = (Vec::new(), Vec::new());
        for (i, &node) in self.nodes.iter().enumerate() {
            if keep[i] {
                index[i] = nodes.len() as u32;
                nodes.push(node);
                levels.push(self.levels[i]);
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
            levels,
            preds,
            succs,
        }
    }

    /// Whether step `i` is its skill's last level step (the one that reaches the level the
    /// plan needs).
    pub(super) fn is_last(&self, i: usize) -> bool {
        self.nodes.get(i + 1) != Some(&self.nodes[i])
    }
}

/// Why each step is there, by position: what it serves, its way to a target, what waits.
pub(super) struct Reasons<'t> {
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
pub(super) fn stage(steps: &StepGraph) -> (Vec<u32>, u32) {
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
pub(super) fn explain<'t>(
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
        let i = ordered.order[at];
        let node = steps.nodes[i];
        // A target is reached by its skill's last level step; the earlier ones serve it
        // through that one.
        if let Some(own) = own_targets.get(&node).filter(|_| steps.is_last(i)) {
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
pub(super) fn critical_path(steps: &StepGraph, ordered: &Ordered, hours: &[u32]) -> u64 {
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
