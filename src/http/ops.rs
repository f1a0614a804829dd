//! Operations: liveness, readiness and Prometheus metrics, for load balancers and monitoring.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
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

/// 200 with `{"status":"ready","revision":N}`; with replication, also the role, lag or
/// backlog, and 503 while not ready (a replica loading or behind, a writer that another
/// writer keeps from publishing), with the reason.
async fn ready(State(state): State<AppState>) -> Response {
    let revision = state.catalog.snapshot().revision();
    let Some(status) = &state.replication else {
        return (
            [(header::CONTENT_TYPE, "application/json")],
            format!("{{\"status\":\"ready\",\"revision\":{revision}}}"),
        )
            .into_response();
    };
    let readiness = status.readiness(revision);
    let code = if readiness.ready {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        [(header::CONTENT_TYPE, "application/json")],
        readiness.body.to_string(),
    )
        .into_response()
}
