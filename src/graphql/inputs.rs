//! Input types, and their parsing into domain values: ids become validated newtypes and levels
//! become [`Level`]s here, at the edge, or the request fails with `INVALID_INPUT`.

use async_graphql::{ID, InputObject};

use super::enums::{Importance, PrerequisiteKind, ResourceKind};
use super::error::ApiError;
use crate::domain::{
    self, Category, CategoryId, CategoryKind, Level, Profile, Requirement, Resource, Role, RoleId,
    Skill, SkillId, SkillPatch, Target,
};

pub fn skill_id(id: &ID) -> Result<SkillId, ApiError> {
    Ok(SkillId::parse(id.as_str())?)
}

pub fn role_id(id: &ID) -> Result<RoleId, ApiError> {
    Ok(RoleId::parse(id.as_str())?)
}

pub fn category_id(id: &ID) -> Result<CategoryId, ApiError> {
    Ok(CategoryId::parse(id.as_str())?)
}

pub fn level(value: i32) -> Result<Level, ApiError> {
    Ok(Level::new(i64::from(value))?)
}

fn hours(value: i32) -> Result<u32, ApiError> {
    u32::try_from(value)
        .map_err(|_| ApiError::InvalidInput(format!("hours must not be negative, got {value}")))
}

/// A skill at a level.
#[derive(InputObject, Clone)]
pub struct SkillLevelInput {
    /// The skill's id.
    pub skill: ID,
    /// 1 (aware) to 5 (expert).
    pub level: i32,
}

impl SkillLevelInput {
    fn parse(&self) -> Result<(SkillId, Level), ApiError> {
        Ok((skill_id(&self.skill)?, level(self.level)?))
    }
}

/// What a person knows: skills at levels, a current role, whose essential requirements count
/// as held at their levels, and/or a text (a CV) whose mentioned skills count as held at
/// level 2.
#[derive(InputObject, Clone, Default)]
pub struct ProfileInput {
    /// Skills held, each at a level; holding a skill implies its prerequisites at the levels
    /// it needs them. Null or omitted: none.
    #[graphql(default_with = "Some(Vec::new())")]
    pub skills: Option<Vec<SkillLevelInput>>,
    /// The id of the role the person has now: its ESSENTIAL requirements count as held at
    /// their levels (a skill also listed in `skills` counts at the higher level). Its OPTIONAL
    /// ones do not: "optional" means some holders have it, so a plan teaches it unless
    /// `skills` lists it. Null: no role.
    pub role: Option<ID>,
    /// A text about the person, such as a CV, at most `maxTextBytes` bytes: every skill it
    /// mentions (as `extractSkills` finds them) counts as held at level 2 (beginner: a
    /// mention shows the skill was met, not how deeply), unless `skills` lists it, whose
    /// level then wins. With `role`, a skill counts at the higher of the two levels. A job
    /// ad works too: `matchRoles(profile: {text: ad})` ranks the roles the ad describes.
    /// Null: no text.
    pub text: Option<String>,
}

/// A parsed profile and its text, whose mentions need a graph to read.
pub struct ProfileText {
    profile: Profile,
    text: Option<String>,
}

impl ProfileText {
    /// Whether reading the profile needs more than its explicit skills and role.
    pub fn has_text(&self) -> bool {
        self.text.is_some()
    }

    /// The profile with the skills its text mentions (see [`ProfileInput::text`]).
    pub fn on(self, graph: &domain::SkillGraph) -> Profile {
        match &self.text {
            Some(text) => graph.with_text(self.profile, text),
            None => self.profile,
        }
    }
}

impl ProfileInput {
    /// The explicit part of the profile and its text, read against a graph by
    /// [`ProfileText::on`] (on the blocking pool: a long text takes milliseconds).
    pub fn parse_with_text(&self) -> Result<ProfileText, ApiError> {
        Ok(ProfileText {
            profile: self.parse()?,
            text: self.text.clone(),
        })
    }

    pub fn parse(&self) -> Result<Profile, ApiError> {
        Ok(Profile {
            skills: self
                .skills
                .iter()
                .flatten()
                .map(SkillLevelInput::parse)
                .collect::<Result<_, _>>()?,
            role: self.role.as_ref().map(role_id).transpose()?,
        })
    }

    pub fn size(&self) -> usize {
        self.skills.as_ref().map_or(0, Vec::len)
    }
}

/// What a learning path should reach: skills at levels and/or roles (all their requirements).
#[derive(InputObject, Clone)]
pub struct TargetInput {
    /// Skills to reach, each at a level. Null or omitted: none.
    #[graphql(default_with = "Some(Vec::new())")]
    pub skills: Option<Vec<SkillLevelInput>>,
    /// Ids of roles to reach: every requirement of each, at its level. Null or omitted: none.
    #[graphql(default_with = "Some(Vec::new())")]
    pub roles: Option<Vec<ID>>,
}

impl TargetInput {
    pub fn parse(&self) -> Result<Vec<Target>, ApiError> {
        let mut targets = Vec::new();
        for s in self.skills.iter().flatten() {
            let (skill, level) = s.parse()?;
            targets.push(Target::Skill { skill, level });
        }
        for r in self.roles.iter().flatten() {
            targets.push(Target::Role(role_id(r)?));
        }
        Ok(targets)
    }

    pub fn size(&self) -> usize {
        self.skills.as_ref().map_or(0, Vec::len) + self.roles.as_ref().map_or(0, Vec::len)
    }
}

/// A learning resource for a skill.
#[derive(InputObject, Clone)]
pub struct ResourceInput {
    /// The title to show.
    pub title: String,
    /// Where the resource is, usually an `https` URL; stored as given.
    pub url: String,
    /// What kind of resource it is; null or omitted: OTHER.
    #[graphql(default_with = "Some(ResourceKind::Other)")]
    pub kind: Option<ResourceKind>,
}

fn resources(list: Option<Vec<ResourceInput>>) -> Vec<Resource> {
    list.into_iter()
        .flatten()
        .map(|r| Resource {
            title: r.title,
            url: r.url,
            kind: r.kind.unwrap_or(ResourceKind::Other).into(),
        })
        .collect()
}

/// A new skill.
#[derive(InputObject)]
pub struct SkillInput {
    /// A new slug id, at most 128 characters: lower-case letters and digits in runs joined
    /// by single `-`, `_`, `.` or `:`, e.g. `vector-search`.
    pub id: ID,
    /// Display name.
    pub name: String,
    /// The id of an existing category.
    pub category: ID,
    /// Hours from nothing to level 3 (practitioner), not negative.
    pub hours: i32,
    /// What the skill covers; null or omitted: none.
    pub description: Option<String>,
    /// Other names people use, matched by search; null or omitted: none.
    pub aliases: Option<Vec<String>>,
    /// Free-form labels; null or omitted: none.
    pub tags: Option<Vec<String>>,
    /// Links to learn the skill from; null or omitted: none.
    pub resources: Option<Vec<ResourceInput>>,
}

impl SkillInput {
    pub fn parse(self) -> Result<Skill, ApiError> {
        Ok(Skill {
            id: skill_id(&self.id)?,
            name: self.name,
            category: category_id(&self.category)?,
            hours: hours(self.hours)?,
            description: self.description,
            aliases: self.aliases.unwrap_or_default(),
            tags: self.tags.unwrap_or_default(),
            resources: resources(self.resources),
            external_id: None,
        })
    }
}

/// Changes to a skill's own data; omitted fields stay as they are.
#[derive(InputObject)]
#[graphql(name = "SkillPatch")]
pub struct SkillPatchInput {
    /// A new display name; null or omitted: unchanged.
    pub name: Option<String>,
    /// The id of the existing category to move the skill to; null or omitted: unchanged.
    pub category: Option<ID>,
    /// New hours from nothing to level 3 (practitioner), not negative; null or omitted:
    /// unchanged.
    pub hours: Option<i32>,
    /// A new description; null or omitted: unchanged.
    pub description: Option<String>,
    /// The complete new list of aliases; null or omitted: unchanged.
    pub aliases: Option<Vec<String>>,
    /// The complete new list of tags; null or omitted: unchanged.
    pub tags: Option<Vec<String>>,
    /// The complete new list of resources; null or omitted: unchanged.
    pub resources: Option<Vec<ResourceInput>>,
}

impl SkillPatchInput {
    pub fn parse(self) -> Result<SkillPatch, ApiError> {
        Ok(SkillPatch {
            name: self.name,
            category: self.category.as_ref().map(category_id).transpose()?,
            hours: self.hours.map(hours).transpose()?,
            description: self.description,
            aliases: self.aliases,
            tags: self.tags,
            resources: self.resources.map(|r| resources(Some(r))),
        })
    }
}

/// A role's need for a skill, or for one of several skills.
#[derive(InputObject)]
pub struct RequirementInput {
    /// The id of an existing skill: the one needed, or with `alternatives` the preferred one.
    pub skill: ID,
    /// The level needed: 1 (aware) to 5 (expert).
    pub level: i32,
    /// How much the role needs it; null or omitted: ESSENTIAL.
    #[graphql(default_with = "Some(Importance::Essential)")]
    pub importance: Option<Importance>,
    /// Other existing skills that meet the requirement as well as `skill` ("one cloud
    /// provider at level 3"); each skill at most once in a role, as a requirement's skill or
    /// an alternative. Null or omitted: none.
    pub alternatives: Option<Vec<ID>>,
}

impl RequirementInput {
    pub fn parse(self) -> Result<Requirement, ApiError> {
        Ok(Requirement {
            skill: skill_id(&self.skill)?,
            level: level(self.level)?,
            importance: self.importance.unwrap_or(Importance::Essential).into(),
            alternatives: skill_ids(self.alternatives)?,
        })
    }
}

/// Skill ids as given, none for null.
pub fn skill_ids(ids: Option<Vec<ID>>) -> Result<Vec<SkillId>, ApiError> {
    ids.into_iter().flatten().map(|id| skill_id(&id)).collect()
}

/// A role with its complete list of requirements.
#[derive(InputObject)]
pub struct RoleInput {
    /// The role's slug id; an existing role with it is replaced whole.
    pub id: ID,
    /// Display name.
    pub name: String,
    /// What the role does; null or omitted: none.
    pub description: Option<String>,
    /// Other titles of the role, matched by `roles(query:)` and `normalizeTitles`; null or
    /// omitted: none.
    pub aliases: Option<Vec<String>>,
    /// Every requirement of the role (each skill once, as a requirement's skill or an
    /// alternative); null or omitted: none.
    pub requirements: Option<Vec<RequirementInput>>,
    /// The id of the role category it sits in; null or omitted: none. NOT_FOUND for an
    /// unknown id, INVALID_INPUT for a skill category's.
    pub category: Option<ID>,
}

impl RoleInput {
    pub fn parse(self) -> Result<Role, ApiError> {
        Ok(Role {
            category: self.category.as_ref().map(category_id).transpose()?,
            id: role_id(&self.id)?,
            name: self.name,
            description: self.description,
            requirements: self
                .requirements
                .into_iter()
                .flatten()
                .map(RequirementInput::parse)
                .collect::<Result<_, ApiError>>()?,
            aliases: self.aliases.unwrap_or_default(),
            external_id: None,
        })
    }
}

/// A category of skills (`upsertCategory`) or of roles (`upsertRoleCategory`).
#[derive(InputObject)]
pub struct CategoryInput {
    /// The category's slug id; an existing category with it is replaced (its skills stay).
    pub id: ID,
    /// Display name.
    pub name: String,
    /// What the category holds; null or omitted: none.
    pub description: Option<String>,
    /// Display order, lower first (also the first tie-break of learning paths); null or
    /// omitted: 0.
    #[graphql(default_with = "Some(0)")]
    pub order: Option<i32>,
    /// The id of the existing category this one lies within; null or omitted: top level.
    /// A parent that would make the tree a cycle is refused.
    pub parent: Option<ID>,
}

impl CategoryInput {
    /// The category, in the tree of `kind`.
    pub fn parse(self, kind: CategoryKind) -> Result<Category, ApiError> {
        Ok(Category {
            kind,
            id: category_id(&self.id)?,
            name: self.name,
            description: self.description,
            order: self.order.unwrap_or(0),
            parent: self.parent.as_ref().map(category_id).transpose()?,
            external_id: None,
        })
    }
}

pub fn edge_spec(
    kind: PrerequisiteKind,
    min_level: Option<i32>,
    beyond: Option<i32>,
) -> Result<domain::EdgeSpec, ApiError> {
    Ok(domain::EdgeSpec {
        kind: kind.into(),
        min_level: min_level.map(level).transpose()?,
        beyond: beyond.map(|b| Level::beyond(i64::from(b))).transpose()?,
    })
}
