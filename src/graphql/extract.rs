//! `extractSkills`: the skills a text mentions, as GraphQL sees them. The matching itself is
//! the domain's (`domain::extract`); this file wraps the answer.

use std::sync::Arc;

use async_graphql::{Context, Object};

use super::args::{check_text, first_within, int, page_cost};
use super::error::OrApi;
use super::types::SkillView;
use super::{compute, graph};
use crate::domain::{Mention, SkillGraph};

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
    ) -> async_graphql::Result<Vec<SkillMentionView>> {
        check_text(ctx, &text).api()?;
        let first = first_within(ctx, first, 50, "maxPage", |l| l.max_page)?;
        let graph = graph(ctx);
        let mentions = compute({
            let graph = graph.clone();
            move || graph.extract_skills(&text, first)
        })
        .await?;
        Ok(mentions
            .into_iter()
            .map(|mention| SkillMentionView {
                graph: graph.clone(),
                mention,
            })
            .collect())
    }
}

pub struct SkillMentionView {
    graph: Arc<SkillGraph>,
    mention: Mention,
}

/// A skill a text mentions, where it first does, and how often.
#[Object(name = "SkillMention")]
impl SkillMentionView {
    /// The skill mentioned.
    async fn skill(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.mention.skill)
    }
    /// The text of its first mention, as written (its name or one of its aliases, in the
    /// text's case and accents).
    async fn matched(&self) -> &str {
        &self.mention.matched
    }
    /// Where the first mention starts: an offset in Unicode characters (scalar values, not
    /// bytes and not UTF-16 units) from the start of the text.
    async fn start(&self) -> i32 {
        int(self.mention.start as u64)
    }
    /// Where the first mention ends, exclusive, in the same unit: `matched` is the
    /// characters `start` to `end`.
    async fn end(&self) -> i32 {
        int(self.mention.end as u64)
    }
    /// How many times the text mentions the skill (by any of its labels).
    async fn count(&self) -> i32 {
        int(u64::from(self.mention.count))
    }
    /// How much the mention says, comparable within one graph: a name counts more than an
    /// alias, a longer and rarer label more than a short, common one, and each repeat a
    /// little more (`1 + ln(count)` times the best mention's label score, which is in (0, 1]).
    async fn score(&self) -> f64 {
        self.mention.score
    }
}
