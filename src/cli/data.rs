//! The database commands: `check`, `import`, `generate`, `export` and `stats`, and the database
//! a command works on. Seeding on first use is start-up's ([`crate::catalog::start`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::Failure;
use crate::catalog::{Catalog, ChangeKind, start};
use crate::config::Retention;
use crate::domain::SkillGraph;
use crate::import::seed::{self, Seed};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: Option<ImportSource>,
    /// A seed directory or an export file (the seed format), merged all or nothing.
    #[arg(required = true)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// ESCO: the official CSV zips as downloaded, or the folder they were extracted to.
    Esco(TaxonomyArgs),
    /// O*NET: the folder (or files) with Occupation Data.txt, Skills.xlsx or Skills.txt, and
    /// Technology Skills.txt.
    Onet(TaxonomyArgs),
    /// A folder with skills.csv and optionally prerequisites.csv, roles.csv and
    /// role_requirements.csv.
    Csv(TaxonomyArgs),
}

#[derive(Debug, Args)]
pub struct TaxonomyArgs {
    /// Files, zips or folders to read.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Import nothing at all if any row has to be skipped.
    #[arg(long)]
    strict: bool,
}

/// The shape of `generate`'s synthetic graph.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 100_000)]
    skills: usize,
    #[arg(long, default_value_t = 4)]
    edges_per_skill: usize,
    #[arg(long, default_value_t = 5_000)]
    roles: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Validates a seed without a database: every problem, or the counts.
pub fn check(path: &Path) -> Result<(), Failure> {
    let seed = Seed::read(path).map_err(Failure::Seed)?;
    let problems = seed.apply(&mut SkillGraph::new());
    if !problems.is_empty() {
        return Err(Failure::Seed(problems));
    }
    let c = seed.counts();
    println!(
        "ok: {} categories, {} skills, {} prerequisites, {} roles, {} role categories",
        c.categories - c.role_categories,
        c.skills,
        c.prerequisites,
        c.roles,
        c.role_categories
    );
    Ok(())
}

/// `import`: a standard taxonomy by source name, or a seed directory or export file.
pub fn import(db: &Db, args: ImportArgs) -> Result<(), Failure> {
    match args {
        ImportArgs {
            source: Some(source),
            ..
        } => {
            let catalog = db.open()?;
            import_taxonomy(&catalog, source)
        }
        ImportArgs { path, .. } => {
            let path = path.ok_or_else(|| Failure::Usage("import needs a path".into()))?;
            let catalog = db.open()?;
            let counts = start::import_seed(&catalog, &path)?;
            println!(
                "imported {} categories, {} skills, {} prerequisites, {} roles, {} role \
                 categories; revision {}",
                counts.categories - counts.role_categories,
                counts.skills,
                counts.prerequisites,
                counts.roles,
                counts.role_categories,
                catalog.snapshot().revision()
            );
            Ok(())
        }
    }
}

pub fn generate(db: &Db, args: GenerateArgs) -> Result<(), Failure> {
    let GenerateArgs {
        skills,
        edges_per_skill,
        roles,
        seed,
    } = args;
    let started = std::time::Instant::now();
    let shape = crate::generate::Shape {
        skills,
        edges_per_skill,
        roles,
        seed,
    };
    let batch = crate::generate::generate(shape);
    let mut report = crate::import::Report::new(format!("generated graph {shape:?}"));
    let catalog = db.open()?;
    let written = catalog.write(ChangeKind::Imported, |graph| {
        crate::import::apply(&batch, graph, &mut report);
        Ok::<(), Failure>(())
    })?;
    print!("{report}");
    println!(
        "written in {:.2?}; revision {}",
        started.elapsed(),
        written.revision
    );
    Ok(())
}

pub fn export(db: &Db, output: Option<PathBuf>) -> Result<(), Failure> {
    let catalog = db.open()?;
    let text = seed::export(&catalog.snapshot());
    match output {
        Some(path) => std::fs::write(path, text)?,
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(())
}

pub fn stats(db: &Db) -> Result<(), Failure> {
    let catalog = db.open()?;
    let s = catalog.snapshot().stats();
    println!("skills         {}", s.skills);
    println!("prerequisites  {}", s.prerequisites);
    println!("roles          {}", s.roles);
    println!("requirements   {}", s.requirements);
    println!("categories     {}", s.categories);
    println!("role categories {}", s.role_categories);
    println!("revision       {}", s.revision);
    println!("size on disk   {} bytes", catalog.size_on_disk()?);
    for credit in crate::import::attributions(&catalog.snapshot()) {
        println!("{credit}");
    }
    Ok(())
}

/// Reads a standard taxonomy and merges what is valid in one durable write (or, with
/// `--strict`, nothing if anything had to be skipped), printing the report.
fn import_taxonomy(catalog: &Catalog, source: ImportSource) -> Result<(), Failure> {
    use crate::import::{self, FileSet};
    let started = std::time::Instant::now();
    let (args, read): (TaxonomyArgs, import::Reader) = match source {
        ImportSource::Esco(args) => (args, import::esco::read),
        ImportSource::Onet(args) => (args, import::onet::read),
        ImportSource::Csv(args) => (args, import::csv::read),
    };
    let shown: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
    let files = FileSet::open(&args.paths).map_err(|e| Failure::Usage(e.to_string()))?;
    let (batch, mut report) =
        read(&files, &shown.join(", ")).map_err(|e| Failure::Usage(e.to_string()))?;
    let read_time = started.elapsed();
    let written = catalog.write(ChangeKind::Imported, |graph| {
        crate::import::apply(&batch, graph, &mut report);
        if args.strict && report.skipped_count() > 0 {
            return Err(Failure::Usage(format!(
                "{report}--strict: {} rows would be skipped, so nothing was imported",
                report.skipped_count()
            )));
        }
        Ok(())
    })?;
    print!("{report}");
    println!(
        "{} in {:.2?} (read {:.2?}); revision {}",
        if written.changed {
            "committed"
        } else {
            "nothing new to commit"
        },
        started.elapsed(),
        read_time,
        written.revision
    );
    Ok(())
}

/// The database a command works on, and how much of its change log it keeps.
#[derive(Clone, Debug)]
pub struct Db {
    pub path: PathBuf,
    pub retention: Retention,
}

impl Db {
    pub fn open(&self) -> Result<Catalog, Failure> {
        Ok(Catalog::open_with(&self.path, self.retention)?)
    }

    /// Opens this database, seeded when it has never been written (see [`start`]).
    pub fn open_seeded(&self, seed: Option<&Path>) -> Result<Catalog, Failure> {
        Ok(start::open_seeded(&self.path, seed, self.retention)?)
    }
}
