//! Skills mentioned in free text (a job ad, a CV, a course description), found by the names
//! and aliases of the graph's skills.
//!
//! # Matching
//!
//! Text and labels are folded as search folds them ([`fold`]: accents transliterated, case
//! lowered, every run of characters other than letters, digits, `+` and `#` one space), and a
//! label matches where its folded words stand in the folded text as whole words: "R" never
//! matches inside "Rust", "C" never inside "C++". Labels of at most [`SHORT_LABEL`] characters
//! (R, C, Go, UX) are ordinary words or initials in most text, so they match only where the
//! text has them exactly as the taxonomy writes them, case and all ("R", not "r" or "or").
//!
//! Where matches overlap, the longest (in folded characters) wins, then the leftmost:
//! "machine learning engineering" is one mention, not also "machine learning" and
//! "engineering". A label shared by several skills mentions the skills whose name it is, or
//! failing that, every skill whose alias it is.
//!
//! # Score
//!
//! Each mention of a skill scores `kind × rarity × length / skills`, in (0, 1), and a skill
//! mentioned `count` times scores `1 − (1 − best)^count` from its best mention: read each
//! mention as evidence the skill is meant with probability `best`, the score is the chance one
//! of them is. One mention scores `best`; more raise it toward 1, never past it.
//! - `kind` is 1 for the skill's name and [`ALIAS_WEIGHT`] for an alias: taxonomies fill
//!   aliases with near-misses (ESCO lists "Myrtle" for spreadsheets);
//! - `rarity` is `ln(1 + N / df) / ln(1 + N)` over the `N` skills, `df` being how many skills
//!   have a label containing this label as whole words: "communication" sits in hundreds of
//!   ESCO labels and says little, "Haskell" in one;
//! - `length` is `words / (words + 1)`: a longer label is a more specific claim;
//! - `skills` is how many skills the label mentions at once.
//!
//! Scores are in [0, 1] and mean the same on every taxonomy: `rarity` is normalised by the
//! graph's size (a label only one skill carries has rarity 1 in the seed and in ESCO alike), so
//! a `minScore` of 0.5 keeps, everywhere, a name unique to its skill (0.5 for one word), a
//! unique alias of two words or more (0.53) or a unique one-word alias mentioned twice (0.64),
//! and drops labels many skills contain mentioned once. (It was
//! `best × (1 + ln count)`, unbounded above, until issue 20.)
//!
//! # Offsets
//!
//! `start` and `end` count Unicode scalar values (Rust `char`s) of the text as given, end
//! exclusive. Folding can change lengths ("ß" → "ss", "北" → "bei"), so every folded byte
//! remembers the character it came from, and a mention maps back through that.
//!
//! # Per snapshot
//!
//! The matcher (an Aho-Corasick automaton over every folded label, from the `aho-corasick`
//! crate) depends only on skills' names and aliases. It is built on the first extraction of a
//! snapshot and shared by its clones, like the role index: a write never pays for it, and only
//! writes that change a name, an alias or the set of skills drop it. A server rebuilds a
//! dropped one in the background (`Catalog::keep_extraction_warm`). The matcher is in
//! [`matcher`]; this file reads its hits as mentions and scores them.
//!
//! [`fold`]: super::text::fold

pub(super) mod matcher;

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::graph::SkillGraph;
use super::{Level, Profile, SkillId};
pub use matcher::SHORT_LABEL;
use matcher::{Folded, Label, longest_first};

/// What an alias counts for against a name (1).
pub const ALIAS_WEIGHT: f64 = 0.8;

/// The level a skill the text mentions is held at in a profile read from text: a mention shows
/// the person met the skill, not how deeply, so level 2 (beginner) rather than 3. It is also
/// the level a prerequisite is needed at by default, so a mentioned skill opens what needs it
/// as a prerequisite, while a role asking for a practitioner still shows it under level.
pub const MENTIONED_LEVEL: Level = Level::DEFAULT_PREREQUISITE;

/// One skill the text mentions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mention {
    pub skill: SkillId,
    /// The text of its first mention, as written.
    pub matched: String,
    /// Character offsets of the first mention (see the module docs), end exclusive.
    pub start: usize,
    pub end: usize,
    /// How many times the text mentions it.
    pub count: u32,
    pub score: f64,
}

/// What a mention of `label` is worth, before the count factor (see the module docs).
fn score(label: &Label) -> f64 {
    let kind = if label.by_name { 1.0 } else { ALIAS_WEIGHT };
    let words = f64::from(label.words);
    kind * label.rarity * words / (words + 1.0) / label.skills.len() as f64
}

impl SkillGraph {
    /// Builds this snapshot's matcher now, so that the first extraction does not wait for it.
    pub fn prepare_extraction(&self) {
        self.matcher();
    }

    /// The skills `text` mentions, best score first (ties by first mention, then id), at most
    /// `limit`. See the module docs for the rules.
    pub fn extract_skills(&self, text: &str, limit: usize) -> Vec<Mention> {
        let matcher = self.matcher();
        let folded = Folded::new(text);
        let hits = longest_first(matcher.hits(text, &folded), folded.text.len());
        let mut chars: Vec<char> = Vec::new();
        let mut by_skill: HashMap<&SkillId, (Mention, f64)> = HashMap::default();
        for hit in hits {
            let label = &matcher.labels[hit.label];
            let (start, end) = folded.chars(hit.start, hit.end);
            for skill in &label.skills {
                let (mention, best) = by_skill.entry(skill).or_insert_with(|| {
                    if chars.is_empty() {
                        chars = text.chars().collect();
                    }
                    let mention = Mention {
                        skill: skill.clone(),
                        matched: chars[start..end].iter().collect(),
                        start,
                        end,
                        count: 0,
                        score: 0.0,
                    };
                    (mention, 0.0)
                });
                mention.count += 1;
                *best = best.max(score(label));
            }
        }
        let mut mentions: Vec<Mention> = by_skill
            .into_values()
            .map(|(mut m, best)| {
                m.score = 1.0 - (1.0 - best).powi(m.count.min(i32::MAX as u32) as i32);
                m
            })
            .collect();
        mentions.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.start.cmp(&b.start))
                .then(a.skill.cmp(&b.skill))
        });
        mentions.truncate(limit);
        mentions
    }

    /// `profile` with the skills `text` mentions added at [`MENTIONED_LEVEL`], except those
    /// it lists itself (an explicit level wins). A current role still counts as held at its
    /// levels: holdings take the higher of the role's level and the text's.
    pub fn with_text(&self, mut profile: Profile, text: &str) -> Profile {
        for mention in self.extract_skills(text, usize::MAX) {
            if !profile.skills.iter().any(|(s, _)| *s == mention.skill) {
                profile.skills.push((mention.skill, MENTIONED_LEVEL));
            }
        }
        profile
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search::tests::named;

    fn found(g: &SkillGraph, text: &str) -> Vec<(String, String, usize, usize, u32)> {
        let mut all: Vec<_> = g
            .extract_skills(text, usize::MAX)
            .into_iter()
            .map(|m| (m.skill.to_string(), m.matched, m.start, m.end, m.count))
            .collect();
        all.sort_by_key(|m| m.2);
        all
    }

    fn ids(g: &SkillGraph, text: &str) -> Vec<String> {
        found(g, text).into_iter().map(|m| m.0).collect()
    }

    #[test]
    fn the_longest_of_overlapping_matches_wins() {
        let g = named(&[
            ("ml", "machine learning", &[]),
            ("mle", "machine learning engineering", &[]),
            ("eng", "engineering", &[]),
        ]);
        assert_eq!(
            ids(&g, "We want Machine Learning Engineering, and engineering."),
            ["mle", "eng"]
        );
        assert_eq!(ids(&g, "machine learning"), ["ml"]);
    }

    #[test]
    fn symbols_are_not_read_as_words() {
        // deunicode transliterates "☁" as "cloud" and "💻" as "computer".
        let g = named(&[
            ("cloud", "cloud", &[]),
            ("computer", "computer", &[]),
            ("cafe", "café", &[]),
        ]);
        assert_eq!(ids(&g, "☁ 💻 ☁️ and a ☕"), Vec::<String>::new());
        assert_eq!(ids(&g, "cloud☁computer"), ["cloud", "computer"]);
        // Combining marks still fold into their letter, not into a word break.
        assert_eq!(ids(&g, "a cafe\u{301} now"), ["cafe"]);
    }

    #[test]
    fn labels_match_on_word_boundaries_only() {
        let g = named(&[
            ("r", "R", &[]),
            ("c", "C", &[]),
            ("cpp", "C++", &[]),
            ("rust", "Rust", &[]),
        ]);
        assert_eq!(ids(&g, "Rust and C++ for Trust"), ["rust", "cpp"]);
        assert_eq!(ids(&g, "Stats in R, systems in C."), ["r", "c"]);
    }

    #[test]
    fn short_labels_match_only_as_the_taxonomy_writes_them() {
        let g = named(&[("r", "R", &[]), ("go", "Go", &["golang"])]);
        assert_eq!(ids(&g, "r u ready to go?"), Vec::<String>::new());
        assert_eq!(ids(&g, "Go and Golang and R"), ["go", "r"]);
    }

    #[test]
    fn case_and_accents_are_folded_and_offsets_count_characters() {
        let g = named(&[
            ("cafe", "café management", &[]),
            ("strasse", "Straße planning", &[]),
        ]);
        let text = "Ünïcode: CAFE MANAGEMENT — and strasse planning, then Straße Planning.";
        let all = found(&g, text);
        assert_eq!(all.len(), 2);
        let chars: Vec<char> = text.chars().collect();
        for (_, matched, start, end, _) in &all {
            assert_eq!(chars[*start..*end].iter().collect::<String>(), *matched);
        }
        assert_eq!(all[0].1, "CAFE MANAGEMENT");
        assert_eq!((all[0].2, all[0].3), (9, 24));
        assert_eq!(all[1].1, "strasse planning");
        assert_eq!(all[1].4, 2, "both spellings of Straße count");
    }

    #[test]
    fn a_label_folded_to_several_letters_maps_back_to_its_one_character() {
        let g = named(&[("strasse", "strasse", &[]), ("bei", "bei jing", &[])]);
        // "ß" folds to "ss", and "北京" to "bei jing": two words from two characters.
        let all = found(&g, "aß Straße 北京!");
        assert_eq!(
            all,
            [
                ("strasse".into(), "Straße".into(), 3, 9, 1),
                ("bei".into(), "北京".into(), 10, 12, 1)
            ]
        );
    }

    #[test]
    fn scores_lie_in_zero_to_one_and_a_unique_name_scores_the_same_in_any_taxonomy() {
        let small = named(&[("hs", "Haskell", &[]), ("ml", "machine learning", &[])]);
        let mut many: Vec<(String, String)> = (0..500)
            .map(|i| (format!("s{i}"), format!("skill{i}")))
            .collect();
        many.push(("hs".into(), "Haskell".into()));
        many.push(("ml".into(), "machine learning".into()));
        let refs: Vec<(&str, &str, &[&str])> = many
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str(), &[][..]))
            .collect();
        let large = named(&refs);
        let score = |g: &SkillGraph, text: &str, id: &str| {
            g.extract_skills(text, 10)
                .into_iter()
                .find(|m| m.skill.as_str() == id)
                .map(|m| m.score)
                .unwrap()
        };
        for g in [&small, &large] {
            // A unique one-word name: 1 × 1 × 1/2; a unique two-word name: 2/3.
            assert!((score(g, "Haskell", "hs") - 0.5).abs() < 1e-12);
            assert!((score(g, "machine learning", "ml") - 2.0 / 3.0).abs() < 1e-12);
            // Mentioned often, toward 1 and never past it.
            let often = score(g, &"Haskell ".repeat(60), "hs");
            assert!(often > 0.999 && often <= 1.0, "{often}");
        }
    }

    #[test]
    fn names_score_above_aliases_and_rare_labels_above_common_ones() {
        let g = named(&[
            ("py", "Python", &["snake"]),
            ("comm", "communication", &[]),
            ("bcomm", "business communication", &[]),
            ("wcomm", "written communication", &[]),
            ("hs", "Haskell", &["functional lang"]),
        ]);
        let score = |text: &str, id: &str| {
            g.extract_skills(text, 10)
                .into_iter()
                .find(|m| m.skill.as_str() == id)
                .map(|m| m.score)
                .unwrap()
        };
        assert!(score("Python", "py") > score("snake", "py"));
        assert!(score("Haskell", "hs") > score("communication", "comm"));
        // Mentioned twice, a skill scores higher than once.
        assert!(score("Python and Python", "py") > score("Python", "py"));
        let first = g.extract_skills("communication, Haskell", 1);
        assert_eq!(first[0].skill.as_str(), "hs");
    }

    #[test]
    fn a_name_wins_a_label_an_alias_of_another_skill_shares() {
        let g = named(&[("java", "Java", &[]), ("coffee", "coffee", &["Java"])]);
        assert_eq!(ids(&g, "Java"), ["java"]);
    }

    #[test]
    fn renaming_a_skill_is_seen_by_the_next_extraction() {
        let mut g = named(&[("py", "Python", &[])]);
        assert_eq!(ids(&g, "Python, Snake"), ["py"]);
        let mut s = Skill::clone(g.skill("py").unwrap());
        s.name = "Snake".into();
        g.upsert_skill(s).unwrap();
        assert_eq!(ids(&g, "Python, Snake"), ["py"]);
        assert_eq!(found(&g, "Python, Snake")[0].1, "Snake");
    }

    #[test]
    fn text_adds_mentioned_skills_at_the_mentioned_level_and_explicit_levels_win() {
        let g = named(&[("py", "Python", &[]), ("hs", "Haskell", &[])]);
        let explicit = Profile {
            skills: vec![(SkillId::parse("py").unwrap(), Level::MAX)],
            role: None,
        };
        let profile = g.with_text(explicit, "Python, Haskell");
        assert_eq!(
            profile.skills,
            [
                (SkillId::parse("py").unwrap(), Level::MAX),
                (SkillId::parse("hs").unwrap(), MENTIONED_LEVEL)
            ]
        );
    }

    use crate::domain::Skill;
}
