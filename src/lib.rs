//! skillgraph: a dependency graph of skills and roles, and the questions people ask of it.
//!
//! Data flows one way; each module says what it must not depend on.
//!
//! * [`domain`]: skills, roles, levels, the prerequisite DAG and every algorithm. Pure, sync.
//! * [`store`]: the sled database and its versioned on-disk format. Knows domain values only.
//! * [`catalog`]: the one place where graph and store meet; owns the write path and snapshots.
//! * [`seed`]: the human-editable TOML format of `seed/`, its checker, importer and exporter.
//! * [`cli`]: the command line.

pub mod catalog;
pub mod cli;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod seed;
pub mod store;
