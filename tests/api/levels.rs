//! Level steps over the real server: an edge that applies only beyond a level (`beyond`),
//! written and read back, the plan that learns a skill in steps, the spiral that is no cycle
//! and the cycle on levels that is one, and bad input.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data};

const ADD: &str = "mutation($s: ID!, $r: ID!, $min: Int, $beyond: Int) {
    addPrerequisite(skill: $s, requires: $r, minLevel: $min, beyond: $beyond) {
        prerequisites { skill { id } minLevel beyond } } }";

const PATH: &str = "query($to: TargetInput!, $from: ProfileInput) {
    learningPath(from: $from, to: $to) { totalHours steps {
        position stage skill { id } fromLevel toLevel hours because { id } dependents } } }";

fn steps(body: &Value) -> Vec<(String, i64, i64, i64)> {
    data(body)["learningPath"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let n = |k: &str| s[k].as_i64().unwrap();
            let id = s["skill"]["id"].as_str().unwrap().to_owned();
            (id, n("fromLevel"), n("toLevel"), n("stage"))
        })
        .collect()
}

#[tokio::test]
async fn a_skill_is_learned_in_level_steps_around_a_prerequisite_it_needs_only_beyond_a_level() {
    let app = TestApp::spawn().await;
    for id in ["lv-basics", "lv-theory"] {
        app.create_skill(id, "programming", 10).await;
    }
    let body = app
        .admin(
            ADD,
            json!({ "s": "lv-basics", "r": "lv-theory", "beyond": 2 }),
        )
        .await;
    assert_eq!(
        data(&body)["addPrerequisite"]["prerequisites"],
        json!([{ "skill": { "id": "lv-theory" }, "minLevel": null, "beyond": 2 }])
    );

    let to = json!({ "skills": [{ "skill": "lv-basics", "level": 4 }] });
    let body = app.query(PATH, json!({ "to": to })).await;
    assert_eq!(
        steps(&body),
        [
            ("lv-basics".to_owned(), 0, 2, 1),
            ("lv-theory".to_owned(), 0, 2, 1),
            ("lv-basics".to_owned(), 2, 4, 2),
        ]
    );
    let list = data(&body)["learningPath"]["steps"]
        .as_array()
        .unwrap()
        .clone();
    // Positions link the steps: the theory and the first step both lead to the last one.
    assert_eq!(list[0]["dependents"], json!([3]));
    assert_eq!(list[1]["dependents"], json!([3]));
    assert_eq!(list[1]["because"], json!([{ "id": "lv-basics" }]));
    // 0 → 2 is 40 % of 10 h, 2 → 4 the rest of 200 %.
    assert_eq!(data(&body)["learningPath"]["totalHours"], json!(4 + 4 + 16));

    // Below the cut, the theory is not part of the plan at all.
    let to = json!({ "skills": [{ "skill": "lv-basics", "level": 2 }] });
    let body = app.query(PATH, json!({ "to": to })).await;
    assert_eq!(steps(&body), [("lv-basics".to_owned(), 0, 2, 1)]);
}

#[tokio::test]
async fn a_spiral_is_accepted_and_a_cycle_on_levels_refused_with_cycle() {
    let app = TestApp::spawn().await;
    for id in ["lv-lang", "lv-tests"] {
        app.create_skill(id, "programming", 10).await;
    }
    // Testing needs the language at 2; the language beyond 3 needs testing: a spiral.
    app.add_prerequisite("lv-tests", "lv-lang").await;
    let body = app
        .admin(ADD, json!({ "s": "lv-lang", "r": "lv-tests", "beyond": 3 }))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let to = json!({ "skills": [{ "skill": "lv-lang", "level": 4 }] });
    let body = app.query(PATH, json!({ "to": to })).await;
    assert_eq!(
        steps(&body),
        [
            ("lv-lang".to_owned(), 0, 3, 1),
            ("lv-tests".to_owned(), 0, 2, 2),
            ("lv-lang".to_owned(), 3, 4, 3),
        ]
    );
    // Testing needing the language at 4 would make level 4 wait for itself.
    let body = app
        .admin(ADD, json!({ "s": "lv-tests", "r": "lv-lang", "min": 4 }))
        .await;
    let error = assert_error(&body, "CYCLE");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("lv-tests → lv-lang → lv-tests"),
        "{message}"
    );
    // Nothing was written: testing still needs the language at the default level.
    let read = app
        .query(
            "{ skill(id: \"lv-tests\") { prerequisites { skill { id } minLevel beyond } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&read)["skill"]["prerequisites"],
        json!([{ "skill": { "id": "lv-lang" }, "minLevel": null, "beyond": null }])
    );
}

#[tokio::test]
async fn a_level_beyond_expert_or_out_of_range_is_invalid_input() {
    let app = TestApp::spawn().await;
    for id in ["lv-a", "lv-b"] {
        app.create_skill(id, "programming", 10).await;
    }
    for beyond in [0, 5, 9, -1] {
        let body = app
            .admin(ADD, json!({ "s": "lv-a", "r": "lv-b", "beyond": beyond }))
            .await;
        assert_error(&body, "INVALID_INPUT");
    }
}
