//! The replication messages and snapshot tags, as bytes on NATS: pure data and its encoding.
//!
//! Format 1. A message's payload is one JSON [`Envelope`]; its `Skillgraph-Format` header says
//! the format, so a replica refuses another version before parsing anything. A change that old
//! replicas cannot ignore raises [`FORMAT`]; a replica that meets a format it does not know
//! reloads a snapshot, and if the snapshot's format is unknown too it stops applying, says so in
//! its log and `/ready`, and keeps serving what it has.
//!
//! Snapshots are objects in the bucket, named `snapshot-<epoch>-<revision>-<writer>`
//! (zero-padded, so names sort by epoch then revision; the writer's id keeps two writers'
//! apart), holding the export (the seed format, `GET /export`),
//! with the metadata `format`, `writer`, `epoch`, `revision` and `sequence`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::ChangeEntry;

/// The wire format this build writes and reads.
pub const FORMAT: u32 = 1;

/// The header carrying [`FORMAT`].
pub const FORMAT_HEADER: &str = "Skillgraph-Format";

/// One message of the stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub format: u32,
    /// The id of the writer's database.
    pub writer: String,
    pub epoch: u64,
    /// The revision the graph is at once this message is applied.
    pub revision: u64,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Body {
    /// The change-log entry of `revision`.
    Entry { entry: ChangeEntry },
    /// The graph at `revision` is the snapshot object named here; why, for logs.
    Reload { snapshot: String, reason: String },
}

impl Envelope {
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("envelopes always serialize to JSON")
    }

    /// Decodes a payload whose header said `format`.
    pub fn decode(format: Option<&str>, payload: &[u8]) -> Result<Envelope, String> {
        match format {
            Some(f) if f == FORMAT.to_string() => {}
            Some(f) => {
                return Err(format!(
                    "a message of wire format {f}; this build reads format {FORMAT}: run the \
                     same skillgraph release as the writer"
                ));
            }
            None => return Err(format!("a message without a {FORMAT_HEADER} header")),
        }
        serde_json::from_slice(payload).map_err(|e| format!("an unreadable message: {e}"))
    }

    /// The JetStream message id: one per writer, epoch and revision.
    pub fn message_id(&self) -> String {
        format!("{}-{}-{}", self.writer, self.epoch, self.revision)
    }
}

/// What a snapshot object is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotTag {
    pub writer: String,
    pub epoch: u64,
    pub revision: u64,
    /// The stream sequence of the message that brought the graph to `revision` (0: none yet):
    /// a replica that loads the snapshot consumes from the next one.
    pub sequence: u64,
}

impl SnapshotTag {
    pub fn name(&self) -> String {
        format!(
            "snapshot-{:010}-{:020}-{}",
            self.epoch, self.revision, self.writer
        )
    }

    pub fn metadata(&self) -> HashMap<String, String> {
        HashMap::from([
            ("format".into(), FORMAT.to_string()),
            ("writer".into(), self.writer.clone()),
            ("epoch".into(), self.epoch.to_string()),
            ("revision".into(), self.revision.to_string()),
            ("sequence".into(), self.sequence.to_string()),
        ])
    }

    /// Reads the tag back; an unknown format is refused with a message that says so.
    pub fn from_metadata(name: &str, metadata: &HashMap<String, String>) -> Result<Self, String> {
        let field = |key: &str| {
            metadata
                .get(key)
                .ok_or_else(|| format!("snapshot {name} has no {key} tag"))
        };
        let number = |key: &str| {
            field(key)?
                .parse::<u64>()
                .map_err(|_| format!("snapshot {name}'s {key} tag is not a number"))
        };
        let format = number("format")?;
        if format != u64::from(FORMAT) {
            return Err(format!(
                "snapshot {name} is in wire format {format}; this build reads format {FORMAT}"
            ));
        }
        Ok(SnapshotTag {
            writer: field("writer")?.clone(),
            epoch: number("epoch")?,
            revision: number("revision")?,
            sequence: number("sequence")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_round_trips_and_another_format_is_refused_before_parsing() {
        let envelope = Envelope {
            format: FORMAT,
            writer: "w".into(),
            epoch: 3,
            revision: 9,
            body: Body::Reload {
                snapshot: "snapshot-3-9-w".into(),
                reason: "test".into(),
            },
        };
        let bytes = envelope.encode();
        assert_eq!(Envelope::decode(Some("1"), &bytes).unwrap(), envelope);
        let refused = Envelope::decode(Some("2"), &bytes).unwrap_err();
        assert!(refused.contains("wire format 2"), "{refused}");
        assert!(Envelope::decode(None, &bytes).is_err());
        assert_eq!(envelope.message_id(), "w-3-9");
    }

    #[test]
    fn snapshot_names_sort_by_epoch_then_revision() {
        let tag = |epoch, revision| SnapshotTag {
            writer: "w".into(),
            epoch,
            revision,
            sequence: 0,
        };
        let mut names = [tag(2, 5), tag(1, 900), tag(2, 40)].map(|t| t.name());
        names.sort();
        assert_eq!(
            names,
            [tag(1, 900), tag(2, 5), tag(2, 40)].map(|t| t.name())
        );
        let t = tag(2, 40);
        assert_eq!(SnapshotTag::from_metadata(&t.name(), &t.metadata()), Ok(t));
    }
}
