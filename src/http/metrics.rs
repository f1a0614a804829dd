//! Prometheus metrics for `GET /metrics`: requests by GraphQL operation and outcome, their
//! latency, open Server-Sent Events streams, and the size of the graph and the database at
//! scrape time.
//!
//! One registry per server (no process globals), so tests can run many servers side by side.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::catalog::Catalog;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabels, Histogram>,
    skills: Gauge,
    prerequisites: Gauge,
    roles: Gauge,
    revision: Gauge,
    db_bytes: Gauge<u64, AtomicU64>,
    cache_hits: Counter,
    cache_misses: Counter,
    sse_streams: Gauge,
    /// The operation names seen so far: labels come from clients, so past
    /// [`MAX_OPERATIONS`] new names are counted as `other` instead of growing the series (and
    /// the server's memory) without bound.
    operations: std::sync::RwLock<std::collections::HashSet<String>>,
    /// Replication's gauges, on a writer that publishes or a replica.
    replication: Option<ReplicationGauges>,
}

struct ReplicationGauges {
    status: Arc<crate::replication::Status>,
    lag_revisions: Gauge,
    lag_seconds: Gauge<f64, AtomicU64>,
    backlog: Gauge,
    snapshot_age: Gauge<f64, AtomicU64>,
    connected: Gauge,
}

/// Distinct operation names that get series of their own.
const MAX_OPERATIONS: usize = 200;

/// Latency buckets from 100 µs to 3 s.
const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 3.0,
];

impl Metrics {
    pub fn new(replication: Option<Arc<crate::replication::Status>>) -> Arc<Self> {
        let mut registry = Registry::with_prefix("skillgraph");
        let replication = replication.map(|status| {
            let mut int = |name: &str, help: &str| {
                let g = Gauge::default();
                registry.register(name, help, g.clone());
                g
            };
            let lag_revisions = int(
                "replication_lag_revisions",
                "Replica: stream messages published but not yet applied",
            );
            let backlog = int(
                "replication_publish_backlog",
                "Writer: committed revisions JetStream has not acknowledged yet",
            );
            let connected = int("replication_nats_connected", "1 while NATS answers");
            let lag_seconds = Gauge::<f64, AtomicU64>::default();
            registry.register(
                "replication_lag_seconds",
                "Replica: how long it has been behind the stream (0 when caught up)",
                lag_seconds.clone(),
            );
            let snapshot_age = Gauge::<f64, AtomicU64>::default();
            registry.register(
                "replication_snapshot_age_seconds",
                "Seconds since the last snapshot was uploaded (writer) or loaded (replica); \
                 -1 before the first",
                snapshot_age.clone(),
            );
            ReplicationGauges {
                status,
                lag_revisions,
                lag_seconds,
                backlog,
                snapshot_age,
                connected,
            }
        });
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "graphql_requests",
            "GraphQL requests answered, by operation name and outcome",
            requests.clone(),
        );
        let latency =
            Family::<OperationLabels, Histogram>::new_with_constructor(|| Histogram::new(BUCKETS));
        registry.register(
            "graphql_request_duration_seconds",
            "Time to execute a GraphQL request",
            latency.clone(),
        );
        let mut gauge = |name: &str, help: &str| {
            let g = Gauge::default();
            registry.register(name, help, g.clone());
            g
        };
        let skills = gauge("graph_skills", "Skills in the graph");
        let prerequisites = gauge("graph_prerequisites", "Prerequisite edges in the graph");
        let roles = gauge("graph_roles", "Roles in the graph");
        let revision = gauge("graph_revision", "Revision of the graph");
        let db_bytes = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "db_size_bytes",
            "Bytes the sled database takes on disk",
            db_bytes.clone(),
        );
        let cache_hits = Counter::default();
        registry.register(
            "response_cache_hits",
            "Requests answered from the response cache (or by an identical request in flight)",
            cache_hits.clone(),
        );
        let cache_misses = Counter::default();
        registry.register(
            "response_cache_misses",
            "Cacheable requests computed because no answer was stored",
            cache_misses.clone(),
        );
        let sse_streams = Gauge::default();
        registry.register(
            "sse_streams_open",
            "Server-Sent Events streams open now (each holds its subscription)",
            sse_streams.clone(),
        );
        Arc::new(Metrics {
            sse_streams,
            operations: Default::default(),
            cache_hits,
            cache_misses,
            registry,
            requests,
            latency,
            skills,
            prerequisites,
            roles,
            revision,
            db_bytes,
            replication,
        })
    }

    pub fn cache_hit(&self) {
        self.cache_hits.inc();
    }

    pub fn cache_miss(&self) {
        self.cache_misses.inc();
    }

    /// Counts a Server-Sent Events stream as open until the returned guard is dropped, which
    /// happens with the stream: a client that went away shows here as a stream that closed.
    pub fn open_stream(&self) -> OpenStream {
        self.sse_streams.inc();
        OpenStream(self.sse_streams.clone())
    }

    pub fn observe(&self, operation: &str, ok: bool, elapsed: Duration) {
        let known = self
            .operations
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(operation);
        let operation = if known {
            operation
        } else {
            let mut seen = self.operations.write().unwrap_or_else(|e| e.into_inner());
            if seen.len() < MAX_OPERATIONS {
                seen.insert(operation.to_owned());
                operation
            } else {
                "other"
            }
        };
        self.requests
            .get_or_create(&RequestLabels {
                operation: operation.to_owned(),
                outcome: if ok { "ok" } else { "error" },
            })
            .inc();
        self.latency
            .get_or_create(&OperationLabels {
                operation: operation.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// The text exposition, with the graph gauges read now.
    pub fn render(&self, catalog: &Catalog) -> String {
        let stats = catalog.snapshot().stats();
        self.skills.set(stats.skills as i64);
        self.prerequisites.set(stats.prerequisites as i64);
        self.roles.set(stats.roles as i64);
        self.revision
            .set(i64::try_from(stats.revision).unwrap_or(i64::MAX));
        self.db_bytes.set(catalog.size_on_disk().unwrap_or(0));
        if let Some(r) = &self.replication {
            let status = &r.status;
            r.lag_revisions
                .set(i64::try_from(status.lag_revisions()).unwrap_or(i64::MAX));
            r.lag_seconds.set(status.lag_seconds());
            let backlog = stats.revision.saturating_sub(status.published());
            r.backlog.set(match status.role() {
                crate::replication::Role::Writer => i64::try_from(backlog).unwrap_or(i64::MAX),
                crate::replication::Role::Replica => 0,
            });
            r.snapshot_age
                .set(status.snapshot_age_seconds().unwrap_or(-1.0));
            r.connected.set(i64::from(status.connected()));
        }
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "could not encode metrics");
        }
        out
    }
}

/// An open Server-Sent Events stream, counted in `sse_streams_open` while it lives.
pub struct OpenStream(Gauge);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.dec();
    }
}
