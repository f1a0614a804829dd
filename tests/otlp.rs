//! Traces over OTLP (issue 21, part 2), against a real receiver: an HTTP server in the test
//! takes `POST /v1/traces` and decodes the body with the official OTLP protobuf types
//! (`opentelemetry-proto`'s prost messages), as a collector would. The server is the real
//! binary, started as a process (the tracing subscriber is global to a process, so an
//! in-process server could not have its own), on a fresh database seeded from the built-in
//! seed, and stopped with SIGTERM: the spans arrive because the graceful shutdown flushes
//! them, not because a timer happened to fire.

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as Http, header};
use axum::routing::post;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use prost::Message as _;
use serde_json::{Value, json};

/// One exported span with its resource's `service.name`.
#[derive(Clone, Debug)]
struct Exported {
    service: String,
    span: opentelemetry_proto::tonic::trace::v1::Span,
}

impl Exported {
    fn name(&self) -> &str {
        &self.span.name
    }

    fn attribute(&self, key: &str) -> Option<String> {
        text(&self.span.attributes, key)
    }
}

fn text(attributes: &[KeyValue], key: &str) -> Option<String> {
    let value = attributes.iter().find(|kv| kv.key == key)?.value.as_ref()?;
    match value {
        AnyValue {
            value: Some(any_value::Value::StringValue(s)),
        } => Some(s.clone()),
        AnyValue {
            value: Some(any_value::Value::IntValue(i)),
        } => Some(i.to_string()),
        other => Some(format!("{other:?}")),
    }
}

/// The OTLP/HTTP receiver: every span of every export request, in order.
#[derive(Clone, Default)]
struct Receiver {
    spans: Arc<Mutex<Vec<Exported>>>,
}

async fn receive(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> (Http, [(header::HeaderName, &'static str); 1], Vec<u8>) {
    let protobuf = [(header::CONTENT_TYPE, "application/x-protobuf")];
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/x-protobuf")
    {
        return (Http::UNSUPPORTED_MEDIA_TYPE, protobuf, vec![]);
    }
    let Ok(request) = ExportTraceServiceRequest::decode(body) else {
        return (Http::BAD_REQUEST, protobuf, vec![]);
    };
    let mut spans = receiver.spans.lock().unwrap();
    for resource_spans in request.resource_spans {
        let service = resource_spans
            .resource
            .as_ref()
            .and_then(|r| text(&r.attributes, "service.name"))
            .unwrap_or_default();
        for scope in resource_spans.scope_spans {
            for span in scope.spans {
                spans.push(Exported {
                    service: service.clone(),
                    span,
                });
            }
        }
    }
    let answer = ExportTraceServiceResponse::default().encode_to_vec();
    (Http::OK, protobuf, answer)
}

impl Receiver {
    async fn start() -> (Receiver, SocketAddr) {
        let receiver = Receiver::default();
        let app = Router::new()
            .route("/v1/traces", post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, addr)
    }

    fn spans(&self) -> Vec<Exported> {
        self.spans.lock().unwrap().clone()
    }
}

/// The real binary, serving a fresh database; SIGKILLed on drop if a test failed first.
struct Server {
    child: Child,
    addr: SocketAddr,
    // Last, so the directory outlives the process.
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts `skillgraph serve` with `args` and `env` and waits for `/health`. The port comes
    /// from binding port 0 and letting go; a start that loses it to another process is retried.
    async fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let client = reqwest::Client::new();
        for _attempt in 0..10 {
            let addr = free_addr();
            let log = dir.path().join("server.log");
            let out = std::fs::File::create(&log).unwrap();
            let mut command = Command::new(env!("CARGO_BIN_EXE_skillgraph"));
            command
                .arg("--db")
                .arg(dir.path().join("db"))
                .arg("serve")
                .arg("--addr")
                .arg(addr.to_string())
                .args(args)
                .env("SKILLGRAPH_ADMIN_TOKEN", "otlp-test-admin-token-0123456789")
                .env("RUST_LOG", "info")
                .env_remove("SKILLGRAPH_OTLP_ENDPOINT")
                .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
                .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                .env_remove("OTEL_SERVICE_NAME")
                .env_remove("OTEL_RESOURCE_ATTRIBUTES")
                // The batch processor's timer never fires within a test: what arrives was
                // flushed by the graceful shutdown.
                .env("OTEL_BSP_SCHEDULE_DELAY", "600000")
                .stdin(Stdio::null())
                .stdout(out.try_clone().unwrap())
                .stderr(out);
            for (key, value) in env {
                command.env(key, value);
            }
            let mut child = command.spawn().expect("the skillgraph binary starts");
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    let output = std::fs::read_to_string(&log).unwrap_or_default();
                    if output.contains("in use") {
                        break;
                    }
                    panic!("the server exited during start-up ({status}):\n{output}");
                }
                let health = client.get(format!("http://{addr}/health")).send().await;
                if health.is_ok_and(|r| r.status().is_success()) {
                    return Server {
                        child,
                        addr,
                        _dir: dir,
                    };
                }
                assert!(Instant::now() < deadline, "no /health within 60 s");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("no free port after 10 attempts");
    }

    /// SIGTERM, then waits for a clean exit: the graceful shutdown, which flushes the spans.
    async fn stop(mut self) {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) with a pid this test spawned and has not reaped.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the server exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "no exit within 30 s of SIGTERM");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The one span named `name`.
fn one<'a>(spans: &'a [Exported], name: &str) -> &'a Exported {
    let found: Vec<&Exported> = spans.iter().filter(|s| s.name() == name).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one span named {name}, got {}: {:#?}",
        found.len(),
        spans.iter().map(Exported::name).collect::<Vec<_>>()
    );
    found[0]
}

const CALLER_TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";

const GAP: &str = "query Gap($from: ProfileInput!) {
    roleGap(from: $from, to: \"ai-engineer\") { readiness path { totalHours } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_traced_request_continues_the_callers_trace_with_its_graphql_and_domain_spans() {
    // Arrange
    let (receiver, at) = Receiver::start().await;
    let endpoint = format!("http://{at}");
    let server = Server::start(
        &["--otlp-endpoint", &endpoint],
        &[("OTEL_SERVICE_NAME", "skills-under-test")],
    )
    .await;

    // Act
    let answer: Value = reqwest::Client::new()
        .post(format!("http://{}/graphql", server.addr))
        .header("traceparent", format!("00-{CALLER_TRACE}-{CALLER_SPAN}-01"))
        .json(&json!({ "query": GAP, "variables": { "from": {
            "role": "software-engineer",
            "skills": [{ "skill": "python", "level": 3 }, { "skill": "git", "level": 2 }],
        } } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.stop().await;

    // Assert
    assert!(answer["errors"].is_null(), "{answer}");
    assert!(answer["data"]["roleGap"]["path"]["totalHours"].as_i64() > Some(0));
    let spans = receiver.spans();
    assert!(
        spans.iter().all(|s| s.service == "skills-under-test"),
        "service.name comes from OTEL_SERVICE_NAME"
    );
    assert!(
        spans.iter().all(|s| hex(&s.span.trace_id) == CALLER_TRACE),
        "every span continues the caller's trace: {:#?}",
        spans
            .iter()
            .map(|s| (s.name(), hex(&s.span.trace_id), hex(&s.span.parent_span_id)))
            .collect::<Vec<_>>()
    );

    // The HTTP server span: a child of the caller's span.
    let request = one(&spans, "POST /graphql");
    assert_eq!(hex(&request.span.parent_span_id), CALLER_SPAN);
    assert_eq!(request.span.kind, SpanKind::Server as i32);
    assert_eq!(request.attribute("http.route").as_deref(), Some("/graphql"));
    assert_eq!(
        request.attribute("http.response.status_code").as_deref(),
        Some("200")
    );

    // The GraphQL operation span, as the semantic conventions name it.
    let operation = one(&spans, "query Gap");
    assert_eq!(operation.span.parent_span_id, request.span.span_id);
    assert_eq!(
        operation.attribute("graphql.operation.name").as_deref(),
        Some("Gap")
    );
    assert_eq!(
        operation.attribute("graphql.operation.type").as_deref(),
        Some("query")
    );

    // Its phases, in order, and the domain work under execution.
    let phases: Vec<&Exported> = ["graphql.parse", "graphql.validate", "graphql.execute"]
        .iter()
        .map(|name| one(&spans, name))
        .collect();
    for phase in &phases {
        assert_eq!(
            phase.span.parent_span_id,
            operation.span.span_id,
            "{} is a child of the operation",
            phase.name()
        );
    }
    assert!(phases[0].span.end_time_unix_nano <= phases[1].span.start_time_unix_nano);
    assert!(phases[1].span.end_time_unix_nano <= phases[2].span.start_time_unix_nano);
    let execute = phases[2];
    let gap = one(&spans, "gap");
    let plan = one(&spans, "plan");
    assert_eq!(gap.span.parent_span_id, execute.span.span_id);
    assert_eq!(plan.span.parent_span_id, execute.span.span_id);
    assert_eq!(gap.attribute("skillgraph.input.size").as_deref(), Some("2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standard_variables_turn_traces_on_and_a_request_without_traceparent_starts_a_trace() {
    // Arrange: OTEL_EXPORTER_OTLP_ENDPOINT alone, no service name.
    let (receiver, at) = Receiver::start().await;
    let endpoint = format!("http://{at}");
    let server = Server::start(&[], &[("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)]).await;

    // Act: an anonymous extraction over GET, with no trace to continue.
    let text = "We need Python and machine learning.";
    let query = format!("{{ extractSkills(text: \"{text}\") {{ skill {{ id }} }} }}");
    let response = reqwest::Client::new()
        .get(format!("http://{}/graphql", server.addr))
        .query(&[("query", query.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), Http::OK);
    // A document that does not parse: an operation span with no name, failed.
    let broken = reqwest::Client::new()
        .get(format!("http://{}/graphql", server.addr))
        .query(&[("query", "{ stats {")])
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), Http::OK);
    // And a query over WebSocket, where no HTTP span is around.
    let stats = websocket_query(server.addr, "query Stats { stats { skills } }").await;
    assert!(
        stats["data"]["stats"]["skills"].as_i64() > Some(0),
        "{stats}"
    );
    // And one over Server-Sent Events, whose operation runs under its HTTP request's span.
    let events = reqwest::Client::new()
        .post(format!("http://{}/graphql", server.addr))
        .header("accept", "text/event-stream")
        .json(&json!({ "query": "query Streamed { stats { skills } }" }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(events.contains("event: complete"), "{events}");
    server.stop().await;

    // Assert
    let spans = receiver.spans();
    assert!(spans.iter().all(|s| s.service == "skillgraph"));
    let operation = one(&spans, "query");
    assert_eq!(operation.attribute("graphql.operation.name"), None);
    let request = spans
        .iter()
        .find(|s| s.span.span_id == operation.span.parent_span_id)
        .expect("the operation's request span");
    assert_eq!(request.name(), "GET /graphql");
    assert!(
        request.span.parent_span_id.is_empty(),
        "no traceparent: a new trace"
    );
    let ok = operation.span.status.as_ref().map_or(0, |s| s.code);
    assert_eq!(ok, StatusCode::Unset as i32, "an answer without errors");
    let failed = one(&spans, "graphql.operation");
    assert_eq!(
        failed.span.status.as_ref().map(|s| s.code),
        Some(StatusCode::Error as i32),
        "a document that does not parse fails its operation"
    );
    let extract = one(&spans, "extract");
    assert_eq!(
        extract.attribute("skillgraph.input.size"),
        Some(text.len().to_string())
    );
    let execute = spans
        .iter()
        .find(|s| s.name() == "graphql.execute" && s.span.parent_span_id == operation.span.span_id)
        .expect("the GET operation has an execute span");
    assert_eq!(execute.span.span_id, extract.span.parent_span_id);
    // Over WebSocket each operation is a trace of its own, with the same phases.
    let stats = one(&spans, "query Stats");
    assert!(stats.span.parent_span_id.is_empty());
    let phases: Vec<&str> = spans
        .iter()
        .filter(|s| s.span.parent_span_id == stats.span.span_id)
        .map(Exported::name)
        .collect();
    assert_eq!(
        phases,
        ["graphql.parse", "graphql.validate", "graphql.execute"]
    );
    // Over Server-Sent Events the operation is a child of its request, with the same phases.
    let streamed = one(&spans, "query Streamed");
    let request = spans
        .iter()
        .find(|s| s.span.span_id == streamed.span.parent_span_id)
        .expect("the streamed operation's request span");
    assert_eq!(request.name(), "POST /graphql");
    let phases: Vec<&str> = spans
        .iter()
        .filter(|s| s.span.parent_span_id == streamed.span.span_id)
        .map(Exported::name)
        .collect();
    assert_eq!(
        phases,
        ["graphql.parse", "graphql.validate", "graphql.execute"]
    );
}

/// One query over graphql-transport-ws: init, subscribe, its `next` payload.
async fn websocket_query(addr: SocketAddr, query: &str) -> Value {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        axum::http::HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut send = async |message: Value| {
        socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    };
    send(json!({ "type": "connection_init" })).await;
    send(json!({ "id": "1", "type": "subscribe", "payload": { "query": query } })).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        assert!(Instant::now() < deadline, "no answer over WebSocket");
        let Some(Ok(Message::Text(text))) = socket.next().await else {
            panic!("the WebSocket closed before answering");
        };
        let message: Value = serde_json::from_str(&text).unwrap();
        if message["type"] == "next" {
            return message["payload"].clone();
        }
    }
}

#[test]
fn an_endpoint_the_exporter_cannot_reach_over_plain_http_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--db")
        .arg(dir.path().join("db"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(["--otlp-endpoint", "https://collector.example:4318"])
        .env("SKILLGRAPH_ADMIN_TOKEN", "otlp-test-admin-token-0123456789")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("https://collector.example:4318 is not an http:// URL"),
        "{stderr}"
    );
}
