//! Full-size imports of the real files in `../shared/data` (present on the developers'
//! machines, not in a user's clone). Opt-in, since they take seconds in a debug build:
//!
//!     cargo test --release --test full_import -- --ignored --nocapture

use std::path::{Path, PathBuf};

use skillgraph::domain::SkillGraph;
use skillgraph::import::{self, FileSet};

fn shared(dir: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(dir);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (only developers' machines have the full data)",
            path.display()
        );
        None
    }
}

fn import(reader: import::Reader, path: PathBuf) -> (SkillGraph, import::Report) {
    let files = FileSet::open(&[path]).unwrap();
    let (batch, mut report) = reader(&files, "full").unwrap();
    let mut graph = SkillGraph::new();
    import::apply(&batch, &mut graph, &mut report);
    println!("{report}");
    (graph, report)
}

#[test]
#[ignore = "opt-in: needs ../shared/data"]
fn the_full_esco_release_imports_with_exactly_its_known_flaws() {
    let Some(path) = shared("esco-v1.1.1") else {
        return;
    };
    let (graph, report) = import(import::esco::read, path);
    let stats = graph.stats();
    assert_eq!((stats.skills, stats.roles), (13_896, 3_007));
    // 123,855 relations, of which 67 name an occupation missing from occupations_en.csv.
    assert_eq!(stats.requirements, 123_855 - 67);
    assert_eq!(
        report.skipped["requirement: names an occupation missing from occupations.csv"].count,
        67
    );
    assert_eq!(
        report.skipped["broader relation: names an unknown concept"].count,
        7
    );
    assert_eq!(stats.prerequisites + report.skipped_count() - 67 - 7, 5_899);
}

#[test]
#[ignore = "opt-in: needs ../shared/data"]
fn the_full_onet_files_import() {
    let Some(path) = shared("onet") else { return };
    let (graph, report) = import(import::onet::read, path);
    assert_eq!(graph.stats().roles, 1_016);
    assert!(report.skipped.is_empty(), "{report}");
}
