//! Mutations with the admin token: each successful write moves the revision by one and is
//! visible to the next query; each refused one carries its code and changes nothing.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{IdOnly, TestApp, assert_error, data, field};

const CREATE_SKILL: &str = "mutation($input: SkillInput!) { createSkill(input: $input) {
    id name hours aliases tags description category { id } resources { title url kind } } }";

const ADD_PREREQUISITE: &str =
    "mutation($s: ID!, $r: ID!, $kind: PrerequisiteKind! = REQUIRED, $min: Int) {
    addPrerequisite(skill: $s, requires: $r, kind: $kind, minLevel: $min) {
        id prerequisites { skill { id } kind minLevel depth } } }";

const REMOVE_PREREQUISITE: &str = "mutation($s: ID!, $r: ID!) {
    removePrerequisite(skill: $s, requires: $r) { id prerequisites { skill { id } } } }";

const DELETE_SKILL: &str =
    "mutation($id: ID!, $cascade: Boolean! = false) { deleteSkill(id: $id, cascade: $cascade) }";

async fn skill(app: &TestApp, id: &str) -> Value {
    let body = app
        .query(
            "query($id: ID!) { skill(id: $id) {
                id name hours aliases description category { id }
                prerequisites { skill { id } kind minLevel }
                unlocks { id }
                requiredBy { role { id } level importance } } }",
            json!({ "id": id }),
        )
        .await;
    data(&body)["skill"].clone()
}

async fn role(app: &TestApp, id: &str) -> Value {
    let body = app
        .query(
            "query($id: ID!) { role(id: $id) { id name description
                requirements { skill { id } level importance } } }",
            json!({ "id": id }),
        )
        .await;
    data(&body)["role"].clone()
}

fn skill_input(id: &str, category: &str) -> Value {
    json!({ "input": {
        "id": id,
        "name": "Vector database operations",
        "category": category,
        "hours": 12,
        "description": "Running a vector store in production.",
        "aliases": ["vectordb ops"],
        "tags": ["retrieval"],
        "resources": [{ "title": "Qdrant docs", "url": "https://qdrant.tech/documentation/", "kind": "DOCUMENTATION" }]
    }})
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|x| {
            x.get("skill")
                .map_or(&x["id"], |s| &s["id"])
                .as_str()
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn upsert_category_creates_a_category_that_lists_in_order() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.revision().await;

    // Act
    let body = app
        .admin(
            "mutation($input: CategoryInput!) { upsertCategory(input: $input) { id name order parent { id } } }",
            json!({ "input": { "id": "robotics", "name": "Robotics", "order": 10, "parent": "ml" } }),
        )
        .await;

    // Assert
    assert_eq!(
        data(&body)["upsertCategory"],
        json!({ "id": "robotics", "name": "Robotics", "order": 10, "parent": { "id": "ml" } })
    );
    assert_eq!(app.revision().await, before + 1);
    let listed = app.query("{ categories { id } }", json!({})).await;
    let listed = ids(&data(&listed)["categories"])
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert_eq!(listed.len(), 10);
    assert_eq!(listed.last().map(String::as_str), Some("robotics"));
}

#[tokio::test]
async fn upsert_category_replaces_an_existing_category() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .admin(
            "mutation { upsertCategory(input: { id: \"soft-skills\", name: \"People skills\", order: 0 }) { id name order } }",
            json!({}),
        )
        .await;

    // Assert
    assert_eq!(data(&body)["upsertCategory"]["name"], "People skills");
    let listed = app.query("{ categories { id name } }", json!({})).await;
    assert_eq!(data(&listed)["categories"][0]["id"], "soft-skills");
    assert_eq!(data(&listed)["categories"].as_array().unwrap().len(), 9);
}

#[tokio::test]
async fn a_category_that_would_be_its_own_ancestor_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;
    app.admin(
        "mutation { upsertCategory(input: { id: \"child\", name: \"Child\", parent: \"ml\" }) { id } }",
        json!({}),
    )
    .await;
    let before = app.revision().await;

    // Act
    let body = app
        .admin(
            "mutation { upsertCategory(input: { id: \"ml\", name: \"ML\", order: 3, parent: \"child\" }) { id } }",
            json!({}),
        )
        .await;

    // Assert
    assert_error(&body, "INVALID_INPUT");
    assert_eq!(app.revision().await, before);
}

#[tokio::test]
async fn create_skill_returns_the_new_skill_and_it_can_be_read_back() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(CREATE_SKILL, skill_input("vectordb-ops", "genai"))
        .await;

    // Assert
    let created = &data(&body)["createSkill"];
    assert_eq!(created["id"], "vectordb-ops");
    assert_eq!(created["category"]["id"], "genai");
    assert_eq!(created["hours"], 12);
    assert_eq!(created["aliases"], json!(["vectordb ops"]));
    assert_eq!(created["resources"][0]["kind"], "DOCUMENTATION");
    let read = skill(&app, "vectordb-ops").await;
    assert_eq!(read["name"], "Vector database operations");
    assert_eq!(read["prerequisites"], json!([]));
    let after = app.stats().await;
    assert_eq!(after.skills, before.skills + 1);
    assert_eq!(after.revision, before.revision + 1);
    let found = app
        .query(
            r#"{ skills(query: "vectordb ops") { nodes { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data(&found)["skills"]["nodes"][0]["id"], "vectordb-ops");
}

#[tokio::test]
async fn creating_a_skill_with_a_taken_id_is_refused_as_a_conflict() {
    // Arrange
    let app = TestApp::spawn().await;
    app.admin(CREATE_SKILL, skill_input("vectordb-ops", "genai"))
        .await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(CREATE_SKILL, skill_input("vectordb-ops", "mlops"))
        .await;

    // Assert
    assert_error(&body, "CONFLICT");
    assert_eq!(app.stats().await, before);
    assert_eq!(skill(&app, "vectordb-ops").await["category"]["id"], "genai");
}

#[tokio::test]
async fn creating_a_skill_in_an_unknown_category_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(CREATE_SKILL, skill_input("vectordb-ops", "astrology"))
        .await;

    // Assert
    assert_error(&body, "NOT_FOUND");
    assert_eq!(app.stats().await, before);
    assert!(skill(&app, "vectordb-ops").await.is_null());
}

#[tokio::test]
async fn creating_a_skill_with_an_invalid_id_or_negative_hours_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let mut negative = skill_input("vectordb-ops", "genai");
    negative["input"]["hours"] = json!(-1);
    let mut blank_name = skill_input("vectordb-ops", "genai");
    blank_name["input"]["name"] = json!("   ");

    // Act
    let bad_id = app
        .admin(CREATE_SKILL, skill_input("Vector DB", "genai"))
        .await;
    let negative = app.admin(CREATE_SKILL, negative).await;
    let blank_name = app.admin(CREATE_SKILL, blank_name).await;

    // Assert
    assert_error(&bad_id, "INVALID_INPUT");
    assert_error(&negative, "INVALID_INPUT");
    assert_error(&blank_name, "INVALID_INPUT");
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn update_skill_changes_the_given_fields_and_keeps_the_others() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.revision().await;
    let old = skill(&app, "rag").await;

    // Act
    let body = app
        .admin(
            r#"mutation { updateSkill(id: "rag", input: { hours: 35, aliases: ["RAG", "grounded generation"] }) {
                id name hours aliases category { id } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let updated = &data(&body)["updateSkill"];
    assert_eq!(updated["hours"], 35);
    assert_eq!(updated["aliases"], json!(["RAG", "grounded generation"]));
    let read = skill(&app, "rag").await;
    assert_eq!(read["hours"], 35);
    assert_eq!(read["name"], old["name"]);
    assert_eq!(read["description"], old["description"]);
    assert_eq!(read["category"], old["category"]);
    assert_eq!(read["prerequisites"], old["prerequisites"], "edges stay");
    assert_eq!(read["requiredBy"], old["requiredBy"], "requirements stay");
    assert_eq!(app.revision().await, before + 1);
    let found = app
        .query(
            r#"{ skills(query: "grounded generation") { nodes { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data(&found)["skills"]["nodes"][0]["id"],
        "rag",
        "the new alias is searchable"
    );
}

#[tokio::test]
async fn updating_an_unknown_skill_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.revision().await;

    // Act
    let body = app
        .admin(
            r#"mutation { updateSkill(id: "time-travel", input: { hours: 1 }) { id } }"#,
            json!({}),
        )
        .await;

    // Assert
    assert_error(&body, "NOT_FOUND");
    assert_eq!(app.revision().await, before);
}

#[tokio::test]
async fn add_prerequisite_records_the_edge_on_both_ends() {
    // Arrange
    let app = TestApp::spawn().await;
    app.admin(CREATE_SKILL, skill_input("vectordb-ops", "genai"))
        .await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(
            ADD_PREREQUISITE,
            json!({ "s": "vectordb-ops", "r": "vector-search", "min": 2 }),
        )
        .await;

    // Assert
    let returned = &data(&body)["addPrerequisite"];
    assert_eq!(returned["id"], "vectordb-ops");
    assert_eq!(
        returned["prerequisites"],
        json!([{ "skill": { "id": "vector-search" }, "kind": "REQUIRED", "minLevel": 2, "depth": 1 }])
    );
    let unlocks = skill(&app, "vector-search").await["unlocks"].clone();
    assert!(ids(&unlocks).contains(&"vectordb-ops"), "{unlocks}");
    let after = app.stats().await;
    assert_eq!(after.prerequisites, before.prerequisites + 1);
    assert_eq!(after.revision, before.revision + 1);
}

#[tokio::test]
async fn add_prerequisite_can_record_a_recommended_edge() {
    // Arrange
    let app = TestApp::spawn().await;
    app.admin(CREATE_SKILL, skill_input("vectordb-ops", "genai"))
        .await;

    // Act
    let body = app
        .admin(
            ADD_PREREQUISITE,
            json!({ "s": "vectordb-ops", "r": "kubernetes", "kind": "RECOMMENDED" }),
        )
        .await;

    // Assert
    assert_eq!(
        data(&body)["addPrerequisite"]["prerequisites"][0]["kind"],
        "RECOMMENDED"
    );
    let required_only = app
        .query(
            r#"{ skill(id: "vectordb-ops") { prerequisites(includeRecommended: false) { skill { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data(&required_only)["skill"]["prerequisites"], json!([]));
}

#[tokio::test]
async fn an_edge_that_would_close_a_cycle_is_refused_naming_the_cycle() {
    // Arrange: rag requires llm-applications, which requires transformers.
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(ADD_PREREQUISITE, json!({ "s": "transformers", "r": "rag" }))
        .await;

    // Assert
    let error = assert_error(&body, "CYCLE");
    let cycle: Vec<String> = serde_json::from_value(error["extensions"]["cycle"].clone())
        .unwrap_or_else(|e| panic!("extensions.cycle is not a list of ids ({e}): {error:#}"));
    assert!(cycle.len() >= 3, "{cycle:?}");
    assert_eq!(cycle.first(), cycle.last(), "{cycle:?}");
    assert_eq!(cycle[0], "transformers");
    assert_eq!(cycle[1], "rag");
    assert!(cycle.contains(&"llm-applications".to_owned()), "{cycle:?}");
    assert_eq!(app.stats().await, before);
    let rag_is_not_a_prerequisite = skill(&app, "transformers").await["prerequisites"].clone();
    assert!(!ids(&rag_is_not_a_prerequisite).contains(&"rag"));
}

#[tokio::test]
async fn a_skill_cannot_be_its_own_prerequisite() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(ADD_PREREQUISITE, json!({ "s": "python", "r": "python" }))
        .await;

    // Assert
    assert_error(&body, "INVALID_INPUT");
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn a_prerequisite_on_an_unknown_skill_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(
            ADD_PREREQUISITE,
            json!({ "s": "python", "r": "time-travel" }),
        )
        .await;

    // Assert
    assert_error(&body, "NOT_FOUND");
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn remove_prerequisite_drops_the_edge_and_removing_it_again_is_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let first = app
        .admin(
            REMOVE_PREREQUISITE,
            json!({ "s": "rag", "r": "vector-search" }),
        )
        .await;
    let after_first = app.stats().await;
    let second = app
        .admin(
            REMOVE_PREREQUISITE,
            json!({ "s": "rag", "r": "vector-search" }),
        )
        .await;

    // Assert
    assert_eq!(
        ids(&data(&first)["removePrerequisite"]["prerequisites"]),
        ["llm-applications", "llm-evaluation"]
    );
    assert_eq!(after_first.prerequisites, before.prerequisites - 1);
    assert_eq!(after_first.revision, before.revision + 1);
    assert_error(&second, "NOT_FOUND");
    assert_eq!(app.stats().await, after_first);
}

#[tokio::test]
async fn deleting_a_skill_others_require_is_refused_as_a_conflict_naming_them() {
    // Arrange: llm-applications is required by rag (and others) and by roles.
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(DELETE_SKILL, json!({ "id": "llm-applications" }))
        .await;

    // Assert
    let error = assert_error(&body, "CONFLICT");
    let used_by: Vec<String> = serde_json::from_value(error["extensions"]["usedBy"].clone())
        .unwrap_or_else(|e| panic!("extensions.usedBy is not a list ({e}): {error:#}"));
    assert!(used_by.contains(&"skill rag".to_owned()), "{used_by:?}");
    assert!(
        used_by.contains(&"role ai-engineer".to_owned()),
        "{used_by:?}"
    );
    assert_eq!(app.stats().await, before);
    assert!(!skill(&app, "llm-applications").await.is_null());
}

#[tokio::test]
async fn deleting_a_skill_with_cascade_removes_its_edges_and_requirements_too() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let old = skill(&app, "llm-applications").await;
    let edges_out = old["prerequisites"].as_array().unwrap().len() as i64;
    let edges_in = old["unlocks"].as_array().unwrap().len() as i64;
    let requirements = old["requiredBy"].as_array().unwrap().len() as i64;
    assert!(
        edges_in > 0 && requirements > 0,
        "the arrangement needs a used skill"
    );

    // Act
    let body = app
        .admin(
            DELETE_SKILL,
            json!({ "id": "llm-applications", "cascade": true }),
        )
        .await;

    // Assert
    assert_eq!(data(&body)["deleteSkill"], "llm-applications");
    assert!(skill(&app, "llm-applications").await.is_null());
    let after = app.stats().await;
    assert_eq!(after.skills, before.skills - 1);
    assert_eq!(
        after.prerequisites,
        before.prerequisites - edges_out - edges_in
    );
    assert_eq!(after.requirements, before.requirements - requirements);
    assert_eq!(after.revision, before.revision + 1);
    let rag = skill(&app, "rag").await;
    assert!(!ids(&rag["prerequisites"]).contains(&"llm-applications"));
    let ai = role(&app, "ai-engineer").await;
    assert!(!ids(&ai["requirements"]).contains(&"llm-applications"));
}

#[tokio::test]
async fn deleting_an_unused_skill_needs_no_cascade() {
    // Arrange
    let app = TestApp::spawn().await;
    app.admin(CREATE_SKILL, skill_input("vectordb-ops", "genai"))
        .await;
    app.add_prerequisite("vectordb-ops", "vector-search").await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(DELETE_SKILL, json!({ "id": "vectordb-ops" }))
        .await;

    // Assert
    assert_eq!(data(&body)["deleteSkill"], "vectordb-ops");
    let after = app.stats().await;
    assert_eq!(after.skills, before.skills - 1);
    assert_eq!(
        after.prerequisites,
        before.prerequisites - 1,
        "its own edge goes with it"
    );
    let unlocks = skill(&app, "vector-search").await["unlocks"].clone();
    assert!(!ids(&unlocks).contains(&"vectordb-ops"));
}

#[tokio::test]
async fn deleting_an_unknown_skill_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.revision().await;

    // Act
    let body = app
        .admin(DELETE_SKILL, json!({ "id": "time-travel" }))
        .await;

    // Assert
    assert_error(&body, "NOT_FOUND");
    assert_eq!(app.revision().await, before);
}

const UPSERT_ROLE: &str = "mutation($input: RoleInput!) { upsertRole(input: $input) {
    id name description requirements { skill { id } level importance } } }";

#[tokio::test]
async fn upsert_role_creates_a_role_with_its_requirements_sorted_by_skill() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(
            UPSERT_ROLE,
            json!({ "input": {
                "id": "rag-specialist",
                "name": "RAG specialist",
                "description": "Grounds LLMs in company data.",
                "requirements": [
                    { "skill": "rag", "level": 5 },
                    { "skill": "embeddings", "level": 3, "importance": "OPTIONAL" },
                ]
            }}),
        )
        .await;

    // Assert
    assert_eq!(
        data(&body)["upsertRole"]["requirements"],
        json!([
            { "skill": { "id": "embeddings" }, "level": 3, "importance": "OPTIONAL" },
            { "skill": { "id": "rag" }, "level": 5, "importance": "ESSENTIAL" },
        ])
    );
    let read = role(&app, "rag-specialist").await;
    assert_eq!(read["name"], "RAG specialist");
    let after = app.stats().await;
    assert_eq!(after.roles, before.roles + 1);
    assert_eq!(after.requirements, before.requirements + 2);
    assert_eq!(after.revision, before.revision + 1);
    let required_by = skill(&app, "rag").await["requiredBy"].clone();
    assert!(
        required_by
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"]["id"] == "rag-specialist" && r["level"] == 5),
        "{required_by}"
    );
}

#[tokio::test]
async fn upsert_role_replaces_the_whole_list_of_requirements() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .admin(
            UPSERT_ROLE,
            json!({ "input": { "id": "ai-engineer", "name": "AI engineer", "requirements": [{ "skill": "rag", "level": 3 }] } }),
        )
        .await;

    // Assert
    assert_eq!(ids(&data(&body)["upsertRole"]["requirements"]), ["rag"]);
    let python = skill(&app, "python").await["requiredBy"].clone();
    assert!(
        !python
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"]["id"] == "ai-engineer"),
        "the dropped requirement still shows in requiredBy: {python}"
    );
}

#[tokio::test]
async fn a_role_requiring_an_unknown_skill_is_refused_as_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(
            UPSERT_ROLE,
            json!({ "input": { "id": "time-traveller", "name": "Time traveller", "requirements": [{ "skill": "time-travel", "level": 3 }] } }),
        )
        .await;

    // Assert
    assert_error(&body, "NOT_FOUND");
    assert_eq!(app.stats().await, before);
}

const SET_REQUIREMENT: &str =
    "mutation($role: ID!, $skill: ID!, $level: Int!, $imp: Importance! = ESSENTIAL) {
    setRequirement(role: $role, skill: $skill, level: $level, importance: $imp) {
        id requirements { skill { id } level importance } } }";

const REMOVE_REQUIREMENT: &str = "mutation($role: ID!, $skill: ID!) {
    removeRequirement(role: $role, skill: $skill) { id requirements { skill { id } } } }";

#[tokio::test]
async fn set_requirement_adds_a_requirement_and_then_updates_it() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let added = app
        .admin(
            SET_REQUIREMENT,
            json!({ "role": "software-engineer", "skill": "rag", "level": 2, "imp": "OPTIONAL" }),
        )
        .await;
    let updated = app
        .admin(
            SET_REQUIREMENT,
            json!({ "role": "software-engineer", "skill": "rag", "level": 4 }),
        )
        .await;

    // Assert
    let find = |body: &Value| {
        data(body)["setRequirement"]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["skill"]["id"] == "rag")
            .cloned()
            .unwrap_or_else(|| panic!("no rag requirement in {body:#}"))
    };
    assert_eq!(
        (
            find(&added)["level"].clone(),
            find(&added)["importance"].clone()
        ),
        (json!(2), json!("OPTIONAL"))
    );
    assert_eq!(
        (
            find(&updated)["level"].clone(),
            find(&updated)["importance"].clone()
        ),
        (json!(4), json!("ESSENTIAL"))
    );
    let after = app.stats().await;
    assert_eq!(
        after.requirements,
        before.requirements + 1,
        "updated in place, not added twice"
    );
    assert_eq!(after.revision, before.revision + 2);
}

#[tokio::test]
async fn set_requirement_at_level_zero_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(
            SET_REQUIREMENT,
            json!({ "role": "software-engineer", "skill": "rag", "level": 0 }),
        )
        .await;

    // Assert
    assert_error(&body, "INVALID_INPUT");
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn remove_requirement_drops_it_and_removing_it_again_is_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let first = app
        .admin(
            REMOVE_REQUIREMENT,
            json!({ "role": "ai-engineer", "skill": "rag" }),
        )
        .await;
    let second = app
        .admin(
            REMOVE_REQUIREMENT,
            json!({ "role": "ai-engineer", "skill": "rag" }),
        )
        .await;

    // Assert
    let remaining = ids(&data(&first)["removeRequirement"]["requirements"]);
    assert_eq!(remaining.len(), 42);
    assert!(!remaining.contains(&"rag"));
    assert_error(&second, "NOT_FOUND");
    let after = app.stats().await;
    assert_eq!(after.requirements, before.requirements - 1);
    assert_eq!(after.revision, before.revision + 1);
}

#[tokio::test]
async fn delete_role_removes_it_and_its_requirements_and_deleting_again_is_not_found() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;
    let requirements = role(&app, "data-engineer").await["requirements"]
        .as_array()
        .unwrap()
        .len() as i64;

    // Act
    let first = app
        .admin(r#"mutation { deleteRole(id: "data-engineer") }"#, json!({}))
        .await;
    let second = app
        .admin(r#"mutation { deleteRole(id: "data-engineer") }"#, json!({}))
        .await;

    // Assert
    assert_eq!(data(&first)["deleteRole"], "data-engineer");
    assert!(role(&app, "data-engineer").await.is_null());
    assert_error(&second, "NOT_FOUND");
    let after = app.stats().await;
    assert_eq!(after.roles, before.roles - 1);
    assert_eq!(after.requirements, before.requirements - requirements);
    assert_eq!(after.revision, before.revision + 1);
    let sql = skill(&app, "sql").await["requiredBy"].clone();
    assert!(
        !sql.as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"]["id"] == "data-engineer")
    );
}

#[tokio::test]
async fn the_revision_rises_by_one_per_successful_write_and_not_at_all_per_refused_one() {
    // Arrange
    let app = TestApp::spawn().await;
    let writes: Vec<(&str, Value, Option<&str>)> = vec![
        (
            "mutation { upsertCategory(input: { id: \"robotics\", name: \"Robotics\", order: 10 }) { id } }",
            json!({}),
            None,
        ),
        (CREATE_SKILL, skill_input("ros", "robotics"), None),
        (
            CREATE_SKILL,
            skill_input("ros", "robotics"),
            Some("CONFLICT"),
        ),
        (
            r#"mutation { updateSkill(id: "ros", input: { hours: 30 }) { id } }"#,
            json!({}),
            None,
        ),
        (ADD_PREREQUISITE, json!({ "s": "ros", "r": "python" }), None),
        (
            ADD_PREREQUISITE,
            json!({ "s": "python", "r": "ros" }),
            Some("CYCLE"),
        ),
        (
            ADD_PREREQUISITE,
            json!({ "s": "ros", "r": "ros" }),
            Some("INVALID_INPUT"),
        ),
        (
            REMOVE_PREREQUISITE,
            json!({ "s": "ros", "r": "python" }),
            None,
        ),
        (
            REMOVE_PREREQUISITE,
            json!({ "s": "ros", "r": "python" }),
            Some("NOT_FOUND"),
        ),
        (
            UPSERT_ROLE,
            json!({ "input": { "id": "roboticist", "name": "Roboticist", "requirements": [{ "skill": "ros", "level": 3 }] } }),
            None,
        ),
        (
            SET_REQUIREMENT,
            json!({ "role": "roboticist", "skill": "python", "level": 3 }),
            None,
        ),
        (
            SET_REQUIREMENT,
            json!({ "role": "roboticist", "skill": "python", "level": 9 }),
            Some("INVALID_INPUT"),
        ),
        (
            REMOVE_REQUIREMENT,
            json!({ "role": "roboticist", "skill": "python" }),
            None,
        ),
        (DELETE_SKILL, json!({ "id": "ros" }), Some("CONFLICT")),
        (DELETE_SKILL, json!({ "id": "ros", "cascade": true }), None),
        (
            r#"mutation { deleteRole(id: "roboticist") }"#,
            json!({}),
            None,
        ),
        (
            r#"mutation { deleteRole(id: "roboticist") }"#,
            json!({}),
            Some("NOT_FOUND"),
        ),
    ];
    let mut revision = app.revision().await;

    for (query, variables, refusal) in writes {
        // Act
        let body = app.admin(query, variables.clone()).await;
        let now = app.revision().await;

        // Assert
        match refusal {
            None => {
                data(&body);
                assert_eq!(now, revision + 1, "after {query} with {variables}");
            }
            Some(code) => {
                assert_error(&body, code);
                assert_eq!(
                    now, revision,
                    "a refused {query} with {variables} moved the revision"
                );
            }
        }
        revision = now;
    }
}

#[tokio::test]
async fn a_mutation_result_shows_the_graph_as_the_mutation_left_it() {
    // Arrange
    let app = TestApp::spawn().await;
    let id = app.create_skill("vectordb-ops", "genai", 5).await;

    // Act
    let body = app
        .admin(
            "mutation($s: ID!) { addPrerequisite(skill: $s, requires: \"rag\") {
                prerequisites(transitive: true) { skill { id } depth } } }",
            json!({ "s": id }),
        )
        .await;

    // Assert
    #[derive(Deserialize)]
    struct Prerequisites {
        prerequisites: Vec<Prerequisite>,
    }
    #[derive(Deserialize)]
    struct Prerequisite {
        skill: IdOnly,
        depth: i32,
    }
    let result: Prerequisites = field(&body, "addPrerequisite");
    let rag = result.prerequisites.iter().find(|p| p.skill.id == "rag");
    assert_eq!(rag.map(|p| p.depth), Some(1));
    assert!(
        result
            .prerequisites
            .iter()
            .any(|p| p.skill.id == "llm-applications" && p.depth == 2)
    );
}

#[tokio::test]
async fn add_prerequisite_on_an_existing_edge_updates_its_kind_and_min_level() {
    // Arrange: rag requires vector-search.
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    // Act
    let body = app
        .admin(
            ADD_PREREQUISITE,
            json!({ "s": "rag", "r": "vector-search", "kind": "RECOMMENDED", "min": 2 }),
        )
        .await;

    // Assert
    let edge = data(&body)["addPrerequisite"]["prerequisites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["skill"]["id"] == "vector-search")
        .cloned()
        .unwrap_or_else(|| panic!("{body:#}"));
    assert_eq!(
        (edge["kind"].clone(), edge["minLevel"].clone()),
        (json!("RECOMMENDED"), json!(2))
    );
    let after = app.stats().await;
    assert_eq!(
        after.prerequisites, before.prerequisites,
        "updated, not added"
    );
    assert_eq!(after.revision, before.revision + 1);
}

#[tokio::test]
async fn a_min_level_outside_one_to_five_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;
    let before = app.stats().await;

    for min in [0, 6] {
        // Act
        let body = app
            .admin(
                ADD_PREREQUISITE,
                json!({ "s": "rag", "r": "python", "min": min }),
            )
            .await;

        // Assert
        assert_error(&body, "INVALID_INPUT");
    }
    assert_eq!(app.stats().await, before);
}

#[tokio::test]
async fn a_write_that_changes_nothing_succeeds_without_moving_the_revision() {
    // Arrange
    let app = TestApp::spawn().await;
    let hours = skill(&app, "rag").await["hours"].clone();
    let before = app.stats().await;

    // Act
    let body = app
        .admin(
            "mutation($h: Int!) { updateSkill(id: \"rag\", input: { hours: $h }) { hours } }",
            json!({ "h": hours }),
        )
        .await;

    // Assert
    assert_eq!(data(&body)["updateSkill"]["hours"], hours);
    assert_eq!(app.stats().await, before);
}
