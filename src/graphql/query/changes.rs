//! `changes(since:)`: the change log, paged by revision. The entries are `changes`' views,
//! the same `graphChanged` streams.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use std::sync::Arc;

use async_graphql::{Context, Object};

use crate::domain::ListKey;
use crate::graphql::args::page_cost;
use crate::graphql::changes::{GraphChange, since_revision};
use crate::graphql::error::OrApi;
use crate::graphql::paging::{self, Args, ListId, Listed, Page, Window};
use crate::graphql::{catalog, compute, graph, limits};

impl Listed for GraphChange {
    const CONNECTION: &'static str = "ChangeConnection";
}

/// The list key of an entry: its revision.
fn key(revision: u64) -> ListKey {
    ListKey {
        rank: [i64::try_from(revision).unwrap_or(i64::MAX), 0, 0],
        text: [String::new(), String::new()],
    }
}

#[derive(Default)]
pub struct ChangeQuery;

#[Object]
impl ChangeQuery {
    /// What happened after revision `since`, oldest first, up to the revision this request
    /// reads (`stats.revision`): a client that saw revision `since` applies these and is at
    /// that revision. `REVISION_EXPIRED` when the log no longer reaches back that far (it keeps
    /// the newest `--change-log-revisions` entries): reload, then ask from the revision
    /// reloaded. A `since` ahead of the current revision is `INVALID_INPUT`; the current
    /// revision itself gives an empty page. Paged forwards with `first` and `after`.
    #[graphql(complexity = "page_cost(first, 100, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The last revision the client has: changes after it are listed.")]
        since: i32,
        #[graphql(
            default_with = "Some(100)",
            desc = "At most this many changes (0 to `maxPage`), after `since` or after \
                    `after`; null: 100."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "Page on from this cursor (an `endCursor` or an edge's `cursor` of \
                          this list): changes strictly after it."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Page<GraphChange>> {
        let until = graph(ctx).revision();
        let since = since_revision(i64::from(since), until).api()?;
        let args = Args {
            first,
            after,
            last: None,
            before: None,
        };
        let window = Window::parse(
            ctx,
            ListId::new("changes", &[]),
            args,
            100,
            limits(ctx).max_page,
        )?;
        let after = window
            .after_key()
            .map(|k| u64::try_from(k.rank[0]).unwrap_or(0));
        let from = after.map_or(since, |a| a.clamp(since, until));
        let limit = window.first().unwrap_or(100);
        let catalog = catalog(ctx).clone();
        let page = compute(move || catalog.changes(from, until, limit))
            .await?
            .api()?;
        let items = page
            .entries
            .into_iter()
            .map(|e| {
                let position = usize::try_from(e.revision - since - 1).unwrap_or(usize::MAX);
                (position, key(e.revision), GraphChange(Arc::new(e)))
            })
            .collect();
        let total = usize::try_from(until - since).unwrap_or(usize::MAX);
        Ok(paging::read_page(
            &window,
            items,
            from > since,
            page.more,
            total,
        ))
    }
}
