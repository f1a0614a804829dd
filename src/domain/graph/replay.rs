//! Replaying a change-log entry: puts each record's after image into the graph, in an order in
//! which every reference resolves (categories, then skills, then what points at skills, then
//! the removals those references kept alive), and checks the graph's invariants once at the
//! end, as a load does. All or nothing, like every mutation.

use std::sync::Arc;

use crate::domain::changes::{ChangeEntry, Record};
use crate::domain::{Error, OnDelete};

use super::SkillGraph;
use super::derived::Touched;

impl SkillGraph {
    /// Applies `entry` to the graph at the revision before it, giving the graph at its
    /// revision. Refuses an entry of another revision, and one whose records would break an
    /// invariant (a cycle, a dangling reference), leaving the graph unchanged.
    pub fn replay(&mut self, entry: &ChangeEntry) -> Result<(), Error> {
        if entry.revision != self.revision + 1 {
            return Err(Error::InvalidInput(format!(
                "the change of revision {} does not follow revision {}",
                entry.revision, self.revision
            )));
        }
        let mut g = self.clone();
        let records = || entry.records.iter().map(|r| &r.record);
        let mut put_categories = Vec::new();
        for record in records() {
            if let Record::Category { value: Some(c), .. } = record {
                // Parents may be put by the same entry: insert all, then check the links.
                g.categories_mut().insert(c.id.clone(), Arc::new(c.clone()));
                g.touch(Touched::Categories);
                g.changes.categories.insert(c.id.clone());
                put_categories.push(c.id.clone());
            }
        }
        for id in &put_categories {
            let category = g.categories[id].clone();
            if let Some(parent) = &category.parent {
                g.check_parent_kind(&category, parent)?;
            }
            let mut cursor = category.parent.clone();
            let mut steps = 0;
            while let Some(parent) = cursor {
                steps += 1;
                if parent == *id || steps > g.categories.len() {
                    return Err(Error::CategoryCycle(id.clone()));
                }
                cursor = g
                    .categories
                    .get(&parent)
                    .ok_or_else(|| Error::UnknownCategory(parent.clone()))?
                    .parent
                    .clone();
            }
        }
        for record in records() {
            if let Record::Skill { value: Some(s), .. } = record {
                g.upsert_skill(s.clone())?;
            }
        }
        let mut added = false;
        for record in records() {
            match record {
                Record::Prerequisite {
                    skill,
                    requires,
                    value,
                } => {
                    let (a, b) = (g.entry(skill)?.node, g.entry(requires)?.node);
                    if skill == requires {
                        return Err(Error::SelfPrerequisite(skill.clone()));
                    }
                    match (g.graph.find_edge(a, b), value) {
                        // In place, as the write did, so that walks meet the edge where they did.
                        (Some(edge), Some(spec)) => {
                            g.graph_mut()[edge] = *spec;
                            g.touch(Touched::Edges);
                        }
                        (Some(edge), None) => {
                            g.graph_mut().remove_edge(edge);
                            g.touch(Touched::Edges);
                        }
                        (None, Some(spec)) => {
                            g.graph_mut().add_edge(a, b, *spec);
                            g.touch(Touched::Edges);
                            added = true;
                        }
                        (None, None) => {}
                    }
                    g.changes.edges.insert((skill.clone(), requires.clone()));
                }
                Record::Groups { skill, value } => {
                    g.entry(skill)?;
                    let list = value
                        .iter()
                        .map(|group| g.normalize_group(skill, group.clone()))
                        .collect::<Result<Vec<_>, Error>>()?;
                    added |= !list.is_empty();
                    g.put_groups(skill, list);
                }
                _ => {}
            }
        }
        for record in records() {
            match record {
                Record::Role { value: Some(r), .. } => g.upsert_role(r.clone())?,
                Record::Role { id, value: None } => g.delete_role(id)?,
                _ => {}
            }
        }
        // Last, the removals: by now the entry has dropped every edge, group and requirement
        // that named them, so a removal that is still in use is a broken entry.
        for record in records() {
            if let Record::Skill { id, value: None } = record {
                g.delete_skill(id, OnDelete::Refuse)?;
            }
        }
        for record in records() {
            if let Record::Category { id, value: None } = record {
                g.delete_category(id)?;
            }
        }
        if added {
            g.check_acyclic()?;
        }
        g.revision = entry.revision;
        *self = g;
        Ok(())
    }
}
