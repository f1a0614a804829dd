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

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse};
use async_graphql_axum::GraphQLSubscription;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use subtle::ConstantTimeEq;
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::catalog::Catalog;
use crate::graphql::{self, AppSchema, Caller, Limits, Snapshot};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// How the server behaves; everything here comes from the command line or the environment.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The bearer token mutations need.
    pub admin_token: String,
    /// Origins allowed by CORS; empty means same-origin only, `*` means any.
    pub cors_origins: Vec<String>,
    pub limits: Limits,
}

#[derive(Clone)]
struct AppState {
    schema: AppSchema,
    catalog: Arc<Catalog>,
    admin_token: Arc<str>,
}

/// The application's routes and layers.
pub fn router(catalog: Arc<Catalog>, config: &ServerConfig) -> Router {
    let schema = graphql::schema(catalog.clone(), config.limits);
    let state = AppState {
        schema: schema.clone(),
        catalog,
        admin_token: config.admin_token.as_str().into(),
    };
    let router = Router::new()
        .route("/", get(graphiql))
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route_service("/graphql/ws", GraphQLSubscription::new(schema))
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .with_state(state)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        );
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

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    catalog: Arc<Catalog>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(catalog, &config);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn graphiql() -> Html<String> {
    Html(
        async_graphql::http::GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("skillgraph")
            .finish(),
    )
}

async fn ready(State(state): State<AppState>) -> Response {
    let revision = state.catalog.snapshot().revision();
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{{\"status\":\"ready\",\"revision\":{revision}}}"),
    )
        .into_response()
}

/// Whether the request carries the admin token, compared in constant time.
fn caller(headers: &HeaderMap, token: &str) -> Caller {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let admin = presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(token.as_bytes())));
    Caller { admin }
}

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE))
}

fn plain_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message }] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn graphql_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
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
    execute(&state, &headers, batch).await
}

async fn graphql_get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    request: Request,
) -> Response {
    let is_websocket = request
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if is_websocket {
        return match GraphQLSubscription::new(state.schema.clone())
            .oneshot(request)
            .await
        {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        };
    }
    let headers = request.headers().clone();
    let single = match async_graphql::http::parse_query_string(query.as_deref().unwrap_or("")) {
        Ok(single) => single,
        Err(e) => return plain_error(StatusCode::BAD_REQUEST, &format!("bad query string: {e}")),
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
    execute(&state, &headers, BatchRequest::Single(single)).await
}

/// Whether the operation a request would run is a mutation (unparsable: no, execution will
/// report the syntax error).
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let ty = match &document.operations {
        DocumentOperations::Single(op) => Some(op.node.ty),
        DocumentOperations::Multiple(ops) => match &request.operation_name {
            Some(name) => ops.get(name.as_str()).map(|op| op.node.ty),
            None => ops.values().next().map(|op| op.node.ty),
        },
    };
    ty == Some(OperationType::Mutation)
}

async fn execute(state: &AppState, headers: &HeaderMap, batch: BatchRequest) -> Response {
    // One snapshot for the whole request (a batch included): one consistent revision.
    let snapshot = Snapshot(state.catalog.snapshot());
    let caller = caller(headers, &state.admin_token);
    let batch = batch.data(snapshot).data(caller);
    let response = state.schema.execute_batch(batch).await;
    respond(headers, response)
}

fn respond(headers: &HeaderMap, response: BatchResponse) -> Response {
    let modern = wants_graphql_response(headers);
    // A request that never executed (syntax or validation errors carry no path) is a 400 for
    // clients that speak the modern media type; legacy JSON clients always get 200.
    let failed = |r: &async_graphql::Response| {
        r.data == async_graphql::Value::Null
            && !r.errors.is_empty()
            && r.errors.iter().all(|e| e.path.is_empty())
    };
    let not_executed = match &response {
        BatchResponse::Single(r) => failed(r),
        BatchResponse::Batch(list) => !list.is_empty() && list.iter().all(failed),
    };
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
    let body = serde_json::to_string(&response).unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not serialize a response");
        r#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.into()
    });
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}
