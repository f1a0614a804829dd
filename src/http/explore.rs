//! The plan explorer at `/explore`: a page to pick where a person starts (a job title or role,
//! skills held), a target (a job title or role, or a skill at a level), a time budget and a
//! weekly pace, see the plan drawn, and click a step to see why it is there and what to learn
//! it from. For people; the GraphQL explorer (`explorer`, at `/`) is for developers.
//!
//! Three files from `assets/explore/`, compiled in: the page, its stylesheet and its script.
//! The script asks this server only: the drawing from `/paths/…svg` (module `paths`), the
//! steps from `POST /graphql`, and, as one types a title, the roles it may name and its
//! reading (`roles(query:)` and `normalizeTitles`) from `GET /graphql`, so the response cache
//! and a browser's cache answer repeated keystrokes. A title is read into a role id on the
//! page, where what it was read as (and the candidates when none reaches the threshold) is
//! shown before drawing; `/paths` takes ids. None of it needs introspection, so the page is
//! served whether or not GraphiQL is. Its Content-Security-Policy allows
//! scripts, styles and connections from its own origin only, with no inline script or style;
//! the drawn SVG is shown inline, coloured by presentation attributes that no policy blocks.

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::get;

use super::assets::{self, CSS, HTML, JS, REVALIDATE, Served, etag};

/// `img-src data:` is for the page's empty icon, which saves a request for `/favicon.ico`.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

/// Where each file is served, its bytes and its type; the page first.
static FILES: [(&str, &[u8], &str); 3] = [
    (
        "/explore",
        include_bytes!("../../assets/explore/index.html"),
        HTML,
    ),
    (
        "/assets/explore/explore.css",
        include_bytes!("../../assets/explore/explore.css"),
        CSS,
    ),
    (
        "/assets/explore/explore.js",
        include_bytes!("../../assets/explore/explore.js"),
        JS,
    ),
];

static ETAGS: LazyLock<Vec<HeaderValue>> =
    LazyLock::new(|| FILES.iter().map(|(_, body, _)| etag(body)).collect());

/// The page and its two files.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    FILES
        .iter()
        .enumerate()
        .fold(Router::new(), |router, (index, (path, _, _))| {
            router.route(path, get(move |headers: HeaderMap| respond(index, headers)))
        })
}

async fn respond(index: usize, request: HeaderMap) -> Response {
    let (_, body, content_type) = FILES[index];
    let file = Served {
        body,
        content_type,
        // They change with the binary, and are small.
        cache_control: REVALIDATE,
        csp: (index == 0).then_some(CSP),
        etag: &ETAGS[index],
    };
    assets::respond(file, &request)
}
