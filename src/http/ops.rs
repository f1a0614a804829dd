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

async fn ready(State(state): State<AppState>) -> Response {
    let revision = state.catalog.snapshot().revision();
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{{\"status\":\"ready\",\"revision\":{revision}}}"),
    )
        .into_response()
}
