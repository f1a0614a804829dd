//! Spans of a GraphQL request's phases, for traces (`--otlp-endpoint`; see "Traces
//! (OpenTelemetry)" in the README): [`Traced`] times validation against the schema
//! (`graphql.validate`) and execution (`graphql.execute`). Parsing is timed where it happens,
//! in `exec::Guarded::prepare` (`graphql.parse`: async-graphql's own parse hook would only
//! see the document `prepare` already parsed). Around the three, the operation's span
//! ([`operation_span`], opened by each transport), named as the OpenTelemetry GraphQL semantic
//! conventions name it: `query LearningPath`, with `graphql.operation.name` and
//! `graphql.operation.type`. The resolvers open the domain spans ([`Work::span`]) around the
//! work that matters: plans, gaps, matching, extraction.
//!
//! Every span here is at DEBUG level, so with traces off (the logs at their default INFO
//! level) none is ever built: a disabled `tracing` callsite costs one cached check. The
//! extension itself is only installed when traces are on (`schema_validating`).
//!
//! Knows async-graphql's extension hooks, `tracing`, and of OpenTelemetry only how a started
//! span is renamed; nothing of HTTP or of how spans are exported.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation,
};
use async_graphql::parser::types::OperationType;
use async_graphql::{Response, ServerError, ValidationResult};
use opentelemetry::trace::TraceContextExt as _;
use tracing::Instrument as _;
use tracing::Span;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// The extension that opens `graphql.validate` and `graphql.execute` spans.
pub struct Traced;

impl ExtensionFactory for Traced {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Traced)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Traced {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx)
            .instrument(tracing::debug_span!("graphql.validate"))
            .await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        next.run(ctx, operation_name)
            .instrument(tracing::debug_span!("graphql.execute"))
            .await
    }
}

/// The domain work a resolver opens a span around ([`Work::span`]).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Work {
    /// A learning path, or the plan that closes a gap.
    Plan,
    /// A profile's standing against a role.
    Gap,
    /// Roles ranked for a profile.
    Match,
    /// Skills read from a text.
    Extract,
}

impl Work {
    /// The span, named `plan`, `gap`, `match` or `extract`, with what the work grows with
    /// (profile skills plus targets, or text bytes) as `skillgraph.input.size`. Disabled, and
    /// free, unless traces are on.
    pub(crate) fn span(self, size: usize) -> tracing::Span {
        // One callsite each: a `tracing` span's name is static.
        match self {
            Work::Plan => tracing::debug_span!("plan", skillgraph.input.size = size),
            Work::Gap => tracing::debug_span!("gap", skillgraph.input.size = size),
            Work::Match => tracing::debug_span!("match", skillgraph.input.size = size),
            Work::Extract => tracing::debug_span!("extract", skillgraph.input.size = size),
        }
    }
}

/// The span of one GraphQL operation, renamed once [`name_operation`] knows what it runs. A
/// DEBUG span: with traces off it is disabled and costs nothing.
pub fn operation_span() -> Span {
    tracing::debug_span!(
        "graphql.operation",
        graphql.operation.name = Empty,
        graphql.operation.type = Empty,
        skillgraph.cache = Empty,
        otel.status_code = Empty,
    )
}

/// Marks an operation's span as failed when its answer has errors (refused, invalid, or a
/// resolver's error), so a trace viewer shows it red.
pub fn outcome(span: &Span, response: &Response) {
    if !response.errors.is_empty() {
        span.record("otel.status_code", "error");
    }
}

/// Names an operation's span as the GraphQL semantic conventions do: `{type} {name}`, or the
/// type alone for an anonymous operation. Takes the operation's type and name, not the guard's
/// ticket, so this module stays below the guard (`exec`) that opens its spans.
pub fn name_operation(span: &Span, ty: OperationType, name: Option<&str>) {
    if span.is_disabled() {
        return;
    }
    let ty = match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    };
    span.record("graphql.operation.type", ty);
    let name = match name {
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
