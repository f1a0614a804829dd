//! Whether a request's variables certainly fit the types their operation declares, read from
//! the schema's SDL ([`InputTypes`]).
//!
//! async-graphql's strict validation checks a document's rules and its variables' values in one
//! pass, a sixth of a role gap's CPU, although a client sends the same few documents with new
//! variables. So `Guarded` remembers a document whose strict validation passed and runs it
//! again on a schema that validates `Fast`, when this check says its variables fit: a document
//! the strict rules accepted once is accepted whatever its variables, except for their values
//! (checked against the arguments they stand for, which a variable's declared type matches,
//! but for an explicit null given to a nullable variable with a default: see [`InputTypes::fit`]).
//! The check is conservative: anything it is unsure of (a custom scalar, an ID given as a
//! number, a missing non-null variable) says no, and the request goes through strict
//! validation, which gives every error as it always has.
//!
//! Knows async-graphql's parser types only.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    BaseType, OperationDefinition, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Value as ConstValue, Variables};

/// How deep a variable's value is followed before the check gives up (and says no).
const MAX_DEPTH: usize = 32;

/// The input objects and enums of a schema (see the module docs).
#[derive(Default)]
pub(super) struct InputTypes {
    /// Each input object's fields: name, type, whether it has a default.
    objects: HashMap<String, Vec<(String, Type, bool)>>,
    enums: HashMap<String, HashSet<String>>,
}

impl InputTypes {
    /// The input types of the schema `sdl` describes; an SDL that does not parse gives none,
    /// so every request is validated strictly.
    pub(super) fn from_sdl(sdl: &str) -> Self {
        let mut types = InputTypes::default();
        let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
            return types;
        };
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let ty = ty.node;
            // A "one of" input object has a rule of its own: left to strict validation.
            if ty.directives.iter().any(|d| d.node.name.node == "oneOf") {
                continue;
            }
            let name = ty.name.node.to_string();
            match ty.kind {
                TypeKind::InputObject(object) => {
                    let fields = object
                        .fields
                        .into_iter()
                        .map(|f| {
                            let f = f.node;
                            (
                                f.name.node.to_string(),
                                f.ty.node,
                                f.default_value.is_some(),
                            )
                        })
                        .collect();
                    types.objects.insert(name, fields);
                }
                TypeKind::Enum(e) => {
                    let values = e
                        .values
                        .into_iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect();
                    types.enums.insert(name, values);
                }
                _ => {}
            }
        }
        types
    }

    /// Whether every variable `operation` declares certainly fits its type in `variables`.
    pub(super) fn fit(&self, operation: &OperationDefinition, variables: &Variables) -> bool {
        operation.variable_definitions.iter().all(|definition| {
            let definition = &definition.node;
            match variables.get(&definition.name.node) {
                // A nullable variable with a default may stand where null may not (the
                // default makes it non-null for the position rule), and then an explicit null
                // is refused by strict validation only: left to it.
                Some(ConstValue::Null) if definition.default_value.is_some() => false,
                Some(value) => self.fits(&definition.var_type.node, value, 0),
                None => definition.default_value.is_some() || definition.var_type.node.nullable,
            }
        })
    }

    fn fits(&self, ty: &Type, value: &ConstValue, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if matches!(value, ConstValue::Null) {
            return ty.nullable;
        }
        match &ty.base {
            BaseType::List(item) => match value {
                ConstValue::List(items) => items.iter().all(|v| self.fits(item, v, depth + 1)),
                // A single value where a list is declared is coerced to a list of one: left to
                // strict validation, which knows the rules.
                _ => false,
            },
            BaseType::Named(name) => self.fits_named(name.as_str(), value, depth),
        }
    }

    fn fits_named(&self, name: &str, value: &ConstValue, depth: usize) -> bool {
        match (name, value) {
            ("String" | "ID", ConstValue::String(_)) | ("Boolean", ConstValue::Boolean(_)) => true,
            ("Int", ConstValue::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
            ("Float", ConstValue::Number(_)) => true,
            ("String" | "ID" | "Boolean" | "Int" | "Float", _) => false,
            _ => {
                if let Some(values) = self.enums.get(name) {
                    return matches!(value, ConstValue::String(s) if values.contains(s.as_str()));
                }
                let Some(fields) = self.objects.get(name) else {
                    // A custom scalar or a type this does not know: unsure.
                    return false;
                };
                let ConstValue::Object(map) = value else {
                    return false;
                };
                map.keys()
                    .all(|key| fields.iter().any(|(f, _, _)| f == key.as_str()))
                    && fields
                        .iter()
                        .all(|(field, ty, has_default)| match map.get(field.as_str()) {
                            Some(v) => self.fits(ty, v, depth + 1),
                            None => ty.nullable || *has_default,
                        })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = r#"
        enum Importance { ESSENTIAL OPTIONAL }
        input Held { skill: ID! level: Int! }
        input Profile { skills: [Held!]! = [] role: ID importance: Importance }
        input Pick @oneOf { a: Int b: Int }
        scalar Date
        type Query { f(p: Profile!): Int }
    "#;

    fn op(vars: &str) -> OperationDefinition {
        let doc = async_graphql::parser::parse_query(format!("query({vars}) {{ f }}")).unwrap();
        match doc.operations {
            async_graphql::parser::types::DocumentOperations::Single(op) => op.node,
            _ => unreachable!(),
        }
    }

    fn vars(json: &str) -> Variables {
        Variables::from_json(serde_json::from_str(json).unwrap())
    }

    #[test]
    fn only_values_that_certainly_fit_pass() {
        let types = InputTypes::from_sdl(SDL);
        let profile = op("$p: Profile!");
        let fit = |json: &str| types.fit(&profile, &vars(json));
        assert!(fit(r#"{"p": {"skills": [{"skill": "a", "level": 3}]}}"#));
        assert!(
            fit(r#"{"p": {"role": "r", "importance": "ESSENTIAL"}}"#),
            "a default"
        );
        assert!(
            !fit(r#"{"p": {"skills": {"skill": "a", "level": 3}}}"#),
            "one for a list"
        );
        assert!(!fit(r#"{}"#), "missing");
        assert!(!fit(r#"{"p": null}"#));
        assert!(
            !fit(r#"{"p": {"skills": [{"skill": "a"}]}}"#),
            "a required field"
        );
        assert!(!fit(r#"{"p": {"skills": [{"skill": "a", "level": "3"}]}}"#));
        assert!(
            !fit(r#"{"p": {"skills": [{"skill": 7, "level": 3}]}}"#),
            "an ID number"
        );
        assert!(
            !fit(r#"{"p": {"skills": [], "extra": 1}}"#),
            "an unknown field"
        );
        assert!(
            !fit(r#"{"p": {"importance": "CRUCIAL"}}"#),
            "an unknown enum value"
        );
        assert!(!fit(
            r#"{"p": {"skills": [{"skill": "a", "level": 3000000000}]}}"#
        ));
        let optional = op("$n: Int, $d: Date");
        assert!(types.fit(&optional, &vars(r#"{}"#)), "nullable and absent");
        assert!(
            types.fit(&optional, &vars(r#"{"n": null}"#)),
            "nullable, null"
        );
        let defaulted = op("$n: Int = 3");
        assert!(types.fit(&defaulted, &vars(r#"{}"#)));
        assert!(
            !types.fit(&defaulted, &vars(r#"{"n": null}"#)),
            "null for a default"
        );
        assert!(
            !types.fit(&optional, &vars(r#"{"d": "2026-12-08"}"#)),
            "a custom scalar"
        );
        assert!(
            !types.fit(&op("$x: Pick"), &vars(r#"{"x": {"a": 1}}"#)),
            "one of"
        );
    }
}
