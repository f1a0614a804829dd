//! `graphChanged` over WebSocket (graphql-transport-ws), on `/graphql/ws` and on `/graphql`.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::helpers::{ADMIN_TOKEN, TestApp};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const PROTOCOL: &str = "graphql-transport-ws";

#[derive(Debug, Deserialize, PartialEq)]
struct GraphChange {
    revision: i64,
    kind: String,
    ids: Vec<String>,
}

/// A graphql-transport-ws client: connected, initialised and acknowledged.
struct Client {
    socket: Socket,
}

impl Client {
    async fn connect(app: &TestApp, path: &str) -> Client {
        let client = Client::open(app, path, None).await;
        client.init(json!({ "type": "connection_init" })).await
    }

    /// Connects without initialising, with an `Authorization` header on the upgrade if given.
    async fn open(app: &TestApp, path: &str, authorization: Option<&str>) -> Client {
        let mut request = app
            .ws_url(path)
            .into_client_request()
            .expect("a valid websocket URL");
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(PROTOCOL));
        if let Some(value) = authorization {
            request.headers_mut().insert(
                "Authorization",
                HeaderValue::from_str(value).expect("a header value"),
            );
        }
        let (socket, response) = connect_async(request)
            .await
            .unwrap_or_else(|e| panic!("websocket handshake on {path} failed: {e}"));
        assert_eq!(
            response
                .headers()
                .get("Sec-WebSocket-Protocol")
                .and_then(|v| v.to_str().ok()),
            Some(PROTOCOL)
        );
        Client { socket }
    }

    /// Sends `connection_init` and expects the acknowledgement.
    async fn init(mut self, message: Value) -> Client {
        self.send(message).await;
        let ack = self.next_message(Duration::from_secs(5)).await;
        assert_eq!(ack, Some(json!({ "type": "connection_ack" })));
        self
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("the websocket accepts a message");
    }

    /// The next protocol message within `timeout`, answering protocol pings on the way;
    /// `None` on timeout.
    async fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?
                .expect("the server keeps the websocket open")
                .expect("a websocket frame");
            let text = match frame {
                Message::Text(text) => text,
                Message::Close(close) => panic!("the server closed the websocket: {close:?}"),
                _ => continue,
            };
            let message: Value = serde_json::from_str(&text).expect("a JSON message");
            if message["type"] == "ping" {
                self.send(json!({ "type": "pong" })).await;
                continue;
            }
            return Some(message);
        }
    }

    async fn subscribe(&mut self, id: &str, query: &str) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query } }))
            .await;
    }

    /// The next `graphChanged` event of subscription `id` within `timeout`.
    async fn next_change(&mut self, id: &str, timeout: Duration) -> Option<GraphChange> {
        let message = self.next_message(timeout).await?;
        assert_eq!(message["type"], "next", "{message:#}");
        assert_eq!(message["id"], id, "{message:#}");
        assert!(message["payload"].get("errors").is_none(), "{message:#}");
        Some(
            serde_json::from_value(message["payload"]["data"]["graphChanged"].clone())
                .unwrap_or_else(|e| panic!("not a GraphChange ({e}): {message:#}")),
        )
    }
}

const GRAPH_CHANGED: &str = "subscription { graphChanged { revision kind ids } }";

/// Subscribes, then writes until the first event shows the subscription is live: the server
/// starts listening only once it has processed the subscribe message, and the protocol sends
/// no acknowledgement for it. Returns the revision of the last warm-up write.
async fn subscribe_and_wait_until_live(app: &TestApp, client: &mut Client) -> i64 {
    client.subscribe("1", GRAPH_CHANGED).await;
    for attempt in 0..20 {
        let id = format!("warm-up-{attempt}");
        app.create_skill(&id, "soft-skills", 1).await;
        if let Some(change) = client.next_change("1", Duration::from_millis(250)).await {
            assert_eq!(change.kind, "SKILL_CREATED", "{change:?}");
            assert!(change.ids[0].starts_with("warm-up-"), "{change:?}");
            return app.revision().await;
        }
    }
    panic!("no graphChanged event arrived for 20 writes");
}

/// Creates a skill over HTTP and asserts the subscriber is told, with its id and revision.
async fn assert_a_created_skill_is_pushed(path: &str) {
    // Arrange
    let app = TestApp::spawn().await;
    let mut client = Client::connect(&app, path).await;
    let live_since = subscribe_and_wait_until_live(&app, &mut client).await;

    // Act
    app.create_skill("lock-picking", "soft-skills", 3).await;
    let revision = app.revision().await;

    // Assert: skip any warm-up events still in flight, then ours comes next.
    let change = loop {
        let change = client
            .next_change("1", Duration::from_secs(5))
            .await
            .expect("an event for the write within 5 s");
        if change.revision > live_since {
            break change;
        }
    };
    assert_eq!(
        change,
        GraphChange {
            revision,
            kind: "SKILL_CREATED".into(),
            ids: vec!["lock-picking".into()],
        }
    );
}

#[tokio::test]
async fn a_subscriber_on_graphql_ws_is_told_of_a_created_skill_with_its_revision() {
    assert_a_created_skill_is_pushed("/graphql/ws").await;
}

#[tokio::test]
async fn a_subscriber_upgrading_get_graphql_is_told_of_a_created_skill_too() {
    assert_a_created_skill_is_pushed("/graphql").await;
}

#[tokio::test]
async fn every_kind_of_write_is_pushed_with_the_ids_it_touched_in_revision_order() {
    // Arrange
    let app = TestApp::spawn().await;
    let mut client = Client::connect(&app, "/graphql/ws").await;
    let live_since = subscribe_and_wait_until_live(&app, &mut client).await;
    let writes = [
        (
            r#"mutation { addPrerequisite(skill: "rag", requires: "python") { id } }"#,
            "PREREQUISITE_ADDED",
            vec!["python", "rag"],
        ),
        (
            r#"mutation { setRequirement(role: "ai-engineer", skill: "git", level: 2) { id } }"#,
            "REQUIREMENT_SET",
            vec!["ai-engineer"],
        ),
        (
            r#"mutation { deleteRole(id: "data-engineer") }"#,
            "ROLE_DELETED",
            vec!["data-engineer"],
        ),
    ];

    // Act
    for (mutation, _, _) in &writes {
        crate::helpers::data(&app.admin(mutation, json!({})).await);
    }
    // A refused write publishes nothing.
    let refused = app
        .admin(r#"mutation { deleteRole(id: "data-engineer") }"#, json!({}))
        .await;
    crate::helpers::assert_error(&refused, "NOT_FOUND");

    // Assert
    let mut changes = Vec::new();
    while changes.len() < writes.len() {
        let change = client
            .next_change("1", Duration::from_secs(5))
            .await
            .expect("an event per write within 5 s");
        if change.revision > live_since {
            changes.push(change);
        }
    }
    for (i, ((_, kind, ids), change)) in writes.iter().zip(&changes).enumerate() {
        assert_eq!(change.revision, live_since + 1 + i as i64, "{change:?}");
        assert_eq!(&change.kind, kind);
        assert_eq!(&change.ids, ids);
    }
    assert_eq!(
        client.next_change("1", Duration::from_millis(300)).await,
        None,
        "no event for the refused write"
    );
}

#[tokio::test]
async fn a_mutation_sent_over_the_websocket_is_refused_as_unauthenticated() {
    // Arrange: the websocket carries no Authorization header, so it is never an admin.
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let mut client = Client::connect(&app, "/graphql/ws").await;

    // Act
    client
        .subscribe("7", r#"mutation { deleteRole(id: "ai-engineer") }"#)
        .await;
    let message = client
        .next_message(Duration::from_secs(5))
        .await
        .expect("an answer within 5 s");

    // Assert
    assert_eq!(message["id"], "7", "{message:#}");
    let code = message
        .pointer("/payload/errors/0/extensions/code")
        .or_else(|| message.pointer("/payload/0/extensions/code"));
    assert_eq!(
        code.and_then(Value::as_str),
        Some("UNAUTHENTICATED"),
        "{message:#}"
    );
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn a_query_sent_over_the_websocket_is_answered_then_completed() {
    // Arrange
    let app = TestApp::spawn().await;
    let revision = app.revision().await;
    let mut client = Client::connect(&app, "/graphql/ws").await;

    // Act
    client.subscribe("q", "{ stats { revision } }").await;
    let next = client.next_message(Duration::from_secs(5)).await;
    let complete = client.next_message(Duration::from_secs(5)).await;

    // Assert: the answer names the revision it was computed on, as `Skillgraph-Revision`
    // does over HTTP.
    assert_eq!(
        next,
        Some(json!({ "id": "q", "type": "next", "payload": {
            "data": { "stats": { "revision": revision } },
            "extensions": { "revision": revision }
        } }))
    );
    assert_eq!(complete, Some(json!({ "id": "q", "type": "complete" })));
}

#[tokio::test]
async fn a_mutation_over_the_websocket_answers_with_the_revision_it_produced() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.revision().await;
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let mut client = Client::open(&app, "/graphql/ws", Some(&bearer))
        .await
        .init(json!({ "type": "connection_init" }))
        .await;

    // Act
    let payload = create_over(&mut client, "ws-made").await;

    // Assert
    assert_eq!(
        payload["data"]["createSkill"]["id"], "ws-made",
        "{payload:#}"
    );
    assert_eq!(payload["extensions"]["revision"], before + 1, "{payload:#}");
}

#[tokio::test]
async fn stopping_the_server_ends_open_subscriptions_and_releases_the_database() {
    // Arrange
    let app = TestApp::spawn().await;
    let mut client = Client::connect(&app, "/graphql/ws").await;
    subscribe_and_wait_until_live(&app, &mut client).await;

    // Act: a restart needs the database lock the old server held.
    let app = app.restart().await;

    // Assert
    assert!(app.revision().await >= 1);
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match client.socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the subscription outlived the server");
}

/// Sends a mutation creating `id` and returns the payload of the answer.
async fn create_over(client: &mut Client, id: &str) -> Value {
    client
        .subscribe(
            id,
            &format!(
                r#"mutation {{ createSkill(input: {{ id: "{id}", name: "{id}", category: "ml", hours: 5 }}) {{ id }} }}"#
            ),
        )
        .await;
    let message = client
        .next_message(Duration::from_secs(5))
        .await
        .expect("an answer within 5 s");
    assert_eq!(message["id"], id, "{message:#}");
    message["payload"].clone()
}

#[tokio::test]
async fn the_token_in_connection_init_authenticates_mutations_in_every_shape_clients_send() {
    let app = TestApp::spawn().await;
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let payloads = [
        json!({ "Authorization": bearer }),
        json!({ "authorization": bearer }),
        json!({ "token": ADMIN_TOKEN }),
        json!({ "headers": { "Authorization": bearer } }),
    ];
    for (i, payload) in payloads.into_iter().enumerate() {
        let client = Client::open(&app, "/graphql/ws", None).await;
        let mut client = client
            .init(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let id = format!("ws-made-{i}");
        let answer = create_over(&mut client, &id).await;
        assert_eq!(
            answer["data"]["createSkill"]["id"], id,
            "{payload:#} {answer:#}"
        );
    }
    let before = crate::helpers::seeded_count("skill") as i64;
    assert_eq!(app.stats().await.skills, before + 4);
}

#[tokio::test]
async fn the_upgrade_request_s_authorization_header_authenticates_the_connection() {
    let app = TestApp::spawn().await;
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let client = Client::open(&app, "/graphql/ws", Some(&bearer)).await;
    let mut client = client.init(json!({ "type": "connection_init" })).await;
    let answer = create_over(&mut client, "ws-header-made").await;
    assert_eq!(
        answer["data"]["createSkill"]["id"], "ws-header-made",
        "{answer:#}"
    );
}

#[tokio::test]
async fn a_wrong_token_in_connection_init_closes_the_connection() {
    let app = TestApp::spawn().await;
    let mut client = Client::open(&app, "/graphql/ws", None).await;
    client
        .send(json!({ "type": "connection_init", "payload": { "Authorization": "Bearer not-the-token-at-all" } }))
        .await;
    let frame = tokio::time::timeout(Duration::from_secs(5), client.socket.next())
        .await
        .expect("an answer within 5 s");
    match frame {
        Some(Ok(Message::Close(Some(close)))) => {
            assert!(close.reason.contains("not the admin token"), "{close:?}")
        }
        other => panic!("expected the server to close the connection, got {other:?}"),
    }
}

#[tokio::test]
async fn errors_over_the_websocket_carry_codes_like_over_http() {
    let app = TestApp::spawn().await;
    let mut client = Client::connect(&app, "/graphql/ws").await;
    for (id, query, code) in [
        ("v", "{ stats { nope } }", "GRAPHQL_VALIDATION_FAILED"),
        ("p", "{ stats { ", "GRAPHQL_PARSE_FAILED"),
        (
            "n",
            r#"{ roleGap(from: {skills: []}, to: "nope") { readiness } }"#,
            "NOT_FOUND",
        ),
    ] {
        client.subscribe(id, query).await;
        let message = client
            .next_message(Duration::from_secs(5))
            .await
            .expect("an answer within 5 s");
        let got = message
            .pointer("/payload/errors/0/extensions/code")
            .or_else(|| message.pointer("/payload/0/extensions/code"));
        assert_eq!(
            got.and_then(Value::as_str),
            Some(code),
            "{query}: {message:#}"
        );
        if message["type"] == "next" {
            let _complete = client.next_message(Duration::from_secs(5)).await;
        }
    }
}

#[tokio::test]
async fn a_shared_document_runs_its_selected_operation_over_the_websocket_too() {
    let app = TestApp::spawn().await;
    let mut client = Client::connect(&app, "/graphql/ws").await;
    let document =
        "query A { stats { revision } } query B($n: Int!) { skills(first: $n) { nodes { id } } }";
    client
        .send(json!({ "id": "a", "type": "subscribe", "payload": { "query": document, "operationName": "A" } }))
        .await;
    let message = client
        .next_message(Duration::from_secs(5))
        .await
        .expect("an answer within 5 s");
    assert_eq!(message["type"], "next", "{message:#}");
    assert!(message["payload"].get("errors").is_none(), "{message:#}");
    assert!(
        message["payload"]["data"]["stats"]["revision"].is_i64(),
        "{message:#}"
    );
}

#[tokio::test]
async fn an_empty_token_in_connection_init_is_a_read_only_connection_not_a_refusal() {
    let app = TestApp::spawn().await;
    for payload in [
        json!({ "Authorization": "" }),
        json!({ "Authorization": "Bearer " }),
    ] {
        let client = Client::open(&app, "/graphql/ws", None).await;
        let mut client = client
            .init(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let answer = create_over(&mut client, "never-made").await;
        let code = answer
            .pointer("/errors/0/extensions/code")
            .or_else(|| answer.pointer("/0/extensions/code"));
        assert_eq!(
            code.and_then(Value::as_str),
            Some("UNAUTHENTICATED"),
            "{answer:#}"
        );
    }
}

const GRAPH_CHANGED_SINCE: &str =
    "subscription($since: Int) { graphChanged(since: $since) { revision kind ids } }";

#[tokio::test]
async fn a_subscriber_that_reconnects_with_since_gets_what_it_missed_then_live_events_without_gap_or_repeat()
 {
    // Arrange: a subscriber that saw up to `last`, then went away while three writes landed.
    let app = TestApp::spawn().await;
    let mut first = Client::connect(&app, "/graphql/ws").await;
    let last = subscribe_and_wait_until_live(&app, &mut first).await;
    drop(first);
    for i in 0..3 {
        app.create_skill(&format!("missed-{i}"), "soft-skills", 1)
            .await;
    }

    // Act: it reconnects with the last revision it saw, and a write lands after that.
    let mut client = Client::connect(&app, "/graphql/ws").await;
    client
        .send(json!({ "id": "2", "type": "subscribe",
                      "payload": { "query": GRAPH_CHANGED_SINCE, "variables": { "since": last } } }))
        .await;
    let mut events = Vec::new();
    for _ in 0..3 {
        events.push(
            client
                .next_change("2", Duration::from_secs(5))
                .await
                .expect("a replayed event within 5 s"),
        );
    }
    app.create_skill("after-reconnect", "soft-skills", 1).await;
    events.push(
        client
            .next_change("2", Duration::from_secs(5))
            .await
            .expect("the live event within 5 s"),
    );

    // Assert: every revision after `last`, once, in order; the first three as the log has them.
    let revisions: Vec<i64> = events.iter().map(|e| e.revision).collect();
    assert_eq!(revisions, (last + 1..=last + 4).collect::<Vec<_>>());
    let ids: Vec<&str> = events.iter().map(|e| e.ids[0].as_str()).collect();
    assert_eq!(ids, ["missed-0", "missed-1", "missed-2", "after-reconnect"]);
    assert!(
        client
            .next_change("2", Duration::from_millis(300))
            .await
            .is_none(),
        "no event repeated"
    );
    let logged = app
        .query(
            "query($since: Int!) { changes(since: $since) { nodes { revision kind ids } } }",
            json!({ "since": last }),
        )
        .await;
    let logged: Vec<GraphChange> =
        serde_json::from_value(logged["data"]["changes"]["nodes"].clone()).unwrap();
    assert_eq!(
        logged, events,
        "the subscription and the log carry the same entries"
    );
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
    let mut client = Client::connect(&app, "/graphql/ws").await;
    client
        .send(json!({ "id": "3", "type": "subscribe",
                      "payload": { "query": GRAPH_CHANGED_SINCE, "variables": { "since": 0 } } }))
        .await;
    let message = client
        .next_message(Duration::from_secs(5))
        .await
        .expect("an answer within 5 s");
    let code = match message["type"].as_str() {
        Some("next") => &message["payload"]["errors"][0]["extensions"]["code"],
        Some("error") => &message["payload"][0]["extensions"]["code"],
        _ => panic!("neither an error nor a next: {message:#}"),
    };
    assert_eq!(code, "REVISION_EXPIRED", "{message:#}");
}
