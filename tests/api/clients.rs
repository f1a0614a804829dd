//! What real GraphQL clients and scanners meet (issue "clients first"): shared documents with
//! several operations, errors shaped as the spec and Apollo expect, persisted queries and
//! trusted documents, and the limits a security scanner probes. WebSocket authentication is in
//! `subscriptions.rs`.

use reqwest::StatusCode;
use serde_json::{Value, json};
use skillgraph::config::TrustedDocuments;
use skillgraph::http::ServerConfig;

use crate::helpers::{ADMIN_TOKEN, TestApp, data, test_config};

const MODERN: &str = "application/graphql-response+json";

/// POSTs a raw JSON body; returns the status and the JSON answer.
async fn post(app: &TestApp, body: Value, accept: Option<&str>) -> (StatusCode, Value) {
    let mut request = app.client.post(app.url("/graphql")).json(&body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

async fn get(app: &TestApp, params: &[(&str, &str)], token: Option<&str>) -> (StatusCode, Value) {
    let mut request = app.client.get(app.url("/graphql")).query(params);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn code(body: &Value) -> Option<&str> {
    body.pointer("/errors/0/extensions/code")
        .and_then(Value::as_str)
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const SHARED: &str = r#"query A { stats { skills } }
query B($n: Int!) { skills(first: $n) { edges { node { id } } } }
fragment Unused on Skill { id }"#;

#[tokio::test]
async fn a_document_of_several_operations_runs_the_selected_one_with_only_its_variables() {
    let app = TestApp::spawn().await;
    let shared = SHARED.replace("fragment Unused on Skill { id }", "");

    let (status, a) = post(&app, json!({ "query": shared, "operationName": "A" }), None).await;
    assert_eq!(status, 200);
    assert!(a.get("errors").is_none(), "{a:#}");
    assert!(data(&a)["stats"]["skills"].as_i64().unwrap() > 0);

    let (_, b) = post(
        &app,
        json!({ "query": shared, "operationName": "B", "variables": { "n": 2 } }),
        None,
    )
    .await;
    assert_eq!(
        data(&b)["skills"]["edges"].as_array().unwrap().len(),
        2,
        "{b:#}"
    );

    // Over GET too (GraphiQL tabs, CDN-cached shared documents).
    let (status, a) = get(&app, &[("query", &shared), ("operationName", "A")], None).await;
    assert_eq!(status, 200, "{a:#}");
    assert!(a.get("errors").is_none(), "{a:#}");

    // Without a name the document is ambiguous, and the error says what to do.
    let (_, none) = post(&app, json!({ "query": shared }), None).await;
    assert_eq!(code(&none), Some("GRAPHQL_VALIDATION_FAILED"), "{none:#}");
    assert!(none.get("data").is_none(), "{none:#}");
}

#[tokio::test]
async fn a_fragment_used_only_by_another_operation_does_not_fail_the_selected_one() {
    let app = TestApp::spawn().await;
    let document = r#"query A { stats { skills } }
        query B { skill(id: "rag") { ...Names } }
        fragment Names on Skill { id name }"#;
    let (_, a) = post(
        &app,
        json!({ "query": document, "operationName": "A" }),
        None,
    )
    .await;
    assert!(a.get("errors").is_none(), "{a:#}");
    let (_, b) = post(
        &app,
        json!({ "query": document, "operationName": "B" }),
        None,
    )
    .await;
    assert_eq!(
        data(&b)["skill"]["name"],
        "Retrieval-augmented generation (RAG)",
        "{b:#}"
    );
}

#[tokio::test]
async fn a_nullable_field_that_fails_is_null_in_data_with_its_error() {
    let app = TestApp::spawn().await;
    let (_, body) = post(
        &app,
        json!({ "query": r#"{ skill(id: "Not An Id!") { id } stats { skills } }"# }),
        None,
    )
    .await;
    let data = body["data"].as_object().expect("data is an object");
    assert!(
        data.contains_key("skill"),
        "skill is missing from data: {body:#}"
    );
    assert!(data["skill"].is_null(), "{body:#}");
    assert!(data["stats"]["skills"].as_i64().unwrap() > 0);
    assert_eq!(code(&body), Some("INVALID_INPUT"));
    assert_eq!(body["errors"][0]["path"], json!(["skill"]));

    // Alone, too: data is an object holding the null, not null itself.
    let (_, alone) = post(
        &app,
        json!({ "query": r#"{ s: skill(id: "Not An Id!") { id } }"# }),
        None,
    )
    .await;
    assert_eq!(alone["data"], json!({ "s": null }), "{alone:#}");
}

#[tokio::test]
async fn a_non_null_field_that_fails_takes_its_nearest_nullable_parent_to_null() {
    let app = TestApp::spawn().await;
    // `roleGap` is non-null at the root: all of data goes.
    let (_, body) = post(
        &app,
        json!({ "query": r#"{ stats { skills } roleGap(from: {skills: []}, to: "nope") { readiness } }"# }),
        None,
    )
    .await;
    assert!(body["data"].is_null(), "{body:#}");
    assert!(
        body.as_object().unwrap().contains_key("data"),
        "executed, so data is present"
    );
    assert_eq!(code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn messages_show_ids_as_written_not_as_rust_debug_output() {
    let app = TestApp::spawn().await;
    let body = app
        .query(
            r#"{ roleGap(from: {skills: []}, to: "nope") { readiness } }"#,
            json!({}),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert_eq!(message, r#"no role with id "nope""#);
    let body = app
        .admin(
            r#"mutation { removePrerequisite(skill: "rag", requires: "nope-x") { id } }"#,
            json!({}),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains("SkillId("), "{message}");
}

#[tokio::test]
async fn a_parse_failure_is_one_line_with_its_position_coded_and_without_data() {
    let app = TestApp::spawn().await;
    let (status, body) = post(
        &app,
        json!({ "query": "{ stats { skills }\n  skill(id: ) { id } }" }),
        Some(MODERN),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.get("data").is_none(), "{body:#}");
    assert_eq!(code(&body), Some("GRAPHQL_PARSE_FAILED"), "{body:#}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains('\n'), "{message}");
    assert!(message.starts_with("syntax error at 2:13: "), "{message}");
    assert_eq!(
        body["errors"][0]["locations"],
        json!([{ "line": 2, "column": 13 }])
    );

    // Legacy JSON clients get a 200, and no data entry either.
    let (status, body) = post(&app, json!({ "query": "{ stats {" }), None).await;
    assert_eq!(status, 200);
    assert!(body.get("data").is_none(), "{body:#}");
}

#[tokio::test]
async fn a_validation_failure_is_coded_apart_from_domain_input_errors_and_has_no_data() {
    let app = TestApp::spawn().await;
    for query in [
        "{ stats { nope } }",
        "query($n: Int!) { skills(first: $n) { edges { cursor } } }",
        r#"{ skill(id: true) { id } }"#,
    ] {
        let (status, body) = post(&app, json!({ "query": query }), Some(MODERN)).await;
        assert_eq!(status, 400, "{query}: {body:#}");
        assert!(body.get("data").is_none(), "{query}: {body:#}");
        assert_eq!(
            code(&body),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "{query}: {body:#}"
        );
    }
    // A value our domain rejects stays INVALID_INPUT.
    let (_, body) = post(
        &app,
        json!({ "query": r#"{ skill(id: "Bad Id") { id } }"# }),
        None,
    )
    .await;
    assert_eq!(code(&body), Some("INVALID_INPUT"), "{body:#}");
}

/// `category { parent { parent … } }` nested `depth` fields deep under `skill`.
fn nested(depth: usize) -> String {
    let mut selection = String::from("id");
    for _ in 0..depth.saturating_sub(3) {
        selection = format!("parent {{ {selection} }}");
    }
    format!(r#"{{ skill(id: "rag") {{ category {{ {selection} }} }} }}"#)
}

#[tokio::test]
async fn the_configured_depth_governs_and_deeper_than_the_parser_is_a_limit_too() {
    let app = TestApp::spawn_with(ServerConfig {
        limits: skillgraph::graphql::Limits {
            max_depth: 20,
            ..Default::default()
        },
        ..test_config()
    })
    .await;
    let (_, ok) = post(&app, json!({ "query": nested(19) }), None).await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    for depth in [21, 40, 200] {
        let (_, body) = post(&app, json!({ "query": nested(depth) }), None).await;
        assert_eq!(code(&body), Some("LIMIT_EXCEEDED"), "{depth}: {body:#}");
        assert_eq!(
            body["errors"][0]["extensions"]["limit"], "maxDepth",
            "{body:#}"
        );
        assert_eq!(body["errors"][0]["extensions"]["max"], 20, "{body:#}");
    }
}

#[tokio::test]
async fn automatic_persisted_queries_fall_back_register_and_then_run_by_hash_over_get() {
    let app = TestApp::spawn().await;
    let query = "{ stats { skills } }";
    let hash = sha256(query);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });

    // The hash alone, first: not found, with the code Apollo's link retries on.
    let (_, first) = post(&app, json!({ "extensions": extensions }), None).await;
    assert_eq!(code(&first), Some("PERSISTED_QUERY_NOT_FOUND"), "{first:#}");
    assert_eq!(first["errors"][0]["message"], "PersistedQueryNotFound");

    // The retry with the document registers it.
    let (_, second) = post(
        &app,
        json!({ "query": query, "extensions": extensions }),
        None,
    )
    .await;
    assert!(second.get("errors").is_none(), "{second:#}");

    // From then on the hash is enough, over GET as Apollo's `useGETForHashedQueries` sends it.
    let ext = extensions.to_string();
    let (status, third) = get(&app, &[("extensions", &ext)], None).await;
    assert_eq!(status, 200, "{third:#}");
    assert_eq!(third["data"], second["data"]);

    // A hash that is not the document's is refused.
    let wrong = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256("{ other }") } });
    let (_, mismatch) = post(&app, json!({ "query": query, "extensions": wrong }), None).await;
    assert_eq!(code(&mismatch), Some("INVALID_INPUT"), "{mismatch:#}");
}

#[tokio::test]
async fn a_persisted_mutation_sent_by_hash_over_get_is_refused_before_it_runs() {
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let mutation = r#"mutation Drop { deleteRole(id: "ai-engineer") }"#;
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(mutation) } });
    // Registered by a POST that fails its auth (so nothing runs), it is now known by hash.
    let (_, registered) = post(
        &app,
        json!({ "query": mutation, "extensions": extensions }),
        None,
    )
    .await;
    assert_eq!(code(&registered), Some("UNAUTHENTICATED"), "{registered:#}");
    let ext = extensions.to_string();
    let (status, body) = get(&app, &[("extensions", &ext)], Some(ADMIN_TOKEN)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body:#}");
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn with_trusted_documents_only_those_documents_run() {
    let trusted = "query Count { stats { skills } }";
    let manifest = json!({
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{ "id": sha256(trusted), "name": "Count", "type": "query", "body": trusted }]
    });
    let documents = TrustedDocuments::from_json(&manifest.to_string()).unwrap();
    let app = TestApp::spawn_with(ServerConfig {
        trusted_documents: Some(documents),
        ..test_config()
    })
    .await;

    let (_, by_text) = post(&app, json!({ "query": trusted }), None).await;
    assert!(by_text.get("errors").is_none(), "{by_text:#}");
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(trusted) } });
    let (_, by_hash) = post(&app, json!({ "extensions": extensions }), None).await;
    assert_eq!(by_hash["data"], by_text["data"]);

    let (status, other) = post(
        &app,
        json!({ "query": "{ stats { roles } }" }),
        Some(MODERN),
    )
    .await;
    assert_eq!(code(&other), Some("DOCUMENT_NOT_TRUSTED"), "{other:#}");
    assert_eq!(status, 400);
    let unknown = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256("{ x }") } });
    let (_, unknown) = post(&app, json!({ "extensions": unknown }), None).await;
    assert_eq!(
        code(&unknown),
        Some("PERSISTED_QUERY_NOT_FOUND"),
        "{unknown:#}"
    );
}

#[tokio::test]
async fn aliases_tokens_and_directives_have_limits_that_name_themselves() {
    let app = TestApp::spawn().await;
    let aliases = |n: usize| -> String {
        let fields: String = (0..n)
            .map(|i| format!("a{i}: stats {{ skills }} "))
            .collect();
        format!("{{ {fields} }}")
    };
    let (_, ok) = post(&app, json!({ "query": aliases(30) }), None).await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    let cases = [
        (aliases(31), "maxAliases"),
        // Aliases in a fragment count at every spread of it.
        (
            format!(
                "{{ ...F ...F }} fragment F on Query {{ {} }}",
                (0..20)
                    .map(|i| format!("a{i}: stats {{ skills }} "))
                    .collect::<String>()
            ),
            "maxAliases",
        ),
        (
            format!("{{ {} }}", "stats { skills } ".repeat(1_300)),
            "maxTokens",
        ),
        (
            format!(
                "{{ stats {{ {} }} }}",
                "skills @include(if: true) ".repeat(51)
            ),
            "maxDirectives",
        ),
    ];
    for (query, limit) in cases {
        let (_, body) = post(&app, json!({ "query": query }), None).await;
        assert_eq!(code(&body), Some("LIMIT_EXCEEDED"), "{limit}: {body:#}");
        assert_eq!(body["errors"][0]["extensions"]["limit"], limit, "{body:#}");
        assert!(body.get("data").is_none(), "{body:#}");
    }
}

/// GraphiQL's and graphql-js's `getIntrospectionQuery()`: what every tool sends first.
const INTROSPECTION: &str = r#"query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}"#;

#[tokio::test]
async fn introspection_counts_in_complexity_so_tools_fit_and_fan_outs_do_not() {
    let app = TestApp::spawn().await;
    let (_, full) = post(&app, json!({ "query": INTROSPECTION }), None).await;
    assert!(full.get("errors").is_none(), "{:#}", full["errors"]);
    assert!(full["data"]["__schema"]["types"].as_array().unwrap().len() > 20);

    let fan_out = "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }";
    let (_, body) = post(&app, json!({ "query": fan_out }), None).await;
    assert_eq!(code(&body), Some("LIMIT_EXCEEDED"), "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "maxComplexity");
}

#[tokio::test]
async fn without_introspection_validation_errors_suggest_no_field_names() {
    let open = TestApp::spawn().await;
    let (_, body) = post(&open, json!({ "query": "{ stats { skils } }" }), None).await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("Did you mean"), "{message}");

    let closed = TestApp::spawn_with(ServerConfig {
        introspection: false,
        ..test_config()
    })
    .await;
    let (_, body) = post(&closed, json!({ "query": "{ stats { skils } }" }), None).await;
    assert_eq!(code(&body), Some("GRAPHQL_VALIDATION_FAILED"));
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains("Did you mean"), "{message}");
}

#[tokio::test]
async fn deeply_nested_argument_values_are_refused_and_the_server_stays_up() {
    let app = TestApp::spawn().await;
    // 2,200 levels of `[` crashed the process (a stack overflow in the parser) before.
    let deep = format!(
        r#"{{ skill(id: {}"rag"{}) {{ id }} }}"#,
        "[".repeat(2_200),
        "]".repeat(2_200)
    );
    let (_, body) = post(&app, json!({ "query": deep }), None).await;
    assert_eq!(code(&body), Some("LIMIT_EXCEEDED"), "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "maxValueDepth");
    let alive = app.query("{ stats { skills } }", json!({})).await;
    assert!(alive["data"]["stats"]["skills"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn an_inline_fragment_adds_no_level_to_the_depth() {
    let app = TestApp::spawn_with(ServerConfig {
        limits: skillgraph::graphql::Limits {
            max_depth: 3,
            ..Default::default()
        },
        ..test_config()
    })
    .await;
    for query in [
        "{ skills(first: 1) { edges { ... on SkillEdge { cursor } } } }",
        "{ skills(first: 1) { edges { ...E } } } fragment E on SkillEdge { cursor }",
    ] {
        let (_, body) = post(&app, json!({ "query": query }), None).await;
        assert!(body.get("errors").is_none(), "{query}: {body:#}");
    }
}

#[tokio::test]
async fn without_introspection_asking_for_the_schema_is_an_error_not_a_null() {
    let app = TestApp::spawn_with(ServerConfig {
        introspection: false,
        ..test_config()
    })
    .await;
    for query in [
        "{ __schema { queryType { name } } }",
        r#"{ __type(name: "Skill") { name } }"#,
        "{ ...F } fragment F on Query { __schema { types { name } } }",
    ] {
        let (status, body) = post(&app, json!({ "query": query }), Some(MODERN)).await;
        assert_eq!(status, 400, "{query}: {body:#}");
        assert!(body.get("data").is_none(), "{query}: {body:#}");
        assert_eq!(
            code(&body),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "{query}: {body:#}"
        );
    }
    let (_, typename) = post(&app, json!({ "query": "{ __typename }" }), None).await;
    assert_eq!(typename["data"]["__typename"], "Query");
}

#[tokio::test]
async fn a_subscription_over_http_or_a_request_without_a_document_says_what_to_do() {
    let app = TestApp::spawn().await;
    let (_, body) = post(
        &app,
        json!({ "query": "subscription { graphChanged { revision } }" }),
        None,
    )
    .await;
    assert_eq!(code(&body), Some("GRAPHQL_VALIDATION_FAILED"), "{body:#}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("/graphql/ws")
    );
    let (_, body) = post(&app, json!({ "qeury": "{ __typename }" }), None).await;
    assert_eq!(code(&body), Some("GRAPHQL_PARSE_FAILED"), "{body:#}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no document"),
        "{body:#}"
    );
}

#[tokio::test]
async fn client_chosen_operation_names_cannot_grow_the_metrics_without_bound() {
    let app = TestApp::spawn().await;
    for i in 0..260 {
        let _ = post(
            &app,
            json!({ "query": format!("query Op{i} {{ __typename }}") }),
            None,
        )
        .await;
    }
    let metrics = app.metrics().await;
    let names: std::collections::BTreeSet<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("skillgraph_graphql_requests_total{"))
        .filter_map(|l| l.split("operation=\"").nth(1)?.split('"').next())
        .collect();
    assert!(names.len() <= 201, "{} operation labels", names.len());
    assert!(names.contains("other"), "{names:?}");
}
