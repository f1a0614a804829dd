//! Subscriptions: a stream of durable writes, for frontends that keep a graph on screen.
//!
//! The events are the change log's entries ([`GraphChange`], as `changes` lists them). A
//! subscription with `since` first replays the log after that revision, then goes on live
//! without a gap or a repeat: it listens before it reads the log, and drops live events the
//! replay already gave. A subscriber that falls behind the live channel catches up from the
//! log the same way, as long as the log still holds what it missed.

use std::collections::VecDeque;
use std::sync::Arc;

use async_graphql::{Context, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast::{self, error::RecvError};

use super::catalog;
use super::changes::{GraphChange, since_revision};
use super::error::OrApi;
use crate::catalog::{Catalog, Change};

/// Entries read from the log at a time while catching up: bounds the memory one subscriber
/// holds whatever the distance.
const CATCH_UP_PAGE: usize = 64;

/// One subscriber's position: the live channel, the last revision delivered, and the log
/// still to read up to `catch_up_to`.
struct Feed {
    receiver: broadcast::Receiver<Change>,
    catalog: Arc<Catalog>,
    last: Option<u64>,
    catch_up_to: u64,
    pending: VecDeque<Change>,
}

impl Feed {
    /// The next event, or `None` when the server shuts down.
    async fn next(&mut self) -> Option<GraphChange> {
        loop {
            if let Some(entry) = self.pending.pop_front() {
                self.last = Some(entry.revision);
                return Some(GraphChange(entry));
            }
            if let Some(last) = self.last.filter(|&l| l < self.catch_up_to) {
                let (catalog, until) = (self.catalog.clone(), self.catch_up_to);
                let page = tokio::task::spawn_blocking(move || {
                    catalog.changes(last, until, CATCH_UP_PAGE)
                })
                .await;
                match page {
                    Ok(Ok(page)) if !page.entries.is_empty() => {
                        self.pending.extend(page.entries.into_iter().map(Arc::new));
                    }
                    // Trimmed meanwhile, or a failure: skip on to the live events, as a
                    // subscription without the log would; `revision` shows the gap.
                    _ => self.catch_up_to = last,
                }
                continue;
            }
            match self.receiver.recv().await {
                Ok(entry) if self.last.is_none_or(|l| entry.revision > l) => {
                    self.last = Some(entry.revision);
                    return Some(GraphChange(entry));
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {
                    self.catch_up_to = self.catalog.snapshot().revision();
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

pub struct SubscriptionRoot;

/// Live updates, over WebSocket (graphql-transport-ws) at `/graphql/ws` or `/graphql`, or over
/// Server-Sent Events (graphql-sse) from `/graphql` with `Accept: text/event-stream`.
#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Every durable write from now on, as the change log's entries. With `since`, first the
    /// writes after that revision (as `changes(since:)` lists them), then the live ones, with
    /// no gap and no repeat: a client that reconnects passes the last revision it saw.
    /// `REVISION_EXPIRED` when the log no longer reaches back to `since`. A subscriber too slow
    /// to keep up catches up from the log; only what the log no longer holds is skipped
    /// (`revision` shows the gap).
    async fn graph_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The last revision the client has: replay the writes after it first.")]
        since: Option<i32>,
    ) -> async_graphql::Result<impl Stream<Item = GraphChange> + use<>> {
        let catalog = catalog(ctx).clone();
        // Listening first: a write that lands while the log is read reaches the feed either
        // way, and the feed drops what it already gave.
        let receiver = catalog.subscribe();
        let current = catalog.snapshot().revision();
        // Without `since`, the position is the current revision all the same: a subscriber
        // that lags before its first event is then caught up from there, not skipped on.
        let last = match since {
            None => Some(current),
            Some(since) => {
                let since = since_revision(i64::from(since), current).api()?;
                // Refuses a `since` the log no longer reaches now, not as a silent gap later.
                let check = catalog.clone();
                super::compute(move || check.changes(since, current, 0))
                    .await?
                    .api()?;
                Some(since)
            }
        };
        let feed = Feed {
            receiver,
            catalog,
            last,
            catch_up_to: current,
            pending: VecDeque::new(),
        };
        Ok(futures_util::stream::unfold(feed, |mut feed| async move {
            feed.next().await.map(|event| (event, feed))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ChangeKind, Error};
    use crate::domain::{Category, CategoryId, CategoryKind};

    #[tokio::test]
    async fn a_subscriber_that_fell_behind_the_live_channel_is_caught_up_from_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Arc::new(Catalog::open(dir.path()).unwrap());
        let mut feed = Feed {
            receiver: catalog.subscribe(),
            catalog: catalog.clone(),
            last: Some(0),
            catch_up_to: 0,
            pending: VecDeque::new(),
        };
        // More writes than the live channel holds (1,024), none read meanwhile.
        let writes = 1_100;
        for order in 0..writes {
            catalog
                .write(ChangeKind::CategoryUpserted, |g| {
                    g.upsert_category(Category {
                        kind: CategoryKind::Skill,
                        id: CategoryId::parse("c").unwrap(),
                        name: "C".into(),
                        description: None,
                        order,
                        parent: None,
                        external_id: None,
                    })
                    .map_err(Error::from)
                })
                .unwrap();
        }
        let mut revisions = Vec::new();
        while revisions.len() < writes as usize {
            // A feed that skipped what it missed would wait here for events that never come.
            let next = tokio::time::timeout(std::time::Duration::from_secs(10), feed.next());
            let event = next.await.expect("caught up within 10 s").unwrap();
            revisions.push(event.0.revision);
        }
        assert_eq!(revisions, (1..=writes as u64).collect::<Vec<_>>());
    }
}
