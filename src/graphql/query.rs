//! Read-only queries, split by area.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};

use super::args::{check_profile, check_targets, first_of, int, list_cost, page_cost, schedule};
use super::enums::RoleMatchOrder;
use super::error::OrApi;
use super::inputs::{ProfileInput, TargetInput, category_id, role_id, skill_id};
use super::paging::{self, Args, ListId, Listed, Page, Window};
use super::views::{
    CategoryView, LearningPathView, RoleGapView, RoleMatchView, RoleView, SkillSuggestionView,
    SkillView,
};
use super::{compute, graph, limits};
use crate::domain::{Level, PlanOptions, RoleId, SkillGraph};

impl Listed for SkillView {
    const CONNECTION: &'static str = "SkillConnection";
}

impl Listed for RoleView {
    const CONNECTION: &'static str = "RoleConnection";
}

#[derive(Default)]
pub struct SkillQuery;

#[Object]
impl SkillQuery {
    /// One skill by id; null when there is none.
    async fn skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The skill's slug id, e.g. `python`.")] id: ID,
    ) -> async_graphql::Result<Option<SkillView>> {
        let id = skill_id(&id).api()?;
        Ok(SkillView::of(&graph(ctx), &id))
    }

    /// Skills matching `query` as a person types it, case and accents folded: the exact name
    /// first, then names starting with it, then aliases, then names whose words start with
    /// its words (the last one typed as a prefix), then substrings, then names within one
    /// typo per word of five or more letters; ties by the shorter name, then the skill more
    /// roles require. Optionally within a category and its sub-categories. Without a query:
    /// all skills by category order, then id. Paged forwards (`first`, `after`) or backwards
    /// (`last`, `before`) with opaque cursors of this list and these arguments.
    #[graphql(complexity = "page_cost(last.or(first), 20, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // a connection's four, and what the list is
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What a person typed; null or blank: list every skill.")] query: Option<
            String,
        >,
        #[graphql(
            desc = "Only skills of this category id or of its sub-categories; null: \
                          all."
        )]
        category: Option<ID>,
        #[graphql(
            default_with = "Some(20)",
            desc = "Page forwards: at most this many items (0 to `maxPage`, 100 by default) \
                    from the start of the list, or after `after`; null: 20. Not with `last`."
        )]
        first: Option<i32>,
        #[graphql(desc = "Page forwards from this cursor (an `endCursor` or an edge's \
                          `cursor` of this very list and arguments): items strictly after it.")]
        after: Option<String>,
        #[graphql(
            desc = "Page backwards: at most this many items (0 to `maxPage`) from the \
                          end of the list, or before `before`. Not with `first`."
        )]
        last: Option<i32>,
        #[graphql(
            desc = "Page backwards from this cursor (a `startCursor` or an edge's \
                          `cursor` of this very list and arguments): items strictly before \
                          it."
        )]
        before: Option<String>,
    ) -> async_graphql::Result<Page<SkillView>> {
        let graph = graph(ctx);
        let category = category.as_ref().map(category_id).transpose().api()?;
        let query = query.unwrap_or_default();
        let list = ListId::new(
            "skills",
            &[Some(&query), category.as_ref().map(|c| c.as_str())],
        );
        let args = Args {
            first,
            after,
            last,
            before,
        };
        let window = Window::parse(ctx, list, args, 20, limits(ctx).max_page)?;
        let (query, category) = (Arc::new(query), Arc::new(category));
        let fetch = {
            let (graph, query, category) = (graph.clone(), query.clone(), category.clone());
            move |need| {
                let hits = graph.search_skills_keyed(&query, category.as_ref().as_ref(), need);
                hits.into_iter().map(|(k, s)| (k, s.clone())).collect()
            }
        };
        let count = {
            let graph = graph.clone();
            move || graph.count_skills(&query, category.as_ref().as_ref())
        };
        paging::page(window, fetch, count, |skill| SkillView {
            graph: graph.clone(),
            skill,
        })
        .await
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
    async fn role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role's slug id, e.g. `ml-engineer`.")] id: ID,
    ) -> async_graphql::Result<Option<RoleView>> {
        let id = role_id(&id).api()?;
        Ok(RoleView::of(&graph(ctx), id.as_str()))
    }

    /// Roles matching `query` by name, ranked as `skills` ranks skills; without a query, all
    /// roles by id. Paged as `skills` is.
    #[graphql(complexity = "page_cost(last.or(first), 20, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What a person typed, matched against role names; null or blank: \
                          list every role."
        )]
        query: Option<String>,
        #[graphql(
            default_with = "Some(20)",
            desc = "Page forwards: at most this many items (0 to `maxPage`, 100 by default) \
                    from the start of the list, or after `after`; null: 20. Not with `last`."
        )]
        first: Option<i32>,
        #[graphql(desc = "Page forwards from this cursor (an `endCursor` or an edge's \
                          `cursor` of this very list and arguments): items strictly after it.")]
        after: Option<String>,
        #[graphql(
            desc = "Page backwards: at most this many items (0 to `maxPage`) from the \
                          end of the list, or before `before`. Not with `first`."
        )]
        last: Option<i32>,
        #[graphql(
            desc = "Page backwards from this cursor (a `startCursor` or an edge's \
                          `cursor` of this very list and arguments): items strictly before \
                          it."
        )]
        before: Option<String>,
    ) -> async_graphql::Result<Page<RoleView>> {
        let graph = graph(ctx);
        let query = Arc::new(query.unwrap_or_default());
        let list = ListId::new("roles", &[Some(&query)]);
        let args = Args {
            first,
            after,
            last,
            before,
        };
        let window = Window::parse(ctx, list, args, 20, limits(ctx).max_page)?;
        let fetch = {
            let (graph, query) = (graph.clone(), query.clone());
            move |need| {
                let hits = graph.search_roles_keyed(&query, need);
                hits.into_iter().map(|(k, r)| (k, r.clone())).collect()
            }
        };
        let count = {
            let graph = graph.clone();
            move || graph.count_roles(&query)
        };
        paging::page(window, fetch, count, |role| RoleView {
            graph: graph.clone(),
            role,
        })
        .await
    }
}

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
        let (profile, targets) = (from.parse_with_text().api()?, to.parse().api()?);
        let plan = compute({
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
        // The standing is one look per requirement, after the profile's holdings: for the
        // profiles people have (tens of skills: tens of microseconds on ESCO-size graphs)
        // cheaper than handing it to another thread; a large profile's closure can take
        // milliseconds and goes to the pool. The plan (most of the cost of a gap) waits
        // until `hours` or `path` asks for it. Reading a text takes milliseconds: to the pool.
        const INLINE_PROFILE: usize = 64;
        let holdings = if size <= INLINE_PROFILE && !profile.has_text() {
            graph.holdings(&profile.on(&graph)).api()?
        } else {
            let graph = graph.clone();
            compute(move || graph.holdings(&profile.on(&graph)))
                .await?
                .api()?
        };
        let standing = graph.role_standing(&holdings, &role).api()?;
        Ok(RoleGapView::new(graph, Arc::new(holdings), standing).with_schedule(schedule))
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
    ) -> async_graphql::Result<Vec<RoleMatchView>> {
        check_profile(ctx, &profile).api()?;
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
        let profile = profile.parse_with_text().api()?;
        let matches = compute({
            let graph = graph.clone();
            move || graph.match_roles_by(&profile.on(&graph), among.as_deref(), order, first)
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
    /// How many categories there are, at every depth.
    pub categories: i32,
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
            prerequisites: int(s.prerequisites as u64),
            prerequisite_groups: int(s.prerequisite_groups as u64),
            requirements: int(s.requirements as u64),
            revision: i64::try_from(s.revision).unwrap_or(i64::MAX),
        }
    }
}

/// A proficiency level.
#[derive(SimpleObject)]
#[graphql(name = "LevelInfo")]
pub struct LevelInfo {
    /// 1 to 5.
    pub level: i32,
    /// aware, beginner, practitioner, advanced, expert.
    pub name: String,
    /// Cumulative effort from nothing to this level, in percent of a skill's `hours`.
    pub effort_percent: i32,
}
