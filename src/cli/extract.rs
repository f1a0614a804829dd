//! `extract FILE`: the skills a text file (a CV, a job ad) mentions, as `extractSkills`
//! answers them.

use std::path::PathBuf;

use clap::Args;

use super::Failure;
use super::data::Db;
use super::table::{OutputArgs, mention_table};

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The text file to read (UTF-8); `-` reads standard input.
    file: PathBuf,
    /// How many skills, best first.
    #[arg(long, default_value_t = 50)]
    first: usize,
    /// Seed directory used when the database is empty.
    #[arg(long, env = "SKILLGRAPH_SEED")]
    seed: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn extract(db: &Db, args: ExtractArgs) -> Result<(), Failure> {
    let text = if args.file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(&args.file)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", args.file.display())))?
    };
    let catalog = db.open_seeded(args.seed.as_deref())?;
    let graph = catalog.snapshot();
    let mentions = graph.extract_skills(&text, args.first);
    args.output.print(&mentions, |m| mention_table(&graph, m))
}
