//! "One of" prerequisite groups over the real server: reading them, adding and removing them,
//! the CYCLE refusal, and the alternatives a plan's chosen option carries.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data};

const GROUPS: &str = "query($id: ID!) { skill(id: $id) {
    prerequisiteGroups { kind minLevel options { id } } } }";

const ADD_GROUP: &str = "mutation($s: ID!, $o: [ID!]!, $min: Int) {
    addPrerequisiteGroup(skill: $s, options: $o, minLevel: $min) {
        id prerequisiteGroups { kind minLevel options { id } } } }";

const REMOVE_GROUP: &str = "mutation($s: ID!, $o: [ID!]!) {
    removePrerequisiteGroup(skill: $s, options: $o) { id prerequisiteGroups { options { id } } } }";

const PATH: &str = "query($from: ProfileInput, $to: TargetInput!) {
    learningPath(from: $from, to: $to) { steps { skill { id } alternatives { id } } } }";

async fn groups(app: &TestApp, skill: &str) -> Value {
    let body = app.query(GROUPS, json!({ "id": skill })).await;
    data(&body)["skill"]["prerequisiteGroups"].clone()
}

fn steps(body: &Value) -> Vec<(String, Vec<String>)> {
    data(body)["learningPath"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let ids = |v: &Value| v.as_str().unwrap().to_owned();
            let alternatives = s["alternatives"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| ids(&a["id"]))
                .collect();
            (ids(&s["skill"]["id"]), alternatives)
        })
        .collect()
}

#[tokio::test]
async fn the_seed_groups_are_read_and_a_plan_names_the_alternatives_of_its_choice() {
    let app = TestApp::spawn().await;
    assert_eq!(
        groups(&app, "cnns").await,
        json!([{ "kind": "REQUIRED", "minLevel": null,
                 "options": [{ "id": "jax" }, { "id": "pytorch" }, { "id": "tensorflow" }] }])
    );
    assert_eq!(groups(&app, "pytorch").await, json!([]));

    let to = json!({ "skills": [{ "skill": "cnns", "level": 3 }] });
    let body = app.query(PATH, json!({ "to": to })).await;
    let plan = steps(&body);
    let framework = plan.iter().find(|(s, _)| s == "pytorch").expect("pytorch");
    assert_eq!(framework.1, ["jax", "tensorflow"]);
    assert!(plan.iter().all(|(s, _)| s != "tensorflow" && s != "jax"));
    assert!(
        plan.iter()
            .filter(|(s, _)| s != "pytorch")
            .all(|(_, a)| a.is_empty())
    );

    // A held option satisfies the group.
    let from = json!({ "skills": [{ "skill": "tensorflow", "level": 3 }] });
    let body = app.query(PATH, json!({ "from": from, "to": to })).await;
    assert!(steps(&body).iter().all(|(s, _)| s != "pytorch"));
}

#[tokio::test]
async fn groups_are_added_and_removed_and_a_cycle_through_an_option_is_refused() {
    let app = TestApp::spawn().await;
    let before = app.revision().await;
    let body = app
        .admin(
            ADD_GROUP,
            json!({ "s": "llm-agents", "o": ["docker", "cloud-fundamentals"], "min": 2 }),
        )
        .await;
    assert_eq!(
        data(&body)["addPrerequisiteGroup"]["prerequisiteGroups"],
        json!([{ "kind": "REQUIRED", "minLevel": 2,
                 "options": [{ "id": "cloud-fundamentals" }, { "id": "docker" }] }])
    );
    assert_eq!(app.revision().await, before + 1);
    assert_eq!(
        groups(&app, "llm-agents").await.as_array().unwrap().len(),
        1
    );

    // transformers is below rag: rag → … → transformers, so transformers needing one of
    // (rag, docker) closes a cycle through rag.
    let body = app
        .admin(
            ADD_GROUP,
            json!({ "s": "transformers", "o": ["rag", "docker"] }),
        )
        .await;
    let error = assert_error(&body, "CYCLE");
    let cycle: Vec<String> = serde_json::from_value(error["extensions"]["cycle"].clone()).unwrap();
    assert_eq!(cycle.first().map(String::as_str), Some("transformers"));
    assert_eq!(cycle.get(1).map(String::as_str), Some("rag"));
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(groups(&app, "transformers").await, json!([]));

    for (options, code) in [
        (json!(["docker"]), "INVALID_INPUT"),
        (json!(["docker", "ghost"]), "NOT_FOUND"),
    ] {
        let body = app
            .admin(ADD_GROUP, json!({ "s": "llm-agents", "o": options }))
            .await;
        assert_error(&body, code);
    }
    let body = app
        .admin(REMOVE_GROUP, json!({ "s": "llm-agents", "o": ["docker"] }))
        .await;
    assert_error(&body, "NOT_FOUND");
    let body = app
        .admin(
            REMOVE_GROUP,
            json!({ "s": "llm-agents", "o": ["docker", "cloud-fundamentals"] }),
        )
        .await;
    assert_eq!(
        data(&body)["removePrerequisiteGroup"]["prerequisiteGroups"],
        json!([])
    );

    // Without the token: refused.
    let body = app
        .query(
            ADD_GROUP,
            json!({ "s": "llm-agents", "o": ["docker", "git"] }),
        )
        .await;
    assert_error(&body, "UNAUTHENTICATED");
}

#[tokio::test]
async fn groups_survive_a_restart() {
    let app = TestApp::spawn().await;
    let body = app
        .admin(
            ADD_GROUP,
            json!({ "s": "llm-agents", "o": ["docker", "git"] }),
        )
        .await;
    data(&body);
    let app = app.restart().await;
    assert_eq!(
        groups(&app, "llm-agents").await.as_array().unwrap().len(),
        1
    );
    assert_eq!(groups(&app, "cnns").await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn transitive_prerequisite_groups_show_each_group_once_with_whose_it_is() {
    let app = TestApp::spawn().await;
    let body = app
        .query(
            r#"{ skill(id: "diffusion-models") {
                own: prerequisiteGroups { options { id } }
                all: prerequisiteGroups(transitive: true) { of { id } depth kind options { id } }
                prerequisites(transitive: true) { skill { id } } } }"#,
            json!({}),
        )
        .await;
    let skill = &body["data"]["skill"];
    assert_eq!(skill["own"], json!([]), "{body:#}");
    let all = skill["all"].as_array().expect("a list");
    let of: Vec<&str> = all
        .iter()
        .map(|g| g["of"]["id"].as_str().unwrap())
        .collect();
    assert!(of.contains(&"cnns"), "{body:#}");
    for group in all {
        let options: Vec<&str> = group["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert_eq!(options, ["jax", "pytorch", "tensorflow"], "{body:#}");
        assert!(group["depth"].as_i64().unwrap() >= 1);
    }
    // The options are a choice: the transitive prerequisites do not list JAX or TensorFlow.
    let prerequisites: Vec<&str> = skill["prerequisites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["skill"]["id"].as_str().unwrap())
        .collect();
    assert!(!prerequisites.contains(&"jax") && !prerequisites.contains(&"tensorflow"));
}
