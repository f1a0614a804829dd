//! `plan`, `gap` and `next`: learning plans from a profile given on the command line, and the
//! profile, target and schedule arguments they share with `match`.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::Failure;
use super::data::Db;
use super::table::{OutputArgs, gap_table, next_table, plan_table};
use crate::domain::{Level, PlanOptions, Profile, RoleId, Schedule, SkillGraph, SkillId, Target};

#[derive(Debug, Args)]
pub struct PlanArgs {
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
}

#[derive(Debug, Args)]
pub struct GapArgs {
    #[command(flatten)]
    profile: ProfileArgs,
    /// The target role.
    #[arg(long)]
    role: String,
    #[command(flatten)]
    schedule: ScheduleArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct NextArgs {
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
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// A held skill, as SKILL or SKILL=LEVEL (level 3 when omitted); repeatable or comma-separated.
    #[arg(long, value_name = "SKILL[=LEVEL]", value_delimiter = ',')]
    pub have: Vec<String>,
    /// A current role whose essential requirements count as held (its optional ones do not:
    /// list them with --have when held).
    #[arg(long, value_name = "ROLE")]
    pub from_role: Option<String>,
    /// A text file (a CV, a job ad) whose mentioned skills count as held at level 2, unless
    /// `--have` lists them (see "Skills from text" in the README).
    #[arg(long, value_name = "FILE")]
    pub text: Option<PathBuf>,
    /// Seed directory used when the database is empty; without it, the compiled-in seed.
    #[arg(long, env = "SKILLGRAPH_SEED")]
    pub seed: Option<PathBuf>,
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

pub fn plan(db: &Db, args: PlanArgs) -> Result<(), Failure> {
    let (graph, profile) = args.profile.open(db)?;
    let targets = parse_targets(&args.skills, &args.roles)?;
    let options = PlanOptions {
        include_recommended: args.recommended,
        include_optional: !args.essential_only,
    };
    let plan = graph.plan_scheduled(&profile, &targets, options, args.schedule.schedule())?;
    args.output.print(&plan, |plan| plan_table(&graph, plan))
}

pub fn gap(db: &Db, args: GapArgs) -> Result<(), Failure> {
    let (graph, profile) = args.profile.open(db)?;
    let role = RoleId::parse(&args.role)?;
    let gap = graph.role_gap_scheduled(&profile, &role, args.schedule.schedule())?;
    args.output.print(&gap, |gap| gap_table(&graph, gap))
}

pub fn next(db: &Db, args: NextArgs) -> Result<(), Failure> {
    let (graph, profile) = args.profile.open(db)?;
    let targets = parse_targets(&args.skills, &args.roles)?;
    let suggestions = graph.next_skills(&profile, &targets, args.first)?;
    args.output.print(&suggestions, |s| next_table(&graph, s))
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
    /// The current graph of the database at `db` (seeded from `--seed` when empty), and the
    /// profile read against it.
    pub fn open(&self, db: &Db) -> Result<(Arc<SkillGraph>, Profile), Failure> {
        let graph = db.open_seeded(self.seed.as_deref())?.snapshot();
        let profile = self.read(&graph)?;
        Ok((graph, profile))
    }

    /// The profile, with the skills its `--text` file mentions in `graph`.
    fn read(&self, graph: &SkillGraph) -> Result<Profile, Failure> {
        let profile = self.parse()?;
        match &self.text {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
                Ok(graph.with_text(profile, &text))
            }
            None => Ok(profile),
        }
    }

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
