//! [`SkillGraph`]: the skills, roles and categories and the prerequisite DAG between skills.
//!
//! Every mutation validates before it changes anything, so the graph is always a DAG with no
//! edge to a missing skill, no role requirement on a missing skill and no skill in a missing
//! category. Each mutation also records what it touched in a [`ChangeSet`], which is how the
//! store learns what to persist without knowing anything about the graph's insides.
//!
//! petgraph is private here. Edges point from a skill to its prerequisite ("a requires b" is
//! `a → b`), so outgoing edges are prerequisites and incoming ones are what a skill unlocks. The
//! graph is a `StableDiGraph` so that deleting a skill never renumbers the others.
//!
//! This file holds the graph's fields and its read API; the rest is split by job:
//! [`derived`] (every index derived from the fields, and the one table of what each kind of
//! write does to them), [`edit`] (every mutation and its change set), [`dag`] (acyclicity and
//! the cycle a refused edge would close), [`build`] (a graph from stored or imported parts),
//! [`replay`] (a change-log entry applied).
//!
//! The fields are private to this module and its children: the question modules (search,
//! roles, extract, plan, next, ...) read through methods, so that no code outside `graph` can
//! write the truth without the derived indexes hearing of it.

mod adjacency;
mod build;
mod dag;
mod derived;
mod edit;
pub(super) mod implications;
pub(super) mod lazy;
mod nodes;
mod replay;

use super::{Follow, Reach};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};
use rustc_hash::FxHashMap as HashMap;

use super::scratch::{node_map, with_map};
use super::text::SearchKeys;
use super::{
    Category, CategoryId, CategoryKind, EdgeSpec, Error, Level, Prerequisite, PrerequisiteGroup,
    PrerequisiteKind, Requirement, Role, RoleId, Skill, SkillId,
};
use derived::Derived;
use nodes::NodeSkill;

node_map!(BFS_SEEN: usize);

/// The ids a batch of mutations touched. The store persists the current state of each: present
/// means put, absent means delete, so applying a change set is idempotent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub categories: BTreeSet<CategoryId>,
    pub skills: BTreeSet<SkillId>,
    /// `(skill, requires)` pairs.
    pub edges: BTreeSet<(SkillId, SkillId)>,
    pub roles: BTreeSet<RoleId>,
    /// Skills whose "one of" groups changed (the whole list of the skill is stored).
    pub groups: BTreeSet<SkillId>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
            && self.skills.is_empty()
            && self.edges.is_empty()
            && self.roles.is_empty()
            && self.groups.is_empty()
    }
}

/// A "one of" group with its options as nodes, for walks (see [`SkillGraph::groups_at`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GroupNodes {
    pub(super) spec: EdgeSpec,
    /// In the group's option order (by id).
    pub(super) options: Vec<NodeIndex>,
}

/// Counts that describe the size of a graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GraphStats {
    pub skills: usize,
    pub roles: usize,
    /// Skill categories.
    pub categories: usize,
    /// Role categories: the other tree (see [`CategoryKind`]).
    pub role_categories: usize,
    pub prerequisites: usize,
    /// "One of" groups, over all skills.
    pub prerequisite_groups: usize,
    pub requirements: usize,
    pub revision: u64,
}

/// A partial update of a skill's own data; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SkillPatch {
    pub name: Option<String>,
    pub category: Option<CategoryId>,
    pub hours: Option<u32>,
    pub description: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub resources: Option<Vec<super::Resource>>,
}

#[derive(Clone)]
pub(super) struct SkillEntry {
    pub(super) skill: Arc<Skill>,
    pub(super) node: NodeIndex,
    pub(super) keys: SearchKeys,
}

/// The whole skill graph at one revision. Cloning is cheap enough for copy-on-write snapshots:
/// skills and roles are behind `Arc`, ids are `Arc<str>`.
///
/// Each index sits behind its own `Arc` and is copied only when a write changes it
/// (`Arc::make_mut`): adding a prerequisite copies the edge list but shares the skills and
/// roles with the previous snapshot, upserting a role copies the role indexes only.
#[derive(Clone, Default)]
pub struct SkillGraph {
    categories: Arc<BTreeMap<CategoryId, Arc<Category>>>,
    /// Hashed, not ordered: every plan and import looks ids up here, and the listings that
    /// need an order sort by their own key anyway.
    skills: Arc<HashMap<SkillId, SkillEntry>>,
    graph: Arc<StableDiGraph<SkillId, EdgeSpec>>,
    roles: Arc<BTreeMap<RoleId, (Arc<Role>, SearchKeys)>>,
    /// "One of" groups by skill (see [`PrerequisiteGroup`]): kept apart from the petgraph so
    /// that no walk over edges follows an option as if it were required; copied only when a
    /// group changes.
    groups: Arc<BTreeMap<SkillId, Arc<[PrerequisiteGroup]>>>,
    /// Every index derived from the fields above; only [`derived`] decides what a write does
    /// to them.
    derived: Derived,
    revision: u64,
    changes: ChangeSet,
}

impl std::fmt::Debug for SkillGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SkillGraph")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl SkillGraph {
    pub fn new() -> Self {
        Self::default()
    }

    // ----- reading -------------------------------------------------------------------------

    /// The revision this graph was stored at: it increases with every durable write.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }

    pub fn stats(&self) -> GraphStats {
        GraphStats {
            skills: self.skill_count(),
            roles: self.role_count(),
            categories: self.category_count(CategoryKind::Skill),
            role_categories: self.category_count(CategoryKind::Role),
            prerequisites: self.prerequisite_count(),
            prerequisite_groups: self.group_count(),
            requirements: self.requirement_count(),
            revision: self.revision,
        }
    }

    pub fn skill_count(&self) -> usize {
        self.skills.len()
    }

    pub fn role_count(&self) -> usize {
        self.roles.len()
    }

    /// Categories of one kind, at every depth (a pass over the categories).
    pub fn category_count(&self, kind: CategoryKind) -> usize {
        self.categories.values().filter(|c| c.kind == kind).count()
    }

    /// Prerequisite edges, required and recommended.
    pub fn prerequisite_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// "One of" groups over all skills (a pass over the skills that have any).
    pub fn group_count(&self) -> usize {
        self.groups.values().map(|g| g.len()).sum()
    }

    /// Role requirements over all roles (a pass over the roles).
    pub fn requirement_count(&self) -> usize {
        self.roles.values().map(|(r, _)| r.requirements.len()).sum()
    }

    pub fn category(&self, id: &str) -> Option<&Arc<Category>> {
        self.categories.get(id)
    }

    /// All categories, in display order (`order`, then id).
    pub fn categories(&self) -> Vec<&Arc<Category>> {
        self.categories_where(|_| true)
    }

    /// The categories `keep` keeps, in display order: filtered before they are sorted.
    fn categories_where(&self, keep: impl Fn(&Category) -> bool) -> Vec<&Arc<Category>> {
        let mut all: Vec<_> = self.categories.values().filter(|c| keep(c)).collect();
        all.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        all
    }

    /// The categories of one kind, in display order.
    pub fn categories_of(&self, kind: CategoryKind) -> Vec<&Arc<Category>> {
        self.categories_where(|c| c.kind == kind)
    }

    /// The top-level categories of one kind, in display order.
    pub fn root_categories(&self, kind: CategoryKind) -> Vec<&Arc<Category>> {
        self.categories_where(|c| c.kind == kind && c.parent.is_none())
    }

    /// The categories directly within `id`, in display order. A scan: the trees are small
    /// (ESCO's two have some 1,300 nodes together), and an index would be one more thing every
    /// category write must keep true.
    pub fn category_children(&self, id: &CategoryId) -> Vec<&Arc<Category>> {
        self.categories_where(|c| c.parent.as_ref() == Some(id))
    }

    /// The category `id` and the ones it lies within, the top-level one first; empty for an
    /// unknown id.
    pub fn category_path(&self, id: &CategoryId) -> Vec<&Arc<Category>> {
        let mut path = Vec::new();
        let mut cursor = self.categories.get(id);
        // The tree is acyclic by construction; the bound only guards against a corrupt store.
        while let Some(c) = cursor.filter(|_| path.len() <= self.categories.len()) {
            path.push(c);
            cursor = c.parent.as_ref().and_then(|p| self.categories.get(p));
        }
        path.reverse();
        path
    }

    /// Whether `category` is `ancestor` or lies below it in its tree.
    pub fn category_within(&self, category: &CategoryId, ancestor: &CategoryId) -> bool {
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

    /// The roles in role category `id` or in a category below it, in id order. An id that
    /// names no role category is [`Error::UnknownCategory`]: unlike a skill listing's filter,
    /// a role category is asked for by id, and a typo must not read as "no roles".
    pub fn roles_in_category(&self, id: &CategoryId) -> Result<Vec<&Arc<Role>>, Error> {
        match self.categories.get(id) {
            Some(c) if c.kind == CategoryKind::Role => {}
            _ => return Err(Error::UnknownCategory(id.clone())),
        }
        let members = self.role_members(id).unwrap_or_default();
        Ok(members
            .iter()
            .map(|r| {
                self.role(r.as_str())
                    .expect("the index lists roles of the graph")
            })
            .collect())
    }

    pub fn skill(&self, id: &str) -> Option<&Arc<Skill>> {
        self.skills.get(id).map(|e| &e.skill)
    }

    /// All skills in id order.
    pub fn skills(&self) -> impl ExactSizeIterator<Item = &Arc<Skill>> {
        let mut all: Vec<&Arc<Skill>> = self.skills.values().map(|e| &e.skill).collect();
        all.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        all.into_iter()
    }

    pub fn role(&self, id: &str) -> Option<&Arc<Role>> {
        self.roles.get(id).map(|(r, _)| r)
    }

    /// All roles in id order.
    pub fn roles(&self) -> impl ExactSizeIterator<Item = &Arc<Role>> {
        self.roles.values().map(|(r, _)| r)
    }

    pub(super) fn entry(&self, id: &SkillId) -> Result<&SkillEntry, Error> {
        self.skills
            .get(id)
            .ok_or_else(|| Error::UnknownSkill(id.clone()))
    }

    /// Every skill's entry, in no order.
    pub(super) fn entries(&self) -> impl ExactSizeIterator<Item = &SkillEntry> {
        self.skills.values()
    }

    pub(super) fn find_entry(&self, id: &SkillId) -> Option<&SkillEntry> {
        self.skills.get(id)
    }

    /// Every role with its folded name, in id order.
    pub(super) fn keyed_roles(&self) -> impl ExactSizeIterator<Item = &(Arc<Role>, SearchKeys)> {
        self.roles.values()
    }

    pub(super) fn keyed_role(&self, id: &RoleId) -> Option<&(Arc<Role>, SearchKeys)> {
        self.roles.get(id)
    }

    pub(super) fn role_entry(&self, id: &RoleId) -> Result<&Arc<Role>, Error> {
        self.roles
            .get(id)
            .map(|(r, _)| r)
            .ok_or_else(|| Error::UnknownRole(id.clone()))
    }

    /// One more than the largest node index: the size of a dense per-node array.
    pub(super) fn node_bound(&self) -> usize {
        self.graph.node_bound()
    }

    /// The id of a node's skill, from the edge graph: unlike [`Self::skill_at`], it needs no
    /// by-node table built.
    pub(super) fn id_at(&self, node: NodeIndex) -> &SkillId {
        &self.graph[node]
    }

    pub(super) fn skill_at(&self, node: NodeIndex) -> &Arc<Skill> {
        &self.at(node).0
    }

    fn node_skill(&self, skill: &Arc<Skill>) -> NodeSkill {
        let order = self.categories.get(&skill.category).map_or(0, |c| c.order);
        (skill.clone(), order)
    }

    /// The deterministic tie-break every listing uses: category order, category id, skill id.
    pub(super) fn order_key(&self, node: NodeIndex) -> (i32, &CategoryId, &SkillId) {
        let (skill, order) = self.at(node);
        (*order, &skill.category, &skill.id)
    }

    /// The skills, to change them; the caller says what it touched ([`derived::Touched`]).
    fn skills_mut(&mut self) -> &mut HashMap<SkillId, SkillEntry> {
        Arc::make_mut(&mut self.skills)
    }

    /// The categories, to change them; the caller says what it touched.
    fn categories_mut(&mut self) -> &mut BTreeMap<CategoryId, Arc<Category>> {
        Arc::make_mut(&mut self.categories)
    }

    /// Outgoing "requires" edges of `node` that `follow` takes, in petgraph's order (so every
    /// walk meets them in the same order, whichever way it reads).
    pub(super) fn prerequisite_edges(
        &self,
        node: NodeIndex,
        follow: Follow,
    ) -> impl Iterator<Item = (NodeIndex, EdgeSpec)> + '_ {
        let (all, required) = if follow == Follow::RequiredAndRecommended {
            (Some(self.graph.edges_directed(node, Outgoing)), None)
        } else {
            (None, Some(self.required().of(node).iter().copied()))
        };
        all.into_iter()
            .flatten()
            .map(|e| (e.target(), *e.weight()))
            .chain(required.into_iter().flatten())
    }

    /// The required prerequisites of `node` as one slice: [`Self::prerequisite_edges`] with
    /// `Follow::Required`, for the walks that run per request.
    pub(super) fn required_prerequisites(&self, node: NodeIndex) -> &[(NodeIndex, EdgeSpec)] {
        self.required().of(node)
    }

    /// The most holding other skills can imply `node` at (0: no skill requires it).
    pub(super) fn implied_at_most(&self, node: NodeIndex) -> u8 {
        self.required().implied_at_most(node)
    }

    /// The skills that require `node` (required edges only).
    pub(super) fn required_dependents(&self, node: NodeIndex) -> &[NodeIndex] {
        self.required().dependents_of(node)
    }

    /// The edge graph, to change it; the caller says what it touched.
    fn graph_mut(&mut self) -> &mut StableDiGraph<SkillId, EdgeSpec> {
        Arc::make_mut(&mut self.graph)
    }

    pub fn edge(&self, skill: &SkillId, requires: &SkillId) -> Option<EdgeSpec> {
        let (a, b) = (
            self.skills.get(skill)?.node,
            self.skills.get(requires)?.node,
        );
        self.graph.find_edge(a, b).map(|e| self.graph[e])
    }

    /// Every prerequisite edge as `(skill, requires, spec)`, sorted.
    pub fn edges(&self) -> Vec<(SkillId, SkillId, EdgeSpec)> {
        let mut all: Vec<_> = self
            .graph
            .edge_references()
            .map(|e| {
                (
                    self.graph[e.source()].clone(),
                    self.graph[e.target()].clone(),
                    *e.weight(),
                )
            })
            .collect();
        all.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        all
    }

    /// The "one of" groups of a skill, in the order they were added (empty when it has none).
    pub fn prerequisite_groups(&self, id: &SkillId) -> Result<&[PrerequisiteGroup], Error> {
        self.entry(id)?;
        Ok(self.groups.get(id).map_or(&[][..], |g| &g[..]))
    }

    /// The groups of a skill and, with [`Reach::Transitive`], those of every skill it
    /// requires, as groups (a group's options are a choice, so they are not walked): each with
    /// the skill that has it and that skill's depth (0 for the skill itself). Ordered like
    /// [`prerequisites_of`](Self::prerequisites_of), the skill's own groups first.
    pub fn prerequisite_groups_of(
        &self,
        id: &SkillId,
        reach: Reach,
    ) -> Result<Vec<(SkillId, u32, &PrerequisiteGroup)>, Error> {
        let mut out: Vec<(SkillId, u32, &PrerequisiteGroup)> = self
            .prerequisite_groups(id)?
            .iter()
            .map(|g| (id.clone(), 0, g))
            .collect();
        if reach == Reach::Transitive && self.has_groups() {
            for p in self.prerequisites_of(id, Reach::Transitive, Follow::Required)? {
                let groups = self.groups.get(&p.skill).map_or(&[][..], |g| &g[..]);
                for group in groups {
                    out.push((p.skill.clone(), p.depth, group));
                }
            }
        }
        Ok(out)
    }

    /// Every skill with groups, by skill id, with its groups.
    pub fn all_prerequisite_groups(
        &self,
    ) -> impl Iterator<Item = (&SkillId, &[PrerequisiteGroup])> + '_ {
        self.groups.iter().map(|(id, g)| (id, &g[..]))
    }

    /// Whether any skill has a group: plans skip group resolution when none has.
    pub(super) fn has_groups(&self) -> bool {
        !self.group_nodes().is_empty()
    }

    /// The groups of a node's skill, with options as nodes.
    pub(super) fn groups_at(&self, node: NodeIndex) -> &[GroupNodes] {
        self.group_nodes().get(&node).map_or(&[][..], |g| &g[..])
    }

    /// The direct prerequisites of a skill with their edge data, sorted by id.
    pub fn direct_prerequisites(&self, id: &SkillId) -> Result<Vec<(SkillId, EdgeSpec)>, Error> {
        let node = self.entry(id)?.node;
        let mut out: Vec<_> = self
            .prerequisite_edges(node, Follow::RequiredAndRecommended)
            .map(|(n, spec)| (self.graph[n].clone(), spec))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Prerequisites of a skill: direct ones (depth 1) or all of them, transitively.
    ///
    /// `depth` is the length of the shortest chain. With recommended edges included, a
    /// prerequisite counts as `Required` when some chain of only required edges reaches it and
    /// `Recommended` otherwise. `min_level` is that of the last edge of a shortest chain of
    /// that kind, the one that asks the most where several do ([`stricter`]). Sorted by depth,
    /// then category order, then id.
    pub fn prerequisites_of(
        &self,
        id: &SkillId,
        reach: Reach,
        follow: Follow,
    ) -> Result<Vec<Prerequisite>, Error> {
        Ok(self
            .prerequisites_with_skills(id, reach, follow)?
            .into_iter()
            .map(|(p, _)| p)
            .collect())
    }

    /// [`prerequisites_of`](Self::prerequisites_of), each with its skill: read by node, so a
    /// caller showing them needs no lookup by id.
    pub fn prerequisites_with_skills(
        &self,
        id: &SkillId,
        reach: Reach,
        follow: Follow,
    ) -> Result<Vec<(Prerequisite, Arc<Skill>)>, Error> {
        let start = self.entry(id)?.node;
        let max_depth = reach.max_depth();
        // With level cuts, a transitive listing holds what mastering the skill needs: an edge
        // counts where it applies at the most its skill is needed at on the way (LLM
        // fundamentals needed at 2 by prompting do not bring in transformers).
        let cut = reach == Reach::Transitive && self.has_cuts();
        let levels = |follow: Follow| cut.then(|| self.needed_levels(start, follow));
        let applies =
            |levels: &Option<HashMap<NodeIndex, Level>>, n: NodeIndex, spec: &EdgeSpec| {
                levels
                    .as_ref()
                    .is_none_or(|l| l.get(&n).is_some_and(|&at| spec.applies_to(at)))
            };
        let required_levels = levels(Follow::Required);
        let required_levels = &required_levels;
        let required_only = self.bfs(start, max_depth, |n| {
            self.prerequisite_edges(n, Follow::Required)
                .filter(move |(_, spec)| applies(required_levels, n, spec))
        });
        if follow == Follow::Required {
            // Each node once already: no map to merge the two walks through.
            let mut out: Vec<(NodeIndex, Prerequisite)> = required_only
                .into_iter()
                .map(|(node, depth, spec)| {
                    let p = self.prerequisite(node, depth, PrerequisiteKind::Required, spec);
                    (node, p)
                })
                .collect();
            out.sort_by_cached_key(|(node, p)| (p.depth, self.rank(*node)));
            return Ok(self.with_skills(out));
        }
        let mut found: HashMap<NodeIndex, Prerequisite> =
            HashMap::with_capacity_and_hasher(2 * required_only.len(), Default::default());
        for &(node, depth, spec) in &required_only {
            found.insert(
                node,
                self.prerequisite(node, depth, PrerequisiteKind::Required, spec),
            );
        }
        if follow == Follow::RequiredAndRecommended {
            let all_levels = levels(Follow::RequiredAndRecommended);
            let all_levels = &all_levels;
            for (node, depth, spec) in self.bfs(start, max_depth, |n| {
                self.prerequisite_edges(n, Follow::RequiredAndRecommended)
                    .filter(move |(_, spec)| applies(all_levels, n, spec))
            }) {
                match found.get_mut(&node) {
                    // The required chain may be longer than the mixed one: keep the shortest depth.
                    Some(p) => p.depth = p.depth.min(depth),
                    None => {
                        let kind = if depth == 1 {
                            spec.kind
                        } else {
                            PrerequisiteKind::Recommended
                        };
                        found.insert(node, self.prerequisite(node, depth, kind, spec));
                    }
                }
            }
        }
        let mut out: Vec<_> = found.into_iter().collect();
        out.sort_by_cached_key(|(node, p)| (p.depth, self.rank(*node)));
        Ok(self.with_skills(out))
    }

    fn with_skills(&self, list: Vec<(NodeIndex, Prerequisite)>) -> Vec<(Prerequisite, Arc<Skill>)> {
        list.into_iter()
            .map(|(node, p)| (p, self.skill_at(node).clone()))
            .collect()
    }

    /// The most each skill below `start` is needed at to take `start` to expert, through the
    /// edges `follow` names that apply on the way (levels only rise, so the walk ends).
    fn needed_levels(&self, start: NodeIndex, follow: Follow) -> HashMap<NodeIndex, Level> {
        let mut levels: HashMap<NodeIndex, Level> = HashMap::default();
        levels.insert(start, Level::MAX);
        let mut work = vec![start];
        while let Some(node) = work.pop() {
            let at = levels[&node];
            for (p, spec) in self.prerequisite_edges(node, follow) {
                if let Some(level) = spec.needed_for(at)
                    && levels.get(&p).is_none_or(|&l| level > l)
                {
                    levels.insert(p, level);
                    work.push(p);
                }
            }
        }
        levels
    }

    fn prerequisite(
        &self,
        node: NodeIndex,
        depth: u32,
        kind: PrerequisiteKind,
        spec: EdgeSpec,
    ) -> Prerequisite {
        Prerequisite {
            skill: self.graph[node].clone(),
            kind,
            min_level: spec.min_level,
            beyond: spec.beyond,
            depth,
        }
    }

    /// Skills that require this one, directly or transitively, each with the length of the
    /// shortest chain. Sorted by depth, then category order, then id. A skill whose "one of"
    /// group lists this one counts: the option is one way to open it.
    pub fn unlocks(&self, id: &SkillId, reach: Reach) -> Result<Vec<(SkillId, u32)>, Error> {
        let start = self.entry(id)?.node;
        let max_depth = reach.max_depth();
        // Groups are few (none in the imported taxonomies), so their reverse is built per call
        // rather than kept as one more index to maintain on every edit.
        let mut by_option: HashMap<NodeIndex, Vec<(NodeIndex, EdgeSpec)>> = HashMap::default();
        for (&dependent, groups) in self.group_nodes().iter() {
            for group in groups.iter() {
                for &option in &group.options {
                    by_option
                        .entry(option)
                        .or_default()
                        .push((dependent, group.spec));
                }
            }
        }
        let mut found = self.bfs(start, max_depth, |n| {
            self.graph
                .edges_directed(n, Incoming)
                .map(|e| (e.source(), *e.weight()))
                .chain(by_option.get(&n).into_iter().flatten().copied())
        });
        found.sort_by_cached_key(|&(node, depth, _)| (depth, self.rank(node)));
        Ok(found
            .into_iter()
            .map(|(n, depth, _)| (self.graph[n].clone(), depth))
            .collect())
    }

    /// Breadth-first walk from `start` (excluded) up to `max_depth`, following `next`.
    /// Returns each reached node once, with its depth and the edge it was reached by. Where
    /// several edges end a shortest chain to a node, the edge carries the `min_level` of the one
    /// that asks the most ([`stricter`]): taking the one the walk happened to cross first would
    /// make the answer depend on the order the edges were inserted in, and a replica rebuilt
    /// from the change log holds them in another order.
    fn bfs<I>(
        &self,
        start: NodeIndex,
        max_depth: u32,
        next: impl Fn(NodeIndex) -> I,
    ) -> Vec<(NodeIndex, u32, EdgeSpec)>
    where
        I: Iterator<Item = (NodeIndex, EdgeSpec)>,
    {
        // Each reached node's place in `out`; the start has none. A dense per-thread map, not
        // a hash map: a closure of a few hundred skills was a tenth of the cost of asking it.
        with_map(&BFS_SEEN, self.graph.node_bound(), |seen| {
            seen.insert(start, usize::MAX);
            let mut queue = VecDeque::from([(start, 0u32)]);
            let mut out: Vec<(NodeIndex, u32, EdgeSpec)> = Vec::new();
            while let Some((node, depth)) = queue.pop_front() {
                if depth == max_depth {
                    continue;
                }
                for (n, spec) in next(node) {
                    match seen.get(n) {
                        None => {
                            seen.insert(n, out.len());
                            out.push((n, depth + 1, spec));
                            queue.push_back((n, depth + 1));
                        }
                        Some(at) => {
                            // Only an edge from the layer before ends a shortest chain.
                            if let Some((_, _, first)) =
                                out.get_mut(at).filter(|(_, d, _)| *d == depth + 1)
                            {
                                first.min_level = stricter(first.min_level, spec.min_level);
                                // The edge that applies at more levels asks more.
                                first.beyond = first.beyond.zip(spec.beyond).map(|(a, b)| a.min(b));
                            }
                        }
                    }
                }
            }
            out
        })
    }

    /// How many roles require a skill.
    pub(super) fn required_by_count(&self, id: &SkillId) -> usize {
        self.roles_requiring(id).map_or(0, |set| set.len())
    }

    /// The roles that require a skill, with the requirement, in role id order: the skill is
    /// the requirement's or one of its alternatives.
    pub fn required_by(&self, id: &SkillId) -> Result<Vec<(&Arc<Role>, &Requirement)>, Error> {
        self.entry(id)?;
        Ok(self
            .roles_requiring(id)
            .into_iter()
            .flat_map(|set| set.iter())
            .filter_map(|role_id| {
                let role = self.role(role_id.as_str())?;
                Some((role, role.requirement(id)?))
            })
            .collect())
    }
}

/// Of two edges' `min_level`, the one that asks more. `None` (the default rule of
/// [`EdgeSpec::needed_for`]) asks up to [`Level::DEFAULT_PREREQUISITE`], so it beats a stated
/// level below that and loses to one at or above it (a stated level holds whatever the
/// dependent is learned to).
fn stricter(a: Option<Level>, b: Option<Level>) -> Option<Level> {
    let asks = |l: Option<Level>| (l.unwrap_or(Level::DEFAULT_PREREQUISITE), l.is_some());
    if asks(b) > asks(a) { b } else { a }
}

#[cfg(test)]
pub(crate) mod tests;
