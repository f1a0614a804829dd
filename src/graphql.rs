//! The GraphQL API: schema, views and resolvers over the [`Catalog`].
//!
//! Resolvers are thin: they parse inputs into domain values, call the domain or the catalog,
//! and wrap the result in a view. Business rules live in [`crate::domain`]; error codes in
//! [`error`]. Query and Mutation are split by area and merged here.
//!
//! Every request is answered from one snapshot of the graph ([`Snapshot`], put into the request
//! by the HTTP layer), so a query sees one revision even while writes land.

pub(crate) mod args;
mod changes;
mod enums;
pub mod error;
pub mod exec;
pub mod flat;
pub mod inputs;
mod mutation;
mod paging;
mod query;
mod subscription;
pub mod traced;
mod views;

use std::sync::Arc;

use async_graphql::futures_util::stream::BoxStream;
use async_graphql::{
    Context, Data, MergedObject, ObjectType, Request, Response, SDLExportOptions, Schema,
    SchemaBuilder, ValidationMode,
};

use crate::catalog::Catalog;
pub use crate::config::Limits;
use crate::domain::SkillGraph;

pub use subscription::SubscriptionRoot;

/// The graph revision a request reads.
#[derive(Clone)]
pub struct Snapshot(pub Arc<SkillGraph>);

/// The newest revision the request's mutations produced (0: none), for the transport to
/// report (`Skillgraph-Revision`).
#[derive(Clone, Default)]
pub struct Produced(pub Arc<std::sync::atomic::AtomicU64>);

impl Produced {
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// What the schema knows of replication: where a replica's writer is, and the writer's
/// snapshot publisher.
#[derive(Clone, Debug, Default)]
pub struct Replication {
    pub writer_url: Option<String>,
    pub snapshots: Option<crate::replication::Handle>,
}

/// Who is calling: set by the HTTP layer from the `Authorization` header.
#[derive(Clone, Copy, Debug, Default)]
pub struct Caller {
    pub admin: bool,
}

/// Reads: skills, roles and categories, learning paths, role gaps and role matching. Every
/// request reads one revision of the graph.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    query::SkillQuery,
    query::RoleQuery,
    query::PlanQuery,
    query::GraphQuery,
    query::ExtractQuery,
    query::ChangeQuery,
);

// [`QueryRoot`] with federation's entity lookups (`--federation`): the same fields in the same
// order (and the same description, below), and `Skill` and `Role` as entities, which adds
// `_service` and `_entities` (and the `_Any` scalar and the `_Entity` union) to the schema.
/// Reads: skills, roles and categories, learning paths, role gaps and role matching. Every
/// request reads one revision of the graph.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct FederatedQueryRoot(
    query::SkillQuery,
    query::RoleQuery,
    query::PlanQuery,
    query::GraphQuery,
    query::ExtractQuery,
    query::ChangeQuery,
    query::EntityQuery,
);

/// Writes; each needs `Authorization: Bearer <admin token>`, is durable when it answers, and
/// publishes a `graphChanged` event.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    mutation::SkillMutation,
    mutation::RoleMutation,
    mutation::ReplicationMutation,
);

type PlainSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;
type FederatedSchema = Schema<FederatedQueryRoot, MutationRoot, SubscriptionRoot>;

/// The schema a server runs: the plain one, or the Apollo Federation v2 subgraph
/// (`--federation`), which adds the entity lookups and `_service { sdl }`. Nothing else
/// differs; the plain schema does not change when federation is off.
#[derive(Clone)]
pub enum AppSchema {
    Plain(PlainSchema),
    Federated(FederatedSchema),
}

impl AppSchema {
    pub async fn execute(&self, request: Request) -> Response {
        match self {
            AppSchema::Plain(schema) => schema.execute(request).await,
            AppSchema::Federated(schema) => schema.execute(request).await,
        }
    }

    pub fn execute_stream_with_session_data(
        &self,
        request: Request,
        session_data: Arc<Data>,
    ) -> BoxStream<'static, Response> {
        match self {
            AppSchema::Plain(schema) => {
                schema.execute_stream_with_session_data(request, session_data)
            }
            AppSchema::Federated(schema) => {
                schema.execute_stream_with_session_data(request, session_data)
            }
        }
    }

    /// The SDL, as introspection shows it (the federated schema's includes `_service`,
    /// `_entities`, `_Any` and `_Entity`).
    pub fn sdl(&self) -> String {
        match self {
            AppSchema::Plain(schema) => schema.sdl(),
            AppSchema::Federated(schema) => schema.sdl(),
        }
    }

    pub fn is_federated(&self) -> bool {
        matches!(self, AppSchema::Federated(_))
    }
}

/// Builds the schema over a catalog. Without `introspection`, `__schema` and `__type` are
/// refused and validation errors suggest no field names (for production deployments that do
/// not publish their schema: "Did you mean …" would publish it one guess at a time).
pub fn schema(catalog: Arc<Catalog>, limits: Limits, introspection: bool) -> AppSchema {
    schema_validating(
        catalog,
        limits,
        introspection,
        false,
        Replication::default(),
        false,
        ValidationMode::Strict,
    )
}

/// [`schema`], on a server that may be federated (`federation`) or replicate, with `traced`
/// (traces exported), with spans for validation and execution ([`traced::Traced`]), and
/// validating as `validation` says: `Guarded` runs documents that strict validation already
/// passed, with variables that certainly fit, on a `Fast` one (see `exec/inputs`).
pub fn schema_validating(
    catalog: Arc<Catalog>,
    limits: Limits,
    introspection: bool,
    federation: bool,
    replication: Replication,
    traced: bool,
    validation: ValidationMode,
) -> AppSchema {
    fn finish<Q: ObjectType + 'static>(
        mut builder: SchemaBuilder<Q, MutationRoot, SubscriptionRoot>,
        catalog: Arc<Catalog>,
        limits: Limits,
        introspection: bool,
        replication: Replication,
        traced: bool,
        validation: ValidationMode,
    ) -> Schema<Q, MutationRoot, SubscriptionRoot> {
        builder = builder
            .data(catalog)
            .data(replication)
            .data(limits)
            .limit_depth(limits.max_depth)
            .limit_complexity(limits.max_complexity)
            .validation_mode(validation);
        // Only when traces are on: an extension costs every request a few boxed futures.
        if traced {
            builder = builder.extension(traced::Traced);
        }
        if introspection {
            builder.finish()
        } else {
            builder
                .disable_introspection()
                .disable_suggestions()
                .finish()
        }
    }
    if federation {
        let builder = federated().extension(exec::EntityCost);
        AppSchema::Federated(finish(
            builder,
            catalog,
            limits,
            introspection,
            replication,
            traced,
            validation,
        ))
    } else {
        let builder = Schema::build(
            QueryRoot::default(),
            MutationRoot::default(),
            SubscriptionRoot,
        );
        AppSchema::Plain(finish(
            builder,
            catalog,
            limits,
            introspection,
            replication,
            traced,
            validation,
        ))
    }
}

fn federated() -> SchemaBuilder<FederatedQueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        FederatedQueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
    .enable_federation()
}

/// The SDL of the schema, as served (`schema/skillgraph.graphql` holds a copy).
pub fn sdl() -> String {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
    .finish()
    .sdl()
}

/// The subgraph SDL a federated server answers to `_service { sdl }`, what a composition tool
/// reads (`schema/skillgraph.federation.graphql` holds a copy): `Skill` and `Role` with
/// `@key(fields: "id")`, federation's `@link`, no `Subscription` (a gateway does not route
/// ours), and none of federation's own `_service`, `_entities`, `_Any` or `_Entity`.
pub fn federation_sdl() -> String {
    federated()
        .finish()
        .sdl_with_options(SDLExportOptions::new().federation().compose_directive())
}

/// The catalog the schema was built over. The only place that reads it from the context.
fn catalog<'a>(ctx: &Context<'a>) -> &'a Arc<Catalog> {
    ctx.data_unchecked::<Arc<Catalog>>()
}

pub(crate) fn limits(ctx: &Context<'_>) -> Limits {
    ctx.data_opt::<Limits>().copied().unwrap_or_default()
}

/// Runs graph work that can take milliseconds (plans, matching, deep search pages, a large
/// profile's holdings) on tokio's blocking pool. The request's task then yields instead of
/// holding a runtime worker, so cheap requests are not queued behind expensive ones, and the
/// request timeout can answer while the work finishes in the background. Work measured in
/// microseconds (a gap's standing, a search's first pages) runs inline: the hand-off would
/// cost more than the work.
pub(crate) async fn compute<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> async_graphql::Result<T> {
    compute_in(tracing::Span::none(), work).await
}

/// [`compute`], inside `span` (one of [`traced`]'s domain spans): the blocking pool's thread
/// has no span of its own, so the span travels with the work.
pub(crate) async fn compute_in<T: Send + 'static>(
    span: tracing::Span,
    work: impl FnOnce() -> T + Send + 'static,
) -> async_graphql::Result<T> {
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|e| error::ApiError::Internal(format!("graph work failed: {e}")).into_graphql())
}

/// The snapshot this request reads: the one the HTTP layer pinned, else the current one.
fn graph(ctx: &Context<'_>) -> Arc<SkillGraph> {
    match ctx.data_opt::<Snapshot>() {
        Some(snapshot) => snapshot.0.clone(),
        None => catalog(ctx).snapshot(),
    }
}

#[cfg(test)]
mod tests {
    /// `--federation` adds federation's fields and types and changes nothing else: a client of
    /// the plain API sees the same schema on a federated server.
    #[test]
    fn the_federated_schema_is_the_plain_one_plus_federation() {
        let plain = super::sdl();
        let federated = super::federated().finish().sdl();
        // Definitions are separated by blank lines; federation's two fields of `Query` are a
        // line each, without a description.
        let mut left: Vec<&str> = vec![];
        for block in federated.split("\n\n") {
            let definition = block.lines().find(|l| {
                ["type ", "scalar ", "union "]
                    .iter()
                    .any(|kind| l.starts_with(kind))
            });
            if matches!(
                definition,
                Some("scalar _Any" | "union _Entity = Role | Skill" | "type _Service {")
            ) {
                continue;
            }
            left.push(block);
        }
        let left = left.join("\n\n");
        let without_fields: String = left
            .lines()
            .filter(|l| !(l.starts_with("\t_service: ") || l.starts_with("\t_entities(")))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(
            federated.contains("\t_service: _Service!\n")
                && federated.contains("\t_entities(representations: [_Any!]!): [_Entity]!\n"),
            "{federated}"
        );
        assert_eq!(without_fields, plain);
    }
}
