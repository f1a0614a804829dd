//! The budget and the pace (the rules are in the `plan` module docs, "Budget" and "Pace"):
//! which steps of the full plan fit a budget of hours, and the weeks each step takes when
//! they are learned one after another.
//!
//! Reads the staged plan the walk gives, and readiness; the walk must not depend on this
//! file: the entry points in `plan` run the budget between staging and assembly, and the pace
//! last.

use super::groups::Choices;
use super::walk::{Demands, Staged, Want, explain, reaching, stage};
use super::{Budgeted, Step};
use crate::domain::graph::SkillGraph;
use crate::domain::holdings::above;
use crate::domain::readiness::{readiness_of, readiness_share};
use crate::domain::scratch::NodeMap;
use crate::domain::{Importance, Level};

impl SkillGraph {
    /// Phase "budget": chooses the steps of the full plan `plan` that fit `budget_hours` (see
    /// [`fit`]) and gives the plan of those steps, staged and ordered again (the same stages
    /// and order: the kept steps are prerequisite-closed), with the deferred steps as the full
    /// plan has them and the readiness before and after.
    pub(super) fn within_budget(
        &self,
        held: &NodeMap<Option<Level>>,
        step_of: &NodeMap<u32>,
        (demands, choices): (&Demands, &Choices),
        plan: Staged,
        budget_hours: u64,
    ) -> (Staged, Budgeted) {
        let choice = fit(&plan, &demands.wants, held, step_of, budget_hours);
        let now = readiness(&demands.wants, |w| w.held(held));
        // A requirement reaches the level of its skill's last kept level step.
        let steps = &plan.steps;
        let within = readiness(&demands.wants, |w| {
            let Some(first) = step_of.get(w.node) else {
                return w.held(held);
            };
            let last = reaching(&steps.nodes, &steps.levels, first as usize, w.level);
            let kept = (first as usize..=last).rev().find(|&i| choice.keep[i]);
            w.held(held).max(kept.map(|i| steps.levels[i].1))
        });
        let mut deferred = Vec::new();
        let mut plan = plan;
        if choice.keep.contains(&false) {
            let reasons = explain(&plan.steps, &plan.ordered, &demands.own_targets);
            deferred = self.assemble(&plan, &reasons, choices);
            deferred.retain(|s| !choice.keep[plan.ordered.order[s.position as usize - 1]]);
            let steps = plan.steps.restrict(&choice.keep);
            plan = Staged {
                ordered: self.order(&steps, stage(&steps)),
                hours: keep_only(plan.hours, &choice.keep),
                steps,
            };
        }
        let budgeted = Budgeted {
            budget_hours,
            deferred_hours: deferred.iter().map(|s| u64::from(s.hours)).sum(),
            deferred,
            readiness: now,
            readiness_within_budget: within,
            exact: choice.exact,
        };
        (plan, budgeted)
    }
}

/// The greedy budget choice (see the `plan` module docs): which steps (by index) the plan
/// keeps.
struct Choice {
    keep: Vec<bool>,
    exact: bool,
}

/// The budget's choice: the requirements to buy within `budget` hours, essentials first, each
/// time the one with the most readiness per extra hour among those that still fit (ties: the
/// earlier step). A requirement whose skill the plan takes up in level steps can be bought up
/// to each of them: the step and everything it waits for (its skill's lower steps included),
/// so a budget buys usable depth in one skill before the last level of another. Takes the
/// full plan and the targets' requirements (`step_of` maps their nodes to their first steps);
/// gives the kept steps, a prerequisite-closed set.
fn fit(
    plan: &Staged,
    wants: &[Want],
    held: &NodeMap<Option<Level>>,
    step_of: &NodeMap<u32>,
    budget: u64,
) -> Choice {
    let Staged {
        steps,
        ordered,
        hours,
    } = plan;
    let n = steps.nodes.len();
    let mut open: Vec<Open> = Vec::new();
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    for (w, want) in wants.iter().enumerate() {
        let now = want.held(held);
        if !want.planned || !above(want.level, now) {
            continue;
        }
        let Some(first) = step_of.get(want.node) else {
            continue;
        };
        let (done, _) = readiness_share(want.importance, want.level, now);
        let last = reaching(&steps.nodes, &steps.levels, first as usize, want.level);
        for step in first as usize..=last {
            let top = now.max(Some(steps.levels[step].1));
            let (reached, _) = readiness_share(want.importance, want.level, top);
            // Its closure: the step and everything it waits for, transitively.
            seen.fill(false);
            let mut closure = Vec::new();
            stack.push(step as u32);
            seen[step] = true;
            while let Some(s) = stack.pop() {
                closure.push(s);
                for &p in steps.preds.of(s as usize) {
                    if !std::mem::replace(&mut seen[p as usize], true) {
                        stack.push(p);
                    }
                }
            }
            open.push(Open {
                step,
                want: w,
                importance: want.importance,
                gain: reached - done,
                closure,
            });
        }
    }
    open.sort_by_key(|o| (o.importance, ordered.position[o.step]));
    let total: u64 = hours.iter().map(|&h| u64::from(h)).sum();
    // Exact when everything fits, or when one requirement is open in one step.
    let exact = total <= budget || open.len() <= 1;
    let mut keep = vec![false; n];
    if total <= budget {
        keep.fill(true);
        return Choice { keep, exact };
    }
    let mut left = budget;
    // The readiness each want has gained so far: a higher step of it adds only the rest.
    let mut gained = vec![0.0f64; wants.len()];
    let mut taken = vec![false; open.len()];
    for tier in [Importance::Essential, Importance::Optional] {
        loop {
            // (index into `open`, extra hours, gain)
            let mut best: Option<(usize, u64, f64)> = None;
            for (k, o) in open.iter().enumerate() {
                let gain = o.gain - gained[o.want];
                if taken[k] || o.importance != tier || gain <= 0.0 {
                    continue;
                }
                let extra: u64 = o
                    .closure
                    .iter()
                    .filter(|&&s| !keep[s as usize])
                    .map(|&s| u64::from(hours[s as usize]))
                    .sum();
                if extra > left {
                    continue;
                }
                // More gain per hour wins; `a/b > c/d` as `a·d > c·b`, so no hour is zero.
                let better = best.is_none_or(|(_, e, g)| gain * e as f64 > g * extra as f64);
                if better {
                    best = Some((k, extra, gain));
                }
            }
            let Some((k, extra, _)) = best else { break };
            taken[k] = true;
            left -= extra;
            gained[open[k].want] = gained[open[k].want].max(open[k].gain);
            for &s in &open[k].closure {
                keep[s as usize] = true;
            }
        }
    }
    Choice { keep, exact }
}

/// A requirement open to the budget, bought up to one of its skill's level steps.
struct Open {
    step: usize,
    /// Its index in the wants.
    want: usize,
    importance: Importance,
    /// The readiness (weighted) it brings in all, from the level held.
    gain: f64,
    /// The step and every step it waits for, transitively.
    closure: Vec<u32>,
}

/// Readiness over the targets' requirements (see `readiness`), each held at `level_of`.
fn readiness(wants: &[Want], level_of: impl Fn(&Want) -> Option<Level>) -> f64 {
    readiness_of(wants.iter().map(|w| (w.importance, w.level, level_of(w))))
}

/// The items of `list` (by step index) whose step is kept.
fn keep_only<T>(list: Vec<T>, keep: &[bool]) -> Vec<T> {
    list.into_iter()
        .zip(keep)
        .filter_map(|(item, &k)| k.then_some(item))
        .collect()
}

/// Phase "pace": numbers each step's weeks, taken one after another in plan order at
/// `hours_per_week`, and gives the plan's weeks (see the `plan` module docs).
pub(super) fn pace(steps: &mut [Step], hours_per_week: u32) -> u32 {
    let h = u64::from(hours_per_week);
    let mut done = 0u64;
    let mut weeks = 0u32;
    for step in steps {
        let before = done;
        done += u64::from(step.hours);
        let week = |hours: u64| u32::try_from(hours).unwrap_or(u32::MAX);
        let (start, end) = if done == before {
            // No hours: in the week the previous step ended (the first week if none).
            let w = week(before.div_ceil(h)).max(1);
            (w, w)
        } else {
            (week(before / h + 1), week(done.div_ceil(h)))
        };
        step.start_week = Some(start);
        step.end_week = Some(end);
        weeks = end;
    }
    weeks
}
