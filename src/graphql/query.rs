//! Read-only queries, split by area.

use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};

use super::error::{ApiError, OrApi};
use super::inputs::{ProfileInput, TargetInput, category_id, role_id, skill_id};
use super::types::{
    CategoryView, GraphStatsView, LearningPathView, LevelInfo, RoleGapView, RoleMatchView,
    RoleView, SkillView, list_cost, page_cost,
};
use super::{compute, graph, limits};
use crate::domain::{Level, PlanOptions, Role, Skill};

/// A page of a ranked list, with offsets as cursors.
fn page<T, N>(
    items: &[T],
    first: i32,
    after: Option<String>,
    max: usize,
    node: impl Fn(&T) -> N,
) -> async_graphql::Result<Connection<usize, N>>
where
    N: async_graphql::OutputType,
{
    let first = usize::try_from(first)
        .map_err(|_| ApiError::InvalidInput("first must not be negative".into()))
        .api()?;
    if first > max {
        return Err(ApiError::Limit {
            name: "maxPage",
            what: "first",
            limit: max,
            got: first,
        }
        .into_graphql());
    }
    let start = match after {
        None => 0,
        Some(cursor) => cursor
            .parse::<usize>()
            .map(|c| c.saturating_add(1))
            .map_err(|_| ApiError::InvalidInput(format!("{cursor:?} is not a cursor of this list")))
            .api()?,
    };
    let start = start.min(items.len());
    let end = (start + first).min(items.len());
    let mut connection = Connection::new(start > 0, end < items.len());
    connection
        .edges
        .extend((start..end).map(|i| Edge::new(i, node(&items[i]))));
    Ok(connection)
}

/// Runs a search inline when it asks for a page near the top: the index answers those in
/// microseconds (ESCO: 1-30 µs for ten hits), less than the hand-off to the blocking pool
/// costs. Deep pages rank thousands of hits (about a millisecond on 100k skills) and go to
/// the pool, like other graph work that can take that long.
async fn search<T: Send + 'static>(
    need: usize,
    work: impl FnOnce() -> T + Send + 'static,
) -> async_graphql::Result<T> {
    const INLINE_HITS: usize = 1_000;
    if need <= INLINE_HITS {
        Ok(work())
    } else {
        compute(work).await
    }
}

#[derive(Default)]
pub struct SkillQuery;

#[Object]
impl SkillQuery {
    /// One skill by id; null when there is none.
    async fn skill(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<SkillView>> {
        let id = skill_id(&id).api()?;
        Ok(SkillView::of(&graph(ctx), &id))
    }

    /// Skills matching `query` as a person types it, case and accents folded: the exact name
    /// first, then names starting with it, then aliases, then names whose words start with
    /// its words (the last one typed as a prefix), then substrings, then names within one
    /// typo per word of five or more letters; ties by the shorter name, then the skill more
    /// roles require. Optionally within a category and its sub-categories. Without a query:
    /// all skills by category order, then id.
    #[graphql(complexity = "page_cost(first, 20, child_complexity)")]
    async fn skills(
        &self,
        ctx: &Context<'_>,
        query: Option<String>,
        category: Option<ID>,
        #[graphql(default_with = "Some(20)")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<usize, SkillView>> {
        let first = first.unwrap_or(20);
        let graph = graph(ctx);
        let category = category.as_ref().map(category_id).transpose().api()?;
        let need = super::page_need(first, after.as_deref());
        let hits = search(need, {
            let graph = graph.clone();
            move || -> Vec<Arc<Skill>> {
                let query = query.as_deref().unwrap_or("");
                let hits = graph.search_skills(query, category.as_ref(), need);
                hits.into_iter().cloned().collect()
            }
        })
        .await?;
        page(&hits, first, after, limits(ctx).max_page, |s| SkillView {
            graph: graph.clone(),
            skill: (*s).clone(),
        })
    }

    /// All categories in display order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn categories(&self, ctx: &Context<'_>) -> Vec<CategoryView> {
        let graph = graph(ctx);
        graph
            .categories()
            .into_iter()
            .map(|c| CategoryView {
                graph: graph.clone(),
                category: c.clone(),
            })
            .collect()
    }

    /// The proficiency levels and how a skill's hours scale with them.
    async fn levels(&self) -> Vec<LevelInfo> {
        (1..=5)
            .map(|v| {
                let level = Level::new(v).expect("1..=5 are levels");
                LevelInfo {
                    level: v as i32,
                    name: level.name().to_owned(),
                    effort_percent: Level::effort_share(Some(level)) as i32,
                }
            })
            .collect()
    }
}

#[derive(Default)]
pub struct RoleQuery;

#[Object]
impl RoleQuery {
    /// One role by id; null when there is none.
    async fn role(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<RoleView>> {
        let id = role_id(&id).api()?;
        Ok(RoleView::of(&graph(ctx), id.as_str()))
    }

    /// Roles matching `query` by name, ranked as `skills` ranks skills; without a query, all
    /// roles by id.
    #[graphql(complexity = "page_cost(first, 20, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        query: Option<String>,
        #[graphql(default_with = "Some(20)")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<usize, RoleView>> {
        let first = first.unwrap_or(20);
        let graph = graph(ctx);
        let need = super::page_need(first, after.as_deref());
        let hits = search(need, {
            let graph = graph.clone();
            move || -> Vec<Arc<Role>> {
                let hits = graph.search_roles(query.as_deref().unwrap_or(""), need);
                hits.into_iter().cloned().collect()
            }
        })
        .await?;
        page(&hits, first, after, limits(ctx).max_page, |r| RoleView {
            graph: graph.clone(),
            role: (*r).clone(),
        })
    }
}

#[derive(Default)]
pub struct PlanQuery;

fn check_profile(ctx: &Context<'_>, profile: &ProfileInput) -> Result<(), ApiError> {
    let limits = limits(ctx);
    limits.check(
        "maxProfileSkills",
        "profile skills",
        profile.size(),
        limits.max_profile_skills,
    )
}

#[Object]
impl PlanQuery {
    /// The ordered, staged plan from what a person knows (`from`) to target skills and roles.
    /// Prerequisites of held skills count as held; recommended prerequisites join only when
    /// `includeRecommended`; optional role requirements unless `includeOptional` is false.
    async fn learning_path(
        &self,
        ctx: &Context<'_>,
        from: Option<ProfileInput>,
        to: TargetInput,
        #[graphql(default_with = "Some(false)")] include_recommended: Option<bool>,
        #[graphql(default_with = "Some(true)")] include_optional: Option<bool>,
    ) -> async_graphql::Result<LearningPathView> {
        let from = from.unwrap_or_default();
        check_profile(ctx, &from).api()?;
        let l = limits(ctx);
        l.check("maxTargets", "targets", to.size(), l.max_targets)
            .api()?;
        let graph = graph(ctx);
        let options = PlanOptions {
            include_recommended: include_recommended.unwrap_or(false),
            include_optional: include_optional.unwrap_or(true),
        };
        let (profile, targets) = (from.parse().api()?, to.parse().api()?);
        let plan = compute({
            let graph = graph.clone();
            move || graph.plan(&profile, &targets, options)
        })
        .await?
        .api()?;
        Ok(LearningPathView {
            graph,
            plan: Arc::new(plan),
        })
    }

    /// The gap between a profile and a role: what is satisfied, under level and missing, a
    /// readiness score, and the plan that closes the gap.
    async fn role_gap(
        &self,
        ctx: &Context<'_>,
        from: ProfileInput,
        to: ID,
    ) -> async_graphql::Result<RoleGapView> {
        check_profile(ctx, &from).api()?;
        let graph = graph(ctx);
        let size = from.size();
        let (profile, role) = (from.parse().api()?, role_id(&to).api()?);
        // The standing is one look per requirement, after the profile's holdings: for the
        // profiles people have (tens of skills: tens of microseconds on ESCO-size graphs)
        // cheaper than handing it to another thread; a large profile's closure can take
        // milliseconds and goes to the pool. The plan (most of the cost of a gap) waits
        // until `hours` or `path` asks for it.
        const INLINE_PROFILE: usize = 64;
        let holdings = if size <= INLINE_PROFILE {
            graph.holdings(&profile).api()?
        } else {
            let (graph, profile) = (graph.clone(), profile.clone());
            compute(move || graph.holdings(&profile)).await?.api()?
        };
        let standing = graph.role_standing(&holdings, &role).api()?;
        Ok(RoleGapView::new(graph, Arc::new(holdings), standing))
    }

    /// Roles ranked by readiness for a profile (best first), ties broken by the hours to close
    /// the gap. The profile's own current role is left out.
    #[graphql(complexity = "page_cost(first, 10, child_complexity)")]
    async fn match_roles(
        &self,
        ctx: &Context<'_>,
        profile: ProfileInput,
        #[graphql(default_with = "Some(10)")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<RoleMatchView>> {
        check_profile(ctx, &profile).api()?;
        let first = first.unwrap_or(10);
        let l = limits(ctx);
        let first = usize::try_from(first)
            .map_err(|_| ApiError::InvalidInput("first must not be negative".into()))
            .api()?;
        l.check("maxPage", "first", first, l.max_page).api()?;
        let graph = graph(ctx);
        let profile = profile.parse().api()?;
        let matches = compute({
            let graph = graph.clone();
            move || graph.match_roles(&profile, first)
        })
        .await?
        .api()?;
        Ok(matches
            .into_iter()
            .map(|matched| RoleMatchView {
                graph: graph.clone(),
                matched,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct GraphQuery;

#[Object]
impl GraphQuery {
    /// Counts and the current revision.
    async fn stats(&self, ctx: &Context<'_>) -> GraphStatsView {
        GraphStatsView::of(&graph(ctx))
    }
}
