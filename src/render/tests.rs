//! The three drawings of real plans: well-formed, complete, deterministic and escaped.

use std::collections::BTreeSet;
use std::path::Path;

use super::{dot, mermaid, svg};
use crate::domain::{
    Category, CategoryId, CategoryKind, EdgeSpec, LearningPlan, Level, PlanOptions, Profile,
    RoleId, Schedule, Skill, SkillGraph, SkillId, Target,
};
use crate::import::seed::Seed;

fn seed_graph() -> SkillGraph {
    let seed = Seed::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seed")).unwrap();
    let mut graph = SkillGraph::new();
    assert!(seed.apply(&mut graph).is_empty());
    graph
}

/// The README's plan: a software engineer becoming an AI engineer.
fn engineer_plan(graph: &SkillGraph, schedule: Schedule) -> LearningPlan {
    let profile = Profile {
        skills: vec![],
        role: Some(RoleId::parse("software-engineer").unwrap()),
    };
    let to = [Target::Role(RoleId::parse("ai-engineer").unwrap())];
    graph
        .plan_scheduled(&profile, &to, PlanOptions::default(), schedule)
        .unwrap()
}

/// Every `(from, to)` pair of positions where the step at `to` waits for the step at `from`,
/// both in the plan: read from the plan's steps, not from the drawing code.
fn waits(plan: &LearningPlan) -> BTreeSet<(u32, u32)> {
    plan.steps
        .iter()
        .flat_map(|s| s.dependents.iter().map(move |&later| (s.position, later)))
        .collect()
}

fn position_of(id: &str) -> u32 {
    id.strip_prefix("step-").unwrap().parse().unwrap()
}

/// Parses the SVG as XML and reads back its steps (position, stage, skill, box) and edges.
struct Parsed {
    steps: Vec<(u32, u32, String, [i64; 4])>,
    edges: BTreeSet<(u32, u32)>,
    /// Each edge's start and end x.
    spans: Vec<(i64, i64)>,
    text: String,
}

fn parse_svg(svg: &str) -> Parsed {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let class = |n: &roxmltree::Node, c: &str| {
        n.attribute("class")
            .is_some_and(|v| v.split(' ').any(|x| x == c))
    };
    let num = |n: &roxmltree::Node, a: &str| -> i64 { n.attribute(a).unwrap().parse().unwrap() };
    let steps = root
        .descendants()
        .filter(|n| n.has_tag_name("g") && class(n, "step"))
        .map(|g| {
            let rect = g.children().find(|c| c.has_tag_name("rect")).unwrap();
            (
                position_of(g.attribute("id").unwrap()),
                g.attribute("data-stage").unwrap().parse().unwrap(),
                g.attribute("data-skill").unwrap().to_owned(),
                [
                    num(&rect, "x"),
                    num(&rect, "y"),
                    num(&rect, "width"),
                    num(&rect, "height"),
                ],
            )
        })
        .collect();
    let paths: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("path") && class(n, "edge"))
        .collect();
    let edges = paths
        .iter()
        .map(|p| {
            assert_eq!(p.attribute("marker-end"), Some("url(#arrow)"));
            (
                position_of(p.attribute("data-from").unwrap()),
                position_of(p.attribute("data-to").unwrap()),
            )
        })
        .collect();
    let spans = paths
        .iter()
        .map(|p| {
            let d = p.attribute("d").unwrap();
            let xs: Vec<i64> = d
                .split(|c: char| !c.is_ascii_digit())
                .filter(|t| !t.is_empty())
                .map(|t| t.parse().unwrap())
                .collect();
            (xs[0], xs[xs.len() - 2])
        })
        .collect();
    let text = root
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n");
    Parsed {
        steps,
        edges,
        spans,
        text,
    }
}

#[test]
fn every_step_of_a_seed_plan_has_a_box_in_its_stage_column_and_every_wait_an_arrow() {
    let graph = seed_graph();
    let plan = engineer_plan(&graph, Schedule::default());
    assert!(
        plan.steps.len() > 10 && plan.stages > 3,
        "a plan worth drawing"
    );

    let parsed = parse_svg(&svg(&plan, &graph));

    let drawn: Vec<(u32, u32, &str)> = parsed
        .steps
        .iter()
        .map(|(p, s, skill, _)| (*p, *s, skill.as_str()))
        .collect();
    let planned: Vec<(u32, u32, &str)> = plan
        .steps
        .iter()
        .map(|s| (s.position, s.stage, s.skill.as_str()))
        .collect();
    assert_eq!(drawn, planned, "one box a step, in plan order");
    assert_eq!(parsed.edges, waits(&plan), "one arrow a wait");
    assert!(!parsed.edges.is_empty());
    for (from, to) in &parsed.spans {
        assert!(from < to, "arrows run left to right: {from} → {to}");
    }
    // Stages are columns, left to right; boxes of a column do not overlap.
    for a in &parsed.steps {
        for b in &parsed.steps {
            let ([ax, ay, aw, ah], [bx, by, _, bh]) = (a.3, b.3);
            match a.1.cmp(&b.1) {
                std::cmp::Ordering::Equal => {
                    assert_eq!(ax, bx, "one column a stage");
                    if a.0 != b.0 {
                        assert!(ay + ah <= by || by + bh <= ay, "boxes apart");
                    }
                }
                std::cmp::Ordering::Less => assert!(ax + aw < bx, "later stages to the right"),
                std::cmp::Ordering::Greater => {}
            }
        }
    }
    for s in &plan.steps {
        let name = &graph.skill(s.skill.as_str()).unwrap().name;
        let first_word = name.split_whitespace().next().unwrap();
        assert!(parsed.text.contains(first_word), "{name} is written");
        assert!(parsed.text.contains(&format!("{} h", s.hours)));
    }
}

#[test]
fn mermaid_and_dot_have_a_node_in_its_stage_for_every_step_and_an_edge_for_every_wait() {
    let graph = seed_graph();
    let plan = engineer_plan(&graph, Schedule::default());
    let (m, d) = (mermaid(&plan, &graph), dot(&plan, &graph));
    assert!(m.starts_with("flowchart LR\n"), "{m}");
    assert!(
        d.starts_with("digraph plan {\n") && d.ends_with("}\n"),
        "{d}"
    );

    // Read each format's statements back: the stage a node is declared in, and its edges.
    let mut m_nodes = Vec::new();
    let mut m_edges = BTreeSet::new();
    let mut stage = 0;
    for line in m.lines().skip(1).map(str::trim) {
        if let Some(rest) = line.strip_prefix("subgraph stage") {
            stage = rest[..rest.find('[').unwrap()].parse().unwrap();
        } else if let Some((a, b)) = line.split_once(" --> ") {
            let n = |s: &str| s.strip_prefix('s').unwrap().parse::<u32>().unwrap();
            m_edges.insert((n(a), n(b)));
        } else if let Some(open) = line.find("[\"") {
            assert!(line.ends_with("\"]"), "{line}");
            let inner = &line[open + 2..line.len() - 2];
            assert!(!inner.contains('"'), "no quote inside a label: {line}");
            m_nodes.push((line[1..open].parse::<u32>().unwrap(), stage));
        } else {
            assert!(
                line == "end" || line.starts_with("class"),
                "an unexpected statement: {line}"
            );
        }
    }
    let mut d_nodes = Vec::new();
    let mut d_edges = BTreeSet::new();
    for line in d.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("subgraph cluster_stage") {
            stage = rest.trim_end_matches(" {").parse().unwrap();
        } else if let Some((a, b)) = line.trim_end_matches(';').split_once(" -> ") {
            let n = |s: &str| s.strip_prefix('s').unwrap().parse::<u32>().unwrap();
            d_edges.insert((n(a), n(b)));
        } else if let Some(rest) = line.strip_prefix('s') {
            let (p, attrs) = rest.split_once(' ').unwrap();
            assert!(
                attrs.starts_with(&format!("[id=\"step-{p}\", label=\"")),
                "{line}"
            );
            assert!(attrs.ends_with("];"), "{line}");
            d_nodes.push((p.parse::<u32>().unwrap(), stage));
        }
    }
    let planned: Vec<(u32, u32)> = plan.steps.iter().map(|s| (s.position, s.stage)).collect();
    assert_eq!(m_nodes, planned);
    assert_eq!(d_nodes, planned);
    assert_eq!(m_edges, waits(&plan));
    assert_eq!(d_edges, waits(&plan));
    for s in &plan.steps {
        let line = format!("level {} · {} h", s.to_level, s.hours);
        let held = s
            .from_level
            .map(|f| format!("level {f} → {} · {} h", s.to_level, s.hours));
        let detail = held.unwrap_or(line);
        assert!(m.contains(&detail) && d.contains(&detail), "{detail}");
    }
}

#[test]
fn the_same_plan_draws_byte_identical_text_in_every_format() {
    // Two graphs built apart, so nothing is shared but the seed files.
    let (g1, g2) = (seed_graph(), seed_graph());
    let (p1, p2) = (
        engineer_plan(&g1, Schedule::default()),
        engineer_plan(&g2, Schedule::default()),
    );
    assert_eq!(svg(&p1, &g1), svg(&p2, &g2));
    assert_eq!(mermaid(&p1, &g1), mermaid(&p2, &g2));
    assert_eq!(dot(&p1, &g1), dot(&p2, &g2));
}

#[test]
fn a_budget_draws_only_the_steps_it_keeps_and_no_arrow_to_a_deferred_one() {
    let graph = seed_graph();
    let full = engineer_plan(&graph, Schedule::default());
    let plan = engineer_plan(
        &graph,
        Schedule {
            budget_hours: Some(full.total_hours / 3),
            hours_per_week: None,
        },
    );
    let deferred = plan.budget.as_ref().unwrap().deferred.len();
    assert!(deferred > 0 && !plan.steps.is_empty());
    let parsed = parse_svg(&svg(&plan, &graph));
    assert_eq!(parsed.steps.len(), plan.steps.len());
    let kept: BTreeSet<u32> = plan.steps.iter().map(|s| s.position).collect();
    for (a, b) in &parsed.edges {
        assert!(kept.contains(a) && kept.contains(b), "{a} → {b}");
    }
    assert_eq!(parsed.edges, waits(&plan));
}

#[test]
fn a_pace_writes_each_steps_weeks_and_the_plans_weeks_in_every_format() {
    let graph = seed_graph();
    let plan = engineer_plan(
        &graph,
        Schedule {
            budget_hours: None,
            hours_per_week: Some(10),
        },
    );
    let weeks = plan.weeks.unwrap();
    assert!(weeks > 1);
    let (s, m, d) = (
        svg(&plan, &graph),
        mermaid(&plan, &graph),
        dot(&plan, &graph),
    );
    let title = format!(", {weeks} weeks");
    assert!(parse_svg(&s).text.contains(&title), "{s}");
    assert!(d.contains(&title), "{d}");
    for step in &plan.steps {
        let (start, end) = (step.start_week.unwrap(), step.end_week.unwrap());
        let when = if start == end {
            format!("{} h · week {start}", step.hours)
        } else {
            format!("{} h · weeks {start}–{end}", step.hours)
        };
        for (format, text) in [("svg", &s), ("mermaid", &m), ("dot", &d)] {
            assert!(text.contains(&when), "{format} lacks `{when}`");
        }
    }
    // Without a pace, no week is written.
    let unpaced = engineer_plan(&graph, Schedule::default());
    assert!(!svg(&unpaced, &graph).contains("week"));
}

#[test]
fn a_budget_that_defers_steps_says_so_in_the_title_and_one_that_keeps_none_says_nothing_fits() {
    let graph = seed_graph();
    let budgeted = |hours| {
        engineer_plan(
            &graph,
            Schedule {
                budget_hours: Some(hours),
                hours_per_week: None,
            },
        )
    };
    let full = engineer_plan(&graph, Schedule::default());
    let plan = budgeted(full.total_hours / 3);
    let b = plan.budget.as_ref().unwrap();
    let said = format!(
        "Within the {} h budget: {} steps ({} h) deferred, readiness",
        full.total_hours / 3,
        b.deferred.len(),
        b.deferred_hours
    );
    let drawn = svg(&plan, &graph);
    let parsed = parse_svg(&drawn);
    assert!(parsed.text.contains(&said));
    assert!(dot(&plan, &graph).contains(&said));
    // The budget's account is a second title line, and the columns start below both.
    assert_eq!(drawn.matches("font-size=\"15\"").count(), 2);
    let highest = parsed.steps.iter().map(|(_, _, _, [_, y, _, _])| *y).min();
    assert!(highest.unwrap() >= 16 + 2 * 26 + 24, "{highest:?}");

    let none = budgeted(0);
    assert!(none.steps.is_empty());
    for text in [
        parse_svg(&svg(&none, &graph)).text,
        mermaid(&none, &graph),
        dot(&none, &graph),
    ] {
        assert!(text.contains("No step fits the budget"), "{text}");
        assert!(!text.contains("Nothing to learn"), "{text}");
    }
    // A budget that keeps every step draws as no budget does.
    let all = budgeted(full.total_hours);
    assert_eq!(svg(&all, &graph), svg(&full, &graph));
}

/// A graph whose names hold every character the formats treat as syntax.
fn awkward_graph() -> SkillGraph {
    let mut g = SkillGraph::new();
    g.upsert_category(Category {
        kind: CategoryKind::Skill,
        id: CategoryId::parse("c").unwrap(),
        name: "C".into(),
        description: None,
        order: 1,
        parent: None,
        external_id: None,
    })
    .unwrap();
    let skill = |id: &str, name: &str| Skill {
        id: SkillId::parse(id).unwrap(),
        name: name.into(),
        category: CategoryId::parse("c").unwrap(),
        hours: 10,
        description: None,
        aliases: vec![],
        tags: vec![],
        resources: vec![],
        external_id: None,
    };
    g.upsert_skill(skill("base", r#"Tom & "Jerry's" <script>x</script>"#))
        .unwrap();
    g.upsert_skill(skill("end", "C# ; end [x] {y} (z) `graph` %% --> \\N"))
        .unwrap();
    g.add_prerequisite(
        &SkillId::parse("end").unwrap(),
        &SkillId::parse("base").unwrap(),
        EdgeSpec::default(),
    )
    .unwrap();
    g
}

fn awkward_plan(g: &SkillGraph) -> LearningPlan {
    let to = [Target::Skill {
        skill: SkillId::parse("end").unwrap(),
        level: Level::PRACTITIONER,
    }];
    g.plan(&Profile::default(), &to, PlanOptions::default())
        .unwrap()
}

#[test]
fn names_with_quotes_markup_and_mermaid_syntax_are_escaped_in_every_format() {
    let g = awkward_graph();
    let plan = awkward_plan(&g);
    assert_eq!(plan.steps.len(), 2);

    let parsed = parse_svg(&svg(&plan, &g));
    assert!(
        parsed.text.contains(r#"Tom & "Jerry's""#),
        "the XML parser reads the name back: {}",
        parsed.text
    );
    assert!(parsed.text.contains("<script>x</script>"));
    assert_eq!(parsed.edges, BTreeSet::from([(1, 2)]));

    let m = mermaid(&plan, &g);
    assert!(
        m.contains("s1[\"Tom #38; #34;Jerry's#34; #60;script#62;x#60;/script#62;<br>"),
        "{m}"
    );
    assert!(
        m.contains("s2[\"C#35; #59; end [x] {y} (z) #96;graph#96; %% --#62; \\N<br>"),
        "{m}"
    );
    assert!(!m.contains("<script"), "{m}");

    let d = dot(&plan, &g);
    assert!(
        d.contains(r#"label="Tom & \"Jerry's\" <script>x</script>\nlevel"#),
        "{d}"
    );
    assert!(
        d.contains(r#"label="C# ; end [x] {y} (z) `graph` %% --> \\N\nlevel"#),
        "{d}"
    );
}

#[test]
fn an_empty_plan_is_drawn_as_nothing_to_learn() {
    let g = awkward_graph();
    let held = Profile {
        skills: vec![(SkillId::parse("end").unwrap(), Level::MAX)],
        role: None,
    };
    let to = [Target::Skill {
        skill: SkillId::parse("end").unwrap(),
        level: Level::PRACTITIONER,
    }];
    let plan = g.plan(&held, &to, PlanOptions::default()).unwrap();
    assert!(plan.steps.is_empty());
    let parsed = parse_svg(&svg(&plan, &g));
    assert!(parsed.steps.is_empty() && parsed.edges.is_empty());
    assert!(parsed.text.contains("Nothing to learn"));
    assert!(mermaid(&plan, &g).contains("Nothing to learn"));
    assert!(dot(&plan, &g).contains("Nothing to learn"));
}

#[test]
fn characters_xml_forbids_become_replacement_characters_and_the_svg_still_parses() {
    let mut g = awkward_graph();
    let mut base = (**g.skill("base").unwrap()).clone();
    base.name = "W\u{FFFF}e\u{FFFE}ird\u{7}".into();
    g.upsert_skill(base).unwrap();
    let plan = awkward_plan(&g);
    let parsed = parse_svg(&svg(&plan, &g));
    assert!(
        parsed.text.contains("W\u{FFFD}e\u{FFFD}ird"),
        "{}",
        parsed.text
    );
}
