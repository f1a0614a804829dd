//! A write-load client for `scripts/load.sh`: HTTP load tools send one fixed body, but every
//! write must change something to be a real durable write, so this sends `updateSkill`
//! mutations whose hours differ on every request.
//!
//! `cargo run --release --example writer -- URL TOKEN SECONDS CLIENTS SKILL_ID...`
//! prints one JSON line: requests, errors, throughput and latency percentiles.

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, token, seconds, clients, skills @ ..] = args.as_slice() else {
        eprintln!("usage: writer URL TOKEN SECONDS CLIENTS SKILL_ID...");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("SECONDS is a number");
    let clients: usize = clients.parse().expect("CLIENTS is a number");
    assert!(!skills.is_empty(), "name at least one skill to update");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        let skill = skills[c % skills.len()].clone();
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors, mut n) = (Vec::new(), 0usize, 0u32);
            while Instant::now() < deadline {
                n += 1;
                // Alternate between two values so that every request changes the stored skill.
                let hours = 10 + (n % 2) + 2 * c as u32;
                let body = serde_json::json!({
                    "query": format!("mutation {{ updateSkill(id: \"{skill}\", input: {{hours: {hours}}}) {{ hours }} }}")
                });
                let started = Instant::now();
                let response = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let ok = match response {
                    Ok(r) if r.status().is_success() => r
                        .json::<serde_json::Value>()
                        .await
                        .is_ok_and(|v| v.get("errors").is_none()),
                    _ => false,
                };
                latencies.push(started.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    for task in tasks {
        let (latencies, e) = task.await.expect("a writer task");
        all.extend(latencies);
        errors += e;
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{}",
        serde_json::json!({
            "requests": all.len(),
            "errors": errors,
            "per_second": all.len() as f64 / seconds as f64,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": all.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        })
    );
}
