//! The change log's entries: what one durable write did to the graph, as data.
//!
//! An entry carries the *after image* of every record the write changed: the new value of each
//! category, skill, prerequisite edge, skill's "one of" groups and role it touched, or its
//! absence when the write removed it. That is the same state the store persists for the write,
//! so replaying an entry ([`SkillGraph::replay`]) onto the graph at the revision before it
//! gives the graph at its revision, exactly as far as [`Contents`] tells graphs apart (which is
//! everything the store keeps and a restart rebuilds). After images rather than the commands
//! that produced them: a command's effect depends on the state it ran in (a cascade delete
//! removes what was there), an after image does not, and replaying one twice changes nothing.
//!
//! For updates, each record also lists the fields that changed, for clients that show them.
//!
//! Pure data: time is given by the caller (milliseconds since the Unix epoch), serialisation
//! is serde's and the store's business.

use serde::{Deserialize, Serialize};

use super::{
    Category, CategoryId, ChangeSet, EdgeSpec, PrerequisiteGroup, Role, RoleId, Skill, SkillGraph,
    SkillId,
};

/// What kind of write produced an entry: the mutation, or an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChangeKind {
    SkillCreated,
    SkillUpdated,
    SkillDeleted,
    PrerequisiteAdded,
    PrerequisiteRemoved,
    PrerequisiteGroupAdded,
    PrerequisiteGroupRemoved,
    RoleUpserted,
    RoleDeleted,
    RequirementSet,
    RequirementRemoved,
    CategoryUpserted,
    Imported,
}

/// What happened to one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Updated,
    Deleted,
}

/// One record's state after the write: `None` (or no groups) when the write removed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Record {
    Category {
        id: CategoryId,
        value: Option<Category>,
    },
    Skill {
        id: SkillId,
        value: Option<Skill>,
    },
    /// The edge "`skill` requires `requires`".
    Prerequisite {
        skill: SkillId,
        requires: SkillId,
        value: Option<EdgeSpec>,
    },
    /// The whole list of a skill's "one of" groups, as the skill has them, in their order.
    Groups {
        skill: SkillId,
        value: Vec<PrerequisiteGroup>,
    },
    Role {
        id: RoleId,
        value: Option<Role>,
    },
}

/// A record a write changed, how, and for an update which of its fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChange {
    pub action: Action,
    /// For [`Action::Updated`], the fields whose value changed, named as the API names them
    /// (`hours`, `minLevel`, `requirements`, …); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    pub record: Record,
}

/// One durable write: the revision it produced, when, what kind of write, and every record it
/// changed. Entries of consecutive revisions replay one after another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEntry {
    pub revision: u64,
    /// When the write was committed, in milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub kind: ChangeKind,
    /// In the order categories, skills, prerequisites, groups, roles; each by id.
    pub records: Vec<RecordChange>,
}

/// The names of the fields in which `old` and `new` differ, given as `(name, differs)`.
fn differing(pairs: &[(&str, bool)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| (*name).to_owned())
        .collect()
}

fn category_fields(old: &Category, new: &Category) -> Vec<String> {
    differing(&[
        ("name", old.name != new.name),
        ("description", old.description != new.description),
        ("order", old.order != new.order),
        ("parent", old.parent != new.parent),
        ("externalId", old.external_id != new.external_id),
    ])
}

fn skill_fields(old: &Skill, new: &Skill) -> Vec<String> {
    differing(&[
        ("name", old.name != new.name),
        ("category", old.category != new.category),
        ("hours", old.hours != new.hours),
        ("description", old.description != new.description),
        ("aliases", old.aliases != new.aliases),
        ("tags", old.tags != new.tags),
        ("resources", old.resources != new.resources),
        ("externalId", old.external_id != new.external_id),
    ])
}

fn edge_fields(old: &EdgeSpec, new: &EdgeSpec) -> Vec<String> {
    differing(&[
        ("kind", old.kind != new.kind),
        ("minLevel", old.min_level != new.min_level),
        ("beyond", old.beyond != new.beyond),
    ])
}

fn role_fields(old: &Role, new: &Role) -> Vec<String> {
    differing(&[
        ("name", old.name != new.name),
        ("description", old.description != new.description),
        ("aliases", old.aliases != new.aliases),
        ("requirements", old.requirements != new.requirements),
        ("category", old.category != new.category),
        ("externalId", old.external_id != new.external_id),
    ])
}

/// The change from `old` to `new` of one record, or `None` when it did not change.
fn change<T: PartialEq>(
    old: Option<&T>,
    new: Option<&T>,
    fields: impl FnOnce(&T, &T) -> Vec<String>,
    record: Record,
) -> Option<RecordChange> {
    let (action, fields) = match (old, new) {
        (None, None) => return None,
        (Some(a), Some(b)) if a == b => return None,
        (None, Some(_)) => (Action::Created, vec![]),
        (Some(_), None) => (Action::Deleted, vec![]),
        (Some(a), Some(b)) => (Action::Updated, fields(a, b)),
    };
    Some(RecordChange {
        action,
        fields,
        record,
    })
}

impl ChangeEntry {
    /// The entry of the write that turned `before` into `after`, touching what `changes`
    /// names. Records that a write touched but left as they were (an edge removed and added
    /// back the same) are left out.
    pub fn new(
        revision: u64,
        at_ms: u64,
        kind: ChangeKind,
        before: &SkillGraph,
        after: &SkillGraph,
        changes: &ChangeSet,
    ) -> Self {
        let mut records = Vec::new();
        for id in &changes.categories {
            let (old, new) = (before.category(id.as_str()), after.category(id.as_str()));
            let record = Record::Category {
                id: id.clone(),
                value: new.map(|c| Category::clone(c)),
            };
            records.extend(change(
                old.map(|c| &**c),
                new.map(|c| &**c),
                category_fields,
                record,
            ));
        }
        for id in &changes.skills {
            let (old, new) = (before.skill(id.as_str()), after.skill(id.as_str()));
            let record = Record::Skill {
                id: id.clone(),
                value: new.map(|s| Skill::clone(s)),
            };
            records.extend(change(
                old.map(|s| &**s),
                new.map(|s| &**s),
                skill_fields,
                record,
            ));
        }
        for (skill, requires) in &changes.edges {
            let (old, new) = (before.edge(skill, requires), after.edge(skill, requires));
            let record = Record::Prerequisite {
                skill: skill.clone(),
                requires: requires.clone(),
                value: new,
            };
            records.extend(change(old.as_ref(), new.as_ref(), edge_fields, record));
        }
        for skill in &changes.groups {
            let groups = |g: &SkillGraph| g.prerequisite_groups(skill).unwrap_or(&[]).to_vec();
            let (old, new) = (groups(before), groups(after));
            let present =
                |list: &Vec<PrerequisiteGroup>| (!list.is_empty()).then_some(list.clone());
            let record = Record::Groups {
                skill: skill.clone(),
                value: new.clone(),
            };
            records.extend(change(
                present(&old).as_ref(),
                present(&new).as_ref(),
                |_, _| vec![],
                record,
            ));
        }
        for id in &changes.roles {
            let (old, new) = (before.role(id.as_str()), after.role(id.as_str()));
            let record = Record::Role {
                id: id.clone(),
                value: new.map(|r| Role::clone(r)),
            };
            records.extend(change(
                old.map(|r| &**r),
                new.map(|r| &**r),
                role_fields,
                record,
            ));
        }
        ChangeEntry {
            revision,
            at_ms,
            kind,
            records,
        }
    }

    /// The skill, role and category ids the entry's records name (both ends of an edge),
    /// sorted, without repeats.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .records
            .iter()
            .flat_map(|r| match &r.record {
                Record::Category { id, .. } => vec![id.to_string()],
                Record::Skill { id, .. } => vec![id.to_string()],
                Record::Prerequisite {
                    skill, requires, ..
                } => vec![skill.to_string(), requires.to_string()],
                Record::Groups { skill, .. } => vec![skill.to_string()],
                Record::Role { id, .. } => vec![id.to_string()],
            })
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Everything that tells two graphs apart: what the store keeps for a revision and a restart
/// rebuilds, in a canonical order. Two graphs with equal contents answer every question alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contents {
    pub revision: u64,
    pub categories: Vec<Category>,
    pub skills: Vec<Skill>,
    pub edges: Vec<(SkillId, SkillId, EdgeSpec)>,
    pub groups: Vec<(SkillId, Vec<PrerequisiteGroup>)>,
    pub roles: Vec<Role>,
}

impl SkillGraph {
    /// The graph's [`Contents`], for comparing two graphs.
    pub fn contents(&self) -> Contents {
        let mut categories: Vec<Category> = self
            .categories()
            .into_iter()
            .map(|c| Category::clone(c))
            .collect();
        categories.sort_by(|a, b| a.id.cmp(&b.id));
        Contents {
            revision: self.revision(),
            categories,
            skills: self.skills().map(|s| Skill::clone(s)).collect(),
            edges: self.edges(),
            groups: self
                .all_prerequisite_groups()
                .map(|(id, g)| (id.clone(), g.to_vec()))
                .collect(),
            roles: self.roles().map(|r| Role::clone(r)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::graph::tests::{graph, id, skill};
    use crate::domain::{Error, OnDelete, SkillPatch};

    /// The entry of `edit` run on a copy of `g`, and the copy.
    fn write(g: &SkillGraph, edit: impl FnOnce(&mut SkillGraph)) -> (ChangeEntry, SkillGraph) {
        let mut after = g.clone();
        edit(&mut after);
        let changes = after.take_changes();
        after.set_revision(g.revision() + 1);
        let entry = ChangeEntry::new(
            after.revision(),
            0,
            ChangeKind::SkillUpdated,
            g,
            &after,
            &changes,
        );
        (entry, after)
    }

    #[test]
    fn an_update_lists_the_fields_it_changed_and_carries_the_whole_record() {
        let g = graph(&["a>b"]);
        let (entry, after) = write(&g, |g| {
            let patch = SkillPatch {
                hours: Some(99),
                tags: Some(vec!["t".into()]),
                ..SkillPatch::default()
            };
            g.update_skill(&id("a"), patch).unwrap();
        });
        assert_eq!(entry.records.len(), 1);
        let change = &entry.records[0];
        assert_eq!(change.action, Action::Updated);
        assert_eq!(change.fields, ["hours", "tags"]);
        let expected = Some(Skill::clone(after.skill("a").unwrap()));
        assert_eq!(
            change.record,
            Record::Skill {
                id: id("a"),
                value: expected
            }
        );
    }

    #[test]
    fn a_cascade_delete_logs_everything_it_removed() {
        let g = graph(&["a>b", "c>b"]);
        let (entry, after) = write(&g, |g| g.delete_skill(&id("b"), OnDelete::Cascade).unwrap());
        let actions: Vec<(Action, Vec<String>)> = entry
            .records
            .iter()
            .map(|r| {
                let ids = ChangeEntry {
                    records: vec![r.clone()],
                    ..entry.clone()
                }
                .ids();
                (r.action, ids)
            })
            .collect();
        assert_eq!(
            actions,
            [
                (Action::Deleted, vec!["b".to_owned()]),
                (Action::Deleted, vec!["a".to_owned(), "b".to_owned()]),
                (Action::Deleted, vec!["b".to_owned(), "c".to_owned()]),
            ]
        );
        let mut replica = g.clone();
        replica.replay(&entry).unwrap();
        assert_eq!(replica.contents(), after.contents());
    }

    #[test]
    fn an_entry_that_would_break_the_graph_is_refused_and_changes_nothing() {
        let g = graph(&["a>b"]);
        // Deleting b while a still requires it: the entry lacks the edge's removal.
        let (mut entry, _) = write(&g, |g| g.delete_skill(&id("b"), OnDelete::Cascade).unwrap());
        entry
            .records
            .retain(|r| !matches!(r.record, Record::Prerequisite { .. }));
        let mut replica = g.clone();
        assert!(matches!(replica.replay(&entry), Err(Error::InUse { .. })));
        assert_eq!(replica.contents(), g.contents());
        // An edge b → a closes a cycle.
        let cycle = ChangeEntry {
            revision: 1,
            at_ms: 0,
            kind: ChangeKind::PrerequisiteAdded,
            records: vec![RecordChange {
                action: Action::Created,
                fields: vec![],
                record: Record::Prerequisite {
                    skill: id("b"),
                    requires: id("a"),
                    value: Some(EdgeSpec::default()),
                },
            }],
        };
        assert!(matches!(replica.replay(&cycle), Err(Error::Cycle(_))));
        assert_eq!(replica.contents(), g.contents());
    }

    #[test]
    fn a_role_category_and_a_role_moved_into_it_are_logged_and_replay_alike() {
        use crate::domain::{CategoryId, CategoryKind};
        let g = graph(&["a>b"]);
        let family = Category {
            kind: CategoryKind::Role,
            ..crate::domain::graph::tests::category("family", 1)
        };
        let role = Role {
            id: RoleId::parse("r").unwrap(),
            name: "R".into(),
            description: None,
            aliases: vec![],
            requirements: vec![],
            external_id: None,
            category: None,
        };
        let (_, placed) = write(&g, |g| g.upsert_role(role.clone()).unwrap());
        let (entry, after) = write(&placed, |g| {
            g.upsert_category(family.clone()).unwrap();
            g.upsert_role(Role {
                category: Some(CategoryId::parse("family").unwrap()),
                ..role.clone()
            })
            .unwrap();
        });
        let fields: Vec<(Action, &[String])> = entry
            .records
            .iter()
            .map(|r| (r.action, &r.fields[..]))
            .collect();
        assert_eq!(
            fields,
            [
                (Action::Created, &[][..]),
                (Action::Updated, &["category".to_owned()][..])
            ]
        );
        // The record carries the kind, so a replica rebuilds the role tree, not a skill one.
        let json = serde_json::to_string(&entry).unwrap();
        assert!(json.contains(r#""kind":"role""#), "{json}");
        let mut replica = placed.clone();
        replica
            .replay(&serde_json::from_str(&json).unwrap())
            .unwrap();
        assert_eq!(replica.contents(), after.contents());
    }

    #[test]
    fn a_write_that_put_things_back_as_they_were_logs_no_record() {
        let g = graph(&["a>b"]);
        let (entry, _) = write(&g, |g| {
            g.upsert_skill(skill("z", "c", 1)).unwrap();
            g.delete_skill(&id("z"), OnDelete::Refuse).unwrap();
        });
        assert!(entry.records.is_empty());
    }
}
