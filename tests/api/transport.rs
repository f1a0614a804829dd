//! GraphQL over HTTP as the spec and the module docs of `src/http.rs` describe it: POST and
//! GET, media types and status codes, batches, GraphiQL, health and readiness.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data, seeded_count};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_query_over_get_is_answered_with_json_data() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{stats{skills}}")])
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        data(&body)["stats"]["skills"].as_u64(),
        Some(seeded_count("skill") as u64)
    );
}

#[tokio::test]
async fn a_query_over_get_takes_variables_from_the_query_string() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[
            ("query", "query($id: ID!) { skill(id: $id) { name } }"),
            ("variables", r#"{"id":"python"}"#),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(data(&body)["skill"]["name"], "Python");
}

#[tokio::test]
async fn a_mutation_over_get_is_refused_with_405_and_allow_post_and_changes_nothing() {
    // Arrange: anonymous, and named (one named operation is not "several operations": it
    // runs without an operation name, so it must be refused too).
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    for mutation in [
        r#"mutation { deleteRole(id: "ai-engineer") }"#,
        r#"mutation m { deleteRole(id: "ai-engineer") }"#,
    ] {
        // Act
        let response = app
            .client
            .get(app.url("/graphql"))
            .query(&[("query", mutation)])
            .bearer_auth(crate::helpers::ADMIN_TOKEN)
            .send()
            .await
            .unwrap();

        // Assert
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{mutation}"
        );
        assert_eq!(
            response.headers().get(ALLOW).and_then(|v| v.to_str().ok()),
            Some("POST")
        );
        assert_eq!(app.stats().await, before, "{mutation} changed the graph");
    }
}

#[tokio::test]
async fn a_mutation_named_among_several_operations_over_get_never_runs() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let document =
        r#"query Read { stats { revision } } mutation Write { deleteRole(id: "ai-engineer") }"#;

    // Act
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", document), ("operationName", "Write")])
        .bearer_auth(crate::helpers::ADMIN_TOKEN)
        .send()
        .await
        .unwrap();

    // Assert
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body:#}");
    assert_eq!(app.stats().await, before);
    let role = app
        .query(r#"{ role(id: "ai-engineer") { id } }"#, json!({}))
        .await;
    assert_eq!(data(&role)["role"]["id"], "ai-engineer");
}

#[tokio::test]
async fn a_get_request_runs_the_operation_named_by_operation_name() {
    // Arrange
    let app = TestApp::spawn().await;
    let document = "query Stats { stats { revision } } query Levels { levels { level } }";

    // Act
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", document), ("operationName", "Levels")])
        .send()
        .await
        .unwrap();

    // Assert
    let body: Value = response.json().await.unwrap();
    assert_eq!(data(&body)["levels"].as_array().map(Vec::len), Some(5));
}

#[tokio::test]
async fn a_post_with_malformed_json_is_a_400() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"query": "{ stats { revision } }""#)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body:#}"
    );
}

#[tokio::test]
async fn a_post_that_is_not_json_is_a_415() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(CONTENT_TYPE, "text/plain")
        .body(r#"{"query": "{ stats { revision } }"}"#)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_post_with_a_charset_parameter_on_its_json_content_type_is_accepted() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(r#"{"query": "{ stats { revision } }"}"#)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_post_with_an_upper_case_json_content_type_is_accepted() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(CONTENT_TYPE, "Application/JSON")
        .body(r#"{"query": "{ stats { revision } }"}"#)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_client_accepting_graphql_response_json_gets_that_content_type() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(ACCEPT, GRAPHQL_RESPONSE)
        .json(&json!({ "query": "{ stats { revision } }" }))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), GRAPHQL_RESPONSE);
    let body: Value = response.json().await.unwrap();
    assert!(data(&body)["stats"]["revision"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn a_syntax_error_is_a_400_for_graphql_response_json_clients() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(ACCEPT, GRAPHQL_RESPONSE)
        .json(&json!({ "query": "{ stats { revision " }))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(content_type(&response), GRAPHQL_RESPONSE);
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()));
}

#[tokio::test]
async fn a_syntax_error_is_a_200_with_errors_for_plain_json_clients() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(ACCEPT, "application/json")
        .json(&json!({ "query": "{ stats { revision " }))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()));
    assert!(body["data"].is_null());
}

#[tokio::test]
async fn a_validation_error_is_a_400_for_graphql_response_json_clients() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(ACCEPT, GRAPHQL_RESPONSE)
        .json(&json!({ "query": "{ stats { noSuchField } }" }))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_field_error_is_still_a_200_for_graphql_response_json_clients() {
    // Arrange: the request executes; one field fails.
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(ACCEPT, GRAPHQL_RESPONSE)
        .json(&json!({ "query": r#"{ stats { revision } skill(id: "Not A Slug") { id } }"# }))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_error(&body, "INVALID_INPUT");
    assert!(body["data"]["stats"]["revision"].as_i64().is_some());
}

#[tokio::test]
async fn the_root_serves_graphiql() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app.client.get(app.url("/")).send().await.unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.to_lowercase().contains("graphiql"));
    assert!(
        html.contains("/graphql/ws"),
        "the subscription endpoint is wired in"
    );
}

#[tokio::test]
async fn health_answers_ok() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app.client.get(app.url("/health")).send().await.unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn ready_reports_the_current_revision_as_json() {
    // Arrange
    let app = TestApp::spawn().await;
    app.create_skill("lock-picking", "soft-skills", 3).await;
    let revision = app.revision().await;

    // Act
    let response = app.client.get(app.url("/ready")).send().await.unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({ "status": "ready", "revision": revision }));
}

#[tokio::test]
async fn a_batch_of_two_queries_gets_an_array_of_two_responses_in_order() {
    // Arrange
    let app = TestApp::spawn_batching().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!([
            { "query": "{ stats { revision skills } }" },
            { "query": "query($id: ID!) { skill(id: $id) { id } }", "variables": { "id": "rag" } },
        ]))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let responses = body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {body:#}"));
    assert_eq!(responses.len(), 2);
    assert_eq!(
        data(&responses[0])["stats"]["skills"].as_u64(),
        Some(seeded_count("skill") as u64)
    );
    assert_eq!(data(&responses[1])["skill"]["id"], "rag");
}

#[tokio::test]
async fn a_batched_mutation_needs_the_token_too() {
    // Arrange
    let app = TestApp::spawn_batching().await;
    let before = app.stats().await;

    // Act
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!([
            { "query": "{ stats { revision } }" },
            { "query": r#"mutation { deleteRole(id: "ai-engineer") }"# },
        ]))
        .send()
        .await
        .unwrap();

    // Assert
    let body: Value = response.json().await.unwrap();
    assert_error(&body[1], "UNAUTHENTICATED");
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn an_unknown_path_is_a_404() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app.client.get(app.url("/nope")).send().await.unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn batching_is_off_by_default_and_says_how_to_turn_it_on() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!([{ "query": "{ stats { skills } }" }, { "query": "{ stats { roles } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "LIMIT_EXCEEDED");
    assert_eq!(error["extensions"]["limit"], "maxBatch");
    assert!(
        error["message"].as_str().unwrap().contains("--max-batch"),
        "{body}"
    );
    // One operation per request is unaffected.
    let one = app.query("{ stats { skills } }", json!({})).await;
    assert!(one.get("errors").is_none(), "{one}");
}
