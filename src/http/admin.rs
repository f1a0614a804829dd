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
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, credentials)| credentials.trim());
    let admin = presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(token.as_bytes())));
    Caller { admin }
}
