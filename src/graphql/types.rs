//! Output types: thin views over domain values. Each view carries the graph snapshot it was
//! read from, so nested fields answer from the same revision as the field that produced them
//! (and a mutation's result shows the graph as that mutation left it).

use crate::domain::{Follow, Reach};
use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject, Union, Value};

use super::args::{expansion, first_within, int, level, list_cost, page_cost};
use super::compute;
use super::enums::{Importance, PrerequisiteKind, ResourceKind};
use super::error::{ApiError, OrApi};
use super::flat::{self, Flat, FlatList, Selections};
use crate::domain::{
    self, Category, Holdings, LearningPlan, Prerequisite, Requirement, RequirementStatus, Role,
    RoleMatch, RoleProgress, RoleSimilarity, RoleStanding, Schedule, SharedRequirement, Skill,
    SkillGraph, SkillId, Step, Suggestion, TargetRef,
};

/// A reference inside one snapshot that does not resolve: the domain keeps referential
/// integrity, so this is a bug, never a client's mistake.
fn dangling(kind: &str, id: &str) -> async_graphql::Error {
    ApiError::Internal(format!(
        "dangling reference to {kind} {id:?} in one snapshot"
    ))
    .into_graphql()
}

/// A view of one skill at one revision.
#[derive(Clone)]
pub struct SkillView {
    pub graph: Arc<SkillGraph>,
    pub skill: Arc<Skill>,
}

impl SkillView {
    /// The view of a skill id known to be in `graph` (ids in plans and edges always are).
    pub fn of(graph: &Arc<SkillGraph>, id: &SkillId) -> Option<Self> {
        Some(SkillView {
            skill: graph.skill(id.as_str())?.clone(),
            graph: graph.clone(),
        })
    }

    /// The view of a skill a snapshot refers to (an edge's end, a plan's step, a requirement):
    /// the graph keeps its references whole, so a miss is a bug, answered as `INTERNAL`.
    pub fn referenced(graph: &Arc<SkillGraph>, id: &SkillId) -> async_graphql::Result<Self> {
        Self::of(graph, id).ok_or_else(|| dangling("skill", id.as_str()))
    }

    fn many<'a>(graph: &Arc<SkillGraph>, ids: impl IntoIterator<Item = &'a SkillId>) -> Vec<Self> {
        ids.into_iter()
            .filter_map(|id| Self::of(graph, id))
            .collect()
    }
}

/// A skill: something a person can learn, with what it requires and what it unlocks.
#[Object(name = "Skill")]
impl SkillView {
    /// Stable slug id, e.g. `feature-engineering`.
    async fn id(&self) -> ID {
        ID(self.skill.id.to_string())
    }
    /// Display name, e.g. `Feature engineering`; search matches it.
    async fn name(&self) -> &str {
        &self.skill.name
    }
    /// What the skill covers, in a sentence or two; null when none was written.
    async fn description(&self) -> Option<&str> {
        self.skill.description.as_deref()
    }
    /// The layer of the stack (or taxonomy node) the skill belongs to.
    async fn category(&self) -> async_graphql::Result<CategoryView> {
        CategoryView::referenced(&self.graph, self.skill.category.as_str())
    }
    /// Other names people use; search matches them too.
    async fn aliases(&self) -> &[String] {
        &self.skill.aliases
    }
    /// Free-form labels (e.g. `python`, `nlp`), as written; not searched.
    async fn tags(&self) -> &[String] {
        &self.skill.tags
    }
    /// Estimated hours from nothing to level 3 (practitioner).
    async fn hours(&self) -> i32 {
        int(u64::from(self.skill.hours))
    }
    /// Courses, books and other links to learn the skill from, in the order they were given.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn resources(&self) -> Vec<ResourceView> {
        self.skill
            .resources
            .iter()
            .map(|r| ResourceView {
                title: r.title.clone(),
                url: r.url.clone(),
                kind: r.kind.into(),
            })
            .collect()
    }
    /// The id in the taxonomy this skill was imported from (an ESCO URI, say).
    async fn external_id(&self) -> Option<&str> {
        self.skill.external_id.as_deref()
    }
    /// What must (or should) be learned before this skill. Transitive results carry the depth
    /// of the shortest chain; sorted by depth, then category order, then id.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn prerequisites(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also the prerequisites of prerequisites, all the way down (each once, at \
                    its shortest depth); false or null: only the direct ones."
        )]
        transitive: Option<bool>,
        #[graphql(
            default_with = "Some(true)",
            desc = "Include RECOMMENDED edges besides REQUIRED ones (true or null); a \
                    transitive walk then also follows them."
        )]
        include_recommended: Option<bool>,
    ) -> async_graphql::Result<FlatList<PrerequisiteView>> {
        let (transitive, include_recommended) = (
            transitive.unwrap_or(false),
            include_recommended.unwrap_or(true),
        );
        let list = self
            .graph
            .prerequisites_of(
                &self.skill.id,
                Reach::transitive_if(transitive),
                Follow::recommended_if(include_recommended),
            )
            .api()?;
        expansion(ctx, list.len())?;
        Ok(FlatList(
            list.into_iter()
                .map(|p| PrerequisiteView {
                    graph: self.graph.clone(),
                    prerequisite: p,
                })
                .collect(),
        ))
    }
    /// The "one of" groups of this skill: for each, one option must be learned (or held),
    /// besides the ordinary `prerequisites`. With `transitive`, also the groups of every skill
    /// this one requires (`of` says whose, `depth` how far), shown as groups: their options are
    /// a choice, so `prerequisites(transitive: true)` does not list them.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn prerequisite_groups(
        &self,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also the groups of the skills this one requires, directly or through a \
                    chain; null: false."
        )]
        transitive: Option<bool>,
    ) -> async_graphql::Result<Vec<PrerequisiteGroupView>> {
        let reach = Reach::transitive_if(transitive.unwrap_or(false));
        let groups = self
            .graph
            .prerequisite_groups_of(&self.skill.id, reach)
            .api()?;
        Ok(groups
            .into_iter()
            .map(|(of, depth, g)| PrerequisiteGroupView {
                graph: self.graph.clone(),
                group: g.clone(),
                of,
                depth,
            })
            .collect())
    }
    /// Skills that require this one, directly or (with `transitive`) through a chain.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn unlocks(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also what those skills unlock, all the way up; false or null: only the \
                    skills that list this one as a prerequisite."
        )]
        transitive: Option<bool>,
    ) -> async_graphql::Result<FlatList<SkillView>> {
        let transitive = transitive.unwrap_or(false);
        let list = self
            .graph
            .unlocks(&self.skill.id, Reach::transitive_if(transitive))
            .api()?;
        expansion(ctx, list.len())?;
        Ok(FlatList(Self::many(
            &self.graph,
            list.iter().map(|(id, _)| id),
        )))
    }
    /// The roles that require this skill, and at what level.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn required_by(&self) -> async_graphql::Result<FlatList<RoleRequirementView>> {
        let list = self.graph.required_by(&self.skill.id).api()?;
        Ok(FlatList(
            list.into_iter()
                .map(|(role, requirement)| RoleRequirementView {
                    graph: self.graph.clone(),
                    role: role.clone(),
                    requirement: requirement.clone(),
                })
                .collect(),
        ))
    }
}

/// A learning resource for a skill.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Resource")]
pub struct ResourceView {
    /// The title to show, e.g. the book's or the course's name.
    pub title: String,
    /// Where the resource is, as given (usually an `https` URL).
    pub url: String,
    /// What kind of resource it is.
    pub kind: ResourceKind,
}

#[derive(Clone)]
pub struct CategoryView {
    pub graph: Arc<SkillGraph>,
    pub category: Arc<Category>,
}

impl CategoryView {
    pub fn of(graph: &Arc<SkillGraph>, id: &str) -> Option<Self> {
        Some(CategoryView {
            category: graph.category(id)?.clone(),
            graph: graph.clone(),
        })
    }

    /// A category a skill of the snapshot refers to; a miss is `INTERNAL` (see `dangling`).
    fn referenced(graph: &Arc<SkillGraph>, id: &str) -> async_graphql::Result<Self> {
        Self::of(graph, id).ok_or_else(|| dangling("category", id))
    }
}

/// A layer of the skill stack (or a node of an imported taxonomy's tree).
#[Object(name = "Category")]
impl CategoryView {
    /// Stable slug id, e.g. `deep-learning`.
    async fn id(&self) -> ID {
        ID(self.category.id.to_string())
    }
    /// Display name, e.g. `Deep learning`.
    async fn name(&self) -> &str {
        &self.category.name
    }
    /// What the category holds; null when none was written.
    async fn description(&self) -> Option<&str> {
        self.category.description.as_deref()
    }
    /// Display order; lower first. Also the first tie-break of learning paths.
    async fn order(&self) -> i32 {
        self.category.order
    }
    /// The category this one lies within; null for a top-level category. A `skills`
    /// filter on a category includes its sub-categories.
    async fn parent(&self) -> Option<CategoryView> {
        let parent = self.category.parent.as_ref()?;
        CategoryView::of(&self.graph, parent.as_str())
    }
}

pub struct PrerequisiteView {
    pub graph: Arc<SkillGraph>,
    pub prerequisite: Prerequisite,
}

pub struct PrerequisiteGroupView {
    pub graph: Arc<SkillGraph>,
    pub group: domain::PrerequisiteGroup,
    /// The skill that has the group.
    pub of: SkillId,
    pub depth: u32,
}

/// "One of these": a skill needs one of the options (PyTorch or TensorFlow, say), at the
/// group's level. A plan takes a held option, else the one that adds the fewest hours.
#[Object(name = "PrerequisiteGroup")]
impl PrerequisiteGroupView {
    /// The skill that needs one of the options: the skill asked about, or (in a transitive
    /// list) one of the skills it requires.
    async fn of(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.of)
    }
    /// How far `of` is from the skill asked about: 0 for its own groups, else the length of
    /// the shortest chain of required prerequisites to it.
    async fn depth(&self) -> i32 {
        i32::try_from(self.depth).unwrap_or(i32::MAX)
    }
    /// Whether the group blocks (REQUIRED) or only helps (RECOMMENDED).
    async fn kind(&self) -> PrerequisiteKind {
        self.group.kind.into()
    }
    /// The least level (1 aware to 5 expert) of the option needed, when the group sets one;
    /// null: the level the dependent skill is learned to, capped at 2 (beginner).
    async fn min_level(&self) -> Option<i32> {
        self.group.min_level.map(|l| i32::from(l.get()))
    }
    /// The options, at least two, sorted by id; any one of them satisfies the group.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn options(&self) -> async_graphql::Result<Vec<SkillView>> {
        self.group
            .options
            .iter()
            .map(|id| SkillView::referenced(&self.graph, id))
            .collect()
    }
}

/// A skill needed before another one.
#[Object(name = "Prerequisite")]
impl PrerequisiteView {
    /// The skill to learn first.
    async fn skill(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.prerequisite.skill)
    }
    /// Whether it blocks (REQUIRED) or only helps (RECOMMENDED). For a transitive entry,
    /// REQUIRED when some chain of required edges alone reaches it, else RECOMMENDED.
    async fn kind(&self) -> PrerequisiteKind {
        self.prerequisite.kind.into()
    }
    /// The least level (1 aware to 5 expert) of the prerequisite needed, when the edge sets
    /// one; null: the level the dependent skill is learned to, capped at 2 (beginner). For a
    /// transitive entry, that of the last edge of a shortest chain to it; where several chains
    /// are shortest, the edge that asks the most (null counting as up to 2).
    async fn min_level(&self) -> Option<i32> {
        self.prerequisite.min_level.map(|l| i32::from(l.get()))
    }
    /// 1 for a direct prerequisite, 2 for a prerequisite of one, and so on.
    async fn depth(&self) -> i32 {
        int(u64::from(self.prerequisite.depth))
    }
}

#[derive(Clone)]
pub struct RoleView {
    pub graph: Arc<SkillGraph>,
    pub role: Arc<Role>,
}

impl RoleView {
    pub fn of(graph: &Arc<SkillGraph>, id: &str) -> Option<Self> {
        Some(RoleView {
            role: graph.role(id)?.clone(),
            graph: graph.clone(),
        })
    }

    /// A role a gap or a match of the snapshot refers to; a miss is `INTERNAL`.
    pub(super) fn referenced(graph: &Arc<SkillGraph>, id: &str) -> async_graphql::Result<Self> {
        Self::of(graph, id).ok_or_else(|| dangling("role", id))
    }
}

/// A role (occupation) and the skills it requires.
#[Object(name = "Role")]
impl RoleView {
    /// Stable slug id, e.g. `ml-engineer`.
    async fn id(&self) -> ID {
        ID(self.role.id.to_string())
    }
    /// Display name, e.g. `ML engineer`; `roles(query:)` matches it.
    async fn name(&self) -> &str {
        &self.role.name
    }
    /// What the role does; null when none was written.
    async fn description(&self) -> Option<&str> {
        self.role.description.as_deref()
    }
    /// The roles whose requirements overlap this one's most, best first (ties by id), with
    /// the skills they share and the hours of a move each way: where people in this role come
    /// from and go next. Roles sharing no skill are left out. See "Similar roles" in the
    /// README.
    #[graphql(complexity = "page_cost(first, 10, child_complexity)")]
    async fn similar(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many roles, most similar first (0 to `maxSimilar`, 50 by default); \
                    null: 10."
        )]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<RoleSimilarityView>> {
        let first = first_within(ctx, first, 10, "maxSimilar", |l| l.max_similar)?;
        let (graph, role) = (self.graph.clone(), self.role.id.clone());
        let similar = compute({
            let graph = graph.clone();
            move || graph.similar_roles(&role, first)
        })
        .await?
        .api()?;
        Ok(similar
            .into_iter()
            .map(|similarity| RoleSimilarityView {
                graph: graph.clone(),
                of: self.role.clone(),
                similarity,
            })
            .collect())
    }
    /// The skills the role needs, each at a level, sorted by skill id.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn requirements(&self) -> FlatList<RoleRequirementView> {
        FlatList(
            self.role
                .requirements
                .iter()
                .map(|r| RoleRequirementView {
                    graph: self.graph.clone(),
                    role: self.role.clone(),
                    requirement: r.clone(),
                })
                .collect(),
        )
    }
    /// The id in the taxonomy this role was imported from.
    async fn external_id(&self) -> Option<&str> {
        self.role.external_id.as_deref()
    }
}

pub struct RoleRequirementView {
    pub graph: Arc<SkillGraph>,
    pub role: Arc<Role>,
    pub requirement: Requirement,
}

/// A role's need for a skill at a level.
#[Object(name = "RoleRequirement")]
impl RoleRequirementView {
    /// The role that has this requirement.
    async fn role(&self) -> RoleView {
        RoleView {
            graph: self.graph.clone(),
            role: self.role.clone(),
        }
    }
    /// The skill required.
    async fn skill(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.requirement.skill)
    }
    /// The level needed: 1 (aware) to 5 (expert).
    async fn level(&self) -> i32 {
        level(Some(self.requirement.level))
    }
    /// Whether the role cannot do without it (ESSENTIAL) or only benefits (OPTIONAL).
    async fn importance(&self) -> Importance {
        self.requirement.importance.into()
    }
}

pub struct RoleSimilarityView {
    graph: Arc<SkillGraph>,
    of: Arc<Role>,
    similarity: RoleSimilarity,
}

/// A role whose requirements overlap another's, and what moving between them costs.
#[Object(name = "RoleSimilarity")]
impl RoleSimilarityView {
    /// The similar role.
    async fn role(&self) -> async_graphql::Result<RoleView> {
        RoleView::referenced(&self.graph, self.similarity.role.as_str())
    }
    /// Weighted Jaccard similarity of the two roles' requirements, in (0, 1]: the sum over
    /// skills of the smaller weight over the sum of the larger, a requirement weighing its
    /// level times 3 when ESSENTIAL, 1 when OPTIONAL. The same both ways.
    async fn score(&self) -> f64 {
        self.similarity.score
    }
    /// The skills both roles require, by skill id, as each requires them.
    async fn shared(&self) -> async_graphql::Result<Vec<SharedRequirementView>> {
        let there = RoleView::referenced(&self.graph, self.similarity.role.as_str())?.role;
        Ok(self
            .similarity
            .shared
            .iter()
            .map(|shared| SharedRequirementView {
                graph: self.graph.clone(),
                here: self.of.clone(),
                there: there.clone(),
                shared: shared.clone(),
            })
            .collect())
    }
    /// Hours of the plan from holding every requirement of the role asked about to this
    /// role (as `roleGap(from: {role: …})` counts them).
    async fn hours_to(&self) -> i32 {
        int(self.similarity.hours_to)
    }
    /// Hours of the plan back: from holding every requirement of this role to the role asked
    /// about. Not the same as `hoursTo`: the way up costs more than the way down.
    async fn hours_from(&self) -> i32 {
        int(self.similarity.hours_from)
    }
}

pub struct SharedRequirementView {
    graph: Arc<SkillGraph>,
    here: Arc<Role>,
    there: Arc<Role>,
    shared: SharedRequirement,
}

/// A skill two roles both require, with each role's requirement.
#[Object(name = "SharedRequirement")]
impl SharedRequirementView {
    /// The requirement of the role `similar` was asked on.
    async fn here(&self) -> RoleRequirementView {
        RoleRequirementView {
            graph: self.graph.clone(),
            role: self.here.clone(),
            requirement: self.shared.here.clone(),
        }
    }
    /// The requirement of the similar role.
    async fn there(&self) -> RoleRequirementView {
        RoleRequirementView {
            graph: self.graph.clone(),
            role: self.there.clone(),
            requirement: self.shared.there.clone(),
        }
    }
}

pub struct LearningPathView {
    pub graph: Arc<SkillGraph>,
    /// Shared with the step views, so resolving the steps copies no step.
    pub plan: Arc<LearningPlan>,
}

/// An ordered, staged plan: every prerequisite comes before what needs it.
#[Object(name = "LearningPath")]
impl LearningPathView {
    /// In learning order: by stage, then category order, then id.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn steps(&self) -> FlatList<PathStepView> {
        FlatList(
            (0..self.plan.steps.len())
                .map(|index| PathStepView {
                    graph: self.graph.clone(),
                    plan: self.plan.clone(),
                    index,
                    deferred: false,
                })
                .collect(),
        )
    }
    /// With `hoursPerWeek`: the weeks the steps take one after another at that pace, the
    /// last step's `endWeek` (`ceil(totalHours / hoursPerWeek)`); null without a pace.
    async fn weeks(&self) -> Option<i32> {
        self.plan.weeks.map(|w| int(u64::from(w)))
    }
    /// With `budgetHours`: the steps of the full plan that did not fit, in its order and as
    /// it has them (positions and stages are the full plan's, and they have no weeks); null
    /// without a budget.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn deferred(&self) -> Option<FlatList<PathStepView>> {
        let budget = self.plan.budget.as_ref()?;
        Some(FlatList(
            (0..budget.deferred.len())
                .map(|index| PathStepView {
                    graph: self.graph.clone(),
                    plan: self.plan.clone(),
                    index,
                    deferred: true,
                })
                .collect(),
        ))
    }
    /// With `budgetHours`: the hours of the deferred steps; null without a budget.
    async fn deferred_hours(&self) -> Option<i32> {
        self.plan.budget.as_ref().map(|b| int(b.deferred_hours))
    }
    /// With `budgetHours`: the readiness in [0, 1] for the targets once the steps within the
    /// budget are learned (for a role as `RoleGap.readiness`; a target skill weighs as an
    /// essential requirement); null without a budget.
    async fn readiness_within_budget(&self) -> Option<f64> {
        self.plan.budget.as_ref().map(|b| b.readiness_within_budget)
    }
    /// With `budgetHours`: true when the choice of steps is known to be the best (everything
    /// fitted, or at most one requirement was open), false when it is the greedy
    /// heuristic's; null without a budget.
    async fn budget_exact(&self) -> Option<bool> {
        self.plan.budget.as_ref().map(|b| b.exact)
    }
    /// How many stages; steps of one stage can be learned in parallel.
    async fn stages(&self) -> i32 {
        int(u64::from(self.plan.stages))
    }
    /// Hours of all steps together: the study time one person learning one step at a time
    /// needs.
    async fn total_hours(&self) -> i32 {
        int(self.plan.total_hours)
    }
    /// Hours of the heaviest chain of steps: the least calendar time with unlimited
    /// parallel study.
    async fn critical_path_hours(&self) -> i32 {
        int(self.plan.critical_path_hours)
    }
    /// Skills the plan needed that the profile holds by implication (they are prerequisites
    /// of something it holds), so they are not steps.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn implied(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, self.plan.implied.iter().map(|i| &i.skill))
    }
    /// The plan as a Mermaid flowchart, to render as is (a ```` ```mermaid ```` block on
    /// GitHub, mermaid.js in a page): one subgraph a stage, left to right, each step a node
    /// with its skill's name, levels and hours, an arrow from each step to every later step
    /// that waits for it; target steps drawn thicker. Deferred steps are not drawn. The same
    /// plan gives the same text.
    async fn mermaid(&self) -> String {
        crate::render::mermaid(&self.plan, &self.graph)
    }
    /// The plan as a Graphviz DOT digraph (`dot -Tsvg` draws it), drawn as `mermaid` is: one
    /// cluster a stage, each node's `id` is `step-<position>`.
    async fn dot(&self) -> String {
        crate::render::dot(&self.plan, &self.graph)
    }
    /// The same, with the implied level and the held skill that implies it.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn implied_levels(&self) -> Vec<ImpliedSkillView> {
        self.plan
            .implied
            .iter()
            .filter_map(|i| {
                Some(ImpliedSkillView {
                    skill: SkillView::of(&self.graph, &i.skill)?,
                    level: level(Some(i.level)),
                    via: SkillView::of(&self.graph, &i.via)?,
                })
            })
            .collect()
    }
}

/// A skill held by implication.
#[derive(SimpleObject)]
#[graphql(name = "ImpliedSkill")]
pub struct ImpliedSkillView {
    /// The skill held by implication.
    pub skill: SkillView,
    /// The level it is held at by implication: 1 (aware) to 5 (expert).
    pub level: i32,
    /// The held skill whose prerequisites imply this one.
    pub via: SkillView,
}

pub struct PathStepView {
    pub graph: Arc<SkillGraph>,
    plan: Arc<LearningPlan>,
    index: usize,
    /// A step of the budget's deferred list, not of the plan.
    deferred: bool,
}

impl PathStepView {
    fn step(&self) -> &Step {
        match (&self.plan.budget, self.deferred) {
            (Some(budget), true) => &budget.deferred[self.index],
            _ => &self.plan.steps[self.index],
        }
    }
}

/// What a step of a plan serves: a target skill or a target role.
#[derive(Union)]
#[graphql(name = "PlanTarget")]
pub enum PlanTarget {
    Skill(SkillView),
    Role(RoleView),
}

/// One thing to learn, and why.
#[Object(name = "PathStep")]
impl PathStepView {
    /// 1-based position in the plan.
    async fn position(&self) -> i32 {
        int(u64::from(self.step().position))
    }
    /// 1-based stage; everything this step waits for is in an earlier stage.
    async fn stage(&self) -> i32 {
        int(u64::from(self.step().stage))
    }
    /// The skill to learn in this step.
    async fn skill(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.step().skill)
    }
    /// The level held now; 0 when not held at all.
    async fn from_level(&self) -> i32 {
        level(self.step().from_level)
    }
    /// The level this step reaches: 1 (aware) to 5 (expert).
    async fn to_level(&self) -> i32 {
        level(Some(self.step().to_level))
    }
    /// Hours from `fromLevel` to `toLevel`: the skill's hours times the share of effort
    /// between the two levels (see `levels`), rounded up.
    async fn hours(&self) -> i32 {
        int(u64::from(self.step().hours))
    }
    /// With `hoursPerWeek`: the 1-based week this step starts in, one step after another in
    /// plan order (week `k` holds hours `(k-1)·hoursPerWeek` to `k·hoursPerWeek`); null
    /// without a pace, and on deferred steps.
    async fn start_week(&self) -> Option<i32> {
        self.step().start_week.map(|w| int(u64::from(w)))
    }
    /// With `hoursPerWeek`: the 1-based week this step ends in, `startWeek` or later (a step
    /// spanning weeks ends in the week of its last hour, where the next step may start); null
    /// without a pace, and on deferred steps.
    async fn end_week(&self) -> Option<i32> {
        self.step().end_week.map(|w| int(u64::from(w)))
    }
    /// Later steps of this plan that wait for this one.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn because(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, &self.step().because)
    }
    /// This skill, then what it unlocks on the shortest way to a target, ending at one.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn chain(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, &self.step().chain)
    }
    /// For a skill chosen to satisfy a "one of" group: the group's other options, any of
    /// which would do instead. Empty for an ordinary step.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn alternatives(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, &self.step().alternatives)
    }
    /// The targets this step leads to.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn serves(&self) -> Vec<PlanTarget> {
        self.step()
            .serves
            .iter()
            .filter_map(|t| match t {
                TargetRef::Skill(s) => SkillView::of(&self.graph, s).map(PlanTarget::Skill),
                TargetRef::Role(r) => RoleView::of(&self.graph, r.as_str()).map(PlanTarget::Role),
            })
            .collect()
    }
}

pub struct RoleGapView {
    graph: Arc<SkillGraph>,
    holdings: Arc<Holdings>,
    standing: RoleStanding,
    /// The budget and pace of the plan.
    schedule: Schedule,
    /// Planned on first use: a client that lists only the requirements never pays for it.
    plan: tokio::sync::OnceCell<Arc<LearningPlan>>,
}

impl RoleGapView {
    pub fn new(graph: Arc<SkillGraph>, holdings: Arc<Holdings>, standing: RoleStanding) -> Self {
        RoleGapView {
            graph,
            holdings,
            standing,
            schedule: Schedule::default(),
            plan: tokio::sync::OnceCell::new(),
        }
    }

    /// The same gap, its plan within a budget and at a pace.
    pub fn with_schedule(self, schedule: Schedule) -> Self {
        RoleGapView { schedule, ..self }
    }

    /// The plan that closes the gap, computed once (on the blocking pool: a role's plan can
    /// take milliseconds) however many fields ask for it.
    async fn plan(&self) -> async_graphql::Result<&Arc<LearningPlan>> {
        self.plan
            .get_or_try_init(|| async {
                let (graph, holdings) = (self.graph.clone(), self.holdings.clone());
                let (role, schedule) = (self.standing.role.clone(), self.schedule);
                let plan = compute(move || graph.gap_plan_scheduled(&holdings, &role, schedule))
                    .await?
                    .api()?;
                Ok(Arc::new(plan))
            })
            .await
    }

    fn list(
        &self,
        pick: impl Fn(&RoleStanding) -> &Vec<RequirementStatus>,
    ) -> Vec<RequirementStatusView> {
        match self.graph.role(self.standing.role.as_str()) {
            Some(role) => statuses(&self.graph, role, pick(&self.standing)),
            None => vec![],
        }
    }
}

fn statuses(
    graph: &Arc<SkillGraph>,
    role: &Arc<Role>,
    list: &[RequirementStatus],
) -> Vec<RequirementStatusView> {
    list.iter()
        .map(|s| RequirementStatusView {
            requirement: RoleRequirementView {
                graph: graph.clone(),
                role: role.clone(),
                requirement: s.requirement.clone(),
            },
            current_level: level(s.current),
        })
        .collect()
}

/// Where a profile stands against a role, and the plan that closes the gap.
#[Object(name = "RoleGap")]
impl RoleGapView {
    /// The role the profile is measured against.
    async fn role(&self) -> async_graphql::Result<RoleView> {
        RoleView::referenced(&self.graph, self.standing.role.as_str())
    }
    /// In [0, 1]: the weighted share of the role's learning effort already done, essentials
    /// weighing three times optionals.
    async fn readiness(&self) -> f64 {
        self.standing.readiness
    }
    /// Hours of the plan that closes every unmet requirement (with `budgetHours`, the
    /// deferred steps included: `path.totalHours + path.deferredHours`).
    async fn hours(&self) -> async_graphql::Result<i32> {
        Ok(int(self.plan().await?.full_hours()))
    }
    /// Requirements held at the level needed or above; essential first, then optional.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn satisfied(&self) -> FlatList<RequirementStatusView> {
        FlatList(self.list(|g| &g.satisfied))
    }
    /// Requirements held, but below the level needed; essential first, then optional.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn under_level(&self) -> FlatList<RequirementStatusView> {
        FlatList(self.list(|g| &g.under_level))
    }
    /// Requirements not held at any level; essential first, then optional.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn missing(&self) -> FlatList<RequirementStatusView> {
        FlatList(self.list(|g| &g.missing))
    }
    /// The plan that closes the gap, prerequisites included; within `budgetHours` and at
    /// `hoursPerWeek` when the query gave them.
    async fn path(&self) -> async_graphql::Result<LearningPathView> {
        Ok(LearningPathView {
            graph: self.graph.clone(),
            plan: self.plan().await?.clone(),
        })
    }
}

/// A requirement and the level the profile holds.
#[derive(SimpleObject)]
#[graphql(name = "RequirementStatus")]
pub struct RequirementStatusView {
    /// The role's requirement: the skill, the level needed and how important it is.
    pub requirement: RoleRequirementView,
    /// The level the profile holds (1 aware to 5 expert, held directly or by implication);
    /// 0 when not held at all.
    pub current_level: i32,
}

pub struct RoleMatchView {
    pub graph: Arc<SkillGraph>,
    pub matched: RoleMatch,
}

/// A role ranked for a profile.
#[Object(name = "RoleMatch")]
impl RoleMatchView {
    /// The role ranked.
    async fn role(&self) -> async_graphql::Result<RoleView> {
        RoleView::referenced(&self.graph, self.matched.role.as_str())
    }
    /// In [0, 1], as `roleGap.readiness`: the weighted share of the role's learning effort
    /// the profile has done.
    async fn readiness(&self) -> f64 {
        self.matched.readiness
    }
    /// Hours of the plan that closes the gap, as `roleGap.hours`.
    async fn hours(&self) -> i32 {
        int(self.matched.hours)
    }
    /// Essential requirements the profile does not hold at any level.
    async fn missing_essential(&self) -> i32 {
        int(u64::from(self.matched.missing_essential))
    }
}

pub struct SkillSuggestionView {
    pub graph: Arc<SkillGraph>,
    pub suggestion: Suggestion,
}

/// A skill the person can start now (every required prerequisite held at the level it is
/// needed at), and what learning it opens up. See "What to learn next" in the README.
#[Object(name = "SkillSuggestion")]
impl SkillSuggestionView {
    /// The skill to learn.
    async fn skill(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.suggestion.skill)
    }
    /// The level held now, directly or by implication; 0 when not held at all.
    async fn from_level(&self) -> i32 {
        level(self.suggestion.from_level)
    }
    /// The level to reach: with targets, the level the plan to them takes the skill to;
    /// without, one above `fromLevel`, or 3 (practitioner) when the skill is not held.
    async fn to_level(&self) -> i32 {
        level(Some(self.suggestion.to_level))
    }
    /// Hours from `fromLevel` to `toLevel`, as a path step's.
    async fn hours(&self) -> i32 {
        int(u64::from(self.suggestion.hours))
    }
    /// What learning it makes startable that was not: without targets, the skills of the
    /// graph whose last missing required prerequisite it is; with targets, the steps of the
    /// plan that wait for this one and for no other.
    async fn unlocks(&self) -> i32 {
        int(u64::from(self.suggestion.unlocks))
    }
    /// The readiness roles gain: every target role, in the order given; without targets, the
    /// five roles that gain most (none that gains nothing, never the current role).
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn roles(&self) -> Vec<RoleProgressView> {
        self.suggestion
            .roles
            .iter()
            .map(|progress| RoleProgressView {
                graph: self.graph.clone(),
                progress: progress.clone(),
            })
            .collect()
    }
    /// The rank, highest first: `(100 × readiness gained + unlocks) / max(hours, 1)`, the
    /// readiness gained summed over the target roles or, without targets, over every role
    /// (not only those listed). Ties: fewer hours, then skill id.
    async fn score(&self) -> f64 {
        self.suggestion.score
    }
}

pub struct RoleProgressView {
    pub graph: Arc<SkillGraph>,
    pub progress: RoleProgress,
}

/// The readiness one role gains from a suggested skill.
#[Object(name = "RoleProgress")]
impl RoleProgressView {
    /// The role.
    async fn role(&self) -> async_graphql::Result<RoleView> {
        RoleView::referenced(&self.graph, self.progress.role.as_str())
    }
    /// Readiness now, in [0, 1], as `roleGap.readiness`.
    async fn readiness_before(&self) -> f64 {
        self.progress.before
    }
    /// Readiness once the skill reaches the suggested level.
    async fn readiness_after(&self) -> f64 {
        self.progress.after
    }
    /// `readinessAfter - readinessBefore`.
    async fn gain(&self) -> f64 {
        self.progress.gain
    }
}

/// The size of the graph and its current revision.
#[derive(SimpleObject)]
#[graphql(name = "GraphStats")]
pub struct GraphStatsView {
    /// How many skills there are.
    pub skills: i32,
    /// How many roles there are.
    pub roles: i32,
    /// How many categories there are, at every depth.
    pub categories: i32,
    /// How many prerequisite edges (required and recommended) there are.
    pub prerequisites: i32,
    /// How many "one of" prerequisite groups there are, over all skills.
    pub prerequisite_groups: i32,
    /// How many role requirements there are, over all roles.
    pub requirements: i32,
    /// Increases with every durable write.
    pub revision: i64,
    /// Credit lines the licences of imported taxonomies (ESCO, O*NET) ask for.
    pub attribution: Vec<String>,
}

impl GraphStatsView {
    pub fn of(graph: &SkillGraph) -> Self {
        let s = graph.stats();
        GraphStatsView {
            attribution: crate::import::attributions(graph)
                .into_iter()
                .map(String::from)
                .collect(),
            skills: int(s.skills as u64),
            roles: int(s.roles as u64),
            categories: int(s.categories as u64),
            prerequisites: int(s.prerequisites as u64),
            prerequisite_groups: int(s.prerequisite_groups as u64),
            requirements: int(s.requirements as u64),
            revision: i64::try_from(s.revision).unwrap_or(i64::MAX),
        }
    }
}

/// A proficiency level.
#[derive(SimpleObject)]
#[graphql(name = "LevelInfo")]
pub struct LevelInfo {
    /// 1 to 5.
    pub level: i32,
    /// aware, beginner, practitioner, advanced, expert.
    pub name: String,
    /// Cumulative effort from nothing to this level, in percent of a skill's `hours`.
    pub effort_percent: i32,
}

// ----- the same objects for the synchronous walk of big lists (see `flat`) -----------------
// Each impl lists the fields that take no argument and cannot fail, with the values the
// `#[Object]` impls above give; a field not listed here makes the walk leave the whole list
// to async-graphql. Borrowed views: nothing is reference-counted per item.

struct SkillRef<'a> {
    graph: &'a SkillGraph,
    skill: &'a Skill,
}

impl<'a> SkillRef<'a> {
    fn of(graph: &'a SkillGraph, id: &SkillId) -> Option<Self> {
        Some(SkillRef {
            graph,
            skill: graph.skill(id.as_str())?,
        })
    }
}

impl Flat for SkillRef<'_> {
    const TYPE: &'static str = "Skill";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        let skill = self.skill;
        match name {
            "id" => flat::string(skill.id.as_str()),
            "name" => flat::string(&skill.name),
            "description" => flat::nullable_string(skill.description.as_deref()),
            "category" => {
                let category = self.graph.category(skill.category.as_str());
                flat::required(category.map(|c| CategoryRef(self.graph, c)), sub)
            }
            "aliases" => flat::strings(&skill.aliases),
            "tags" => flat::strings(&skill.tags),
            "hours" => flat::int(int(u64::from(skill.hours))),
            "externalId" => flat::nullable_string(skill.external_id.as_deref()),
            "resources" => flat::objects(skill.resources.iter().map(ResourceRef), sub),
            _ => None,
        }
    }
}

impl Flat for SkillView {
    const TYPE: &'static str = "Skill";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        SkillRef {
            graph: &self.graph,
            skill: &self.skill,
        }
        .field(name, sub)
    }
}

fn skills<'a>(
    graph: &'a SkillGraph,
    ids: impl IntoIterator<Item = &'a SkillId>,
) -> impl Iterator<Item = SkillRef<'a>> {
    ids.into_iter()
        .filter_map(move |id| SkillRef::of(graph, id))
}

struct ResourceRef<'a>(&'a domain::Resource);

impl Flat for ResourceRef<'_> {
    const TYPE: &'static str = "Resource";

    fn field(&self, name: &str, _: Selections<'_>) -> Option<Value> {
        match name {
            "title" => flat::string(&self.0.title),
            "url" => flat::string(&self.0.url),
            "kind" => flat::enumeration(ResourceKind::from(self.0.kind)),
            _ => None,
        }
    }
}

struct CategoryRef<'a>(&'a SkillGraph, &'a Category);

impl Flat for CategoryRef<'_> {
    const TYPE: &'static str = "Category";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        let CategoryRef(graph, category) = *self;
        match name {
            "id" => flat::string(category.id.as_str()),
            "name" => flat::string(&category.name),
            "description" => flat::nullable_string(category.description.as_deref()),
            "order" => flat::int(category.order),
            "parent" => {
                let parent = category
                    .parent
                    .as_ref()
                    .and_then(|p| graph.category(p.as_str()));
                flat::nullable(parent.map(|p| CategoryRef(graph, p)), sub)
            }
            _ => None,
        }
    }
}

struct RoleRef<'a>(&'a SkillGraph, &'a Role);

impl Flat for RoleRef<'_> {
    const TYPE: &'static str = "Role";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        let RoleRef(graph, role) = *self;
        match name {
            "id" => flat::string(role.id.as_str()),
            "name" => flat::string(&role.name),
            "description" => flat::nullable_string(role.description.as_deref()),
            "externalId" => flat::nullable_string(role.external_id.as_deref()),
            "requirements" => flat::objects(
                role.requirements.iter().map(|requirement| RequirementRef {
                    graph,
                    role,
                    requirement,
                }),
                sub,
            ),
            _ => None,
        }
    }
}

struct RequirementRef<'a> {
    graph: &'a SkillGraph,
    role: &'a Role,
    requirement: &'a Requirement,
}

impl Flat for RequirementRef<'_> {
    const TYPE: &'static str = "RoleRequirement";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        match name {
            "role" => flat::object(&RoleRef(self.graph, self.role), sub),
            "skill" => flat::required(SkillRef::of(self.graph, &self.requirement.skill), sub),
            "level" => flat::int(level(Some(self.requirement.level))),
            "importance" => flat::enumeration(Importance::from(self.requirement.importance)),
            _ => None,
        }
    }
}

impl Flat for RoleRequirementView {
    const TYPE: &'static str = "RoleRequirement";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        RequirementRef {
            graph: &self.graph,
            role: &self.role,
            requirement: &self.requirement,
        }
        .field(name, sub)
    }
}

impl Flat for RequirementStatusView {
    const TYPE: &'static str = "RequirementStatus";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        match name {
            "requirement" => flat::object(&self.requirement, sub),
            "currentLevel" => flat::int(self.current_level),
            _ => None,
        }
    }
}

impl Flat for PrerequisiteView {
    const TYPE: &'static str = "Prerequisite";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        let p = &self.prerequisite;
        match name {
            "skill" => flat::required(SkillRef::of(&self.graph, &p.skill), sub),
            "kind" => flat::enumeration(PrerequisiteKind::from(p.kind)),
            "minLevel" => Some(
                p.min_level
                    .map_or(Value::Null, |l| Value::from(i32::from(l.get()))),
            ),
            "depth" => flat::int(int(u64::from(p.depth))),
            _ => None,
        }
    }
}

impl Flat for PathStepView {
    const TYPE: &'static str = "PathStep";

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        let step = self.step();
        match name {
            "position" => flat::int(int(u64::from(step.position))),
            "stage" => flat::int(int(u64::from(step.stage))),
            "skill" => flat::required(SkillRef::of(&self.graph, &step.skill), sub),
            "fromLevel" => flat::int(level(step.from_level)),
            "toLevel" => flat::int(level(Some(step.to_level))),
            "hours" => flat::int(int(u64::from(step.hours))),
            "startWeek" => flat::nullable_int(step.start_week.map(|w| int(u64::from(w)))),
            "endWeek" => flat::nullable_int(step.end_week.map(|w| int(u64::from(w)))),
            "because" => flat::objects(skills(&self.graph, &step.because), sub),
            "chain" => flat::objects(skills(&self.graph, &step.chain), sub),
            "alternatives" => flat::objects(skills(&self.graph, &step.alternatives), sub),
            _ => None,
        }
    }
}
