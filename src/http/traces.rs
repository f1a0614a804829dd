//! The HTTP side of traces (`--otlp-endpoint`; see "Traces (OpenTelemetry)" in the README): the
//! request's span as an OpenTelemetry server span that continues the caller's W3C
//! `traceparent`, and the span of each GraphQL operation named as the OpenTelemetry GraphQL
//! semantic conventions name it (`query LearningPath`, with `graphql.operation.name` and
//! `graphql.operation.type`).
//!
//! With traces off the request span is the plain one the logs have always had, no header is
//! read, and the operation span is a DEBUG span nobody builds. Knows `tracing`, the
//! OpenTelemetry propagation API and the executor's ticket; not how spans are exported
//! (`telemetry`, installed by the binary).

use async_graphql::parser::types::OperationType;
use axum::extract::MatchedPath;
use axum::http::{HeaderMap, Request, Response};
use opentelemetry::propagation::Extractor;
use opentelemetry::trace::TraceContextExt as _;
use tracing::Span;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use crate::graphql::exec::Ticket;

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
    // The route, not the path, names the span: `/paths/{id}.svg` is one name, not one per id.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(path, MatchedPath::as_str);
    let span = tracing::info_span!(
        "request",
        method = %method,
        path = %path,
        request_id = %id,
        operation = Empty,
        otel.name = %format_args!("{method} {route}"),
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

/// The span of one GraphQL operation, renamed once [`name_operation`] knows what it runs. A
/// DEBUG span: with traces off it is disabled and costs nothing.
pub(super) fn operation_span() -> Span {
    tracing::debug_span!(
        "graphql.operation",
        graphql.operation.name = Empty,
        graphql.operation.type = Empty,
        skillgraph.cache = Empty,
    )
}

/// Names an operation's span as the GraphQL semantic conventions do: `{type} {name}`, or the
/// type alone for an anonymous operation.
pub(super) fn name_operation(span: &Span, ticket: &Ticket) {
    if span.is_disabled() {
        return;
    }
    let ty = match ticket.ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    };
    span.record("graphql.operation.type", ty);
    let name = match ticket.operation_name() {
        Some(name) => {
            span.record("graphql.operation.name", name);
            format!("{ty} {name}")
        }
        None => ty.to_owned(),
    };
    // Not `otel.name`: the OpenTelemetry span was started when `graphql.parse` opened under
    // it, and a started span takes a new name only through its own API.
    span.context().span().update_name(name);
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
