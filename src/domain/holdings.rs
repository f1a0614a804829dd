//! Holdings: what a profile holds, explicitly and by implication, computed once per profile
//! and shared by the questions asked about it (a role's standing, matching, the plan that
//! closes a gap).
//!
//! A profile holds skills at levels; a current role counts as holding its *essential*
//! requirements at their levels. Its optional ones are not held: "optional" means some holders
//! have it, so counting it (and everything it implies) as held assumed every data engineer
//! knows feature stores, and so statistics, and every software engineer Kubernetes. A profile
//! lists such a skill in its skills when it does hold it. Every question asked of a profile
//! (plans, gaps, matching, `next`, similar roles' hours) reads its role through here.
//!
//! Holding a skill at level L implies holding each *required* prerequisite that applies at L
//! at [`EdgeSpec::needed_for`](super::EdgeSpec::needed_for)`(L)`, transitively: whoever
//! practises PyTorch knows some Python, and whoever has only heard of LLMs need not know
//! transformers (an edge that applies only beyond a level implies nothing below it). Such
//! skills are reported as *implied*, never silently
//! assumed. Holding a skill implies nothing about its "one of" groups' options.
//!
//! Reads the graph; must not depend on plans or role questions, which read holdings.

use rustc_hash::FxHashMap as HashMap;

use petgraph::stable_graph::NodeIndex;

use super::graph::SkillGraph;
use super::scratch::{NodeMap, node_map, with_map};
use super::{Error, Importance, Level, Profile, RoleId};

/// What a profile holds, explicitly and by implication (see the module docs).
pub struct Holdings {
    explicit: HashMap<NodeIndex, Level>,
    /// Explicit or implied level, with the explicitly held skill that implies it; sorted by
    /// node, for binary search (built once, read a few hundred times).
    effective: Vec<(NodeIndex, Level, NodeIndex)>,
    pub(super) role: Option<RoleId>,
    /// Whether `effective` holds every skill held (false: only the targets
    /// [`SkillGraph::holdings_toward`] was given).
    complete: bool,
}

impl Holdings {
    /// The level `node` is held at explicitly (by the profile or its current role's essential
    /// requirements).
    pub(super) fn explicit(&self, node: NodeIndex) -> Option<Level> {
        self.explicit.get(&node).copied()
    }

    /// How many skills are held explicitly.
    pub(super) fn explicit_count(&self) -> usize {
        self.explicit.len()
    }

    /// The level `node` is held at, explicitly or by implication, with the explicitly held
    /// skill that implies it.
    pub(super) fn effective(&self, node: NodeIndex) -> Option<(Level, NodeIndex)> {
        let i = self.effective.binary_search_by_key(&node, |e| e.0).ok()?;
        let (_, level, via) = self.effective[i];
        Some((level, via))
    }

    pub(super) fn level(&self, node: NodeIndex) -> Option<Level> {
        self.effective(node).map(|(l, _)| l)
    }

    /// Whether every skill held is known, not only those toward some targets.
    pub(super) fn is_complete(&self) -> bool {
        self.complete
    }

    /// Every skill held, explicitly or by implication, with its level.
    pub(super) fn levels(&self) -> impl Iterator<Item = (NodeIndex, Level)> + '_ {
        self.effective.iter().map(|&(node, level, _)| (node, level))
    }
}

/// Whether `level` is more than what is `held` (anything is more than nothing).
pub(super) fn above(level: Level, held: Option<Level>) -> bool {
    held.is_none_or(|h| level > h)
}

// The holdings walk's levels: (level, the explicitly held skill implying it).
node_map!(HELD: Option<(Level, NodeIndex)>);
// The skills that can reach one of the targets, for a walk toward them.
node_map!(REACHES: ());

/// How many skills the marking of what reaches the targets may visit before it gives up and
/// the walk goes everywhere instead. A requirement every field builds on (a hub such as Python)
/// is reached from most of the graph, and marking all of that costs more than the walk it
/// would save; a role's usual requirements are reached from a few hundred skills.
const REACH_BUDGET: usize = 4096;

impl SkillGraph {
    /// What `profile` holds, explicitly and by implication (see the module docs).
    pub fn holdings(&self, profile: &Profile) -> Result<Holdings, Error> {
        // No targets: nothing to mark, so no budget.
        self.holdings_within(profile, None, 0)
    }

    /// What `profile` holds, as far as `targets` go: their levels, which are those
    /// [`holdings`](Self::holdings) gives, and nothing else implied (a role's standing reads
    /// only its requirements' levels), so the whole closure is neither kept nor sorted.
    ///
    /// A role's requirements are the same targets for every profile, so what each skill
    /// implies at them is found once per snapshot's edges (see `graph/implications`), and a
    /// standing reads a few rows per held skill, whatever the size of the graph. Targets
    /// reached from too much of the graph to be worth keeping are walked toward instead (see
    /// [`holdings_within`](Self::holdings_within)). Either way the levels are the whole walk's;
    /// the held skill named as implying a level is one that does, not necessarily the one the
    /// whole walk names (a standing reads levels only).
    pub(super) fn holdings_toward(
        &self,
        profile: &Profile,
        targets: &[NodeIndex],
    ) -> Result<Holdings, Error> {
        let Some(implications) = self.implications(targets) else {
            return self.holdings_within(profile, Some(targets), REACH_BUDGET);
        };
        let explicit = self.held_explicitly(profile)?;
        let effective = implications.levels(&explicit, targets, |n| self.rank(n));
        Ok(Holdings {
            explicit,
            effective,
            role: profile.role.clone(),
            complete: false,
        })
    }

    /// Marks in `reaches` every skill with a required path to one of `targets`, the targets
    /// included; false when that took more than `budget` skills (the marks are then partial).
    fn mark_reaching(
        &self,
        targets: &[NodeIndex],
        budget: usize,
        reaches: &mut NodeMap<()>,
    ) -> bool {
        let mut stack: Vec<NodeIndex> = Vec::with_capacity(targets.len() * 4);
        for &t in targets {
            if reaches.get(t).is_none() {
                reaches.insert(t, ());
                stack.push(t);
            }
        }
        while let Some(node) = stack.pop() {
            for &dependent in self.required_dependents(node) {
                if reaches.get(dependent).is_none() {
                    if reaches.touched().len() >= budget {
                        return false;
                    }
                    reaches.insert(dependent, ());
                    stack.push(dependent);
                }
            }
        }
        true
    }

    /// The skills `profile` holds explicitly, each at the highest level it is held at: its
    /// skills and its current role's essential requirements.
    fn held_explicitly(&self, profile: &Profile) -> Result<HashMap<NodeIndex, Level>, Error> {
        let mut explicit: HashMap<NodeIndex, Level> = HashMap::default();
        let mut hold = |node: NodeIndex, level: Level| {
            let held = explicit.entry(node).or_insert(level);
            *held = (*held).max(level);
        };
        if let Some(role) = &profile.role {
            // Essentials only: see the module docs.
            for r in &self.role_entry(role)?.requirements {
                if r.importance == Importance::Essential {
                    hold(self.entry(&r.skill)?.node, r.level);
                }
            }
        }
        for (skill, level) in &profile.skills {
            hold(self.entry(skill)?.node, *level);
        }
        Ok(explicit)
    }

    /// The holdings walk, toward `targets` when given (through the skills marked as reaching
    /// them, up to `budget` marks, past which it walks everywhere).
    fn holdings_within(
        &self,
        profile: &Profile,
        targets: Option<&[NodeIndex]>,
        budget: usize,
    ) -> Result<Holdings, Error> {
        let explicit = self.held_explicitly(profile)?;
        // Levels only rise, at most five times per node, so the worklist ends; its cost is the
        // size of the held skills' prerequisite closure.
        let bound = self.node_bound();
        let effective = match targets {
            None => self.walk_holdings(&explicit, None, bound, |_| true),
            Some(targets) => {
                // A target held at or above the most any edge into it can imply keeps its
                // explicit level whatever else is held, and one no skill requires is never
                // implied: only the others are walked toward (half of a benchmark gap's
                // requirements are held, most above the default cap).
                let open: Vec<NodeIndex> = targets
                    .iter()
                    .copied()
                    .filter(|&t| {
                        let most = self.implied_at_most(t);
                        explicit.get(&t).map_or(0, |l| l.get()) < most
                    })
                    .collect();
                if open.is_empty() {
                    let mut all: Vec<(NodeIndex, Level, NodeIndex)> = targets
                        .iter()
                        .filter_map(|&t| explicit.get(&t).map(|&l| (t, l, t)))
                        .collect();
                    all.sort_unstable_by_key(|e| e.0);
                    all.dedup_by_key(|e| e.0);
                    all
                } else {
                    self.walk_toward(&explicit, targets, &open, budget, bound)
                }
            }
        };
        Ok(Holdings {
            explicit,
            effective,
            role: profile.role.clone(),
            complete: targets.is_none(),
        })
    }

    /// The holdings walk toward `targets`, through the skills that can reach one of `open` (the
    /// targets whose level something held may still raise).
    fn walk_toward(
        &self,
        explicit: &HashMap<NodeIndex, Level>,
        targets: &[NodeIndex],
        open: &[NodeIndex],
        budget: usize,
        bound: usize,
    ) -> Vec<(NodeIndex, Level, NodeIndex)> {
        with_map(&REACHES, bound, |reaches| {
            let marked = self.mark_reaching(open, budget, reaches);
            // Unmarked (over budget), every skill may lead somewhere.
            let leads_on = |node: NodeIndex| !marked || reaches.get(node).is_some();
            self.walk_holdings(explicit, Some(targets), bound, leads_on)
        })
    }

    /// The holdings walk proper: from the explicitly held skills down their required
    /// prerequisites, going on only from skills `leads_on` accepts; the levels of `targets`
    /// (all levels when `None`), sorted by node.
    fn walk_holdings(
        &self,
        explicit: &HashMap<NodeIndex, Level>,
        targets: Option<&[NodeIndex]>,
        bound: usize,
        leads_on: impl Fn(NodeIndex) -> bool,
    ) -> Vec<(NodeIndex, Level, NodeIndex)> {
        with_map(&HELD, bound, |effective| {
            for (&n, &l) in explicit {
                effective.insert(n, Some((l, n)));
            }
            // One stack per level, highest level first: a node reached at a low level and
            // raised later would be walked again with everything below it, so walking the
            // highest levels first walks most nodes once. Within a level, held skills in
            // order, so when two imply the same level, the same one is named.
            let mut work: [Vec<NodeIndex>; Level::MAX.get() as usize] = Default::default();
            let mut held: Vec<NodeIndex> = explicit.keys().copied().collect();
            held.sort_by_cached_key(|&n| std::cmp::Reverse(self.rank(n)));
            for node in held {
                work[usize::from(explicit[&node].get()) - 1].push(node);
            }
            while let Some(node) = work.iter_mut().rev().find_map(Vec::pop) {
                let Some((level, via)) = effective.get(node).flatten() else {
                    continue;
                };
                for &(prerequisite, spec) in self.required_prerequisites(node) {
                    if !leads_on(prerequisite) {
                        continue;
                    }
                    let Some(needed) = spec.needed_for(level) else {
                        continue;
                    };
                    if above(needed, effective.get(prerequisite).flatten().map(|e| e.0)) {
                        effective.insert(prerequisite, Some((needed, via)));
                        work[usize::from(needed.get()) - 1].push(prerequisite);
                    }
                }
            }
            let kept = match targets {
                Some(targets) => targets,
                None => effective.touched(),
            };
            let mut all: Vec<(NodeIndex, Level, NodeIndex)> = kept
                .iter()
                .filter_map(|&n| effective.get(n).flatten().map(|(l, via)| (n, l, via)))
                .collect();
            all.sort_unstable_by_key(|e| e.0);
            all.dedup_by_key(|e| e.0);
            all
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::graph::tests::{category, id, skill};
    use crate::domain::{EdgeSpec, PrerequisiteKind};

    /// A DAG of `n` skills where skill i may require skills below it, edges with or without a
    /// minimum level, some recommended (which imply nothing).
    fn graph(n: usize, edges: &[(usize, usize, u8, bool)]) -> SkillGraph {
        let mut g = SkillGraph::new();
        g.upsert_category(category("c", 1)).unwrap();
        for i in 0..n {
            g.upsert_skill(skill(&format!("s{i}"), "c", 10)).unwrap();
        }
        for &(a, b, min, recommended) in edges {
            let (a, b) = (a % n, b % n);
            if a <= b
                || g.edge(&id(&format!("s{a}")), &id(&format!("s{b}")))
                    .is_some()
            {
                continue;
            }
            let spec = EdgeSpec {
                kind: if recommended {
                    PrerequisiteKind::Recommended
                } else {
                    PrerequisiteKind::Required
                },
                min_level: Level::new(i64::from(min)).ok(),
                beyond: None,
            };
            g.add_prerequisite(&id(&format!("s{a}")), &id(&format!("s{b}")), spec)
                .unwrap();
        }
        g
    }

    fn rid(s: &str) -> RoleId {
        RoleId::parse(s).unwrap()
    }

    /// A role needing b (which needs a) and, optionally, d (which needs c); another needing
    /// both; 10 hours each.
    fn with_roles() -> SkillGraph {
        use crate::domain::graph::tests::graph;
        use crate::domain::plan::tests::role;
        let mut g = graph(&["b>a", "d>c"]);
        g.upsert_role(role(
            "held",
            &[
                ("b", 3, Importance::Essential),
                ("d", 3, Importance::Optional),
            ],
        ))
        .unwrap();
        g.upsert_role(role(
            "next-up",
            &[
                ("b", 3, Importance::Essential),
                ("d", 3, Importance::Essential),
            ],
        ))
        .unwrap();
        g
    }

    fn from_role(role: &str, skills: &[(&str, i64)]) -> Profile {
        Profile {
            skills: skills
                .iter()
                .map(|&(s, l)| (id(s), Level::new(l).unwrap()))
                .collect(),
            role: Some(rid(role)),
        }
    }

    #[test]
    fn a_held_roles_optional_requirements_are_not_held() {
        let g = with_roles();
        let node = |s: &str| g.entry(&id(s)).unwrap().node;
        let holdings = g.holdings(&from_role("held", &[])).unwrap();
        assert_eq!(holdings.explicit(node("b")), Some(Level::PRACTITIONER));
        assert!(holdings.level(node("a")).is_some(), "an essential implies");
        assert_eq!(
            holdings.level(node("d")),
            None,
            "optional: some holders have it"
        );
        assert_eq!(holdings.level(node("c")), None, "nor what it would imply");
        assert_eq!(holdings.explicit_count(), 1);
        // Toward targets, the same.
        let toward = g
            .holdings_toward(&from_role("held", &[]), &[node("c"), node("d")])
            .unwrap();
        assert_eq!(toward.level(node("d")), None);
        assert_eq!(toward.level(node("c")), None);
        // A profile that does hold it says so, and then it implies as any skill does.
        let listed = g.holdings(&from_role("held", &[("d", 2)])).unwrap();
        assert_eq!(listed.level(node("d")), Some(Level::new(2).unwrap()));
        assert!(listed.level(node("c")).is_some());
    }

    #[test]
    fn every_question_asked_from_a_role_learns_its_optional_requirements() {
        let g = with_roles();
        let held = from_role("held", &[]);
        let to = rid("next-up");
        // Gap and plan: d is missing, and the plan teaches c then d.
        let gap = g.role_gap(&held, &to).unwrap();
        let missing: Vec<&str> = gap
            .standing
            .missing
            .iter()
            .map(|m| m.requirement.skill.as_str())
            .collect();
        assert_eq!(missing, ["d"]);
        let steps: Vec<&str> = gap.plan.steps.iter().map(|s| s.skill.as_str()).collect();
        assert_eq!(steps, ["c", "d"]);
        // Matching: half ready (b essential held, d essential missing).
        let matched = g.match_roles(&held, 1).unwrap();
        assert_eq!(matched[0].role, to);
        assert_eq!(matched[0].readiness, 0.5);
        assert_eq!(matched[0].hours, gap.hours);
        // Next: c can be started from nothing.
        let next = g.next_skills(&held, &[], 10).unwrap();
        assert!(
            next.iter()
                .any(|s| s.skill == id("c") && s.from_level.is_none()),
            "{next:?}"
        );
        // Similar roles: the move costs the gap's hours, and the way back nothing.
        let similar = g.similar_roles(&rid("held"), 1).unwrap();
        assert_eq!((similar[0].hours_to, similar[0].hours_from), (gap.hours, 0));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn holdings_toward_targets_give_the_levels_the_whole_walk_gives_them(
            n in 2usize..40,
            edges in prop::collection::vec((0usize..40, 0usize..40, 0u8..6, prop::bool::weighted(0.2)), 0..120),
            held in prop::collection::vec((0usize..40, 1i64..=5), 0..6),
            targets in prop::collection::vec(0usize..40, 1..6),
            budget in 0usize..16,
        ) {
            let g = graph(n, &edges);
            let profile = Profile {
                skills: held.iter().map(|&(i, l)| (id(&format!("s{}", i % n)), Level::new(l).unwrap())).collect(),
                role: None,
            };
            let targets: Vec<NodeIndex> = targets.iter().map(|&t| g.entry(&id(&format!("s{}", t % n))).unwrap().node).collect();
            let whole = g.holdings(&profile).unwrap();
            let toward = g.holdings_toward(&profile, &targets).unwrap();
            // A small budget: the marking of what reaches the targets gives up on some graphs,
            // and the walk goes everywhere instead.
            let short = g.holdings_within(&profile, Some(&targets), budget).unwrap();
            prop_assert!(whole.is_complete() && !toward.is_complete());
            for &t in &targets {
                // The walk toward the targets names the same held skill as the whole walk;
                // the implications name one that implies the level (the first in listing
                // order when several do).
                prop_assert_eq!(whole.effective(t), short.effective(t));
                prop_assert_eq!(whole.level(t), toward.level(t));
                if let Some((level, via)) = toward.effective(t) {
                    let alone = g.holdings(&Profile {
                        skills: vec![(g.id_at(via).clone(), toward.explicit(via).unwrap())],
                        role: None,
                    }).unwrap();
                    prop_assert_eq!(alone.level(t), Some(level));
                }
            }
            // And nothing but the targets.
            prop_assert!(toward.levels().all(|(node, _)| targets.contains(&node)));
        }
    }
}
