//! `match`: the roles a profile given on the command line is closest to.

use clap::Args;

use super::Failure;
use super::data::Db;
use super::plan::ProfileArgs;
use super::table::{OutputArgs, match_table};
use crate::domain::{MatchOrder, RoleId};

#[derive(Debug, Args)]
pub struct MatchArgs {
    #[command(flatten)]
    profile: ProfileArgs,
    #[arg(long, default_value_t = 10)]
    first: usize,
    /// Rank only these roles; repeatable or comma-separated.
    #[arg(long, value_name = "ROLE", value_delimiter = ',')]
    among: Vec<String>,
    /// `readiness` (highest first), `hours` (fewest hours to close the gap first) or `overlap`
    /// (most skills in common first).
    #[arg(long, value_enum, default_value_t)]
    order_by: MatchOrderArg,
    #[command(flatten)]
    output: OutputArgs,
}

/// How `match` orders roles.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum)]
pub enum MatchOrderArg {
    #[default]
    Readiness,
    Hours,
    Overlap,
}

impl From<MatchOrderArg> for MatchOrder {
    fn from(order: MatchOrderArg) -> Self {
        match order {
            MatchOrderArg::Readiness => MatchOrder::Readiness,
            MatchOrderArg::Hours => MatchOrder::Hours,
            MatchOrderArg::Overlap => MatchOrder::Overlap,
        }
    }
}

pub fn match_roles(db: &Db, args: MatchArgs) -> Result<(), Failure> {
    let (graph, profile) = args.profile.open(db)?;
    let among = args
        .among
        .iter()
        .filter(|r| !r.trim().is_empty())
        .map(|r| RoleId::parse(r.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let among = (!among.is_empty()).then_some(&among[..]);
    let matches = graph.match_roles_by(&profile, among, args.order_by.into(), args.first)?;
    args.output.print(&matches, |m| match_table(m))
}
