//! The command line: `serve`, `schema`, `check`, `import`, `export`, `stats`, `plan`, `gap`,
//! `match` and `next`.
//!
//! Every option also reads an environment variable, so containers configure it without flags.
//! Commands that answer questions (`serve`, `plan`, `gap`, `match`, `next`) seed an empty
//! database from `--seed` first; `import`, `export`, `stats` and `check` never seed.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::catalog::{self, Catalog, ChangeKind};
use crate::domain::{
    LearningPlan, Level, MatchOrder, PlanOptions, Profile, RoleGap, RoleId, Schedule, SkillGraph,
    SkillId, Suggestion, Target, TargetRef,
};
use crate::import::seed::{self, Problem, Seed};

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
    Serve(ServeArgs),
    /// Prints the GraphQL schema (SDL) the server serves.
    Schema,
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
    Import(ImportArgs),
    /// Writes a deterministic synthetic graph into the database (layered DAG, long chains, hub
    /// skills, roles of 30-60 requirements), for measuring at sizes no taxonomy has yet.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        skills: usize,
        #[arg(long, default_value_t = 4)]
        edges_per_skill: usize,
        #[arg(long, default_value_t = 5_000)]
        roles: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Writes the whole database in the seed format (to stdout, or to a file).
    Export {
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Prints the size and revision of the database.
    Stats,
    /// Prints the learning plan from a profile to target skills and roles.
    Plan {
        #[command(flatten)]
        profile: ProfileArgs,
        /// A target skill, as SKILL or SKILL=LEVEL (level 3 when omitted); repeatable.
        #[arg(long = "to", value_name = "SKILL[=LEVEL]")]
        skills: Vec<String>,
        /// A target role (all its requirements); repeatable.
        #[arg(long = "to-role", value_name = "ROLE")]
        roles: Vec<String>,
        /// Follow recommended prerequisites too.
        #[arg(long)]
        recommended: bool,
        /// Leave out the optional requirements of target roles.
        #[arg(long)]
        essential_only: bool,
        #[command(flatten)]
        schedule: ScheduleArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Prints the gap between a profile and a role, and the plan that closes it.
    Gap {
        #[command(flatten)]
        profile: ProfileArgs,
        /// The target role.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        schedule: ScheduleArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Ranks the roles a profile is closest to.
    Match {
        #[command(flatten)]
        profile: ProfileArgs,
        #[arg(long, default_value_t = 10)]
        first: usize,
        /// Rank only these roles; repeatable or comma-separated.
        #[arg(long, value_name = "ROLE", value_delimiter = ',')]
        among: Vec<String>,
        /// `readiness` (highest first) or `hours` (fewest hours to close the gap first).
        #[arg(long, value_enum, default_value_t)]
        order_by: MatchOrderArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Suggests what to learn next: the skills a profile can start now, ranked by what they
    /// open up per hour (see "What to learn next" in the README).
    Next {
        #[command(flatten)]
        profile: ProfileArgs,
        /// A target skill, as SKILL or SKILL=LEVEL (level 3 when omitted); repeatable. With
        /// targets, only the first steps of the plan to them are suggested.
        #[arg(long = "to", value_name = "SKILL[=LEVEL]")]
        skills: Vec<String>,
        /// A target role (all its requirements); repeatable.
        #[arg(long = "to-role", value_name = "ROLE")]
        roles: Vec<String>,
        /// How many suggestions.
        #[arg(long, default_value_t = 10)]
        first: usize,
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// How `match` orders roles.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum)]
pub enum MatchOrderArg {
    #[default]
    Readiness,
    Hours,
}

impl From<MatchOrderArg> for MatchOrder {
    fn from(order: MatchOrderArg) -> Self {
        match order {
            MatchOrderArg::Readiness => MatchOrder::Readiness,
            MatchOrderArg::Hours => MatchOrder::Hours,
        }
    }
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    source: Option<ImportSource>,
    /// A seed directory or an export file (the seed format), merged all or nothing.
    #[arg(required = true)]
    path: Option<PathBuf>,
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

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SKILLGRAPH_ADDR", default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Seed directory loaded when the database is empty.
    #[arg(long, env = "SKILLGRAPH_SEED", default_value = "seed")]
    seed: PathBuf,
    #[command(flatten)]
    server: crate::config::ServerArgs,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// A held skill, as SKILL or SKILL=LEVEL (level 3 when omitted); repeatable or comma-separated.
    #[arg(long, value_name = "SKILL[=LEVEL]", value_delimiter = ',')]
    have: Vec<String>,
    /// A current role whose requirements count as held.
    #[arg(long, value_name = "ROLE")]
    from_role: Option<String>,
    /// Seed directory used when the database is empty.
    #[arg(long, env = "SKILLGRAPH_SEED", default_value = "seed")]
    seed: PathBuf,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Keep only the steps that fit this many hours: whole requirements, essential first, most
    /// readiness per hour first; the rest is listed as deferred.
    #[arg(long, value_name = "HOURS")]
    budget: Option<u64>,
    /// Study hours a week, one step after another: shows the weeks of each step.
    #[arg(long, value_name = "HOURS", value_parser = clap::value_parser!(u32).range(1..))]
    hours_per_week: Option<u32>,
}

impl ScheduleArgs {
    fn schedule(&self) -> Schedule {
        Schedule {
            budget_hours: self.budget,
            hours_per_week: self.hours_per_week,
        }
    }
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
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
    let db = cli.db;
    let retention = cli.change_log.retention();
    match cli.command {
        Command::Serve(args) => serve(&db, args, retention)?,
        Command::Schema => print!("{}", crate::graphql::sdl()),
        Command::Probe { addr } => probe(addr)?,
        Command::Check { path } => {
            let seed = Seed::read(&path).map_err(Failure::Seed)?;
            let problems = seed.apply(&mut SkillGraph::new());
            if !problems.is_empty() {
                return Err(Failure::Seed(problems));
            }
            let c = seed.counts();
            println!(
                "ok: {} categories, {} skills, {} prerequisites, {} roles",
                c.categories, c.skills, c.prerequisites, c.roles
            );
        }
        Command::Import(ImportArgs {
            source: Some(source),
            ..
        }) => {
            let catalog = Catalog::open_with(&db, retention)?;
            import_taxonomy(&catalog, source)?;
        }
        Command::Import(ImportArgs { path, .. }) => {
            let path = path.ok_or_else(|| Failure::Usage("import needs a path".into()))?;
            let catalog = Catalog::open_with(&db, retention)?;
            let counts = import_seed(&catalog, &path)?;
            println!(
                "imported {} categories, {} skills, {} prerequisites, {} roles; revision {}",
                counts.categories,
                counts.skills,
                counts.prerequisites,
                counts.roles,
                catalog.snapshot().revision()
            );
        }
        Command::Generate {
            skills,
            edges_per_skill,
            roles,
            seed,
        } => {
            let started = std::time::Instant::now();
            let shape = crate::generate::Shape {
                skills,
                edges_per_skill,
                roles,
                seed,
            };
            let batch = crate::generate::generate(shape);
            let mut report = crate::import::Report::new(format!("generated graph {shape:?}"));
            let catalog = Catalog::open_with(&db, retention)?;
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
        }
        Command::Export { output } => {
            let catalog = Catalog::open_with(&db, retention)?;
            let text = seed::export(&catalog.snapshot());
            match output {
                Some(path) => std::fs::write(path, text)?,
                None => std::io::stdout().write_all(text.as_bytes())?,
            }
        }
        Command::Stats => {
            let catalog = Catalog::open_with(&db, retention)?;
            let s = catalog.snapshot().stats();
            println!("skills         {}", s.skills);
            println!("prerequisites  {}", s.prerequisites);
            println!("roles          {}", s.roles);
            println!("requirements   {}", s.requirements);
            println!("categories     {}", s.categories);
            println!("revision       {}", s.revision);
            println!("size on disk   {} bytes", catalog.size_on_disk()?);
            for credit in crate::import::attributions(&catalog.snapshot()) {
                println!("{credit}");
            }
        }
        Command::Plan {
            profile,
            skills,
            roles,
            recommended,
            essential_only,
            schedule,
            output,
        } => {
            let catalog = open_seeded_with(&db, &profile.seed, retention)?;
            let graph = catalog.snapshot();
            let targets = parse_targets(&skills, &roles)?;
            let options = PlanOptions {
                include_recommended: recommended,
                include_optional: !essential_only,
            };
            let plan =
                graph.plan_scheduled(&profile.parse()?, &targets, options, schedule.schedule())?;
            if output.json {
                print_json(&plan)?;
            } else {
                print!("{}", plan_table(&graph, &plan));
            }
        }
        Command::Gap {
            profile,
            role,
            schedule,
            output,
        } => {
            let catalog = open_seeded_with(&db, &profile.seed, retention)?;
            let graph = catalog.snapshot();
            let gap = graph.role_gap_scheduled(
                &profile.parse()?,
                &RoleId::parse(&role)?,
                schedule.schedule(),
            )?;
            if output.json {
                print_json(&gap)?;
            } else {
                print!("{}", gap_table(&graph, &gap));
            }
        }
        Command::Match {
            profile,
            first,
            among,
            order_by,
            output,
        } => {
            let catalog = open_seeded_with(&db, &profile.seed, retention)?;
            let graph = catalog.snapshot();
            let among = among
                .iter()
                .filter(|r| !r.trim().is_empty())
                .map(|r| RoleId::parse(r.trim()))
                .collect::<Result<Vec<_>, _>>()?;
            let among = (!among.is_empty()).then_some(&among[..]);
            let matches = graph.match_roles_by(&profile.parse()?, among, order_by.into(), first)?;
            if output.json {
                print_json(&matches)?;
            } else {
                println!(
                    "{:<28} {:>9} {:>7} {:>17}",
                    "role", "readiness", "hours", "missing essential"
                );
                for m in matches {
                    println!(
                        "{:<28} {:>8.0}% {:>7} {:>17}",
                        m.role.as_str(),
                        m.readiness * 100.0,
                        m.hours,
                        m.missing_essential
                    );
                }
            }
        }
        Command::Next {
            profile,
            skills,
            roles,
            first,
            output,
        } => {
            let catalog = open_seeded_with(&db, &profile.seed, retention)?;
            let graph = catalog.snapshot();
            let targets = parse_targets(&skills, &roles)?;
            let suggestions = graph.next_skills(&profile.parse()?, &targets, first)?;
            if output.json {
                print_json(&suggestions)?;
            } else {
                print!("{}", next_table(&suggestions));
            }
        }
    }
    Ok(())
}

/// Suggestions as a terminal table: one line per skill, with the roles it brings closer.
pub fn next_table(suggestions: &[Suggestion]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>2}  {:<34} {:>5} {:>5} {:>7} {:>6}  roles (readiness now → after)",
        "#", "skill", "level", "hours", "unlocks", "score"
    );
    for (i, s) in suggestions.iter().enumerate() {
        let roles: Vec<String> = s
            .roles
            .iter()
            .map(|r| format!("{} {:.0}→{:.0}%", r.role, r.before * 100.0, r.after * 100.0))
            .collect();
        let _ = writeln!(
            out,
            "{:>2}  {:<34} {:>5} {:>5} {:>7} {:>6.2}  {}",
            i + 1,
            truncate(s.skill.as_str(), 34),
            format!("{}→{}", level_text(s.from_level), s.to_level),
            s.hours,
            s.unlocks,
            s.score,
            roles.join(", ")
        );
    }
    out
}

fn serve(db: &Path, args: ServeArgs, retention: crate::config::Retention) -> Result<(), Failure> {
    let catalog = std::sync::Arc::new(open_seeded_with(db, &args.seed, retention)?);
    let (admin_token, generated) = match (&args.server.admin_token, &args.server.admin_token_file) {
        (Some(token), _) => (token.clone(), false),
        (None, Some(file)) => (std::fs::read_to_string(file)?.trim().to_owned(), false),
        (None, None) => (generate_token(), true),
    };
    if admin_token.len() < 16 {
        return Err(Failure::Usage(
            "the admin token must be at least 16 characters long".into(),
        ));
    }
    let config = args
        .server
        .into_config(admin_token.clone())
        .map_err(Failure::Usage)?;
    // Graph work runs on the blocking pool, and each of its threads keeps dense per-node
    // scratch maps (about 4 MB on a 100k-skill graph): on a machine with a few cores, more
    // threads than this only add memory, never throughput.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(64)
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr).await?;
        let addr = listener.local_addr()?;
        let stats = catalog.snapshot().stats();
        tracing::info!(
            %addr,
            db = %db.display(),
            skills = stats.skills,
            roles = stats.roles,
            revision = stats.revision,
            "serving GraphQL at http://{addr}/graphql, GraphiQL at http://{addr}/"
        );
        if generated {
            // Printed once, to the terminal that started the server, and never logged again.
            println!(
                "admin token for this run (set SKILLGRAPH_ADMIN_TOKEN to choose one): {admin_token}"
            );
        }
        crate::http::serve(listener, catalog, config, shutdown_signal()).await?;
        tracing::info!("shut down cleanly");
        Ok::<(), Failure>(())
    })
}

/// The targets of `plan` and `next`: skills as SKILL or SKILL=LEVEL, then roles.
fn parse_targets(skills: &[String], roles: &[String]) -> Result<Vec<Target>, Failure> {
    let mut targets = skills
        .iter()
        .map(|s| {
            let (skill, level) = skill_level(s)?;
            Ok(Target::Skill { skill, level })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    for r in roles {
        targets.push(Target::Role(RoleId::parse(r)?));
    }
    Ok(targets)
}

fn probe(addr: std::net::SocketAddr) -> Result<(), Failure> {
    use std::io::Read;
    // A server bound to 0.0.0.0 is reached through loopback.
    let addr = if addr.ip().is_unspecified() {
        std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    };
    let timeout = std::time::Duration::from_secs(3);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(b"GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    if response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200") {
        println!("healthy");
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "unhealthy: {}",
            response.lines().next().unwrap_or("no answer")
        )))
    }
}

/// A random 256-bit token, hex-encoded.
fn generate_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Resolves on Ctrl-C or SIGTERM, whichever comes first.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: finishing in-flight requests");
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

/// Merges a seed into the catalog in one durable write; any problem and nothing is written.
pub fn import_seed(catalog: &Catalog, path: &Path) -> Result<seed::SeedCounts, Failure> {
    let seed = Seed::read(path).map_err(Failure::Seed)?;
    catalog
        .write(ChangeKind::Imported, |graph| {
            let problems = seed.apply(graph);
            if problems.is_empty() {
                Ok(seed.counts())
            } else {
                Err(Failure::Seed(problems))
            }
        })
        .map(|written| written.value)
}

/// Opens the catalog and, when the database has never been written, loads the seed into it.
pub fn open_seeded(db: &Path, seed: &Path) -> Result<Catalog, Failure> {
    open_seeded_with(db, seed, crate::config::Retention::default())
}

/// [`open_seeded`], keeping the change log to `retention`.
pub fn open_seeded_with(
    db: &Path,
    seed: &Path,
    retention: crate::config::Retention,
) -> Result<Catalog, Failure> {
    let catalog = Catalog::open_with(db, retention)?;
    if catalog.is_empty() {
        import_seed(&catalog, seed)?;
    }
    Ok(catalog)
}

fn skill_level(text: &str) -> Result<(SkillId, Level), Failure> {
    let (skill, level) = match text.split_once('=') {
        Some((skill, level)) => {
            let level: i64 = level
                .trim()
                .parse()
                .map_err(|_| Failure::Usage(format!("{text:?}: the level must be a number 1-5")))?;
            (skill, Level::new(level)?)
        }
        None => (text, Level::PRACTITIONER),
    };
    Ok((SkillId::parse(skill.trim())?, level))
}

impl ProfileArgs {
    fn parse(&self) -> Result<Profile, Failure> {
        Ok(Profile {
            skills: self
                .have
                .iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| skill_level(s))
                .collect::<Result<_, _>>()?,
            role: self.from_role.as_deref().map(RoleId::parse).transpose()?,
        })
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Usage(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn level_text(level: Option<Level>) -> String {
    level.map_or("-".into(), |l| l.to_string())
}

fn target_text(target: &TargetRef) -> String {
    match target {
        TargetRef::Skill(s) => s.to_string(),
        TargetRef::Role(r) => format!("role {r}"),
    }
}

/// The plan as a terminal table: one line per step with its stage and why it is there.
pub fn plan_table(graph: &SkillGraph, plan: &LearningPlan) -> String {
    let mut out = String::new();
    let weeks = plan
        .weeks
        .map_or(String::new(), |w| format!(", {w} weeks at your pace"));
    let _ = writeln!(
        out,
        "{} steps in {} stages: {} h in total, {} h on the critical path{weeks}",
        plan.steps.len(),
        plan.stages,
        plan.total_hours,
        plan.critical_path_hours
    );
    if let Some(budget) = &plan.budget {
        let _ = writeln!(
            out,
            "within a budget of {} h: readiness {:.0}% now, {:.0}% after these steps ({})",
            budget.budget_hours,
            budget.readiness * 100.0,
            budget.readiness_within_budget * 100.0,
            if budget.exact {
                "the best choice"
            } else {
                "a greedy choice: essentials first, most readiness per hour"
            }
        );
    }
    let week_column = |step: &crate::domain::Step| match (step.start_week, step.end_week) {
        (Some(a), Some(b)) if a == b => format!(" {a:>7}"),
        (Some(a), Some(b)) => format!(" {:>7}", format!("{a}-{b}")),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{:>3} {:>5}  {:<34} {:>5} {:>5}{}  why",
        "#",
        "stage",
        "skill",
        "level",
        "hours",
        if plan.weeks.is_some() {
            format!(" {:>7}", "weeks")
        } else {
            String::new()
        }
    );
    for step in &plan.steps {
        let name = graph
            .skill(step.skill.as_str())
            .map_or("", |s| s.name.as_str());
        let why = if step.chain.len() > 1 {
            format!(
                "→ {}",
                step.chain[1..]
                    .iter()
                    .map(SkillId::as_str)
                    .collect::<Vec<_>>()
                    .join(" → ")
            )
        } else {
            String::new()
        };
        let serves: Vec<String> = step.serves.iter().map(target_text).collect();
        let _ = writeln!(
            out,
            "{:>3} {:>5}  {:<34} {:>5} {:>5}{}  {} [{}]",
            step.position,
            step.stage,
            truncate(name, 34),
            format!("{}→{}", level_text(step.from_level), step.to_level),
            step.hours,
            week_column(step),
            why,
            serves.join(", ")
        );
    }
    if let Some(budget) = plan.budget.as_ref().filter(|b| !b.deferred.is_empty()) {
        let _ = writeln!(
            out,
            "deferred: {} steps, {} h (# is the position in the full plan)",
            budget.deferred.len(),
            budget.deferred_hours
        );
        for step in &budget.deferred {
            let name = graph
                .skill(step.skill.as_str())
                .map_or("", |s| s.name.as_str());
            let _ = writeln!(
                out,
                "{:>3} {:>5}  {:<34} {:>5} {:>5}",
                step.position,
                step.stage,
                truncate(name, 34),
                format!("{}→{}", level_text(step.from_level), step.to_level),
                step.hours,
            );
        }
    }
    if !plan.implied.is_empty() {
        let implied: Vec<String> = plan
            .implied
            .iter()
            .map(|i| format!("{}@{} (via {})", i.skill, i.level, i.via))
            .collect();
        let _ = writeln!(out, "implied by what you know: {}", implied.join(", "));
    }
    if !plan.steps.is_empty() {
        out.push_str("hours are study time only: projects to practise on come on top\n");
    }
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

pub fn gap_table(graph: &SkillGraph, gap: &RoleGap) -> String {
    let mut out = String::new();
    let name = graph
        .role(gap.standing.role.as_str())
        .map_or("", |r| r.name.as_str());
    let _ = writeln!(
        out,
        "{name} ({}): {:.0}% ready, {} h to close the gap",
        gap.standing.role,
        gap.standing.readiness * 100.0,
        gap.hours
    );
    for (title, list) in [
        ("satisfied", &gap.standing.satisfied),
        ("under level", &gap.standing.under_level),
        ("missing", &gap.standing.missing),
    ] {
        let _ = writeln!(out, "{title} ({}):", list.len());
        for s in list {
            let _ = writeln!(
                out,
                "  {:<34} have {} need {} ({:?})",
                s.requirement.skill,
                level_text(s.current),
                s.requirement.level,
                s.requirement.importance
            );
        }
    }
    out.push_str("\nplan:\n");
    out.push_str(&plan_table(graph, &gap.plan));
    out
}
