//! A full disk during a write: a clean error, nothing half-written, and the database intact
//! once space is back. Needs a small tmpfs, so it runs where the test may mount one (root on
//! Linux, as in CI here) and says SKIPPED elsewhere.

use std::path::{Path, PathBuf};
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

/// A tmpfs mounted for the test and unmounted when dropped.
struct TinyDisk {
    mount: PathBuf,
    _dir: tempfile::TempDir,
}

impl TinyDisk {
    fn mount(bytes: usize) -> Option<TinyDisk> {
        let dir = tempfile::tempdir().ok()?;
        let mount = dir.path().join("disk");
        std::fs::create_dir(&mount).ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(&mount)
            .output()
            .ok()?;
        status
            .status
            .success()
            .then_some(TinyDisk { mount, _dir: dir })
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.mount).status();
    }
}

#[test]
fn a_full_disk_fails_the_write_cleanly_and_loses_nothing() {
    let Some(disk) = TinyDisk::mount(3 * 1024 * 1024) else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root on Linux)");
        return;
    };
    let db = disk.mount.join("db");
    assert!(skillgraph(&db, &["import", "seed"]).status.success());
    // Opened once more, as any server start does: sled writes its snapshot file at every open,
    // and the refused write below then leaves an unfinished one behind, which sled would take
    // for the newest at the next open and refuse the database as corrupt.
    assert!(skillgraph(&db, &["stats"]).status.success());
    assert!(
        std::fs::read_dir(&db).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("snap.")),
        "sled has written its snapshot"
    );

    // Fill the disk to the last byte.
    let filler = disk.mount.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 8 * 1024 * 1024]);

    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv");
    let output = skillgraph(&db, &["import", "csv", fixture.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a clean failure, not a panic"
    );
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("No space left on device"), "{err}");

    std::fs::remove_file(&filler).unwrap();
    let stats = skillgraph(&db, &["stats"]);
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
    let text = String::from_utf8(stats.stdout).unwrap();
    let seeded =
        skillgraph::import::seed::Seed::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seed"))
            .expect("the seed reads")
            .counts()
            .skills;
    assert!(
        text.contains(&format!("skills         {seeded}\n")) && text.contains("revision       1"),
        "{text}"
    );
    // With space back, the same write lands.
    assert!(
        skillgraph(&db, &["import", "csv", fixture.to_str().unwrap()])
            .status
            .success()
    );
}
