//! The schema as served, read back over HTTP by introspection: what generated clients see.
//! References inside one snapshot are non-null, arguments and input fields with a default are
//! nullable (an explicit `null` meaning the default), and everything is described.

use serde_json::{Value, json};

use crate::helpers::{TestApp, data};

/// A type reference three wrappers deep: enough for `[T!]!`.
const TYPE_REF: &str = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";

/// Every type of the served schema, with fields, arguments, input fields and enum values.
async fn served_types(app: &TestApp) -> Vec<Value> {
    let query = format!(
        "{{ __schema {{ types {{ kind name description
            fields(includeDeprecated: true) {{ name description type {{ {TYPE_REF} }}
                args {{ name description defaultValue type {{ {TYPE_REF} }} }} }}
            inputFields {{ name description defaultValue type {{ {TYPE_REF} }} }}
            enumValues(includeDeprecated: true) {{ name description }} }} }} }}"
    );
    let body = app.query(&query, json!({})).await;
    data(&body)["__schema"]["types"]
        .as_array()
        .expect("__schema.types is a list")
        .clone()
}

fn find<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .and_then(|l| l.iter().find(|v| v["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {list:#}"))
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

#[tokio::test]
async fn references_that_always_resolve_are_non_null_in_the_served_schema() {
    // Arrange
    let app = TestApp::spawn().await;
    let types = Value::Array(served_types(&app).await);

    // Act / Assert
    for (ty, field) in [
        ("PathStep", "skill"),
        ("Prerequisite", "skill"),
        ("RoleRequirement", "skill"),
        ("RoleRequirement", "role"),
        ("RoleGap", "role"),
        ("RoleMatch", "role"),
        ("Skill", "category"),
        ("ImpliedSkill", "skill"),
        ("ImpliedSkill", "via"),
    ] {
        let f = find(&find(&types, ty)["fields"], field);
        assert_eq!(f["type"]["kind"], "NON_NULL", "{ty}.{field}: {f:#}");
    }
    // Null stays where it means something: a lookup that may not find, a root category.
    for (ty, field) in [
        ("Query", "skill"),
        ("Query", "role"),
        ("Category", "parent"),
    ] {
        let f = find(&find(&types, ty)["fields"], field);
        assert_eq!(f["type"]["kind"], "OBJECT", "{ty}.{field}: {f:#}");
    }
}

#[tokio::test]
async fn every_argument_and_input_field_with_a_default_is_nullable() {
    // Arrange
    let app = TestApp::spawn().await;
    let types = served_types(&app).await;

    // Act
    let mut defaults = Vec::new();
    let mut non_null = Vec::new();
    for ty in types
        .iter()
        .filter(|t| !t["name"].as_str().unwrap().starts_with("__"))
    {
        let name = ty["name"].as_str().unwrap();
        let mut check = |path: String, value: &Value| {
            if !value["defaultValue"].is_null() {
                defaults.push(path.clone());
                if value["type"]["kind"] == "NON_NULL" {
                    non_null.push(path);
                }
            }
        };
        for field in list(&ty["fields"]) {
            for arg in list(&field["args"]) {
                check(format!("{name}.{}({})", field["name"], arg["name"]), arg);
            }
        }
        for input in list(&ty["inputFields"]) {
            check(format!("{name}.{}", input["name"]), input);
        }
    }

    // Assert
    assert!(
        non_null.is_empty(),
        "arguments and input fields with a default must be nullable: {non_null:?}"
    );
    for expected in [
        r#"Query."skills"("first")"#,
        r#"Query."roles"("first")"#,
        r#"Query."matchRoles"("first")"#,
        r#"Query."matchRoles"("orderBy")"#,
        r#"Query."nextSkills"("first")"#,
        r#"Query."learningPath"("includeRecommended")"#,
        r#"Skill."prerequisites"("transitive")"#,
        r#"Mutation."deleteSkill"("cascade")"#,
        r#"Mutation."addPrerequisite"("kind")"#,
        r#"CategoryInput."order""#,
    ] {
        assert!(
            defaults.iter().any(|d| d == expected),
            "{expected} in {defaults:?}"
        );
    }
}

#[tokio::test]
async fn an_explicit_null_for_an_argument_with_a_default_means_the_default() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let skills = app
        .query("{ skills(first: null) { nodes { id } } }", json!({}))
        .await;
    let by_variable = app
        .query(
            "query($n: Int) { skills(first: $n) { nodes { id } } }",
            json!({ "n": null }),
        )
        .await;
    let prerequisites = app
        .query(
            r#"{ skill(id: "rag") { direct: prerequisites { skill { id } }
                 nulls: prerequisites(transitive: null, includeRecommended: null) { skill { id } } } }"#,
            json!({}),
        )
        .await;
    let plan = app
        .query(
            r#"{ a: learningPath(to: {roles: ["ml-engineer"]}) { totalHours }
                 b: learningPath(to: {roles: ["ml-engineer"]}, includeRecommended: null,
                                 includeOptional: null) { totalHours } }"#,
            json!({}),
        )
        .await;

    // Assert
    assert_eq!(
        list(&data(&skills)["skills"]["nodes"]).len(),
        20,
        "{skills:#}"
    );
    assert_eq!(data(&by_variable)["skills"], data(&skills)["skills"]);
    let skill = &data(&prerequisites)["skill"];
    assert!(!list(&skill["direct"]).is_empty(), "{prerequisites:#}");
    assert_eq!(skill["direct"], skill["nulls"]);
    assert_eq!(data(&plan)["a"], data(&plan)["b"]);
}

/// Built-in scalars: described by the GraphQL spec, not by this schema.
const SCALARS: &[&str] = &["String", "Int", "Float", "Boolean", "ID"];

#[tokio::test]
async fn every_type_field_argument_input_field_and_enum_value_is_described() {
    // Arrange
    let app = TestApp::spawn().await;
    let types = served_types(&app).await;

    // Act
    let mut missing = Vec::new();
    let mut counted = 0;
    let mut check = |path: String, value: &Value| {
        counted += 1;
        let described = value["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty());
        if !described {
            missing.push(path);
        }
    };
    for ty in &types {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || SCALARS.contains(&name) {
            continue;
        }
        check(name.to_owned(), ty);
        for field in list(&ty["fields"]) {
            let field_name = field["name"].as_str().unwrap();
            check(format!("{name}.{field_name}"), field);
            for arg in list(&field["args"]) {
                check(
                    format!("{name}.{field_name}({})", arg["name"].as_str().unwrap()),
                    arg,
                );
            }
        }
        for input in list(&ty["inputFields"]) {
            check(format!("{name}.{}", input["name"].as_str().unwrap()), input);
        }
        for value in list(&ty["enumValues"]) {
            check(format!("{name}.{}", value["name"].as_str().unwrap()), value);
        }
    }

    // Assert
    assert!(counted > 200, "the introspection saw too little: {counted}");
    assert!(
        missing.is_empty(),
        "{} of {counted} schema elements have no description:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}
