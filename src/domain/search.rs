//! Name search over skills and roles: case-insensitive, accents folded, and ranked so that an
//! exact name beats a prefix, which beats a word prefix, which beats a substring.
//!
//! Names are folded once when a skill or role is written ([`SearchKeys`]), so a query costs one
//! pass of cheap byte comparisons over the graph rather than re-folding every name per query.

use std::sync::Arc;

use super::graph::SkillGraph;
use super::{CategoryId, Role, Skill};

/// Folds text for matching: transliterated to ASCII (`é` → `e`, `ß` → `ss`), lower-cased, and
/// with runs of anything that is not a letter or digit collapsed to one space.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '#')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The folded name and aliases of one skill or role.
#[derive(Clone, Debug, Default)]
pub(super) struct SearchKeys(Arc<[String]>);

impl SearchKeys {
    pub(super) fn new(name: &str, aliases: &[String]) -> Self {
        let keys: Vec<String> = std::iter::once(name)
            .chain(aliases.iter().map(String::as_str))
            .map(fold)
            .collect();
        Self(keys.into())
    }

    /// The best rank of any key for `query` (already folded): 0 exact, 1 prefix, 2 a word
    /// starts with it, 3 substring; `None` when nothing matches.
    fn rank(&self, query: &str) -> Option<u8> {
        self.0
            .iter()
            .filter_map(|key| {
                // Every kind of match contains the query: one fast substring search rules out
                // almost every key before the finer checks.
                if !key.contains(query) {
                    return None;
                }
                if key == query {
                    Some(0)
                } else if key.starts_with(query) {
                    Some(1)
                } else if key.split(' ').any(|w| w.starts_with(query)) {
                    Some(2)
                } else {
                    Some(3)
                }
            })
            .min()
    }
}

impl SkillGraph {
    /// Skills matching `query` (all when it is empty or blank), optionally within a category
    /// and its sub-categories, best match first; ties by category order, then id.
    pub fn search_skills(&self, query: &str, category: Option<&CategoryId>) -> Vec<&Arc<Skill>> {
        let query = fold(query);
        let mut hits: Vec<_> = self
            .skills
            .values()
            .filter(|e| category.is_none_or(|c| self.category_within(&e.skill.category, c)))
            .filter_map(|e| {
                let rank = if query.is_empty() {
                    Some(0)
                } else {
                    e.keys.rank(&query)
                }?;
                Some((rank, e))
            })
            .collect();
        // Keys computed once per hit, not once per comparison: a broad query on ESCO has
        // thousands of hits.
        hits.sort_by_cached_key(|(rank, e)| (*rank, self.order_key(e.node)));
        hits.into_iter().map(|(_, e)| &e.skill).collect()
    }

    /// Roles matching `query` by name (all when it is blank), best match first, then by id.
    pub fn search_roles(&self, query: &str) -> Vec<&Arc<Role>> {
        let query = fold(query);
        let mut hits: Vec<_> = self
            .roles
            .values()
            .filter_map(|(role, keys)| {
                let rank = if query.is_empty() {
                    Some(0)
                } else {
                    keys.rank(&query)
                }?;
                Some((rank, role))
            })
            .collect();
        hits.sort_by(|(ra, a), (rb, b)| (ra, &a.id).cmp(&(rb, &b.id)));
        hits.into_iter().map(|(_, r)| r).collect()
    }

    /// Whether `category` is `ancestor` or lies below it in the category tree.
    fn category_within(&self, category: &CategoryId, ancestor: &CategoryId) -> bool {
        let mut cursor = Some(category);
        // The tree is acyclic by construction; the bound only guards against a corrupt store.
        for _ in 0..64 {
            match cursor {
                Some(id) if id == ancestor => return true,
                Some(id) => cursor = self.category(id.as_str()).and_then(|c| c.parent.as_ref()),
                None => return false,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::graph::tests::{graph, skill};

    fn names(hits: Vec<&Arc<Skill>>) -> Vec<&str> {
        hits.into_iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Régression   LOGISTIQUE! "), "regression logistique");
        assert_eq!(fold("C++ / C#"), "c++ c#");
    }

    #[test]
    fn exact_beats_prefix_beats_word_prefix_beats_substring() {
        let mut g = graph(&[]);
        for (sid, name) in [
            ("s1", "Applied statistics"),
            ("s2", "Statistics"),
            ("s3", "Statistical learning"),
            ("s4", "Geostatistics"),
            ("s5", "Python"),
        ] {
            let mut s = skill(sid, "c", 1);
            s.name = name.into();
            g.upsert_skill(s).unwrap();
        }
        assert_eq!(
            names(g.search_skills("STATIST", None)),
            ["s2", "s3", "s1", "s4"]
        );
        assert_eq!(
            names(g.search_skills("statistics", None)),
            ["s2", "s1", "s4"]
        );
    }

    #[test]
    fn aliases_match_and_accents_fold() {
        let mut g = graph(&[]);
        let mut s = skill("k8s", "c", 1);
        s.name = "Kubernetes".into();
        s.aliases = vec!["K8s".into()];
        g.upsert_skill(s).unwrap();
        let mut s = skill("fr", "c", 1);
        s.name = "Données tabulaires".into();
        g.upsert_skill(s).unwrap();
        assert_eq!(names(g.search_skills("k8s", None)), ["k8s"]);
        assert_eq!(names(g.search_skills("donnees", None)), ["fr"]);
        assert!(g.search_skills("nothing like it", None).is_empty());
    }
}
