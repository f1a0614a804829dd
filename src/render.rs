//! Learning plans drawn: a [`LearningPlan`] as a Mermaid flowchart ([`mermaid`]), a Graphviz
//! DOT graph ([`dot`]) and an SVG picture laid out here ([`svg`]).
//!
//! Presentation, not domain logic: this module reads domain values (a plan, and the graph for
//! the skills' names) and writes text. It knows nothing of GraphQL or HTTP, which both call it.
//!
//! All three draw the same [`Drawing`]: one node a step (its skill's name, the levels and the
//! hours), grouped by stage, and one edge from each step to every later step that waits for it
//! (`Step::dependents`). Steps the plan does not hold (a budget's deferred ones) are not drawn, nor
//! edges to them. The output is a function of the plan and the names alone, with no map
//! iteration order in it: the same plan gives byte-identical text.

mod dot;
mod mermaid;
mod svg;

use std::fmt::Write as _;

use rustc_hash::FxHashMap as HashMap;

use crate::domain::{LearningPlan, SkillGraph, Step};

pub use dot::dot;
pub use mermaid::mermaid;
pub use svg::svg;

/// A step as drawn.
struct Node<'a> {
    step: &'a Step,
    /// The skill's display name (its id if the graph no longer has it).
    name: &'a str,
}

impl Node<'_> {
    /// A target itself (a target skill or a target role's requirement), not only a way to one:
    /// its chain to a target is itself alone.
    fn is_target(&self) -> bool {
        self.step.chain.len() <= 1
    }

    /// The levels and hours: `level 3 · 60 h`, or `level 2 → 3 · 12 h` from a level held;
    /// with a pace, the weeks too: `level 3 · 60 h · weeks 4–9` (`week 4` for one).
    fn detail(&self) -> String {
        let s = self.step;
        let mut detail = match s.from_level {
            Some(from) => format!("level {from} → {} · {} h", s.to_level, s.hours),
            None => format!("level {} · {} h", s.to_level, s.hours),
        };
        match (s.start_week, s.end_week) {
            (Some(start), Some(end)) if start != end => {
                let _ = write!(detail, " · weeks {start}–{end}");
            }
            (Some(week), _) => {
                let _ = write!(detail, " · week {week}");
            }
            _ => {}
        }
        detail
    }
}

/// One column of the drawing: a stage and its steps.
struct Stage {
    /// 1-based, as in the plan.
    number: u32,
    /// Indices into [`Drawing::nodes`], in plan order.
    nodes: Vec<usize>,
    hours: u64,
}

impl Stage {
    fn label(&self) -> String {
        format!("Stage {} · {} h", self.number, self.hours)
    }
}

/// What every format draws: nodes in plan order, edges between them, stages in order.
struct Drawing<'a> {
    nodes: Vec<Node<'a>>,
    /// `(from, to)` indices into `nodes`: `to` waits for `from`. In plan order of `from`, then
    /// of `to`.
    edges: Vec<(usize, usize)>,
    stages: Vec<Stage>,
    plan: &'a LearningPlan,
}

impl<'a> Drawing<'a> {
    fn new(plan: &'a LearningPlan, graph: &'a SkillGraph) -> Self {
        let nodes: Vec<Node<'a>> = plan
            .steps
            .iter()
            .map(|step| Node {
                step,
                name: graph
                    .skill(step.skill.as_str())
                    .map_or(step.skill.as_str(), |s| s.name.as_str()),
            })
            .collect();
        // Positions, not skills: a skill learned in level steps is several nodes.
        let index: HashMap<u32, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.step.position, i))
            .collect();
        let edges = nodes
            .iter()
            .enumerate()
            .flat_map(|(from, n)| {
                let index = &index;
                n.step
                    .dependents
                    .iter()
                    .filter_map(move |later| Some((from, *index.get(later)?)))
            })
            .collect();
        // Plan order is stage order, so each stage is one run of steps.
        let mut stages: Vec<Stage> = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            match stages.last_mut() {
                Some(stage) if stage.number == n.step.stage => {
                    stage.nodes.push(i);
                    stage.hours += u64::from(n.step.hours);
                }
                _ => stages.push(Stage {
                    number: n.step.stage,
                    nodes: vec![i],
                    hours: u64::from(n.step.hours),
                }),
            }
        }
        Drawing {
            nodes,
            edges,
            stages,
            plan,
        }
    }

    /// The title, one sentence a line: `Learning path: 42 steps in 13 stages, 741 h (critical
    /// path 300 h)`, with a pace `…, 75 weeks`; then, with a budget that defers steps, `Within
    /// the 100 h budget: 9 steps (320 h) deferred, readiness 10 % → 55 %`.
    fn summary_lines(&self) -> Vec<String> {
        let p = self.plan;
        let mut first = if p.steps.is_empty() {
            self.empty().to_owned()
        } else {
            format!(
                "Learning path: {} in {}, {} h (critical path {} h)",
                plural(p.steps.len(), "step"),
                plural(self.stages.len(), "stage"),
                p.total_hours,
                p.critical_path_hours
            )
        };
        if let (Some(weeks), false) = (p.weeks, p.steps.is_empty()) {
            let _ = write!(first, ", {}", plural(weeks as usize, "week"));
        }
        let mut lines = vec![first];
        if let Some(b) = p.budget.as_ref().filter(|b| !b.deferred.is_empty()) {
            let percent = |r: f64| (r * 100.0).round() as u32;
            lines.push(format!(
                "Within the {} h budget: {} ({} h) deferred, readiness {} % → {} %",
                b.budget_hours,
                plural(b.deferred.len(), "step"),
                b.deferred_hours,
                percent(b.readiness),
                percent(b.readiness_within_budget),
            ));
        }
        lines
    }

    /// The title on one line: its sentences joined.
    fn summary(&self) -> String {
        self.summary_lines().join(". ")
    }

    /// What a plan without steps says: nothing to learn, or nothing that fits the budget.
    fn empty(&self) -> &'static str {
        match &self.plan.budget {
            Some(b) if !b.deferred.is_empty() => NOTHING_FITS,
            _ => EMPTY,
        }
    }
}

/// `1 step`, `2 steps`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// What an empty plan says: the profile already meets every target.
const EMPTY: &str = "Nothing to learn: every target is met";

/// What a plan says whose budget keeps no step though there is something to learn.
const NOTHING_FITS: &str = "No step fits the budget";

/// Characters that would end a line or a statement in any of the formats become spaces; names
/// are single-line already, this keeps a drawing one statement a line whatever they hold.
fn one_line(text: &str) -> impl Iterator<Item = char> + '_ {
    // U+FFFE and U+FFFF are the only characters a Rust string can hold that XML 1.0 forbids
    // besides controls; a name may contain them, an SVG must not.
    text.chars().map(|c| match c {
        c if c.is_control() => ' ',
        '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
        c => c,
    })
}

#[cfg(test)]
mod tests;
