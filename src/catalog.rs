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

pub mod start;

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::thread::JoinHandle;

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
    /// A write to a read replica: writes go to the writer, which replicates them here.
    #[error("this server is a read replica: send writes to the writer")]
    ReadOnly,
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
    /// The snapshot the write published (or found, when it changed nothing): what a mutation
    /// answers from, even if another write has landed since.
    pub graph: Arc<SkillGraph>,
}

pub struct Catalog {
    store: Store,
    current: ArcSwap<SkillGraph>,
    /// The current revision, for those who wait for one (`Skillgraph-Min-Revision`, the
    /// publisher): sent after the snapshot of that revision is published.
    revision: tokio::sync::watch::Sender<u64>,
    /// A read replica's: only [`Catalog::apply`] and [`Catalog::reload`] change it.
    read_only: bool,
    /// Moves at every [`Catalog::reload`], after its snapshot is published: the same revision
    /// number in two lineages may be two graphs (caches keyed by revision add it).
    lineage: std::sync::atomic::AtomicU64,
    /// Serializes writers; guards no data of its own (see the module docs).
    writer: Mutex<()>,
    changes: broadcast::Sender<Change>,
    /// Wakes the thread that rebuilds the extraction matcher, once one runs (see
    /// [`Catalog::keep_extraction_warm`]).
    warmer: OnceLock<mpsc::SyncSender<()>>,
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
            revision: tokio::sync::watch::Sender::new(graph.revision()),
            read_only: false,
            lineage: std::sync::atomic::AtomicU64::new(0),
            current: ArcSwap::from_pointee(graph),
            writer: Mutex::new(()),
            changes,
            warmer: OnceLock::new(),
        })
    }

    /// Opens a read replica's database: writes are refused ([`Error::ReadOnly`]); the graph
    /// changes only by what the writer replicates ([`Catalog::apply`], [`Catalog::reload`]).
    pub fn open_replica(path: &Path, retention: Retention) -> Result<Self, Error> {
        let mut catalog = Self::open_with(path, retention)?;
        catalog.read_only = true;
        Ok(catalog)
    }

    /// Whether this is a read replica's catalog.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The current revision of the graph, consistent for as long as the caller holds it.
    pub fn snapshot(&self) -> Arc<SkillGraph> {
        self.current.load_full()
    }

    /// Watches the revision: changes once the snapshot of the new revision is published.
    pub fn watch_revision(&self) -> tokio::sync::watch::Receiver<u64> {
        self.revision.subscribe()
    }

    /// A value of the database's `meta` tree (replication keeps its state there).
    pub fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.store.meta(key)?)
    }

    /// Sets values of the database's `meta` tree; `durable`: on disk before this returns.
    pub fn set_meta(&self, pairs: &[(&str, Vec<u8>)], durable: bool) -> Result<(), Error> {
        Ok(self.store.set_meta(pairs, durable)?)
    }

    /// A replica applies the writer's entry of the revision after its own, as the writer
    /// committed it: replayed onto a copy, made durable with `meta` (its place in the stream),
    /// then published and announced like a write. Refuses any other revision.
    pub fn apply(&self, entry: &ChangeEntry, meta: &[(&str, Vec<u8>)]) -> Result<(), Error> {
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let current = self.current.load_full();
        let mut draft = SkillGraph::clone(&current);
        draft.replay(entry)?;
        let changes = draft.take_changes();
        draft.set_revision(entry.revision);
        self.store.commit_with(&draft, &changes, entry, meta)?;
        self.publish(draft, Some(Arc::new(entry.clone())));
        Ok(())
    }

    /// A replica replaces its whole graph with a snapshot's (its revision included), its log
    /// restarting there. Subscribers see the next entry's revision jump.
    pub fn reload(&self, mut graph: SkillGraph, meta: &[(&str, Vec<u8>)]) -> Result<(), Error> {
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        graph.take_changes();
        self.store.reset(&graph, meta)?;
        graph.prepare_matching();
        self.publish(graph, None);
        self.lineage
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// How many snapshots this catalog has reloaded (see the field); read it before taking a
    /// snapshot to pair them safely.
    pub fn lineage(&self) -> u64 {
        self.lineage.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Raises the revision to `revision` (when below it) without changing the graph; the
    /// change log restarts there. A writer that takes over a stream whose revisions went
    /// further than its own does this, so that revisions never go back for replicas and their
    /// clients (`Skillgraph-Min-Revision`, caches keyed by revision, `changes(since:)`).
    pub fn advance(&self, revision: u64) -> Result<(), Error> {
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let current = self.current.load_full();
        if current.revision() >= revision {
            return Ok(());
        }
        let mut draft = SkillGraph::clone(&current);
        draft.set_revision(revision);
        self.store.restart_at(revision)?;
        self.publish(draft, None);
        Ok(())
    }

    /// Makes `draft` the current snapshot, announces `entry`, and wakes whoever waits.
    fn publish(&self, draft: SkillGraph, entry: Option<Change>) -> Arc<SkillGraph> {
        // Usually nothing to do (the old index and the few ids written since serve); after an
        // import or many writes the writer, not the next reader, builds the new index.
        draft.prepare_search();
        let published = Arc::new(draft);
        self.current.store(published.clone());
        self.revision.send_replace(published.revision());
        // No subscriber is not an error: events are a courtesy, the write has landed.
        if let Some(entry) = entry {
            let _ = self.changes.send(entry);
        }
        if let Some(wake) = self.warmer.get()
            && !published.extraction_prepared()
        {
            // Full: a wake-up is pending already and will build for the newest snapshot, this
            // one or a later one. Disconnected: the thread is gone, nothing to do.
            let _ = wake.try_send(());
        }
        published
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
        if limit == 0 {
            // Reads no entry: the oldest one may be an import of many megabytes.
            return Ok(ChangePage {
                entries: vec![],
                more: since < until,
            });
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

    /// From now on, a write that drops the extraction matcher (a new, renamed or deleted skill,
    /// a changed alias) has the new snapshot's rebuilt on a thread of its own. Without it, the
    /// first extraction after such a write builds it (about a second on ESCO) while every other
    /// extraction of that snapshot waits for the same build. Writes in quick succession
    /// coalesce: one wake-up at most is pending, and the thread builds for the newest snapshot,
    /// one build at a time, so a burst of renames costs one core for a build or two, not one
    /// build each.
    ///
    /// `None` when it is already on. The thread ends once the catalog is dropped.
    pub fn keep_extraction_warm(self: &Arc<Self>) -> Option<std::io::Result<JoinHandle<()>>> {
        let (wake, woken) = mpsc::sync_channel(1);
        self.warmer.set(wake).ok()?;
        // Weak: the thread must not keep the catalog (and its sled database) alive; when the
        // catalog drops, so does the sender, and `recv` ends the loop.
        let catalog = Arc::downgrade(self);
        Some(
            std::thread::Builder::new()
                .name("extraction-warmer".into())
                .spawn(move || {
                    while woken.recv().is_ok() {
                        let Some(catalog) = catalog.upgrade() else {
                            break;
                        };
                        let snapshot = catalog.snapshot();
                        drop(catalog);
                        snapshot.prepare_extraction();
                    }
                }),
        )
    }

    /// Runs `edit` on a copy of the graph and, if it succeeds and changed anything, makes the
    /// change durable and then visible. On any error nothing is written or published.
    pub fn write<T, E>(
        &self,
        kind: ChangeKind,
        edit: impl FnOnce(&mut SkillGraph) -> Result<T, E>,
    ) -> Result<Written<T>, E>
    where
        E: From<Error>,
    {
        if self.read_only {
            return Err(Error::ReadOnly.into());
        }
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
                graph: current,
            });
        }
        let revision = current.revision() + 1;
        draft.set_revision(revision);
        let entry = ChangeEntry::new(revision, store::now_ms(), kind, &current, &draft, &changes);
        self.store
            .commit(&draft, &changes, &entry)
            .map_err(Error::from)?;
        let published = self.publish(draft, Some(Arc::new(entry)));
        Ok(Written {
            value,
            revision,
            changed: true,
            graph: published,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SkillGraph;
    use crate::domain::{Category, CategoryId, CategoryKind};

    fn category(id: &str) -> Category {
        Category {
            kind: CategoryKind::Skill,
            id: CategoryId::parse(id).unwrap(),
            name: id.into(),
            description: None,
            order: 0,
            parent: None,
            external_id: None,
        }
    }

    fn skill(id: &str, category: &str, hours: u32) -> crate::domain::Skill {
        crate::domain::Skill {
            id: crate::domain::SkillId::parse(id).unwrap(),
            name: id.into(),
            category: CategoryId::parse(category).unwrap(),
            hours,
            description: None,
            aliases: vec![],
            tags: vec![],
            resources: vec![],
            external_id: None,
        }
    }

    fn sid(id: &str) -> crate::domain::SkillId {
        crate::domain::SkillId::parse(id).unwrap()
    }

    /// A catalog with categories `c` and `d`, skills `a` … `e` and the edge `b → a`, at
    /// revision 3.
    fn seeded(dir: &Path, retention: Retention) -> Catalog {
        let catalog = Catalog::open_with(dir, retention).unwrap();
        catalog
            .write(ChangeKind::CategoryUpserted, |g| {
                g.upsert_category(category("c"))?;
                g.upsert_category(category("d")).map_err(Error::from)
            })
            .unwrap();
        catalog
            .write(ChangeKind::Imported, |g| {
                for id in ["a", "b", "c", "d", "e"] {
                    g.upsert_skill(skill(id, "c", 10))?;
                }
                Ok::<_, Error>(())
            })
            .unwrap();
        catalog
            .write(ChangeKind::PrerequisiteAdded, |g| {
                g.add_prerequisite(&sid("b"), &sid("a"), Default::default())
                    .map_err(Error::from)
            })
            .unwrap();
        catalog
    }

    #[test]
    fn replaying_the_stored_log_from_revision_n_onto_its_snapshot_gives_revision_n_plus_k() {
        use crate::domain::{
            EdgeSpec, Importance, Level, OnDelete, PrerequisiteGroup, PrerequisiteKind,
            Requirement, Role, RoleId, SkillPatch,
        };
        let dir = tempfile::tempdir().unwrap();
        let catalog = seeded(dir.path(), Retention::default());
        let at_n = catalog.snapshot();
        let role = |requires: &[&str]| Role {
            category: None,
            id: RoleId::parse("r").unwrap(),
            name: "R".into(),
            description: None,
            requirements: requires
                .iter()
                .map(|s| Requirement {
                    skill: sid(s),
                    level: Level::new(3).unwrap(),
                    importance: Importance::Essential,
                    alternatives: Vec::new(),
                })
                .collect(),
            aliases: Vec::new(),
            external_id: None,
        };
        let group = PrerequisiteGroup {
            kind: PrerequisiteKind::Recommended,
            min_level: Some(Level::new(2).unwrap()),
            options: vec![sid("d"), sid("c")],
        };
        type Edit = Box<dyn FnOnce(&mut SkillGraph) -> Result<(), domain::Error>>;
        let writes: Vec<(ChangeKind, Edit)> = vec![
            (
                ChangeKind::SkillCreated,
                Box::new(|g| g.create_skill(skill("f", "d", 3))),
            ),
            (
                ChangeKind::SkillUpdated,
                Box::new(|g| {
                    let patch = SkillPatch {
                        hours: Some(40),
                        aliases: Some(vec!["eff".into()]),
                        ..SkillPatch::default()
                    };
                    g.update_skill(&sid("f"), patch).map(drop)
                }),
            ),
            (
                ChangeKind::PrerequisiteAdded,
                Box::new(|g| g.add_prerequisite(&sid("f"), &sid("b"), EdgeSpec::default())),
            ),
            (
                ChangeKind::PrerequisiteAdded,
                Box::new(|g| {
                    let spec = EdgeSpec {
                        kind: PrerequisiteKind::Recommended,
                        min_level: Some(Level::new(4).unwrap()),
                        beyond: None,
                    };
                    g.add_prerequisite(&sid("f"), &sid("b"), spec)
                }),
            ),
            (
                ChangeKind::PrerequisiteGroupAdded,
                Box::new(move |g| g.add_prerequisite_group(&sid("e"), group)),
            ),
            (
                ChangeKind::RoleUpserted,
                Box::new(move |g| g.upsert_role(role(&["a", "f"]))),
            ),
            (
                ChangeKind::RequirementSet,
                Box::new(|g| {
                    let requirement = Requirement {
                        skill: sid("d"),
                        level: Level::new(5).unwrap(),
                        importance: Importance::Optional,
                        alternatives: Vec::new(),
                    };
                    g.set_requirement(&RoleId::parse("r").unwrap(), requirement)
                }),
            ),
            (
                ChangeKind::RequirementRemoved,
                Box::new(|g| g.remove_requirement(&RoleId::parse("r").unwrap(), &sid("a"))),
            ),
            (
                ChangeKind::Imported,
                Box::new(|g| {
                    let batch = crate::import::Batch {
                        skills: vec![skill("g", "c", 7), skill("a", "d", 12)],
                        prerequisites: vec![(sid("g"), vec![(sid("f"), EdgeSpec::default())])],
                        ..Default::default()
                    };
                    let mut report = crate::import::Report::new("test");
                    crate::import::apply(&batch, g, &mut report);
                    Ok(())
                }),
            ),
            // Cascade: d goes with the requirement on it, and e's group of c and d becomes
            // an edge e → c.
            (
                ChangeKind::SkillDeleted,
                Box::new(|g| g.delete_skill(&sid("d"), OnDelete::Cascade)),
            ),
            (
                ChangeKind::PrerequisiteRemoved,
                Box::new(|g| g.remove_prerequisite(&sid("b"), &sid("a"))),
            ),
            (
                ChangeKind::RoleDeleted,
                Box::new(|g| g.delete_role(&RoleId::parse("r").unwrap())),
            ),
        ];
        let k = writes.len() as u64;
        for (kind, edit) in writes {
            let written = catalog
                .write(kind, |g| edit(g).map_err(Error::from))
                .unwrap();
            assert!(written.changed, "{kind:?} changed something");
        }
        let latest = catalog.snapshot();
        assert_eq!(latest.revision(), at_n.revision() + k);
        let page = catalog
            .changes(at_n.revision(), latest.revision(), 100)
            .unwrap();
        assert_eq!(page.entries.len() as u64, k);
        assert!(!page.more);
        let mut replica = SkillGraph::clone(&at_n);
        for entry in &page.entries {
            replica.replay(entry).unwrap();
        }
        assert_eq!(replica.contents(), latest.contents());
        // The cascade is in the log as what it did, not as the command.
        let cascade = &page.entries[9];
        assert_eq!(cascade.kind, ChangeKind::SkillDeleted);
        assert_eq!(cascade.ids(), ["c", "d", "e", "r"]);
        // And the update says which fields changed.
        assert_eq!(page.entries[1].records[0].fields, ["hours", "aliases"]);
        assert_eq!(page.entries[3].records[0].fields, ["kind", "minLevel"]);
        drop(catalog);
        let reopened = Catalog::open(dir.path()).unwrap();
        assert_eq!(reopened.snapshot().contents(), latest.contents());
    }

    #[test]
    fn the_log_keeps_its_retention_and_refuses_a_since_it_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let keep_two = Retention {
            revisions: 2,
            max_age: None,
        };
        let catalog = seeded(dir.path(), keep_two);
        let page = catalog.changes(1, 3, 10).unwrap();
        assert_eq!(
            page.entries.iter().map(|e| e.revision).collect::<Vec<_>>(),
            [2, 3]
        );
        assert!(matches!(
            catalog.changes(0, 3, 10),
            Err(Error::Expired {
                since: 0,
                oldest: 1
            })
        ));
        let first = catalog.changes(1, 3, 1).unwrap();
        assert_eq!((first.entries.len(), first.more), (1, true));
        assert!(catalog.changes(3, 3, 10).unwrap().entries.is_empty());
        drop(catalog);
        // Reopened with a smaller retention, the log is trimmed at once.
        let keep_one = Retention {
            revisions: 1,
            max_age: None,
        };
        let catalog = Catalog::open_with(dir.path(), keep_one).unwrap();
        assert!(matches!(
            catalog.changes(1, 3, 10),
            Err(Error::Expired { oldest: 2, .. })
        ));
        assert_eq!(catalog.changes(2, 3, 10).unwrap().entries.len(), 1);
    }

    #[test]
    fn entries_older_than_the_age_limit_go_but_the_newest_stays() {
        let dir = tempfile::tempdir().unwrap();
        let no_age = Retention {
            revisions: 100,
            max_age: Some(std::time::Duration::ZERO),
        };
        let catalog = seeded(dir.path(), no_age);
        std::thread::sleep(std::time::Duration::from_millis(5));
        catalog
            .write(ChangeKind::CategoryUpserted, |g| {
                g.upsert_category(category("x")).map_err(Error::from)
            })
            .unwrap();
        assert!(matches!(
            catalog.changes(2, 4, 10),
            Err(Error::Expired { oldest: 3, .. })
        ));
        assert_eq!(catalog.changes(3, 4, 10).unwrap().entries[0].revision, 4);
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
    fn a_write_that_drops_the_matcher_has_it_rebuilt_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Arc::new(seeded(dir.path(), Retention::default()));
        let warmer = catalog.keep_extraction_warm().unwrap().unwrap();
        assert!(catalog.keep_extraction_warm().is_none(), "one thread only");
        catalog.snapshot().prepare_extraction();
        let written = catalog
            .write(ChangeKind::SkillUpdated, |g| {
                let mut renamed = skill("a", "c", 10);
                renamed.name = "Apache Kafka".into();
                g.upsert_skill(renamed).map_err(Error::from)
            })
            .unwrap();
        assert!(written.changed);
        // The rename dropped the matcher; the thread builds the new snapshot's. Waiting for a
        // state, not timing anything: the deadline only keeps a broken warmer from hanging.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !written.graph.extraction_prepared() {
            assert!(std::time::Instant::now() < deadline, "never rebuilt");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let mentions = written
            .graph
            .extract_skills("We stream with Apache Kafka.", 10);
        assert_eq!(mentions[0].skill.as_str(), "a");
        // The thread holds no catalog: dropping it ends the thread.
        drop(written);
        drop(catalog);
        warmer.join().unwrap();
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
