//! Federation's entity lookups, bounded as any list is (on a server with `--federation`):
//! `_entities(representations:)` asking for more than `maxRepresentations` is refused
//! (`LIMIT_EXCEEDED`), every representation must be an object naming an entity type of this
//! subgraph and its key (`INVALID_INPUT`, naming the representation and what it lacks), and an
//! operation that asks for N representations costs N times its complexity ([`EntityCost`]).
//! All of it is decided before anything executes.
//!
//! async-graphql resolves `_entities` itself and counts it once in the complexity, whatever the
//! number of representations; a bad representation would be its "Entity not found." for the
//! whole list. Knows the limits, the error codes and async-graphql's document types only.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::parser::types::{
    ExecutableDocument, Field, Selection, SelectionSet, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, ServerError, ValidationResult, Value as ConstValue, Variables};

use crate::config::Limits;
use crate::graphql::error::{Code, over_limit};

/// The entity types of the schema: the members of its `_Entity` union.
pub(super) struct EntityTypes(Vec<String>);

impl EntityTypes {
    /// Reads the members of `_Entity` from the schema's SDL (none in a plain schema).
    pub(super) fn from_sdl(sdl: &str) -> Self {
        let document =
            async_graphql::parser::parse_schema(sdl).expect("the schema's own SDL parses");
        let mut types = vec![];
        for definition in document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            if definition.node.name.node != "_Entity" {
                continue;
            }
            if let TypeKind::Union(union) = definition.node.kind {
                types.extend(union.members.iter().map(|m| m.node.to_string()));
            }
        }
        EntityTypes(types)
    }

    fn names(&self) -> String {
        self.0.join(" or ")
    }
}

/// How many representations the request's `_entities` ask for in all, for [`EntityCost`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Representations(pub usize);

/// Counts and checks the representations of every `_entities` of `document`'s operation (the
/// one [`super::select`] kept), literal or in `variables`. Returns how many there are.
/// A representation whose variables are missing is left to validation, which refuses it.
pub(super) fn check(
    document: &ExecutableDocument,
    variables: &Variables,
    types: &EntityTypes,
    limits: &Limits,
) -> Result<usize, ServerError> {
    let Some((_, operation)) = document.operations.iter().next() else {
        return Ok(0);
    };
    let defaults = &operation.node.variable_definitions;
    let lookup = |name: &Name| -> Option<&ConstValue> {
        variables.get(name).or_else(|| {
            defaults
                .iter()
                .find(|d| d.node.name.node == *name)
                .and_then(|d| d.node.default_value.as_ref())
                .map(|v| &v.node)
        })
    };
    let mut lists: Vec<ConstValue> = vec![];
    let mut seen = std::collections::HashSet::new();
    let mut pending = vec![&operation.node.selection_set.node];
    while let Some(set) = pending.pop() {
        root_fields(document, set, &mut pending, &mut seen, &mut |field| {
            let list = field.get_argument("representations").and_then(|value| {
                value
                    .node
                    .clone()
                    .into_const_with(|name| lookup(&name).cloned().ok_or(()))
                    .ok()
            });
            lists.extend(list);
        });
    }
    let items = |list: &ConstValue| -> usize {
        match list {
            ConstValue::List(items) => items.len(),
            ConstValue::Null => 0,
            // A single value is coerced into a list of one.
            _ => 1,
        }
    };
    let total = lists.iter().map(items).fold(0usize, usize::saturating_add);
    let max = limits.max_representations;
    if total > max {
        return Err(over_limit(
            "maxRepresentations",
            max,
            format!(
                "`_entities` asks for {total} representations, more than the server's \
                 maxRepresentations ({max})"
            ),
        ));
    }
    for list in &lists {
        let single;
        let representations = match list {
            ConstValue::List(items) => items.as_slice(),
            ConstValue::Null => &[],
            other => {
                single = [other.clone()];
                &single[..]
            }
        };
        for (index, representation) in representations.iter().enumerate() {
            shape(representation, types).map_err(|why| {
                Code::InvalidInput.server_error(
                    format!("`_entities`: representation {index} {why}"),
                    &[("representation", ConstValue::from(index as u64))],
                )
            })?;
        }
    }
    Ok(total)
}

/// What is wrong with one representation, if anything.
fn shape(representation: &ConstValue, types: &EntityTypes) -> Result<(), String> {
    let example = "`{__typename: \"Skill\", id: \"python\"}`";
    let ConstValue::Object(fields) = representation else {
        return Err(format!("is not an object: send one like {example}"));
    };
    let typename = match fields.get("__typename") {
        Some(ConstValue::String(name)) => name,
        _ => {
            return Err(format!(
                "has no `__typename` string: send one like {example}"
            ));
        }
    };
    if !types.0.iter().any(|t| t == typename) {
        return Err(format!(
            "names `{typename}`, which is not an entity of this subgraph ({})",
            types.names()
        ));
    }
    match fields.get("id") {
        Some(ConstValue::String(_)) => Ok(()),
        Some(ConstValue::Number(n)) if n.is_i64() || n.is_u64() => Ok(()),
        _ => Err(format!(
            "has no `id`: a {typename} is found by its key, e.g. \
             `{{__typename: \"{typename}\", id: \"…\"}}`"
        )),
    }
}

/// Calls `found` with every `_entities` field in `set`, a selection set on `Query`; the
/// fragments it spreads (which are on `Query` too) go to `pending`.
fn root_fields<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    pending: &mut Vec<&'a SelectionSet>,
    seen: &mut std::collections::HashSet<&'a Name>,
    found: &mut impl FnMut(&'a Field),
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                if field.node.name.node == "_entities" {
                    found(&field.node);
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

/// Counts an operation that asks `_entities` for N representations N times in the complexity
/// limit: async-graphql counts `_entities` once, however many entities it resolves. The
/// operation's whole complexity is multiplied, which is exact for what a gateway sends (only
/// `_entities`) and errs on the safe side when other fields come along.
pub struct EntityCost;

impl ExtensionFactory for EntityCost {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(EntityCost)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for EntityCost {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let mut result = next.run(ctx).await?;
        let Some(&Representations(n)) = ctx.data_opt::<Representations>() else {
            return Ok(result);
        };
        if n > 1 {
            let max = ctx
                .data_opt::<Limits>()
                .copied()
                .unwrap_or_default()
                .max_complexity;
            let each = result.complexity;
            let total = each.saturating_mul(n);
            if total > max {
                return Err(vec![over_limit(
                    "maxComplexity",
                    max,
                    format!(
                        "the query costs {each} for each of its {n} representations, {total} \
                         in all, more than the server's maxComplexity ({max})"
                    ),
                )]);
            }
            result.complexity = total;
        }
        Ok(result)
    }
}
