//! [`Catalog`]: the one place where the in-memory graph and the sled store meet.
//!
//! # Concurrency
//! Reads vastly outnumber writes, and a request must see one consistent revision. So the current
//! graph is an immutable snapshot behind an [`ArcSwap`]: a reader takes an `Arc` in one atomic
//! load, never waits on a lock or on disk, and keeps its revision for as long as it holds it.
//!
//! Writes are serialized by a plain mutex (never held across `.await`: every method here is
//! synchronous). A write clones the current graph, applies the change to the clone (the domain
//! validates and refuses bad changes there), makes the result durable in sled, and only then
//! publishes the clone. So disk and memory never diverge: a refused or failed write leaves no
//! trace, and readers never see a change that is not yet on disk. The clone itself is a handful
//! of reference counts: each index of the graph is shared and copied only when the write
//! changes it, so a write costs time linear in the indexes it touches (an edge insert copies
//! the edge lists, a role upsert the role indexes), never the text of skills. That is the price
//! of lock-free consistent reads; bulk imports pay it once per batch, not per row.

use std::path::Path;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use tokio::sync::broadcast;

use crate::config::Retention;
use crate::domain::{self, ChangeEntry, SkillGraph};
use crate::store::{self, Store};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] domain::Error),
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The change log no longer holds the changes right after `since`.
    #[error(
        "the change log no longer holds the changes after revision {since}: it keeps those \
         after revision {oldest}; reload everything (stats.revision says which revision that is) \
         and ask for the changes since then"
    )]
    Expired { since: u64, oldest: u64 },
}

pub use crate::domain::ChangeKind;

/// A durable write as announced to subscribers: its change-log entry, shared by every
/// subscriber and the same the log answers with.
pub type Change = Arc<ChangeEntry>;

/// A page of the change log.
#[derive(Debug)]
pub struct ChangePage {
    /// The entries after the asked revision, in order, up to the asked number.
    pub entries: Vec<ChangeEntry>,
    /// Whether the log holds more entries (up to the asked revision) after these.
    pub more: bool,
}

/// The outcome of a write: the closure's value and the revision the graph is now at.
#[derive(Debug)]
pub struct Written<T> {
    pub value: T,
    pub revision: u64,
    /// False when the write asked for nothing new (the revision did not move).
    pub changed: bool,
}

pub struct Catalog {
    store: Store,
    current: ArcSwap<SkillGraph>,
    /// Serializes writers; guards no data of its own (see the module docs).
    writer: Mutex<()>,
    changes: broadcast::Sender<Change>,
}

impl Catalog {
    /// Opens the database at `path` and rebuilds the graph from it, keeping the default
    /// change-log retention.
    pub fn open(path: &Path) -> Result<Self, Error> {
        Self::open_with(path, Retention::default())
    }

    /// Opens the database at `path`, keeping the change log to `retention`.
    pub fn open_with(path: &Path, retention: Retention) -> Result<Self, Error> {
        let store = Store::open_with(path, retention)?;
        let graph = store.load()?;
        // Searches should not wait for the index; a snapshot built here is searched at once.
        graph.prepare_search();
        // Nor the first match for the role index (about 10 ms on ESCO); after a write to roles
        // or skills the next match builds it, once for that snapshot.
        graph.prepare_matching();
        let (changes, _) = broadcast::channel(1024);
        Ok(Catalog {
            store,
            current: ArcSwap::from_pointee(graph),
            writer: Mutex::new(()),
            changes,
        })
    }

    /// The current revision of the graph, consistent for as long as the caller holds it.
    pub fn snapshot(&self) -> Arc<SkillGraph> {
        self.current.load_full()
    }

    /// Whether the database has never been written to.
    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    pub fn size_on_disk(&self) -> Result<u64, Error> {
        Ok(self.store.size_on_disk()?)
    }

    /// Subscribes to every durable write from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// Up to `limit` change-log entries after revision `since`, up to revision `until` (the
    /// revision the caller reads; `since` must not be above it). Refuses, with
    /// [`Error::Expired`], a `since` whose following entries the log no longer holds, also
    /// when a write trimmed them while this read ran: a page never silently starts late.
    pub fn changes(&self, since: u64, until: u64, limit: usize) -> Result<ChangePage, Error> {
        let oldest = self.store.log_start()?;
        if since < oldest {
            return Err(Error::Expired { since, oldest });
        }
        let mut entries = self
            .store
            .changes_after(since, until, limit.saturating_add(1))?;
        if since < until && entries.first().map(|e| e.revision) != Some(since + 1) {
            let oldest = self.store.log_start()?;
            return Err(Error::Expired { since, oldest });
        }
        let more = entries.len() > limit;
        entries.truncate(limit);
        Ok(ChangePage { entries, more })
    }

    /// Runs `edit` on a copy of the graph and, if it succeeds and changed anything, makes the
    /// change durable and then visible. On any error nothing is written or published.
    pub fn write<T, E>(
        &self,
        kind: ChangeKind,
        edit: impl FnOnce(&mut SkillGraph) -> Result<T, E>,
    ) -> Result<Written<T>, E>
    where
        E: From<store::Error>,
    {
        // A poisoned lock only means another writer panicked; the snapshot it would have
        // published never was, so the state is intact and writing can go on.
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let current = self.current.load_full();
        let mut draft = SkillGraph::clone(&current);
        let value = edit(&mut draft)?;
        let changes = draft.take_changes();
        if changes.is_empty() {
            return Ok(Written {
                value,
                revision: current.revision(),
                changed: false,
            });
        }
        let revision = current.revision() + 1;
        draft.set_revision(revision);
        let entry = ChangeEntry::new(revision, store::now_ms(), kind, &current, &draft, &changes);
        self.store.commit(&draft, &changes, &entry)?;
        // Usually nothing to do (the old index and the few ids written since serve); after an
        // import or many writes the writer, not the next reader, builds the new index.
        draft.prepare_search();
        self.current.store(Arc::new(draft));
        // No subscriber is not an error: events are a courtesy, the write has landed.
        let _ = self.changes.send(Arc::new(entry));
        Ok(Written {
            value,
            revision,
            changed: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, CategoryId};

    fn category(id: &str) -> Category {
        Category {
            id: CategoryId::parse(id).unwrap(),
            name: id.into(),
            description: None,
            order: 0,
            parent: None,
            external_id: None,
        }
    }

    #[test]
    fn a_refused_write_changes_neither_memory_nor_disk() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(dir.path()).unwrap();
        let before = catalog.snapshot();
        let result: Result<Written<()>, Error> = catalog.write(ChangeKind::CategoryUpserted, |g| {
            g.upsert_category(category("ok"))?;
            // The second half of the write fails: the first half must not land either.
            g.delete_category(&CategoryId::parse("missing").unwrap())?;
            Ok(())
        });
        assert!(result.is_err());
        assert!(Arc::ptr_eq(&before, &catalog.snapshot()));
        drop(catalog);
        let reopened = Catalog::open(dir.path()).unwrap();
        assert_eq!(reopened.snapshot().stats().categories, 0);
        assert!(reopened.is_empty());
    }

    #[test]
    fn writes_bump_the_revision_publish_an_event_and_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(dir.path()).unwrap();
        let mut events = catalog.subscribe();
        let old = catalog.snapshot();
        let written = catalog
            .write(ChangeKind::CategoryUpserted, |g| {
                g.upsert_category(category("c")).map_err(Error::from)
            })
            .unwrap();
        assert_eq!((written.revision, written.changed), (1, true));
        assert_eq!(
            old.stats().categories,
            0,
            "an old snapshot keeps its revision"
        );
        let event = events.try_recv().unwrap();
        assert_eq!(event.ids(), ["c"]);
        assert_eq!(
            catalog.changes(0, 1, 10).unwrap().entries,
            [ChangeEntry::clone(&event)],
            "the log holds what subscribers heard"
        );
        // Writing the same thing again is not a change.
        let again = catalog
            .write(ChangeKind::CategoryUpserted, |g| {
                g.upsert_category(category("c")).map_err(Error::from)
            })
            .unwrap();
        assert_eq!((again.revision, again.changed), (1, false));
        drop(catalog);
        let reopened = Catalog::open(dir.path()).unwrap();
        assert_eq!(reopened.snapshot().revision(), 1);
        assert_eq!(reopened.snapshot().stats().categories, 1);
    }
}
