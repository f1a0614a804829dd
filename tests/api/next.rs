//! What to learn next (`nextSkills`) and the fastest of several roles (`matchRoles(among:,
//! orderBy:)`), checked against what the API itself says of plans and gaps: a suggestion is
//! startable when the learning path to it is that one step.

use std::time::Instant;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data, field};

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProgressOut {
    role: Ref,
    readiness_before: f64,
    readiness_after: f64,
    gain: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SuggestionOut {
    skill: Ref,
    from_level: i32,
    to_level: i32,
    hours: i32,
    unlocks: i32,
    roles: Vec<ProgressOut>,
    score: f64,
    alternatives: Vec<Ref>,
}

async fn next_raw(app: &TestApp, profile: Value, targets: Value, first: Value) -> Value {
    app.query(
        "query($p: ProfileInput!, $t: TargetInput, $first: Int) {
            nextSkills(profile: $p, targets: $t, first: $first) {
                skill { id } fromLevel toLevel hours unlocks score alternatives { id }
                roles { role { id } readinessBefore readinessAfter gain } } }",
        json!({ "p": profile, "t": targets, "first": first }),
    )
    .await
}

async fn next(app: &TestApp, profile: Value, targets: Value) -> Vec<SuggestionOut> {
    field(
        &next_raw(app, profile, targets, Value::Null).await,
        "nextSkills",
    )
}

fn software_engineer() -> Value {
    json!({ "role": "software-engineer" })
}

/// The learning path from `profile` to the suggestion: (skill, fromLevel, hours) per step.
async fn path_to(app: &TestApp, profile: &Value, s: &SuggestionOut) -> Vec<(String, i32, i32)> {
    let body = app
        .query(
            "query($p: ProfileInput, $to: TargetInput!) { learningPath(from: $p, to: $to) {
                steps { skill { id } fromLevel hours } } }",
            json!({ "p": profile, "to": { "skills": [{ "skill": s.skill.id, "level": s.to_level }] } }),
        )
        .await;
    data(&body)["learningPath"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["skill"]["id"].as_str().unwrap().to_owned(),
                s["fromLevel"].as_i64().unwrap() as i32,
                s["hours"].as_i64().unwrap() as i32,
            )
        })
        .collect()
}

async fn readiness(app: &TestApp, profile: &Value, role: &str) -> f64 {
    let body = app
        .query(
            "query($p: ProfileInput!, $r: ID!) { roleGap(from: $p, to: $r) { readiness } }",
            json!({ "p": profile, "r": role }),
        )
        .await;
    data(&body)["roleGap"]["readiness"].as_f64().unwrap()
}

#[tokio::test]
async fn a_software_engineers_next_skills_are_startable_ranked_and_bring_roles_closer() {
    // Arrange
    let app = TestApp::spawn().await;
    let profile = software_engineer();

    // Act
    let got = next(&app, profile.clone(), Value::Null).await;

    // Assert
    assert_eq!(got.len(), 10, "{got:?}");
    assert!(got.windows(2).all(|w| w[0].score >= w[1].score), "{got:?}");
    for s in &got {
        assert_eq!(
            path_to(&app, &profile, s).await,
            [(s.skill.id.clone(), s.from_level, s.hours)],
            "{s:?} is not startable now"
        );
        assert!(s.to_level > s.from_level && s.unlocks >= 0, "{s:?}");
        assert!(s.roles.len() <= 5, "{s:?}");
        for r in &s.roles {
            assert_ne!(r.role.id, "software-engineer", "never the current role");
            assert!(r.gain > 0.0, "{s:?}");
            assert_eq!(
                r.readiness_before,
                readiness(&app, &profile, &r.role.id).await
            );
        }
    }
    // Asked twice, the same answer.
    let again = next(&app, profile, Value::Null).await;
    let ids = |l: &[SuggestionOut]| l.iter().map(|s| s.skill.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&got));
}

#[tokio::test]
async fn with_a_target_role_the_suggestions_are_the_first_stage_of_its_path() {
    // Arrange
    let app = TestApp::spawn().await;
    let profile = software_engineer();
    let targets = json!({ "roles": ["ai-engineer"] });
    let path = app
        .query(
            "query($p: ProfileInput, $to: TargetInput!) { learningPath(from: $p, to: $to) {
                steps { skill { id } stage } } }",
            json!({ "p": profile, "to": targets }),
        )
        .await;
    let mut first_stage: Vec<String> = data(&path)["learningPath"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["stage"] == 1)
        .map(|s| s["skill"]["id"].as_str().unwrap().to_owned())
        .collect();
    first_stage.sort();

    // Act: a page large enough for the whole first stage.
    let got: Vec<SuggestionOut> = field(
        &next_raw(&app, profile.clone(), targets, json!(50)).await,
        "nextSkills",
    );

    // Assert
    let mut suggested: Vec<String> = got.iter().map(|s| s.skill.id.clone()).collect();
    suggested.sort();
    assert_eq!(suggested, first_stage);
    let before = readiness(&app, &profile, "ai-engineer").await;
    for s in &got {
        assert_eq!(s.roles.len(), 1, "{s:?}");
        let r = &s.roles[0];
        assert_eq!(r.role.id, "ai-engineer");
        assert_eq!(r.readiness_before, before);
        let after = json!({ "role": "software-engineer",
                            "skills": [{ "skill": s.skill.id, "level": s.to_level }] });
        assert_eq!(
            r.readiness_after,
            readiness(&app, &after, "ai-engineer").await
        );
        // Equal up to rounding: the server subtracts its own sums, which may differ in the
        // last bit from the difference of the two rounded readiness values.
        let difference = r.readiness_after - r.readiness_before;
        assert!((r.gain - difference).abs() < 1e-12, "{r:?}: {difference}");
    }
}

#[tokio::test]
async fn exploring_suggests_one_cloud_provider_with_the_others_as_its_alternatives() {
    // Arrange: every cloud skill of the seed needs one of AWS, Azure or Google Cloud.
    let app = TestApp::spawn().await;
    let profile = software_engineer();
    let providers = ["aws", "azure", "gcp"];

    // Act
    let got: Vec<SuggestionOut> = field(
        &next_raw(&app, profile.clone(), Value::Null, json!(100)).await,
        "nextSkills",
    );

    // Assert
    let listed: Vec<&SuggestionOut> = got
        .iter()
        .filter(|s| providers.contains(&s.skill.id.as_str()))
        .collect();
    assert_eq!(listed.len(), 1, "one decision, one suggestion: {listed:?}");
    let mut all: Vec<&str> = listed[0]
        .alternatives
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    all.push(&listed[0].skill.id);
    all.sort();
    assert_eq!(all, providers);
    // Each alternative could be started now instead, at the same cost.
    for alternative in &listed[0].alternatives {
        let instead = SuggestionOut {
            skill: Ref {
                id: alternative.id.clone(),
            },
            alternatives: vec![],
            roles: vec![],
            ..*listed[0]
        };
        let path = path_to(&app, &profile, &instead).await;
        assert_eq!(path, [(alternative.id.clone(), 0, listed[0].hours)]);
    }
}

#[tokio::test]
async fn toward_a_role_the_steps_that_gain_readiness_come_before_those_that_only_prepare() {
    // Arrange
    let app = TestApp::spawn().await;
    let targets = json!({ "roles": ["ai-engineer"] });

    // Act
    let got: Vec<SuggestionOut> = field(
        &next_raw(&app, software_engineer(), targets, json!(50)).await,
        "nextSkills",
    );

    // Assert
    let gains = |s: &SuggestionOut| s.roles[0].gain > 0.0;
    assert!(got.iter().any(gains) && !got.iter().all(gains), "{got:?}");
    for w in got.windows(2) {
        assert!(gains(&w[0]) >= gains(&w[1]), "{w:?}");
        assert!(
            gains(&w[0]) != gains(&w[1]) || w[0].score >= w[1].score,
            "{w:?}"
        );
    }
    // LLM fundamentals opens the plan's critical chain (prompting, LLM applications,
    // evaluation, RAG, agents) and brings the role closer itself.
    let llm = got.iter().position(|s| s.skill.id == "llm-fundamentals");
    assert!(llm.is_some_and(|at| gains(&got[at])), "{got:?}");
}

#[tokio::test]
async fn next_skills_take_first_within_max_page_and_refuse_unknown_ids() {
    // Arrange
    let app = TestApp::spawn().await;
    let profile = software_engineer();

    // Act
    let two = next_raw(&app, profile.clone(), Value::Null, json!(2)).await;
    let ten = next(&app, profile.clone(), json!({})).await;
    let too_many = next_raw(&app, profile.clone(), Value::Null, json!(101)).await;
    let negative = next_raw(&app, profile.clone(), Value::Null, json!(-1)).await;
    let unknown_role = next_raw(
        &app,
        profile,
        json!({ "roles": ["astronaut"] }),
        Value::Null,
    )
    .await;
    let unknown_skill = next_raw(
        &app,
        json!({ "skills": [{ "skill": "telepathy", "level": 2 }] }),
        Value::Null,
        Value::Null,
    )
    .await;

    // Assert
    let two: Vec<SuggestionOut> = field(&two, "nextSkills");
    assert_eq!(two.len(), 2);
    assert_eq!(two[0].skill.id, ten[0].skill.id, "empty targets explore");
    assert_eq!(two[1].skill.id, ten[1].skill.id);
    assert_error(&too_many, "LIMIT_EXCEEDED");
    assert_error(&negative, "INVALID_INPUT");
    assert_error(&unknown_role, "NOT_FOUND");
    assert_error(&unknown_skill, "NOT_FOUND");
}

#[tokio::test]
async fn next_skills_answer_on_esco_data() {
    // Arrange
    let app = TestApp::spawn_esco().await;
    let roles = app
        .query(
            "{ roles(first: 100) { nodes { id requirements { skill { id } level } } } }",
            json!({}),
        )
        .await;
    // The first occupation with requirements: some are in the fixture for their labels only.
    let role = data(&roles)["roles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !r["requirements"].as_array().unwrap().is_empty())
        .unwrap();
    let skills: Vec<Value> = role["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!({ "skill": r["skill"]["id"], "level": r["level"] }))
        .collect();
    let profile = json!({ "skills": skills });

    // Act
    let started = Instant::now();
    let explore = next(&app, profile.clone(), Value::Null).await;
    let explored_in = started.elapsed();
    let toward = next(&app, json!({}), json!({ "roles": [role["id"]] })).await;

    // Assert
    eprintln!("nextSkills on the ESCO fixture: {explored_in:.2?}");
    assert!(!explore.is_empty());
    assert!(explore.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(!toward.is_empty());
    assert!(toward.iter().all(|s| s.roles.len() == 1));
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MatchOut {
    role: Ref,
    readiness: f64,
    hours: i32,
}

async fn match_raw(app: &TestApp, variables: Value) -> Value {
    app.query(
        "query($p: ProfileInput!, $among: [ID!], $order: RoleMatchOrder, $first: Int) {
            matchRoles(profile: $p, among: $among, orderBy: $order, first: $first) {
                role { id } readiness hours } }",
        variables,
    )
    .await
}

fn fastest_first(mut list: Vec<MatchOut>) -> Vec<(String, i32)> {
    list.sort_by(|a, b| {
        a.hours
            .cmp(&b.hours)
            .then(b.readiness.total_cmp(&a.readiness))
            .then_with(|| a.role.id.cmp(&b.role.id))
    });
    list.into_iter().map(|m| (m.role.id, m.hours)).collect()
}

#[tokio::test]
async fn match_roles_among_a_few_by_hours_puts_the_nearest_first() {
    // Arrange
    let app = TestApp::spawn().await;
    let among = json!(["ai-engineer", "data-engineer", "ml-engineer", "ai-engineer"]);
    let all = match_raw(&app, json!({ "p": software_engineer(), "first": 100 })).await;
    let all: Vec<MatchOut> = field(&all, "matchRoles");

    // Act
    let by_hours = match_raw(
        &app,
        json!({ "p": software_engineer(), "among": among, "order": "HOURS" }),
    )
    .await;
    let by_readiness = match_raw(
        &app,
        json!({ "p": software_engineer(), "among": among, "order": null }),
    )
    .await;
    let fastest_overall = match_raw(
        &app,
        json!({ "p": software_engineer(), "order": "HOURS", "first": 3 }),
    )
    .await;

    // Assert
    let by_hours: Vec<MatchOut> = field(&by_hours, "matchRoles");
    let chosen = |id: &str| ["ai-engineer", "data-engineer", "ml-engineer"].contains(&id);
    let expected: Vec<MatchOut> = all.into_iter().filter(|m| chosen(&m.role.id)).collect();
    let by_readiness: Vec<MatchOut> = field(&by_readiness, "matchRoles");
    let ids = |l: &[MatchOut]| l.iter().map(|m| m.role.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(&by_readiness),
        ids(&expected),
        "null orderBy: readiness"
    );
    assert_eq!(fastest_first(by_hours), fastest_first(expected));
    let fastest: Vec<MatchOut> = field(&fastest_overall, "matchRoles");
    let all_again = match_raw(&app, json!({ "p": software_engineer(), "first": 100 })).await;
    let mut everything = fastest_first(field(&all_again, "matchRoles"));
    everything.truncate(3);
    assert_eq!(fastest_first(fastest), everything);
}

#[tokio::test]
async fn match_roles_among_unknown_or_too_many_roles_is_refused() {
    // Arrange
    let app = TestApp::spawn().await;
    let many: Vec<String> = (0..51).map(|i| format!("role-{i}")).collect();

    // Act
    let unknown = match_raw(
        &app,
        json!({ "p": software_engineer(), "among": ["ai-engineer", "astronaut"] }),
    )
    .await;
    let too_many = match_raw(&app, json!({ "p": software_engineer(), "among": many })).await;

    // Assert
    assert_error(&unknown, "NOT_FOUND");
    assert_error(&too_many, "LIMIT_EXCEEDED");
}
