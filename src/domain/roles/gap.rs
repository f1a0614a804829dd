//! Role gaps: where a profile stands against one role's requirements ([`RoleStanding`]), and
//! the plan that closes the rest ([`RoleGap`]).
//!
//! A standing is cheap: one look per requirement at the levels the holdings give, sorted
//! essential first, then by category order and id, with readiness as `readiness` defines it.
//! A gap adds the plan to every unmet requirement, a plan with the role as its only target.
//!
//! A question above plans: it reads the graph, the holdings, readiness and `plan`, and nothing
//! below it may import it. It must not depend on matching (`roles`), `next` or `similar`,
//! which ask it for gaps.

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use crate::domain::graph::SkillGraph;
use crate::domain::holdings::Holdings;
use crate::domain::plan::{LearningPlan, PlanOptions, Schedule, Target};
use crate::domain::{Error, Level, Profile, Requirement, RoleId};

/// A role requirement with the level the profile holds (`None`: not at all).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementStatus {
    pub requirement: Requirement,
    pub current: Option<Level>,
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

    /// Where `profile` stands against a role, without planning: the holdings walk goes only
    /// toward the role's requirements ([`holdings_toward`](Self::holdings_toward)), which on
    /// a large graph is a few dozen skills instead of every held skill's closure.
    pub fn role_standing_for(
        &self,
        profile: &Profile,
        role: &RoleId,
    ) -> Result<RoleStanding, Error> {
        let targets = self
            .role_entry(role)?
            .requirements
            .iter()
            .map(|r| Ok(self.entry(&r.skill)?.node))
            .collect::<Result<Vec<_>, Error>>()?;
        self.role_standing(&self.holdings_toward(profile, &targets)?, role)
    }

    /// Where `holdings` stand against a role's requirements, without planning.
    pub fn role_standing(&self, holdings: &Holdings, role: &RoleId) -> Result<RoleStanding, Error> {
        let role_data = self.role_entry(role)?;
        let mut statuses: Vec<(NodeIndex, RequirementStatus)> = role_data
            .requirements
            .iter()
            .map(|r| {
                let node = self.entry(&r.skill)?.node;
                let status = RequirementStatus {
                    requirement: r.clone(),
                    current: holdings.level(node),
                };
                Ok((node, status))
            })
            .collect::<Result<_, Error>>()?;
        statuses.sort_by_cached_key(|(node, s)| (s.requirement.importance, self.order_key(*node)));
        let (mut satisfied, mut under_level, mut missing) = (vec![], vec![], vec![]);
        for (_, status) in statuses {
            match status.current {
                Some(level) if level >= status.requirement.level => satisfied.push(status),
                Some(_) => under_level.push(status),
                None => missing.push(status),
            }
        }
        Ok(RoleStanding {
            role: role.clone(),
            readiness: self.readiness(holdings, &role_data.requirements)?,
            satisfied,
            under_level,
            missing,
        })
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
}
