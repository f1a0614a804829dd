//! The GraphQL explorer at `/` works offline: everything its page loads comes from this server.

use std::path::Path;

use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use skillgraph::http::ServerConfig;

use crate::helpers::{TestApp, attribute_values, test_config};

/// Every `url(…)` in a stylesheet, unquoted.
fn css_urls(css: &str) -> Vec<&str> {
    css.match_indices("url(")
        .map(|(at, _)| {
            let rest = &css[at + 4..];
            rest[..rest.find(')').expect("a closed url(")]
                .trim()
                .trim_matches(['"', '\''])
        })
        .collect()
}

/// A reference the browser resolves against the page's own origin.
fn same_origin(reference: &str) -> bool {
    let lower = reference.to_ascii_lowercase();
    !reference.is_empty()
        && !reference.starts_with("//")
        && !lower.contains("://")
        && !lower.starts_with("data:")
        && !lower.starts_with("javascript:")
}

fn expected_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        _ => panic!("{path}: an asset of an unexpected kind"),
    }
}

#[tokio::test]
async fn the_explorer_page_loads_only_same_origin_assets_that_the_server_serves() {
    let app = TestApp::spawn().await;
    let page = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let headers = page.headers().clone();
    assert!(
        headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{headers:?}"
    );
    let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        csp.contains("script-src 'self';"),
        "no inline script: {csp}"
    );
    assert!(!csp.contains("http"), "no other origin: {csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>skillgraph</title>"), "{html}");
    assert!(!html.contains("<script>"), "no inline script: {html}");

    let sources = attribute_values(&html, "src");
    let links = attribute_values(&html, "href");
    for endpoint in attribute_values(&html, "data-endpoint")
        .into_iter()
        .chain(attribute_values(&html, "data-subscription-endpoint"))
    {
        assert!(same_origin(endpoint), "{endpoint}: not on this server");
    }
    let references: Vec<&str> = sources.iter().chain(&links).copied().collect();
    // React, ReactDOM, GraphiQL and the bootstrap; GraphiQL's stylesheet, the page's and its icon.
    assert!(sources.len() >= 4 && links.len() >= 3, "{html}");

    for reference in references {
        assert!(same_origin(reference), "{reference}: not same-origin");
        assert!(reference.starts_with('/'), "{reference}: not absolute");
        let response = app.client.get(app.url(reference)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{reference}");
        let headers = response.headers().clone();
        let content_type = headers[CONTENT_TYPE].to_str().unwrap();
        assert!(
            content_type.starts_with(expected_type(reference)),
            "{reference}: {content_type}"
        );
        let etag = headers[ETAG].clone();
        let cache = headers[CACHE_CONTROL].to_str().unwrap();
        let body = response.bytes().await.unwrap();
        assert!(!body.is_empty(), "{reference}: empty");

        // The bytes are the repository's files, compiled in.
        let file = reference
            .strip_prefix("/assets/graphiql/")
            .unwrap_or_else(|| panic!("{reference}: outside /assets/graphiql/"));
        let on_disk = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets/graphiql")
                .join(file),
        )
        .unwrap_or_else(|e| panic!("{reference}: {e}"));
        assert!(
            on_disk == body,
            "{reference}: not the file in assets/graphiql"
        );

        // A vendored file has its version in its path, a licence beside it and a line in
        // VERSIONS, and may be cached for good; the explorer's own files are revalidated.
        if let Some((package, _)) = file.split_once('/') {
            assert!(package.contains('@'), "{reference}: no version in the path");
            assert!(cache.contains("immutable"), "{reference}: {cache}");
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/graphiql");
            assert!(
                dir.join(package).join("LICENSE").is_file(),
                "{package}: no LICENSE"
            );
            let versions = std::fs::read_to_string(dir.join("VERSIONS")).unwrap();
            assert!(
                versions
                    .lines()
                    .any(|l| l.starts_with(&format!("{package} "))),
                "{package} is not in assets/graphiql/VERSIONS"
            );
        } else {
            assert_eq!(cache, "no-cache", "{reference}");
        }

        // The ETag validates.
        let again = app
            .client
            .get(app.url(reference))
            .header(IF_NONE_MATCH, etag.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{reference}");
        assert_eq!(again.headers()[ETAG], etag);

        // Nothing a stylesheet pulls in comes from elsewhere: GraphiQL's embeds its fonts.
        if reference.ends_with(".css") {
            let css = std::str::from_utf8(&body).unwrap();
            for url in css_urls(css) {
                assert!(
                    url.starts_with("data:") || same_origin(url),
                    "{reference} loads {url}"
                );
            }
        }
        // Nor does a script name another origin to load code from.
        if reference.ends_with(".js") {
            let js = std::str::from_utf8(&body).unwrap();
            for needle in [
                "importScripts(",
                "<script src=\"http",
                "cdn.jsdelivr",
                "unpkg.com",
            ] {
                assert!(!js.contains(needle), "{reference} contains {needle}");
            }
        }
    }
}

#[tokio::test]
async fn the_explorer_and_its_assets_are_off_without_introspection() {
    let on = TestApp::spawn().await;
    let html = on
        .client
        .get(on.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let assets = attribute_values(&html, "src");
    assert!(!assets.is_empty());

    let off = TestApp::spawn_with(ServerConfig {
        introspection: false,
        ..test_config()
    })
    .await;
    for path in std::iter::once("/").chain(assets) {
        let response = off.client.get(off.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}
