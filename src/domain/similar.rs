//! Similar roles: the roles whose requirements overlap a role's most, with the hours of a move
//! each way (the "feeder" and "next step" occupations of a career).
//!
//! # Similarity
//!
//! Each requirement weighs [`weight`]: its importance's weight in readiness (an essential
//! requirement [`ESSENTIAL_WEIGHT`](super::readiness::ESSENTIAL_WEIGHT), an optional one 1)
//! times its level times its skill's **specificity**, `ln((N + 1) / df)` over the `N` roles of
//! the snapshot, `df` of them requiring the skill (see `roles::index`, "Specificity"). A skill
//! most roles ask for ("communication", "teamwork") weighs almost nothing, one few roles ask
//! for ("machine learning") a lot: sharing it says more about two roles, and lacking it sets
//! them further apart. The similarity of two roles is the weighted Jaccard index of their
//! requirements:
//! `Σ min(wA(s), wB(s)) / Σ max(wA(s), wB(s))` over every skill either requires (a skill one
//! role does not require weighs 0 there). It is 1 for the same requirements at the same levels
//! and importance, 0 for no skill in common, and symmetric exactly, to the last bit: the
//! specificity is a fixed-point integer, so weights are integers and every sum is exact
//! whatever the order; only the final division is a float.
//!
//! Before issue 20 a requirement weighed importance times level alone. On the ESCO import the
//! specificity moves most neighbours only a little (see BENCHMARKS.md, "Issue 20: better
//! neighbours"); where it does, the generic skills stop carrying the score. The cosine of the
//! same vectors (as Lightcast compares occupations) and a cutoff that zeroes skills asked by
//! more than 5% of roles were tried there too and agreed less with ESCO's own ISCO groups.
//!
//! A "one of" requirement is one term over all its options, as specific as its least specific
//! option. Requirements of the two roles that
//! share a skill (through any option) are linked, and each linked group contributes
//! `min(Σ wA, Σ wB)` to the numerator (for two plain requirements on one skill, the formula
//! above); the denominator is `Σ wA + Σ wB` less the numerator. So "AWS, GCP or Azure at 3"
//! against "GCP at 3" is a full match, and against plain AWS and GCP requirements counts once.
//!
//! The hours are not symmetric: `hours_to` is the plan from this role to the other role,
//! `hours_from` the plan back, each as a role gap from a current role computes it: from
//! holding the role's essential requirements at their levels (see `holdings`). A senior
//! role's juniors are cheap to reach from it; the way up costs more.
//!
//! # Cost
//!
//! Only roles that share a skill can score above 0, and the role index knows, per skill, the
//! roles requiring it: a role's candidates are read from its requirements' lists, scored on
//! their own requirements (about 40 each on ESCO), and the hours, which need two plans each,
//! are planned only for the `limit` kept.

use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::graph::SkillGraph;
use super::readiness;
use super::roles::index::{Need, RoleIndex};
use super::{Error, Profile, Requirement, RoleId};

/// A requirement's weight in similarity: importance weight times level times specificity, in
/// units of 1 / `SPECIFICITY_ONE` (see the module docs). An integer, so that sums are exact.
fn weight(index: &RoleIndex, need: &Need) -> u64 {
    // The importance weights are small integers (3 and 1).
    let importance = readiness::weight(need.importance) as u64;
    importance * u64::from(need.level.get()) * u64::from(index.need_specificity(need))
}

/// A skill both roles require, as each requires it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharedRequirement {
    /// As the role asked about requires it.
    pub here: Requirement,
    /// As the similar role requires it.
    pub there: Requirement,
}

/// A role similar to another, and the hours of a move each way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleSimilarity {
    pub role: RoleId,
    /// Weighted Jaccard similarity of the requirements, in (0, 1].
    pub score: f64,
    /// The requirements both have, as pairs sharing a skill, in skill id order.
    pub shared: Vec<SharedRequirement>,
    /// Hours of the plan from this role's essential requirements to the similar role.
    pub hours_to: u64,
    /// Hours of the plan from the similar role's essential requirements back to this one.
    pub hours_from: u64,
}

impl SkillGraph {
    /// The roles most similar to `role`, best first (ties by id), at most `limit`, leaving out
    /// the role itself and roles sharing no skill with it (see the module docs).
    pub fn similar_roles(&self, role: &RoleId, limit: usize) -> Result<Vec<RoleSimilarity>, Error> {
        let this = self.role_entry(role)?;
        let index = self.matching_index();
        let Some(at) = index.position(role) else {
            return Err(Error::UnknownRole(role.clone()));
        };
        let here_needs = &index.needs[index.roles[at].needs.clone()];
        let here: Vec<u64> = here_needs.iter().map(|n| weight(index, n)).collect();
        // Each option of this role's requirements, with the requirement it belongs to.
        let mut here_of: HashMap<NodeIndex, usize> = HashMap::default();
        for (i, need) in here_needs.iter().enumerate() {
            here_of.extend(index.options(need).map(|(node, _)| (node, i)));
        }
        let total_here: u64 = here.iter().sum();
        let mut seen = vec![false; index.roles.len()];
        seen[at] = true;
        let mut scored: Vec<(f64, usize)> = Vec::new();
        for &node in here_of.keys() {
            for &other in index.requiring(node) {
                let other = other as usize;
                if std::mem::replace(&mut seen[other], true) {
                    continue;
                }
                let there: Vec<(u64, Vec<usize>)> = index.needs[index.roles[other].needs.clone()]
                    .iter()
                    .map(|need| {
                        let linked = index
                            .options(need)
                            .filter_map(|(node, _)| here_of.get(&node).copied())
                            .collect();
                        (weight(index, need), linked)
                    })
                    .collect();
                let total_there: u64 = there.iter().map(|(w, _)| w).sum();
                let common = common_weight(&here, &there);
                // Integer sums, one division: the same bits both ways.
                let union = total_here + total_there - common;
                scored.push((common as f64 / union as f64, other));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(limit);
        if scored.is_empty() {
            return Ok(vec![]);
        }
        let from_role = |id: &RoleId| {
            self.holdings(&Profile {
                skills: vec![],
                role: Some(id.clone()),
            })
        };
        let holding_this = from_role(role)?;
        scored
            .into_iter()
            .map(|(score, other)| {
                let id = &index.roles[other].id;
                let that = self.role_entry(id)?;
                Ok(RoleSimilarity {
                    role: id.clone(),
                    score,
                    shared: shared(&this.requirements, &that.requirements),
                    hours_to: self.gap_plan(&holding_this, id)?.total_hours,
                    hours_from: self.gap_plan(&from_role(id)?, role)?.total_hours,
                })
            })
            .collect()
    }
}

/// The numerator of the similarity (see the module docs): `here` holds this role's
/// requirement weights, `there` the other role's, each with the positions in `here` of the
/// requirements it shares a skill with. The linked groups are the connected parts of that
/// relation, found by union-find over both lists.
fn common_weight(here: &[u64], there: &[(u64, Vec<usize>)]) -> u64 {
    let n = here.len();
    let mut parent: Vec<usize> = (0..n + there.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (j, (_, linked)) in there.iter().enumerate() {
        for &i in linked {
            let (a, b) = (root(&mut parent, i), root(&mut parent, n + j));
            parent[a] = b;
        }
    }
    // (Σ here, Σ there) by root; only groups with both sides count.
    let mut sums: HashMap<usize, (u64, u64)> = HashMap::default();
    for (i, &w) in here.iter().enumerate() {
        sums.entry(root(&mut parent, i)).or_default().0 += w;
    }
    for (j, (w, _)) in there.iter().enumerate() {
        sums.entry(root(&mut parent, n + j)).or_default().1 += w;
    }
    sums.values().map(|&(a, b)| a.min(b)).sum()
}

/// The pairs of requirements that share a skill (a "one of" requirement through any option),
/// by this role's requirement, then the other's; both lists are sorted by skill id.
fn shared(here: &[Requirement], there: &[Requirement]) -> Vec<SharedRequirement> {
    let mut both = Vec::new();
    for h in here {
        for t in there.iter().filter(|t| h.options().any(|o| t.lists(o))) {
            both.push(SharedRequirement {
                here: h.clone(),
                there: t.clone(),
            });
        }
    }
    both
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::graph::tests::{graph, id};
    use crate::domain::plan::tests::role;
    use crate::domain::roles::index::specificity;
    use crate::domain::{Importance, Level};
    use Importance::{Essential, Optional};

    fn rid(s: &str) -> RoleId {
        RoleId::parse(s).unwrap()
    }

    /// Roles over skills a..f (10 hours each; `b` requires `a`).
    fn roles() -> SkillGraph {
        let mut g = graph(&["b>a", "c>a", "d>c", "e>d", "f>e"]);
        for r in [
            role("junior", &[("a", 2, Essential), ("b", 2, Essential)]),
            role(
                "senior",
                &[("a", 4, Essential), ("b", 4, Essential), ("c", 3, Optional)],
            ),
            role("twin", &[("a", 2, Essential), ("b", 2, Essential)]),
            role("other", &[("f", 3, Essential)]),
            role("partial", &[("b", 2, Optional), ("e", 3, Essential)]),
        ] {
            g.upsert_role(r).unwrap();
        }
        g
    }

    fn scores(g: &SkillGraph, r: &str) -> Vec<(String, f64)> {
        g.similar_roles(&rid(r), 10)
            .unwrap()
            .into_iter()
            .map(|s| (s.role.to_string(), s.score))
            .collect()
    }

    #[test]
    fn the_same_requirements_score_one_and_no_shared_skill_is_left_out() {
        let g = roles();
        let all = scores(&g, "junior");
        assert_eq!(all[0], ("twin".into(), 1.0));
        assert!(all.iter().all(|(r, _)| r != "junior" && r != "other"));
        assert!(scores(&g, "other").is_empty());
    }

    /// A requirement's weight as the module docs define it, for `df` of `n` roles requiring
    /// its skill.
    fn w(importance: u64, level: u64, df: usize, n: usize) -> u64 {
        importance * level * u64::from(specificity(df, n))
    }

    #[test]
    fn similarity_is_weighted_jaccard_over_specific_weights_and_symmetric_to_the_bit() {
        let g = roles();
        let junior_senior = scores(&g, "junior")
            .into_iter()
            .find(|(r, _)| r == "senior")
            .unwrap()
            .1;
        // Five roles: a is required by 3, b by 4, c by 1.
        let min = w(3, 2, 3, 5) + w(3, 2, 4, 5);
        let max = w(3, 4, 3, 5) + w(3, 4, 4, 5) + w(1, 3, 1, 5);
        assert_eq!(junior_senior, min as f64 / max as f64);
        for a in ["junior", "senior", "twin", "partial"] {
            for (b, score) in scores(&g, a) {
                let back = scores(&g, &b).into_iter().find(|(r, _)| r == a).unwrap();
                assert_eq!(back.1.to_bits(), score.to_bits(), "{a} ~ {b}");
            }
        }
    }

    #[test]
    fn a_shared_skill_most_roles_ask_for_weighs_less_than_a_rare_one() {
        let mut g = graph(&[]);
        for s in ["talk", "ml", "sql", "x", "y", "z", "w"] {
            g.upsert_skill(crate::domain::graph::tests::skill(s, "c", 10))
                .unwrap();
        }
        // "talk" is asked by every role, "ml" by two; each pair below shares one of them,
        // at the same level and importance, besides one skill of its own.
        for r in [
            role(
                "data",
                &[
                    ("ml", 3, Essential),
                    ("talk", 3, Essential),
                    ("x", 3, Essential),
                ],
            ),
            role(
                "ml-peer",
                &[
                    ("ml", 3, Essential),
                    ("talk", 3, Essential),
                    ("y", 3, Essential),
                ],
            ),
            role("sales", &[("talk", 3, Essential), ("z", 3, Essential)]),
            role("support", &[("talk", 3, Essential), ("w", 3, Essential)]),
            role("db", &[("talk", 3, Essential), ("sql", 3, Essential)]),
        ] {
            g.upsert_role(r).unwrap();
        }
        let data = scores(&g, "data");
        assert_eq!(data[0].0, "ml-peer", "{data:?}");
        let sales = data.iter().find(|(r, _)| r == "sales").unwrap().1;
        // Weighing importance and level alone, ml-peer scored 1/2 and sales 1/4.
        assert!(
            data[0].1 > 5.0 * sales,
            "sharing only what every role asks for scores little: {data:?}"
        );
        assert!(sales > 0.0, "but above 0: the roles still share a skill");
    }

    #[test]
    fn a_one_of_requirement_is_shared_through_any_option_and_counted_once() {
        let mut g = graph(&["b>a"]);
        for s in ["aws", "gcp"] {
            g.upsert_skill(crate::domain::graph::tests::skill(s, "c", 40))
                .unwrap();
        }
        let mut any = role("any", &[("aws", 3, Essential), ("b", 2, Essential)]);
        any.requirements[0].alternatives = vec![id("gcp")];
        for r in [
            any,
            role("gcp", &[("gcp", 3, Essential), ("b", 2, Essential)]),
            role("both", &[("aws", 3, Essential), ("gcp", 3, Essential)]),
        ] {
            g.upsert_role(r).unwrap();
        }
        let score = |a: &str, b: &str| {
            let found = scores(&g, a).into_iter().find(|(r, _)| r == b).unwrap().1;
            let back = scores(&g, b).into_iter().find(|(r, _)| r == a).unwrap().1;
            assert_eq!(found.to_bits(), back.to_bits(), "{a} ~ {b}");
            found
        };
        assert_eq!(score("any", "gcp"), 1.0, "GCP meets one cloud at 3");
        // Three roles: aws and b are required by 2, gcp by 3; any's cloud counts as gcp, its
        // least specific option. One group {any's cloud, both's aws, both's gcp}.
        let (cloud, aws, gcp, b) = (w(3, 3, 3, 3), w(3, 3, 2, 3), w(3, 3, 3, 3), w(3, 2, 2, 3));
        let common = cloud.min(aws + gcp);
        let union = (cloud + b) + (aws + gcp) - common;
        assert_eq!(score("any", "both"), common as f64 / union as f64);
        let both = g
            .similar_roles(&rid("any"), 10)
            .unwrap()
            .into_iter()
            .find(|s| s.role.as_str() == "both")
            .unwrap();
        let pairs: Vec<(&str, &str)> = both
            .shared
            .iter()
            .map(|s| (s.here.skill.as_str(), s.there.skill.as_str()))
            .collect();
        assert_eq!(pairs, [("aws", "aws"), ("aws", "gcp")]);
    }

    #[test]
    fn hours_are_asymmetric_the_way_up_costs_more_than_the_way_down() {
        let g = roles();
        let senior = g
            .similar_roles(&rid("junior"), 10)
            .unwrap()
            .into_iter()
            .find(|s| s.role.as_str() == "senior")
            .unwrap();
        let up = g
            .role_gap(
                &Profile {
                    skills: vec![],
                    role: Some(rid("junior")),
                },
                &rid("senior"),
            )
            .unwrap()
            .hours;
        assert_eq!(senior.hours_to, up);
        assert_eq!(senior.hours_from, 0, "a senior holds every junior need");
        assert!(senior.hours_to > 0);
        let shared: Vec<(&str, u8, u8)> = senior
            .shared
            .iter()
            .map(|s| {
                (
                    s.here.skill.as_str(),
                    s.here.level.get(),
                    s.there.level.get(),
                )
            })
            .collect();
        assert_eq!(shared, [("a", 2, 4), ("b", 2, 4)]);
        assert_eq!(senior.shared[0].here.skill, id("a"));
    }

    #[test]
    fn matching_by_overlap_ranks_the_roles_whose_requirements_the_profile_lists() {
        let g = roles();
        // An ad naming a, b and c at the mentioned level: senior lists all three.
        let ad = Profile {
            skills: ["a", "b", "c"]
                .iter()
                .map(|s| (id(s), Level::DEFAULT_PREREQUISITE))
                .collect(),
            role: None,
        };
        let by = |order| -> Vec<String> {
            g.match_roles_by(&ad, None, order, 3)
                .unwrap()
                .into_iter()
                .map(|m| m.role.to_string())
                .collect()
        };
        // Overlap: senior 3/3, junior and twin 2/3 (tied, by readiness, then id).
        assert_eq!(
            by(crate::domain::MatchOrder::Overlap),
            ["senior", "junior", "twin"]
        );
        // Readiness prefers the roles needing less of the same skills.
        assert_ne!(by(crate::domain::MatchOrder::Readiness)[0], "senior");
    }

    #[test]
    fn an_unknown_role_is_an_error_and_limit_cuts_the_list() {
        let g = roles();
        assert_eq!(
            g.similar_roles(&rid("ghost"), 10).unwrap_err(),
            Error::UnknownRole(rid("ghost"))
        );
        assert_eq!(g.similar_roles(&rid("junior"), 1).unwrap().len(), 1);
        assert!(g.similar_roles(&rid("junior"), 0).unwrap().is_empty());
    }
}
