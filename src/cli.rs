//! The command line: `serve`, `schema`, `check`, `import`, `export`, `stats`, `plan`, `gap`,
//! `match`, `next` and `extract`.
//!
//! Every option also reads an environment variable, so containers configure it without flags.
//! Commands that answer questions (`serve`, `plan`, `gap`, `match`, `next`, `extract`) seed an empty
//! database from `--seed` first; `import`, `export`, `stats` and `check` never seed.
//!
//! This file parses and dispatches; each command family lives in its own file: [`serve`]
//! (`serve`, `probe`), [`data`] (`check`, `import`, `generate`, `export`, `stats`), [`plan`]
//! (`plan`, `gap`, `next` and the profile arguments), [`roles`] (`match`), [`extract`]
//! (`extract`), and [`table`] (the terminal tables).

mod data;
mod extract;
mod plan;
mod roles;
mod serve;
mod table;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::catalog;
use crate::import::seed::Problem;

pub use data::Db;
pub use table::{gap_table, match_table, mention_table, next_table, plan_table};

#[derive(Debug, Parser)]
#[command(
    name = "skillgraph",
    version,
    about = "A skill dependency graph: learning paths, role gaps and role matching"
)]
pub struct Cli {
    /// The sled database directory (created if missing).
    #[arg(long, global = true, env = "SKILLGRAPH_DB", default_value = "./data")]
    pub db: PathBuf,

    /// How log lines are written: `text` (coloured only on a terminal) or `json` (one object
    /// per line, for log collectors).
    #[arg(
        long,
        global = true,
        env = "SKILLGRAPH_LOG_FORMAT",
        value_enum,
        default_value_t
    )]
    pub log_format: crate::config::LogFormat,

    #[command(flatten)]
    pub change_log: crate::config::RetentionArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serves the GraphQL API (GraphiQL at /), seeding an empty database first.
    Serve(Box<serve::ServeArgs>),
    /// Prints the GraphQL schema (SDL) the server serves.
    Schema {
        /// Print the Apollo Federation v2 subgraph SDL that `serve --federation` answers to
        /// `_service { sdl }` (what a composition tool reads) instead.
        #[arg(long)]
        federation: bool,
    },
    /// Checks that a server answers `GET /health` (exit 0) or not (exit 1): a container
    /// health check that needs no curl in the image.
    Probe {
        /// The server's address.
        #[arg(long, env = "SKILLGRAPH_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Validates a seed directory or file without a database; lists every problem, exit 1.
    Check { path: PathBuf },
    /// Imports into the database: a seed directory or export file, or with a source name
    /// (`import esco PATH…`, `import onet PATH…`, `import csv DIR`) a standard taxonomy.
    Import(data::ImportArgs),
    /// Writes a deterministic synthetic graph into the database (layered DAG, long chains, hub
    /// skills, roles of 30-60 requirements), for measuring at sizes no taxonomy has yet.
    Generate(data::GenerateArgs),
    /// Writes the whole database in the seed format (to stdout, or to a file).
    Export {
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Prints the size and revision of the database.
    Stats,
    /// Asks the running writer, through NATS, to upload a snapshot for replicas now.
    Snapshot(serve::SnapshotArgs),
    /// Prints the learning plan from a profile to target skills and roles.
    Plan(plan::PlanArgs),
    /// Prints the gap between a profile and a role, and the plan that closes it.
    Gap(plan::GapArgs),
    /// Ranks the roles a profile is closest to.
    Match(roles::MatchArgs),
    /// Suggests what to learn next: the skills a profile can start now, ranked by what they
    /// open up per hour (see "What to learn next" in the README).
    Next(plan::NextArgs),
    /// Prints the skills a text file (a CV, a job ad) mentions, by the names and aliases of
    /// the database's skills (see "Skills from text" in the README).
    Extract(extract::ExtractArgs),
}

/// A failure the user should read; the message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Catalog(#[from] catalog::Error),
    #[error("{}", problems_text(.0))]
    Seed(Vec<Problem>),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<crate::store::Error> for Failure {
    fn from(e: crate::store::Error) -> Self {
        Failure::Catalog(e.into())
    }
}

impl From<catalog::start::Error> for Failure {
    fn from(e: catalog::start::Error) -> Self {
        match e {
            catalog::start::Error::Catalog(e) => Failure::Catalog(e),
            catalog::start::Error::Seed(problems) => Failure::Seed(problems),
            catalog::start::Error::Io(e) => Failure::Io(e),
        }
    }
}

impl From<crate::domain::Error> for Failure {
    fn from(e: crate::domain::Error) -> Self {
        Failure::Catalog(e.into())
    }
}

fn problems_text(problems: &[Problem]) -> String {
    let mut text = format!("{} problem(s):", problems.len());
    for p in problems {
        let _ = write!(text, "\n  {p}");
    }
    text
}

/// Runs the command and turns any failure into a message on stderr and exit code 1.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> Result<(), Failure> {
    let db = Db {
        path: cli.db,
        retention: cli.change_log.retention(),
    };
    // Commands that only read open the log keeping everything: opening trims to the
    // retention, and `stats` without the server's flags must not cut the server's log short.
    let reading = Db {
        path: db.path.clone(),
        retention: crate::config::Retention::KEEP_ALL,
    };
    match cli.command {
        Command::Serve(args) => serve::serve(&db, *args),
        Command::Schema { federation } => {
            match federation {
                false => print!("{}", crate::graphql::sdl()),
                true => print!("{}", crate::graphql::federation_sdl()),
            }
            Ok(())
        }
        Command::Probe { addr } => serve::probe(addr),
        Command::Check { path } => data::check(&path),
        Command::Import(args) => data::import(&db, args),
        Command::Generate(args) => data::generate(&db, args),
        Command::Export { output } => data::export(&reading, output),
        Command::Stats => data::stats(&reading),
        Command::Snapshot(args) => serve::snapshot(args),
        Command::Plan(args) => plan::plan(&reading, args),
        Command::Gap(args) => plan::gap(&reading, args),
        Command::Match(args) => roles::match_roles(&reading, args),
        Command::Next(args) => plan::next(&reading, args),
        Command::Extract(args) => extract::extract(&reading, args),
    }
}
