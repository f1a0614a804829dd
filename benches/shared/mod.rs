//! What both benchmark files need: the crate's root and where the ESCO files are.

use std::path::{Path, PathBuf};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The full ESCO v1.1.1 files when `../shared/data` is there, else the committed fixture; with
/// the name the benchmark group takes.
pub fn esco_paths() -> (Vec<PathBuf>, &'static str) {
    let full = root().join("../shared/data/esco-v1.1.1");
    if full.is_dir() {
        (vec![full], "esco-full")
    } else {
        eprintln!("note: ../shared/data is absent; ESCO benchmarks use the small fixture");
        (vec![root().join("tests/fixtures/esco")], "esco-fixture")
    }
}
