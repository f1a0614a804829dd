//! Replication over real parts: a `nats-server` (JetStream, with a password, as production ones
//! ask) spawned on a free port with a temporary store, and writers and replicas that are real
//! `skillgraph serve` processes, killed with SIGKILL where a test says so. The convergence
//! property runs the publisher and the follower in-process against the same real server.
//!
//! `nats-server` comes from Debian (`apt-get install nats-server`; `scripts/nats-server.sh`
//! installs it, and `.ci/run` runs that). Without it these tests say what to install and skip,
//! except where `SKILLGRAPH_REQUIRE_NATS=1` (CI), where they fail.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};
use tempfile::TempDir;

#[path = "support/writes.rs"]
mod writes;

const TOKEN: &str = "replication-test-admin-token-0123456789";
const NATS_USER: &str = "skillgraph";
const NATS_PASSWORD: &str = "nats-Pw-7qZ2xR9";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `nats-server` binary: installed by `scripts/nats-server.sh` when missing. `None` (skip)
/// where it cannot be had, unless `SKILLGRAPH_REQUIRE_NATS` is set.
fn nats_binary() -> Option<PathBuf> {
    static FOUND: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let find = || {
                let path = std::env::var_os("PATH").unwrap_or_default();
                std::env::split_paths(&path)
                    .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
                    .map(|dir| dir.join("nats-server"))
                    .find(|p| p.is_file())
            };
            if let Some(found) = find() {
                return Some(found);
            }
            let _ = Command::new("bash")
                .arg(root().join("scripts/nats-server.sh"))
                .status();
            let found = find();
            if found.is_none() {
                let message = "nats-server is missing: install Debian's package \
                               (`apt-get install nats-server`, or run scripts/nats-server.sh)";
                if std::env::var_os("SKILLGRAPH_REQUIRE_NATS").is_some() {
                    panic!("{message}");
                }
                eprintln!("\n*** SKIPPING the replication tests: {message} ***\n");
            }
            found
        })
        .clone()
}

/// Has the child killed when the thread that spawns it ends (Linux's parent-death signal):
/// a server shared by a test's cases, or left by a test that failed, never outlives the test.
fn die_with_the_test(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A nats-server with JetStream and a password, stoppable and restartable on the same port and
/// store (a NATS outage).
struct Nats {
    child: Option<Child>,
    port: u16,
    dir: TempDir,
    binary: PathBuf,
    max_payload: Option<usize>,
    /// With TLS: the CA file that signed the server's certificate.
    ca: Option<PathBuf>,
}

impl Nats {
    fn start(max_payload: Option<usize>) -> Option<Nats> {
        let mut nats = Nats {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            binary: nats_binary()?,
            max_payload,
            ca: None,
        };
        nats.run();
        Some(nats)
    }

    /// A server that speaks TLS only, with a certificate for 127.0.0.1 signed by a CA made
    /// here, as a production server's would be by the company's CA.
    fn start_tls() -> Option<Nats> {
        let mut nats = Nats {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            binary: nats_binary()?,
            max_payload: None,
            ca: None,
        };
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = ca.self_signed(&ca_key).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&key, &ca, &ca_key)
            .unwrap();
        let write = |name: &str, text: String| {
            let path = nats.dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        write("server.pem", cert.pem());
        write("server-key.pem", key.serialize_pem());
        nats.ca = Some(write("ca.pem", ca.pem()));
        nats.run();
        Some(nats)
    }

    fn run(&mut self) {
        let store = self.dir.path().join("jetstream");
        let mut conf = format!(
            "port: {}\nhost: 127.0.0.1\njetstream {{ store_dir: {:?} }}\n\
             authorization {{ user: {NATS_USER}, password: {NATS_PASSWORD:?} }}\n",
            self.port, store
        );
        if let Some(max) = self.max_payload {
            conf.push_str(&format!("max_payload: {max}\n"));
        }
        if self.ca.is_some() {
            conf.push_str(&format!(
                "tls {{ cert_file: {:?}, key_file: {:?} }}\n",
                self.dir.path().join("server.pem"),
                self.dir.path().join("server-key.pem")
            ));
        }
        let file = self.dir.path().join("nats.conf");
        std::fs::write(&file, conf).unwrap();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("nats.log"))
            .unwrap();
        let mut command = Command::new(&self.binary);
        command
            .arg("-c")
            .arg(&file)
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        die_with_the_test(&mut command);
        let child = command.spawn().expect("nats-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        let scheme = if self.ca.is_some() { "tls" } else { "nats" };
        format!(
            "{scheme}://{NATS_USER}:{NATS_PASSWORD}@127.0.0.1:{}",
            self.port
        )
    }

    /// The flags that name the CA, with TLS.
    fn ca_args(&self) -> Vec<String> {
        match &self.ca {
            Some(ca) => vec!["--nats-ca".into(), ca.display().to_string()],
            None => vec![],
        }
    }

    async fn client(&self) -> async_nats::Client {
        let mut options = async_nats::ConnectOptions::with_user_and_password(
            NATS_USER.into(),
            NATS_PASSWORD.into(),
        );
        if let Some(ca) = &self.ca {
            options = options.add_root_certificates(ca.clone()).require_tls(true);
        }
        options
            .connect(format!("127.0.0.1:{}", self.port))
            .await
            .unwrap()
    }

    /// Every message of the stream, decoded: `(sequence, envelope)`.
    async fn messages(&self, stream: &str) -> Vec<(u64, skillgraph::replication::wire::Envelope)> {
        use skillgraph::replication::wire::{Envelope, FORMAT_HEADER};
        let js = async_nats::jetstream::new(self.client().await);
        let stream = js.get_stream(stream).await.unwrap();
        let info = stream.get_info().await.unwrap();
        let mut out = Vec::new();
        for seq in info.state.first_sequence..=info.state.last_sequence {
            let Ok(message) = stream.get_raw_message(seq).await else {
                continue;
            };
            let format = message.headers.get(FORMAT_HEADER).map(|v| v.as_str());
            out.push((seq, Envelope::decode(format, &message.payload).unwrap()));
        }
        out
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A `skillgraph serve` process.
struct Node {
    child: Child,
    url: String,
    log: PathBuf,
    http: reqwest::Client,
}

impl Node {
    /// Serves `db` on a free port with `args` added; returns once it listens.
    fn spawn(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Node {
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let log = db.with_extension(format!("{}.log", std::process::id()));
        let _ = std::fs::remove_file(&log);
        let file = std::fs::File::create(&log).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_skillgraph"));
        command
            .arg("--db")
            .arg(db)
            .args(["serve", "--addr", "127.0.0.1:0", "--seed"])
            .arg(root().join("seed"))
            .args(args)
            .env("SKILLGRAPH_ADMIN_TOKEN", TOKEN)
            .env("RUST_LOG", "info")
            .env_remove("SKILLGRAPH_NATS")
            .env_remove("SKILLGRAPH_REPLICA_OF")
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        for (key, value) in env {
            command.env(key, value);
        }
        die_with_the_test(&mut command);
        let child = command.spawn().expect("skillgraph starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(at) = text.find("serving GraphQL at http://") {
                let rest = &text[at + "serving GraphQL at ".len()..];
                let end = rest.find("/graphql").unwrap();
                break rest[..end].to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "the server did not start:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Node {
            child,
            url,
            log,
            http: reqwest::Client::new(),
        }
    }

    fn writer(db: &Path, nats: &Nats, args: &[&str]) -> Node {
        let mut all = vec!["--nats".to_owned(), nats.url()];
        all.extend(nats.ca_args());
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        Node::spawn(db, &all, &[])
    }

    fn replica(db: &Path, nats: &Nats, args: &[&str]) -> Node {
        let mut all = vec![
            "--replica-of".to_owned(),
            nats.url(),
            "--writer-url".to_owned(),
            "http://writer.example:8080".to_owned(),
        ];
        all.extend(nats.ca_args());
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        Node::spawn(db, &all, &[])
    }

    /// SIGKILL: no shutdown, no flush beyond what each commit did.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn post(&self, query: &str, headers: &[(&str, String)]) -> (u16, u64, Value) {
        let mut request = self
            .http
            .post(format!("{}/graphql", self.url))
            .bearer_auth(TOKEN)
            .json(&json!({ "query": query }));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let revision = response
            .headers()
            .get("skillgraph-revision")
            .map(|v| v.to_str().unwrap().parse().unwrap())
            .expect("every GraphQL answer says its revision");
        (status, revision, response.json().await.unwrap())
    }

    async fn revision(&self) -> u64 {
        self.post("{ stats { revision } }", &[]).await.1
    }

    async fn ready(&self) -> (u16, Value) {
        let response = self
            .http
            .get(format!("{}/ready", self.url))
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn export(&self) -> String {
        self.http
            .get(format!("{}/export", self.url))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn metrics(&self) -> String {
        self.http
            .get(format!("{}/metrics", self.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A write that changes something every time: a skill's hours.
    async fn write(&self, n: u64) -> u64 {
        let query = format!(
            "mutation {{ updateSkill(id: \"python\", input: {{hours: {}}}) {{ id }} }}",
            40 + n % 500
        );
        let (status, revision, body) = self.post(&query, &[]).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        revision
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits, polling, until `check` holds; fails with `what` after `timeout`.
async fn eventually<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until `replica` is ready at the writer's revision, then checks their exports are
/// the same bytes.
async fn converged(writer: &Node, replica: &Node) {
    let target = writer.revision().await;
    eventually(
        Duration::from_secs(60),
        "the replica to converge",
        || async { replica.revision().await >= target && replica.ready().await.0 == 200 },
    )
    .await;
    let (a, b) = (writer.export().await, replica.export().await);
    assert!(a == b, "the replica's export differs from the writer's");
}

/// The revisions a node's change log lists after `since`, in order.
async fn logged(node: &Node, since: u64) -> Vec<u64> {
    let (_, _, body) = node
        .post(
            &format!(
                "{{ changes(since: {since}, first: 100) {{ edges {{ node {{ revision }} }} }} }}"
            ),
            &[],
        )
        .await;
    body["data"]["changes"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["revision"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_replica_serves_the_writers_graph_at_its_revision_and_refuses_writes() {
    let Some(nats) = Nats::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let writer = Node::writer(&dir.path().join("w"), &nats, &[]);
    let replica = Node::replica(
        &dir.path().join("r"),
        &nats,
        &["--min-revision-wait-ms", "300"],
    );
    converged(&writer, &replica).await;
    let (_, body) = replica.ready().await;
    assert_eq!(
        (body["role"].as_str(), body["status"].as_str()),
        (Some("replica"), Some("ready"))
    );

    // A write's answer names the revision it produced; a read that asks for it on the replica
    // waits for it (read-your-writes), and its answer names the revision it was computed on.
    let (_, produced, body) = writer
        .post(
            "mutation { createSkill(input: {id: \"zz-new\", name: \"Zed\", category: \"programming\", hours: 3}) { id } }",
            &[],
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let (status, at, body) = replica
        .post(
            "{ skill(id: \"zz-new\") { name } }",
            &[("skillgraph-min-revision", produced.to_string())],
        )
        .await;
    assert_eq!(
        (status, body["data"]["skill"]["name"].as_str()),
        (200, Some("Zed"))
    );
    assert!(at >= produced);
    // The replica's change log holds the writer's entry, under the writer's revision.
    assert_eq!(logged(&replica, produced - 1).await, [produced]);

    // Not reached within the wait: 503 and a code, with where the server is.
    let (status, at, body) = replica
        .post(
            "{ stats { skills } }",
            &[("skillgraph-min-revision", (produced + 1000).to_string())],
        )
        .await;
    assert_eq!(status, 503);
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "REVISION_NOT_REACHED"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["revision"].as_u64(),
        Some(at)
    );

    // Mutations go to the writer, whose URL the refusal gives.
    let (_, _, body) = replica
        .post("mutation { deleteSkill(id: \"zz-new\") }", &[])
        .await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "READ_ONLY_REPLICA", "{body}");
    assert_eq!(error["extensions"]["writer"], "http://writer.example:8080");
    converged(&writer, &replica).await;

    // Metrics on both sides; no secret in any log.
    assert!(
        replica
            .metrics()
            .await
            .contains("skillgraph_replication_lag_revisions 0")
    );
    assert!(
        writer
            .metrics()
            .await
            .contains("skillgraph_replication_publish_backlog 0")
    );
    for log in [writer.log(), replica.log()] {
        assert!(
            !log.contains(NATS_PASSWORD),
            "a log holds the NATS password:\n{log}"
        );
        assert!(!log.contains(TOKEN), "a log holds the admin token");
    }
}

#[tokio::test]
async fn writer_and_replica_reach_a_nats_that_asks_for_tls_and_a_password() {
    let Some(nats) = Nats::start_tls() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let writer = Node::writer(&dir.path().join("w"), &nats, &[]);
    let replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    writer.write(1).await;
    converged(&writer, &replica).await;
    // Without the CA, the server's certificate is not trusted: no replication.
    let stranger = Node::spawn(&dir.path().join("s"), &["--replica-of", &nats.url()], &[]);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (status, body) = stranger.ready().await;
    assert_eq!(
        (status, body["nats"].as_str()),
        (503, Some("disconnected")),
        "{body}"
    );
    let log = stranger.log();
    assert!(
        log.to_lowercase().contains("certificate"),
        "why it cannot connect:\n{log}"
    );
    for log in [writer.log(), replica.log(), stranger.log()] {
        assert!(
            !log.contains(NATS_PASSWORD),
            "a log holds the NATS password:\n{log}"
        );
    }
}

#[tokio::test]
async fn an_entry_larger_than_the_message_limit_reaches_replicas_as_a_snapshot() {
    // 8 KB: neither the seed's own import (revision 1) nor a 9 KB description fits.
    let Some(nats) = Nats::start(Some(8 * 1024)) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let writer = Node::writer(&dir.path().join("w"), &nats, &[]);
    let replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    converged(&writer, &replica).await;
    let long = "x".repeat(9_000);
    let (_, produced, body) = writer
        .post(
            &format!("mutation {{ updateSkill(id: \"python\", input: {{description: \"{long}\"}}) {{ id }} }}"),
            &[],
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    // Published before the next write: a publisher that falls behind (a loaded CI machine)
    // may send one snapshot for both, and then no message names the big revision.
    converged(&writer, &replica).await;
    let (_, _, body) = writer
        .post(
            "mutation { createSkill(input: {id: \"small\", name: \"Small\", category: \"programming\", hours: 1}) { id } }",
            &[],
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    converged(&writer, &replica).await;
    let messages = nats.messages("skillgraph").await;
    let reload = messages
        .iter()
        .find(|(_, e)| e.revision == produced)
        .expect("a message for the big revision");
    assert!(
        matches!(&reload.1.body, skillgraph::replication::wire::Body::Reload { reason, .. } if reason.contains("message limit")),
        "{:?}",
        reload.1.body
    );
    // And the next write went as an entry again.
    assert!(matches!(
        messages.last().unwrap().1.body,
        skillgraph::replication::wire::Body::Entry { .. }
    ));
}

#[tokio::test]
async fn writes_during_a_nats_outage_are_all_acknowledged_and_replicated_once_it_returns() {
    let Some(mut nats) = Nats::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let writer = Node::writer(&dir.path().join("w"), &nats, &[]);
    let replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    converged(&writer, &replica).await;
    let before = writer.revision().await;
    nats.stop();
    let mut last = before;
    for n in 0..8 {
        last = writer.write(n).await;
    }
    assert_eq!(
        last,
        before + 8,
        "every write acknowledged while NATS is down"
    );
    eventually(
        Duration::from_secs(10),
        "the writer to report its backlog",
        || async { writer.ready().await.1["backlog"].as_u64() == Some(8) },
    )
    .await;
    assert_eq!(
        replica.revision().await,
        before,
        "the replica serves what it had"
    );
    nats.run();
    converged(&writer, &replica).await;
    // Each revision once, in order, in the replica's log and on the stream.
    assert_eq!(
        logged(&replica, before).await,
        (before + 1..=last).collect::<Vec<_>>()
    );
    let revisions: Vec<u64> = nats
        .messages("skillgraph")
        .await
        .into_iter()
        .filter(|(_, e)| matches!(e.body, skillgraph::replication::wire::Body::Entry { .. }))
        .map(|(_, e)| e.revision)
        .collect();
    assert!(
        revisions.windows(2).all(|w| w[0] < w[1]),
        "no revision published twice, none out of order: {revisions:?}"
    );
    assert_eq!(revisions.last(), Some(&last));
}

#[tokio::test]
async fn entries_the_log_dropped_before_they_were_published_reach_replicas_as_a_snapshot() {
    let Some(mut nats) = Nats::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The writer's change log keeps its newest 2 entries only.
    let writer = Node::writer(
        &dir.path().join("w"),
        &nats,
        &["--change-log-revisions", "2"],
    );
    let replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    converged(&writer, &replica).await;
    let before = writer.revision().await;
    nats.stop();
    for n in 0..5 {
        writer.write(n).await;
    }
    nats.run();
    converged(&writer, &replica).await;
    let messages = nats.messages("skillgraph").await;
    let (_, last) = messages.last().unwrap();
    assert!(
        matches!(&last.body, skillgraph::replication::wire::Body::Reload { reason, .. } if reason.contains("never published")),
        "{:?}",
        last.body
    );
    assert_eq!(last.revision, before + 5);
}

#[tokio::test]
async fn a_killed_replica_catches_up_and_a_late_one_loads_a_snapshot() {
    let Some(nats) = Nats::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The stream keeps 4 messages; a snapshot every 3 revisions.
    let writer = Node::writer(
        &dir.path().join("w"),
        &nats,
        &[
            "--nats-stream-max-messages",
            "4",
            "--snapshot-every-revisions",
            "3",
        ],
    );
    let mut replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    converged(&writer, &replica).await;
    replica.kill();
    for n in 0..3 {
        writer.write(n).await;
    }
    let replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    converged(&writer, &replica).await;
    assert!(
        !replica.log().contains("snapshot loaded"),
        "a restart within the stream's retention applies entries, no snapshot:\n{}",
        replica.log()
    );
    for n in 0..12 {
        writer.write(n).await;
    }
    let late = Node::replica(&dir.path().join("late"), &nats, &[]);
    converged(&writer, &late).await;
    assert!(late.log().contains("snapshot loaded"));
    converged(&writer, &replica).await;
    // Killed again, and restarted once the stream no longer holds what it missed: it finds
    // the gap and loads a snapshot newer than its graph.
    let mut replica = replica;
    replica.kill();
    for n in 0..12 {
        writer.write(100 + n).await;
    }
    let replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    converged(&writer, &replica).await;
    let log = replica.log();
    assert!(
        log.contains("snapshot loaded") && log.contains("gap"),
        "a restart beyond the stream's retention reloads:\n{log}"
    );
}

#[tokio::test]
async fn a_writer_killed_while_publishing_restarts_without_a_duplicate_or_a_gap() {
    let Some(nats) = Nats::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w");
    let replica_db = dir.path().join("r");
    let mut n = 0;
    // Two chosen points (acknowledged by JetStream but not yet recorded; about to send), then
    // SIGKILLs at whatever point the publisher is at.
    for fault in ["after-ack", "before-send", "", "", ""] {
        let start = {
            let probe = Node::spawn(&db, &[], &[]);
            let revision = probe.revision().await;
            drop(probe);
            revision
        };
        let env = format!("{fault}:{}", start + 2);
        let mut writer = Node::spawn(
            &db,
            &["--nats", &nats.url()],
            &[(
                "SKILLGRAPH_TEST_FAULT",
                if fault.is_empty() { "" } else { &env },
            )],
        );
        for _ in 0..4 {
            n += 1;
            // A write may race the abort: its answer is then lost, as with any crash.
            let query = format!(
                "mutation {{ updateSkill(id: \"python\", input: {{hours: {}}}) {{ id }} }}",
                40 + n % 500
            );
            let request = writer
                .http
                .post(format!("{}/graphql", writer.url))
                .bearer_auth(TOKEN)
                .timeout(Duration::from_secs(5))
                .json(&json!({ "query": query }));
            let _ = request.send().await;
        }
        if fault.is_empty() {
            tokio::time::sleep(Duration::from_millis(rand::random::<u64>() % 30)).await;
        } else {
            eventually(
                Duration::from_secs(20),
                "the fault hook to abort the writer",
                || {
                    let exited = writer.child.try_wait().unwrap().is_some();
                    async move { exited }
                },
            )
            .await;
        }
        writer.kill();
    }
    let writer = Node::writer(&db, &nats, &[]);
    let replica = Node::replica(&replica_db, &nats, &[]);
    converged(&writer, &replica).await;
    let messages = nats.messages("skillgraph").await;
    let mut previous: Option<u64> = None;
    for (seq, envelope) in &messages {
        if let skillgraph::replication::wire::Body::Entry { .. } = envelope.body
            && let Some(p) = previous
        {
            assert_eq!(
                envelope.revision,
                p + 1,
                "message {seq} follows revision {p}: {messages:?}"
            );
        }
        previous = Some(envelope.revision);
    }
    // Epochs only rise.
    assert!(messages.windows(2).all(|w| w[0].1.epoch <= w[1].1.epoch));
}

#[tokio::test]
async fn a_second_writer_cannot_publish_until_it_takes_over() {
    let Some(nats) = Nats::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let first = Node::writer(&dir.path().join("a"), &nats, &[]);
    let replica = Node::replica(&dir.path().join("r"), &nats, &[]);
    converged(&first, &replica).await;
    let second = Node::writer(&dir.path().join("b"), &nats, &[]);
    eventually(
        Duration::from_secs(20),
        "the second writer to refuse",
        || async { second.ready().await.0 == 503 },
    )
    .await;
    let (_, body) = second.ready().await;
    assert!(
        body["reason"].as_str().unwrap().contains("another writer"),
        "{body}"
    );
    assert!(second.log().contains("another writer"));
    // The first goes on publishing.
    first.write(1).await;
    converged(&first, &replica).await;
    drop(second);

    // Moving the writer to another database: stop the first, take over with the second.
    let old = first.revision().await;
    drop(first);
    let second = Node::writer(&dir.path().join("b"), &nats, &["--nats-takeover"]);
    second
        .post(
            "mutation { createSkill(input: {id: \"only-on-b\", name: \"B\", category: \"programming\", hours: 1}) { id } }",
            &[],
        )
        .await;
    // Its revisions are its own database's (they may be below the old writer's): wait for its
    // content, not for a revision.
    // Its revisions continue above the old writer's: replicas never see them go back.
    let (_, taken, _) = second.post("{ stats { revision } }", &[]).await;
    assert!(taken > old, "revision {taken} after the old writer's {old}");
    eventually(
        Duration::from_secs(60),
        "the replica to load the new writer's graph",
        || async {
            let (_, _, body) = replica
                .post("{ skill(id: \"only-on-b\") { id } }", &[])
                .await;
            body["data"]["skill"]["id"] == "only-on-b"
        },
    )
    .await;
    converged(&second, &replica).await;
}

// ----- convergence, as a property -------------------------------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// One shared server for every case: each case has a stream of its own.
fn shared_nats() -> Option<&'static Nats> {
    static NATS: std::sync::OnceLock<Option<Nats>> = std::sync::OnceLock::new();
    NATS.get_or_init(|| Nats::start(Some(8 * 1024))).as_ref()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    /// After any sequence of writes (every kind, imports and cascades included), a replica that
    /// followed from the start and one that started after the stream dropped the oldest
    /// entries both export exactly the writer's bytes. The server's message limit (8 KB)
    /// sends the larger entries as snapshots.
    #[test]
    fn every_replica_converges_to_the_writers_export(
        (_, writes) in writes::writes(),
        max_messages in 2i64..30,
        every in 1u64..10,
    ) {
        let Some(nats) = shared_nats() else { return Ok(()) };
        let _ = tracing_subscriber::fmt().with_env_filter("skillgraph=info,async_nats=warn").with_test_writer().try_init();
        use skillgraph::catalog::Catalog;
        use skillgraph::config::Retention;
        use skillgraph::replication::{NatsTarget, PublisherConfig, Role, Status};
        static CASE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let case = CASE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let stream = format!("prop{case}");
        let dir = tempfile::tempdir().unwrap();
        let runtime = runtime();
        let status = |role| Arc::new(Status::new(role, 0, Duration::from_secs(60)));
        let target = NatsTarget::parse(&nats.url(), &stream).unwrap();
        let writer = Arc::new(Catalog::open(&dir.path().join("w")).unwrap());
        let (start, _) = writes::build(6, &[(1, 0, false, None), (2, 1, true, Some(3))]);
        writer.write(skillgraph::domain::ChangeKind::Imported, |g| {
            *g = start;
            g.set_revision(0);
            Ok::<_, skillgraph::catalog::Error>(())
        }).unwrap();
        let replica = Arc::new(Catalog::open_replica(&dir.path().join("r"), Retention::default()).unwrap());
        let late = Arc::new(Catalog::open_replica(&dir.path().join("late"), Retention::default()).unwrap());
        runtime.block_on(async {
            let config = PublisherConfig {
                target: target.clone(),
                takeover: false,
                snapshot_every_revisions: every,
                snapshot_every: Duration::from_secs(3600),
                snapshots_keep: 2,
                stream_max_messages: max_messages,
            };
            skillgraph::replication::publish(writer.clone(), config, status(Role::Writer)).unwrap();
            skillgraph::replication::follow(replica.clone(), target.clone(), status(Role::Replica));
            for (n, (w, _)) in writes.into_iter().enumerate() {
                let kind = writes::run_write(&mut skillgraph::domain::SkillGraph::clone(&writer.snapshot()), n, w);
                let catalog = writer.clone();
                tokio::task::spawn_blocking(move || {
                    catalog.write(kind, |g| {
                        writes::run_write(g, n, w);
                        Ok::<_, skillgraph::catalog::Error>(())
                    })
                }).await.unwrap().unwrap();
            }
            skillgraph::replication::follow(late.clone(), target.clone(), status(Role::Replica));
            let want = writer.snapshot().revision();
            let deadline = Instant::now() + Duration::from_secs(60);
            while replica.snapshot().revision() != want || late.snapshot().revision() != want {
                assert!(Instant::now() < deadline, "replicas stuck at {} and {} of {want}", replica.snapshot().revision(), late.snapshot().revision());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        drop(runtime);
        let export = |c: &Catalog| skillgraph::import::seed::export(&c.snapshot());
        let expected = export(&writer);
        proptest::prop_assert_eq!(&export(&replica), &expected);
        proptest::prop_assert_eq!(&export(&late), &expected);
    }
}

#[tokio::test]
async fn the_snapshot_command_and_mutation_upload_a_snapshot_on_demand() {
    let Some(nats) = Nats::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let writer = Node::writer(&dir.path().join("w"), &nats, &["--snapshots-keep", "1"]);
    let revision = writer.write(1).await;
    let (_, _, body) = writer
        .post(
            "mutation { publishSnapshot { name revision epoch bytes } }",
            &[],
        )
        .await;
    assert_eq!(
        body["data"]["publishSnapshot"]["revision"].as_u64(),
        Some(revision),
        "{body}"
    );
    let uploaded = body["data"]["publishSnapshot"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let output = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .args(["snapshot", "--nats", &nats.url(), "--timeout", "30"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(&format!("revision {revision}")), "{stdout}");
    // Without NATS configured, the mutation says so.
    let plain = Node::spawn(&dir.path().join("plain"), &[], &[]);
    let (_, _, body) = plain
        .post("mutation { publishSnapshot { name } }", &[])
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAVAILABLE");
    // The object store keeps the newest 3.
    let js = async_nats::jetstream::new(nats.client().await);
    let bucket = js.get_object_store("skillgraph_snapshots").await.unwrap();
    let mut list = bucket.list().await.unwrap();
    let mut names = Vec::new();
    while let Some(info) = list.next().await {
        // The list can show an object its deletion replaced (nats-server 2.9 keeps the old
        // metadata message): its last message says.
        let name = info.unwrap().name;
        if !bucket.info(&name).await.unwrap().deleted && !names.contains(&name) {
            names.push(name);
        }
    }
    // The start's snapshot and this one were uploaded; the newest alone is kept.
    assert_eq!(names, [uploaded], "{names:?}");
}
