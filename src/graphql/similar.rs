//! `Role.similar`: the roles whose requirements overlap a role's most, with the hours of a
//! move each way. The similarity is the domain's (`domain::similar`); this file checks the
//! limit and wraps the answer.

use std::sync::Arc;

use async_graphql::{Context, Object};

use super::compute;
use super::error::OrApi;
use super::query::first_within;
use super::types::{RoleRequirementView, RoleView, int};
use crate::domain::{Role, RoleSimilarity, SharedRequirement, SkillGraph};

/// The similar roles of `of`, at most `first` (refused above `maxSimilar`).
pub async fn similar(
    ctx: &Context<'_>,
    of: &RoleView,
    first: Option<i32>,
) -> async_graphql::Result<Vec<RoleSimilarityView>> {
    let first = first_within(ctx, first, 10, "maxSimilar", |l| l.max_similar)?;
    let (graph, role) = (of.graph.clone(), of.role.id.clone());
    let similar = compute({
        let graph = graph.clone();
        move || graph.similar_roles(&role, first)
    })
    .await?
    .api()?;
    Ok(similar
        .into_iter()
        .map(|similarity| RoleSimilarityView {
            graph: graph.clone(),
            of: of.role.clone(),
            similarity,
        })
        .collect())
}

pub struct RoleSimilarityView {
    graph: Arc<SkillGraph>,
    of: Arc<Role>,
    similarity: RoleSimilarity,
}

/// A role whose requirements overlap another's, and what moving between them costs.
#[Object(name = "RoleSimilarity")]
impl RoleSimilarityView {
    /// The similar role.
    async fn role(&self) -> async_graphql::Result<RoleView> {
        RoleView::referenced(&self.graph, self.similarity.role.as_str())
    }
    /// Weighted Jaccard similarity of the two roles' requirements, in (0, 1]: the sum over
    /// skills of the smaller weight over the sum of the larger, a requirement weighing its
    /// level times 3 when ESSENTIAL, 1 when OPTIONAL. The same both ways.
    async fn score(&self) -> f64 {
        self.similarity.score
    }
    /// The skills both roles require, by skill id, as each requires them.
    async fn shared(&self) -> async_graphql::Result<Vec<SharedRequirementView>> {
        let there = RoleView::referenced(&self.graph, self.similarity.role.as_str())?.role;
        Ok(self
            .similarity
            .shared
            .iter()
            .map(|shared| SharedRequirementView {
                graph: self.graph.clone(),
                here: self.of.clone(),
                there: there.clone(),
                shared: shared.clone(),
            })
            .collect())
    }
    /// Hours of the plan from holding every requirement of the role asked about to this
    /// role (as `roleGap(from: {role: …})` counts them).
    async fn hours_to(&self) -> i32 {
        int(self.similarity.hours_to)
    }
    /// Hours of the plan back: from holding every requirement of this role to the role asked
    /// about. Not the same as `hoursTo`: the way up costs more than the way down.
    async fn hours_from(&self) -> i32 {
        int(self.similarity.hours_from)
    }
}

pub struct SharedRequirementView {
    graph: Arc<SkillGraph>,
    here: Arc<Role>,
    there: Arc<Role>,
    shared: SharedRequirement,
}

/// A skill two roles both require, with each role's requirement.
#[Object(name = "SharedRequirement")]
impl SharedRequirementView {
    /// The requirement of the role `similar` was asked on.
    async fn here(&self) -> RoleRequirementView {
        RoleRequirementView {
            graph: self.graph.clone(),
            role: self.here.clone(),
            requirement: self.shared.here.clone(),
        }
    }
    /// The requirement of the similar role.
    async fn there(&self) -> RoleRequirementView {
        RoleRequirementView {
            graph: self.graph.clone(),
            role: self.there.clone(),
            requirement: self.shared.there.clone(),
        }
    }
}
