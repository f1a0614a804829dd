//! Criterion benchmarks of durable writes through the [`Catalog`]: real sled on a temporary
//! directory, each write one transaction flushed to disk before it returns, as a mutation's is.
//! On the seed and on ESCO (the full files when `../shared/data` is there, else the fixture).
//!
//! It uses only the catalog's write API, which the change log did not change, so the same file
//! measures a build from before the log: that is how BENCHMARKS.md gives the log's cost.
//!
//! Run: `cargo bench --bench write`.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use skillgraph::catalog::{Catalog, ChangeKind, Error};
use skillgraph::domain::{EdgeSpec, SkillId, SkillPatch};
use skillgraph::import::{self, FileSet};

mod shared;
use shared::{esco_paths, root};

fn filled(dir: &Path, name: &str) -> Catalog {
    let catalog = Catalog::open(dir).expect("a fresh database");
    let started = Instant::now();
    if name == "seed" {
        skillgraph::catalog::start::import_seed(&catalog, &root().join("seed"))
            .expect("the seed imports");
    } else {
        let (paths, _) = esco_paths();
        let files = FileSet::open(&paths).expect("ESCO files");
        let (batch, mut report) = import::esco::read(&files, "bench").expect("ESCO parses");
        let read = started.elapsed();
        let written = Instant::now();
        catalog
            .write(ChangeKind::Imported, |graph| {
                import::apply(&batch, graph, &mut report);
                Ok::<(), Error>(())
            })
            .expect("ESCO imports");
        eprintln!(
            "{name}: read in {read:.2?}, import write (apply + commit + flush) in {:.2?}",
            written.elapsed()
        );
    }
    eprintln!(
        "{name}: {:?}, {} bytes on disk after the import",
        catalog.snapshot().stats(),
        catalog.size_on_disk().expect("a size")
    );
    catalog
}

fn writes(c: &mut Criterion) {
    let (_, esco) = esco_paths();
    for name in ["seed", esco] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let catalog = filled(dir.path(), name);
        let graph = catalog.snapshot();
        let ids: Vec<SkillId> = graph.skills().map(|s| s.id.clone()).collect();
        let a = ids[0].clone();
        // A skill `a` does not require yet and may require (no cycle).
        let b = ids[1..]
            .iter()
            .find(|b| {
                graph.edge(&a, b).is_none()
                    && skillgraph::domain::SkillGraph::clone(&graph)
                        .add_prerequisite(&a, b, EdgeSpec::default())
                        .is_ok()
            })
            .expect("a free pair")
            .clone();
        drop(graph);
        let mut group = c.benchmark_group(format!("write-{name}"));
        group
            .sample_size(50)
            .measurement_time(Duration::from_secs(8));
        let mut hours = 0u32;
        group.bench_function("updateSkill hours (durable)", |bench| {
            bench.iter(|| {
                hours = hours % 500 + 1;
                let patch = SkillPatch {
                    hours: Some(hours),
                    ..SkillPatch::default()
                };
                catalog
                    .write(ChangeKind::SkillUpdated, |g| {
                        g.update_skill(&a, patch).map_err(Error::from)
                    })
                    .unwrap()
            })
        });
        group.bench_function(
            "addPrerequisite + removePrerequisite (2 durable writes)",
            |bench| {
                bench.iter(|| {
                    catalog
                        .write(ChangeKind::PrerequisiteAdded, |g| {
                            g.add_prerequisite(&a, &b, EdgeSpec::default())
                                .map_err(Error::from)
                        })
                        .unwrap();
                    catalog
                        .write(ChangeKind::PrerequisiteRemoved, |g| {
                            g.remove_prerequisite(&a, &b).map_err(Error::from)
                        })
                        .unwrap()
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, writes);
criterion_main!(benches);
