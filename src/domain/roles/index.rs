//! The role index of one snapshot: every role with its requirements resolved to nodes and
//! hours, and, per node, the roles that require it. Matching, similar roles and suggestions
//! read it instead of looking skill ids up role by role.
//!
//! An index, below the graph: it is built from the roles and a lookup of their skills, and
//! must not depend on `SkillGraph` or on any question module.
//!
//! # Specificity
//!
//! How specific a skill is across the roles of the snapshot, its inverse document frequency
//! `ln((N + 1) / df)`, with `N` the roles and `df` the roles requiring it (through any option
//! of a requirement): about 0 for a skill every role asks for ("communication"), `ln(N + 1)`
//! for one only one role asks for. The `+ 1` keeps every required skill above 0, so two roles
//! sharing only generic skills still share something. Kept as a fixed-point integer
//! ([`SPECIFICITY_ONE`] is 1), so that sums of weights built on it are exact integers: similar
//! roles are symmetric to the last bit whatever the order of the sums. It changes only when
//! roles do, which is when the index is rebuilt anyway, so it lives here rather than as one
//! more derived index: one `u32` per node.

use std::ops::Range;

use petgraph::stable_graph::NodeIndex;

use crate::domain::{Importance, Level, Role, RoleId, SkillId};

/// A role requirement as matching reads it: its skill's node and hours resolved once per
/// snapshot, so that scoring a role costs no lookup of a skill id. A "one of" requirement's
/// alternatives are in [`RoleIndex::alternatives`]; read its options through
/// [`RoleIndex::options`], [`RoleIndex::held`] and [`RoleIndex::hours_left`].
#[derive(Clone, Copy)]
pub(in crate::domain) struct Need {
    /// The requirement's skill (its preferred option).
    pub(in crate::domain) node: NodeIndex,
    pub(in crate::domain) level: Level,
    pub(in crate::domain) importance: Importance,
    pub(in crate::domain) hours: u32,
    /// Its alternatives: `RoleIndex::alternatives[start..end]`, empty for most.
    alternatives: (u32, u32),
}

#[derive(Clone)]
pub(in crate::domain) struct IndexedRole {
    pub(in crate::domain) id: RoleId,
    /// This role's requirements, in `RoleIndex::needs`, in the role's own order (readiness
    /// sums floats in that order, so the result is the same to the last bit).
    pub(in crate::domain) needs: Range<usize>,
    pub(in crate::domain) essentials: u32,
    /// The hours of its requirements from nothing (a "one of" requirement's cheapest option):
    /// the lower bound of a profile that holds none of them.
    pub(in crate::domain) cold_hours: u64,
}

/// The roles of one snapshot, in id order, with requirements as nodes and, per node, the
/// roles that require it. A profile holds a few hundred skills while ESCO's 3,007 roles have
/// 123,788 requirements; with the per-node lists, matching scores only the roles that require
/// something held and knows the rest without reading them: readiness 0, every essential
/// missing, `cold_hours` to go.
#[derive(Clone)]
pub(in crate::domain) struct RoleIndex {
    pub(in crate::domain) roles: Vec<IndexedRole>,
    pub(in crate::domain) needs: Vec<Need>,
    /// The alternatives of the needs, as (node, hours), each need's in one run.
    alternatives: Vec<(NodeIndex, u32)>,
    /// Roles requiring node `n` (as a need's skill or one of its alternatives; a role lists a
    /// skill once): `requiring[starts[n]..starts[n + 1]]`, positions in `roles`.
    starts: Vec<u32>,
    requiring: Vec<u32>,
    /// Each node's specificity (see the module docs), in units of 1 / [`SPECIFICITY_ONE`];
    /// 0 for a node no role requires.
    specificity: Vec<u32>,
}

/// The fixed-point unit of specificity: a specificity of 1 is stored as this.
pub(in crate::domain) const SPECIFICITY_ONE: u32 = 1 << 16;

/// The specificity of a skill `df` of `roles` roles require (see the module docs), in units of
/// 1 / [`SPECIFICITY_ONE`], at least 1 unit; 0 when no role requires it.
pub(in crate::domain) fn specificity(df: usize, roles: usize) -> u32 {
    if df == 0 {
        return 0;
    }
    let idf = ((roles + 1) as f64 / df as f64).ln();
    ((idf * f64::from(SPECIFICITY_ONE)).round() as u32).max(1)
}

impl RoleIndex {
    /// The index of `roles` (in id order), each requirement's skill resolved by `skill` to its
    /// node and hours; `node_bound` is one more than the largest node.
    pub(in crate::domain) fn build<'a>(
        roles: impl ExactSizeIterator<Item = &'a Role>,
        node_bound: usize,
        skill: impl Fn(&SkillId) -> (NodeIndex, u32),
    ) -> Self {
        let mut indexed = Vec::with_capacity(roles.len());
        let (mut needs, mut alternatives) = (Vec::new(), Vec::new());
        let mut starts = vec![0u32; node_bound + 1];
        for role in roles {
            let first = needs.len();
            let (mut essentials, mut cold_hours) = (0, 0);
            for r in &role.requirements {
                let (node, hours) = skill(&r.skill);
                let start = alternatives.len() as u32;
                alternatives.extend(r.alternatives.iter().map(&skill));
                let need = Need {
                    node,
                    level: r.level,
                    importance: r.importance,
                    hours,
                    alternatives: (start, alternatives.len() as u32),
                };
                for (node, _) in options_of(&alternatives, &need) {
                    starts[node.index() + 1] += 1;
                }
                essentials += u32::from(r.importance == Importance::Essential);
                cold_hours += u64::from(hours_left(&alternatives, &need, |_| None));
                needs.push(need);
            }
            indexed.push(IndexedRole {
                id: role.id.clone(),
                needs: first..needs.len(),
                essentials,
                cold_hours,
            });
        }
        for n in 1..starts.len() {
            starts[n] += starts[n - 1];
        }
        let mut next = starts.clone();
        let mut requiring = vec![0u32; starts[node_bound] as usize];
        for (i, role) in indexed.iter().enumerate() {
            for need in &needs[role.needs.clone()] {
                for (node, _) in options_of(&alternatives, need) {
                    let slot = &mut next[node.index()];
                    requiring[*slot as usize] = i as u32;
                    *slot += 1;
                }
            }
        }
        let specificity = starts
            .windows(2)
            .map(|w| specificity((w[1] - w[0]) as usize, indexed.len()))
            .collect();
        RoleIndex {
            roles: indexed,
            needs,
            alternatives,
            starts,
            requiring,
            specificity,
        }
    }

    /// How specific the skill at `node` is across roles (see the module docs), in units of
    /// 1 / [`SPECIFICITY_ONE`]; 0 for a skill no role requires.
    pub(in crate::domain) fn specificity(&self, node: NodeIndex) -> u32 {
        self.specificity.get(node.index()).copied().unwrap_or(0)
    }

    /// A need's specificity: its least specific option's, so "AWS, GCP or Azure" counts as
    /// specific as the cloud most roles ask for.
    pub(in crate::domain) fn need_specificity(&self, need: &Need) -> u32 {
        self.options(need)
            .map(|(node, _)| self.specificity(node))
            .min()
            .expect("a need has an option")
    }

    /// A need's options as (node, hours): its skill first, then its alternatives.
    pub(in crate::domain) fn options(
        &self,
        need: &Need,
    ) -> impl Iterator<Item = (NodeIndex, u32)> + '_ {
        options_of(&self.alternatives, need)
    }

    /// Whether `node` is one of a need's options.
    pub(in crate::domain) fn lists(&self, need: &Need, node: NodeIndex) -> bool {
        self.options(need).any(|(n, _)| n == node)
    }

    /// The level a need is held at, given each node's level: the highest of its options'
    /// (the option closest to done, as `readiness` counts a "one of" requirement).
    pub(in crate::domain) fn held(
        &self,
        need: &Need,
        held: impl Fn(NodeIndex) -> Option<Level>,
    ) -> Option<Level> {
        self.options(need)
            .map(|(node, _)| held(node))
            .max()
            .flatten()
    }

    /// The hours a need's own step would take from the levels held: the least over its
    /// options, so a lower bound of any plan that meets it.
    pub(in crate::domain) fn hours_left(
        &self,
        need: &Need,
        held: impl Fn(NodeIndex) -> Option<Level>,
    ) -> u32 {
        hours_left(&self.alternatives, need, held)
    }

    /// The hours of the needs in `needs` from nothing (see [`IndexedRole::cold_hours`]).
    fn cold_hours(&self, needs: Range<usize>) -> u64 {
        self.needs[needs]
            .iter()
            .map(|need| u64::from(self.hours_left(need, |_| None)))
            .sum()
    }

    /// The roles requiring `node`. A node past the index is a skill created after it was
    /// built, which no role can require yet (a role write replaces the index).
    pub(in crate::domain) fn requiring(&self, node: NodeIndex) -> &[u32] {
        let n = node.index();
        match (self.starts.get(n), self.starts.get(n + 1)) {
            (Some(&a), Some(&b)) => &self.requiring[a as usize..b as usize],
            _ => &[],
        }
    }

    /// A copy in which the skill at `node` takes `hours`: its requirements take the new hours,
    /// and their roles' `cold_hours` are summed again. A few hundred microseconds on ESCO where
    /// a rebuild is about 10 ms, and editors change hours far more often than they restructure
    /// roles (under `scripts/soak.sh`'s four writers, rebuilding on every hours write left role
    /// matching at a seventh of its rate).
    pub(in crate::domain) fn with_hours(&self, node: NodeIndex, hours: u32) -> Self {
        let mut patched = self.clone();
        for &role in self.requiring(node) {
            let range = patched.roles[role as usize].needs.clone();
            for i in range.clone() {
                let need = &mut patched.needs[i];
                if need.node == node {
                    need.hours = hours;
                }
                let (start, end) = need.alternatives;
                for option in &mut patched.alternatives[start as usize..end as usize] {
                    if option.0 == node {
                        option.1 = hours;
                    }
                }
            }
            patched.roles[role as usize].cold_hours = patched.cold_hours(range);
        }
        patched
    }

    pub(in crate::domain) fn position(&self, id: &RoleId) -> Option<usize> {
        self.roles.binary_search_by(|r| r.id.cmp(id)).ok()
    }
}

/// [`RoleIndex::options`] over the alternatives built so far.
fn options_of<'a>(
    alternatives: &'a [(NodeIndex, u32)],
    need: &Need,
) -> impl Iterator<Item = (NodeIndex, u32)> + 'a {
    let (start, end) = need.alternatives;
    std::iter::once((need.node, need.hours))
        .chain(alternatives[start as usize..end as usize].iter().copied())
}

/// [`RoleIndex::hours_left`] over the alternatives built so far.
fn hours_left(
    alternatives: &[(NodeIndex, u32)],
    need: &Need,
    held: impl Fn(NodeIndex) -> Option<Level>,
) -> u32 {
    options_of(alternatives, need)
        .map(|(node, hours)| Level::hours_between(hours, held(node), need.level))
        .min()
        .expect("a need has an option")
}
