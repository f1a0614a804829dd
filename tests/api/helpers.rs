//! The test harness: a real server on a real sled database, spoken to over real HTTP.
//!
//! [`TestApp::spawn`] starts a server as `skillgraph serve` does, through
//! [`skillgraph::catalog::start::start`] (a fresh database in a temporary directory, seeded from
//! the shipped `seed/`, extraction kept warm), serves it with [`skillgraph::http::serve`] on
//! `127.0.0.1:0` and keeps both alive for the test.
//! [`TestApp::restart`] shuts the server down gracefully, waits until it has released the
//! database, and serves the same directory again.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use skillgraph::catalog::start;
use skillgraph::config::Retention;
use skillgraph::graphql::Limits;
use skillgraph::http::ServerConfig;

/// The admin token every test server is configured with.
pub const ADMIN_TOKEN: &str = "integration-test-admin-token-0123456789";

/// The shipped seed directory.
pub fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seed")
}

/// The ESCO fixture directory.
pub fn esco_fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco")
}

/// How many `[[table]]` entries the shipped seed holds, counted from its files: an oracle that
/// does not go through the code under test.
pub fn seeded_count(table: &str) -> usize {
    fn walk(dir: &Path, header: &str) -> usize {
        let mut count = 0;
        for entry in std::fs::read_dir(dir).expect("the seed directory is readable") {
            let path = entry.expect("a seed entry").path();
            if path.is_dir() {
                count += walk(&path, header);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).expect("a seed file is readable");
                count += text.lines().filter(|l| l.trim() == header).count();
            }
        }
        count
    }
    walk(&seed_dir(), &format!("[[{table}]]"))
}

/// How many of the shipped seed's `[[category]]` entries are role categories (`kind =
/// "role"`), counted from seed/roles.toml, where the seed keeps them all.
pub fn seeded_role_categories() -> usize {
    let text = std::fs::read_to_string(seed_dir().join("roles.toml")).expect("roles.toml reads");
    text.lines()
        .filter(|l| l.trim() == "kind = \"role\"")
        .count()
}

/// A running server and the handle to stop it.
struct Server {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Starts the database at `db` as `serve` does (seeding it when empty) and serves it on a
    /// fresh port.
    async fn start(db: &Path, config: ServerConfig, retention: Retention) -> (SocketAddr, Server) {
        let seed = seed_dir();
        let catalog = start::start(db, retention, start::Start::Seeded(Some(&seed)))
            .unwrap_or_else(|e| panic!("could not open the database at {}: {e}", db.display()));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(skillgraph::http::serve(
            listener,
            catalog,
            config,
            async move {
                // A dropped sender also means "stop".
                let _ = signal.await;
            },
        ));
        (addr, Server { shutdown, task })
    }

    /// Signals shutdown and waits until the server, and with it the catalog, is gone.
    async fn stop(self) {
        let _ = self.shutdown.send(());
        let result = tokio::time::timeout(std::time::Duration::from_secs(10), self.task)
            .await
            .expect("the server shuts down within 10 s of the signal")
            .expect("the server task did not panic");
        result.expect("the server ended without an I/O error");
    }
}

/// The configuration of test servers: the defaults, with the test token.
pub fn test_config() -> ServerConfig {
    ServerConfig {
        admin_token: ADMIN_TOKEN.to_owned(),
        limits: Limits::default(),
        ..ServerConfig::default()
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    server: Option<Server>,
    config: ServerConfig,
    retention: Retention,
    // Last, so the directory outlives everything that uses it.
    dir: TempDir,
}

impl TestApp {
    /// A fresh server on a freshly seeded database.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(test_config()).await
    }

    /// A fresh server with its own configuration (limits, introspection, …).
    /// A server that accepts batches of up to ten operations (off by default).
    pub async fn spawn_batching() -> TestApp {
        TestApp::spawn_with(ServerConfig {
            max_batch: 10,
            ..test_config()
        })
        .await
    }

    pub async fn spawn_with(config: ServerConfig) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Self::serve(dir, config).await
    }

    /// A fresh server whose database keeps the change log to `retention`.
    pub async fn spawn_with_retention(retention: Retention) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Self::serve_with(dir, test_config(), retention).await
    }

    /// Serves the database in `dir` (seeding it when empty).
    async fn serve(dir: TempDir, config: ServerConfig) -> TestApp {
        Self::serve_with(dir, config, Retention::default()).await
    }

    async fn serve_with(dir: TempDir, config: ServerConfig, retention: Retention) -> TestApp {
        let db = dir.path().join("db");
        let (addr, server) = Server::start(&db, config.clone(), retention).await;
        TestApp {
            addr,
            client: reqwest::Client::new(),
            server: Some(server),
            config,
            retention,
            dir,
        }
    }

    /// A fresh server on a database holding the ESCO fixture (tests/fixtures/esco, cut from
    /// the real files) instead of the seed: for behaviour that only real data shows.
    pub async fn spawn_esco() -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("db");
        {
            let files = skillgraph::import::FileSet::open(&[esco_fixture_dir()])
                .expect("the ESCO fixture is readable");
            let (batch, mut report) =
                skillgraph::import::esco::read(&files, "fixture").expect("the fixture parses");
            let catalog = skillgraph::catalog::Catalog::open(&db).expect("a fresh database");
            catalog
                .write(skillgraph::catalog::ChangeKind::Imported, |graph| {
                    skillgraph::import::apply(&batch, graph, &mut report);
                    Ok::<_, skillgraph::catalog::Error>(())
                })
                .expect("the fixture imports");
            // Dropped here: the server opens the database after it is released.
        }
        Self::serve(dir, test_config()).await
    }

    /// The text of `GET /metrics`.
    pub async fn metrics(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Stops the server, waits until it has let go of the database, and serves the same
    /// directory again (on a new port).
    pub async fn restart(mut self) -> TestApp {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
        let db = self.dir.path().join("db");
        let (addr, server) = Server::start(&db, self.config.clone(), self.retention).await;
        self.addr = addr;
        self.server = Some(server);
        self.client = reqwest::Client::new();
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }

    /// POSTs a GraphQL request with the given `Authorization` header (if any) and returns the
    /// JSON body, asserting a 200.
    pub async fn graphql(
        &self,
        authorization: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(value) = authorization {
            request = request.header(reqwest::header::AUTHORIZATION, value);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(status, 200, "unexpected status; body: {body:#}");
        body
    }

    /// A request without a token.
    pub async fn query(&self, query: &str, variables: Value) -> Value {
        self.graphql(None, query, variables).await
    }

    /// A request with the admin token.
    pub async fn admin(&self, query: &str, variables: Value) -> Value {
        self.graphql(Some(&format!("Bearer {ADMIN_TOKEN}")), query, variables)
            .await
    }

    pub async fn stats(&self) -> Stats {
        let body = self
            .query(
                "{ stats { skills roles categories roleCategories prerequisites requirements \
                 revision } }",
                json!({}),
            )
            .await;
        field(&body, "stats")
    }

    pub async fn revision(&self) -> i64 {
        self.stats().await.revision
    }

    /// Creates a skill (asserting success) and returns its id.
    pub async fn create_skill(&self, id: &str, category: &str, hours: i32) -> String {
        let body = self
            .admin(
                "mutation($input: SkillInput!) { createSkill(input: $input) { id } }",
                json!({ "input": { "id": id, "name": format!("Skill {id}"), "category": category, "hours": hours } }),
            )
            .await;
        let created: IdOnly = field(&body, "createSkill");
        assert_eq!(created.id, id);
        created.id
    }

    /// Adds a required prerequisite edge (asserting success).
    pub async fn add_prerequisite(&self, skill: &str, requires: &str) {
        let body = self
            .admin(
                "mutation($s: ID!, $r: ID!) { addPrerequisite(skill: $s, requires: $r) { id } }",
                json!({ "s": skill, "r": requires }),
            )
            .await;
        let skill_back: IdOnly = field(&body, "addPrerequisite");
        assert_eq!(skill_back.id, skill);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.shutdown.send(());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Stats {
    pub skills: i64,
    pub roles: i64,
    pub categories: i64,
    #[serde(rename = "roleCategories")]
    pub role_categories: i64,
    pub prerequisites: i64,
    pub requirements: i64,
    pub revision: i64,
}

#[derive(Debug, Deserialize)]
pub struct IdOnly {
    pub id: String,
}

/// `errors[0].extensions.code`, when the response has an error.
pub fn error_code(resp: &Value) -> Option<&str> {
    resp.pointer("/errors/0/extensions/code")
        .and_then(Value::as_str)
}

/// Asserts that the response failed with `code`, and returns its first error.
#[track_caller]
pub fn assert_error(resp: &Value, code: &str) -> Value {
    assert_eq!(
        error_code(resp),
        Some(code),
        "expected an error with code {code}; got {resp:#}"
    );
    resp["errors"][0].clone()
}

/// `data`, asserting the response has no errors.
#[track_caller]
pub fn data(resp: &Value) -> &Value {
    assert!(
        resp.get("errors").is_none(),
        "expected no errors; got {resp:#}"
    );
    &resp["data"]
}

/// `data.<name>` of an error-free response, deserialized.
#[track_caller]
pub fn field<T: serde::de::DeserializeOwned>(resp: &Value, name: &str) -> T {
    let value = data(resp)
        .get(name)
        .unwrap_or_else(|| panic!("no data.{name} in {resp:#}"))
        .clone();
    serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("data.{name} has an unexpected shape ({e}): {resp:#}"))
}

/// Every value of `attribute="…"` in `html`.
pub fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            &rest[..rest.find('"').expect("a closed attribute")]
        })
        .collect()
}
