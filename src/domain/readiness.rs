//! Readiness: the weighted share of a role's learning effort a profile has already done. The
//! one definition that role standings and gaps, matching, `next_skills`, similarity and plan
//! budgets share, so that they cannot drift apart.
//!
//! # The formula
//! Each requirement contributes `effort(min(held, needed)) / effort(needed)` (effort as in
//! [`Level::effort_share`]) times its [`weight`]: essentials weigh [`ESSENTIAL_WEIGHT`] and
//! optionals 1. Readiness is the sum of the contributions over the sum of the weights; a role
//! with no requirements is fully ready. Sums run in the order the requirements are given, so
//! the same requirements in the same order give the same bits wherever they are summed.
//!
//! A "one of" requirement is held at the highest level any of its options is held at: the
//! option closest to done. (The options share the requirement's level, so the highest level
//! held is the largest share done.)
//!
//! Arithmetic over levels, plus [`requirement_held`], which reads a requirement's level from
//! [`Holdings`]. It must not depend on plans or role questions: they are built on it.

use petgraph::stable_graph::NodeIndex;

use super::graph::SkillGraph;
use super::holdings::Holdings;
use super::{Error, Importance, Level, Requirement, SkillId};

/// How much more an essential requirement counts than an optional one in readiness.
pub const ESSENTIAL_WEIGHT: f64 = 3.0;

/// A requirement's weight in readiness (and, times its level, in similarity).
pub(super) fn weight(importance: Importance) -> f64 {
    match importance {
        Importance::Essential => ESSENTIAL_WEIGHT,
        Importance::Optional => 1.0,
    }
}

/// One requirement's part of readiness: (weighted share of its effort done, its weight).
pub(super) fn readiness_share(
    importance: Importance,
    level: Level,
    held: Option<Level>,
) -> (f64, f64) {
    let weight = weight(importance);
    let held = held.map(|l| l.min(level));
    let share = f64::from(Level::effort_share(held)) / f64::from(Level::effort_share(Some(level)));
    (weight * share, weight)
}

/// Readiness of requirements given as (importance, level needed, level held): the formula of
/// the module docs, summed in the order given.
pub(super) fn readiness_of(
    requirements: impl IntoIterator<Item = (Importance, Level, Option<Level>)>,
) -> f64 {
    let (mut done, mut total) = (0.0, 0.0);
    for (importance, level, held) in requirements {
        let (d, w) = readiness_share(importance, level, held);
        done += d;
        total += w;
    }
    if total == 0.0 { 1.0 } else { done / total }
}

impl SkillGraph {
    /// The nodes of `requirements`' options, requirement by requirement, each in
    /// [`Requirement::options`] order: what [`requirement_held`] reads, looked up once.
    pub(super) fn option_nodes(
        &self,
        requirements: &[Requirement],
    ) -> Result<Vec<NodeIndex>, Error> {
        requirements
            .iter()
            .flat_map(Requirement::options)
            .map(|skill| Ok(self.entry(skill)?.node))
            .collect()
    }
}

/// The level a requirement is held at, the highest of its options' (see the module docs),
/// with the option held there: the first in [`Requirement::options`] order on a tie, so the
/// preferred skill when it is one of them. `None` when no option is held. `nodes` are its
/// options' nodes, in that order (see [`SkillGraph::option_nodes`]).
pub(super) fn requirement_held<'r>(
    holdings: &Holdings,
    requirement: &'r Requirement,
    nodes: &[NodeIndex],
) -> Option<(Level, &'r SkillId)> {
    let mut best: Option<(Level, &SkillId)> = None;
    for (option, &node) in requirement.options().zip(nodes) {
        if let Some(level) = holdings.level(node)
            && best.is_none_or(|(b, _)| level > b)
        {
            best = Some((level, option));
        }
    }
    best
}
