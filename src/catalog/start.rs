//! Start-up: open the database, seed it when it has never been written, and keep extraction
//! warm. `skillgraph serve`, the questions the command line answers, the tests' servers and the
//! benches all start here, so "how does the server start?" has one answer.
//!
//! Depends on the catalog, the seed reader and the configuration's retention; never on the
//! command line, HTTP or GraphQL, which build on what this returns.

use std::path::Path;
use std::sync::Arc;

use super::{Catalog, ChangeKind};
use crate::config::Retention;
use crate::import::seed::{Problem, Seed, SeedCounts};

/// Why start-up (or a seed import) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Catalog(#[from] super::Error),
    /// The extraction warmer's thread could not be started.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The seed has problems; nothing of it was written.
    #[error("{} problem(s):{}", .0.len(), .0.iter().map(|p| format!("\n  {p}")).collect::<String>())]
    Seed(Vec<Problem>),
}

/// What start-up opens.
#[derive(Clone, Copy, Debug)]
pub enum Start<'a> {
    /// A writer's database, seeded when empty from this directory (or file), or from the seed
    /// compiled into the binary when `None`.
    Seeded(Option<&'a Path>),
    /// A read replica's: never seeded, its graph is the writer's, from a snapshot and the
    /// stream.
    Replica,
}

/// Opens the database at `db` as `serve` does: seeded when empty (a writer) or read-only (a
/// replica), with the extraction matcher built and rebuilt after each write that drops it.
pub fn start(db: &Path, retention: Retention, what: Start<'_>) -> Result<Arc<Catalog>, Error> {
    let catalog = Arc::new(match what {
        Start::Seeded(seed) => open_seeded(db, seed, retention)?,
        Start::Replica => Catalog::open_replica(db, retention)?,
    });
    // The first extraction should not wait for the label automaton (about a second on ESCO,
    // see BENCHMARKS.md); built here, not in `Catalog::open`, so that `stats` or `export` do
    // not pay for it. After a write to names or aliases, a thread of its own builds the new
    // one.
    catalog.snapshot().prepare_extraction();
    if let Some(started) = catalog.keep_extraction_warm() {
        started?;
    }
    Ok(catalog)
}

/// Opens the catalog and, when the database has never been written, loads the seed into it:
/// the one at `seed`, or the one compiled into the binary when `None`.
pub fn open_seeded(db: &Path, seed: Option<&Path>, retention: Retention) -> Result<Catalog, Error> {
    let catalog = Catalog::open_with(db, retention)?;
    if catalog.is_empty() {
        let seed = match seed {
            Some(path) => Seed::read(path),
            None => Seed::builtin(),
        };
        merge_seed(&catalog, seed.map_err(Error::Seed)?)?;
    }
    Ok(catalog)
}

/// Merges a seed into the catalog in one durable write; any problem and nothing is written.
pub fn import_seed(catalog: &Catalog, path: &Path) -> Result<SeedCounts, Error> {
    merge_seed(catalog, Seed::read(path).map_err(Error::Seed)?)
}

fn merge_seed(catalog: &Catalog, seed: Seed) -> Result<SeedCounts, Error> {
    catalog
        .write(ChangeKind::Imported, |graph| {
            let problems = seed.apply(graph);
            if problems.is_empty() {
                Ok(seed.counts())
            } else {
                Err(Error::Seed(problems))
            }
        })
        .map(|written| written.value)
}
