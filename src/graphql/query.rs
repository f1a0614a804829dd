//! `Query`, one part per area, merged into one root in `graphql.rs` (in this order, which is
//! the order of its fields in the schema). Each part parses and checks its arguments, asks the
//! domain or the catalog, and wraps the answer in a view; none knows another part.

mod changes;
mod entities;
mod extract;
mod graph;
mod plans;
mod roles;
mod skills;

pub(super) use changes::ChangeQuery;
pub(super) use entities::EntityQuery;
pub(super) use extract::ExtractQuery;
pub(super) use graph::GraphQuery;
pub(super) use plans::PlanQuery;
pub(super) use roles::RoleQuery;
pub(super) use skills::SkillQuery;
