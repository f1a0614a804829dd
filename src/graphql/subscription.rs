//! Subscriptions: a stream of durable writes, for frontends that keep a graph on screen.

use async_graphql::{Context, Enum, ID, SimpleObject, Subscription};
use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;

use super::catalog;
use crate::catalog::{Change, ChangeKind as Kind};

/// What kind of write changed the graph.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "Kind")]
pub enum ChangeKind {
    /// `createSkill`.
    SkillCreated,
    /// `updateSkill`.
    SkillUpdated,
    /// `deleteSkill`.
    SkillDeleted,
    /// `addPrerequisite`, also when it updated an existing edge.
    PrerequisiteAdded,
    /// `removePrerequisite`.
    PrerequisiteRemoved,
    /// `upsertRole`.
    RoleUpserted,
    /// `deleteRole`.
    RoleDeleted,
    /// `setRequirement`.
    RequirementSet,
    /// `removeRequirement`.
    RequirementRemoved,
    /// `upsertCategory`.
    CategoryUpserted,
    /// An import of a seed, ESCO, O*NET or CSV data into the graph.
    Imported,
}

/// A durable write: the revision it produced, its kind, and the ids it touched.
#[derive(SimpleObject, Clone)]
pub struct GraphChange {
    /// The revision the write produced (as `stats.revision`): each write that changes the
    /// graph advances it by one, so a gap shows missed events.
    pub revision: i64,
    /// What kind of write it was.
    pub kind: ChangeKind,
    /// Skill, role and category ids the write touched, sorted.
    pub ids: Vec<ID>,
}

impl From<Change> for GraphChange {
    fn from(c: Change) -> Self {
        GraphChange {
            revision: i64::try_from(c.revision).unwrap_or(i64::MAX),
            kind: c.kind.into(),
            ids: c.ids.into_iter().map(ID).collect(),
        }
    }
}

pub struct SubscriptionRoot;

/// Live updates, over WebSocket (graphql-transport-ws) at `/graphql/ws` or `/graphql`.
#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Every durable write from now on. A subscriber too slow to keep up skips the events it
    /// missed rather than slowing writers down; `revision` shows the gap.
    async fn graph_changed(&self, ctx: &Context<'_>) -> impl Stream<Item = GraphChange> + use<> {
        BroadcastStream::new(catalog(ctx).subscribe())
            .filter_map(|event| async move { event.ok().map(GraphChange::from) })
    }
}
