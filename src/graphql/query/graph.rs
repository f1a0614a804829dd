//! The graph as a whole: its size and revision.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use async_graphql::{Context, Object, SimpleObject};

use crate::domain::SkillGraph;
use crate::graphql::args::int;
use crate::graphql::graph;

#[derive(Default)]
pub struct GraphQuery;

#[Object]
impl GraphQuery {
    /// Counts and the current revision.
    async fn stats(&self, ctx: &Context<'_>) -> GraphStatsView {
        GraphStatsView::of(&graph(ctx))
    }
}

/// The size of the graph and its current revision.
#[derive(SimpleObject)]
#[graphql(name = "GraphStats")]
pub struct GraphStatsView {
    /// How many skills there are.
    pub skills: i32,
    /// How many roles there are.
    pub roles: i32,
    /// How many skill categories there are, at every depth.
    pub categories: i32,
    /// How many role categories there are, at every depth.
    pub role_categories: i32,
    /// How many prerequisite edges (required and recommended) there are.
    pub prerequisites: i32,
    /// How many "one of" prerequisite groups there are, over all skills.
    pub prerequisite_groups: i32,
    /// How many role requirements there are, over all roles.
    pub requirements: i32,
    /// Increases with every durable write.
    pub revision: i64,
    /// Credit lines the licences of imported taxonomies (ESCO, O*NET) ask for.
    pub attribution: Vec<String>,
}

impl GraphStatsView {
    pub fn of(graph: &SkillGraph) -> Self {
        let s = graph.stats();
        GraphStatsView {
            attribution: crate::import::attributions(graph)
                .into_iter()
                .map(String::from)
                .collect(),
            skills: int(s.skills as u64),
            roles: int(s.roles as u64),
            categories: int(s.categories as u64),
            role_categories: int(s.role_categories as u64),
            prerequisites: int(s.prerequisites as u64),
            prerequisite_groups: int(s.prerequisite_groups as u64),
            requirements: int(s.requirements as u64),
            revision: i64::try_from(s.revision).unwrap_or(i64::MAX),
        }
    }
}
