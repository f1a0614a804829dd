//! Job titles as ads write them, matched to roles: "Sr. Java Developer (m/w/d) - Berlin" to
//! the software developer.
//!
//! # What is set aside
//!
//! Ads wrap a title in things that are not the occupation:
//!
//! * gender markers, in parentheses or not: `(m/w/d)`, `(m/f/d)`, `(f/m/x)`, `(h/f)`, `m/w/d`;
//! * a location, a contract or remote work after ` - `, ` – `, ` — `, ` | ` or `, `, or in
//!   parentheses or brackets: "Frontend Developer - Berlin", "Nurse (Remote)";
//! * words that qualify the person, not the job ([`NOISE`]): seniority (senior, sr., junior,
//!   jr., lead, principal, staff, head, chief …), registration (registered, certified …),
//!   contract (remote, freelance, part time …);
//! * "and" and "&", which fold to one word or none.
//!
//! Only where they are noise: a gender marker is never part of a title, but the rest is set
//! aside step by step, and a label that contains the words wins over one that lacks them
//! ("Head Chef" is the head chef, not a chef; "Chief Executive Officer" the CEO).
//!
//! # Confidence
//!
//! How much of the title and of a role's label are the same words, as a Dice coefficient of
//! their folded words: `2·m / (t + l)`, where `l` counts the label's words, `t` the title's
//! words without the noise words the label lacks, and `m` the title words the label has (a
//! word one typo away, for words of five letters or more, counts 0.8; two words written as
//! one, "frontend" for "front end", count as one word). 1 is the label itself, words in any
//! order, noise aside; "registered nurse" → "adult nurse" is 2·1/(1+2) = 0.67; "java
//! developer" → "software developer" 2·1/(2+2) = 0.5. A role's confidence is its best label's.
//!
//! Among roles of equal confidence the one matching more title words comes first, then the
//! one more of whose labels share the title's words (the occupation the words usually name:
//! ESCO's nurse responsible for general care has a dozen "… nurse" labels), then the shorter
//! name, then the id.
//!
//! Only a title's first [`MAX_TITLE_WORDS`] words are read: a title is a few words, and each
//! costs a search.
//!
//! A domain module: it reads the graph's folded role keys and knows no GraphQL.

use std::sync::Arc;

use super::text::{SearchKeys, fold, within_one_edit};
use super::{Error, MatchOrder, Profile, Role, RoleId, RoleMatch, SkillGraph};

/// Folded words that qualify the person or the contract, not the occupation: set aside
/// unless a label has them.
pub const NOISE: &[&str] = &[
    "senior",
    "sr",
    "snr",
    "junior",
    "jr",
    "jnr",
    "lead",
    "principal",
    "staff",
    "head",
    "chief",
    "trainee",
    "graduate",
    "intern",
    "apprentice",
    "experienced",
    "entry",
    "level",
    "mid",
    "i",
    "ii",
    "iii",
    "iv",
    "registered",
    "certified",
    "qualified",
    "licensed",
    "chartered",
    "remote",
    "hybrid",
    "freelance",
    "contract",
    "interim",
    "temporary",
    "part",
    "full",
    "time",
];

/// Words that carry nothing on either side.
const STOP: &[&str] = &["and"];

/// How many words of a title are read: the rest is not a title.
pub const MAX_TITLE_WORDS: usize = 16;

/// How many candidates a title's searches gather, per search.
const CANDIDATES: usize = 60;

/// A candidate while ranking: confidence, title words matched, labels sharing a word with
/// the title, name length, the role, and the index of its best key.
type Ranked<'g> = (f64, usize, usize, usize, &'g Arc<Role>, usize);

/// One role a title may name.
#[derive(Clone, Debug)]
pub struct TitleCandidate {
    pub role: Arc<Role>,
    /// In 0–1; see the module docs.
    pub confidence: f64,
    /// The role's name or alias, as written, that matched best.
    pub label: String,
}

/// The answer for one title: the best role when its confidence reaches the threshold, and the
/// others worth showing.
#[derive(Clone, Debug)]
pub struct TitleMatch {
    pub title: String,
    pub best: Option<TitleCandidate>,
    pub alternatives: Vec<TitleCandidate>,
}

/// Whether `text` (lower-cased, spaces removed) is a gender marker: two to four parts joined
/// by `/`, each a gender letter or abbreviation ("m/w/d", "h/f", "f/m/x", "w/m/div").
fn is_gender_marker(text: &str) -> bool {
    const PARTS: &[&str] = &["m", "w", "d", "f", "x", "h", "a", "i", "div", "divers", "n"];
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if text == "allgenders" || text == "gn" {
        return true;
    }
    let parts: Vec<&str> = text.split(['/', '|']).collect();
    (2..=4).contains(&parts.len()) && parts.iter().all(|p| PARTS.contains(p))
}

/// `text` without gender markers, in parentheses or brackets or standing alone.
fn without_gender(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['(', '[']) {
        let close = if rest[open..].starts_with('(') {
            ')'
        } else {
            ']'
        };
        let Some(len) = rest[open + 1..].find(close) else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..open]);
        if !is_gender_marker(inner) {
            out.push_str(&rest[open..open + len + 2]);
        }
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    out.split_whitespace()
        .filter(|w| !is_gender_marker(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` up to a location or contract suffix, without what stands in parentheses or
/// brackets.
fn without_suffixes(text: &str) -> String {
    let cut = [" - ", " – ", " — ", " | ", ", ", " @ "]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .unwrap_or(text.len());
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text[..cut].chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The folded words of `text`, "and" left out.
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(String::from)
        .collect()
}

/// What a search for a role by title tries, in order, each only when the one before finds
/// nothing: the text without gender markers; then without a location suffix and parenthesised
/// parts; then without the noise words (when words remain). Distinct, none blank.
pub(in crate::domain) fn query_variants(raw: &str) -> Vec<String> {
    let plain = without_gender(raw);
    let bare = without_suffixes(&plain);
    let core: Vec<String> = words(&bare)
        .into_iter()
        .filter(|w| !NOISE.contains(&w.as_str()))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for v in [plain, bare, core.join(" ")] {
        let folded = fold(&v);
        if !folded.is_empty() && !out.iter().any(|o| fold(o) == folded) {
            out.push(v);
        }
    }
    out
}

/// A title's words, each marked noise or not.
struct TitleWords {
    words: Vec<(String, bool)>,
}

impl TitleWords {
    fn new(raw: &str) -> Self {
        let bare = without_suffixes(&without_gender(raw));
        let mut words: Vec<(String, bool)> = words(&bare)
            .into_iter()
            .map(|w| {
                let noise = NOISE.contains(&w.as_str());
                (w, noise)
            })
            .collect();
        // A title of noise words only ("Senior", "Head") means them.
        if words.iter().all(|(_, noise)| *noise) {
            for w in &mut words {
                w.1 = false;
            }
        }
        TitleWords { words }
    }

    fn core(&self) -> impl Iterator<Item = &str> {
        self.words
            .iter()
            .filter(|(_, noise)| !noise)
            .map(|(w, _)| w.as_str())
    }

    /// The Dice score against one folded label, and how many title words it matched.
    fn score(&self, label: &str) -> (f64, usize) {
        let mut label: Vec<&str> = label
            .split(' ')
            .filter(|w| !w.is_empty() && !STOP.contains(w))
            .collect();
        let title: Vec<&str> = self.words.iter().map(|(w, _)| w.as_str()).collect();
        // Two label words the title writes as one ("front end" / "frontend") count as one.
        let mut merged: Vec<String> = Vec::with_capacity(label.len());
        let mut i = 0;
        while i < label.len() {
            if i + 1 < label.len() {
                let joined = format!("{}{}", label[i], label[i + 1]);
                if title.contains(&joined.as_str()) {
                    merged.push(joined);
                    i += 2;
                    continue;
                }
            }
            merged.push(label[i].to_owned());
            i += 1;
        }
        label = merged.iter().map(String::as_str).collect();
        let mut used = vec![false; label.len()];
        let (mut matched, mut count, mut title_len) = (0.0, 0usize, 0usize);
        let mut pending: Vec<(usize, bool)> = Vec::new();
        // Exact words first, so that a typo match cannot take a word an exact one needs.
        for (i, (w, noise)) in self.words.iter().enumerate() {
            match (0..label.len()).find(|&j| !used[j] && label[j] == w) {
                Some(j) => {
                    used[j] = true;
                    matched += 1.0;
                    count += 1;
                    title_len += 1;
                }
                None => pending.push((i, *noise)),
            }
        }
        // Two title words the label writes as one ("book keeper" / "bookkeeper").
        let mut skip = vec![false; self.words.len()];
        for k in 0..pending.len().saturating_sub(1) {
            let ((a, _), (b, _)) = (pending[k], pending[k + 1]);
            if b != a + 1 || skip[a] {
                continue;
            }
            let joined = format!("{}{}", self.words[a].0, self.words[b].0);
            if let Some(j) = (0..label.len()).find(|&j| !used[j] && label[j] == joined) {
                used[j] = true;
                matched += 1.0;
                count += 1;
                title_len += 1;
                skip[a] = true;
                skip[b] = true;
            }
        }
        for (i, noise) in pending {
            if skip[i] {
                continue;
            }
            let w = self.words[i].0.as_str();
            let typo = (w.len() >= 5)
                .then(|| {
                    (0..label.len())
                        .find(|&j| !used[j] && within_one_edit(w.as_bytes(), label[j].as_bytes()))
                })
                .flatten();
            match typo {
                Some(j) => {
                    used[j] = true;
                    matched += 0.8;
                    count += 1;
                    title_len += 1;
                }
                _ if noise => {}
                _ => title_len += 1,
            }
        }
        if title_len + label.len() == 0 {
            return (0.0, 0);
        }
        (2.0 * matched / (title_len + label.len()) as f64, count)
    }
}

impl SkillGraph {
    /// The role `title` names, as the module docs say: the best one when its confidence is at
    /// least `min_confidence`, and up to `alternatives` others (the best one among them when
    /// it falls short), best first.
    pub fn normalize_title(
        &self,
        title: &str,
        min_confidence: f64,
        alternatives: usize,
    ) -> TitleMatch {
        let full = title;
        // A title is a few words; reading only the first ones bounds the work a long text
        // passed as a title can cause (one search per word, each label scored per word).
        let title = &full
            .split_whitespace()
            .take(MAX_TITLE_WORDS)
            .collect::<Vec<_>>()
            .join(" ");
        let words = TitleWords::new(title);
        // Candidates: the roles a search finds for the title as written and stripped, and
        // for each of its words alone (a title sharing some words with a label).
        let mut ids: Vec<RoleId> = Vec::new();
        let mut add = |hits: Vec<&Arc<Role>>| {
            for r in hits {
                if !ids.contains(&r.id) {
                    ids.push(r.id.clone());
                }
            }
        };
        for q in query_variants(title) {
            add(self.search_roles_plain(&q, CANDIDATES));
        }
        let all: Vec<&str> = words.words.iter().map(|(w, _)| w.as_str()).collect();
        for w in words.core().filter(|w| w.len() > 1) {
            add(self.search_roles_plain(w, CANDIDATES));
        }
        let mut ranked: Vec<Ranked<'_>> = ids
            .iter()
            .filter_map(|id| {
                let (role, keys) = self.keyed_role(id)?;
                let (confidence, matched, key) = best_label(&words, keys)?;
                let support = keys
                    .all()
                    .iter()
                    .filter(|k| k.split(' ').any(|w| all.contains(&w)))
                    .count();
                Some((confidence, matched, support, keys.name_len(), role, key))
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(b.2.cmp(&a.2))
                .then(a.3.cmp(&b.3))
                .then(a.4.id.cmp(&b.4.id))
        });
        // Only the answers' labels are looked up as written.
        let mut found = ranked
            .into_iter()
            .map(|(confidence, _, _, _, role, key)| TitleCandidate {
                role: role.clone(),
                confidence,
                label: written_label(role, key),
            });
        let best = match found.next() {
            Some(top) if top.confidence >= min_confidence => Some(top),
            Some(top) => {
                return TitleMatch {
                    title: full.to_owned(),
                    best: None,
                    alternatives: std::iter::once(top)
                        .chain(found)
                        .take(alternatives)
                        .collect(),
                };
            }
            None => None,
        };
        TitleMatch {
            title: full.to_owned(),
            best,
            alternatives: found.take(alternatives).collect(),
        }
    }
}

impl SkillGraph {
    /// [`match_roles_by`](Self::match_roles_by), steered by a job ad's title when ordered by
    /// [`MatchOrder::Overlap`] (the "which role is this ad?" question): the role the title
    /// names, at confidence 0.5 or more, comes first, whatever its overlap (kept out when
    /// `among` leaves it out or it is the profile's current role). An ad's skills alone can
    /// name a neighbour: a data engineer's ad lists the Python and SQL a data scientist's
    /// does, and its title says which it is. Other orders ignore the title.
    pub fn match_roles_titled(
        &self,
        profile: &Profile,
        among: Option<&[RoleId]>,
        order: MatchOrder,
        limit: usize,
        title: Option<&str>,
    ) -> Result<Vec<RoleMatch>, Error> {
        let mut matches = self.match_roles_by(profile, among, order, limit)?;
        let Some(title) = title.filter(|_| order == MatchOrder::Overlap && limit > 0) else {
            return Ok(matches);
        };
        let Some(named) = self.normalize_title(title, 0.5, 0).best else {
            return Ok(matches);
        };
        let id = named.role.id.clone();
        if among.is_some_and(|a| !a.contains(&id)) {
            return Ok(matches);
        }
        if let Some(i) = matches.iter().position(|m| m.role == id) {
            let m = matches.remove(i);
            matches.insert(0, m);
            return Ok(matches);
        }
        // Not among the best by overlap: its own match, first (none for the current role).
        if let Some(m) = self.match_roles_by(profile, Some(&[id]), order, 1)?.pop() {
            matches.insert(0, m);
            matches.truncate(limit);
        }
        Ok(matches)
    }
}

/// The best-scoring folded key of a role: its confidence, the title words it matched and its
/// index; `None` when no key shares a word with the title.
fn best_label(words: &TitleWords, keys: &SearchKeys) -> Option<(f64, usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    for (i, key) in keys.all().iter().enumerate() {
        let (score, matched) = words.score(key);
        if matched > 0 && best.is_none_or(|(s, m, _)| (score, matched) > (s, m)) {
            best = Some((score, matched, i));
        }
    }
    best
}

/// The name or alias, as written, whose folded form is key `index` of the role's keys (the
/// name is key 0; the aliases follow in order, those folding to an earlier key left out).
fn written_label(role: &Role, index: usize) -> String {
    let keys = SearchKeys::new(&role.name, &role.aliases);
    let key = &keys.all()[index];
    std::iter::once(&role.name)
        .chain(&role.aliases)
        .find(|l| fold(l) == *key)
        .cloned()
        .unwrap_or_else(|| role.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gender_markers_locations_and_parentheses_are_set_aside() {
        assert_eq!(without_gender("Java Developer (m/w/d)"), "Java Developer");
        assert_eq!(without_gender("Koch (H/F) Paris"), "Koch Paris");
        assert_eq!(without_gender("Nurse m/f/d"), "Nurse");
        assert_eq!(
            without_gender("Research scientist (ML)"),
            "Research scientist (ML)"
        );
        assert_eq!(
            without_suffixes("Frontend Developer - Berlin"),
            "Frontend Developer"
        );
        assert_eq!(without_suffixes("Barista | Part-time"), "Barista");
        assert_eq!(without_suffixes("Chef (Remote) ").trim(), "Chef");
        assert_eq!(
            query_variants("Senior Bookkeeper (f/m/x) - London"),
            [
                "Senior Bookkeeper - London",
                "Senior Bookkeeper",
                "bookkeeper"
            ]
        );
        assert_eq!(query_variants("head"), ["head"], "a noise word alone stays");
    }

    fn roles(names: &[(&str, &str, &[&str])]) -> SkillGraph {
        let mut g = crate::domain::graph::tests::graph(&[]);
        for (id, name, aliases) in names {
            g.upsert_role(Role {
                category: None,
                id: RoleId::parse(id).unwrap(),
                name: (*name).into(),
                description: None,
                aliases: aliases.iter().map(|a| (*a).into()).collect(),
                requirements: vec![],
                external_id: None,
            })
            .unwrap();
        }
        g
    }

    #[test]
    fn a_label_with_the_noise_words_wins_and_a_weak_match_has_no_role() {
        let g = roles(&[
            ("chef", "chef", &["commis chef"]),
            ("head-chef", "head chef", &["executive chef"]),
            ("ceo", "chief executive officer", &["CEO"]),
            ("dev", "software developer", &["programmer"]),
            ("web", "web developer", &[]),
        ]);
        let best = |t: &str| {
            let m = g.normalize_title(t, 0.5, 3);
            m.best.map(|b| (b.role.id.to_string(), b.label))
        };
        assert_eq!(
            best("Head Chef (m/w/d)"),
            Some(("head-chef".into(), "head chef".into()))
        );
        assert_eq!(
            best("Senior Chef - Paris"),
            Some(("chef".into(), "chef".into()))
        );
        assert_eq!(best("CEO"), Some(("ceo".into(), "CEO".into())));
        // A third of the words: below the threshold, the role is null, the alternatives stay.
        let weak = g.normalize_title("Developer Relations Advocate", 0.5, 3);
        assert!(weak.best.is_none());
        assert_eq!(weak.alternatives.len(), 2);
        assert!(weak.alternatives[0].confidence < 0.5);
        assert!(
            g.normalize_title("Astronaut", 0.5, 3)
                .alternatives
                .is_empty()
        );
        // Blank, marker-only and overlong titles answer, and do not panic.
        let long = "chef ".repeat(10_000);
        for odd in ["", "  ", "(m/w/d)", "- | ()", long.as_str()] {
            let m = g.normalize_title(odd, 0.5, 3);
            assert_eq!(m.title, odd);
        }
        let padded = format!("chef {}", "x ".repeat(5_000));
        let read = g.normalize_title(&padded, 0.5, 3).alternatives[0].confidence;
        assert!(
            (read - 2.0 / 17.0).abs() < 1e-9,
            "the words past the first sixteen are not read: {read}"
        );
        // The same rules in search: the noise is set aside only when the words find nothing.
        let search = |q: &str| -> Vec<String> {
            g.search_roles(q, 10)
                .into_iter()
                .map(|r| r.id.to_string())
                .collect()
        };
        assert_eq!(
            search("head"),
            ["head-chef"],
            "a person typing \"head\" gets suggestions"
        );
        assert_eq!(search("Sr. Programmer (m/w/d) - Berlin"), ["dev"]);
        assert_eq!(search("head chef"), ["head-chef"]);
    }

    #[test]
    fn confidence_is_the_dice_coefficient_of_the_words_noise_aside() {
        let score = |title: &str, label: &str| TitleWords::new(title).score(&fold(label)).0;
        assert_eq!(score("Bookkeeper", "bookkeeper"), 1.0);
        assert_eq!(score("Sr. Bookkeeper", "bookkeeper"), 1.0);
        assert_eq!(score("Head Chef", "head chef"), 1.0);
        assert_eq!(
            score("Head Chef", "chef"),
            1.0,
            "noise the label lacks is set aside"
        );
        assert_eq!(score("Java Developer", "software developer"), 0.5);
        assert!((score("Registered Nurse", "adult nurse") - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(score("Frontend Developer", "front end developer"), 1.0);
        assert_eq!(score("Book Keeper", "bookkeeper"), 1.0);
        assert_eq!(
            score("Sales & Marketing Manager", "sales and marketing manager"),
            1.0
        );
        assert!(
            (score("Bookeeper", "bookkeeper") - 0.8).abs() < 1e-9,
            "one typo"
        );
        assert_eq!(score("Plumber", "electrician"), 0.0);
    }
}
