//! The synchronous walk of big lists (`graphql::flat`) answers exactly as async-graphql's own
//! executor: every query here runs both ways on the seeded graph and the answers must be
//! equal, including the selections the walk hands back to the executor. Compared as JSON
//! values, not bytes: async-graphql 7 orders an object's fields by completion, so a field
//! that awaits (a gap's `hours`, planned on the blocking pool) may come out last. A third run
//! asks as HTTP does ([`Raw`]: the walk's JSON text passed on as written) and must answer the
//! same.

use std::sync::Arc;

use async_graphql::{Request, Variables};
use serde_json::json;
use skillgraph::graphql::flat::{Raw, Walk, write};
use skillgraph::graphql::{self, Limits};

use crate::helpers::seed_dir;

const QUERIES: &[&str] = &[
    // Transitive prerequisites with every plain field, nested objects and __typename.
    r#"{ skill(id: "rag") { prerequisites(transitive: true, includeRecommended: true) {
        __typename depth kind minLevel
        skill { __typename id name description aliases tags hours externalId
                category { id name description order parent { id name } }
                resources { title url kind } } } } }"#,
    // Aliases, fragments and inline fragments.
    r#"query { skill(id: "fine-tuning") { prerequisites(transitive: true) {
        d: depth ...P ... on Prerequisite { kind } ... { minLevel } } } }
       fragment P on Prerequisite { skill { ...S } }
       fragment S on Skill { id label: name }"#,
    // A field with arguments inside the list: handed to the executor.
    r#"{ skill(id: "rag") { prerequisites(transitive: true) { depth
        skill { id prerequisites { depth skill { id } } unlocks { id } } } } }"#,
    // A response key selected twice: merged by the executor.
    r#"{ skill(id: "rag") { prerequisites { skill { id } skill { name } } } }"#,
    // Dependents, the roles requiring a skill, and role requirements.
    r#"{ skill(id: "python") { unlocks(transitive: true) { id name category { id } }
        requiredBy { level importance role { id name requirements { level skill { id } } } } } }"#,
    // A plan's steps with every field, the union field handed back.
    r#"{ learningPath(from: {role: "software-engineer"}, to: {roles: ["ai-engineer"]}) {
        stages totalHours steps { position stage fromLevel toLevel hours
            skill { id name hours } because { id } chain { id name } } } }"#,
    // Paced and budgeted: weeks on the steps, the deferred steps (null weeks) as a list too.
    r#"{ learningPath(from: {role: "software-engineer"}, to: {roles: ["ai-engineer"]},
                      budgetHours: 200, hoursPerWeek: 10) {
        weeks deferredHours readinessWithinBudget budgetExact
        steps { position stage hours startWeek endWeek skill { id } because { id } }
        deferred { position stage hours startWeek endWeek skill { id name } chain { id } } } }"#,
    r#"{ learningPath(to: {roles: ["ml-engineer"]}) { steps { position
        serves { __typename ... on Skill { id } ... on Role { id } } } } }"#,
    // A gap's lists, with and without the plan.
    r#"{ roleGap(from: {skills: [{skill: "python", level: 4}, {skill: "sql", level: 2}]},
                 to: "ml-engineer") {
        readiness hours
        satisfied { currentLevel requirement { level importance skill { id name } } }
        underLevel { currentLevel requirement { level skill { id name } role { id } } }
        missing { __typename currentLevel requirement { level importance skill { id } } }
        path { steps { position skill { id } } } } }"#,
    // The skill held, and a key selected twice: the executor answers the whole list.
    r#"{ roleGap(from: {skills: [{skill: "python", level: 4}, {skill: "sql", level: 2}]},
                 to: "ml-engineer") {
        satisfied { heldSkill { id name } currentLevel requirement { skill { id } } }
        underLevel { currentLevel currentLevel heldSkill { id } requirement { level } }
        missing { heldSkill { id } requirement { skill { id } } requirement { level } } } }"#,
    r#"{ roles(first: 3) { edges { node { id requirements { level skill { id name } } } } } }"#,
    // Everything of an object skipped: the executor answers null for it.
    r#"{ role(id: "ai-engineer") { requirements { level skill { name @skip(if: true) } } } }"#,
    r#"query($on: Boolean!) { skill(id: "rag") { prerequisites(transitive: true) {
        depth skill { id @include(if: $on) ... on Skill @include(if: $on) { name } } } } }"#,
];

#[tokio::test]
async fn the_synchronous_walk_answers_exactly_as_the_executor() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let catalog = skillgraph::catalog::start::open_seeded(
        &dir.path().join("db"),
        Some(&seed_dir()),
        Default::default(),
    )
    .expect("a seeded database");
    let schema = graphql::schema(Arc::new(catalog), Limits::default(), true);
    for query in QUERIES {
        // `$on` is false: the queries that declare it skip part of what they select.
        let request = || Request::new(*query).variables(Variables::from_json(json!({"on": false})));
        let walked = schema.execute(request()).await;
        let executed = schema.execute(request().data(Walk::Off)).await;
        // As HTTP asks: the walk's JSON text passed on as written, into the response's.
        let raw = schema.execute(request().data(Raw)).await;
        assert!(walked.errors.is_empty(), "{query}: {:?}", walked.errors);
        assert!(raw.errors.is_empty(), "{query}: {:?}", raw.errors);
        let mut text = vec![];
        write(&mut text, &raw.data);
        let raw: serde_json::Value = serde_json::from_slice(&text)
            .unwrap_or_else(|e| panic!("{query}: the raw answer is not JSON ({e})"));
        let (walked, executed) = (
            serde_json::to_value(&walked).unwrap(),
            serde_json::to_value(&executed).unwrap(),
        );
        assert!(
            walked.to_string().len() > 40,
            "{query} answered too little: {walked}"
        );
        assert_eq!(walked, executed, "{query}");
        assert_eq!(raw, executed["data"], "{query}: written raw");
    }
}
