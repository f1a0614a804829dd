//! Acyclicity, on levels: the shortest chain that would close a cycle through a new edge or
//! group, and one check over the whole graph, group options counted as edges.
//!
//! # Cycles on levels
//! An edge that applies only beyond a level of its skill (`EdgeSpec::beyond`) lets two skills
//! need each other at different levels: Python beyond 3 needs testing, and testing needs Python
//! at 2. That is no cycle: Python to 2, then testing, then Python to 4. So acyclicity is
//! checked on a graph of *level segments*: each skill's levels are cut at its edges' `beyond`
//! levels (a skill without such edges is one segment, 1-5), and segment `(low, top]` of a skill
//! points at its segment below, and at the segment of each prerequisite that applies above
//! `low` which holds the level that prerequisite is needed at to reach `top`. A plan's level
//! steps are cut at some of the same levels (see `plan`), so a plan's steps can always be put
//! in order when this graph has no cycle. Where no edge has a `beyond`, it is the skill graph
//! itself, and a cycle is one of skills.
//!
//! Must not depend on plans: they rely on what is checked here, not the reverse.

use std::collections::VecDeque;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::domain::{Error, Level, PrerequisiteGroup, SkillId};

use super::SkillGraph;

impl SkillGraph {
    /// One topological sort over the whole graph; on a cycle, the error names one. Skills
    /// may need each other at different levels (see the module docs): a cycle of skills is
    /// then looked for again on level segments, and only a cycle there is refused.
    pub(super) fn check_acyclic(&self) -> Result<(), Error> {
        let sorted = if self.has_groups() {
            // Groups count as edges to each option: sort a copy that has them as edges.
            // `map` keeps every index, so the nodes are the same.
            let mut with_groups = self.graph.map(|_, _| (), |_, _| ());
            for (&node, groups) in self.group_nodes().iter() {
                for option in groups.iter().flat_map(|g| g.options.iter()) {
                    with_groups.add_edge(node, *option, ());
                }
            }
            petgraph::algo::toposort(&with_groups, None).map(drop)
        } else {
            petgraph::algo::toposort(&*self.graph, None).map(drop)
        };
        if sorted.is_ok() {
            return Ok(());
        }
        match self.level_cycle() {
            None => Ok(()),
            Some(cycle) => Err(Error::Cycle(
                cycle.into_iter().map(|n| self.graph[n].clone()).collect(),
            )),
        }
    }

    /// The cycle the edge `a → b` (in the graph already) closes, if any: `a → b → … → a`,
    /// as skills.
    pub(super) fn edge_cycle(&self, a: NodeIndex, b: NodeIndex) -> Option<Vec<SkillId>> {
        let edge = self.graph.find_edge(a, b)?;
        let spec = self.graph[edge];
        self.closes(a, [b].into_iter(), |top| spec.needed_for(top))
    }

    /// The cycle a group of `skill` would close through one of its options, if any:
    /// `skill → option → … → skill`. The group is not in the graph yet.
    pub(super) fn group_cycle(
        &self,
        skill: &SkillId,
        group: &PrerequisiteGroup,
    ) -> Option<Vec<SkillId>> {
        let a = self.skills[skill].node;
        let options = group.options.iter().map(|o| self.skills[o].node);
        let spec = group.spec();
        self.closes(a, options, |top| Some(spec.level_for(top)))
    }

    /// The shortest cycle from `a` through one of `targets` back to `a`, where `needed` gives
    /// the level a target is needed at for `a` to reach a level (`None`: not needed there).
    /// On segments: from each segment of `a` the link applies to, back to that segment or one
    /// above it (which waits for it).
    fn closes(
        &self,
        a: NodeIndex,
        targets: impl Iterator<Item = NodeIndex> + Clone,
        needed: impl Fn(Level) -> Option<Level>,
    ) -> Option<Vec<SkillId>> {
        let mut cuts = Cuts::default();
        let segments = cuts.of(self, a).len() + 1;
        for k in 0..segments {
            let top = cuts.top(self, a, k);
            let Some(level) = needed(top) else { continue };
            for b in targets.clone() {
                let start = (b, cuts.segment(self, b, level));
                if let Some(path) = self.level_path(&mut cuts, start, (a, k)) {
                    let mut cycle = vec![self.graph[a].clone()];
                    cycle.extend(path.into_iter().map(|n| self.graph[n].clone()));
                    return Some(cycle);
                }
            }
        }
        None
    }

    /// The shortest chain of segments from `start` to `goal`'s skill at `goal`'s segment or
    /// above, as skills (a skill's own segments count once).
    fn level_path(&self, cuts: &mut Cuts, start: Segment, goal: Segment) -> Option<Vec<NodeIndex>> {
        let mut parent: HashMap<Segment, Segment> = HashMap::default();
        let mut queue = VecDeque::from([start]);
        let mut seen = HashSet::from_iter([start]);
        while let Some(at) = queue.pop_front() {
            if at.0 == goal.0 && at.1 >= goal.1 {
                let mut path = vec![at.0];
                let mut cursor = at;
                while let Some(&p) = parent.get(&cursor) {
                    if path.last() != Some(&p.0) {
                        path.push(p.0);
                    }
                    cursor = p;
                }
                path.reverse();
                return Some(path);
            }
            for next in self.segment_successors(cuts, at) {
                if seen.insert(next) {
                    parent.insert(next, at);
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// A cycle of level segments anywhere in the graph, as skills (`a → … → a`), if any: a
    /// depth-first search over every skill's segments.
    fn level_cycle(&self) -> Option<Vec<NodeIndex>> {
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let mut cuts = Cuts::default();
        let mut state: HashMap<Segment, u8> = HashMap::default();
        for root in self.graph.node_indices() {
            let segments = cuts.of(self, root).len() + 1;
            for k in 0..segments {
                let root = (root, k);
                if state.contains_key(&root) {
                    continue;
                }
                state.insert(root, OPEN);
                let mut stack = vec![(root, self.segment_successors(&mut cuts, root), 0usize)];
                while let Some((at, next, i)) = stack.last_mut() {
                    let Some(&succ) = next.get(*i) else {
                        state.insert(*at, DONE);
                        stack.pop();
                        continue;
                    };
                    *i += 1;
                    match state.get(&succ) {
                        Some(&DONE) => {}
                        Some(_) => {
                            // Open: on the stack, so the stack from there is the cycle.
                            let from = stack.iter().position(|(s, _, _)| *s == succ)?;
                            let mut cycle: Vec<NodeIndex> = Vec::new();
                            for (s, _, _) in &stack[from..] {
                                if cycle.last() != Some(&s.0) {
                                    cycle.push(s.0);
                                }
                            }
                            if cycle.len() > 1 && cycle.last() == Some(&succ.0) {
                                cycle.pop();
                            }
                            cycle.push(succ.0);
                            return Some(cycle);
                        }
                        None => {
                            state.insert(succ, OPEN);
                            let next = self.segment_successors(&mut cuts, succ);
                            stack.push((succ, next, 0));
                        }
                    }
                }
            }
        }
        None
    }

    /// What a segment points at: the skill's segment below, and the segment of each
    /// prerequisite (and group option) that applies to it holding the level needed to reach
    /// its top.
    fn segment_successors(&self, cuts: &mut Cuts, (node, k): Segment) -> Vec<Segment> {
        let low = if k == 0 {
            0
        } else {
            cuts.of(self, node)[k - 1]
        };
        let top = cuts.top(self, node, k);
        let mut out = Vec::new();
        if k > 0 {
            out.push((node, k - 1));
        }
        for edge in self.graph.edges_directed(node, Outgoing) {
            let spec = edge.weight();
            if spec.threshold() > low {
                continue;
            }
            if let Some(level) = spec.needed_for(top) {
                out.push((edge.target(), cuts.segment(self, edge.target(), level)));
            }
        }
        for group in self.groups_at(node) {
            let level = group.spec.level_for(top);
            for &option in &group.options {
                out.push((option, cuts.segment(self, option, level)));
            }
        }
        out
    }
}

/// A skill's level segment: the node, and the segment's index from the lowest (see the
/// module docs).
type Segment = (NodeIndex, usize);

/// Each skill's cuts, the `beyond` levels of its edges (sorted, distinct), read once per check.
#[derive(Default)]
struct Cuts(HashMap<NodeIndex, Vec<u8>>);

impl Cuts {
    fn of(&mut self, graph: &SkillGraph, node: NodeIndex) -> &[u8] {
        self.0.entry(node).or_insert_with(|| {
            let mut cuts: Vec<u8> = graph
                .graph
                .edges_directed(node, Outgoing)
                .filter_map(|e| e.weight().beyond.map(Level::get))
                .collect();
            cuts.sort_unstable();
            cuts.dedup();
            cuts
        })
    }

    /// The top level of segment `k` of `node`.
    fn top(&mut self, graph: &SkillGraph, node: NodeIndex, k: usize) -> Level {
        let top = self
            .of(graph, node)
            .get(k)
            .copied()
            .unwrap_or(Level::MAX.get());
        Level::new(i64::from(top)).expect("a cut is a level")
    }

    /// The segment of `node` that holds `level`.
    fn segment(&mut self, graph: &SkillGraph, node: NodeIndex, level: Level) -> usize {
        self.of(graph, node)
            .iter()
            .filter(|&&c| c < level.get())
            .count()
    }
}
