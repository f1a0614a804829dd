//! Search-as-you-type on real data: the ranking rules pinned on the ESCO fixture (cut from the
//! real v1.1.1 files), asked the way an autocomplete asks, `first: 10` over HTTP.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::json;

use crate::helpers::{TestApp, data, field};

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
}

#[derive(Debug, Deserialize)]
struct Node {
    id: String,
    name: String,
    category: Option<Ref>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    page_info: PageInfo,
    nodes: Vec<Node>,
}

impl Page {
    fn names(&self) -> Vec<&str> {
        self.nodes.iter().map(|n| n.name.as_str()).collect()
    }

    fn ids(&self) -> Vec<&str> {
        self.nodes.iter().map(|n| n.id.as_str()).collect()
    }
}

async fn skills_in(
    app: &TestApp,
    query: &str,
    category: Option<&str>,
    first: i32,
    after: Option<&str>,
) -> Page {
    let body = app
        .query(
            "query($q: String, $c: ID, $first: Int!, $after: String) {
                skills(query: $q, category: $c, first: $first, after: $after) {
                    pageInfo { hasNextPage endCursor } nodes { id name category { id } } } }",
            json!({ "q": query, "c": category, "first": first, "after": after }),
        )
        .await;
    field(&body, "skills")
}

async fn skills(app: &TestApp, query: &str) -> Page {
    skills_in(app, query, None, 10, None).await
}

/// Every hit, page after page of the largest page the server allows.
async fn every_skill(app: &TestApp, query: &str) -> Vec<String> {
    let (mut all, mut after) = (Vec::new(), None::<String>);
    loop {
        let page = skills_in(app, query, None, 100, after.as_deref()).await;
        all.extend(page.nodes.iter().map(|n| n.name.clone()));
        if !page.page_info.has_next_page {
            return all;
        }
        after = page.page_info.end_cursor;
    }
}

async fn roles(app: &TestApp, query: &str) -> Vec<String> {
    let body = app
        .query(
            "query($q: String) { roles(query: $q, first: 10) { nodes { name } } }",
            json!({ "q": query }),
        )
        .await;
    data(&body)["roles"]["nodes"]
        .as_array()
        .expect("a list of roles")
        .iter()
        .map(|n| n["name"].as_str().expect("a name").to_owned())
        .collect()
}

#[tokio::test]
async fn the_exact_name_comes_first_then_names_starting_with_the_query_then_aliases() {
    // Arrange: "database management systems" has the alias "SQL", and sorted by category or
    // id it used to come before the skill named SQL.
    let app = TestApp::spawn_esco().await;

    // Act
    let page = skills(&app, "sql").await;

    // Assert
    let names = page.names();
    assert_eq!(
        names[..3],
        ["SQL", "SQL Server", "SQL Server Integration Services"],
        "{names:?}"
    );
    assert_eq!(
        names[3], "database management systems",
        "an exact alias after the names that start with the query: {names:?}"
    );
    assert!(
        names.contains(&"NoSQL") && names.contains(&"PostgreSQL"),
        "substrings come last: {names:?}"
    );
}

#[tokio::test]
async fn names_starting_with_the_query_come_before_aliases_and_words_inside_names() {
    // Arrange: "rainwater management" has the alias "management of rainwater".
    let app = TestApp::spawn_esco().await;

    // Act
    let first_page = skills(&app, "manage").await;
    let all = every_skill(&app, "manage").await;

    // Assert
    assert_eq!(first_page.nodes.len(), 10);
    assert!(first_page.page_info.has_next_page);
    assert!(
        first_page.names().iter().all(|n| n.starts_with("manage ")),
        "{:?}",
        first_page.names()
    );
    let starting = all.iter().filter(|n| n.starts_with("manage")).count();
    assert!(
        all[..starting].iter().all(|n| n.starts_with("manage")),
        "every name starting with \"manage\" comes first: {all:?}"
    );
    let rainwater = all.iter().position(|n| n == "rainwater management");
    assert!(
        rainwater.is_some_and(|at| at >= starting),
        "found, after them: {all:?}"
    );
    assert_eq!(
        first_page.names()[..3],
        ["manage data", "manage time", "manage staff"],
        "ties: the shorter name first"
    );
}

#[tokio::test]
async fn the_last_word_being_typed_matches_as_a_prefix() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let typing: Vec<Page> = {
        let mut pages = Vec::new();
        for q in ["manage s", "manage sta", "manage staff", "staff manage"] {
            pages.push(skills(&app, q).await);
        }
        pages
    };

    // Assert
    for page in &typing {
        assert_eq!(
            page.names().first(),
            Some(&"manage staff"),
            "{:?}",
            page.names()
        );
    }
    assert_eq!(
        typing[1].names(),
        ["manage staff", "manage standards for data exchange"]
    );
}

#[tokio::test]
async fn one_typo_in_a_long_word_still_finds_the_skill_and_ranks_below_exact_letters() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let typo = skills(&app, "pyhton").await;
    let swapped = skills(&app, "statsitics").await;
    let short = skills(&app, "sqk").await;

    // Assert
    assert_eq!(typo.names(), ["Python (computer programming)"]);
    assert_eq!(
        swapped.names().first(),
        Some(&"statistics"),
        "{:?}",
        swapped.names()
    );
    assert!(
        short.nodes.is_empty(),
        "no typo on a short word: {:?}",
        short.names()
    );
}

#[tokio::test]
async fn case_and_punctuation_fold() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let upper = skills(&app, "PYTHON (COMPUTER").await;
    let plain = skills(&app, "python computer").await;

    // Assert
    assert_eq!(upper.names(), ["Python (computer programming)"]);
    assert_eq!(upper.ids(), plain.ids());
}

#[tokio::test]
async fn pages_of_ten_add_up_to_the_whole_ranking() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let whole = skills_in(&app, "data", None, 30, None).await;
    let mut paged = Vec::new();
    let mut after = None::<String>;
    for _ in 0..3 {
        let page = skills_in(&app, "data", None, 10, after.as_deref()).await;
        assert!(page.page_info.has_next_page);
        paged.extend(page.nodes.iter().map(|n| n.id.clone()));
        after = page.page_info.end_cursor;
    }

    // Assert
    assert_eq!(paged, whole.ids());
    assert!(whole.page_info.has_next_page);
}

#[tokio::test]
async fn the_category_filter_keeps_the_ranking_within_a_category_and_below_it() {
    // Arrange
    let app = TestApp::spawn_esco().await;
    let body = app
        .query("{ categories { id parent { id } } }", json!({}))
        .await;
    let parents: BTreeMap<String, Option<String>> = data(&body)["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            let parent = c["parent"]["id"].as_str().map(str::to_owned);
            (c["id"].as_str().expect("an id").to_owned(), parent)
        })
        .collect();
    let ict = "esco:isced-f.06";
    let within = |id: &str| {
        let mut cursor = Some(id);
        while let Some(id) = cursor {
            if id == ict {
                return true;
            }
            cursor = parents.get(id).and_then(Option::as_deref);
        }
        false
    };

    // Act
    let filtered = skills_in(&app, "data", Some(ict), 100, None).await;
    let all = skills_in(&app, "data", None, 100, None).await;

    // Assert
    assert!(!filtered.nodes.is_empty());
    let expected: Vec<&str> = all
        .nodes
        .iter()
        .filter(|n| within(&n.category.as_ref().expect("a category").id))
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(filtered.ids(), expected[..filtered.nodes.len()]);
    let categories: BTreeSet<&str> = filtered
        .nodes
        .iter()
        .map(|n| n.category.as_ref().expect("a category").id.as_str())
        .collect();
    assert!(categories.len() > 1, "sub-categories count: {categories:?}");
}

#[tokio::test]
async fn occupations_are_searched_by_the_same_rules() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let data = roles(&app, "data").await;
    let typo = roles(&app, "statistcian").await;
    let second_word = roles(&app, "scien").await;

    // Assert
    assert_eq!(
        data,
        [
            "data analyst",
            "data scientist",
            "database developer",
            // By its alias "statistical data analyst", after the names starting with "data".
            "statistician"
        ]
    );
    assert_eq!(typo, ["statistician"]);
    assert_eq!(
        second_word.first().map(String::as_str),
        Some("data scientist")
    );
}

#[tokio::test]
async fn occupations_are_found_by_their_alternative_and_hidden_labels() {
    // Arrange
    let app = TestApp::spawn_esco().await;

    // Act
    let hgv = roles(&app, "HGV driver").await;
    let gp = roles(&app, "g.p.").await;

    // Assert: an exact alias, then other hits; a hidden label matches too.
    assert_eq!(
        hgv.first().map(String::as_str),
        Some("cargo vehicle driver")
    );
    assert_eq!(gp.first().map(String::as_str), Some("general practitioner"));
}

#[tokio::test]
async fn the_name_before_a_qualifier_counts_as_the_exact_name() {
    // Arrange: ESCO names the language "Java (computer programming)".
    let app = TestApp::spawn_esco().await;

    // Act
    let page = skills(&app, "java").await;

    // Assert
    let names = page.names();
    assert_eq!(
        names[..2],
        ["Java (computer programming)", "Javanese"],
        "{names:?}"
    );
}

#[tokio::test]
async fn a_renamed_or_deleted_skill_is_searched_by_what_it_is_now() {
    // Arrange
    let app = TestApp::spawn_esco().await;
    let staff = skills(&app, "manage staff").await.nodes[0].id.clone();

    // Act
    let renamed = app
        .admin(
            "mutation($id: ID!) { updateSkill(id: $id, input: { name: \"supervise staff\" }) { id } }",
            json!({ "id": staff }),
        )
        .await;
    let by_new_name = skills(&app, "supervise").await;
    let by_old_name = skills(&app, "manage sta").await;
    let deleted = app
        .admin(
            "mutation($id: ID!) { deleteSkill(id: $id, cascade: true) }",
            json!({ "id": staff }),
        )
        .await;
    let after_delete = skills(&app, "supervise").await;

    // Assert
    assert!(renamed["errors"].is_null(), "{renamed:#}");
    assert!(deleted["errors"].is_null(), "{deleted:#}");
    assert_eq!(by_new_name.names().first(), Some(&"supervise staff"));
    assert_eq!(by_new_name.ids()[0], staff);
    assert_ne!(
        by_old_name.ids().first(),
        Some(&staff.as_str()),
        "an alias (\"manage staff\") may still find it, but not as the name"
    );
    assert!(
        !after_delete.ids().contains(&staff.as_str()),
        "{:?}",
        after_delete.names()
    );
}
