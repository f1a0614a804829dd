//! Roles: one role, and the searched and paged list of roles.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use crate::graphql::args::{check_query, search_cost};
use crate::graphql::error::OrApi;
use crate::graphql::inputs::role_id;
use crate::graphql::paging::{self, Args, ListId, Listed, Page, Window};
use crate::graphql::views::RoleView;
use crate::graphql::{graph, limits};

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

    /// Roles matching `query` by name, ranked as `skills` ranks skills; without a query, all
    /// roles by id. Paged as `skills` is.
    #[graphql(complexity = "search_cost(&query, last.or(first), 20, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What a person typed, matched against role names, at most \
                    `maxQueryChars` characters; null or blank: list every role.")]
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
        check_query(ctx, query.as_deref()).api()?;
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
