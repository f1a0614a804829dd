//! Limits against abuse: each one is configurable, refuses with `LIMIT_EXCEEDED` (or the status
//! the transport asks for) naming the limit, and leaves the server serving.

use std::time::Duration;

use serde_json::{Value, json};
use skillgraph::http::ServerConfig;

use crate::helpers::{TestApp, error_code, test_config};

async fn post_raw(app: &TestApp, body: String) -> (u16, Option<String>, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry, response.json().await.unwrap_or(Value::Null))
}

fn limit_of(body: &Value) -> (&str, &str) {
    let extensions = &body["errors"][0]["extensions"];
    (
        extensions["code"].as_str().unwrap_or(""),
        extensions["limit"].as_str().unwrap_or(""),
    )
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_with_413() {
    let app = TestApp::spawn_with(ServerConfig {
        max_body_bytes: 2_048,
        ..test_config()
    })
    .await;
    let padding = " ".repeat(4_096);
    let (status, _, body) = post_raw(
        &app,
        json!({ "query": format!("{{ stats {{ skills }} }}{padding}") }).to_string(),
    )
    .await;
    assert_eq!(status, 413);
    assert_eq!(limit_of(&body), ("LIMIT_EXCEEDED", "maxBodyBytes"));
    assert_eq!(body["errors"][0]["extensions"]["max"], 2_048);
    // A small request still works.
    let (status, _, _) =
        post_raw(&app, json!({ "query": "{ stats { skills } }" }).to_string()).await;
    assert_eq!(status, 200);
}

/// Starts a POST whose body never finishes arriving: the request stays in flight.
async fn stalled_request(app: &TestApp) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn a_request_over_the_time_limit_gets_a_clear_error_not_a_hung_connection() {
    use tokio::io::AsyncReadExt;
    let app = TestApp::spawn_with(ServerConfig {
        request_timeout: Duration::from_millis(200),
        ..test_config()
    })
    .await;
    let mut stream = stalled_request(&app).await;
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut response))
        .await
        .expect("the server answers instead of hanging")
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(
        response.contains("requestTimeoutMs") && response.contains("LIMIT_EXCEEDED"),
        "{response}"
    );
}

#[tokio::test]
async fn requests_beyond_the_concurrency_limit_are_shed_with_retry_after() {
    let app = TestApp::spawn_with(ServerConfig {
        max_concurrency: 1,
        ..test_config()
    })
    .await;
    // One request holds the only slot while its body trickles in.
    let stalled = stalled_request(&app).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, retry, body) =
        post_raw(&app, json!({ "query": "{ stats { skills } }" }).to_string()).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(retry.as_deref(), Some("1"));
    assert_eq!(limit_of(&body), ("LIMIT_EXCEEDED", "maxConcurrency"));
    // Once the slot is free again, the server serves: shedding queued nothing.
    drop(stalled);
    let mut status = 0;
    for _ in 0..50 {
        status = post_raw(&app, json!({ "query": "{ stats { skills } }" }).to_string())
            .await
            .0;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_batch_over_the_limit_is_refused_whole() {
    let app = TestApp::spawn_with(ServerConfig {
        max_batch: 3,
        ..test_config()
    })
    .await;
    let one = json!({ "query": "{ stats { skills } }" });
    let (status, _, body) = post_raw(&app, json!([one, one, one, one]).to_string()).await;
    assert_eq!(status, 400);
    assert_eq!(limit_of(&body), ("LIMIT_EXCEEDED", "maxBatch"));
    let (status, _, body) = post_raw(&app, json!([one, one, one]).to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn too_many_fields_exceed_the_complexity_limit() {
    let app = TestApp::spawn_with(ServerConfig {
        limits: skillgraph::graphql::Limits {
            max_complexity: 1_000,
            max_aliases: 10_000,
            max_tokens: 100_000,
            ..Default::default()
        },
        ..test_config()
    })
    .await;
    let aliases: String = (0..2_500)
        .map(|i| format!("a{i}: stats {{ skills }} "))
        .collect();
    let body = app.query(&format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(error_code(&body), Some("LIMIT_EXCEEDED"));
    assert_eq!(limit_of(&body).1, "maxComplexity");
}

#[tokio::test]
async fn a_too_deep_query_names_the_depth_limit() {
    let app = TestApp::spawn().await;
    // A chain of single objects: deep, but no list to fan out (that is the complexity limit).
    let mut query = String::from("id");
    for _ in 0..20 {
        query = format!("parent {{ {query} }}");
    }
    let query = format!("category {{ {query} }}");
    let body = app
        .query(
            &format!("{{ skill(id: \"python\") {{ {query} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(limit_of(&body), ("LIMIT_EXCEEDED", "maxDepth"));
}

#[tokio::test]
async fn introspection_and_graphiql_can_be_turned_off() {
    let app = TestApp::spawn_with(ServerConfig {
        introspection: false,
        ..test_config()
    })
    .await;
    let body = app
        .query(
            "{ __schema { queryType { name } } __type(name: \"Skill\") { name } }",
            json!({}),
        )
        .await;
    assert!(
        body["data"]["__schema"].is_null() && body["data"]["__type"].is_null(),
        "{body}"
    );
    let page = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 404);
    // Ordinary queries are unaffected.
    let body = app.query("{ stats { skills } }", json!({})).await;
    assert!(body["data"]["stats"]["skills"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn list_sizes_and_transitive_expansions_are_capped_by_name() {
    let app = TestApp::spawn_with(ServerConfig {
        limits: skillgraph::graphql::Limits {
            max_expansion: 3,
            ..Default::default()
        },
        ..test_config()
    })
    .await;
    let body = app
        .query(
            "{ skill(id: \"rag\") { prerequisites(transitive: true) { skill { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(limit_of(&body), ("LIMIT_EXCEEDED", "maxExpansion"));
    assert_eq!(body["errors"][0]["extensions"]["max"], 3);
    // Direct lists are small and unaffected.
    let body = app
        .query(
            "{ skill(id: \"rag\") { prerequisites { skill { id } } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let body = app
        .query(
            "{ skills(first: 1000) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(limit_of(&body), ("LIMIT_EXCEEDED", "maxPage"));
}

#[tokio::test]
async fn a_client_that_writes_a_whole_oversize_body_first_reads_the_413() {
    // reqwest (like Python's urllib) writes the body before it reads: if the server closed
    // without reading, the write fails with a broken pipe and the 413 is never seen.
    let app = TestApp::spawn().await;
    // Bigger than what socket buffers absorb on loopback, smaller than the linger bound.
    let padding = " ".repeat(12 * 1024 * 1024);
    let body = json!({ "query": format!("{{ stats {{ skills }} }}{padding}") }).to_string();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    for attempt in 0..10 {
        let response = client
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("attempt {attempt}: no answer: {e:?}"));
        assert_eq!(response.status(), 413, "attempt {attempt}");
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(limit_of(&answer), ("LIMIT_EXCEEDED", "maxBodyBytes"));
    }

    // The same with a bare socket that writes everything, then reads.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
        .write_all(body.as_bytes())
        .await
        .expect("the server reads the body");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn a_search_longer_than_a_person_types_is_refused_and_its_text_counts_in_complexity() {
    let app = TestApp::spawn().await;
    let search = "query($q: String) { skills(query: $q, first: 1) { edges { node { id } } }
        roles(query: $q, first: 1) { edges { node { id } } } }";
    // 200 characters (the default bound) are answered; 201 are refused, on either list.
    let typed = "python ".repeat(28) + "pytho";
    assert_eq!(typed.chars().count(), 201);
    let ok = app.query(search, json!({ "q": &typed[..200] })).await;
    assert!(ok.get("errors").is_none(), "{ok}");
    let long = app.query(search, json!({ "q": typed })).await;
    assert_eq!(limit_of(&long), ("LIMIT_EXCEEDED", "maxQueryChars"));
    // Characters, not bytes: 200 accented letters are 400 bytes and still allowed.
    let accented = app.query(search, json!({ "q": "é".repeat(200) })).await;
    assert!(accented.get("errors").is_none(), "{accented}");

    // Each searched list counts a point a character: thirty aliased searches of 200
    // characters cost 6,000 more than the same lists without a query.
    let mut config = test_config();
    config.limits.max_complexity = 3_000;
    let tight = TestApp::spawn_with(config).await;
    let fields: String = (0..30)
        .map(|i| format!("s{i}: skills(query: $q, first: 1) {{ edges {{ node {{ id }} }} }} "))
        .collect();
    let many = format!("query($q: String) {{ {fields} }}");
    let plain = tight.query(&many, json!({ "q": null })).await;
    assert!(plain.get("errors").is_none(), "{plain}");
    let typed = tight.query(&many, json!({ "q": "a".repeat(200) })).await;
    assert_eq!(error_code(&typed), Some("LIMIT_EXCEEDED"), "{typed}");
}
