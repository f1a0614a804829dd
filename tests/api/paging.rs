//! Connections over a real server: opaque keyset cursors that survive writes between pages,
//! belong to their list and arguments, `totalCount` and `nodes`, and backward paging.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, data, seeded_count};

const PAGE: &str = "query($q: String, $c: ID, $first: Int, $after: String, $last: Int,
                          $before: String) {
    skills(query: $q, category: $c, first: $first, after: $after, last: $last, before: $before) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id } } } }";

/// Forwards only, as clients paged before backward paging existed.
const FORWARD: &str = "query($q: String, $first: Int!, $after: String) {
    skills(query: $q, first: $first, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { id } } } }";

/// One page of `skills` forwards.
async fn forward(app: &TestApp, q: Option<&str>, first: i32, after: &Value) -> Value {
    let body = app
        .query(FORWARD, json!({ "q": q, "first": first, "after": after }))
        .await;
    data(&body)["skills"].clone()
}

/// One page of `skills`; `args` holds the variables of [`PAGE`] that are set.
async fn skills(app: &TestApp, args: Value) -> Value {
    let body = app.query(PAGE, args).await;
    data(&body)["skills"].clone()
}

fn ids(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has edges: {page:#}"))
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

fn cursor(page: &Value, which: &str) -> Value {
    page["pageInfo"][which].clone()
}

/// Every page of `skills(query: q)` forwards, `first` at a time.
async fn forwards(app: &TestApp, q: Option<&str>, first: i32) -> Vec<String> {
    let (mut all, mut after) = (Vec::new(), Value::Null);
    for _ in 0..1_000 {
        let page = forward(app, q, first, &after).await;
        all.extend(ids(&page));
        if page["pageInfo"]["hasNextPage"] != true {
            return all;
        }
        after = cursor(&page, "endCursor");
    }
    panic!("the pages never end");
}

async fn delete_skill(app: &TestApp, id: &str) {
    let body = app
        .admin(
            "mutation($id: ID!) { deleteSkill(id: $id, cascade: true) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data(&body)["deleteSkill"], id, "{body:#}");
}

async fn create_named(app: &TestApp, id: &str, name: &str, category: &str) {
    let body = app
        .admin(
            "mutation($input: SkillInput!) { createSkill(input: $input) { id } }",
            json!({ "input": { "id": id, "name": name, "category": category, "hours": 5 } }),
        )
        .await;
    assert_eq!(data(&body)["createSkill"]["id"], id, "{body:#}");
}

/// Pages through `skills(query: q)` while, before each next page, a skill is created that
/// sorts before the cursor and one after it, the cursor's own skill is deleted, a skill already
/// seen is deleted and one not yet reached is deleted. Checks that no skill is seen twice, that
/// every skill there from start to end is seen, that none deleted before it was reached is, and
/// that those created after the cursor are.
async fn page_through_writes(
    app: &TestApp,
    q: Option<&str>,
    early: (&str, &str),
    late: (&str, &str),
) {
    let before = forwards(app, q, 100).await;
    assert!(
        before.len() >= 20,
        "the list is long enough to page: {before:?}"
    );
    let (mut seen, mut after) = (Vec::<String>::new(), Value::Null);
    let (mut deleted, mut created_late) = (HashSet::new(), Vec::new());
    for round in 0..1_000 {
        let page = forward(app, q, 4, &after).await;
        seen.extend(ids(&page));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = cursor(&page, "endCursor");
        if round < 3 {
            // Sorts before everything seen so far: an offset cursor would repeat an item.
            let id = format!("{}-{round}", early.0);
            create_named(app, &id, early.1, "programming").await;
            // Sorts after the cursor: must be reached.
            let id = format!("{}-{round}", late.0);
            create_named(app, &id, &format!("{} {round}", late.1), "soft-skills").await;
            created_late.push(id);
            // One seen (an offset cursor would skip an item), the cursor's own, and one
            // ahead that is never to be seen.
            let seen_one = seen[round].clone();
            let own = seen.last().unwrap().clone();
            let ahead = before
                .iter()
                .rev()
                .find(|id| !deleted.contains(*id) && !seen.contains(id))
                .unwrap()
                .clone();
            for id in [seen_one, own, ahead] {
                if deleted.insert(id.clone()) {
                    delete_skill(app, &id).await;
                }
            }
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a skill was seen twice: {seen:?}");
    for id in &before {
        let kept = !deleted.contains(id);
        assert!(!kept || unique.contains(id), "{id} was skipped: {seen:?}");
    }
    let never = before
        .iter()
        .rev()
        .find(|id| deleted.contains(*id))
        .unwrap();
    assert!(
        !unique.contains(never),
        "{never} was deleted before it was reached: {seen:?}"
    );
    for id in &created_late {
        assert!(
            unique.contains(id),
            "{id}, created after the cursor, was not reached: {seen:?}"
        );
    }
}

#[tokio::test]
async fn writes_between_pages_of_the_skill_listing_neither_repeat_nor_skip_a_skill() {
    let app = TestApp::spawn().await;
    page_through_writes(&app, None, ("aaa-early", "Early"), ("zzz-late", "Late")).await;
}

#[tokio::test]
async fn writes_between_pages_of_a_search_neither_repeat_nor_skip_a_skill() {
    // "l": exact and prefix names first, then every name with an "l" inside a word, the
    // longest names of that tier last.
    let app = TestApp::spawn().await;
    let late = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xlx";
    page_through_writes(&app, Some("l"), ("l-early", "L"), ("late-long", late)).await;
}

#[tokio::test]
async fn a_cursor_of_another_list_or_other_arguments_or_no_cursor_at_all_is_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;
    let python = skills(&app, json!({ "q": "python", "first": 1 })).await;
    let theirs = cursor(&python, "endCursor");
    assert!(theirs.is_string(), "{python:#}");

    // Act
    let again = app
        .query(PAGE, json!({ "q": "python", "after": theirs }))
        .await;
    let sql = app
        .query(PAGE, json!({ "q": "sql", "after": theirs }))
        .await;
    let listing = app.query(PAGE, json!({ "after": theirs })).await;
    let filtered = app
        .query(
            PAGE,
            json!({ "q": "python", "c": "programming", "after": theirs }),
        )
        .await;
    let backwards = app
        .query(PAGE, json!({ "q": "sql", "last": 2, "before": theirs }))
        .await;
    let roles = app
        .query(
            "query($a: String) { roles(query: \"python\", after: $a) { nodes { id } } }",
            json!({ "a": theirs }),
        )
        .await;
    let offset = app.query(PAGE, json!({ "after": "0" })).await;
    let garbage = app
        .query(PAGE, json!({ "after": "bm90IGEgY3Vyc29y" }))
        .await;

    // Assert
    data(&again);
    for refused in [&sql, &listing, &filtered, &backwards, &roles] {
        let error = assert_error(refused, "INVALID_INPUT");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("another list or other arguments"),
            "{error:#}"
        );
    }
    assert_error(&offset, "INVALID_INPUT");
    assert_error(&garbage, "INVALID_INPUT");
}

#[tokio::test]
async fn connections_count_their_whole_list_and_list_their_nodes() {
    // Arrange
    let app = TestApp::spawn().await;
    let matching = forwards(&app, Some("learning"), 100).await;

    // Act
    let body = app
        .query(
            r#"{ all: skills(first: 3) { totalCount nodes { id } edges { node { id } } }
                 found: skills(query: "learning", first: 2) { totalCount }
                 deep: skills(query: "learning", first: 100) { totalCount }
                 roles(first: 1) { totalCount nodes { id } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let d = data(&body);
    assert_eq!(d["all"]["totalCount"], seeded_count("skill"));
    assert_eq!(d["all"]["nodes"].as_array().unwrap().len(), 3);
    let edge_nodes: Vec<&Value> = d["all"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert_eq!(
        d["all"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        edge_nodes
    );
    assert!(matching.len() > 2, "{matching:?}");
    assert_eq!(d["found"]["totalCount"], matching.len());
    assert_eq!(d["deep"]["totalCount"], matching.len());
    assert_eq!(d["roles"]["totalCount"], seeded_count("role"));
    assert_eq!(d["roles"]["nodes"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn last_and_before_page_backwards_through_the_forward_order() {
    // Arrange
    let app = TestApp::spawn().await;
    for q in [None, Some("l")] {
        let forward = forwards(&app, q, 7).await;

        // Act: from the end, `last` 7 at a time, each page before the previous one's start.
        let (mut pages, mut before, mut first_page) = (Vec::new(), Value::Null, true);
        loop {
            let page = skills(&app, json!({ "q": q, "last": 7, "before": before })).await;
            if first_page {
                assert_eq!(page["pageInfo"]["hasNextPage"], false, "{page:#}");
                first_page = false;
            } else {
                assert_eq!(page["pageInfo"]["hasNextPage"], true, "{page:#}");
            }
            pages.push(ids(&page));
            if page["pageInfo"]["hasPreviousPage"] != true {
                break;
            }
            before = cursor(&page, "startCursor");
            assert!(pages.len() < 100, "the pages never end");
        }

        // Assert: the pages, each in list order, reversed, are the forward order.
        let backward: Vec<String> = pages.into_iter().rev().flatten().collect();
        assert_eq!(backward, forward, "query {q:?}");
    }
}

#[tokio::test]
async fn backward_paging_between_two_cursors_and_its_refusals() {
    // Arrange
    let app = TestApp::spawn().await;
    let all = forwards(&app, None, 100).await;
    let page = skills(&app, json!({ "first": 10 })).await;
    let (start, end) = (cursor(&page, "startCursor"), cursor(&page, "endCursor"));

    // Act
    let between = skills(&app, json!({ "last": 3, "after": start, "before": end })).await;
    let forward_between = skills(&app, json!({ "first": 3, "after": start, "before": end })).await;
    let both = app.query(PAGE, json!({ "first": 3, "last": 3 })).await;
    let too_many = app.query(PAGE, json!({ "last": 101 })).await;
    let negative = app.query(PAGE, json!({ "last": -1 })).await;

    // Assert
    assert_eq!(ids(&between), all[6..9]);
    assert_eq!(between["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(ids(&forward_between), all[1..4]);
    assert_eq!(forward_between["pageInfo"]["hasNextPage"], true);
    assert_error(&both, "INVALID_INPUT");
    assert_error(&too_many, "LIMIT_EXCEEDED");
    assert_error(&negative, "INVALID_INPUT");
}
