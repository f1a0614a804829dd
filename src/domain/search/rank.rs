//! The ranking rules of name search, defined plainly: the [`Tier`] a key reaches for a query
//! (the list is in the docs of `search`), and the one-edit rule typos are forgiven by. The
//! inverted index ([`super::index`]) finds the same answers from its postings; [`tier`] is
//! what it is held to, and what ranks the ids written since an index was built.
//!
//! Below the graph: it reads folded keys ([`SearchKeys`]) and knows no `SkillGraph`.

use crate::domain::text::{SearchKeys, fold, within_one_edit};

/// Query words shorter than this must be typed without a typo.
pub(super) const TYPO_MIN_LEN: usize = 5;

/// Query words longer than this get no typo tier either: no label word is that long, and the
/// Levenshtein automaton and the scan it drives grow with the word (a 10,000-character search
/// took 200 ms on ESCO).
pub(super) const TYPO_MAX_LEN: usize = 40;

/// Whether a query word may match with one typo.
pub(super) fn typo_allowed(word: &str) -> bool {
    (TYPO_MIN_LEN..=TYPO_MAX_LEN).contains(&word.len())
}

/// How well a key matches a query; lower is better (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(in crate::domain) enum Tier {
    NameExact,
    NamePrefix,
    AliasExact,
    AliasPrefix,
    NameWords,
    AliasWords,
    NameSubstring,
    AliasSubstring,
    NameTypo,
    AliasTypo,
}

/// A folded query and its words.
pub(in crate::domain) struct Query {
    pub(super) text: String,
    pub(super) words: Vec<String>,
}

impl Query {
    pub(in crate::domain) fn new(raw: &str) -> Self {
        let text = fold(raw);
        let words = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        Query { text, words }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The tier of the best match of `keys` for `query` (not empty), or `None`: the ranking rules
/// written out directly, for the skills written since the index was built. The index gives
/// the same answers from its postings (a property test holds them to it).
pub(super) fn tier(keys: &SearchKeys, query: &Query) -> Option<Tier> {
    let (name, aliases) = (keys.name(), keys.aliases());
    let q = query.text.as_str();
    if name == q || keys.head() == q {
        return Some(Tier::NameExact);
    }
    if name.starts_with(q) {
        return Some(Tier::NamePrefix);
    }
    if aliases.iter().any(|a| a == q) {
        return Some(Tier::AliasExact);
    }
    if aliases.iter().any(|a| a.starts_with(q)) {
        return Some(Tier::AliasPrefix);
    }
    // A key can only match word by word or by substring if it contains every query word: one
    // `memmem` per word rules out almost every key before splitting it into words.
    let contains_all = |key: &str| query.words.iter().all(|w| key.contains(w.as_str()));
    let typos = query.words.iter().any(|w| typo_allowed(w));
    let levels = [
        (Match::Words, Tier::NameWords, Tier::AliasWords),
        (Match::Inside, Tier::NameSubstring, Tier::AliasSubstring),
        (Match::Typo, Tier::NameTypo, Tier::AliasTypo),
    ];
    for (how, on_name, on_alias) in levels {
        let worth = |key: &str| match how {
            Match::Words | Match::Inside => contains_all(key),
            // Without a long word, a typo match is a word match, already ruled out.
            Match::Typo => typos,
        };
        if worth(name) && words_match(name, query, how) {
            return Some(on_name);
        }
        if aliases
            .iter()
            .any(|a| worth(a) && words_match(a, query, how))
        {
            return Some(on_alias);
        }
    }
    None
}

#[derive(Clone, Copy)]
enum Match {
    /// Earlier words whole, the last a prefix.
    Words,
    /// Every word inside a word.
    Inside,
    /// As `Words`, one edit allowed on long words.
    Typo,
}

fn words_match(key: &str, query: &Query, how: Match) -> bool {
    let last = query.words.len() - 1;
    query.words.iter().enumerate().all(|(i, w)| {
        let is_last = i == last;
        key.split(' ').filter(|t| !t.is_empty()).any(|t| {
            let plain = if is_last {
                t.starts_with(w.as_str())
            } else {
                t == w
            };
            match how {
                Match::Words => plain,
                Match::Inside => t.contains(w.as_str()),
                Match::Typo => {
                    plain
                        || (typo_allowed(w)
                            && if is_last {
                                prefix_within_one_edit(w, t)
                            } else {
                                within_one_edit(w.as_bytes(), t.as_bytes())
                            })
                }
            }
        })
    })
}

/// Whether some prefix of `term` is within one edit of `word`.
fn prefix_within_one_edit(word: &str, term: &str) -> bool {
    let n = word.len();
    (n.saturating_sub(1)..=n + 1)
        .filter(|&p| p <= term.len())
        .any(|p| within_one_edit(word.as_bytes(), &term.as_bytes()[..p]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_means_one_substitution_insertion_deletion_or_swap() {
        let one = |a: &str, b: &str| within_one_edit(a.as_bytes(), b.as_bytes());
        assert!(one("python", "python"));
        assert!(one("python", "pythn"));
        assert!(one("python", "pythons"));
        assert!(one("python", "pyhton"));
        assert!(one("python", "pxthon"));
        assert!(!one("python", "pyhtno"));
        assert!(!one("python", "pyth"));
        assert!(prefix_within_one_edit("pyhto", "python"));
        assert!(!prefix_within_one_edit("pyhtn", "pyt"));
    }
}
