//! `serve` and `probe`: running the server, and asking a running one whether it is healthy.

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::Failure;
use super::data::Db;
use crate::catalog::start::{self, Start};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SKILLGRAPH_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Seed directory loaded when the database is empty; without it, the seed compiled into
    /// the binary (the AI-engineering stack of `seed/`).
    #[arg(long, env = "SKILLGRAPH_SEED")]
    pub seed: Option<PathBuf>,
    #[command(flatten)]
    pub server: crate::config::ServerArgs,
    #[command(flatten)]
    pub replication: crate::config::ReplicationArgs,
}

/// `snapshot`: asks the running writer, through NATS, to upload a snapshot now.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The NATS server the writer publishes to.
    #[arg(
        long,
        env = "SKILLGRAPH_NATS",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub nats: String,
    #[command(flatten)]
    pub connection: crate::config::NatsArgs,
    /// Seconds to wait for the writer's answer.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
}

fn nats_target(
    url: &str,
    args: &crate::config::NatsArgs,
) -> Result<crate::replication::NatsTarget, Failure> {
    let mut target =
        crate::replication::NatsTarget::parse(url, &args.nats_stream).map_err(Failure::Usage)?;
    target.creds = args.nats_creds.clone();
    target.ca = args.nats_ca.clone();
    Ok(target)
}

pub fn snapshot(args: SnapshotArgs) -> Result<(), Failure> {
    let target = nats_target(&args.nats, &args.connection)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let info = runtime
        .block_on(crate::replication::request_snapshot(
            &target,
            std::time::Duration::from_secs(args.timeout),
        ))
        .map_err(|e| Failure::Usage(format!("no snapshot: {e}")))?;
    println!(
        "snapshot {} uploaded: revision {}, epoch {}, {} bytes",
        info.name, info.revision, info.epoch, info.bytes
    );
    Ok(())
}

pub fn serve(db: &Db, args: ServeArgs) -> Result<(), Failure> {
    // Before the database is opened: a bad endpoint is a usage error, not a start-up failure.
    args.server.traces().map_err(Failure::Usage)?;
    let r = &args.replication;
    let writer_target = r
        .nats
        .as_deref()
        .map(|url| nats_target(url, &r.connection))
        .transpose()?;
    let replica_target = r
        .replica_of
        .as_deref()
        .map(|url| nats_target(url, &r.connection))
        .transpose()?;
    let catalog = start::start(
        &db.path,
        db.retention,
        match replica_target {
            Some(_) => Start::Replica,
            None => Start::Seeded(args.seed.as_deref()),
        },
    )?;
    release_start_up_memory();
    let (admin_token, generated) = match (&args.server.admin_token, &args.server.admin_token_file) {
        (Some(token), _) => (token.clone(), false),
        (None, Some(file)) => (std::fs::read_to_string(file)?.trim().to_owned(), false),
        (None, None) => (generate_token(), true),
    };
    if admin_token.len() < 16 {
        return Err(Failure::Usage(
            "the admin token must be at least 16 characters long".into(),
        ));
    }
    let mut config = args
        .server
        .into_config(admin_token.clone())
        .map_err(Failure::Usage)?;
    config.writer_url = args.replication.writer_url.clone();
    let replication = args.replication;
    // Graph work runs on the blocking pool, and each of its threads keeps dense per-node
    // scratch maps (about 4 MB on a 100k-skill graph): on a machine with a few cores, more
    // threads than this only add memory, never throughput.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(64)
        .build()?;
    let served = runtime.block_on(async move {
        let lag = std::time::Duration::from_secs(replication.ready_max_lag_seconds);
        let replicating = match (writer_target, replica_target) {
            (Some(target), _) => {
                let status = std::sync::Arc::new(crate::replication::Status::new(
                    crate::replication::Role::Writer,
                    replication.ready_max_lag_revisions,
                    lag,
                ));
                tracing::info!(nats = %target.display(), stream = %target.stream, "publishing writes to NATS JetStream");
                let config = crate::replication::PublisherConfig {
                    target,
                    takeover: replication.nats_takeover,
                    snapshot_every_revisions: replication.snapshot_every_revisions,
                    snapshot_every: std::time::Duration::from_secs(
                        replication.snapshot_every_minutes.saturating_mul(60),
                    ),
                    snapshots_keep: usize::try_from(replication.snapshots_keep)
                        .unwrap_or(usize::MAX),
                    stream_max_messages: replication.nats_stream_max_messages,
                };
                let takeover = config.takeover;
                let (handle, _task) =
                    crate::replication::publish(catalog.clone(), config, status.clone())
                        .map_err(|e| Failure::Usage(e.to_string()))?;
                // Writes wait until the stream has been read: a writer that takes a stream
                // over (or whose database is older than what it published) raises its revision
                // above the stream's first, so no write reuses a revision replicas served. A
                // takeover waits for NATS as long as it takes; a plain start at most a few
                // seconds (NATS down: writes go on and are published later).
                let bound = if takeover {
                    std::time::Duration::MAX
                } else {
                    std::time::Duration::from_secs(5)
                };
                if !handle.synced(bound).await {
                    tracing::warn!("NATS did not answer within 5 s: serving, publishing later");
                }
                Some(crate::http::Replication {
                    status,
                    snapshots: Some(handle),
                })
            }
            (None, Some(target)) => {
                let status = std::sync::Arc::new(crate::replication::Status::new(
                    crate::replication::Role::Replica,
                    replication.ready_max_lag_revisions,
                    lag,
                ));
                tracing::info!(nats = %target.display(), stream = %target.stream, "serving as a read replica");
                crate::replication::follow(catalog.clone(), target, status.clone());
                Some(crate::http::Replication {
                    status,
                    snapshots: None,
                })
            }
            (None, None) => None,
        };
        let listener = tokio::net::TcpListener::bind(args.addr).await?;
        let addr = listener.local_addr()?;
        let stats = catalog.snapshot().stats();
        tracing::info!(
            %addr,
            db = %db.path.display(),
            skills = stats.skills,
            roles = stats.roles,
            revision = stats.revision,
            "serving GraphQL at http://{addr}/graphql, GraphiQL at http://{addr}/"
        );
        if generated {
            // Printed once, to the terminal that started the server, and never logged again.
            println!(
                "admin token for this run (set SKILLGRAPH_ADMIN_TOKEN to choose one): {admin_token}"
            );
        }
        crate::http::serve_with(listener, catalog, config, replicating, shutdown_signal()).await?;
        tracing::info!("shut down cleanly");
        Ok::<(), Failure>(())
    });
    // Requests have finished; what may still run on the blocking pool is replication's (a
    // replica loading a large snapshot, minutes on a 100k graph): it is left to the exit, as a
    // crash would leave it (every commit is one transaction), instead of holding SIGTERM up.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    served
}

pub fn probe(addr: std::net::SocketAddr) -> Result<(), Failure> {
    use std::io::Read;
    // A server bound to 0.0.0.0 is reached through loopback.
    let addr = if addr.ip().is_unspecified() {
        std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    };
    let timeout = std::time::Duration::from_secs(3);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(b"GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    if response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200") {
        println!("healthy");
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "unhealthy: {}",
            response.lines().next().unwrap_or("no answer")
        )))
    }
}

/// A random 256-bit token, hex-encoded.
fn generate_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Resolves on Ctrl-C or SIGTERM, whichever comes first.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: finishing in-flight requests");
}

/// Hands back to the system what start-up freed. Loading the graph and building the
/// extraction automaton (both on this thread, in [`start::start`]) free about a hundred
/// megabytes on ESCO, which mimalloc keeps resident until this thread allocates again after
/// its purge delay, and a server's main thread never does: measured on ESCO, 297 MB resident
/// after start-up without this, 200 MB (195 MiB) with it. Only start-up's garbage is purged
/// eagerly; the serving threads keep mimalloc's delayed purge, which spares them a system call
/// per freed page. Without mimalloc as the allocator (the library's tests) it frees nothing.
fn release_start_up_memory() {
    // SAFETY: mi_collect only walks this thread's heap and the abandoned segments.
    unsafe { libmimalloc_sys::mi_collect(true) };
}
