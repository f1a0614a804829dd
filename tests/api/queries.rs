//! Read-only queries over the seeded graph: skills, their edges, search and pagination,
//! categories, levels, roles and stats. No token is needed for any of them.

use serde::Deserialize;
use serde_json::json;

use crate::helpers::{TestApp, assert_error, data, field, seeded_count, seeded_role_categories};

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CategoryOut {
    id: String,
    name: String,
    order: i32,
}

#[derive(Debug, Deserialize)]
struct ResourceOut {
    title: String,
    url: String,
    kind: String,
}

#[derive(Debug, Deserialize)]
struct SkillOut {
    id: String,
    name: String,
    description: Option<String>,
    hours: i32,
    aliases: Vec<String>,
    category: Option<CategoryOut>,
    resources: Vec<ResourceOut>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PrerequisiteOut {
    skill: Ref,
    kind: String,
    min_level: Option<i32>,
    depth: i32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    has_previous_page: bool,
    end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Edge {
    cursor: String,
    node: Ref,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection {
    page_info: PageInfo,
    edges: Vec<Edge>,
}

impl Connection {
    fn ids(&self) -> Vec<&str> {
        self.edges.iter().map(|e| e.node.id.as_str()).collect()
    }
}

async fn prerequisites(
    app: &TestApp,
    skill: &str,
    transitive: bool,
    include_recommended: bool,
) -> Vec<PrerequisiteOut> {
    #[derive(Deserialize)]
    struct Wrapper {
        prerequisites: Vec<PrerequisiteOut>,
    }
    let body = app
        .query(
            "query($id: ID!, $t: Boolean!, $r: Boolean!) { skill(id: $id) {
                prerequisites(transitive: $t, includeRecommended: $r) {
                    skill { id } kind minLevel depth
                } } }",
            json!({ "id": skill, "t": transitive, "r": include_recommended }),
        )
        .await;
    field::<Wrapper>(&body, "skill").prerequisites
}

async fn unlocks(app: &TestApp, skill: &str, transitive: bool) -> Vec<String> {
    #[derive(Deserialize)]
    struct Wrapper {
        unlocks: Vec<Ref>,
    }
    let body = app
        .query(
            "query($id: ID!, $t: Boolean!) { skill(id: $id) { unlocks(transitive: $t) { id } } }",
            json!({ "id": skill, "t": transitive }),
        )
        .await;
    field::<Wrapper>(&body, "skill")
        .unlocks
        .into_iter()
        .map(|s| s.id)
        .collect()
}

async fn skills_page(
    app: &TestApp,
    query: Option<&str>,
    category: Option<&str>,
    first: i32,
    after: Option<&str>,
) -> Connection {
    let body = app
        .query(
            "query($q: String, $c: ID, $first: Int!, $after: String) {
                skills(query: $q, category: $c, first: $first, after: $after) {
                    pageInfo { hasNextPage hasPreviousPage endCursor }
                    edges { cursor node { id } }
                } }",
            json!({ "q": query, "c": category, "first": first, "after": after }),
        )
        .await;
    field(&body, "skills")
}

/// Every skill in list order, read in pages of the largest size, and the last page's end cursor.
async fn every_skill(app: &TestApp) -> (Vec<String>, Option<String>) {
    let (mut ids, mut after) = (Vec::new(), None::<String>);
    loop {
        let page = skills_page(app, None, None, 100, after.as_deref()).await;
        ids.extend(page.ids().into_iter().map(String::from));
        after = page.page_info.end_cursor.clone();
        if !page.page_info.has_next_page {
            return (ids, after);
        }
    }
}

#[tokio::test]
async fn a_skill_is_returned_with_its_fields_category_aliases_and_resources() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(
            "query($id: ID!) { skill(id: $id) {
                id name description hours aliases
                category { id name order }
                resources { title url kind }
            } }",
            json!({ "id": "kubernetes" }),
        )
        .await;

    // Assert
    let skill: SkillOut = field(&body, "skill");
    assert_eq!(skill.id, "kubernetes");
    assert_eq!(skill.name, "Kubernetes");
    assert_eq!(skill.hours, 40);
    assert!(skill.description.is_some_and(|d| d.contains("pods")));
    assert!(
        skill.aliases.iter().any(|a| a == "k8s"),
        "{:?}",
        skill.aliases
    );
    let category = skill.category.expect("kubernetes has a category");
    assert_eq!(
        (category.id.as_str(), category.order),
        ("cloud", 7),
        "{category:?}"
    );
    assert_eq!(category.name, "Cloud & infrastructure");
    assert!(!skill.resources.is_empty());
    for r in &skill.resources {
        assert!(!r.title.is_empty(), "{r:?}");
        assert!(r.url.starts_with("https://"), "{r:?}");
        assert!(
            [
                "COURSE",
                "BOOK",
                "DOCUMENTATION",
                "TUTORIAL",
                "ARTICLE",
                "VIDEO",
                "PAPER",
                "OTHER"
            ]
            .contains(&r.kind.as_str()),
            "{r:?}"
        );
    }
}

#[tokio::test]
async fn direct_prerequisites_are_the_required_skills_at_depth_one_with_their_min_level() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let list = prerequisites(&app, "distributed-training", false, true).await;

    // Assert: seed/skills/deep-learning.toml, sorted by category order then id.
    let ids: Vec<&str> = list.iter().map(|p| p.skill.id.as_str()).collect();
    assert_eq!(ids, ["pytorch", "training-dynamics", "gpu-compute"]);
    assert!(list.iter().all(|p| p.depth == 1 && p.kind == "REQUIRED"));
    let levels: Vec<Option<i32>> = list.iter().map(|p| p.min_level).collect();
    assert_eq!(levels, [Some(3), None, Some(3)]);
}

#[tokio::test]
async fn transitive_prerequisites_reach_down_the_chain_sorted_by_depth() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let direct = prerequisites(&app, "rag", false, false).await;
    let all = prerequisites(&app, "rag", true, false).await;

    // Assert
    let direct_ids: Vec<&str> = direct.iter().map(|p| p.skill.id.as_str()).collect();
    assert_eq!(
        direct_ids,
        ["llm-applications", "llm-evaluation", "vector-search"]
    );
    let depth_of = |id: &str| {
        all.iter()
            .find(|p| p.skill.id == id)
            .map(|p| p.depth)
            .unwrap_or_else(|| panic!("{id} is not a transitive prerequisite of rag: {all:?}"))
    };
    assert_eq!(depth_of("llm-applications"), 1);
    assert_eq!(depth_of("embeddings"), 2);
    assert_eq!(depth_of("model-evaluation"), 2);
    assert_eq!(depth_of("linear-algebra"), 3);
    assert!(depth_of("probability") > depth_of("statistics"));
    // Transformers are recommended for embeddings, not required: not followed here.
    assert!(all.iter().all(|p| p.skill.id != "transformers"), "{all:?}");
    assert!(depth_of("python") >= 2);
    assert!(
        all.windows(2).all(|w| w[0].depth <= w[1].depth),
        "not sorted by depth: {all:?}"
    );
    let mut ids: Vec<&str> = all.iter().map(|p| p.skill.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "a prerequisite is listed twice");
    assert!(all.iter().all(|p| p.kind == "REQUIRED"));
}

#[tokio::test]
async fn include_recommended_false_leaves_out_recommended_prerequisites() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let with = prerequisites(&app, "llm-applications", false, true).await;
    let without = prerequisites(&app, "llm-applications", false, false).await;

    // Assert: LLM application development requires APIs, LLM fundamentals and prompt
    // engineering, and recommends transformers.
    let kind_of = |list: &[PrerequisiteOut], id: &str| {
        list.iter()
            .find(|p| p.skill.id == id)
            .map(|p| p.kind.clone())
    };
    assert_eq!(
        kind_of(&with, "transformers").as_deref(),
        Some("RECOMMENDED")
    );
    assert_eq!(kind_of(&with, "apis").as_deref(), Some("REQUIRED"));
    assert_eq!(kind_of(&without, "transformers"), None);
    let ids: Vec<&str> = without.iter().map(|p| p.skill.id.as_str()).collect();
    // LLM evaluation and RAG only beyond practitioner (level steps), but required there.
    assert_eq!(
        ids,
        [
            "apis",
            "llm-evaluation",
            "llm-fundamentals",
            "prompt-engineering",
            "rag"
        ]
    );
}

#[tokio::test]
async fn unlocks_lists_direct_dependents_and_with_transitive_the_whole_chain() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let direct = unlocks(&app, "linear-algebra", false).await;
    let transitive = unlocks(&app, "linear-algebra", true).await;

    // Assert
    assert!(direct.iter().any(|s| s == "neural-networks"), "{direct:?}");
    assert!(!direct.iter().any(|s| s == "rag"), "{direct:?}");
    for id in ["neural-networks", "transformers", "llm-applications", "rag"] {
        assert!(transitive.iter().any(|s| s == id), "{id} in {transitive:?}");
    }
    assert!(direct.iter().all(|d| transitive.contains(d)));
    assert!(transitive.len() > direct.len());
}

#[tokio::test]
async fn required_by_lists_the_roles_that_need_a_skill_and_at_what_level() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(
            r#"{ skill(id: "rag") { requiredBy { role { id } skill { id } level importance } } }"#,
            json!({}),
        )
        .await;

    // Assert: seed/roles.toml
    let list = data(&body)["skill"]["requiredBy"]
        .as_array()
        .expect("a list")
        .clone();
    let found: Vec<(String, i64, String)> = list
        .iter()
        .map(|r| {
            assert_eq!(r["skill"]["id"], "rag");
            (
                r["role"]["id"].as_str().unwrap().to_owned(),
                r["level"].as_i64().unwrap(),
                r["importance"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("ai-engineer".to_owned(), 4, "ESSENTIAL".to_owned()),
            ("genai-engineer".to_owned(), 3, "ESSENTIAL".to_owned()),
        ]
    );
}

#[tokio::test]
async fn an_unknown_skill_id_is_null_without_an_error() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(r#"{ skill(id: "no-such-skill") { id } }"#, json!({}))
        .await;

    // Assert
    assert!(data(&body)["skill"].is_null(), "{body:#}");
}

#[tokio::test]
async fn a_skill_id_that_is_not_a_slug_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(r#"{ skill(id: "Not A Slug") { id } }"#, json!({}))
        .await;

    // Assert
    let error = assert_error(&body, "INVALID_INPUT");
    assert_eq!(error["path"], json!(["skill"]));
}

#[tokio::test]
async fn skills_search_finds_a_skill_by_its_name() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let page = skills_page(&app, Some("kubernetes"), None, 20, None).await;

    // Assert
    assert_eq!(page.ids().first(), Some(&"kubernetes"), "{page:?}");
}

#[tokio::test]
async fn skills_search_finds_a_skill_by_its_alias() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let k8s = skills_page(&app, Some("k8s"), None, 20, None).await;
    let rag = skills_page(&app, Some("retrieval augmented generation"), None, 20, None).await;

    // Assert
    assert_eq!(k8s.ids(), ["kubernetes"]);
    assert_eq!(rag.ids().first(), Some(&"rag"), "{rag:?}");
}

#[tokio::test]
async fn skills_search_with_no_match_is_an_empty_page() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let page = skills_page(&app, Some("underwater basket weaving"), None, 20, None).await;

    // Assert
    assert!(page.edges.is_empty(), "{page:?}");
    assert!(!page.page_info.has_next_page);
}

#[tokio::test]
async fn skills_can_be_filtered_by_category() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(
            r#"{ skills(category: "genai", first: 100) { nodes { id category { id } } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let nodes = data(&body)["skills"]["nodes"].as_array().unwrap().clone();
    assert!(!nodes.is_empty());
    assert!(
        nodes.iter().all(|n| n["category"]["id"] == "genai"),
        "{nodes:#?}"
    );
    assert!(nodes.iter().any(|n| n["id"] == "rag"));
    assert!(!nodes.iter().any(|n| n["id"] == "python"));
}

#[tokio::test]
async fn pages_of_skills_continue_from_the_cursor_without_overlap_until_the_end() {
    // Arrange
    let app = TestApp::spawn().await;
    let total = seeded_count("skill");
    let page_size = 25;

    // Act
    let mut pages = vec![skills_page(&app, None, None, page_size, None).await];
    while pages.last().unwrap().page_info.has_next_page {
        assert!(pages.len() < 10, "pagination does not end");
        let cursor = pages.last().unwrap().page_info.end_cursor.clone();
        let cursor = cursor.expect("a page with a next page has an end cursor");
        pages.push(skills_page(&app, None, None, page_size, Some(&cursor)).await);
    }

    // Assert
    assert_eq!(pages.len(), total.div_ceil(page_size as usize));
    assert!(!pages[0].page_info.has_previous_page);
    assert!(pages[1..].iter().all(|p| p.page_info.has_previous_page));
    for page in &pages[..pages.len() - 1] {
        assert_eq!(page.edges.len(), page_size as usize);
        assert_eq!(
            page.page_info.end_cursor.as_deref(),
            Some(page.edges.last().unwrap().cursor.as_str())
        );
    }
    let all: Vec<&str> = pages.iter().flat_map(Connection::ids).collect();
    assert_eq!(all.len(), total);
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), total, "a skill appears on two pages");
    let (largest_pages, _) = every_skill(&app).await;
    assert_eq!(largest_pages, all, "the page size changed the order");
}

#[tokio::test]
async fn first_above_one_hundred_is_refused_as_limit_exceeded() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query("{ skills(first: 101) { nodes { id } } }", json!({}))
        .await;

    // Assert
    let error = assert_error(&body, "LIMIT_EXCEEDED");
    assert_eq!(error["extensions"]["max"], 100);
}

#[tokio::test]
async fn categories_are_the_nine_layers_in_display_order() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query("{ categories { id name order } }", json!({}))
        .await;

    // Assert
    let categories: Vec<CategoryOut> = field(&body, "categories");
    assert_eq!(categories.len(), 9);
    // The role families are another tree (`roleCategories`).
    assert_eq!(
        categories.len(),
        seeded_count("category") - seeded_role_categories()
    );
    assert_eq!(categories[0].id, "programming");
    assert_eq!(categories[8].id, "soft-skills");
    assert!(
        categories.windows(2).all(|w| w[0].order < w[1].order),
        "{categories:?}"
    );
}

#[tokio::test]
async fn levels_run_from_aware_to_expert_with_cumulative_effort() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query("{ levels { level name effortPercent } }", json!({}))
        .await;

    // Assert
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct LevelOut {
        level: i32,
        name: String,
        effort_percent: i32,
    }
    let levels: Vec<LevelOut> = field(&body, "levels");
    let expected = [
        (1, "aware", 10),
        (2, "beginner", 40),
        (3, "practitioner", 100),
        (4, "advanced", 200),
        (5, "expert", 500),
    ];
    let got: Vec<(i32, &str, i32)> = levels
        .iter()
        .map(|l| (l.level, l.name.as_str(), l.effort_percent))
        .collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn a_role_is_returned_with_its_requirements_sorted_by_skill() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(
            r#"{ role(id: "ai-engineer") { id name description
                 requirements { skill { id } level importance } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let role = &data(&body)["role"];
    assert_eq!(role["id"], "ai-engineer");
    assert_eq!(role["name"], "AI engineer");
    let requirements = role["requirements"].as_array().unwrap();
    assert_eq!(requirements.len(), 43);
    let skills: Vec<&str> = requirements
        .iter()
        .map(|r| r["skill"]["id"].as_str().unwrap())
        .collect();
    let mut sorted = skills.clone();
    sorted.sort_unstable();
    assert_eq!(skills, sorted);
    let rag = requirements
        .iter()
        .find(|r| r["skill"]["id"] == "rag")
        .unwrap();
    assert_eq!(
        (rag["level"].as_i64(), rag["importance"].as_str()),
        (Some(4), Some("ESSENTIAL"))
    );
    let fine_tuning = requirements
        .iter()
        .find(|r| r["skill"]["id"] == "fine-tuning")
        .unwrap();
    assert_eq!(fine_tuning["importance"], "OPTIONAL");
}

#[tokio::test]
async fn an_unknown_role_id_is_null_without_an_error() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(r#"{ role(id: "astronaut") { id } }"#, json!({}))
        .await;

    // Assert
    assert!(data(&body)["role"].is_null(), "{body:#}");
}

#[tokio::test]
async fn the_roles_connection_lists_every_role_by_id_and_searches_by_name() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let all = app
        .query(
            "{ roles(first: 100) { pageInfo { hasNextPage } nodes { id } } }",
            json!({}),
        )
        .await;
    let searched = app
        .query(r#"{ roles(query: "MLOps") { nodes { id } } }"#, json!({}))
        .await;
    let paged = app
        .query(
            "{ roles(first: 3) { pageInfo { hasNextPage } nodes { id } } }",
            json!({}),
        )
        .await;

    // Assert
    let ids: Vec<&str> = data(&all)["roles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), seeded_count("role"));
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    assert!(ids.contains(&"software-engineer") && ids.contains(&"ai-engineer"));
    assert_eq!(data(&all)["roles"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(
        data(&searched)["roles"]["nodes"][0]["id"],
        "mlops-engineer",
        "{searched:#}"
    );
    assert_eq!(data(&paged)["roles"]["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(data(&paged)["roles"]["pageInfo"]["hasNextPage"], true);
}

#[tokio::test]
async fn stats_count_the_seeded_graph_at_a_positive_revision() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let stats = app.stats().await;

    // Assert
    assert_eq!(stats.skills as usize, seeded_count("skill"));
    assert_eq!(stats.roles as usize, seeded_count("role"));
    assert_eq!(
        stats.categories as usize,
        seeded_count("category") - seeded_role_categories()
    );
    assert_eq!(stats.role_categories as usize, seeded_role_categories());
    assert!(stats.prerequisites > stats.skills / 2, "{stats:?}");
    assert!(stats.requirements >= stats.roles, "{stats:?}");
    assert!(stats.revision >= 1, "{stats:?}");
}

#[tokio::test]
async fn a_cursor_that_is_not_one_of_the_list_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query(
            r#"{ skills(after: "not-a-cursor") { nodes { id } } }"#,
            json!({}),
        )
        .await;

    // Assert
    assert_error(&body, "INVALID_INPUT");
}

#[tokio::test]
async fn a_negative_first_is_refused_as_invalid_input() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let body = app
        .query("{ roles(first: -1) { nodes { id } } }", json!({}))
        .await;

    // Assert
    assert_error(&body, "INVALID_INPUT");
}

#[tokio::test]
async fn a_cursor_at_the_end_of_the_list_gives_an_empty_last_page() {
    // Arrange
    let app = TestApp::spawn().await;
    let (all, last) = every_skill(&app).await;
    assert_eq!(all.len(), seeded_count("skill"));
    let last = last.expect("a page with items has an end cursor");

    // Act
    let page = skills_page(&app, None, None, 10, Some(&last)).await;

    // Assert
    assert!(page.edges.is_empty(), "{page:?}");
    assert!(!page.page_info.has_next_page);
}

#[tokio::test]
async fn a_query_nested_deeper_than_the_depth_limit_is_refused() {
    // Arrange: a chain of 17 `parent` fields is 19 levels deep, with no list to fan out
    // (lists would trip the complexity limit first).
    let app = TestApp::spawn().await;
    let mut selection = String::from("id");
    for _ in 0..17 {
        selection = format!("parent {{ {selection} }}");
    }
    let selection = format!("category {{ {selection} }}");

    // Act
    let body = app
        .query(
            &format!(r#"{{ skill(id: "rag") {{ {selection} }} }}"#),
            json!({}),
        )
        .await;

    // Assert
    assert!(body.get("data").is_none(), "{body:#}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{body:#}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["limit"], "maxDepth",
        "{body:#}"
    );
}

#[tokio::test]
async fn a_category_filter_includes_skills_of_its_sub_categories() {
    // Arrange
    let app = TestApp::spawn().await;
    crate::helpers::data(
        &app.admin(
            r#"mutation { upsertCategory(input: { id: "genai-ops", name: "GenAI ops", order: 5, parent: "genai" }) { id } }"#,
            json!({}),
        )
        .await,
    );
    app.create_skill("prompt-caching", "genai-ops", 4).await;

    // Act
    let genai = skills_page(&app, None, Some("genai"), 100, None).await;
    let sub = skills_page(&app, None, Some("genai-ops"), 100, None).await;

    // Assert
    assert!(genai.ids().contains(&"prompt-caching"), "{genai:?}");
    assert!(genai.ids().contains(&"rag"));
    assert_eq!(sub.ids(), ["prompt-caching"]);
}
