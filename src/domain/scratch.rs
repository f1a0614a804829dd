//! Dense per-node maps for walks over the graph, reused from one walk to the next.
//!
//! A plan or a profile's holdings touches a few hundred to a few thousand nodes of a graph of
//! up to 100,000. Hash maps keyed by node cost a hash and a probe per visit, and grow by
//! rehashing; a dense array indexed by node costs one load, but allocating and zeroing one per
//! walk would cost as much as the walk. So each thread keeps its arrays, and a walk starts by
//! bumping an epoch: a slot counts as set only when its stamp equals the current epoch, which
//! makes clearing O(1). The graph's algorithms stay pure: these are caches of memory, never of
//! answers.

use std::cell::RefCell;

use petgraph::stable_graph::NodeIndex;

/// A map from node to `V`, valid for one walk (see the module docs).
pub(super) struct NodeMap<V> {
    epoch: u32,
    /// Each node's stamp beside its value: a walk's visit reads both, and one slot is one
    /// cache line where two arrays were two (within the noise on its own, see BENCHMARKS.md).
    slots: Vec<(u32, V)>,
    /// Nodes set during this walk, in the order they were first set.
    touched: Vec<NodeIndex>,
}

impl<V: Copy + Default> NodeMap<V> {
    /// Empties the map for a walk over a graph whose node indices are below `bound`.
    fn reset(&mut self, bound: usize) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            // Once every four billion walks the stamps could collide: start over.
            self.slots.iter_mut().for_each(|slot| slot.0 = 0);
            self.epoch = 1;
        }
        if self.slots.len() < bound {
            self.slots.resize(bound, (0, V::default()));
        }
        self.touched.clear();
    }

    pub(super) fn get(&self, node: NodeIndex) -> Option<V> {
        let i = node.index();
        let (stamp, value) = self.slots[i];
        (stamp == self.epoch).then_some(value)
    }

    pub(super) fn insert(&mut self, node: NodeIndex, value: V) {
        let i = node.index();
        let slot = &mut self.slots[i];
        if slot.0 != self.epoch {
            slot.0 = self.epoch;
            self.touched.push(node);
        }
        slot.1 = value;
    }

    /// The nodes set in this walk, in the order they were first set.
    pub(super) fn touched(&self) -> &[NodeIndex] {
        &self.touched
    }
}

/// Runs `walk` with this thread's map for `V`-valued walks, emptied for `bound` nodes. Walks
/// do not nest within one thread (each algorithm takes its map once), so the borrow is free.
pub(super) fn with_map<V: Copy + Default + 'static, R>(
    key: &'static std::thread::LocalKey<RefCell<NodeMap<V>>>,
    bound: usize,
    walk: impl FnOnce(&mut NodeMap<V>) -> R,
) -> R {
    key.with(|cell| {
        let mut map = cell.borrow_mut();
        map.reset(bound);
        walk(&mut map)
    })
}

/// Declares a thread's [`NodeMap`] for one kind of walk.
macro_rules! node_map {
    ($name:ident: $v:ty) => {
        thread_local! {
            static $name: std::cell::RefCell<$crate::domain::scratch::NodeMap<$v>> =
                const { std::cell::RefCell::new($crate::domain::scratch::NodeMap::new_const()) };
        }
    };
}
pub(super) use node_map;

impl<V> NodeMap<V> {
    /// For [`node_map!`]: an empty map, built in a `const` thread-local initializer.
    pub(super) const fn new_const() -> Self {
        NodeMap {
            epoch: 0,
            slots: Vec::new(),
            touched: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    node_map!(TEST: u8);

    #[test]
    fn a_new_walk_sees_nothing_of_the_last_one() {
        let first = with_map(&TEST, 10, |m| {
            m.insert(NodeIndex::new(3), 7);
            m.insert(NodeIndex::new(3), 8);
            m.insert(NodeIndex::new(9), 1);
            (m.get(NodeIndex::new(3)), m.touched().len())
        });
        assert_eq!(first, (Some(8), 2));
        with_map(&TEST, 20, |m| {
            assert_eq!(m.get(NodeIndex::new(3)), None);
            assert!(m.touched().is_empty());
            m.insert(NodeIndex::new(19), 2);
            assert_eq!(m.get(NodeIndex::new(19)), Some(2));
        });
    }
}
