//! What every GraphQL request goes through before and after the schema, over HTTP and
//! WebSocket alike: [`Guarded`] is the one [`Executor`] both transports run.
//!
//! Before: the document is scanned for size (tokens, nesting) without being parsed, parsed
//! (once per distinct text, [`Documents`]), resolved from a persisted-query hash when it comes
//! as one ([`PersistedQueries`], [`TrustedIndex`]), cut down to the operation the request
//! selects (so a shared document's other operations, their variables and fragments play no
//! part), and counted for aliases, directives and introspection fan-out. After: every error
//! gets its code from the table in [`super::error`].
//!
//! A refusal here is answered before anything executes, with no `data` entry.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{Data, Executor, Name, Pos, Request, Response, ServerError};
use sha2::{Digest, Sha256};

use super::AppSchema;
use super::error::Code;
use super::nulls::{self, FieldTypes};
use crate::config::{Limits, ServerConfig, TrustedDocuments};

/// The deepest a query may nest whatever `maxDepth` says: async-graphql refuses documents whose
/// selection sets and fragment spreads recurse more than 32 levels (its `limit_recursive_depth`,
/// a guard for its own stack), and the operation's own selection set is one of them.
pub const PARSER_MAX_DEPTH: usize = 31;

/// How many items an introspection list counts as in the complexity of a query: a schema of
/// ours has about sixty types of about ten fields, and GraphiQL's full introspection query must
/// fit in the default complexity while `types { fields { type { fields { … } } } }` fans out
/// past it after four levels.
const INTROSPECTION_LIST: usize = 10;

/// A refusal before execution: the error sent, with its code.
fn refuse(
    code: Code,
    message: impl Into<String>,
    extra: &[(&str, async_graphql::Value)],
) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code.name());
    for (key, value) in extra {
        extensions.set(*key, value.clone());
    }
    error.extensions = Some(extensions);
    error
}

fn limit(name: &str, max: usize, message: String) -> ServerError {
    refuse(
        Code::LimitExceeded,
        message,
        &[("limit", name.into()), ("max", (max as u64).into())],
    )
}

/// A request readied for execution: what it runs, and the document it came from (kept for
/// [`nulls::repair`], which follows error paths through it).
pub struct Ticket {
    pub ty: OperationType,
    document: Arc<ExecutableDocument>,
    operation: Option<Name>,
}

/// The executor both transports run: the schema behind the checks of this module.
#[derive(Clone)]
pub struct Guarded {
    schema: AppSchema,
    types: Arc<FieldTypes>,
    limits: Limits,
    /// Whether `__schema` and `__type` may be asked; when not, asking is refused (the schema
    /// alone would answer `null` for a non-null field, which tools take for a broken schema).
    introspection: bool,
    documents: Arc<Documents>,
    persisted: Option<Arc<PersistedQueries>>,
    trusted: Option<Arc<TrustedIndex>>,
    /// Over WebSocket, where no HTTP layer pins a snapshot, queries and mutations are pinned
    /// to this catalog's current one, and answer with `extensions.revision`.
    catalog: Option<Arc<crate::catalog::Catalog>>,
}

impl Guarded {
    /// Pins the snapshot of `catalog` for requests that arrive without one (WebSocket).
    pub fn pinning(mut self, catalog: Arc<crate::catalog::Catalog>) -> Self {
        self.catalog = Some(catalog);
        self
    }

    pub fn new(schema: AppSchema, config: &ServerConfig) -> Self {
        Guarded {
            types: Arc::new(FieldTypes::from_sdl(&schema.sdl())),
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
        self.resolve_persisted(request)?;
        if request.query.trim().is_empty() {
            return Err(refuse(
                Code::GraphqlParseFailed,
                "the request has no document: send it in `query` (or a persisted query's hash)",
                &[],
            ));
        }
        scan(&request.query, &self.limits)?;
        let document = self.documents.parse(&request.query)?;
        let (ty, operation, selected) = select(&document, request.operation_name.as_deref())?;
        check(&selected, &self.limits)?;
        if !self.introspection && introspects(&selected) {
            return Err(refuse(
                Code::GraphqlValidationFailed,
                "introspection is turned off on this server",
                &[],
            ));
        }
        request.set_parsed_query(selected);
        Ok(Ticket {
            ty,
            document,
            operation,
        })
    }

    /// Executes a request [`prepare`](Self::prepare) readied, codes its errors and puts the
    /// nulls the executor leaves out.
    pub async fn execute_prepared(&self, request: Request, ticket: &Ticket) -> Response {
        let mut response = self.schema.execute(request).await;
        self.finish(&mut response, ticket);
        response
    }

    fn finish(&self, response: &mut Response, ticket: &Ticket) {
        tag(response, &self.limits);
        nulls::repair(
            response,
            &ticket.document,
            ticket.operation.as_ref(),
            &self.types,
        );
    }

    fn resolve_persisted(&self, request: &mut Request) -> Result<(), ServerError> {
        let hash = match persisted_hash(request) {
            Ok(hash) => hash,
            Err(message) => return Err(refuse(Code::InvalidInput, message, &[])),
        };
        if let Some(trusted) = &self.trusted {
            return trusted.resolve(request, hash.as_deref());
        }
        let Some(hash) = hash else {
            return Ok(());
        };
        let Some(store) = &self.persisted else {
            return Err(refuse(
                Code::PersistedQueryNotSupported,
                "persisted queries are turned off on this server: send the document",
                &[],
            ));
        };
        if request.query.is_empty() {
            match store.get(&hash) {
                Some(text) => request.query = text.to_string(),
                None => {
                    return Err(refuse(
                        Code::PersistedQueryNotFound,
                        "PersistedQueryNotFound",
                        &[],
                    ));
                }
            }
        } else {
            if sha256_hex(&request.query) != hash {
                return Err(refuse(
                    Code::InvalidInput,
                    "the persisted query's sha256Hash is not the hash of the document sent",
                    &[],
                ));
            }
            // Only documents that pass the size scan are worth remembering.
            scan(&request.query, &self.limits)?;
            store.insert(hash, &request.query);
        }
        Ok(())
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
        let ticket = match self.prepare(&mut request) {
            Ok(ticket) => ticket,
            Err(error) => {
                return stream::once(async move { Response::from_errors(vec![error]) }).boxed();
            }
        };
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
        self.schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
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
pub fn tag(response: &mut Response, limits: &Limits) {
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

/// How deep list and object values may nest inside arguments and variable defaults. The parser
/// recurses once per level with no bound of its own, so a few thousand `[` would overflow a
/// worker's stack and abort the process; no real input nests this deep.
pub const MAX_VALUE_DEPTH: usize = 64;

/// Where the scan is after a `...`: an inline fragment's `{` opens no new level of fields.
#[derive(Clone, Copy, PartialEq)]
enum Spread {
    None,
    /// Right after `...`, or after `... on Type` (or its directives).
    Inline,
    /// After `... on`, waiting for the type's name.
    On,
}

/// Counts the document's tokens, how deep its fields nest and how deep its values nest,
/// without parsing it, so that a document too big or too deep to be worth parsing (or too deep
/// to parse safely) is refused at the cost of one pass over its bytes. Fields nest as
/// async-graphql's depth limit counts them: one level per selection set of a field, none for an
/// inline fragment's. Braces inside parentheses are input objects, not selections.
fn scan(query: &str, limits: &Limits) -> Result<(), ServerError> {
    let max_depth = limits.max_depth.min(PARSER_MAX_DEPTH);
    let bytes = query.as_bytes();
    let (mut i, mut tokens, mut parens) = (0, 0usize, 0usize);
    // For each open selection set, whether it is a level of fields.
    let mut sets: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    // Open `[` and `{` inside parentheses.
    let mut values = 0usize;
    let mut spread = Spread::None;
    let mut directive = false;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'{' | b'[' if parens > 0 => {
                values += 1;
                if values > MAX_VALUE_DEPTH {
                    return Err(limit(
                        "maxValueDepth",
                        MAX_VALUE_DEPTH,
                        format!("an argument's value nests deeper than {MAX_VALUE_DEPTH} levels"),
                    ));
                }
                i += 1;
            }
            b'}' | b']' if parens > 0 => {
                values = values.saturating_sub(1);
                i += 1;
            }
            b'{' => {
                let level = spread == Spread::None;
                sets.push(level);
                if level {
                    depth += 1;
                    if depth > max_depth {
                        return Err(limit(
                            "maxDepth",
                            max_depth,
                            format!(
                                "the query nests deeper than the server's maxDepth ({max_depth})"
                            ),
                        ));
                    }
                }
                i += 1;
            }
            b'}' => {
                if sets.pop() == Some(true) {
                    depth -= 1;
                }
                i += 1;
            }
            b'(' => {
                parens += 1;
                i += 1;
            }
            b')' => {
                parens = parens.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            c if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'+' | b'.') => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'-' | b'+' | b'.'))
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        // An unterminated string or escape steps past the end.
        i = i.min(bytes.len());
        // What a token after `...` makes of it (outside arguments, whose tokens change nothing).
        if parens == 0 || bytes[start] == b'(' {
            let token = &bytes[start..i];
            spread = match (spread, token) {
                (_, b"...") => Spread::Inline,
                (Spread::Inline, b"@") => {
                    directive = true;
                    Spread::Inline
                }
                // A directive's arguments: the scan skips what is inside.
                (Spread::Inline, b"(" | b")") => Spread::Inline,
                (Spread::Inline, _) if directive => {
                    directive = false;
                    Spread::Inline
                }
                (Spread::Inline, b"on") => Spread::On,
                (Spread::On, _) => Spread::Inline,
                // A name after `...` is a named spread; `{` or anything else ends the spread.
                _ => Spread::None,
            };
        }
        tokens += 1;
        if tokens > limits.max_tokens {
            return Err(limit(
                "maxTokens",
                limits.max_tokens,
                format!(
                    "the document has more tokens than the server's maxTokens ({})",
                    limits.max_tokens
                ),
            ));
        }
    }
    Ok(())
}

/// The operation a request runs and a document holding only it and the fragments it uses.
fn select(
    document: &ExecutableDocument,
    name: Option<&str>,
) -> Result<(OperationType, Option<Name>, ExecutableDocument), ServerError> {
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(op), None) => {
            return Ok((op.node.ty, None, document.clone()));
        }
        (DocumentOperations::Single(_), Some(name)) => {
            return Err(refuse(
                Code::GraphqlValidationFailed,
                format!("the document has no operation named \"{name}\", only an anonymous one"),
                &[],
            ));
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            let (name, op) = ops.iter().next().expect("one operation");
            (name.clone(), op)
        }
        (DocumentOperations::Multiple(_), None) => {
            return Err(refuse(
                Code::GraphqlValidationFailed,
                "the document has several operations: say which one with operationName",
                &[],
            ));
        }
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get_key_value(name) {
            Some((name, op)) => (name.clone(), op),
            None => {
                return Err(refuse(
                    Code::GraphqlValidationFailed,
                    format!("the document has no operation named \"{name}\""),
                    &[],
                ));
            }
        },
    };
    let (name, op) = operation;
    let ty = op.node.ty;
    if matches!(&document.operations, DocumentOperations::Multiple(ops) if ops.len() == 1) {
        return Ok((ty, Some(name), document.clone()));
    }
    // Only the fragments the selected operation reaches: the others would be "unused".
    let mut used = HashSet::new();
    let mut pending = vec![&op.node.selection_set.node];
    while let Some(set) = pending.pop() {
        spreads(set, &mut |fragment| {
            if used.insert(fragment.clone())
                && let Some(definition) = document.fragments.get(fragment)
            {
                pending.push(&definition.node.selection_set.node);
            }
        });
    }
    let fragments = document
        .fragments
        .iter()
        .filter(|(name, _)| used.contains(*name))
        .map(|(name, definition)| (name.clone(), definition.clone()))
        .collect();
    let mut operations = HashMap::new();
    operations.insert(name.clone(), op.clone());
    Ok((
        ty,
        Some(name),
        ExecutableDocument {
            operations: DocumentOperations::Multiple(operations),
            fragments,
        },
    ))
}

/// Calls `found` with every fragment a selection set spreads, its nested sets included.
fn spreads<'a>(set: &'a SelectionSet, found: &mut impl FnMut(&'a Name)) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => spreads(&field.node.selection_set.node, found),
            Selection::FragmentSpread(spread) => found(&spread.node.fragment_name.node),
            Selection::InlineFragment(inline) => spreads(&inline.node.selection_set.node, found),
        }
    }
}

/// What the aliases, directives and introspection of a selection cost, fragments expanded.
#[derive(Clone, Copy, Default)]
struct Cost {
    aliases: usize,
    directives: usize,
    introspection: usize,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.directives = self.directives.saturating_add(other.directives);
        self.introspection = self.introspection.saturating_add(other.introspection);
    }
}

/// Refuses a document over the alias, directive or (introspection) complexity limits. Every
/// spread of a fragment counts, as every spread is executed.
fn check(document: &ExecutableDocument, limits: &Limits) -> Result<(), ServerError> {
    let mut walker = Walker {
        document,
        memo: HashMap::new(),
        visiting: HashSet::new(),
    };
    let mut cost = Cost::default();
    for (_, op) in document.operations.iter() {
        cost.directives = cost.directives.saturating_add(op.node.directives.len());
        cost.add(walker.set(&op.node.selection_set.node, false));
    }
    let checks = [
        (
            "maxAliases",
            cost.aliases,
            limits.max_aliases,
            "aliased fields",
        ),
        (
            "maxDirectives",
            cost.directives,
            limits.max_directives,
            "directives",
        ),
        (
            "maxComplexity",
            cost.introspection,
            limits.max_complexity,
            "introspection cost",
        ),
    ];
    for (name, got, max, what) in checks {
        if got > max {
            return Err(limit(
                name,
                max,
                format!("the query has {got} {what}, more than the server's {name} ({max})"),
            ));
        }
    }
    Ok(())
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    memo: HashMap<(&'a Name, bool), Cost>,
    visiting: HashSet<&'a Name>,
}

impl<'a> Walker<'a> {
    /// `inside` is true under `__schema` or `__type`, where lists multiply what they select.
    fn set(&mut self, set: &'a SelectionSet, inside: bool) -> Cost {
        let mut cost = Cost::default();
        for item in &set.items {
            cost.directives = cost.directives.saturating_add(item.node.directives().len());
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if field.alias.is_some() {
                        cost.aliases += 1;
                    }
                    let name = field.name.node.as_str();
                    let enters = matches!(name, "__schema" | "__type");
                    let child = self.set(&field.selection_set.node, inside || enters);
                    if inside || enters {
                        let times = if inside && is_introspection_list(name) {
                            INTROSPECTION_LIST
                        } else {
                            1
                        };
                        cost.introspection = cost
                            .introspection
                            .saturating_add(1)
                            .saturating_add(child.introspection.saturating_mul(times));
                        cost.aliases = cost
                            .aliases
                            .saturating_add(child.aliases.saturating_mul(times));
                        cost.directives = cost
                            .directives
                            .saturating_add(child.directives.saturating_mul(times));
                    } else {
                        cost.add(child);
                    }
                }
                Selection::InlineFragment(inline) => {
                    cost.add(self.set(&inline.node.selection_set.node, inside));
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    cost.add(self.fragment(name, inside));
                }
            }
        }
        cost
    }

    fn fragment(&mut self, name: &'a Name, inside: bool) -> Cost {
        if let Some(cost) = self.memo.get(&(name, inside)) {
            return *cost;
        }
        let Some(definition) = self.document.fragments.get(name) else {
            return Cost::default();
        };
        // A cycle is for validation to refuse; it costs nothing here.
        if !self.visiting.insert(name) {
            return Cost::default();
        }
        let mut cost = self.set(&definition.node.selection_set.node, inside);
        cost.directives = cost
            .directives
            .saturating_add(definition.node.directives.len());
        self.visiting.remove(name);
        self.memo.insert((name, inside), cost);
        cost
    }
}

/// Whether the operation asks `__schema` or `__type` (only the query root has them).
fn introspects(document: &ExecutableDocument) -> bool {
    let mut pending: Vec<&SelectionSet> = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .collect();
    let mut seen = HashSet::new();
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    if matches!(field.node.name.node.as_str(), "__schema" | "__type") {
                        return true;
                    }
                }
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if seen.insert(name)
                        && let Some(fragment) = document.fragments.get(name)
                    {
                        pending.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    false
}

fn is_introspection_list(field: &str) -> bool {
    matches!(
        field,
        "types"
            | "fields"
            | "args"
            | "inputFields"
            | "interfaces"
            | "possibleTypes"
            | "enumValues"
            | "directives"
    )
}

/// Parsed documents by their text, for every request the answer cache cannot serve (a new
/// variable, a new revision, the cache off): the parser was an eighth of the CPU of a role gap,
/// and clients send the same few documents with different variables.
pub struct Documents(moka::sync::Cache<String, Arc<ExecutableDocument>>);

impl Documents {
    /// Room for this many bytes of document text (parsed trees take a few times that).
    pub fn new(bytes: u64) -> Self {
        Documents(
            moka::sync::Cache::builder()
                .max_capacity(bytes)
                .weigher(|text: &String, _: &Arc<ExecutableDocument>| {
                    u32::try_from(text.len().saturating_mul(4)).unwrap_or(u32::MAX)
                })
                .build(),
        )
    }

    /// The parsed document, from here when the same text was parsed before. A document that
    /// does not parse is refused with `GRAPHQL_PARSE_FAILED` and one line saying where.
    fn parse(&self, text: &str) -> Result<Arc<ExecutableDocument>, ServerError> {
        if let Some(document) = self.0.get(text) {
            return Ok(document);
        }
        match async_graphql::parser::parse_query(text) {
            Ok(document) => {
                let document = Arc::new(document);
                self.0.insert(text.to_owned(), document.clone());
                Ok(document)
            }
            Err(error) => Err(parse_failure(&error)),
        }
    }
}

/// A parser error as one line: what was expected, where (`line:column`).
fn parse_failure(error: &async_graphql::parser::Error) -> ServerError {
    use async_graphql::parser::Error as E;
    if matches!(error, E::RecursionLimitExceeded) {
        return limit(
            "maxDepth",
            PARSER_MAX_DEPTH,
            format!("the query nests deeper than the parser allows ({PARSER_MAX_DEPTH})"),
        );
    }
    let at = error.positions().next();
    let what = match error {
        // pest's text is a drawing of the line; its last line says what was expected.
        E::Syntax { message, .. } => message
            .lines()
            .rev()
            .find_map(|line| line.trim().strip_prefix("= "))
            .unwrap_or("unexpected input")
            .replace('_', " "),
        other => other.to_string(),
    };
    let message = match at {
        Some(Pos { line, column }) => format!("syntax error at {line}:{column}: {what}"),
        None => format!("syntax error: {what}"),
    };
    let mut failure = refuse(Code::GraphqlParseFailed, message, &[]);
    failure.locations = at.into_iter().collect();
    failure
}

/// The `sha256Hash` of Apollo's `persistedQuery` extension, if the request has one.
fn persisted_hash(request: &Request) -> Result<Option<String>, String> {
    let Some(extension) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let async_graphql::Value::Object(fields) = extension else {
        return Err("extensions.persistedQuery must be an object".into());
    };
    if let Some(version) = fields.get("version")
        && *version != async_graphql::Value::from(1)
    {
        return Err("only version 1 of persisted queries is supported".into());
    }
    match fields.get("sha256Hash") {
        Some(async_graphql::Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok(Some(hash.to_ascii_lowercase()))
        }
        _ => Err("extensions.persistedQuery.sha256Hash must be 64 hex digits".into()),
    }
}

fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Automatic persisted queries: documents a client registered by their SHA-256 hash, so that
/// it can send the hash alone afterwards (and use GET, which CDNs cache).
pub struct PersistedQueries(moka::sync::Cache<String, Arc<str>>);

impl PersistedQueries {
    fn new(bytes: u64) -> Self {
        PersistedQueries(
            moka::sync::Cache::builder()
                .max_capacity(bytes)
                .weigher(|_: &String, text: &Arc<str>| {
                    u32::try_from(text.len() + 64).unwrap_or(u32::MAX)
                })
                .build(),
        )
    }

    fn get(&self, hash: &str) -> Option<Arc<str>> {
        self.0.get(hash)
    }

    fn insert(&self, hash: String, text: &str) {
        self.0.insert(hash, text.into());
    }
}

/// Trusted documents: in production, only the operations a team shipped run. Each document of
/// the file the configuration read ([`TrustedDocuments`]) is found by its SHA-256 (what Apollo's
/// persisted-query link sends) and by the id the file gives it (Codegen may hash with another
/// algorithm).
#[derive(Debug)]
struct TrustedIndex {
    by_id: HashMap<String, Arc<str>>,
}

impl TrustedIndex {
    fn new(documents: &TrustedDocuments) -> Self {
        let mut by_id = HashMap::new();
        for (id, body) in &documents.documents {
            let body: Arc<str> = Arc::from(body.as_str());
            by_id.insert(sha256_hex(&body), body.clone());
            if let Some(id) = id {
                by_id.insert(id.to_ascii_lowercase(), body);
            }
        }
        TrustedIndex { by_id }
    }

    /// Puts the trusted text into the request, or refuses it.
    fn resolve(&self, request: &mut Request, hash: Option<&str>) -> Result<(), ServerError> {
        let hash = match hash {
            Some(hash) => hash.to_owned(),
            None => sha256_hex(&request.query),
        };
        match self.by_id.get(&hash) {
            Some(text) if request.query.is_empty() || *request.query == **text => {
                request.query = text.to_string();
                Ok(())
            }
            None if request.query.is_empty() => Err(refuse(
                Code::PersistedQueryNotFound,
                "PersistedQueryNotFound",
                &[],
            )),
            // A trusted document sent under another's hash, or under a wrong one.
            Some(_) | None if self.by_id.contains_key(&sha256_hex(&request.query)) => Err(refuse(
                Code::InvalidInput,
                "the persisted query's sha256Hash is not the hash of the document sent",
                &[],
            )),
            _ => Err(refuse(
                Code::DocumentNotTrusted,
                "this server runs only its trusted documents, and this is not one of them",
                &[],
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_default(query: &str) -> Result<(), ServerError> {
        scan(query, &Limits::default())
    }

    #[test]
    fn the_scan_counts_selection_depth_but_not_input_objects() {
        assert!(scan_default("{ a { b { c } } }").is_ok());
        let deep = format!("{}{}", "{ a ".repeat(16), "}".repeat(16));
        let error = scan_default(&deep).unwrap_err();
        assert_eq!(
            error.message,
            "the query nests deeper than the server's maxDepth (15)"
        );
        let input = format!(
            "{{ a(x: {}1{}) {{ b }} }}",
            "{v: ".repeat(30),
            "}".repeat(30)
        );
        assert!(scan_default(&input).is_ok());
        // Braces inside strings and comments are not selections.
        let text = format!("{{ a(x: \"{}\") # {}\n }}", "{".repeat(40), "{".repeat(40));
        assert!(scan_default(&text).is_ok());
    }

    #[test]
    fn inline_fragments_add_no_level_and_deep_values_are_refused() {
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        for query in [
            "{ a { b { ... on B { c } } } }",
            "{ a { b { ... { c } } } }",
            "{ a { b { ... @include(if: true) { c } } } }",
            "{ a { b { ... on B @skip(if: false) { c } } } }",
            "{ a { b { ...F } } } fragment F on B { c }",
        ] {
            assert!(scan(query, &limits).is_ok(), "{query}");
        }
        assert!(scan("{ a { b { c { d } } } }", &limits).is_err());
        assert!(scan("{ a { b { ... on B { c { d } } } } }", &limits).is_err());
        let nested = format!("{{ a(x: {}1{}) }}", "[".repeat(65), "]".repeat(65));
        let error = scan_default(&nested).unwrap_err();
        assert!(
            error.message.contains("nests deeper than 64"),
            "{}",
            error.message
        );
        let fine = format!("{{ a(x: {}1{}) }}", "[".repeat(64), "]".repeat(64));
        assert!(scan_default(&fine).is_ok());
    }

    #[test]
    fn the_scan_survives_unterminated_strings_and_escapes() {
        for query in [
            "{ a(x: \"abc",
            "{ a(x: \"\"\"abc",
            "\"\\",
            "\"\"\"\\\"\"",
            "#",
            "\"",
            "..",
            "{ a(x: \"\\",
        ] {
            let _ = scan_default(query);
        }
    }

    #[test]
    fn the_scan_counts_tokens() {
        let limits = Limits {
            max_tokens: 13,
            ..Limits::default()
        };
        // query Q ( $ a : Int = 1.5e3 ) { f }
        assert!(scan("query Q($a: Int = 1.5e3) { f }", &limits).is_ok());
        let error = scan("{ a b c d e f g h i j k l }", &limits).unwrap_err();
        assert!(error.message.contains("maxTokens"), "{}", error.message);
    }

    #[test]
    fn a_parse_failure_is_one_line_with_its_position() {
        let error = Documents::new(1024).parse("{ skill(id: ) }").unwrap_err();
        assert!(!error.message.contains('\n'), "{}", error.message);
        assert!(
            error.message.starts_with("syntax error at 1:13: "),
            "{}",
            error.message
        );
    }

    #[test]
    fn the_selected_operation_keeps_only_its_fragments() {
        let document = async_graphql::parser::parse_query(
            "query A { ...F } query B($n: Int!) { x(n: $n) { ...G } } fragment F on Query { a } fragment G on X { b }",
        )
        .unwrap();
        let (ty, _, only) = select(&document, Some("A")).unwrap();
        assert_eq!(ty, OperationType::Query);
        assert_eq!(only.operations.iter().count(), 1);
        assert_eq!(only.fragments.len(), 1);
        assert!(select(&document, None).is_err());
        assert!(select(&document, Some("C")).is_err());
    }

    #[test]
    fn sha256_is_hex_of_the_text() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
