//! Mutations, split by area. Each needs an admin token, returns only once its change is durable,
//! and publishes a `graphChanged` event.

use crate::domain::OnDelete;
use async_graphql::{Context, Guard, ID, Object};

use super::enums::{Importance, PrerequisiteKind};
use super::error::{ApiError, OrApi};
use super::inputs::{
    CategoryInput, RoleInput, SkillInput, SkillPatchInput, edge_spec, level, role_id, skill_id,
    skill_ids,
};
use super::views::{CategoryView, RoleCategoryView, RoleView, SkillView};
use super::{Caller, catalog, compute};
use crate::catalog::{ChangeKind, Error};
use crate::domain::{CategoryKind, Requirement, SkillGraph};
use std::sync::Arc;

/// Lets a field run only for a caller with the admin token.
struct Admin;

impl Guard for Admin {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        // First: a client that writes to a replica learns where the writer is, token or not.
        if catalog(ctx).is_read_only() {
            let writer = ctx
                .data_opt::<super::Replication>()
                .and_then(|r| r.writer_url.clone());
            return Err(ApiError::ReadOnly { writer }.into_graphql());
        }
        match ctx.data_opt::<Caller>() {
            Some(caller) if caller.admin => Ok(()),
            _ => Err(ApiError::Unauthenticated.into_graphql()),
        }
    }
}

/// Runs one write and returns the edit's value with the snapshot the write published; the
/// edit's domain errors keep their codes, storage errors become INTERNAL.
///
/// The write runs on tokio's blocking pool: it waits for the writer lock and for sled's flush
/// to reach the disk, milliseconds in which an async worker (there are as many as cores)
/// would answer no reads. If the request is cancelled meanwhile, the write still either lands
/// whole or not at all; only its acknowledgement is lost, as with any database commit.
async fn write<T: Send + 'static>(
    ctx: &Context<'_>,
    kind: ChangeKind,
    edit: impl FnOnce(&mut SkillGraph) -> Result<T, crate::domain::Error> + Send + 'static,
) -> async_graphql::Result<(T, Arc<SkillGraph>)> {
    let catalog = catalog(ctx).clone();
    let written = compute(move || catalog.write(kind, |graph| edit(graph).map_err(Error::from)))
        .await?
        .api()?;
    if let Some(produced) = ctx.data_opt::<super::Produced>() {
        produced
            .0
            .fetch_max(written.revision, std::sync::atomic::Ordering::Relaxed);
    }
    Ok((written.value, written.graph))
}

/// A snapshot the writer uploaded for replicas.
#[derive(async_graphql::SimpleObject)]
pub struct Snapshot {
    /// The object's name in the `<stream>_snapshots` bucket.
    name: String,
    /// The revision it holds.
    revision: u64,
    /// The writer's epoch when it was taken.
    epoch: u64,
    /// Its size: the export's bytes.
    bytes: u64,
}

#[derive(Default)]
pub struct ReplicationMutation;

#[Object]
impl ReplicationMutation {
    /// Uploads a snapshot of the graph for replicas now (the writer also does so at start and
    /// every N revisions or T minutes), once everything up to its revision is published.
    /// `UNAVAILABLE` on a server that does not publish to NATS, or while NATS is away (after
    /// the request timeout).
    #[graphql(guard = "Admin")]
    async fn publish_snapshot(&self, ctx: &Context<'_>) -> async_graphql::Result<Snapshot> {
        let handle = ctx
            .data_opt::<super::Replication>()
            .and_then(|r| r.snapshots.clone())
            .ok_or_else(|| {
                ApiError::Unavailable(
                    "this server does not publish to NATS: start it with --nats URL".into(),
                )
                .into_graphql()
            })?;
        let info = handle
            .snapshot()
            .await
            .map_err(|e| ApiError::Unavailable(e).into_graphql())?;
        Ok(Snapshot {
            name: info.name,
            revision: info.revision,
            epoch: info.epoch,
            bytes: info.bytes as u64,
        })
    }
}

fn skill_view(
    graph: &Arc<SkillGraph>,
    id: &crate::domain::SkillId,
) -> async_graphql::Result<SkillView> {
    SkillView::of(graph, id)
        .ok_or_else(|| ApiError::Domain(crate::domain::Error::UnknownSkill(id.clone())))
        .api()
}

fn role_view(
    graph: &Arc<SkillGraph>,
    id: &crate::domain::RoleId,
) -> async_graphql::Result<RoleView> {
    RoleView::of(graph, id.as_str())
        .ok_or_else(|| ApiError::Domain(crate::domain::Error::UnknownRole(id.clone())))
        .api()
}

#[derive(Default)]
pub struct SkillMutation;

#[Object]
impl SkillMutation {
    /// Creates a skill; its id must be free and its category must exist.
    #[graphql(guard = "Admin")]
    async fn create_skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new skill.")] input: SkillInput,
    ) -> async_graphql::Result<SkillView> {
        let skill = input.parse().api()?;
        let id = skill.id.clone();
        let (_, graph) = write(ctx, ChangeKind::SkillCreated, move |g| {
            g.create_skill(skill)
        })
        .await?;
        skill_view(&graph, &id)
    }

    /// Changes a skill's own data; omitted fields stay as they are.
    #[graphql(guard = "Admin")]
    async fn update_skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the skill to change.")] id: ID,
        #[graphql(desc = "The fields to change; the others stay.")] input: SkillPatchInput,
    ) -> async_graphql::Result<SkillView> {
        let id = skill_id(&id).api()?;
        let patch = input.parse().api()?;
        let edited = id.clone();
        let (_, graph) = write(ctx, ChangeKind::SkillUpdated, move |g| {
            g.update_skill(&edited, patch)
        })
        .await?;
        skill_view(&graph, &id)
    }

    /// Deletes a skill. Refused with CONFLICT while other skills or roles require it (or a
    /// group lists it as an option), unless `cascade` removes those edges and requirements too
    /// and takes it out of the groups (a group left with one option becomes an ordinary
    /// prerequisite on it). Returns the deleted id.
    #[graphql(guard = "Admin")]
    async fn delete_skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the skill to delete.")] id: ID,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also remove the prerequisite edges and role requirements that point at \
                    the skill, instead of refusing; null: false."
        )]
        cascade: Option<bool>,
    ) -> async_graphql::Result<ID> {
        let cascade = cascade.unwrap_or(false);
        let skill = skill_id(&id).api()?;
        write(ctx, ChangeKind::SkillDeleted, move |g| {
            g.delete_skill(&skill, OnDelete::cascade_if(cascade))
        })
        .await?;
        Ok(id)
    }

    /// Records that `skill` requires `requires` (or updates the edge). Refused with CYCLE,
    /// naming the cycle, when it would close one.
    #[graphql(guard = "Admin")]
    async fn add_prerequisite(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the skill that needs the prerequisite.")] skill: ID,
        #[graphql(desc = "The id of the skill to learn first.")] requires: ID,
        #[graphql(
            default_with = "Some(PrerequisiteKind::Required)",
            desc = "Whether the prerequisite blocks (REQUIRED) or only helps (RECOMMENDED); \
                    null: REQUIRED."
        )]
        kind: Option<PrerequisiteKind>,
        #[graphql(
            desc = "The least level (1 aware to 5 expert) of `requires` needed; null: \
                          the level `skill` is learned to, capped at 2 (beginner)."
        )]
        min_level: Option<i32>,
        #[graphql(
            desc = "The edge applies only to take `skill` beyond this level (1-4): it is \
                    needed to reach the next level and up, not below. Null: at every level."
        )]
        beyond: Option<i32>,
    ) -> async_graphql::Result<SkillView> {
        let kind = kind.unwrap_or(PrerequisiteKind::Required);
        let (skill, requires) = (skill_id(&skill).api()?, skill_id(&requires).api()?);
        let spec = edge_spec(kind, min_level, beyond).api()?;
        let edited = skill.clone();
        let (_, graph) = write(ctx, ChangeKind::PrerequisiteAdded, move |g| {
            g.add_prerequisite(&edited, &requires, spec)
        })
        .await?;
        skill_view(&graph, &skill)
    }

    /// Removes the edge from `skill` to `requires`; NOT_FOUND when there is none. Returns
    /// the skill.
    #[graphql(guard = "Admin")]
    async fn remove_prerequisite(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the skill that needs the prerequisite.")] skill: ID,
        #[graphql(desc = "The id of the prerequisite to drop.")] requires: ID,
    ) -> async_graphql::Result<SkillView> {
        let (skill, requires) = (skill_id(&skill).api()?, skill_id(&requires).api()?);
        let edited = skill.clone();
        let (_, graph) = write(ctx, ChangeKind::PrerequisiteRemoved, move |g| {
            g.remove_prerequisite(&edited, &requires)
        })
        .await?;
        skill_view(&graph, &skill)
    }

    /// Gives `skill` a "one of" group: one of `options` must be learned first (or held). With
    /// a group of the same options already there, updates its kind and level. Refused with
    /// CYCLE, naming the cycle, when some option requires `skill` (directly, through
    /// prerequisites or through groups); INVALID_INPUT for fewer than two distinct options or
    /// the skill among them; NOT_FOUND for an unknown skill.
    #[graphql(guard = "Admin")]
    async fn add_prerequisite_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the skill that needs one of the options.")] skill: ID,
        #[graphql(desc = "The ids of the options, at least two, in any order.")] options: Vec<ID>,
        #[graphql(
            default_with = "Some(PrerequisiteKind::Required)",
            desc = "Whether the group blocks (REQUIRED) or only helps (RECOMMENDED); null: \
                    REQUIRED."
        )]
        kind: Option<PrerequisiteKind>,
        #[graphql(
            desc = "The least level (1 aware to 5 expert) of the chosen option needed; \
                          null: the level `skill` is learned to, capped at 2 (beginner)."
        )]
        min_level: Option<i32>,
    ) -> async_graphql::Result<SkillView> {
        let kind = kind.unwrap_or(PrerequisiteKind::Required);
        let skill = skill_id(&skill).api()?;
        let spec = edge_spec(kind, min_level, None).api()?;
        let group = crate::domain::PrerequisiteGroup {
            kind: spec.kind,
            min_level: spec.min_level,
            options: options
                .iter()
                .map(skill_id)
                .collect::<Result<_, _>>()
                .api()?,
        };
        let edited = skill.clone();
        let (_, graph) = write(ctx, ChangeKind::PrerequisiteGroupAdded, move |g| {
            g.add_prerequisite_group(&edited, group)
        })
        .await?;
        skill_view(&graph, &skill)
    }

    /// Removes the group of `skill` with exactly these options (in any order); NOT_FOUND when
    /// it has none. Returns the skill.
    #[graphql(guard = "Admin")]
    async fn remove_prerequisite_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the skill whose group to drop.")] skill: ID,
        #[graphql(desc = "The ids of the group's options, all of them, in any order.")]
        options: Vec<ID>,
    ) -> async_graphql::Result<SkillView> {
        let skill = skill_id(&skill).api()?;
        let options: Vec<_> = options
            .iter()
            .map(skill_id)
            .collect::<Result<_, _>>()
            .api()?;
        let edited = skill.clone();
        let (_, graph) = write(ctx, ChangeKind::PrerequisiteGroupRemoved, move |g| {
            g.remove_prerequisite_group(&edited, &options)
        })
        .await?;
        skill_view(&graph, &skill)
    }

    /// Creates or replaces a category.
    #[graphql(guard = "Admin")]
    async fn upsert_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category, whole.")] input: CategoryInput,
    ) -> async_graphql::Result<CategoryView> {
        let category = input.parse(CategoryKind::Skill).api()?;
        let id = category.id.clone();
        let (_, graph) = write(ctx, ChangeKind::CategoryUpserted, move |g| {
            g.upsert_category(category)
        })
        .await?;
        CategoryView::of(&graph, id.as_str())
            .ok_or(ApiError::Domain(crate::domain::Error::UnknownCategory(id)))
            .api()
    }

    /// Creates or replaces a role category: a node of the roles' tree, apart from the skill
    /// categories (an id of a skill category is CONFLICT, a parent that is one
    /// INVALID_INPUT).
    #[graphql(guard = "Admin")]
    async fn upsert_role_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role category, whole.")] input: CategoryInput,
    ) -> async_graphql::Result<RoleCategoryView> {
        let category = input.parse(CategoryKind::Role).api()?;
        let id = category.id.clone();
        let (_, graph) = write(ctx, ChangeKind::CategoryUpserted, move |g| {
            g.upsert_category(category)
        })
        .await?;
        RoleCategoryView::of(&graph, id.as_str())
            .ok_or(ApiError::Domain(crate::domain::Error::UnknownCategory(id)))
            .api()
    }
}

#[derive(Default)]
pub struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Creates or replaces a role with its complete list of requirements.
    #[graphql(guard = "Admin")]
    async fn upsert_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role, whole, with every requirement.")] input: RoleInput,
    ) -> async_graphql::Result<RoleView> {
        let role = input.parse().api()?;
        let id = role.id.clone();
        let (_, graph) = write(ctx, ChangeKind::RoleUpserted, move |g| g.upsert_role(role)).await?;
        role_view(&graph, &id)
    }

    /// Deletes a role; returns its id.
    #[graphql(guard = "Admin")]
    async fn delete_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the role to delete.")] id: ID,
    ) -> async_graphql::Result<ID> {
        let role = role_id(&id).api()?;
        write(ctx, ChangeKind::RoleDeleted, move |g| g.delete_role(&role)).await?;
        Ok(id)
    }

    /// Adds or replaces one requirement of a role: the requirement whose skill is `skill`,
    /// with its level, importance and alternatives as given.
    #[graphql(guard = "Admin")]
    async fn set_requirement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the role.")] role: ID,
        #[graphql(
            desc = "The id of the skill it requires (with alternatives, the preferred one)."
        )]
        skill: ID,
        #[graphql(desc = "The level needed: 1 (aware) to 5 (expert).")] level: i32,
        #[graphql(
            default_with = "Some(Importance::Essential)",
            desc = "How much the role needs the skill; null: ESSENTIAL."
        )]
        importance: Option<Importance>,
        #[graphql(
            desc = "Other skills that meet the requirement as well (\"one of\"), each \
                          one the role lists nowhere else. Null or omitted: none."
        )]
        alternatives: Option<Vec<ID>>,
    ) -> async_graphql::Result<RoleView> {
        let importance = importance.unwrap_or(Importance::Essential);
        let role = role_id(&role).api()?;
        let requirement = Requirement {
            skill: skill_id(&skill).api()?,
            level: self::level(level).api()?,
            importance: importance.into(),
            alternatives: skill_ids(alternatives).api()?,
        };
        let edited = role.clone();
        let (_, graph) = write(ctx, ChangeKind::RequirementSet, move |g| {
            g.set_requirement(&edited, requirement)
        })
        .await?;
        role_view(&graph, &role)
    }

    /// Removes one requirement of a role, alternatives and all; NOT_FOUND when the role has
    /// none whose skill is this one (an alternative is not a requirement of its own: set the
    /// requirement again without it). Returns the role.
    #[graphql(guard = "Admin")]
    async fn remove_requirement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the role.")] role: ID,
        #[graphql(desc = "The id of the skill it should no longer require.")] skill: ID,
    ) -> async_graphql::Result<RoleView> {
        let (role, skill) = (role_id(&role).api()?, skill_id(&skill).api()?);
        let edited = role.clone();
        let (_, graph) = write(ctx, ChangeKind::RequirementRemoved, move |g| {
            g.remove_requirement(&edited, &skill)
        })
        .await?;
        role_view(&graph, &role)
    }
}
