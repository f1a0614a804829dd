//! The HTTP server: GraphQL over HTTP (POST and GET), GraphQL over WebSocket for
//! subscriptions, GraphiQL, health and readiness, behind tower layers for CORS and tracing.
//!
//! [`serve`] takes a bound listener and a shutdown future, so tests bind `127.0.0.1:0` and
//! production binds the configured address through the very same start-up path.
//!
//! Transport follows the GraphQL-over-HTTP spec: `POST /graphql` takes a JSON body (a single
//! request or a batch); `GET /graphql?query=…` runs queries only (a mutation over GET is
//! refused with 405, since GET must be safe); the response is
//! `application/graphql-response+json` when the client accepts it, with 400 for requests that
//! could not be executed at all, and plain `application/json` with 200 otherwise.
//!
//! A single query is answered through the response cache ([`cache`]) when it is on: from a
//! stored answer, or computed once for every identical request in flight. Every request's
//! document is parsed once per distinct text (`cache::Documents`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::body::Bytes;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::extract::rejection::BytesRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use tokio::sync::watch;
use tower::{BoxError, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::catalog::Catalog;
use crate::graphql::{self, AppSchema, Caller, Limits, Snapshot};

mod cache;
mod explorer;
mod metrics;
use cache::{Answer, Documents, Key, ResponseCache};
use metrics::Metrics;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// How the server behaves; everything here comes from the command line or the environment.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The bearer token mutations need.
    pub admin_token: String,
    /// Origins allowed by CORS; empty means same-origin only, `*` means any.
    pub cors_origins: Vec<String>,
    pub limits: Limits,
    /// Largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered with 503 and `LIMIT_EXCEEDED`.
    pub request_timeout: Duration,
    /// Requests handled at once; beyond that new ones are shed at once with 503 and
    /// `Retry-After` instead of queueing without bound.
    pub max_concurrency: usize,
    /// Most operations in one batched request.
    pub max_batch: usize,
    /// Serve introspection and GraphiQL (turn off for production with `--no-introspection`).
    pub introspection: bool,
    /// Bytes the response cache may hold (see `http::cache`); 0 turns it off.
    pub response_cache_bytes: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            admin_token: String::new(),
            cors_origins: vec![],
            limits: Limits::default(),
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            max_concurrency: 512,
            max_batch: 10,
            introspection: true,
            response_cache_bytes: 64 * 1024 * 1024,
        }
    }
}

#[derive(Clone)]
struct AppState {
    schema: AppSchema,
    catalog: Arc<Catalog>,
    admin_token: Arc<str>,
    max_batch: usize,
    max_body_bytes: usize,
    limits: Limits,
    metrics: Arc<Metrics>,
    cache: Option<Arc<ResponseCache>>,
    documents: Arc<Documents>,
    /// Turns true when the server stops. WebSocket connections are detached from the HTTP
    /// connection that upgraded them, so graceful shutdown would not wait for them and they
    /// would outlive the server, each holding the catalog (and the database lock): they watch
    /// this and close.
    stopping: watch::Receiver<bool>,
}

/// The application's routes and layers. `stopping` closes open subscriptions when it turns
/// true.
pub fn router(
    catalog: Arc<Catalog>,
    config: &ServerConfig,
    stopping: watch::Receiver<bool>,
) -> Router {
    let schema = graphql::schema(catalog.clone(), config.limits, config.introspection);
    let state = AppState {
        schema,
        catalog,
        admin_token: config.admin_token.as_str().into(),
        max_batch: config.max_batch,
        max_body_bytes: config.max_body_bytes,
        limits: config.limits,
        metrics: Metrics::new(),
        cache: ResponseCache::new(config.response_cache_bytes).map(Arc::new),
        documents: Arc::new(Documents::new(8 * 1024 * 1024)),
        stopping,
    };
    let router = if config.introspection {
        explorer::routes()
    } else {
        Router::new()
    };
    let router = router
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/export", get(export))
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(
            // Outermost first: errors of the inner layers become responses, an overloaded
            // server sheds at once instead of queueing, and no request runs unbounded.
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new({
                    let (timeout, concurrency) = (config.request_timeout, config.max_concurrency);
                    move |error| overloaded(error, timeout, concurrency)
                }))
                .load_shed()
                .concurrency_limit(config.max_concurrency)
                .timeout(config.request_timeout),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    // `operation` is filled in by the GraphQL handler once it knows it.
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        request_id = %id,
                        operation = tracing::field::Empty,
                    )
                })
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        // A bug must not drop the connection: a panic becomes a logged 500 with an INTERNAL
        // error, like any other internal failure.
        .layer(CatchPanicLayer::custom(panic_response))
        // Outside the trace layer, so the id exists when the request's span is made, and is
        // echoed to the client for support requests.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    match cors(&config.cors_origins) {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::from(Any)
    } else {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        AllowOrigin::list(list)
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT])
            .max_age(Duration::from_secs(3600)),
    )
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish and closes open
/// subscriptions, so that when this returns nothing holds the catalog any more.
pub async fn serve(
    listener: tokio::net::TcpListener,
    catalog: Arc<Catalog>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopping) = watch::channel(false);
    let app = router(catalog, &config, stopping);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&state.catalog),
    )
        .into_response()
}

/// An online backup: the current snapshot in the seed format (admin only). Restoring is
/// `skillgraph import FILE` into a fresh database.
async fn export(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !caller(&headers, &state.admin_token).admin {
        let body = serde_json::json!({ "errors": [{
            "message": "the export needs an admin token: send `Authorization: Bearer <token>`",
            "extensions": { "code": graphql::error::code::UNAUTHENTICATED }
        }] });
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    let snapshot = state.catalog.snapshot();
    let revision = snapshot.revision();
    // Serializing a large graph is CPU work: keep it off the request workers.
    match tokio::task::spawn_blocking(move || crate::import::seed::export(&snapshot)).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "application/toml".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"skillgraph-r{revision}.toml\""),
                ),
            ],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "export failed");
            plain_error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

async fn ready(State(state): State<AppState>) -> Response {
    let revision = state.catalog.snapshot().revision();
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{{\"status\":\"ready\",\"revision\":{revision}}}"),
    )
        .into_response()
}

/// Whether the request carries the admin token, compared in constant time. The scheme name is
/// case-insensitive (RFC 9110 §11.1).
fn caller(headers: &HeaderMap, token: &str) -> Caller {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, credentials)| credentials.trim());
    let admin = presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(token.as_bytes())));
    Caller { admin }
}

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE))
}

/// A refusal at the transport (before any GraphQL runs), still shaped as a GraphQL error with a
/// code: `INTERNAL` for server failures, `INVALID_INPUT` for everything the client sent wrong.
fn plain_error(status: StatusCode, message: &str) -> Response {
    let code = if status.is_server_error() {
        graphql::error::code::INTERNAL
    } else {
        graphql::error::code::INVALID_INPUT
    };
    let body =
        serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// A refusal by a limit, shaped as a GraphQL error with `LIMIT_EXCEEDED` and the limit named.
fn limit_error(status: StatusCode, limit: &str, max: u64, message: &str) -> Response {
    let body = serde_json::json!({ "errors": [{
        "message": message,
        "extensions": { "code": graphql::error::code::LIMIT_EXCEEDED, "limit": limit, "max": max }
    }] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a request handler panicked");
    let body = serde_json::json!({ "errors": [{
        "message": "internal error",
        "extensions": { "code": graphql::error::code::INTERNAL }
    }] });
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Turns the errors of the load-shedding, concurrency and timeout layers into responses.
async fn overloaded(error: BoxError, timeout: Duration, concurrency: usize) -> Response {
    if error.is::<tower::timeout::error::Elapsed>() {
        return limit_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "requestTimeoutMs",
            timeout.as_millis() as u64,
            "the request took longer than the server allows",
        );
    }
    if error.is::<tower::load_shed::error::Overloaded>() {
        let mut response = limit_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "maxConcurrency",
            concurrency as u64,
            "the server is at its concurrency limit: retry shortly",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    tracing::error!(%error, "unexpected middleware error");
    plain_error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return limit_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "maxBodyBytes",
                state.max_body_bytes as u64,
                "the request body is larger than the server accepts",
            );
        }
        Err(rejection) => return plain_error(rejection.status(), &rejection.body_text()),
    };
    // Media types are case-insensitive (RFC 9110 §8.3.1); parameters such as charset may follow.
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if essence != "application/json" {
        return plain_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "POST /graphql takes a JSON body: send Content-Type: application/json",
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(e) => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                &format!("the body is not a GraphQL request: {e}"),
            );
        }
    };
    if let BatchRequest::Batch(list) = &batch
        && list.len() > state.max_batch
    {
        return limit_error(
            StatusCode::BAD_REQUEST,
            "maxBatch",
            state.max_batch as u64,
            &format!(
                "a batch may hold at most {} operations, got {}",
                state.max_batch,
                list.len()
            ),
        );
    }
    execute(
        &state,
        &headers,
        batch,
        Some(Key::new(0, false, false, body)),
    )
    .await
}

/// The parameters of `GET /graphql`, as the GraphQL-over-HTTP spec names them.
#[derive(Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    /// JSON, URL-encoded.
    variables: Option<String>,
    /// JSON, URL-encoded.
    extensions: Option<String>,
}

impl GetParams {
    fn into_request(self) -> Result<async_graphql::Request, String> {
        let query = self.query.ok_or("the query parameter is missing")?;
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = self.operation_name.filter(|n| !n.is_empty()) {
            request = request.operation_name(name);
        }
        if let Some(variables) = self.variables.filter(|v| !v.is_empty()) {
            let json: serde_json::Value = serde_json::from_str(&variables)
                .map_err(|e| format!("variables is not JSON: {e}"))?;
            request = request.variables(async_graphql::Variables::from_json(json));
        }
        if let Some(extensions) = self.extensions.filter(|v| !v.is_empty()) {
            request.extensions = serde_json::from_str(&extensions)
                .map_err(|e| format!("extensions is not a JSON object: {e}"))?;
        }
        Ok(request)
    }
}

async fn graphql_get(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let is_websocket = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if is_websocket {
        let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &()).await {
            Ok(protocol) => protocol,
            Err(rejection) => return rejection.into_response(),
        };
        return match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(upgrade) => subscribe(&state, protocol, upgrade),
            Err(rejection) => rejection.into_response(),
        };
    }
    let params: GetParams = match serde_urlencoded::from_str(parts.uri.query().unwrap_or("")) {
        Ok(params) => params,
        Err(e) => return plain_error(StatusCode::BAD_REQUEST, &format!("bad query string: {e}")),
    };
    let single = match params.into_request() {
        Ok(single) => single,
        Err(message) => return plain_error(StatusCode::BAD_REQUEST, &message),
    };
    if is_mutation(&single) {
        let mut response = plain_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "mutations are not allowed over GET: use POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let raw = Bytes::copy_from_slice(parts.uri.query().unwrap_or("").as_bytes());
    execute(
        &state,
        &parts.headers,
        BatchRequest::Single(single),
        Some(Key::new(0, false, true, raw)),
    )
    .await
}

async fn graphql_ws(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    subscribe(&state, protocol, upgrade)
}

/// Serves GraphQL over a WebSocket until the client leaves or the server stops.
fn subscribe(state: &AppState, protocol: GraphQLProtocol, upgrade: WebSocketUpgrade) -> Response {
    let schema = state.schema.clone();
    let mut stopping = state.stopping.clone();
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let connection = GraphQLWebSocket::new(socket, schema, protocol).serve();
            tokio::select! {
                () = connection => {}
                _ = stopping.wait_for(|stopped| *stopped) => {}
            }
        })
}

/// The type of the operation a document would run: its only operation, or the one named.
/// A document of one named operation is `Multiple` to the parser, yet runs without a name.
fn selected_type(
    document: &async_graphql::parser::types::ExecutableDocument,
    name: Option<&str>,
) -> Option<OperationType> {
    match &document.operations {
        DocumentOperations::Single(op) => Some(op.node.ty),
        DocumentOperations::Multiple(ops) => match name {
            Some(name) => ops.get(name).map(|op| op.node.ty),
            None if ops.len() == 1 => ops.values().next().map(|op| op.node.ty),
            // Several operations and no name: execution refuses it.
            None => None,
        },
    }
}

/// Whether the operation a request would run is a query: parsed here (and kept in the request,
/// so execution does not parse it again) because only queries may be cached.
fn is_query(documents: &Documents, request: &mut async_graphql::Request) -> bool {
    documents.parse(request);
    let name = request.operation_name.clone();
    match request.parsed_query() {
        Ok(document) => selected_type(document, name.as_deref()) == Some(OperationType::Query),
        Err(_) => false,
    }
}

/// Whether the operation a request would run is a mutation (unparsable: no, execution will
/// report the syntax error).
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    selected_type(&document, request.operation_name.as_deref()) == Some(OperationType::Mutation)
}

/// The name logs and metrics use for a request: the operation name it gives or its document
/// declares (`query Name …`), `anonymous` without one, `batch` for several operations.
fn operation_name(batch: &BatchRequest) -> String {
    let BatchRequest::Single(request) = batch else {
        return "batch".into();
    };
    if let Some(name) = &request.operation_name {
        return name.chars().take(64).collect();
    }
    // The name, if any, stands between the keyword and the first `(` or `{`.
    let head = request.query.split(['{', '(']).next().unwrap_or("");
    let mut words = head.split_whitespace();
    let declared = match words.next() {
        Some("query" | "mutation" | "subscription") => words.next(),
        _ => None,
    };
    declared
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map_or_else(
            || "anonymous".into(),
            |name| name.chars().take(64).collect(),
        )
}

/// Runs a GraphQL request. `key` is what identifies a single request for the response cache
/// (its raw bytes; the revision and scope are filled in here).
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    batch: BatchRequest,
    key: Option<Key>,
) -> Response {
    let operation = operation_name(&batch);
    tracing::Span::current().record("operation", operation.as_str());
    let started = std::time::Instant::now();
    // One snapshot for the whole request (a batch included): one consistent revision.
    let snapshot = state.catalog.snapshot();
    let revision = snapshot.revision();
    let caller = caller(headers, &state.admin_token);
    let batch = match (&state.cache, batch, key) {
        (Some(cache), BatchRequest::Single(request), Some(key)) => {
            let key = key.scoped(revision, caller.admin);
            let (response, ok) =
                cached(state, cache, headers, request, key, snapshot, caller).await;
            state.metrics.observe(&operation, ok, started.elapsed());
            return response;
        }
        (_, BatchRequest::Single(mut request), _) => {
            state.documents.parse(&mut request);
            BatchRequest::Single(request)
        }
        (_, batch, _) => batch,
    };
    let batch = batch.data(Snapshot(snapshot)).data(caller);
    let mut response = state.schema.execute_batch(batch).await;
    match &mut response {
        BatchResponse::Single(r) => tag_errors(r, &state.limits),
        BatchResponse::Batch(list) => list.iter_mut().for_each(|r| tag_errors(r, &state.limits)),
    }
    state
        .metrics
        .observe(&operation, response.is_ok(), started.elapsed());
    respond(headers, response)
}

/// A single request through the response cache: answered from it, or computed once for all
/// identical requests in flight and stored when it is a query answered without errors. Also
/// says whether the answer has no errors, for the metrics.
async fn cached(
    state: &AppState,
    cache: &ResponseCache,
    headers: &HeaderMap,
    mut request: async_graphql::Request,
    key: Key,
    snapshot: Arc<crate::domain::SkillGraph>,
    caller: Caller,
) -> (Response, bool) {
    cache.observe(key.revision());
    let get = key.is_get();
    if let Some(answer) = cache.get(&key).await {
        state.metrics.cache_hit();
        return (answered(headers, &answer, get), true);
    }
    if !is_query(&state.documents, &mut request) {
        let request = request.data(Snapshot(snapshot)).data(caller);
        let mut response = state.schema.execute(request).await;
        tag_errors(&mut response, &state.limits);
        let ok = response.is_ok();
        return (respond(headers, BatchResponse::Single(response)), ok);
    }
    let revision = key.revision();
    let computed = std::sync::atomic::AtomicBool::new(false);
    let result = cache
        .get_or_compute(key, async {
            computed.store(true, std::sync::atomic::Ordering::Relaxed);
            let request = request.data(Snapshot(snapshot)).data(caller);
            let mut response = state.schema.execute(request).await;
            if !response.errors.is_empty() {
                tag_errors(&mut response, &state.limits);
                return Err(response);
            }
            match serde_json::to_vec(&response) {
                Ok(body) => Ok(Arc::new(Answer::new(revision, body.into()))),
                Err(e) => {
                    tracing::error!(error = %e, "could not serialize a response");
                    Err(response)
                }
            }
        })
        .await;
    if computed.load(std::sync::atomic::Ordering::Relaxed) {
        state.metrics.cache_miss();
    } else {
        state.metrics.cache_hit();
    }
    match result {
        Ok(answer) => (answered(headers, &answer, get), true),
        Err(response) => (respond_one(headers, &response), false),
    }
}

/// A stored answer: for a GET whose `If-None-Match` names it, 304 (only GET may revalidate:
/// RFC 9110 §13.1.2), else the body.
fn answered(headers: &HeaderMap, answer: &Answer, get: bool) -> Response {
    let vary = HeaderValue::from_static("accept, authorization");
    let modern = wants_graphql_response(headers);
    let etag = answer.etag(modern);
    if get
        && headers
            .get(header::IF_NONE_MATCH)
            .is_some_and(|tags| Answer::matches(&etag, tags))
    {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::VARY, vary)],
        )
            .into_response();
    }
    let content_type = if modern {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::ETAG, etag),
            (header::VARY, vary),
        ],
        answer.body.clone(),
    )
        .into_response()
}

/// Gives every error a stable code. Our resolvers always set one; an error without one comes
/// from async-graphql itself: too deep or too complex a query (a limit, named like every other
/// limit), or a document, variable or argument it could not parse, validate or coerce (the
/// client's input).
fn tag_errors(response: &mut async_graphql::Response, limits: &Limits) {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let limit = match error.message.as_str() {
            "Query is nested too deep." => Some(("maxDepth", limits.max_depth)),
            "Query is too complex." => Some(("maxComplexity", limits.max_complexity)),
            _ => None,
        };
        let extensions = error.extensions.get_or_insert_with(Default::default);
        match limit {
            Some((limit, max)) => {
                extensions.set("code", graphql::error::code::LIMIT_EXCEEDED);
                extensions.set("limit", limit);
                extensions.set("max", max as u64);
            }
            None => extensions.set("code", graphql::error::code::INVALID_INPUT),
        }
    }
}

fn respond(headers: &HeaderMap, response: BatchResponse) -> Response {
    // A request that never executed (syntax or validation errors carry no path) is a 400 for
    // clients that speak the modern media type; legacy JSON clients always get 200.
    let not_executed = match &response {
        BatchResponse::Single(r) => never_executed(r),
        BatchResponse::Batch(list) => !list.is_empty() && list.iter().all(never_executed),
    };
    render(headers, not_executed, serde_json::to_string(&response))
}

fn respond_one(headers: &HeaderMap, response: &async_graphql::Response) -> Response {
    render(
        headers,
        never_executed(response),
        serde_json::to_string(response),
    )
}

fn never_executed(r: &async_graphql::Response) -> bool {
    r.data == async_graphql::Value::Null
        && !r.errors.is_empty()
        && r.errors.iter().all(|e| e.path.is_empty())
}

fn render(headers: &HeaderMap, not_executed: bool, body: serde_json::Result<String>) -> Response {
    let modern = wants_graphql_response(headers);
    let status = if modern && not_executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let content_type = if modern {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let body = body.unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not serialize a response");
        r#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.into()
    });
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(query: &str, operation: Option<&str>) -> String {
        let mut request = async_graphql::Request::new(query);
        if let Some(op) = operation {
            request = request.operation_name(op);
        }
        operation_name(&BatchRequest::Single(request))
    }

    #[test]
    fn requests_are_named_by_their_operation_for_logs_and_metrics() {
        assert_eq!(
            name_of("query Gap($x: ID!) { stats { skills } }", None),
            "Gap"
        );
        assert_eq!(
            name_of("  mutation AddIt{ deleteRole(id: \"x\") }", None),
            "AddIt"
        );
        assert_eq!(name_of("{ stats { skills } }", None), "anonymous");
        assert_eq!(name_of("query { stats { skills } }", None), "anonymous");
        assert_eq!(name_of("query A { a } query B { b }", Some("B")), "B");
        let batch = BatchRequest::Batch(vec![async_graphql::Request::new("{ a }")]);
        assert_eq!(operation_name(&batch), "batch");
    }
}
