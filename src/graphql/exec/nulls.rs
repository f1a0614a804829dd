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
        // The SDL is the schema's own: if it did not parse, every repair would silently stop.
        let document =
            async_graphql::parser::parse_schema(sdl).expect("the schema's own SDL parses");
        {
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
    // First each failed field that may be null becomes null, inside objects rebuilt where the
    // executor answered `null` because none of their fields resolved (a field under them ran,
    // so they did resolve). Then each failed non-null field takes its nearest nullable
    // ancestor down with it, or all of `data`.
    let mut propagate = Vec::new();
    let mut root_null = false;
    for path in &paths {
        let Some(nullable) = nullability(path, root, &op.node.selection_set.node, document, types)
        else {
            continue;
        };
        if nullable.last() == Some(&true) {
            set_null(&mut response.data, path, true);
            continue;
        }
        match nullable.iter().rposition(|n| *n) {
            Some(at) => propagate.push(&path[..=at]),
            None => root_null = true,
        }
    }
    for path in propagate {
        set_null(&mut response.data, path, false);
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
                let (field, condition) = fields.first()?;
                let name = field.name.node.as_str();
                // Under a union or an interface the field belongs to the fragment's type.
                let ty = types
                    .get(&parent, name)
                    .or_else(|| condition.and_then(|c| types.get(c, name)))?;
                nullable.push(ty.nullable);
                current = Some(ty);
                sets = fields.iter().map(|(f, _)| &f.selection_set.node).collect();
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

/// The fields selected under response key `key`, fragments included, each with the type
/// condition of the fragment it was found in (if any).
fn matching<'a>(
    sets: &[&'a SelectionSet],
    key: &str,
    document: &'a ExecutableDocument,
) -> Vec<(&'a Field, Option<&'a str>)> {
    let mut found = Vec::new();
    let mut pending: Vec<(&SelectionSet, Option<&str>)> = sets.iter().map(|s| (*s, None)).collect();
    let mut visited = 0;
    while let Some((set, condition)) = pending.pop() {
        // Fragment cycles were refused by validation; this bound is only a guard.
        visited += 1;
        if visited > 10_000 {
            break;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(field) if field.node.response_key().node.as_str() == key => {
                    found.push((&field.node, condition));
                }
                Selection::Field(_) => {}
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                    {
                        let on = fragment.node.type_condition.node.on.node.as_str();
                        pending.push((&fragment.node.selection_set.node, Some(on)));
                    }
                }
                Selection::InlineFragment(inline) => {
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(condition);
                    pending.push((&inline.node.selection_set.node, on));
                }
            }
        }
    }
    found
}

/// Sets the value at `path` to null: the key is added to its parent object when missing. With
/// `rebuild`, a `null` met on the way where an object should be becomes an object (see
/// [`repair`]); without, nothing happens under a parent that is null already.
fn set_null(data: &mut Value, path: &[PathSegment], rebuild: bool) {
    let Some((last, parents)) = path.split_last() else {
        *data = Value::Null;
        return;
    };
    let mut at = data;
    for (i, segment) in parents.iter().enumerate() {
        if rebuild && *at == Value::Null && matches!(segment, PathSegment::Field(_)) && i > 0 {
            *at = Value::Object(Default::default());
        }
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
    if rebuild && *at == Value::Null && matches!(last, PathSegment::Field(_)) {
        *at = Value::Object(Default::default());
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
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{ServerError, Value};

    const SDL: &str = "type Query { a: A! b: A list: [A!] }
        type A { x: Int y: Int! u: U }
        type B { z: Int }
        union U = A | B";

    fn repaired(query: &str, data: Value, paths: &[&[&str]]) -> Value {
        let document = async_graphql::parser::parse_query(query).unwrap();
        let mut response = async_graphql::Response::new(data);
        for path in paths {
            let mut error = ServerError::new("failed", None);
            error.path = path
                .iter()
                .map(|p| match p.parse::<usize>() {
                    Ok(i) => PathSegment::Index(i),
                    Err(_) => PathSegment::Field((*p).to_owned()),
                })
                .collect();
            response.errors.push(error);
        }
        repair(&mut response, &document, None, &FieldTypes::from_sdl(SDL));
        response.data
    }

    fn json(value: &Value) -> serde_json::Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn a_failed_nullable_field_is_null_and_its_all_failed_parent_an_object() {
        // The executor answered `b: null` because b's only field failed.
        let data = Value::from_json(serde_json::json!({ "b": null })).unwrap();
        let got = repaired("{ b { x } }", data, &[&["b", "x"]]);
        assert_eq!(json(&got), serde_json::json!({ "b": { "x": null } }));
    }

    #[test]
    fn a_failed_non_null_field_nulls_the_nearest_nullable_parent_or_data() {
        let data = Value::from_json(serde_json::json!({ "b": { "x": 1 } })).unwrap();
        let got = repaired("{ b { x y } }", data, &[&["b", "y"]]);
        assert_eq!(json(&got), serde_json::json!({ "b": null }));
        // Under a non-null root field, all of data goes.
        let data = Value::from_json(serde_json::json!({ "a": { "x": 1 } })).unwrap();
        let got = repaired("{ a { x y } }", data, &[&["a", "y"]]);
        assert_eq!(json(&got), serde_json::json!(null));
        // In a list of non-null items, the list goes.
        let data = Value::from_json(serde_json::json!({ "list": [{ "x": 1 }] })).unwrap();
        let got = repaired("{ list { x y } }", data, &[&["list", "0", "y"]]);
        assert_eq!(json(&got), serde_json::json!({ "list": null }));
    }

    #[test]
    fn a_field_under_a_union_is_found_through_its_fragment_s_type() {
        let data = Value::from_json(serde_json::json!({ "b": { "u": null } })).unwrap();
        let got = repaired("{ b { u { ... on B { z } } } }", data, &[&["b", "u", "z"]]);
        assert_eq!(
            json(&got),
            serde_json::json!({ "b": { "u": { "z": null } } })
        );
        let data = Value::from_json(serde_json::json!({ "b": { "u": { "x": 1 } } })).unwrap();
        let got = repaired(
            "{ b { u { ...F } } } fragment F on A { x y }",
            data,
            &[&["b", "u", "y"]],
        );
        assert_eq!(json(&got), serde_json::json!({ "b": { "u": null } }));
    }
}
