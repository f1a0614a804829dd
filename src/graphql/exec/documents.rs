//! Parsed documents, kept by their text, and a parse failure said in one line.
//!
//! Knows async-graphql's parser and the error codes only.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Pos, ServerError};

use super::scan::PARSER_MAX_DEPTH;
use crate::graphql::error::{Code, over_limit};

/// variable, a new revision, the cache off): the parser was an eighth of the CPU of a role gap,
/// and clients send the same few documents with different variables.
pub struct Documents(moka::sync::Cache<String, Arc<Parsed>>);

/// A parsed document, and whether async-graphql's strict validation has passed it (see
/// `inputs`). Only a document of one operation keeps the verdict: a request selects its
/// operation, and validation sees only that one.
#[derive(Debug)]
pub struct Parsed {
    pub(super) document: ExecutableDocument,
    validated: AtomicBool,
}

impl Parsed {
    /// Whether strict validation passed this document once.
    pub(super) fn validated(&self) -> bool {
        self.validated.load(Ordering::Relaxed)
    }

    /// Strict validation passed it: later requests whose variables fit may skip it.
    pub(super) fn set_validated(&self) {
        if self.document.operations.iter().count() == 1 {
            self.validated.store(true, Ordering::Relaxed);
        }
    }
}

impl Documents {
    /// Room for this many bytes of document text (parsed trees take a few times that).
    pub fn new(bytes: u64) -> Self {
        Documents(
            moka::sync::Cache::builder()
                .max_capacity(bytes)
                .weigher(|text: &String, _: &Arc<Parsed>| {
                    u32::try_from(text.len().saturating_mul(4)).unwrap_or(u32::MAX)
                })
                .build(),
        )
    }

    /// The parsed document, from here when the same text was parsed before. A document that
    /// does not parse is refused with `GRAPHQL_PARSE_FAILED` and one line saying where.
    pub(super) fn parse(&self, text: &str) -> Result<Arc<Parsed>, ServerError> {
        if let Some(document) = self.0.get(text) {
            return Ok(document);
        }
        match async_graphql::parser::parse_query(text) {
            Ok(document) => {
                let document = Arc::new(Parsed {
                    document,
                    validated: AtomicBool::new(false),
                });
                self.0.insert(text.to_owned(), document.clone());
                Ok(document)
            }
            Err(error) => Err(parse_failure(&error)),
        }
    }
}

/// A parser error as one line: what was expected, where (`line:column`).
fn parse_failure(error: &async_graphql::parser::Error) -> ServerError {
    use async_graphql::parser::Error as E;
    if matches!(error, E::RecursionLimitExceeded) {
        return over_limit(
            "maxDepth",
            PARSER_MAX_DEPTH,
            format!("the query nests deeper than the parser allows ({PARSER_MAX_DEPTH})"),
        );
    }
    let at = error.positions().next();
    let what = match error {
        // pest's text is a drawing of the line; its last line says what was expected.
        E::Syntax { message, .. } => message
            .lines()
            .rev()
            .find_map(|line| line.trim().strip_prefix("= "))
            .unwrap_or("unexpected input")
            .replace('_', " "),
        other => other.to_string(),
    };
    let message = match at {
        Some(Pos { line, column }) => format!("syntax error at {line}:{column}: {what}"),
        None => format!("syntax error: {what}"),
    };
    let mut failure = Code::GraphqlParseFailed.server_error(message, &[]);
    failure.locations = at.into_iter().collect();
    failure
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parse_failure_is_one_line_with_its_position() {
        let error = Documents::new(1024).parse("{ skill(id: ) }").unwrap_err();
        assert!(!error.message.contains('\n'), "{}", error.message);
        assert!(
            error.message.starts_with("syntax error at 1:13: "),
            "{}",
            error.message
        );
    }
}
