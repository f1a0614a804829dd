//! Spans of a GraphQL request's phases, for traces (`--otlp-endpoint`; see "Traces
//! (OpenTelemetry)" in the README): [`Traced`] times validation against the schema
//! (`graphql.validate`) and execution (`graphql.execute`). Parsing is timed where it happens,
//! in `exec::Guarded::prepare` (`graphql.parse`: async-graphql's own parse hook would only
//! see the document `prepare` already parsed); the span of the whole operation, with its name
//! and type, is the transport's (`http::traces`). The resolvers open the domain spans
//! ([`Work::span`]) around the work that matters: plans, gaps, matching, extraction.
//!
//! Every span here is at DEBUG level, so with traces off (the logs at their default INFO
//! level) none is ever built: a disabled `tracing` callsite costs one cached check. The
//! extension itself is only installed when traces are on (`schema_with`).
//!
//! Knows async-graphql's extension hooks and `tracing`; nothing of HTTP or OpenTelemetry.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation,
};
use async_graphql::{Response, ServerError, ValidationResult};
use tracing::Instrument as _;

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
