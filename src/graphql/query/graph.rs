//! The graph as a whole: its size and revision.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use std::sync::Arc;

use async_graphql::{Context, Object};

use crate::domain::{CategoryKind, SkillGraph};
use crate::graphql::args::int;
use crate::graphql::graph;

#[derive(Default)]
pub struct GraphQuery;

#[Object]
impl GraphQuery {
    /// Counts and the current revision.
    async fn stats(&self, ctx: &Context<'_>) -> GraphStatsView {
        GraphStatsView::of(graph(ctx))
    }
}

// Each count is computed only when asked: some walk every role or group (`requirements` sums
// 124,000 of them on ESCO), and a client polling `stats { skills }` or `stats { revision }`
// should not pay for them.
pub struct GraphStatsView(Arc<SkillGraph>);

impl GraphStatsView {
    pub fn of(graph: Arc<SkillGraph>) -> Self {
        GraphStatsView(graph)
    }
}

/// The size of the graph and its current revision.
#[Object(name = "GraphStats")]
impl GraphStatsView {
    /// How many skills there are.
    async fn skills(&self) -> i32 {
        int(self.0.skill_count() as u64)
    }
    /// How many roles there are.
    async fn roles(&self) -> i32 {
        int(self.0.role_count() as u64)
    }
    /// How many skill categories there are, at every depth.
    async fn categories(&self) -> i32 {
        int(self.0.category_count(CategoryKind::Skill) as u64)
    }
    /// How many role categories there are, at every depth.
    async fn role_categories(&self) -> i32 {
        int(self.0.category_count(CategoryKind::Role) as u64)
    }
    /// How many prerequisite edges (required and recommended) there are.
    async fn prerequisites(&self) -> i32 {
        int(self.0.prerequisite_count() as u64)
    }
    /// How many "one of" prerequisite groups there are, over all skills.
    async fn prerequisite_groups(&self) -> i32 {
        int(self.0.group_count() as u64)
    }
    /// How many role requirements there are, over all roles.
    async fn requirements(&self) -> i32 {
        int(self.0.requirement_count() as u64)
    }
    /// Increases with every durable write.
    async fn revision(&self) -> i64 {
        i64::try_from(self.0.revision()).unwrap_or(i64::MAX)
    }
    /// Credit lines the licences of imported taxonomies (ESCO, O*NET) ask for.
    async fn attribution(&self) -> Vec<String> {
        crate::import::attributions(&self.0)
            .into_iter()
            .map(String::from)
            .collect()
    }
}
