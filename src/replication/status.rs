//! What replication is doing, for `/ready` and `/metrics`: updated by the publisher or the
//! follower, read by the HTTP layer. Atomics: read on every probe and scrape, never waited on.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::store::now_ms;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Takes writes and publishes them.
    Writer,
    /// Follows a writer through NATS; refuses writes.
    Replica,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Writer => "writer",
            Role::Replica => "replica",
        }
    }
}

#[derive(Debug)]
pub struct Status {
    role: Role,
    connected: AtomicBool,
    epoch: AtomicU64,
    /// Writer: the newest revision JetStream acknowledged.
    published: AtomicU64,
    /// Replica: a snapshot or its own store gave it a graph of the writer's.
    loaded: AtomicBool,
    /// Replica: messages on the stream after the last one applied, at the last look.
    behind: AtomicU64,
    /// Replica: when (ms since the epoch) the oldest message not yet applied was published;
    /// 0 when caught up.
    oldest_unapplied_ms: AtomicU64,
    /// Replica: whether it has looked at the stream since it started (before, its lag is
    /// unknown, however old its graph).
    measured: AtomicBool,
    /// The last snapshot uploaded (writer) or loaded (replica), ms since the epoch; 0: none.
    snapshot_at_ms: AtomicU64,
    /// Why this server is not ready although it runs (another writer, a format it cannot read).
    problem: Mutex<Option<String>>,
    max_lag_revisions: u64,
    max_lag: Duration,
}

/// What `/ready` answers.
#[derive(Debug)]
pub struct Readiness {
    pub ready: bool,
    pub body: serde_json::Value,
}

impl Status {
    pub fn new(role: Role, max_lag_revisions: u64, max_lag: Duration) -> Self {
        Status {
            role,
            connected: AtomicBool::new(false),
            epoch: AtomicU64::new(0),
            published: AtomicU64::new(0),
            loaded: AtomicBool::new(false),
            behind: AtomicU64::new(0),
            oldest_unapplied_ms: AtomicU64::new(0),
            measured: AtomicBool::new(false),
            snapshot_at_ms: AtomicU64::new(0),
            problem: Mutex::new(None),
            max_lag_revisions,
            max_lag,
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub(crate) fn set_connected(&self, connected: bool) {
        self.connected.store(connected, Ordering::Relaxed);
    }

    pub(crate) fn set_epoch(&self, epoch: u64) {
        self.epoch.store(epoch, Ordering::Relaxed);
    }

    pub(crate) fn set_published(&self, revision: u64) {
        self.published.store(revision, Ordering::Relaxed);
    }

    pub fn published(&self) -> u64 {
        self.published.load(Ordering::Relaxed)
    }

    pub(crate) fn set_loaded(&self) {
        self.loaded.store(true, Ordering::Relaxed);
    }

    pub(crate) fn snapshot_taken(&self) {
        self.snapshot_at_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// Replica: how many messages the stream holds after the last one applied, and when the
    /// oldest of them was published (`None`: unknown, keep the last known).
    pub(crate) fn set_behind(&self, behind: u64, oldest_published_ms: Option<u64>) {
        self.behind.store(behind, Ordering::Relaxed);
        self.measured.store(true, Ordering::Relaxed);
        if behind == 0 {
            self.oldest_unapplied_ms.store(0, Ordering::Relaxed);
        } else if let Some(at) = oldest_published_ms {
            self.oldest_unapplied_ms.store(at.max(1), Ordering::Relaxed);
        }
    }

    pub(crate) fn set_problem(&self, problem: Option<String>) {
        *self.problem.lock().unwrap_or_else(|p| p.into_inner()) = problem;
    }

    pub fn problem(&self) -> Option<String> {
        self.problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replica: revisions behind the stream, as far as it knows.
    pub fn lag_revisions(&self) -> u64 {
        self.behind.load(Ordering::Relaxed)
    }

    /// Replica: the age of the oldest message published but not applied; zero when caught up.
    pub fn lag_seconds(&self) -> f64 {
        match self.oldest_unapplied_ms.load(Ordering::Relaxed) {
            0 => 0.0,
            since => now_ms().saturating_sub(since) as f64 / 1000.0,
        }
    }

    /// Seconds since the last snapshot was uploaded or loaded; `None` before the first.
    pub fn snapshot_age_seconds(&self) -> Option<f64> {
        match self.snapshot_at_ms.load(Ordering::Relaxed) {
            0 => None,
            at => Some(now_ms().saturating_sub(at) as f64 / 1000.0),
        }
    }

    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    /// Ready: a writer unless another writer owns the stream; a replica once it has a graph of
    /// the writer's, has seen the stream since it started, is within the configured lag, and
    /// reads a format it knows. A NATS outage later does not make either unready: both keep
    /// serving what they have (a replica's answers get older, which `lagSeconds` cannot see
    /// while NATS is away; `nats` says so).
    pub fn readiness(&self, revision: u64) -> Readiness {
        let problem = self.problem();
        let mut body = serde_json::json!({
            "role": self.role.name(),
            "revision": revision,
            "epoch": self.epoch.load(Ordering::Relaxed),
            "nats": if self.connected() { "connected" } else { "disconnected" },
        });
        let ready = match self.role {
            Role::Writer => {
                body["published"] = self.published().into();
                body["backlog"] = revision.saturating_sub(self.published()).into();
                problem.is_none()
            }
            Role::Replica => {
                let (lag, lag_seconds) = (self.lag_revisions(), self.lag_seconds());
                body["lagRevisions"] = lag.into();
                body["lagSeconds"] = lag_seconds.into();
                let loaded = self.loaded.load(Ordering::Relaxed);
                let measured = self.measured.load(Ordering::Relaxed);
                if !loaded && problem.is_none() {
                    body["reason"] = "no snapshot loaded yet".into();
                } else if !measured && problem.is_none() {
                    body["reason"] =
                        "has not reached the stream since it started: its lag is unknown".into();
                } else if lag > self.max_lag_revisions || lag_seconds > self.max_lag.as_secs_f64() {
                    body["reason"] = format!(
                        "behind the writer by {lag} revisions ({lag_seconds:.1} s): more than \
                         the {} revisions or {} s allowed",
                        self.max_lag_revisions,
                        self.max_lag.as_secs()
                    )
                    .into();
                }
                loaded
                    && measured
                    && problem.is_none()
                    && lag <= self.max_lag_revisions
                    && lag_seconds <= self.max_lag.as_secs_f64()
            }
        };
        if let Some(problem) = problem {
            body["reason"] = problem.into();
        }
        body["status"] = if ready { "ready" } else { "not ready" }.into();
        Readiness { ready, body }
    }
}
