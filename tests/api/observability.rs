//! What operators see: Prometheus metrics, request ids, and online backups.

use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp};

#[tokio::test]
async fn metrics_count_requests_by_operation_and_outcome_and_report_the_graph() {
    let app = TestApp::spawn().await;
    app.query("query Stats { stats { skills } }", json!({}))
        .await;
    app.query("query Stats { stats { skills } }", json!({}))
        .await;
    app.query(
        "query Broken { skill(id: \"Not A Slug\") { id } }",
        json!({}),
    )
    .await;

    let text = app.metrics().await;
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix} in\n{text}"))
            .to_owned()
    };
    assert!(
        line("skillgraph_graphql_requests_total{operation=\"Stats\",outcome=\"ok\"}")
            .ends_with(" 2")
    );
    assert!(
        line("skillgraph_graphql_requests_total{operation=\"Broken\",outcome=\"error\"}")
            .ends_with(" 1")
    );
    assert!(
        line("skillgraph_graphql_request_duration_seconds_count{operation=\"Stats\"}")
            .ends_with(" 2")
    );
    let skills: i64 = line("skillgraph_graph_skills ")
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(skills > 50);
    let bytes: u64 = line("skillgraph_db_size_bytes ")
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(bytes > 0);
    line("skillgraph_graph_revision ");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_given_one_is_kept() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": "{ stats { skills } }" });
    let generated = app
        .client
        .post(app.url("/graphql"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let given = app
        .client
        .post(app.url("/graphql"))
        .header("x-request-id", "support-ticket-42")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "support-ticket-42");
}

#[tokio::test]
async fn an_online_export_restores_into_a_fresh_database_as_the_same_graph() {
    let app = TestApp::spawn().await;
    app.create_skill("backup-check", "programming", 7).await;
    app.add_prerequisite("backup-check", "python").await;

    let refused = app.client.get(app.url("/export")).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);

    let export = app
        .client
        .get(app.url("/export"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status().as_u16(), 200);
    assert_eq!(export.headers()["content-type"], "application/toml");
    let text = export.text().await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.toml");
    std::fs::write(&file, &text).unwrap();
    let restored = skillgraph::catalog::Catalog::open(&dir.path().join("db")).unwrap();
    skillgraph::catalog::start::import_seed(&restored, &file).unwrap();
    let graph = restored.snapshot();
    assert_eq!(skillgraph::import::seed::export(&graph), text);
    assert!(graph.skill("backup-check").is_some());
    let stats = app.stats().await;
    assert_eq!(graph.stats().skills as i64, stats.skills);
}
