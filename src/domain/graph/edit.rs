//! Every mutation of the graph: validated before anything changes, recorded in the change set
//! the store persists. Prerequisites are written one edge at a time (`add_prerequisite`), as a
//! skill's whole list (`set_prerequisites`) or in bulk (`set_prerequisites_many`, one
//! acyclicity check at the end).
//!
//! A write changes the graph's own fields and then says what it touched
//! ([`Touched`](super::derived::Touched)); what that does to the derived indexes is decided in
//! `derived` alone, never here.

use std::collections::BTreeSet;
use std::sync::Arc;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap as HashMap;

use crate::domain::text::SearchKeys;
use crate::domain::{
    Category, CategoryId, CategoryKind, EdgeSpec, Error, OnDelete, PrerequisiteGroup, Requirement,
    Role, RoleId, Skill, SkillId,
};

use super::derived::Touched;
use super::{ChangeSet, GroupNodes, SkillEntry, SkillGraph, SkillPatch};
use crate::domain::rules::{
    MAX_DESCRIPTION, MAX_HOURS, MAX_LIST, MAX_NAME, MAX_URL, check_list, check_text,
};

impl SkillGraph {
    /// Hands over what the mutations since the last call touched.
    pub fn take_changes(&mut self) -> ChangeSet {
        std::mem::take(&mut self.changes)
    }

    /// Creates or replaces a category. A parent must exist, be of the category's kind and not
    /// be the category itself or one of its descendants. A category keeps its kind: an id of a
    /// skill category cannot be reused for a role category, or the reverse.
    pub fn upsert_category(&mut self, category: Category) -> Result<(), Error> {
        check_text("category name", &category.name, MAX_NAME, true)?;
        check_text(
            "category description",
            category.description.as_deref().unwrap_or(""),
            MAX_DESCRIPTION,
            false,
        )?;
        if let Some(existing) = self.categories.get(&category.id)
            && existing.kind != category.kind
        {
            return Err(Error::AlreadyExists {
                kind: existing.kind.noun(),
                id: category.id.to_string(),
            });
        }
        if let Some(parent) = &category.parent {
            self.check_parent_kind(&category, parent)?;
            let mut cursor = Some(parent);
            while let Some(id) = cursor {
                if *id == category.id {
                    return Err(Error::CategoryCycle(category.id.clone()));
                }
                cursor = self
                    .categories
                    .get(id)
                    .ok_or_else(|| Error::UnknownCategory(id.clone()))?
                    .parent
                    .as_ref();
            }
        }
        if self
            .categories
            .get(&category.id)
            .is_some_and(|c| **c == category)
        {
            return Ok(());
        }
        self.changes.categories.insert(category.id.clone());
        self.categories_mut()
            .insert(category.id.clone(), Arc::new(category));
        self.touch(Touched::Categories);
        Ok(())
    }

    /// That `parent` exists and is of `category`'s kind: the two trees never mix.
    pub(super) fn check_parent_kind(
        &self,
        category: &Category,
        parent: &CategoryId,
    ) -> Result<(), Error> {
        let found = self
            .categories
            .get(parent)
            .ok_or_else(|| Error::UnknownCategory(parent.clone()))?;
        if found.kind != category.kind {
            return Err(Error::InvalidInput(format!(
                "{} \"{}\" cannot lie within \"{parent}\", a {}",
                category.kind.noun(),
                category.id,
                found.kind.noun()
            )));
        }
        Ok(())
    }

    /// That `id` names a category of `kind`, for a skill's or a role's category.
    pub(super) fn check_category_of(
        &self,
        kind: CategoryKind,
        id: &CategoryId,
    ) -> Result<(), Error> {
        match self.categories.get(id) {
            None => Err(Error::UnknownCategory(id.clone())),
            Some(c) if c.kind != kind => Err(Error::InvalidInput(format!(
                "\"{id}\" is a {}, not a {}",
                c.kind.noun(),
                kind.noun()
            ))),
            Some(_) => Ok(()),
        }
    }

    /// Deletes a category no skill, role or other category uses.
    pub fn delete_category(&mut self, id: &CategoryId) -> Result<(), Error> {
        if !self.categories.contains_key(id) {
            return Err(Error::UnknownCategory(id.clone()));
        }
        let mut users: Vec<String> = self
            .skills
            .values()
            .filter(|e| e.skill.category == *id)
            .map(|e| format!("skill {}", e.skill.id))
            .collect();
        users.sort();
        users.extend(
            self.roles
                .values()
                .filter(|(r, _)| r.category.as_ref() == Some(id))
                .map(|(r, _)| format!("role {}", r.id)),
        );
        users.extend(
            self.categories
                .values()
                .filter(|c| c.parent.as_ref() == Some(id))
                .map(|c| format!("category {}", c.id)),
        );
        if !users.is_empty() {
            return Err(Error::InUse {
                kind: "category",
                id: id.to_string(),
                users,
            });
        }
        self.categories_mut().remove(id);
        self.touch(Touched::Categories);
        self.changes.categories.insert(id.clone());
        Ok(())
    }

    pub(super) fn validate_skill(&self, skill: &Skill) -> Result<(), Error> {
        check_text("skill name", &skill.name, MAX_NAME, true)?;
        check_text(
            "skill description",
            skill.description.as_deref().unwrap_or(""),
            MAX_DESCRIPTION,
            false,
        )?;
        check_list("aliases", &skill.aliases)?;
        check_list("tags", &skill.tags)?;
        if skill.resources.len() > MAX_LIST {
            return Err(Error::InvalidInput(format!(
                "resources has more than {MAX_LIST} entries"
            )));
        }
        for r in &skill.resources {
            check_text("resource title", &r.title, MAX_NAME, true)?;
            check_text("resource url", &r.url, MAX_URL, true)?;
        }
        if skill.hours > MAX_HOURS {
            return Err(Error::InvalidInput(format!(
                "hours must be between 0 and {MAX_HOURS}, got {}",
                skill.hours
            )));
        }
        self.check_category_of(CategoryKind::Skill, &skill.category)
    }

    /// Adds a new skill; its id must be free.
    pub fn create_skill(&mut self, skill: Skill) -> Result<(), Error> {
        if self.skills.contains_key(&skill.id) {
            return Err(Error::AlreadyExists {
                kind: "skill",
                id: skill.id.to_string(),
            });
        }
        self.upsert_skill(skill)
    }

    /// Creates a skill or replaces its data. Its prerequisites and the roles that need it stay.
    pub fn upsert_skill(&mut self, skill: Skill) -> Result<(), Error> {
        self.validate_skill(&skill)?;
        let keys = SearchKeys::new(&skill.name, &skill.aliases);
        let id = skill.id.clone();
        match self.skills.get(&id) {
            // Asked before the copy: an unchanged skill copies nothing.
            Some(entry) if *entry.skill == skill => return Ok(()),
            Some(entry) => {
                let node = entry.node;
                let skill = Arc::new(skill);
                let entry = self.skills_mut().get_mut(&id).expect("looked up above");
                let before = std::mem::replace(&mut entry.skill, skill.clone());
                entry.keys = keys;
                let now = self.node_skill(&skill);
                self.touch(Touched::SkillEdited {
                    id: &id,
                    node,
                    before: &before,
                    now,
                });
            }
            None => {
                let node = self.graph_mut().add_node(id.clone());
                let skill = Arc::new(skill);
                let entry = SkillEntry {
                    skill: skill.clone(),
                    node,
                    keys,
                };
                self.skills_mut().insert(id.clone(), entry);
                let now = self.node_skill(&skill);
                self.touch(Touched::SkillAdded { id: &id, node, now });
            }
        }
        self.changes.skills.insert(id);
        Ok(())
    }

    /// Applies a patch to an existing skill's data and returns the result.
    pub fn update_skill(&mut self, id: &SkillId, patch: SkillPatch) -> Result<Arc<Skill>, Error> {
        let mut skill = Skill::clone(&self.entry(id)?.skill);
        let SkillPatch {
            name,
            category,
            hours,
            description,
            aliases,
            tags,
            resources,
        } = patch;
        skill.name = name.unwrap_or(skill.name);
        skill.category = category.unwrap_or(skill.category);
        skill.hours = hours.unwrap_or(skill.hours);
        skill.description = description.or(skill.description);
        skill.aliases = aliases.unwrap_or(skill.aliases);
        skill.tags = tags.unwrap_or(skill.tags);
        skill.resources = resources.unwrap_or(skill.resources);
        self.upsert_skill(skill)?;
        Ok(self.entry(id)?.skill.clone())
    }

    /// Deletes a skill. With [`OnDelete::Refuse`] it refuses while other skills or roles require it,
    /// or a group or a role's requirement lists it as an option (naming them); with
    /// [`OnDelete::Cascade`] those edges and requirements go with it, and it leaves the groups
    /// and the "one of" requirements: a group left with one option becomes an ordinary
    /// prerequisite on that option, with the group's kind and level (kept as it is when that
    /// edge already exists), and a requirement whose preferred skill it was passes to its first
    /// alternative. Its own prerequisite edges and groups always go.
    pub fn delete_skill(&mut self, id: &SkillId, on_delete: OnDelete) -> Result<(), Error> {
        let node = self.entry(id)?.node;
        let mut dependents: Vec<SkillId> = self
            .graph
            .neighbors_directed(node, Incoming)
            .map(|n| self.graph[n].clone())
            .collect();
        let group_users: Vec<SkillId> = self
            .groups
            .iter()
            .filter(|(_, groups)| groups.iter().any(|g| g.options.contains(id)))
            .map(|(user, _)| user.clone())
            .collect();
        let roles: Vec<RoleId> = self
            .roles_requiring(id)
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default();
        let in_use = !(dependents.is_empty() && roles.is_empty() && group_users.is_empty());
        if in_use && on_delete == OnDelete::Refuse {
            dependents.extend(group_users.iter().cloned());
            dependents.sort();
            dependents.dedup();
            let mut users: Vec<String> = dependents.iter().map(|s| format!("skill {s}")).collect();
            users.sort();
            users.extend(roles.iter().map(|r| format!("role {r}")));
            return Err(Error::InUse {
                kind: "skill",
                id: id.to_string(),
                users,
            });
        }
        for role in roles {
            self.drop_option(&role, id)?;
        }
        for user in group_users {
            let mut kept = Vec::new();
            let current: Vec<PrerequisiteGroup> = self.groups[&user].to_vec();
            for mut group in current {
                group.options.retain(|o| o != id);
                match group.options.as_slice() {
                    [] => {}
                    [last] => {
                        // Acyclic already: the group counted as an edge to `last`.
                        let (a, b) = (self.skills[&user].node, self.skills[last].node);
                        if self.graph.find_edge(a, b).is_none() {
                            self.graph_mut().add_edge(a, b, group.spec());
                            self.touch(Touched::Edges);
                            self.changes.edges.insert((user.clone(), last.clone()));
                        }
                    }
                    _ => kept.push(group),
                }
            }
            self.put_groups(&user, kept);
        }
        self.put_groups(id, Vec::new());
        for dependent in dependents {
            self.changes.edges.insert((dependent, id.clone()));
        }
        for prerequisite in self.graph.neighbors_directed(node, Outgoing) {
            self.changes
                .edges
                .insert((id.clone(), self.graph[prerequisite].clone()));
        }
        self.graph_mut().remove_node(node);
        self.skills_mut().remove(id);
        self.touch(Touched::SkillRemoved { id, node });
        self.changes.skills.insert(id.clone());
        Ok(())
    }

    /// Records that `skill` requires `requires`, or updates the edge's data if it exists.
    /// Refuses an edge that would close a cycle, naming the cycle. One edge of
    /// [`set_prerequisites_many`](Self::set_prerequisites_many), the one way edges are written.
    pub fn add_prerequisite(
        &mut self,
        skill: &SkillId,
        requires: &SkillId,
        spec: EdgeSpec,
    ) -> Result<(), Error> {
        let mut list = self.direct_prerequisites(skill)?;
        match list.iter_mut().find(|(r, _)| r == requires) {
            Some(edge) => edge.1 = spec,
            None => list.push((requires.clone(), spec)),
        }
        self.set_prerequisites_many(&[(skill.clone(), list)])
    }

    pub fn remove_prerequisite(
        &mut self,
        skill: &SkillId,
        requires: &SkillId,
    ) -> Result<(), Error> {
        let a = self.entry(skill)?.node;
        let b = self.entry(requires)?.node;
        let edge = self
            .graph
            .find_edge(a, b)
            .ok_or_else(|| Error::UnknownPrerequisite {
                skill: skill.clone(),
                requires: requires.clone(),
            })?;
        self.graph_mut().remove_edge(edge);
        self.touch(Touched::Edges);
        self.changes.edges.insert((skill.clone(), requires.clone()));
        Ok(())
    }

    /// Makes `prerequisites` the complete set of a skill's prerequisites: edges not listed are
    /// removed, listed ones added or updated. All or nothing: on error the old edges stay.
    pub fn set_prerequisites(
        &mut self,
        skill: &SkillId,
        prerequisites: &[(SkillId, EdgeSpec)],
    ) -> Result<(), Error> {
        self.set_prerequisites_many(&[(skill.clone(), prerequisites.to_vec())])
    }

    /// [`set_prerequisites`](Self::set_prerequisites) for many skills at once, and the one
    /// place prerequisite edges are written. Each listed edge is added (in list order) or
    /// updated in place, each unlisted one removed. A few new edges are checked for a cycle one
    /// by one (a search from the prerequisite back to the skill, which also names the cycle);
    /// many, with one topological sort of the whole graph at the end, so a bulk import of 400k
    /// edges stays linear. All or nothing: on any error the graph is unchanged.
    pub fn set_prerequisites_many(
        &mut self,
        items: &[(SkillId, Vec<(SkillId, EdgeSpec)>)],
    ) -> Result<(), Error> {
        /// Up to this many new edges, a search per edge is cheaper than sorting the graph.
        const CHECK_EACH: usize = 64;
        let mut trial = self.clone();
        let mut added: Vec<(NodeIndex, NodeIndex)> = Vec::new();
        let mut written = false;
        for (skill, prerequisites) in items {
            let node = trial.entry(skill)?.node;
            let mut wanted: HashMap<NodeIndex, EdgeSpec> = HashMap::default();
            let mut targets = Vec::with_capacity(prerequisites.len());
            for (requires, spec) in prerequisites {
                if requires == skill {
                    return Err(Error::SelfPrerequisite(skill.clone()));
                }
                let target = trial.entry(requires)?.node;
                if wanted.insert(target, *spec).is_some() {
                    return Err(Error::InvalidInput(format!(
                        "skill \"{skill}\" lists prerequisite \"{requires}\" twice"
                    )));
                }
                targets.push(target);
            }
            let existing: Vec<_> = trial
                .graph
                .edges_directed(node, Outgoing)
                .map(|e| (e.id(), e.target(), *e.weight()))
                .collect();
            for (edge, target, spec) in existing {
                match wanted.remove(&target) {
                    Some(new) if new == spec => {}
                    // Updated in place, so that walks still meet the edge where they did.
                    Some(new) => {
                        trial.graph_mut()[edge] = new;
                        written = true;
                        let requires = trial.graph[target].clone();
                        trial.changes.edges.insert((skill.clone(), requires));
                        // A lower `beyond` or a higher level can close a cycle on levels.
                        added.push((node, target));
                    }
                    None => {
                        trial.graph_mut().remove_edge(edge);
                        written = true;
                        let requires = trial.graph[target].clone();
                        trial.changes.edges.insert((skill.clone(), requires));
                    }
                }
            }
            for target in targets {
                if let Some(spec) = wanted.remove(&target) {
                    trial.graph_mut().add_edge(node, target, spec);
                    written = true;
                    let requires = trial.graph[target].clone();
                    trial.changes.edges.insert((skill.clone(), requires));
                    added.push((node, target));
                }
            }
        }
        // Once for the whole batch: nothing above reads a derived index of the edges.
        if written {
            trial.touch(Touched::Edges);
        }
        if added.len() <= CHECK_EACH {
            for &(a, b) in &added {
                if let Some(cycle) = trial.edge_cycle(a, b) {
                    return Err(Error::Cycle(cycle));
                }
            }
        } else {
            trial.check_acyclic()?;
        }
        *self = trial;
        Ok(())
    }

    // ----- "one of" groups -------------------------------------------------------------------

    /// A group as stored: options sorted, at least two, distinct, existing and not the skill.
    pub(super) fn normalize_group(
        &self,
        skill: &SkillId,
        mut group: PrerequisiteGroup,
    ) -> Result<PrerequisiteGroup, Error> {
        group.options.sort();
        if group.options.len() > MAX_LIST {
            return Err(Error::InvalidInput(format!(
                "a group of skill \"{skill}\" has more than {MAX_LIST} options"
            )));
        }
        if let Some(w) = group.options.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::InvalidInput(format!(
                "a group of skill \"{skill}\" lists option \"{}\" twice",
                w[0]
            )));
        }
        if group.options.len() < 2 {
            return Err(Error::InvalidInput(format!(
                "a group of skill \"{skill}\" needs at least two options; a single one is an \
                 ordinary prerequisite"
            )));
        }
        for option in &group.options {
            if option == skill {
                return Err(Error::SelfPrerequisite(skill.clone()));
            }
            self.entry(option)?;
        }
        Ok(group)
    }

    /// Replaces a skill's groups (already normalized) in both indexes and records the change.
    /// No cycle check: callers check.
    pub(super) fn put_groups(&mut self, skill: &SkillId, groups: Vec<PrerequisiteGroup>) {
        let current = self.groups.get(skill).map_or(&[][..], |g| &g[..]);
        if current == groups.as_slice() {
            return;
        }
        let node = self.skills[skill].node;
        self.changes.groups.insert(skill.clone());
        let nodes: Arc<[GroupNodes]> = groups
            .iter()
            .map(|g| GroupNodes {
                spec: g.spec(),
                options: g.options.iter().map(|o| self.skills[o].node).collect(),
            })
            .collect();
        if groups.is_empty() {
            Arc::make_mut(&mut self.groups).remove(skill);
        } else {
            Arc::make_mut(&mut self.groups).insert(skill.clone(), groups.into());
        }
        self.touch(Touched::Groups {
            node,
            groups: nodes,
        });
    }

    /// Adds a "one of" group to a skill, or updates the kind and level of the group with the
    /// same options. Refuses a group through whose options a cycle would close, naming it.
    pub fn add_prerequisite_group(
        &mut self,
        skill: &SkillId,
        group: PrerequisiteGroup,
    ) -> Result<(), Error> {
        self.entry(skill)?;
        let group = self.normalize_group(skill, group)?;
        let mut groups = self.prerequisite_groups(skill)?.to_vec();
        match groups.iter_mut().find(|g| g.options == group.options) {
            Some(existing) => *existing = group,
            None => {
                if let Some(cycle) = self.group_cycle(skill, &group) {
                    return Err(Error::Cycle(cycle));
                }
                groups.push(group);
            }
        }
        self.put_groups(skill, groups);
        Ok(())
    }

    /// Removes the group of `skill` with exactly these options (in any order).
    pub fn remove_prerequisite_group(
        &mut self,
        skill: &SkillId,
        options: &[SkillId],
    ) -> Result<(), Error> {
        let mut wanted = options.to_vec();
        wanted.sort();
        let mut groups = self.prerequisite_groups(skill)?.to_vec();
        let before = groups.len();
        groups.retain(|g| g.options != wanted);
        if groups.len() == before {
            return Err(Error::UnknownGroup {
                skill: skill.clone(),
                options: wanted.iter().map(ToString::to_string).collect(),
            });
        }
        self.put_groups(skill, groups);
        Ok(())
    }

    /// Makes `groups` the complete list of a skill's groups. All or nothing.
    pub fn set_prerequisite_groups(
        &mut self,
        skill: &SkillId,
        groups: Vec<PrerequisiteGroup>,
    ) -> Result<(), Error> {
        self.set_prerequisite_groups_many(vec![(skill.clone(), groups)])
    }

    /// [`set_prerequisite_groups`](Self::set_prerequisite_groups) for many skills, with one
    /// acyclicity check at the end (as [`set_prerequisites_many`](Self::set_prerequisites_many)).
    /// All or nothing: on any error the graph is unchanged.
    pub fn set_prerequisite_groups_many(
        &mut self,
        items: Vec<(SkillId, Vec<PrerequisiteGroup>)>,
    ) -> Result<(), Error> {
        let mut normalized = Vec::with_capacity(items.len());
        for (skill, groups) in items {
            self.entry(&skill)?;
            let mut list: Vec<PrerequisiteGroup> = Vec::with_capacity(groups.len());
            for group in groups {
                let group = self.normalize_group(&skill, group)?;
                if list.iter().any(|g| g.options == group.options) {
                    return Err(Error::InvalidInput(format!(
                        "skill \"{skill}\" lists the group {} twice",
                        group
                            .options
                            .iter()
                            .map(SkillId::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                list.push(group);
            }
            normalized.push((skill, list));
        }
        if normalized.len() == 1 {
            // One skill: a search per group, as for one edge. A cycle through a group ends at
            // the skill, so the skill's own other groups cannot be on it.
            let (skill, groups) = normalized.pop().expect("one item");
            for group in &groups {
                if let Some(cycle) = self.group_cycle(&skill, group) {
                    return Err(Error::Cycle(cycle));
                }
            }
            self.put_groups(&skill, groups);
            return Ok(());
        }
        let mut trial = self.clone();
        for (skill, groups) in normalized {
            trial.put_groups(&skill, groups);
        }
        trial.check_acyclic()?;
        *self = trial;
        Ok(())
    }

    pub(super) fn validate_role(&self, role: &Role) -> Result<(), Error> {
        check_text("role name", &role.name, MAX_NAME, true)?;
        check_text(
            "role description",
            role.description.as_deref().unwrap_or(""),
            MAX_DESCRIPTION,
            false,
        )?;
        check_list("aliases", &role.aliases)?;
        if let Some(category) = &role.category {
            self.check_category_of(CategoryKind::Role, category)?;
        }
        // Each skill meets at most one requirement, as its skill or as an alternative: a
        // requirement met twice over would count one skill twice in readiness, and a skill
        // left out of a role by cascade could not say which requirement it left.
        let mut seen = BTreeSet::new();
        for r in &role.requirements {
            for skill in r.options() {
                self.entry(skill)?;
                if !seen.insert(skill) {
                    return Err(Error::InvalidInput(format!(
                        "role \"{}\" lists skill \"{skill}\" twice (as a requirement or \
                         an alternative of one)",
                        role.id
                    )));
                }
            }
        }
        Ok(())
    }

    /// Creates or replaces a role with its requirements. Every required skill must exist, and
    /// each skill meets one requirement at most (see [`Requirement`]). Requirements are
    /// stored sorted by skill, and each one's alternatives by id, as groups' options are: the
    /// order they were given carries nothing the planner reads.
    pub fn upsert_role(&mut self, mut role: Role) -> Result<(), Error> {
        self.validate_role(&role)?;
        role.requirements.sort_by(|a, b| a.skill.cmp(&b.skill));
        for r in &mut role.requirements {
            r.alternatives.sort();
        }
        let before = match self.roles.get(&role.id) {
            Some((old, _)) if **old == role => return Ok(()),
            old => old.map(|(old, _)| old.clone()),
        };
        let id = role.id.clone();
        let keys = SearchKeys::new(&role.name, &role.aliases);
        let role = Arc::new(role);
        Arc::make_mut(&mut self.roles).insert(id.clone(), (role.clone(), keys));
        self.touch(Touched::Role {
            id: &id,
            before: before.as_deref(),
            after: Some(&role),
        });
        self.changes.roles.insert(id);
        Ok(())
    }

    pub fn delete_role(&mut self, id: &RoleId) -> Result<(), Error> {
        let (role, _) = Arc::make_mut(&mut self.roles)
            .remove(id)
            .ok_or_else(|| Error::UnknownRole(id.clone()))?;
        self.touch(Touched::Role {
            id,
            before: Some(&role),
            after: None,
        });
        self.changes.roles.insert(id.clone());
        Ok(())
    }

    /// Adds or updates one requirement of a role.
    pub fn set_requirement(
        &mut self,
        role: &RoleId,
        requirement: Requirement,
    ) -> Result<(), Error> {
        let mut updated = Role::clone(self.role_entry(role)?);
        updated
            .requirements
            .retain(|r| r.skill != requirement.skill);
        updated.requirements.push(requirement);
        self.upsert_role(updated)
    }

    /// Removes the requirement whose skill is `skill`, alternatives and all. An alternative
    /// is not a requirement of its own: naming one is [`Error::UnknownRequirement`] (to change
    /// a requirement's alternatives, set it again).
    pub fn remove_requirement(&mut self, role: &RoleId, skill: &SkillId) -> Result<(), Error> {
        let mut updated = Role::clone(self.role_entry(role)?);
        let before = updated.requirements.len();
        updated.requirements.retain(|r| r.skill != *skill);
        if updated.requirements.len() == before {
            return Err(Error::UnknownRequirement {
                role: role.clone(),
                skill: skill.clone(),
            });
        }
        self.upsert_role(updated)
    }

    /// Takes a skill being deleted out of a role, as a group's option leaves its group: an
    /// alternative leaves its requirement; a preferred skill with alternatives hands the
    /// requirement (level and importance) to the first alternative by id; a requirement of
    /// that skill alone goes.
    fn drop_option(&mut self, role: &RoleId, skill: &SkillId) -> Result<(), Error> {
        let mut updated = Role::clone(self.role_entry(role)?);
        updated.requirements.retain_mut(|r| {
            if r.skill == *skill {
                if r.alternatives.is_empty() {
                    return false;
                }
                r.skill = r.alternatives.remove(0);
            } else {
                r.alternatives.retain(|a| a != skill);
            }
            true
        });
        self.upsert_role(updated)
    }
}
