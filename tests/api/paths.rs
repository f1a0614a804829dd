//! Learning paths drawn: `LearningPath.mermaid` and `.dot` in GraphQL, `GET /paths/…` as
//! SVG, DOT and Mermaid over plain HTTP, and the plan explorer page at `/explore`.

use std::collections::BTreeSet;

use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, attribute_values, data, test_config};

const PLAN: &str = r#"query($from: ProfileInput, $to: TargetInput!) {
  learningPath(from: $from, to: $to) {
    mermaid dot
    steps { position stage hours skill { id name } because { id } dependents }
  }
}"#;

/// `(position, stage, skill id)` of each step, in plan order.
type Steps = Vec<(u64, u64, String)>;
/// `(from, to)` positions: the step at `to` waits for the step at `from`.
type Waits = BTreeSet<(u64, u64)>;

/// The plan as GraphQL gives it.
async fn plan(app: &TestApp, from: Value, to: Value) -> Value {
    let body = app.query(PLAN, json!({ "from": from, "to": to })).await;
    data(&body)["learningPath"].clone()
}

/// `(position, stage, skill)` of each step, and each `(from, to)` wait between steps, as
/// GraphQL lists them.
fn steps_and_waits(plan: &Value) -> (Steps, Waits) {
    let steps = plan["steps"].as_array().unwrap();
    let listed = steps
        .iter()
        .map(|s| {
            (
                s["position"].as_u64().unwrap(),
                s["stage"].as_u64().unwrap(),
                s["skill"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Steps are linked by position: a skill learned in level steps is more than one step.
    let waits: Waits = steps
        .iter()
        .flat_map(|s| {
            let from = s["position"].as_u64().unwrap();
            s["dependents"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |later| (from, later.as_u64().unwrap()))
        })
        .collect();
    // `because` names the same waits by skill, leaving out a skill's own next level step.
    for s in steps {
        let from = s["position"].as_u64().unwrap();
        let mut named: Vec<&Value> = waits
            .iter()
            .filter(|(a, _)| *a == from)
            .map(|(_, b)| &steps[*b as usize - 1]["skill"]["id"])
            .filter(|id| **id != s["skill"]["id"])
            .collect();
        let mut seen = Vec::new();
        named.retain(|id| {
            let first = !seen.contains(id);
            seen.push(*id);
            first
        });
        let because: Vec<&Value> = s["because"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| &b["id"])
            .collect();
        assert_eq!(because, named, "step {from}: because and dependents agree");
    }
    (listed, waits)
}

/// The same, read from an SVG by an XML parser; panics on XML that is not well-formed.
fn drawn(svg: &str) -> (Steps, Waits, String) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
    let position = |id: &str| id.strip_prefix("step-").unwrap().parse::<u64>().unwrap();
    let classed = |n: &roxmltree::Node, c: &str| {
        n.attribute("class")
            .is_some_and(|v| v.split(' ').any(|x| x == c))
    };
    let steps = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && classed(n, "step"))
        .map(|g| {
            (
                position(g.attribute("id").unwrap()),
                g.attribute("data-stage").unwrap().parse().unwrap(),
                g.attribute("data-skill").unwrap().to_owned(),
            )
        })
        .collect();
    let edges = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && classed(n, "edge"))
        .map(|p| {
            (
                position(p.attribute("data-from").unwrap()),
                position(p.attribute("data-to").unwrap()),
            )
        })
        .collect();
    let text = doc
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n");
    (steps, edges, text)
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

async fn error_of(app: &TestApp, path: &str, status: u16, code: &str) -> String {
    let response = get(app, path).await;
    assert_eq!(response.status(), status, "{path}");
    let body: Value = response.json().await.unwrap();
    assert_error(&body, code)["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_role_plan_is_drawn_as_svg_with_a_box_a_step_and_an_arrow_a_wait() {
    let app = TestApp::spawn().await;
    let url = "/paths/ai-engineer.svg?from=software-engineer";

    let response = get(&app, url).await;

    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers[CONTENT_TYPE], "image/svg+xml");
    assert_eq!(headers[CACHE_CONTROL], "no-cache");
    assert!(
        headers[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    let svg = response.text().await.unwrap();
    let (steps, edges, text) = drawn(&svg);
    let expected = plan(
        &app,
        json!({ "role": "software-engineer" }),
        json!({ "roles": ["ai-engineer"] }),
    )
    .await;
    let (listed, waits) = steps_and_waits(&expected);
    assert!(listed.len() > 10, "a real plan: {listed:?}");
    assert_eq!(steps, listed, "every step has a box, in its stage");
    assert_eq!(edges, waits, "every wait between steps has an arrow");
    for step in expected["steps"].as_array().unwrap() {
        let name = step["skill"]["name"].as_str().unwrap();
        let word = name.split_whitespace().next().unwrap();
        assert!(text.contains(word), "{name} is written in the picture");
    }
    let again = get(&app, url).await.text().await.unwrap();
    assert_eq!(svg, again, "the same plan is drawn byte for byte the same");
}

#[tokio::test]
async fn dot_and_mermaid_files_are_the_graphql_fields_of_the_same_plan() {
    let app = TestApp::spawn().await;
    let expected = plan(
        &app,
        json!({ "role": "software-engineer" }),
        json!({ "roles": ["ai-engineer"] }),
    )
    .await;

    let mmd = get(&app, "/paths/ai-engineer.mmd?from=software-engineer").await;
    assert_eq!(mmd.status(), 200);
    assert!(
        mmd.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/vnd.mermaid")
    );
    let mmd = mmd.text().await.unwrap();
    let dot = get(&app, "/paths/ai-engineer.dot?from=software-engineer").await;
    assert_eq!(dot.status(), 200);
    let dot = dot.text().await.unwrap();

    assert_eq!(mmd, expected["mermaid"].as_str().unwrap());
    assert_eq!(dot, expected["dot"].as_str().unwrap());
    let (listed, waits) = steps_and_waits(&expected);
    for (position, _, _) in &listed {
        assert!(
            mmd.contains(&format!("\n    s{position}[\"")),
            "node s{position}"
        );
        assert!(dot.contains(&format!("\n    s{position} [id=\"step-{position}\"")));
    }
    for (a, b) in &waits {
        assert!(
            mmd.contains(&format!("\n  s{a} --> s{b}\n")),
            "edge s{a} --> s{b}"
        );
        assert!(
            dot.contains(&format!("\n  s{a} -> s{b};\n")),
            "edge s{a} -> s{b}"
        );
    }
    assert_eq!(mmd.matches(" --> ").count(), waits.len());
    assert_eq!(dot.matches(" -> ").count(), waits.len());
}

#[tokio::test]
async fn a_skill_target_is_drawn_from_the_skills_held() {
    let app = TestApp::spawn().await;

    let response = get(
        &app,
        "/paths/skills/pytorch.svg?have=python:3,linear-algebra:2&level=4",
    )
    .await;

    assert_eq!(response.status(), 200);
    let (steps, edges, _) = drawn(&response.text().await.unwrap());
    let expected = plan(
        &app,
        json!({ "skills": [{ "skill": "python", "level": 3 }, { "skill": "linear-algebra", "level": 2 }] }),
        json!({ "skills": [{ "skill": "pytorch", "level": 4 }] }),
    )
    .await;
    let (listed, waits) = steps_and_waits(&expected);
    assert_eq!(steps, listed);
    assert_eq!(edges, waits);
    assert!(steps.iter().all(|(_, _, s)| s != "python"), "held: no step");
    assert_eq!(steps.last().unwrap().2, "pytorch");
}

#[tokio::test]
async fn names_with_markup_quotes_and_mermaid_syntax_reach_every_format_escaped() {
    let app = TestApp::spawn().await;
    let name = r#"Py<thon> & "co"; `#1` --> end"#;
    let renamed = app
        .admin(
            r#"mutation($name: String!) { updateSkill(id: "python", input: { name: $name }) { name } }"#,
            json!({ "name": name }),
        )
        .await;
    assert_eq!(data(&renamed)["updateSkill"]["name"], name);

    let svg = get(&app, "/paths/skills/pytorch.svg")
        .await
        .text()
        .await
        .unwrap();
    let (steps, _, text) = drawn(&svg);
    assert!(steps.iter().any(|(_, _, s)| s == "python"));
    assert!(
        text.contains(name),
        "the XML parser reads the name back: {text}"
    );
    let mmd = get(&app, "/paths/skills/pytorch.mmd")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        mmd.contains(r#"["Py#60;thon#62; #38; #34;co#34;#59; #96;#35;1#96; --#62; end<br>"#),
        "{mmd}"
    );
    let dot = get(&app, "/paths/skills/pytorch.dot")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dot.contains(r#"label="Py<thon> & \"co\"; `#1` --> end\nlevel"#),
        "{dot}"
    );
}

#[tokio::test]
async fn bad_requests_for_a_drawing_get_the_status_and_code_of_their_fault() {
    let app = TestApp::spawn().await;
    let unknown = error_of(&app, "/paths/no-such-role.svg", 404, "NOT_FOUND").await;
    assert!(unknown.contains("no-such-role"), "{unknown}");
    let message = error_of(&app, "/paths/skills/no-such-skill.svg", 404, "NOT_FOUND").await;
    assert!(message.contains("no-such-skill"), "{message}");
    error_of(
        &app,
        "/paths/ai-engineer.svg?have=no-such-skill:3",
        404,
        "NOT_FOUND",
    )
    .await;
    error_of(
        &app,
        "/paths/ai-engineer.svg?from=no-such-role",
        404,
        "NOT_FOUND",
    )
    .await;

    for bad in ["python", "python:7", "python:high", ":3"] {
        let path = format!("/paths/ai-engineer.svg?have={bad}");
        let message = error_of(&app, &path, 400, "INVALID_INPUT").await;
        assert!(!message.is_empty(), "{bad}");
    }
    let message = error_of(&app, "/paths/ai-engineer.svg?level=3", 400, "INVALID_INPUT").await;
    assert!(message.contains("skill targets"), "{message}");
    error_of(
        &app,
        "/paths/skills/pytorch.svg?level=6",
        400,
        "INVALID_INPUT",
    )
    .await;
    let message = error_of(&app, "/paths/ai-engineer.svg?form=x", 400, "INVALID_INPUT").await;
    assert!(
        message.contains("form"),
        "an unknown parameter is named: {message}"
    );
    let message = error_of(&app, "/paths/ai-engineer.png", 400, "INVALID_INPUT").await;
    assert!(message.contains(".svg"), "{message}");
    error_of(&app, "/paths/Not%20An%20Id.svg", 400, "INVALID_INPUT").await;
    // A name that is not UTF-8 once decoded is refused in the error body too, not as
    // axum's plain text.
    error_of(&app, "/paths/%FF.svg", 400, "INVALID_INPUT").await;
    error_of(&app, "/paths/skills/%FF.svg", 400, "INVALID_INPUT").await;
}

#[tokio::test]
async fn a_drawing_takes_no_more_skills_held_than_a_profile_may_have() {
    let mut config = test_config();
    config.limits.max_profile_skills = 2;
    let app = TestApp::spawn_with(config).await;
    get(&app, "/paths/ai-engineer.svg?have=python:3,git:2")
        .await
        .error_for_status()
        .unwrap();
    let response = get(&app, "/paths/ai-engineer.svg?have=python:3,git:2,sql:2").await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let error = assert_error(&body, "LIMIT_EXCEEDED");
    assert_eq!(error["extensions"]["limit"], "maxProfileSkills");
    assert_eq!(error["extensions"]["max"], 2);
}

#[tokio::test]
async fn the_explore_page_and_its_assets_are_served_from_the_binary_even_without_graphiql() {
    let mut config = test_config();
    config.introspection = false;
    let app = TestApp::spawn_with(config).await;
    assert_eq!(get(&app, "/").await.status(), 404, "GraphiQL is off here");

    let page = get(&app, "/explore").await;

    assert_eq!(page.status(), 200);
    let headers = page.headers().clone();
    assert!(
        headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    for directive in [
        "default-src 'none'",
        "script-src 'self';",
        "style-src 'self';",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe") && !csp.contains("http"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("<style"),
        "nothing inline"
    );
    assert!(
        html.contains(r#"href="/""#),
        "it links to the GraphQL explorer"
    );
    let mut assets: Vec<&str> = attribute_values(&html, "src");
    assets.extend(
        attribute_values(&html, "href")
            .into_iter()
            .filter(|h| h.starts_with("/assets/")),
    );
    assert_eq!(assets.len(), 2, "a script and a stylesheet: {assets:?}");
    for asset in assets {
        assert!(
            asset.starts_with("/assets/explore/"),
            "same origin: {asset}"
        );
        let response = get(&app, asset).await;
        assert_eq!(response.status(), 200, "{asset}");
        let kind = if asset.ends_with(".js") {
            "text/javascript"
        } else {
            "text/css"
        };
        let content_type = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with(kind), "{asset}: {content_type}");
        let etag = response.headers()[ETAG].clone();
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{asset} calls no other origin"
        );
        let again = app
            .client
            .get(app.url(asset))
            .header(IF_NONE_MATCH, etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{asset} revalidates");
    }
    // What the script asks for is there with introspection off.
    let drawing = get(&app, "/paths/ai-engineer.svg").await;
    assert_eq!(drawing.status(), 200);
    drawn(&drawing.text().await.unwrap());
}

#[tokio::test]
async fn the_readme_mermaid_block_is_what_the_server_draws_for_its_command() {
    let app = TestApp::spawn().await;
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("```mermaid\n").expect("a mermaid block") + "```mermaid\n".len();
    let block = &readme[start..start + readme[start..].find("```\n").unwrap()];
    let command = "/paths/skills/pytorch.mmd?have=python:3&level=4";
    assert!(readme.contains(command), "the README shows the command");

    let drawn = get(&app, command).await.text().await.unwrap();

    assert_eq!(
        block, drawn,
        "the README's Mermaid block is stale: replace it with the output of {command}"
    );
}

const SCHEDULED: &str = r#"query($from: ProfileInput, $to: TargetInput!, $budget: Int, $pace: Int) {
  learningPath(from: $from, to: $to, budgetHours: $budget, hoursPerWeek: $pace) {
    mermaid dot weeks deferredHours totalHours
    steps { position stage hours startWeek endWeek skill { id name } because { id } dependents }
    deferred { position }
  }
}"#;

/// The plan with a budget and a pace, as GraphQL gives it.
async fn scheduled(app: &TestApp, from: Value, to: Value, budget: Value, pace: Value) -> Value {
    let variables = json!({ "from": from, "to": to, "budget": budget, "pace": pace });
    let body = app.query(SCHEDULED, variables).await;
    data(&body)["learningPath"].clone()
}

#[tokio::test]
async fn a_budget_and_a_pace_draw_the_plan_learning_path_gives_for_the_same_arguments() {
    let app = TestApp::spawn().await;
    let (from, to) = (
        json!({ "role": "software-engineer" }),
        json!({ "roles": ["ai-engineer"] }),
    );
    let full = scheduled(&app, from.clone(), to.clone(), json!(null), json!(null)).await;
    let budget = full["totalHours"].as_u64().unwrap() / 3;
    let expected = scheduled(&app, from, to, json!(budget), json!(8)).await;
    let deferred = expected["deferred"].as_array().unwrap().len();
    assert!(deferred > 0, "a third of the hours defers steps");
    let query = format!("?from=software-engineer&budgetHours={budget}&hoursPerWeek=8");

    let response = get(&app, &format!("/paths/ai-engineer.svg{query}")).await;

    assert_eq!(response.status(), 200);
    let (steps, edges, text) = drawn(&response.text().await.unwrap());
    let (listed, waits) = steps_and_waits(&expected);
    assert_eq!(
        steps, listed,
        "the budget's steps, and only those, are drawn"
    );
    assert_eq!(edges, waits);
    let weeks = expected["weeks"].as_u64().unwrap();
    assert!(text.contains(&format!(", {weeks} weeks")), "{text}");
    let said = format!(
        "Within the {budget} h budget: {deferred} steps ({} h) deferred",
        expected["deferredHours"]
    );
    assert!(text.contains(&said), "{text}");
    for step in expected["steps"].as_array().unwrap() {
        let (start, end) = (&step["startWeek"], &step["endWeek"]);
        let when = if start == end {
            format!("{} h · week {start}", step["hours"])
        } else {
            format!("{} h · weeks {start}–{end}", step["hours"])
        };
        assert!(text.contains(&when), "{when}: {text}");
    }
    // The text formats are the GraphQL fields of that same plan.
    let mmd = get(&app, &format!("/paths/ai-engineer.mmd{query}")).await;
    assert_eq!(
        mmd.text().await.unwrap(),
        expected["mermaid"].as_str().unwrap()
    );
    let dot = get(&app, &format!("/paths/ai-engineer.dot{query}")).await;
    assert_eq!(dot.text().await.unwrap(), expected["dot"].as_str().unwrap());

    // A skill target takes them too; a budget of 0 keeps nothing and says so.
    let skill = get(
        &app,
        "/paths/skills/pytorch.svg?have=python:3&level=4&budgetHours=0&hoursPerWeek=5",
    )
    .await;
    assert_eq!(skill.status(), 200);
    let (steps, _, text) = drawn(&skill.text().await.unwrap());
    assert!(steps.is_empty());
    assert!(text.contains("No step fits the budget"), "{text}");
}

#[tokio::test]
async fn a_bad_budget_or_pace_is_refused_with_400_and_the_message_graphql_gives() {
    let app = TestApp::spawn().await;
    let graphql_message = |budget: Value, pace: Value| {
        let app = &app;
        async move {
            let variables =
                json!({ "to": { "roles": ["ai-engineer"] }, "budget": budget, "pace": pace });
            let body = app.query(SCHEDULED, variables).await;
            assert_error(&body, "INVALID_INPUT")["message"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };

    let negative = error_of(
        &app,
        "/paths/ai-engineer.svg?budgetHours=-1",
        400,
        "INVALID_INPUT",
    )
    .await;
    assert_eq!(negative, graphql_message(json!(-1), json!(null)).await);
    assert!(negative.contains("budgetHours"), "{negative}");
    let zero = error_of(
        &app,
        "/paths/ai-engineer.svg?hoursPerWeek=0",
        400,
        "INVALID_INPUT",
    )
    .await;
    assert_eq!(zero, graphql_message(json!(null), json!(0)).await);
    assert!(zero.contains("hoursPerWeek"), "{zero}");

    for (param, bad) in [
        ("budgetHours", "forty"),
        ("budgetHours", "1.5"),
        ("budgetHours", ""),
        ("hoursPerWeek", "2147483648"),
        ("hoursPerWeek", "10h"),
    ] {
        let path = format!("/paths/skills/pytorch.svg?{param}={bad}");
        let message = error_of(&app, &path, 400, "INVALID_INPUT").await;
        assert!(
            message.contains(&format!("{param} must be a whole number")) && message.contains(bad),
            "{path}: {message}"
        );
    }
    // The largest Int GraphQL takes is taken here too.
    let most = get(
        &app,
        "/paths/ai-engineer.svg?budgetHours=2147483647&hoursPerWeek=2147483647",
    )
    .await;
    assert_eq!(most.status(), 200);
}

/// What the plan explorer asks while one types a role or a job title: one GET query, the
/// roles whose names match as suggestions and the title's reading, as `explore.js` sends it.
const SUGGEST: &str = "query Suggest($q: String!) { roles(query: $q, first: 8) { nodes { id name } } \
     normalizeTitles(titles: [$q]) { role { id name } confidence matchedLabel \
     alternatives { role { id name } confidence } } }";

#[tokio::test]
async fn the_explore_pages_suggestions_for_a_typed_title_are_one_cacheable_get_query() {
    let mut config = test_config();
    config.introspection = false;
    let app = TestApp::spawn_with(config).await;
    let ask = |q: &str| {
        let url = app.url("/graphql");
        let variables = json!({ "q": q }).to_string();
        let request = app
            .client
            .get(url)
            .query(&[("query", SUGGEST), ("variables", &variables)]);
        async move { request.send().await.unwrap() }
    };
    let script = get(&app, "/assets/explore/explore.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(script.contains(SUGGEST), "the page sends this very query");

    let response = ask("Sr. ML Engineer (m/w/d)").await;

    assert_eq!(response.status(), 200);
    let cache = response.headers()[CACHE_CONTROL]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cache.starts_with("public"),
        "a shared cache may keep it: {cache}"
    );
    let body: Value = response.json().await.unwrap();
    let reading = &data(&body)["normalizeTitles"][0];
    assert_eq!(reading["role"]["id"], "ml-engineer");
    assert_eq!(reading["confidence"], 1.0);
    assert_eq!(reading["matchedLabel"], "ML engineer");
    let suggested: Vec<&str> = data(&body)["roles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(suggested.first(), Some(&"ml-engineer"), "{suggested:?}");

    // A title no role reaches: no reading, the candidates remain for the page to offer.
    let body: Value = ask("Platform person").await.json().await.unwrap();
    let reading = &data(&body)["normalizeTitles"][0];
    assert!(reading["role"].is_null(), "{reading}");
    assert!(
        !reading["alternatives"].as_array().unwrap().is_empty(),
        "{reading}"
    );
}

#[tokio::test]
async fn the_readme_budget_and_pace_example_is_what_the_server_draws_for_its_command() {
    let app = TestApp::spawn().await;
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let command = "/paths/ml-engineer.mmd?from=software-engineer&budgetHours=100&hoursPerWeek=10";
    let at = readme.find(command).expect("the README shows the command");
    // Past the end of the command's block, to the start of the next.
    let end = at + readme[at..].find("\n```\n").unwrap() + "\n```\n".len();
    let start = end + readme[end..].find("```\n").expect("its output block") + "```\n".len();
    let block = &readme[start..start + readme[start..].find("```\n").unwrap()];
    // The block shows the first stage, then `…`.
    let shown = block.strip_suffix("  …\n").expect("the block ends in …");

    let drawn = get(&app, command).await.text().await.unwrap();
    let title = get(&app, &command.replace(".mmd", ".dot"))
        .await
        .text()
        .await
        .unwrap();

    assert!(
        drawn.starts_with(shown),
        "the README's block is stale: replace it with the start of {command}:\n{drawn}"
    );
    let said = title
        .lines()
        .find_map(|l| l.split("label=\"").nth(1)?.split('"').next())
        .unwrap();
    let readme_flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme_flat.contains(&format!("`{said}`")),
        "the README quotes the drawing's title: {said}"
    );
}
