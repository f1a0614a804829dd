//! Null propagation, as the GraphQL spec has it ("Handling Field Errors"), which async-graphql
//! 7 leaves out: a field whose resolver fails is dropped from its parent object instead of
//! becoming `null`, so clients that check the shape of `data` (Apollo's "Missing field") break.
//!
//! [`FieldTypes`] knows every field's declared type (read once from the schema's SDL);
//! [`repair`] follows each error's path through the executed document and puts `null` where
//! the spec wants it: at the failed field when it is nullable, else at its nearest nullable
//! ancestor (all of `data` when there is none).

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, OperationType, Selection, SelectionSet, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{Name, PathSegment, Response, Value};

/// Each object or interface field's declared type, by (type name, field name).
pub struct FieldTypes(HashMap<(String, String), Type>);

impl FieldTypes {
    /// Reads the types from the schema's SDL.
    pub fn from_sdl(sdl: &str) -> Self {
        let mut types = HashMap::new();
        if let Ok(document) = async_graphql::parser::parse_schema(sdl) {
            for definition in document.definitions {
                let TypeSystemDefinition::Type(definition) = definition else {
                    continue;
                };
                let name = definition.node.name.node.to_string();
                let fields = match definition.node.kind {
                    TypeKind::Object(object) => object.fields,
                    TypeKind::Interface(interface) => interface.fields,
                    _ => continue,
                };
                for field in fields {
                    types.insert(
                        (name.clone(), field.node.name.node.to_string()),
                        field.node.ty.node,
                    );
                }
            }
        }
        FieldTypes(types)
    }

    fn get(&self, parent: &str, field: &str) -> Option<&Type> {
        self.0.get(&(parent.to_owned(), field.to_owned()))
    }
}

/// Puts `null` where a failed field should be. `document` is the executed document and
/// `operation` its selected operation's name (`None` for a single anonymous one).
pub fn repair(
    response: &mut Response,
    document: &ExecutableDocument,
    operation: Option<&Name>,
    types: &FieldTypes,
) {
    if response.errors.iter().all(|e| e.path.is_empty()) {
        return;
    }
    let Some(op) = (match operation {
        Some(name) => document
            .operations
            .iter()
            .find(|(n, _)| *n == Some(name))
            .map(|(_, op)| op),
        None => document.operations.iter().next().map(|(_, op)| op),
    }) else {
        return;
    };
    let root = match op.node.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    };
    let paths: Vec<Vec<PathSegment>> = response
        .errors
        .iter()
        .filter(|e| !e.path.is_empty())
        .map(|e| e.path.clone())
        .collect();
    // The executor answers `null` for an object none of whose fields resolved; at the root that
    // is an object of nulls, unless a non-null field takes `data` down with it (below).
    if response.data == Value::Null {
        response.data = Value::Object(Default::default());
    }
    let mut root_null = false;
    for path in paths {
        let Some(nullable) = nullability(&path, root, &op.node.selection_set.node, document, types)
        else {
            continue;
        };
        // The nearest position at or above the failed field that may be null.
        match nullable.iter().rposition(|n| *n) {
            Some(at) => set_null(&mut response.data, &path[..=at]),
            None => root_null = true,
        }
    }
    if root_null {
        response.data = Value::Null;
    }
}

/// Whether each position of `path` may be null, following the document's selections and the
/// declared types; `None` when the path cannot be followed (then nothing is changed).
fn nullability(
    path: &[PathSegment],
    root: &str,
    selection: &SelectionSet,
    document: &ExecutableDocument,
    types: &FieldTypes,
) -> Option<Vec<bool>> {
    let mut parent = root.to_owned();
    let mut sets: Vec<&SelectionSet> = vec![selection];
    let mut current: Option<&Type> = None;
    let mut nullable = Vec::with_capacity(path.len());
    for segment in path {
        match segment {
            PathSegment::Field(key) => {
                let fields = matching(&sets, key, document);
                let field = fields.first()?;
                let ty = types.get(&parent, field.name.node.as_str())?;
                nullable.push(ty.nullable);
                current = Some(ty);
                sets = fields.iter().map(|f| &f.selection_set.node).collect();
                parent = named(ty).to_owned();
            }
            PathSegment::Index(_) => {
                let BaseType::List(item) = &current?.base else {
                    return None;
                };
                nullable.push(item.nullable);
                current = Some(item);
            }
        }
    }
    Some(nullable)
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(item) => named(item),
    }
}

/// The fields selected under response key `key`, fragments included.
fn matching<'a>(
    sets: &[&'a SelectionSet],
    key: &str,
    document: &'a ExecutableDocument,
) -> Vec<&'a Field> {
    let mut found = Vec::new();
    let mut pending: Vec<&SelectionSet> = sets.to_vec();
    let mut depth = 0;
    while let Some(set) = pending.pop() {
        // Fragment cycles were refused by validation; this bound is only a guard.
        depth += 1;
        if depth > 10_000 {
            break;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(field) if field.node.response_key().node.as_str() == key => {
                    found.push(&field.node);
                }
                Selection::Field(_) => {}
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                    {
                        pending.push(&fragment.node.selection_set.node);
                    }
                }
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
            }
        }
    }
    found
}

/// Sets the value at `path` to null: the key is added to its parent object when missing.
/// Nothing happens when the parent itself is gone (already nulled by another error).
fn set_null(data: &mut Value, path: &[PathSegment]) {
    let Some((last, parents)) = path.split_last() else {
        *data = Value::Null;
        return;
    };
    let mut at = data;
    for segment in parents {
        at = match (segment, at) {
            (PathSegment::Field(key), Value::Object(map)) => match map.get_mut(key.as_str()) {
                Some(value) => value,
                None => return,
            },
            (PathSegment::Index(i), Value::List(list)) => match list.get_mut(*i) {
                Some(value) => value,
                None => return,
            },
            _ => return,
        };
    }
    match (last, at) {
        (PathSegment::Field(key), Value::Object(map)) => {
            map.insert(Name::new(key), Value::Null);
        }
        (PathSegment::Index(i), Value::List(list)) => {
            if let Some(value) = list.get_mut(*i) {
                *value = Value::Null;
            }
        }
        // The parent is null already: an object whose fields all failed.
        _ => {}
    }
}
