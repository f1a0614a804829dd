//! Role matching: how far a profile is from each role, and which roles are nearest.
//! Readiness is defined in `readiness`; one role's standing and gap, which need a plan, are in
//! [`gap`]. The index matching reads is in [`index`].

pub(super) mod gap;
pub(super) mod index;

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use super::graph::SkillGraph;
use super::holdings::Holdings;
use super::readiness::{ESSENTIAL_WEIGHT, readiness_of};
use super::scratch::{node_map, with_map};
use super::{Error, Importance, Level, Profile, RoleId};
use index::{IndexedRole, Need, RoleIndex};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleMatch {
    pub role: RoleId,
    pub readiness: f64,
    pub hours: u64,
    pub missing_essential: u32,
}

/// How [`SkillGraph::match_roles_by`] orders roles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatchOrder {
    /// Highest readiness first; ties by fewer hours, then id.
    #[default]
    Readiness,
    /// Fewest hours to close the gap first; ties by higher readiness, then id.
    Hours,
    /// Most skills in common first: the Jaccard index of the skills the profile lists (its
    /// own, its text's, its role's essential requirements) and the role's requirements, the
    /// question a job ad read as a profile asks ("which role is this?"); ties by higher
    /// readiness, then id. Readiness would favour roles needing a few of the ad's skills at
    /// lower levels.
    Overlap,
}

// Here, not beside the index: the weights are readiness's, a floor above the indexes.
impl IndexedRole {
    /// The sum of its requirements' weights in readiness (the denominator of its readiness).
    pub(super) fn weight(&self) -> f64 {
        let optionals = self.needs.len() as u32 - self.essentials;
        ESSENTIAL_WEIGHT * f64::from(self.essentials) + f64::from(optionals)
    }
}

/// A role's standing as matching ranks it.
#[derive(Clone, Copy)]
struct Scored {
    readiness: f64,
    missing_essential: u32,
    /// A lower bound of the hours of its plan: the hours of the unmet requirements themselves.
    bound: u64,
    /// Position in `RoleIndex::roles`, which is id order: the tie-break without comparing ids.
    role: usize,
}

/// A role's standing for the levels `held`, read from the role index.
/// The answer of a match: each scored role with the hours of its plan, as the caller ranked them.
fn into_matches(index: &RoleIndex, matches: Vec<(Scored, u64)>) -> Vec<RoleMatch> {
    matches
        .into_iter()
        .map(|(s, hours)| RoleMatch {
            role: index.roles[s.role].id.clone(),
            readiness: s.readiness,
            hours,
            missing_essential: s.missing_essential,
        })
        .collect()
}

fn score_role(index: &RoleIndex, role: usize, held: &dyn Fn(NodeIndex) -> Option<Level>) -> Scored {
    let (mut missing_essential, mut bound) = (0u32, 0u64);
    let needs = &index.needs[index.roles[role].needs.clone()];
    let readiness = readiness_of(needs.iter().map(|need| {
        let held_here = index.held(need, held);
        if held_here.is_none() && need.importance == Importance::Essential {
            missing_essential += 1;
        }
        bound += u64::from(index.hours_left(need, held));
        (need.importance, need.level, held_here)
    }));
    Scored {
        readiness,
        missing_essential,
        bound,
        role,
    }
}

/// The Jaccard index of the skills `holdings` hold explicitly and the skills of `needs`:
/// shared over either (1 when both are empty). A "one of" need counts as one skill, shared
/// when any of its options is held.
fn overlap(holdings: &Holdings, index: &RoleIndex, needs: &[Need]) -> f64 {
    let shared = needs
        .iter()
        .filter(|n| index.held(n, |node| holdings.explicit(node)).is_some())
        .count();
    let either = holdings.explicit_count() + needs.len() - shared;
    if either == 0 {
        1.0
    } else {
        shared as f64 / either as f64
    }
}

// The profile's held levels, dense by node, while matching scores roles.
node_map!(LEVELS: Option<Level>);

impl SkillGraph {
    pub(super) fn matching_index(&self) -> &RoleIndex {
        self.role_index(|| self.build_matching_index())
    }

    /// Builds this snapshot's role index now, so that the first match does not wait for it.
    pub fn prepare_matching(&self) {
        self.matching_index();
    }

    fn build_matching_index(&self) -> RoleIndex {
        RoleIndex::build(self.roles().map(|r| &**r), self.node_bound(), |skill| {
            // Roles are validated against the skills on every write, and deleting a skill
            // removes the requirements on it first.
            let entry = self
                .entry(skill)
                .expect("a role requires only skills of the graph");
            (entry.node, entry.skill.hours)
        })
    }

    /// Every role ranked by readiness for `profile` (best first), ties broken by the hours to
    /// close the gap, then by id; at most `limit`. The profile's own current role is left out:
    /// the question is where one could go next.
    ///
    /// Readiness is computed for the roles that require something the profile holds; every
    /// other role is at readiness 0 (or 1 with no requirements), known from the role index
    /// without reading its requirements, and joins the ranking only when the cut falls at 0.
    /// Hours need a plan, so they are computed only where they can change the answer: for the
    /// roles that make the cut on readiness, and among the roles tied at the cut, in order of a
    /// lower bound (the hours of the unmet requirements themselves, which every plan includes)
    /// until no remaining bound can beat the hours already found. Exact, and a few plans
    /// instead of thousands.
    pub fn match_roles(&self, profile: &Profile, limit: usize) -> Result<Vec<RoleMatch>, Error> {
        let holdings = self.holdings(profile)?;
        let index = self.matching_index();
        if limit == 0 {
            return Ok(vec![]);
        }
        let current = holdings.role.as_ref().and_then(|r| index.position(r));
        // The roles that require something held, and those with no requirements at all.
        let (mut scored, touched) = with_map(&LEVELS, self.node_bound(), |levels| {
            let mut touched = vec![false; index.roles.len()];
            let mut candidates = Vec::new();
            for (node, level) in holdings.levels() {
                levels.insert(node, Some(level));
                for &role in index.requiring(node) {
                    let role = role as usize;
                    if !std::mem::replace(&mut touched[role], true) {
                        candidates.push(role);
                    }
                }
            }
            candidates.extend((0..index.roles.len()).filter(|&i| index.roles[i].needs.is_empty()));
            let held = |node: NodeIndex| levels.get(node).flatten();
            let scored: Vec<Scored> = candidates
                .into_iter()
                .filter(|&role| Some(role) != current)
                .map(|role| score_role(index, role, &held))
                .collect();
            (scored, touched)
        });
        // Ties go by role id, never by position in the index: positions follow the order roles
        // were indexed in, which differs between a live graph and one built afresh from the
        // same contents (found by the property that compares them).
        let by_readiness = |a: &Scored, b: &Scored| {
            b.readiness
                .total_cmp(&a.readiness)
                .then(index.roles[a.role].id.cmp(&index.roles[b.role].id))
        };
        scored.sort_by(by_readiness);
        if scored.len() < limit || scored[limit - 1].readiness <= 0.0 {
            // The cut falls at readiness 0, where the roles requiring nothing held are.
            for (role, r) in index.roles.iter().enumerate() {
                if !touched[role] && !r.needs.is_empty() && Some(role) != current {
                    scored.push(Scored {
                        readiness: 0.0,
                        missing_essential: r.essentials,
                        bound: r.cold_hours,
                        role,
                    });
                }
            }
            scored.sort_by(by_readiness);
        }
        if scored.is_empty() {
            return Ok(vec![]);
        }
        let cut = scored[limit.min(scored.len()) - 1].readiness;
        let hours_of = |s: &Scored| -> Result<u64, Error> {
            Ok(self
                .gap_plan(&holdings, &index.roles[s.role].id)?
                .total_hours)
        };
        let mut matches: Vec<(Scored, u64)> = Vec::with_capacity(limit);
        let mut tied = Vec::new();
        for s in scored.into_iter().take_while(|s| s.readiness >= cut) {
            if s.readiness > cut {
                matches.push((s, hours_of(&s)?));
            } else {
                tied.push(s);
            }
        }
        // Branch and bound over the roles tied at the cut.
        let wanted = limit - matches.len();
        tied.sort_by(|a, b| {
            a.bound
                .cmp(&b.bound)
                .then(index.roles[a.role].id.cmp(&index.roles[b.role].id))
        });
        let mut best: Vec<(Scored, u64)> = Vec::new();
        for s in tied {
            let worst_kept = best.iter().map(|&(_, hours)| hours).max();
            if best.len() == wanted && worst_kept.is_some_and(|h| s.bound > h) {
                break;
            }
            best.push((s, hours_of(&s)?));
            if best.len() > wanted {
                best.sort_by(|a, b| {
                    a.1.cmp(&b.1)
                        .then(index.roles[a.0.role].id.cmp(&index.roles[b.0.role].id))
                });
                best.truncate(wanted);
            }
        }
        matches.extend(best);
        matches.sort_by(|a, b| {
            b.0.readiness
                .total_cmp(&a.0.readiness)
                .then(a.1.cmp(&b.1))
                .then(index.roles[a.0.role].id.cmp(&index.roles[b.0.role].id))
        });
        matches.truncate(limit);
        Ok(into_matches(index, matches))
    }

    /// Roles ranked for `profile`, at most `limit`: all roles or only those `among` (each once,
    /// an unknown id is an error), ordered by readiness as [`match_roles`](Self::match_roles)
    /// orders them, or by [`MatchOrder::Hours`]: fewest hours to close the gap first, ties by
    /// higher readiness, then id. The profile's current role is left out, as there.
    ///
    /// By hours over every role, hours are planned in order of the lower bound (the hours of
    /// the unmet requirements themselves) until no remaining bound can beat the `limit`-th
    /// hours found: a few plans, not one per role.
    pub fn match_roles_by(
        &self,
        profile: &Profile,
        among: Option<&[RoleId]>,
        order: MatchOrder,
        limit: usize,
    ) -> Result<Vec<RoleMatch>, Error> {
        if among.is_none() && order == MatchOrder::Readiness {
            return self.match_roles(profile, limit);
        }
        let holdings = self.holdings(profile)?;
        let index = self.matching_index();
        let current = holdings.role.as_ref().and_then(|r| index.position(r));
        let roles: Vec<usize> = match among {
            Some(ids) => {
                let mut roles = Vec::with_capacity(ids.len());
                for id in ids {
                    let role = index
                        .position(id)
                        .ok_or_else(|| Error::UnknownRole(id.clone()))?;
                    if Some(role) != current && !roles.contains(&role) {
                        roles.push(role);
                    }
                }
                roles
            }
            None => (0..index.roles.len())
                .filter(|&r| Some(r) != current)
                .collect(),
        };
        if limit == 0 {
            return Ok(vec![]);
        }
        let mut scored: Vec<Scored> = with_map(&LEVELS, self.node_bound(), |levels| {
            for (node, level) in holdings.levels() {
                levels.insert(node, Some(level));
            }
            let held = |node: NodeIndex| levels.get(node).flatten();
            roles.iter().map(|&r| score_role(index, r, &held)).collect()
        });
        let hours_of = |s: &Scored| -> Result<u64, Error> {
            Ok(self
                .gap_plan(&holdings, &index.roles[s.role].id)?
                .total_hours)
        };
        let by_readiness = |a: &(Scored, u64), b: &(Scored, u64)| {
            b.0.readiness
                .total_cmp(&a.0.readiness)
                .then(a.1.cmp(&b.1))
                .then(index.roles[a.0.role].id.cmp(&index.roles[b.0.role].id))
        };
        let by_hours = |a: &(Scored, u64), b: &(Scored, u64)| {
            a.1.cmp(&b.1)
                .then(b.0.readiness.total_cmp(&a.0.readiness))
                .then(index.roles[a.0.role].id.cmp(&index.roles[b.0.role].id))
        };
        let mut matches: Vec<(Scored, u64)> = Vec::new();
        match order {
            MatchOrder::Readiness => {
                for s in scored {
                    matches.push((s, hours_of(&s)?));
                }
                matches.sort_by(by_readiness);
            }
            MatchOrder::Hours => {
                scored.sort_by(|a, b| {
                    a.bound
                        .cmp(&b.bound)
                        .then(index.roles[a.role].id.cmp(&index.roles[b.role].id))
                });
                for s in scored {
                    let worst_kept = matches.iter().map(|&(_, hours)| hours).max();
                    if matches.len() == limit && worst_kept.is_some_and(|h| s.bound > h) {
                        break;
                    }
                    matches.push((s, hours_of(&s)?));
                    if matches.len() > limit {
                        matches.sort_by(by_hours);
                        matches.truncate(limit);
                    }
                }
                matches.sort_by(by_hours);
            }
            MatchOrder::Overlap => {
                let mut ranked: Vec<(f64, Scored)> = scored
                    .into_iter()
                    .map(|s| {
                        (
                            overlap(
                                &holdings,
                                index,
                                &index.needs[index.roles[s.role].needs.clone()],
                            ),
                            s,
                        )
                    })
                    .collect();
                ranked.sort_by(|(oa, a), (ob, b)| {
                    ob.total_cmp(oa)
                        .then(b.readiness.total_cmp(&a.readiness))
                        .then(index.roles[a.role].id.cmp(&index.roles[b.role].id))
                });
                for (_, s) in ranked.into_iter().take(limit) {
                    matches.push((s, hours_of(&s)?));
                }
            }
        }
        matches.truncate(limit);
        Ok(into_matches(index, matches))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::graph::tests::{graph, id, skill};
    use crate::domain::plan::tests::{lvl, role};
    use crate::domain::{EdgeSpec, PrerequisiteKind, Requirement};

    /// Matching by definition: a gap, and so a plan, for every role but the current one.
    fn brute(g: &SkillGraph, profile: &Profile) -> Vec<RoleMatch> {
        let mut all: Vec<RoleMatch> = g
            .roles()
            .filter(|r| Some(&r.id) != profile.role.as_ref())
            .map(|r| {
                let gap = g.role_gap(profile, &r.id).unwrap();
                RoleMatch {
                    role: r.id.clone(),
                    readiness: gap.standing.readiness,
                    hours: gap.hours,
                    missing_essential: gap
                        .standing
                        .missing
                        .iter()
                        .filter(|s| s.requirement.importance == Importance::Essential)
                        .count() as u32,
                }
            })
            .collect();
        all.sort_by(|a, b| {
            b.readiness
                .total_cmp(&a.readiness)
                .then(a.hours.cmp(&b.hours))
                .then_with(|| a.role.cmp(&b.role))
        });
        all
    }

    #[test]
    fn matching_among_unknown_roles_is_an_error() {
        let mut g = graph(&["b>a"]);
        g.upsert_role(role("r", &[("b", 3, Importance::Essential)]))
            .unwrap();
        let among = [RoleId::parse("r").unwrap(), RoleId::parse("ghost").unwrap()];
        for order in [MatchOrder::Readiness, MatchOrder::Hours] {
            assert!(matches!(
                g.match_roles_by(&Profile::default(), Some(&among), order, 0),
                Err(Error::UnknownRole(_))
            ));
        }
    }

    #[test]
    fn matches_rank_by_readiness_then_hours() {
        let mut g = graph(&["x>a"]);
        g.upsert_skill(skill("cheap", "c", 1)).unwrap();
        g.upsert_role(role("far", &[("x", 5, Importance::Essential)]))
            .unwrap();
        g.upsert_role(role("near-cheap", &[("cheap", 3, Importance::Essential)]))
            .unwrap();
        g.upsert_role(role("near-dear", &[("a", 3, Importance::Essential)]))
            .unwrap();
        let ranked = g.match_roles(&Profile::default(), 2).unwrap();
        let ids: Vec<_> = ranked.iter().map(|m| m.role.as_str()).collect();
        assert_eq!(ids, ["near-cheap", "near-dear"]);
    }

    #[test]
    fn matching_counts_any_option_of_a_one_of_requirement() {
        let mut g = graph(&["b>a"]);
        for s in ["aws", "gcp"] {
            g.upsert_skill(skill(s, "c", 40)).unwrap();
        }
        let mut cloud = role(
            "cloud",
            &[
                ("aws", 3, Importance::Essential),
                ("b", 3, Importance::Essential),
            ],
        );
        cloud.requirements[0].alternatives = vec![id("gcp")];
        g.upsert_role(cloud).unwrap();
        g.upsert_role(role("aws-only", &[("aws", 3, Importance::Essential)]))
            .unwrap();
        let gcp = Profile {
            skills: vec![(id("gcp"), lvl(3))],
            role: None,
        };
        let ranked = g.match_roles(&gcp, 5).unwrap();
        assert_eq!(ranked, brute(&g, &gcp));
        let cloud = ranked.iter().find(|m| m.role.as_str() == "cloud").unwrap();
        // gcp meets the cloud requirement: only b (10 h, and a at beginner 4 h) is missing.
        assert_eq!((cloud.missing_essential, cloud.hours), (1, 14));
        assert!((cloud.readiness - 0.5).abs() < 1e-9);
        assert_eq!(
            ranked[0].role.as_str(),
            "cloud",
            "aws-only is not ready at all"
        );
        // By hours, the bound of an unmet one-of requirement is its cheapest option.
        let none = Profile::default();
        for order in [MatchOrder::Hours, MatchOrder::Overlap] {
            let got = g.match_roles_by(&gcp, None, order, 5).unwrap();
            assert_eq!(got[0].role.as_str(), "cloud", "{order:?}");
            let got = g.match_roles_by(&none, None, order, 5).unwrap();
            assert_eq!(got.len(), 2);
        }
    }

    #[test]
    fn matching_with_bounds_ranks_exactly_as_planning_every_role_would() {
        let shape = crate::generate::Shape {
            skills: 1_500,
            edges_per_skill: 3,
            roles: 40,
            seed: 3,
        };
        let mut g = SkillGraph::new();
        crate::import::apply(
            &crate::generate::generate(shape),
            &mut g,
            &mut crate::import::Report::default(),
        );
        for profile in [
            Profile::default(),
            Profile {
                skills: (0..40)
                    .map(|i| (id(&format!("gen:s{}", i * 37)), lvl(3)))
                    .collect(),
                role: None,
            },
            Profile {
                skills: vec![],
                role: Some(RoleId::parse("gen:r7").unwrap()),
            },
        ] {
            let brute = brute(&g, &profile);
            for limit in [1, 5, 39] {
                assert_eq!(g.match_roles(&profile, limit).unwrap(), brute[..limit]);
            }
        }
    }

    #[test]
    fn writes_to_roles_and_skills_replace_the_role_index() {
        let mut g = graph(&["b>a"]);
        g.upsert_skill(skill("c", "c", 10)).unwrap();
        g.upsert_role(role("r1", &[("b", 3, Importance::Essential)]))
            .unwrap();
        g.upsert_role(role("r2", &[("c", 3, Importance::Essential)]))
            .unwrap();
        let none = Profile::default();
        let first = g.match_roles(&none, 1).unwrap();
        assert_eq!(
            first[0].role.as_str(),
            "r2",
            "c alone is cheaper than b and a"
        );
        // An older snapshot keeps its own index while the new one sees each write.
        let before = g.clone();
        let mut dear = skill("c", "c", 100);
        dear.name = "c".into();
        g.upsert_skill(dear).unwrap();
        assert_eq!(g.match_roles(&none, 1).unwrap()[0].role.as_str(), "r1");
        assert_eq!(before.match_roles(&none, 1).unwrap(), first);
        g.upsert_role(role("r0", &[])).unwrap();
        assert_eq!(g.match_roles(&none, 1).unwrap()[0].role.as_str(), "r0");
        g.delete_role(&RoleId::parse("r0").unwrap()).unwrap();
        g.delete_skill(&id("c"), crate::domain::OnDelete::Cascade)
            .unwrap();
        g.upsert_skill(skill("d", "c", 1)).unwrap();
        g.set_requirement(
            &RoleId::parse("r1").unwrap(),
            Requirement {
                skill: id("d"),
                level: lvl(2),
                importance: Importance::Optional,
                alternatives: Vec::new(),
            },
        )
        .unwrap();
        let held = Profile {
            skills: vec![(id("d"), lvl(2))],
            role: None,
        };
        assert_eq!(g.match_roles(&held, 5).unwrap(), brute(&g, &held));
    }

    #[test]
    fn a_cheaper_skill_is_matched_by_hours_whether_the_index_was_built_or_shared() {
        let mut g = graph(&["b>a"]);
        g.upsert_skill(skill("c", "c", 100)).unwrap();
        g.upsert_role(role("r1", &[("b", 3, Importance::Essential)]))
            .unwrap();
        g.upsert_role(role("r2", &[("c", 3, Importance::Essential)]))
            .unwrap();
        let none = Profile::default();
        let cheapest =
            |g: &SkillGraph| g.match_roles_by(&none, None, MatchOrder::Hours, 1).unwrap();
        assert_eq!(cheapest(&g)[0].role.as_str(), "r1");
        // Built: the write patches the index. A stale bound would be above r2's new hours and
        // pass it over.
        g.upsert_skill(skill("c", "c", 1)).unwrap();
        assert_eq!(cheapest(&g)[0].role.as_str(), "r2");
        // Not built, and shared with the snapshot it was cloned from: whichever of the two
        // builds its index first must not build it for the other.
        g.upsert_skill(skill("c", "c", 100)).unwrap();
        g.upsert_role(role("r3", &[("b", 5, Importance::Essential)]))
            .unwrap();
        let older = g.clone();
        g.upsert_skill(skill("c", "c", 1)).unwrap();
        assert_eq!(cheapest(&older)[0].role.as_str(), "r1");
        assert_eq!(cheapest(&g)[0].role.as_str(), "r2");
    }

    /// A random graph: skill `i` may require any skill below it, so it is always a DAG.
    #[derive(Debug, Clone)]
    struct World {
        hours: Vec<u32>,
        edges: Vec<(usize, usize, bool, Option<i64>)>,
        /// Per role: (skill, level, essential, how many alternatives).
        roles: Vec<Vec<(usize, i64, bool, usize)>>,
        held: Vec<(usize, i64)>,
        current: Option<usize>,
    }

    fn world() -> impl Strategy<Value = World> {
        (2usize..24).prop_flat_map(|n| {
            let level = 1i64..=5;
            (
                prop::collection::vec(1u32..60, n),
                prop::collection::vec(
                    (
                        1..n,
                        0..n,
                        prop::bool::weighted(0.8),
                        prop::option::of(level.clone()),
                    )
                        .prop_map(|(a, b, required, min)| (a, b % a, required, min)),
                    0..3 * n,
                ),
                prop::collection::vec(
                    prop::collection::btree_map(
                        0..n,
                        (
                            level.clone(),
                            any::<bool>(),
                            prop::sample::select(vec![0, 0, 1, 2]),
                        ),
                        0..6,
                    )
                    .prop_map(|m| m.into_iter().map(|(s, (l, e, a))| (s, l, e, a)).collect()),
                    0..14,
                ),
                prop::collection::vec((0..n, level), 0..5),
                prop::option::of(0usize..14),
            )
                .prop_map(|(hours, edges, roles, held, current)| World {
                    hours,
                    edges,
                    roles,
                    held,
                    current,
                })
        })
    }

    fn build(w: &World) -> (SkillGraph, Profile) {
        let mut g = graph(&[]);
        for (i, &h) in w.hours.iter().enumerate() {
            g.upsert_skill(skill(&format!("s{i}"), "c", h)).unwrap();
        }
        for &(a, b, required, min) in &w.edges {
            let spec = EdgeSpec {
                kind: if required {
                    PrerequisiteKind::Required
                } else {
                    PrerequisiteKind::Recommended
                },
                min_level: min.map(lvl),
                beyond: None,
            };
            g.add_prerequisite(&id(&format!("s{a}")), &id(&format!("s{b}")), spec)
                .unwrap();
        }
        for (i, reqs) in w.roles.iter().enumerate() {
            let mut role_data = role(&format!("r{i}"), &[]);
            // Alternatives from the skills the role does not list yet, after the skill's own.
            let mut used: Vec<usize> = reqs.iter().map(|r| r.0).collect();
            for &(s, l, essential, alternatives) in reqs {
                let mut others = Vec::new();
                for k in 1..w.hours.len() {
                    let o = (s + k) % w.hours.len();
                    if others.len() < alternatives && !used.contains(&o) {
                        used.push(o);
                        others.push(id(&format!("s{o}")));
                    }
                }
                role_data.requirements.push(Requirement {
                    skill: id(&format!("s{s}")),
                    level: lvl(l),
                    importance: if essential {
                        Importance::Essential
                    } else {
                        Importance::Optional
                    },
                    alternatives: others,
                });
            }
            g.upsert_role(role_data).unwrap();
        }
        let profile = Profile {
            skills: w
                .held
                .iter()
                .map(|&(s, l)| (id(&format!("s{s}")), lvl(l)))
                .collect(),
            role: w
                .current
                .filter(|&r| r < w.roles.len())
                .map(|r| RoleId::parse(&format!("r{r}")).unwrap()),
        };
        (g, profile)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn matching_ranks_exactly_as_planning_every_role_would_on_random_graphs(
            w in world(),
            repriced in prop::option::of((0usize..24, 1u32..60)),
        ) {
            let (mut g, profile) = build(&w);
            let check = |g: &SkillGraph| -> Result<(), TestCaseError> {
                let want = brute(g, &profile);
                for limit in 0..=want.len() + 1 {
                    let got = g.match_roles(&profile, limit).unwrap();
                    prop_assert_eq!(&got[..], &want[..limit.min(want.len())], "limit {}", limit);
                }
                let by_hours = |list: &[RoleMatch]| {
                    let mut list = list.to_vec();
                    list.sort_by(|a, b| {
                        a.hours
                            .cmp(&b.hours)
                            .then(b.readiness.total_cmp(&a.readiness))
                            .then_with(|| a.role.cmp(&b.role))
                    });
                    list
                };
                let fastest = by_hours(&want);
                for limit in 0..=want.len() + 1 {
                    let got = g.match_roles_by(&profile, None, MatchOrder::Hours, limit).unwrap();
                    prop_assert_eq!(&got[..], &fastest[..limit.min(want.len())], "limit {}", limit);
                }
                // Among every other role, given backwards, repeated, with the current role.
                let some: Vec<RoleMatch> = want.iter().step_by(2).cloned().collect();
                let mut among: Vec<RoleId> = some.iter().rev().map(|m| m.role.clone()).collect();
                among.extend(some.first().map(|m| m.role.clone()));
                among.extend(profile.role.clone());
                for (order, expected) in [
                    (MatchOrder::Readiness, some.clone()),
                    (MatchOrder::Hours, by_hours(&some)),
                ] {
                    let got = g.match_roles_by(&profile, Some(&among), order, 100).unwrap();
                    prop_assert_eq!(&got, &expected, "{:?}", order);
                    let got = g.match_roles_by(&profile, Some(&among), order, 1).unwrap();
                    prop_assert_eq!(&got[..], &expected[..expected.len().min(1)]);
                }
                Ok(())
            };
            check(&g)?;
            // After a change of hours the built index is patched; without one it is reused.
            if let Some((s, hours)) = repriced.filter(|&(s, _)| s < w.hours.len()) {
                g.upsert_skill(skill(&format!("s{s}"), "c", hours)).unwrap();
                check(&g)?;
            }
        }
    }
}
