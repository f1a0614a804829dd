//! What holding a skill implies for one fixed set of targets ([`Implications`]): for each skill
//! with a required path to a target, the level each of its levels implies there. A role's
//! standing asks about the same requirements for every profile, so the walk that finds these
//! levels is done once per role (per snapshot's edges) and a standing reads a few rows per held
//! skill, whatever the size of the graph.
//!
//! Holding a skill at level L implies each required prerequisite at
//! [`EdgeSpec::needed_for`](crate::domain::EdgeSpec::needed_for)`(L)`, transitively (see
//! `holdings`). Every such step is monotone in L, so the level a held skill implies at a target
//! is the best over its paths, and what a profile holds there is the best over its held skills:
//! the holdings walk's fixpoint, found here as one table of five levels per (skill, target).
//!
//! An index below the graph: built from [`Adjacency`] alone, and dropped by the writes that drop
//! it (`graph/derived`); it must not depend on `SkillGraph` or on any question module.

use std::fmt;
use std::sync::Arc;

use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashMap as HashMap;

use super::adjacency::Adjacency;
use crate::domain::Level;
use crate::domain::scratch::{node_map, with_map};

/// Levels implied at a target for holding a skill at 1..=5, by index (0: nothing).
type Table = [u8; 5];

/// A target's own table: holding it at L is holding it at L.
const IDENTITY: Table = [1, 2, 3, 4, 5];

/// How many (skill, target) rows one target set may take before it is not worth keeping: a
/// role whose requirements include a hub (a skill most of the graph builds on) is reached from
/// nearly every skill, and its standing walks instead. On the 14,000-skill benchmark graph a
/// role's median is about 4,400 rows, 99 % of roles stay under 14,000, the largest is 48,000.
const MAX_ROWS: usize = 1 << 15;

/// What the cache of one snapshot's edges may hold, in bytes (see [`ImplicationCache`]).
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

node_map!(IMPLIED: Table);

/// For one set of targets, what each skill that can reach one implies there (see the module
/// docs).
pub(in crate::domain) struct Implications {
    /// The targets anything can imply (some skill requires them), deduplicated.
    targets: Vec<NodeIndex>,
    /// The skills with a required path to a target, by node index, sorted.
    nodes: Vec<u32>,
    /// `nodes[i]`'s rows are `rows[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// Each row: the target's position in `targets`, and its table's in `tables`.
    rows: Vec<(u16, u8)>,
    /// The distinct tables (they are monotone maps of five levels to six, so there are few).
    tables: Vec<Table>,
}

impl Implications {
    /// The implications of holding anything for `targets`, or `None` when they would take more
    /// than [`MAX_ROWS`] rows.
    fn build(adjacency: &Adjacency, targets: &[NodeIndex]) -> Option<Self> {
        let mut kept: Vec<NodeIndex> = Vec::with_capacity(targets.len());
        for &t in targets {
            if adjacency.implied_at_most(t) > 0 && !kept.contains(&t) {
                kept.push(t);
            }
        }
        if kept.len() > usize::from(u16::MAX) {
            return None;
        }
        let mut found: Vec<(u32, u16, Table)> = Vec::new();
        for (position, &target) in kept.iter().enumerate() {
            let fits = with_map(&IMPLIED, adjacency.node_bound(), |implied| {
                implied.insert(target, IDENTITY);
                let mut stack = vec![target];
                // Up from the target: a skill's table is the best, over its required edges into
                // a skill already reached, of that skill's table after the edge. Tables only
                // rise, so this ends; most skills are visited once.
                while let Some(prerequisite) = stack.pop() {
                    let below = implied.get(prerequisite).unwrap_or_default();
                    for &dependent in adjacency.dependents_of(prerequisite) {
                        let mut table = implied.get(dependent).unwrap_or_default();
                        let mut rose = false;
                        for (_, spec) in adjacency
                            .of(dependent)
                            .iter()
                            .filter(|(p, _)| *p == prerequisite)
                        {
                            for (at, held) in (1..=Level::MAX.get()).enumerate() {
                                let Some(needed) = spec.needed_for(as_level(held)) else {
                                    continue;
                                };
                                let there = below[usize::from(needed.get()) - 1];
                                if there > table[at] {
                                    table[at] = there;
                                    rose = true;
                                }
                            }
                        }
                        if rose {
                            implied.insert(dependent, table);
                            stack.push(dependent);
                        }
                    }
                }
                for &node in implied.touched() {
                    if node != target {
                        let table = implied.get(node).unwrap_or_default();
                        found.push((node.index() as u32, position as u16, table));
                    }
                }
                found.len() <= MAX_ROWS
            });
            if !fits {
                return None;
            }
        }
        found.sort_unstable_by_key(|row| (row.0, row.1));
        let mut tables: Vec<Table> = Vec::new();
        let mut table_at: HashMap<Table, u8> = HashMap::default();
        let mut nodes = Vec::new();
        let mut starts = Vec::new();
        let mut rows = Vec::with_capacity(found.len());
        for (node, position, table) in found {
            if nodes.last() != Some(&node) {
                nodes.push(node);
                starts.push(rows.len() as u32);
            }
            let at = *table_at.entry(table).or_insert_with(|| {
                tables.push(table);
                (tables.len() - 1) as u8
            });
            rows.push((position, at));
        }
        starts.push(rows.len() as u32);
        Some(Implications {
            targets: kept,
            nodes,
            starts,
            rows,
            tables,
        })
    }

    /// What `explicit` holds at each of `targets`, explicitly or by implication, with the held
    /// skill implying it, sorted by node: the levels the holdings walk gives. Among held skills
    /// implying the same level, the one first by `rank` is named; a target held explicitly at
    /// that level names itself.
    pub(in crate::domain) fn levels(
        &self,
        explicit: &HashMap<NodeIndex, Level>,
        targets: &[NodeIndex],
        rank: impl Fn(NodeIndex) -> u32,
    ) -> Vec<(NodeIndex, Level, NodeIndex)> {
        // The best level implied at each kept target, with the held skill implying it and that
        // skill's rank (ties are common: most edges imply the default level).
        let mut best: Vec<(u8, Option<(NodeIndex, u32)>)> = vec![(0, None); self.targets.len()];
        for (&held, &at) in explicit {
            let Ok(i) = self.nodes.binary_search(&(held.index() as u32)) else {
                continue;
            };
            let rows = &self.rows[self.starts[i] as usize..self.starts[i + 1] as usize];
            let held_rank = rank(held);
            for &(position, table) in rows {
                let level = self.tables[usize::from(table)][usize::from(at.get()) - 1];
                let slot = &mut best[usize::from(position)];
                let better = level > slot.0
                    || (level == slot.0
                        && level > 0
                        && slot.1.is_some_and(|(_, via_rank)| held_rank < via_rank));
                if better {
                    *slot = (level, Some((held, held_rank)));
                }
            }
        }
        let mut implied: Vec<(NodeIndex, u8, NodeIndex)> = self
            .targets
            .iter()
            .zip(best)
            .filter_map(|(&t, (level, via))| via.map(|(via, _)| (t, level, via)))
            .collect();
        implied.sort_unstable_by_key(|e| e.0);
        let mut all: Vec<(NodeIndex, Level, NodeIndex)> = targets
            .iter()
            .filter_map(|&t| {
                let own = explicit.get(&t).copied();
                let by = implied
                    .binary_search_by_key(&t, |e| e.0)
                    .ok()
                    .map(|i| (as_level(implied[i].1), implied[i].2));
                match (own, by) {
                    (Some(own), Some((level, via))) if level > own => Some((t, level, via)),
                    (Some(own), _) => Some((t, own, t)),
                    (None, Some((level, via))) => Some((t, level, via)),
                    (None, None) => None,
                }
            })
            .collect();
        all.sort_unstable_by_key(|e| e.0);
        all.dedup_by_key(|e| e.0);
        all
    }

    /// About what this takes in memory, for the cache's bound.
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.targets.len() * std::mem::size_of::<NodeIndex>()
            + self.nodes.len() * 4
            + self.starts.len() * 4
            + self.rows.len() * std::mem::size_of::<(u16, u8)>()
            + self.tables.len() * std::mem::size_of::<Table>()
    }
}

/// A level from a table entry known to be one (1..=5).
fn as_level(value: u8) -> Level {
    Level::new(i64::from(value)).expect("tables hold levels 1-5")
}

/// The implications of the target sets asked about, for one snapshot's edges: built when a set
/// is first asked about, kept up to [`CACHE_BYTES`] (least used first out), dropped by every
/// write that drops the [`Adjacency`] they were built from. Keyed by the targets as given, so a role whose requirements
/// change asks under a new key, and roles with the same requirements share one.
pub(in crate::domain) struct ImplicationCache(
    moka::sync::Cache<Vec<u32>, Option<Arc<Implications>>>,
);

impl Default for ImplicationCache {
    fn default() -> Self {
        ImplicationCache(
            moka::sync::Cache::builder()
                .max_capacity(CACHE_BYTES)
                .weigher(|key: &Vec<u32>, value: &Option<Arc<Implications>>| {
                    let bytes = key.len() * 4 + value.as_ref().map_or(0, |v| v.bytes()) + 64;
                    u32::try_from(bytes).unwrap_or(u32::MAX)
                })
                .build(),
        )
    }
}

impl fmt::Debug for ImplicationCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImplicationCache")
            .field("sets", &self.0.entry_count())
            .finish()
    }
}

impl ImplicationCache {
    /// The implications for `targets` (`None`: too many to keep; walk instead).
    pub(in crate::domain) fn get(
        &self,
        adjacency: &Adjacency,
        targets: &[NodeIndex],
    ) -> Option<Arc<Implications>> {
        let key: Vec<u32> = targets.iter().map(|t| t.index() as u32).collect();
        self.0.get_with_by_ref(&key[..], || {
            Implications::build(adjacency, targets).map(Arc::new)
        })
    }
}
