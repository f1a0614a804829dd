//! skillgraph: a dependency graph of skills and roles, and the questions people ask of it.
//!
//! Data flows one way; each module says what it must not depend on.
//!
//! * [`domain`]: skills, roles, levels, the prerequisite DAG and every algorithm. Pure, sync.
//! * [`store`]: the sled database and its versioned on-disk format. Knows domain values only.
//! * [`catalog`]: the one place where graph and store meet; owns the write path and snapshots.
//! * [`replication`]: read replicas: the writer publishes its change log to NATS JetStream,
//!   replicas follow it. Knows the catalog, never GraphQL or HTTP.
//! * [`import`]: the seed format (check, import, export), ESCO, O*NET and CSV importers.
//! * [`graphql`]: the GraphQL schema: thin views and resolvers over the catalog.
//! * [`http`]: the axum server: GraphQL over HTTP and WebSocket, GraphiQL, health.
//! * [`render`]: learning plans drawn as Mermaid, DOT and SVG. Knows the domain only.
//! * [`generate`]: deterministic synthetic graphs for measuring at scale.
//! * [`config`]: every limit and default of the server, and the flags that set them.
//! * [`telemetry`]: the OpenTelemetry pipeline `serve` installs when traces are exported.
//! * [`cli`]: the command line.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod domain;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod import;
pub mod render;
pub mod replication;
pub mod store;
pub mod telemetry;
