//! The Apollo Federation v2 subgraph (`serve --federation`): `_service { sdl }` is the
//! subgraph SDL of `schema/`, `_entities(representations:)` answers skills and roles (null for
//! an id this revision does not hold), bad representations are refused with a clear error, and
//! entity lookups meet the limits of any list: a count (`maxRepresentations`) and their cost.
//! A server without the flag has none of it. The same subgraph composed with another and
//! served by a real gateway is `tests/federation.rs`.

use serde_json::{Value, json};
use skillgraph::graphql::Limits;
use skillgraph::http::ServerConfig;

use crate::helpers::{TestApp, assert_error, data, test_config};

async fn federated(limits: Limits) -> TestApp {
    TestApp::spawn_with(ServerConfig {
        federation: true,
        limits,
        ..test_config()
    })
    .await
}

const ENTITIES: &str = "query($r: [_Any!]!) {
    _entities(representations: $r) {
        __typename
        ... on Skill { id name }
        ... on Role { id name }
    }
}";

fn skill(id: &str) -> Value {
    json!({ "__typename": "Skill", "id": id })
}

fn role(id: &str) -> Value {
    json!({ "__typename": "Role", "id": id })
}

#[tokio::test]
async fn the_service_sdl_is_the_subgraph_sdl_of_the_schema_directory() {
    let app = federated(Limits::default()).await;
    let body = app.query("{ _service { sdl } }", json!({})).await;
    let served = data(&body)["_service"]["sdl"].as_str().unwrap();
    assert_eq!(served, skillgraph::graphql::federation_sdl());
    assert!(
        served.contains("type Skill @key(fields: \"id\")"),
        "{served}"
    );
    assert!(
        served.contains("type Role @key(fields: \"id\")"),
        "{served}"
    );
    assert!(
        served.contains("url: \"https://specs.apollo.dev/federation/v2.5\""),
        "{served}"
    );
}

#[tokio::test]
async fn entities_answer_in_order_and_unknown_ids_are_null() {
    let app = federated(Limits::default()).await;
    let body = app
        .query(
            ENTITIES,
            json!({ "r": [skill("rag"), skill("no-such-skill"), role("ai-engineer"),
                          role("no-such-role"), skill("Not A Slug")] }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let entities = data(&body)["_entities"].as_array().unwrap();
    assert_eq!(entities.len(), 5);
    assert_eq!(entities[0]["__typename"], "Skill");
    assert_eq!(entities[0]["id"], "rag");
    assert_eq!(entities[2]["__typename"], "Role");
    assert_eq!(entities[2]["id"], "ai-engineer");
    for missing in [1, 3, 4] {
        assert_eq!(entities[missing], Value::Null, "{body:#}");
    }
    // The same names as the plain fields give.
    let own = app
        .query(
            "{ skill(id: \"rag\") { name } role(id: \"ai-engineer\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(entities[0]["name"], data(&own)["skill"]["name"]);
    assert_eq!(entities[2]["name"], data(&own)["role"]["name"]);
}

#[tokio::test]
async fn a_bad_representation_is_refused_before_anything_runs() {
    let app = federated(Limits::default()).await;
    for (representation, why) in [
        (json!("rag"), "representation 1 is not an object"),
        (
            json!({ "id": "rag" }),
            "representation 1 has no `__typename` string",
        ),
        (
            json!({ "__typename": "Course", "id": "c1" }),
            "representation 1 names `Course`, which is not an entity of this subgraph (Role or \
             Skill)",
        ),
        (
            json!({ "__typename": "Skill" }),
            "representation 1 has no `id`: a Skill is found by its key",
        ),
        (
            json!({ "__typename": "Role", "id": true }),
            "representation 1 has no `id`: a Role is found by its key",
        ),
    ] {
        let body = app
            .query(ENTITIES, json!({ "r": [skill("rag"), representation] }))
            .await;
        let error = assert_error(&body, "INVALID_INPUT");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("`_entities`: {why}")),
            "{message}"
        );
        assert_eq!(error["extensions"]["representation"], 1);
        assert!(body.get("data").is_none(), "{body:#}");
    }
    // Written in the document rather than in variables: the same check.
    let body = app
        .query(
            "{ _entities(representations: [{__typename: \"Skill\"}]) { __typename } }",
            json!({}),
        )
        .await;
    assert_error(&body, "INVALID_INPUT");
}

#[tokio::test]
async fn more_representations_than_max_representations_are_refused() {
    let app = federated(Limits {
        max_representations: 3,
        ..Limits::default()
    })
    .await;
    let three = json!([skill("rag"), skill("sql"), role("ai-engineer")]);
    let body = app.query(ENTITIES, json!({ "r": three })).await;
    assert!(body.get("errors").is_none(), "{body:#}");

    let four = json!([
        skill("rag"),
        skill("sql"),
        role("ai-engineer"),
        skill("python")
    ]);
    let body = app.query(ENTITIES, json!({ "r": four })).await;
    let error = assert_error(&body, "LIMIT_EXCEEDED");
    assert_eq!(error["extensions"]["limit"], "maxRepresentations");
    assert_eq!(error["extensions"]["max"], 3);
    assert_eq!(
        error["message"],
        "`_entities` asks for 4 representations, more than the server's maxRepresentations (3)"
    );
    // Two `_entities` of two each, literal in the document, count together.
    let body = app
        .query(
            "{
                a: _entities(representations: [{__typename: \"Skill\", id: \"rag\"},
                                               {__typename: \"Skill\", id: \"sql\"}]) { __typename }
                b: _entities(representations: [{__typename: \"Skill\", id: \"rag\"},
                                               {__typename: \"Skill\", id: \"sql\"}]) { __typename }
            }",
            json!({}),
        )
        .await;
    assert_eq!(
        assert_error(&body, "LIMIT_EXCEEDED")["extensions"]["limit"],
        "maxRepresentations"
    );
    // In a fragment on `Query`, from a variable: counted as well.
    let body = app
        .query(
            "query($r: [_Any!]!) { ...Lookup } fragment Lookup on Query {
                _entities(representations: $r) { __typename }
            }",
            json!({ "r": four }),
        )
        .await;
    assert_eq!(
        assert_error(&body, "LIMIT_EXCEEDED")["extensions"]["limit"],
        "maxRepresentations"
    );
}

/// N representations cost what N aliased `skill(id:)` asking the same fields cost: async-graphql
/// alone would count `_entities` once, however many entities it resolves.
#[tokio::test]
async fn representations_count_in_the_complexity_as_aliased_lookups_do() {
    let app = federated(Limits {
        // `skill(id:) { id name }` and `_entities { ... on Skill { id name } }` cost 3 each.
        max_complexity: 30,
        ..Limits::default()
    })
    .await;
    let aliased = |n: usize| {
        let fields: Vec<String> = (0..n)
            .map(|i| format!("s{i}: skill(id: \"rag\") {{ id name }}"))
            .collect();
        format!("{{ {} }}", fields.join(" "))
    };
    let entities =
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Skill { id name } } }";
    let reps = |n: usize| json!({ "r": vec![skill("rag"); n] });

    let body = app.query(&aliased(10), json!({})).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let body = app.query(entities, reps(10)).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    assert_eq!(data(&body)["_entities"].as_array().unwrap().len(), 10);

    let body = app.query(&aliased(11), json!({})).await;
    assert_eq!(
        assert_error(&body, "LIMIT_EXCEEDED")["extensions"]["limit"],
        "maxComplexity"
    );
    let body = app.query(entities, reps(11)).await;
    let error = assert_error(&body, "LIMIT_EXCEEDED");
    assert_eq!(error["extensions"]["limit"], "maxComplexity");
    assert_eq!(error["extensions"]["max"], 30);
    assert_eq!(
        error["message"],
        "the query costs 3 for each of its 11 representations, 33 in all, more than the \
         server's maxComplexity (30)"
    );
    assert!(body.get("data").is_none(), "{body:#}");
}

/// `--no-introspection` hides the schema, and the subgraph SDL is the schema: a gateway
/// composes from `skillgraph schema --federation` instead. Entity lookups still answer.
#[tokio::test]
async fn without_introspection_the_service_sdl_is_refused_too() {
    let app = TestApp::spawn_with(ServerConfig {
        federation: true,
        introspection: false,
        ..test_config()
    })
    .await;
    let body = app
        .query(
            "query Compose { ...Sdl } fragment Sdl on Query { _service { sdl } }",
            json!({}),
        )
        .await;
    let error = assert_error(&body, "GRAPHQL_VALIDATION_FAILED");
    assert_eq!(
        error["message"],
        "introspection is turned off on this server, and `_service { sdl }` with it: compose \
         from `skillgraph schema --federation`"
    );
    let body = app.query(ENTITIES, json!({ "r": [skill("rag")] })).await;
    assert_eq!(data(&body)["_entities"][0]["id"], "rag", "{body:#}");
}

#[tokio::test]
async fn a_server_without_the_flag_has_no_federation_fields() {
    let app = TestApp::spawn().await;
    for query in [
        "{ _service { sdl } }",
        "{ _entities(representations: [{__typename: \"Skill\", id: \"rag\"}]) { __typename } }",
    ] {
        let body = app.query(query, json!({})).await;
        assert_error(&body, "GRAPHQL_VALIDATION_FAILED");
    }
    let body = app
        .query(
            "{ any: __type(name: \"_Any\") { name } entity: __type(name: \"_Entity\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&body), &json!({ "any": null, "entity": null }));

    let app = federated(Limits::default()).await;
    let body = app
        .query(
            "{ __type(name: \"_Entity\") { possibleTypes { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&body)["__type"]["possibleTypes"],
        json!([{ "name": "Role" }, { "name": "Skill" }])
    );
}
