//! GraphQL transport: `POST /graphql`, `GET /graphql`, GraphQL over WebSocket, and GraphQL
//! over Server-Sent Events for a request that accepts `text/event-stream` ([`super::sse`]).
//!
//! Transport follows the GraphQL-over-HTTP spec: `POST /graphql` takes a JSON body (a single
//! request or a batch); `GET /graphql?query=…` runs queries only (a mutation over GET is
//! refused with 405, since GET must be safe); the response is
//! `application/graphql-response+json` when the client accepts it, with 400 for requests that
//! could not be executed at all, and plain `application/json` with 200 otherwise.
//!
//! A single query is answered through the response cache ([`super::cache`]) when it is on: from
//! a stored answer, or computed once for every identical request in flight. Every request's
//! document is parsed once per distinct text (`cache::Documents`).

use std::sync::Arc;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use serde::Deserialize;
use tracing::Instrument as _;

use super::admin::Auth;
use super::cache::{Answer, Key};
use super::operation::{
    MIN_REVISION_HEADER, REVISION_HEADER, Wire, mutation_over_get, never_executed,
    reach_min_revision, request_name,
};
use super::{AppState, limit_error, plain_error};
use crate::graphql::error::Code;
use crate::graphql::{Caller, Produced, Snapshot};
use crate::graphql::{flat, traced};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
}

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn graphql_post(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_body(body, state.max_body_bytes).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            let mut response = limit_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "maxBodyBytes",
                state.max_body_bytes as u64,
                "the request body is larger than the server accepts",
            );
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
        Err(BodyError::Broken(message)) => {
            return plain_error(StatusCode::BAD_REQUEST, &message);
        }
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
    if super::sse::wants_event_stream(&headers) {
        return match batch {
            BatchRequest::Single(request) => {
                super::sse::respond(&state, &headers, caller, request, false).await
            }
            BatchRequest::Batch(_) => plain_error(
                StatusCode::BAD_REQUEST,
                "an event stream carries one operation: send a single request, not a batch",
            ),
        };
    }
    if let BatchRequest::Batch(list) = &batch
        && list.len() > state.max_batch
    {
        return limit_error(
            StatusCode::BAD_REQUEST,
            "maxBatch",
            state.max_batch as u64,
            &if state.max_batch == 0 {
                "batching is off: send one operation per request, or start the server with \
                 --max-batch N"
                    .to_owned()
            } else {
                format!(
                    "a batch may hold at most {} operations, got {}",
                    state.max_batch,
                    list.len()
                )
            },
        );
    }
    execute(
        &state,
        &headers,
        caller,
        batch,
        Key::new(0, false, false, body),
    )
    .await
}

enum BodyError {
    TooLarge,
    Broken(String),
}

/// Most bytes of an oversize body read and thrown away before the 413 is sent, and for how
/// long: clients that write the whole body before reading (reqwest, Python's urllib, curl
/// without `Expect`) would otherwise see the connection reset under their write, a "broken
/// pipe" instead of the answer. nginx's lingering close does the same.
const LINGER_BYTES: usize = 16 * 1024 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(5);

/// The request body, up to `max` bytes. A larger one is drained (within the linger bounds)
/// before it is refused, so that the client reads the refusal.
async fn read_body(body: Body, max: usize) -> Result<Bytes, BodyError> {
    // A body announced past the linger bound cannot be drained in time anyway.
    if axum::body::HttpBody::size_hint(&body)
        .exact()
        .is_some_and(|n| n > max as u64 && n > LINGER_BYTES as u64)
    {
        return Err(BodyError::TooLarge);
    }
    let mut stream = body.into_data_stream();
    let mut collected = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| BodyError::Broken(format!("the body broke off: {e}")))?;
        if collected.len() + chunk.len() > max {
            let mut drained = collected.len() + chunk.len();
            let deadline = tokio::time::Instant::now() + LINGER_TIME;
            while drained < LINGER_BYTES {
                match tokio::time::timeout_at(deadline, stream.next()).await {
                    Ok(Some(Ok(chunk))) => drained += chunk.len(),
                    _ => break,
                }
            }
            return Err(BodyError::TooLarge);
        }
        collected.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(collected))
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
        // Without a query the request must name a persisted query in its extensions.
        let mut request = async_graphql::Request::new(self.query.unwrap_or_default());
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
        if request.query.is_empty() && !request.extensions.contains_key("persistedQuery") {
            return Err("the query parameter is missing".into());
        }
        Ok(request)
    }
}

async fn graphql_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    request: Request,
) -> Response {
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
            Ok(upgrade) => subscribe(&state, caller, protocol, upgrade),
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
    if super::sse::wants_event_stream(&parts.headers) {
        return super::sse::respond(&state, &parts.headers, caller, single, true).await;
    }
    let raw = Bytes::copy_from_slice(parts.uri.query().unwrap_or("").as_bytes());
    execute(
        &state,
        &parts.headers,
        caller,
        BatchRequest::Single(single),
        Key::new(0, false, true, raw),
    )
    .await
}

async fn graphql_ws(
    State(state): State<AppState>,
    Auth(caller): Auth,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    subscribe(&state, caller, protocol, upgrade)
}

/// Serves GraphQL over a WebSocket until the client leaves or the server stops. The
/// connection's caller is the upgrade request's (its `Authorization` header), or the token in
/// `connection_init`'s payload, where browsers, which cannot set headers on a WebSocket, put it.
/// A payload with a wrong token closes the connection instead of running as anonymous.
fn subscribe(
    state: &AppState,
    caller: Caller,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let executor = state.executor.clone();
    let token = state.admin_token.clone();
    let mut stopping = state.stopping.clone();
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let mut data = async_graphql::Data::default();
            data.insert(caller);
            let connection = GraphQLWebSocket::new(socket, executor, protocol)
                .with_data(data)
                .on_connection_init(move |payload| async move {
                    let mut data = async_graphql::Data::default();
                    match super::admin::payload_token(&payload) {
                        None => {}
                        Some(presented) if super::admin::is_token(presented, &token) => {
                            data.insert(Caller { admin: true });
                        }
                        Some(_) => {
                            return Err(async_graphql::Error::new(
                                "the token in connection_init is not the admin token",
                            ));
                        }
                    }
                    Ok(data)
                })
                .serve();
            tokio::select! {
                () = connection => {}
                _ = stopping.wait_for(|stopped| *stopped) => {}
            }
        })
}

/// The name logs and metrics use for a request: the operation name it gives or its document
/// declares (`query Name …`), `anonymous` without one, `batch` for several operations.
fn operation_name(batch: &BatchRequest) -> String {
    match batch {
        BatchRequest::Single(request) => request_name(request),
        BatchRequest::Batch(_) => "batch".into(),
    }
}

/// Runs a GraphQL request. `key` identifies a single request for the response cache (its raw
/// bytes and transport; the revision and scope are filled in here).
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    caller: Caller,
    batch: BatchRequest,
    key: Key,
) -> Response {
    let operation = operation_name(&batch);
    tracing::Span::current().record("operation", operation.as_str());
    let started = std::time::Instant::now();
    if let Err(refused) = reach_min_revision(state, headers).await {
        state.metrics.observe(&operation, false, started.elapsed());
        return refused;
    }
    // One snapshot for the whole request (a batch included): one consistent revision. The
    // lineage is read first: a reload publishes its snapshot before it moves the lineage, so
    // a request never pairs the new lineage with the old graph.
    let lineage = state.catalog.lineage();
    let snapshot = state.catalog.snapshot();
    let revision = snapshot.revision();
    let produced = Produced::default();
    let get = key.is_get();
    let (mut response, ok) = match batch {
        BatchRequest::Single(request) => {
            let key = key.scoped(snapshot.revision(), lineage, caller.admin);
            let request = request.data(produced.clone());
            single(state, headers, request, key, snapshot, caller).await
        }
        BatchRequest::Batch(requests) => {
            let responses = futures_util::future::join_all(requests.into_iter().map(|request| {
                run(
                    state,
                    request.data(produced.clone()),
                    snapshot.clone(),
                    caller,
                )
            }))
            .await;
            let ok = responses.iter().all(|r| r.is_ok());
            (respond(headers, BatchResponse::Batch(responses)), ok)
        }
    };
    // The revision the answer was computed on; a mutation's, the one it produced.
    let revision = match produced.get() {
        0 => revision,
        produced => produced,
    };
    response
        .headers_mut()
        .insert(REVISION_HEADER, HeaderValue::from(revision));
    if get {
        let public = ok && !caller.admin && !headers.contains_key(MIN_REVISION_HEADER);
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            cache_control(public, state.public_max_age),
        );
    }
    state.metrics.observe(&operation, ok, started.elapsed());
    response
}

/// `Cache-Control` of a GET query's answer. Public when anonymous and successful: the same
/// query at the same revision answers the same for everyone, and its ETag names the revision,
/// so a CDN or browser may keep it (`max-age` from `--public-max-age-secs`, else revalidated
/// each time). `no-store` when an admin token was used (an admin may see more), when the
/// request waited for a minimum revision (read-your-writes is one client's), or on errors.
fn cache_control(public: bool, max_age: std::time::Duration) -> HeaderValue {
    if !public {
        return HeaderValue::from_static("no-store");
    }
    match max_age.as_secs() {
        0 => HeaderValue::from_static("public, no-cache"),
        secs => HeaderValue::from_str(&format!("public, max-age={secs}"))
            .expect("digits are a header value"),
    }
}

/// One request of a batch: checked, then executed (no cache, no GET rules: batches are POST).
async fn run(
    state: &AppState,
    mut request: async_graphql::Request,
    snapshot: Arc<crate::domain::SkillGraph>,
    caller: Caller,
) -> async_graphql::Response {
    let span = traced::operation_span();
    let response = match span.in_scope(|| state.executor.prepare(&mut request)) {
        Ok(ticket) if ticket.ty == OperationType::Subscription => over_websocket(),
        Ok(ticket) => {
            traced::name_operation(&span, ticket.ty, ticket.operation_name());
            let request = request
                .data(Snapshot(snapshot))
                .data(caller)
                .data(flat::Raw);
            state
                .executor
                .execute_prepared(request, &ticket)
                .instrument(span.clone())
                .await
        }
        Err(refusal) => async_graphql::Response::from_errors(vec![refusal]),
    };
    traced::outcome(&span, &response);
    response
}

/// The answer to a subscription sent over HTTP with a JSON answer, which cannot stream it.
fn over_websocket() -> async_graphql::Response {
    let mut error = async_graphql::ServerError::new(
        "subscriptions stream over WebSocket (connect to /graphql/ws with graphql-transport-ws) \
         or over Server-Sent Events (send Accept: text/event-stream)",
        None,
    );
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", Code::GraphqlValidationFailed.name());
    error.extensions = Some(extensions);
    async_graphql::Response::from_errors(vec![error])
}

/// A single request: answered from the response cache when it holds it; otherwise checked
/// (a mutation over GET is refused here, whatever the document looks like: GET must be safe),
/// executed, and stored when it is a query answered without errors. Also says whether the
/// answer has no errors, for the metrics.
async fn single(
    state: &AppState,
    headers: &HeaderMap,
    mut request: async_graphql::Request,
    key: Key,
    snapshot: Arc<crate::domain::SkillGraph>,
    caller: Caller,
) -> (Response, bool) {
    let get = key.is_get();
    // A hit is answered without parsing: its span has no name and no children, only
    // `skillgraph.cache = hit`.
    let span = traced::operation_span();
    if let Some(cache) = &state.cache {
        cache.observe(key.lineage(), key.revision());
        // Only queries are stored, so a hit needs no check: the same bytes at the same
        // revision are the same query.
        if let Some(answer) = cache.get(&key).await {
            state.metrics.cache_hit();
            span.record("skillgraph.cache", "hit");
            return (answered(headers, &answer, get), true);
        }
    }
    let ticket = match span.in_scope(|| state.executor.prepare(&mut request)) {
        Ok(ticket) => {
            traced::name_operation(&span, ticket.ty, ticket.operation_name());
            ticket
        }
        Err(refusal) => {
            let response = async_graphql::Response::from_errors(vec![refusal]);
            traced::outcome(&span, &response);
            return (respond_one(headers, &response), false);
        }
    };
    if ticket.ty == OperationType::Subscription {
        return (respond_one(headers, &over_websocket()), false);
    }
    if get && ticket.ty == OperationType::Mutation {
        return (mutation_over_get(), false);
    }
    let request = request
        .data(Snapshot(snapshot))
        .data(caller)
        .data(flat::Raw);
    let cache = match &state.cache {
        Some(cache) if ticket.ty == OperationType::Query => cache,
        _ => {
            let response = state
                .executor
                .execute_prepared(request, &ticket)
                .instrument(span.clone())
                .await;
            traced::outcome(&span, &response);
            let ok = response.is_ok();
            return (respond_one(headers, &response), ok);
        }
    };
    let revision = key.revision();
    let computed = std::sync::atomic::AtomicBool::new(false);
    let result = cache
        .get_or_compute(key, async {
            computed.store(true, std::sync::atomic::Ordering::Relaxed);
            let response = state
                .executor
                .execute_prepared(request, &ticket)
                .instrument(span.clone())
                .await;
            if !response.errors.is_empty() {
                return Err(response);
            }
            match Wire::from(&response).to_json() {
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
        span.record("skillgraph.cache", "miss");
    } else {
        // Answered by an identical request in flight: its span has the children.
        state.metrics.cache_hit();
        span.record("skillgraph.cache", "hit");
    }
    match result {
        Ok(answer) => (answered(headers, &answer, get), true),
        Err(response) => {
            traced::outcome(&span, &response);
            (respond_one(headers, &response), false)
        }
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

fn respond(headers: &HeaderMap, response: BatchResponse) -> Response {
    // A request that never executed (syntax or validation errors carry no path) is a 400 for
    // clients that speak the modern media type; legacy JSON clients always get 200.
    match &response {
        BatchResponse::Single(r) => respond_one(headers, r),
        BatchResponse::Batch(list) => {
            let not_executed = !list.is_empty() && list.iter().all(never_executed);
            let wire: Vec<Wire> = list.iter().map(Wire::from).collect();
            render(headers, not_executed, Wire::list_to_json(&wire))
        }
    }
}

fn respond_one(headers: &HeaderMap, response: &async_graphql::Response) -> Response {
    render(
        headers,
        never_executed(response),
        Wire::from(response).to_json(),
    )
}

fn render(headers: &HeaderMap, not_executed: bool, body: serde_json::Result<Vec<u8>>) -> Response {
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
        Code::Internal.body("internal error", &[]).into_bytes()
    });
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE))
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
