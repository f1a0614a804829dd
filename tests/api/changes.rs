//! `changes(since:)`: the change log over HTTP, its paging, its retention and its errors.

use serde_json::{Value, json};
use skillgraph::config::Retention;

use crate::helpers::{TestApp, assert_error, data};

const CHANGES: &str = "query($since: Int!, $first: Int, $after: String) {
    changes(since: $since, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        nodes { revision at kind ids records { type id requires action fields value } }
    } }";

async fn changes(app: &TestApp, since: i64, first: Option<i64>, after: Option<&str>) -> Value {
    app.query(
        CHANGES,
        json!({ "since": since, "first": first, "after": after }),
    )
    .await
}

fn nodes(body: &Value) -> Vec<Value> {
    data(body)["changes"]["nodes"]
        .as_array()
        .expect("changes.nodes")
        .clone()
}

#[tokio::test]
async fn changes_since_a_revision_lists_each_write_with_what_it_did() {
    let app = TestApp::spawn().await;
    let since = app.revision().await;
    app.create_skill("log-a", "programming", 5).await;
    let updated = app
        .admin(
            r#"mutation { updateSkill(id: "log-a", input: { hours: 8, aliases: ["la"] }) { id } }"#,
            json!({}),
        )
        .await;
    assert!(updated.get("errors").is_none(), "{updated:#}");
    app.add_prerequisite("log-a", "linear-algebra").await;
    let deleted = app
        .admin(
            r#"mutation { deleteSkill(id: "linear-algebra", cascade: true) }"#,
            json!({}),
        )
        .await;
    assert!(deleted.get("errors").is_none(), "{deleted:#}");

    let body = changes(&app, since, None, None).await;
    let page = &data(&body)["changes"];
    assert_eq!(page["totalCount"], 4);
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    let nodes = nodes(&body);
    let revisions: Vec<i64> = nodes
        .iter()
        .map(|n| n["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(revisions, (since + 1..=since + 4).collect::<Vec<_>>());
    let kinds: Vec<&str> = nodes.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "SKILL_CREATED",
            "SKILL_UPDATED",
            "PREREQUISITE_ADDED",
            "SKILL_DELETED"
        ]
    );
    // RFC 3339, UTC, milliseconds.
    let at = nodes[0]["at"].as_str().unwrap();
    assert!(at.ends_with('Z') && at.len() == 24, "{at}");

    let created = &nodes[0]["records"][0];
    assert_eq!(
        (&created["type"], &created["action"]),
        (&json!("SKILL"), &json!("CREATED"))
    );
    assert_eq!(created["value"]["hours"], 5);
    assert_eq!(created["value"]["category"], "programming");
    let update = &nodes[1]["records"][0];
    assert_eq!(update["action"], "UPDATED");
    assert_eq!(update["fields"], json!(["hours", "aliases"]));
    assert_eq!(update["value"]["aliases"], json!(["la"]));
    let edge = &nodes[2]["records"][0];
    assert_eq!(
        (&edge["type"], &edge["id"], &edge["requires"]),
        (
            &json!("PREREQUISITE"),
            &json!("log-a"),
            &json!("linear-algebra")
        )
    );
    // The cascade: the skill, and every edge and requirement that named it.
    let cascade = nodes[3]["records"].as_array().unwrap();
    assert!(
        cascade
            .iter()
            .any(|r| r["type"] == "SKILL" && r["id"] == "linear-algebra")
    );
    assert!(cascade.iter().any(|r| r["type"] == "PREREQUISITE"
        && r["id"] == "log-a"
        && r["requires"] == "linear-algebra"
        && r["value"].is_null()));
    assert!(
        nodes[3]["ids"]
            .as_array()
            .unwrap()
            .contains(&json!("log-a"))
    );

    // The log is durable: the same answer after a restart.
    let app = app.restart().await;
    assert_eq!(changes(&app, since, None, None).await, body);
}

#[tokio::test]
async fn paging_through_the_log_neither_repeats_nor_skips() {
    let app = TestApp::spawn().await;
    let since = app.revision().await;
    for i in 0..5 {
        app.create_skill(&format!("page-{i}"), "programming", 1)
            .await;
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let body = changes(&app, since, Some(2), after.as_deref()).await;
        let page = &data(&body)["changes"];
        assert_eq!(page["totalCount"], 5, "whatever the page");
        assert_eq!(page["pageInfo"]["hasPreviousPage"], after.is_some());
        seen.extend(nodes(&body).iter().map(|n| n["revision"].as_i64().unwrap()));
        pages += 1;
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (since + 1..=since + 5).collect::<Vec<_>>());
    // A cursor of another list is refused.
    let skills = app
        .query("{ skills(first: 1) { pageInfo { endCursor } } }", json!({}))
        .await;
    let foreign = data(&skills)["skills"]["pageInfo"]["endCursor"].clone();
    let body = changes(&app, since, Some(2), foreign.as_str()).await;
    assert_error(&body, "INVALID_INPUT");
}

#[tokio::test]
async fn since_the_current_revision_is_an_empty_page_and_bad_sinces_are_refused() {
    let app = TestApp::spawn().await;
    let now = app.revision().await;
    let body = changes(&app, now, None, None).await;
    assert_eq!(data(&body)["changes"]["totalCount"], 0);
    assert!(nodes(&body).is_empty());
    let ahead = assert_error(&changes(&app, now + 1, None, None).await, "INVALID_INPUT");
    assert!(
        ahead["message"]
            .as_str()
            .unwrap()
            .contains("ahead of the current revision")
    );
    assert_error(&changes(&app, -1, None, None).await, "INVALID_INPUT");
    let big = assert_error(&changes(&app, 0, Some(101), None).await, "LIMIT_EXCEEDED");
    assert_eq!(big["extensions"]["limit"], "maxPage");
}

#[tokio::test]
async fn a_since_older_than_the_retention_is_revision_expired_and_says_how_far_back_it_goes() {
    let app = TestApp::spawn_with_retention(Retention {
        revisions: 3,
        max_age: None,
    })
    .await;
    for i in 0..5 {
        app.create_skill(&format!("kept-{i}"), "programming", 1)
            .await;
    }
    let now = app.revision().await;
    let error = assert_error(
        &changes(&app, now - 4, None, None).await,
        "REVISION_EXPIRED",
    );
    assert_eq!(error["extensions"]["oldestSince"], now - 3);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("reload everything"),
        "{error:#}"
    );
    let body = changes(&app, now - 3, None, None).await;
    assert_eq!(nodes(&body).len(), 3);
}

#[tokio::test]
async fn an_entry_s_records_and_ids_are_read_a_slice_at_a_time_within_the_page_limit() {
    // The seed's import is one entry with more records than one page holds.
    let app = TestApp::spawn().await;
    let slice = "query($first: Int, $offset: Int) { changes(since: 0, first: 1) { nodes {
        kind recordCount records(first: $first, offset: $offset) { type id requires }
        ids(first: $first, offset: $offset) } } }";
    let read =
        |first: i64, offset: i64| app.query(slice, json!({ "first": first, "offset": offset }));
    let body = read(100, 0).await;
    let entry = nodes(&body)[0].clone();
    assert_eq!(entry["kind"], "IMPORTED");
    let count = entry["recordCount"].as_u64().unwrap() as usize;
    assert!(count > 100, "the seed import has {count} records");
    assert_eq!(entry["records"].as_array().unwrap().len(), 100);
    assert_eq!(entry["ids"].as_array().unwrap().len(), 100);

    // Slices follow on from each other and end with the entry.
    let mut all = Vec::new();
    for offset in (0..count).step_by(100) {
        let body = read(100, offset as i64).await;
        all.extend(nodes(&body)[0]["records"].as_array().unwrap().clone());
    }
    assert_eq!(all.len(), count);
    let mut unique: Vec<String> = all.iter().map(|r| r.to_string()).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), count, "a record appears in two slices");
    let past = read(10, count as i64 + 5).await;
    assert_eq!(nodes(&past)[0]["records"], json!([]));

    assert_error(&read(101, 0).await, "LIMIT_EXCEEDED");
    assert_error(&read(10, -1).await, "INVALID_INPUT");
}
