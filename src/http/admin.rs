//! Who is calling: the admin-token check (one extractor, used by every route that needs it)
//! and the admin-only routes.

use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use subtle::ConstantTimeEq;

use super::{AppState, plain_error, refusal};
use crate::graphql::Caller;
use crate::graphql::error::Code;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/export", get(export))
}

/// The caller of a request, from its `Authorization` header: admin when it carries the token.
/// Never refuses: what an anonymous caller may do is for each operation to decide.
pub(super) struct Auth(pub Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Auth(caller(&parts.headers, &state.admin_token)))
    }
}

/// An online backup: the current snapshot in the seed format (admin only). Restoring is
/// `skillgraph import FILE` into a fresh database.
async fn export(State(state): State<AppState>, Auth(caller): Auth) -> Response {
    if !caller.admin {
        return refusal(
            Code::Unauthenticated,
            None,
            "the export needs an admin token: send `Authorization: Bearer <token>`",
            &[],
        );
    }
    let snapshot = state.catalog.snapshot();
    let revision = snapshot.revision();
    // Serializing a large graph is CPU work: keep it off the request workers.
    match tokio::task::spawn_blocking(move || crate::import::seed::export(&snapshot)).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "application/toml".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"skillgraph-r{revision}.toml\""),
                ),
            ],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "export failed");
            plain_error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// Whether the request carries the admin token, compared in constant time. The scheme name is
/// case-insensitive (RFC 9110 §11.1).
pub(super) fn caller(headers: &HeaderMap, token: &str) -> Caller {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer);
    Caller {
        admin: presented.is_some_and(|p| is_token(p, token)),
    }
}

/// The credentials of a `Bearer` authorization value.
fn bearer(value: &str) -> Option<&str> {
    value
        .trim()
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, credentials)| credentials.trim())
}

/// Whether `presented` is the admin token, in constant time.
pub(super) fn is_token(presented: &str, token: &str) -> bool {
    bool::from(presented.as_bytes().ct_eq(token.as_bytes()))
}

/// The token a WebSocket client put in its `connection_init` payload, in any of the shapes
/// clients use: `{"Authorization": "Bearer …"}` (graphql-ws, Apollo), `authorization`, a
/// `token` (bare or `Bearer …`), or the same inside `headers`.
pub(super) fn payload_token(payload: &serde_json::Value) -> Option<&str> {
    let object = payload.as_object()?;
    for key in ["Authorization", "authorization", "token"] {
        if let Some(value) = object.get(key).and_then(|v| v.as_str()) {
            let token = bearer(value).unwrap_or(value.trim());
            // A logged-out client sends "" or "Bearer ": that is no token, not a wrong one.
            let token = token.strip_prefix("Bearer").map_or(token, str::trim);
            return (!token.is_empty()).then_some(token);
        }
    }
    object.get("headers").and_then(payload_token)
}
