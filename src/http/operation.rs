//! What the GraphQL transports over HTTP share, JSON answers ([`super::graphql`]) and event
//! streams ([`super::sse`]) alike: the name logs give an operation, the
//! `Skillgraph-Min-Revision` wait, the refusal of a mutation over GET, and the wire form of a
//! response. Below both, so neither imports the other's internals.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::{AppState, plain_error};
use crate::graphql::error::Code;
use crate::graphql::flat;

/// The name logs and metrics use for one request: the operation name it gives or its document
/// declares (`query Name …`), `anonymous` without one.
pub(super) fn request_name(request: &async_graphql::Request) -> String {
    if let Some(name) = &request.operation_name {
        return name.chars().take(64).collect();
    }
    // The name, if any, stands between the keyword and the first `(` or `{`.
    let head = request.query.split(['{', '(']).next().unwrap_or("");
    let mut words = head.split_whitespace();
    let declared = match words.next() {
        Some("query" | "mutation" | "subscription") => words.next(),
        _ => None,
    };
    declared
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map_or_else(
            || "anonymous".into(),
            |name| name.chars().take(64).collect(),
        )
}

/// The revision an answer was computed on (a mutation's: the one it produced).
pub(super) const REVISION_HEADER: &str = "skillgraph-revision";
/// "Answer only once you have reached this revision": read-your-writes across replicas.
pub(super) const MIN_REVISION_HEADER: &str = "skillgraph-min-revision";

/// Waits, up to the configured bound, until the server has reached the request's
/// `Skillgraph-Min-Revision`; refuses with `REVISION_NOT_REACHED` (503) if it does not, and
/// with `INVALID_INPUT` if the header is not a revision.
pub(super) async fn reach_min_revision(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(), Response> {
    let Some(value) = headers.get(MIN_REVISION_HEADER) else {
        return Ok(());
    };
    let Some(wanted) = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    else {
        return Err(plain_error(
            StatusCode::BAD_REQUEST,
            "Skillgraph-Min-Revision must be a revision number",
        ));
    };
    let mut revisions = state.catalog.watch_revision();
    let reached = tokio::time::timeout(
        state.min_revision_wait,
        revisions.wait_for(|&revision| revision >= wanted),
    )
    .await;
    if matches!(reached, Ok(Ok(_))) {
        return Ok(());
    }
    let at = state.catalog.snapshot().revision();
    let mut response = super::refusal(
        Code::RevisionNotReached,
        None,
        &format!(
            "this server is at revision {at} and did not reach revision {wanted} within {} ms: \
             retry, or ask the writer",
            state.min_revision_wait.as_millis()
        ),
        &[("revision", at.into()), ("wanted", wanted.into())],
    );
    response
        .headers_mut()
        .insert(REVISION_HEADER, HeaderValue::from(at));
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    Err(response)
}

/// The refusal of a mutation sent over GET, which must be safe.
pub(super) fn mutation_over_get() -> Response {
    let mut response = plain_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "mutations are not allowed over GET: use POST",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

/// Whether nothing of a response executed (syntax or validation errors carry no path).
pub(super) fn never_executed(r: &async_graphql::Response) -> bool {
    r.data == async_graphql::Value::Null
        && !r.errors.is_empty()
        && r.errors.iter().all(|e| e.path.is_empty())
}

/// A response as it goes on the wire: without a `data` entry when nothing executed (GraphQL
/// spec, "Response Format": an error raised before execution leaves `data` out, so clients can
/// tell a refused request from a `null` answer).
pub(super) struct Wire<'a> {
    data: Option<&'a async_graphql::Value>,
    errors: &'a [async_graphql::ServerError],
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

impl<'a> From<&'a async_graphql::Response> for Wire<'a> {
    fn from(r: &'a async_graphql::Response) -> Self {
        Wire {
            data: (!never_executed(r)).then_some(&r.data),
            errors: &r.errors,
            extensions: &r.extensions,
        }
    }
}

impl Wire<'_> {
    /// The JSON text of the response. `data` is written by [`flat::write`], which passes on the
    /// JSON the walk of big lists wrote for a request carrying [`flat::Raw`]; errors and
    /// extensions are serde's.
    pub(super) fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(256);
        self.write(&mut out)?;
        Ok(out)
    }

    fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, name: &str| {
            out.extend_from_slice(if first { b"{\"" } else { b",\"" });
            first = false;
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
        };
        if let Some(data) = self.data {
            key(out, "data");
            flat::write(out, data);
        }
        if !self.errors.is_empty() {
            key(out, "errors");
            serde_json::to_writer(&mut *out, self.errors)?;
        }
        if !self.extensions.is_empty() {
            key(out, "extensions");
            serde_json::to_writer(&mut *out, self.extensions)?;
        }
        if first {
            out.push(b'{');
        }
        out.push(b'}');
        Ok(())
    }

    /// A list of responses (a batch) as one JSON array.
    pub(super) fn list_to_json(list: &[Wire<'_>]) -> serde_json::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(256 * list.len() + 2);
        out.push(b'[');
        for (i, wire) in list.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            wire.write(&mut out)?;
        }
        out.push(b']');
        Ok(out)
    }
}
