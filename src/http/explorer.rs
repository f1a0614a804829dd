//! The GraphQL explorer at `/`: GraphiQL (the plan explorer is `explore`, at `/explore`), served entirely from the binary, so that it works on a
//! machine with no network but the one to this server.
//!
//! The page loads only same-origin files under `/assets/graphiql/`: pinned production builds of
//! React, ReactDOM and GraphiQL (vendored in `assets/graphiql/` with their licences, see its
//! `VERSIONS`; `scripts/vendor-graphiql.sh` refreshes them from the npm registry), and the
//! explorer's own stylesheet and bootstrap script. They are compiled in with `include_bytes!`.
//! The page runs no inline script, and its Content-Security-Policy lets it load scripts, styles
//! and connections from its own origin only.
//!
//! Vendored files carry their version in their path (`react@18.3.1/…`), so browsers may cache
//! them for good (`immutable`); the page and the explorer's own files change with the binary and
//! are revalidated against their `ETag`.

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::get;

use super::assets::{self, CSS, HTML, IMMUTABLE, JS, REVALIDATE, SVG, Served, etag};

/// Where the assets are served; below it, each has its path under `assets/graphiql/`.
const PREFIX: &str = "/assets/graphiql/";
/// The GraphQL endpoints the explorer talks to (see `http::router`).
const ENDPOINT: &str = "/graphql";
const SUBSCRIPTION_ENDPOINT: &str = "/graphql/ws";

/// What the page may load: scripts, styles, images and connections (the WebSocket included) from
/// its own origin only. GraphiQL's stylesheet embeds its fonts and a few images as `data:` URLs,
/// and GraphiQL adds a `<style>` element and `style` attributes as it renders, hence
/// `'unsafe-inline'` for styles (not for scripts).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   font-src 'self' data:; img-src 'self' data:; connect-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

struct Asset {
    /// Below [`PREFIX`] when served, below `assets/graphiql/` in the repository.
    path: &'static str,
    body: &'static [u8],
    content_type: &'static str,
    cache_control: &'static str,
}

macro_rules! asset {
    ($path:literal, $content_type:expr, $cache_control:expr) => {
        Asset {
            path: $path,
            body: include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/graphiql/",
                $path
            )),
            content_type: $content_type,
            cache_control: $cache_control,
        }
    };
}

/// In the order the page loads them: GraphiQL's bundle needs the `React` and `ReactDOM` globals,
/// and `explorer.js` needs all three. Versions here and in `assets/graphiql/VERSIONS` agree.
static ASSETS: &[Asset] = &[
    asset!("favicon.svg", SVG, REVALIDATE),
    asset!("graphiql@3.9.0/graphiql.min.css", CSS, IMMUTABLE),
    asset!("explorer.css", CSS, REVALIDATE),
    asset!("react@18.3.1/react.production.min.js", JS, IMMUTABLE),
    asset!(
        "react-dom@18.3.1/react-dom.production.min.js",
        JS,
        IMMUTABLE
    ),
    asset!("graphiql@3.9.0/graphiql.min.js", JS, IMMUTABLE),
    asset!("explorer.js", JS, REVALIDATE),
];

/// The page, made once from [`ASSETS`].
static PAGE: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut styles = String::new();
    let mut scripts = String::new();
    for asset in ASSETS {
        let path = asset.path;
        match asset.content_type {
            CSS => styles += &format!("<link rel=\"stylesheet\" href=\"{PREFIX}{path}\">\n"),
            SVG => styles += &format!("<link rel=\"icon\" href=\"{PREFIX}{path}\">\n"),
            _ => scripts += &format!("<script src=\"{PREFIX}{path}\"></script>\n"),
        }
    }
    format!(
        "<!doctype html>\n\
         <html lang=\"en\">\n\
         <head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>skillgraph</title>\n\
         {styles}\
         </head>\n\
         <body>\n\
         <div id=\"graphiql\" data-endpoint=\"{ENDPOINT}\" \
         data-subscription-endpoint=\"{SUBSCRIPTION_ENDPOINT}\">\
         <p class=\"explorer-loading\">Loading the GraphQL explorer…</p></div>\n\
         <noscript>The GraphQL explorer needs JavaScript; \
         GraphQL itself is served at {ENDPOINT}.</noscript>\n\
         {scripts}\
         </body>\n\
         </html>\n"
    )
    .into_bytes()
});

/// Strong validators, one per asset (index-aligned with [`ASSETS`]), then the page's.
static ETAGS: LazyLock<Vec<HeaderValue>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| a.body)
        .chain([PAGE.as_slice()])
        .map(etag)
        .collect()
});

/// The explorer's routes: the page at `/` and its assets. Only mounted when introspection is on.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let page = ASSETS.len();
    let router = Router::new().route("/", get(move |headers: HeaderMap| respond(page, headers)));
    ASSETS
        .iter()
        .enumerate()
        .fold(router, |router, (index, asset)| {
            router.route(
                &format!("{PREFIX}{}", asset.path),
                get(move |headers: HeaderMap| respond(index, headers)),
            )
        })
}

/// Asset `index`, or the page when it is `ASSETS.len()`; 304 when the client has it already.
async fn respond(index: usize, request: HeaderMap) -> Response {
    let (body, content_type, cache_control, csp) = match ASSETS.get(index) {
        Some(asset) => (asset.body, asset.content_type, asset.cache_control, None),
        None => (PAGE.as_slice(), HTML, REVALIDATE, Some(CSP)),
    };
    let file = Served {
        body,
        content_type,
        cache_control,
        csp,
        etag: &ETAGS[index],
    };
    assets::respond(file, &request)
}
