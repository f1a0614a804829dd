//! Related skills (`Skill.related`): what roles ask for together with a skill, the generic
//! skills last, never the skill's own prerequisites or what it unlocks, bounded by `maxPage`.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data};

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
}

#[derive(Debug, Deserialize)]
struct RelatedOut {
    skill: Ref,
    score: f64,
    roles: i32,
}

async fn related_raw(app: &TestApp, skill: &str, first: Value) -> Value {
    app.query(
        "query($id: ID!, $first: Int) { skill(id: $id) {
            related(first: $first) { skill { id } score roles }
            prerequisites { skill { id } } prerequisiteGroups { options { id } }
            unlocks { id }
            requiredBy { role { id } }
        } }",
        json!({ "id": skill, "first": first }),
    )
    .await
}

async fn related(app: &TestApp, skill: &str, first: i32) -> Vec<RelatedOut> {
    let resp = related_raw(app, skill, json!(first)).await;
    serde_json::from_value(data(&resp)["skill"]["related"].clone()).unwrap()
}

fn ids(value: &Value, path: &[&str]) -> BTreeSet<String> {
    fn walk(value: &Value, path: &[&str], out: &mut BTreeSet<String>) {
        match (value, path) {
            (Value::Array(items), _) => items.iter().for_each(|v| walk(v, path, out)),
            (_, []) => {
                out.insert(value.as_str().unwrap().to_owned());
            }
            (_, [first, rest @ ..]) => walk(&value[*first], rest, out),
        }
    }
    let mut out = BTreeSet::new();
    walk(value, path, &mut out);
    out
}

#[tokio::test]
async fn related_skills_leave_out_the_skill_its_prerequisites_and_what_it_unlocks() {
    let app = TestApp::spawn().await;
    for skill in ["pytorch", "transformers", "docker", "python", "fine-tuning"] {
        let resp = related_raw(&app, skill, json!(100)).await;
        let found = &data(&resp)["skill"];
        let related = ids(&found["related"], &["skill", "id"]);
        assert!(!related.is_empty(), "{skill}");
        let mut left_out = ids(&found["prerequisites"], &["skill", "id"]);
        left_out.extend(ids(&found["prerequisiteGroups"], &["options", "id"]));
        left_out.extend(ids(&found["unlocks"], &["id"]));
        left_out.insert(skill.to_owned());
        let wrong: Vec<_> = related.intersection(&left_out).collect();
        assert!(wrong.is_empty(), "{skill} lists {wrong:?}");
        let list: Vec<RelatedOut> = serde_json::from_value(found["related"].clone()).unwrap();
        let asking = ids(&found["requiredBy"], &["role", "id"]).len() as i32;
        for r in &list {
            assert!(r.score > 0.0 && r.score <= 1.0, "{skill} ~ {}", r.skill.id);
            assert!((1..=asking).contains(&r.roles), "{skill} ~ {}", r.skill.id);
        }
        assert!(list.windows(2).all(|w| w[0].score >= w[1].score));
    }
}

#[tokio::test]
async fn a_skill_every_seed_role_asks_for_comes_after_the_specific_ones() {
    let app = TestApp::spawn().await;
    // Every seed role asks for python and git; so each role asking for transformers does.
    let list = related(&app, "transformers", 100).await;
    let at = |id: &str| list.iter().position(|r| r.skill.id == id).unwrap();
    let python = &list[at("python")];
    assert_eq!(python.roles, list.iter().map(|r| r.roles).max().unwrap());
    assert!(
        list.iter()
            .filter(|r| r.roles == python.roles)
            .all(|r| r.score >= python.score),
        "python ranks last of the skills every transformers role asks for: {list:?}"
    );
    assert!(python.score < 0.1, "{list:?}");
    let two = related(&app, "transformers", 2).await;
    assert_eq!(
        two.iter().map(|r| &r.skill.id).collect::<Vec<_>>(),
        list.iter().take(2).map(|r| &r.skill.id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn first_is_bounded_by_max_page_and_must_not_be_negative() {
    let app = TestApp::spawn().await;
    let err = assert_error(
        &related_raw(&app, "pytorch", json!(101)).await,
        "LIMIT_EXCEEDED",
    );
    assert_eq!(err["extensions"]["limit"], "maxPage");
    assert_error(
        &related_raw(&app, "pytorch", json!(-1)).await,
        "INVALID_INPUT",
    );
    assert!(related(&app, "pytorch", 0).await.is_empty());
}

#[tokio::test]
async fn related_skills_on_the_esco_fixture_are_asked_together_by_occupations() {
    let app = TestApp::spawn_esco().await;
    let resp = app
        .query(
            "{ skills(first: 100) { nodes { id requiredBy { role { id } } } } }",
            json!({}),
        )
        .await;
    let asked: Vec<String> = data(&resp)["skills"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["requiredBy"].as_array().unwrap().is_empty())
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(asked.len() > 10, "{}", asked.len());
    let mut with_related = 0;
    for id in &asked {
        let list = related(&app, id, 5).await;
        with_related += usize::from(!list.is_empty());
        for r in &list {
            assert!(
                r.roles >= 1 && r.score > 0.0 && r.score <= 1.0,
                "{id} ~ {}",
                r.skill.id
            );
        }
    }
    assert!(
        with_related > asked.len() / 2,
        "{with_related} of {}",
        asked.len()
    );
}
