//! skillgraph as an Apollo Federation v2 subgraph, proved with real parts: this runs
//! `scripts/federation.sh` on the binary under test, which starts it with `--federation`,
//! composes it with a small Node "courses" subgraph (@apollo/subgraph) using
//! @theguild/federation-composition, serves the supergraph with Hive Gateway
//! (@graphql-hive/gateway) and checks, through the gateway, a query that crosses both
//! subgraphs, entities resolved back into skillgraph and a `@defer` query (multipart/mixed).
//!
//! Node 20+ and npm are needed: the script installs them with apt when missing, and this test
//! fails (it never skips) when it cannot. The pinned npm packages are installed once per
//! lock file (about a minute) and reused after that (the test then takes about 10 s).

use std::process::Command;

#[test]
fn a_gateway_composes_this_subgraph_with_another_and_crosses_both() {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("bash")
        .arg("scripts/federation.sh")
        .env("SKILLGRAPH_BIN", env!("CARGO_BIN_EXE_skillgraph"))
        .current_dir(root)
        .output()
        .expect("bash runs scripts/federation.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "scripts/federation.sh failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    // Every check ran and passed: no skipped or missing check hides behind a zero exit.
    let counts = stdout
        .lines()
        .find_map(|line| line.strip_prefix("federation: "))
        .unwrap_or_else(|| panic!("no closing count:\n{stdout}\n{stderr}"));
    assert!(
        counts.ends_with(" passed, 0 failed")
            && counts.split(' ').next().and_then(|n| n.parse::<u32>().ok()) >= Some(3),
        "{counts}:\n{stdout}\n{stderr}"
    );
    print!("{stdout}");
}
