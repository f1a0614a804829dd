//! How the server is configured: every limit and default, written once.
//!
//! [`ServerConfig`] is what the HTTP layer runs with and [`Limits`] what the GraphQL layer
//! enforces; their `Default` impls are the only place a default value is written. The
//! command-line flags ([`ServerArgs`], [`LimitArgs`]) take their defaults from those impls, so
//! `--help`, the library's defaults and the tests cannot drift apart.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};

/// Caps that keep one request from doing unbounded work. Every refusal is a `LIMIT_EXCEEDED`
/// error naming the limit by its camel-case name (`maxPage`, …).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest `first` or `last` of a connection, or `first` of `matchRoles`.
    pub max_page: usize,
    /// Most targets (skills plus roles) in one learning path.
    pub max_targets: usize,
    /// Most skills in one profile.
    pub max_profile_skills: usize,
    /// Deepest query.
    pub max_depth: usize,
    /// Most complex query: fields, with each list field counting its items' fields times a
    /// typical length and each paged list times its `first` (see `graphql::args::LIST`).
    /// Introspection fields count like any other.
    pub max_complexity: usize,
    /// Most skills one transitive `prerequisites` or `unlocks` list may return.
    pub max_expansion: usize,
    /// Most aliased fields in one document (alias-based batching multiplies work).
    pub max_aliases: usize,
    /// Most lexical tokens in one document, checked before it is parsed.
    pub max_tokens: usize,
    /// Most directives in one document.
    pub max_directives: usize,
    /// Longest text, in bytes, that `extractSkills` reads or a profile's `text` holds.
    pub max_text_bytes: usize,
    /// Largest `first` of `Role.similar`: each similar role costs two plans.
    pub max_similar: usize,
    /// Longest search text, in characters, of `skills(query:)` and `roles(query:)`: what a
    /// person types in a search box, not a document (the substring and typo tiers grow with
    /// the text).
    pub max_query_chars: usize,
    /// Most titles in one `normalizeTitles`: each costs a few searches.
    pub max_titles: usize,
    /// Most representations one `_entities` asks for (a federated server's entity lookups,
    /// see `--federation`): a list like any other, bounded as a page is.
    pub max_representations: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_page: 100,
            max_targets: 50,
            max_profile_skills: 500,
            max_depth: 15,
            max_complexity: 50_000,
            max_expansion: 10_000,
            max_aliases: 30,
            max_tokens: 5_000,
            max_directives: 50,
            // A long CV or job ad is 10-30 KB of text; extracting 100 KB on ESCO takes tens of
            // milliseconds (see BENCHMARKS.md).
            max_text_bytes: 100_000,
            max_similar: 50,
            // The longest ESCO label is under 200 characters; a 10,000-character search took
            // 200 ms on ESCO before this bound (issue 20).
            max_query_chars: 200,
            // A recruiter's batch of ads; 500 titles take well under a second on ESCO.
            max_titles: 500,
            // A gateway asks for the entities of one list of another subgraph at once; a page
            // of ours is at most 100 items too.
            max_representations: 100,
        }
    }
}

/// How much of the change log a database keeps (see `store`, "Change log"): the newest
/// `revisions` entries, and of those only the ones younger than `max_age` when it is set.
/// `changes(since:)` answers from any revision from the oldest kept entry's predecessor on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Most entries kept; at least 1.
    pub revisions: u64,
    /// Entries older than this are dropped (the newest is always kept); `None`: no age limit.
    pub max_age: Option<Duration>,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            revisions: 10_000,
            max_age: None,
        }
    }
}

impl Retention {
    /// Most entries one write drops from the front of the log: trimming stays a bounded part
    /// of a write even right after the retention was lowered (opening trims all at once).
    pub const TRIM_PER_WRITE: usize = 64;

    /// Keeps every entry: what commands that only read open with, since opening trims to the
    /// retention and a read must not shorten a log the server keeps longer.
    pub const KEEP_ALL: Retention = Retention {
        revisions: u64::MAX,
        max_age: None,
    };
}

/// The change log's retention flags, global to every command that opens the database.
#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Change-log entries the database keeps (the newest ones); `changes(since:)` further
    /// back is refused with REVISION_EXPIRED.
    #[arg(long, global = true, env = "SKILLGRAPH_CHANGE_LOG_REVISIONS",
          default_value_t = Retention::default().revisions,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub change_log_revisions: u64,
    /// Drop change-log entries older than this many hours (the newest is always kept);
    /// 0: no age limit.
    #[arg(
        long,
        global = true,
        env = "SKILLGRAPH_CHANGE_LOG_MAX_AGE_HOURS",
        default_value_t = 0
    )]
    pub change_log_max_age_hours: u64,
}

impl RetentionArgs {
    pub fn retention(&self) -> Retention {
        Retention {
            revisions: self.change_log_revisions,
            max_age: (self.change_log_max_age_hours > 0)
                .then(|| Duration::from_secs(self.change_log_max_age_hours.saturating_mul(3600))),
        }
    }
}

/// How the server behaves; everything here comes from the command line or the environment.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The bearer token mutations need.
    pub admin_token: String,
    /// Origins allowed by CORS; empty means same-origin only, `*` means any.
    pub cors_origins: Vec<String>,
    pub limits: Limits,
    /// Largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered with 503 and `LIMIT_EXCEEDED`.
    pub request_timeout: Duration,
    /// Requests handled at once; beyond that new ones are shed at once with 503 and
    /// `Retry-After` instead of queueing without bound.
    pub max_concurrency: usize,
    /// Most operations in one batched request; 0 (the default) refuses every batch.
    pub max_batch: usize,
    /// Serve introspection, field suggestions and GraphiQL (turn off for production with
    /// `--no-introspection`).
    pub introspection: bool,
    /// Bytes the response cache may hold (see `http::cache`); 0 turns it off.
    pub response_cache_bytes: u64,
    /// Automatic persisted queries (Apollo's protocol): documents registered by hash.
    pub persisted_queries: bool,
    /// Trusted documents: when set, only these documents run (by hash or by text).
    pub trusted_documents: Option<TrustedDocuments>,
    /// Longest a request with `Skillgraph-Min-Revision` waits for that revision before it is
    /// refused with `REVISION_NOT_REACHED`.
    pub min_revision_wait: Duration,
    /// How long a CDN or a browser may serve an anonymous GET query's answer without asking
    /// again (`Cache-Control: public, max-age`); zero: `public, no-cache`, stored but
    /// revalidated with its ETag each time.
    pub public_max_age: Duration,
    /// A replica's writer, named in `READ_ONLY_REPLICA` refusals.
    pub writer_url: Option<String>,
    /// Longest silence on a Server-Sent Events stream: a comment line is sent after it, so
    /// proxies and load balancers that cut idle connections keep an open subscription.
    pub sse_keep_alive: Duration,
    /// Serve as an Apollo Federation v2 subgraph: `Skill` and `Role` are entities,
    /// `_service { sdl }` and `_entities(representations:)` are served (see `--federation`).
    pub federation: bool,
    /// Whether spans are exported over OTLP ([`Traces`]): the HTTP layer then continues the
    /// caller's `traceparent` and the schema times validation and execution. Off, none of
    /// that machinery runs.
    pub traces: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            admin_token: String::new(),
            cors_origins: vec![],
            limits: Limits::default(),
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            max_concurrency: 512,
            // Off, as Apollo Server 4 made it: array batching multiplies the work of one
            // request past the per-request limits, and scanners (graphql-cop) flag it. Apollo
            // Client's BatchHttpLink needs `--max-batch N`.
            max_batch: 0,
            introspection: true,
            response_cache_bytes: 64 * 1024 * 1024,
            persisted_queries: true,
            trusted_documents: None,
            min_revision_wait: Duration::from_secs(2),
            // Revalidate by default: an answer is current until the next write, and nobody
            // knows when that is; a deployment that accepts minutes of staleness says so.
            public_max_age: Duration::ZERO,
            writer_url: None,
            // Under the idle timeouts of common proxies and load balancers (nginx's
            // proxy_read_timeout and AWS ALB: 60 s; Heroku's router: 55 s).
            sse_keep_alive: Duration::from_secs(15),
            federation: false,
            traces: false,
        }
    }
}

fn defaults() -> ServerConfig {
    ServerConfig::default()
}

fn limits() -> Limits {
    Limits::default()
}

/// The server's command-line flags (each also an environment variable).
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Bearer token for mutations. Without it (or a token file) one is generated and printed.
    #[arg(long, env = "SKILLGRAPH_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// A file holding the admin token (e.g. a container secret).
    #[arg(
        long,
        env = "SKILLGRAPH_ADMIN_TOKEN_FILE",
        conflicts_with = "admin_token"
    )]
    pub admin_token_file: Option<PathBuf>,
    /// An origin allowed to call the API from a browser (`*` for any); repeatable or comma-separated.
    #[arg(long, env = "SKILLGRAPH_CORS_ORIGIN", value_delimiter = ',')]
    pub cors_origin: Vec<String>,
    /// Turn off introspection, field suggestions and GraphiQL (production deployments that do
    /// not publish the schema).
    #[arg(long, env = "SKILLGRAPH_NO_INTROSPECTION")]
    pub no_introspection: bool,
    /// Megabytes of answers the response cache keeps (queries only, per revision and caller
    /// scope); 0 turns it off.
    #[arg(long, env = "SKILLGRAPH_RESPONSE_CACHE_MB",
          default_value_t = defaults().response_cache_bytes / (1024 * 1024))]
    pub response_cache_mb: u64,
    /// Turn off automatic persisted queries (documents registered by their SHA-256 hash).
    #[arg(long, env = "SKILLGRAPH_NO_PERSISTED_QUERIES")]
    pub no_persisted_queries: bool,
    /// Run only the documents in this file (a JSON object of hash → document, or an Apollo
    /// persisted-query manifest); any other document is refused.
    #[arg(long, env = "SKILLGRAPH_TRUSTED_DOCUMENTS", value_name = "FILE")]
    pub trusted_documents: Option<PathBuf>,
    /// Longest, in milliseconds, a request with `Skillgraph-Min-Revision: R` waits for the
    /// server to reach R (then REVISION_NOT_REACHED, 503).
    #[arg(long, env = "SKILLGRAPH_MIN_REVISION_WAIT_MS",
          default_value_t = defaults().min_revision_wait.as_millis() as u64)]
    pub min_revision_wait_ms: u64,
    /// Seconds a CDN or browser may serve an anonymous GET query's answer without asking
    /// again (Cache-Control max-age); 0: revalidate each time with the ETag.
    #[arg(long, env = "SKILLGRAPH_PUBLIC_MAX_AGE_SECS", default_value_t = 0)]
    pub public_max_age_secs: u64,
    /// Seconds of silence after which an open Server-Sent Events stream gets a keep-alive
    /// comment, so that proxies do not cut idle subscriptions.
    #[arg(long, env = "SKILLGRAPH_SSE_KEEP_ALIVE_SECS",
          default_value_t = defaults().sse_keep_alive.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub sse_keep_alive_secs: u64,
    /// Serve as an Apollo Federation v2 subgraph: `Skill` and `Role` become entities
    /// (`@key(fields: "id")`), and `_service { sdl }` and `_entities(representations:)` join
    /// the schema (`skillgraph schema --federation` prints its subgraph SDL).
    #[arg(long, env = "SKILLGRAPH_FEDERATION")]
    pub federation: bool,
    /// Export traces over OTLP (HTTP/protobuf) to this collector, e.g.
    /// `http://localhost:4318` (spans go to its `/v1/traces`). Without it,
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` is read; without either, no traces.
    #[arg(long, env = "SKILLGRAPH_OTLP_ENDPOINT", value_name = "URL")]
    pub otlp_endpoint: Option<String>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Limits against abuse; every refusal is a `LIMIT_EXCEEDED` error naming the limit.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Largest request body in bytes (413 beyond).
    #[arg(long, env = "SKILLGRAPH_MAX_BODY_BYTES", default_value_t = defaults().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Longest a request may run, in milliseconds (503 beyond).
    #[arg(long, env = "SKILLGRAPH_REQUEST_TIMEOUT_MS",
          default_value_t = defaults().request_timeout.as_millis() as u64)]
    pub request_timeout_ms: u64,
    /// Requests handled at once; more are shed with 503 and Retry-After.
    #[arg(long, env = "SKILLGRAPH_MAX_CONCURRENCY", default_value_t = defaults().max_concurrency)]
    pub max_concurrency: usize,
    /// Most operations in one batched request; 0 (the default) turns array batching off.
    #[arg(long, env = "SKILLGRAPH_MAX_BATCH", default_value_t = defaults().max_batch)]
    pub max_batch: usize,
    /// Deepest query.
    #[arg(long, env = "SKILLGRAPH_MAX_DEPTH", default_value_t = limits().max_depth)]
    pub max_depth: usize,
    /// Most complex query: fields (aliases and introspection included), lists counted times
    /// their length.
    #[arg(long, env = "SKILLGRAPH_MAX_COMPLEXITY", default_value_t = limits().max_complexity)]
    pub max_complexity: usize,
    /// Largest `first` (or `last`) of a list.
    #[arg(long, env = "SKILLGRAPH_MAX_PAGE", default_value_t = limits().max_page)]
    pub max_page: usize,
    /// Most targets in one learning path.
    #[arg(long, env = "SKILLGRAPH_MAX_TARGETS", default_value_t = limits().max_targets)]
    pub max_targets: usize,
    /// Most skills in one profile.
    #[arg(long, env = "SKILLGRAPH_MAX_PROFILE_SKILLS", default_value_t = limits().max_profile_skills)]
    pub max_profile_skills: usize,
    /// Most skills one transitive prerequisites or unlocks list may return.
    #[arg(long, env = "SKILLGRAPH_MAX_EXPANSION", default_value_t = limits().max_expansion)]
    pub max_expansion: usize,
    /// Most aliased fields in one document.
    #[arg(long, env = "SKILLGRAPH_MAX_ALIASES", default_value_t = limits().max_aliases)]
    pub max_aliases: usize,
    /// Most lexical tokens in one document (checked before parsing).
    #[arg(long, env = "SKILLGRAPH_MAX_TOKENS", default_value_t = limits().max_tokens)]
    pub max_tokens: usize,
    /// Most directives in one document.
    #[arg(long, env = "SKILLGRAPH_MAX_DIRECTIVES", default_value_t = limits().max_directives)]
    pub max_directives: usize,
    /// Longest text in bytes that `extractSkills` reads or a profile's `text` holds.
    #[arg(long, env = "SKILLGRAPH_MAX_TEXT_BYTES", default_value_t = limits().max_text_bytes)]
    pub max_text_bytes: usize,
    /// Largest `first` of `Role.similar`.
    #[arg(long, env = "SKILLGRAPH_MAX_SIMILAR", default_value_t = limits().max_similar)]
    pub max_similar: usize,
    /// Longest search text in characters (`skills(query:)`, `roles(query:)`).
    #[arg(long, env = "SKILLGRAPH_MAX_QUERY_CHARS", default_value_t = limits().max_query_chars)]
    pub max_query_chars: usize,
    /// Most titles in one `normalizeTitles`.
    #[arg(long, env = "SKILLGRAPH_MAX_TITLES", default_value_t = limits().max_titles)]
    pub max_titles: usize,
    /// Most representations in one `_entities` (with `--federation`).
    #[arg(long, env = "SKILLGRAPH_MAX_REPRESENTATIONS",
          default_value_t = limits().max_representations)]
    pub max_representations: usize,
}

impl ServerArgs {
    /// The configuration these flags describe, with `admin_token` resolved by the caller
    /// (generated when none is given).
    pub fn into_config(self, admin_token: String) -> Result<ServerConfig, String> {
        let traces = self.traces()?.is_some();
        let l = self.limits;
        let trusted_documents = self
            .trusted_documents
            .as_deref()
            .map(TrustedDocuments::load)
            .transpose()?;
        Ok(ServerConfig {
            admin_token,
            cors_origins: self.cors_origin,
            limits: Limits {
                max_page: l.max_page,
                max_targets: l.max_targets,
                max_profile_skills: l.max_profile_skills,
                max_depth: l.max_depth,
                max_complexity: l.max_complexity,
                max_expansion: l.max_expansion,
                max_aliases: l.max_aliases,
                max_tokens: l.max_tokens,
                max_directives: l.max_directives,
                max_text_bytes: l.max_text_bytes,
                max_similar: l.max_similar,
                max_query_chars: l.max_query_chars,
                max_titles: l.max_titles,
                max_representations: l.max_representations,
            },
            max_body_bytes: l.max_body_bytes,
            request_timeout: Duration::from_millis(l.request_timeout_ms),
            max_concurrency: l.max_concurrency.max(1),
            max_batch: l.max_batch,
            introspection: !self.no_introspection,
            response_cache_bytes: self.response_cache_mb.saturating_mul(1024 * 1024),
            persisted_queries: !self.no_persisted_queries,
            trusted_documents,
            min_revision_wait: Duration::from_millis(self.min_revision_wait_ms),
            public_max_age: Duration::from_secs(self.public_max_age_secs),
            writer_url: None,
            sse_keep_alive: Duration::from_secs(self.sse_keep_alive_secs),
            federation: self.federation,
            traces,
        })
    }
}

/// Where spans go and under which service name: the resolved `--otlp-endpoint` (see
/// `telemetry`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Traces {
    /// The collector's traces URL: the endpoint given, with `/v1/traces` appended as the
    /// OTLP specification does for `OTEL_EXPORTER_OTLP_ENDPOINT`.
    pub endpoint: String,
    /// `service.name` of every span: `OTEL_SERVICE_NAME`, else `skillgraph`.
    pub service_name: String,
}

impl Traces {
    /// The service name when `OTEL_SERVICE_NAME` names none.
    pub const DEFAULT_SERVICE: &str = "skillgraph";

    /// The traces configuration from the flag (or `SKILLGRAPH_OTLP_ENDPOINT`) and the standard
    /// OpenTelemetry variables `env` reads; `None` when no endpoint is set (traces off). Only
    /// plain `http://` is accepted: the exporter is built without TLS, since a collector is
    /// reached on loopback or inside the cluster, and an `https://` endpoint would only fail
    /// at every export.
    pub fn resolve(
        flag: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Traces>, String> {
        let endpoint = match flag
            .map(str::to_owned)
            .or_else(|| env("OTEL_EXPORTER_OTLP_ENDPOINT"))
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())
        {
            Some(endpoint) => endpoint,
            None => return Ok(None),
        };
        let Some(rest) = endpoint.strip_prefix("http://") else {
            return Err(format!(
                "the OTLP endpoint {endpoint} is not an http:// URL: traces are sent as \
                 HTTP/protobuf without TLS, to a collector on this host or network"
            ));
        };
        if rest.is_empty() || rest.starts_with('/') {
            return Err(format!("the OTLP endpoint {endpoint} names no host"));
        }
        let service_name = env("OTEL_SERVICE_NAME")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| Self::DEFAULT_SERVICE.to_owned());
        Ok(Some(Traces {
            endpoint: format!("{}/v1/traces", endpoint.trim_end_matches('/')),
            service_name,
        }))
    }
}

impl ServerArgs {
    /// Traces as these flags and the process environment configure them.
    pub fn traces(&self) -> Result<Option<Traces>, String> {
        Traces::resolve(self.otlp_endpoint.as_deref(), |name| {
            std::env::var(name).ok()
        })
    }
}

/// The documents of a trusted-documents file (`--trusted-documents`), as the file gives them.
/// Read with the flags, so that a bad file stops the server before it starts; the executor
/// indexes them by hash and id (`graphql::exec`). The file is JSON: either an object of id →
/// document (GraphQL Code Generator's `persisted-documents.json`) or Apollo's persisted-query
/// manifest (`{"format": "apollo-persisted-query-manifest", "operations": [{"id", "body", …}]}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedDocuments {
    /// Each document's id in the file (if it gives one) and its text, in the file's order.
    pub documents: Vec<(Option<String>, String)>,
}

impl TrustedDocuments {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read trusted documents {}: {e}", path.display()))?;
        Self::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let mut documents: Vec<(Option<String>, String)> = Vec::new();
        match &json {
            serde_json::Value::Object(map) if map.contains_key("operations") => {
                let operations = map["operations"]
                    .as_array()
                    .ok_or("`operations` must be a list")?;
                for op in operations {
                    let body = op
                        .get("body")
                        .and_then(|b| b.as_str())
                        .ok_or("every operation needs a `body` string")?;
                    let id = op.get("id").and_then(|i| i.as_str()).map(str::to_owned);
                    documents.push((id, body.to_owned()));
                }
            }
            serde_json::Value::Object(map) => {
                for (id, body) in map {
                    let body = body
                        .as_str()
                        .ok_or_else(|| format!("the document of {id} must be a string"))?;
                    documents.push((Some(id.clone()), body.to_owned()));
                }
            }
            _ => return Err("expected an object of id → document or a manifest".into()),
        }
        Ok(TrustedDocuments { documents })
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines; coloured only when standard error is a terminal.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Replication over NATS JetStream (see `replication`): a writer publishes, replicas follow.
/// URLs may carry credentials (`nats://user:password@host:4222`, `nats://token@host:4222`);
/// they are never logged.
#[derive(Debug, Args)]
pub struct ReplicationArgs {
    /// Publish every committed write to the JetStream of this NATS server (the writer).
    #[arg(
        long,
        env = "SKILLGRAPH_NATS",
        hide_env_values = true,
        value_name = "URL",
        conflicts_with = "replica_of"
    )]
    pub nats: Option<String>,
    /// Serve as a read replica of the writer that publishes to this NATS server: never seeds,
    /// refuses mutations.
    #[arg(
        long,
        env = "SKILLGRAPH_REPLICA_OF",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub replica_of: Option<String>,
    #[command(flatten)]
    pub connection: NatsArgs,
    /// A replica's writer (its public URL), named when a mutation is refused.
    #[arg(long, env = "SKILLGRAPH_WRITER_URL", value_name = "URL")]
    pub writer_url: Option<String>,
    /// Publish even though another writer's database published to the stream last: moving
    /// the writer to a database that is not a copy of the old one's. Stop the old writer first.
    #[arg(long, env = "SKILLGRAPH_NATS_TAKEOVER")]
    pub nats_takeover: bool,
    /// The writer uploads a snapshot every this many revisions.
    #[arg(long, env = "SKILLGRAPH_SNAPSHOT_EVERY_REVISIONS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub snapshot_every_revisions: u64,
    /// …or every this many minutes when the revision moved, whichever comes first.
    #[arg(long, env = "SKILLGRAPH_SNAPSHOT_EVERY_MINUTES", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub snapshot_every_minutes: u64,
    /// Snapshots the bucket keeps (the newest).
    #[arg(long, env = "SKILLGRAPH_SNAPSHOTS_KEEP", default_value_t = 3,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub snapshots_keep: u64,
    /// Messages the stream keeps when the writer creates it (the oldest go first); keep it
    /// well above `--snapshot-every-revisions`.
    #[arg(long, env = "SKILLGRAPH_NATS_STREAM_MAX_MESSAGES", default_value_t = 100_000,
          value_parser = clap::value_parser!(i64).range(1..))]
    pub nats_stream_max_messages: i64,
    /// A replica is ready while at most this many revisions behind.
    #[arg(
        long,
        env = "SKILLGRAPH_READY_MAX_LAG_REVISIONS",
        default_value_t = 100
    )]
    pub ready_max_lag_revisions: u64,
    /// …and behind for at most this many seconds.
    #[arg(long, env = "SKILLGRAPH_READY_MAX_LAG_SECONDS", default_value_t = 10)]
    pub ready_max_lag_seconds: u64,
}

/// How to reach the stream on a NATS server: shared by `serve` and `snapshot`.
#[derive(Debug, Args)]
pub struct NatsArgs {
    /// The JetStream stream (the snapshots' bucket is `<stream>_snapshots`).
    #[arg(long, env = "SKILLGRAPH_NATS_STREAM", default_value = "skillgraph")]
    pub nats_stream: String,
    /// A NATS `.creds` file (JWT and NKey seed).
    #[arg(long, env = "SKILLGRAPH_NATS_CREDS", value_name = "FILE")]
    pub nats_creds: Option<PathBuf>,
    /// A CA certificate (PEM) that signed the NATS server's TLS certificate; turns TLS on.
    #[arg(long, env = "SKILLGRAPH_NATS_CA", value_name = "FILE")]
    pub nats_ca: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_are_off_without_an_endpoint_and_follow_the_standard_variables() {
        let none = |_: &str| None;
        assert_eq!(Traces::resolve(None, none), Ok(None));
        let standard = |name: &str| match name {
            "OTEL_EXPORTER_OTLP_ENDPOINT" => Some("http://collector:4318/".to_owned()),
            "OTEL_SERVICE_NAME" => Some("skills-eu".to_owned()),
            _ => None,
        };
        assert_eq!(
            Traces::resolve(None, standard),
            Ok(Some(Traces {
                endpoint: "http://collector:4318/v1/traces".into(),
                service_name: "skills-eu".into(),
            }))
        );
        // The flag wins over the standard variable; the service name defaults.
        assert_eq!(
            Traces::resolve(Some("http://127.0.0.1:4318"), |name| (name
                == "OTEL_EXPORTER_OTLP_ENDPOINT")
                .then(|| "http://elsewhere:4318".to_owned())),
            Ok(Some(Traces {
                endpoint: "http://127.0.0.1:4318/v1/traces".into(),
                service_name: "skillgraph".into(),
            }))
        );
        for bad in [
            "https://collector:4318",
            "collector:4318",
            "http://",
            "http:///v1",
        ] {
            let error = Traces::resolve(Some(bad), none).unwrap_err();
            assert!(error.contains(bad), "{error}");
        }
    }

    #[test]
    fn both_trusted_document_formats_give_the_same_documents() {
        let body = "query Count { stats { skills } }";
        let manifest = serde_json::json!({
            "format": "apollo-persisted-query-manifest",
            "operations": [{ "id": "count", "name": "Count", "body": body }]
        });
        let object = serde_json::json!({ "count": body });
        let expected = vec![(Some("count".to_owned()), body.to_owned())];
        for file in [manifest, object] {
            let read = TrustedDocuments::from_json(&file.to_string()).unwrap();
            assert_eq!(read.documents, expected);
        }
    }

    #[test]
    fn a_bad_trusted_documents_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.json");
        let error = TrustedDocuments::load(&missing).unwrap_err();
        assert!(
            error.starts_with(&format!(
                "cannot read trusted documents {}: ",
                missing.display()
            )),
            "{error}"
        );
        for (text, why) in [
            ("[]", "expected an object of id → document or a manifest"),
            (r#"{"operations": 1}"#, "`operations` must be a list"),
            (
                r#"{"operations": [{"id": "x"}]}"#,
                "every operation needs a `body` string",
            ),
            (r#"{"x": 1}"#, "the document of x must be a string"),
        ] {
            let file = dir.path().join("documents.json");
            std::fs::write(&file, text).unwrap();
            let error = TrustedDocuments::load(&file).unwrap_err();
            assert_eq!(error, format!("{}: {why}", file.display()));
        }
    }
}
