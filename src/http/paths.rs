//! Learning paths drawn, over plain HTTP, for an `<img>`, a README or `curl`:
//!
//! * `GET /paths/{role}.svg`: the plan to a role (every requirement at its level);
//! * `GET /paths/skills/{skill}.svg?level=N`: the plan to one skill at a level (3 when omitted).
//!
//! `.dot` and `.mmd` instead of `.svg` give the same plan as Graphviz DOT and as a Mermaid
//! flowchart. The query string says where the person starts: `from=ROLE` (a current role)
//! and `have=SKILL:LEVEL,…` (skills held), as `learningPath(from:)` takes them, and
//! `includeRecommended=true` / `includeOptional=false` as its arguments of those names do.
//! `budgetHours=N` and `hoursPerWeek=N` are its budget and pace: checked by the very function
//! that checks `learningPath`'s arguments of those names (`graphql::args::schedule`), so a
//! budget keeps the steps that buy the most readiness and the drawing leaves the rest out
//! and says so in its title, and a pace writes each step's weeks on its box.
//!
//! The addresses take ids, not job titles: a title is read (`normalizeTitles`) by whoever
//! asks, who can then show what it was read as and the other candidates before drawing, as
//! the plan explorer does; a drawing's address then names the plan it draws, whatever later
//! aliases do to the reading of a title.
//!
//! The handler parses, asks the domain for the plan the GraphQL `learningPath` resolver asks
//! for (`SkillGraph::plan_scheduled`) and draws it with [`crate::render`], off the runtime's
//! workers as GraphQL does. Errors are the GraphQL error body with the code's own status: an
//! unknown role or skill is 404 `NOT_FOUND`, a malformed `have`, level or parameter 400
//! `INVALID_INPUT`, too many skills 400 `LIMIT_EXCEEDED`.

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{AppState, refusal};
use crate::domain::{Level, PlanOptions, Profile, RoleId, SkillId, Target};
use crate::graphql::args::schedule;
use crate::graphql::error::ApiError;
use crate::render;

/// A drawn picture may embed nothing and run nothing, even opened on its own.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/paths/{file}", get(to_role))
        .route("/paths/skills/{file}", get(to_skill))
}

/// The query string of a drawing.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Params {
    from: Option<String>,
    have: Option<String>,
    level: Option<String>,
    include_recommended: Option<bool>,
    include_optional: Option<bool>,
    budget_hours: Option<String>,
    hours_per_week: Option<String>,
}

#[derive(Clone, Copy)]
enum Format {
    Svg,
    Dot,
    Mermaid,
}

impl Format {
    /// The id and the format of a file name such as `ml-engineer.svg`.
    fn split(file: &str) -> Result<(&str, Format), ApiError> {
        let format = |ext| match ext {
            "svg" => Some(Format::Svg),
            "dot" => Some(Format::Dot),
            "mmd" => Some(Format::Mermaid),
            _ => None,
        };
        file.rsplit_once('.')
            .and_then(|(id, ext)| Some((id, format(ext)?)))
            .ok_or_else(|| {
                ApiError::InvalidInput(format!(
                    "`{file}` names no drawing: end it in .svg, .dot or .mmd"
                ))
            })
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml",
            Format::Dot => "text/vnd.graphviz; charset=utf-8",
            Format::Mermaid => "text/vnd.mermaid; charset=utf-8",
        }
    }
}

async fn to_role(
    state: State<AppState>,
    file: Result<Path<String>, PathRejection>,
    query: RawQuery,
) -> Response {
    draw(state, file, query, |id, level| {
        if level.is_some() {
            return Err(ApiError::InvalidInput(
                "`level` is for skill targets (/paths/skills/…), not roles".into(),
            ));
        }
        Ok(Target::Role(RoleId::parse(id)?))
    })
    .await
}

async fn to_skill(
    state: State<AppState>,
    file: Result<Path<String>, PathRejection>,
    query: RawQuery,
) -> Response {
    draw(state, file, query, |id, level| {
        let level = match level {
            Some(raw) => Level::new(raw.parse().map_err(|_| {
                ApiError::InvalidInput(format!("level must be 1 to 5, got `{raw}`"))
            })?)?,
            None => Level::PRACTITIONER,
        };
        Ok(Target::Skill {
            skill: SkillId::parse(id)?,
            level,
        })
    })
    .await
}

/// Parses the request, plans and draws; `target` makes the target of the id and `level`.
async fn draw(
    State(state): State<AppState>,
    file: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    target: impl FnOnce(&str, Option<&str>) -> Result<Target, ApiError>,
) -> Response {
    let request = (|| {
        // Refused in our error body: axum's own rejection (for a name that is not UTF-8 once
        // decoded, say) would be plain text.
        let Path(file) = file.map_err(|e| ApiError::InvalidInput(e.body_text()))?;
        let (id, format) = Format::split(&file)?;
        let params: Params = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
            .map_err(|e| ApiError::InvalidInput(format!("bad query string: {e}")))?;
        let target = target(id, params.level.as_deref())?;
        let profile = Profile {
            skills: have(params.have.as_deref().unwrap_or(""))?,
            role: params.from.as_deref().map(RoleId::parse).transpose()?,
        };
        let limits = state.limits;
        limits.check(
            "maxProfileSkills",
            "profile skills",
            profile.skills.len(),
            limits.max_profile_skills,
        )?;
        let options = PlanOptions {
            include_recommended: params.include_recommended.unwrap_or(false),
            include_optional: params.include_optional.unwrap_or(true),
        };
        let schedule = schedule(
            hours("budgetHours", params.budget_hours.as_deref())?,
            hours("hoursPerWeek", params.hours_per_week.as_deref())?,
        )?;
        Ok::<_, ApiError>((format, profile, target, options, schedule))
    })();
    let (format, profile, target, options, schedule) = match request {
        Ok(request) => request,
        Err(e) => return refuse(e),
    };
    let graph = state.catalog.snapshot();
    let drawn = tokio::task::spawn_blocking(move || {
        let plan = graph.plan_scheduled(&profile, &[target], options, schedule)?;
        Ok::<_, ApiError>(match format {
            Format::Svg => render::svg(&plan, &graph),
            Format::Dot => render::dot(&plan, &graph),
            Format::Mermaid => render::mermaid(&plan, &graph),
        })
    })
    .await
    .unwrap_or_else(|e| Err(ApiError::Internal(format!("drawing failed: {e}"))));
    match drawn {
        Ok(body) => (
            StatusCode::OK,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(format.content_type()),
                ),
                // A plan follows the graph, which writes change: revalidate.
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => refuse(e),
    }
}

/// `SKILL:LEVEL,…` as skills held. A skill id may itself hold `:`, so the level is what
/// follows the last one.
fn have(list: &str) -> Result<Vec<(SkillId, Level)>, ApiError> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let bad = || {
                ApiError::InvalidInput(format!(
                    "`have` lists SKILL:LEVEL pairs (level 1 to 5), got `{item}`"
                ))
            };
            let (skill, level) = item.rsplit_once(':').ok_or_else(bad)?;
            let level = level.trim().parse::<i64>().map_err(|_| bad())?;
            Ok((SkillId::parse(skill.trim())?, Level::new(level)?))
        })
        .collect()
}

/// A whole number of hours as GraphQL's `Int` takes it (what `learningPath` accepts for the
/// argument of this name); its range is `schedule`'s to check.
fn hours(name: &str, raw: Option<&str>) -> Result<Option<i32>, ApiError> {
    raw.map(|raw| {
        raw.trim().parse::<i32>().map_err(|_| {
            ApiError::InvalidInput(format!(
                "{name} must be a whole number of hours (at most {}), got `{raw}`",
                i32::MAX
            ))
        })
    })
    .transpose()
}

/// The error as the GraphQL error body every refusal of the server has, with its code's status.
fn refuse(e: ApiError) -> Response {
    if let ApiError::Internal(detail) = &e {
        tracing::error!(error = %detail, "internal error while drawing a path");
    }
    let extra = match &e {
        ApiError::Limit { name, limit, .. } => {
            vec![("limit", (*name).into()), ("max", (*limit as u64).into())]
        }
        _ => vec![],
    };
    refusal(e.code(), None, &e.to_string(), &extra)
}

#[cfg(test)]
mod tests {
    use super::{Format, have, hours};

    #[test]
    fn have_reads_skill_level_pairs_with_the_level_after_the_last_colon() {
        let held = have("python:3, esco:s1.2:2,,").unwrap();
        let ids: Vec<(&str, u8)> = held.iter().map(|(s, l)| (s.as_str(), l.get())).collect();
        assert_eq!(ids, [("python", 3), ("esco:s1.2", 2)]);
        assert!(have("").unwrap().is_empty());
        for bad in ["python", "python:", "python:x", "python:9", "Py Thon:3"] {
            assert!(have(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hours_are_whole_numbers_in_graphqls_int_range_and_absent_is_none() {
        assert_eq!(hours("budgetHours", None).unwrap(), None);
        assert_eq!(hours("budgetHours", Some("40")).unwrap(), Some(40));
        // Negative is `schedule`'s to refuse, with the message GraphQL gives.
        assert_eq!(hours("budgetHours", Some("-1")).unwrap(), Some(-1));
        for bad in ["", "x", "1.5", "2147483648", "1e3"] {
            let e = hours("hoursPerWeek", Some(bad)).unwrap_err().to_string();
            assert!(
                e.contains("hoursPerWeek must be a whole number"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn only_svg_dot_and_mmd_files_name_drawings() {
        assert!(matches!(
            Format::split("ml-engineer.svg"),
            Ok(("ml-engineer", Format::Svg))
        ));
        assert!(matches!(Format::split("a.b.dot"), Ok(("a.b", Format::Dot))));
        assert!(matches!(Format::split("x.mmd"), Ok(("x", Format::Mermaid))));
        assert!(Format::split("ml-engineer").is_err());
        assert!(Format::split("ml-engineer.png").is_err());
    }
}
