//! Interval labels that rule out reachability along required prerequisite edges without a
//! walk (GRAIL, Yildirim, Chaoji and Zaki, VLDB 2010): "can a skill held at some level imply
//! anything about skill r?" is answered "no" for most of the graph by two comparisons per
//! labelling, so a walk that only needs a handful of skills' levels (a role gap's
//! requirements) visits the few skills on paths toward them instead of every held skill's
//! whole closure.
//!
//! Each labelling is a depth-first traversal of the DAG in its own order: a node's label is
//! `[low, post]`, its post-order number and the lowest post-order number below it. If `u`
//! reaches `v`, `v` is finished before `u` and everything below `v` is below `u`, so `v`'s
//! interval lies inside `u`'s in every labelling. The converse does not hold: a "maybe" still
//! needs the walk, which is why this only prunes and never answers. Two labellings in
//! opposite orders cut most of the false "maybe"s the first leaves.
//!
//! A plain index over node numbers and edge lists: knows no skill, role or question.

use petgraph::stable_graph::NodeIndex;

/// How many labellings: each costs a traversal at build and 8 bytes a node.
const LABELLINGS: usize = 2;

#[derive(Debug, Default)]
pub(crate) struct Intervals {
    /// Per node slot, per labelling, `(low, post)`.
    labels: Vec<[(u32, u32); LABELLINGS]>,
}

impl Intervals {
    /// Labels `bound` node slots whose prerequisite edges `edges` lists (a slot without a
    /// node has no edges and none toward it, so it is labelled alone, harmlessly). Linear in
    /// nodes and edges per labelling.
    pub(crate) fn build<'a, E: 'a>(
        bound: usize,
        edges: impl Fn(NodeIndex) -> &'a [(NodeIndex, E)],
    ) -> Self {
        let mut labels = vec![[(0u32, 0u32); LABELLINGS]; bound];
        let mut done = vec![false; bound];
        let mut stack: Vec<(NodeIndex, usize)> = Vec::new();
        for l in 0..LABELLINGS {
            done.iter_mut().for_each(|d| *d = false);
            let mut post = 0u32;
            // Labelling 0 starts from the lowest slot and takes edges in order; labelling 1
            // from the highest, edges in reverse: different trees, different false positives.
            let roots: Box<dyn Iterator<Item = usize>> = if l == 0 {
                Box::new(0..bound)
            } else {
                Box::new((0..bound).rev())
            };
            for root in roots {
                let root = NodeIndex::new(root);
                if done[root.index()] {
                    continue;
                }
                done[root.index()] = true;
                stack.push((root, 0));
                while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                    let out = edges(node);
                    if *next < out.len() {
                        let i = if l == 0 { *next } else { out.len() - 1 - *next };
                        *next += 1;
                        let child = out[i].0;
                        if !done[child.index()] {
                            done[child.index()] = true;
                            stack.push((child, 0));
                        }
                        continue;
                    }
                    stack.pop();
                    // Every child is finished (a DAG has no edge back up the stack), so the
                    // lowest number below this node is known now.
                    let low = out
                        .iter()
                        .map(|(c, _)| labels[c.index()][l].0)
                        .fold(post, u32::min);
                    labels[node.index()][l] = (low, post);
                    post += 1;
                }
            }
        }
        Intervals { labels }
    }

    /// False when `from` certainly does not reach `to` (nor equals it); true when it may.
    pub(crate) fn may_reach(&self, from: NodeIndex, to: NodeIndex) -> bool {
        let (Some(a), Some(b)) = (self.labels.get(from.index()), self.labels.get(to.index()))
        else {
            return false;
        };
        a.iter()
            .zip(b)
            .all(|(&(low_a, post_a), &(low_b, post_b))| low_a <= low_b && post_b <= post_a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reaches(edges: &[Vec<(NodeIndex, ())>], from: usize, to: usize) -> bool {
        let mut seen = vec![false; edges.len()];
        let mut work = vec![from];
        while let Some(n) = work.pop() {
            if n == to {
                return true;
            }
            for &(c, ()) in &edges[n] {
                if !std::mem::replace(&mut seen[c.index()], true) {
                    work.push(c.index());
                }
            }
        }
        false
    }

    #[test]
    fn a_no_is_never_wrong_and_most_non_reachable_pairs_are_ruled_out() {
        // A layered random DAG: node i requires up to three of the nodes below it.
        let n = 400;
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rand = move |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
        let hole = 17;
        let edges: Vec<Vec<(NodeIndex, ())>> = (0..n)
            .map(|i| {
                (0..if i == 0 || i == hole { 0 } else { 3 })
                    .map(|_| rand(i))
                    .filter(|&c| c != hole)
                    .map(|c| (NodeIndex::new(c), ()))
                    .collect()
            })
            .collect();
        let intervals = Intervals::build(n, |x| &edges[x.index()]);
        let (mut unreachable, mut ruled_out) = (0, 0);
        for a in (0..n).filter(|&a| a != hole) {
            for b in (0..n).filter(|&b| b != hole) {
                let may = intervals.may_reach(NodeIndex::new(a), NodeIndex::new(b));
                if reaches(&edges, a, b) {
                    assert!(may, "{a} reaches {b}, but the labels said no");
                } else {
                    unreachable += 1;
                    ruled_out += usize::from(!may);
                }
            }
        }
        assert!(
            ruled_out * 3 >= unreachable * 2,
            "only {ruled_out} of {unreachable} unreachable pairs ruled out"
        );
    }
}
