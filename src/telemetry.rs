//! The OpenTelemetry pipeline `serve` installs when traces are on (`--otlp-endpoint`, or
//! `OTEL_EXPORTER_OTLP_ENDPOINT`; see "Traces (OpenTelemetry)" in the README): the crate's
//! `tracing` spans become OpenTelemetry spans ([`Pipeline::layer`]), batched on the SDK's own
//! background thread and sent as OTLP over HTTP/protobuf to the collector's `/v1/traces`,
//! under the service name `OTEL_SERVICE_NAME` (default `skillgraph`). W3C Trace Context is
//! installed as the propagator, which the HTTP layer reads `traceparent` with
//! (`http::traces`). [`Pipeline::shutdown`] flushes what is still batched.
//!
//! Off, nothing here runs: no layer, no thread, no propagator (the binary does not even call
//! [`Pipeline::start`]).
//!
//! Knows the configuration ([`Traces`]) and the OpenTelemetry crates; nothing of what it
//! traces.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig as _};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::{Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::registry::LookupSpan;

use crate::config::Traces;

/// The target of spans that are logged but never exported (health probes and metric scrapes,
/// which would bury the traces people look for).
pub const UNTRACED: &str = "skillgraph::untraced";

/// The running pipeline: the tracer provider and its batch processor's thread.
pub struct Pipeline {
    provider: SdkTracerProvider,
}

impl Pipeline {
    /// Builds the exporter and the provider and installs the W3C propagator. Nothing is sent
    /// until spans end; an unreachable collector costs dropped batches (the SDK logs nothing
    /// and the server goes on), never a slower request: spans are queued, not sent, on the
    /// request's path.
    pub fn start(traces: &Traces) -> Result<Pipeline, String> {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(&traces.endpoint)
            .build()
            .map_err(|e| format!("cannot export traces to {}: {e}", traces.endpoint))?;
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(
                Resource::builder()
                    .with_service_name(traces.service_name.clone())
                    .build(),
            )
            .build();
        opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
        Ok(Pipeline { provider })
    }

    /// The `tracing` layer that turns the crate's spans into OpenTelemetry spans. Its own
    /// filter takes the crate's spans down to DEBUG (the GraphQL phases and the domain work
    /// are DEBUG spans, so they cost nothing when traces are off) whatever `RUST_LOG` says of
    /// the logs, and nothing of other crates nor of [`UNTRACED`].
    pub fn layer<S>(&self) -> impl Layer<S> + use<S>
    where
        S: Subscriber + for<'span> LookupSpan<'span>,
    {
        tracing_opentelemetry::layer()
            .with_tracer(self.provider.tracer("skillgraph"))
            .with_filter(
                Targets::new()
                    .with_target("skillgraph", Level::DEBUG)
                    .with_target(UNTRACED, LevelFilter::OFF),
            )
    }

    /// Sends what is still batched and stops the batch thread (at most a few seconds when the
    /// collector does not answer). Called after the server has drained its requests.
    pub fn shutdown(self) {
        if let Err(e) = self.provider.shutdown() {
            eprintln!("traces: the last spans may be lost: {e}");
        }
    }
}
