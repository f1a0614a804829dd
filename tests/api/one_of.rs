//! "One of" role requirements over the real server: the seed's read with `alternatives` beside
//! `skill`, a gap met by an alternative, a plan through one option, writing them, and the
//! refusals (each with its code, never a panic).

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data};

const ROLE: &str = "query($id: ID!) { role(id: $id) {
    requirements { skill { id } alternatives { id } level importance } } }";

const GAP: &str = "query($from: ProfileInput!, $to: ID!) { roleGap(from: $from, to: $to) {
    satisfied { requirement { skill { id } alternatives { id } level } currentLevel heldSkill { id } }
    underLevel { requirement { skill { id } } }
    missing { requirement { skill { id } alternatives { id } } currentLevel heldSkill { id } }
    path { steps { skill { id } toLevel hours alternatives { id } } } } }";

const UPSERT_ROLE: &str = "mutation($input: RoleInput!) { upsertRole(input: $input) {
    requirements { skill { id } alternatives { id } level } } }";

const SET_REQUIREMENT: &str = "mutation($role: ID!, $skill: ID!, $alternatives: [ID!]) {
    setRequirement(role: $role, skill: $skill, level: 3, alternatives: $alternatives) {
        requirements { skill { id } alternatives { id } } } }";

const PROVIDERS: [&str; 3] = ["aws", "azure", "gcp"];

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

fn step_ids(gap: &Value) -> Vec<&str> {
    gap["path"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["skill"]["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_seed_roles_read_one_provider_beside_the_preferred_skill() {
    let app = TestApp::spawn().await;
    for role in ["mlops-engineer", "ml-engineer", "data-engineer"] {
        let body = app.query(ROLE, json!({ "id": role })).await;
        let requirements = &data(&body)["role"]["requirements"];
        assert_eq!(
            listing(requirements, "gcp"),
            [&json!({ "skill": { "id": "aws" },
                      "alternatives": [{ "id": "azure" }, { "id": "gcp" }],
                      "level": 3, "importance": "ESSENTIAL" })],
            "{role}"
        );
        // Every other requirement has none: `skill` alone is what it was.
        let plain = requirements
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["alternatives"] != json!([]))
            .count();
        assert_eq!(plain, 1, "{role}");
    }
}

#[tokio::test]
async fn a_gap_is_met_by_an_alternative_and_an_unmet_one_is_planned_through_one_option() {
    let app = TestApp::spawn().await;
    let to = "mlops-engineer";

    // Google Cloud at practitioner level meets "one provider at 3", under the preferred AWS.
    let from = json!({ "role": "software-engineer", "skills": [{ "skill": "gcp", "level": 3 }] });
    let body = app.query(GAP, json!({ "from": from, "to": to })).await;
    let gap = &data(&body)["roleGap"];
    let met = listing(&gap["satisfied"], "gcp");
    assert_eq!(met.len(), 1, "{gap:#}");
    assert_eq!(met[0]["requirement"]["skill"]["id"], "aws");
    assert_eq!(met[0]["currentLevel"], 3);
    assert_eq!(met[0]["heldSkill"], json!({ "id": "gcp" }));
    assert!(listing(&gap["missing"], "gcp").is_empty());
    assert!(listing(&gap["underLevel"], "gcp").is_empty());
    assert!(
        step_ids(gap).iter().all(|s| !PROVIDERS.contains(s)),
        "{gap:#}"
    );

    // Without a provider: missing once, and the plan takes one to level 3, naming the others.
    let from = json!({ "role": "software-engineer" });
    let body = app.query(GAP, json!({ "from": from, "to": to })).await;
    let gap = &data(&body)["roleGap"];
    let missing = listing(&gap["missing"], "azure");
    assert_eq!(missing.len(), 1, "{gap:#}");
    assert_eq!(missing[0]["heldSkill"], Value::Null);
    let providers: Vec<&Value> = gap["path"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| PROVIDERS.contains(&s["skill"]["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        providers,
        [
            &json!({ "skill": { "id": "aws" }, "toLevel": 3, "hours": 40,
                  "alternatives": [{ "id": "azure" }, { "id": "gcp" }] })
        ]
    );
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
