//! One synchronous walk for the plain parts of big answers.
//!
//! async-graphql resolves every field of every object as its own boxed future, collected
//! through `FuturesUnordered` into an `IndexMap`. For a list of 300 prerequisites with their
//! skills that is about 2,000 futures, and the profile of such a request showed the executor,
//! not the graph, taking most of the CPU. Yet these lists hold plain data already in memory:
//! a field of theirs that takes no argument is a lookup that cannot fail.
//!
//! [`FlatList`] is a list type with the same GraphQL type as `Vec<T>` (the schema does not
//! change) whose resolution walks the selection set once, synchronously, and builds the very
//! `Value` async-graphql would. Whatever the walk does not handle exactly goes to
//! async-graphql's own list resolution instead, untouched: a field with arguments or
//! directives, or one the item's [`Flat`] impl does not list (an async or fallible one), a
//! response key selected twice (which needs field merging), or a fragment on another type. A test runs the hot queries
//! both ways and compares the answers.

use std::collections::HashMap;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, FragmentDefinition, Selection};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::{EnumType, enum_value, resolve_list};
use async_graphql::{ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value};

type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

/// The selection set of one field, with the document's fragments.
#[derive(Clone, Copy)]
pub struct Selections<'a> {
    items: &'a [Positioned<Selection>],
    fragments: &'a Fragments,
}

impl<'a> Selections<'a> {
    fn of(field: &'a Field, fragments: &'a Fragments) -> Self {
        Selections {
            items: &field.selection_set.node.items,
            fragments,
        }
    }
}

/// A GraphQL object whose plain fields can be resolved synchronously.
pub trait Flat {
    /// The object's GraphQL type name, for `__typename` and fragment type conditions.
    const TYPE: &'static str;

    /// The value of the field `name`, with `sub` its own selection (for object and list
    /// fields); `None` when this walk does not resolve that field.
    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value>;
}

/// Resolves `value` as an object over `selection`, or `None` to leave it to the executor.
pub fn object<T: Flat + ?Sized>(value: &T, selection: Selections<'_>) -> Option<Value> {
    let mut map = IndexMap::with_capacity(selection.items.len());
    collect(value, selection.items, selection.fragments, &mut map)?;
    // Nothing left selected (every field under a false @include): async-graphql answers
    // such an object with null, so leave it to the executor rather than answer `{}`.
    if map.is_empty() {
        return None;
    }
    Some(Value::Object(map))
}

/// An optional object: `null` when absent.
pub fn nullable<T: Flat>(value: Option<T>, selection: Selections<'_>) -> Option<Value> {
    match value {
        Some(value) => object(&value, selection),
        None => Some(Value::Null),
    }
}

/// A non-null object. Absent (a dangling reference, which the domain rules out) it is left to
/// the executor, whose resolver answers the `INTERNAL` error.
pub fn required<T: Flat>(value: Option<T>, selection: Selections<'_>) -> Option<Value> {
    object(&value?, selection)
}

/// A list of objects.
pub fn objects<T: Flat>(
    items: impl IntoIterator<Item = T>,
    selection: Selections<'_>,
) -> Option<Value> {
    items
        .into_iter()
        .map(|item| object(&item, selection))
        .collect::<Option<Vec<_>>>()
        .map(Value::List)
}

pub fn string(text: &str) -> Option<Value> {
    Some(Value::String(text.to_owned()))
}

pub fn nullable_string(text: Option<&str>) -> Option<Value> {
    Some(text.map_or(Value::Null, |t| Value::String(t.to_owned())))
}

pub fn strings(list: &[String]) -> Option<Value> {
    Some(Value::List(
        list.iter().map(|s| Value::String(s.clone())).collect(),
    ))
}

pub fn int(value: i32) -> Option<Value> {
    Some(Value::from(value))
}

pub fn nullable_int(value: Option<i32>) -> Option<Value> {
    Some(value.map_or(Value::Null, Value::from))
}

pub fn enumeration<T: EnumType>(value: T) -> Option<Value> {
    Some(enum_value(value))
}

fn collect<T: Flat + ?Sized>(
    value: &T,
    items: &[Positioned<Selection>],
    fragments: &Fragments,
    map: &mut IndexMap<Name, Value>,
) -> Option<()> {
    for selection in items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                // async-graphql has already removed @skip/@include selections; any directive
                // left is a custom one, which needs the executor.
                if !field.arguments.is_empty() || !field.directives.is_empty() {
                    return None;
                }
                let key = &field.response_key().node;
                if map.contains_key(key) {
                    return None;
                }
                let resolved = match field.name.node.as_str() {
                    "__typename" => Value::String(T::TYPE.to_owned()),
                    name => value.field(name, Selections::of(field, fragments))?,
                };
                map.insert(key.clone(), resolved);
            }
            Selection::FragmentSpread(spread) => {
                if !spread.node.directives.is_empty() {
                    return None;
                }
                let fragment = &fragments.get(&spread.node.fragment_name.node)?.node;
                if fragment.type_condition.node.on.node != T::TYPE {
                    return None;
                }
                collect(value, &fragment.selection_set.node.items, fragments, map)?;
            }
            Selection::InlineFragment(fragment) => {
                let fragment = &fragment.node;
                if !fragment.directives.is_empty()
                    || fragment
                        .type_condition
                        .as_ref()
                        .is_some_and(|c| c.node.on.node != T::TYPE)
                {
                    return None;
                }
                collect(value, &fragment.selection_set.node.items, fragments, map)?;
            }
        }
    }
    Some(())
}

/// Whether [`FlatList`] may walk (the default) or must leave every list to async-graphql:
/// put `Walk::Off` into the schema's or a request's data to compare the two. The schema
/// installs no extension; one that expects to see each field resolved would need it off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    On,
    Off,
}

/// A list of `T` with the GraphQL type of `Vec<T>`, resolved in one synchronous walk when it
/// can be (see the module docs).
pub struct FlatList<T>(pub Vec<T>);

impl<T: OutputType + Flat> OutputType for FlatList<T> {
    fn type_name() -> std::borrow::Cow<'static, str> {
        Vec::<T>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Vec::<T>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let off = ctx.data_opt::<Walk>().is_some_and(|w| *w == Walk::Off);
        if !off {
            let selection = Selections {
                items: &ctx.item.node.items,
                fragments: &ctx.query_env.fragments,
            };
            if let Some(list) = objects(&self.0, selection) {
                return Ok(list);
            }
        }
        resolve_list(ctx, field, &self.0, Some(self.0.len())).await
    }
}

impl<T: Flat> Flat for &T {
    const TYPE: &'static str = T::TYPE;

    fn field(&self, name: &str, sub: Selections<'_>) -> Option<Value> {
        (**self).field(name, sub)
    }
}

/// Whether the walk answers `value`'s field `name` (asked with `{ __typename }` below it, which
/// every object answers and a scalar ignores): for the test that every plain field of a walked
/// type is walked.
#[cfg(test)]
pub(super) fn walks<T: Flat>(value: &T, name: &str) -> bool {
    let document = async_graphql::parser::parse_query("{ f { __typename } }").expect("parses");
    let Some((_, operation)) = document.operations.iter().next() else {
        return false;
    };
    let Some(Selection::Field(field)) = operation
        .node
        .selection_set
        .node
        .items
        .first()
        .map(|item| &item.node)
    else {
        return false;
    };
    value
        .field(name, Selections::of(&field.node, &document.fragments))
        .is_some()
}
