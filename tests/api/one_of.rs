//! "One of" role requirements over the real server: writing them, reading `alternatives`
//! beside `skill`, and the refusals (each with its code, never a panic).

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data};

const ROLE: &str = "query($id: ID!) { role(id: $id) {
    requirements { skill { id } alternatives { id } level importance } } }";

const UPSERT_ROLE: &str = "mutation($input: RoleInput!) { upsertRole(input: $input) {
    requirements { skill { id } alternatives { id } level } } }";

const SET_REQUIREMENT: &str = "mutation($role: ID!, $skill: ID!, $alternatives: [ID!]) {
    setRequirement(role: $role, skill: $skill, level: 3, alternatives: $alternatives) {
        requirements { skill { id } alternatives { id } } } }";

/// The requirement of `list` (requirements or statuses' requirements) listing `skill`.
fn listing<'a>(list: &'a Value, skill: &str) -> Vec<&'a Value> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            let r = r.get("requirement").unwrap_or(r);
            r["skill"]["id"] == skill
                || r["alternatives"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|o| o["id"] == skill))
        })
        .collect()
}

#[tokio::test]
async fn alternatives_are_written_sorted_survive_a_restart_and_bad_ones_are_refused() {
    let app = TestApp::spawn().await;
    let body = app
        .admin(
            UPSERT_ROLE,
            json!({ "input": { "id": "cloud-dev", "name": "Cloud developer", "requirements": [
                { "skill": "aws", "level": 3, "alternatives": ["gcp", "azure"] },
                { "skill": "docker", "level": 2 },
            ] } }),
        )
        .await;
    let written = json!([
        { "skill": { "id": "aws" }, "alternatives": [{ "id": "azure" }, { "id": "gcp" }], "level": 3 },
        { "skill": { "id": "docker" }, "alternatives": [], "level": 2 },
    ]);
    assert_eq!(data(&body)["upsertRole"]["requirements"], written);
    let body = app
        .admin(
            SET_REQUIREMENT,
            json!({ "role": "cloud-dev", "skill": "rag", "alternatives": ["llm-agents"] }),
        )
        .await;
    let requirements = &data(&body)["setRequirement"]["requirements"];
    assert_eq!(
        listing(requirements, "llm-agents")[0]["skill"]["id"],
        "rag",
        "{requirements:#}"
    );

    let before = app.revision().await;
    for (alternatives, code) in [
        (json!(["ghost"]), "NOT_FOUND"),
        (json!(["gcp", "gcp"]), "INVALID_INPUT"),
        (json!(["aws"]), "INVALID_INPUT"),
        (json!(["docker"]), "INVALID_INPUT"),
        (json!(["Not An Id!"]), "INVALID_INPUT"),
    ] {
        let input = json!({ "id": "cloud-dev", "name": "Cloud developer", "requirements": [
            { "skill": "aws", "level": 3, "alternatives": alternatives },
            { "skill": "docker", "level": 2 },
        ] });
        let body = app.admin(UPSERT_ROLE, json!({ "input": input })).await;
        assert_error(&body, code);
        let body = app
            .admin(
                SET_REQUIREMENT,
                json!({ "role": "cloud-dev", "skill": "aws", "alternatives": alternatives }),
            )
            .await;
        assert_error(&body, code);
    }
    // An alternative is no requirement of its own, and a skill it names cannot go silently.
    let body = app
        .admin(
            r#"mutation { removeRequirement(role: "cloud-dev", skill: "gcp") { id } }"#,
            json!({}),
        )
        .await;
    assert_error(&body, "NOT_FOUND");
    let body = app
        .admin(r#"mutation { deleteSkill(id: "azure") }"#, json!({}))
        .await;
    assert_error(&body, "CONFLICT");
    assert_eq!(app.revision().await, before, "nothing refused was written");

    let app = app.restart().await;
    let body = app.query(ROLE, json!({ "id": "cloud-dev" })).await;
    let requirements = &data(&body)["role"]["requirements"];
    assert_eq!(
        listing(requirements, "gcp")[0]["alternatives"],
        written[0]["alternatives"]
    );
}
