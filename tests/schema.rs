//! The contract clients read, kept equal to the code: the SDL in `schema/skillgraph.graphql`,
//! the federation subgraph SDL in `schema/skillgraph.federation.graphql`, and the README's
//! table of error codes.

#[test]
fn the_schema_file_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/skillgraph.graphql");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    let from_code = skillgraph::graphql::sdl();
    assert!(
        on_disk == from_code,
        "schema/skillgraph.graphql is out of date; regenerate it with\n\n    \
         cargo run -- schema > schema/skillgraph.graphql\n"
    );
}

/// What `serve --federation` answers to `_service { sdl }` and a composition tool reads.
#[test]
fn the_federation_schema_file_matches_the_code() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/skillgraph.federation.graphql"
    );
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    let from_code = skillgraph::graphql::federation_sdl();
    assert!(
        on_disk == from_code,
        "schema/skillgraph.federation.graphql is out of date; regenerate it with\n\n    \
         cargo run -- schema --federation > schema/skillgraph.federation.graphql\n"
    );
}

/// The README's error table names every code the server can send, and nothing else.
#[test]
fn the_readme_documents_every_error_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("\n## Errors\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("an Errors section");
    let documented: Vec<&str> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|line| line.split('`').next())
        .collect();
    let codes: Vec<&str> = skillgraph::graphql::error::Code::ALL
        .iter()
        .map(|c| c.name())
        .collect();
    assert_eq!(
        documented, codes,
        "README's error table and Code::ALL differ"
    );
}
