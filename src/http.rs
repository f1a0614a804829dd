//! The HTTP server: GraphQL over HTTP (POST and GET), GraphQL over WebSocket and over
//! Server-Sent Events for subscriptions, GraphiQL, health and readiness, behind tower layers for CORS and tracing.
//!
//! [`serve`] takes a bound listener and a shutdown future, so tests bind `127.0.0.1:0` and
//! production binds the configured address through the very same start-up path.
//!
//! The routes are split by job: [`graphql`] (the GraphQL transport: POST, GET, WebSocket, and
//! [`sse`] for answers streamed as Server-Sent Events),
//! [`admin`] (the admin-token extractor and admin routes), [`ops`] (health, readiness,
//! metrics), [`paths`] (learning paths drawn as SVG, DOT and Mermaid), [`explorer`] (GraphiQL)
//! and [`explore`] (the plan explorer). This file merges them under one set of tower layers
//! and writes every transport refusal ([`refusal`]) from the one code table in
//! `graphql::error`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;
use tower::{BoxError, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, OnResponse as _, TraceLayer};
use tracing::Level;

use crate::catalog::Catalog;
pub use crate::config::ServerConfig;
use crate::graphql::error::Code;
use crate::graphql::exec::Guarded;
use crate::graphql::{self as api};

mod admin;
mod assets;
mod cache;
mod explore;
mod explorer;
mod graphql;
mod metrics;
mod operation;
mod ops;
mod paths;
mod sse;
mod traces;
use cache::ResponseCache;
use metrics::Metrics;

#[derive(Clone)]
struct AppState {
    /// The schema behind the checks every request goes through (`graphql::exec`).
    executor: Guarded,
    catalog: Arc<Catalog>,
    admin_token: Arc<str>,
    max_batch: usize,
    /// `Cache-Control` of an anonymous GET query's answer (see `graphql::cache_control`).
    public_max_age: std::time::Duration,
    max_body_bytes: usize,
    metrics: Arc<Metrics>,
    cache: Option<Arc<ResponseCache>>,
    /// The request limits, for the routes outside GraphQL that take a profile (`paths`).
    limits: crate::config::Limits,
    /// Replication's state, on a writer that publishes or a replica.
    replication: Option<Arc<crate::replication::Status>>,
    /// How long a request waits for its `Skillgraph-Min-Revision`.
    min_revision_wait: Duration,
    /// Turns true when the server stops; Server-Sent Events streams end on it too, since
    /// graceful shutdown would wait for them forever. WebSocket connections are detached from the HTTP
    /// connection that upgraded them, so graceful shutdown would not wait for them and they
    /// would outlive the server, each holding the catalog (and the database lock): they watch
    /// this and close.
    stopping: watch::Receiver<bool>,
    /// Longest silence on a Server-Sent Events stream before a keep-alive comment.
    sse_keep_alive: Duration,
}

/// Replication as the server sees it: its state for `/ready` and `/metrics`, and the writer's
/// snapshot publisher for the `publishSnapshot` mutation.
#[derive(Clone, Debug)]
pub struct Replication {
    pub status: Arc<crate::replication::Status>,
    pub snapshots: Option<crate::replication::Handle>,
}

/// The application's routes and layers. `stopping` closes open subscriptions when it turns
/// true.
pub fn router(
    catalog: Arc<Catalog>,
    config: &ServerConfig,
    replication: Option<Replication>,
    stopping: watch::Receiver<bool>,
) -> Router {
    let schema_validating = |validation| {
        api::schema_validating(
            catalog.clone(),
            config.limits,
            config.introspection,
            config.federation,
            api::Replication {
                writer_url: config.writer_url.clone(),
                snapshots: replication.as_ref().and_then(|r| r.snapshots.clone()),
            },
            config.traces,
            validation,
        )
    };
    let executor = Guarded::new(
        schema_validating(async_graphql::ValidationMode::Strict),
        config,
    )
    .validating_known_documents_with(schema_validating(async_graphql::ValidationMode::Fast))
    .pinning(catalog.clone());
    let status = replication.map(|r| r.status);
    let state = AppState {
        executor,
        catalog,
        admin_token: config.admin_token.as_str().into(),
        max_batch: config.max_batch,
        public_max_age: config.public_max_age,
        max_body_bytes: config.max_body_bytes,
        metrics: Metrics::new(status.clone()),
        cache: ResponseCache::new(config.response_cache_bytes).map(Arc::new),
        limits: config.limits,
        replication: status,
        min_revision_wait: config.min_revision_wait,
        stopping,
        sse_keep_alive: config.sse_keep_alive,
    };
    let router = if config.introspection {
        explorer::routes()
    } else {
        Router::new()
    };
    let router = router
        .merge(graphql::routes())
        .merge(admin::routes())
        .merge(ops::routes())
        .merge(paths::routes())
        .merge(explore::routes())
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
        .layer({
            let traced = config.traces;
            let logged = DefaultOnResponse::new()
                .level(Level::INFO)
                .latency_unit(tower_http::LatencyUnit::Micros);
            TraceLayer::new_for_http()
                .make_span_with(move |request: &axum::http::Request<_>| {
                    traces::request_span(request, traced)
                })
                .on_request(())
                .on_response(
                    move |response: &Response, latency: Duration, span: &tracing::Span| {
                        if traced {
                            traces::record_status(span, response);
                        }
                        logged.clone().on_response(response, latency, span);
                    },
                )
        })
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
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                header::ACCEPT,
                header::HeaderName::from_static("skillgraph-min-revision"),
            ])
            .expose_headers([header::HeaderName::from_static("skillgraph-revision")])
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
    serve_with(listener, catalog, config, None, shutdown).await
}

/// [`serve`], for a server that replicates (a writer that publishes, or a replica).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    catalog: Arc<Catalog>,
    config: ServerConfig,
    replication: Option<Replication>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopping) = watch::channel(false);
    let app = router(catalog, &config, replication, stopping);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await
}

/// A refusal at the transport (before any GraphQL runs), still shaped as a GraphQL error with a
/// code. The status is the code's own ([`Code::status`]) unless `status` says otherwise (a
/// limit about size or load). Every error body the server writes comes through here.
pub(crate) fn refusal(
    code: Code,
    status: Option<StatusCode>,
    message: &str,
    extra: &[(&str, serde_json::Value)],
) -> Response {
    let status = status
        .or_else(|| StatusCode::from_u16(code.status()).ok())
        .unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        code.body(message, extra),
    )
        .into_response()
}

/// A refusal at the transport: `INTERNAL` for server failures, `INVALID_INPUT` for everything
/// the client sent wrong, with the given status.
pub(crate) fn plain_error(status: StatusCode, message: &str) -> Response {
    let code = if status.is_server_error() {
        Code::Internal
    } else {
        Code::InvalidInput
    };
    refusal(code, Some(status), message, &[])
}

/// A refusal by a limit, with `LIMIT_EXCEEDED` and the limit named.
pub(crate) fn limit_error(status: StatusCode, limit: &str, max: u64, message: &str) -> Response {
    refusal(
        Code::LimitExceeded,
        Some(status),
        message,
        &[("limit", limit.into()), ("max", max.into())],
    )
}

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a request handler panicked");
    refusal(Code::Internal, None, "internal error", &[])
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
