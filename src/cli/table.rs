//! The terminal tables every command prints (and `--json`, the same answer as JSON): plain
//! functions from domain answers to text, so tests can read them without running a command.

use std::fmt::Write as _;

use clap::Args;

use super::Failure;
use crate::domain::{
    LearningPlan, Level, Mention, RoleGap, RoleMatch, SkillGraph, SkillId, Suggestion, TargetRef,
};

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl OutputArgs {
    /// Prints `value` as JSON with `--json`, else as the table `table` draws of it.
    pub fn print<T: serde::Serialize>(
        &self,
        value: &T,
        table: impl FnOnce(&T) -> String,
    ) -> Result<(), Failure> {
        if self.json {
            print_json(value)
        } else {
            print!("{}", table(value));
            Ok(())
        }
    }
}

pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Usage(e.to_string()))?;
    println!("{text}");
    Ok(())
}

pub fn level_text(level: Option<Level>) -> String {
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
        // An option chosen for a group says first what would do instead, beside it, so nobody
        // reads "AWS" as the only way nor the options as alternatives to what it leads to.
        let mut why = String::new();
        if !step.alternatives.is_empty() {
            let others: Vec<&str> = step.alternatives.iter().map(SkillId::as_str).collect();
            why = format!("(or {})", others.join(", "));
        }
        if step.chain.len() > 1 {
            let chain: Vec<&str> = step.chain[1..].iter().map(SkillId::as_str).collect();
            why = format!("{why} → {}", chain.join(" → "));
        }
        // Every step waiting for it, not only the first on the way to a target.
        let also: Vec<&str> = step
            .because
            .iter()
            .filter(|d| step.chain.get(1) != Some(*d))
            .map(SkillId::as_str)
            .collect();
        if !also.is_empty() {
            let lead = if why.is_empty() { "for" } else { "; also for" };
            why = format!("{why}{lead} {}", also.join(", "));
        }
        let why = why.trim_start().to_owned();
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
        // The factor is the seed's reading of practitioners' quotes (seed/README.md, "What is
        // left out"): portfolio projects and practice take about as long again as the study.
        let hours = plan.full_hours();
        let _ = writeln!(
            out,
            "hours are study time only: with projects to practise on, a move like this takes \
             about 1.8-2.2 times as long ({}-{} h)",
            (hours * 18).div_ceil(10),
            (hours * 22).div_ceil(10)
        );
    }
    out
}

pub fn truncate(text: &str, width: usize) -> String {
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
            // A "one of" requirement as its options, preferred first.
            let options: Vec<&str> = s.requirement.options().map(|o| o.as_str()).collect();
            let _ = writeln!(
                out,
                "  {:<34} have {} need {} ({:?})",
                options.join(" or "),
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

/// Suggestions as a terminal table: one line per skill, with the roles it brings closer.
pub fn next_table(graph: &SkillGraph, suggestions: &[Suggestion]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>2}  {:<34} {:>5} {:>5} {:>7} {:>6}  roles (readiness now → after)",
        "#", "skill", "level", "hours", "unlocks", "score"
    );
    for (i, s) in suggestions.iter().enumerate() {
        let mut roles: Vec<String> = s
            .roles
            .iter()
            .map(|r| format!("{} {:.0}→{:.0}%", r.role, r.before * 100.0, r.after * 100.0))
            .collect();
        // A group's other options, at the end of the line: the skill column is narrow.
        if !s.alternatives.is_empty() {
            let or: Vec<&str> = s.alternatives.iter().map(|a| a.as_str()).collect();
            roles.push(format!("(or {})", or.join(", ")));
        }
        let _ = writeln!(
            out,
            "{:>2}  {:<34} {:>5} {:>5} {:>7} {:>6.2}  {}",
            i + 1,
            truncate(
                graph
                    .skill(s.skill.as_str())
                    .map_or(s.skill.as_str(), |k| k.name.as_str()),
                34
            ),
            format!("{}→{}", level_text(s.from_level), s.to_level),
            s.hours,
            s.unlocks,
            s.score,
            roles.join(", ")
        );
    }
    out
}

/// Role matches as a terminal table: one line per role.
pub fn match_table(matches: &[RoleMatch]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<28} {:>9} {:>7} {:>17}",
        "role", "readiness", "hours", "missing essential"
    );
    for m in matches {
        let _ = writeln!(
            out,
            "{:<28} {:>8.0}% {:>7} {:>17}",
            m.role.as_str(),
            m.readiness * 100.0,
            m.hours,
            m.missing_essential
        );
    }
    out
}

/// Mentions as a terminal table: one line per skill, best score first.
pub fn mention_table(graph: &SkillGraph, mentions: &[Mention]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<34} {:<34} {:>11} {:>5} {:>5}",
        "skill", "matched", "characters", "count", "score"
    );
    for m in mentions {
        let name = graph
            .skill(m.skill.as_str())
            .map_or("", |s| s.name.as_str());
        let _ = writeln!(
            out,
            "{:<34} {:<34} {:>11} {:>5} {:>5.2}",
            truncate(name, 34),
            truncate(
                &m.matched.split_whitespace().collect::<Vec<_>>().join(" "),
                34
            ),
            format!("{}-{}", m.start, m.end),
            m.count,
            m.score
        );
    }
    out
}
