//! Files compiled into the binary and served with strong validators: the GraphiQL explorer's
//! (`explorer`) and the plan explorer's (`explore`). One way to answer for a file, so both
//! pages send the same headers and answer a revalidation with 304.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(super) const HTML: &str = "text/html; charset=utf-8";
pub(super) const JS: &str = "text/javascript; charset=utf-8";
pub(super) const CSS: &str = "text/css; charset=utf-8";
pub(super) const SVG: &str = "image/svg+xml";

/// Revalidate every time: for files that change with the binary.
pub(super) const REVALIDATE: &str = "no-cache";
/// A year, never revalidated: for files with their version in the path.
pub(super) const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A file as served. A page (`csp` set) also gets its Content-Security-Policy and sends no
/// referrer.
pub(super) struct Served<'a> {
    pub body: &'static [u8],
    pub content_type: &'static str,
    pub cache_control: &'static str,
    pub csp: Option<&'static str>,
    pub etag: &'a HeaderValue,
}

/// The file, or 304 when the client's `If-None-Match` names its validator already.
pub(super) fn respond(file: Served<'_>, request: &HeaderMap) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(file.cache_control),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(csp) = file.csp {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    let fresh = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t.as_bytes() == file.etag.as_bytes());
    headers.insert(header::ETAG, file.etag.clone());
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    (headers, file.body).into_response()
}

/// A quoted 64-bit FNV-1a digest of `body`: cheap (about a millisecond for all of the assets,
/// once per process), and stable for as long as the bytes are.
pub(super) fn etag(body: &[u8]) -> HeaderValue {
    let hash = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    HeaderValue::from_str(&format!("\"{hash:016x}\"")).expect("hex digits make a header value")
}
