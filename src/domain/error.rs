//! The domain's one error type: every rule the graph enforces has a variant here.

use super::{CategoryId, RoleId, SkillId};

/// Why the domain refused a question or a change.
///
/// Messages are written for the person who sent the input: they name the ids involved and, for
/// a cycle, the whole cycle. Callers map variants to stable codes; the text may improve freely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("invalid {kind} id {id:?}: {reason}")]
    InvalidId {
        kind: &'static str,
        id: String,
        reason: String,
    },

    #[error("level {0} is outside 1..=5")]
    InvalidLevel(i64),

    #[error("{0}")]
    InvalidInput(String),

    #[error("no skill with id \"{0}\"")]
    UnknownSkill(SkillId),

    #[error("no role with id \"{0}\"")]
    UnknownRole(RoleId),

    #[error("no category with id \"{0}\"")]
    UnknownCategory(CategoryId),

    #[error("skill \"{skill}\" does not require \"{requires}\"")]
    UnknownPrerequisite { skill: SkillId, requires: SkillId },

    #[error("skill \"{skill}\" has no \"one of\" group of {}", .options.join(", "))]
    UnknownGroup {
        skill: SkillId,
        options: Vec<String>,
    },

    #[error("role \"{role}\" has no requirement for skill \"{skill}\"")]
    UnknownRequirement { role: RoleId, skill: SkillId },

    #[error("a {kind} with id {id:?} already exists")]
    AlreadyExists { kind: &'static str, id: String },

    #[error("skill \"{0}\" cannot require itself")]
    SelfPrerequisite(SkillId),

    /// Adding the edge would close this cycle; the first and last ids are the same.
    #[error("prerequisite cycle: {}", cycle_text(.0))]
    Cycle(Vec<SkillId>),

    #[error("category \"{0}\" would become its own ancestor")]
    CategoryCycle(CategoryId),

    /// A delete refused because other things still point at the target.
    #[error("{kind} {id:?} is still used by {}", .users.join(", "))]
    InUse {
        kind: &'static str,
        id: String,
        /// Who uses it, as `skill x` / `role y` / `category z`, sorted.
        users: Vec<String>,
    },
}

fn cycle_text(cycle: &[SkillId]) -> String {
    cycle
        .iter()
        .map(SkillId::as_str)
        .collect::<Vec<_>>()
        .join(" → ")
}
