//! What to learn next: the skills a person can start now, ranked by what they open up.
//!
//! # The rules
//! * **Startable.** A skill can be started now when every *required* prerequisite is held
//!   (explicitly or by implication, see the `plan` module docs) at the level
//!   [`EdgeSpec::needed_for`](super::EdgeSpec::needed_for) asks for the level the skill is
//!   to reach, and each required "one of" group has an option held at its level. Recommended
//!   prerequisites and groups never block.
//! * **The level to reach.** Without targets: one level above the level held, or practitioner
//!   (3) when the skill is not held at all; a skill held at expert (5) is never suggested.
//!   With targets: the level the plan to the targets takes the skill to, and only the plan's
//!   first-stage steps are suggested: the steps that wait for no other step. (A step that
//!   could start now but whose prerequisite the plan raises anyway waits for it, as in the
//!   plan.)
//! * **Hours** are [`Level::hours_between`] the level held and the level to reach.
//! * **Unlocks.** Without targets: how many skills of the graph become startable (at their own
//!   level to reach) once this one is learned, and were not startable before; every option of
//!   the one group a skill still waits for unlocks it. With targets: how
//!   many steps of the plan wait for this step and for no other one.
//! * **Roles.** The readiness (as in role gaps) each role gains when the skill reaches its level.
//!   A skill that is one option of a "one of" requirement gains only what it adds above the
//!   option held highest.
//!   With targets: every target role, in the order given, gain or not. Without targets: the
//!   [`ROLES_PER_SUGGESTION`] roles that gain most (ties by role id), roles that gain nothing
//!   left out, and never the profile's current role.
//! * **Score** = `(100 × gain + unlocks) / max(hours, 1)`, where `gain` sums the readiness gained
//!   over the target roles, or without targets over every role (not only the roles listed): a
//!   percentage point of readiness counts as much as one skill unlocked, per hour of study.
//! * **Rank.** Without targets: by score (highest first), then fewer hours, then skill id.
//!   With targets, as a mentor would order them: first every suggestion that gains readiness
//!   toward a target role, then those that gain none (they only prepare a later step), each
//!   part by score; a step with no gain may unlock many steps per hour, yet it does not bring
//!   the role closer by itself. Equal scores go to a step on the plan's critical chain first (a
//!   heaviest chain of waiting steps: its hours are the plan's critical path, the least
//!   calendar time, so starting it early is what keeps the plan short); then fewer hours, then
//!   skill id.
//! * **One suggestion per group.** Without targets, suggestions that are options of one "one
//!   of" group (of any skill; the seed's nine cloud skills each take one of AWS, Azure and GCP)
//!   are one decision, not several: only the best ranked is suggested, and the others follow it
//!   as its `alternatives`, in rank order, leaving their places in the list to other skills.
//!   Two suggestions share a group when some skill has a group listing both, or a role a
//!   "one of" requirement listing both (one provider at practitioner level); a suggestion is
//!   folded into the best-ranked suggestion kept before it that it shares a group with. Option
//!   sets are never compared: groups that overlap in part fold through the options they share.
//!   An option that a skill requires plainly or a role requires alone (PyTorch, which training
//!   dynamics needs by name) stands on its own: it is never folded into another option, though
//!   others may fold into it. With targets, the plan has already chosen one option per group,
//!   and a suggestion's `alternatives` are those its step lists.
//!
//! # Cost
//! Without targets: one pass over the skills and their required edges, one over the role
//! index's requirements, a sort of the candidates, when the graph has groups one pass over
//! them, and for the suggestions returned a look at the roles requiring them: linear in the
//! size of the graph, never skills × roles. With targets: the plan, one pass over its steps for
//! the critical chain, then one pass over the target roles' requirements.

use super::Follow;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use super::graph::SkillGraph;
use super::plan::{LearningPlan, PlanOptions, Target};
use super::readiness::{readiness_of, weight};
use super::roles::index::RoleIndex;
use super::{Error, Importance, Level, PrerequisiteKind, Profile, RoleId, SkillId};

/// How many roles a suggestion lists when no target is given.
pub const ROLES_PER_SUGGESTION: usize = 5;

/// The readiness one role gains from a suggestion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleProgress {
    pub role: RoleId,
    /// Readiness now, in `[0, 1]`.
    pub before: f64,
    /// Readiness once the skill reaches the suggested level.
    pub after: f64,
    /// `after - before`.
    pub gain: f64,
}

/// A skill to learn next (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    pub skill: SkillId,
    /// The level held now (`None`: not at all).
    pub from_level: Option<Level>,
    pub to_level: Level,
    pub hours: u32,
    pub unlocks: u32,
    pub roles: Vec<RoleProgress>,
    pub score: f64,
    /// Other options of its "one of" group(s), any of which would do instead (see the module
    /// docs); empty for most suggestions.
    pub alternatives: Vec<SkillId>,
}

/// A startable skill while ranking.
struct Candidate {
    node: NodeIndex,
    from: Option<Level>,
    to: Level,
    hours: u32,
    unlocks: u32,
    /// Readiness gained, summed over the roles counted.
    gain: f64,
    /// With targets: whether its step is on a heaviest chain of the plan.
    critical: bool,
    alternatives: Vec<SkillId>,
}

/// The score of the module docs.
pub fn score(gain: f64, unlocks: u32, hours: u32) -> f64 {
    (100.0 * gain + f64::from(unlocks)) / f64::from(hours.max(1))
}

/// The level to reach without targets: one above `held`, or practitioner when not held.
fn next_level(held: Option<Level>) -> Option<Level> {
    match held {
        None => Some(Level::PRACTITIONER),
        Some(l) => Level::new(i64::from(l.get()) + 1).ok(),
    }
}

fn above(level: Level, held: Option<Level>) -> bool {
    held.is_none_or(|h| level > h)
}

impl SkillGraph {
    /// The skills `profile` can start now, best first, at most `limit` (see the module docs).
    /// With `targets`, only the first steps of the plan to them.
    pub fn next_skills(
        &self,
        profile: &Profile,
        targets: &[Target],
        limit: usize,
    ) -> Result<Vec<Suggestion>, Error> {
        let holdings = self.holdings(profile)?;
        let index = self.matching_index();
        let current = holdings.role.as_ref().and_then(|r| index.position(r));
        let mut held: Vec<Option<Level>> = vec![None; self.node_bound()];
        for (node, level) in holdings.levels() {
            held[node.index()] = Some(level);
        }
        let (mut candidates, target_roles) = if targets.is_empty() {
            (self.startable(&held), None)
        } else {
            let (candidates, roles) = self.first_steps(profile, targets, index)?;
            (candidates, Some(roles))
        };
        if limit == 0 || candidates.is_empty() {
            return Ok(vec![]);
        }

        // Readiness gained, role by role: only a requirement on the skill itself changes.
        let mut slot = vec![u32::MAX; self.node_bound()];
        for (i, c) in candidates.iter().enumerate() {
            slot[c.node.index()] = i as u32;
        }
        let counted: Vec<usize> = match &target_roles {
            Some(roles) => roles.clone(),
            None => (0..index.roles.len())
                .filter(|&r| Some(r) != current)
                .collect(),
        };
        let held_at = |node: NodeIndex| held[node.index()];
        for r in counted {
            let needs = &index.needs[index.roles[r].needs.clone()];
            let total: f64 = needs.iter().map(|n| weight(n.importance)).sum();
            for need in needs {
                // A "one of" requirement gains only above its option closest to done.
                let now = index.held(need, held_at);
                for (node, _) in index.options(need) {
                    let Some(c) = candidates.get_mut(slot[node.index()] as usize) else {
                        continue;
                    };
                    c.gain += gain_of(need.importance, need.level, now, c.to) / total;
                }
            }
        }

        let id = |c: &Candidate| self.id_at(c.node);
        // Without targets no suggestion counts as gaining and none is critical: the order is
        // by score alone (see the module docs).
        let toward = target_roles.is_some();
        let gains = |c: &Candidate| toward && c.gain > 0.0;
        candidates.sort_by(|a, b| {
            let (sa, sb) = (
                score(a.gain, a.unlocks, a.hours),
                score(b.gain, b.unlocks, b.hours),
            );
            gains(b)
                .cmp(&gains(a))
                .then(sb.total_cmp(&sa))
                .then(b.critical.cmp(&a.critical))
                .then(a.hours.cmp(&b.hours))
                .then_with(|| id(a).cmp(id(b)))
        });
        if !toward && self.has_groups() {
            candidates = self.one_per_group(candidates);
        }
        candidates.truncate(limit);

        // Exact readiness before and after, for the roles each suggestion lists.
        let readiness = |r: usize, raise: Option<(NodeIndex, Level)>| {
            let needs = &index.needs[index.roles[r].needs.clone()];
            readiness_of(needs.iter().map(|n| {
                let h = index.held(n, |node| match raise {
                    Some((raised, level)) if raised == node => held_at(node).max(Some(level)),
                    _ => held_at(node),
                });
                (n.importance, n.level, h)
            }))
        };
        let progress = |r: usize, c: &Candidate| {
            let before = readiness(r, None);
            let after = readiness(r, Some((c.node, c.to)));
            RoleProgress {
                role: index.roles[r].id.clone(),
                before,
                after,
                gain: after - before,
            }
        };
        Ok(candidates
            .iter()
            .map(|c| {
                let roles = match &target_roles {
                    Some(roles) => roles.iter().map(|&r| progress(r, c)).collect(),
                    None => {
                        let mut gaining: Vec<(f64, usize)> = index
                            .requiring(c.node)
                            .iter()
                            .map(|&r| r as usize)
                            .filter(|&r| Some(r) != current)
                            .filter_map(|r| {
                                let needs = &index.needs[index.roles[r].needs.clone()];
                                let need = needs.iter().find(|n| index.lists(n, c.node))?;
                                let now = index.held(need, held_at);
                                let g = gain_of(need.importance, need.level, now, c.to);
                                (g > 0.0).then_some((g, r))
                            })
                            .collect();
                        // The share of one requirement, not yet over the role's weight.
                        gaining.sort_by(|a, b| {
                            let total = |r: usize| index.roles[r].weight();
                            (b.0 / total(b.1))
                                .total_cmp(&(a.0 / total(a.1)))
                                .then(a.1.cmp(&b.1))
                        });
                        gaining.truncate(ROLES_PER_SUGGESTION);
                        gaining.into_iter().map(|(_, r)| progress(r, c)).collect()
                    }
                };
                Suggestion {
                    skill: self.id_at(c.node).clone(),
                    from_level: c.from,
                    to_level: c.to,
                    hours: c.hours,
                    unlocks: c.unlocks,
                    roles,
                    score: score(c.gain, c.unlocks, c.hours),
                    alternatives: c.alternatives.clone(),
                }
            })
            .collect())
    }

    /// Without targets: the candidates, ranked, with the options of one "one of" group folded
    /// into the best ranked of them (see the module docs).
    fn one_per_group(&self, ranked: Vec<Candidate>) -> Vec<Candidate> {
        // Every group, numbered, and the groups each skill is an option of: one pass over the
        // skills, as `startable` makes.
        let mut option_of: HashMap<NodeIndex, Vec<usize>> = HashMap::default();
        let mut groups = 0;
        for entry in self.entries() {
            for group in self.groups_at(entry.node) {
                for &option in &group.options {
                    option_of.entry(option).or_default().push(groups);
                }
                groups += 1;
            }
        }
        // A role's "one of" requirement is a group too; a plain one names its skill.
        let mut named: HashSet<NodeIndex> = HashSet::default();
        for role in self.roles() {
            for r in &role.requirements {
                let nodes = r
                    .options()
                    .filter_map(|o| self.entry(o).ok().map(|e| e.node));
                if r.alternatives.is_empty() {
                    named.extend(nodes);
                } else {
                    for option in nodes {
                        option_of.entry(option).or_default().push(groups);
                    }
                    groups += 1;
                }
            }
        }
        // By group: the position in `kept` of the first suggestion kept that is its option.
        let mut claimed: Vec<Option<usize>> = vec![None; groups];
        let mut kept: Vec<Candidate> = Vec::with_capacity(ranked.len());
        for c in ranked {
            let of = option_of.get(&c.node).map_or(&[][..], |g| &g[..]);
            let by_name = !self.required_dependents(c.node).is_empty() || named.contains(&c.node);
            let into = if by_name {
                None
            } else {
                of.iter().filter_map(|&g| claimed[g]).min()
            };
            match into {
                Some(k) => kept[k].alternatives.push(self.id_at(c.node).clone()),
                None => {
                    for &g in of {
                        claimed[g].get_or_insert(kept.len());
                    }
                    kept.push(c);
                }
            }
        }
        kept
    }

    /// Without targets: every skill startable at its next level, with what it unlocks.
    fn startable(&self, held: &[Option<Level>]) -> Vec<Candidate> {
        let held_at = |n: NodeIndex| held[n.index()];
        // Per node: how many required prerequisites (plain ones, and "one of" groups with no
        // option held) are short, and when only one is, what would close it: the prerequisite,
        // or any option of the group (each of them unlocks the node).
        let mut startable: Vec<NodeIndex> = Vec::new();
        let mut one_short: Vec<(NodeIndex, Level)> = Vec::new();
        for entry in self.entries() {
            let node = entry.node;
            let Some(goal) = next_level(held_at(node)) else {
                continue;
            };
            let (mut short, mut only): (u32, &[NodeIndex]) = (0, &[]);
            let mut only_level = goal;
            let mut plain = NodeIndex::end();
            for (prerequisite, spec) in self.prerequisite_edges(node, Follow::Required) {
                let Some(needed) = spec.needed_for(goal) else {
                    continue;
                };
                if above(needed, held_at(prerequisite)) {
                    short += 1;
                    plain = prerequisite;
                    only_level = needed;
                }
            }
            if short == 1 {
                only = std::slice::from_ref(&plain);
            }
            for group in self.groups_at(node) {
                if group.spec.kind != PrerequisiteKind::Required {
                    continue;
                }
                let needed = group.spec.level_for(goal);
                if group.options.iter().all(|&o| above(needed, held_at(o))) {
                    short += 1;
                    only = &group.options;
                    only_level = needed;
                }
            }
            match short {
                0 => startable.push(node),
                1 => one_short.extend(only.iter().map(|&o| (o, only_level))),
                _ => {}
            }
        }
        let mut slot = vec![u32::MAX; self.node_bound()];
        let mut candidates: Vec<Candidate> = startable
            .into_iter()
            .enumerate()
            .map(|(i, node)| {
                slot[node.index()] = i as u32;
                let from = held_at(node);
                let to = next_level(from).expect("a startable skill has a next level");
                Candidate {
                    node,
                    from,
                    to,
                    hours: Level::hours_between(self.skill_at(node).hours, from, to),
                    unlocks: 0,
                    gain: 0.0,
                    critical: false,
                    alternatives: vec![],
                }
            })
            .collect();
        for (prerequisite, needed) in one_short {
            if let Some(c) = candidates.get_mut(slot[prerequisite.index()] as usize)
                && c.to >= needed
            {
                c.unlocks += 1;
            }
        }
        candidates
    }

    /// With targets: the plan's first-stage steps, what each unlocks in the plan, and the
    /// target roles (positions in the role index, each once, in the order given).
    fn first_steps(
        &self,
        profile: &Profile,
        targets: &[Target],
        index: &RoleIndex,
    ) -> Result<(Vec<Candidate>, Vec<usize>), Error> {
        let plan = self.plan(profile, targets, PlanOptions::default())?;
        let mut waits: HashMap<&SkillId, u32> = HashMap::default();
        for step in &plan.steps {
            for dependent in &step.because {
                *waits.entry(dependent).or_default() += 1;
            }
        }
        let (critical, _) = critical_chain(&plan);
        let mut candidates = Vec::new();
        for (step, critical) in plan.steps.iter().zip(critical) {
            if step.stage != 1 {
                break;
            }
            candidates.push(Candidate {
                node: self.entry(&step.skill)?.node,
                from: step.from_level,
                to: step.to_level,
                hours: step.hours,
                unlocks: step.because.iter().filter(|d| waits[d] == 1).count() as u32,
                gain: 0.0,
                critical,
                alternatives: step.alternatives.clone(),
            });
        }
        let mut roles: Vec<usize> = Vec::new();
        for target in targets {
            if let Target::Role(role) = target {
                let r = index
                    .position(role)
                    .ok_or(Error::UnknownRole(role.clone()))?;
                if !roles.contains(&r) {
                    roles.push(r);
                }
            }
        }
        Ok((candidates, roles))
    }
}

/// By position: whether a plan's step is on one of its heaviest chains of waiting steps, and
/// those chains' hours, which are the plan's critical path. Read from the plan as it is given
/// out (each step's hours and `because`, the later steps waiting for it), so that the plan's
/// walk needs nothing more for it.
fn critical_chain(plan: &LearningPlan) -> (Vec<bool>, u64) {
    let steps = &plan.steps;
    let mut at: HashMap<&SkillId, Vec<usize>> = HashMap::default();
    for (i, step) in steps.iter().enumerate() {
        at.entry(&step.skill).or_default().push(i);
    }
    // By position: the steps waiting for it, each the first later step of its skill.
    let waiting: Vec<Vec<usize>> = (0..steps.len())
        .map(|i| {
            let later = |d: &SkillId| at.get(d)?.iter().copied().find(|&j| j > i);
            steps[i].because.iter().filter_map(later).collect()
        })
        .collect();
    // The heaviest chain before each step, and from it on (its own hours included): plan
    // order puts every step after those it waits for.
    let hours = |i: usize| u64::from(steps[i].hours);
    let mut before = vec![0u64; steps.len()];
    for i in 0..steps.len() {
        for &j in &waiting[i] {
            before[j] = before[j].max(before[i] + hours(i));
        }
    }
    let mut from = vec![0u64; steps.len()];
    for i in (0..steps.len()).rev() {
        from[i] = hours(i) + waiting[i].iter().map(|&j| from[j]).max().unwrap_or(0);
    }
    let longest = (0..steps.len())
        .map(|i| before[i] + from[i])
        .max()
        .unwrap_or(0);
    let on = (0..steps.len())
        .map(|i| before[i] + from[i] == longest)
        .collect();
    (on, longest)
}

/// The weighted share of a requirement's effort gained when its level held rises from `from`
/// to `to` (not yet divided by the role's total weight); nothing when `to` is not above
/// `from` (an option of a "one of" requirement held less than another option).
fn gain_of(importance: Importance, needed: Level, from: Option<Level>, to: Level) -> f64 {
    let effort = |l: Option<Level>| f64::from(Level::effort_share(l.map(|l| l.min(needed))));
    weight(importance) * (effort(Some(to)) - effort(from)).max(0.0) / effort(Some(needed))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::graph::tests::{graph, id, skill};
    use crate::domain::plan::tests::{lvl, role};

    fn have(skills: &[(&str, i64)]) -> Profile {
        Profile {
            skills: skills.iter().map(|&(s, l)| (id(s), lvl(l))).collect(),
            role: None,
        }
    }

    fn ids(list: &[Suggestion]) -> Vec<(&str, u32)> {
        list.iter().map(|s| (s.skill.as_str(), s.unlocks)).collect()
    }

    /// Startable by definition: the plan to the suggestion from the profile is the suggestion
    /// alone, with the same hours.
    fn assert_startable(g: &SkillGraph, profile: &Profile, s: &Suggestion) {
        let target = Target::Skill {
            skill: s.skill.clone(),
            level: s.to_level,
        };
        let plan = g.plan(profile, &[target], PlanOptions::default()).unwrap();
        assert_eq!(plan.steps.len(), 1, "{s:?} is not startable: {plan:?}");
        assert_eq!(plan.steps[0].skill, s.skill);
        assert_eq!(plan.steps[0].from_level, s.from_level);
        assert_eq!(plan.steps[0].hours, s.hours);
    }

    #[test]
    fn unlocks_count_the_skills_whose_last_missing_prerequisite_it_is() {
        // b and c need only a; d needs a and b; e needs c, which needs a.
        let g = graph(&["b>a", "c>a", "d>a", "d>b", "e>c"]);
        let none = g.next_skills(&Profile::default(), &[], 10).unwrap();
        assert_eq!(ids(&none), [("a", 2)], "only a can start; it opens b and c");
        assert_eq!(none[0].to_level, Level::PRACTITIONER);
        assert_eq!(none[0].hours, 10);
        // Holding a at 2 (enough for everything above it): b, c at 3, and a raised to 3.
        let some = g.next_skills(&have(&[("a", 2)]), &[], 10).unwrap();
        let got: Vec<(&str, u32)> = ids(&some);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.contains(&("b", 1)), "b opens d: {got:?}");
        assert!(got.contains(&("c", 1)), "c opens e: {got:?}");
        assert!(got.contains(&("a", 0)), "a@3 opens nothing new: {got:?}");
        for s in &some {
            assert_startable(&g, &have(&[("a", 2)]), s);
        }
        // Nothing to suggest of a skill held at expert.
        let expert = g
            .next_skills(&have(&[("e", 5), ("d", 5)]), &[], 10)
            .unwrap();
        assert!(
            expert
                .iter()
                .all(|s| s.skill != id("e") && s.skill != id("d"))
        );
    }

    #[test]
    fn a_group_with_no_option_held_blocks_and_each_option_unlocks_it() {
        use crate::domain::{PrerequisiteGroup, PrerequisiteKind};
        // t needs one of p or q; p and q need nothing. z and y need p and q by name, so
        // neither is folded into the other (see the next test).
        let mut g = graph(&["z>p", "y>q"]);
        g.upsert_skill(skill("t", "c", 10)).unwrap();
        let group = PrerequisiteGroup {
            kind: PrerequisiteKind::Required,
            min_level: None,
            options: vec![id("p"), id("q")],
        };
        g.add_prerequisite_group(&id("t"), group).unwrap();
        let none = g.next_skills(&Profile::default(), &[], 10).unwrap();
        assert!(none.iter().all(|s| s.skill != id("t")), "{none:?}");
        let unlocks = |list: &[Suggestion], s: &str| {
            list.iter().find(|x| x.skill == id(s)).map(|x| x.unlocks)
        };
        assert_eq!(unlocks(&none, "p"), Some(2), "p opens z and t");
        assert_eq!(unlocks(&none, "q"), Some(2), "q opens y and t");
        let with_q = g.next_skills(&have(&[("q", 3)]), &[], 10).unwrap();
        assert!(with_q.iter().any(|s| s.skill == id("t")), "{with_q:?}");
        assert_eq!(unlocks(&with_q, "p"), Some(1), "t no longer waits for p");
        for s in &with_q {
            assert_startable(&g, &have(&[("q", 3)]), s);
        }
    }

    #[test]
    fn roles_gain_readiness_and_rank_the_suggestions() {
        let mut g = graph(&["b>a"]);
        g.upsert_skill(skill("x", "c", 10)).unwrap();
        g.upsert_skill(skill("y", "c", 10)).unwrap();
        g.upsert_role(role("rx", &[("x", 3, Importance::Essential)]))
            .unwrap();
        g.upsert_role(role(
            "rxy",
            &[
                ("x", 3, Importance::Essential),
                ("y", 3, Importance::Optional),
            ],
        ))
        .unwrap();
        let none = Profile::default();
        let got = g.next_skills(&none, &[], 10).unwrap();
        // x: rx 0→1, rxy 0→0.75: (100 × 1.75 + 0) / 10; y: rxy 0→0.25; a unlocks b.
        let order: Vec<&str> = got.iter().map(|s| s.skill.as_str()).collect();
        assert_eq!(order, ["x", "y", "a"]);
        assert!((got[0].score - 17.5).abs() < 1e-9, "{:?}", got[0]);
        let roles: Vec<(&str, f64)> = got[0]
            .roles
            .iter()
            .map(|r| (r.role.as_str(), r.gain))
            .collect();
        assert_eq!(roles, [("rx", 1.0), ("rxy", 0.75)]);
        assert!((got[1].score - 2.5).abs() < 1e-9);
        assert!((got[2].score - 0.1).abs() < 1e-9);
        assert!(got[2].roles.is_empty(), "no role gains from a");
        // The current role is never listed, and the limit holds.
        let from_rx = Profile {
            skills: vec![],
            role: Some(RoleId::parse("rx").unwrap()),
        };
        let got = g.next_skills(&from_rx, &[], 1).unwrap();
        assert_eq!(got[0].skill, id("y"));
        assert!(got[0].roles.iter().all(|r| r.role.as_str() != "rx"));
        assert!(g.next_skills(&none, &[], 0).unwrap().is_empty());
    }

    #[test]
    fn an_option_of_a_one_of_requirement_gains_only_above_the_option_held_highest() {
        let mut g = graph(&[]);
        for s in ["aws", "gcp", "azure"] {
            g.upsert_skill(skill(s, "c", 10)).unwrap();
        }
        let mut cloud = role("cloud", &[("aws", 3, Importance::Essential)]);
        cloud.requirements[0].alternatives = vec![id("azure"), id("gcp")];
        g.upsert_role(cloud).unwrap();
        let gain = |list: &[Suggestion], s: &str| {
            let found = list.iter().find(|x| x.skill == id(s)).unwrap();
            found.roles.iter().map(|r| r.gain).sum::<f64>()
        };
        // Nothing held: any option takes the role from 0 to 1.
        let none = g.next_skills(&Profile::default(), &[], 10).unwrap();
        for s in ["aws", "gcp", "azure"] {
            assert_eq!(gain(&none, s), 1.0, "{s}");
        }
        // gcp at 2: gcp to 3 gains the rest; aws from nothing to 3 the same, not more.
        let held = have(&[("gcp", 2)]);
        let got = g.next_skills(&held, &[], 10).unwrap();
        assert!((gain(&got, "gcp") - 0.6).abs() < 1e-9);
        assert!((gain(&got, "aws") - 0.6).abs() < 1e-9);
        let readiness = g
            .role_gap(&held, &RoleId::parse("cloud").unwrap())
            .unwrap()
            .standing
            .readiness;
        for s in &got {
            for r in &s.roles {
                assert_eq!(r.before, readiness);
            }
        }
        // gcp at 4: nothing left to gain on the cloud role.
        let got = g.next_skills(&have(&[("gcp", 4)]), &[], 10).unwrap();
        assert!(got.iter().all(|s| s.roles.is_empty()), "{got:?}");
    }

    #[test]
    fn with_targets_only_the_plans_first_steps_are_suggested() {
        let mut g = graph(&["c>b", "b>a", "d>x"]);
        g.upsert_role(role(
            "r",
            &[
                ("c", 3, Importance::Essential),
                ("d", 3, Importance::Optional),
            ],
        ))
        .unwrap();
        let target = [Target::Role(RoleId::parse("r").unwrap())];
        let profile = have(&[("a", 2)]);
        let got = g.next_skills(&profile, &target, 10).unwrap();
        let plan = g.plan(&profile, &target, PlanOptions::default()).unwrap();
        let first: Vec<&str> = plan
            .steps
            .iter()
            .filter(|s| s.stage == 1)
            .map(|s| s.skill.as_str())
            .collect();
        let mut suggested: Vec<&str> = got.iter().map(|s| s.skill.as_str()).collect();
        suggested.sort();
        assert_eq!(suggested, first);
        assert_eq!(ids(&got), [("b", 1), ("x", 1)], "b opens c, x opens d");
        for s in &got {
            assert_startable(&g, &profile, s);
            assert_eq!(s.roles.len(), 1, "every target role, gain or not");
            assert_eq!(s.roles[0].gain, s.roles[0].after - s.roles[0].before);
        }
    }

    #[test]
    fn the_options_of_one_group_are_one_suggestion_and_the_others_its_alternatives() {
        use crate::domain::{PrerequisiteGroup, PrerequisiteKind};
        // t and u each need one of p, q or r; z needs q by name, and q takes twice as long.
        let mut g = graph(&["z>q"]);
        g.upsert_skill(skill("q", "c", 20)).unwrap();
        for s in ["p", "r", "t", "u"] {
            g.upsert_skill(skill(s, "c", 10)).unwrap();
        }
        for dependent in ["t", "u"] {
            let group = PrerequisiteGroup {
                kind: PrerequisiteKind::Required,
                min_level: None,
                options: vec![id("p"), id("q"), id("r")],
            };
            g.add_prerequisite_group(&id(dependent), group).unwrap();
        }
        // p and r open t and u in 10 h (0.2 each), q opens t, u and z in 20 h (0.15).
        let got = g.next_skills(&Profile::default(), &[], 10).unwrap();
        let listed: Vec<(&str, Vec<&str>)> = got
            .iter()
            .map(|s| {
                let alternatives = s.alternatives.iter().map(|a| a.as_str()).collect();
                (s.skill.as_str(), alternatives)
            })
            .collect();
        // r folds into p, ranked first by id; q is needed by name, so it stays a suggestion.
        assert_eq!(listed, [("p", vec!["r"]), ("q", vec![])]);
        assert_eq!(ids(&got), [("p", 2), ("q", 3)], "unlocks as before");
        // A folded option leaves its place to the next skill: two asked, two given.
        let two = g.next_skills(&Profile::default(), &[], 2).unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].skill, id("q"));
    }

    #[test]
    fn with_targets_a_step_that_gains_readiness_ranks_above_one_that_only_prepares() {
        // The role needs x (400 h) and y, which waits for a (4 h to the level y needs).
        let mut g = graph(&["y>a"]);
        g.upsert_skill(skill("x", "c", 400)).unwrap();
        g.upsert_role(role(
            "r",
            &[
                ("x", 3, Importance::Essential),
                ("y", 3, Importance::Essential),
            ],
        ))
        .unwrap();
        let target = [Target::Role(RoleId::parse("r").unwrap())];
        let got = g.next_skills(&Profile::default(), &target, 10).unwrap();
        // a scores higher (one step unlocked in 4 h: 0.25; x: 50 points in 400 h, 0.125),
        // but it brings the role no closer by itself.
        let order: Vec<(&str, f64)> = got.iter().map(|s| (s.skill.as_str(), s.score)).collect();
        assert_eq!(order, [("x", 0.125), ("a", 0.25)]);
        assert!(got[0].roles[0].gain > 0.0 && got[1].roles[0].gain == 0.0);
    }

    #[test]
    fn with_targets_equal_scores_go_to_the_step_on_the_critical_chain_first() {
        // a opens b and c opens d, each in 4 h (0.25); d takes 50 h, so c → d is the
        // heaviest chain.
        let mut g = graph(&["b>a", "d>c"]);
        g.upsert_skill(skill("d", "c", 50)).unwrap();
        let targets = [
            Target::Skill {
                skill: id("b"),
                level: lvl(3),
            },
            Target::Skill {
                skill: id("d"),
                level: lvl(3),
            },
        ];
        let got = g.next_skills(&Profile::default(), &targets, 10).unwrap();
        assert_eq!(got[0].score, got[1].score);
        assert_eq!(got[0].hours, got[1].hours);
        assert_eq!(ids(&got), [("c", 1), ("a", 1)], "not by id: c is critical");
        let plan = g
            .plan(&Profile::default(), &targets, PlanOptions::default())
            .unwrap();
        let (on, hours) = critical_chain(&plan);
        assert_eq!(hours, plan.critical_path_hours);
        let chain: Vec<&str> = (plan.steps.iter().zip(on))
            .filter(|(_, on)| *on)
            .map(|(s, _)| s.skill.as_str())
            .collect();
        assert_eq!(chain, ["c", "d"]);
    }

    /// A generated graph and a few profiles: what the property tests walk.
    fn generated() -> SkillGraph {
        let shape = crate::generate::Shape {
            skills: 600,
            edges_per_skill: 3,
            roles: 30,
            seed: 11,
        };
        let mut g = SkillGraph::new();
        crate::import::apply(
            &crate::generate::generate(shape),
            &mut g,
            &mut crate::import::Report::default(),
        );
        g
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn suggestions_are_startable_deterministic_and_their_readiness_is_a_gaps(
            held in prop::collection::vec((0usize..600, 1i64..=5), 0..40),
            to_role in prop::option::of(0usize..30),
        ) {
            let g = generated();
            let profile = Profile {
                skills: held.iter().map(|&(s, l)| (id(&format!("gen:s{s}")), lvl(l))).collect(),
                role: None,
            };
            let targets: Vec<Target> = to_role
                .map(|r| Target::Role(RoleId::parse(&format!("gen:r{r}")).unwrap()))
                .into_iter()
                .collect();
            let got = g.next_skills(&profile, &targets, 15).unwrap();
            prop_assert_eq!(&got, &g.clone().next_skills(&profile, &targets, 15).unwrap());
            // With a target role, the suggestions gaining readiness first; each part by score.
            let toward = !targets.is_empty();
            let gains = |s: &Suggestion| toward && s.roles.iter().any(|r| r.gain > 0.0);
            for w in got.windows(2) {
                prop_assert!(gains(&w[0]) >= gains(&w[1]), "{:?}", w);
                prop_assert!(gains(&w[0]) != gains(&w[1]) || w[0].score >= w[1].score, "{:?}", w);
            }
            if !targets.is_empty() {
                let plan = g.plan(&profile, &targets, PlanOptions::default()).unwrap();
                prop_assert_eq!(critical_chain(&plan).1, plan.critical_path_hours);
            }
            for s in &got {
                assert_startable(&g, &profile, s);
                let mut after = profile.clone();
                after.skills.push((s.skill.clone(), s.to_level));
                for r in &s.roles {
                    let before = g.role_gap(&profile, &r.role).unwrap().standing.readiness;
                    let then = g.role_gap(&after, &r.role).unwrap().standing.readiness;
                    prop_assert_eq!(r.before, before);
                    prop_assert_eq!(r.after, then);
                    if targets.is_empty() {
                        prop_assert!(r.gain > 0.0);
                    }
                }
            }
        }
    }
}
