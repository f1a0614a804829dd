//! The sled database: one tree per kind of record and a `meta` tree with the format version and
//! the revision. Knows domain values; knows nothing of petgraph, GraphQL or HTTP.
//!
//! # On-disk format (version 1)
//! | tree | key | value |
//! |---|---|---|
//! | `categories` | category id | JSON [`Category`] |
//! | `skills` | skill id | JSON [`Skill`] |
//! | `edges` | skill id, `0x00`, required skill id | JSON [`EdgeSpec`] |
//! | `roles` | role id | JSON [`Role`] with its requirements |
//! | `groups` | skill id | JSON array of the skill's [`PrerequisiteGroup`]s ("one of") |
//! | `meta` | `format` / `revision` | big-endian `u32` / `u64` |
//! | `meta` | `replication.*` / `replica.*` | replication's own state (see `replication`): the database's writer id, epoch and last acknowledged revision; a replica's writer, epoch and stream sequence |
//! | `changes` | big-endian `u64` revision | JSON [`ChangeEntry`] |
//! | `change_times` | big-endian `u64` revision | big-endian `u64` commit time (ms since the Unix epoch) |
//!
//! JSON keeps the records readable with any sled tool and lets fields be added with serde
//! defaults; a change that old readers cannot ignore bumps [`FORMAT_VERSION`]. The `groups`
//! tree came later within version 1: a database written before it simply has none (sled
//! creates the tree empty on open), and a build from before it opens a newer database without
//! seeing the groups (it reads only the trees it knows), so no version bump was needed. So
//! did a requirement's `alternatives` ("one of" requirements): left out when empty, so a role
//! without them is written as before, and an older build reading a role with them ignores the
//! field and sees a requirement of the preferred skill alone (a stricter role, not a broken one).
//! So did role categories: they are `categories` records with `"kind":"role"`, and a role's
//! `category` names one; both fields are left out when default (a skill category, no
//! category), so older records read and are written back unchanged, and an older build reads
//! a role category as an empty skill category and a role without its category.
//!
//! # Change log
//! Every commit also writes the write's [`ChangeEntry`] into `changes`, and its time into
//! `change_times`, in the same sled transaction as the records, so a crash can leave neither
//! data without its entry nor an entry without its data. Keys are big-endian revisions, so the
//! trees iterate in revision order and "what happened after revision N" is one range scan. The
//! log is bounded by a [`Retention`]: each commit drops at most [`Retention::TRIM_PER_WRITE`]
//! of the oldest entries that fall outside it (found before the transaction, removed inside
//! it), and opening trims the rest at once. Where the log starts and what to trim is read from
//! `change_times` alone: sled hands out whole values, and the oldest entry is often an import
//! of many megabytes that a write must not read back just to learn its revision and time.
//!
//! The log is contiguous and ends at the revision: it covers the revisions from
//! [`Store::log_start`] (exclusive) to the current one. A database written before the log
//! existed has none, so its log starts at its revision when opened; one whose log does not
//! end at its revision (written meanwhile by a build without the log) gets its log cleared
//! and restarted there, rather than serving a log with a hole. Old builds ignore the tree.
//!
//! # Lost writes
//! sled treats a damaged log as a torn tail: on open it drops what it cannot read and carries
//! on, possibly with an empty database. So each commit also records its revision in a small
//! file beside sled's ([`REVISION_FILE`], replaced atomically by rename). Opening a database
//! whose sled revision is below the recorded one is refused as corrupt, instead of serving a
//! silently older graph or, worse, seeding an empty one over the user's data. (The file needs
//! no fsync: it may lag sled after a power cut, which is safe, but never run ahead of it, since
//! it is written after sled's flush.)
//!
//! # Writes
//! [`Store::commit`] writes every record a [`ChangeSet`] names plus the new revision in one
//! sled transaction across all trees, then flushes to disk before returning, so a write is either
//! wholly durable or absent. Ids never contain `0x00`, which makes the edge key unambiguous.

use std::path::{Path, PathBuf};

use serde::{Serialize, de::DeserializeOwned};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::config::Retention;
use crate::domain::{
    self, Category, ChangeEntry, ChangeSet, EdgeSpec, PrerequisiteGroup, Role, Skill, SkillGraph,
    SkillId,
};

/// The on-disk format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The file beside sled's that records the last acknowledged revision.
pub const REVISION_FILE: &str = "skillgraph-revision";

const FORMAT_KEY: &[u8] = b"format";
const REVISION_KEY: &[u8] = b"revision";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{path} is not a skillgraph database (it holds other files); pass an empty or new directory"
    )]
    Foreign { path: PathBuf },

    #[error(
        "the database uses format version {found}, but this build reads version {FORMAT_VERSION}; \
         use a matching skillgraph release, or export with it and import here"
    )]
    Version { found: u32 },

    #[error("the database at {path} is in use by another process (is a server running on it?)")]
    Locked { path: PathBuf },

    #[error("the database is corrupt: {0}")]
    Corrupt(String),

    #[error("storage failure: {0}")]
    Sled(#[from] sled::Error),
}

pub struct Store {
    path: PathBuf,
    db: sled::Db,
    categories: sled::Tree,
    skills: sled::Tree,
    edges: sled::Tree,
    roles: sled::Tree,
    groups: sled::Tree,
    meta: sled::Tree,
    changes: sled::Tree,
    change_times: sled::Tree,
    retention: Retention,
}

fn edge_key(skill: &SkillId, requires: &SkillId) -> Vec<u8> {
    let mut key = Vec::with_capacity(skill.as_str().len() + requires.as_str().len() + 1);
    key.extend_from_slice(skill.as_str().as_bytes());
    key.push(0);
    key.extend_from_slice(requires.as_str().as_bytes());
    key
}

fn decode_entry(key: &[u8], bytes: &[u8]) -> Result<ChangeEntry, Error> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::Corrupt(format!("change-log entry {key:?}: {e}")))
}

fn revision_of(key: &[u8]) -> Result<u64, Error> {
    <[u8; 8]>::try_from(key)
        .map(u64::from_be_bytes)
        .map_err(|_| Error::Corrupt(format!("bad change-log key {key:?}")))
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("domain values always serialize to JSON")
}

fn decode<T: DeserializeOwned>(tree: &str, key: &[u8], bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| {
        Error::Corrupt(format!(
            "record {:?} in tree {tree}: {e}",
            String::from_utf8_lossy(key)
        ))
    })
}

fn read_all<T: DeserializeOwned>(name: &str, tree: &sled::Tree) -> Result<Vec<T>, Error> {
    tree.iter()
        .map(|item| {
            let (key, value) = item?;
            decode(name, &key, &value)
        })
        .collect()
}

/// sled's page cache: see [`open_db`].
const PAGE_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Opens sled without its periodic background flusher: every commit flushes explicitly, and
/// that thread is what keeps the file lock alive for a moment after a `Db` is dropped (sled
/// issues 1234, 1289), which made reopening the same directory right away fail. A lock still
/// held is retried briefly, then reported as another process using the database.
///
/// sled's page cache is capped at [`PAGE_CACHE_BYTES`], not its default of a gigabyte: the
/// graph lives in memory and sled is read once at start-up and then only for change-log
/// pages. The cap bounds what a long-running server can grow to; on ESCO right after
/// start-up it made no measurable difference to the RSS (the start-up read's pages are
/// freed memory either way, which `cli/serve.rs` hands back).
fn open_db(path: &Path) -> Result<sled::Db, Error> {
    remove_unfinished_snapshots(path)?;
    let config = sled::Config::new()
        .path(path)
        .flush_every_ms(None)
        .cache_capacity(PAGE_CACHE_BYTES);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match config.open() {
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                if std::time::Instant::now() >= deadline {
                    return Err(Error::Locked {
                        path: path.to_owned(),
                    });
                }
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            result => return Ok(result?),
        }
    }
}

/// Removes the snapshot files sled began and never finished. sled 0.34 writes its snapshot
/// (its index of the log, rewritten at every open) to `snap.<lsn>.generating` and renames it
/// when complete; when the disk fills first, the file stays behind, and at the next open sled
/// takes it for the newest snapshot and refuses the database as corrupt ("Read corrupted
/// data"), although every record is still in the log and in the last complete snapshot.
/// Without it, sled reads those and recovers.
fn remove_unfinished_snapshots(path: &Path) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(path) else {
        return Ok(()); // a new database: nothing to clean
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::Sled(sled::Error::Io(e)))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            tracing::warn!(file = %name, "removing a snapshot sled did not finish writing");
            std::fs::remove_file(entry.path()).map_err(|e| Error::Sled(sled::Error::Io(e)))?;
        }
    }
    Ok(())
}

/// The revision recorded by the last commit, if this directory has seen one.
fn recorded_revision(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path.join(REVISION_FILE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Whether a directory holds files, but none that sled writes: someone else's data.
fn is_foreign(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    let names: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    !names.is_empty()
        && !names
            .iter()
            .any(|n| n == "conf" || n == "db" || n == REVISION_FILE)
}

impl Store {
    /// Opens (or creates) the database at `path` with the default change-log retention.
    pub fn open(path: &Path) -> Result<Self, Error> {
        Self::open_with(path, Retention::default())
    }

    /// Opens (or creates) the database at `path`, checks its format version, and trims its
    /// change log to `retention`.
    pub fn open_with(path: &Path, retention: Retention) -> Result<Self, Error> {
        if path.is_file() || is_foreign(path) {
            return Err(Error::Foreign {
                path: path.to_owned(),
            });
        }
        let acknowledged = recorded_revision(path);
        let db = open_db(path)?;
        let store = Store {
            path: path.to_owned(),
            categories: db.open_tree("categories")?,
            skills: db.open_tree("skills")?,
            edges: db.open_tree("edges")?,
            roles: db.open_tree("roles")?,
            groups: db.open_tree("groups")?,
            meta: db.open_tree("meta")?,
            changes: db.open_tree("changes")?,
            change_times: db.open_tree("change_times")?,
            retention,
            db,
        };
        match store.meta.get(FORMAT_KEY)? {
            Some(bytes) => {
                let found = <[u8; 4]>::try_from(bytes.as_ref())
                    .map(u32::from_be_bytes)
                    .map_err(|_| Error::Corrupt("the format version is not a u32".into()))?;
                if found != FORMAT_VERSION {
                    return Err(Error::Version { found });
                }
            }
            None if store.is_empty() => {
                store
                    .meta
                    .insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes())?;
                store.db.flush()?;
            }
            None => {
                return Err(Error::Corrupt(
                    "records exist but no format version does".into(),
                ));
            }
        }
        if let Some(acknowledged) = acknowledged {
            let stored = store.revision()?;
            if stored < acknowledged {
                return Err(Error::Corrupt(format!(
                    "the database files are damaged: revision {acknowledged} was acknowledged, \
                     but only revision {stored} could be read back; restore from an export \
                     (GET /export or `skillgraph export`) into a new directory"
                )));
            }
        }
        store.settle_log()?;
        Ok(store)
    }

    /// Makes the log end at the revision (clearing a stale one, see "Change log") and trims it
    /// to the retention; flushes only when it changed something.
    fn settle_log(&self) -> Result<(), Error> {
        let revision = self.revision()?;
        let mut dirty = false;
        let last = match self.change_times.last()? {
            Some((key, _)) => Some(revision_of(&key)?),
            None => None,
        };
        if let Some(last) = last.filter(|&l| l != revision) {
            tracing::warn!(
                last_entry = last,
                revision,
                "the change log does not end at the database's revision (written by an older \
                 build?): it restarts at this revision"
            );
            self.changes.clear()?;
            self.change_times.clear()?;
            dirty = true;
        }
        let stale = self.trim_keys(revision, now_ms(), usize::MAX)?;
        if !stale.is_empty() {
            let mut batch = sled::Batch::default();
            for key in stale {
                batch.remove(key);
            }
            self.changes.apply_batch(batch.clone())?;
            self.change_times.apply_batch(batch)?;
            dirty = true;
        }
        if dirty {
            self.db.flush()?;
        }
        Ok(())
    }

    /// The keys of the oldest entries (at most `bound`) outside the retention, when the log's
    /// newest entry is `newest`'s, which is always kept.
    fn trim_keys(&self, newest: u64, now_ms: u64, bound: usize) -> Result<Vec<sled::IVec>, Error> {
        let max_age_ms = self
            .retention
            .max_age
            .map(|age| u64::try_from(age.as_millis()).unwrap_or(u64::MAX));
        let mut keys = Vec::new();
        for item in self.change_times.iter() {
            if keys.len() >= bound {
                break;
            }
            let (key, value) = item?;
            let revision = revision_of(&key)?;
            if revision >= newest {
                break;
            }
            let too_many = revision.saturating_add(self.retention.revisions) <= newest;
            let at_ms = <[u8; 8]>::try_from(value.as_ref()).map_or(0, u64::from_be_bytes);
            let too_old = max_age_ms.is_some_and(|max| at_ms.saturating_add(max) < now_ms);
            if !(too_many || too_old) {
                break;
            }
            keys.push(key);
        }
        Ok(keys)
    }

    /// The revision the log starts after: `changes_after` answers from it on.
    pub fn log_start(&self) -> Result<u64, Error> {
        match self.change_times.first()? {
            Some((key, _)) => Ok(revision_of(&key)?.saturating_sub(1)),
            None => self.revision(),
        }
    }

    /// Up to `limit` entries after revision `since`, up to revision `until`, in order.
    pub fn changes_after(
        &self,
        since: u64,
        until: u64,
        limit: usize,
    ) -> Result<Vec<ChangeEntry>, Error> {
        if since >= until {
            return Ok(vec![]);
        }
        let range = (since + 1).to_be_bytes()..=until.to_be_bytes();
        self.changes
            .range(range)
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                decode_entry(&key, &value)
            })
            .collect()
    }

    /// Whether nothing has ever been written: the cue for seeding.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
            && self.skills.is_empty()
            && self.roles.is_empty()
            && self.edges.is_empty()
            && self.groups.is_empty()
    }

    pub fn revision(&self) -> Result<u64, Error> {
        match self.meta.get(REVISION_KEY)? {
            None => Ok(0),
            Some(bytes) => <[u8; 8]>::try_from(bytes.as_ref())
                .map(u64::from_be_bytes)
                .map_err(|_| Error::Corrupt("the revision is not a u64".into())),
        }
    }

    /// Rebuilds the whole graph from disk, checking every invariant on the way.
    pub fn load(&self) -> Result<SkillGraph, Error> {
        let categories: Vec<Category> = read_all("categories", &self.categories)?;
        let skills: Vec<Skill> = read_all("skills", &self.skills)?;
        let roles: Vec<Role> = read_all("roles", &self.roles)?;
        let edges = self
            .edges
            .iter()
            .map(|item| {
                let (key, value) = item?;
                let corrupt =
                    || Error::Corrupt(format!("bad edge key {:?}", String::from_utf8_lossy(&key)));
                let split = key.iter().position(|&b| b == 0).ok_or_else(corrupt)?;
                let text = |bytes: &[u8]| {
                    std::str::from_utf8(bytes)
                        .ok()
                        .and_then(|s| SkillId::parse(s).ok())
                        .ok_or_else(corrupt)
                };
                let spec: EdgeSpec = decode("edges", &key, &value)?;
                Ok((text(&key[..split])?, text(&key[split + 1..])?, spec))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let groups = self
            .groups
            .iter()
            .map(|item| {
                let (key, value) = item?;
                let skill = std::str::from_utf8(&key)
                    .ok()
                    .and_then(|s| SkillId::parse(s).ok())
                    .ok_or_else(|| {
                        Error::Corrupt(format!("bad group key {:?}", String::from_utf8_lossy(&key)))
                    })?;
                let list: Vec<PrerequisiteGroup> = decode("groups", &key, &value)?;
                Ok((skill, list))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        SkillGraph::from_parts(categories, skills, edges, groups, roles, self.revision()?)
            .map_err(|e: domain::Error| Error::Corrupt(e.to_string()))
    }

    /// Durably writes the current state of everything `changes` names, `graph`'s revision
    /// and the write's change-log `entry` (of that revision), trimming the log's front.
    pub fn commit(
        &self,
        graph: &SkillGraph,
        changes: &ChangeSet,
        entry: &ChangeEntry,
    ) -> Result<(), Error> {
        self.commit_with(graph, changes, entry, &[])
    }

    /// [`commit`](Self::commit), also setting `meta` keys in the same transaction (a replica's
    /// position in the stream it follows, which must never be ahead of what it applied).
    pub fn commit_with(
        &self,
        graph: &SkillGraph,
        changes: &ChangeSet,
        entry: &ChangeEntry,
        meta: &[(&str, Vec<u8>)],
    ) -> Result<(), Error> {
        debug_assert_eq!(entry.revision, graph.revision());
        let records = self.record_batches(graph, changes);
        let revision = graph.revision().to_be_bytes();
        let mut times = sled::Batch::default();
        for key in self.trim_keys(entry.revision, entry.at_ms, Retention::TRIM_PER_WRITE)? {
            times.remove(key);
        }
        let mut log = times.clone();
        times.insert(&revision, &entry.at_ms.to_be_bytes());
        log.insert(
            &revision,
            serde_json::to_vec(entry).expect("entries always serialize to JSON"),
        );
        self.transact(&records, revision, meta, &log, &times)?;
        self.db.flush()?;
        self.record_revision(graph.revision());
        Ok(())
    }

    /// Replaces everything with `graph` (records and revision) and restarts the change log at
    /// its revision, in one transaction: a replica loading a snapshot. `meta` is set with it.
    pub fn reset(&self, graph: &SkillGraph, meta: &[(&str, Vec<u8>)]) -> Result<(), Error> {
        let mut all = ChangeSet::default();
        let keys = |tree: &sled::Tree| -> Result<Vec<sled::IVec>, Error> {
            tree.iter().keys().map(|k| k.map_err(Error::from)).collect()
        };
        let id = |key: &sled::IVec| String::from_utf8_lossy(key).into_owned();
        let corrupt = |what: &str, key: &sled::IVec| {
            Error::Corrupt(format!("bad {what} key {:?}", String::from_utf8_lossy(key)))
        };
        for key in keys(&self.categories)? {
            all.categories.insert(
                crate::domain::CategoryId::parse(&id(&key))
                    .map_err(|_| corrupt("category", &key))?,
            );
        }
        for key in keys(&self.skills)? {
            all.skills
                .insert(SkillId::parse(&id(&key)).map_err(|_| corrupt("skill", &key))?);
        }
        for key in keys(&self.groups)? {
            all.groups
                .insert(SkillId::parse(&id(&key)).map_err(|_| corrupt("group", &key))?);
        }
        for key in keys(&self.roles)? {
            all.roles.insert(
                crate::domain::RoleId::parse(&id(&key)).map_err(|_| corrupt("role", &key))?,
            );
        }
        for key in keys(&self.edges)? {
            let split = key
                .iter()
                .position(|&b| b == 0)
                .ok_or_else(|| corrupt("edge", &key))?;
            let part = |bytes: &[u8]| {
                std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|s| SkillId::parse(s).ok())
                    .ok_or_else(|| corrupt("edge", &key))
            };
            all.edges
                .insert((part(&key[..split])?, part(&key[split + 1..])?));
        }
        for c in graph.categories() {
            all.categories.insert(c.id.clone());
        }
        for s in graph.skills() {
            all.skills.insert(s.id.clone());
            if graph
                .prerequisite_groups(&s.id)
                .is_ok_and(|g| !g.is_empty())
            {
                all.groups.insert(s.id.clone());
            }
        }
        for (a, b, _) in graph.edges() {
            all.edges.insert((a, b));
        }
        for r in graph.roles() {
            all.roles.insert(r.id.clone());
        }
        let records = self.record_batches(graph, &all);
        let mut log = sled::Batch::default();
        for key in keys(&self.change_times)? {
            log.remove(key);
        }
        // Going down, the file must never stay above what sled holds ("Lost writes"): lower
        // it first (a file below sled is safe; an open would then refuse a sound database).
        if graph.revision() < self.revision()? {
            self.write_revision_file(graph.revision())
                .map_err(|e| Error::Sled(sled::Error::Io(e)))?;
        }
        self.transact(&records, graph.revision().to_be_bytes(), meta, &log, &log)?;
        self.db.flush()?;
        self.record_revision(graph.revision());
        Ok(())
    }

    /// Raises the revision to `revision` without changing a record, restarting the change log
    /// there (a writer taking over a stream that went further than its own revisions).
    pub fn restart_at(&self, revision: u64) -> Result<(), Error> {
        let mut log = sled::Batch::default();
        for key in self.change_times.iter().keys() {
            log.remove(key?);
        }
        self.transact(&Default::default(), revision.to_be_bytes(), &[], &log, &log)?;
        self.db.flush()?;
        self.record_revision(revision);
        Ok(())
    }

    /// A `meta` value this build's other modules keep (replication's state).
    pub fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.meta.get(key)?.map(|v| v.to_vec()))
    }

    /// Sets `meta` values; with `durable`, flushed to disk before returning, else with the
    /// next commit's flush (or sled's own, at the latest when the database closes).
    pub fn set_meta(&self, pairs: &[(&str, Vec<u8>)], durable: bool) -> Result<(), Error> {
        let mut batch = sled::Batch::default();
        for (key, value) in pairs {
            batch.insert(key.as_bytes(), value.as_slice());
        }
        self.meta.apply_batch(batch)?;
        if durable {
            self.db.flush()?;
        }
        Ok(())
    }

    /// The record trees' batches that make the store hold `graph`'s state of what `changes`
    /// names.
    fn record_batches(&self, graph: &SkillGraph, changes: &ChangeSet) -> [sled::Batch; 5] {
        let mut categories = sled::Batch::default();
        for id in &changes.categories {
            match graph.category(id.as_str()) {
                Some(c) => categories.insert(id.as_str(), encode(&**c)),
                None => categories.remove(id.as_str()),
            }
        }
        let mut skills = sled::Batch::default();
        for id in &changes.skills {
            match graph.skill(id.as_str()) {
                Some(s) => skills.insert(id.as_str(), encode(&**s)),
                None => skills.remove(id.as_str()),
            }
        }
        let mut edges = sled::Batch::default();
        for (a, b) in &changes.edges {
            match graph.edge(a, b) {
                Some(spec) => edges.insert(edge_key(a, b), encode(&spec)),
                None => edges.remove(edge_key(a, b)),
            }
        }
        let mut roles = sled::Batch::default();
        for id in &changes.roles {
            match graph.role(id.as_str()) {
                Some(r) => roles.insert(id.as_str(), encode(&**r)),
                None => roles.remove(id.as_str()),
            }
        }
        let mut groups = sled::Batch::default();
        for id in &changes.groups {
            match graph.prerequisite_groups(id) {
                Ok(list) if !list.is_empty() => groups.insert(id.as_str(), encode(&list)),
                _ => groups.remove(id.as_str()),
            }
        }
        [categories, skills, edges, roles, groups]
    }

    /// One transaction over every tree: the record batches, the revision, `meta`, and the
    /// log's two trees.
    fn transact(
        &self,
        [categories, skills, edges, roles, groups]: &[sled::Batch; 5],
        revision: [u8; 8],
        meta: &[(&str, Vec<u8>)],
        log: &sled::Batch,
        times: &sled::Batch,
    ) -> Result<(), Error> {
        (
            &self.categories,
            &self.skills,
            &self.edges,
            &self.roles,
            &self.groups,
            &self.meta,
            &self.changes,
            &self.change_times,
        )
            .transaction(|(c, s, e, r, g, m, l, t)| {
                c.apply_batch(categories)?;
                s.apply_batch(skills)?;
                e.apply_batch(edges)?;
                r.apply_batch(roles)?;
                g.apply_batch(groups)?;
                m.insert(REVISION_KEY, &revision)?;
                for (key, value) in meta {
                    m.insert(key.as_bytes(), value.as_slice())?;
                }
                l.apply_batch(log)?;
                t.apply_batch(times)?;
                Ok::<(), ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => Error::Sled(e),
                TransactionError::Abort(()) => unreachable!("the transaction never aborts"),
            })
    }

    /// Records the acknowledged revision beside sled's files (see "Lost writes"). Failing to
    /// is logged, not fatal: the write itself is durable, only the damage check weakens.
    fn record_revision(&self, revision: u64) {
        if let Err(e) = self.write_revision_file(revision) {
            tracing::warn!(error = %e, "could not record the acknowledged revision");
        }
    }

    fn write_revision_file(&self, revision: u64) -> std::io::Result<()> {
        let tmp = self.path.join(format!("{REVISION_FILE}.tmp"));
        std::fs::write(&tmp, format!("{revision}\n"))
            .and_then(|()| std::fs::rename(&tmp, self.path.join(REVISION_FILE)))
    }

    /// Bytes the database takes on disk.
    pub fn size_on_disk(&self) -> Result<u64, Error> {
        Ok(self.db.size_on_disk()?)
    }
}

/// Now, in milliseconds since the Unix epoch (0 on a clock set before it).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CategoryId, CategoryKind, Importance, Level, Requirement, RoleId};

    /// Commits with an entry that lists every record as new: these tests are about the data.
    fn commit(store: &Store, g: &SkillGraph, changes: &ChangeSet) {
        let entry = ChangeEntry::new(
            g.revision(),
            now_ms(),
            domain::ChangeKind::Imported,
            &SkillGraph::new(),
            g,
            changes,
        );
        store.commit(g, changes, &entry).unwrap();
    }

    fn sample() -> SkillGraph {
        let mut g = SkillGraph::new();
        g.upsert_category(Category {
            kind: CategoryKind::Skill,
            id: CategoryId::parse("c").unwrap(),
            name: "C".into(),
            description: Some("a category".into()),
            order: 1,
            parent: None,
            external_id: None,
        })
        .unwrap();
        for s in ["a", "b"] {
            g.upsert_skill(Skill {
                id: SkillId::parse(s).unwrap(),
                name: s.into(),
                category: CategoryId::parse("c").unwrap(),
                hours: 5,
                description: None,
                aliases: vec!["alias".into()],
                tags: vec![],
                resources: vec![],
                external_id: None,
            })
            .unwrap();
        }
        let (a, b) = (SkillId::parse("a").unwrap(), SkillId::parse("b").unwrap());
        g.add_prerequisite(&a, &b, EdgeSpec::default()).unwrap();
        g.upsert_role(Role {
            category: None,
            id: RoleId::parse("r").unwrap(),
            name: "R".into(),
            description: None,
            requirements: vec![Requirement {
                skill: a,
                level: Level::new(4).unwrap(),
                importance: Importance::Optional,
                alternatives: vec![b.clone()],
            }],
            aliases: Vec::new(),
            external_id: None,
        })
        .unwrap();
        g.upsert_skill(Skill {
            id: SkillId::parse("c").unwrap(),
            ..Skill::clone(g.skill("a").unwrap())
        })
        .unwrap();
        g.add_prerequisite_group(
            &SkillId::parse("a").unwrap(),
            crate::domain::PrerequisiteGroup {
                kind: crate::domain::PrerequisiteKind::Recommended,
                min_level: Some(Level::new(3).unwrap()),
                options: vec![SkillId::parse("c").unwrap(), SkillId::parse("b").unwrap()],
            },
        )
        .unwrap();
        g.set_revision(1);
        g
    }

    #[test]
    fn what_is_committed_is_read_back_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let mut g = sample();
        {
            let store = Store::open(dir.path()).unwrap();
            assert!(store.is_empty());
            let changes = g.take_changes();
            commit(&store, &g, &changes);
        }
        let store = Store::open(dir.path()).unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.stats(), g.stats());
        assert_eq!(loaded.edges(), g.edges());
        assert_eq!(loaded.role("r"), g.role("r"));
        assert_eq!(loaded.skill("a"), g.skill("a"));
        let a = SkillId::parse("a").unwrap();
        assert_eq!(loaded.prerequisite_groups(&a), g.prerequisite_groups(&a));
        assert_eq!(loaded.prerequisite_groups(&a).unwrap().len(), 1);
        assert_eq!(loaded.revision(), 1);
    }

    #[test]
    fn records_written_before_role_categories_read_and_write_back_the_same() {
        // A category without `kind` is a skill category; a role without `category` has none;
        // both are written back byte for byte, so a database needs no migration.
        let old: &[u8] = br#"{"id":"c","name":"C","order":2,"parent":"p"}"#;
        let category: Category = decode("categories", b"c", old).unwrap();
        assert_eq!(category.kind, CategoryKind::Skill);
        assert_eq!(encode(&category), old);
        let old: &[u8] = br#"{"id":"r","name":"R","requirements":[]}"#;
        let role: Role = decode("roles", b"r", old).unwrap();
        assert_eq!(role.category, None);
        assert_eq!(encode(&role), old);
        // A role category and a placed role carry their fields.
        let family = Category {
            kind: CategoryKind::Role,
            ..category
        };
        assert!(
            String::from_utf8(encode(&family))
                .unwrap()
                .contains(r#""kind":"role""#)
        );
    }

    #[test]
    fn a_role_written_before_alternatives_reads_and_writes_back_the_same() {
        let old: &[u8] = br#"{"id":"r","name":"R","requirements":[{"skill":"a","level":4,"importance":"optional"}]}"#;
        let role: Role = decode("roles", b"r", old).unwrap();
        assert!(role.requirements[0].alternatives.is_empty());
        assert_eq!(encode(&role), old);
    }

    #[test]
    fn deletions_are_persisted_too() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut g = sample();
        let changes = g.take_changes();
        commit(&store, &g, &changes);
        g.delete_skill(
            &SkillId::parse("b").unwrap(),
            crate::domain::OnDelete::Cascade,
        )
        .unwrap();
        g.set_revision(2);
        let changes = g.take_changes();
        commit(&store, &g, &changes);
        let loaded = store.load().unwrap();
        assert!(loaded.skill("b").is_none());
        // a's group of b and c lost b: it became an ordinary edge a → c.
        assert!(store.groups.is_empty());
        assert_eq!(loaded.edges().len(), 1);
        assert_eq!(loaded.revision(), 2);
    }

    #[test]
    fn a_database_from_before_the_log_opens_with_its_log_starting_at_its_revision() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let mut g = sample();
            let changes = g.take_changes();
            commit(&store, &g, &changes);
            // As a build without the log would have left it.
            store.changes.clear().unwrap();
            store.change_times.clear().unwrap();
            store.db.flush().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.log_start().unwrap(), 1);
        assert!(store.changes_after(1, 1, 10).unwrap().is_empty());
    }

    #[test]
    fn a_log_with_a_hole_at_its_end_restarts_at_the_revision() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let mut g = sample();
            let changes = g.take_changes();
            commit(&store, &g, &changes);
            // Revisions 2 and 3 written by a build that keeps no log.
            store
                .meta
                .insert(REVISION_KEY, &3u64.to_be_bytes())
                .unwrap();
            store.db.flush().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.log_start().unwrap(), 3, "no entry 1 without 2 and 3");
        assert!(store.changes.is_empty() && store.change_times.is_empty());
    }

    #[test]
    fn the_entry_is_committed_with_its_data_and_reads_back_equal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut g = sample();
        let changes = g.take_changes();
        let entry = ChangeEntry::new(
            1,
            now_ms(),
            domain::ChangeKind::Imported,
            &SkillGraph::new(),
            &g,
            &changes,
        );
        store.commit(&g, &changes, &entry).unwrap();
        assert_eq!(store.log_start().unwrap(), 0);
        assert_eq!(store.changes_after(0, 1, 10).unwrap(), [entry]);
    }

    #[test]
    fn a_newer_format_version_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.meta.insert(FORMAT_KEY, &99u32.to_be_bytes()).unwrap();
            store.db.flush().unwrap();
        }
        let err = Store::open(dir.path()).err().unwrap();
        assert!(matches!(err, Error::Version { found: 99 }), "{err}");
    }

    #[test]
    fn a_database_that_lost_acknowledged_writes_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let mut g = sample();
            let changes = g.take_changes();
            commit(&store, &g, &changes);
        }
        assert_eq!(recorded_revision(dir.path()), Some(1));
        // As if sled had dropped revisions 2..=5 that were acknowledged.
        std::fs::write(dir.path().join(REVISION_FILE), "5\n").unwrap();
        let err = Store::open(dir.path()).err().unwrap();
        assert!(
            matches!(err, Error::Corrupt(ref m) if m.contains("revision 5 was acknowledged")),
            "{err}"
        );
    }

    #[test]
    fn a_database_in_use_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let _held = Store::open(dir.path()).unwrap();
        assert!(matches!(Store::open(dir.path()), Err(Error::Locked { .. })));
    }

    #[test]
    fn a_directory_of_other_files_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            Store::open(dir.path()),
            Err(Error::Foreign { .. })
        ));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "nothing written"
        );
    }

    #[test]
    fn a_stored_dangling_edge_is_reported_as_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut g = sample();
        let changes = g.take_changes();
        commit(&store, &g, &changes);
        let (a, ghost) = (
            SkillId::parse("a").unwrap(),
            SkillId::parse("ghost").unwrap(),
        );
        store
            .edges
            .insert(edge_key(&a, &ghost), encode(&EdgeSpec::default()))
            .unwrap();
        assert!(matches!(store.load(), Err(Error::Corrupt(_))));
    }
}
