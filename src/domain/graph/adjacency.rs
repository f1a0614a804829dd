//! The required prerequisite edges as flat arrays ([`Adjacency`]), the form the holdings and
//! plan walks read.
//!
//! An index below the graph: it is built from the petgraph alone and must not depend on
//! `SkillGraph` or on any question module.

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, NodeIndexable};

use crate::domain::{EdgeSpec, PrerequisiteKind, SkillId};

/// The required prerequisite edges, node by node, in two flat arrays. Holdings and plans walk
/// these edges for every node they touch; petgraph's adjacency lists chase a pointer per edge
/// and mix in the recommended edges, where this reads one contiguous slice. Built in one pass
/// (about a millisecond per 100,000 edges) the first time a snapshot whose edges changed is
/// walked, so a write never pays for it.
#[derive(Debug, Default)]
pub(in crate::domain) struct Adjacency {
    start: Vec<u32>,
    edges: Vec<(NodeIndex, EdgeSpec)>,
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
        Adjacency { start, edges }
    }

    pub(in crate::domain) fn of(&self, node: NodeIndex) -> &[(NodeIndex, EdgeSpec)] {
        let i = node.index();
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.edges[a as usize..b as usize],
            _ => &[],
        }
    }
}
