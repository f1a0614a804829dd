//! The change log over GraphQL: the entries `changes(since:)` lists (`query::changes`) and
//! `graphChanged` streams, one type for both, thin views over [`ChangeEntry`].

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use async_graphql::{Context, Enum, ID, Json, Object};

use super::args::{first_within, page_cost};
use super::error::{ApiError, OrApi};
use crate::domain::{Action, ChangeEntry, ChangeKind as Kind, Record, RecordChange};

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
    /// `addPrerequisiteGroup`, also when it updated an existing group.
    PrerequisiteGroupAdded,
    /// `removePrerequisiteGroup`.
    PrerequisiteGroupRemoved,
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

/// What happened to a record.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "Action")]
pub enum ChangeAction {
    /// The record did not exist before the write.
    Created,
    /// The record existed and some of its fields changed (`fields` lists them).
    Updated,
    /// The write removed the record.
    Deleted,
}

/// The kind of record a change names.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RecordType {
    /// A category; `id` is its id.
    Category,
    /// A skill's own data; `id` is its id.
    Skill,
    /// The prerequisite edge "`id` requires `requires`".
    Prerequisite,
    /// The whole list of a skill's "one of" groups; `id` is the skill's id.
    PrerequisiteGroups,
    /// A role with its requirements; `id` is its id.
    Role,
}

/// A durable write: the revision it produced, when, its kind, and every record it changed
/// with the record's new value. The same entries make the change log (`changes`) and the
/// `graphChanged` events.
#[derive(Clone)]
pub struct GraphChange(pub Arc<ChangeEntry>);

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A durable write: the revision it produced, when, its kind, and every record it changed
/// with the record's new value. The same entries make the change log (`changes`) and the
/// `graphChanged` events.
#[Object]
impl GraphChange {
    /// The revision the write produced (as `stats.revision`): each write that changes the
    /// graph advances it by one, so a gap shows missed events.
    async fn revision(&self) -> i64 {
        int(self.0.revision)
    }

    /// When the write was committed, RFC 3339 in UTC with milliseconds.
    async fn at(&self) -> String {
        let at = UNIX_EPOCH + Duration::from_millis(self.0.at_ms);
        humantime::format_rfc3339_millis(at).to_string()
    }

    /// What kind of write it was.
    async fn kind(&self) -> ChangeKind {
        self.0.kind.into()
    }

    /// Skill, role and category ids the write changed (both ends of an edge), sorted; `first`
    /// of them from `offset` (an import's entry can name every id of a taxonomy).
    #[graphql(complexity = "page_cost(first, 20, child_complexity)")]
    async fn ids(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many ids, at most `maxPage`.")] first: Option<i32>,
        #[graphql(default = 0, desc = "How many ids to skip.")] offset: Option<i32>,
    ) -> async_graphql::Result<Vec<ID>> {
        let range = slice(ctx, first, offset)?;
        let ids = self.0.ids();
        Ok(window(&ids, range).iter().cloned().map(ID).collect())
    }

    /// How many records the write changed: `records` gives them a slice at a time.
    async fn record_count(&self) -> i32 {
        int_of(self.0.records.len())
    }

    /// The records the write changed, categories first, then skills, prerequisites, groups
    /// and roles, each by id; `first` of them from `offset`. Applied in this order onto the
    /// graph of the revision before (deletions of skills and categories last), they give the
    /// graph of this revision. An import's entry holds every record it wrote (on ESCO about
    /// 100,000): a client that falls behind an import had better reload than read it all.
    #[graphql(complexity = "page_cost(first, 20, child_complexity)")]
    async fn records(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many records, at most `maxPage`.")] first: Option<i32>,
        #[graphql(default = 0, desc = "How many records to skip.")] offset: Option<i32>,
    ) -> async_graphql::Result<Vec<ChangeRecord>> {
        let range = slice(ctx, first, offset)?;
        let indices: Vec<usize> = (0..self.0.records.len()).collect();
        Ok(window(&indices, range)
            .iter()
            .map(|&index| ChangeRecord {
                entry: self.0.clone(),
                index,
            })
            .collect())
    }
}

/// The `(offset, first)` a slice of an entry asks for, `first` within `maxPage`.
fn slice(
    ctx: &Context<'_>,
    first: Option<i32>,
    offset: Option<i32>,
) -> async_graphql::Result<(usize, usize)> {
    let first = first_within(ctx, first, 20, "maxPage", |l| l.max_page)?;
    let offset = usize::try_from(offset.unwrap_or(0))
        .map_err(|_| ApiError::InvalidInput("offset must not be negative".into()))
        .api()?;
    Ok((offset, first))
}

fn window<T>(all: &[T], (offset, first): (usize, usize)) -> &[T] {
    let start = offset.min(all.len());
    &all[start..start.saturating_add(first).min(all.len())]
}

fn int_of(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// One record a write changed, with its new value.
pub struct ChangeRecord {
    entry: Arc<ChangeEntry>,
    index: usize,
}

impl ChangeRecord {
    fn change(&self) -> &RecordChange {
        &self.entry.records[self.index]
    }
}

/// One record a write changed, with its new value.
#[Object]
impl ChangeRecord {
    /// The kind of record.
    #[graphql(name = "type")]
    async fn record_type(&self) -> RecordType {
        match &self.change().record {
            Record::Category { .. } => RecordType::Category,
            Record::Skill { .. } => RecordType::Skill,
            Record::Prerequisite { .. } => RecordType::Prerequisite,
            Record::Groups { .. } => RecordType::PrerequisiteGroups,
            Record::Role { .. } => RecordType::Role,
        }
    }

    /// The record's id; for a prerequisite, the id of the skill that requires.
    async fn id(&self) -> ID {
        ID(match &self.change().record {
            Record::Category { id, .. } => id.to_string(),
            Record::Skill { id, .. } | Record::Prerequisite { skill: id, .. } => id.to_string(),
            Record::Groups { skill, .. } => skill.to_string(),
            Record::Role { id, .. } => id.to_string(),
        })
    }

    /// For a prerequisite, the id of the skill required; null for other records.
    async fn requires(&self) -> Option<ID> {
        match &self.change().record {
            Record::Prerequisite { requires, .. } => Some(ID(requires.to_string())),
            _ => None,
        }
    }

    /// Created, updated or deleted.
    async fn action(&self) -> ChangeAction {
        self.change().action.into()
    }

    /// For an update, the fields whose value changed, as the API names them (`hours`,
    /// `aliases`, `minLevel`, `requirements`, …); empty for a creation or a deletion, and for
    /// groups (their value is the whole list).
    async fn fields(&self) -> &[String] {
        &self.change().fields
    }

    /// The record's value after the write, as stored (the seed format's field names, in
    /// snake case); null when the write deleted it. Groups: the list, empty when none is left.
    async fn value(&self) -> Json<serde_json::Value> {
        let value = match &self.change().record {
            Record::Category { value, .. } => serde_json::to_value(value),
            Record::Skill { value, .. } => serde_json::to_value(value),
            Record::Prerequisite { value, .. } => serde_json::to_value(value),
            Record::Groups { value, .. } => serde_json::to_value(value),
            Record::Role { value, .. } => serde_json::to_value(value),
        };
        Json(value.unwrap_or(serde_json::Value::Null))
    }
}

/// The revision `since` as the log counts it: not negative, not ahead of the one read.
pub fn since_revision(since: i64, current: u64) -> Result<u64, ApiError> {
    let since = u64::try_from(since)
        .map_err(|_| ApiError::InvalidInput(format!("since must not be negative, got {since}")))?;
    if since > current {
        return Err(ApiError::InvalidInput(format!(
            "since ({since}) is ahead of the current revision ({current}): is this the \
             revision of another server's database?"
        )));
    }
    Ok(since)
}
