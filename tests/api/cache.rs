//! The response cache (`src/http/cache.rs`): repeated queries are answered from it, a write
//! makes every stored answer stale, admin and anonymous answers never mix, identical requests
//! in flight compute once, and a GET revalidates with its ETag.

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};
use skillgraph::http::ServerConfig;

use crate::helpers::{TestApp, data, test_config};

/// The response cache's counters from `/metrics`: (hits, misses).
async fn counters(app: &TestApp) -> (u64, u64) {
    let text = app.metrics().await;
    let read = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} is not in /metrics:\n{text}"))
    };
    (
        read("skillgraph_response_cache_hits_total "),
        read("skillgraph_response_cache_misses_total "),
    )
}

const HOURS: &str = r#"{ skill(id: "python") { hours } }"#;

#[tokio::test]
async fn a_repeated_query_is_answered_from_the_cache_with_the_same_bytes() {
    let app = TestApp::spawn().await;
    let send = || async {
        let r = app
            .client
            .post(app.url("/graphql"))
            .json(&json!({ "query": HOURS }))
            .send()
            .await
            .unwrap();
        let etag = r.headers().get(ETAG).cloned();
        (etag, r.text().await.unwrap())
    };
    let first = send().await;
    let second = send().await;
    assert_eq!(first, second);
    assert!(first.0.is_some(), "a cacheable answer carries an ETag");
    assert_eq!(counters(&app).await, (1, 1));
}

#[tokio::test]
async fn a_write_is_seen_by_the_next_query_at_once() {
    let app = TestApp::spawn().await;
    let hours = |r: &Value| data(r)["skill"]["hours"].as_i64().unwrap();
    let before = hours(&app.query(HOURS, json!({})).await);
    assert_eq!(hours(&app.query(HOURS, json!({})).await), before);

    let changed = app
        .admin(
            r#"mutation($h: Int!) { updateSkill(id: "python", input: { hours: $h }) { hours } }"#,
            json!({ "h": before + 7 }),
        )
        .await;
    assert_eq!(data(&changed)["updateSkill"]["hours"], before + 7);

    // Acknowledged, so the very next read must see it, not the stored answer.
    assert_eq!(hours(&app.query(HOURS, json!({})).await), before + 7);
    let (_, misses) = counters(&app).await;
    assert_eq!(
        misses, 2,
        "the answer was computed again at the new revision"
    );
}

#[tokio::test]
async fn an_anonymous_request_never_gets_an_answer_stored_for_an_admin() {
    let app = TestApp::spawn().await;
    let admin = app.admin(HOURS, json!({})).await;
    assert_eq!(counters(&app).await, (0, 1));
    let anonymous = app.query(HOURS, json!({})).await;
    assert_eq!(anonymous, admin, "this query answers the same to both");
    assert_eq!(
        counters(&app).await,
        (0, 2),
        "but the anonymous answer was computed, not taken from the admin's"
    );
    app.query(HOURS, json!({})).await;
    assert_eq!(counters(&app).await, (1, 2));
}

#[tokio::test]
async fn identical_requests_in_flight_are_computed_once() {
    let app = TestApp::spawn().await;
    // A plan big enough to take a while, asked by 32 clients at once.
    let query = r#"{ learningPath(to: {roles: ["ai-engineer", "ml-engineer", "mlops-engineer"]}) {
        steps { position skill { id name } because { id } chain { id } } } }"#;
    let asks = (0..32).map(|_| app.query(query, json!({})));
    let answers = futures_util::future::join_all(asks).await;
    assert!(answers.windows(2).all(|w| w[0] == w[1]));
    assert!(
        data(&answers[0])["learningPath"]["steps"]
            .as_array()
            .unwrap()
            .len()
            > 10
    );
    assert_eq!(counters(&app).await, (31, 1));
}

#[tokio::test]
async fn a_get_with_a_matching_etag_is_answered_304_without_a_body() {
    let app = TestApp::spawn().await;
    let get = |etag: Option<String>| {
        let mut request = app
            .client
            .get(app.url("/graphql"))
            .query(&[("query", HOURS)]);
        if let Some(tag) = etag {
            request = request.header(IF_NONE_MATCH, tag);
        }
        request.send()
    };
    let first = get(None).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();

    let again = get(Some(etag.clone())).await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[ETAG].to_str().unwrap(), etag);
    assert!(again.text().await.unwrap().is_empty());

    // After a write the tag is stale: the new answer comes whole, with a new tag.
    app.admin(
        r#"mutation { updateSkill(id: "python", input: { hours: 99 }) { id } }"#,
        json!({}),
    )
    .await;
    let changed = get(Some(etag.clone())).await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()[ETAG].to_str().unwrap(), etag);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(data(&body)["skill"]["hours"], 99);
}

#[tokio::test]
async fn mutations_and_answers_with_errors_are_never_stored() {
    let app = TestApp::spawn().await;
    let bad = r#"{ skill(id: "Not A Slug") { id } }"#;
    app.query(bad, json!({})).await;
    app.query(bad, json!({})).await;
    let rename = r#"mutation { updateSkill(id: "python", input: { hours: 61 }) { hours } }"#;
    for _ in 0..2 {
        let r = app.admin(rename, json!({})).await;
        assert_eq!(data(&r)["updateSkill"]["hours"], 61);
    }
    // Both errors were computed (each a miss, none stored); mutations do not count at all.
    assert_eq!(counters(&app).await, (0, 2));
}

#[tokio::test]
async fn with_the_cache_off_every_query_is_computed() {
    let app = TestApp::spawn_with(ServerConfig {
        response_cache_bytes: 0,
        ..test_config()
    })
    .await;
    let r = app.query(HOURS, json!({})).await;
    assert!(data(&r)["skill"]["hours"].is_i64());
    assert_eq!(counters(&app).await, (0, 0));
}

#[tokio::test]
async fn only_a_get_revalidates_a_post_with_the_etag_gets_the_answer() {
    let app = TestApp::spawn().await;
    let post = |etag: Option<String>| {
        let mut request = app
            .client
            .post(app.url("/graphql"))
            .json(&json!({ "query": HOURS }));
        if let Some(tag) = etag {
            request = request.header(IF_NONE_MATCH, tag);
        }
        request.send()
    };
    let first = post(None).await.unwrap();
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
    let again = post(Some(etag)).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let body: Value = again.json().await.unwrap();
    assert!(data(&body)["skill"]["hours"].is_i64());
}

#[tokio::test]
async fn an_anonymous_get_answer_is_public_and_an_admins_or_a_pinned_one_is_not_stored() {
    use reqwest::header::CACHE_CONTROL;
    let app = TestApp::spawn().await;
    let get = |query: &'static str, headers: Vec<(&'static str, String)>| {
        let mut request = app
            .client
            .get(app.url("/graphql"))
            .query(&[("query", query)]);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let control = |r: &reqwest::Response| {
        r.headers()
            .get(CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    // Anonymous and successful: public, revalidated with the ETag by default.
    let public = get(HOURS, vec![]).await.unwrap();
    assert_eq!(control(&public).as_deref(), Some("public, no-cache"));
    assert!(public.headers().contains_key(ETAG));
    // An admin's answer, one that waited for a revision, and an error are never stored.
    let token = format!("Bearer {}", crate::helpers::ADMIN_TOKEN);
    let admin = get(HOURS, vec![("authorization", token)]).await.unwrap();
    assert_eq!(control(&admin).as_deref(), Some("no-store"));
    let pinned = get(HOURS, vec![("skillgraph-min-revision", "1".into())])
        .await
        .unwrap();
    assert_eq!(control(&pinned).as_deref(), Some("no-store"));
    let error = get("{ skill(id: \"NOT A SLUG\") { id } }", vec![])
        .await
        .unwrap();
    assert_eq!(control(&error).as_deref(), Some("no-store"));
    // POST answers carry none: a CDN does not store them.
    let post = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": HOURS }))
        .send()
        .await
        .unwrap();
    assert!(control(&post).is_none());

    // A deployment that accepts staleness sets a max-age.
    let cached = TestApp::spawn_with(ServerConfig {
        public_max_age: std::time::Duration::from_secs(60),
        ..test_config()
    })
    .await;
    let answer = cached
        .client
        .get(cached.url("/graphql"))
        .query(&[("query", HOURS)])
        .send()
        .await
        .unwrap();
    assert_eq!(control(&answer).as_deref(), Some("public, max-age=60"));
}
