//! The answers to questions asked of the graph: LearningPath and its PathSteps, RoleGap and
//! RequirementStatus, RoleMatch, SkillSuggestion and RoleProgress, SkillMention, TitleMatch and
//! TitleCandidate. Each holds
//! the snapshot it was computed on and answers its objects with the views of `graph`.
//!
//! As there, a `Flat` impl sits under the `#[Object]` it mirrors. Depends on `graph`, `args`
//! and `flat`; nothing in `graph` depends on this file.

use std::sync::Arc;

use async_graphql::{Object, SimpleObject, Union};

use super::graph::{RoleRequirementView, RoleView, SkillRef, SkillView, skills};
use crate::domain::{
    LearningPlan, Mention, Profile, RequirementStatus, Role, RoleMatch, RoleProgress, RoleStanding,
    Schedule, SkillGraph, Step, Suggestion, TargetRef, TitleCandidate, TitleMatch,
};
use crate::graphql::args::{int, level, list_cost};
use crate::graphql::compute_in;
use crate::graphql::error::OrApi;
use crate::graphql::flat::{self, Flat, FlatList, Json, Selections};
use crate::graphql::traced::Work;

pub struct LearningPathView {
    pub graph: Arc<SkillGraph>,
    /// Shared with the step views, so resolving the steps copies no step.
    pub plan: Arc<LearningPlan>,
}

impl LearningPathView {
    /// Views of the first `count` steps of the plan (or of its deferred steps): they share
    /// the plan, so resolving them copies no step.
    pub(super) fn step_views(&self, count: usize, deferred: bool) -> Vec<PathStepView> {
        (0..count)
            .map(|index| PathStepView {
                graph: self.graph.clone(),
                plan: self.plan.clone(),
                index,
                deferred,
            })
            .collect()
    }
}

/// An ordered, staged plan: every prerequisite comes before what needs it.
#[Object(name = "LearningPath")]
impl LearningPathView {
    /// In learning order: by stage, then category order, then id.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn steps(&self) -> FlatList<PathStepView> {
        FlatList(self.step_views(self.plan.steps.len(), false))
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
        Some(FlatList(self.step_views(budget.deferred.len(), true)))
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

/// One thing to learn, and why: a skill from one level to another. A skill can take more
/// than one step (a *level step*): where a prerequisite applies only beyond a level of it
/// (`Prerequisite.beyond`), the plan takes it to that level first and on after the
/// prerequisite, each step with its own stage, hours and reasons.
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
    /// The level this step starts at: the level held now, or the level the skill's previous
    /// step reached; 0 when not held at all.
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
    /// Later steps of this plan that wait for this one (other skills: a skill's own later
    /// level step is not listed).
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn because(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, &self.step().because)
    }
    /// The positions of the later steps that wait for this one, in plan order, the skill's
    /// own next level step included: the edges to draw, since a skill learned in level steps
    /// is more than one step.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn dependents(&self) -> Vec<i32> {
        self.step()
            .dependents
            .iter()
            .map(|&p| int(u64::from(p)))
            .collect()
    }
    /// This skill, then what it unlocks on the shortest way to a target, ending at one.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn chain(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, &self.step().chain)
    }
    /// For a skill chosen to satisfy a "one of" group or a role's "one of" requirement: the
    /// other options, any of which would do instead. Empty for an ordinary step.
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

impl Flat for PathStepView {
    const TYPE: &'static str = "PathStep";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        let step = self.step();
        match name {
            "position" => flat::int(out, int(u64::from(step.position))),
            "stage" => flat::int(out, int(u64::from(step.stage))),
            "skill" => flat::required(out, SkillRef::of(&self.graph, &step.skill), sub),
            "fromLevel" => flat::int(out, level(step.from_level)),
            "toLevel" => flat::int(out, level(Some(step.to_level))),
            "hours" => flat::int(out, int(u64::from(step.hours))),
            "startWeek" => flat::nullable_int(out, step.start_week.map(|w| int(u64::from(w)))),
            "endWeek" => flat::nullable_int(out, step.end_week.map(|w| int(u64::from(w)))),
            "because" => flat::objects(out, skills(&self.graph, &step.because), sub),
            "dependents" => flat::ints(out, step.dependents.iter().map(|&p| int(u64::from(p)))),
            "chain" => flat::objects(out, skills(&self.graph, &step.chain), sub),
            "alternatives" => flat::objects(out, skills(&self.graph, &step.alternatives), sub),
            _ => None,
        }
    }
}

pub struct RoleGapView {
    graph: Arc<SkillGraph>,
    /// The profile, for the plan: the standing's holdings reach only the requirements.
    profile: Arc<Profile>,
    standing: RoleStanding,
    /// The budget and pace of the plan.
    schedule: Schedule,
    /// Planned on first use: a client that lists only the requirements never pays for it.
    plan: tokio::sync::OnceCell<Arc<LearningPlan>>,
}

impl RoleGapView {
    pub fn new(graph: Arc<SkillGraph>, profile: Profile, standing: RoleStanding) -> Self {
        RoleGapView {
            graph,
            profile: Arc::new(profile),
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
                let (graph, profile) = (self.graph.clone(), self.profile.clone());
                let (role, schedule) = (self.standing.role.clone(), self.schedule);
                let span = Work::Plan.span(profile.skills.len());
                let plan = compute_in(span, move || {
                    graph.gap_plan_scheduled(&graph.holdings(&profile)?, &role, schedule)
                })
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
            held_skill: s.held.as_ref().and_then(|id| SkillView::of(graph, id)),
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
    /// 0 when not held at all. For a requirement with alternatives, the level of the option
    /// held highest.
    pub current_level: i32,
    /// The skill held at `currentLevel`: the requirement's skill or, when an alternative is
    /// held higher, that alternative. Null when not held at all.
    pub held_skill: Option<SkillView>,
}

impl Flat for RequirementStatusView {
    const TYPE: &'static str = "RequirementStatus";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        match name {
            "requirement" => flat::object(out, &self.requirement, sub),
            "currentLevel" => flat::int(out, self.current_level),
            "heldSkill" => match &self.held_skill {
                Some(skill) => flat::object(out, skill, sub),
                None => flat::null(out),
            },
            _ => None,
        }
    }
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
    /// `(100 × readiness gained + unlocks) / max(hours, 1)`, the readiness gained summed over
    /// the target roles or, without targets, over every role (not only those listed).
    /// Suggestions come by score, highest first; ties: fewer hours, then skill id. With
    /// targets, those that gain readiness toward a target role come before those that gain
    /// none, and ties go first to a step on the plan's critical chain.
    async fn score(&self) -> f64 {
        self.suggestion.score
    }
    /// Other options of the same "one of" group, any of which would do instead: without
    /// targets, the options ranked below this one, which are not listed themselves (one
    /// suggestion per group); with targets, the group's other options as the plan's step
    /// lists them. Empty for most suggestions.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn alternatives(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, &self.suggestion.alternatives)
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

pub struct SkillMentionView {
    pub graph: Arc<SkillGraph>,
    pub mention: Mention,
}

/// A skill a text mentions, where it first does, and how often.
#[Object(name = "SkillMention")]
impl SkillMentionView {
    /// The skill mentioned.
    async fn skill(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.mention.skill)
    }
    /// The text of its first mention, as written (its name or one of its aliases, in the
    /// text's case and accents).
    async fn matched(&self) -> &str {
        &self.mention.matched
    }
    /// Where the first mention starts: an offset in Unicode characters (scalar values, not
    /// bytes and not UTF-16 units) from the start of the text.
    async fn start(&self) -> i32 {
        int(self.mention.start as u64)
    }
    /// Where the first mention ends, exclusive, in the same unit: `matched` is the
    /// characters `start` to `end`.
    async fn end(&self) -> i32 {
        int(self.mention.end as u64)
    }
    /// How many times the text mentions the skill (by any of its labels).
    async fn count(&self) -> i32 {
        int(u64::from(self.mention.count))
    }
    /// How much the mention says, comparable within one graph: a name counts more than an
    /// alias, a longer and rarer label more than a short, common one, and each repeat a
    /// little more (`1 + ln(count)` times the best mention's label score, which is in (0, 1]).
    async fn score(&self) -> f64 {
        self.mention.score
    }
}

pub struct TitleMatchView {
    pub graph: Arc<SkillGraph>,
    pub found: TitleMatch,
}

/// The role a job title names, as `normalizeTitles` reads it.
#[Object(name = "TitleMatch")]
impl TitleMatchView {
    /// The title, as given.
    async fn title(&self) -> &str {
        &self.found.title
    }
    /// The best role; null when no role reaches `minConfidence` (the alternatives remain).
    async fn role(&self) -> Option<RoleView> {
        self.found.best.as_ref().map(|b| RoleView {
            graph: self.graph.clone(),
            role: b.role.clone(),
        })
    }
    /// How well the title matches the role's best label, 0 to 1: the Dice coefficient of
    /// their words, the words ads wrap titles in set aside (see "Job titles" in the README).
    /// 1 is the label itself; 0 with a null role when no role shares a word with the title.
    async fn confidence(&self) -> f64 {
        self.found.best.as_ref().map_or(0.0, |b| b.confidence)
    }
    /// The role's name or alias, as written, that matched best; null with a null role.
    async fn matched_label(&self) -> Option<&str> {
        self.found.best.as_ref().map(|b| b.label.as_str())
    }
    /// Other roles the title may name, best first: up to five, the best one first when it
    /// falls short of `minConfidence`.
    async fn alternatives(&self) -> Vec<TitleCandidateView> {
        self.found
            .alternatives
            .iter()
            .map(|c| TitleCandidateView {
                graph: self.graph.clone(),
                candidate: c.clone(),
            })
            .collect()
    }
}

pub struct TitleCandidateView {
    pub graph: Arc<SkillGraph>,
    pub candidate: TitleCandidate,
}

/// A role a job title may name.
#[Object(name = "TitleCandidate")]
impl TitleCandidateView {
    /// The role.
    async fn role(&self) -> RoleView {
        RoleView {
            graph: self.graph.clone(),
            role: self.candidate.role.clone(),
        }
    }
    /// As `TitleMatch.confidence`.
    async fn confidence(&self) -> f64 {
        self.candidate.confidence
    }
    /// The role's name or alias, as written, that matched best.
    async fn matched_label(&self) -> &str {
        &self.candidate.label
    }
}
