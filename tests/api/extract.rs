//! Skills from text (`extractSkills`, `ProfileInput.text`): mentions found on the real ESCO
//! fixture with their character offsets, the text limit, and profiles read from a CV or an
//! ad, checked against what the API says of the same skills listed explicitly.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data, field, test_config};

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct MentionOut {
    skill: Ref,
    matched: String,
    start: usize,
    end: usize,
    count: u32,
    score: f64,
}

async fn extract(app: &TestApp, text: &str, first: Value) -> Value {
    app.query(
        "query($text: String!, $first: Int) {
            extractSkills(text: $text, first: $first) {
                skill { id name } matched start end count score } }",
        json!({ "text": text, "first": first }),
    )
    .await
}

async fn mentions(app: &TestApp, text: &str) -> Vec<MentionOut> {
    field(&extract(app, text, Value::Null).await, "extractSkills")
}

/// An ad written from labels of the ESCO fixture, with accents and dashes before them so that
/// character and byte offsets differ.
const ESCO_AD: &str = "Data engineer — Zürich. We use Haskell and Erlang for our services, \
Apache Maven for builds\nand Drupal for the public site. You will migrate existing data, \
normalise data and do web\nanalytics; business intelligence and Agile project management \
experience are welcome. Java\n(Java!) and Common Lisp are a plus. In our team, r and c are \
letters.";

#[tokio::test]
async fn extraction_on_esco_text_finds_names_and_aliases_with_character_offsets() {
    let app = TestApp::spawn_esco().await;
    let found = mentions(&app, ESCO_AD).await;
    let by_name = |name: &str| {
        found
            .iter()
            .find(|m| m.skill.name == name)
            .unwrap_or_else(|| panic!("{name} not found in {found:#?}"))
    };
    let chars: Vec<char> = ESCO_AD.chars().collect();
    for m in &found {
        assert_eq!(
            chars[m.start..m.end].iter().collect::<String>(),
            m.matched,
            "offsets are characters"
        );
        assert!(m.score > 0.0, "{m:?}");
    }
    let haskell = by_name("Haskell");
    assert_eq!((haskell.start, haskell.end), (31, 38));
    assert_ne!(ESCO_AD.find("Haskell"), Some(31), "bytes would differ");
    assert_eq!(by_name("Apache Maven").matched, "Apache Maven");
    // Across a line break, as written.
    assert_eq!(by_name("web analytics").matched, "web\nanalytics");
    // An alias ("Java") of "Java (computer programming)", twice.
    let java = by_name("Java (computer programming)");
    assert_eq!((java.matched.as_str(), java.count), ("Java", 2));
    for name in [
        "Erlang",
        "Drupal",
        "migrate existing data",
        "normalise data",
        "business intelligence",
        "Agile project management",
        "Common Lisp",
    ] {
        by_name(name);
    }
    // "migrate existing data" is one mention, not also a mention of "data" there; lower-case
    // r and c are letters, not the languages R and C.
    assert!(
        found
            .iter()
            .all(|m| m.skill.name != "R" && m.skill.name != "C")
    );
    assert!(
        found
            .iter()
            .all(|m| !(m.start > 100 && m.matched.eq_ignore_ascii_case("data")))
    );
    // Best score first; the common one-word alias "data" (of statistics) last.
    assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    let last = found.last().unwrap();
    assert_eq!((last.matched.as_str(), last.start), ("Data", 0));
    let first: Vec<MentionOut> = field(&extract(&app, ESCO_AD, json!(3)).await, "extractSkills");
    assert_eq!(
        first.iter().map(|m| &m.skill.id).collect::<Vec<_>>(),
        found
            .iter()
            .take(3)
            .map(|m| &m.skill.id)
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn text_over_the_limit_is_refused_and_so_is_a_negative_first() {
    let app = TestApp::spawn_with(skillgraph::http::ServerConfig {
        limits: skillgraph::graphql::Limits {
            max_text_bytes: 100,
            ..Default::default()
        },
        ..test_config()
    })
    .await;
    let long = "Python ".repeat(20);
    let err = assert_error(&extract(&app, &long, Value::Null).await, "LIMIT_EXCEEDED");
    assert_eq!(err["extensions"]["limit"], "maxTextBytes");
    let gap = app
        .query(
            "query($t: String) { roleGap(from: {text: $t}, to: \"ml-engineer\") { hours } }",
            json!({ "t": long }),
        )
        .await;
    assert_error(&gap, "LIMIT_EXCEEDED");
    assert_error(&extract(&app, "Python", json!(-1)).await, "INVALID_INPUT");
    assert_eq!(mentions(&app, "Python").await.len(), 1);
    assert!(mentions(&app, "").await.is_empty());
}

/// A CV on the seed: skills it mentions, named and by alias.
const CV: &str = "Software engineer, 6 years. Python and SQL every day, Git, Docker; \
built a retrieval-augmented generation (RAG) prototype with large language models, \
some PyTorch and linear algebra at university.";

async fn gap(app: &TestApp, from: Value, role: &str) -> Value {
    let resp = app
        .query(
            "query($from: ProfileInput!, $to: ID!) { roleGap(from: $from, to: $to) {
                readiness hours
                satisfied { requirement { skill { id } } currentLevel }
                underLevel { requirement { skill { id } } currentLevel }
                missing { requirement { skill { id } } } } }",
            json!({ "from": from, "to": role }),
        )
        .await;
    data(&resp)["roleGap"].clone()
}

#[tokio::test]
async fn a_profile_read_from_a_cv_is_its_mentioned_skills_at_level_2_and_explicit_levels_win() {
    let app = TestApp::spawn().await;
    let found = mentions(&app, CV).await;
    assert!(found.len() >= 5, "{found:#?}");
    let at = |level: i32, except: &str| -> Vec<Value> {
        found
            .iter()
            .filter(|m| m.skill.id != except)
            .map(|m| json!({ "skill": m.skill.id, "level": level }))
            .collect()
    };
    let from_text = gap(&app, json!({ "text": CV }), "ml-engineer").await;
    let listed = gap(&app, json!({ "skills": at(2, "") }), "ml-engineer").await;
    assert_eq!(from_text, listed);
    assert!(from_text["readiness"].as_f64().unwrap() > 0.0);

    // An explicit level beats the text's.
    let mut skills = at(2, "python");
    skills.push(json!({ "skill": "python", "level": 5 }));
    let both = gap(
        &app,
        json!({ "text": CV, "skills": [{ "skill": "python", "level": 5 }] }),
        "ml-engineer",
    )
    .await;
    assert_eq!(
        both,
        gap(&app, json!({ "skills": skills }), "ml-engineer").await
    );

    // With a role, a skill counts at the higher of the role's level and the text's.
    let role_and_text = gap(
        &app,
        json!({ "text": CV, "role": "software-engineer" }),
        "ml-engineer",
    )
    .await;
    let role_and_list = gap(
        &app,
        json!({ "skills": at(2, ""), "role": "software-engineer" }),
        "ml-engineer",
    )
    .await;
    assert_eq!(role_and_text, role_and_list);
}

#[tokio::test]
async fn match_roles_by_overlap_on_a_job_ad_ranks_the_role_the_ad_describes_first() {
    let app = TestApp::spawn().await;
    // The ad lists the names of a role's requirements, as an ad would.
    let role = app
        .query(
            "{ role(id: \"mlops-engineer\") { requirements { skill { name } } } }",
            json!({}),
        )
        .await;
    let names: Vec<String> = data(&role)["role"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["skill"]["name"].as_str().unwrap().to_owned())
        .collect();
    let ad = format!(
        "We are hiring! You know {}. Competitive salary.",
        names.join(", ")
    );
    let ranked = |order: &'static str| {
        let app = &app;
        let ad = ad.clone();
        async move {
            let resp = app
                .query(
                    "query($ad: String, $order: RoleMatchOrder) {
                        matchRoles(profile: {text: $ad}, orderBy: $order, first: 3) {
                            role { id } readiness missingEssential } }",
                    json!({ "ad": ad, "order": order }),
                )
                .await;
            field::<Vec<Value>>(&resp, "matchRoles")
        }
    };
    // By overlap, the ad's role: every skill it names is one of the role's.
    let overlap = ranked("OVERLAP").await;
    assert_eq!(overlap[0]["role"]["id"], "mlops-engineer", "{overlap:?}");
    assert_eq!(overlap[0]["missingEssential"], 0);
    // By readiness (the ad's skills held at level 2), the ad's role is still among the top
    // three with nothing essential missing, but a role needing fewer of its skills at lower
    // levels can rank above it: readiness answers another question.
    let readiness = ranked("READINESS").await;
    let mlops = readiness
        .iter()
        .find(|m| m["role"]["id"] == "mlops-engineer")
        .unwrap_or_else(|| panic!("{readiness:?}"));
    assert_eq!(mlops["missingEssential"], 0);
}

#[tokio::test]
async fn min_score_keeps_unique_names_and_refuses_a_bound_outside_zero_to_one() {
    let app = crate::helpers::TestApp::spawn().await;
    let q = "query($t: String!, $m: Float) { extractSkills(text: $t, minScore: $m) { skill { id } score } }";
    let text = "We use Python and PyTorch; communication matters.";
    let all = app
        .query(q, serde_json::json!({ "t": text, "m": null }))
        .await;
    let all = crate::helpers::data(&all)["extractSkills"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        all.iter()
            .all(|m| (0.0..=1.0).contains(&m["score"].as_f64().unwrap()))
    );
    let kept = app
        .query(q, serde_json::json!({ "t": text, "m": 0.5 }))
        .await;
    let kept = crate::helpers::data(&kept)["extractSkills"]
        .as_array()
        .unwrap()
        .clone();
    assert!(!kept.is_empty() && kept.len() <= all.len());
    assert!(kept.iter().all(|m| m["score"].as_f64().unwrap() >= 0.5));
    for bad in [-0.1, 1.5] {
        let body = app
            .query(q, serde_json::json!({ "t": text, "m": bad }))
            .await;
        crate::helpers::assert_error(&body, "INVALID_INPUT");
    }
}
