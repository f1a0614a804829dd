//! Role matching and readiness: how far a profile is from each role, and which roles are
//! nearest. Readiness is defined in the `plan` module docs; role gaps and standings, which
//! need a plan, stay there.

use serde::Serialize;

use super::graph::SkillGraph;
use super::plan::{ESSENTIAL_WEIGHT, Holdings};
use super::{Error, Importance, Level, Profile, Requirement, RoleId};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleMatch {
    pub role: RoleId,
    pub readiness: f64,
    pub hours: u64,
    pub missing_essential: u32,
}

/// One requirement's part of readiness: (weighted share of its effort done, its weight).
fn readiness_share(r: &Requirement, held: Option<Level>) -> (f64, f64) {
    let weight = match r.importance {
        Importance::Essential => ESSENTIAL_WEIGHT,
        Importance::Optional => 1.0,
    };
    let held = held.map(|l| l.min(r.level));
    let share =
        f64::from(Level::effort_share(held)) / f64::from(Level::effort_share(Some(r.level)));
    (weight * share, weight)
}

impl SkillGraph {
    pub(super) fn readiness(
        &self,
        holdings: &Holdings,
        requirements: &[Requirement],
    ) -> Result<f64, Error> {
        let (mut done, mut total) = (0.0, 0.0);
        for r in requirements {
            let (d, w) = readiness_share(r, holdings.level(self.entry(&r.skill)?.node));
            done += d;
            total += w;
        }
        Ok(if total == 0.0 { 1.0 } else { done / total })
    }

    /// Every role ranked by readiness for `profile` (best first), ties broken by the hours to
    /// close the gap, then by id; at most `limit`. The profile's own current role is left out:
    /// the question is where one could go next.
    ///
    /// Readiness is cheap and computed for every role. Hours need a plan, so they are computed
    /// only where they can change the answer: for the roles that make the cut on readiness, and
    /// among the roles tied at the cut, in order of a lower bound (the hours of the unmet
    /// requirements themselves, which every plan includes) until no remaining bound can beat
    /// the hours already found. Exact, and a few plans instead of thousands.
    pub fn match_roles(&self, profile: &Profile, limit: usize) -> Result<Vec<RoleMatch>, Error> {
        let holdings = self.holdings(profile)?;
        let mut scored: Vec<(f64, u32, u64, &RoleId)> = Vec::new();
        for role in self.roles() {
            if Some(&role.id) == holdings.role.as_ref() {
                continue;
            }
            // One pass and one lookup per requirement: this loop runs over every requirement
            // of every role, so it is the cost of matching.
            let (mut missing_essential, mut bound) = (0u32, 0u64);
            let (mut done, mut total) = (0.0, 0.0);
            for r in &role.requirements {
                let entry = self.entry(&r.skill)?;
                let held = holdings.level(entry.node);
                if held.is_none() && r.importance == Importance::Essential {
                    missing_essential += 1;
                }
                bound += u64::from(Level::hours_between(entry.skill.hours, held, r.level));
                let (d, w) = readiness_share(r, held);
                done += d;
                total += w;
            }
            let readiness = if total == 0.0 { 1.0 } else { done / total };
            scored.push((readiness, missing_essential, bound, &role.id));
        }
        if limit == 0 || scored.is_empty() {
            return Ok(vec![]);
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.3.cmp(b.3)));
        let cut = scored[limit.min(scored.len()) - 1].0;
        let hours_of = |role: &RoleId| -> Result<u64, Error> {
            Ok(self.gap_plan(&holdings, role)?.total_hours)
        };
        let matched =
            |(readiness, missing_essential, _, role): (f64, u32, u64, &RoleId), hours| RoleMatch {
                role: role.clone(),
                readiness,
                hours,
                missing_essential,
            };
        let mut matches = Vec::with_capacity(limit);
        let mut tied = Vec::new();
        for s in scored.into_iter().take_while(|s| s.0 >= cut) {
            if s.0 > cut {
                matches.push(matched(s, hours_of(s.3)?));
            } else {
                tied.push(s);
            }
        }
        // Branch and bound over the roles tied at the cut.
        let wanted = limit - matches.len();
        tied.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.3.cmp(b.3)));
        let mut best: Vec<RoleMatch> = Vec::new();
        for s in tied {
            let worst_kept = best.iter().map(|m| (m.hours, m.role.clone())).max();
            if best.len() == wanted && worst_kept.as_ref().is_some_and(|(h, _)| s.2 > *h) {
                break;
            }
            let hours = hours_of(s.3)?;
            best.push(matched(s, hours));
            if best.len() > wanted {
                best.sort_by(|a, b| a.hours.cmp(&b.hours).then_with(|| a.role.cmp(&b.role)));
                best.truncate(wanted);
            }
        }
        matches.extend(best);
        matches.sort_by(|a, b| {
            b.readiness
                .total_cmp(&a.readiness)
                .then(a.hours.cmp(&b.hours))
                .then_with(|| a.role.cmp(&b.role))
        });
        matches.truncate(limit);
        Ok(matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::domain::graph::tests::{graph, id, skill};

    fn lvl(v: i64) -> Level {
        Level::new(v).unwrap()
    }

    fn role(rid: &str, reqs: &[(&str, i64, Importance)]) -> Role {
        Role {
            id: RoleId::parse(rid).unwrap(),
            name: rid.into(),
            description: None,
            requirements: reqs
                .iter()
                .map(|&(s, l, importance)| Requirement {
                    skill: id(s),
                    level: lvl(l),
                    importance,
                })
                .collect(),
            external_id: None,
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
            let mut brute: Vec<RoleMatch> = g
                .roles()
                .filter(|r| Some(&r.id) != profile.role.as_ref())
                .map(|r| {
                    let gap = g.role_gap(&profile, &r.id).unwrap();
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
            brute.sort_by(|a, b| {
                b.readiness
                    .total_cmp(&a.readiness)
                    .then(a.hours.cmp(&b.hours))
                    .then_with(|| a.role.cmp(&b.role))
            });
            for limit in [1, 5, 39] {
                assert_eq!(g.match_roles(&profile, limit).unwrap(), brute[..limit]);
            }
        }
    }
}
