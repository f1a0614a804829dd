//! Readers racing writers: every request answers from one revision, and revisions only rise.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, field};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
struct Counts {
    skills: i64,
    revision: i64,
}

const WRITERS: usize = 2;
const WRITES_PER_WRITER: usize = 10;
const READERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_racing_writers_never_see_the_revision_fall_or_counts_that_disagree_with_it() {
    // Arrange: only skill creations run, so every revision r holds exactly `offset + r` skills.
    let app = Arc::new(TestApp::spawn().await);
    let seeded = app.stats().await;
    let offset = seeded.skills - seeded.revision;
    let writing = Arc::new(AtomicBool::new(true));

    // Act
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let app = app.clone();
            tokio::spawn(async move {
                for i in 0..WRITES_PER_WRITER {
                    app.create_skill(&format!("concurrent-{w}-{i}"), "soft-skills", 1)
                        .await;
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (app, writing) = (app.clone(), writing.clone());
            tokio::spawn(async move {
                let mut seen: Vec<Counts> = Vec::new();
                // At least a few reads each, and on until the writers are done.
                while seen.len() < 5 || writing.load(Ordering::Acquire) {
                    let body = app
                        .query(
                            "{ a: stats { skills revision } b: stats { skills revision } }",
                            json!({}),
                        )
                        .await;
                    let a: Counts = field(&body, "a");
                    let b: Counts = field(&body, "b");
                    assert_eq!(a, b, "two fields of one request saw different revisions");
                    seen.push(a);
                }
                seen
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("a writer finished without panicking");
    }
    writing.store(false, Ordering::Release);
    let mut observations = Vec::new();
    for reader in readers {
        observations.push(reader.await.expect("a reader finished without panicking"));
    }

    // Assert
    let total = (WRITERS * WRITES_PER_WRITER) as i64;
    for seen in &observations {
        for pair in seen.windows(2) {
            assert!(
                pair[1].revision >= pair[0].revision,
                "the revision went back from {:?} to {:?}",
                pair[0],
                pair[1]
            );
        }
        for counts in seen {
            assert_eq!(
                counts.skills - counts.revision,
                offset,
                "{counts:?} does not match its revision"
            );
            assert!((seeded.revision..=seeded.revision + total).contains(&counts.revision));
        }
    }
    let last = app.stats().await;
    assert_eq!(last.revision, seeded.revision + total);
    assert_eq!(last.skills, seeded.skills + total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn both_halves_of_a_batch_read_the_same_revision_while_writes_land() {
    // Arrange
    let app = Arc::new(TestApp::spawn_batching().await);
    let seeded = app.stats().await;
    // The writer adds to one category, listed whole in one page: the seed has more skills than
    // a page holds.
    const LISTED: &str = r#"{ skills(category: "soft-skills", first: 100) { nodes { id } } }"#;
    let listed_before = data(&app.query(LISTED, json!({})).await)["skills"]["nodes"]
        .as_array()
        .unwrap()
        .len() as i64;
    let writer = {
        let app = app.clone();
        tokio::spawn(async move {
            for i in 0..15 {
                app.create_skill(&format!("batched-{i}"), "soft-skills", 1)
                    .await;
            }
        })
    };

    // Act
    let mut batches = Vec::new();
    while !writer.is_finished() || batches.len() < 5 {
        let response = app
            .client
            .post(app.url("/graphql"))
            .json(&json!([
                { "query": "{ stats { skills revision } }" },
                { "query": LISTED },
            ]))
            .send()
            .await
            .expect("the server answers");
        let body: Value = response.json().await.expect("a JSON body");
        batches.push(body);
    }
    writer.await.expect("the writer finished without panicking");

    // Assert
    for body in &batches {
        let counts: Counts = field(&body[0], "stats");
        let listed = data(&body[1])["skills"]["nodes"].as_array().unwrap().len() as i64;
        assert_eq!(
            listed - listed_before,
            counts.skills - seeded.skills,
            "the second query of a batch saw another revision than the first"
        );
        assert_eq!(
            counts.skills - counts.revision,
            seeded.skills - seeded.revision
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_racing_creations_of_one_id_exactly_one_wins_and_the_rest_conflict() {
    // Arrange
    let app = Arc::new(TestApp::spawn().await);
    let before = app.stats().await;

    // Act
    let attempts: Vec<_> = (0..8)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                app.admin(
                    "mutation($input: SkillInput!) { createSkill(input: $input) { id hours } }",
                    json!({ "input": { "id": "contested", "name": "Contested", "category": "soft-skills", "hours": i + 1 } }),
                )
                .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in attempts {
        results.push(
            attempt
                .await
                .expect("an attempt finished without panicking"),
        );
    }

    // Assert
    let winners: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("errors").is_none())
        .collect();
    assert_eq!(winners.len(), 1, "{results:#?}");
    for loser in results.iter().filter(|r| r.get("errors").is_some()) {
        crate::helpers::assert_error(loser, "CONFLICT");
    }
    let after = app.stats().await;
    assert_eq!(after.skills, before.skills + 1);
    assert_eq!(after.revision, before.revision + 1);
    let stored = app
        .query(r#"{ skill(id: "contested") { hours } }"#, json!({}))
        .await;
    assert_eq!(
        data(&stored)["skill"]["hours"],
        winners[0]["data"]["createSkill"]["hours"],
        "the stored skill is the winner's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_racing_edges_that_together_close_a_cycle_are_never_both_accepted() {
    // Arrange: fresh pairs, so each round is a clean race between a → b and b → a.
    let app = Arc::new(TestApp::spawn().await);
    for round in 0..5 {
        let (a, b) = (format!("race-a-{round}"), format!("race-b-{round}"));
        app.create_skill(&a, "soft-skills", 1).await;
        app.create_skill(&b, "soft-skills", 1).await;

        // Act
        let forward = {
            let (app, a, b) = (app.clone(), a.clone(), b.clone());
            tokio::spawn(async move {
                app.admin(
                    "mutation($s: ID!, $r: ID!) { addPrerequisite(skill: $s, requires: $r) { id } }",
                    json!({ "s": a, "r": b }),
                )
                .await
            })
        };
        let backward = {
            let (app, a, b) = (app.clone(), a.clone(), b.clone());
            tokio::spawn(async move {
                app.admin(
                    "mutation($s: ID!, $r: ID!) { addPrerequisite(skill: $s, requires: $r) { id } }",
                    json!({ "s": b, "r": a }),
                )
                .await
            })
        };
        let results = [forward.await.unwrap(), backward.await.unwrap()];

        // Assert
        let accepted = results.iter().filter(|r| r.get("errors").is_none()).count();
        assert_eq!(accepted, 1, "round {round}: {results:#?}");
        let refused = results.iter().find(|r| r.get("errors").is_some()).unwrap();
        crate::helpers::assert_error(refused, "CYCLE");
    }
}
