//! `normalizeTitles` and `roles(query:)` read as job titles: on the ESCO fixture (real
//! occupations and their labels) and on the seed, with the recruiter's flow title → role →
//! gap for a CV.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data};

const NORMALIZE: &str = "query($t: [String!]!, $min: Float) { normalizeTitles(titles: $t, \
    minConfidence: $min) { title role { id name } confidence matchedLabel \
    alternatives { role { name } confidence matchedLabel } } }";

async fn normalize(app: &TestApp, titles: &[&str], min: Option<f64>) -> Vec<Value> {
    let body = app
        .query(NORMALIZE, json!({ "t": titles, "min": min }))
        .await;
    data(&body)["normalizeTitles"]
        .as_array()
        .expect("a list")
        .clone()
}

#[tokio::test]
async fn ad_titles_name_esco_occupations_with_a_confidence_and_the_label_that_matched() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let found = normalize(
        &app,
        &[
            "Java Developer (m/w/d)",
            "Sr. Bookkeeper",
            "HGV Driver",
            "Frontend Developer - Berlin",
            "Registered Nurse",
            "Head Chef",
        ],
        None,
    )
    .await;

    // Assert: one answer per title, in order.
    let names: Vec<&str> = found
        .iter()
        .map(|m| m["role"]["name"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        names,
        [
            "software developer",
            "bookkeeper",
            "cargo vehicle driver",
            "user interface developer",
            "nurse responsible for general care",
            "head chef",
        ]
    );
    assert_eq!(found[1]["confidence"], 1.0, "seniority set aside");
    assert_eq!(found[2]["matchedLabel"], "HGV driver");
    assert_eq!(found[3]["matchedLabel"], "front end developer");
    assert_eq!(
        found[0]["confidence"], 0.5,
        "one word of two: {:?}",
        found[0]
    );
    assert!(
        found[5]["alternatives"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["role"]["name"] == "chef"),
        "the chef is an alternative, below the head chef: {:?}",
        found[5]
    );
}

#[tokio::test]
async fn below_min_confidence_the_role_is_null_and_the_alternatives_remain() {
    let app = TestApp::spawn_esco().await;

    let strict = normalize(&app, &["Java Developer"], Some(0.9)).await;
    let none = normalize(&app, &["Astronaut"], None).await;

    assert!(strict[0]["role"].is_null());
    assert!(strict[0]["matchedLabel"].is_null());
    assert_eq!(
        strict[0]["alternatives"][0]["role"]["name"],
        "software developer"
    );
    assert!(none[0]["role"].is_null());
    assert_eq!(none[0]["confidence"], 0.0);
    assert_eq!(none[0]["alternatives"], json!([]));
}

#[tokio::test]
async fn roles_search_reads_titles_and_head_still_suggests() {
    let app = TestApp::spawn_esco().await;
    let roles = |q: &'static str| {
        let app = &app;
        async move {
            let body = app
                .query(
                    "query($q: String) { roles(query: $q, first: 5) { nodes { name } } }",
                    json!({ "q": q }),
                )
                .await;
            data(&body)["roles"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };

    let ad = roles("Sr. Bookkeeper (m/w/d) - London").await;
    let head = roles("head").await;

    assert_eq!(ad.first().map(String::as_str), Some("bookkeeper"));
    assert!(head.iter().any(|n| n == "head chef"), "{head:?}");
}

#[tokio::test]
async fn a_recruiter_goes_from_a_title_to_the_role_and_a_cv_s_gap() {
    // The seed: the titles job ads use are its roles' aliases.
    let app = TestApp::spawn().await;

    let found = normalize(&app, &["Senior ML Engineer (m/f/d) - Remote"], None).await;
    let role = found[0]["role"]["id"].as_str().expect("a role").to_owned();
    let gap = app
        .query(
            "query($to: ID!, $cv: String) { roleGap(from: {text: $cv}, to: $to) { role { id } \
             missing { requirement { skill { id } } } } }",
            json!({ "to": role, "cv": "Five years of Python and SQL; Docker in production." }),
        )
        .await;

    assert_eq!(role, "ml-engineer");
    assert_eq!(found[0]["matchedLabel"], "ML engineer");
    let gap = &data(&gap)["roleGap"];
    assert_eq!(gap["role"]["id"], "ml-engineer");
    let missing: Vec<&str> = gap["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["requirement"]["skill"]["id"].as_str().unwrap())
        .collect();
    assert!(
        !missing.contains(&"python") && !missing.is_empty(),
        "{missing:?}"
    );
}

#[tokio::test]
async fn too_many_titles_and_a_confidence_outside_0_to_1_are_refused() {
    let app = TestApp::spawn().await;
    let many: Vec<String> = (0..501).map(|i| format!("engineer {i}")).collect();

    let over = app.query(NORMALIZE, json!({ "t": many })).await;
    let high = app
        .query(NORMALIZE, json!({ "t": ["ML engineer"], "min": 1.5 }))
        .await;
    let negative = app
        .query(NORMALIZE, json!({ "t": ["ML engineer"], "min": -0.1 }))
        .await;
    let empty = normalize(&app, &[], None).await;

    let err = assert_error(&over, "LIMIT_EXCEEDED");
    assert_eq!(err["extensions"]["limit"], "maxTitles");
    assert_error(&high, "INVALID_INPUT");
    assert_error(&negative, "INVALID_INPUT");
    assert!(empty.is_empty());
}

async fn match_overlap(app: &TestApp, text: &str, title: Option<&str>) -> Vec<String> {
    let body = app
        .query(
            "query($text: String, $title: String) { matchRoles(profile: {text: $text}, \
             orderBy: OVERLAP, first: 3, title: $title) { role { id } } }",
            json!({ "text": text, "title": title }),
        )
        .await;
    data(&body)["matchRoles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_job_ads_title_steers_match_roles_by_overlap() {
    let app = TestApp::spawn().await;
    let skills = "You will work with Python, SQL, statistics, probability and machine learning.";

    let untitled = match_overlap(&app, skills, None).await;
    let titled = match_overlap(&app, skills, Some("Data Engineer (m/w/d)")).await;
    let first_line = match_overlap(
        &app,
        &format!("Senior Data Engineer - Berlin\n\n{skills}"),
        None,
    )
    .await;

    assert_ne!(untitled[0], "data-engineer", "{untitled:?}");
    assert_eq!(titled[0], "data-engineer", "{titled:?}");
    assert_eq!(titled.len(), 3);
    assert_eq!(first_line[0], "data-engineer", "{first_line:?}");
}
