//! The plan phase that resolves "one of" groups
//! ([`PrerequisiteGroup`](crate::domain::PrerequisiteGroup)) before the plan walk: each group
//! of each demanded skill becomes one chosen option, which the walk then treats as an ordinary
//! prerequisite with the group's kind and level. A role target's "one of" requirements
//! ([`Requirement::alternatives`](crate::domain::Requirement)) are groups of the target
//! itself and are resolved by the same rule: the chosen option becomes a target skill.
//!
//! # The rule
//! * A group of a skill that is a step (demanded above what is held) needs one option at the
//!   group's level (`min_level`, or [`EdgeSpec::level_for`] of the skill's level). A skill
//!   held well enough is not a step, and its groups, like its prerequisites, are not walked.
//! * Each option costs the hours the plan would grow by to reach it: the option itself and
//!   its prerequisite closure, less what is held and what the plan already demands. An option
//!   held at the level (or already in the plan at it) costs nothing.
//! * The cheapest option wins; ties go to an option held at the level, then to the display
//!   order (category order, category id, skill id).
//! * Groups are resolved greedily, one at a time, in a fixed order: the ordinary demand of the
//!   targets is walked first, then the targets' "one of" requirements in the order given
//!   (they are the targets' own choices, so they come before the groups the walk meets), then
//!   the demanded skill with groups first in display order has
//!   its groups resolved in their stored order, each choice joining the demand (and possibly
//!   bringing more skills with groups) before the next. An exact minimum over all groups
//!   together is a set-cover problem; the greedy order is deterministic and, for groups whose
//!   options do not share prerequisites, exact. The cost of an option counts its ordinary
//!   prerequisites and earlier choices, not groups met further down its closure.
//! * A chosen option that the plan had to add (it cost hours) records the other options as its
//!   step's `alternatives`; one that was held or in the plan anyway records none.
//!
//! Reads the graph and the holdings' levels only. It takes the edges to follow as a
//! [`Follow`], not the plan's options, and must not depend on the rest of the plan (its
//! types, walk or budget): the plan reads its [`Choices`], never the other way round.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use petgraph::stable_graph::NodeIndex;

use crate::domain::graph::SkillGraph;
use crate::domain::holdings::above;
use crate::domain::{EdgeSpec, Follow, Level, PrerequisiteKind};

/// What [`SkillGraph::resolve_groups`] chose: extra prerequisite edges for the plan walk.
#[derive(Debug, Default)]
pub(super) struct Choices {
    /// By demanding skill: the chosen option of each of its groups, with the group's data.
    edges: HashMap<NodeIndex, Vec<(NodeIndex, EdgeSpec)>>,
    /// By chosen option: the options not taken in the groups it was added for.
    alternatives: HashMap<NodeIndex, Vec<NodeIndex>>,
    /// The option chosen for each of the targets' "one of" requirements, in their order.
    targets: Vec<NodeIndex>,
}

impl Choices {
    /// The chosen options a skill requires besides its ordinary prerequisites.
    pub(super) fn edges(
        &self,
        node: NodeIndex,
    ) -> impl Iterator<Item = (NodeIndex, EdgeSpec)> + '_ {
        self.edges.get(&node).into_iter().flatten().copied()
    }

    /// The options a chosen option stood for, unsorted (empty for an ordinary step).
    pub(super) fn alternatives(&self, node: NodeIndex) -> &[NodeIndex] {
        self.alternatives.get(&node).map_or(&[], Vec::as_slice)
    }

    /// The option chosen for each "one of" requirement given to
    /// [`resolve_groups`](SkillGraph::resolve_groups), in that order.
    pub(super) fn targets(&self) -> &[NodeIndex] {
        &self.targets
    }
}

struct Resolver<'a, H: Fn(NodeIndex) -> Option<Level>> {
    graph: &'a SkillGraph,
    held: H,
    follow: Follow,
    needed: HashMap<NodeIndex, Level>,
    work: Vec<NodeIndex>,
    /// Demanded steps with groups, not yet resolved.
    pending: Vec<NodeIndex>,
    resolved: HashSet<NodeIndex>,
    choices: Choices,
}

impl<H: Fn(NodeIndex) -> Option<Level>> Resolver<'_, H> {
    fn edges(&self, node: NodeIndex) -> impl Iterator<Item = (NodeIndex, EdgeSpec)> + '_ {
        self.graph
            .prerequisite_edges(node, self.follow)
            .chain(self.choices.edges(node))
    }

    /// The same rule as the plan walk's demand.
    fn demand(&mut self, node: NodeIndex, level: Level) {
        if above(level, self.needed.get(&node).copied()) {
            self.needed.insert(node, level);
            if above(level, (self.held)(node)) {
                self.work.push(node);
                if !self.graph.groups_at(node).is_empty() && !self.resolved.contains(&node) {
                    self.pending.push(node);
                }
            }
        }
    }

    fn walk(&mut self) {
        while let Some(node) = self.work.pop() {
            let level = self.needed[&node];
            let next: Vec<_> = self.edges(node).collect();
            for (prerequisite, spec) in next {
                if let Some(needed) = spec.needed_for(level) {
                    self.demand(prerequisite, needed);
                }
            }
        }
    }

    /// The hours the plan would grow by if it also demanded `option` at `level`.
    fn cost(&self, option: NodeIndex, level: Level) -> u64 {
        let mut local: HashMap<NodeIndex, Level> = HashMap::default();
        let mut stack = vec![(option, level)];
        let mut total = 0u64;
        while let Some((node, level)) = stack.pop() {
            let base = [
                (self.held)(node),
                self.needed.get(&node).copied(),
                local.get(&node).copied(),
            ]
            .into_iter()
            .flatten()
            .max();
            if !above(level, base) {
                continue;
            }
            let hours = self.graph.skill_at(node).hours;
            total += u64::from(Level::hours_between(hours, base, level));
            local.insert(node, level);
            stack.extend(
                self.edges(node)
                    .filter_map(|(p, spec)| Some((p, spec.needed_for(level)?))),
            );
        }
        total
    }

    /// Chooses one of `options` at `level` by the rule of the module docs, records the others
    /// as its alternatives when it cost hours, and adds it to the demand. Gives the option.
    fn choose(&mut self, options: &[NodeIndex], level: Level) -> NodeIndex {
        let graph = self.graph;
        let (cost, _, chosen) = options
            .iter()
            .map(|&option| {
                let held = !above(level, (self.held)(option));
                (self.cost(option, level), !held, option)
            })
            .min_by(|a, b| (a.0, a.1, graph.order_key(a.2)).cmp(&(b.0, b.1, graph.order_key(b.2))))
            .expect("a group has options");
        if cost > 0 {
            let others = options.iter().copied().filter(|&o| o != chosen);
            let list = self.choices.alternatives.entry(chosen).or_default();
            for other in others {
                if !list.contains(&other) {
                    list.push(other);
                }
            }
        }
        self.demand(chosen, level);
        self.walk();
        chosen
    }

    fn resolve(&mut self, node: NodeIndex) {
        let graph = self.graph;
        for group in graph.groups_at(node) {
            if group.spec.kind == PrerequisiteKind::Recommended && self.follow == Follow::Required {
                continue;
            }
            let level = group.spec.level_for(self.needed[&node]);
            let chosen = self.choose(&group.options, level);
            self.choices
                .edges
                .entry(node)
                .or_default()
                .push((chosen, group.spec));
        }
    }
}

impl SkillGraph {
    /// Chooses one option for each of the targets' "one of" requirements `one_of` (the
    /// options, the level) and for each group met by the demand of `seeds` and those choices,
    /// walking the edges `follow` names (see the module docs). Free when there are neither.
    pub(super) fn resolve_groups(
        &self,
        held: impl Fn(NodeIndex) -> Option<Level>,
        seeds: &[(NodeIndex, Level)],
        one_of: &[(&[NodeIndex], Level)],
        follow: Follow,
    ) -> Choices {
        if !self.has_groups() && one_of.is_empty() {
            return Choices::default();
        }
        let mut r = Resolver {
            graph: self,
            held,
            follow,
            needed: HashMap::default(),
            work: Vec::new(),
            pending: Vec::new(),
            resolved: HashSet::default(),
            choices: Choices::default(),
        };
        for &(node, level) in seeds {
            r.demand(node, level);
        }
        r.walk();
        for &(options, level) in one_of {
            let chosen = r.choose(options, level);
            r.choices.targets.push(chosen);
        }
        loop {
            let pending = std::mem::take(&mut r.pending);
            let next = pending
                .iter()
                .copied()
                .filter(|n| !r.resolved.contains(n))
                .min_by(|&a, &b| self.order_key(a).cmp(&self.order_key(b)));
            let Some(node) = next else { break };
            r.pending = pending.into_iter().filter(|&n| n != node).collect();
            r.resolved.insert(node);
            r.resolve(node);
        }
        r.choices
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Reach;
    use crate::domain::graph::tests::{graph, id, skill};
    use crate::domain::plan::tests::lvl;
    use crate::domain::{
        Error, LearningPlan, PlanOptions, PrerequisiteGroup, PrerequisiteKind, Profile, SkillGraph,
        Target,
    };

    fn one_of(options: &[&str]) -> PrerequisiteGroup {
        PrerequisiteGroup {
            kind: PrerequisiteKind::Required,
            min_level: None,
            options: options.iter().map(|o| id(o)).collect(),
        }
    }

    fn plan(g: &SkillGraph, held: &[(&str, i64)], target: &str) -> LearningPlan {
        let profile = Profile {
            skills: held.iter().map(|&(s, l)| (id(s), lvl(l))).collect(),
            role: None,
        };
        let target = Target::Skill {
            skill: id(target),
            level: lvl(3),
        };
        g.plan(&profile, &[target], PlanOptions::default()).unwrap()
    }

    fn steps(plan: &LearningPlan) -> Vec<(&str, Vec<&str>)> {
        plan.steps
            .iter()
            .map(|s| {
                let alternatives = s.alternatives.iter().map(|a| a.as_str()).collect();
                (s.skill.as_str(), alternatives)
            })
            .collect()
    }

    /// `t` needs one of `p` or `q`; `p` needs `base`.
    fn world(p_hours: u32, q_hours: u32) -> SkillGraph {
        let mut g = graph(&["p>base"]);
        g.upsert_skill(skill("p", "c", p_hours)).unwrap();
        g.upsert_skill(skill("q", "c", q_hours)).unwrap();
        g.upsert_skill(skill("t", "c", 10)).unwrap();
        g.add_prerequisite_group(&id("t"), one_of(&["q", "p"]))
            .unwrap();
        g
    }

    #[test]
    fn the_option_that_adds_the_fewest_hours_is_chosen_and_names_the_others() {
        // p costs 4 h plus base's 4 h at beginner; q 10 h at beginner is 4 h: q is cheaper.
        let g = world(10, 10);
        assert_eq!(
            steps(&plan(&g, &[], "t")),
            [("q", vec!["p"]), ("t", vec![])]
        );
        // A cheaper p (2 h at beginner, with base 4 h) against a dearer q (20 h → 8 h).
        let g = world(5, 20);
        assert_eq!(
            steps(&plan(&g, &[], "t")),
            [("base", vec![]), ("p", vec!["q"]), ("t", vec![])]
        );
    }

    #[test]
    fn an_option_unlocks_the_skill_its_group_opens_and_stats_count_groups() {
        let g = world(10, 10);
        let unlocks = |s: &str, reach| {
            let found = g.unlocks(&id(s), reach).unwrap();
            found
                .into_iter()
                .map(|(s, d)| (s.to_string(), d))
                .collect::<Vec<_>>()
        };
        assert_eq!(unlocks("q", Reach::Direct), [("t".to_string(), 1)]);
        assert_eq!(
            unlocks("base", Reach::Transitive),
            [("p".to_string(), 1), ("t".to_string(), 2)]
        );
        assert_eq!(g.stats().prerequisite_groups, 1);
        assert_eq!(g.stats().prerequisites, 1, "a group is not an edge");
    }

    #[test]
    fn ties_go_to_display_order() {
        let mut g = graph(&[]);
        for s in ["t", "b", "a"] {
            g.upsert_skill(skill(s, "c", 10)).unwrap();
        }
        g.add_prerequisite_group(&id("t"), one_of(&["b", "a"]))
            .unwrap();
        assert_eq!(
            steps(&plan(&g, &[], "t")),
            [("a", vec!["b"]), ("t", vec![])]
        );
    }

    #[test]
    fn a_held_option_satisfies_the_group() {
        let g = world(10, 10);
        assert_eq!(steps(&plan(&g, &[("p", 3)], "t")), [("t", vec![])]);
        // Held below the group's level (beginner): raising it (3 h, and base implied at 1
        // raised for 3 h) beats q from nothing (8 h).
        let g = world(10, 20);
        let plan = plan(&g, &[("p", 1)], "t");
        assert_eq!(
            steps(&plan),
            [("base", vec![]), ("p", vec!["q"]), ("t", vec![])]
        );
        assert_eq!(plan.total_hours, 3 + 3 + 10);
    }

    #[test]
    fn an_option_the_plan_needs_anyway_costs_nothing_and_lists_no_alternatives() {
        let mut g = world(10, 10);
        g.upsert_skill(skill("top", "c", 10)).unwrap();
        g.add_prerequisite(&id("top"), &id("t"), Default::default())
            .unwrap();
        g.add_prerequisite(&id("top"), &id("p"), Default::default())
            .unwrap();
        assert_eq!(
            steps(&plan(&g, &[], "top")),
            [
                ("base", vec![]),
                ("p", vec![]),
                ("t", vec![]),
                ("top", vec![])
            ]
        );
    }

    #[test]
    fn holding_the_skill_implies_nothing_about_its_options() {
        let g = world(10, 10);
        let holdings = g
            .holdings(&Profile {
                skills: vec![(id("t"), lvl(3))],
                role: None,
            })
            .unwrap();
        assert_eq!(holdings.levels().count(), 1);
    }

    #[test]
    fn a_group_closing_a_cycle_through_an_option_is_refused_and_named() {
        let mut g = graph(&["a>b", "b>c"]);
        g.upsert_skill(skill("x", "c", 1)).unwrap();
        let err = g
            .add_prerequisite_group(&id("c"), one_of(&["x", "a"]))
            .unwrap_err();
        assert_eq!(err, Error::Cycle(vec![id("c"), id("a"), id("b"), id("c")]));
        assert!(g.prerequisite_groups(&id("c")).unwrap().is_empty());
        // And an edge closing a cycle through a group.
        g.add_prerequisite_group(&id("x"), one_of(&["a", "c"]))
            .unwrap();
        let err = g
            .add_prerequisite(&id("c"), &id("x"), Default::default())
            .unwrap_err();
        assert_eq!(err, Error::Cycle(vec![id("c"), id("x"), id("c")]));
    }

    #[test]
    fn malformed_groups_are_refused() {
        let mut g = graph(&["a>b"]);
        g.upsert_skill(skill("c", "c", 1)).unwrap();
        for (options, expected) in [
            (vec!["b"], "at least two"),
            (vec!["b", "b"], "twice"),
            (vec!["a", "b"], "cannot require itself"),
            (vec!["b", "ghost"], "no skill"),
        ] {
            let err = g
                .add_prerequisite_group(&id("a"), one_of(&options))
                .unwrap_err();
            assert!(err.to_string().contains(expected), "{options:?}: {err}");
        }
        g.add_prerequisite_group(&id("a"), one_of(&["c", "b"]))
            .unwrap();
        let stored = g.prerequisite_groups(&id("a")).unwrap();
        assert_eq!(stored[0].options, [id("b"), id("c")], "options are sorted");
        assert!(matches!(
            g.remove_prerequisite_group(&id("a"), &[id("b")]),
            Err(Error::UnknownGroup { .. })
        ));
        g.take_changes();
        g.remove_prerequisite_group(&id("a"), &[id("c"), id("b")])
            .unwrap();
        assert!(g.prerequisite_groups(&id("a")).unwrap().is_empty());
        assert!(g.take_changes().groups.contains(&id("a")));
    }

    #[test]
    fn deleting_an_option_needs_cascade_and_a_last_option_becomes_an_edge() {
        let mut g = graph(&[]);
        for s in ["t", "u", "a", "b", "c"] {
            g.upsert_skill(skill(s, "c", 1)).unwrap();
        }
        g.add_prerequisite_group(&id("t"), one_of(&["a", "b", "c"]))
            .unwrap();
        g.add_prerequisite_group(&id("u"), one_of(&["a", "b"]))
            .unwrap();
        let err = g
            .delete_skill(&id("a"), crate::domain::OnDelete::Refuse)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "skill \"a\" is still used by skill t, skill u"
        );
        g.delete_skill(&id("a"), crate::domain::OnDelete::Cascade)
            .unwrap();
        assert_eq!(
            g.prerequisite_groups(&id("t")).unwrap()[0].options,
            [id("b"), id("c")]
        );
        assert!(g.prerequisite_groups(&id("u")).unwrap().is_empty());
        assert!(g.edge(&id("u"), &id("b")).is_some(), "u now requires b");
        // The deleted node may be reused: no group points at it.
        g.upsert_skill(skill("new", "c", 1)).unwrap();
        assert_eq!(steps(&plan(&g, &[], "u")), [("b", vec![]), ("u", vec![])]);
    }
}
