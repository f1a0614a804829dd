//! Importers on small fixtures cut from the real ESCO and O*NET files (see
//! tests/fixtures/README.md), and on the plain CSV layout. Full-size imports are measured in
//! `benches/` and by the opt-in `tests/full_import.rs` when ../shared/data is present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use skillgraph::catalog::{Catalog, ChangeKind};
use skillgraph::domain::{Importance, PlanOptions, Profile, RoleId, SkillGraph, SkillId, Target};
use skillgraph::import::{self, Batch, FileSet, Report};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(reader: import::Reader, paths: &[PathBuf]) -> (Batch, Report) {
    let files = FileSet::open(paths).expect("the fixture files are readable");
    reader(&files, "fixture").expect("the fixture parses")
}

fn applied(batch: &Batch, report: &mut Report) -> SkillGraph {
    let mut graph = SkillGraph::new();
    import::apply(batch, &mut graph, report);
    graph
}

fn count(map: &std::collections::BTreeMap<String, import::Tally>, reason: &str) -> usize {
    map.get(reason).map_or(0, |t| t.count)
}

#[test]
fn esco_imports_and_reports_the_real_flaws() {
    let (batch, mut report) = read(import::esco::read, &[fixture("esco")]);
    let graph = applied(&batch, &mut report);

    assert_eq!(report.roles, 41);
    assert_eq!(graph.stats().roles, 41);
    assert_eq!(graph.stats().skills, report.skills);
    assert!(report.skills > 300, "{report}");
    assert_eq!(
        count(
            &report.skipped,
            "requirement: names an occupation missing from occupations.csv"
        ),
        4
    );
    assert_eq!(
        count(
            &report.skipped,
            "broader relation: names an unknown concept"
        ),
        3
    );
    assert_eq!(
        count(&report.skipped, "skill relation: a skill related to itself"),
        1
    );
    // The cut holds five skills with an empty skillType (three picked for it).
    assert_eq!(
        count(
            &report.repaired,
            "skill without a skill type: left untagged"
        ),
        5
    );
    assert_eq!(
        report.attribution.as_deref(),
        Some(import::esco::ATTRIBUTION)
    );

    // Multi-line quoted alt labels become separate aliases; URIs are kept.
    let with_aliases = graph.skills().filter(|s| s.aliases.len() > 1).count();
    assert!(with_aliases > 10);
    assert!(graph.skills().all(|s| {
        s.external_id
            .as_deref()
            .is_some_and(|u| u.starts_with("http://data.europa.eu/esco/"))
    }));
    // Occupations' alternative and hidden labels become the roles' aliases, without the
    // preferred label ESCO repeats among them.
    let role = |name: &str| graph.roles().find(|r| r.name == name).unwrap();
    let bookkeeper = role("bookkeeper");
    assert!(bookkeeper.aliases.iter().any(|a| a == "book-keeper"));
    assert!(!bookkeeper.aliases.iter().any(|a| a == "bookkeeper"));
    let gp = role("general practitioner");
    assert!(
        gp.aliases.iter().any(|a| a == "g.p."),
        "a hidden label: {:?}",
        gp.aliases
    );
    // Skills sit in the skill-group tree, under the one ESCO root.
    let skill = graph
        .skills()
        .find(|s| s.category.as_str() != "esco:ungrouped")
        .unwrap();
    let mut category = graph.category(skill.category.as_str()).unwrap();
    while let Some(parent) = &category.parent {
        category = graph.category(parent.as_str()).unwrap();
    }
    assert_eq!(category.id.as_str(), "esco");
    // Essential and optional requirements at the documented levels.
    for role in graph.roles() {
        for r in &role.requirements {
            let expected = match r.importance {
                Importance::Essential => import::esco::ESSENTIAL_LEVEL,
                Importance::Optional => import::esco::OPTIONAL_LEVEL,
            };
            assert_eq!(r.level.get(), expected);
        }
    }
}

#[test]
fn esco_occupations_sit_in_their_isco_groups_under_one_root() {
    use skillgraph::domain::{CategoryId, CategoryKind};
    let (batch, mut report) = read(import::esco::read, &[fixture("esco")]);
    let graph = applied(&batch, &mut report);
    assert!(
        report.skipped.keys().all(|k| !k.contains("ISCO")),
        "{report}"
    );
    let cid = |s: &str| CategoryId::parse(s).unwrap();
    // The cut keeps 92 groups, the whole ancestry of its occupations' unit groups, and the
    // import puts them under one root of role categories.
    let roots = graph.root_categories(CategoryKind::Role);
    assert_eq!(
        roots.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["esco:isco"]
    );
    assert_eq!(graph.categories_of(CategoryKind::Role).len(), 93);
    // Software developers: unit group 2512, in 251, 25, 2 (professionals).
    let developer = graph
        .roles()
        .find(|r| r.name == "software developer")
        .unwrap();
    assert_eq!(developer.category.as_ref(), Some(&cid("esco:isco.c2512")));
    let path: Vec<&str> = graph
        .category_path(&cid("esco:isco.c2512"))
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        path,
        [
            "ESCO occupations (ISCO-08)",
            "Professionals",
            "Information and communications technology professionals",
            "Software and applications developers and analysts",
            "Software developers"
        ]
    );
    // Every occupation has a group, and "roles in ICT professionals" (25) are exactly the
    // occupations whose ISCO code starts with 25.
    assert!(graph.roles().all(|r| r.category.is_some()));
    let ict: Vec<&str> = graph
        .roles_in_category(&cid("esco:isco.c25"))
        .unwrap()
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert!(ict.contains(&"software developer") && ict.contains(&"data scientist"));
    let occupations = std::fs::read_to_string(fixture("esco/occupations_en.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(occupations.as_bytes());
    let in_25 = rows
        .records()
        .filter(|r| r.as_ref().unwrap()[2].starts_with("25"))
        .count();
    assert_eq!(ict.len(), in_25);
    // Skill groups and occupation groups stay apart.
    assert!(graph.roles_in_category(&cid("esco")).is_err());
}

#[test]
fn esco_without_the_occupation_group_files_still_imports_its_roles_uncategorised() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("esco")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.starts_with("ISCOGroups") && !name.starts_with("broaderRelationsOcc") {
            std::fs::copy(&path, dir.path().join(name)).unwrap();
        }
    }
    let (batch, mut report) = read(import::esco::read, &[dir.path().to_owned()]);
    let graph = applied(&batch, &mut report);
    assert_eq!(graph.stats().roles, 41);
    assert!(graph.roles().all(|r| r.category.is_none()));
    assert_eq!(
        count(
            &report.filtered,
            "no ISCOGroups file: occupations left without a role category"
        ),
        1
    );
}

#[test]
fn an_esco_occupation_without_an_isco_group_sits_in_that_of_its_broader_concept() {
    // The real files give every occupation its group; a cut or a later version may not. With
    // the column blanked, head chef (broader: the occupation chef) and bookkeeper (broader:
    // its ISCO group) still land in their groups, read from broaderRelationsOccPillar;
    // barista, whose broader occupation the cut left out, is left uncategorised and reported.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("esco")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let file = dir.path().join("occupations_en.csv");
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut writer = csv::Writer::from_path(&file).unwrap();
    writer.write_record(&headers).unwrap();
    for row in rows {
        let mut fields: Vec<&str> = row.iter().collect();
        if ["head chef", "bookkeeper", "barista"].contains(&fields[3]) {
            fields[2] = "";
        }
        writer.write_record(&fields).unwrap();
    }
    writer.flush().unwrap();
    let (batch, mut report) = read(import::esco::read, &[dir.path().to_owned()]);
    let graph = applied(&batch, &mut report);
    let group = |name: &str| {
        let role = graph.roles().find(|r| r.name == name).unwrap();
        role.category.as_ref().map(ToString::to_string)
    };
    assert_eq!(group("head chef").as_deref(), Some("esco:isco.c3434"));
    assert_eq!(group("head chef"), group("chef"));
    assert_eq!(group("bookkeeper").as_deref(), Some("esco:isco.c3313"));
    assert_eq!(group("barista"), None);
    assert_eq!(
        count(
            &report.repaired,
            "occupation without a known ISCO group: left without a role category"
        ),
        1
    );
}

#[test]
fn role_categories_survive_an_export_and_a_reimport() {
    // What a replica loads from a snapshot, and `skillgraph export` then `import`: ESCO's and
    // O*NET's occupation groups and the seed's role families, with every role in its place.
    let mut graph = SkillGraph::new();
    for (reader, name) in [
        (import::esco::read as import::Reader, "esco"),
        (import::onet::read, "onet"),
    ] {
        let (batch, mut report) = read(reader, &[fixture(name)]);
        import::apply(&batch, &mut graph, &mut report);
    }
    let seed = import::seed::Seed::builtin().unwrap();
    assert!(seed.apply(&mut graph).is_empty());
    let text = import::seed::export(&graph);
    assert!(text.contains("kind = \"role\""));
    let back = import::seed::graph_from_export(&text, graph.revision()).unwrap();
    assert_eq!(back.contents(), graph.contents());
    assert_eq!(import::seed::export(&back), text);
}

#[test]
fn esco_reads_the_same_from_zips_as_from_the_extracted_folder() {
    let dir = tempfile::tempdir().unwrap();
    let zipped = dir.path().join("esco-en.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
    let relations = dir.path().join("relations");
    std::fs::create_dir(&relations).unwrap();
    for entry in std::fs::read_dir(fixture("esco")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.ends_with("_en.csv") {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
        } else {
            std::fs::copy(&path, relations.join(name)).unwrap();
        }
    }
    zip.finish().unwrap();

    let (from_zip, mut zip_report) = read(import::esco::read, &[zipped, relations]);
    let (from_folder, mut folder_report) = read(import::esco::read, &[fixture("esco")]);
    let a = applied(&from_zip, &mut zip_report);
    let b = applied(&from_folder, &mut folder_report);
    assert_eq!(a.stats(), b.stats());
    assert_eq!(a.edges(), b.edges());
    assert_eq!(zip_report.skipped, folder_report.skipped);
}

#[test]
fn an_esco_role_gap_produces_an_ordered_plan() {
    let (batch, mut report) = read(import::esco::read, &[fixture("esco")]);
    let graph = applied(&batch, &mut report);
    let role = graph
        .roles()
        .find(|r| r.requirements.len() > 10)
        .unwrap()
        .id
        .clone();
    let gap = graph.role_gap(&Profile::default(), &role).unwrap();
    assert_eq!(gap.standing.readiness, 0.0);
    assert!(gap.standing.missing.len() > 10);
    assert_eq!(gap.hours, gap.plan.total_hours);
    let plan = graph
        .plan(
            &Profile::default(),
            &[Target::Role(role)],
            PlanOptions::default(),
        )
        .unwrap();
    assert_eq!(plan, gap.plan);
}

#[test]
fn importing_the_same_files_twice_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path()).unwrap();
    for expected_change in [true, false] {
        let (batch, mut report) = read(import::esco::read, &[fixture("esco")]);
        let written = catalog
            .write(ChangeKind::Imported, |g| {
                import::apply(&batch, g, &mut report);
                Ok::<(), skillgraph::catalog::Error>(())
            })
            .unwrap();
        assert_eq!(written.changed, expected_change);
        assert_eq!(written.revision, 1);
    }
}

#[test]
fn onet_imports_occupations_skills_levels_and_technologies() {
    let (batch, mut report) = read(import::onet::read, &[fixture("onet")]);
    let graph = applied(&batch, &mut report);
    assert!(report.skipped.is_empty(), "{report}");
    let researchers = graph.role("onet:15-1221.00").expect("research scientists");
    assert_eq!(
        researchers.name,
        "Computer and Information Research Scientists"
    );
    // Programming: IM 3.62 (essential), LV 4.5 (→ 4).
    let programming = researchers
        .requirement(&SkillId::parse("onet:2.b.3.e").unwrap())
        .expect("programming is rated important for researchers");
    assert_eq!(
        (programming.level.get(), programming.importance),
        (4, Importance::Essential)
    );
    assert_eq!(graph.skill("onet:2.b.3.e").unwrap().name, "Programming");
    assert!(count(&report.filtered, "requirement: importance below 2.5") > 0);
    // O*NET 28's Skills file rates an occupation O*NET 30's list no longer has.
    assert_eq!(
        count(
            &report.repaired,
            "occupation only in the Skills file: role created from its title"
        ),
        1
    );
    // Software developers are in the 30.2 list and its technology file, not in the 28 ratings.
    let developers = graph.role("onet:15-1252.00").expect("software developers");
    assert_eq!(developers.name, "Software Developers");
    // Technologies, with their hot-technology flag, as skills and requirements.
    let hot = graph
        .skills()
        .filter(|s| s.tags.iter().any(|t| t == "hot-technology"))
        .count();
    assert!(hot > 5, "{report}");
    let tech = developers
        .requirements
        .iter()
        .filter(|r| r.skill.as_str().starts_with("onet:tech:"))
        .count();
    assert!(tech > 5);
    assert_eq!(
        report.attribution.as_deref(),
        Some(import::onet::ATTRIBUTION)
    );
    let ranked = graph
        .match_roles(
            &Profile {
                skills: vec![],
                role: Some(RoleId::parse("onet:15-1252.00").unwrap()),
            },
            3,
        )
        .unwrap();
    assert_eq!(ranked.len(), 3);
}

#[test]
fn onet_occupations_sit_in_their_soc_major_groups() {
    use skillgraph::domain::{CategoryId, CategoryKind};
    let (batch, mut report) = read(import::onet::read, &[fixture("onet")]);
    let graph = applied(&batch, &mut report);
    let cid = |s: &str| CategoryId::parse(s).unwrap();
    // The fixture's occupations are in majors 11, 15 and 29 (15-2051.01 from the Skills file
    // too): the root and those three, titled as the BLS titles them.
    let groups: Vec<(String, String)> = graph
        .categories_of(CategoryKind::Role)
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    assert_eq!(
        groups,
        [
            ("onet:soc", "O*NET occupations (SOC 2018)"),
            ("onet:soc.11", "Management Occupations"),
            ("onet:soc.15", "Computer and Mathematical Occupations"),
            (
                "onet:soc.29",
                "Healthcare Practitioners and Technical Occupations"
            ),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert!(graph.roles().all(|r| r.category.is_some()));
    let software = graph.role("onet:15-1252.00").unwrap();
    assert_eq!(software.category.as_ref(), Some(&cid("onet:soc.15")));
    let computing: Vec<&str> = graph
        .roles_in_category(&cid("onet:soc.15"))
        .unwrap()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        computing,
        [
            "onet:15-1221.00",
            "onet:15-1252.00",
            "onet:15-2041.00",
            "onet:15-2051.00",
            "onet:15-2051.01"
        ]
    );
    assert_eq!(
        graph.roles_in_category(&cid("onet:soc")).unwrap().len(),
        graph.stats().roles
    );
    assert_eq!(import::onet::SOC_MAJOR_GROUPS.len(), 23);
}

#[test]
fn the_csv_layout_imports_and_reports_its_bad_rows() {
    let (batch, mut report) = read(import::csv::read, &[fixture("csv")]);
    let graph = applied(&batch, &mut report);
    assert_eq!(graph.stats().skills, 4);
    // The report counts what landed: a row the reader skipped is not subtracted again.
    assert_eq!(report.skills, 4, "{report}");
    assert_eq!(graph.category("data").unwrap().name, "Data");
    assert_eq!(
        count(&report.skipped, "skill: hours is not a whole number"),
        1
    );
    assert_eq!(
        count(&report.skipped, "prerequisite: would close a cycle"),
        1
    );
    assert_eq!(count(&report.skipped, "requirement: level is not 1-5"), 1);
    let analyst = graph.role("data-analyst").unwrap();
    assert_eq!(analyst.requirements.len(), 3);
    // The optional category column names a role category, created under its own prefix so
    // that it never meets the skill category "data".
    let category = analyst.category.as_ref().unwrap();
    assert_eq!(category.as_str(), "roles:data-analytics");
    let created = graph.category(category.as_str()).unwrap();
    assert_eq!(created.name, "Data & analytics");
    assert_eq!(created.kind, skillgraph::domain::CategoryKind::Role);
    let pandas = graph
        .direct_prerequisites(&SkillId::parse("pandas").unwrap())
        .unwrap();
    assert_eq!(pandas[0].1.min_level.map(|l| l.get()), Some(2));
}

#[test]
fn a_csv_whose_only_skill_row_is_bad_reports_none_applied() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("skills.csv"),
        "id,name,category,hours\nNot An Id!,Broken,Data,10\n",
    )
    .unwrap();
    let (batch, mut report) = read(import::csv::read, &[dir.path().to_owned()]);
    let graph = applied(&batch, &mut report);
    assert_eq!(graph.stats().skills, 0);
    assert_eq!(report.skills, 0, "{report}");
    assert_eq!(count(&report.skipped, "skill: invalid id"), 1, "{report}");
}

#[test]
fn a_strict_import_with_skipped_rows_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_skillgraph"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let csv = fixture("csv");
    let strict = run(&["import", "csv", "--strict", csv.to_str().unwrap()]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
    let stats = String::from_utf8(run(&["stats"]).stdout).unwrap();
    assert!(stats.contains("revision       0"), "{stats}");

    let lenient = run(&["import", "csv", csv.to_str().unwrap()]);
    assert!(lenient.status.success());
    let out = String::from_utf8(lenient.stdout).unwrap();
    assert!(
        out.contains("skipped: 3") && out.contains("committed"),
        "{out}"
    );
}

#[test]
fn the_csv_layout_reads_one_of_groups_from_a_group_column() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "skills.csv",
        "id,name,category,hours\n\
         python,Python,Programming,40\n\
         pytorch,PyTorch,Deep learning,40\n\
         tensorflow,TensorFlow,Deep learning,40\n\
         jax,JAX,Deep learning,50\n\
         cnns,CNNs,Deep learning,25\n",
    );
    write(
        "prerequisites.csv",
        "skill_id,requires_id,kind,min_level,group\n\
         pytorch,python,required,3,\n\
         cnns,pytorch,,,framework\n\
         cnns,tensorflow,,,framework\n\
         cnns,jax,recommended,,framework\n\
         cnns,python,,,alone\n\
         pytorch,cnns,,,loop\n\
         pytorch,jax,,,loop\n",
    );
    let (batch, mut report) = read(import::csv::read, &[dir.path().to_owned()]);
    let graph = applied(&batch, &mut report);
    let cnns = SkillId::parse("cnns").unwrap();
    let groups = graph.prerequisite_groups(&cnns).unwrap();
    assert_eq!(groups.len(), 1, "{report}");
    let options: Vec<&str> = groups[0].options.iter().map(|o| o.as_str()).collect();
    assert_eq!(options, ["pytorch", "tensorflow"]);
    assert_eq!(
        count(
            &report.skipped,
            "prerequisite: group rows disagree on kind or min_level"
        ),
        1
    );
    assert_eq!(
        count(
            &report.skipped,
            "prerequisite: a group with fewer than two options"
        ),
        1
    );
    // pytorch needing one of (cnns, jax) would close pytorch → cnns → pytorch.
    assert_eq!(count(&report.skipped, "group: would close a cycle"), 1);
    let pytorch = SkillId::parse("pytorch").unwrap();
    assert!(graph.prerequisite_groups(&pytorch).unwrap().is_empty());
    assert_eq!(report.groups, 1, "{report}");
    assert!(graph.direct_prerequisites(&cnns).unwrap().is_empty());
}

/// Titles written as job ads write them (seniority, gender markers, locations, contract
/// words, abbreviations), each with the occupation a recruiter would file the ad under.
const AD_TITLES: &[(&str, &str)] = &[
    ("Java Developer (m/w/d)", "software developer"),
    ("Sr. Bookkeeper", "bookkeeper"),
    ("HGV Driver", "cargo vehicle driver"),
    ("Frontend Developer - Berlin", "user interface developer"),
    ("Registered Nurse", "nurse responsible for general care"),
    ("Head Chef", "head chef"),
    ("Chief Executive Officer (CEO)", "chief executive officer"),
    ("Senior Data Scientist (f/m/x)", "data scientist"),
    ("Junior Data Analyst - Remote", "data analyst"),
    ("Lead Software Engineer | Hybrid", "software developer"),
    ("Accountant (H/F)", "accountant"),
    ("Warehouse Operative - Night Shift", "warehouse worker"),
    ("Forklift Driver (m/w/d)", "forklift operator"),
    ("Receptionist, Part-time", "receptionist"),
    ("IT Project Manager (w/m/d)", "ICT project manager"),
    ("Call Centre Agent - Inbound", "call centre agent"),
    (
        "Customer Service Representative (Remote)",
        "customer service representative",
    ),
    ("Waiter / Waitress", "waiter/waitress"),
    ("Commis Chef", "chef"),
    ("Kitchen Porter – Immediate Start", "kitchen porter"),
    ("Qualified Electrician", "electrician"),
    ("Payroll Administrator", "payroll clerk"),
    ("Graphic Designer (m/f/d)", "graphic designer"),
    ("Marketing Manager - London", "marketing manager"),
    ("Cloud Engineer (AWS)", "cloud engineer"),
    ("Sales Assistant - Christmas Temp", "sales assistant"),
    ("Store Manager", "shop manager"),
    ("Staff Nurse", "nurse responsible for general care"),
    ("Nursing Assistant", "nurse assistant"),
    ("Web Developer", "web developer"),
    ("Locum Doctor", "general practitioner"),
    ("Principal Electrical Engineer", "electrical engineer"),
    ("HR Manager", "human resources manager"),
    ("Barista (Teilzeit)", "barista"),
];

#[test]
fn ad_titles_find_the_occupation_a_recruiter_would_pick() {
    let (batch, mut report) = read(import::esco::read, &[fixture("esco")]);
    let graph = applied(&batch, &mut report);
    let mut wrong = Vec::new();
    for (title, want) in AD_TITLES {
        let m = graph.normalize_title(title, 0.5, 3);
        let got = m
            .best
            .as_ref()
            .map(|b| (b.role.name.as_str(), b.confidence, b.label.as_str()));
        if got.map(|g| g.0) != Some(*want) {
            let alts: Vec<_> = m
                .alternatives
                .iter()
                .map(|a| (a.role.name.as_str(), a.confidence, a.label.as_str()))
                .collect();
            wrong.push(format!(
                "{title:?}: want {want:?}, got {got:?}, then {alts:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        AD_TITLES.len(),
        wrong.join("\n")
    );
}
