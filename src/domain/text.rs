//! How names are compared: text folded for matching, and the folded name and aliases of a
//! skill or role ([`SearchKeys`]). Search and extraction both read names through this, so that
//! a query and a mention are folded the same way.
//!
//! A value module at the bottom floor: it depends on no other module of the domain.

use std::sync::Arc;

/// Folds text for matching: transliterated to ASCII (`é` → `e`, `ß` → `ss`), lower-cased, and
/// with runs of anything that is not a letter or digit collapsed to one space.
pub(in crate::domain) fn fold(text: &str) -> String {
    let words: String = text
        .chars()
        .map(|c| if is_symbol_word(c) { ' ' } else { c })
        .collect();
    let ascii = deunicode::deunicode(&words).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '#')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `c` is a symbol that transliteration would turn into a word: deunicode reads "☁"
/// as "cloud" and "💻" as "computer", which would make an emoji mention a skill. Such a
/// character separates words instead. Letters, digits and combining marks (which
/// transliterate to nothing) are not symbols.
pub(in crate::domain) fn is_symbol_word(c: char) -> bool {
    !c.is_ascii()
        && !c.is_alphanumeric()
        && deunicode::deunicode_char(c)
            .is_some_and(|t| t.bytes().any(|b| b.is_ascii_alphanumeric()))
}

/// The folded name and aliases of one skill or role: the name first, then each alias that
/// folds to something new (an alias equal to the name can never rank a hit higher).
#[derive(Clone, Debug, Default)]
pub(in crate::domain) struct SearchKeys(Arc<[String]>, usize);

impl SearchKeys {
    pub(in crate::domain) fn new(name: &str, aliases: &[String]) -> Self {
        let folded = fold(name);
        let head = head_words(name, &folded);
        let mut keys: Vec<String> = vec![folded];
        for alias in aliases {
            let alias = fold(alias);
            if !alias.is_empty() && !keys.contains(&alias) {
                keys.push(alias);
            }
        }
        Self(keys.into(), head)
    }

    pub(in crate::domain) fn name(&self) -> &str {
        &self.0[0]
    }

    /// How many words of the folded name come before a closing parenthetical qualifier
    /// ("Java (computer programming)": 1), or all of them when there is none. ESCO tells
    /// homonyms apart so, and a person typing "java" means that skill: the head counts as the
    /// name for an exact match (see `search`).
    pub(in crate::domain) fn head_words(&self) -> usize {
        self.1
    }

    /// The folded name up to its qualifier (all of it when it has none).
    pub(in crate::domain) fn head(&self) -> &str {
        let name = self.name();
        match name.match_indices(' ').nth(self.1.wrapping_sub(1)) {
            Some((at, _)) if self.1 > 0 => &name[..at],
            _ => name,
        }
    }

    /// The folded aliases that differ from the name and each other.
    pub(in crate::domain) fn aliases(&self) -> &[String] {
        &self.0[1..]
    }

    /// The folded name, then the folded aliases that differ from it and each other.
    pub(in crate::domain) fn all(&self) -> &[String] {
        &self.0
    }

    /// The tie-break length: of the folded name, in bytes (folded text is ASCII).
    pub(in crate::domain) fn name_len(&self) -> usize {
        self.0[0].len()
    }
}

/// The number of words of `folded` (the folded `name`) before a qualifier in parentheses that
/// ends the name; all its words when there is none, or nothing stands before it.
fn head_words(name: &str, folded: &str) -> usize {
    let all = folded.split(' ').filter(|w| !w.is_empty()).count();
    let name = name.trim_end();
    if !name.ends_with(')') {
        return all;
    }
    match name.find('(').map(|at| fold(&name[..at])) {
        Some(head) if !head.is_empty() => head.split(' ').count(),
        _ => all,
    }
}

/// Whether `a` and `b` are at most one substitution, insertion, deletion or swap of two
/// neighbouring letters apart: the one typo search forgives (see `search::rank`) and title
/// matching counts (see `titles`).
pub(in crate::domain) fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let Some(i) = short.iter().zip(long).position(|(x, y)| x != y) else {
        return true;
    };
    if short.len() == long.len() {
        short[i + 1..] == long[i + 1..]
            || (i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..])
    } else {
        short[i..] == long[i + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Régression   LOGISTIQUE! "), "regression logistique");
        assert_eq!(fold("C++ / C#"), "c++ c#");
    }

    #[test]
    fn the_head_of_a_name_stops_at_a_closing_qualifier() {
        let head = |name: &str| SearchKeys::new(name, &[]).head().to_owned();
        assert_eq!(head("Java (computer programming)"), "java");
        assert_eq!(head("Apache Spark (big data)"), "apache spark");
        assert_eq!(head("Research scientist (ML)"), "research scientist");
        assert_eq!(head("Python"), "python");
        assert_eq!(
            head("(ML)"),
            "ml",
            "nothing before the qualifier: the whole name"
        );
        assert_eq!(head("C (programming) basics"), "c programming basics");
    }
}
