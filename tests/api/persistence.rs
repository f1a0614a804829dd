//! Writes survive a restart on the same directory, and the seed is not applied a second time.

use serde_json::json;

use crate::helpers::{TestApp, data};

#[tokio::test]
async fn writes_survive_a_restart_and_the_seed_is_not_reapplied() {
    // Arrange
    let app = TestApp::spawn().await;
    let seeded = app.stats().await;
    app.admin(
        r#"mutation { upsertCategory(input: { id: "robotics", name: "Robotics", order: 10 }) { id } }"#,
        json!({}),
    )
    .await;
    app.create_skill("ros", "robotics", 30).await;
    app.add_prerequisite("ros", "python").await;
    data(
        &app.admin(
            r#"mutation { upsertRole(input: { id: "roboticist", name: "Roboticist",
                requirements: [{ skill: "ros", level: 3 }, { skill: "python", level: 2, importance: OPTIONAL }] }) { id } }"#,
            json!({}),
        )
        .await,
    );
    // A seeded record changed and one deleted: a re-applied seed would bring them back.
    data(
        &app.admin(
            r#"mutation { updateSkill(id: "git", input: { hours: 11 }) { id } }"#,
            json!({}),
        )
        .await,
    );
    data(
        &app.admin(
            r#"mutation { deleteRole(id: "data-scientist") }"#,
            json!({}),
        )
        .await,
    );
    let before = app.stats().await;

    // Act
    let app = app.restart().await;

    // Assert
    let after = app.stats().await;
    assert_eq!(after, before);
    assert_eq!(after.revision, seeded.revision + 6);
    assert_eq!(after.skills, seeded.skills + 1);
    assert_eq!(after.roles, seeded.roles);
    let body = app
        .query(
            r#"{
                ros: skill(id: "ros") { name hours category { id name order } prerequisites { skill { id } kind } }
                git: skill(id: "git") { hours }
                roboticist: role(id: "roboticist") { name requirements { skill { id } level importance } }
                dataScientist: role(id: "data-scientist") { id }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data(&body),
        &json!({
            "ros": {
                "name": "Skill ros",
                "hours": 30,
                "category": { "id": "robotics", "name": "Robotics", "order": 10 },
                "prerequisites": [{ "skill": { "id": "python" }, "kind": "REQUIRED" }],
            },
            "git": { "hours": 11 },
            "roboticist": {
                "name": "Roboticist",
                "requirements": [
                    { "skill": { "id": "python" }, "level": 2, "importance": "OPTIONAL" },
                    { "skill": { "id": "ros" }, "level": 3, "importance": "ESSENTIAL" },
                ],
            },
            "dataScientist": null,
        })
    );
}

#[tokio::test]
async fn writing_after_a_restart_continues_from_the_stored_revision() {
    // Arrange
    let app = TestApp::spawn().await;
    app.create_skill("ros", "soft-skills", 30).await;
    let before = app.revision().await;
    let app = app.restart().await;

    // Act
    app.create_skill("ros2", "soft-skills", 30).await;

    // Assert
    assert_eq!(app.revision().await, before + 1);
    let app = app.restart().await;
    assert_eq!(app.revision().await, before + 1);
    let body = app
        .query(
            r#"{ a: skill(id: "ros") { id } b: skill(id: "ros2") { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data(&body),
        &json!({ "a": { "id": "ros" }, "b": { "id": "ros2" } })
    );
}

#[tokio::test]
async fn a_deleted_edge_and_a_cascaded_delete_stay_deleted_after_a_restart() {
    // Arrange
    let app = TestApp::spawn().await;
    data(
        &app.admin(
            r#"mutation { removePrerequisite(skill: "rag", requires: "vector-search") { id } }"#,
            json!({}),
        )
        .await,
    );
    data(
        &app.admin(
            r#"mutation { deleteSkill(id: "llm-applications", cascade: true) }"#,
            json!({}),
        )
        .await,
    );
    let before = app.stats().await;

    // Act
    let app = app.restart().await;

    // Assert
    assert_eq!(app.stats().await, before);
    let body = app
        .query(
            r#"{ rag: skill(id: "rag") { prerequisites { skill { id } } }
                 gone: skill(id: "llm-applications") { id }
                 ai: role(id: "ai-engineer") { requirements { skill { id } } } }"#,
            json!({}),
        )
        .await;
    // RAG keeps its other prerequisite, LLM evaluation (which loses its own on the deleted skill).
    assert_eq!(
        data(&body)["rag"]["prerequisites"],
        json!([{ "skill": { "id": "llm-evaluation" } }])
    );
    assert!(data(&body)["gone"].is_null());
    let requirements = data(&body)["ai"]["requirements"].as_array().unwrap();
    assert!(
        !requirements
            .iter()
            .any(|r| r["skill"]["id"] == "llm-applications")
    );
}
