//! Apollo Federation's entity lookups, merged into `Query` only on a federated server
//! (`--federation`): `Skill` and `Role` are entities keyed by `id`, so another subgraph can
//! return `{__typename: "Skill", id: "python"}` and a gateway asks this server for the rest
//! through `_entities(representations:)`.
//!
//! An id this revision does not hold answers `null` in its place, as federation expects (the
//! other subgraph may know a skill this graph no longer has); the other entities of the same
//! request still answer. How many representations one request may send, their shape and what
//! they cost are checked before anything runs (`exec::entities`).
//!
//! Depends on the views of `graphql`; never on another part of `Query`.

use async_graphql::{Context, ID, Object};

use crate::graphql::graph;
use crate::graphql::views::{RoleView, SkillView};

#[derive(Default)]
pub struct EntityQuery;

#[Object]
impl EntityQuery {
    /// A skill by its key, `{__typename: "Skill", id}`.
    #[graphql(entity)]
    async fn skill_entity(&self, ctx: &Context<'_>, id: ID) -> Option<SkillView> {
        let graph = graph(ctx);
        let skill = graph.skill(id.as_str())?.clone();
        Some(SkillView { graph, skill })
    }

    /// A role by its key, `{__typename: "Role", id}`.
    #[graphql(entity)]
    async fn role_entity(&self, ctx: &Context<'_>, id: ID) -> Option<RoleView> {
        RoleView::of(&graph(ctx), id.as_str())
    }
}
