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
pub(in crate::domain) struct SearchKeys(Arc<[String]>);

impl SearchKeys {
    pub(in crate::domain) fn new(name: &str, aliases: &[String]) -> Self {
        let mut keys: Vec<String> = vec![fold(name)];
        for alias in aliases {
            let alias = fold(alias);
            if !alias.is_empty() && !keys.contains(&alias) {
                keys.push(alias);
            }
        }
        Self(keys.into())
    }

    pub(in crate::domain) fn name(&self) -> &str {
        &self.0[0]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Régression   LOGISTIQUE! "), "regression logistique");
        assert_eq!(fold("C++ / C#"), "c++ c#");
    }
}
