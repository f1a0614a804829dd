//! What every GraphQL request goes through before and after the schema, over HTTP, WebSocket
//! and Server-Sent Events alike: [`Guarded`] is the one [`Executor`] every transport runs, and
//! reading this file answers "what happens to a request before it runs?".
//!
//! Before ([`Guarded::prepare`]): a persisted query's document is looked up by its hash
//! ([`persisted`]), the document is scanned for size (tokens, nesting) without being parsed
//! ([`scan`]), parsed once per distinct text ([`documents`]), cut down to the operation the
//! request selects, so a shared document's other operations, their variables and fragments play
//! no part ([`select`]), and counted for aliases, directives and introspection fan-out
//! ([`cost`]), and on a federated server its entity lookups are counted and checked
//! ([`entities`]). A refusal there is answered before anything executes, with no `data` entry.
//! After ([`Guarded::finish`]): every error gets its code from the table in
//! [`super::error`], and the nulls async-graphql leaves out are put in ([`nulls`]).
//!
//! The steps know the configuration, the error codes and async-graphql's document types; none
//! knows a resolver or a view, and none of them knows this pipeline.

mod cost;
mod documents;
mod entities;
mod inputs;
mod nulls;
mod persisted;
mod scan;
mod select;

use std::sync::Arc;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Name, Request, Response, ServerError};

use super::AppSchema;
use super::error::Code;
use crate::config::{Limits, ServerConfig};
use cost::{asks_any, check};
use documents::{Documents, Parsed};
pub use entities::EntityCost;
use entities::{EntityTypes, Representations};
use inputs::InputTypes;
use nulls::FieldTypes;
use persisted::{PersistedQueries, TrustedIndex};
use scan::{PARSER_MAX_DEPTH, scan};
use select::select;

/// A request readied for execution: what it runs, and the document it came from (kept for
/// [`nulls::repair`], which follows error paths through it).
pub struct Ticket {
    pub ty: OperationType,
    document: Arc<Parsed>,
    operation: Option<Name>,
    /// Strict validation passed this document before and the variables certainly fit: it runs
    /// on the schema that validates `Fast` (see `inputs`).
    fast: bool,
}

impl Ticket {
    /// Whether [`Guarded::execute_prepared`] runs it without async-graphql's rule checks:
    /// strict validation passed its document before, and its variables certainly fit (see
    /// `inputs`). Streams (subscriptions, SSE) always validate strictly, whatever this says.
    pub fn skips_validation(&self) -> bool {
        self.fast
    }

    /// The name of the operation it runs, when the document gives one.
    pub fn operation_name(&self) -> Option<&str> {
        self.operation.as_ref().map(Name::as_str)
    }
}

/// The executor every transport runs: the schema behind the checks of this module.
#[derive(Clone)]
pub struct Guarded {
    schema: AppSchema,
    /// The same schema validating `Fast`, for the documents strict validation already passed
    /// (see `inputs`); without it every request is validated strictly.
    fast: Option<AppSchema>,
    /// The schema's input types, to check variables against before going the fast way.
    inputs: Arc<InputTypes>,
    types: Arc<FieldTypes>,
    limits: Limits,
    /// Whether `__schema` and `__type` may be asked; when not, asking is refused (the schema
    /// alone would answer `null` for a non-null field, which tools take for a broken schema).
    introspection: bool,
    documents: Arc<Documents>,
    persisted: Option<Arc<PersistedQueries>>,
    trusted: Option<Arc<TrustedIndex>>,
    /// Over the streaming transports (WebSocket, Server-Sent Events), where no HTTP layer pins a
    /// snapshot, queries and mutations are pinned to this catalog's current one, and answer
    /// with `extensions.revision`.
    catalog: Option<Arc<crate::catalog::Catalog>>,
    /// On a federated schema, its entity types, whose lookups are checked before they run.
    entities: Option<Arc<EntityTypes>>,
}

impl Guarded {
    /// Pins the snapshot of `catalog` for requests that arrive without one (the streaming
    /// transports).
    pub fn pinning(mut self, catalog: Arc<crate::catalog::Catalog>) -> Self {
        self.catalog = Some(catalog);
        self
    }

    /// Runs documents strict validation already passed, whose variables certainly fit, on
    /// `fast`: the same schema built with `ValidationMode::Fast` (see `inputs`).
    pub fn validating_known_documents_with(mut self, fast: AppSchema) -> Self {
        self.fast = Some(fast);
        self
    }

    pub fn new(schema: AppSchema, config: &ServerConfig) -> Self {
        let sdl = schema.sdl();
        Guarded {
            types: Arc::new(FieldTypes::from_sdl(&sdl)),
            inputs: Arc::new(InputTypes::from_sdl(&sdl)),
            fast: None,
            entities: schema
                .is_federated()
                .then(|| Arc::new(EntityTypes::from_sdl(&sdl))),
            schema,
            limits: config.limits,
            introspection: config.introspection,
            documents: Arc::new(Documents::new(8 * 1024 * 1024)),
            persisted: config
                .persisted_queries
                .then(|| Arc::new(PersistedQueries::new(16 * 1024 * 1024))),
            trusted: config
                .trusted_documents
                .as_ref()
                .map(|documents| Arc::new(TrustedIndex::new(documents))),
            catalog: None,
        }
    }

    /// Readies a request for execution: resolves a persisted query, checks and parses the
    /// document, keeps only the selected operation. The ticket says which kind of operation it
    /// runs, so the transport can refuse a mutation over GET or cache a query.
    pub fn prepare(&self, request: &mut Request) -> Result<Ticket, ServerError> {
        // Everything up to execution that reads the document: async-graphql's own parse hook
        // would only see the document this already parsed (see `traced`).
        let _parse = tracing::debug_span!("graphql.parse").entered();
        persisted::resolve(
            request,
            self.persisted.as_deref(),
            self.trusted.as_deref(),
            &self.limits,
        )?;
        if request.query.trim().is_empty() {
            return Err(Code::GraphqlParseFailed.server_error(
                "the request has no document: send it in `query` (or a persisted query's hash)",
                &[],
            ));
        }
        scan(&request.query, &self.limits)?;
        let document = self.documents.parse(&request.query)?;
        let (ty, operation, selected) =
            select(&document.document, request.operation_name.as_deref())?;
        check(&selected, &self.limits)?;
        if let Some(types) = &self.entities {
            let n = entities::check(&selected, &request.variables, types, &self.limits)?;
            if n > 0 {
                request.data.insert(Representations(n));
            }
        }
        if !self.introspection {
            // A federated server's subgraph SDL is the schema too: a gateway composes from
            // `skillgraph schema --federation` instead.
            let hidden: &[&str] = match self.entities {
                Some(_) => &["__schema", "__type", "_service"],
                None => &["__schema", "__type"],
            };
            match asks_any(&selected, hidden) {
                Some("_service") => {
                    return Err(Code::GraphqlValidationFailed.server_error(
                        "introspection is turned off on this server, and `_service { sdl }` \
                         with it: compose from `skillgraph schema --federation`",
                        &[],
                    ));
                }
                Some(_) => {
                    return Err(Code::GraphqlValidationFailed
                        .server_error("introspection is turned off on this server", &[]));
                }
                None => {}
            }
        }
        let fast = self.fast.is_some()
            && ty == OperationType::Query
            && document.validated()
            && selected
                .operations
                .iter()
                .next()
                .is_some_and(|(_, op)| self.inputs.fit(&op.node, &request.variables));
        request.set_parsed_query(selected);
        Ok(Ticket {
            ty,
            document,
            operation,
            fast,
        })
    }

    /// Executes a request [`prepare`](Self::prepare) readied, codes its errors and puts the
    /// nulls the executor leaves out.
    pub async fn execute_prepared(&self, request: Request, ticket: &Ticket) -> Response {
        let mut response = match (&self.fast, ticket.fast) {
            (Some(fast), true) => fast.execute(request).await,
            _ => {
                let response = self.schema.execute(request).await;
                // Validation refuses with errors at no path and no data; anything else ran.
                let validated = response.data != async_graphql::Value::Null
                    || response.errors.iter().all(|e| !e.path.is_empty());
                if validated && ticket.ty == OperationType::Query {
                    ticket.document.set_validated();
                }
                response
            }
        };
        self.finish(&mut response, ticket);
        response
    }

    /// Codes the response's errors and puts the nulls the executor leaves out.
    fn finish(&self, response: &mut Response, ticket: &Ticket) {
        tag(response, &self.limits);
        nulls::repair(
            response,
            &ticket.document.document,
            ticket.operation.as_ref(),
            &self.types,
        );
    }
}

impl Executor for Guarded {
    async fn execute(&self, mut request: Request) -> Response {
        match self.prepare(&mut request) {
            Ok(ticket) => self.execute_prepared(request, &ticket).await,
            Err(error) => Response::from_errors(vec![error]),
        }
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        // Over WebSocket no HTTP span is around: each operation is its own trace, the span
        // lasting as long as its stream (a subscription's, until it ends).
        let span = super::traced::operation_span();
        match span.in_scope(|| self.prepare(&mut request)) {
            Ok(ticket) => {
                super::traced::name_operation(&span, ticket.ty, ticket.operation_name());
                self.stream_prepared(request, ticket, session_data, span)
            }
            Err(error) => stream::once(async move { Response::from_errors(vec![error]) }).boxed(),
        }
    }
}

impl Guarded {
    /// Runs a request [`prepare`](Self::prepare) readied as a stream of responses: a
    /// subscription's events, or a query's or mutation's one answer, pinned to the catalog's
    /// current snapshot (when [`pinning`](Self::pinning)) with `extensions.revision`, polled
    /// inside the operation's `span` (so the phases under it are its children). The streaming
    /// transports (WebSocket, Server-Sent Events) run this.
    pub fn stream_prepared(
        &self,
        mut request: Request,
        ticket: Ticket,
        session_data: Option<Arc<Data>>,
        span: tracing::Span,
    ) -> BoxStream<'static, Response> {
        let this = self.clone();
        let pinned = match &self.catalog {
            Some(catalog) if ticket.ty != OperationType::Subscription => {
                let snapshot = catalog.snapshot();
                let produced = super::Produced::default();
                request = request
                    .data(super::Snapshot(snapshot.clone()))
                    .data(produced.clone());
                Some((snapshot.revision(), produced))
            }
            _ => None,
        };
        let mut responses = self
            .schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default());
        // Polled inside the operation's span, so the phases under it are its children.
        stream::poll_fn(move |cx| span.in_scope(|| responses.poll_next_unpin(cx)))
            .map(move |mut response| {
                this.finish(&mut response, &ticket);
                if let Some((revision, produced)) = &pinned {
                    let revision = match produced.get() {
                        0 => *revision,
                        produced => produced,
                    };
                    response
                        .extensions
                        .insert("revision".into(), async_graphql::Value::from(revision));
                }
                response
            })
            .boxed()
    }
}

/// Gives every error without a code the code of its kind. Our resolvers always set one; the
/// rest come from async-graphql: its validation (no path, nothing executed), its depth and
/// complexity limits (which say so only in their messages, matched here and nowhere else), or
/// an argument it could not coerce while executing (the client's input).
fn tag(response: &mut Response, limits: &Limits) {
    let executed = response.data != async_graphql::Value::Null
        || response.errors.iter().any(|e| !e.path.is_empty());
    for error in &mut response.errors {
        if error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some())
        {
            continue;
        }
        let limit = match error.message.as_str() {
            "Query is nested too deep." => Some(("maxDepth", limits.max_depth)),
            "Query is too complex." => Some(("maxComplexity", limits.max_complexity)),
            // Fragments spreading fragments, past async-graphql's own recursion bound.
            m if m.starts_with("The recursion depth of the query cannot be greater than") => {
                Some(("maxDepth", PARSER_MAX_DEPTH))
            }
            _ => None,
        };
        let extensions = error.extensions.get_or_insert_with(Default::default);
        match limit {
            Some((name, max)) => {
                error.message = format!("the query is over the server's {name} ({max})");
                extensions.set("code", Code::LimitExceeded.name());
                extensions.set("limit", name);
                extensions.set("max", max as u64);
            }
            None if !executed => extensions.set("code", Code::GraphqlValidationFailed.name()),
            None => extensions.set("code", Code::InvalidInput.name()),
        }
    }
}
