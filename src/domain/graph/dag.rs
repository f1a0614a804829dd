//! Acyclicity: the shortest chain between two skills (the cycle a refused edge would close) and
//! one topological check over the whole graph, group options counted as edges.

use std::collections::VecDeque;

use petgraph::stable_graph::NodeIndex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::domain::{Error, PrerequisiteGroup, SkillId};

use super::SkillGraph;

impl SkillGraph {
    /// The shortest chain of "requires" edges and group options from `from` to `to`, both
    /// included.
    pub(super) fn path(&self, from: NodeIndex, to: NodeIndex) -> Option<Vec<NodeIndex>> {
        let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::default();
        let mut queue = VecDeque::from([from]);
        let mut seen = HashSet::from_iter([from]);
        while let Some(node) = queue.pop_front() {
            if node == to {
                let mut path = vec![to];
                let mut cursor = to;
                while let Some(&p) = parent.get(&cursor) {
                    path.push(p);
                    cursor = p;
                }
                path.reverse();
                return Some(path);
            }
            for next in self.successors(node) {
                if seen.insert(next) {
                    parent.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// One topological sort over the whole graph; on a cycle, the error names one.
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
        let Err(cycle) = sorted else {
            return Ok(());
        };
        let node = cycle.node_id();
        let path = self
            .successors(node)
            .find_map(|next| self.path(next, node))
            .unwrap_or_default();
        let mut ids = vec![self.graph[node].clone()];
        ids.extend(path.into_iter().map(|n| self.graph[n].clone()));
        Err(Error::Cycle(ids))
    }

    /// The cycle a group of `skill` would close through one of its options, if any:
    /// `skill → option → … → skill`.
    pub(super) fn group_cycle(
        &self,
        skill: &SkillId,
        group: &PrerequisiteGroup,
    ) -> Option<Vec<SkillId>> {
        let a = self.skills[skill].node;
        group.options.iter().find_map(|option| {
            let path = self.path(self.skills[option].node, a)?;
            let mut cycle = vec![skill.clone()];
            cycle.extend(path.into_iter().map(|n| self.graph[n].clone()));
            Some(cycle)
        })
    }
}
