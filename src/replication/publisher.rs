//! The writer's side: a task that publishes the change log to JetStream and keeps snapshots in
//! the Object Store (see the module docs of [`crate::replication`] for the guarantees).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, context::PublishErrorKind, message::PublishMessage};
use futures_util::StreamExt;
use tokio::sync::{mpsc, oneshot};

use super::wire::{Body, Envelope, FORMAT, FORMAT_HEADER, SnapshotTag};
use super::{Error, NatsTarget, Status};
use crate::catalog::Catalog;

const ID_KEY: &str = "replication.id";
const EPOCH_KEY: &str = "replication.epoch";
const PUBLISHED_KEY: &str = "replication.published";
const PUBLISHED_SEQ_KEY: &str = "replication.published-sequence";

/// Room left in a message for the headers: an entry whose envelope needs more than the
/// server's `max_payload` minus this goes as a snapshot instead.
const HEADER_ROOM: usize = 1024;

/// How the writer publishes.
#[derive(Clone, Debug)]
pub struct PublisherConfig {
    pub target: NatsTarget,
    /// Publish even though another writer's database published last (moving the writer to a
    /// database that is not a copy of the old one's).
    pub takeover: bool,
    /// A snapshot every this many revisions…
    pub snapshot_every_revisions: u64,
    /// …or this often, whichever comes first (only when the revision moved).
    pub snapshot_every: Duration,
    /// Snapshots the bucket keeps, the newest.
    pub snapshots_keep: usize,
    /// The stream's message limit, when this writer creates it (oldest dropped first).
    pub stream_max_messages: i64,
}

/// A snapshot the writer uploaded.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SnapshotInfo {
    pub name: String,
    pub revision: u64,
    pub epoch: u64,
    pub bytes: usize,
}

type Reply = oneshot::Sender<Result<SnapshotInfo, String>>;

/// Asks the running publisher for things: a snapshot now.
#[derive(Clone, Debug)]
pub struct Handle {
    requests: mpsc::Sender<Reply>,
    synced: tokio::sync::watch::Receiver<bool>,
}

impl Handle {
    /// Waits, up to `bound`, until the publisher has read the stream and settled this
    /// writer's epoch and revision (a writer that takes a stream over raises its revision
    /// above the stream's then); whether it has. A server waits for this before taking
    /// writes, so that no write gets a revision the stream already used.
    pub async fn synced(&self, bound: Duration) -> bool {
        let mut synced = self.synced.clone();
        matches!(
            tokio::time::timeout(bound, synced.wait_for(|s| *s)).await,
            Ok(Ok(_))
        )
    }

    /// Uploads a snapshot of the graph once everything up to its revision is published.
    /// Waits for NATS as long as it takes: callers bound it with their own timeout.
    pub async fn snapshot(&self) -> Result<SnapshotInfo, String> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(reply)
            .await
            .map_err(|_| "the publisher has stopped".to_owned())?;
        answer
            .await
            .map_err(|_| "the publisher has stopped".to_owned())?
    }
}

/// Starts publishing `catalog`'s writes to `config.target`; runs until the runtime ends.
pub fn publish(
    catalog: Arc<Catalog>,
    config: PublisherConfig,
    status: Arc<Status>,
) -> Result<(Handle, tokio::task::JoinHandle<()>), Error> {
    let writer = writer_id(&catalog)?;
    let (requests, inbox) = mpsc::channel(16);
    let (synced, watch) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(run(catalog, config, status, writer, inbox, synced));
    Ok((
        Handle {
            requests,
            synced: watch,
        },
        task,
    ))
}

/// Asks a running writer, through NATS, for a snapshot (`skillgraph snapshot`).
pub async fn request_snapshot(
    target: &NatsTarget,
    timeout: Duration,
) -> Result<SnapshotInfo, Error> {
    let client = target.connect("skillgraph-cli").await?;
    let answer = tokio::time::timeout(
        timeout,
        client.request(target.control_subject(), Vec::new().into()),
    )
    .await
    .map_err(|_| Error::Nats("no writer answered within the timeout".into()))?
    .map_err(|e| Error::Nats(format!("no writer answered: {e}")))?;
    let answer: Result<SnapshotInfo, String> = serde_json::from_slice(&answer.payload)
        .map_err(|e| Error::Format(format!("the writer's answer is unreadable: {e}")))?;
    answer.map_err(Error::Refused)
}

fn read_u64(catalog: &Catalog, key: &str) -> Result<u64, Error> {
    Ok(catalog
        .meta(key)?
        .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
        .map_or(0, u64::from_be_bytes))
}

/// This database's id on the stream, made once and kept.
fn writer_id(catalog: &Catalog) -> Result<String, Error> {
    if let Some(id) = catalog.meta(ID_KEY)? {
        return Ok(String::from_utf8_lossy(&id).into_owned());
    }
    let bytes: [u8; 8] = rand::random();
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    catalog.set_meta(&[(ID_KEY, id.clone().into_bytes())], true)?;
    Ok(id)
}

async fn run(
    catalog: Arc<Catalog>,
    config: PublisherConfig,
    status: Arc<Status>,
    writer: String,
    mut inbox: mpsc::Receiver<Reply>,
    synced: tokio::sync::watch::Sender<bool>,
) {
    status.set_published(read_u64(&catalog, PUBLISHED_KEY).unwrap_or(0));
    loop {
        let mut session = Session {
            catalog: &catalog,
            config: &config,
            status: &status,
            writer: &writer,
            epoch: 0,
            revision: 0,
            sequence: 0,
            reload: None,
            recent: BTreeMap::new(),
            last_snapshot: None,
            uploaded: None,
            synced: &synced,
        };
        match session.run(&mut inbox).await {
            Ok(refusal) => {
                tracing::error!(stream = %config.target.stream, "{refusal}");
                status.set_problem(Some(refusal.clone()));
                status.set_connected(false);
                synced.send_replace(true);
                // Not publishing is final for this process; snapshot requests get the reason.
                while let Some(reply) = inbox.recv().await {
                    let _ = reply.send(Err(refusal.clone()));
                }
                return;
            }
            Err(e) => {
                status.set_connected(false);
                tracing::warn!(
                    nats = %config.target.display(),
                    error = %e,
                    "replication: publishing paused; writes go on and are published once NATS \
                     answers again"
                );
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// One connection's worth of publishing.
struct Session<'a> {
    catalog: &'a Arc<Catalog>,
    config: &'a PublisherConfig,
    status: &'a Status,
    writer: &'a str,
    epoch: u64,
    /// The newest revision on the stream, and its sequence.
    revision: u64,
    sequence: u64,
    /// Why the next message must be a snapshot instead of the next entry.
    reload: Option<String>,
    /// Recent revisions' sequences, for snapshot tags.
    recent: BTreeMap<u64, u64>,
    last_snapshot: Option<(u64, Instant)>,
    /// The last snapshot this session uploaded.
    uploaded: Option<SnapshotInfo>,
    /// Turns true once the first `take_over` has run (the server may wait for it).
    synced: &'a tokio::sync::watch::Sender<bool>,
}

struct Nats {
    client: async_nats::Client,
    js: jetstream::Context,
    stream: jetstream::stream::Stream,
    bucket: jetstream::object_store::ObjectStore,
    /// The bucket's own stream, where its objects' metadata is read from.
    objects: jetstream::stream::Stream,
}

impl Session<'_> {
    /// Publishes until NATS fails (`Err`: retry) or the stream refuses this writer (`Ok`: the
    /// reason; stop).
    async fn run(&mut self, inbox: &mut mpsc::Receiver<Reply>) -> Result<String, Error> {
        let target = &self.config.target;
        let client = target.connect("skillgraph-writer").await?;
        let js = jetstream::new(client.clone());
        let stream = js
            .get_or_create_stream(jetstream::stream::Config {
                name: target.stream.clone(),
                subjects: vec![target.subject()],
                max_messages: self.config.stream_max_messages,
                storage: jetstream::stream::StorageType::File,
                ..Default::default()
            })
            .await
            .map_err(Error::nats)?;
        let bucket = match js.get_object_store(target.bucket()).await {
            Ok(bucket) => bucket,
            Err(_) => js
                .create_object_store(jetstream::object_store::Config {
                    bucket: target.bucket(),
                    ..Default::default()
                })
                .await
                .map_err(Error::nats)?,
        };
        let objects = js
            .get_stream(format!("OBJ_{}", target.bucket()))
            .await
            .map_err(Error::nats)?;
        let mut control = client
            .subscribe(target.control_subject())
            .await
            .map_err(Error::nats)?;
        let nats = Nats {
            client,
            js,
            stream,
            bucket,
            objects,
        };
        if let Some(refusal) = self.take_over(&nats).await? {
            return Ok(refusal);
        }
        self.status.set_connected(true);
        tracing::info!(
            nats = %target.display(),
            stream = %target.stream,
            epoch = self.epoch,
            from_revision = self.revision,
            "replication: publishing the change log"
        );
        let mut revisions = self.catalog.watch_revision();
        loop {
            if let Some(refusal) = self.catch_up(&nats).await? {
                return Ok(refusal);
            }
            let now = self.catalog.snapshot().revision();
            let due = match self.last_snapshot {
                None => true,
                Some((revision, at)) => {
                    now >= revision + self.config.snapshot_every_revisions.max(1)
                        || (now != revision && at.elapsed() >= self.config.snapshot_every)
                }
            };
            if due {
                match self.snapshot(&nats).await? {
                    Ok(_) => {}
                    Err(refusal) => return Ok(refusal),
                }
            }
            let wait = match self.last_snapshot {
                Some((_, at)) => self
                    .config
                    .snapshot_every
                    .saturating_sub(at.elapsed())
                    .max(Duration::from_secs(1)),
                None => Duration::from_secs(1),
            };
            tokio::select! {
                changed = revisions.changed() => {
                    if changed.is_err() {
                        return Err(Error::Nats("the catalog is gone".into()));
                    }
                }
                Some(reply) = inbox.recv() => {
                    match self.snapshot(&nats).await? {
                        Ok(info) => { let _ = reply.send(Ok(info)); }
                        Err(refusal) => {
                            let _ = reply.send(Err(refusal.clone()));
                            return Ok(refusal);
                        }
                    }
                }
                Some(message) = control.next() => {
                    let answer = self.snapshot(&nats).await?;
                    if let Some(reply) = message.reply {
                        let body = serde_json::to_vec(&answer).unwrap_or_default();
                        let _ = nats.client.publish(reply, body.into()).await;
                    }
                    if let Err(refusal) = answer {
                        return Ok(refusal);
                    }
                }
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Reads the stream's last message and decides where to go on, raising the epoch above
    /// every one seen. `Some(reason)`: another writer owns the stream.
    async fn take_over(&mut self, nats: &Nats) -> Result<Option<String>, Error> {
        let info = nats.stream.get_info().await.map_err(Error::nats)?;
        let last = info.state.last_sequence;
        // Above every epoch on the stream and in the bucket: a stale snapshot of a recreated
        // stream must never look newer than this writer's.
        let mut epoch = read_u64(self.catalog, EPOCH_KEY)?;
        for snapshot in super::snapshots(&nats.objects, &self.config.target.bucket()).await? {
            if let Ok(tag) = SnapshotTag::from_metadata(&snapshot.name, &snapshot.metadata) {
                epoch = epoch.max(tag.epoch);
            }
        }
        let revision = self.catalog.snapshot().revision();
        self.sequence = last;
        self.revision = 0;
        self.reload = None;
        // The last message, unless the stream is new (publish from the start of the log if it
        // holds it, else a snapshot: catch_up sees the log expired) or purged (a purge keeps
        // the sequence but no message).
        let message = match (last, info.state.messages) {
            (0, _) => None,
            (_, 0) => {
                self.reload = Some("the stream was purged".into());
                None
            }
            _ => match nats.stream.get_raw_message(last).await {
                Ok(message) => Some(message),
                Err(_) => {
                    self.reload = Some(format!("the stream's message {last} is gone"));
                    None
                }
            },
        };
        if let Some(message) = message {
            let format = message
                .headers
                .get(FORMAT_HEADER)
                .map(|v| v.as_str().to_owned());
            let envelope = match Envelope::decode(format.as_deref(), &message.payload) {
                Ok(envelope) => envelope,
                Err(e) => {
                    return Ok(Some(format!(
                        "the stream {} ends with {e}; this writer does not publish",
                        self.config.target.stream
                    )));
                }
            };
            epoch = epoch.max(envelope.epoch);
            if envelope.writer != self.writer {
                if !self.config.takeover {
                    return Ok(Some(format!(
                        "another writer (database {}) publishes to the stream {}: this writer \
                         does not publish. Stop the other writer, and start this one with \
                         --nats-takeover to replace it",
                        envelope.writer, self.config.target.stream
                    )));
                }
                self.reload = Some(format!(
                    "writer {} took the stream over from writer {}",
                    self.writer, envelope.writer
                ));
            } else if envelope.revision > revision {
                self.reload = Some(format!(
                    "the writer's database is at revision {revision}, older than the revision \
                     {} it published (restored from a backup?)",
                    envelope.revision
                ));
            } else {
                self.record(envelope.revision, last)?;
            }
            if self.reload.is_some() {
                // Revisions never go back for replicas: this graph continues above the
                // stream's (an import can hold the writer lock for seconds: off the runtime).
                let catalog = self.catalog.clone();
                let above = envelope.revision + 1;
                tokio::task::spawn_blocking(move || catalog.advance(above))
                    .await
                    .map_err(Error::nats)??;
            }
        }
        self.epoch = epoch + 1;
        // Durable before the first message of the epoch: a restart must never reuse it.
        let (catalog, value) = (self.catalog.clone(), self.epoch.to_be_bytes().to_vec());
        tokio::task::spawn_blocking(move || catalog.set_meta(&[(EPOCH_KEY, value)], true))
            .await
            .map_err(Error::nats)??;
        self.status.set_epoch(self.epoch);
        self.synced.send_replace(true);
        Ok(None)
    }

    /// Publishes every revision the stream does not have yet.
    async fn catch_up(&mut self, nats: &Nats) -> Result<Option<String>, Error> {
        loop {
            let now = self.catalog.snapshot().revision();
            if let Some(reason) = self.reload.take() {
                if let Err(refusal) = self.publish_reload(nats, reason).await? {
                    return Ok(Some(refusal));
                }
                continue;
            }
            if self.revision >= now {
                return Ok(None);
            }
            let (catalog, since) = (self.catalog.clone(), self.revision);
            let page = tokio::task::spawn_blocking(move || catalog.changes(since, now, 32))
                .await
                .map_err(Error::nats)?;
            let page = match page {
                Ok(page) => page,
                Err(crate::catalog::Error::Expired { oldest, .. }) => {
                    self.reload = Some(format!(
                        "the change log no longer holds revisions {}..={oldest}, which were \
                         never published",
                        since + 1
                    ));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            for entry in page.entries {
                let envelope = Envelope {
                    format: FORMAT,
                    writer: self.writer.to_owned(),
                    epoch: self.epoch,
                    revision: entry.revision,
                    body: Body::Entry { entry },
                };
                let payload = envelope.encode();
                let limit = nats.client.server_info().max_payload;
                if payload.len() + HEADER_ROOM > limit {
                    self.reload = Some(format!(
                        "the entry of revision {} takes {} bytes, more than the server's \
                         message limit of {limit}",
                        envelope.revision,
                        payload.len()
                    ));
                    break;
                }
                if let Err(refusal) = self.send(nats, &envelope, payload).await? {
                    return Ok(Some(refusal));
                }
            }
        }
    }

    /// Sends one message after the stream's last; `Ok(Err(reason))` when someone else
    /// published meanwhile.
    async fn send(
        &mut self,
        nats: &Nats,
        envelope: &Envelope,
        payload: Vec<u8>,
    ) -> Result<Result<(), String>, Error> {
        fault("before-send", envelope.revision);
        let message = PublishMessage::build()
            .payload(payload.into())
            .message_id(envelope.message_id())
            .expected_last_sequence(self.sequence)
            .header(FORMAT_HEADER, FORMAT.to_string().as_str());
        let acked = nats
            .js
            .send_publish(self.config.target.subject(), message)
            .await
            .map_err(Error::nats)?
            .await;
        let sequence = match acked {
            Ok(ack) => ack.sequence,
            Err(e) if e.kind() == PublishErrorKind::WrongLastSequence => {
                // Ours, stored by a try whose acknowledgement was lost? Else someone else's.
                let info = nats.stream.get_info().await.map_err(Error::nats)?;
                let last = info.state.last_sequence;
                let message = nats
                    .stream
                    .get_raw_message(last)
                    .await
                    .map_err(Error::nats)?;
                let id = message
                    .headers
                    .get(async_nats::header::NATS_MESSAGE_ID)
                    .map(|v| v.as_str().to_owned());
                if id.as_deref() != Some(envelope.message_id().as_str()) {
                    let format = message
                        .headers
                        .get(FORMAT_HEADER)
                        .map(|v| v.as_str().to_owned());
                    let writer = Envelope::decode(format.as_deref(), &message.payload)
                        .map(|e| e.writer)
                        .ok();
                    if writer.as_deref() == Some(self.writer) {
                        // Ours, from a try of an earlier session that landed late: start over
                        // from the stream's last message.
                        return Err(Error::Nats(format!(
                            "the stream moved on to sequence {last} under this writer's own \
                             earlier message: resynchronising"
                        )));
                    }
                    return Ok(Err(format!(
                        "another writer published to the stream {} (its sequence {last} was \
                         expected to be {}): this writer stops publishing",
                        self.config.target.stream, self.sequence
                    )));
                }
                last
            }
            Err(e) => return Err(Error::nats(e)),
        };
        fault("after-ack", envelope.revision);
        self.record(envelope.revision, sequence)?;
        Ok(Ok(()))
    }

    /// Remembers that the stream holds `revision` at `sequence`. Not flushed on its own (the
    /// next write's commit flushes it): a restart goes by the stream's last message, so a
    /// record that lags behind a crash costs nothing, and an fsync per publish would cost the
    /// writer's disk as much as the writes themselves.
    fn record(&mut self, revision: u64, sequence: u64) -> Result<(), Error> {
        self.revision = revision;
        self.sequence = sequence;
        self.recent.insert(revision, sequence);
        while self.recent.len() > 4096 {
            self.recent.pop_first();
        }
        self.catalog.set_meta(
            &[
                (PUBLISHED_KEY, revision.to_be_bytes().to_vec()),
                (PUBLISHED_SEQ_KEY, sequence.to_be_bytes().to_vec()),
            ],
            false,
        )?;
        self.status.set_published(revision);
        Ok(())
    }

    /// Uploads the current graph and publishes a `reload` naming it.
    async fn publish_reload(
        &mut self,
        nats: &Nats,
        reason: String,
    ) -> Result<Result<(), String>, Error> {
        let graph = self.catalog.snapshot();
        let tag = SnapshotTag {
            writer: self.writer.to_owned(),
            epoch: self.epoch,
            revision: graph.revision(),
            // The reload's own: expected-last-sequence makes it land right after the last.
            sequence: self.sequence + 1,
        };
        tracing::info!(revision = tag.revision, %reason, "replication: publishing a snapshot in place of entries");
        self.upload(nats, &tag, graph).await?;
        let envelope = Envelope {
            format: FORMAT,
            writer: self.writer.to_owned(),
            epoch: self.epoch,
            revision: tag.revision,
            body: Body::Reload {
                snapshot: tag.name(),
                reason,
            },
        };
        let payload = envelope.encode();
        self.send(nats, &envelope, payload).await
    }

    /// A snapshot of the graph at a published revision. `Ok(Err(reason))`: refused.
    async fn snapshot(&mut self, nats: &Nats) -> Result<Result<SnapshotInfo, String>, Error> {
        for _ in 0..8 {
            let graph = self.catalog.snapshot();
            if let Some(refusal) = self.catch_up(nats).await? {
                return Ok(Err(refusal));
            }
            // Uploading the same name again would purge the chunks a replica may be reading.
            if let Some(info) = self
                .uploaded
                .as_ref()
                .filter(|i| i.revision == graph.revision() && i.epoch == self.epoch)
            {
                return Ok(Ok(info.clone()));
            }
            let sequence = match graph.revision() {
                0 if self.sequence == 0 => Some(0),
                revision => self.recent.get(&revision).copied(),
            };
            // A revision with no message of its own was covered by a later reload: look again.
            let Some(sequence) = sequence else { continue };
            let tag = SnapshotTag {
                writer: self.writer.to_owned(),
                epoch: self.epoch,
                revision: graph.revision(),
                sequence,
            };
            return Ok(Ok(self.upload(nats, &tag, graph).await?));
        }
        Err(Error::Nats(
            "writes kept moving past every snapshot tried".into(),
        ))
    }

    /// Puts the graph as the object `tag` names, then drops all but the newest snapshots.
    async fn upload(
        &mut self,
        nats: &Nats,
        tag: &SnapshotTag,
        graph: Arc<crate::domain::SkillGraph>,
    ) -> Result<SnapshotInfo, Error> {
        let started = Instant::now();
        let text = tokio::task::spawn_blocking(move || crate::import::seed::export(&graph))
            .await
            .map_err(Error::nats)?;
        // Chunks must fit the server's message limit, which may be below the store's 128 KB.
        let chunk = (nats
            .client
            .server_info()
            .max_payload
            .saturating_sub(HEADER_ROOM))
        .clamp(1024, 128 * 1024);
        let meta = jetstream::object_store::ObjectMetadata {
            name: tag.name(),
            description: Some(format!("skillgraph at revision {}", tag.revision)),
            metadata: tag.metadata(),
            chunk_size: Some(chunk),
            ..Default::default()
        };
        nats.bucket
            .put(meta, &mut text.as_bytes())
            .await
            .map_err(Error::nats)?;
        self.last_snapshot = Some((tag.revision, Instant::now()));
        self.status.snapshot_taken();
        tracing::info!(
            name = %tag.name(),
            bytes = text.len(),
            took_ms = started.elapsed().as_millis() as u64,
            "replication: snapshot uploaded"
        );
        self.prune(nats, &tag.name()).await?;
        let info = SnapshotInfo {
            name: tag.name(),
            revision: tag.revision,
            epoch: tag.epoch,
            bytes: text.len(),
        };
        self.uploaded = Some(info.clone());
        Ok(info)
    }

    /// Deletes all but the newest `snapshots_keep` snapshots, `uploaded` (just put) included:
    /// a listing right after a put may not show it yet.
    async fn prune(&self, nats: &Nats, uploaded: &str) -> Result<(), Error> {
        let mut names: std::collections::BTreeSet<String> =
            super::snapshots(&nats.objects, &self.config.target.bucket())
                .await?
                .into_iter()
                .map(|info| info.name)
                .collect();
        names.insert(uploaded.to_owned());
        let keep = self.config.snapshots_keep.max(1);
        for name in names.iter().take(names.len().saturating_sub(keep)) {
            nats.bucket.delete(name).await.map_err(Error::nats)?;
        }
        Ok(())
    }
}

/// A test hook: `SKILLGRAPH_TEST_FAULT=<point>:<revision>` aborts the process at that point of
/// publishing that revision (`before-send`, `after-ack`: acknowledged by JetStream, not yet
/// recorded), as a crash or SIGKILL would. Read once; unset, it costs a branch.
fn fault(point: &str, revision: u64) {
    static FAULT: std::sync::OnceLock<Option<(String, u64)>> = std::sync::OnceLock::new();
    let fault = FAULT.get_or_init(|| {
        let value = std::env::var("SKILLGRAPH_TEST_FAULT").ok()?;
        let (point, revision) = value.split_once(':')?;
        Some((point.to_owned(), revision.parse().ok()?))
    });
    if let Some((at, rev)) = fault
        && at == point
        && *rev == revision
    {
        eprintln!("SKILLGRAPH_TEST_FAULT: aborting at {point} of revision {revision}");
        std::process::abort();
    }
}
