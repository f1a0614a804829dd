//! Read replicas over NATS JetStream: the writer publishes its change log, replicas follow it.
//!
//! Depends on the catalog (what is applied and published), the store's change log through the
//! catalog, the domain's values and the seed format (snapshots are exports). Must not depend on
//! GraphQL or HTTP: those read [`Status`] and call [`Handle`], never the reverse.
//!
//! # Topology
//! One writer (`serve --nats URL`) takes every write, as without replication, and publishes
//! each committed change-log entry to a JetStream stream. Any number of replicas (`serve
//! --replica-of URL`) load the newest snapshot from a JetStream Object Store bucket, then
//! consume the stream after it and apply each entry with the same replay the change log's
//! property tests check ([`crate::domain::SkillGraph::replay`]). NATS is the only thing the
//! two sides share: a replica never talks to the writer.
//!
//! # The stream (wire format 1, see [`wire`])
//! Subject `<stream>.log` of the stream `<stream>` (default `skillgraph`). Each message is one
//! JSON [`wire::Envelope`] with the header `Skillgraph-Format: 1`:
//! - `entry`: the change-log entry of one revision, exactly as `changes(since:)` lists it;
//! - `reload`: "the graph at this revision is the snapshot named here": published in place of
//!   entries the writer cannot send (an entry larger than the server's message limit, such as an
//!   ESCO import's; entries the change log's retention dropped before they were published; a
//!   writer that took the stream over, whose history is not the stream's).
//!
//! Every message carries the writer's id (a random id its database keeps), its epoch and the
//! revision it brings the graph to. Revisions rise along the stream, by one per `entry`; a
//! `reload` may jump. Stream sequences are not revisions (a reload takes one sequence for many
//! revisions); a snapshot records the sequence of the message that brought the graph to its
//! revision, so a replica that loads it knows where to go on.
//!
//! # The writer's guarantees
//! - **Publishing never blocks or fails a write.** The change log in sled is the outbox: a
//!   task sends what JetStream has not acknowledged, in revision order, and records in the
//!   database the revision and sequence of each acknowledged message (flushed with the next
//!   write: on a restart the stream's own last message decides). A NATS outage only delays
//!   publication; the task reconnects and goes on from the last acknowledgement.
//! - **No duplicate, no gap, even across a crash.** Each publish carries a message id
//!   (`<writer>-<epoch>-<revision>`, so a retry within JetStream's duplicate window is
//!   acknowledged as the message already stored) and the stream's expected last sequence (so a
//!   publish from anyone else in between is refused). On start the writer reads the stream's
//!   last message: if it is its own, it goes on after it, whatever its local record says (the
//!   record may lag by the message in flight when the process died).
//! - **One writer.** A writer that finds another database's message last on the stream does
//!   not publish (its log says why, and `/ready` answers 503) unless started with
//!   `--nats-takeover`; a writer whose publish is refused because someone else published stops
//!   publishing the same way. Each start raises the epoch (kept in the database, above every
//!   epoch seen on the stream), so replicas ignore a stale writer's late messages.
//!
//! # The replica's guarantees
//! It never serves a graph with a hole: it applies an entry only onto the revision right before
//! it, from the writer it follows. A gap, a message of an unknown format version, another
//! writer's entry or a `reload` makes it load a snapshot (the one named, else the newest) and go
//! on from the snapshot's sequence. Applied entries and loaded snapshots are committed to the
//! replica's own sled database like any write, so a restart resumes from where it was, and
//! `changes(since:)`, subscriptions and exports answer from it. A replica never seeds and
//! refuses every mutation (`READ_ONLY_REPLICA`).

mod connect;
mod follower;
mod publisher;
mod status;
pub mod wire;

pub use connect::{NatsTarget, Secret};
pub use follower::follow;
pub use publisher::{Handle, PublisherConfig, SnapshotInfo, publish, request_snapshot};
pub use status::{Role, Status};

/// Why replication failed; every message is safe to log (no secret ever reaches one).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("NATS: {0}")]
    Nats(String),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::Error),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Format(String),
}

impl Error {
    pub(crate) fn nats(e: impl std::fmt::Display) -> Self {
        Error::Nats(e.to_string())
    }
}

/// The snapshots in the bucket whose stream is `objects` (`OBJ_<bucket>`), read from the
/// stream's metadata messages one by one (each the first of its subject at or after a
/// sequence), the last message of each name deciding whether it is deleted.
///
/// Not through async-nats' object listing: against nats-server 2.9 it can end before the
/// newest objects (it trusts the consumer's pending count at creation) and it waits forever
/// for a message deleted while it runs; both were seen here. Bounded in time all the same.
pub(crate) async fn snapshots(
    objects: &async_nats::jetstream::stream::Stream,
    bucket: &str,
) -> Result<Vec<async_nats::jetstream::object_store::ObjectInfo>, Error> {
    let filter = format!("$O.{bucket}.M.>");
    let read = async {
        let mut latest = std::collections::BTreeMap::new();
        let mut next = 1;
        loop {
            let message = match objects
                .raw_message_builder()
                .sequence(next)
                .next_by_subject(filter.clone())
                .send()
                .await
            {
                Ok(message) => message,
                Err(e)
                    if e.kind()
                        == async_nats::jetstream::stream::LastRawMessageErrorKind::NoMessageFound =>
                {
                    break;
                }
                Err(e) => return Err(Error::nats(e)),
            };
            next = message.sequence + 1;
            if let Ok(info) = serde_json::from_slice::<
                async_nats::jetstream::object_store::ObjectInfo,
            >(&message.payload)
                && info.name.starts_with("snapshot-")
            {
                latest.insert(info.name.clone(), info);
            }
        }
        Ok(latest.into_values().filter(|info| !info.deleted).collect())
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .map_err(|_| Error::Nats("listing the snapshots timed out".into()))?
}
