//! Unit tests of the graph: its writes, walks and derived indexes. `graph`, `skill`,
//! `category` and `id` build the fixtures other modules' tests share.

use super::*;
use crate::domain::{Importance, Level};

pub(crate) fn id(s: &str) -> SkillId {
    SkillId::parse(s).unwrap()
}

pub(crate) fn category(cid: &str, order: i32) -> Category {
    Category {
        kind: CategoryKind::Skill,
        id: CategoryId::parse(cid).unwrap(),
        name: cid.to_uppercase(),
        description: None,
        order,
        parent: None,
        external_id: None,
    }
}

pub(crate) fn skill(sid: &str, cat: &str, hours: u32) -> Skill {
    Skill {
        id: id(sid),
        name: sid.replace('-', " "),
        category: CategoryId::parse(cat).unwrap(),
        hours,
        description: None,
        aliases: vec![],
        tags: vec![],
        resources: vec![],
        external_id: None,
    }
}

/// A graph from `a>b` strings ("a requires b"), all skills 10 hours in category `c`.
pub(crate) fn graph(edges: &[&str]) -> SkillGraph {
    let mut g = SkillGraph::new();
    g.upsert_category(category("c", 1)).unwrap();
    for e in edges {
        let (a, b) = e.split_once('>').unwrap();
        for s in [a, b] {
            if g.skill(s).is_none() {
                g.upsert_skill(skill(s, "c", 10)).unwrap();
            }
        }
        g.add_prerequisite(&id(a), &id(b), EdgeSpec::default())
            .unwrap();
    }
    g
}

fn ids(list: &[(SkillId, u32)]) -> Vec<(&str, u32)> {
    list.iter().map(|(s, d)| (s.as_str(), *d)).collect()
}

#[test]
fn adding_an_edge_that_closes_a_cycle_is_rejected_and_names_the_cycle() {
    let mut g = graph(&["a>b", "b>c"]);
    let err = g
        .add_prerequisite(&id("c"), &id("a"), EdgeSpec::default())
        .unwrap_err();
    assert_eq!(err, Error::Cycle(vec![id("c"), id("a"), id("b"), id("c")]));
    assert_eq!(err.to_string(), "prerequisite cycle: c → a → b → c");
    assert!(
        g.edge(&id("c"), &id("a")).is_none(),
        "the refused edge is not there"
    );
}

#[test]
fn a_skill_cannot_require_itself() {
    let mut g = graph(&["a>b"]);
    let err = g
        .add_prerequisite(&id("a"), &id("a"), EdgeSpec::default())
        .unwrap_err();
    assert_eq!(err, Error::SelfPrerequisite(id("a")));
}

#[test]
fn a_walk_after_an_edge_change_sees_the_change_and_an_older_snapshot_does_not() {
    let mut g = graph(&["c>b", "b>a"]);
    let walked = |g: &SkillGraph| -> Vec<String> {
        let list = g
            .prerequisites_of(&id("c"), Reach::Transitive, Follow::Required)
            .unwrap();
        list.into_iter().map(|p| p.skill.to_string()).collect()
    };
    assert_eq!(walked(&g), ["b", "a"]);
    let before = g.clone();
    g.upsert_skill(skill("z", "c", 1)).unwrap();
    g.add_prerequisite(&id("a"), &id("z"), EdgeSpec::default())
        .unwrap();
    assert_eq!(walked(&g), ["b", "a", "z"]);
    g.remove_prerequisite(&id("c"), &id("b")).unwrap();
    assert!(walked(&g).is_empty());
    assert_eq!(walked(&before), ["b", "a"], "snapshots are unaffected");
}

#[test]
fn transitive_prerequisites_carry_the_shortest_depth() {
    let g = graph(&["d>c", "c>b", "b>a", "d>a"]);
    let pre = g
        .prerequisites_of(&id("d"), Reach::Transitive, Follow::RequiredAndRecommended)
        .unwrap();
    let got: Vec<_> = pre.iter().map(|p| (p.skill.as_str(), p.depth)).collect();
    assert_eq!(got, [("a", 1), ("c", 1), ("b", 2)]);
    let direct = g
        .prerequisites_of(&id("d"), Reach::Direct, Follow::RequiredAndRecommended)
        .unwrap();
    assert_eq!(direct.len(), 2);
}

#[test]
fn a_transitive_min_level_does_not_depend_on_the_order_edges_were_added_in() {
    // d needs b and c; both need a, b at a stated level and c at none (the default rule:
    // up to 2). Whichever of d's edges is inserted first (so whichever of b and c a walk
    // crosses first), a's transitive entry takes the edge that asks the most.
    let build = |b_asks: i64, b_first: bool| {
        let mut g = graph(&["b>a", "c>a"]);
        g.upsert_skill(skill("d", "c", 10)).unwrap();
        let b_at = EdgeSpec {
            kind: PrerequisiteKind::Required,
            min_level: Some(Level::new(b_asks).unwrap()),
            beyond: None,
        };
        g.set_prerequisites(&id("b"), &[(id("a"), b_at)]).unwrap();
        for s in if b_first { ["b", "c"] } else { ["c", "b"] } {
            g.add_prerequisite(&id("d"), &id(s), EdgeSpec::default())
                .unwrap();
        }
        g.prerequisites_of(&id("d"), Reach::Transitive, Follow::RequiredAndRecommended)
            .unwrap()
    };
    for (b_asks, expected) in [
        (4, Some(Level::new(4).unwrap())),
        (2, Some(Level::new(2).unwrap())),
        (1, None),
    ] {
        let one = build(b_asks, true);
        assert_eq!(one, build(b_asks, false), "b asks {b_asks}");
        let a = one.iter().find(|p| p.skill.as_str() == "a").unwrap();
        assert_eq!((a.depth, a.min_level), (2, expected), "b asks {b_asks}");
    }
}

#[test]
fn a_write_to_an_unread_snapshot_shares_no_table_with_it() {
    // Neither snapshot has been read: both would share one unbuilt table if the write
    // kept it, and the first reader would fill it for both.
    let renamed = |g: &SkillGraph| {
        let mut g = g.clone();
        let mut b = skill("b", "c", 10);
        b.name = "renamed".into();
        g.upsert_skill(b).unwrap();
        g
    };
    let node = |g: &SkillGraph, s: &str| g.skills[&id(s)].node;
    // The old snapshot read first, then the new one.
    let old = graph(&["b>a"]);
    let new = renamed(&old);
    assert_eq!(old.skill_at(node(&old, "b")).name, "b");
    assert_eq!(new.skill_at(node(&new, "b")).name, "renamed");
    // The new one read first, then the old one.
    let old = graph(&["b>a"]);
    let new = renamed(&old);
    assert_eq!(new.skill_at(node(&new, "b")).name, "renamed");
    assert_eq!(old.skill_at(node(&old, "b")).name, "b");
    // A deletion, the new snapshot read first: the old one still has the skill.
    let old = graph(&["b>a"]);
    let mut new = old.clone();
    new.delete_skill(&id("b"), crate::domain::OnDelete::Cascade)
        .unwrap();
    assert_eq!(new.skill_at(node(&new, "a")).name, "a");
    assert_eq!(old.skill_at(node(&old, "b")).name, "b");
}

#[test]
fn the_by_node_table_stays_true_through_writes_to_skills() {
    let mut g = graph(&["b>a", "c>a"]);
    g.upsert_category(category("first", 0)).unwrap();
    let unlocks = |g: &SkillGraph| {
        ids(&g.unlocks(&id("a"), Reach::Direct).unwrap())
            .iter()
            .map(|(s, d)| (s.to_string(), *d))
            .collect::<Vec<_>>()
    };
    // Built by this read, then patched by the writes below instead of rebuilt.
    assert_eq!(unlocks(&g), [("b".to_string(), 1), ("c".to_string(), 1)]);
    let before = g.clone();
    g.upsert_skill(skill("c", "first", 10)).unwrap();
    g.upsert_skill(skill("e", "first", 1)).unwrap();
    g.add_prerequisite(&id("e"), &id("a"), EdgeSpec::default())
        .unwrap();
    g.delete_skill(&id("b"), crate::domain::OnDelete::Cascade)
        .unwrap();
    g.upsert_skill(skill("f", "c", 1)).unwrap();
    g.add_prerequisite(&id("f"), &id("a"), EdgeSpec::default())
        .unwrap();
    let mut rebuilt = g.clone();
    rebuilt.touch(derived::Touched::Categories);
    for entry in g.skills.values() {
        let (patched, fresh) = (g.at(entry.node), rebuilt.at(entry.node));
        assert_eq!((&*patched.0, patched.1), (&*fresh.0, fresh.1));
    }
    // The category of order 0 sorts first.
    assert_eq!(
        unlocks(&g),
        [
            ("c".to_string(), 1),
            ("e".to_string(), 1),
            ("f".to_string(), 1)
        ]
    );
    assert_eq!(
        unlocks(&before),
        [("b".to_string(), 1), ("c".to_string(), 1)]
    );
}

#[test]
fn recommended_edges_are_marked_and_can_be_left_out() {
    let mut g = graph(&["b>a"]);
    g.upsert_skill(skill("c", "c", 5)).unwrap();
    let recommended = EdgeSpec {
        kind: PrerequisiteKind::Recommended,
        min_level: None,
        beyond: None,
    };
    g.add_prerequisite(&id("a"), &id("c"), recommended).unwrap();
    let all = g
        .prerequisites_of(&id("b"), Reach::Transitive, Follow::RequiredAndRecommended)
        .unwrap();
    let kinds: Vec<_> = all.iter().map(|p| (p.skill.as_str(), p.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("a", PrerequisiteKind::Required),
            ("c", PrerequisiteKind::Recommended)
        ]
    );
    let required = g
        .prerequisites_of(&id("b"), Reach::Transitive, Follow::Required)
        .unwrap();
    assert_eq!(required.len(), 1);
}

#[test]
fn unlocks_walk_the_other_way() {
    let g = graph(&["c>b", "b>a", "x>a"]);
    assert_eq!(
        ids(&g.unlocks(&id("a"), Reach::Direct).unwrap()),
        [("b", 1), ("x", 1)]
    );
    assert_eq!(
        ids(&g.unlocks(&id("a"), Reach::Transitive).unwrap()),
        [("b", 1), ("x", 1), ("c", 2)]
    );
}

#[test]
fn unknown_ids_are_errors_not_empty_answers() {
    let g = graph(&["a>b"]);
    assert_eq!(
        g.unlocks(&id("zz"), Reach::Transitive).unwrap_err(),
        Error::UnknownSkill(id("zz"))
    );
    assert!(
        g.prerequisites_of(&id("zz"), Reach::Direct, Follow::Required)
            .is_err()
    );
}

#[test]
fn deleting_a_required_skill_needs_cascade_and_names_its_users() {
    let mut g = graph(&["b>a"]);
    let role = Role {
        category: None,
        id: RoleId::parse("r").unwrap(),
        name: "R".into(),
        description: None,
        requirements: vec![Requirement {
            skill: id("a"),
            level: Level::new(2).unwrap(),
            importance: Importance::Essential,
            alternatives: Vec::new(),
        }],
        aliases: Vec::new(),
        external_id: None,
    };
    g.upsert_role(role).unwrap();
    let err = g
        .delete_skill(&id("a"), crate::domain::OnDelete::Refuse)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "skill \"a\" is still used by skill b, role r"
    );
    g.take_changes();
    g.delete_skill(&id("a"), crate::domain::OnDelete::Cascade)
        .unwrap();
    assert!(g.skill("a").is_none());
    assert!(g.role("r").unwrap().requirements.is_empty());
    assert!(
        g.prerequisites_of(&id("b"), Reach::Transitive, Follow::RequiredAndRecommended)
            .unwrap()
            .is_empty()
    );
    let changes = g.take_changes();
    assert!(changes.edges.contains(&(id("b"), id("a"))));
    assert!(changes.roles.contains(&RoleId::parse("r").unwrap()));
}

/// A role over `skills`: each entry a requirement's skill and its alternatives, at level 3.
fn one_of_role(rid: &str, skills: &[&[&str]]) -> Role {
    Role {
        category: None,
        id: RoleId::parse(rid).unwrap(),
        name: rid.into(),
        description: None,
        requirements: skills
            .iter()
            .map(|options| Requirement {
                skill: id(options[0]),
                level: Level::new(3).unwrap(),
                importance: Importance::Essential,
                alternatives: options[1..].iter().map(|o| id(o)).collect(),
            })
            .collect(),
        aliases: Vec::new(),
        external_id: None,
    }
}

#[test]
fn a_role_listing_a_skill_twice_or_an_unknown_alternative_is_refused() {
    let mut g = graph(&["b>a", "c>a", "d>a"]);
    for (options, expected) in [
        (&[&["a", "b", "b"][..]][..], "lists skill \"b\" twice"),
        (&[&["a", "a"]], "lists skill \"a\" twice"),
        (&[&["a", "b"], &["b"]], "lists skill \"b\" twice"),
        (&[&["a", "c"], &["b", "c"]], "lists skill \"c\" twice"),
    ] {
        let err = g.upsert_role(one_of_role("r", options)).unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput(_)),
            "{options:?}: {err:?}"
        );
        assert!(err.to_string().contains(expected), "{options:?}: {err}");
    }
    assert_eq!(
        g.upsert_role(one_of_role("r", &[&["a", "ghost"]])),
        Err(Error::UnknownSkill(id("ghost")))
    );
    assert!(g.role("r").is_none(), "nothing was written");
    // Valid: stored with the alternatives sorted, and each option finds the requirement.
    g.upsert_role(one_of_role("r", &[&["b", "d", "c"], &["a"]]))
        .unwrap();
    let role = g.role("r").unwrap();
    assert_eq!(role.requirements[1].alternatives, [id("c"), id("d")]);
    assert_eq!(role.requirement(&id("d")).unwrap().skill, id("b"));
    let required_by: Vec<&str> = g
        .required_by(&id("c"))
        .unwrap()
        .iter()
        .map(|(r, q)| {
            assert_eq!(q.skill, id("b"));
            r.id.as_str()
        })
        .collect();
    assert_eq!(required_by, ["r"]);
    // An alternative is not a requirement of its own.
    assert!(matches!(
        g.remove_requirement(&RoleId::parse("r").unwrap(), &id("c")),
        Err(Error::UnknownRequirement { .. })
    ));
}

#[test]
fn deleting_an_option_of_a_requirement_needs_cascade_and_the_first_alternative_takes_over() {
    let mut g = graph(&[]);
    for s in ["a", "b", "c"] {
        g.upsert_skill(skill(s, "c", 1)).unwrap();
    }
    g.upsert_role(one_of_role("r", &[&["a", "c", "b"]]))
        .unwrap();
    let err = g
        .delete_skill(&id("c"), crate::domain::OnDelete::Refuse)
        .unwrap_err();
    assert_eq!(err.to_string(), "skill \"c\" is still used by role r");
    g.delete_skill(&id("c"), crate::domain::OnDelete::Cascade)
        .unwrap();
    let options = |g: &SkillGraph| -> Vec<Vec<String>> {
        g.role("r")
            .unwrap()
            .requirements
            .iter()
            .map(|q| q.options().map(ToString::to_string).collect())
            .collect()
    };
    assert_eq!(options(&g), [["a", "b"]]);
    // The preferred skill goes: its first alternative takes the requirement over.
    g.delete_skill(&id("a"), crate::domain::OnDelete::Cascade)
        .unwrap();
    assert_eq!(options(&g), [["b"]]);
    assert_eq!(
        g.role("r").unwrap().requirements[0].level,
        Level::new(3).unwrap()
    );
    g.delete_skill(&id("b"), crate::domain::OnDelete::Cascade)
        .unwrap();
    assert!(g.role("r").unwrap().requirements.is_empty());
}

#[test]
fn set_prerequisites_is_all_or_nothing() {
    let mut g = graph(&["a>b", "c>a"]);
    g.take_changes();
    // b requiring c closes b → c → a → b: the old (empty) set stays, nothing recorded.
    let err = g
        .set_prerequisites(&id("a"), &[(id("c"), EdgeSpec::default())])
        .unwrap_err();
    assert!(matches!(err, Error::Cycle(_)));
    assert_eq!(g.direct_prerequisites(&id("a")).unwrap().len(), 1);
    assert!(g.take_changes().is_empty());
}

#[test]
fn rewriting_identical_data_records_no_change() {
    let mut g = graph(&["a>b"]);
    g.take_changes();
    g.upsert_skill(skill("a", "c", 10)).unwrap();
    g.add_prerequisite(&id("a"), &id("b"), EdgeSpec::default())
        .unwrap();
    g.upsert_category(category("c", 1)).unwrap();
    assert!(g.take_changes().is_empty());
}

#[test]
fn a_skill_in_a_missing_category_or_with_huge_text_is_refused() {
    let mut g = graph(&[]);
    assert!(matches!(
        g.upsert_skill(skill("a", "nope", 1)),
        Err(Error::UnknownCategory(_))
    ));
    let mut big = skill("a", "c", 1);
    big.name = "x".repeat(10_000_000);
    assert!(matches!(g.upsert_skill(big), Err(Error::InvalidInput(_))));
    assert!(g.skill("a").is_none());
}

#[test]
fn setting_many_prerequisites_at_once_is_all_or_nothing() {
    let mut g = graph(&["a>b"]);
    g.upsert_skill(skill("c", "c", 1)).unwrap();
    g.take_changes();
    let spec = EdgeSpec::default();
    let closing = [
        (id("b"), vec![(id("c"), spec)]),
        (id("c"), vec![(id("a"), spec)]),
    ];
    let err = g.set_prerequisites_many(&closing).unwrap_err();
    assert!(matches!(err, Error::Cycle(ref c) if c.len() == 4), "{err}");
    assert_eq!(g.edges().len(), 1);
    assert!(g.take_changes().is_empty());

    g.set_prerequisites_many(&[
        (id("a"), vec![(id("c"), spec)]),
        (id("b"), vec![(id("c"), spec)]),
    ])
    .unwrap();
    let pairs: Vec<_> = g.edges().into_iter().map(|(a, b, _)| (a, b)).collect();
    assert_eq!(pairs, [(id("a"), id("c")), (id("b"), id("c"))]);
    assert_eq!(
        g.take_changes().edges.len(),
        3,
        "a>b removed, a>c and b>c added"
    );
}

#[test]
fn from_parts_rejects_a_stored_cycle() {
    let g = graph(&["a>b", "b>c"]);
    let skills: Vec<Skill> = g.skills().map(|s| Skill::clone(s)).collect();
    let mut edges = g.edges();
    edges.push((id("c"), id("a"), EdgeSpec::default()));
    let cats = vec![category("c", 1)];
    let err = SkillGraph::from_parts(cats, skills, edges, vec![], vec![], 7).unwrap_err();
    assert!(
        matches!(err, Error::Cycle(ref c) if c.len() == 4 && c[0] == c[3]),
        "{err}"
    );
}

fn beyond_edge(beyond: i64, min_level: Option<i64>) -> EdgeSpec {
    EdgeSpec {
        min_level: min_level.map(|l| Level::new(l).unwrap()),
        beyond: Some(Level::new(beyond).unwrap()),
        ..EdgeSpec::default()
    }
}

#[test]
fn skills_that_need_each_other_at_different_levels_are_no_cycle() {
    // Python beyond 3 needs testing; testing needs Python at 2: in either order of writing.
    let mut g = graph(&["testing>python"]);
    g.add_prerequisite(&id("python"), &id("testing"), beyond_edge(3, None))
        .unwrap();
    assert!(g.check_acyclic().is_ok());
    let mut h = graph(&[]);
    for s in ["python", "testing"] {
        h.upsert_skill(skill(s, "c", 10)).unwrap();
    }
    h.add_prerequisite(&id("python"), &id("testing"), beyond_edge(3, None))
        .unwrap();
    h.add_prerequisite(&id("testing"), &id("python"), EdgeSpec::default())
        .unwrap();
}

#[test]
fn a_cycle_on_levels_is_refused_and_named() {
    // Testing needs Python at 4, and Python beyond 3 needs testing: Python 4 waits for itself.
    let mut g = graph(&[]);
    for s in ["python", "testing"] {
        g.upsert_skill(skill(s, "c", 10)).unwrap();
    }
    g.add_prerequisite(&id("python"), &id("testing"), beyond_edge(3, None))
        .unwrap();
    let err = g
        .add_prerequisite(&id("testing"), &id("python"), beyond_edge(1, Some(4)))
        .unwrap_err();
    assert_eq!(
        err,
        Error::Cycle(vec![id("testing"), id("python"), id("testing")])
    );
    assert!(
        g.edge(&id("testing"), &id("python")).is_none(),
        "nothing written"
    );
}

#[test]
fn changing_an_edge_so_it_applies_lower_can_close_a_cycle() {
    let mut g = graph(&["testing>python"]);
    g.add_prerequisite(&id("python"), &id("testing"), beyond_edge(3, None))
        .unwrap();
    // Without `beyond`, Python needs testing from the start: a cycle of skills.
    let err = g
        .add_prerequisite(&id("python"), &id("testing"), EdgeSpec::default())
        .unwrap_err();
    assert_eq!(
        err,
        Error::Cycle(vec![id("python"), id("testing"), id("python")])
    );
    assert_eq!(
        g.edge(&id("python"), &id("testing")).and_then(|e| e.beyond),
        Some(Level::new(3).unwrap())
    );
}

#[test]
fn the_whole_graph_check_tells_a_spiral_from_a_cycle_on_levels() {
    let mut g = graph(&["testing>python"]);
    g.add_prerequisite(&id("python"), &id("testing"), beyond_edge(3, None))
        .unwrap();
    assert!(g.check_acyclic().is_ok());
    // Forced past the per-edge check: testing needing Python at 4 closes one.
    let (a, b) = (
        g.entry(&id("testing")).unwrap().node,
        g.entry(&id("python")).unwrap().node,
    );
    let edge = g.graph.find_edge(a, b).unwrap();
    g.graph_mut()[edge] = beyond_edge(1, Some(4));
    let err = g.check_acyclic().unwrap_err();
    assert!(
        matches!(&err, Error::Cycle(c) if c.len() == 3 && c[0] == c[2]),
        "{err}"
    );
}

/// A role category `cid` within `parent`.
fn role_category(cid: &str, parent: Option<&str>) -> Category {
    Category {
        kind: CategoryKind::Role,
        parent: parent.map(|p| CategoryId::parse(p).unwrap()),
        ..category(cid, 1)
    }
}

fn plain_role(rid: &str, category: Option<&str>) -> Role {
    Role {
        id: RoleId::parse(rid).unwrap(),
        name: rid.to_uppercase(),
        description: None,
        aliases: vec![],
        requirements: vec![],
        external_id: None,
        category: category.map(|c| CategoryId::parse(c).unwrap()),
    }
}

/// A graph with role tree `eng` > `eng-data` > `eng-ml` beside skill category `c`, and roles
/// in each level and one uncategorised.
pub(crate) fn role_tree() -> SkillGraph {
    let mut g = graph(&["a>b"]);
    g.upsert_category(role_category("eng", None)).unwrap();
    g.upsert_category(role_category("eng-data", Some("eng")))
        .unwrap();
    g.upsert_category(role_category("eng-ml", Some("eng-data")))
        .unwrap();
    g.upsert_category(role_category("ops", None)).unwrap();
    for (r, c) in [
        ("backend", Some("eng")),
        ("analyst", Some("eng-data")),
        ("ml", Some("eng-ml")),
        ("sre", Some("ops")),
        ("clerk", None),
    ] {
        g.upsert_role(plain_role(r, c)).unwrap();
    }
    g
}

fn cid(s: &str) -> CategoryId {
    CategoryId::parse(s).unwrap()
}

#[test]
fn roles_in_a_category_include_its_sub_categories() {
    let g = role_tree();
    let names = |c: &str| -> Vec<String> {
        g.roles_in_category(&cid(c))
            .unwrap()
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    };
    assert_eq!(names("eng"), ["analyst", "backend", "ml"]);
    assert_eq!(names("eng-data"), ["analyst", "ml"]);
    assert_eq!(names("eng-ml"), ["ml"]);
    assert_eq!(names("ops"), ["sre"]);
    // A skill category or an unknown id names no role category.
    for bad in ["c", "nope"] {
        assert_eq!(
            g.roles_in_category(&cid(bad)).unwrap_err(),
            Error::UnknownCategory(cid(bad))
        );
    }
    let roots: Vec<&str> = g
        .root_categories(CategoryKind::Role)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(roots, ["eng", "ops"]);
    let skill_roots: Vec<&str> = g
        .root_categories(CategoryKind::Skill)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(skill_roots, ["c"]);
    let path: Vec<&str> = g
        .category_path(&cid("eng-ml"))
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(path, ["eng", "eng-data", "eng-ml"]);
    let children: Vec<&str> = g
        .category_children(&cid("eng"))
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(children, ["eng-data"]);
}

#[test]
fn the_skill_and_role_trees_do_not_mix() {
    let mut g = role_tree();
    // A role in a skill category, a skill in a role category.
    let err = g.upsert_role(plain_role("x", Some("c"))).unwrap_err();
    assert!(matches!(err, Error::InvalidInput(ref m) if m.contains("skill category")));
    assert!(matches!(
        g.upsert_skill(skill("z", "eng", 1)),
        Err(Error::InvalidInput(_))
    ));
    // A role category under a skill category, and the reverse.
    assert!(matches!(
        g.upsert_category(role_category("r", Some("c"))),
        Err(Error::InvalidInput(_))
    ));
    let mut under_role = category("s", 1);
    under_role.parent = Some(cid("eng"));
    assert!(matches!(
        g.upsert_category(under_role),
        Err(Error::InvalidInput(_))
    ));
    // An id keeps its kind.
    assert_eq!(
        g.upsert_category(category("eng", 1)).unwrap_err(),
        Error::AlreadyExists {
            kind: "role category",
            id: "eng".into()
        }
    );
    assert!(matches!(
        g.upsert_role(plain_role("x", Some("nope"))),
        Err(Error::UnknownCategory(_))
    ));
    // A category that roles sit in cannot go.
    match g.delete_category(&cid("ops")).unwrap_err() {
        Error::InUse { users, .. } => assert_eq!(users, ["role sre"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn role_categories_survive_a_rebuild_from_parts() {
    let g = role_tree();
    let c = g.contents();
    let rebuilt =
        SkillGraph::from_parts(c.categories, c.skills, c.edges, c.groups, c.roles, 0).unwrap();
    assert_eq!(rebuilt.contents(), g.contents());
    assert_eq!(
        rebuilt.role("ml").unwrap().category.as_ref(),
        Some(&cid("eng-ml"))
    );
    // Stored parts that put a role category under a skill category are refused.
    let mut bad = g.contents();
    bad.categories
        .iter_mut()
        .find(|c| c.id.as_str() == "ops")
        .unwrap()
        .parent = Some(cid("c"));
    assert!(
        SkillGraph::from_parts(
            bad.categories,
            bad.skills,
            bad.edges,
            bad.groups,
            bad.roles,
            0
        )
        .is_err()
    );
}

#[test]
fn the_role_members_index_follows_writes_and_an_older_snapshot_keeps_its_own() {
    let mut g = role_tree();
    let listed = |g: &SkillGraph, c: &str| -> Vec<String> {
        g.roles_in_category(&cid(c))
            .unwrap()
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    };
    assert_eq!(listed(&g, "eng"), ["analyst", "backend", "ml"]);
    let before = g.clone();
    // Moved to ops, deleted, added in a new sub-category, and a category moved under another.
    g.upsert_role(plain_role("ml", Some("ops"))).unwrap();
    g.delete_role(&RoleId::parse("backend").unwrap()).unwrap();
    g.upsert_category(role_category("oncall", Some("ops")))
        .unwrap();
    g.upsert_role(plain_role("pager", Some("oncall"))).unwrap();
    g.upsert_category(role_category("eng-data", Some("ops")))
        .unwrap();
    assert_eq!(listed(&g, "eng"), Vec::<String>::new());
    assert_eq!(listed(&g, "ops"), ["analyst", "ml", "pager", "sre"]);
    assert_eq!(listed(&g, "oncall"), ["pager"]);
    assert_eq!(listed(&before, "eng"), ["analyst", "backend", "ml"]);
    // The same as a graph built afresh from the contents.
    let c = g.contents();
    let fresh =
        SkillGraph::from_parts(c.categories, c.skills, c.edges, c.groups, c.roles, 0).unwrap();
    for category in ["eng", "eng-data", "eng-ml", "ops", "oncall"] {
        assert_eq!(listed(&g, category), listed(&fresh, category), "{category}");
    }
}
