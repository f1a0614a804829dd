//! The size of a document, measured before it is parsed: tokens, how deep its fields nest and
//! how deep its argument values nest, in one pass over its bytes. A document too big or too deep
//! to be worth parsing (or to parse safely) is refused here at that cost.
//!
//! Knows the limits and the error codes only.

use async_graphql::ServerError;

use crate::config::Limits;
use crate::graphql::error::over_limit;

/// The deepest a query may nest whatever `maxDepth` says: async-graphql refuses documents whose
/// selection sets and fragment spreads recurse more than 32 levels (its `limit_recursive_depth`,
/// a guard for its own stack), and the operation's own selection set is one of them.
pub(super) const PARSER_MAX_DEPTH: usize = 31;

/// recurses once per level with no bound of its own, so a few thousand `[` would overflow a
/// worker's stack and abort the process; no real input nests this deep.
const MAX_VALUE_DEPTH: usize = 64;

/// Where the scan is after a `...`: an inline fragment's `{` opens no new level of fields.
#[derive(Clone, Copy, PartialEq)]
enum Spread {
    None,
    /// Right after `...`, or after `... on Type` (or its directives).
    Inline,
    /// After `... on`, waiting for the type's name.
    On,
}

/// Counts the document's tokens, how deep its fields nest and how deep its values nest,
/// without parsing it, so that a document too big or too deep to be worth parsing (or too deep
/// to parse safely) is refused at the cost of one pass over its bytes. Fields nest as
/// async-graphql's depth limit counts them: one level per selection set of a field, none for an
/// inline fragment's. Braces inside parentheses are input objects, not selections.
pub(super) fn scan(query: &str, limits: &Limits) -> Result<(), ServerError> {
    let max_depth = limits.max_depth.min(PARSER_MAX_DEPTH);
    let bytes = query.as_bytes();
    let (mut i, mut tokens, mut parens) = (0, 0usize, 0usize);
    // For each open selection set, whether it is a level of fields.
    let mut sets: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    // Open `[` and `{` inside parentheses.
    let mut values = 0usize;
    let mut spread = Spread::None;
    let mut directive = false;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'{' | b'[' if parens > 0 => {
                values += 1;
                if values > MAX_VALUE_DEPTH {
                    return Err(over_limit(
                        "maxValueDepth",
                        MAX_VALUE_DEPTH,
                        format!("an argument's value nests deeper than {MAX_VALUE_DEPTH} levels"),
                    ));
                }
                i += 1;
            }
            b'}' | b']' if parens > 0 => {
                values = values.saturating_sub(1);
                i += 1;
            }
            b'{' => {
                let level = spread == Spread::None;
                sets.push(level);
                if level {
                    depth += 1;
                    if depth > max_depth {
                        return Err(over_limit(
                            "maxDepth",
                            max_depth,
                            format!(
                                "the query nests deeper than the server's maxDepth ({max_depth})"
                            ),
                        ));
                    }
                }
                i += 1;
            }
            b'}' => {
                if sets.pop() == Some(true) {
                    depth -= 1;
                }
                i += 1;
            }
            b'(' => {
                parens += 1;
                i += 1;
            }
            b')' => {
                parens = parens.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            c if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'+' | b'.') => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'-' | b'+' | b'.'))
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        // An unterminated string or escape steps past the end.
        i = i.min(bytes.len());
        // What a token after `...` makes of it (outside arguments, whose tokens change nothing).
        if parens == 0 || bytes[start] == b'(' {
            let token = &bytes[start..i];
            spread = match (spread, token) {
                (_, b"...") => Spread::Inline,
                (Spread::Inline, b"@") => {
                    directive = true;
                    Spread::Inline
                }
                // A directive's arguments: the scan skips what is inside.
                (Spread::Inline, b"(" | b")") => Spread::Inline,
                (Spread::Inline, _) if directive => {
                    directive = false;
                    Spread::Inline
                }
                (Spread::Inline, b"on") => Spread::On,
                (Spread::On, _) => Spread::Inline,
                // A name after `...` is a named spread; `{` or anything else ends the spread.
                _ => Spread::None,
            };
        }
        tokens += 1;
        if tokens > limits.max_tokens {
            return Err(over_limit(
                "maxTokens",
                limits.max_tokens,
                format!(
                    "the document has more tokens than the server's maxTokens ({})",
                    limits.max_tokens
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_default(query: &str) -> Result<(), ServerError> {
        scan(query, &Limits::default())
    }

    #[test]
    fn the_scan_counts_selection_depth_but_not_input_objects() {
        assert!(scan_default("{ a { b { c } } }").is_ok());
        let deep = format!("{}{}", "{ a ".repeat(16), "}".repeat(16));
        let error = scan_default(&deep).unwrap_err();
        assert_eq!(
            error.message,
            "the query nests deeper than the server's maxDepth (15)"
        );
        let input = format!(
            "{{ a(x: {}1{}) {{ b }} }}",
            "{v: ".repeat(30),
            "}".repeat(30)
        );
        assert!(scan_default(&input).is_ok());
        // Braces inside strings and comments are not selections.
        let text = format!("{{ a(x: \"{}\") # {}\n }}", "{".repeat(40), "{".repeat(40));
        assert!(scan_default(&text).is_ok());
    }

    #[test]
    fn inline_fragments_add_no_level_and_deep_values_are_refused() {
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        for query in [
            "{ a { b { ... on B { c } } } }",
            "{ a { b { ... { c } } } }",
            "{ a { b { ... @include(if: true) { c } } } }",
            "{ a { b { ... on B @skip(if: false) { c } } } }",
            "{ a { b { ...F } } } fragment F on B { c }",
        ] {
            assert!(scan(query, &limits).is_ok(), "{query}");
        }
        assert!(scan("{ a { b { c { d } } } }", &limits).is_err());
        assert!(scan("{ a { b { ... on B { c { d } } } } }", &limits).is_err());
        let nested = format!("{{ a(x: {}1{}) }}", "[".repeat(65), "]".repeat(65));
        let error = scan_default(&nested).unwrap_err();
        assert!(
            error.message.contains("nests deeper than 64"),
            "{}",
            error.message
        );
        let fine = format!("{{ a(x: {}1{}) }}", "[".repeat(64), "]".repeat(64));
        assert!(scan_default(&fine).is_ok());
    }

    #[test]
    fn the_scan_survives_unterminated_strings_and_escapes() {
        for query in [
            "{ a(x: \"abc",
            "{ a(x: \"\"\"abc",
            "\"\\",
            "\"\"\"\\\"\"",
            "#",
            "\"",
            "..",
            "{ a(x: \"\\",
        ] {
            let _ = scan_default(query);
        }
    }

    #[test]
    fn the_scan_counts_tokens() {
        let limits = Limits {
            max_tokens: 13,
            ..Limits::default()
        };
        // query Q ( $ a : Int = 1.5e3 ) { f }
        assert!(scan("query Q($a: Int = 1.5e3) { f }", &limits).is_ok());
        let error = scan("{ a b c d e f g h i j k l }", &limits).unwrap_err();
        assert!(error.message.contains("maxTokens"), "{}", error.message);
    }
}
