//! The domain core: skills, roles, levels, the prerequisite graph and every algorithm over it.
//!
//! Pure and synchronous. It depends on std, petgraph, serde, thiserror and a few data-structure
//! crates (rustc-hash; deunicode, fst, levenshtein_automata and memchr for search), and must never
//! import tokio, axum, async-graphql or sled: storage and the API depend on this module, never
//! the reverse. petgraph is a private detail of [`SkillGraph`]; the public API speaks skill ids.

pub mod changes;
mod error;
mod extract;
mod graph;
mod holdings;
mod id;
mod model;
mod next;
mod plan;
mod readiness;
mod related;
mod roles;
mod rules;
mod scratch;
mod search;
mod similar;
mod text;
mod titles;

pub use changes::{Action, ChangeEntry, ChangeKind, Contents, Record, RecordChange};
pub use error::Error;
pub use extract::{ALIAS_WEIGHT, MENTIONED_LEVEL, Mention, SHORT_LABEL};
pub use graph::{ChangeSet, GraphStats, SkillGraph, SkillPatch};
pub use holdings::Holdings;
pub use id::{CategoryId, MAX_ID_LEN, RoleId, SkillId};
pub use model::{
    Category, CategoryKind, EdgeSpec, Follow, Importance, Level, OnDelete, Prerequisite,
    PrerequisiteGroup, PrerequisiteKind, Profile, Reach, Requirement, Resource, ResourceKind, Role,
    Skill,
};
pub use next::{ROLES_PER_SUGGESTION, RoleProgress, Suggestion};
pub use plan::{
    Budgeted, ImpliedSkill, LearningPlan, PlanOptions, Schedule, Step, Target, TargetRef,
};
pub use related::RelatedSkill;
pub use roles::gap::{RequirementStatus, RoleGap, RoleStanding};
pub use roles::{MatchOrder, RoleMatch};
pub use search::ListKey;
pub use similar::{RoleSimilarity, SharedRequirement};
pub use titles::{NOISE, TitleCandidate, TitleMatch};
