//! What a parsed operation costs that async-graphql's own limits do not count: aliases,
//! directives, and the fan-out of introspection; and whether it introspects at all (for servers
//! that turn introspection off).
//!
//! Knows the limits, the error codes and async-graphql's document types only.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, ServerError};

use crate::config::Limits;
use crate::graphql::error::over_limit;

/// How many items an introspection list counts as in the complexity of a query: a schema of
/// ours has about sixty types of about ten fields, and GraphiQL's full introspection query must
/// fit in the default complexity while `types { fields { type { fields { … } } } }` fans out
/// past it after four levels.
const INTROSPECTION_LIST: usize = 10;

#[derive(Clone, Copy, Default)]
struct Cost {
    aliases: usize,
    directives: usize,
    introspection: usize,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.directives = self.directives.saturating_add(other.directives);
        self.introspection = self.introspection.saturating_add(other.introspection);
    }
}

/// Refuses a document over the alias, directive or (introspection) complexity limits. Every
/// spread of a fragment counts, as every spread is executed.
pub(super) fn check(document: &ExecutableDocument, limits: &Limits) -> Result<(), ServerError> {
    let mut walker = Walker {
        document,
        memo: HashMap::new(),
        visiting: HashSet::new(),
    };
    let mut cost = Cost::default();
    for (_, op) in document.operations.iter() {
        cost.directives = cost.directives.saturating_add(op.node.directives.len());
        cost.add(walker.set(&op.node.selection_set.node, false));
    }
    let checks = [
        (
            "maxAliases",
            cost.aliases,
            limits.max_aliases,
            "aliased fields",
        ),
        (
            "maxDirectives",
            cost.directives,
            limits.max_directives,
            "directives",
        ),
        (
            "maxComplexity",
            cost.introspection,
            limits.max_complexity,
            "introspection cost",
        ),
    ];
    for (name, got, max, what) in checks {
        if got > max {
            return Err(over_limit(
                name,
                max,
                format!("the query has {got} {what}, more than the server's {name} ({max})"),
            ));
        }
    }
    Ok(())
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    memo: HashMap<(&'a Name, bool), Cost>,
    visiting: HashSet<&'a Name>,
}

impl<'a> Walker<'a> {
    /// `inside` is true under `__schema` or `__type`, where lists multiply what they select.
    fn set(&mut self, set: &'a SelectionSet, inside: bool) -> Cost {
        let mut cost = Cost::default();
        for item in &set.items {
            cost.directives = cost.directives.saturating_add(item.node.directives().len());
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if field.alias.is_some() {
                        cost.aliases += 1;
                    }
                    let name = field.name.node.as_str();
                    let enters = matches!(name, "__schema" | "__type");
                    let child = self.set(&field.selection_set.node, inside || enters);
                    if inside || enters {
                        let times = if inside && is_introspection_list(name) {
                            INTROSPECTION_LIST
                        } else {
                            1
                        };
                        cost.introspection = cost
                            .introspection
                            .saturating_add(1)
                            .saturating_add(child.introspection.saturating_mul(times));
                        cost.aliases = cost
                            .aliases
                            .saturating_add(child.aliases.saturating_mul(times));
                        cost.directives = cost
                            .directives
                            .saturating_add(child.directives.saturating_mul(times));
                    } else {
                        cost.add(child);
                    }
                }
                Selection::InlineFragment(inline) => {
                    cost.add(self.set(&inline.node.selection_set.node, inside));
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    cost.add(self.fragment(name, inside));
                }
            }
        }
        cost
    }

    fn fragment(&mut self, name: &'a Name, inside: bool) -> Cost {
        if let Some(cost) = self.memo.get(&(name, inside)) {
            return *cost;
        }
        let Some(definition) = self.document.fragments.get(name) else {
            return Cost::default();
        };
        // A cycle is for validation to refuse; it costs nothing here.
        if !self.visiting.insert(name) {
            return Cost::default();
        }
        let mut cost = self.set(&definition.node.selection_set.node, inside);
        cost.directives = cost
            .directives
            .saturating_add(definition.node.directives.len());
        self.visiting.remove(name);
        self.memo.insert((name, inside), cost);
        cost
    }
}

/// The first of the root fields `fields` the operation asks for (`__schema` and `__type`, and on
/// a federated server `_service`; only the query root has them), through fragments too.
pub(super) fn asks_any<'a>(document: &ExecutableDocument, fields: &[&'a str]) -> Option<&'a str> {
    let mut pending: Vec<&SelectionSet> = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .collect();
    let mut seen = HashSet::new();
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    if let Some(found) = fields.iter().find(|f| **f == name) {
                        return Some(*found);
                    }
                }
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if seen.insert(name)
                        && let Some(fragment) = document.fragments.get(name)
                    {
                        pending.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    None
}

fn is_introspection_list(field: &str) -> bool {
    matches!(
        field,
        "types"
            | "fields"
            | "args"
            | "inputFields"
            | "interfaces"
            | "possibleTypes"
            | "enumValues"
            | "directives"
    )
}
