//! Name search over skills and roles, ranked for search-as-you-type.
//!
//! # Ranking
//!
//! Names and aliases are folded ([`fold`]: accents transliterated, case lowered, punctuation
//! collapsed to single spaces) and so is the query. A hit falls in the first [`Tier`] it
//! reaches:
//!
//! 1. the name is the query, or its part before a closing qualifier in parentheses is (ESCO's
//!    "Java (computer programming)" for "java", which so ranks before "Javanese");
//! 2. the name starts with the query ("manage sta" → "manage staff");
//! 3. an alias is the query, then 4. an alias starts with it;
//! 5. every query word is a word of the name, the last one only a prefix of one, in any
//!    order ("staff manage" → "manage staff"), then 6. the same on an alias;
//! 7. every query word is inside a word of the name ("sql" → "NoSQL"), then 8. on an alias;
//! 9. as 5, with one typo allowed in each query word of [`TYPO_MIN_LEN`] to [`TYPO_MAX_LEN`]
//!    letters (a
//!    substitution, insertion, deletion or swap of neighbours: "pyhton" → "Python"), then
//!    10. the same on an alias.
//!
//! The words before the last must be whole words: the user has typed the space after them,
//! so "man sta" is not read as two prefixes, which would match hundreds of ESCO names; it
//! still finds "manage staff" by substring, ranked lower. Only the last word, still being
//! typed, is a prefix. Typos are only forgiven on words of five letters or more: one edit
//! away from a short word is half the dictionary.
//!
//! Within a tier, a shorter name first (the closer the query is to the whole name), then the
//! skill more roles require (the more common one), then id. Roles rank the same way without
//! the roles count. An empty query lists everything in the listing order (category order,
//! then id, for skills; id for roles).
//!
//! # Index and snapshots
//!
//! The ranking is computed from an inverted index ([`index::TextIndex`]) that returns the best
//! `limit` hits without scoring the rest: an autocomplete asking for ten hits on ESCO reads a
//! few postings instead of folding through 110k names and aliases and sorting thousands of
//! hits (8 ms before, see BENCHMARKS.md).
//!
//! Graph snapshots are immutable and a write costs about a millisecond, while building the
//! index of ESCO takes tens of milliseconds, so a write must not rebuild it. Each snapshot
//! holds a [`SearchState`]: the index of itself once built (lazily, in a `Lazy` cell shared by
//! the clones of that snapshot), or else the index of an earlier snapshot plus the ids written
//! since (at most [`OVERLAY_MAX`]). A search of such a snapshot reads the old index, skips the
//! ids written since, and ranks their current entries one by one with [`tier`], the plain
//! definition of the rules above. When the overlay overflows, the state drops the old index
//! and the next build (by the writer, see [`SkillGraph::prepare_search`], or else the next
//! search) starts over from the current snapshot. Writes stay cheap (an id into a small set),
//! searches after a write pay at most [`OVERLAY_MAX`] direct rankings, and the rebuild is paid
//! once per [`OVERLAY_MAX`] writes, by a writer. The alternative, a fresh index per snapshot
//! built on its first search, would make the first search after every write pay the whole
//! build.
//!
//! [`fold`]: super::text::fold
//! [`Tier`]: rank::Tier
//! [`tier`]: rank::tier
//! [`TYPO_MIN_LEN`]: rank::TYPO_MIN_LEN
//! [`TYPO_MAX_LEN`]: rank::TYPO_MAX_LEN
//! [`SearchState`]: index::SearchState
//! [`OVERLAY_MAX`]: index::OVERLAY_MAX

pub(super) mod index;
mod rank;

use std::cmp::Reverse;
use std::hash::Hash;
use std::sync::Arc;

use self::index::TextIndex;
use self::rank::{Query, Tier, tier};
use super::graph::{SkillEntry, SkillGraph};
use super::text::SearchKeys;
use super::{CategoryId, Role, RoleId, Skill, SkillId};

/// Where an item sits in the order of its list: every list of [`SkillGraph::search_skills`]
/// and [`SkillGraph::search_roles`] is sorted by it (ascending), and no two items of one list
/// share one. A page can so start strictly after (or end strictly before) the key of an item a
/// client saw, whatever was written since: inserts and deletes between two pages neither
/// repeat nor skip an item.
///
/// Compared as `(rank, text)`: a listing of skills is `[category order, 0, 0]`, `[category id,
/// skill id]`; a search of skills `[tier, name length, -roles requiring it]`, `["", id]`; a
/// listing of roles `[0, 0, 0]`, `["", id]`; a search of roles `[tier, name length, 0]`, `["",
/// id]`. Keys of different lists do not compare meaningfully.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ListKey {
    pub rank: [i64; 3],
    pub text: [String; 2],
}

impl ListKey {
    fn of_listed(order: (i32, &CategoryId, &SkillId)) -> Self {
        let (rank, category, id) = order;
        ListKey {
            rank: [i64::from(rank), 0, 0],
            text: [category.to_string(), id.to_string()],
        }
    }

    fn of_rank(tier: Tier, rank: (usize, Reverse<usize>, &SkillId)) -> Self {
        let (len, Reverse(roles), id) = rank;
        ListKey {
            rank: [tier as i64, len as i64, -(roles as i64)],
            text: [String::new(), id.to_string()],
        }
    }

    fn of_role(tier: Option<Tier>, name_len: usize, id: &RoleId) -> Self {
        ListKey {
            rank: match tier {
                Some(tier) => [tier as i64, name_len as i64, 0],
                None => [0, 0, 0],
            },
            text: [String::new(), id.to_string()],
        }
    }
}

impl SkillGraph {
    /// The best `limit` skills matching `query` (all skills when it is blank), optionally
    /// within a category and its sub-categories, ranked as the module docs say.
    pub fn search_skills(
        &self,
        query: &str,
        category: Option<&CategoryId>,
        limit: usize,
    ) -> Vec<&Arc<Skill>> {
        self.ranked_skills(query, category, limit, |_, _| ())
            .into_iter()
            .map(|(_, s)| s)
            .collect()
    }

    /// [`search_skills`](Self::search_skills), each hit with its [`ListKey`].
    pub fn search_skills_keyed(
        &self,
        query: &str,
        category: Option<&CategoryId>,
        limit: usize,
    ) -> Vec<(ListKey, &Arc<Skill>)> {
        self.ranked_skills(query, category, limit, |tier, e| match tier {
            Some(tier) => ListKey::of_rank(tier, self.skill_rank(e)),
            None => ListKey::of_listed(self.order_key(e.node)),
        })
    }

    /// How many skills [`search_skills`](Self::search_skills) finds without a limit.
    pub fn count_skills(&self, query: &str, category: Option<&CategoryId>) -> usize {
        if category.is_none() && Query::new(query).is_empty() {
            return self.entries().len();
        }
        self.ranked_skills(query, category, usize::MAX, |_, _| ())
            .len()
    }

    /// The ranked hits, each with `key(tier, entry)` (the tier is `None` in a listing).
    fn ranked_skills<K>(
        &self,
        query: &str,
        category: Option<&CategoryId>,
        limit: usize,
        key: impl Fn(Option<Tier>, &SkillEntry) -> K,
    ) -> Vec<(K, &Arc<Skill>)> {
        let query = Query::new(query);
        let in_category =
            |e: &SkillEntry| category.is_none_or(|c| self.category_within(&e.skill.category, c));
        if query.is_empty() {
            return self
                .list_skills(in_category, limit)
                .into_iter()
                .map(|e| (key(None, e), &e.skill))
                .collect();
        }
        let (index, written) = self.skill_text_index(|| self.build_skill_index());
        let accept = |doc: u32| {
            let id = index.doc(doc);
            written.is_none_or(|w| !w.contains(id))
                && (category.is_none() || self.find_entry(id).is_some_and(in_category))
        };
        let found = index.search(&query, limit, &accept);
        let mut hits: Vec<(Tier, &SkillEntry)> = found
            .into_iter()
            .map(|(tier, doc)| {
                let hit = index.doc(doc);
                let entry = self
                    .find_entry(hit)
                    .expect("a hit not written since is in the graph");
                (tier, entry)
            })
            .collect();
        if let Some(written) = written {
            hits.extend(written.iter().filter_map(|id| {
                let entry = self.find_entry(id).filter(|e| in_category(e))?;
                Some((tier(&entry.keys, &query)?, entry))
            }));
            hits.sort_by_cached_key(|&(tier, e)| (tier, self.skill_rank(e)));
            hits.truncate(limit);
        }
        hits.into_iter()
            .map(|(tier, e)| (key(Some(tier), e), &e.skill))
            .collect()
    }

    /// The tie-break within a tier: shorter name, more roles requiring the skill, id.
    fn skill_rank<'a>(&'a self, e: &'a SkillEntry) -> (usize, Reverse<usize>, &'a SkillId) {
        let roles = self.required_by_count(&e.skill.id);
        (e.keys.name_len(), Reverse(roles), &e.skill.id)
    }

    fn build_skill_index(&self) -> TextIndex<SkillId> {
        let mut docs: Vec<&SkillEntry> = self.entries().collect();
        docs.sort_by_cached_key(|e| self.skill_rank(e));
        TextIndex::build(docs.into_iter().map(|e| (e.skill.id.clone(), &e.keys)))
    }

    /// The first `limit` skills in listing order (category order, then id).
    fn list_skills(&self, keep: impl Fn(&SkillEntry) -> bool, limit: usize) -> Vec<&SkillEntry> {
        let mut all: Vec<_> = self
            .entries()
            .filter(|e| keep(e))
            .map(|e| (self.order_key(e.node), e))
            .collect();
        // A page needs the first few: select them, then sort only those.
        if limit < all.len() {
            if limit == 0 {
                return Vec::new();
            }
            all.select_nth_unstable_by(limit - 1, |a, b| a.0.cmp(&b.0));
            all.truncate(limit);
        }
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        all.into_iter().map(|(_, e)| e).collect()
    }

    /// The best `limit` roles matching `query` by name or alias (all roles by id when it is
    /// blank), read as a job title: without gender markers, then, when that finds nothing,
    /// without a location suffix and parenthesised parts, then without seniority and other
    /// noise words (see `titles`). "Java Developer (m/w/d)" searches "Java Developer"; "head"
    /// still suggests "head chef".
    pub fn search_roles(&self, query: &str, limit: usize) -> Vec<&Arc<Role>> {
        self.search_roles_keyed(query, limit)
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    /// How many roles [`search_roles`](Self::search_roles) finds without a limit.
    pub fn count_roles(&self, query: &str) -> usize {
        if Query::new(query).is_empty() {
            return self.keyed_roles().len();
        }
        self.search_roles_keyed(query, usize::MAX).len()
    }

    /// [`search_roles`](Self::search_roles), each hit with its [`ListKey`]. Every page of one
    /// query reads the same variant of it (the graph decides which), so keys stay comparable.
    pub fn search_roles_keyed(&self, query: &str, limit: usize) -> Vec<(ListKey, &Arc<Role>)> {
        let variants = super::titles::query_variants(query);
        let Some((last, earlier)) = variants.split_last() else {
            return self.search_roles_keyed_plain(query, limit);
        };
        for variant in earlier {
            // One hit is enough to know the variant finds something.
            if !self.search_roles_keyed_plain(variant, 1).is_empty() {
                return self.search_roles_keyed_plain(variant, limit);
            }
        }
        self.search_roles_keyed_plain(last, limit)
    }

    /// [`search_roles_keyed`](Self::search_roles_keyed) within a role category and its
    /// sub-categories (`None`: all roles). An id that names no role category is
    /// [`Error::UnknownCategory`](super::Error::UnknownCategory). A search in a category
    /// ranks every match and keeps those inside: role searches are small (ESCO has some
    /// 3,000 roles), and the text index knows nothing of categories.
    pub fn search_roles_in_keyed(
        &self,
        query: &str,
        category: Option<&CategoryId>,
        limit: usize,
    ) -> Result<Vec<(ListKey, &Arc<Role>)>, super::Error> {
        let Some(category) = category else {
            return Ok(self.search_roles_keyed(query, limit));
        };
        let inside = self.roles_in_category(category)?;
        if Query::new(query).is_empty() {
            return Ok(inside
                .into_iter()
                .take(limit)
                .map(|r| (ListKey::of_role(None, 0, &r.id), r))
                .collect());
        }
        let inside: std::collections::HashSet<&RoleId> = inside.iter().map(|r| &r.id).collect();
        let mut hits = self.search_roles_keyed(query, usize::MAX);
        hits.retain(|(_, r)| inside.contains(&r.id));
        hits.truncate(limit);
        Ok(hits)
    }

    /// How many roles [`search_roles_in_keyed`](Self::search_roles_in_keyed) finds without a
    /// limit.
    pub fn count_roles_in(
        &self,
        query: &str,
        category: Option<&CategoryId>,
    ) -> Result<usize, super::Error> {
        match category {
            None => Ok(self.count_roles(query)),
            Some(_) => Ok(self
                .search_roles_in_keyed(query, category, usize::MAX)?
                .len()),
        }
    }

    /// The roles matching `query` by the ranking rules alone, the text taken as it is.
    pub(in crate::domain) fn search_roles_plain(
        &self,
        query: &str,
        limit: usize,
    ) -> Vec<&Arc<Role>> {
        self.search_roles_keyed_plain(query, limit)
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    fn search_roles_keyed_plain(&self, query: &str, limit: usize) -> Vec<(ListKey, &Arc<Role>)> {
        let query = Query::new(query);
        if query.is_empty() {
            return self
                .keyed_roles()
                .take(limit)
                .map(|(r, k)| (ListKey::of_role(None, k.name_len(), &r.id), r))
                .collect();
        }
        let (index, written) = self.role_text_index(|| self.build_role_index());
        let accept = |doc: u32| written.is_none_or(|w| !w.contains(index.doc(doc)));
        let found = index.search(&query, limit, &accept);
        let mut hits: Vec<(Tier, &(Arc<Role>, SearchKeys))> = found
            .into_iter()
            .map(|(tier, doc)| {
                let hit = index.doc(doc);
                let role = self
                    .keyed_role(hit)
                    .expect("a hit not written since is in the graph");
                (tier, role)
            })
            .collect();
        if let Some(written) = written {
            hits.extend(written.iter().filter_map(|id| {
                let entry = self.keyed_role(id)?;
                Some((tier(&entry.1, &query)?, entry))
            }));
            hits.sort_by(|(ta, (a, ka)), (tb, (b, kb))| {
                (ta, ka.name_len(), &a.id).cmp(&(tb, kb.name_len(), &b.id))
            });
            hits.truncate(limit);
        }
        hits.into_iter()
            .map(|(tier, (r, k))| (ListKey::of_role(Some(tier), k.name_len(), &r.id), r))
            .collect()
    }

    fn build_role_index(&self) -> TextIndex<RoleId> {
        let mut docs: Vec<_> = self.keyed_roles().collect();
        docs.sort_by(|(a, ka), (b, kb)| (ka.name_len(), &a.id).cmp(&(kb.name_len(), &b.id)));
        TextIndex::build(docs.into_iter().map(|(r, k)| (r.id.clone(), k)))
    }

    /// Builds the search indexes this snapshot lacks, so that its searches do not have to.
    /// The catalog calls it before it publishes a snapshot: a write that made the old index
    /// unusable (an import, or the write after [`OVERLAY_MAX`](index::OVERLAY_MAX) others)
    /// pays for the new one there, and readers never wait for a build.
    pub fn prepare_search(&self) {
        self.prepare_text_indexes(|| self.build_skill_index(), || self.build_role_index());
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::graph::tests::{category, graph, skill};
    use crate::domain::{Importance, Level, Requirement};

    fn ids(hits: Vec<&Arc<Skill>>) -> Vec<&str> {
        hits.into_iter().map(|s| s.id.as_str()).collect()
    }

    /// A graph of skills in category `c`, each `(id, name, aliases)`.
    pub(crate) fn named(skills: &[(&str, &str, &[&str])]) -> SkillGraph {
        let mut g = graph(&[]);
        for (sid, name, aliases) in skills {
            let mut s = skill(sid, "c", 1);
            s.name = (*name).into();
            s.aliases = aliases.iter().map(|a| (*a).into()).collect();
            g.upsert_skill(s).unwrap();
        }
        g
    }

    fn search<'a>(g: &'a SkillGraph, q: &str) -> Vec<&'a str> {
        ids(g.search_skills(q, None, usize::MAX))
    }

    #[test]
    fn exact_beats_prefix_beats_alias_beats_word_prefix_beats_substring() {
        let g = named(&[
            ("substring", "Geostatistics", &[]),
            ("word-prefix", "Applied statistics", &[]),
            ("alias-prefix", "Data", &["statistics and probability"]),
            ("alias-exact", "Descriptive methods", &["Statistics"]),
            ("prefix", "Statistics for engineers", &[]),
            ("exact", "Statistics", &[]),
            ("other", "Python", &["stats"]),
        ]);
        assert_eq!(
            search(&g, "STATISTICS"),
            [
                "exact",
                "prefix",
                "alias-exact",
                "alias-prefix",
                "word-prefix",
                "substring"
            ],
            "the name \"Data\" is shorter, but a prefix of an alias ranks below an exact alias"
        );
    }

    #[test]
    fn the_last_word_is_a_prefix_and_the_earlier_ones_whole_words_in_any_order() {
        let g = named(&[
            ("manage-staff", "manage staff", &[]),
            ("staff-management", "staff to manage", &[]),
            ("manager", "manager of stations", &[]),
            ("man", "man hours for staff", &[]),
        ]);
        assert_eq!(
            search(&g, "manage sta"),
            ["manage-staff", "staff-management", "manager"],
            "a name that starts so, then both words anywhere, then an unfinished word inside one"
        );
        assert_eq!(
            search(&g, "staff manage"),
            ["manage-staff", "staff-management"],
            "in any order"
        );
        assert_eq!(search(&g, "stations manager"), ["manager"]);
        assert_eq!(
            search(&g, "man staff"),
            ["man", "manage-staff", "staff-management"],
            "an earlier word is a whole word; as part of a word it only counts as a substring"
        );
    }

    #[test]
    fn a_word_longer_than_any_label_word_gets_no_typo() {
        let (forty, forty_one) = ("x".repeat(40), "x".repeat(41));
        let g = named(&[("forty", &forty, &[]), ("forty-one", &forty_one, &[])]);
        // One wrong letter: forgiven in a word of forty letters, not looked for in one longer.
        let typo = |word: &str| format!("{}y", &word[1..]);
        assert!(search(&g, &typo(&forty)).contains(&"forty"));
        assert!(search(&g, &typo(&forty_one)).is_empty());
    }

    #[test]
    fn one_typo_is_forgiven_on_words_of_five_letters_or_more_and_ranks_last() {
        let g = named(&[
            ("python", "Python", &[]),
            ("typo", "Pyhton bindings", &[]),
            ("java", "Java", &[]),
            ("sql", "SQL", &[]),
        ]);
        assert_eq!(
            search(&g, "pyhton"),
            ["typo", "python"],
            "the name with the very letters typed first, though it is longer"
        );
        assert_eq!(search(&g, "pythno"), ["python"], "a swap of neighbours");
        assert_eq!(search(&g, "pythn"), ["python"], "a missing letter");
        assert_eq!(search(&g, "pyrhon"), ["python"], "a wrong letter");
        assert_eq!(
            search(&g, "pytho"),
            ["python", "typo"],
            "a typo in a prefix, still being typed"
        );
        assert!(
            search(&g, "jvaa").is_empty(),
            "four letters: no typo allowed"
        );
        assert!(search(&g, "sqk").is_empty());
        assert!(search(&g, "pxtjon").is_empty(), "two typos");
    }

    #[test]
    fn ties_go_to_the_shorter_name_then_the_skill_more_roles_require_then_the_id() {
        let mut g = named(&[
            ("b-long", "data warehousing", &[]),
            ("c-short", "data mining", &[]),
            ("a-short", "data models", &[]),
            ("d-short", "data cubing", &[]),
        ]);
        let role = Role {
            category: None,
            id: RoleId::parse("analyst").unwrap(),
            name: "Analyst".into(),
            description: None,
            requirements: vec![Requirement {
                skill: SkillId::parse("d-short").unwrap(),
                level: Level::new(2).unwrap(),
                importance: Importance::Essential,
                alternatives: Vec::new(),
            }],
            aliases: Vec::new(),
            external_id: None,
        };
        g.upsert_role(role).unwrap();
        assert_eq!(
            search(&g, "data"),
            ["d-short", "a-short", "c-short", "b-long"]
        );
    }

    #[test]
    fn the_name_before_a_qualifier_is_an_exact_name() {
        let mut g = named(&[
            ("javanese", "Javanese", &[]),
            ("java", "Java (computer programming)", &[]),
            ("javascript", "JavaScript", &[]),
        ]);
        assert_eq!(
            search(&g, "java"),
            ["java", "javanese", "javascript"],
            "ESCO's qualified name is exact; the longer names only start with \"java\""
        );
        assert_eq!(search(&g, "java comp"), ["java"]);
        // The same through the overlay of a write after the index was built.
        g.prepare_search();
        let mut s = skill("java-2", "c", 1);
        s.name = "Java (island)".into();
        g.upsert_skill(s).unwrap();
        assert_eq!(
            search(&g, "java"),
            ["java-2", "java", "javanese", "javascript"]
        );
    }

    #[test]
    fn aliases_match_and_accents_and_case_fold() {
        let g = named(&[
            ("k8s", "Kubernetes", &["K8s"]),
            ("fr", "Données tabulaires", &[]),
        ]);
        assert_eq!(search(&g, "k8s"), ["k8s"]);
        assert_eq!(search(&g, "DONNÉES"), ["fr"]);
        assert_eq!(search(&g, "donnees tab"), ["fr"]);
        assert!(search(&g, "nothing like it").is_empty());
    }

    #[test]
    fn a_role_search_within_a_category_keeps_the_order_of_the_search_everywhere() {
        // Roles backend (eng), analyst (eng-data), ml (eng-ml), sre (ops), clerk (none).
        let g = crate::domain::graph::tests::role_tree();
        let eng = CategoryId::parse("eng-data").unwrap();
        let ids = |hits: Vec<(ListKey, &Arc<Role>)>| -> Vec<String> {
            hits.iter().map(|(_, r)| r.id.to_string()).collect()
        };
        let everywhere = ids(g.search_roles_keyed("", 10));
        assert_eq!(everywhere, ["analyst", "backend", "clerk", "ml", "sre"]);
        let inside = ids(g.search_roles_in_keyed("", Some(&eng), 10).unwrap());
        assert_eq!(inside, ["analyst", "ml"]);
        assert_eq!(
            ids(g.search_roles_in_keyed("", Some(&eng), 1).unwrap()),
            ["analyst"]
        );
        assert_eq!(g.count_roles_in("", Some(&eng)).unwrap(), 2);
        // Names are the ids upper-cased: "ML" finds ml, inside eng-data as everywhere.
        assert_eq!(
            ids(g.search_roles_in_keyed("ml", Some(&eng), 10).unwrap()),
            ["ml"]
        );
        let ops = CategoryId::parse("ops").unwrap();
        assert!(
            g.search_roles_in_keyed("ml", Some(&ops), 10)
                .unwrap()
                .is_empty()
        );
        assert_eq!(g.count_roles_in("ml", Some(&ops)).unwrap(), 0);
        let skills = CategoryId::parse("c").unwrap();
        assert!(g.search_roles_in_keyed("", Some(&skills), 10).is_err());
    }

    #[test]
    fn the_category_filter_keeps_a_category_and_its_sub_categories() {
        let mut g = graph(&[]);
        let mut child = category("child", 2);
        child.parent = Some(CategoryId::parse("c").unwrap());
        g.upsert_category(child).unwrap();
        g.upsert_category(category("other", 3)).unwrap();
        for (sid, cat) in [("data-a", "c"), ("data-b", "child"), ("data-c", "other")] {
            g.upsert_skill(skill(sid, cat, 1)).unwrap();
        }
        let c = CategoryId::parse("c").unwrap();
        let child = CategoryId::parse("child").unwrap();
        assert_eq!(
            ids(g.search_skills("data", Some(&c), usize::MAX)),
            ["data-a", "data-b"]
        );
        assert_eq!(
            ids(g.search_skills("data", Some(&child), usize::MAX)),
            ["data-b"]
        );
        assert_eq!(ids(g.search_skills("", Some(&child), 10)), ["data-b"]);
    }

    #[test]
    fn an_empty_query_lists_by_category_order_then_id_and_a_limit_cuts_any_list() {
        let mut g = graph(&[]);
        g.upsert_category(category("first", 0)).unwrap();
        for (sid, cat) in [("z", "first"), ("b", "c"), ("a", "c"), ("y", "first")] {
            g.upsert_skill(skill(sid, cat, 1)).unwrap();
        }
        assert_eq!(search(&g, ""), ["y", "z", "a", "b"]);
        assert_eq!(search(&g, " !? "), ["y", "z", "a", "b"]);
        assert_eq!(ids(g.search_skills("", None, 3)), ["y", "z", "a"]);
        assert!(g.search_skills("", None, 0).is_empty());
        assert_eq!(ids(g.search_skills("a", None, 1)), ["a"]);
    }

    #[test]
    fn a_write_is_reflected_by_the_next_search() {
        let mut g = named(&[("a", "alpha", &[]), ("b", "beta", &[])]);
        assert_eq!(search(&g, "alp"), ["a"]);
        g.prepare_search();
        // Renamed, added and deleted after the index was built.
        g.update_skill(
            &SkillId::parse("a").unwrap(),
            crate::domain::SkillPatch {
                name: Some("gamma".into()),
                ..Default::default()
            },
        )
        .unwrap();
        g.upsert_skill(skill("alpine", "c", 1)).unwrap();
        g.delete_skill(
            &SkillId::parse("b").unwrap(),
            crate::domain::OnDelete::Refuse,
        )
        .unwrap();
        assert_eq!(search(&g, "alp"), ["alpine"]);
        assert_eq!(search(&g, "gam"), ["a"]);
        assert!(search(&g, "beta").is_empty());
        // Past the overlay's bound the index is rebuilt, with the same answers.
        for i in 0..index::OVERLAY_MAX + 5 {
            g.upsert_skill(skill(&format!("alpaca-{i}"), "c", 1))
                .unwrap();
        }
        assert_eq!(search(&g, "alp").len(), index::OVERLAY_MAX + 6);
        assert_eq!(search(&g, "alp")[0], "alpine");
    }

    #[test]
    fn roles_follow_the_same_rules() {
        let mut g = graph(&[]);
        for (rid, name) in [
            ("rainwater", "rainwater manager"),
            ("staff", "manager of staff"),
            ("boss", "Manager"),
            ("engineer", "Pyhton engineer"),
        ] {
            g.upsert_role(Role {
                category: None,
                id: RoleId::parse(rid).unwrap(),
                name: name.into(),
                description: None,
                requirements: vec![],
                aliases: Vec::new(),
                external_id: None,
            })
            .unwrap();
        }
        let roles = |q: &str| -> Vec<String> {
            g.search_roles(q, usize::MAX)
                .into_iter()
                .map(|r| r.id.to_string())
                .collect()
        };
        assert_eq!(roles("manager"), ["boss", "staff", "rainwater"]);
        assert_eq!(roles("python"), ["engineer"]);
        assert_eq!(roles(""), ["boss", "engineer", "rainwater", "staff"]);
        assert_eq!(g.search_roles("", 2).len(), 2);
    }
}

/// The index against the plain definition ([`tier`] over every entry), on random graphs with
/// a small vocabulary so that names collide, overlap and sit one typo apart.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::graph::tests::{graph, skill};
    use crate::domain::{Importance, Level, Requirement};

    const WORDS: &[&str] = &[
        "data",
        "database",
        "manage",
        "management",
        "staff",
        "sql",
        "nosql",
        "python",
        "pyhton",
        "statistics",
        "stat",
        "dat",
        "ata",
        "analyse",
        "analyses",
        "x",
    ];

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS), 1..4).prop_map(|w| w.join(" "))
    }

    fn brute<'a>(g: &'a SkillGraph, q: &str) -> Vec<&'a str> {
        let query = Query::new(q);
        let mut all: Vec<_> = g
            .entries()
            .filter_map(|e| Some((tier(&e.keys, &query)?, g.skill_rank(e))))
            .collect();
        all.sort();
        all.into_iter().map(|(_, (_, _, id))| id.as_str()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn the_index_ranks_as_the_rules_say_before_and_after_writes(
            names in prop::collection::vec((words(), prop::collection::vec(words(), 0..3)), 1..30),
            later in prop::collection::vec(words(), 0..10),
            roles in prop::collection::vec(prop::collection::btree_set(0usize..30, 0..6), 0..6),
            queries in prop::collection::vec(
                (words(), 0usize..4, 1usize..12),
                1..8,
            ),
        ) {
            let mut g = graph(&[]);
            for (i, (name, aliases)) in names.iter().enumerate() {
                let mut s = skill(&format!("s{i}"), "c", 1);
                s.name = name.clone();
                s.aliases = aliases.clone();
                g.upsert_skill(s).unwrap();
            }
            let check = |g: &SkillGraph| -> Result<(), TestCaseError> {
                for (text, cut, limit) in &queries {
                    // Partly typed: drop up to three letters at the end.
                    let q = &text[..text.len() - (*cut).min(text.len() - 1)];
                    let want = brute(g, q);
                    let got = ids(g.search_skills(q, None, usize::MAX));
                    prop_assert_eq!(&got, &want, "query {:?}", q);
                    let top = ids(g.search_skills(q, None, *limit));
                    prop_assert_eq!(&top[..], &want[..want.len().min(*limit)], "query {:?}", q);
                    // Keyset paging relies on it: the keys ascend strictly, in the same order,
                    // and count_skills counts the same list.
                    let keyed = g.search_skills_keyed(q, None, usize::MAX);
                    prop_assert!(keyed.windows(2).all(|w| w[0].0 < w[1].0), "query {:?}", q);
                    let keyed: Vec<&str> = keyed.iter().map(|(_, s)| s.id.as_str()).collect();
                    prop_assert_eq!(&keyed, &want);
                    prop_assert_eq!(g.count_skills(q, None), want.len());
                }
                Ok(())
            };
            // Roles, so that ties also turn on how many roles require a skill.
            let role = |i: usize, skills: &std::collections::BTreeSet<usize>| Role {
                category: None,
                id: RoleId::parse(&format!("r{}", i % 3)).unwrap(),
                name: format!("role {i}"),
                description: None,
                requirements: skills
                    .iter()
                    .filter(|&&s| s < names.len())
                    .map(|s| Requirement {
                        skill: SkillId::parse(&format!("s{s}")).unwrap(),
                        level: Level::new(2).unwrap(),
                        importance: Importance::Essential,
                        alternatives: Vec::new(),
                    })
                    .collect(),
                aliases: Vec::new(),
                external_id: None,
            };
            let (first, then) = roles.split_at(roles.len() / 2);
            for (i, skills) in first.iter().enumerate() {
                g.upsert_role(role(i, skills)).unwrap();
            }
            check(&g)?;
            // Writes after the index is built, through the overlay: renames, deletions, and
            // roles that change how many roles require a skill.
            for (i, skills) in then.iter().enumerate() {
                g.upsert_role(role(i, skills)).unwrap();
            }
            for (i, name) in later.iter().enumerate() {
                let id = format!("s{}", i % names.len());
                if i % 3 == 2 {
                    let _ = g.delete_skill(&SkillId::parse(&id).unwrap(), crate::domain::OnDelete::Cascade);
                } else {
                    let mut s = skill(&id, "c", 1);
                    s.name = name.clone();
                    g.upsert_skill(s).unwrap();
                }
            }
            check(&g)?;
        }
    }

    fn ids(hits: Vec<&Arc<Skill>>) -> Vec<&str> {
        hits.into_iter().map(|s| s.id.as_str()).collect()
    }
}
