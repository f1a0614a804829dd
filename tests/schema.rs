//! The SDL in `schema/skillgraph.graphql` is the contract frontends read; it must match the
//! code exactly.

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
