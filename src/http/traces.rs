//! The HTTP side of traces (`--otlp-endpoint`; see "Traces (OpenTelemetry)" in the README): the
//! request's span as an OpenTelemetry server span that continues the caller's W3C
//! `traceparent`. The GraphQL operation's span under it is `graphql::traced`'s.
//!
//! With traces off the request span is the plain one the logs have always had and no header
//! is read. Knows `tracing` and the OpenTelemetry propagation API; not how spans are exported
//! (`telemetry`, installed by the binary), beyond the target it never exports.

use axum::extract::MatchedPath;
use axum::http::{HeaderMap, Request, Response};
use opentelemetry::propagation::Extractor;
use tracing::Span;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// The span of one request. The request id is in it either way (`x-request-id`, set by the
/// layer outside); with `traced`, also the OpenTelemetry server span's name (`POST /graphql`),
/// kind and HTTP attributes, and the caller's trace as its parent.
pub(super) fn request_span<B>(request: &Request<B>, traced: bool) -> Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let method = request.method();
    let path = request.uri().path();
    // Probes and scrapes (every few seconds, from every replica's orchestrator) would bury
    // the traces people look for: they keep their log span only.
    if traced && matches!(path, "/health" | "/ready" | "/metrics") {
        return tracing::info_span!(
            target: crate::telemetry::UNTRACED,
            "request",
            method = %method,
            path = %path,
            request_id = %id,
        );
    }
    if !traced {
        // `operation` is filled in by the GraphQL handler once it knows it.
        return tracing::info_span!(
            "request",
            method = %method,
            path = %path,
            request_id = %id,
            operation = Empty,
        );
    }
    // The route, not the path, names the span (HTTP semantic conventions): `/paths/{id}.svg`
    // is one name, not one per id; a path no route matched is named by its method alone.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    let name = match route {
        Some(route) => format!("{method} {route}"),
        None => method.to_string(),
    };
    let span = tracing::info_span!(
        "request",
        method = %method,
        path = %path,
        request_id = %id,
        operation = Empty,
        otel.name = name.as_str(),
        otel.kind = "server",
        otel.status_code = Empty,
        http.request.method = %method,
        http.route = route,
        url.path = path,
        http.response.status_code = Empty,
    );
    let caller = opentelemetry::global::get_text_map_propagator(|propagator| {
        propagator.extract(&Headers(request.headers()))
    });
    // Fails only when the span is disabled (RUST_LOG turned the crate's INFO spans off):
    // then there is no span to continue the trace with.
    let _ = span.set_parent(caller);
    span
}

/// Records the status on a traced request's span; a server error marks the span as failed.
pub(super) fn record_status<B>(span: &Span, response: &Response<B>) {
    let status = response.status();
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
}

/// Reads `traceparent` (and `tracestate`) from the request's headers for the propagator.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}
