//! Roles: one role, and the searched and paged list of roles.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use async_graphql::{Context, ID, Object};

use crate::graphql::args::list_cost;
use crate::graphql::args::{check_text, search_cost, titles_cost};
use crate::graphql::error::{ApiError, OrApi};
use crate::graphql::inputs::{category_id, role_id};
use crate::graphql::paging::{Args, Listed, Page};
use crate::graphql::views::{RoleCategoryView, RoleView, TitleMatchView, roles_page};
use crate::graphql::{compute, graph, limits};

/// How many alternatives a title's answer lists.
const ALTERNATIVES: usize = 5;

impl Listed for RoleView {
    const CONNECTION: &'static str = "RoleConnection";
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

    /// The role each job title names, as ads write them ("Sr. Java Developer (m/w/d) -
    /// Berlin"): seniority, gender markers, locations and contract words set aside where no
    /// label has them, each title matched against role names and aliases with a confidence.
    /// One answer per title, in order. See "Job titles" in the README. Each title counts its
    /// answer's fields and one complexity point a character.
    #[graphql(complexity = "titles_cost(&titles, child_complexity)")]
    async fn normalize_titles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The titles, at most `maxTitles` (500 by default); more is \
                          LIMIT_EXCEEDED. Each at most `maxTextBytes` bytes, of which the first \
                          16 words are read.")]
        titles: Vec<String>,
        #[graphql(
            default_with = "Some(0.5)",
            desc = "The least confidence, 0 to 1, for a title's `role`; below it the role \
                    is null and the alternatives remain; null: 0.5. Outside 0-1: \
                    INVALID_INPUT."
        )]
        min_confidence: Option<f64>,
    ) -> async_graphql::Result<Vec<TitleMatchView>> {
        let min_confidence = min_confidence.unwrap_or(0.5);
        let l = limits(ctx);
        l.check("maxTitles", "titles", titles.len(), l.max_titles)
            .api()?;
        for title in &titles {
            check_text(ctx, title).api()?;
        }
        if !(0.0..=1.0).contains(&min_confidence) {
            return Err(ApiError::InvalidInput(format!(
                "minConfidence must be between 0 and 1, got {min_confidence}"
            )))
            .api();
        }
        let graph = graph(ctx);
        let found = compute({
            let graph = graph.clone();
            move || {
                titles
                    .iter()
                    .map(|t| graph.normalize_title(t, min_confidence, ALTERNATIVES))
                    .collect::<Vec<_>>()
            }
        })
        .await?;
        Ok(found
            .into_iter()
            .map(|found| TitleMatchView {
                graph: graph.clone(),
                found,
            })
            .collect())
    }

    /// Roles matching `query` by name or alias, ranked as `skills` ranks skills, the query
    /// read as a job title (gender markers, then a location suffix and parentheses, then
    /// seniority and other noise words set aside while nothing is found); without a query,
    /// all roles by id. Optionally within a role category and its sub-categories. Paged as
    /// `skills` is.
    #[graphql(complexity = "search_cost(&query, last.or(first), 20, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // a connection's four, and what the list is
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What a person typed, matched against role names, at most \
                    `maxQueryChars` characters; null or blank: list every role.")]
        query: Option<String>,
        #[graphql(
            desc = "Only roles of this role category id or of the categories below \
                          it; null: all. An id that names no role category (a skill \
                          category's included) is NOT_FOUND."
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
    ) -> async_graphql::Result<Page<RoleView>> {
        let graph = graph(ctx);
        let category = category.as_ref().map(category_id).transpose().api()?;
        let args = Args {
            first,
            after,
            last,
            before,
        };
        roles_page(
            ctx,
            &graph,
            "roles",
            query.unwrap_or_default(),
            category,
            args,
        )
        .await
    }

    /// The top-level role categories in display order: ESCO's ISCO-08 major groups under
    /// one root, O*NET's SOC major groups under another, the seed's families of roles. Walk
    /// down with `children`. A tree of its own, apart from the skills' `categories`.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn role_categories(&self, ctx: &Context<'_>) -> Vec<RoleCategoryView> {
        RoleCategoryView::roots(&graph(ctx))
    }

    /// One role category by id; null when there is none (or the id is a skill category's).
    async fn role_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role category's id, e.g. `esco:isco.c2512`.")] id: ID,
    ) -> async_graphql::Result<Option<RoleCategoryView>> {
        let id = category_id(&id).api()?;
        Ok(RoleCategoryView::of(&graph(ctx), id.as_str()))
    }
}
