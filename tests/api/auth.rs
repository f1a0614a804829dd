//! Mutations need `Authorization: Bearer <admin token>`; queries need nothing.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, assert_error, data};

const CREATE: &str = r#"mutation { createSkill(input: { id: "lock-picking", name: "Lock picking", category: "soft-skills", hours: 3 }) { id } }"#;

async fn lock_picking(app: &TestApp) -> Value {
    let body = app
        .query(r#"{ skill(id: "lock-picking") { id } }"#, json!({}))
        .await;
    data(&body)["skill"].clone()
}

#[tokio::test]
async fn a_mutation_without_a_token_is_refused_as_unauthenticated_and_changes_nothing() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app.query(CREATE, json!({})).await;

    // Assert
    let error = assert_error(&body, "UNAUTHENTICATED");
    assert_eq!(error["path"], json!(["createSkill"]));
    assert!(body["data"].is_null());
    assert_eq!(app.stats().await, before);
    assert!(lock_picking(&app).await.is_null());
}

#[tokio::test]
async fn a_mutation_with_a_wrong_token_is_refused_as_unauthenticated() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let wrong = format!("Bearer {}x", ADMIN_TOKEN);
    let prefix = format!("Bearer {}", &ADMIN_TOKEN[..ADMIN_TOKEN.len() - 1]);

    for authorization in [
        wrong.as_str(),
        prefix.as_str(),
        "Bearer ",
        ADMIN_TOKEN,
        "Basic YWRtaW46YWRtaW4=",
    ] {
        // Act
        let body = app.graphql(Some(authorization), CREATE, json!({})).await;

        // Assert
        assert_error(&body, "UNAUTHENTICATED");
    }
    assert_eq!(app.stats().await, before);
    assert!(lock_picking(&app).await.is_null());
}

#[tokio::test]
async fn a_mutation_with_the_right_token_is_carried_out() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app.admin(CREATE, json!({})).await;

    // Assert
    assert_eq!(data(&body)["createSkill"]["id"], "lock-picking");
    assert_eq!(lock_picking(&app).await["id"], "lock-picking");
    assert_eq!(app.stats().await.revision, before.revision + 1);
}

#[tokio::test]
async fn every_mutation_is_guarded_not_only_create_skill() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let mutations = [
        r#"mutation { updateSkill(id: "python", input: { hours: 1 }) { id } }"#,
        r#"mutation { deleteSkill(id: "python", cascade: true) }"#,
        r#"mutation { addPrerequisite(skill: "python", requires: "git") { id } }"#,
        r#"mutation { removePrerequisite(skill: "rag", requires: "vector-search") { id } }"#,
        r#"mutation { upsertCategory(input: { id: "x", name: "X" }) { id } }"#,
        r#"mutation { upsertRole(input: { id: "x", name: "X" }) { id } }"#,
        r#"mutation { deleteRole(id: "ai-engineer") }"#,
        r#"mutation { setRequirement(role: "ai-engineer", skill: "git", level: 2) { id } }"#,
        r#"mutation { removeRequirement(role: "ai-engineer", skill: "rag") { id } }"#,
    ];

    for mutation in mutations {
        // Act
        let body = app.query(mutation, json!({})).await;

        // Assert
        assert_error(&body, "UNAUTHENTICATED");
    }
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn queries_need_no_token_and_ignore_a_wrong_one() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let without = app.query("{ stats { revision } }", json!({})).await;
    let wrong = app
        .graphql(
            Some("Bearer wrong-token"),
            "{ stats { revision } }",
            json!({}),
        )
        .await;

    // Assert
    assert!(data(&without)["stats"]["revision"].as_i64().unwrap() >= 1);
    assert_eq!(data(&wrong), data(&without));
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_case_insensitively() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .graphql(Some(&format!("bearer {ADMIN_TOKEN}")), CREATE, json!({}))
        .await;

    // Assert
    assert_eq!(data(&body)["createSkill"]["id"], "lock-picking");
}
