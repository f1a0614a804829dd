//! The replica's side: a task that loads snapshots and applies the stream's entries to a
//! read-only catalog (see the module docs of [`crate::replication`] for the guarantees).

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, consumer::DeliverPolicy};
use futures_util::StreamExt;
use tokio::io::AsyncReadExt;

use super::wire::{Body, Envelope, FORMAT_HEADER, SnapshotTag};
use super::{Error, NatsTarget, Status};
use crate::catalog::Catalog;

const WRITER_KEY: &str = "replica.writer";
const EPOCH_KEY: &str = "replica.epoch";
const SEQUENCE_KEY: &str = "replica.sequence";

/// Longest a snapshot may take to download (ESCO's is about 25 MB).
const READ_SNAPSHOT: Duration = Duration::from_secs(300);

/// Where the replica is: whose graph it holds, and the last stream message it took.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Position {
    writer: Option<String>,
    epoch: u64,
    sequence: u64,
}

impl Position {
    fn load(catalog: &Catalog) -> Result<Self, Error> {
        let number = |key| -> Result<u64, Error> {
            Ok(catalog
                .meta(key)?
                .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
                .map_or(0, u64::from_be_bytes))
        };
        Ok(Position {
            writer: catalog
                .meta(WRITER_KEY)?
                .map(|w| String::from_utf8_lossy(&w).into_owned()),
            epoch: number(EPOCH_KEY)?,
            sequence: number(SEQUENCE_KEY)?,
        })
    }

    fn meta(&self) -> Vec<(&'static str, Vec<u8>)> {
        vec![
            (
                WRITER_KEY,
                self.writer.clone().unwrap_or_default().into_bytes(),
            ),
            (EPOCH_KEY, self.epoch.to_be_bytes().to_vec()),
            (SEQUENCE_KEY, self.sequence.to_be_bytes().to_vec()),
        ]
    }
}

/// Starts following `target` into `catalog` (a replica's); runs until the runtime ends.
pub fn follow(
    catalog: Arc<Catalog>,
    target: NatsTarget,
    status: Arc<Status>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut position = match Position::load(&catalog) {
            Ok(position) => position,
            Err(e) => {
                tracing::error!(error = %e, "replication: cannot read the replica's position");
                status.set_problem(Some(format!("cannot read the replica's position: {e}")));
                return;
            }
        };
        if position.writer.is_some() {
            // Its own store holds a graph of the writer's: it serves it while catching up.
            status.set_loaded();
            status.set_epoch(position.epoch);
        }
        loop {
            let result = Follower {
                catalog: &catalog,
                target: &target,
                status: &status,
                position: &mut position,
            }
            .run()
            .await;
            status.set_connected(false);
            let pause = match result {
                Err(Error::Format(problem) | Error::Refused(problem)) => {
                    tracing::error!(%problem, "replication: not applying");
                    status.set_problem(Some(problem));
                    Duration::from_secs(5)
                }
                Err(e) => {
                    tracing::warn!(nats = %target.display(), error = %e, "replication: following paused; serving revision {}", catalog.snapshot().revision());
                    Duration::from_secs(1)
                }
                Ok(()) => Duration::ZERO,
            };
            tokio::time::sleep(pause).await;
        }
    })
}

struct Follower<'a> {
    catalog: &'a Arc<Catalog>,
    target: &'a NatsTarget,
    status: &'a Status,
    position: &'a mut Position,
}

/// What one message asks of the replica.
enum Step {
    Took,
    Reload {
        snapshot: Option<String>,
        why: String,
    },
}

struct Nats {
    client: async_nats::Client,
    stream: jetstream::stream::Stream,
    bucket: jetstream::object_store::ObjectStore,
    /// The bucket's own stream, where its objects' metadata is read from.
    objects: jetstream::stream::Stream,
}

impl Follower<'_> {
    async fn run(&mut self) -> Result<(), Error> {
        let client = self.target.connect("skillgraph-replica").await?;
        let js = jetstream::new(client.clone());
        let stream = js
            .get_stream(&self.target.stream)
            .await
            .map_err(|e| Error::nats(format!("stream {}: {e}", self.target.stream)))?;
        let bucket = js
            .get_object_store(self.target.bucket())
            .await
            .map_err(|e| Error::nats(format!("bucket {}: {e}", self.target.bucket())))?;
        let objects = js
            .get_stream(format!("OBJ_{}", self.target.bucket()))
            .await
            .map_err(Error::nats)?;
        let nats = Nats {
            client,
            stream,
            bucket,
            objects,
        };
        self.status.set_connected(true);
        let last = nats
            .stream
            .get_info()
            .await
            .map_err(Error::nats)?
            .state
            .last_sequence;
        let mut pending_reload = match &self.position.writer {
            None => Some((None, "no graph of the writer's yet".to_owned())),
            Some(_) if last < self.position.sequence => Some((
                None,
                format!(
                    "the stream ends at sequence {last}, before this replica's {}: it was \
                     recreated",
                    self.position.sequence
                ),
            )),
            Some(_) => None,
        };
        loop {
            if let Some((snapshot, why)) = pending_reload.take() {
                self.load(&nats, snapshot, &why).await?;
            }
            let consumer = nats
                .stream
                .create_consumer(jetstream::consumer::pull::OrderedConfig {
                    filter_subject: self.target.subject(),
                    deliver_policy: DeliverPolicy::ByStartSequence {
                        start_sequence: self.position.sequence + 1,
                    },
                    ..Default::default()
                })
                .await
                .map_err(Error::nats)?;
            let mut messages = consumer.messages().await.map_err(Error::nats)?;
            let mut tick = tokio::time::interval(Duration::from_millis(500));
            loop {
                tokio::select! {
                    message = messages.next() => {
                        let message = match message {
                            Some(Ok(message)) => message,
                            Some(Err(e)) => return Err(Error::nats(e)),
                            None => return Err(Error::Nats("the consumer ended".into())),
                        };
                        let (sequence, pending, published) = match message.info() {
                            Ok(info) => (info.stream_sequence, info.pending, millis(info.published)),
                            Err(e) => return Err(Error::nats(e)),
                        };
                        match self.take(&message, sequence).await? {
                            // Behind by what follows this message, the next of which was
                            // published no earlier than this one: a lower bound on the lag.
                            Step::Took => self.status.set_behind(pending, Some(published)),
                            Step::Reload { snapshot, why } => {
                                pending_reload = Some((snapshot, why));
                                break;
                            }
                        }
                    }
                    _ = tick.tick() => {
                        let info = nats.stream.get_info().await.map_err(Error::nats)?;
                        let last = info.state.last_sequence;
                        if last < self.position.sequence {
                            pending_reload = Some((None, format!(
                                "the stream ends at sequence {last}, before this replica's {}: \
                                 it was recreated",
                                self.position.sequence
                            )));
                            break;
                        }
                        let behind = last - self.position.sequence;
                        let oldest = if behind == 0 {
                            None
                        } else {
                            match nats.stream.get_raw_message(self.position.sequence + 1).await {
                                Ok(message) => Some(millis(message.time)),
                                Err(_) => None,
                            }
                        };
                        self.status.set_behind(behind, oldest);
                    }
                }
            }
        }
    }

    /// Applies one message, or says which snapshot to load instead.
    async fn take(
        &mut self,
        message: &async_nats::jetstream::Message,
        sequence: u64,
    ) -> Result<Step, Error> {
        let format = message
            .headers
            .as_ref()
            .and_then(|h| h.get(FORMAT_HEADER))
            .map(|v| v.as_str().to_owned());
        let envelope = match Envelope::decode(format.as_deref(), &message.payload) {
            Ok(envelope) => envelope,
            Err(why) => {
                return Ok(Step::Reload {
                    snapshot: None,
                    why: format!("message {sequence}: {why}"),
                });
            }
        };
        let applied = self.catalog.snapshot().revision();
        let ours = self.position.writer.as_deref() == Some(envelope.writer.as_str());
        if ours && envelope.epoch < self.position.epoch {
            tracing::warn!(
                epoch = envelope.epoch,
                following = self.position.epoch,
                "replication: skipping a stale writer's message"
            );
            self.position.sequence = sequence;
            return Ok(Step::Took);
        }
        match envelope.body {
            Body::Entry { entry } => {
                if !ours {
                    return Ok(Step::Reload {
                        snapshot: None,
                        why: format!(
                            "an entry from writer {}, not the one followed",
                            envelope.writer
                        ),
                    });
                }
                if entry.revision <= applied {
                    self.position.sequence = sequence;
                    self.position.epoch = envelope.epoch;
                    return Ok(Step::Took);
                }
                if entry.revision != applied + 1 || entry.revision != envelope.revision {
                    return Ok(Step::Reload {
                        snapshot: None,
                        why: format!(
                            "a gap: revision {} follows revision {applied}",
                            entry.revision
                        ),
                    });
                }
                let next = Position {
                    writer: self.position.writer.clone(),
                    epoch: envelope.epoch,
                    sequence,
                };
                let catalog = self.catalog.clone();
                let meta = next.meta();
                let applied = tokio::task::spawn_blocking(move || {
                    let meta: Vec<(&str, Vec<u8>)> = meta;
                    catalog.apply(&entry, &meta)
                })
                .await
                .map_err(Error::nats)?;
                match applied {
                    Ok(()) => {
                        *self.position = next;
                        self.status.set_epoch(envelope.epoch);
                        Ok(Step::Took)
                    }
                    Err(crate::catalog::Error::Store(e)) => {
                        Err(crate::catalog::Error::Store(e).into())
                    }
                    // The entry does not replay onto this graph: it is not the graph the
                    // writer had. Start over from the writer's.
                    Err(e) => Ok(Step::Reload {
                        snapshot: None,
                        why: format!("revision {} does not replay: {e}", envelope.revision),
                    }),
                }
            }
            Body::Reload { snapshot, reason } => {
                if ours && envelope.revision == applied {
                    self.position.sequence = sequence;
                    self.position.epoch = envelope.epoch;
                    return Ok(Step::Took);
                }
                Ok(Step::Reload {
                    snapshot: Some(snapshot),
                    why: reason,
                })
            }
        }
    }

    /// Loads the snapshot named (when the bucket still has it), else the newest; returns its
    /// name.
    async fn load(
        &mut self,
        nats: &Nats,
        snapshot: Option<String>,
        why: &str,
    ) -> Result<(), Error> {
        let named = match snapshot {
            Some(name) => match nats.bucket.info(&name).await {
                Ok(info) if !info.deleted => Some(info),
                _ => None,
            },
            None => None,
        };
        let info = match named {
            Some(info) => info,
            None => newest(&nats.objects, &self.target.bucket())
                .await?
                .ok_or_else(|| {
                    Error::Nats(format!(
                        "no snapshot in the bucket {} yet (is the writer running?)",
                        self.target.bucket()
                    ))
                })?,
        };
        let tag = SnapshotTag::from_metadata(&info.name, &info.metadata).map_err(Error::Format)?;
        let applied = self.catalog.snapshot().revision();
        if self.position.writer.as_deref() == Some(tag.writer.as_str()) && tag.revision <= applied {
            // Not newer than what this replica serves: loading it would move its revision back
            // for its clients, or not close the gap at all. Ask the writer for a fresh one and
            // look again (the session retries).
            let _ = nats
                .client
                .request(self.target.control_subject(), Vec::new().into())
                .await;
            return Err(Error::Nats(format!(
                "{why}; the newest snapshot ({}) is not newer than revision {applied}: asked the \
                 writer for a fresh one",
                info.name
            )));
        }
        let started = std::time::Instant::now();
        let mut bytes = Vec::with_capacity(info.size);
        // A snapshot the writer prunes while it is read never ends: give up and look again.
        tokio::time::timeout(READ_SNAPSHOT, async {
            let mut object = nats.bucket.get(&info.name).await.map_err(Error::nats)?;
            object.read_to_end(&mut bytes).await.map_err(Error::nats)
        })
        .await
        .map_err(|_| Error::Nats(format!("reading snapshot {} timed out", info.name)))??;
        let next = Position {
            writer: Some(tag.writer.clone()),
            epoch: tag.epoch,
            sequence: tag.sequence,
        };
        let (catalog, meta, revision) = (self.catalog.clone(), next.meta(), tag.revision);
        let name = info.name.clone();
        tokio::task::spawn_blocking(move || {
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::Format(format!("snapshot {name} is not UTF-8")))?;
            let graph = crate::import::seed::graph_from_export(&text, revision)
                .map_err(|e| Error::Format(format!("snapshot {name} does not load: {e}")))?;
            let meta: Vec<(&str, Vec<u8>)> = meta;
            catalog.reload(graph, &meta).map_err(Error::from)
        })
        .await
        .map_err(Error::nats)??;
        *self.position = next;
        self.status.set_loaded();
        self.status.set_epoch(tag.epoch);
        self.status.snapshot_taken();
        self.status.set_problem(None);
        tracing::info!(
            snapshot = %info.name,
            revision = tag.revision,
            bytes = info.size,
            took_ms = started.elapsed().as_millis() as u64,
            %why,
            "replication: snapshot loaded"
        );
        Ok(())
    }
}

/// The newest snapshot: the highest epoch, then the highest revision (names sort so).
async fn newest(
    objects: &jetstream::stream::Stream,
    bucket: &str,
) -> Result<Option<jetstream::object_store::ObjectInfo>, Error> {
    let list = super::snapshots(objects, bucket).await?;
    Ok(list.into_iter().max_by(|a, b| a.name.cmp(&b.name)))
}

/// A JetStream time in milliseconds since the Unix epoch.
fn millis(time: async_nats::datetime::DateTime) -> u64 {
    u64::try_from(time.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}
