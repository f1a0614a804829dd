//! The required prerequisite edges as flat arrays ([`Adjacency`]), both ways: the form the
//! holdings and plan walks read.
//!
//! An index below the graph: it is built from the petgraph alone and must not depend on
//! `SkillGraph` or on any question module.

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, NodeIndexable};

use crate::domain::{EdgeSpec, Level, PrerequisiteKind, SkillId};

/// The required prerequisite edges, node by node, in two flat arrays. Holdings and plans walk
/// these edges for every node they touch; petgraph's adjacency lists chase a pointer per edge
/// and mix in the recommended edges, where this reads one contiguous slice. Built in one pass
/// (about a millisecond per 100,000 edges) the first time a snapshot whose edges changed is
/// walked, so a write never pays for it.
///
/// The same edges reversed (each node's required dependents) come with it, built in the same
/// pass and dropped by the same writes: a role's standing marks what can reach its
/// requirements before it walks down from what a profile holds (see `holdings`).
#[derive(Debug, Default)]
pub(in crate::domain) struct Adjacency {
    start: Vec<u32>,
    edges: Vec<(NodeIndex, EdgeSpec)>,
    dependents_start: Vec<u32>,
    dependents: Vec<NodeIndex>,
    /// The most any required edge into each node can imply it at (its `min_level`, or the
    /// default cap; 0: no skill requires it), so a role's standing knows which requirements
    /// a profile already holds beyond anything its other skills could imply.
    implied_at_most: Vec<u8>,
}

impl Adjacency {
    pub(in crate::domain) fn required(graph: &StableDiGraph<SkillId, EdgeSpec>) -> Self {
        let bound = graph.node_bound();
        let mut start = Vec::with_capacity(bound + 1);
        let mut edges = Vec::with_capacity(graph.edge_count());
        for i in 0..bound {
            start.push(edges.len() as u32);
            let node = NodeIndex::new(i);
            if graph.contains_node(node) {
                edges.extend(
                    graph
                        .edges_directed(node, Outgoing)
                        .filter(|e| e.weight().kind == PrerequisiteKind::Required)
                        .map(|e| (e.target(), *e.weight())),
                );
            }
        }
        start.push(edges.len() as u32);
        // Counting sort by prerequisite: one pass to count, one to place.
        let mut dependents_start = vec![0u32; bound + 1];
        for (prerequisite, _) in &edges {
            dependents_start[prerequisite.index() + 1] += 1;
        }
        for i in 0..bound {
            dependents_start[i + 1] += dependents_start[i];
        }
        let mut implied_at_most = vec![0u8; bound];
        for (prerequisite, spec) in &edges {
            let most = &mut implied_at_most[prerequisite.index()];
            *most = (*most).max(spec.level_for(Level::MAX).get());
        }
        let mut next = dependents_start.clone();
        let mut dependents = vec![NodeIndex::end(); edges.len()];
        for i in 0..bound {
            for (prerequisite, _) in &edges[start[i] as usize..start[i + 1] as usize] {
                let slot = &mut next[prerequisite.index()];
                dependents[*slot as usize] = NodeIndex::new(i);
                *slot += 1;
            }
        }
        Adjacency {
            start,
            edges,
            dependents_start,
            dependents,
            implied_at_most,
        }
    }

    /// One past the largest node index these arrays cover.
    pub(in crate::domain) fn node_bound(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The most holding other skills can imply `node` at: 0 when no skill requires it.
    pub(in crate::domain) fn implied_at_most(&self, node: NodeIndex) -> u8 {
        self.implied_at_most.get(node.index()).copied().unwrap_or(0)
    }

    /// The required prerequisites of `node`, with their edges.
    pub(in crate::domain) fn of(&self, node: NodeIndex) -> &[(NodeIndex, EdgeSpec)] {
        let i = node.index();
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.edges[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The skills that require `node`.
    pub(in crate::domain) fn dependents_of(&self, node: NodeIndex) -> &[NodeIndex] {
        let i = node.index();
        match (
            self.dependents_start.get(i),
            self.dependents_start.get(i + 1),
        ) {
            (Some(&a), Some(&b)) => &self.dependents[a as usize..b as usize],
            _ => &[],
        }
    }
}
