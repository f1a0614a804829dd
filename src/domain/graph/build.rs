//! A graph from stored or imported parts, in one pass.

use std::sync::Arc;

use crate::domain::{Category, EdgeSpec, Error, PrerequisiteGroup, Role, Skill, SkillId};

use super::derived::Touched;
use super::{ChangeSet, SkillGraph};

impl SkillGraph {
    /// Builds a graph from stored parts in one pass, checking the same invariants as the
    /// mutations but the acyclicity once at the end instead of per edge: loading 400k edges
    /// with a search per insert would make start-up quadratic in the worst case.
    pub fn from_parts(
        categories: Vec<Category>,
        skills: Vec<Skill>,
        edges: Vec<(SkillId, SkillId, EdgeSpec)>,
        groups: Vec<(SkillId, Vec<PrerequisiteGroup>)>,
        roles: Vec<Role>,
        revision: u64,
    ) -> Result<Self, Error> {
        let mut graph = SkillGraph::new();
        // Parents may come after children in id order: insert all, then check the links.
        for c in categories {
            graph.categories_mut().insert(c.id.clone(), Arc::new(c));
        }
        graph.touch(Touched::Categories);
        for c in graph.categories.values() {
            if let Some(parent) = &c.parent {
                graph.check_parent_kind(c, parent)?;
            }
        }
        for s in skills {
            graph.upsert_skill(s)?;
        }
        for (a, b, spec) in edges {
            if a == b {
                return Err(Error::SelfPrerequisite(a));
            }
            let (na, nb) = (graph.entry(&a)?.node, graph.entry(&b)?.node);
            graph.graph_mut().add_edge(na, nb, spec);
        }
        // Once for all the edges: nothing above reads a derived index of them.
        graph.touch(Touched::Edges);
        for (skill, list) in groups {
            graph.entry(&skill)?;
            let list = list
                .into_iter()
                .map(|g| graph.normalize_group(&skill, g))
                .collect::<Result<Vec<_>, Error>>()?;
            graph.put_groups(&skill, list);
        }
        graph.check_acyclic()?;
        for r in roles {
            graph.upsert_role(r)?;
        }
        graph.revision = revision;
        graph.changes = ChangeSet::default();
        Ok(graph)
    }
}
