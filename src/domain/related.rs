//! Related skills: the skills roles ask for together with a skill, the way "people who need
//! this also need" reads in a job-market tool.
//!
//! # The score
//!
//! For a skill `s` asked for by `df(s)` roles, another skill `t` scores
//!
//! `co(s, t) / df(s) × spec(t) / ln(N + 1)`
//!
//! where `co(s, t)` counts the roles that require both (each through any option of a
//! requirement: roles that accept either of two skills name them together), and `spec(t)` is
//! `t`'s specificity across the `N` roles, `ln((N + 1) / df(t))`, as similar roles weigh it
//! (see `roles::index`, "Specificity"). The first factor is the share of `s`'s roles that also
//! ask for `t`; the second scales it by how specific `t` is, 1 for a skill only one role asks
//! for. The score is in (0, 1]: a skill every role asks for ("communication") scores about 0
//! however often it comes along, so the list shows what sets `s`'s roles apart. Within one
//! skill's list the ranking is `co × spec`, the TF-IDF of `t` in the roles of `s`. The score is
//! not symmetric: most roles asking for "pandas" ask for "Python", far fewer the other way.
//!
//! Left out: `s` itself, its direct prerequisites (required or recommended, and the options of
//! its "one of" groups) and the skills it directly unlocks: those have their own fields
//! (`prerequisites`, `prerequisiteGroups`, `unlocks`) and come along with it for that reason.
//!
//! # Cost
//!
//! One pass over the requirements of the roles asking for `s` (about 40 each on ESCO), with the
//! role index's per-node lists and specificities; a skill no role asks for has none.
//! Deterministic: counts and fixed-point specificities are integers, ties go by skill id.

use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;

use super::graph::SkillGraph;
use super::roles::index::specificity;
use super::{Error, Follow, Reach, SkillId};

/// A skill roles ask for together with another, and how strongly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RelatedSkill {
    pub skill: SkillId,
    /// In (0, 1] (see the module docs).
    pub score: f64,
    /// How many roles ask for both.
    pub roles: u32,
}

impl SkillGraph {
    /// The skills most related to `id`, best first (ties by id), at most `limit` (see the
    /// module docs).
    pub fn related_skills(&self, id: &SkillId, limit: usize) -> Result<Vec<RelatedSkill>, Error> {
        let node = self.entry(id)?.node;
        let index = self.matching_index();
        let asking = index.requiring(node);
        if asking.is_empty() || limit == 0 {
            return Ok(vec![]);
        }
        let mut excluded: HashSet<_> = self
            .prerequisite_edges(node, Follow::RequiredAndRecommended)
            .map(|(n, _)| n)
            .chain(self.groups_at(node).iter().flat_map(|g| g.options.clone()))
            .collect();
        excluded.insert(node);
        for (unlocked, _) in self.unlocks(id, Reach::Direct)? {
            excluded.insert(self.entry(&unlocked)?.node);
        }
        // co(s, t) per node; `last` keeps a role from counting a skill twice (a skill can be
        // one role's requirement and another requirement's alternative).
        let mut co = vec![0u32; self.node_bound()];
        let mut last = vec![u32::MAX; self.node_bound()];
        for &role in asking {
            let needs = &index.needs[index.roles[role as usize].needs.clone()];
            for need in needs {
                for (other, _) in index.options(need) {
                    let at = other.index();
                    if last[at] != role && !excluded.contains(&other) {
                        last[at] = role;
                        co[at] += 1;
                    }
                }
            }
        }
        let mut found: Vec<(u64, usize)> = co
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0)
            .map(|(at, &c)| {
                let spec = index.specificity(NodeIndex::new(at));
                (u64::from(c) * u64::from(spec), at)
            })
            .collect();
        let key = |at: usize| self.id_at(NodeIndex::new(at));
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| key(a.1).cmp(key(b.1))));
        found.truncate(limit);
        // The largest specificity, of a skill one role asks for, as the index stores it.
        let roles = index.roles.len();
        let most = f64::from(specificity(1, roles));
        let scale = asking.len() as f64 * most;
        Ok(found
            .into_iter()
            .map(|(weighted, at)| RelatedSkill {
                skill: key(at).clone(),
                score: weighted as f64 / scale,
                roles: co[at],
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Importance::{Essential, Optional};
    use crate::domain::graph::tests::{graph, id, skill};
    use crate::domain::plan::tests::role;

    fn related(g: &SkillGraph, s: &str) -> Vec<(String, f64, u32)> {
        g.related_skills(&id(s), 10)
            .unwrap()
            .into_iter()
            .map(|r| (r.skill.to_string(), r.score, r.roles))
            .collect()
    }

    /// `ml` unlocks `dl` and requires `stats`; `talk` is asked by every role.
    fn roles() -> SkillGraph {
        let mut g = graph(&["dl>ml", "ml>stats"]);
        for s in ["talk", "python", "sql", "excel", "cloud", "gpu"] {
            g.upsert_skill(skill(s, "c", 10)).unwrap();
        }
        for r in [
            role(
                "ml-engineer",
                &[
                    ("ml", 3, Essential),
                    ("python", 3, Essential),
                    ("talk", 2, Optional),
                    ("stats", 2, Essential),
                    ("dl", 3, Essential),
                    ("gpu", 2, Optional),
                ],
            ),
            role(
                "data-scientist",
                &[
                    ("ml", 3, Essential),
                    ("python", 3, Essential),
                    ("talk", 3, Essential),
                ],
            ),
            role(
                "analyst",
                &[
                    ("sql", 3, Essential),
                    ("python", 2, Optional),
                    ("talk", 3, Essential),
                ],
            ),
            role("clerk", &[("excel", 2, Essential), ("talk", 3, Essential)]),
            role("ops", &[("cloud", 3, Essential), ("talk", 3, Essential)]),
        ] {
            g.upsert_role(r).unwrap();
        }
        g
    }

    #[test]
    fn a_skill_every_role_asks_for_ranks_below_one_fewer_roles_ask_for() {
        let g = roles();
        let list = related(&g, "ml");
        let names: Vec<&str> = list.iter().map(|(s, _, _)| s.as_str()).collect();
        // Both ml roles ask for python and talk; python is asked by 3 of 5 roles, talk by
        // all 5; gpu by one of them only, but by no other role.
        assert_eq!(names, ["gpu", "python", "talk"]);
        let (python, talk) = (list[1].1, list[2].1);
        assert_eq!((list[1].2, list[2].2), (2, 2));
        assert!(talk < python / 3.0, "{list:?}");
        // python: share 2/2 times ln(6/3) / ln(6).
        let expected = f64::from(crate::domain::roles::index::specificity(3, 5))
            / f64::from(crate::domain::roles::index::specificity(1, 5));
        assert_eq!(python, expected);
    }

    #[test]
    fn the_skill_itself_its_direct_prerequisites_and_what_it_unlocks_are_left_out() {
        let g = roles();
        let names: Vec<String> = related(&g, "ml").into_iter().map(|r| r.0).collect();
        for left_out in ["ml", "stats", "dl"] {
            assert!(
                !names.iter().any(|n| n == left_out),
                "{left_out}: {names:?}"
            );
        }
        // From python, ml is no prerequisite: it is related.
        assert!(related(&g, "python").iter().any(|r| r.0 == "ml"));
    }

    #[test]
    fn scores_are_within_zero_and_one_and_limit_cuts_the_list() {
        let g = roles();
        for s in ["ml", "python", "talk", "sql", "gpu"] {
            for (other, score, _) in related(&g, s) {
                assert!(score > 0.0 && score <= 1.0, "{s} ~ {other}: {score}");
            }
        }
        // gpu is asked only by ml-engineer, and so is dl... which gpu does not unlock.
        let gpu = related(&g, "gpu");
        assert_eq!(gpu[0].0, "dl");
        assert_eq!(
            gpu[0].1, 1.0,
            "one role asks for both, and for nothing rarer"
        );
        assert_eq!(g.related_skills(&id("ml"), 1).unwrap().len(), 1);
        assert!(g.related_skills(&id("ml"), 0).unwrap().is_empty());
    }

    #[test]
    fn a_skill_no_role_asks_for_has_no_related_skills_and_an_unknown_one_is_an_error() {
        let mut g = roles();
        g.upsert_skill(skill("lonely", "c", 10)).unwrap();
        assert!(related(&g, "lonely").is_empty());
        assert_eq!(
            g.related_skills(&id("ghost"), 10).unwrap_err(),
            Error::UnknownSkill(id("ghost"))
        );
    }
}
