//! `extractSkills`: the skills a text mentions. The matching itself is the domain's
//! (`domain::extract`), the answer's view `views::SkillMentionView`.
//!
//! Depends on the views, arguments and inputs of `graphql`; never on another part of `Query`.

use async_graphql::{Context, Object};

use crate::graphql::args::{check_text, first_within, page_cost};
use crate::graphql::error::{ApiError, OrApi};
use crate::graphql::traced::Work;
use crate::graphql::views::SkillMentionView;
use crate::graphql::{compute_in, graph};

#[derive(Default)]
pub struct ExtractQuery;

#[Object]
impl ExtractQuery {
    /// The skills a text (a job ad, a CV, a course description) mentions by their names or
    /// aliases, best score first. Case and accents are folded; labels match whole words only,
    /// and labels of one or two characters (R, C, Go) only as written, case and all; where
    /// matches overlap, the longest wins ("machine learning engineering" is not also
    /// "machine learning"). See "Skills from text" in the README for the score.
    #[graphql(complexity = "page_cost(first, 50, child_complexity)")]
    async fn extract_skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The text to read, at most `maxTextBytes` (100000 by default) bytes \
                          of UTF-8; longer is LIMIT_EXCEEDED."
        )]
        text: String,
        #[graphql(
            default_with = "Some(50)",
            desc = "How many skills, best first (0 to `maxPage`, 100 by default); null: 50."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "Only skills scoring at least this (0 to 1, the same on every taxonomy; \
                    0.5 keeps a name unique to its skill and drops labels many skills \
                    contain, mentioned once; see \"Skills from text\" in the README); null: \
                    all."
        )]
        min_score: Option<f64>,
    ) -> async_graphql::Result<Vec<SkillMentionView>> {
        check_text(ctx, &text).api()?;
        if let Some(min) = min_score
            && !(0.0..=1.0).contains(&min)
        {
            return Err(ApiError::InvalidInput(format!(
                "minScore must be between 0 and 1, got {min}"
            )))
            .api();
        }
        let first = first_within(ctx, first, 50, "maxPage", |l| l.max_page)?;
        let graph = graph(ctx);
        let mentions = compute_in(Work::Extract.span(text.len()), {
            let graph = graph.clone();
            move || graph.extract_skills(&text, first)
        })
        .await?;
        let min = min_score.unwrap_or(0.0);
        Ok(mentions
            .into_iter()
            .filter(|m| m.score >= min)
            .map(|mention| SkillMentionView {
                graph: graph.clone(),
                mention,
            })
            .collect())
    }
}
