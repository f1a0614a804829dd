//! Skills and categories: one skill, the searched and paged list of skills, the categories,
//! and the proficiency levels.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::domain::{CategoryKind, Level};
use crate::graphql::args::{check_query, list_cost, search_cost};
use crate::graphql::error::OrApi;
use crate::graphql::inputs::{category_id, skill_id};
use crate::graphql::paging::{self, Args, ListId, Listed, Page, Window};
use crate::graphql::views::{CategoryView, SkillView};
use crate::graphql::{graph, limits};

impl Listed for SkillView {
    const CONNECTION: &'static str = "SkillConnection";
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
    #[graphql(complexity = "search_cost(&query, last.or(first), 20, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // a connection's four, and what the list is
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What a person typed, at most `maxQueryChars` (200 by default) characters \
                    (LIMIT_EXCEEDED beyond); null or blank: list every skill. Counts one \
                    complexity point a character."
        )]
        query: Option<String>,
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
        check_query(ctx, query.as_deref()).api()?;
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

    /// All skill categories in display order (role categories are `roleCategories`).
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn categories(&self, ctx: &Context<'_>) -> Vec<CategoryView> {
        let graph = graph(ctx);
        graph
            .categories_of(CategoryKind::Skill)
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
