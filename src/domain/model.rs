//! The plain values of the domain: categories, skills, roles, levels and profiles.
//!
//! These are data, not behaviour: the graph (`graph.rs`) owns the rules that tie them together.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{CategoryId, Error, RoleId, SkillId};

/// A proficiency level from 1 (aware) to 5 (expert).
///
/// `hours` on a skill measures the effort to reach level 3; [`Level::effort_share`] scales it to
/// the other levels. Zero is not a level: "not held" is `None` or a `current_level` of 0 in views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Level(u8);

impl Level {
    pub const MIN: Level = Level(1);
    pub const PRACTITIONER: Level = Level(3);
    /// The most a prerequisite without `min_level` is needed at: see [`EdgeSpec::needed_for`].
    pub const DEFAULT_PREREQUISITE: Level = Level(2);
    pub const MAX: Level = Level(5);

    pub fn new(value: i64) -> Result<Self, Error> {
        match u8::try_from(value) {
            Ok(v @ 1..=5) => Ok(Level(v)),
            _ => Err(Error::InvalidLevel(value)),
        }
    }

    pub const fn get(self) -> u8 {
        self.0
    }

    /// A level an edge may apply beyond: 1 to 4, since nothing is beyond expert.
    pub fn beyond(value: i64) -> Result<Self, Error> {
        match Level::new(value) {
            Ok(level) if level < Level::MAX => Ok(level),
            Ok(_) => Err(Error::InvalidInput(
                "beyond must be 1-4: nothing is beyond expert (5)".into(),
            )),
            Err(e) => Err(e),
        }
    }

    pub fn name(self) -> &'static str {
        match self.0 {
            1 => "aware",
            2 => "beginner",
            3 => "practitioner",
            4 => "advanced",
            _ => "expert",
        }
    }

    /// Cumulative share, in percent of a skill's `hours`, of the effort from nothing to `level`.
    ///
    /// Early levels are cheap and mastery is expensive: awareness is a tenth of the work to become
    /// a practitioner, advanced twice it and expertise five times it, so the step from advanced
    /// to expert (300 %) costs more than everything before it. Study only, not project time: see
    /// "How hours were estimated" in `seed/README.md`. `None` (not held) costs nothing.
    pub fn effort_share(level: Option<Level>) -> u32 {
        match level.map(Level::get) {
            None => 0,
            Some(1) => 10,
            Some(2) => 40,
            Some(3) => 100,
            Some(4) => 200,
            Some(_) => 500,
        }
    }

    /// Hours to go from `from` (or nothing) to `to`, for a skill whose level-3 effort is `hours`.
    /// Rounded up so a step that needs any work never shows as zero hours.
    pub fn hours_between(hours: u32, from: Option<Level>, to: Level) -> u32 {
        let (a, b) = (Self::effort_share(from), Self::effort_share(Some(to)));
        if b <= a {
            return 0;
        }
        u32::try_from((u64::from(hours) * u64::from(b - a)).div_ceil(100)).unwrap_or(u32::MAX)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Level::new(i64::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// Whether a prerequisite blocks learning (`Required`) or only helps (`Recommended`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PrerequisiteKind {
    #[default]
    Required,
    Recommended,
}

/// How much a role needs a skill.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    #[default]
    Essential,
    Optional,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Course,
    Book,
    Documentation,
    Tutorial,
    Article,
    Video,
    Paper,
    #[default]
    Other,
}

/// Which tree a category belongs to: skills' (the stack's layers, ESCO skill groups, O*NET's
/// content model) or roles' (ISCO-08 groups, SOC major groups, the seed's families of roles).
///
/// One map and one record type for both, so that the store, the change log, replay, replicas
/// and exports carry role categories without a mechanism of their own; the kind keeps the two
/// trees apart: a parent is of its child's kind, a skill sits in a skill category and a role
/// in a role category, and an id names one category of one kind (importers give role
/// categories ids of their own, `esco:isco.c2511`, `onet:soc.15`, `roles:data`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum CategoryKind {
    /// Defaulted, so categories stored before role categories existed read as skill ones.
    #[default]
    Skill,
    Role,
}

impl CategoryKind {
    pub fn is_skill(&self) -> bool {
        *self == CategoryKind::Skill
    }

    /// How messages name a category of this kind.
    pub fn noun(self) -> &'static str {
        match self {
            CategoryKind::Skill => "skill category",
            CategoryKind::Role => "role category",
        }
    }
}

/// A layer of the skill stack, or a node of an imported taxonomy's tree; of skills or of roles
/// (see [`CategoryKind`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    /// Left out of the stored JSON for skill categories, so they are written as before; an
    /// older build reads a role category as a skill category with no skills.
    #[serde(default, skip_serializing_if = "CategoryKind::is_skill")]
    pub kind: CategoryKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Display and tie-break order: lower first.
    #[serde(default)]
    pub order: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CategoryId>,
    /// The id in the taxonomy this came from (an ESCO URI, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub kind: ResourceKind,
}

/// A skill's own data. Its prerequisites live in the graph's edges, not here, so that there is
/// one source of truth for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    pub id: SkillId,
    pub name: String,
    pub category: CategoryId,
    /// Effort in hours from nothing to level 3 (practitioner).
    pub hours: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// The data on an edge "skill requires `requires`".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EdgeSpec {
    #[serde(default)]
    pub kind: PrerequisiteKind,
    /// The least level of the prerequisite needed; `None` means the default rule of
    /// [`EdgeSpec::needed_for`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_level: Option<Level>,
    /// The edge applies only to go beyond this level of the dependent skill (to reach the
    /// next level and up); `None`: at every level. Transformers are needed to take LLM
    /// fundamentals beyond beginner, not to become aware of what an LLM is. At most advanced
    /// (4): nothing is beyond expert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond: Option<Level>,
}

impl EdgeSpec {
    /// The level of the prerequisite needed to reach `target` in the dependent skill, or
    /// `None` when the edge does not apply at `target` (it applies only beyond a level the
    /// target does not pass).
    ///
    /// An explicit `min_level` is taken as written. Otherwise the prerequisite is needed at the
    /// dependent's target level, capped at beginner ([`Level::DEFAULT_PREREQUISITE`]): to become
    /// aware of transformers you need only awareness of attention; to use them, or even master
    /// them, you need to follow the maths, not to practise it. Most prerequisites are such
    /// foundations, and an edge that needs more says so with `min_level`. The cap also keeps
    /// long unlabelled chains (every imported taxonomy's: ESCO and O*NET relations carry no
    /// level) from demanding practitioner level of everything below a target.
    pub fn needed_for(&self, target: Level) -> Option<Level> {
        if !self.applies_to(target) {
            return None;
        }
        Some(self.level_for(target))
    }

    /// The level needed to reach `target` whether or not the edge applies there: for a "one
    /// of" group's edge data, which applies at every level (a group has no `beyond`).
    pub fn level_for(&self, target: Level) -> Level {
        self.min_level
            .unwrap_or_else(|| target.min(Level::DEFAULT_PREREQUISITE))
    }

    /// Whether the edge gates reaching `target` in the dependent skill (see
    /// [`beyond`](Self::beyond)).
    pub fn applies_to(&self, target: Level) -> bool {
        self.beyond.is_none_or(|b| target > b)
    }

    /// The level the dependent must pass for the edge to apply: 0 when it always does.
    pub fn threshold(&self) -> u8 {
        self.beyond.map_or(0, Level::get)
    }
}

/// "One of these": a skill needs one option of the group, at the group's `min_level` (or the
/// default rule of [`EdgeSpec::needed_for`]), besides its ordinary prerequisites. PyTorch or
/// TensorFlow; AWS or GCP or Azure.
///
/// A group has at least two distinct options, none the skill itself, sorted by id; every option
/// is a skill of the graph. For acyclicity a group counts as an edge from the skill to each
/// option. Holding the skill implies nothing about the options (which one was learned is not
/// known); a plan satisfies the group with one option (see `plan`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PrerequisiteGroup {
    #[serde(default)]
    pub kind: PrerequisiteKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_level: Option<Level>,
    pub options: Vec<SkillId>,
}

impl PrerequisiteGroup {
    /// The edge data each option would have as an ordinary prerequisite.
    pub fn spec(&self) -> EdgeSpec {
        EdgeSpec {
            kind: self.kind,
            min_level: self.min_level,
            beyond: None,
        }
    }
}

/// A prerequisite as seen from the dependent skill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prerequisite {
    pub skill: SkillId,
    pub kind: PrerequisiteKind,
    pub min_level: Option<Level>,
    /// The level of the dependent the edge applies beyond (see [`EdgeSpec::beyond`]).
    pub beyond: Option<Level>,
    /// 1 for a direct prerequisite, 2 for a prerequisite of one, and so on (the shortest chain).
    pub depth: u32,
}

/// A role's need for a skill at a level, or for one of several skills at that level ("one
/// cloud provider at practitioner level").
///
/// `skill` is the requirement's skill, or with `alternatives` its preferred option: the one a
/// held role counts as held, and the one clients that know nothing of alternatives read. The
/// requirement is met by any option held at `level`. A role lists each skill once, as a
/// requirement's skill or as one of its alternatives; alternatives are distinct, not the
/// preferred skill, and sorted by id (see `upsert_role`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub skill: SkillId,
    pub level: Level,
    #[serde(default)]
    pub importance: Importance,
    /// The other skills that meet it; empty for a requirement of one skill. Left out of the
    /// stored JSON when empty, so roles written before alternatives existed read as they were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<SkillId>,
}

impl Requirement {
    /// Every skill that meets it: the preferred skill first, then the alternatives. Questions
    /// that count a requirement as met read its options through this, never `skill` alone.
    pub fn options(&self) -> impl Iterator<Item = &SkillId> {
        std::iter::once(&self.skill).chain(&self.alternatives)
    }

    /// Whether `skill` meets it (the preferred skill or an alternative).
    pub fn lists(&self, skill: &SkillId) -> bool {
        self.options().any(|o| o == skill)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Other titles of the role, as job ads write them ("ML engineer" for a machine learning
    /// engineer): searched like its name. Defaulted so that records stored before roles had
    /// aliases still decode.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One entry per skill (a "one of" requirement under its preferred skill), sorted by
    /// skill id.
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The role category it sits in (an ISCO-08 group, a SOC major group, a family of the
    /// seed's roles); `None`: uncategorised. Defaulted and left out when `None`, so roles
    /// stored before role categories existed decode, and are written, as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryId>,
}

impl Role {
    /// The requirement `skill` meets: the one whose skill it is, else the one listing it as
    /// an alternative (a role lists each skill once).
    pub fn requirement(&self, skill: &SkillId) -> Option<&Requirement> {
        match self.requirements.binary_search_by(|r| r.skill.cmp(skill)) {
            Ok(i) => Some(&self.requirements[i]),
            Err(_) => self
                .requirements
                .iter()
                .find(|r| r.alternatives.contains(skill)),
        }
    }
}

/// What a person knows: skills at levels and, optionally, a current role whose requirements
/// count as held at their levels (a "one of" requirement's preferred skill, which of the
/// options was learned being unknown). Input only; never stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub skills: Vec<(SkillId, Level)>,
    pub role: Option<RoleId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_outside_one_to_five_are_rejected() {
        for bad in [0, 6, -1, 300] {
            assert!(matches!(Level::new(bad), Err(Error::InvalidLevel(v)) if v == bad));
        }
        assert_eq!(Level::new(4).unwrap().name(), "advanced");
    }

    #[test]
    fn hours_scale_with_the_effort_share_of_each_level() {
        let l = |v| Level::new(v).unwrap();
        assert_eq!(Level::hours_between(40, None, l(3)), 40);
        assert_eq!(Level::hours_between(40, None, l(1)), 4);
        assert_eq!(Level::hours_between(40, Some(l(2)), l(3)), 24);
        assert_eq!(Level::hours_between(40, Some(l(3)), l(5)), 160);
        assert_eq!(Level::hours_between(40, None, l(5)), 200);
        assert_eq!(Level::hours_between(40, Some(l(4)), l(2)), 0);
        // Rounded up: any real work is at least an hour.
        assert_eq!(Level::hours_between(1, None, l(1)), 1);
    }

    #[test]
    fn an_unset_min_level_follows_the_target_capped_at_beginner() {
        let spec = EdgeSpec::default();
        assert_eq!(spec.needed_for(Level::MIN), Some(Level::MIN));
        let beginner = Level::new(2).unwrap();
        for target in 2..=5 {
            assert_eq!(spec.needed_for(Level::new(target).unwrap()), Some(beginner));
        }
        let strict = EdgeSpec {
            min_level: Some(Level::new(4).unwrap()),
            ..spec
        };
        assert_eq!(strict.needed_for(Level::MIN), Some(Level::new(4).unwrap()));
    }

    #[test]
    fn an_edge_beyond_a_level_applies_only_above_it() {
        let l = |v| Level::new(v).unwrap();
        let spec = EdgeSpec {
            beyond: Some(l(2)),
            min_level: Some(l(3)),
            ..EdgeSpec::default()
        };
        assert_eq!(spec.needed_for(l(1)), None);
        assert_eq!(spec.needed_for(l(2)), None);
        assert_eq!(spec.needed_for(l(3)), Some(l(3)));
        assert_eq!(spec.needed_for(l(5)), Some(l(3)));
        // Without `min_level`, the usual cap: beyond 2 to reach 3 needs beginner.
        let plain = EdgeSpec {
            beyond: Some(l(2)),
            ..EdgeSpec::default()
        };
        assert_eq!(plain.needed_for(l(3)), Some(l(2)));
    }
}

/// How far a walk from a skill reaches: its direct neighbours, or everything behind them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Direct,
    Transitive,
}

impl Reach {
    /// `Transitive` when `transitive`, as an API flag says it.
    pub fn transitive_if(transitive: bool) -> Self {
        if transitive {
            Reach::Transitive
        } else {
            Reach::Direct
        }
    }

    /// The deepest a walk goes.
    pub(crate) fn max_depth(self) -> u32 {
        match self {
            Reach::Direct => 1,
            Reach::Transitive => u32::MAX,
        }
    }
}

/// Which prerequisite edges a walk follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
    /// Only what blocks: the required edges.
    Required,
    /// The recommended edges too.
    RequiredAndRecommended,
}

impl Follow {
    /// `RequiredAndRecommended` when `include_recommended`, as an API flag says it.
    pub fn recommended_if(include_recommended: bool) -> Self {
        if include_recommended {
            Follow::RequiredAndRecommended
        } else {
            Follow::Required
        }
    }
}

/// What deleting a skill does when other skills, groups or roles still use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnDelete {
    /// Refuse, naming the users.
    Refuse,
    /// Take the edges and requirements on it along (see `delete_skill`).
    Cascade,
}

impl OnDelete {
    /// `Cascade` when `cascade`, as an API flag says it.
    pub fn cascade_if(cascade: bool) -> Self {
        if cascade {
            OnDelete::Cascade
        } else {
            OnDelete::Refuse
        }
    }
}
