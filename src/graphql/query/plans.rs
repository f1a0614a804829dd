//! Questions about a profile: the learning path to targets, the gap to a role, the roles that
//! fit, what to learn next. Each checks its arguments (`args`), asks the domain, and wraps the
//! answer in a view.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use crate::domain::{PlanOptions, RoleId};
use crate::graphql::args::{
    check_profile, check_targets, check_text, first_of, page_cost, schedule,
};
use crate::graphql::enums::RoleMatchOrder;
use crate::graphql::error::OrApi;
use crate::graphql::inputs::{ProfileInput, TargetInput, role_id};
use crate::graphql::traced::Work;
use crate::graphql::views::{LearningPathView, RoleGapView, RoleMatchView, SkillSuggestionView};
use crate::graphql::{compute, compute_in, graph};

#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// The ordered, staged plan from what a person knows (`from`) to target skills and roles.
    /// Prerequisites of held skills count as held; recommended prerequisites join only when
    /// `includeRecommended`; optional role requirements unless `includeOptional` is false.
    #[allow(clippy::too_many_arguments)] // each is an argument of the field
    async fn learning_path(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the person knows now; null: nothing.")] from: Option<ProfileInput>,
        #[graphql(desc = "The skills (at levels) and roles to reach; at least one.")]
        to: TargetInput,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also learn RECOMMENDED prerequisites, not only REQUIRED ones; null: false."
        )]
        include_recommended: Option<bool>,
        #[graphql(
            default_with = "Some(true)",
            desc = "Include the OPTIONAL requirements of target roles, not only ESSENTIAL \
                    ones; null: true."
        )]
        include_optional: Option<bool>,
        #[graphql(
            desc = "Keep only the steps that fit this many hours (0 or more): whole \
                          requirements, essential before optional, most readiness per hour \
                          first, every kept step's prerequisites kept; the rest is `deferred`. \
                          Null: no budget."
        )]
        budget_hours: Option<i32>,
        #[graphql(
            desc = "Study hours a week (above 0), one step after another: the plan \
                          gains `weeks` and each step `startWeek`/`endWeek`. Null: no pace."
        )]
        hours_per_week: Option<i32>,
    ) -> async_graphql::Result<LearningPathView> {
        let from = from.unwrap_or_default();
        check_profile(ctx, &from).api()?;
        let schedule = schedule(budget_hours, hours_per_week).api()?;
        check_targets(ctx, "targets", to.size()).api()?;
        let graph = graph(ctx);
        let options = PlanOptions {
            include_recommended: include_recommended.unwrap_or(false),
            include_optional: include_optional.unwrap_or(true),
        };
        let span = Work::Plan.span(from.size() + to.size());
        let (profile, targets) = (from.parse_with_text().api()?, to.parse().api()?);
        let plan = compute_in(span, {
            let graph = graph.clone();
            move || graph.plan_scheduled(&profile.on(&graph), &targets, options, schedule)
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
        #[graphql(desc = "What the person knows now.")] from: ProfileInput,
        #[graphql(desc = "The id of the role to measure against.")] to: ID,
        #[graphql(
            desc = "Keep only the steps that fit this many hours (0 or more): whole \
                          requirements, essential before optional, most readiness per hour \
                          first, every kept step's prerequisites kept; the rest is `deferred`. \
                          Null: no budget."
        )]
        budget_hours: Option<i32>,
        #[graphql(
            desc = "Study hours a week (above 0), one step after another: the plan \
                          gains `weeks` and each step `startWeek`/`endWeek`. Null: no pace."
        )]
        hours_per_week: Option<i32>,
    ) -> async_graphql::Result<RoleGapView> {
        check_profile(ctx, &from).api()?;
        let schedule = schedule(budget_hours, hours_per_week).api()?;
        let graph = graph(ctx);
        let size = from.size();
        let (profile, role) = (from.parse_with_text().api()?, role_id(&to).api()?);
        // The standing walks from the profile only toward the role's requirements: for the
        // profiles people have (tens of skills) cheaper than handing it to another thread; a
        // large profile can take milliseconds and goes to the pool. The plan (most of the cost
        // of a gap) waits until `hours` or `path` asks for it. Reading a text takes
        // milliseconds: to the pool.
        const INLINE_PROFILE: usize = 64;
        let span = Work::Gap.span(size);
        let profile = if size <= INLINE_PROFILE && !profile.has_text() {
            span.in_scope(|| profile.on(&graph))
        } else {
            let graph = graph.clone();
            compute_in(span.clone(), move || profile.on(&graph)).await?
        };
        let standing = if size <= INLINE_PROFILE {
            span.in_scope(|| graph.role_standing_for(&profile, &role))
                .api()?
        } else {
            let (graph, profile, role) = (graph.clone(), profile.clone(), role.clone());
            compute_in(span, move || graph.role_standing_for(&profile, &role))
                .await?
                .api()?
        };
        Ok(RoleGapView::new(graph, profile, standing).with_schedule(schedule))
    }

    /// Roles ranked for a profile, best first: by readiness (ties broken by the hours to
    /// close the gap), or with `orderBy: HOURS` by the hours to close the gap (the role
    /// reached fastest first). All roles, or only those `among`. The profile's own current
    /// role is left out.
    #[graphql(complexity = "page_cost(first, 10, child_complexity)")]
    async fn match_roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the person knows now.")] profile: ProfileInput,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many roles, best first (0 to `maxPage`, 100 by default); null: 10."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "Rank only these roles (at most `maxTargets`, 50 by default; an \
                          unknown id is NOT_FOUND, a repeated one counts once); null: every \
                          role."
        )]
        among: Option<Vec<ID>>,
        #[graphql(
            default_with = "Some(RoleMatchOrder::Readiness)",
            desc = "READINESS (highest first) or HOURS (fewest hours to close the gap \
                          first); null: READINESS."
        )]
        order_by: Option<RoleMatchOrder>,
        #[graphql(desc = "A job ad's title, read with `profile.text` as the ad: with \
                          OVERLAP, the role it names (as `normalizeTitles` finds it, at \
                          confidence 0.5 or more) comes first. Null: the first non-blank \
                          line of `profile.text`. Other orders ignore it.")]
        title: Option<String>,
    ) -> async_graphql::Result<Vec<RoleMatchView>> {
        check_profile(ctx, &profile).api()?;
        if let Some(title) = &title {
            check_text(ctx, title).api()?;
        }
        let title = title.or_else(|| {
            let text = profile.text.as_deref()?;
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(String::from)
        });
        let first = first_of(ctx, first)?;
        if let Some(among) = &among {
            check_targets(ctx, "among", among.len()).api()?;
        }
        let among: Option<Vec<RoleId>> = among
            .map(|ids| ids.iter().map(role_id).collect::<Result<_, _>>())
            .transpose()
            .api()?;
        let order = order_by.unwrap_or(RoleMatchOrder::Readiness).into();
        let graph = graph(ctx);
        let span = Work::Match.span(profile.size());
        let profile = profile.parse_with_text().api()?;
        let matches = compute_in(span, {
            let graph = graph.clone();
            move || {
                graph.match_roles_titled(
                    &profile.on(&graph),
                    among.as_deref(),
                    order,
                    first,
                    title.as_deref(),
                )
            }
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

    /// What to learn next: the skills the person can start now (every required prerequisite
    /// held at the level it is needed at), ranked by what they open up for the time they
    /// take. Without targets, for a learner exploring: every skill startable at its next
    /// level, counted against every role. With targets, the first steps of the plan to them.
    /// See "What to learn next" in the README.
    #[graphql(complexity = "page_cost(first, 10, child_complexity)")]
    async fn next_skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the person knows now.")] profile: ProfileInput,
        #[graphql(
            desc = "The skills (at levels) and roles to head for: only the first steps \
                          of the plan to them are suggested, and `roles` lists the target \
                          roles. Null or empty: explore."
        )]
        targets: Option<TargetInput>,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many suggestions, best first (0 to `maxPage`, 100 by default); null: \
                          10."
        )]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<SkillSuggestionView>> {
        check_profile(ctx, &profile).api()?;
        let first = first_of(ctx, first)?;
        let targets = match targets {
            Some(to) => {
                check_targets(ctx, "targets", to.size()).api()?;
                to.parse().api()?
            }
            None => vec![],
        };
        let graph = graph(ctx);
        let profile = profile.parse_with_text().api()?;
        let suggestions = compute({
            let graph = graph.clone();
            move || graph.next_skills(&profile.on(&graph), &targets, first)
        })
        .await?
        .api()?;
        Ok(suggestions
            .into_iter()
            .map(|suggestion| SkillSuggestionView {
                graph: graph.clone(),
                suggestion,
            })
            .collect())
    }
}
