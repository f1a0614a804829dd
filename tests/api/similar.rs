//! Similar roles (`Role.similar`): the score is the same both ways, the hours of a move are
//! the role gap from one role to the other, and the shared skills are the requirements both
//! roles list.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data, field};

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
}

#[derive(Debug, Deserialize)]
struct RequirementOut {
    role: Ref,
    skill: Ref,
    level: i32,
}

#[derive(Debug, Deserialize)]
struct SharedOut {
    here: RequirementOut,
    there: RequirementOut,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SimilarOut {
    role: Ref,
    score: f64,
    shared: Vec<SharedOut>,
    hours_to: i64,
    hours_from: i64,
}

async fn similar_raw(app: &TestApp, role: &str, first: Value) -> Value {
    app.query(
        "query($id: ID!, $first: Int) { role(id: $id) { similar(first: $first) {
            role { id } score hoursTo hoursFrom
            shared { here { role { id } skill { id } level } there { role { id } skill { id } level } }
        } } }",
        json!({ "id": role, "first": first }),
    )
    .await
}

async fn similar(app: &TestApp, role: &str, first: i32) -> Vec<SimilarOut> {
    let resp = similar_raw(app, role, json!(first)).await;
    serde_json::from_value(data(&resp)["role"]["similar"].clone()).unwrap()
}

async fn requirements(app: &TestApp, role: &str) -> BTreeSet<String> {
    let resp = app
        .query(
            "query($id: ID!) { role(id: $id) { requirements { skill { id } } } }",
            json!({ "id": role }),
        )
        .await;
    data(&resp)["role"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["skill"]["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn gap_hours(app: &TestApp, from: &str, to: &str) -> i64 {
    let resp = app
        .query(
            "query($from: ID!, $to: ID!) { roleGap(from: {role: $from}, to: $to) { hours } }",
            json!({ "from": from, "to": to }),
        )
        .await;
    field::<Value>(&resp, "roleGap")["hours"].as_i64().unwrap()
}

#[tokio::test]
async fn similar_roles_are_symmetric_in_score_and_their_hours_are_the_gaps_each_way() {
    let app = TestApp::spawn().await;
    let list = similar(&app, "ml-engineer", 10).await;
    assert_eq!(list.len(), 7, "every other seed role shares a skill");
    assert!(list.windows(2).all(|w| w[0].score >= w[1].score));
    let here = requirements(&app, "ml-engineer").await;
    for s in &list {
        assert!(s.score > 0.0 && s.score <= 1.0);
        assert_ne!(s.role.id, "ml-engineer");
        let back = similar(&app, &s.role.id, 10).await;
        let mirror = back.iter().find(|b| b.role.id == "ml-engineer").unwrap();
        assert_eq!(mirror.score.to_bits(), s.score.to_bits());
        assert_eq!(mirror.hours_to, s.hours_from);
        assert_eq!(mirror.hours_from, s.hours_to);
        assert_eq!(s.hours_to, gap_hours(&app, "ml-engineer", &s.role.id).await);
        assert_eq!(
            s.hours_from,
            gap_hours(&app, &s.role.id, "ml-engineer").await
        );
        let there = requirements(&app, &s.role.id).await;
        let shared: BTreeSet<String> = s.shared.iter().map(|x| x.here.skill.id.clone()).collect();
        assert_eq!(shared, here.intersection(&there).cloned().collect());
        for x in &s.shared {
            assert_eq!(x.here.skill.id, x.there.skill.id);
            assert_eq!(x.here.role.id, "ml-engineer");
            assert_eq!(x.there.role.id, s.role.id);
            assert!((1..=5).contains(&x.here.level) && (1..=5).contains(&x.there.level));
        }
    }
    // The hours are not symmetric everywhere: some move costs more one way than back.
    assert!(list.iter().any(|s| s.hours_to != s.hours_from));
    let two = similar(&app, "ml-engineer", 2).await;
    assert_eq!(
        two.iter().map(|s| &s.role.id).collect::<Vec<_>>(),
        list.iter().take(2).map(|s| &s.role.id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn first_is_bounded_by_max_similar_and_must_not_be_negative() {
    let app = TestApp::spawn().await;
    let err = assert_error(
        &similar_raw(&app, "ml-engineer", json!(51)).await,
        "LIMIT_EXCEEDED",
    );
    assert_eq!(err["extensions"]["limit"], "maxSimilar");
    assert_error(
        &similar_raw(&app, "ml-engineer", json!(-1)).await,
        "INVALID_INPUT",
    );
    assert!(similar(&app, "ml-engineer", 0).await.is_empty());
}

#[tokio::test]
async fn similar_occupations_on_the_esco_fixture_share_skills() {
    let app = TestApp::spawn_esco().await;
    let resp = app
        .query(
            "{ roles(first: 100) { nodes { id requirements { level } } } }",
            json!({}),
        )
        .await;
    // The fixture's occupations kept for their labels only (see tests/fixtures/README.md)
    // have no requirements, so nothing to share.
    let ids: Vec<String> = data(&resp)["roles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["requirements"].as_array().unwrap().is_empty())
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let mut with_similar = 0;
    for id in &ids {
        let list = similar(&app, id, 5).await;
        with_similar += usize::from(!list.is_empty());
        for s in &list {
            assert!(!s.shared.is_empty(), "{id} ~ {}", s.role.id);
        }
    }
    assert!(
        with_similar > ids.len() / 2,
        "{with_similar} of {}",
        ids.len()
    );
}
