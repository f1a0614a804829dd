//! The label automaton of one snapshot: every folded name and alias of the skills in one
//! Aho-Corasick automaton, each label with the skills it mentions and its rarity, and text
//! folded so that a hit maps back to the characters it came from. The rules are in the docs
//! of `extract`.
//!
//! Below the graph: built from `(skill, keys)` pairs, it must not depend on `SkillGraph` or
//! on any question module.

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap as HashMap;

use crate::domain::text::{SearchKeys, fold, is_symbol_word};
use crate::domain::{Skill, SkillId};

/// Labels of at most this many folded characters must match the text case and all.
pub const SHORT_LABEL: usize = 2;

/// One folded label: the skills it mentions and what a match of it is worth.
pub(super) struct Label {
    pub(super) skills: Vec<SkillId>,
    pub(super) by_name: bool,
    pub(super) words: u32,
    pub(super) rarity: f64,
    /// For short labels only: the spellings the text must match exactly.
    exact: Vec<String>,
}

/// The labels of one snapshot as an automaton (see the module docs).
pub(in crate::domain) struct Matcher {
    automaton: AhoCorasick,
    pub(super) labels: Vec<Label>,
}

/// Text folded for matching, padded with a space at each end, with the character of the
/// original text each folded byte came from.
pub(super) struct Folded {
    pub(super) text: String,
    from: Vec<usize>,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'#'
}

impl Folded {
    /// Folds as [`fold`] does, character by character, so that positions map back.
    pub(super) fn new(text: &str) -> Self {
        let mut folded = Folded {
            text: String::with_capacity(text.len() + 2),
            from: Vec::with_capacity(text.len() + 2),
        };
        folded.push(b' ', 0);
        for (at, c) in text.chars().enumerate() {
            let mut buf = [0u8; 4];
            let ascii = if c.is_ascii() {
                c.encode_utf8(&mut buf)
            } else if is_symbol_word(c) {
                " "
            } else {
                deunicode::deunicode_char(c).unwrap_or(" ")
            };
            for b in ascii.bytes() {
                folded.push(b.to_ascii_lowercase(), at);
            }
        }
        let end = text.chars().count();
        folded.push(b' ', end);
        folded
    }

    fn push(&mut self, b: u8, at: usize) {
        if is_word(b) {
            self.text.push(char::from(b));
            self.from.push(at);
        } else if !self.text.ends_with(' ') {
            self.text.push(' ');
            self.from.push(at);
        }
    }

    /// The characters of the original text that folded bytes `start..end` came from.
    pub(super) fn chars(&self, start: usize, end: usize) -> (usize, usize) {
        (self.from[start], self.from[end - 1] + 1)
    }
}

/// A match of a label in folded text, on word boundaries: folded bytes `start..end`.
#[derive(Clone, Copy)]
pub(super) struct Hit {
    pub(super) label: usize,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Matcher {
    /// The matcher of `skills`, each with its folded keys (in any order: labels are numbered
    /// by skill id, so the same skills give the same matcher).
    pub(in crate::domain) fn build<'a>(
        skills: impl Iterator<Item = (&'a Skill, &'a SearchKeys)>,
    ) -> Self {
        let mut entries: Vec<(&Skill, &SearchKeys)> = skills.collect();
        entries.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
        let mut by_text: HashMap<&str, usize> = HashMap::default();
        let mut labels: Vec<Label> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        for &(skill, keys) in &entries {
            for (i, key) in keys.all().iter().enumerate() {
                if key.is_empty() {
                    continue;
                }
                let by_name = i == 0;
                let at = *by_text.entry(key.as_str()).or_insert_with(|| {
                    texts.push(key.as_str());
                    labels.push(Label {
                        skills: Vec::new(),
                        by_name,
                        words: key.split(' ').count() as u32,
                        rarity: 1.0,
                        exact: Vec::new(),
                    });
                    labels.len() - 1
                });
                let label = &mut labels[at];
                // A name beats an alias: an alias of another skill equal to this name no
                // longer mentions that one.
                if by_name && !label.by_name {
                    label.skills.clear();
                    label.by_name = true;
                }
                if by_name == label.by_name && !label.skills.contains(&skill.id) {
                    label.skills.push(skill.id.clone());
                }
                if key.len() <= SHORT_LABEL {
                    let spellings = std::iter::once(&skill.name).chain(&skill.aliases);
                    for spelling in spellings.map(|s| s.trim()) {
                        if fold(spelling) == *key && !label.exact.iter().any(|e| e == spelling) {
                            label.exact.push(spelling.to_owned());
                        }
                    }
                }
            }
        }
        let automaton = AhoCorasick::new(texts.iter().map(|t| format!(" {t} ")))
            .expect("a few hundred thousand short labels fit the automaton");
        let mut matcher = Matcher { automaton, labels };
        matcher.rank(&entries);
        matcher
    }

    /// Sets each label's rarity from the labels of every skill (see the module docs).
    fn rank(&mut self, entries: &[(&Skill, &SearchKeys)]) {
        let mut df = vec![0u32; self.labels.len()];
        let mut seen: Vec<usize> = Vec::new();
        for (_, keys) in entries {
            seen.clear();
            for key in keys.all().iter() {
                let padded = format!(" {key} ");
                for m in self.automaton.find_overlapping_iter(&padded) {
                    seen.push(m.pattern().as_usize());
                }
            }
            seen.sort_unstable();
            seen.dedup();
            for &label in &seen {
                df[label] += 1;
            }
        }
        let n = entries.len().max(1) as f64;
        for (label, df) in self.labels.iter_mut().zip(df) {
            label.rarity = (1.0 + n / f64::from(df.max(1))).ln() / (1.0 + n).ln();
        }
    }

    /// Every label found on word boundaries, overlapping, with short labels held to their
    /// exact spellings.
    pub(super) fn hits(&self, text: &str, folded: &Folded) -> Vec<Hit> {
        let mut bytes_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes_at.push(text.len());
        self.automaton
            .find_overlapping_iter(&folded.text)
            .filter_map(|m| {
                let hit = Hit {
                    label: m.pattern().as_usize(),
                    start: m.start() + 1,
                    end: m.end() - 1,
                };
                let label = &self.labels[hit.label];
                if !label.exact.is_empty() {
                    let (a, b) = folded.chars(hit.start, hit.end);
                    let written = &text[bytes_at[a]..bytes_at[b]];
                    if !label.exact.iter().any(|e| e == written) {
                        return None;
                    }
                }
                Some(hit)
            })
            .collect()
    }
}

/// Of overlapping hits, the longest, then the leftmost; the kept ones in text order.
pub(super) fn longest_first(mut hits: Vec<Hit>, folded_len: usize) -> Vec<Hit> {
    hits.sort_unstable_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    let mut taken = vec![false; folded_len];
    let mut kept = Vec::new();
    for hit in hits {
        if taken[hit.start..hit.end].iter().any(|&t| t) {
            continue;
        }
        taken[hit.start..hit.end].iter_mut().for_each(|t| *t = true);
        kept.push(hit);
    }
    kept.sort_unstable_by_key(|h| h.start);
    kept
}
