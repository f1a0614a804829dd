//! The operation a request runs: a document reduced to it and the fragments it uses, so that
//! a document shared by several operations is checked and executed as the one selected.
//!
//! Knows async-graphql's document types and the error codes only.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, ServerError};

use crate::graphql::error::Code;

pub(super) fn select(
    document: &ExecutableDocument,
    name: Option<&str>,
) -> Result<(OperationType, Option<Name>, ExecutableDocument), ServerError> {
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(op), None) => {
            return Ok((op.node.ty, None, document.clone()));
        }
        (DocumentOperations::Single(_), Some(name)) => {
            return Err(Code::GraphqlValidationFailed.server_error(
                format!("the document has no operation named \"{name}\", only an anonymous one"),
                &[],
            ));
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            let (name, op) = ops.iter().next().expect("one operation");
            (name.clone(), op)
        }
        (DocumentOperations::Multiple(_), None) => {
            return Err(Code::GraphqlValidationFailed.server_error(
                "the document has several operations: say which one with operationName",
                &[],
            ));
        }
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get_key_value(name) {
            Some((name, op)) => (name.clone(), op),
            None => {
                return Err(Code::GraphqlValidationFailed.server_error(
                    format!("the document has no operation named \"{name}\""),
                    &[],
                ));
            }
        },
    };
    let (name, op) = operation;
    let ty = op.node.ty;
    if matches!(&document.operations, DocumentOperations::Multiple(ops) if ops.len() == 1) {
        return Ok((ty, Some(name), document.clone()));
    }
    // Only the fragments the selected operation reaches: the others would be "unused".
    let mut used = HashSet::new();
    let mut pending = vec![&op.node.selection_set.node];
    while let Some(set) = pending.pop() {
        spreads(set, &mut |fragment| {
            if used.insert(fragment.clone())
                && let Some(definition) = document.fragments.get(fragment)
            {
                pending.push(&definition.node.selection_set.node);
            }
        });
    }
    let fragments = document
        .fragments
        .iter()
        .filter(|(name, _)| used.contains(*name))
        .map(|(name, definition)| (name.clone(), definition.clone()))
        .collect();
    let mut operations = HashMap::new();
    operations.insert(name.clone(), op.clone());
    Ok((
        ty,
        Some(name),
        ExecutableDocument {
            operations: DocumentOperations::Multiple(operations),
            fragments,
        },
    ))
}

/// Calls `found` with every fragment a selection set spreads, its nested sets included.
fn spreads<'a>(set: &'a SelectionSet, found: &mut impl FnMut(&'a Name)) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => spreads(&field.node.selection_set.node, found),
            Selection::FragmentSpread(spread) => found(&spread.node.fragment_name.node),
            Selection::InlineFragment(inline) => spreads(&inline.node.selection_set.node, found),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_operation_keeps_only_its_fragments() {
        let document = async_graphql::parser::parse_query(
            "query A { ...F } query B($n: Int!) { x(n: $n) { ...G } } fragment F on Query { a } fragment G on X { b }",
        )
        .unwrap();
        let (ty, _, only) = select(&document, Some("A")).unwrap();
        assert_eq!(ty, OperationType::Query);
        assert_eq!(only.operations.iter().count(), 1);
        assert_eq!(only.fragments.len(), 1);
        assert!(select(&document, None).is_err());
        assert!(select(&document, Some("C")).is_err());
    }
}
