//! The default seed compiled into the binary, so that `skillgraph serve` started anywhere (an
//! installed binary, a container without the repository) seeds a new database with the
//! AI-engineering stack. `include_str!` makes cargo rebuild when a file changes; a test checks
//! that the list names every file of `seed/`, so a new file cannot be forgotten.
//!
//! Depends on the seed reader only.

use std::path::Path;

use super::{Problem, Seed};

/// Every `*.toml` file of `seed/`, by path in path order (as [`Seed::read`] reads a directory).
const FILES: &[(&str, &str)] = &[
    (
        "seed/categories.toml",
        include_str!("../../../seed/categories.toml"),
    ),
    ("seed/roles.toml", include_str!("../../../seed/roles.toml")),
    (
        "seed/skills/cloud.toml",
        include_str!("../../../seed/skills/cloud.toml"),
    ),
    (
        "seed/skills/deep-learning.toml",
        include_str!("../../../seed/skills/deep-learning.toml"),
    ),
    (
        "seed/skills/genai.toml",
        include_str!("../../../seed/skills/genai.toml"),
    ),
    (
        "seed/skills/math.toml",
        include_str!("../../../seed/skills/math.toml"),
    ),
    (
        "seed/skills/ml.toml",
        include_str!("../../../seed/skills/ml.toml"),
    ),
    (
        "seed/skills/mlops.toml",
        include_str!("../../../seed/skills/mlops.toml"),
    ),
    (
        "seed/skills/programming.toml",
        include_str!("../../../seed/skills/programming.toml"),
    ),
    (
        "seed/skills/soft-skills.toml",
        include_str!("../../../seed/skills/soft-skills.toml"),
    ),
    (
        "seed/skills/system-design.toml",
        include_str!("../../../seed/skills/system-design.toml"),
    ),
];

impl Seed {
    /// The default seed, as compiled in (see the module docs).
    pub fn builtin() -> Result<Seed, Vec<Problem>> {
        let mut seed = Seed::empty();
        let mut problems = Vec::new();
        for (file, text) in FILES {
            seed.add(Path::new(file).to_owned(), text, &mut problems);
        }
        if problems.is_empty() {
            Ok(seed.done())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_seed_lists_every_file_of_the_seed_directory_and_reads_as_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let on_disk: Vec<String> = super::super::toml_files(&root.join("seed"))
            .unwrap()
            .into_iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let listed: Vec<&str> = FILES.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            listed, on_disk,
            "a seed file is missing from FILES (or one is gone)"
        );
        let builtin = Seed::builtin().unwrap();
        let read = Seed::read(&root.join("seed")).unwrap();
        assert_eq!(builtin.counts(), read.counts());
    }
}
