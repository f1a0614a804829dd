//! Role categories (issue 20 part 3): `Role.category`, `roleCategories`, `roleCategory`,
//! `roles(category:)` and `RoleCategory.roles`, on the ESCO fixture (ISCO-08 groups cut from
//! the real files) and on the seed (its families of roles), and their writes.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data, esco_fixture_dir, seed_dir};

const ROLES_IN: &str = "query($c: ID, $q: String, $first: Int, $after: String) { \
    roles(category: $c, query: $q, first: $first, after: $after) { totalCount \
    pageInfo { hasNextPage endCursor } nodes { id name } } }";

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every role of `roles(category: c)`, read page by page of `page` roles.
async fn all_roles_in(app: &TestApp, category: &str, page: i32) -> (Vec<String>, i64) {
    let (mut found, mut after) = (vec![], Value::Null);
    loop {
        let body = app
            .query(
                ROLES_IN,
                json!({ "c": category, "first": page, "after": after }),
            )
            .await;
        let roles = &data(&body)["roles"];
        found.extend(ids(&roles["nodes"]));
        let total = roles["totalCount"].as_i64().unwrap();
        if roles["pageInfo"]["hasNextPage"] != true {
            return (found, total);
        }
        after = roles["pageInfo"]["endCursor"].clone();
    }
}

/// The fixture's occupations as `(role id, ISCO group code)`, read from the CSV file itself:
/// an oracle that does not go through the importer.
fn fixture_groups() -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(esco_fixture_dir().join("occupations_en.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (uri, group) = (column("conceptUri"), column("iscoGroup"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let uuid = r[uri].rsplit('/').next().unwrap();
            (format!("esco:{uuid}"), r[group].to_owned())
        })
        .collect()
}

#[tokio::test]
async fn esco_roles_sit_in_their_isco_groups_and_list_by_group_with_sub_groups() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act: the tree from its root, and a role's category with its breadcrumb.
    let body = app
        .query(
            "{ roleCategories { id name parent { id } children { id name parent { id } } }
               categories { id } }",
            json!({}),
        )
        .await;
    let tree = data(&body);
    let role = app
        .query(
            "{ roles(query: \"software developer\", first: 1) { nodes { name
                 category { id name externalId path { id name } } } } }",
            json!({}),
        )
        .await;

    // Assert: one root of occupation groups, with the fixture's major groups below it.
    assert_eq!(ids(&tree["roleCategories"]), ["esco:isco"]);
    let root = &tree["roleCategories"][0];
    assert_eq!(root["name"], "ESCO occupations (ISCO-08)");
    assert_eq!(root["parent"], Value::Null);
    let mut majors: Vec<String> = fixture_groups()
        .iter()
        .map(|(_, code)| format!("esco:isco.c{}", &code[..1]))
        .collect();
    majors.sort();
    majors.dedup();
    assert_eq!(ids(&root["children"]), majors);
    assert!(
        root["children"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["parent"]["id"] == "esco:isco")
    );
    assert_eq!(root["children"][1]["name"], "Professionals");
    // The skills' categories are another tree: no occupation group among them.
    assert!(
        ids(&tree["categories"])
            .iter()
            .all(|id| !id.starts_with("esco:isco"))
    );
    let developer = &data(&role)["roles"]["nodes"][0];
    assert_eq!(developer["name"], "software developer");
    let category = &developer["category"];
    assert_eq!(category["id"], "esco:isco.c2512");
    assert_eq!(
        category["externalId"],
        "http://data.europa.eu/esco/isco/C2512"
    );
    assert_eq!(
        ids(&category["path"]),
        [
            "esco:isco",
            "esco:isco.c2",
            "esco:isco.c25",
            "esco:isco.c251",
            "esco:isco.c2512"
        ]
    );

    // A group lists its roles and those of the groups below it, paged, by id.
    for (code, page) in [("2", 3), ("25", 2), ("2512", 5), ("5", 100)] {
        let (found, total) = all_roles_in(&app, &format!("esco:isco.c{code}"), page).await;
        let mut expected: Vec<String> = fixture_groups()
            .into_iter()
            .filter(|(_, group)| group.starts_with(code))
            .map(|(id, _)| id)
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "the fixture has roles in {code}");
        assert_eq!(found, expected, "roles in ISCO group {code}");
        assert_eq!(total as usize, expected.len());
    }
    let (everything, _) = all_roles_in(&app, "esco:isco", 100).await;
    assert_eq!(everything.len(), fixture_groups().len());
}

#[tokio::test]
async fn a_role_category_pages_its_roles_as_roles_category_does_and_a_search_stays_inside() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let nested = app
        .query(
            "{ roleCategory(id: \"esco:isco.c25\") { name children { id }
                 roles(first: 100) { totalCount nodes { id } } } }",
            json!({}),
        )
        .await;
    let searched = app
        .query(
            ROLES_IN,
            json!({ "c": "esco:isco.c251", "q": "developer", "first": 50 }),
        )
        .await;
    let everywhere = app
        .query(ROLES_IN, json!({ "q": "developer", "first": 50 }))
        .await;

    // Assert
    let group = &data(&nested)["roleCategory"];
    assert_eq!(
        group["name"],
        "Information and communications technology professionals"
    );
    let (listed, _) = all_roles_in(&app, "esco:isco.c25", 100).await;
    assert_eq!(ids(&group["roles"]["nodes"]), listed);
    let inside = names(&data(&searched)["roles"]["nodes"]);
    let all = names(&data(&everywhere)["roles"]["nodes"]);
    assert!(
        inside.contains(&"software developer".to_owned()),
        "{inside:?}"
    );
    // The search within software and applications developers (251) is the search everywhere
    // with the hits outside it (a database developer is in 252) left out, in the same
    // ranking order.
    let listed_names: Vec<String> = {
        let body = app
            .query(ROLES_IN, json!({ "c": "esco:isco.c251", "first": 100 }))
            .await;
        names(&data(&body)["roles"]["nodes"])
    };
    let expected: Vec<String> = all
        .iter()
        .filter(|n| listed_names.contains(n))
        .cloned()
        .collect();
    assert_eq!(inside, expected);
    assert!(
        inside.len() < all.len(),
        "some developers are elsewhere: {all:?}"
    );
}

#[tokio::test]
async fn four_levels_of_the_isco_tree_fit_the_complexity_limit_and_five_do_not() {
    // Arrange
    let app = TestApp::spawn_esco().await;
    let levels = |n: usize| {
        let mut selection = "id name".to_owned();
        for _ in 1..n {
            selection = format!("id children {{ {selection} }}");
        }
        format!("{{ roleCategories {{ {selection} }} }}")
    };

    // Act
    let four = app.query(&levels(4), json!({})).await;
    let five = app.query(&levels(5), json!({})).await;

    // Assert: roots, major, sub-major and minor groups in one query; the unit groups below
    // them are one `roleCategory(id:)` away.
    let roots = &data(&four)["roleCategories"];
    let minor = &roots[0]["children"][1]["children"][0]["children"][0];
    assert_eq!(minor["id"], "esco:isco.c212");
    assert_error(&five, "LIMIT_EXCEEDED");
    let below = app
        .query(
            "{ roleCategory(id: \"esco:isco.c212\") { children { id children { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        ids(&data(&below)["roleCategory"]["children"]),
        ["esco:isco.c2120"]
    );
}

#[tokio::test]
async fn an_unknown_or_skill_category_is_not_found_and_a_skill_id_lookup_is_null() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act / Assert: a typo and a skill group are errors, not an empty list.
    for bad in ["esco:isco.c99999", "esco"] {
        let body = app.query(ROLES_IN, json!({ "c": bad, "first": 5 })).await;
        let error = assert_error(&body, "NOT_FOUND");
        assert!(error["message"].as_str().unwrap().contains(bad), "{error}");
    }
    let body = app
        .query(ROLES_IN, json!({ "c": "Not An Id", "first": 5 }))
        .await;
    assert_error(&body, "INVALID_INPUT");
    let body = app
        .query("{ roleCategory(id: \"esco\") { id } }", json!({}))
        .await;
    assert_eq!(data(&body)["roleCategory"], Value::Null);
}

/// `(id, parent)` of each role family, and `(role, family)` of each role.
type Families = (Vec<(String, Option<String>)>, Vec<(String, String)>);

/// The seed's role families and the roles in each, read from seed/roles.toml itself.
fn seed_families() -> Families {
    #[derive(serde::Deserialize)]
    struct File {
        category: Vec<Category>,
        role: Vec<Role>,
    }
    #[derive(serde::Deserialize)]
    struct Category {
        id: String,
        kind: String,
        parent: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Role {
        id: String,
        category: String,
    }
    let text = std::fs::read_to_string(seed_dir().join("roles.toml")).unwrap();
    let file: File = toml::from_str(&text).unwrap();
    assert!(file.category.iter().all(|c| c.kind == "role"));
    (
        file.category
            .into_iter()
            .map(|c| (c.id, c.parent))
            .collect(),
        file.role.into_iter().map(|r| (r.id, r.category)).collect(),
    )
}

#[tokio::test]
async fn the_seed_groups_its_roles_in_families_and_a_family_lists_its_sub_families_roles() {
    // Arrange
    let app = TestApp::spawn().await;
    let (families, roles) = seed_families();

    // Act
    let body = app
        .query(
            "{ roleCategories { id children { id children { id } } }
               role(id: \"genai-engineer\") { category { id name parent { id name } } } }",
            json!({}),
        )
        .await;

    // Assert: the roots are the families without a parent, in the file's order.
    let answer = data(&body);
    let roots: Vec<String> = families
        .iter()
        .filter(|(_, parent)| parent.is_none())
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(ids(&answer["roleCategories"]), roots);
    let genai = &answer["role"]["category"];
    assert_eq!(genai["id"], "roles:ml-engineering");
    assert_eq!(genai["parent"]["id"], "roles:ml-ai");
    assert_eq!(genai["parent"]["name"], "Machine learning & AI");
    // Every role of a family or of a family within it, none other.
    for (family, parent) in &families {
        let (found, _) = all_roles_in(&app, family, 2).await;
        let mut expected: Vec<String> = roles
            .iter()
            .filter(|(_, c)| {
                c == family
                    || families
                        .iter()
                        .any(|(f, p)| f == c && p.as_ref() == Some(family))
            })
            .map(|(id, _)| id.clone())
            .collect();
        expected.sort();
        assert_eq!(found, expected, "roles of {family} (parent {parent:?})");
    }
    let (all, _) = all_roles_in(&app, "roles:ml-ai", 100).await;
    assert_eq!(all.len(), 5, "{all:?}");
}

#[tokio::test]
async fn role_categories_are_written_kept_apart_from_skill_categories_and_persist() {
    // Arrange
    let app = TestApp::spawn().await;
    let upsert = "mutation($input: CategoryInput!) { upsertRoleCategory(input: $input) \
        { id name parent { id } path { id } } }";
    let role = "mutation($input: RoleInput!) { upsertRole(input: $input) \
        { id category { id name } } }";

    // Act
    let created = app
        .admin(
            upsert,
            json!({ "input": { "id": "roles:llm-ops", "name": "LLM operations",
                "parent": "roles:platform", "order": 9 } }),
        )
        .await;
    let placed = app
        .admin(
            role,
            json!({ "input": { "id": "llm-ops-engineer", "name": "LLM ops engineer",
                "category": "roles:llm-ops" } }),
        )
        .await;
    let anonymous = app
        .query(upsert, json!({ "input": { "id": "roles:x", "name": "X" } }))
        .await;
    let skill_id = app
        .admin(upsert, json!({ "input": { "id": "ml", "name": "Taken" } }))
        .await;
    let skill_parent = app
        .admin(
            upsert,
            json!({ "input": { "id": "roles:y", "name": "Y", "parent": "ml" } }),
        )
        .await;
    let role_in_skill_category = app
        .admin(
            role,
            json!({ "input": { "id": "z", "name": "Z", "category": "ml" } }),
        )
        .await;
    let role_in_nothing = app
        .admin(
            role,
            json!({ "input": { "id": "z", "name": "Z", "category": "roles:nope" } }),
        )
        .await;

    // Assert
    let created = &data(&created)["upsertRoleCategory"];
    assert_eq!(created["parent"]["id"], "roles:platform");
    assert_eq!(ids(&created["path"]), ["roles:platform", "roles:llm-ops"]);
    assert_eq!(
        data(&placed)["upsertRole"]["category"]["name"],
        "LLM operations"
    );
    assert_error(&anonymous, "UNAUTHENTICATED");
    assert_error(&skill_id, "CONFLICT");
    assert_error(&skill_parent, "INVALID_INPUT");
    assert_error(&role_in_skill_category, "INVALID_INPUT");
    assert_error(&role_in_nothing, "NOT_FOUND");

    // The new family lists under its parent's, and all of it survives a restart.
    let (platform, _) = all_roles_in(&app, "roles:platform", 10).await;
    assert!(
        platform.contains(&"llm-ops-engineer".to_owned()),
        "{platform:?}"
    );
    let app = app.restart().await;
    let body = app
        .query(
            "{ role(id: \"llm-ops-engineer\") { category { id path { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        ids(&data(&body)["role"]["category"]["path"]),
        ["roles:platform", "roles:llm-ops"]
    );
}
