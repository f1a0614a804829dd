//! Crash safety of the real binary: writes acknowledged before a `SIGKILL` survive it.
//!
//! Each round starts (or reuses) `skillgraph serve` on one database directory, lets three client
//! threads stream durable writes at it (new skills, prerequisites between a client's own
//! acknowledged skills, and prerequisites that would close a cycle), kills the process with
//! `SIGKILL` after a random delay, restarts it on the same directory and checks over GraphQL:
//!
//! - every acknowledged skill and prerequisite is there, with its data;
//! - every write that was sent but not acknowledged is either wholly there or wholly absent,
//!   and nothing else appeared (no phantom skill or edge);
//! - writes that never reached the server, and cycle-closing prerequisites (refused, or cut
//!   off by the kill), are absent;
//! - the revision moved by exactly the writes that landed (so at least the acknowledged ones);
//! - the graph has no cycle and no dangling edge, and the transitive prerequisites the server
//!   computes match the closure of the edges it reports;
//! - the change log agrees with the data: `changes(since:)` from the revision before the round
//!   holds one entry per revision that landed, and together they create exactly the skills and
//!   prerequisites that appeared (an entry is written in the same transaction as its data).
//!
//! State carries over: every round re-checks everything earlier rounds established.
//!
//! `SKILLGRAPH_CRASH_ROUNDS` sets the number of rounds (3 by default, `scripts/crash.sh` runs
//! 50 in release mode); `SKILLGRAPH_CRASH_SEED` the seed of the delays and choices.
//!
//! The clients speak raw HTTP/1.1 over `std::net::TcpStream` with `Connection: close`, which
//! tells precisely what happened to a write: a failed connect sent nothing, and a write is
//! acknowledged only by a complete response.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

const TOKEN: &str = "crash-test-admin-token-0123456789";
const CLIENTS: usize = 3;
const DEFAULT_ROUNDS: usize = 3;
const DEFAULT_SEED: u64 = 0x5eed_c4a5;
/// Ids looked up per verification request: two aliases each (the skill and its transitive
/// prerequisites), under the default maxAliases (30).
const CHUNK: usize = 14;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, got {text:?}")),
        Err(_) => default,
    }
}

// ---------------------------------------------------------------------------------------------
// The server process
// ---------------------------------------------------------------------------------------------

/// A running `skillgraph serve`; killed (and reaped) on drop, so a failing test leaves no
/// process behind.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    /// Starts the binary on `db` and waits until `/health` answers. The port comes from binding
    /// `127.0.0.1:0` and letting go, so another process may take it in between: a start that
    /// fails on the address is retried on a new port; any other failure is reported with the
    /// server's output.
    fn start(db: &Path, log: &Path) -> Server {
        for _attempt in 0..10 {
            let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
            let log_start = std::fs::metadata(log).map_or(0, |m| m.len());
            let out = OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .expect("the server log opens");
            let err = out.try_clone().expect("the log handle clones");
            let mut child = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
                .arg("--db")
                .arg(db)
                .arg("serve")
                .arg("--addr")
                .arg(addr.to_string())
                .arg("--seed")
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("seed"))
                .env("SKILLGRAPH_ADMIN_TOKEN", TOKEN)
                .env_remove("SKILLGRAPH_ADMIN_TOKEN_FILE")
                .env_remove("SKILLGRAPH_NO_INTROSPECTION")
                .env("RUST_LOG", "info")
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .expect("the skillgraph binary starts");
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                if let Some(status) = child.try_wait().expect("the child can be polled") {
                    let output = log_since(log, log_start);
                    if output
                        .to_ascii_lowercase()
                        .contains("address already in use")
                        || output.to_ascii_lowercase().contains("address in use")
                    {
                        break; // try another port
                    }
                    panic!("the server exited during start-up ({status}):\n{output}");
                }
                if health(addr) {
                    return Server { child, addr };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "the server did not answer /health within 30 s:\n{}",
                        log_since(log, log_start)
                    );
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("no free port after 10 attempts:\n{}", log_since(log, 0));
    }

    /// `SIGKILL` (what `Child::kill` sends on Unix), then reaps the process: when this returns
    /// the process is gone and its file lock with it.
    fn kill(mut self) {
        self.child.kill().expect("the server can be killed");
        self.child.wait().expect("the killed server is reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    for _ in 0..50 {
        if let Ok(listener) = TcpListener::bind("127.0.0.1:0")
            && let Ok(addr) = listener.local_addr()
        {
            return addr.port();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("could not bind 127.0.0.1:0");
}

fn log_since(log: &Path, offset: u64) -> String {
    let text = std::fs::read(log).unwrap_or_default();
    let start = (offset as usize).min(text.len());
    let tail = String::from_utf8_lossy(&text[start..]).into_owned();
    // The last 80 lines say why; the rest is request logging.
    let lines: Vec<&str> = tail.lines().collect();
    lines[lines.len().saturating_sub(80)..].join("\n")
}

fn health(addr: SocketAddr) -> bool {
    let raw = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    match request(addr, raw.as_bytes(), Duration::from_secs(2)) {
        Outcome::Answer { status, body } => status == 200 && body == b"ok",
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1
// ---------------------------------------------------------------------------------------------

/// What became of one request.
#[derive(Debug)]
enum Outcome {
    /// The connection could not be opened: not a byte of the request left this process.
    NotSent(String),
    /// The request was (perhaps partly) sent, but no complete response came back.
    NoAnswer(String),
    /// A complete response.
    Answer { status: u16, body: Vec<u8> },
}

fn request(addr: SocketAddr, raw: &[u8], timeout: Duration) -> Outcome {
    let mut stream = match TcpStream::connect_timeout(&addr, timeout) {
        Ok(stream) => stream,
        Err(e) => return Outcome::NotSent(e.to_string()),
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let _ = stream.set_nodelay(true);
    if let Err(e) = stream.write_all(raw) {
        return Outcome::NoAnswer(format!("sending: {e}"));
    }
    let mut buffer = Vec::new();
    // A reset after the whole response arrived still leaves a complete response in the buffer:
    // judge by what was received, not by how the connection ended.
    let read_error = stream.read_to_end(&mut buffer).err();
    match parse_response(&buffer) {
        Some((status, body)) => Outcome::Answer { status, body },
        None => Outcome::NoAnswer(format!(
            "{} bytes of response{}",
            buffer.len(),
            read_error.map_or(String::new(), |e| format!(", then {e}"))
        )),
    }
}

/// Status and body of a complete HTTP/1.1 response; `None` when it is cut short.
fn parse_response(buffer: &[u8]) -> Option<(u16, Vec<u8>)> {
    let end = buffer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buffer[..end]).ok()?;
    let rest = &buffer[end + 4..];
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        if name == "content-length" {
            length = Some(value.parse::<usize>().ok()?);
        } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
            chunked = true;
        }
    }
    if chunked {
        return dechunk(rest).map(|body| (status, body));
    }
    match length {
        Some(n) if rest.len() >= n => Some((status, rest[..n].to_vec())),
        Some(_) => None,
        // Delimited by the close; with a reset in between nothing proves it complete, but a
        // write is only acknowledged by a parseable JSON body anyway.
        None => Some((status, rest.to_vec())),
    }
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        if data.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn graphql_request(addr: SocketAddr, query: &str, variables: Value, admin: bool) -> Vec<u8> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let auth = if admin {
        format!("Authorization: Bearer {TOKEN}\r\n")
    } else {
        String::new()
    };
    format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A read for verification: must be answered with 200 and JSON; returns the whole body.
fn read_body(addr: SocketAddr, query: &str, variables: Value) -> Value {
    let raw = graphql_request(addr, query, variables, false);
    match request(addr, &raw, Duration::from_secs(30)) {
        Outcome::Answer { status, body } => {
            let text = String::from_utf8_lossy(&body);
            assert_eq!(status, 200, "verification query failed: {text}");
            serde_json::from_slice(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        }
        other => panic!("the restarted server did not answer a read: {other:?}"),
    }
}

/// A read for verification: must be answered with 200, JSON, and no errors.
fn read_query(addr: SocketAddr, query: &str, variables: Value) -> Value {
    let value = read_body(addr, query, variables);
    assert!(
        value.get("errors").is_none(),
        "verification query has errors: {value:#}\nquery: {query}"
    );
    value["data"].clone()
}

/// Whether the server refused a query as too complex (the limit is the server's to set).
fn too_complex(value: &Value) -> bool {
    value.pointer("/errors/0/extensions/limit") == Some(&json!("maxComplexity"))
}

// ---------------------------------------------------------------------------------------------
// The writing clients
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Skill(String),
    /// `skill` requires `requires`.
    Edge(String, String),
    /// An edge that would close a cycle: never acceptable.
    Cycle(String, String),
}

/// Everything one client sent in a round, by outcome.
#[derive(Default, Debug)]
struct ClientLog {
    acknowledged: Vec<Op>,
    /// Cycle-closing edges answered with `CYCLE`.
    refused: Vec<Op>,
    unacknowledged: Vec<Op>,
    not_sent: Vec<Op>,
    /// Inputs of every skill this client sent, by id.
    inputs: BTreeMap<String, Value>,
    /// Answers that were complete but wrong: each one fails the test.
    failures: Vec<String>,
    /// How the client's last request ended.
    ending: String,
}

fn skill_input(id: &str, round: usize, client: usize, n: usize) -> Value {
    json!({
        "id": id,
        "name": format!("Crash skill {id}"),
        "category": "programming",
        "hours": (n * 7 + round) % 97 + 1,
        "description": format!("written by client {client} in round {round}, #{n}"),
        "aliases": [format!("{id} alias"), format!("r{round}c{client}n{n}")],
        "tags": ["crash", format!("round-{round}")],
    })
}

const CREATE_SKILL: &str =
    "mutation($input: SkillInput!) { createSkill(input: $input) { id name hours } }";
const ADD_PREREQUISITE: &str = "mutation($s: ID!, $r: ID!) { addPrerequisite(skill: $s, requires: $r) { id prerequisites { skill { id } } } }";

/// Streams writes until one of them is not answered (the server is gone) or `stop` is set.
fn client(
    addr: SocketAddr,
    round: usize,
    client: usize,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> ClientLog {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut log = ClientLog::default();
    // This client's acknowledged skills of this round, oldest first, and its acknowledged
    // edges: the only ones it builds on, so every choice below is certain to be acyclic or
    // certain to close a cycle.
    let mut skills: Vec<String> = Vec::new();
    let mut requires: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut edges: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    // Every third skill is followed by a prerequisite, and some prerequisites by an attempt to
    // close a cycle.
    let (mut link_next, mut cycle_next) = (false, false);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
        let write = if cycle_next && !edges.is_empty() {
            cycle_next = false;
            // Follow acknowledged edges down from the `requires` end of one, then ask that far
            // end to require its start: a cycle of length 2 or more.
            let (start, first) = edges[rng.random_range(0..edges.len())].clone();
            let mut end = first;
            for _ in 0..rng.random_range(0..4) {
                match requires.get(&end) {
                    Some(next) if !next.is_empty() => {
                        end = next[rng.random_range(0..next.len())].clone();
                    }
                    _ => break,
                }
            }
            Op::Cycle(end, start)
        } else if link_next && skills.len() >= 2 {
            link_next = false;
            cycle_next = rng.random_bool(0.4);
            // The newest skill requires an older one: edges always point to older skills, so
            // they never close a cycle among themselves.
            let newest = skills.len() - 1;
            let older = if rng.random_bool(0.5) {
                newest - 1
            } else {
                rng.random_range(0..newest)
            };
            let (a, b) = (skills[newest].clone(), skills[older].clone());
            if requires.get(&a).is_some_and(|r| r.contains(&b)) {
                continue;
            }
            Op::Edge(a, b)
        } else {
            n += 1;
            link_next = n % 3 == 0;
            let id = format!("crash-r{round}-c{client}-{n}");
            log.inputs
                .insert(id.clone(), skill_input(&id, round, client, n));
            Op::Skill(id)
        };
        let (query, variables) = match &write {
            Op::Skill(id) => (CREATE_SKILL, json!({ "input": log.inputs[id] })),
            Op::Edge(a, b) | Op::Cycle(a, b) => (ADD_PREREQUISITE, json!({ "s": a, "r": b })),
        };
        let raw = graphql_request(addr, query, variables, true);
        let (status, body) = match request(addr, &raw, Duration::from_secs(20)) {
            Outcome::NotSent(why) => {
                log.ending = format!("not sent: {why}");
                log.not_sent.push(write);
                break;
            }
            Outcome::NoAnswer(why) => {
                log.ending = format!("no answer: {why}");
                log.unacknowledged.push(write);
                break;
            }
            Outcome::Answer { status, body } => (status, body),
        };
        let text = String::from_utf8_lossy(&body).into_owned();
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) if status == 200 => value,
            _ => {
                log.failures
                    .push(format!("{write:?}: status {status}, body {text}"));
                break;
            }
        };
        match &write {
            Op::Skill(id) => {
                if value.get("errors").is_none() && value["data"]["createSkill"]["id"] == **id {
                    skills.push(id.clone());
                    log.acknowledged.push(write);
                } else {
                    log.failures.push(format!("{write:?} refused: {text}"));
                    break;
                }
            }
            Op::Edge(a, b) => {
                let listed = value["data"]["addPrerequisite"]["prerequisites"]
                    .as_array()
                    .is_some_and(|list| list.iter().any(|p| p["skill"]["id"] == **b));
                if value.get("errors").is_none() && listed {
                    requires.entry(a.clone()).or_default().push(b.clone());
                    edges.push((a.clone(), b.clone()));
                    log.acknowledged.push(write);
                } else {
                    log.failures.push(format!("{write:?} refused: {text}"));
                    break;
                }
            }
            Op::Cycle(..) => {
                let code = value.pointer("/errors/0/extensions/code");
                let cycle = value.pointer("/errors/0/extensions/cycle");
                if code == Some(&json!("CYCLE"))
                    && cycle.is_some_and(Value::is_array)
                    && value["data"].is_null()
                {
                    log.refused.push(write);
                } else {
                    log.failures
                        .push(format!("{write:?} was not refused with CYCLE: {text}"));
                    break;
                }
            }
        }
    }
    log
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

/// What the database must hold, as established by the rounds so far.
#[derive(Default)]
struct Model {
    /// Every crash skill that must exist, with the input that created it.
    skills: BTreeMap<String, Value>,
    /// Every crash edge that must exist.
    edges: BTreeSet<(String, String)>,
    /// Edges that must never exist: cycle closers and writes that were never sent.
    never: BTreeSet<(String, String)>,
    /// Seeded skills and prerequisites, which the crash writes never touch.
    base_skills: i64,
    base_prerequisites: i64,
    revision: i64,
}

struct Stats {
    skills: i64,
    prerequisites: i64,
    revision: i64,
}

fn stats(addr: SocketAddr) -> Stats {
    let data = read_query(
        addr,
        "{ stats { skills prerequisites revision } }",
        json!({}),
    );
    let n = |f: &str| data["stats"][f].as_i64().expect("a stats count");
    Stats {
        skills: n("skills"),
        prerequisites: n("prerequisites"),
        revision: n("revision"),
    }
}

/// The ids of every crash skill the server lists, through the paginated `skills` query.
fn listed_crash_skills(addr: SocketAddr) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let data = read_query(
            addr,
            "query($after: String) { skills(category: \"programming\", first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }",
            json!({ "after": after }),
        );
        let page = &data["skills"];
        for node in page["nodes"].as_array().expect("a list of nodes") {
            let id = node["id"].as_str().expect("an id");
            if id.starts_with("crash-") {
                assert!(ids.insert(id.to_owned()), "{id} listed twice");
            }
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return ids;
        }
        after = Some(
            page["pageInfo"]["endCursor"]
                .as_str()
                .expect("a cursor")
                .to_owned(),
        );
    }
}

/// The skills by id (null for a missing one), with their data and direct and transitive
/// prerequisites, in requests of up to [`CHUNK`] aliased lookups (fewer when the server finds
/// that too complex).
fn fetch_skills<'a>(
    addr: SocketAddr,
    ids: impl IntoIterator<Item = &'a String>,
) -> BTreeMap<String, Value> {
    let ids: Vec<&String> = ids.into_iter().collect();
    let mut found = BTreeMap::new();
    for chunk in ids.chunks(CHUNK) {
        fetch_chunk(addr, chunk, &mut found);
    }
    found
}

fn fetch_chunk(addr: SocketAddr, ids: &[&String], found: &mut BTreeMap<String, Value>) {
    let mut query = String::from("query {");
    for (i, id) in ids.iter().enumerate() {
        query.push_str(&format!(
            " s{i}: skill(id: {}) {{ ...F }}",
            serde_json::to_string(id).unwrap()
        ));
    }
    query.push_str(
        " } fragment F on Skill { id name hours description aliases tags category { id } \
         prerequisites { skill { id } kind minLevel depth } \
         transitive: prerequisites(transitive: true) { skill { id } depth } }",
    );
    let body = read_body(addr, &query, json!({}));
    if too_complex(&body) && ids.len() > 1 {
        let (left, right) = ids.split_at(ids.len() / 2);
        fetch_chunk(addr, left, found);
        fetch_chunk(addr, right, found);
        return;
    }
    assert!(
        body.get("errors").is_none(),
        "verification query has errors: {body:#}\nquery: {query}"
    );
    for (i, id) in ids.iter().enumerate() {
        found.insert((*id).clone(), body["data"][format!("s{i}")].clone());
    }
}

fn edge_of(write: &Op) -> Option<(String, String)> {
    match write {
        Op::Edge(a, b) | Op::Cycle(a, b) => Some((a.clone(), b.clone())),
        Op::Skill(_) => None,
    }
}

/// What a round's clients did, merged.
#[derive(Default)]
struct RoundLog {
    acknowledged: Vec<Op>,
    refused: Vec<Op>,
    unacknowledged: Vec<Op>,
    not_sent: Vec<Op>,
    inputs: BTreeMap<String, Value>,
    failures: Vec<String>,
    endings: Vec<String>,
}

impl RoundLog {
    fn merge(&mut self, log: ClientLog) {
        self.acknowledged.extend(log.acknowledged);
        self.refused.extend(log.refused);
        self.unacknowledged.extend(log.unacknowledged);
        self.not_sent.extend(log.not_sent);
        self.inputs.extend(log.inputs);
        self.failures.extend(log.failures);
        self.endings.push(log.ending);
    }
}

struct Verified {
    /// Unacknowledged writes found applied.
    present: usize,
}

/// Checks the restarted server against the model and this round's log, then folds the round
/// into the model.
fn verify(addr: SocketAddr, model: &mut Model, round: &RoundLog) -> Verified {
    let listed = listed_crash_skills(addr);

    // Which skills may exist, and which must.
    let unacked_skills: BTreeSet<&String> = round
        .unacknowledged
        .iter()
        .filter_map(|w| match w {
            Op::Skill(id) => Some(id),
            _ => None,
        })
        .collect();
    let mut required: BTreeMap<String, Value> = model.skills.clone();
    for write in &round.acknowledged {
        if let Op::Skill(id) = write {
            required.insert(id.clone(), round.inputs[id].clone());
        }
    }
    for id in &listed {
        assert!(
            required.contains_key(id) || unacked_skills.contains(id),
            "phantom skill {id}: listed after the restart but never acknowledged nor in flight"
        );
    }
    let lookups: BTreeSet<String> = required
        .keys()
        .cloned()
        .chain(unacked_skills.iter().map(|s| (*s).clone()))
        .chain(round.not_sent.iter().filter_map(|w| match w {
            Op::Skill(id) => Some(id.clone()),
            _ => None,
        }))
        .collect();
    let fetched = fetch_skills(addr, &lookups);

    let check_data = |id: &str, input: &Value, got: &Value| {
        assert_eq!(got["id"], input["id"], "{id}: id");
        for field in ["name", "hours", "description", "aliases", "tags"] {
            assert_eq!(
                got[field], input[field],
                "{id}: {field} differs after the restart"
            );
        }
        assert_eq!(got["category"]["id"], input["category"], "{id}: category");
    };

    for (id, input) in &required {
        let got = &fetched[id];
        assert!(
            !got.is_null(),
            "acknowledged skill {id} is missing after the restart"
        );
        assert!(listed.contains(id), "{id} resolves but is not listed");
        check_data(id, input, got);
    }
    let mut present = 0;
    let mut present_skills = BTreeSet::new();
    for id in &unacked_skills {
        let got = &fetched[*id];
        if got.is_null() {
            assert!(!listed.contains(*id), "{id} is listed but does not resolve");
        } else {
            check_data(id, &round.inputs[*id], got);
            assert!(listed.contains(*id), "{id} resolves but is not listed");
            present += 1;
            present_skills.insert((*id).clone());
        }
    }
    for write in &round.not_sent {
        if let Op::Skill(id) = write {
            assert!(
                fetched[id].is_null(),
                "{id} exists, but its request never reached the server"
            );
        }
    }

    // Edges: actual direct prerequisites of every crash skill.
    let mut actual: BTreeSet<(String, String)> = BTreeSet::new();
    for (id, got) in &fetched {
        if got.is_null() {
            continue;
        }
        for p in got["prerequisites"].as_array().expect("prerequisites") {
            let to = p["skill"]["id"].as_str().unwrap_or_else(|| {
                panic!("dangling edge: a prerequisite of {id} does not resolve: {p}")
            });
            assert_eq!(p["kind"], "REQUIRED", "{id} → {to}: kind");
            assert!(p["minLevel"].is_null(), "{id} → {to}: minLevel");
            assert_eq!(
                p["depth"], 1,
                "{id} → {to}: a direct prerequisite has depth 1"
            );
            assert!(
                to.starts_with("crash-"),
                "{id} requires {to}, which no crash client ever asked for"
            );
            assert!(
                fetched.get(to).is_some_and(|v| !v.is_null()),
                "dangling edge: {id} requires {to}, which does not exist"
            );
            actual.insert((id.clone(), to.to_owned()));
        }
    }
    let mut must: BTreeSet<(String, String)> = model.edges.clone();
    must.extend(round.acknowledged.iter().filter_map(edge_of));
    let may: BTreeSet<(String, String)> = round
        .unacknowledged
        .iter()
        .filter(|w| matches!(w, Op::Edge(..)))
        .filter_map(edge_of)
        .collect();
    let mut never = model.never.clone();
    never.extend(round.refused.iter().filter_map(edge_of));
    never.extend(
        round
            .unacknowledged
            .iter()
            .filter(|w| matches!(w, Op::Cycle(..)))
            .filter_map(edge_of),
    );
    never.extend(round.not_sent.iter().filter_map(edge_of));
    for edge in &must {
        assert!(
            actual.contains(edge),
            "acknowledged prerequisite {} → {} is missing after the restart",
            edge.0,
            edge.1
        );
    }
    for edge in &actual {
        assert!(
            !never.contains(edge),
            "prerequisite {} → {} exists, but it closes a cycle or was never sent",
            edge.0,
            edge.1
        );
        assert!(
            must.contains(edge) || may.contains(edge),
            "phantom prerequisite {} → {}",
            edge.0,
            edge.1
        );
    }
    let present_edges: BTreeSet<(String, String)> = may.intersection(&actual).cloned().collect();
    present += present_edges.len();

    // No cycle, and the transitive prerequisites are the closure of the direct ones.
    let mut direct: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in &actual {
        direct.entry(a).or_default().push(b);
    }
    for (id, got) in &fetched {
        if got.is_null() {
            continue;
        }
        let transitive: BTreeSet<&str> = got["transitive"]
            .as_array()
            .expect("transitive prerequisites")
            .iter()
            .map(|p| {
                p["skill"]["id"].as_str().unwrap_or_else(|| {
                    panic!("dangling edge: a transitive prerequisite of {id} does not resolve")
                })
            })
            .collect();
        assert!(
            !transitive.contains(id.as_str()),
            "cycle: {id} is among its own transitive prerequisites"
        );
        let mut closure = BTreeSet::new();
        let mut stack: Vec<&str> = direct.get(id.as_str()).cloned().unwrap_or_default();
        while let Some(s) = stack.pop() {
            if closure.insert(s) {
                stack.extend(direct.get(s).into_iter().flatten());
            }
        }
        assert_eq!(
            transitive, closure,
            "{id}: transitive prerequisites differ from the closure of the direct ones"
        );
    }

    // Counts and the revision: exactly the writes that landed, and so at least every
    // acknowledged one.
    let acked = round.acknowledged.len() as i64;
    let now = stats(addr);
    assert!(
        now.revision >= model.revision + acked,
        "revision {} after the restart, but {} before the round plus {acked} acknowledged writes",
        now.revision,
        model.revision
    );
    assert_eq!(
        now.revision,
        model.revision + acked + present as i64,
        "the revision should have moved once per write that landed"
    );
    assert_eq!(
        now.skills,
        model.base_skills + listed.len() as i64,
        "stats.skills"
    );
    assert_eq!(
        now.prerequisites,
        model.base_prerequisites + actual.len() as i64,
        "stats.prerequisites"
    );

    // The change log: one entry per revision that landed, creating exactly what appeared.
    let new_skills: BTreeSet<String> = listed
        .iter()
        .filter(|id| !model.skills.contains_key(*id))
        .cloned()
        .collect();
    let new_edges: BTreeSet<(String, String)> = actual.difference(&model.edges).cloned().collect();
    verify_log(addr, model.revision, now.revision, &new_skills, &new_edges);

    // Fold the round in: what landed must stay, what did not must stay away.
    for id in &present_skills {
        required.insert(id.clone(), round.inputs[id].clone());
    }
    model.skills = required;
    model.edges = must.union(&present_edges).cloned().collect();
    model.never = never;
    // Unacknowledged edges that did not land may not appear later either.
    model.never.extend(may.difference(&actual).cloned());
    model.revision = now.revision;
    Verified { present }
}

/// Reads `changes(since: since)` to the end and checks it holds the revisions after `since` up
/// to `revision`, one entry each, whose records create exactly `skills` and `edges`.
fn verify_log(
    addr: SocketAddr,
    since: i64,
    revision: i64,
    skills: &BTreeSet<String>,
    edges: &BTreeSet<(String, String)>,
) {
    let (mut logged_skills, mut logged_edges) = (BTreeSet::new(), BTreeSet::new());
    let mut revisions = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = read_query(
            addr,
            "query($since: Int!, $after: String) { changes(since: $since, after: $after) { \
               totalCount pageInfo { hasNextPage endCursor } \
               nodes { revision kind records { type id requires action } } } }",
            json!({ "since": since, "after": after }),
        );
        let page = &data["changes"];
        assert_eq!(page["totalCount"], revision - since, "changes.totalCount");
        for entry in page["nodes"].as_array().expect("changes.nodes") {
            revisions.push(entry["revision"].as_i64().expect("a revision"));
            for record in entry["records"].as_array().expect("records") {
                assert_eq!(
                    record["action"], "CREATED",
                    "crash writes only create: {entry}"
                );
                let id = record["id"].as_str().expect("an id").to_owned();
                match record["type"].as_str() {
                    Some("SKILL") => assert!(logged_skills.insert(id), "{entry}"),
                    Some("PREREQUISITE") => {
                        let requires = record["requires"].as_str().expect("requires").to_owned();
                        assert!(logged_edges.insert((id, requires)), "{entry}");
                    }
                    other => panic!("a crash write logged a {other:?} record: {entry}"),
                }
            }
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let expected: Vec<i64> = (since + 1..=revision).collect();
    assert_eq!(
        revisions, expected,
        "the log holds each revision that landed, once"
    );
    assert_eq!(
        &logged_skills, skills,
        "the skills the log created are the new skills"
    );
    assert_eq!(
        &logged_edges, edges,
        "the prerequisites the log created are the new ones"
    );
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

#[test]
fn acknowledged_writes_survive_sigkill_and_the_graph_stays_consistent() {
    let rounds = env_number("SKILLGRAPH_CRASH_ROUNDS", DEFAULT_ROUNDS as u64) as usize;
    let seed = env_number("SKILLGRAPH_CRASH_SEED", DEFAULT_SEED);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db: PathBuf = dir.path().join("db");
    let log = dir.path().join("server.log");
    println!("crash test: {rounds} rounds, seed {seed}, {CLIENTS} clients");
    let started = Instant::now();

    let mut server = Server::start(&db, &log);
    let initial = stats(server.addr);
    let mut model = Model {
        base_skills: initial.skills,
        base_prerequisites: initial.prerequisites,
        revision: initial.revision,
        ..Model::default()
    };
    assert!(initial.skills > 0, "the seed was loaded");
    let mut delays = StdRng::seed_from_u64(seed);
    let (mut total_acked, mut total_unacked, mut total_present) = (0, 0, 0);

    for round in 1..=rounds {
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let stop = stop.clone();
                let addr = server.addr;
                let client_seed = seed ^ ((round as u64) << 16) ^ (c as u64 + 1);
                std::thread::spawn(move || client(addr, round, c, client_seed, stop))
            })
            .collect();
        let delay = Duration::from_millis(delays.random_range(50..=400));
        std::thread::sleep(delay);
        server.kill();
        stop.store(true, Ordering::SeqCst);
        let mut round_log = RoundLog::default();
        for handle in clients {
            round_log.merge(handle.join().expect("a client thread panicked"));
        }
        assert!(
            round_log.failures.is_empty(),
            "round {round}: answers that were complete but wrong:\n{}",
            round_log.failures.join("\n")
        );

        server = Server::start(&db, &log);
        let verified = verify(server.addr, &mut model, &round_log);
        let (a, u) = (round_log.acknowledged.len(), round_log.unacknowledged.len());
        println!(
            "round {round}: acknowledged {a}, unacknowledged {u} (present {}), verified after restart",
            verified.present
        );
        println!(
            "  (killed after {} ms; {} cycles refused; {} not sent; {} crash skills, {} crash prerequisites, revision {})",
            delay.as_millis(),
            round_log.refused.len(),
            round_log.not_sent.len(),
            model.skills.len(),
            model.edges.len(),
            model.revision
        );
        println!(
            "  (clients' last requests: {})",
            round_log.endings.join("; ")
        );
        total_acked += a;
        total_unacked += u;
        total_present += verified.present;
    }
    server.kill();
    println!(
        "crash test: {rounds} rounds in {:.1?}: {total_acked} acknowledged writes all found, {total_unacked} unacknowledged ({total_present} present)",
        started.elapsed()
    );
}
