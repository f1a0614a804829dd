//! What a resolver may refuse of its arguments, written once: `first` within its limit, a
//! text's size, a profile's size, the number of targets, a plan's budget and pace, a transitive
//! list's length; the complexity a list field counts for; and how the numbers of an answer
//! become GraphQL `Int`s.
//!
//! Every refusal here is `INVALID_INPUT` or a `LIMIT_EXCEEDED` naming its configured limit.
//! This file knows the limits, the errors and the input types; it must not depend on views or
//! resolvers, which all depend on it.

use async_graphql::Context;

use super::error::{ApiError, OrApi};
use super::inputs::ProfileInput;
use super::limits;
use crate::config::Limits;
use crate::domain::{Level, Schedule};

impl Limits {
    /// Refuses `got` above `limit`; `name` is the limit's configured name, `what` the thing.
    pub fn check(
        &self,
        name: &'static str,
        what: &'static str,
        got: usize,
        limit: usize,
    ) -> Result<(), ApiError> {
        if got > limit {
            return Err(ApiError::Limit {
                name,
                what,
                limit,
                got,
            });
        }
        Ok(())
    }
}

/// A list's `first` (10 when null), refused when negative or above `maxPage`.
pub(super) fn first_of(ctx: &Context<'_>, first: Option<i32>) -> async_graphql::Result<usize> {
    first_within(ctx, first, 10, "maxPage", |l| l.max_page)
}

/// A list's `first` (`default` when null), refused when negative (`INVALID_INPUT`) or above
/// the limit `name` (`LIMIT_EXCEEDED`), whose value `limit` reads from the configured limits.
pub(super) fn first_within(
    ctx: &Context<'_>,
    first: Option<i32>,
    default: i32,
    name: &'static str,
    limit: impl FnOnce(&Limits) -> usize,
) -> async_graphql::Result<usize> {
    let first = usize::try_from(first.unwrap_or(default))
        .map_err(|_| ApiError::InvalidInput("first must not be negative".into()))
        .api()?;
    let l = limits(ctx);
    l.check(name, "first", first, limit(&l)).api()?;
    Ok(first)
}

/// Refuses a search text longer than `maxQueryChars` characters.
pub(super) fn check_query(ctx: &Context<'_>, query: Option<&str>) -> Result<(), ApiError> {
    let l = limits(ctx);
    let chars = query.map_or(0, |q| q.chars().count());
    l.check(
        "maxQueryChars",
        "search characters",
        chars,
        l.max_query_chars,
    )
}

/// The complexity of a searched page: the page's, plus one per character of the search text,
/// so that a document of many aliased searches is bounded by what they type, not only by how
/// many items they ask for.
pub(super) fn search_cost(
    query: &Option<String>,
    size: Option<i32>,
    default: i32,
    child: usize,
) -> usize {
    let typed = query.as_deref().map_or(0, |q| q.chars().count());
    page_cost(size, default, child)
        .saturating_add(typed)
        .min(MAX_COST)
}

/// The complexity of normalising `titles`: each title's answer, plus one per character typed
/// (as a search counts its text, see [`search_cost`]).
pub(super) fn titles_cost(titles: &[String], child: usize) -> usize {
    titles
        .iter()
        .map(|t| child.saturating_add(t.chars().count()))
        .fold(0usize, usize::saturating_add)
        .min(MAX_COST)
}

/// Refuses a text longer than `maxTextBytes`.
pub(super) fn check_text(ctx: &Context<'_>, text: &str) -> Result<(), ApiError> {
    let l = limits(ctx);
    l.check("maxTextBytes", "text bytes", text.len(), l.max_text_bytes)
}

/// Refuses a profile of more skills than `maxProfileSkills`, or whose text is too long.
pub(super) fn check_profile(ctx: &Context<'_>, profile: &ProfileInput) -> Result<(), ApiError> {
    let limits = limits(ctx);
    limits.check(
        "maxProfileSkills",
        "profile skills",
        profile.size(),
        limits.max_profile_skills,
    )?;
    match &profile.text {
        Some(text) => check_text(ctx, text),
        None => Ok(()),
    }
}

/// Refuses more than `maxTargets` targets (or roles `among`, as `what` says).
pub(super) fn check_targets(
    ctx: &Context<'_>,
    what: &'static str,
    got: usize,
) -> Result<(), ApiError> {
    let l = limits(ctx);
    l.check("maxTargets", what, got, l.max_targets)
}

/// The budget and pace arguments of a plan, checked: a budget of 0 hours or more, a pace
/// above 0 hours a week. Also what `/paths` checks its `budgetHours` and `hoursPerWeek`
/// with, so the two agree on what they accept and how they refuse it.
pub(crate) fn schedule(
    budget_hours: Option<i32>,
    hours_per_week: Option<i32>,
) -> Result<Schedule, ApiError> {
    let budget_hours = budget_hours
        .map(|b| {
            u64::try_from(b)
                .map_err(|_| ApiError::InvalidInput("budgetHours must not be negative".into()))
        })
        .transpose()?;
    let hours_per_week = hours_per_week
        .map(|h| {
            u32::try_from(h)
                .ok()
                .filter(|&h| h > 0)
                .ok_or_else(|| ApiError::InvalidInput("hoursPerWeek must be above 0".into()))
        })
        .transpose()?;
    Ok(Schedule {
        budget_hours,
        hours_per_week,
    })
}

/// Refuses a transitive list longer than the configured limit.
pub(super) fn expansion(ctx: &Context<'_>, got: usize) -> async_graphql::Result<()> {
    let limits = limits(ctx);
    limits
        .check(
            "maxExpansion",
            "transitive expansion",
            got,
            limits.max_expansion,
        )
        .api()
}

/// What a list field counts for in a query's complexity: each item's fields, times a typical
/// list length. Without it the complexity limit counts the fields of the document, not the
/// values they fan out to, and `roles { requirements { role { requirements … } } }` could
/// ask for millions of values in a few hundred bytes.
pub(super) const LIST: usize = 20;

/// The most one field may count: far above any limit, and low enough that async-graphql's
/// unchecked sums of sibling fields cannot overflow (a 1 MB document has under 2^20 fields).
const MAX_COST: usize = 1 << 40;

/// The complexity of a list field whose items cost `child` each.
pub(super) fn list_cost(child: usize) -> usize {
    LIST.saturating_mul(child).min(MAX_COST)
}

/// What a category's `children` count for: each child's fields, times a typical fan-out. Lower
/// than [`LIST`], because a tree's levels nest: ISCO-08 has at most ten groups under one
/// (SOC's 23 major groups under the O*NET root are the widest), and at 20 a level the four
/// levels from the roots to ISCO's minor groups (some 180 nodes) would count 20^4 and be
/// refused by the default limit.
pub(super) const CHILDREN: usize = 10;

/// The complexity of a category's `children` whose items cost `child` each.
pub(super) fn children_cost(child: usize) -> usize {
    CHILDREN.saturating_mul(child).min(MAX_COST)
}

/// The complexity of a paged list asking for `size` items (`default` when null) costing `child`
/// each.
pub(super) fn page_cost(size: Option<i32>, default: i32, child: usize) -> usize {
    usize::try_from(size.unwrap_or(default))
        .unwrap_or(0)
        .saturating_mul(child)
        .min(MAX_COST)
}

/// A count or an hour total as an `Int`, clamped to `i32::MAX`.
pub(super) fn int(value: u64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// A level as an `Int`: 1 to 5, 0 when not held.
pub(super) fn level(value: Option<Level>) -> i32 {
    value.map_or(0, |l| i32::from(l.get()))
}
