//! Learning paths, role gaps and role matching, checked against the graph as the API itself
//! reports it: every prerequisite of a step that is also a step must come first.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data, field};

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StepOut {
    position: i32,
    stage: i32,
    skill: Ref,
    from_level: i32,
    to_level: i32,
    hours: i32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PathOut {
    steps: Vec<StepOut>,
    stages: i32,
    total_hours: i32,
    critical_path_hours: i32,
}

impl PathOut {
    fn position_of(&self, skill: &str) -> i32 {
        self.steps
            .iter()
            .find(|s| s.skill.id == skill)
            .map(|s| s.position)
            .unwrap_or_else(|| panic!("{skill} is not a step of the path"))
    }
}

const PATH_FIELDS: &str = "steps { position stage skill { id } fromLevel toLevel hours }
    stages totalHours criticalPathHours";

async fn learning_path_raw(
    app: &TestApp,
    from: Value,
    to: Value,
    include_recommended: bool,
) -> Value {
    app.query(
        &format!(
            "query($from: ProfileInput, $to: TargetInput!, $rec: Boolean!) {{
                learningPath(from: $from, to: $to, includeRecommended: $rec) {{ {PATH_FIELDS} }} }}"
        ),
        json!({ "from": from, "to": to, "rec": include_recommended }),
    )
    .await
}

async fn learning_path(
    app: &TestApp,
    from: Value,
    to: Value,
    include_recommended: bool,
) -> PathOut {
    let body = learning_path_raw(app, from, to, include_recommended).await;
    field(&body, "learningPath")
}

/// The direct required prerequisites of a skill, as the API reports them.
/// The direct required prerequisites of a skill, with the options of its required "one of"
/// groups (a plan's chosen option is a prerequisite like any other).
/// A skill's required prerequisites with their `minLevel` and `beyond`.
async fn leveled_prerequisites(
    app: &TestApp,
    skill: &str,
) -> Vec<(String, Option<i32>, Option<i32>)> {
    let body = app
        .query(
            "query($id: ID!) { skill(id: $id) {
                prerequisites(includeRecommended: false) { skill { id } minLevel beyond } } }",
            json!({ "id": skill }),
        )
        .await;
    data(&body)["skill"]["prerequisites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let level = |k: &str| p[k].as_i64().map(|v| v as i32);
            (
                p["skill"]["id"].as_str().unwrap().to_owned(),
                level("minLevel"),
                level("beyond"),
            )
        })
        .collect()
}

async fn required_prerequisites(app: &TestApp, skill: &str) -> Vec<String> {
    #[derive(Deserialize)]
    struct Prerequisite {
        skill: Ref,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Group {
        kind: String,
        options: Vec<Ref>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Wrapper {
        prerequisites: Vec<Prerequisite>,
        prerequisite_groups: Vec<Group>,
    }
    let body = app
        .query(
            "query($id: ID!) { skill(id: $id) { prerequisites(includeRecommended: false) { skill { id } }
                prerequisiteGroups { kind options { id } } } }",
            json!({ "id": skill }),
        )
        .await;
    let skill = field::<Wrapper>(&body, "skill");
    let options = skill
        .prerequisite_groups
        .into_iter()
        .filter(|g| g.kind == "REQUIRED")
        .flat_map(|g| g.options.into_iter().map(|o| o.id));
    skill
        .prerequisites
        .into_iter()
        .map(|p| p.skill.id)
        .chain(options)
        .collect()
}

fn software_engineer() -> Value {
    json!({ "role": "software-engineer" })
}

fn ai_engineer() -> Value {
    json!({ "roles": ["ai-engineer"] })
}

#[tokio::test]
async fn a_learning_path_puts_every_prerequisite_step_at_an_earlier_position_and_stage() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let path = learning_path(&app, software_engineer(), ai_engineer(), false).await;

    // Assert
    assert!(!path.steps.is_empty());
    let positions: Vec<i32> = path.steps.iter().map(|s| s.position).collect();
    assert_eq!(positions, (1..=path.steps.len() as i32).collect::<Vec<_>>());
    assert!(path.steps.windows(2).all(|w| w[0].stage <= w[1].stage));
    assert_eq!(path.stages, path.steps.last().unwrap().stage);
    // A skill may be several level steps, each from where the last one ended.
    let mut by_skill: HashMap<&str, Vec<&StepOut>> = HashMap::new();
    for s in &path.steps {
        let list = by_skill.entry(s.skill.id.as_str()).or_default();
        let start = list.last().map_or(s.from_level, |l| l.to_level);
        assert_eq!(s.from_level, start, "{} jumps", s.skill.id);
        list.push(s);
    }
    let mut checked_edges = 0;
    for step in &path.steps {
        for (prerequisite, min_level, beyond) in leveled_prerequisites(&app, &step.skill.id).await {
            // Where the edge applies, at the level it asks; not waited for where held there.
            if beyond.is_some_and(|b| step.to_level <= b) {
                continue;
            }
            let needed = min_level.unwrap_or(step.to_level.min(2));
            let Some(list) = by_skill.get(prerequisite.as_str()) else {
                continue;
            };
            if list[0].from_level >= needed {
                continue;
            }
            if let Some(before) = list.iter().find(|s| s.to_level >= needed) {
                checked_edges += 1;
                assert!(
                    before.position < step.position && before.stage < step.stage,
                    "{} (position {}, stage {}) requires {} (position {}, stage {})",
                    step.skill.id,
                    step.position,
                    step.stage,
                    prerequisite,
                    before.position,
                    before.stage
                );
            }
        }
    }
    assert!(
        checked_edges > 5,
        "too few edges inside the plan to mean anything"
    );
}

#[tokio::test]
async fn a_learning_path_to_ai_engineer_follows_both_chains_into_rag_in_order() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let path = learning_path(&app, software_engineer(), ai_engineer(), false).await;

    // Assert: RAG joins retrieval (from linear algebra through embeddings and vector search) and
    // LLM application work (from LLM fundamentals through prompting), and an agent comes after
    // it; the deep-learning chain, which retrieval does not wait for, is in order on its own.
    let retrieval = [
        "linear-algebra",
        "embeddings",
        "vector-search",
        "rag",
        "llm-agents",
    ];
    let deep_learning = [
        "linear-algebra",
        "neural-networks",
        "pytorch",
        "transformers",
    ];
    let application = [
        "llm-fundamentals",
        "prompt-engineering",
        "llm-applications",
        "rag",
    ];
    for chain in [&retrieval[..], &application[..], &deep_learning[..]] {
        let positions: Vec<i32> = chain.iter().map(|s| path.position_of(s)).collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{chain:?} at positions {positions:?}"
        );
    }
    // A software engineer already holds python at level 4: it is not a step.
    assert!(!path.steps.iter().any(|s| s.skill.id == "python"));
    let rag = &path.steps[path.position_of("rag") as usize - 1];
    assert_eq!((rag.from_level, rag.to_level), (0, 4));
}

#[tokio::test]
async fn a_learning_path_totals_its_step_hours_and_its_critical_path_is_no_longer() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let path = learning_path(&app, software_engineer(), ai_engineer(), false).await;

    // Assert
    let sum: i32 = path.steps.iter().map(|s| s.hours).sum();
    assert_eq!(path.total_hours, sum);
    assert!(path.critical_path_hours > 0);
    assert!(path.critical_path_hours <= path.total_hours);
    assert!(
        path.steps
            .iter()
            .all(|s| s.hours > 0 && s.to_level > s.from_level)
    );
}

#[tokio::test]
async fn including_recommended_prerequisites_never_shortens_a_learning_path() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let required = learning_path(&app, software_engineer(), ai_engineer(), false).await;
    let recommended = learning_path(&app, software_engineer(), ai_engineer(), true).await;

    // Assert
    assert!(
        recommended.steps.len() >= required.steps.len(),
        "{} < {}",
        recommended.steps.len(),
        required.steps.len()
    );
    assert!(recommended.total_hours >= required.total_hours);
    for step in &required.steps {
        assert!(
            recommended
                .steps
                .iter()
                .any(|s| s.skill.id == step.skill.id),
            "{} dropped when recommended prerequisites were included",
            step.skill.id
        );
    }
}

#[tokio::test]
async fn a_learning_path_without_a_profile_starts_from_nothing() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let path = learning_path(
        &app,
        Value::Null,
        json!({ "skills": [{ "skill": "neural-networks", "level": 3 }] }),
        false,
    )
    .await;

    // Assert: neural-networks needs calculus, linear-algebra (>= 2) and
    // overfitting-regularization, which need more in turn.
    let last = path.steps.last().unwrap();
    assert_eq!(
        (last.skill.id.as_str(), last.to_level),
        ("neural-networks", 3)
    );
    for id in ["calculus", "linear-algebra", "overfitting-regularization"] {
        assert!(path.position_of(id) < last.position);
    }
    assert!(path.steps.iter().all(|s| s.from_level == 0));
}

#[tokio::test]
async fn a_learning_path_to_an_unknown_skill_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = learning_path_raw(
        &app,
        Value::Null,
        json!({ "skills": [{ "skill": "time-travel", "level": 3 }] }),
        false,
    )
    .await;

    // Assert
    assert_error(&body, "NOT_FOUND");
}

#[tokio::test]
async fn a_learning_path_to_an_unknown_role_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = learning_path_raw(&app, Value::Null, json!({ "roles": ["astronaut"] }), false).await;

    // Assert
    assert_error(&body, "NOT_FOUND");
}

#[tokio::test]
async fn a_learning_path_to_level_six_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = learning_path_raw(
        &app,
        Value::Null,
        json!({ "skills": [{ "skill": "python", "level": 6 }] }),
        false,
    )
    .await;

    // Assert
    assert_error(&body, "INVALID_INPUT");
}

#[tokio::test]
async fn a_learning_path_without_targets_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = learning_path_raw(&app, software_engineer(), json!({}), false).await;

    // Assert
    assert_error(&body, "INVALID_INPUT");
}

#[derive(Debug, Deserialize)]
struct RequirementOut {
    skill: Ref,
    level: i32,
    importance: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusOut {
    requirement: RequirementOut,
    current_level: i32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GapOut {
    role: Ref,
    readiness: f64,
    hours: i32,
    satisfied: Vec<StatusOut>,
    under_level: Vec<StatusOut>,
    missing: Vec<StatusOut>,
    path: PathOut,
}

const STATUS_FIELDS: &str = "requirement { skill { id } level importance } currentLevel";

async fn role_gap_raw(app: &TestApp, from: Value, to: &str) -> Value {
    app.query(
        &format!(
            "query($from: ProfileInput!, $to: ID!) {{ roleGap(from: $from, to: $to) {{
                role {{ id }} readiness hours
                satisfied {{ {STATUS_FIELDS} }}
                underLevel {{ {STATUS_FIELDS} }}
                missing {{ {STATUS_FIELDS} }}
                path {{ {PATH_FIELDS} }} }} }}"
        ),
        json!({ "from": from, "to": to }),
    )
    .await
}

#[tokio::test]
async fn the_role_gap_from_software_to_ai_engineer_is_partial_and_its_path_closes_it() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = role_gap_raw(&app, software_engineer(), "ai-engineer").await;

    // Assert
    let gap: GapOut = field(&body, "roleGap");
    assert_eq!(gap.role.id, "ai-engineer");
    assert!(
        (0.0..1.0).contains(&gap.readiness) && gap.readiness > 0.0,
        "readiness {}",
        gap.readiness
    );
    assert_eq!(gap.hours, gap.path.total_hours);
    assert!(!gap.missing.is_empty());
    assert_eq!(
        gap.satisfied.len() + gap.under_level.len() + gap.missing.len(),
        43,
        "every requirement of the role is in exactly one list"
    );
    for status in &gap.missing {
        assert_eq!(status.current_level, 0, "{status:?}");
        assert!(
            gap.path
                .steps
                .iter()
                .any(|s| s.skill.id == status.requirement.skill.id),
            "missing {} is not a step of the path",
            status.requirement.skill.id
        );
    }
    for status in &gap.under_level {
        assert!(status.current_level > 0 && status.current_level < status.requirement.level);
    }
    for status in &gap.satisfied {
        assert!(
            status.current_level >= status.requirement.level,
            "{status:?}"
        );
    }
    // Essentials first in every list.
    for list in [&gap.satisfied, &gap.under_level, &gap.missing] {
        let essential_first = list.windows(2).all(|w| {
            !(w[0].requirement.importance == "OPTIONAL"
                && w[1].requirement.importance == "ESSENTIAL")
        });
        assert!(essential_first, "{list:?}");
    }
    // python (4) and apis (3) are software-engineer requirements at the level ai-engineer needs.
    assert!(
        gap.satisfied
            .iter()
            .any(|s| s.requirement.skill.id == "python")
    );
}

#[tokio::test]
async fn a_current_roles_optional_requirements_are_learned_not_assumed() {
    // Arrange: Kubernetes is optional for a software engineer and essential for MLOps;
    // feature stores, optional for a data engineer, would imply statistics and probability.
    let app = TestApp::spawn().await;
    let who_runs_kubernetes = json!({ "role": "software-engineer",
                                      "skills": [{ "skill": "kubernetes", "level": 2 }] });

    // Act
    let from_role = role_gap_raw(&app, software_engineer(), "mlops-engineer").await;
    let listed = role_gap_raw(&app, who_runs_kubernetes, "mlops-engineer").await;
    let data_engineer = role_gap_raw(&app, json!({ "role": "data-engineer" }), "ml-engineer").await;

    // Assert
    let step = |gap: &GapOut, skill: &str| -> Option<i32> {
        let step = gap.path.steps.iter().find(|s| s.skill.id == skill);
        step.map(|s| s.from_level)
    };
    let from_role: GapOut = field(&from_role, "roleGap");
    assert!(
        from_role
            .missing
            .iter()
            .any(|s| s.requirement.skill.id == "kubernetes"),
        "only some software engineers run Kubernetes: {:?}",
        from_role.missing
    );
    assert_eq!(step(&from_role, "kubernetes"), Some(0));
    // A profile that does hold it says so, and starts from there.
    let listed: GapOut = field(&listed, "roleGap");
    assert_eq!(step(&listed, "kubernetes"), Some(2));
    assert!(listed.hours < from_role.hours);
    let data_engineer: GapOut = field(&data_engineer, "roleGap");
    for skill in ["statistics", "probability"] {
        assert_eq!(step(&data_engineer, skill), Some(0), "{skill}");
    }
}

#[tokio::test]
async fn the_role_gap_to_an_unknown_role_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = role_gap_raw(&app, software_engineer(), "astronaut").await;

    // Assert
    assert_error(&body, "NOT_FOUND");
}

#[tokio::test]
async fn the_role_gap_from_an_unknown_current_role_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = role_gap_raw(&app, json!({ "role": "astronaut" }), "ai-engineer").await;

    // Assert
    assert_error(&body, "NOT_FOUND");
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MatchOut {
    role: Ref,
    readiness: f64,
    hours: i32,
    missing_essential: i32,
}

async fn match_roles_raw(app: &TestApp, profile: Value, first: Option<i32>) -> Value {
    app.query(
        "query($p: ProfileInput!, $first: Int! = 10) { matchRoles(profile: $p, first: $first) {
            role { id } readiness hours missingEssential } }",
        match first {
            Some(first) => json!({ "p": profile, "first": first }),
            None => json!({ "p": profile }),
        },
    )
    .await
}

#[tokio::test]
async fn matched_roles_are_ranked_by_readiness_and_leave_out_the_current_role() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = match_roles_raw(&app, software_engineer(), None).await;

    // Assert
    let matches: Vec<MatchOut> = field(&body, "matchRoles");
    assert_eq!(matches.len(), crate::helpers::seeded_count("role") - 1);
    assert!(!matches.iter().any(|m| m.role.id == "software-engineer"));
    assert!(
        matches.windows(2).all(|w| w[0].readiness >= w[1].readiness),
        "{matches:?}"
    );
    for m in &matches {
        assert!((0.0..=1.0).contains(&m.readiness), "{m:?}");
        assert!(m.hours >= 0 && m.missing_essential >= 0, "{m:?}");
    }
}

#[tokio::test]
async fn matched_roles_agree_with_the_role_gap_of_each_role() {
    // Arrange
    let app = TestApp::spawn().await;
    let body = match_roles_raw(&app, software_engineer(), Some(3)).await;
    let matches: Vec<MatchOut> = field(&body, "matchRoles");

    for m in &matches {
        // Act
        let gap_body = role_gap_raw(&app, software_engineer(), &m.role.id).await;

        // Assert
        let gap: GapOut = field(&gap_body, "roleGap");
        assert!(
            (gap.readiness - m.readiness).abs() < 1e-9,
            "{m:?} vs {}",
            gap.readiness
        );
        assert_eq!(gap.hours, m.hours, "{m:?}");
        let missing_essential = gap
            .missing
            .iter()
            .filter(|s| s.requirement.importance == "ESSENTIAL")
            .count();
        assert_eq!(missing_essential as i32, m.missing_essential, "{m:?}");
    }
}

#[tokio::test]
async fn match_roles_returns_at_most_first_roles() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let two = match_roles_raw(&app, software_engineer(), Some(2)).await;
    let all = match_roles_raw(&app, software_engineer(), Some(100)).await;

    // Assert
    let two: Vec<MatchOut> = field(&two, "matchRoles");
    let all: Vec<MatchOut> = field(&all, "matchRoles");
    assert_eq!(two.len(), 2);
    let top: Vec<&str> = all.iter().take(2).map(|m| m.role.id.as_str()).collect();
    let got: Vec<&str> = two.iter().map(|m| m.role.id.as_str()).collect();
    assert_eq!(got, top);
}

#[tokio::test]
async fn match_roles_with_first_above_the_page_limit_is_refused() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = match_roles_raw(&app, software_engineer(), Some(101)).await;

    // Assert
    assert_error(&body, "LIMIT_EXCEEDED");
}

#[tokio::test]
async fn match_roles_from_an_unknown_current_role_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = match_roles_raw(&app, json!({ "role": "astronaut" }), None).await;

    // Assert
    assert_error(&body, "NOT_FOUND");
    assert!(data_is_null(&body));
}

fn data_is_null(body: &Value) -> bool {
    body.get("data").is_none_or(Value::is_null)
}

#[tokio::test]
async fn a_profile_holding_every_requirement_of_a_role_is_fully_ready_for_it() {
    // Arrange
    let app = TestApp::spawn().await;
    let role = app
        .query(
            r#"{ role(id: "data-engineer") { requirements { skill { id } level } } }"#,
            json!({}),
        )
        .await;
    let skills: Vec<Value> = data(&role)["role"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!({ "skill": r["skill"]["id"], "level": r["level"] }))
        .collect();

    // Act
    let body = role_gap_raw(&app, json!({ "skills": skills }), "data-engineer").await;

    // Assert
    let gap: GapOut = field(&body, "roleGap");
    assert_eq!(gap.readiness, 1.0);
    assert_eq!(gap.hours, 0);
    assert!(gap.path.steps.is_empty());
    assert!(gap.missing.is_empty() && gap.under_level.is_empty());
}

#[tokio::test]
async fn a_learning_path_with_more_than_fifty_targets_is_refused_as_limit_exceeded() {
    // Arrange
    let app = TestApp::spawn().await;
    let targets: Vec<Value> = (0..51)
        .map(|_| json!({ "skill": "python", "level": 3 }))
        .collect();

    // Act
    let body = learning_path_raw(&app, Value::Null, json!({ "skills": targets }), false).await;

    // Assert
    let error = assert_error(&body, "LIMIT_EXCEEDED");
    assert_eq!(error["extensions"]["max"], 50);
}

#[tokio::test]
async fn a_learning_path_to_what_the_profile_already_holds_is_empty() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let path = learning_path(
        &app,
        json!({ "skills": [{ "skill": "rag", "level": 4 }] }),
        json!({ "skills": [{ "skill": "prompt-engineering", "level": 2 }] }),
        false,
    )
    .await;

    // Assert: rag at 4 implies llm-applications, which implies prompt-engineering at level 2.
    assert!(path.steps.is_empty(), "{path:?}");
    assert_eq!(
        (path.total_hours, path.critical_path_hours, path.stages),
        (0, 0, 0)
    );
}

#[tokio::test]
async fn leaving_out_optional_requirements_drops_the_skills_only_they_need() {
    // Arrange
    let app = TestApp::spawn().await;
    let query = format!(
        "query($opt: Boolean!) {{ learningPath(from: {{ role: \"software-engineer\" }},
            to: {{ roles: [\"ai-engineer\"] }}, includeOptional: $opt) {{ {PATH_FIELDS} }} }}"
    );

    // Act
    let with = app.query(&query, json!({ "opt": true })).await;
    let without = app.query(&query, json!({ "opt": false })).await;

    // Assert: fine-tuning, multimodal APIs, LLM frameworks and MCP are optional for an AI
    // engineer and no essential requirement needs them.
    let with: PathOut = field(&with, "learningPath");
    let without: PathOut = field(&without, "learningPath");
    for optional in ["fine-tuning", "multimodal-apis", "llm-frameworks", "mcp"] {
        assert!(
            with.steps.iter().any(|s| s.skill.id == optional),
            "{optional}"
        );
        assert!(
            !without.steps.iter().any(|s| s.skill.id == optional),
            "{optional}"
        );
    }
    assert!(without.total_hours < with.total_hours);
}

#[tokio::test]
async fn every_step_explains_itself_with_a_chain_to_a_target_and_the_steps_it_unblocks() {
    // Arrange
    let app = TestApp::spawn().await;
    let role = app
        .query(
            r#"{ role(id: "ai-engineer") { requirements { skill { id } } } }"#,
            json!({}),
        )
        .await;
    let role_skills: Vec<String> = data(&role)["role"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["skill"]["id"].as_str().unwrap().to_owned())
        .collect();

    // Act
    let body = app
        .query(
            r#"{ learningPath(from: { role: "software-engineer" }, to: { roles: ["ai-engineer"] }) {
                steps { position skill { id } because { id } chain { id }
                        serves { __typename ... on Role { id } ... on Skill { id } } } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let steps = data(&body)["learningPath"]["steps"]
        .as_array()
        .unwrap()
        .clone();
    // Every position of each skill: a skill learned in level steps is more than one step.
    let mut positions: HashMap<String, Vec<i64>> = HashMap::new();
    for s in &steps {
        positions
            .entry(s["skill"]["id"].as_str().unwrap().to_owned())
            .or_default()
            .push(s["position"].as_i64().unwrap());
    }
    // The first step of `skill` after position `at`.
    let after = |skill: &str, at: i64| positions[skill].iter().copied().find(|&p| p > at);
    let id_list = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect()
    };
    for step in &steps {
        let id = step["skill"]["id"].as_str().unwrap();
        let at = step["position"].as_i64().unwrap();
        assert_eq!(
            step["serves"],
            json!([{ "__typename": "Role", "id": "ai-engineer" }]),
            "{id}"
        );
        let chain = id_list(&step["chain"]);
        assert_eq!(chain.first().map(String::as_str), Some(id));
        assert!(
            role_skills.contains(chain.last().unwrap()),
            "{id}: chain {chain:?} ends off target"
        );
        // The chain runs forward: each skill's next step on it comes later.
        let mut cursor = at;
        for pair in chain.windows(2) {
            let needs = required_prerequisites(&app, &pair[1]).await;
            assert!(
                needs.contains(&pair[0]),
                "{id}: in chain {chain:?}, {} does not require {}",
                pair[1],
                pair[0]
            );
            let next = after(&pair[1], cursor);
            assert!(next.is_some(), "{id}: chain {chain:?} goes backwards");
            cursor = next.unwrap();
        }
        for later in id_list(&step["because"]) {
            let needs = required_prerequisites(&app, &later).await;
            assert!(
                needs.iter().any(|n| n == id),
                "{later} is listed as waiting for {id} but does not require it"
            );
            assert!(
                after(&later, at).is_some(),
                "{id} unblocks the earlier step {later}"
            );
        }
    }
}

#[tokio::test]
async fn skills_held_only_by_implication_are_reported_as_implied() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(
            r#"{ learningPath(from: { skills: [{ skill: "rag", level: 4 }] },
                              to: { skills: [{ skill: "prompt-engineering", level: 2 }, { skill: "llm-evaluation", level: 3 }] }) {
                steps { skill { id } }
                implied { id }
                impliedLevels { skill { id } level via { id } } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let path = &data(&body)["learningPath"];
    let implied: Vec<&str> = path["implied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(implied.contains(&"prompt-engineering"), "{path:#}");
    let prompting = path["impliedLevels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["skill"]["id"] == "prompt-engineering")
        .unwrap_or_else(|| panic!("{path:#}"));
    assert_eq!(prompting["via"]["id"], "rag");
    assert!(prompting["level"].as_i64().unwrap() >= 2);
    assert!(
        !path["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["skill"]["id"] == "prompt-engineering"),
        "an implied skill is not a step"
    );
}

const SCHEDULED_FIELDS: &str =
    "steps { position stage skill { id } fromLevel toLevel hours startWeek endWeek }
    totalHours weeks deferred { position skill { id } fromLevel hours startWeek } deferredHours
    readinessWithinBudget budgetExact";

async fn scheduled_path(app: &TestApp, budget: Value, hours_per_week: Value) -> Value {
    app.query(
        &format!(
            "query($from: ProfileInput, $to: TargetInput!, $budget: Int, $pace: Int) {{
                learningPath(from: $from, to: $to, budgetHours: $budget, hoursPerWeek: $pace) {{
                    {SCHEDULED_FIELDS} }} }}"
        ),
        json!({ "from": software_engineer(), "to": ai_engineer(), "budget": budget, "pace": hours_per_week }),
    )
    .await
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["skill"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_paced_learning_path_numbers_weeks_one_step_after_another() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = scheduled_path(&app, Value::Null, json!(10)).await;
    let plain = scheduled_path(&app, Value::Null, Value::Null).await;

    // Assert
    let path = &data(&body)["learningPath"];
    let steps = path["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    let mut hours = 0;
    let mut last_end = 0;
    for step in steps {
        let (start, end) = (
            step["startWeek"].as_i64().unwrap(),
            step["endWeek"].as_i64().unwrap(),
        );
        assert_eq!(start, hours / 10 + 1, "{step}");
        hours += step["hours"].as_i64().unwrap();
        assert_eq!(end, (hours + 9) / 10, "{step}");
        assert!(start >= last_end);
        last_end = end;
    }
    assert_eq!(path["weeks"], json!(last_end));
    assert_eq!(path["totalHours"], json!(hours));
    // Without a pace or a budget, the new fields are null and the plan is the same.
    let plain = &data(&plain)["learningPath"];
    assert_eq!(plain["weeks"], Value::Null);
    assert_eq!(plain["deferred"], Value::Null);
    assert_eq!(plain["readinessWithinBudget"], Value::Null);
    assert_eq!(ids(&plain["steps"]), ids(&path["steps"]));
    assert!(plain["steps"][0]["startWeek"].is_null());
}

#[tokio::test]
async fn a_budgeted_learning_path_keeps_a_closed_subsequence_and_defers_the_rest() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let full = scheduled_path(&app, Value::Null, Value::Null).await;
    let body = scheduled_path(&app, json!(200), json!(10)).await;

    // Assert
    let full = &data(&full)["learningPath"];
    let path = &data(&body)["learningPath"];
    let total = path["totalHours"].as_i64().unwrap();
    assert!(total <= 200 && total > 0, "{path}");
    assert_eq!(
        total + path["deferredHours"].as_i64().unwrap(),
        full["totalHours"].as_i64().unwrap()
    );
    // Kept then deferred partition the full plan, each in the full plan's order.
    let (kept, deferred, all) = (
        ids(&path["steps"]),
        ids(&path["deferred"]),
        ids(&full["steps"]),
    );
    assert!(!deferred.is_empty());
    // Deferred steps carry their positions in the full plan; the kept ones are the rest, in
    // order (by position: a skill learned in level steps is more than one step).
    let deferred_at: Vec<usize> = path["deferred"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["position"].as_u64().unwrap() as usize)
        .collect();
    assert!(deferred_at.is_sorted());
    assert_eq!(
        deferred,
        deferred_at
            .iter()
            .map(|&p| all[p - 1].clone())
            .collect::<Vec<_>>()
    );
    let kept_at: Vec<String> = (1..=all.len())
        .filter(|p| !deferred_at.contains(p))
        .map(|p| all[p - 1].clone())
        .collect();
    assert_eq!(kept, kept_at);
    // Every kept step's required prerequisites that apply at its level, and that the full
    // plan learns from nothing, are kept.
    let from_nothing = |skill: &String| {
        full["steps"].as_array().unwrap().iter().any(|s| {
            s["skill"]["id"].as_str() == Some(skill.as_str()) && s["fromLevel"] == json!(0)
        })
    };
    for step in path["steps"].as_array().unwrap() {
        let skill = step["skill"]["id"].as_str().unwrap();
        let to = step["toLevel"].as_i64().unwrap() as i32;
        for (p, _, beyond) in leveled_prerequisites(&app, skill).await {
            if beyond.is_some_and(|b| to <= b) {
                continue;
            }
            if from_nothing(&p) {
                assert!(
                    kept.contains(&p),
                    "{skill} is kept without its prerequisite {p}"
                );
            }
        }
    }
    // Deferred steps keep the full plan's positions and have no weeks.
    assert!(path["deferred"][0]["startWeek"].is_null());
    let readiness = path["readinessWithinBudget"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&readiness));
    assert_eq!(path["budgetExact"], json!(false));
    assert_eq!(path["weeks"], json!((total + 9) / 10));
}

#[tokio::test]
async fn a_budgeted_role_gap_keeps_its_full_hours_and_reports_readiness_within_budget() {
    // Arrange
    let app = TestApp::spawn().await;
    let query = "query($from: ProfileInput!, $budget: Int) {
        roleGap(from: $from, to: \"ai-engineer\", budgetHours: $budget, hoursPerWeek: 8) {
            readiness hours path { totalHours weeks deferredHours readinessWithinBudget } } }";

    // Act
    let budgeted = app
        .query(query, json!({ "from": software_engineer(), "budget": 100 }))
        .await;
    let full = app
        .query(
            query,
            json!({ "from": software_engineer(), "budget": null }),
        )
        .await;

    // Assert
    let (gap, whole) = (&data(&budgeted)["roleGap"], &data(&full)["roleGap"]);
    assert_eq!(gap["hours"], whole["hours"]);
    let path = &gap["path"];
    assert!(path["totalHours"].as_i64().unwrap() <= 100);
    assert_eq!(
        path["totalHours"].as_i64().unwrap() + path["deferredHours"].as_i64().unwrap(),
        gap["hours"].as_i64().unwrap()
    );
    let within = path["readinessWithinBudget"].as_f64().unwrap();
    assert!(
        within > gap["readiness"].as_f64().unwrap() && within < 1.0,
        "{gap}"
    );
    assert_eq!(whole["path"]["deferredHours"], Value::Null);
    let weeks = |p: &Value| p["weeks"].as_i64().unwrap();
    assert_eq!(
        weeks(&whole["path"]),
        (whole["hours"].as_i64().unwrap() + 7) / 8
    );
    assert!(weeks(path) <= weeks(&whole["path"]));
}

#[tokio::test]
async fn a_negative_budget_or_a_pace_of_zero_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let negative = scheduled_path(&app, json!(-1), Value::Null).await;
    let stalled = scheduled_path(&app, Value::Null, json!(0)).await;
    let gap = app
        .query(
            "{ roleGap(from: { skills: [] }, to: \"ai-engineer\", hoursPerWeek: -3) { hours } }",
            json!({}),
        )
        .await;

    // Assert
    assert_error(&negative, "INVALID_INPUT");
    assert_error(&stalled, "INVALID_INPUT");
    assert_error(&gap, "INVALID_INPUT");
}
