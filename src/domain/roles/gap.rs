//! Role gaps: where a profile stands against one role's requirements ([`RoleStanding`]), and
//! the plan that closes the rest ([`RoleGap`]).
//!
//! A standing is cheap: one look per requirement at the levels the holdings give, sorted
//! essential first, then by category order and id, with readiness as `readiness` defines it.
//! A gap adds the plan to every unmet requirement, a plan with the role as its only target.
//! A "one of" requirement is one entry, met by any option at its level and listed under its
//! preferred skill; its plan goes through one option (see `plan`).
//!
//! A question above plans: it reads the graph, the holdings, readiness and `plan`, and nothing
//! below it may import it. It must not depend on matching (`roles`), `next` or `similar`,
//! which ask it for gaps.

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use crate::domain::graph::SkillGraph;
use crate::domain::holdings::Holdings;
use crate::domain::plan::{LearningPlan, PlanOptions, Schedule, Target};
use crate::domain::readiness::{readiness_of, requirement_held};
use crate::domain::{Error, Level, Profile, Requirement, RoleId, SkillId};

/// A role requirement with the level the profile holds (`None`: not at all). A "one of"
/// requirement is one status, held at its option closest to done (see `readiness`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementStatus {
    pub requirement: Requirement,
    pub current: Option<Level>,
    /// The option held at `current`: the requirement's skill or one of its alternatives.
    pub held: Option<SkillId>,
}

/// Where a profile stands against a role's requirements: cheap (one look per requirement),
/// unlike the plan that closes the gap, so callers that only list requirements ask for this.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleStanding {
    pub role: RoleId,
    /// In `[0, 1]`: the weighted share of the role's learning effort already done, as
    /// `readiness` defines it.
    pub readiness: f64,
    /// Each list: essential requirements first, then by category order and id.
    pub satisfied: Vec<RequirementStatus>,
    pub under_level: Vec<RequirementStatus>,
    pub missing: Vec<RequirementStatus>,
}

/// A role's standing together with the plan that closes the gap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleGap {
    #[serde(flatten)]
    pub standing: RoleStanding,
    /// Hours of the plan that closes every unmet requirement.
    pub hours: u64,
    pub plan: LearningPlan,
}

impl SkillGraph {
    /// Where a profile stands against a role, and the plan that closes the gap.
    pub fn role_gap(&self, profile: &Profile, role: &RoleId) -> Result<RoleGap, Error> {
        self.role_gap_scheduled(profile, role, Schedule::default())
    }

    /// [`role_gap`](Self::role_gap) with its plan within a budget and at a pace; `hours`
    /// stays the hours of the whole gap.
    pub fn role_gap_scheduled(
        &self,
        profile: &Profile,
        role: &RoleId,
        schedule: Schedule,
    ) -> Result<RoleGap, Error> {
        let holdings = self.holdings(profile)?;
        let standing = self.role_standing(&holdings, role)?;
        let plan = self.gap_plan_scheduled(&holdings, role, schedule)?;
        Ok(RoleGap {
            standing,
            hours: plan.full_hours(),
            plan,
        })
    }

    /// Where `profile` stands against a role, without planning: only the levels of the role's
    /// requirements are found ([`holdings_toward`](Self::holdings_toward)), from what each
    /// held skill implies at them, kept per role, instead of every held skill's closure.
    pub fn role_standing_for(
        &self,
        profile: &Profile,
        role: &RoleId,
    ) -> Result<RoleStanding, Error> {
        let requirements = &self.role_entry(role)?.requirements;
        let targets = self.option_nodes(requirements)?;
        let holdings = self.holdings_toward(profile, &targets)?;
        Ok(self.standing(&holdings, role, requirements, &targets))
    }

    /// Where `holdings` stand against a role's requirements, without planning.
    pub fn role_standing(&self, holdings: &Holdings, role: &RoleId) -> Result<RoleStanding, Error> {
        let requirements = &self.role_entry(role)?.requirements;
        let nodes = self.option_nodes(requirements)?;
        Ok(self.standing(holdings, role, requirements, &nodes))
    }

    /// The standing of `holdings` against `requirements` (`role`'s), whose options are at
    /// `nodes` (see [`SkillGraph::option_nodes`]).
    fn standing(
        &self,
        holdings: &Holdings,
        role: &RoleId,
        requirements: &[Requirement],
        nodes: &[NodeIndex],
    ) -> RoleStanding {
        let mut statuses: Vec<(NodeIndex, RequirementStatus)> =
            Vec::with_capacity(requirements.len());
        let mut at = 0;
        for r in requirements {
            let options = &nodes[at..at + 1 + r.alternatives.len()];
            at += options.len();
            let held = requirement_held(holdings, r, options);
            let status = RequirementStatus {
                requirement: r.clone(),
                current: held.map(|(level, _)| level),
                held: held.map(|(_, skill)| skill.clone()),
            };
            statuses.push((options[0], status));
        }
        // In the role's order, as readiness is summed everywhere.
        let readiness = readiness_of(
            statuses
                .iter()
                .map(|(_, s)| (s.requirement.importance, s.requirement.level, s.current)),
        );
        statuses.sort_by_cached_key(|(node, s)| (s.requirement.importance, self.rank(*node)));
        let (mut satisfied, mut under_level, mut missing) = (vec![], vec![], vec![]);
        for (_, status) in statuses {
            match status.current {
                Some(level) if level >= status.requirement.level => satisfied.push(status),
                Some(_) => under_level.push(status),
                None => missing.push(status),
            }
        }
        RoleStanding {
            role: role.clone(),
            readiness,
            satisfied,
            under_level,
            missing,
        }
    }

    /// The plan from `holdings` that closes every unmet requirement of a role.
    pub fn gap_plan(&self, holdings: &Holdings, role: &RoleId) -> Result<LearningPlan, Error> {
        self.gap_plan_scheduled(holdings, role, Schedule::default())
    }

    /// [`gap_plan`](Self::gap_plan) within a budget and at a pace.
    pub fn gap_plan_scheduled(
        &self,
        holdings: &Holdings,
        role: &RoleId,
        schedule: Schedule,
    ) -> Result<LearningPlan, Error> {
        self.plan_from(
            holdings,
            &[Target::Role(role.clone())],
            PlanOptions::default(),
            schedule,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Importance;
    use crate::domain::graph::tests::{graph, id};
    use crate::domain::plan::tests::{lvl, role};

    #[test]
    fn a_role_gap_sorts_requirements_and_scores_readiness() {
        let mut g = graph(&["b>a", "c>a"]);
        let r = role(
            "r",
            &[
                ("a", 3, Importance::Essential),
                ("b", 3, Importance::Essential),
                ("c", 2, Importance::Optional),
            ],
        );
        g.upsert_role(r).unwrap();
        let held = Profile {
            skills: vec![(id("a"), lvl(3)), (id("b"), lvl(2))],
            role: None,
        };
        let gap = g.role_gap(&held, &RoleId::parse("r").unwrap()).unwrap();
        assert_eq!(gap.standing.satisfied.len(), 1);
        assert_eq!(gap.standing.under_level[0].requirement.skill, id("b"));
        assert_eq!(gap.standing.missing[0].requirement.skill, id("c"));
        // (3·1 + 3·0.4 + 1·0) / 7
        assert!(
            (gap.standing.readiness - 4.2 / 7.0).abs() < 1e-9,
            "{}",
            gap.standing.readiness
        );
        assert_eq!(gap.hours, 6 + 4);
        assert_eq!(gap.hours, gap.plan.total_hours);
    }

    /// A role needing one of `p`, `q` or `r` at 3 (essential) and `x` at 2 (optional); `q`
    /// needs `base`, so `p` and `r` are the cheap options.
    fn one_of_world() -> SkillGraph {
        let mut g = graph(&["q>base"]);
        for s in ["p", "r", "x"] {
            g.upsert_skill(crate::domain::graph::tests::skill(s, "c", 10))
                .unwrap();
        }
        let mut r = role(
            "r",
            &[
                ("p", 3, Importance::Essential),
                ("x", 2, Importance::Optional),
            ],
        );
        r.requirements[0].alternatives = vec![id("r"), id("q")];
        g.upsert_role(r).unwrap();
        g
    }

    fn holding(skills: &[(&str, i64)]) -> Profile {
        Profile {
            skills: skills.iter().map(|&(s, l)| (id(s), lvl(l))).collect(),
            role: None,
        }
    }

    #[test]
    fn a_one_of_requirement_is_met_by_an_alternative_and_reported_once() {
        let g = one_of_world();
        let rid = RoleId::parse("r").unwrap();
        let gap = g.role_gap(&holding(&[("q", 3)]), &rid).unwrap();
        let met = &gap.standing.satisfied;
        assert_eq!(met.len(), 1);
        assert_eq!(
            met[0].requirement.skill,
            id("p"),
            "listed under its preferred skill"
        );
        assert_eq!(
            met[0].requirement.alternatives,
            [id("q"), id("r")],
            "sorted"
        );
        assert_eq!(
            (met[0].current, met[0].held.clone()),
            (Some(lvl(3)), Some(id("q")))
        );
        assert!(gap.standing.under_level.is_empty());
        assert_eq!(gap.standing.missing.len(), 1, "only x");
        // Only x is left to learn: none of the other options.
        let steps: Vec<&str> = gap.plan.steps.iter().map(|s| s.skill.as_str()).collect();
        assert_eq!(steps, ["x"]);
        // The cheap standing agrees.
        assert_eq!(
            g.role_standing_for(&holding(&[("q", 3)]), &rid).unwrap(),
            gap.standing
        );
    }

    #[test]
    fn readiness_counts_the_option_closest_to_done() {
        let g = one_of_world();
        let rid = RoleId::parse("r").unwrap();
        // p at 1 and r at 2: the requirement stands at 2, under level, once.
        let gap = g.role_gap(&holding(&[("p", 1), ("r", 2)]), &rid).unwrap();
        let under = &gap.standing.under_level;
        assert_eq!(under.len(), 1);
        assert_eq!(
            (under[0].current, under[0].held.clone()),
            (Some(lvl(2)), Some(id("r")))
        );
        // (3·0.4 + 1·0) / 4
        assert!((gap.standing.readiness - 1.2 / 4.0).abs() < 1e-9);
        // Tied levels name the preferred skill.
        let tied = g.role_gap(&holding(&[("r", 2), ("p", 2)]), &rid).unwrap();
        assert_eq!(tied.standing.under_level[0].held, Some(id("p")));
    }

    #[test]
    fn an_unmet_one_of_requirement_is_planned_through_one_option_that_lists_the_others() {
        let g = one_of_world();
        let rid = RoleId::parse("r").unwrap();
        // Nothing held: p and r cost 10 h, q 10 h plus base; p wins on id.
        let plan = g.role_gap(&Profile::default(), &rid).unwrap().plan;
        let steps: Vec<(&str, Vec<&str>)> = plan
            .steps
            .iter()
            .map(|s| {
                (
                    s.skill.as_str(),
                    s.alternatives.iter().map(|a| a.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(steps, [("p", vec!["q", "r"]), ("x", vec![])]);
        assert_eq!(
            plan.steps[0].serves,
            [crate::domain::TargetRef::Role(rid.clone())]
        );
        // An option held below the level is raised rather than another learned from nothing.
        let plan = g.role_gap(&holding(&[("r", 2)]), &rid).unwrap().plan;
        let raised = &plan.steps[0];
        assert_eq!(
            (raised.skill.as_str(), raised.from_level),
            ("r", Some(lvl(2)))
        );
        assert_eq!(raised.alternatives, [id("p"), id("q")]);
        assert_eq!(plan.total_hours, 6 + 4);
    }

    #[test]
    fn a_budget_counts_a_one_of_requirement_at_its_best_option() {
        let g = one_of_world();
        let rid = RoleId::parse("r").unwrap();
        let profile = holding(&[("q", 1)]);
        let schedule = Schedule {
            budget_hours: Some(0),
            hours_per_week: None,
        };
        let gap = g.role_gap_scheduled(&profile, &rid, schedule).unwrap();
        let budget = gap.plan.budget.as_ref().unwrap();
        assert_eq!(budget.readiness, gap.standing.readiness);
        assert!(gap.standing.readiness > 0.0, "q at 1 counts");
        let all = Schedule {
            budget_hours: Some(1_000),
            hours_per_week: None,
        };
        let gap = g.role_gap_scheduled(&profile, &rid, all).unwrap();
        assert_eq!(gap.plan.budget.unwrap().readiness_within_budget, 1.0);
    }
}
