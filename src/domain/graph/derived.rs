//! [`Derived`]: every index derived from the graph's contents, and [`Derived::after`], the one
//! table of what each kind of write does to them.
//!
//! The graph's own fields (categories, skills, edges, roles, groups) are the truth; everything
//! here can be rebuilt from them, and the property "a live graph answers like one built afresh
//! from its contents" (`tests/properties.rs`) checks that it is. A write (in `edit`, `build` or
//! `replay`) changes the truth and then says what it touched ([`Touched`]), as it records in
//! the `ChangeSet` what the store must persist; [`Derived::after`] alone decides what that
//! drops, patches or overlays.
//!
//! Snapshots share these indexes: a clone of the graph shares every cell ([`Lazy`]) and map
//! (`Arc`), and a write to the clone replaces its own copy, never the shared one, so readers of
//! the older snapshot keep theirs.
//!
//! Depends on the graph's fields and on the index modules below the graph (`graph/adjacency`,
//! `graph/nodes`, `graph/lazy`, `search/index`, `roles/index`, `extract/matcher`); it must not
//! depend on a question module (roles, search, extract, next, similar, plan). Indexes whose
//! build follows a question's rules (the search order, the role index) are built by a closure
//! the question module passes; how long they live is still decided here.

use std::collections::BTreeSet;
use std::sync::Arc;

use petgraph::stable_graph::NodeIndex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::adjacency::Adjacency;
use super::implications::{ImplicationCache, Implications};
use super::lazy::Lazy;
use super::nodes::{NodeSkill, NodeTable};
use super::{GroupNodes, SkillGraph};
use crate::domain::extract::matcher::Matcher;
use crate::domain::roles::index::RoleIndex;
use crate::domain::search::index::{SearchState, TextIndex};
use crate::domain::{CategoryId, Role, RoleId, Skill, SkillId};

/// Every index of one snapshot that is derived from its contents (see the module docs).
#[derive(Clone, Default)]
pub(super) struct Derived {
    /// The required edges as flat arrays, for walks (see [`Adjacency`]).
    required: Lazy<Adjacency>,
    /// What holding a skill implies at each role's requirements asked about, read by standings
    /// (see `graph/implications`): a function of the required edges, so every write that drops
    /// `required` drops it too. Shared by snapshots like the rest; each fills it as it is asked.
    implications: Lazy<ImplicationCache>,
    /// Whether some edge applies only beyond a level: transitive listings then follow levels
    /// (see `SkillGraph::prerequisites_of`), which costs a second walk nothing else needs.
    cuts: Lazy<bool>,
    /// Each node's skill and its category's order (see [`super::nodes`]).
    by_node: Lazy<NodeTable>,
    /// Each node's place in listing order (category order, category id, skill id), by node
    /// index: answers sort by one integer instead of comparing two ids (the sort of a
    /// 300-skill transitive listing was a third of its domain work, mostly `memcmp`). Only
    /// what moves a skill in that order drops it: skills created or deleted, a skill's
    /// category, categories; never an hours or name edit, which the soak writes hundreds of
    /// times a second.
    rank: Lazy<Vec<u32>>,
    /// Reverse index of role requirements, so "which roles need this skill" is not a scan. A
    /// "one of" requirement counts for each of its options.
    required_by: Arc<HashMap<SkillId, Arc<BTreeSet<RoleId>>>>,
    /// The "one of" groups by the skill's node, with the options as nodes.
    group_nodes: Arc<HashMap<NodeIndex, Arc<[GroupNodes]>>>,
    /// Name search indexes: their own once built, or an earlier one with the ids written since.
    skill_search: SearchState<SkillId>,
    role_search: SearchState<RoleId>,
    /// Roles with requirements as nodes, for matching.
    role_index: Lazy<RoleIndex>,
    /// The labels of skills as one automaton, for finding mentions in text.
    matcher: Lazy<Matcher>,
    /// Each category with the roles in it or in a category below it, by id: so that
    /// `roles(category:)` reads a list instead of walking every role's ancestry per request.
    role_members: Lazy<HashMap<CategoryId, Vec<RoleId>>>,
}

/// What one write changed, as the derived indexes need to hear it.
pub(super) enum Touched<'a> {
    /// A skill created at `node`; `now` is what the by-node table holds for it.
    SkillAdded {
        id: &'a SkillId,
        node: NodeIndex,
        now: NodeSkill,
    },
    /// A skill's own data replaced; `before` is what it was.
    SkillEdited {
        id: &'a SkillId,
        node: NodeIndex,
        before: &'a Skill,
        now: NodeSkill,
    },
    /// A skill deleted, after the requirements, edges and groups that named it.
    SkillRemoved { id: &'a SkillId, node: NodeIndex },
    /// Prerequisite edges added, changed or removed.
    Edges,
    /// Categories put or deleted.
    Categories,
    /// A role created or replaced (`before` and `after`), or deleted (no `after`).
    Role {
        id: &'a RoleId,
        before: Option<&'a Role>,
        after: Option<&'a Role>,
    },
    /// The groups of the skill at `node` replaced (empty: it has none left).
    Groups {
        node: NodeIndex,
        groups: Arc<[GroupNodes]>,
    },
    /// Not a write: a bench drops the matcher to measure its build.
    ForgetMatcher,
    /// Not a write: a bench drops the search indexes, overlays and all, to measure their build.
    ForgetSearch,
}

impl Derived {
    /// The one table of what each kind of write does to the derived indexes.
    pub(super) fn after(&mut self, touched: &Touched<'_>) {
        match touched {
            Touched::SkillAdded { id, node, now } => {
                self.patch_at(*node, Some(now.clone()));
                self.rank.reset();
                self.skill_search.touched(id);
                // A new label.
                self.matcher.reset();
                // A new node. The role index stays: no role requires the new skill yet.
                self.required.reset();
                self.implications.reset();
                self.cuts.reset();
            }
            Touched::SkillEdited {
                id,
                node,
                before,
                now,
            } => {
                let skill = &now.0;
                self.patch_at(*node, Some(now.clone()));
                if before.category != skill.category {
                    self.rank.reset();
                }
                self.skill_search.touched(id);
                if before.name != skill.name || before.aliases != skill.aliases {
                    self.matcher.reset();
                }
                if before.hours != skill.hours {
                    // Patched when built (see `RoleIndex::with_hours`). When it is not, it
                    // must still be replaced by an unbuilt cell of this snapshot's own: the
                    // cell is shared with the snapshot this one was cloned from, and whichever
                    // read first would build it with its hours for both. The first patch
                    // (`RoleIndexCell::rehour`) returned early there, and matching by hours then
                    // read stale lower bounds (found by the property comparing a live graph
                    // with one built afresh).
                    self.role_index = match self.role_index.get() {
                        Some(index) => Lazy::built(index.with_hours(*node, skill.hours)),
                        None => Lazy::default(),
                    };
                }
            }
            Touched::SkillRemoved { id, node } => {
                self.patch_at(*node, None);
                self.rank.reset();
                self.skill_search.touched(id);
                self.matcher.reset();
                self.required.reset();
                self.implications.reset();
                self.cuts.reset();
                // The requirements on it went first (dropping the index already); dropped again
                // so that no index names a freed node, which the next skill created may reuse.
                self.role_index.reset();
            }
            Touched::Edges => {
                self.required.reset();
                self.implications.reset();
                self.cuts.reset();
            }
            // Category orders are copied by node; a role's ancestry may have moved.
            Touched::Categories => {
                self.by_node.reset();
                self.rank.reset();
                self.role_members.reset();
            }
            Touched::Role { id, before, after } => {
                let skills = |role: Option<&Role>| -> BTreeSet<SkillId> {
                    role.iter()
                        .flat_map(|r| r.requirements.iter().flat_map(|q| q.options().cloned()))
                        .collect()
                };
                let (was, is) = (skills(*before), skills(*after));
                let index = Arc::make_mut(&mut self.required_by);
                for skill in &was {
                    if let Some(set) = index.get_mut(skill) {
                        Arc::make_mut(set).remove(*id);
                    }
                }
                for skill in &is {
                    Arc::make_mut(index.entry(skill.clone()).or_default()).insert((*id).clone());
                }
                // A skill ranks in search by how many roles require it: those the role took up
                // or dropped moved; those it kept did not.
                for skill in was.symmetric_difference(&is) {
                    self.skill_search.touched(skill);
                }
                self.role_search.touched(id);
                self.role_index.reset();
                if before.and_then(|r| r.category.as_ref())
                    != after.and_then(|r| r.category.as_ref())
                {
                    self.role_members.reset();
                }
            }
            Touched::Groups { node, groups } => {
                let index = Arc::make_mut(&mut self.group_nodes);
                if groups.is_empty() {
                    index.remove(node);
                } else {
                    index.insert(*node, groups.clone());
                }
            }
            Touched::ForgetMatcher => self.matcher.reset(),
            Touched::ForgetSearch => {
                self.skill_search = SearchState::default();
                self.role_search = SearchState::default();
            }
        }
    }

    /// Keeps a built by-node table true after a write to one node's skill (`None`: the skill
    /// went), copying one chunk. An unbuilt one is replaced by an unbuilt one of this snapshot's
    /// own (see [`Lazy`]).
    fn patch_at(&mut self, node: NodeIndex, entry: Option<NodeSkill>) {
        match self.by_node.get() {
            Some(table) => {
                let mut table = table.clone();
                table.set(node, entry);
                self.by_node = Lazy::built(table);
            }
            None => self.by_node.reset(),
        }
    }
}

/// The derived indexes as the rest of the graph and the question modules read them.
impl SkillGraph {
    /// Records what a write touched (see [`Derived::after`]).
    pub(super) fn touch(&mut self, touched: Touched<'_>) {
        self.derived.after(&touched);
    }

    /// A node's skill and its category's order. Built by the first reader of a snapshot that
    /// has none built (after a load, or a write to categories or to skills of a snapshot nobody
    /// had read).
    pub(super) fn at(&self, node: NodeIndex) -> &NodeSkill {
        self.derived
            .by_node
            .get_or_init(|| {
                NodeTable::build(
                    self.node_bound(),
                    self.skills
                        .values()
                        .map(|entry| (entry.node, self.node_skill(&entry.skill))),
                )
            })
            .get(node)
            .expect("a node of the graph has a skill")
    }

    /// `node`'s place in listing order (category order, category id, skill id): a sort key
    /// equal in order to [`order_key`](Self::order_key), for sorts within one snapshot (never
    /// in a cursor: a skill created elsewhere moves every rank after it).
    pub(in crate::domain) fn rank(&self, node: NodeIndex) -> u32 {
        let ranks = self.derived.rank.get_or_init(|| {
            let mut nodes: Vec<NodeIndex> = self.entries().map(|e| e.node).collect();
            nodes.sort_unstable_by_key(|&n| self.order_key(n));
            let mut ranks = vec![u32::MAX; self.node_bound()];
            for (rank, node) in nodes.into_iter().enumerate() {
                ranks[node.index()] = rank as u32;
            }
            ranks
        });
        ranks.get(node.index()).copied().unwrap_or(u32::MAX)
    }

    pub(super) fn required(&self) -> &Adjacency {
        self.derived
            .required
            .get_or_init(|| Adjacency::required(&self.graph))
    }

    /// What holding each skill implies at `targets` (see `graph/implications`); `None` when
    /// they are reached from too much of the graph to be worth keeping.
    pub(in crate::domain) fn implications(
        &self,
        targets: &[NodeIndex],
    ) -> Option<Arc<Implications>> {
        self.derived
            .implications
            .get_or_init(ImplicationCache::default)
            .get(self.required(), targets)
    }

    /// Whether some edge applies only beyond a level of its skill.
    pub(super) fn has_cuts(&self) -> bool {
        *self
            .derived
            .cuts
            .get_or_init(|| self.graph.edge_weights().any(|spec| spec.beyond.is_some()))
    }

    /// The roles requiring `id`, in id order (`None` when none ever did).
    pub(super) fn roles_requiring(&self, id: &SkillId) -> Option<&BTreeSet<RoleId>> {
        self.derived.required_by.get(id).map(|set| &**set)
    }

    pub(super) fn group_nodes(&self) -> &HashMap<NodeIndex, Arc<[GroupNodes]>> {
        &self.derived.group_nodes
    }

    /// This snapshot's role index, built by `build` if it has none.
    pub(in crate::domain) fn role_index(&self, build: impl FnOnce() -> RoleIndex) -> &RoleIndex {
        self.derived.role_index.get_or_init(build)
    }

    /// The roles in category `id` or below it, in id order (`None` when there are none);
    /// built on first use from every role's category and its ancestors.
    pub(super) fn role_members(&self, id: &CategoryId) -> Option<&[RoleId]> {
        let index = self.derived.role_members.get_or_init(|| {
            let mut index: HashMap<CategoryId, Vec<RoleId>> = HashMap::default();
            // In id order, so every list is sorted as it is pushed.
            for role in self.roles() {
                let Some(category) = &role.category else {
                    continue;
                };
                for c in self.category_path(category) {
                    index.entry(c.id.clone()).or_default().push(role.id.clone());
                }
            }
            index
        });
        index.get(id).map(Vec::as_slice)
    }

    /// This snapshot's label automaton, built on first use.
    pub(in crate::domain) fn matcher(&self) -> &Matcher {
        self.derived
            .matcher
            .get_or_init(|| Matcher::build(self.skills.values().map(|e| (&*e.skill, &e.keys))))
    }

    /// Whether this snapshot's matcher is built: an extraction would not wait for it.
    pub fn extraction_prepared(&self) -> bool {
        self.derived.matcher.get().is_some()
    }

    /// Drops the matcher, so that the next extraction builds it: for measuring the build.
    pub fn forget_matcher(&mut self) {
        self.touch(Touched::ForgetMatcher);
    }

    /// The skill search index to read and the ids it does not cover, built by `build` if this
    /// snapshot has neither its own nor an earlier one (see `search`).
    pub(in crate::domain) fn skill_text_index(
        &self,
        build: impl FnOnce() -> TextIndex<SkillId>,
    ) -> (&TextIndex<SkillId>, Option<&HashSet<SkillId>>) {
        self.derived.skill_search.view(build)
    }

    /// [`skill_text_index`](Self::skill_text_index) for roles.
    pub(in crate::domain) fn role_text_index(
        &self,
        build: impl FnOnce() -> TextIndex<RoleId>,
    ) -> (&TextIndex<RoleId>, Option<&HashSet<RoleId>>) {
        self.derived.role_search.view(build)
    }

    /// Builds the search indexes this snapshot lacks with `skills` and `roles`.
    pub(in crate::domain) fn prepare_text_indexes(
        &self,
        skills: impl FnOnce() -> TextIndex<SkillId>,
        roles: impl FnOnce() -> TextIndex<RoleId>,
    ) {
        self.derived.skill_search.prepare(skills);
        self.derived.role_search.prepare(roles);
    }

    /// Drops the search indexes of this snapshot, so that the next search or
    /// `prepare_search` builds them from scratch: for measuring the build, never needed for
    /// correctness.
    pub fn forget_search_indexes(&mut self) {
        self.touch(Touched::ForgetSearch);
    }
}
