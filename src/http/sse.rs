//! GraphQL over Server-Sent Events: the `graphql-sse` protocol's "distinct connections" mode
//! (<https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md>), for clients that
//! cannot open a WebSocket or would rather not (a proxy that does not pass upgrades, a
//! serverless edge, `curl`). A `POST` or `GET /graphql` that prefers `text/event-stream` in its
//! `Accept` header is answered with an event stream: a `next` event per result, its `data:` the
//! result as JSON, then a `complete` event. A query or mutation is one `next`; a subscription is
//! one `next` per event, until the client hangs up or the server stops.
//!
//! The request is the HTTP transport's own: the same body rules, the same `Authorization`
//! header (admin with the token, read-only without), the same guard (`graphql::exec`). A query
//! or mutation runs before the response starts, so the request timeout and the concurrency
//! limit hold it as they hold any request; a subscription's stream outlives the request, as a
//! WebSocket does. Refusals of the request itself (its body, its headers, a mutation over GET,
//! `Skillgraph-Min-Revision`) are answered as over JSON, with their status. A document the guard
//! or validation refuses is a `next` event with the coded errors and no `data`, then
//! `complete`, as the protocol asks: a browser's `EventSource` reads no body from a 400.
//!
//! Not served: the protocol's single-connection mode (a `PUT` reservation, then every operation
//! multiplexed over one stream). It works around HTTP/1 browsers' six connections per host, and
//! it needs per-reservation state on the server; over HTTP/2, or for the one or two streams a
//! page keeps, distinct connections do.
//!
//! This module knows what the HTTP transports share ([`super::operation`]) and the executor; nothing below it
//! knows that events exist.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use async_graphql::parser::types::OperationType;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::stream::{self, BoxStream, StreamExt};
use tokio::sync::watch;

use super::AppState;
use super::metrics::OpenStream;
use super::operation::{Wire, mutation_over_get, reach_min_revision, request_name};
use crate::graphql::Caller;
use crate::graphql::error::Code;
use crate::graphql::{flat, traced};

const EVENT_STREAM: &str = "text/event-stream";

/// A comment line: ignored by every reader, but bytes on the wire, so a proxy that cuts idle
/// connections sees a live one; also the stream's first line, which shows a client (and
/// browsers that wait for a body before they report the stream open) that it is listening.
const KEEP_ALIVE: &[u8] = b":\n\n";
/// The end of the stream. The empty `data:` field is there for `EventSource`, which does not
/// dispatch an event without one (the protocol's note).
const COMPLETE: &[u8] = b"event: complete\ndata:\n\n";

/// Whether the request prefers an event stream to JSON: `text/event-stream` is the media range
/// of its `Accept` with the highest `q`, the first listed on a tie. The graphql-sse client sends
/// `Accept: text/event-stream` alone; a client that lists JSON first, or sends `*/*`, keeps
/// getting JSON.
pub(super) fn wants_event_stream(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut best: Option<(&str, f32)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim();
        if media.is_empty() {
            continue;
        }
        let q = parts
            .filter_map(|p| {
                let (name, value) = p.split_once('=')?;
                name.trim().eq_ignore_ascii_case("q").then(|| value.trim())
            })
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if best.is_none_or(|(_, b)| q > b) {
            best = Some((media, q));
        }
    }
    best.is_some_and(|(media, q)| media.eq_ignore_ascii_case(EVENT_STREAM) && q > 0.0)
}

/// Answers one GraphQL request with an event stream (`get`: it came as `GET`, where mutations
/// are refused).
pub(super) async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    caller: Caller,
    mut request: async_graphql::Request,
    get: bool,
) -> Response {
    let operation = request_name(&request);
    tracing::Span::current().record("operation", operation.as_str());
    let started = Instant::now();
    if let Err(refused) = reach_min_revision(state, headers).await {
        state.metrics.observe(&operation, false, started.elapsed());
        return refused;
    }
    // The operation's span, under the request's (see `graphql::traced`).
    let span = traced::operation_span();
    let ticket = match span.in_scope(|| state.executor.prepare(&mut request)) {
        Ok(ticket) => ticket,
        Err(refusal) => {
            state.metrics.observe(&operation, false, started.elapsed());
            let answer = async_graphql::Response::from_errors(vec![refusal]);
            traced::outcome(&span, &answer);
            return event_stream(state, stream::iter([answer]).boxed());
        }
    };
    traced::name_operation(&span, ticket.ty, ticket.operation_name());
    if get && ticket.ty == OperationType::Mutation {
        state.metrics.observe(&operation, false, started.elapsed());
        return mutation_over_get();
    }
    let subscription = ticket.ty == OperationType::Subscription;
    let mut results = state.executor.stream_prepared(
        request.data(caller).data(flat::Raw),
        ticket,
        None,
        span.clone(),
    );
    if !subscription {
        // Run here, inside the request's timeout and concurrency limit, not in the body.
        let answer = results.next().await.unwrap_or_else(|| {
            tracing::error!("a query or mutation ended without an answer");
            async_graphql::Response::from_errors(vec![
                Code::Internal.server_error("internal error", &[]),
            ])
        });
        state
            .metrics
            .observe(&operation, answer.is_ok(), started.elapsed());
        traced::outcome(&span, &answer);
        return event_stream(state, stream::iter([answer]).boxed());
    }
    // One poll before answering runs the subscription's resolver up to its first wait:
    // `graphChanged` listens from there, so a write made once the response has arrived is
    // never missed. A refusal it raises at once (a `since` the log no longer reaches) is
    // ready now too.
    let (results, ok) = match results.next().now_or_never() {
        None => (results, true),
        Some(None) => (stream::empty().boxed(), true),
        Some(Some(first)) => {
            let ok = first.is_ok();
            (stream::once(async { first }).chain(results).boxed(), ok)
        }
    };
    state.metrics.observe(&operation, ok, started.elapsed());
    event_stream(state, results)
}

/// The response that streams `results` as `next` events, then `complete`, with keep-alive
/// comments in the silences; it ends early when the server stops.
fn event_stream(
    state: &AppState,
    results: BoxStream<'static, async_graphql::Response>,
) -> Response {
    let events = Events {
        results,
        stopping: state.stopping.clone(),
        keep_alive: state.sse_keep_alive,
        step: Step::Opening,
        _open: state.metrics.open_stream(),
    };
    let body = stream::unfold(events, |mut events| async move {
        let chunk = events.next_chunk().await?;
        Some((Ok::<_, Infallible>(chunk), events))
    });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(EVENT_STREAM)),
            // Live and possibly an admin's: never stored, by a browser or a proxy.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            // nginx would otherwise buffer the stream and deliver events late, in bulk.
            (
                header::HeaderName::from_static("x-accel-buffering"),
                HeaderValue::from_static("no"),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

enum Step {
    Opening,
    Streaming,
    Done,
}

/// One stream's state. Everything it holds (the subscription's stream, and with it the
/// catalog's broadcast receiver) lives in the response body: when the client hangs up, the
/// server drops the body and all of it with it. No task is spawned, so none can be left behind.
struct Events {
    results: BoxStream<'static, async_graphql::Response>,
    stopping: watch::Receiver<bool>,
    keep_alive: Duration,
    step: Step,
    /// Counts the stream in `/metrics` while it lives.
    _open: OpenStream,
}

impl Events {
    /// The next bytes to send, or `None` to end the body.
    async fn next_chunk(&mut self) -> Option<Bytes> {
        match self.step {
            Step::Opening => {
                self.step = Step::Streaming;
                return Some(Bytes::from_static(KEEP_ALIVE));
            }
            Step::Done => return None,
            Step::Streaming => {}
        }
        tokio::select! {
            biased;
            // Ended without `complete`: the operation did not finish, the server went away, and
            // a client (graphql-sse retries on it) reconnects, with `since` to miss nothing.
            // Graceful shutdown waits for open responses, so a stream that went on would hold
            // the server, and the database, open.
            _ = self.stopping.wait_for(|stopped| *stopped) => {
                self.step = Step::Done;
                None
            }
            next = tokio::time::timeout(self.keep_alive, self.results.next()) => match next {
                Err(_silence) => Some(Bytes::from_static(KEEP_ALIVE)),
                Ok(Some(result)) => Some(next_event(&result)),
                Ok(None) => {
                    self.step = Step::Done;
                    Some(Bytes::from_static(COMPLETE))
                }
            },
        }
    }
}

/// A `next` event. JSON as serde_json writes it holds no line break, so it fits one `data:`
/// line.
fn next_event(result: &async_graphql::Response) -> Bytes {
    let json = Wire::from(result).to_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not serialize a response");
        Code::Internal.body("internal error", &[]).into_bytes()
    });
    let mut event = Vec::with_capacity(json.len() + 20);
    event.extend_from_slice(b"event: next\ndata: ");
    event.extend_from_slice(&json);
    event.extend_from_slice(b"\n\n");
    Bytes::from(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        wants_event_stream(&headers)
    }

    #[test]
    fn an_event_stream_is_chosen_only_when_the_client_prefers_it() {
        assert!(accepts("text/event-stream"));
        assert!(accepts("Text/Event-Stream"));
        assert!(accepts("text/event-stream, application/json;q=0.9"));
        assert!(accepts("application/json;q=0.5, text/event-stream"));
        assert!(accepts("text/event-stream;charset=utf-8, */*;q=0.1"));
        assert!(!accepts("application/json, text/event-stream"));
        assert!(!accepts(
            "application/graphql-response+json, application/json;q=0.9"
        ));
        assert!(!accepts("*/*"));
        assert!(!accepts("text/event-stream;q=0"));
        assert!(!accepts("text/event-stream;q=0.5, application/json"));
        assert!(!wants_event_stream(&HeaderMap::new()));
    }
}
