//! The Dockerfile builds and its image serves, checked where no image registry is reachable:
//! `scripts/docker-check.sh` replays its build stage with the local toolchain (its own cargo
//! commands, a release build) and runs the result as the image would — `serve` on the volume
//! with the image's environment, the HEALTHCHECK's `probe` until healthy, one GraphQL query,
//! then SIGTERM.
//!
//! The first run builds from nothing (about four minutes on two cores); later runs reuse the
//! build stage's cargo target directory, kept under the system temp directory per Cargo.lock.
//! `SKILLGRAPH_SKIP_DOCKER_CHECK=1` skips it for a quick local loop; CI never sets it.

use std::path::Path;
use std::process::Command;

#[test]
fn the_dockerfile_builds_and_its_image_serves() {
    if std::env::var_os("SKILLGRAPH_SKIP_DOCKER_CHECK").is_some_and(|v| v == "1") {
        eprintln!("skipped: SKILLGRAPH_SKIP_DOCKER_CHECK=1");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/docker-check.sh");
    let output = Command::new("bash")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        // The cargo output can be long; its end says what went wrong.
        let lines: Vec<&str> = stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(80)..].join("\n");
        panic!(
            "scripts/docker-check.sh failed ({}):\n{stdout}\n...\n{tail}",
            output.status
        );
    }
    // The replay's own account of each step (shown with --nocapture).
    for line in stderr.lines().filter(|l| l.starts_with("docker-check:")) {
        println!("{line}");
    }
}
