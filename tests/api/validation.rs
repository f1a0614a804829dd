//! A document strict validation passed once runs on a schema validating `Fast` when its
//! variables certainly fit (`graphql/exec/inputs.rs`): every answer, good or bad, must be the one
//! strict validation gives. Two executors over one seeded catalog, one strict only, one that
//! skips validation for known documents, answer the same requests, byte for byte.

use std::sync::Arc;

use async_graphql::{Request, ValidationMode, Variables};
use serde_json::{Value, json};
use skillgraph::graphql::{self, Limits, exec::Guarded};

use crate::helpers::{seed_dir, test_config};

const GAP: &str = "query Gap($from: ProfileInput!, $role: ID!) { roleGap(from: $from, to: $role) \
    { readiness underLevel { currentLevel requirement { level skill { id } } } \
    missing { requirement { skill { id } } } } }";
const MATCH: &str = "query M($p: ProfileInput!, $first: Int, $among: [ID!], \
    $order: RoleMatchOrder) { matchRoles(profile: $p, first: $first, among: $among, \
    orderBy: $order) { role { id } readiness } }";
const SKILL: &str = "query S($id: ID!, $t: Boolean = false, $on: Boolean!) { skill(id: $id) \
    { id name @include(if: $on) prerequisites(transitive: $t) { depth skill { id } } } }";
/// Nullable variables with defaults where non-null values are needed: strict validation refuses
/// an explicit null there, the executor alone would take it.
const DEFAULTED: &str = "query D($id: ID = \"rag\", $on: Boolean = true, $a: ID = \"ai-engineer\") \
    { skill(id: $id) { id name @include(if: $on) } matchRoles(profile: {}, among: [$a]) \
    { role { id } } }";

/// Variables for `query`, good ones first (they make the document known), then bad ones.
fn cases(query: &str) -> Vec<Value> {
    let held = |skill: Value, level: Value| json!({"skills": [{"skill": skill, "level": level}]});
    match query {
        GAP => vec![
            json!({"from": held(json!("python"), json!(3)), "role": "ai-engineer"}),
            json!({"from": {"skills": [], "role": "ai-engineer"}, "role": "ml-engineer"}),
            json!({"from": {}, "role": "ai-engineer"}),
            json!({"from": held(json!("python"), json!(9)), "role": "ai-engineer"}),
            json!({"from": held(json!("python"), json!(0)), "role": "ai-engineer"}),
            json!({"from": held(json!("python"), json!("3")), "role": "ai-engineer"}),
            json!({"from": held(json!("python"), json!(3.5)), "role": "ai-engineer"}),
            json!({"from": held(json!("python"), json!(4_000_000_000u64)), "role": "ai-engineer"}),
            json!({"from": held(json!(7), json!(3)), "role": "ai-engineer"}),
            json!({"from": held(json!(null), json!(3)), "role": "ai-engineer"}),
            json!({"from": held(json!("no-such-skill"), json!(3)), "role": "ai-engineer"}),
            json!({"from": {"skills": [{"skill": "python"}]}, "role": "ai-engineer"}),
            json!({"from": {"skills": [{"skill": "python", "level": 3, "x": 1}]}, "role": "a"}),
            json!({"from": {"skills": {"skill": "python", "level": 3}}, "role": "ai-engineer"}),
            json!({"from": {"skills": [null]}, "role": "ai-engineer"}),
            json!({"from": {"skills": null}, "role": "ai-engineer"}),
            json!({"from": {"role": 5}, "role": "ai-engineer"}),
            json!({"from": {"nope": true}, "role": "ai-engineer"}),
            json!({"from": [], "role": "ai-engineer"}),
            json!({"from": "python", "role": "ai-engineer"}),
            json!({"from": null, "role": "ai-engineer"}),
            json!({"role": "ai-engineer"}),
            json!({"from": {}, "role": null}),
            json!({"from": {}, "role": 12}),
            json!({"from": {}}),
            json!({"from": {}, "role": "no-such-role"}),
            json!({"from": {}, "role": "ai-engineer", "extra": [1, 2]}),
            json!({}),
        ],
        DEFAULTED => vec![
            json!({}),
            json!({"id": "python", "on": false, "a": "ai-engineer"}),
            json!({"id": null}),
            json!({"on": null}),
            json!({"a": null}),
            json!({"id": null, "on": null, "a": null}),
        ],
        MATCH => vec![
            json!({"p": held(json!("python"), json!(3)), "first": 3, "order": "HOURS"}),
            json!({"p": {}, "among": ["ai-engineer", "ml-engineer"]}),
            json!({"p": {}, "first": -1}),
            json!({"p": {}, "first": "3"}),
            json!({"p": {}, "first": 1e20}),
            json!({"p": {}, "order": "FASTEST"}),
            json!({"p": {}, "order": 1}),
            json!({"p": {}, "among": "ai-engineer"}),
            json!({"p": {}, "among": [null]}),
            json!({"p": {}, "among": [1, 2]}),
            json!({"p": {}, "among": []}),
            json!({"p": {"role": "no-such-role"}}),
            json!({"p": null}),
            json!({}),
        ],
        _ => vec![
            json!({"id": "rag", "t": true, "on": true}),
            json!({"id": "rag", "on": false}),
            json!({"id": "rag"}),
            json!({"id": "rag", "on": "yes"}),
            json!({"id": "rag", "on": null}),
            json!({"id": "rag", "t": 1, "on": true}),
            json!({"id": 3, "on": true}),
            json!({"id": ["rag"], "on": true}),
            json!({"id": "NOT A SLUG", "on": true}),
            json!({"id": "", "on": true}),
            json!({"on": true}),
        ],
    }
}

#[tokio::test]
async fn known_documents_answer_as_strict_validation_does() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let catalog = Arc::new(
        skillgraph::catalog::start::open_seeded(
            &dir.path().join("db"),
            Some(&seed_dir()),
            Default::default(),
        )
        .expect("a seeded database"),
    );
    let config = test_config();
    let schema = |mode| {
        graphql::schema_validating(
            catalog.clone(),
            Limits::default(),
            true,
            false,
            Default::default(),
            false,
            mode,
        )
    };
    let strict = Guarded::new(schema(ValidationMode::Strict), &config);
    let known = Guarded::new(schema(ValidationMode::Strict), &config)
        .validating_known_documents_with(schema(ValidationMode::Fast));
    let mut skipped = 0;
    for query in [GAP, MATCH, SKILL, DEFAULTED] {
        for (n, variables) in cases(query).into_iter().enumerate() {
            let request = || Request::new(query).variables(Variables::from_json(variables.clone()));
            let mut asked = request();
            let ticket = known.prepare(&mut asked).expect("a document that parses");
            if n == 0 {
                assert!(
                    !ticket.skips_validation(),
                    "a document seen for the first time"
                );
            }
            skipped += usize::from(ticket.skips_validation());
            let answer = known.execute_prepared(asked, &ticket).await;
            let mut asked = request();
            let ticket = strict.prepare(&mut asked).expect("a document that parses");
            assert!(!ticket.skips_validation(), "no fast schema, no skipping");
            let expected = strict.execute_prepared(asked, &ticket).await;
            if n == 0 {
                assert!(expected.errors.is_empty(), "{query}: {:?}", expected.errors);
            }
            assert_eq!(
                serde_json::to_value(&answer).unwrap(),
                serde_json::to_value(&expected).unwrap(),
                "{query} with {variables}"
            );
        }
        // The good variables again: now the document is known.
        let mut asked =
            Request::new(query).variables(Variables::from_json(cases(query)[0].clone()));
        let ticket = known.prepare(&mut asked).expect("a document that parses");
        assert!(
            ticket.skips_validation(),
            "{query}: known, and its variables fit"
        );
    }
    assert!(skipped >= 6, "the fast way was taken {skipped} times");
}
