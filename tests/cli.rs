//! The command line, run as a user runs it: the real binary on a throwaway database.

use std::path::Path;
use std::process::{Command, Output};

fn skillgraph(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn the_shipped_seed_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&skillgraph(&dir.path().join("db"), &["check", "seed"]));
    assert!(out.starts_with("ok: 9 categories"), "{out}");
    assert!(
        out.trim_end().ends_with("8 roles, 8 role categories"),
        "{out}"
    );
}

#[test]
fn check_lists_every_problem_with_file_and_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("bad");
    std::fs::create_dir(&seed).unwrap();
    std::fs::write(
        seed.join("s.toml"),
        "[[category]]\nid = \"c\"\nname = \"C\"\n\n[[skill]]\nid = \"a\"\nname = \"A\"\ncategory = \"c\"\nhours = 1\nrequires = [{ skill = \"b\" }]\n\n[[skill]]\nid = \"b\"\nname = \"B\"\ncategory = \"c\"\nhours = 1\nrequires = [{ skill = \"a\" }, { skill = \"ghost\" }]\n",
    )
    .unwrap();
    let output = skillgraph(&dir.path().join("db"), &["check", seed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("2 problem(s)"), "{err}");
    assert!(
        err.contains("s.toml:12: skill \"b\" requires \"ghost\""),
        "{err}"
    );
    assert!(
        err.contains("a → b → a") || err.contains("b → a → b"),
        "{err}"
    );
}

#[test]
fn export_import_export_round_trips_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let first_db = dir.path().join("first");
    stdout(&skillgraph(&first_db, &["import", "seed"]));
    let export = dir.path().join("export.toml");
    stdout(&skillgraph(
        &first_db,
        &["export", "-o", export.to_str().unwrap()],
    ));

    let second_db = dir.path().join("second");
    stdout(&skillgraph(
        &second_db,
        &["import", export.to_str().unwrap()],
    ));
    let again = stdout(&skillgraph(&second_db, &["export"]));
    assert_eq!(again, std::fs::read_to_string(&export).unwrap());

    // Importing the same files again changes nothing, not even the revision.
    let before = stdout(&skillgraph(&second_db, &["stats"]));
    stdout(&skillgraph(
        &second_db,
        &["import", export.to_str().unwrap()],
    ));
    assert_eq!(stdout(&skillgraph(&second_db, &["stats"])), before);
}

#[test]
fn a_failed_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[category]]\nid = \"c\"\nname = \"C\"\n\n[[skill]]\nid = \"a\"\nname = \"A\"\ncategory = \"missing\"\nhours = 1\n",
    )
    .unwrap();
    let output = skillgraph(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stats = stdout(&skillgraph(&db, &["stats"]));
    assert!(stats.contains("categories     0"), "{stats}");
    assert!(stats.contains("revision       0"), "{stats}");
}

#[test]
fn next_suggests_startable_skills_and_with_a_target_role_the_first_stage_of_its_plan() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&stdout(&skillgraph(&db, args))).unwrap()
    };
    let explore = json(&["next", "--have", "python=3,sql=2", "--first", "4", "--json"]);
    let explore = explore.as_array().unwrap();
    assert_eq!(explore.len(), 4, "{explore:?}");
    let scores: Vec<f64> = explore
        .iter()
        .map(|s| s["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    let from = |command: &'static str, rest: &[&'static str]| -> Vec<&'static str> {
        [&[command, "--from-role", "software-engineer"][..], rest].concat()
    };
    let toward = json(&from(
        "next",
        &["--to-role", "ai-engineer", "--first", "50", "--json"],
    ));
    let plan = json(&from("plan", &["--to-role", "ai-engineer", "--json"]));
    let mut suggested: Vec<&str> = toward
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["skill"].as_str().unwrap())
        .collect();
    let mut first_stage: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["stage"] == 1)
        .map(|s| s["skill"].as_str().unwrap())
        .collect();
    suggested.sort();
    first_stage.sort();
    assert_eq!(suggested, first_stage);

    // The table names each suggestion; `match` takes `--among` and `--order-by`.
    let table = stdout(&skillgraph(&db, &from("next", &[])));
    assert!(table.contains("unlocks"), "{table}");
    assert!(
        table.contains("Data handling with NumPy"),
        "names, not ids: {table}"
    );
    let fastest = json(&from(
        "match",
        &[
            "--among",
            "ai-engineer,data-engineer,ml-engineer",
            "--order-by",
            "hours",
            "--json",
        ],
    ));
    let hours: Vec<u64> = fastest
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["hours"].as_u64().unwrap())
        .collect();
    assert_eq!(hours.len(), 3);
    assert!(hours.windows(2).all(|w| w[0] <= w[1]), "{hours:?}");
}

#[test]
fn plan_from_software_engineer_to_ai_engineer_puts_fundamentals_first() {
    let dir = tempfile::tempdir().unwrap();
    let output = skillgraph(
        &dir.path().join("db"),
        &[
            "plan",
            "--from-role",
            "software-engineer",
            "--to-role",
            "ai-engineer",
            "--json",
        ],
    );
    let plan: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let steps = plan["steps"].as_array().unwrap();
    let position = |id: &str| {
        steps
            .iter()
            .position(|s| s["skill"] == id)
            .unwrap_or_else(|| panic!("{id} is not in the plan"))
    };
    assert!(position("linear-algebra") < position("neural-networks"));
    assert!(position("neural-networks") < position("transformers"));
    assert!(position("linear-algebra") < position("embeddings"));
    assert!(position("embeddings") < position("rag"));
    assert!(position("llm-fundamentals") < position("prompt-engineering"));
    assert!(position("prompt-engineering") < position("llm-applications"));
    assert!(position("llm-applications") < position("rag"));
    // Retrieval, evaluation and guardrails before agents (issue 19, findings 2-3).
    for first in ["rag", "llm-evaluation", "llm-security"] {
        assert!(position(first) < position("llm-agents"), "{first}");
    }
    assert!(position("caching") < position("llm-cost-latency"));
    // A software engineer already knows Python: it is not relearned from zero.
    assert!(
        steps
            .iter()
            .all(|s| s["skill"] != "python" || !s["from_level"].is_null())
    );

    let table = stdout(&skillgraph(
        &dir.path().join("db"),
        &[
            "gap",
            "--from-role",
            "software-engineer",
            "--role",
            "ai-engineer",
        ],
    ));
    assert!(table.contains("% ready"), "{table}");
    assert!(
        table.contains("hours are study time only"),
        "plans say that project time is left out: {table}"
    );
}

#[test]
fn plan_with_a_budget_and_a_pace_shows_weeks_and_what_was_deferred() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let args = [
        "plan",
        "--from-role",
        "software-engineer",
        "--to-role",
        "ai-engineer",
        "--budget",
        "200",
        "--hours-per-week",
        "10",
    ];
    let table = stdout(&skillgraph(&db, &args));
    assert!(table.contains("weeks at your pace"), "{table}");
    assert!(
        table.contains("within a budget of 200 h: readiness"),
        "{table}"
    );
    assert!(table.contains("deferred: "), "{table}");
    // A provider chosen for the cloud skills names the ones that would do instead.
    let aws = table.lines().find(|l| l.contains("Amazon Web Services"));
    assert!(
        aws.is_some_and(|l| l.contains("(or azure, gcp)")),
        "{table}"
    );

    let plan: serde_json::Value = serde_json::from_str(&stdout(&skillgraph(
        &db,
        &[&args[..], &["--json"]].concat(),
    )))
    .unwrap();
    let steps = plan["steps"].as_array().unwrap();
    let total: u64 = steps.iter().map(|s| s["hours"].as_u64().unwrap()).sum();
    assert!(total <= 200 && total == plan["total_hours"].as_u64().unwrap());
    assert_eq!(plan["weeks"].as_u64().unwrap(), total.div_ceil(10));
    assert_eq!(steps.last().unwrap()["end_week"], plan["weeks"]);
    assert!(!plan["budget"]["deferred"].as_array().unwrap().is_empty());

    // The same on `gap`; a pace of 0 is refused by the argument parser.
    let gap = stdout(&skillgraph(
        &db,
        &[
            "gap",
            "--from-role",
            "software-engineer",
            "--role",
            "ai-engineer",
            "--budget",
            "200",
        ],
    ));
    assert!(gap.contains("deferred: "), "{gap}");
    let zero = skillgraph(&db, &["plan", "--to", "python", "--hours-per-week", "0"]);
    assert!(!zero.status.success());
}

#[test]
fn a_damaged_database_is_refused_and_never_seeded_over() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    stdout(&skillgraph(&db, &["import", "seed"]));
    // Flip bytes where sled keeps its first records, as a bad disk or a stray write would.
    // sled then reads an empty log: without our revision record, this would look like a new
    // database, and `plan` or `serve` would seed it.
    let file = db.join("db");
    let mut bytes = std::fs::read(&file).unwrap();
    for i in (0..bytes.len().min(4096)).step_by(16) {
        bytes[i] ^= 0xff;
    }
    std::fs::write(&file, &bytes).unwrap();

    for args in [
        &["stats"][..],
        &["plan", "--to", "python"][..],
        &["stats"][..],
    ] {
        let output = skillgraph(&db, args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: a clean refusal, not a panic"
        );
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("revision 1 was acknowledged"), "{err}");
    }
}

#[test]
fn a_plain_file_or_someone_elses_folder_is_not_taken_for_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    for db in [file.clone(), dir.path().to_owned()] {
        let output = skillgraph(&db, &["stats"]);
        assert_eq!(output.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&output.stderr).contains("is not a skillgraph database"));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Runs `serve` on a free port with stderr going to a file, until it has logged that it serves;
/// returns what it logged.
fn serve_logs(extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--db")
        .arg(dir.path().join("db"))
        .args(extra)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("SKILLGRAPH_ADMIN_TOKEN", "a-test-token-of-sixteen-chars")
        .env_remove("RUST_LOG")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("the binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("serving GraphQL") || std::time::Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        text.contains("serving GraphQL"),
        "the server did not start: {text}"
    );
    text
}

#[test]
fn logs_written_to_a_file_carry_no_colour_codes() {
    let text = serve_logs(&[]);
    assert!(
        !text.contains('\u{1b}'),
        "ANSI escapes in a log file: {text:?}"
    );
    assert!(text.contains(" INFO "), "{text}");
}

#[test]
fn json_logs_are_one_object_per_line() {
    let text = serve_logs(&["--log-format", "json"]);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty());
    for line in lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(value["level"].is_string(), "{line}");
        assert!(value["timestamp"].is_string(), "{line}");
    }
    assert!(text.contains("\"message\":\"serving GraphQL"), "{text}");
}

#[test]
fn extract_prints_the_skills_a_text_file_mentions_with_character_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ad.txt");
    std::fs::write(
        &file,
        "Müller GmbH wants Python, PyTorch and linear algebra.",
    )
    .unwrap();
    let db = dir.path().join("db");
    let out = stdout(&skillgraph(&db, &["extract", file.to_str().unwrap()]));
    let python = out.lines().find(|l| l.starts_with("Python ")).unwrap();
    assert!(python.contains("18-24"), "{out}");
    assert!(out.contains("Linear algebra"), "{out}");
    let json = stdout(&skillgraph(
        &db,
        &["extract", file.to_str().unwrap(), "--json", "--first", "1"],
    ));
    let mentions: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(mentions.as_array().unwrap().len(), 1);
    let missing = skillgraph(&db, &["extract", "no-such-file.txt"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read no-such-file.txt"));
}

#[test]
fn a_command_that_only_reads_does_not_trim_the_change_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    stdout(&skillgraph(&db, &["plan", "--to", "rag"])); // revision 1: the seed
    stdout(&skillgraph(&db, &["import", "csv", "tests/fixtures/csv"])); // revision 2
    let entries = |db: &Path| {
        let catalog =
            skillgraph::catalog::Catalog::open_with(db, skillgraph::config::Retention::KEEP_ALL)
                .unwrap();
        let revision = catalog.snapshot().revision();
        catalog
            .changes(0, revision, 10)
            .map(|page| page.entries.len())
    };
    // Readers run without the server's retention (here: keep 1) leave the log alone.
    let keep_one = ["--change-log-revisions", "1"];
    stdout(&skillgraph(&db, &[&keep_one[..], &["stats"]].concat()));
    stdout(&skillgraph(
        &db,
        &[&keep_one[..], &["plan", "--to", "rag"]].concat(),
    ));
    assert_eq!(
        entries(&db).ok(),
        Some(2),
        "both writes are still in the log"
    );
    // A command that writes keeps the log to its retention.
    stdout(&skillgraph(
        &db,
        &[&keep_one[..], &["import", "csv", "tests/fixtures/csv"]].concat(),
    ));
    assert!(entries(&db).is_err(), "revision 1 has left the log");
}

#[test]
fn started_anywhere_the_binary_seeds_from_the_seed_compiled_into_it() {
    // Arrange: a working directory with no `seed/` in it, as after `cargo install`.
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_skillgraph"))
            .arg("--db")
            .arg(dir.path().join("db"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("SKILLGRAPH_SEED")
            .output()
            .expect("the binary runs")
    };

    // Act: a command that opens (and so seeds) a new database.
    let out = stdout(&run(&["plan", "--to-role", "ai-engineer"]));

    // Assert: the AI-engineer plan of the default seed.
    assert!(out.contains("steps in"), "{out}");
    let stats = stdout(&run(&["stats"]));
    assert!(stats.contains("roles"), "{stats}");

    // A seed directory that is not there is named, as an absolute path.
    let other = tempfile::tempdir().unwrap();
    let missing = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--db")
        .arg(other.path().join("db"))
        .args(["plan", "--to-role", "ai-engineer", "--seed", "no-such-seed"])
        .current_dir(other.path())
        .output()
        .unwrap();
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    let looked = other.path().join("no-such-seed");
    assert!(err.contains(&looked.display().to_string()), "{err}");
}

#[test]
fn schema_prints_the_plain_sdl_and_with_federation_the_subgraph_sdl() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let plain = stdout(&skillgraph(&db, &["schema"]));
    assert_eq!(plain, skillgraph::graphql::sdl());
    assert!(
        !plain.contains("@key"),
        "the plain schema has no federation"
    );
    let federated = stdout(&skillgraph(&db, &["schema", "--federation"]));
    assert_eq!(federated, skillgraph::graphql::federation_sdl());
    assert!(federated.contains("type Skill @key(fields: \"id\")"));
}
