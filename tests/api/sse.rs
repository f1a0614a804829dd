//! GraphQL over Server-Sent Events (the graphql-sse protocol, distinct connections): a request
//! to `/graphql` with `Accept: text/event-stream`, read as a stream with reqwest.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, test_config};

const GRAPH_CHANGED: &str = "subscription { graphChanged { revision kind ids } }";

/// One message of an event stream, as an `EventSource` would dispatch it.
#[derive(Debug, PartialEq)]
enum Message {
    /// A comment line (`:`): the stream's first line, and the keep-alive.
    Comment,
    /// `event: next`, its data parsed.
    Next(Value),
    /// `event: complete`.
    Complete,
    /// The body ended.
    End,
}

/// A response read as an event stream.
struct Stream {
    response: reqwest::Response,
    buffer: String,
    ended: bool,
}

impl Stream {
    /// Sends `request` with `Accept: text/event-stream` and expects an event stream.
    async fn open(request: reqwest::RequestBuilder) -> Stream {
        let response = request
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), 200);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("content-type").as_deref(), Some("text/event-stream"));
        assert_eq!(header("cache-control").as_deref(), Some("no-store"));
        Stream {
            response,
            buffer: String::new(),
            ended: false,
        }
    }

    /// POSTs `body` as JSON, with the admin token when `admin`.
    async fn post(app: &TestApp, body: Value, admin: bool) -> Stream {
        let mut request = app.client.post(app.url("/graphql")).json(&body);
        if admin {
            request = request.bearer_auth(ADMIN_TOKEN);
        }
        Stream::open(request).await
    }

    /// The next message within `timeout`; `None` on timeout.
    async fn next(&mut self, timeout: Duration) -> Option<Message> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(at) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..at + 2).collect();
                return Some(parse(&block));
            }
            if self.ended {
                assert!(self.buffer.is_empty(), "a cut message: {:?}", self.buffer);
                return Some(Message::End);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .expect("the body reads without error");
            match chunk {
                Some(bytes) => self
                    .buffer
                    .push_str(std::str::from_utf8(&bytes).expect("UTF-8")),
                None => self.ended = true,
            }
        }
    }

    /// The next message that is not a comment, within `timeout`.
    async fn next_event(&mut self, timeout: Duration) -> Option<Message> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await? {
                Message::Comment => continue,
                message => return Some(message),
            }
        }
    }

    /// The data of the next `next` event within 5 s.
    async fn next_data(&mut self) -> Value {
        match self.next_event(Duration::from_secs(5)).await {
            Some(Message::Next(data)) => data,
            other => panic!("expected a next event within 5 s, got {other:?}"),
        }
    }
}

/// One message block (its lines, without the blank line that ends it).
fn parse(block: &str) -> Message {
    let lines: Vec<&str> = block.trim_end_matches('\n').split('\n').collect();
    if lines.iter().all(|l| l.starts_with(':')) {
        return Message::Comment;
    }
    match lines.as_slice() {
        ["event: next", data] => {
            let json = data.strip_prefix("data: ").expect("a data line");
            Message::Next(serde_json::from_str(json).expect("JSON data"))
        }
        ["event: complete", "data:"] => Message::Complete,
        _ => panic!("not a graphql-sse message: {block:?}"),
    }
}

/// `graphChanged` from the data of a `next` event, asserting it carries no errors.
fn change(data: &Value) -> &Value {
    assert!(data.get("errors").is_none(), "{data:#}");
    &data["data"]["graphChanged"]
}

/// Opens a `graphChanged` stream, then creates a skill and expects its event.
async fn assert_a_created_skill_is_pushed(stream: &mut Stream, app: &TestApp) {
    // The stream opens with a comment. The subscription listens before the response is sent,
    // so a write made now is seen: no warm-up writes needed, unlike over WebSocket.
    assert_eq!(
        stream.next(Duration::from_secs(5)).await,
        Some(Message::Comment)
    );

    app.create_skill("lock-picking", "soft-skills", 3).await;
    let revision = app.revision().await;

    let data = stream.next_data().await;
    assert_eq!(
        change(&data),
        &json!({ "revision": revision, "kind": "SKILL_CREATED", "ids": ["lock-picking"] })
    );
}

#[tokio::test]
async fn a_subscriber_over_sse_is_told_of_a_created_skill_with_its_revision() {
    let app = TestApp::spawn().await;
    let mut stream = Stream::post(&app, json!({ "query": GRAPH_CHANGED }), false).await;
    assert_a_created_skill_is_pushed(&mut stream, &app).await;
}

#[tokio::test]
async fn a_subscription_over_get_with_query_parameters_streams_too() {
    let app = TestApp::spawn().await;
    let request = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", GRAPH_CHANGED)]);
    let mut stream = Stream::open(request).await;
    assert_a_created_skill_is_pushed(&mut stream, &app).await;
}

#[tokio::test]
async fn a_query_over_sse_is_one_next_event_then_complete() {
    let app = TestApp::spawn().await;
    let revision = app.revision().await;
    let mut stream = Stream::post(&app, json!({ "query": "{ stats { revision } }" }), false).await;

    let mut messages = Vec::new();
    loop {
        let message = stream
            .next(Duration::from_secs(5))
            .await
            .expect("a message within 5 s");
        let end = message == Message::End;
        messages.push(message);
        if end {
            break;
        }
    }

    // The answer names its revision, as over WebSocket.
    assert_eq!(
        messages,
        [
            Message::Comment,
            Message::Next(json!({
                "data": { "stats": { "revision": revision } },
                "extensions": { "revision": revision }
            })),
            Message::Complete,
            Message::End,
        ]
    );
}

#[tokio::test]
async fn a_mutation_over_sse_needs_the_admin_token_in_the_authorization_header() {
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let create = json!({
        "query": "mutation($id: ID!) { createSkill(input: { id: $id, name: \"SSE\", category: \"ml\", hours: 5 }) { id } }",
        "variables": { "id": "sse-made" },
    });

    // Without the token: refused, nothing written, the stream completes.
    let mut anonymous = Stream::post(&app, create.clone(), false).await;
    let refused = anonymous.next_data().await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{refused:#}"
    );
    assert_eq!(
        anonymous.next_event(Duration::from_secs(5)).await,
        Some(Message::Complete)
    );
    assert_eq!(app.stats().await, before);

    // With it: written, and the answer names the revision the write produced.
    let mut admin = Stream::post(&app, create, true).await;
    let written = admin.next_data().await;
    assert_eq!(
        written,
        json!({
            "data": { "createSkill": { "id": "sse-made" } },
            "extensions": { "revision": before.revision + 1 }
        })
    );
    assert_eq!(
        admin.next_event(Duration::from_secs(5)).await,
        Some(Message::Complete)
    );
    assert_eq!(app.stats().await.skills, before.skills + 1);
}

#[tokio::test]
async fn a_document_refused_before_it_runs_is_a_next_event_with_its_code_and_no_data() {
    let app = TestApp::spawn_with(skillgraph::http::ServerConfig {
        limits: skillgraph::graphql::Limits {
            max_depth: 3,
            ..Default::default()
        },
        ..test_config()
    })
    .await;
    for (query, code) in [
        ("{ stats { nope } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ stats { ", "GRAPHQL_PARSE_FAILED"),
        (
            "{ skills(first: 1) { nodes { category { skills(first: 1) { nodes { id } } } } } }",
            "LIMIT_EXCEEDED",
        ),
        (
            "subscription { graphChanged { nope } }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ] {
        let mut stream = Stream::post(&app, json!({ "query": query }), false).await;
        let data = stream.next_data().await;
        assert_eq!(
            data["errors"][0]["extensions"]["code"], code,
            "{query}: {data:#}"
        );
        assert!(data.get("data").is_none(), "{query}: {data:#}");
        assert_eq!(
            stream.next_event(Duration::from_secs(5)).await,
            Some(Message::Complete),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_subscription_since_further_back_than_the_log_is_refused_with_revision_expired() {
    let app = TestApp::spawn_with_retention(skillgraph::config::Retention {
        revisions: 2,
        max_age: None,
    })
    .await;
    for i in 0..3 {
        app.create_skill(&format!("old-{i}"), "soft-skills", 1)
            .await;
    }
    let query = "subscription($since: Int) { graphChanged(since: $since) { revision } }";
    let mut stream = Stream::post(
        &app,
        json!({ "query": query, "variables": { "since": 0 } }),
        false,
    )
    .await;
    let data = stream.next_data().await;
    assert_eq!(
        data["errors"][0]["extensions"]["code"], "REVISION_EXPIRED",
        "{data:#}"
    );
    assert_eq!(
        stream.next_event(Duration::from_secs(5)).await,
        Some(Message::Complete)
    );
}

#[tokio::test]
async fn refusals_of_the_request_itself_are_ordinary_error_responses_with_their_status() {
    let app = TestApp::spawn().await;
    let sse = |request: reqwest::RequestBuilder| {
        request.header(reqwest::header::ACCEPT, "text/event-stream")
    };
    // A mutation over GET: GET must be safe.
    let response = sse(app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", r#"mutation { deleteRole(id: "ai-engineer") }"#)]))
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 405);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_INPUT");

    // A batch: a stream carries one operation.
    let response = sse(app.client.post(app.url("/graphql")))
        .json(&json!([{ "query": "{ stats { revision } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_INPUT");

    // A body that is not JSON.
    let response = sse(app.client.post(app.url("/graphql")))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body("{ not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn a_client_that_lists_json_first_still_gets_json() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(
            reqwest::header::ACCEPT,
            "application/graphql-response+json, text/event-stream",
        )
        .json(&json!({ "query": GRAPH_CHANGED }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/graphql-response+json"
    );
    let body: Value = response.json().await.unwrap();
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("text/event-stream"), "{body:#}");
}

#[tokio::test]
async fn an_idle_stream_gets_keep_alive_comments() {
    let app = TestApp::spawn_with(skillgraph::http::ServerConfig {
        sse_keep_alive: Duration::from_millis(200),
        ..test_config()
    })
    .await;
    let mut stream = Stream::post(&app, json!({ "query": GRAPH_CHANGED }), false).await;
    assert_eq!(
        stream.next(Duration::from_secs(5)).await,
        Some(Message::Comment),
        "the opening comment"
    );
    for _ in 0..3 {
        assert_eq!(
            stream.next(Duration::from_secs(2)).await,
            Some(Message::Comment),
            "a keep-alive comment within 2 s of silence"
        );
    }
}

/// `skillgraph_sse_streams_open` in `/metrics`.
async fn open_streams(app: &TestApp) -> u64 {
    let metrics = app.metrics().await;
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("skillgraph_sse_streams_open "))
        .expect("the gauge is exported")
        .parse()
        .expect("a count")
}

#[tokio::test]
async fn a_client_that_hangs_up_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let mut stream = Stream::post(&app, json!({ "query": GRAPH_CHANGED }), false).await;
    assert_eq!(
        stream.next(Duration::from_secs(5)).await,
        Some(Message::Comment)
    );
    assert_eq!(open_streams(&app).await, 1);

    drop(stream);

    // Nothing is written meanwhile, so no write is what notices the hang-up: the server does.
    let started = std::time::Instant::now();
    while open_streams(&app).await != 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the stream outlived its client by 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn stopping_the_server_ends_open_streams_without_complete_and_releases_the_database() {
    let app = TestApp::spawn().await;
    let mut stream = Stream::post(&app, json!({ "query": GRAPH_CHANGED }), false).await;
    assert_eq!(
        stream.next(Duration::from_secs(5)).await,
        Some(Message::Comment)
    );

    // A restart waits for the old server to stop (graceful shutdown waits for open responses)
    // and needs the database lock it held.
    let app = app.restart().await;

    assert!(app.revision().await >= 1);
    // Cut short, not completed: the subscription did not finish, so a client reconnects.
    assert_eq!(
        stream.next_event(Duration::from_secs(5)).await,
        Some(Message::End)
    );
}
