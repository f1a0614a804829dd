//! `plan`, `gap` and `next`: learning plans from a profile given on the command line, and the
//! profile, target and schedule arguments they share with `match`.

use std::path::{Path, PathBuf};

use clap::Args;

use super::Failure;
use super::data::open_seeded;
use super::table::{OutputArgs, gap_table, next_table, plan_table, print_json};
use crate::domain::{Level, PlanOptions, Profile, RoleId, Schedule, SkillId, Target};

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
    /// A current role whose requirements count as held.
    #[arg(long, value_name = "ROLE")]
    pub from_role: Option<String>,
    /// Seed directory used when the database is empty.
    #[arg(long, env = "SKILLGRAPH_SEED", default_value = "seed")]
    pub seed: PathBuf,
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

pub fn plan(db: &Path, args: PlanArgs) -> Result<(), Failure> {
    let PlanArgs {
        profile,
        skills,
        roles,
        recommended,
        essential_only,
        schedule,
        output,
    } = args;
    let catalog = open_seeded(db, &profile.seed)?;
    let graph = catalog.snapshot();
    let targets = parse_targets(&skills, &roles)?;
    let options = PlanOptions {
        include_recommended: recommended,
        include_optional: !essential_only,
    };
    let plan = graph.plan_scheduled(&profile.parse()?, &targets, options, schedule.schedule())?;
    if output.json {
        print_json(&plan)?;
    } else {
        print!("{}", plan_table(&graph, &plan));
    }
    Ok(())
}

pub fn gap(db: &Path, args: GapArgs) -> Result<(), Failure> {
    let GapArgs {
        profile,
        role,
        schedule,
        output,
    } = args;
    let catalog = open_seeded(db, &profile.seed)?;
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
    Ok(())
}

pub fn next(db: &Path, args: NextArgs) -> Result<(), Failure> {
    let NextArgs {
        profile,
        skills,
        roles,
        first,
        output,
    } = args;
    let catalog = open_seeded(db, &profile.seed)?;
    let graph = catalog.snapshot();
    let targets = parse_targets(&skills, &roles)?;
    let suggestions = graph.next_skills(&profile.parse()?, &targets, first)?;
    if output.json {
        print_json(&suggestions)?;
    } else {
        print!("{}", next_table(&suggestions));
    }
    Ok(())
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
    pub fn parse(&self) -> Result<Profile, Failure> {
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
