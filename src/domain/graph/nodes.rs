//! Each node's skill and its category's order, by node index: the table plans and listings
//! read for every node they sort or show (one load, where the id would cost a string hash into
//! `skills` and a string search into `categories`).
//!
//! Snapshots share it, and a write to one skill must not rebuild it: on ESCO (14,000 skills)
//! a rebuild is a pass over the skill map with a category lookup each, and with hundreds of
//! writes a second those rebuilds were close to half the server's CPU (`scripts/soak.sh` under
//! `perf`). So the table is cut into chunks behind their own `Arc`, and a write copies the
//! list of chunks and the one chunk it changes.

use std::sync::Arc;

use petgraph::stable_graph::NodeIndex;

use crate::domain::Skill;

/// A node's skill, with the display order of its category (the first sort key of listings).
pub(in crate::domain) type NodeSkill = (Arc<Skill>, i32);

/// Nodes per chunk: a write copies this many entries (an `Arc` and an `i32` each), and a
/// 14,000-node table has 55 chunks to list.
const CHUNK: usize = 256;

#[derive(Clone, Default)]
pub(in crate::domain) struct NodeTable {
    chunks: Vec<Arc<[Option<NodeSkill>]>>,
}

impl NodeTable {
    /// A table of `bound` nodes (the graph's node bound) from every node's entry.
    pub(super) fn build(
        bound: usize,
        entries: impl Iterator<Item = (NodeIndex, NodeSkill)>,
    ) -> Self {
        let mut all = vec![None; bound];
        for (node, entry) in entries {
            all[node.index()] = Some(entry);
        }
        NodeTable {
            chunks: all.chunks(CHUNK).map(Arc::from).collect(),
        }
    }

    pub(super) fn get(&self, node: NodeIndex) -> Option<&NodeSkill> {
        let i = node.index();
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)?.as_ref()
    }

    /// Sets (or, with `None`, clears) one node's entry, copying only its chunk.
    pub(super) fn set(&mut self, node: NodeIndex, entry: Option<NodeSkill>) {
        let i = node.index();
        while self.chunks.len() <= i / CHUNK {
            self.chunks.push(vec![None; CHUNK].into());
        }
        let chunk = &mut self.chunks[i / CHUNK];
        let mut copy = chunk.to_vec();
        // The last chunk of a build is short.
        copy.resize(CHUNK, None);
        copy[i % CHUNK] = entry;
        *chunk = copy.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::graph::tests::skill;

    #[test]
    fn a_set_changes_one_entry_and_leaves_the_copy_it_came_from_alone() {
        let entry = |id: &str, order| (Arc::new(skill(id, "c", 1)), order);
        let before = NodeTable::build(
            600,
            (0..600).map(|i| (NodeIndex::new(i), entry(&format!("s{i}"), 1))),
        );
        let mut after = before.clone();
        after.set(NodeIndex::new(300), Some(entry("new", 2)));
        after.set(NodeIndex::new(5), None);
        after.set(NodeIndex::new(1000), Some(entry("far", 3)));
        assert_eq!(after.get(NodeIndex::new(300)).unwrap().0.id.as_str(), "new");
        assert!(after.get(NodeIndex::new(5)).is_none());
        assert_eq!(after.get(NodeIndex::new(1000)).unwrap().1, 3);
        assert!(after.get(NodeIndex::new(999)).is_none());
        assert_eq!(
            before.get(NodeIndex::new(300)).unwrap().0.id.as_str(),
            "s300"
        );
        assert_eq!(before.get(NodeIndex::new(5)).unwrap().0.id.as_str(), "s5");
        assert!(before.get(NodeIndex::new(1000)).is_none());
        // Untouched chunks are shared, not copied.
        assert!(Arc::ptr_eq(&before.chunks[2], &after.chunks[2]));
    }
}
