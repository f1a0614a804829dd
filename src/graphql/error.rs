//! The one place where errors become GraphQL errors with a stable `extensions.code`.
//!
//! Codes are the contract; messages may improve. Domain errors keep their message (a cycle names
//! itself, a conflict lists who is in the way). Storage errors are logged in full and sent only
//! as `internal error`: sled's text never reaches a client.
//!
//! async-graphql converts anything `Display` into an error through a blanket `From`, which would
//! copy an internal message into the response and drop the code. So resolvers never use `?` on a
//! catalog or domain result directly: they call [`OrApi::api`] first.

use async_graphql::{ErrorExtensions, ServerError};

use crate::catalog;
use crate::domain;

/// The stable codes clients can branch on, each with the HTTP status a refusal of its kind
/// gets when it happens before any GraphQL runs. This table is the only place a code's name is
/// written; every error body in the crate is built from it ([`Code::body`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// An id that names nothing in this revision.
    NotFound,
    /// A prerequisite that would close a cycle; `extensions.cycle` lists it.
    Cycle,
    /// A value our domain rejects: a malformed id, a level out of range, a bad cursor.
    InvalidInput,
    /// The write is in the way of existing data; `extensions.usedBy` says whose.
    Conflict,
    /// The operation needs the admin token.
    Unauthenticated,
    /// A configured limit refused the request; `extensions.limit` names it, `max` gives it.
    LimitExceeded,
    /// A failure of ours; the details are in the server log only.
    Internal,
    /// `changes(since:)` (or `graphChanged(since:)`) from further back than the change log
    /// keeps; `extensions.oldestSince` is the oldest `since` it answers. Reload, then ask from
    /// the revision reloaded.
    RevisionExpired,
    /// The document is not GraphQL; the message says where (`line:column`).
    GraphqlParseFailed,
    /// The document does not fit the schema (an unknown field, a missing variable, …).
    GraphqlValidationFailed,
    /// A persisted query's hash that this server does not know: send the document with it.
    PersistedQueryNotFound,
    /// Persisted queries are turned off on this server.
    PersistedQueryNotSupported,
    /// The server runs only its trusted documents, and this is not one of them.
    DocumentNotTrusted,
    /// A mutation sent to a read replica; `extensions.writer` names the writer's URL when the
    /// replica knows it.
    ReadOnlyReplica,
    /// `Skillgraph-Min-Revision` asked for a revision this server did not reach within the
    /// wait; `extensions.revision` is where it is. Retry, or ask another server.
    RevisionNotReached,
    /// The operation needs a service this server cannot reach or does not use (NATS).
    Unavailable,
}

impl Code {
    /// Every code, in the order the README documents them.
    pub const ALL: [Code; 16] = [
        Code::NotFound,
        Code::Cycle,
        Code::InvalidInput,
        Code::Conflict,
        Code::Unauthenticated,
        Code::LimitExceeded,
        Code::Internal,
        Code::RevisionExpired,
        Code::GraphqlParseFailed,
        Code::GraphqlValidationFailed,
        Code::PersistedQueryNotFound,
        Code::PersistedQueryNotSupported,
        Code::DocumentNotTrusted,
        Code::ReadOnlyReplica,
        Code::RevisionNotReached,
        Code::Unavailable,
    ];

    /// The name clients see in `extensions.code`.
    pub const fn name(self) -> &'static str {
        match self {
            Code::NotFound => "NOT_FOUND",
            Code::Cycle => "CYCLE",
            Code::InvalidInput => "INVALID_INPUT",
            Code::Conflict => "CONFLICT",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::LimitExceeded => "LIMIT_EXCEEDED",
            Code::Internal => "INTERNAL",
            Code::RevisionExpired => "REVISION_EXPIRED",
            Code::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Code::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Code::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Code::PersistedQueryNotSupported => "PERSISTED_QUERY_NOT_SUPPORTED",
            Code::DocumentNotTrusted => "DOCUMENT_NOT_TRUSTED",
            Code::ReadOnlyReplica => "READ_ONLY_REPLICA",
            Code::RevisionNotReached => "REVISION_NOT_REACHED",
            Code::Unavailable => "UNAVAILABLE",
        }
    }

    /// The HTTP status of a transport refusal with this code. Limits that are about load
    /// (timeouts, concurrency) or size (the body) answer with their own status instead.
    pub const fn status(self) -> u16 {
        match self {
            Code::NotFound => 404,
            Code::Cycle | Code::Conflict => 409,
            Code::InvalidInput
            | Code::LimitExceeded
            | Code::GraphqlParseFailed
            | Code::GraphqlValidationFailed
            | Code::PersistedQueryNotFound
            | Code::PersistedQueryNotSupported
            | Code::DocumentNotTrusted => 400,
            Code::Unauthenticated => 401,
            Code::Internal => 500,
            Code::RevisionExpired => 410,
            Code::ReadOnlyReplica => 403,
            Code::RevisionNotReached | Code::Unavailable => 503,
        }
    }

    /// A GraphQL response body holding one error of this code: `extra` adds extensions (a
    /// limit's name and maximum, …).
    pub fn body(self, message: &str, extra: &[(&str, serde_json::Value)]) -> String {
        let mut extensions = serde_json::Map::new();
        extensions.insert("code".into(), self.name().into());
        for (key, value) in extra {
            extensions.insert((*key).into(), value.clone());
        }
        serde_json::json!({ "errors": [{ "message": message, "extensions": extensions }] })
            .to_string()
    }
}

impl Code {
    /// A refusal with this code before anything executes (so with no path and no `data`):
    /// `extra` adds extensions, as in [`Code::body`].
    pub(crate) fn server_error(
        self,
        message: impl Into<String>,
        extra: &[(&str, async_graphql::Value)],
    ) -> ServerError {
        let mut error = ServerError::new(message, None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", self.name());
        for (key, value) in extra {
            extensions.set(*key, value.clone());
        }
        error.extensions = Some(extensions);
        error
    }
}

/// A refusal of a document over the limit `name`, whose maximum is `max`.
pub(crate) fn over_limit(name: &str, max: usize, message: String) -> ServerError {
    Code::LimitExceeded.server_error(
        message,
        &[("limit", name.into()), ("max", (max as u64).into())],
    )
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything a resolver can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] domain::Error),
    #[error("internal error")]
    Internal(String),
    #[error("this operation needs an admin token: send `Authorization: Bearer <token>`")]
    Unauthenticated,
    #[error("{what} is limited to {limit}, got {got}")]
    Limit {
        /// The limit's name as configured, e.g. `maxPage`.
        name: &'static str,
        what: &'static str,
        limit: usize,
        got: usize,
    },
    #[error("{0}")]
    InvalidInput(String),
    /// The change log no longer holds the changes after `since`.
    #[error("{message}")]
    Expired { message: String, oldest: u64 },
    #[error("{}", match .writer {
        Some(url) => format!("this server is a read replica: send mutations to the writer at {url}"),
        None => "this server is a read replica: send mutations to the writer".to_owned(),
    })]
    ReadOnly { writer: Option<String> },
    #[error("{0}")]
    Unavailable(String),
}

impl From<catalog::Error> for ApiError {
    fn from(e: catalog::Error) -> Self {
        match e {
            catalog::Error::Domain(e) => ApiError::Domain(e),
            catalog::Error::Store(e) => ApiError::Internal(e.to_string()),
            e @ catalog::Error::Expired { oldest, .. } => ApiError::Expired {
                message: e.to_string(),
                oldest,
            },
            catalog::Error::ReadOnly => ApiError::ReadOnly { writer: None },
        }
    }
}

impl ApiError {
    pub fn code(&self) -> Code {
        use domain::Error as D;
        match self {
            ApiError::Domain(e) => match e {
                D::UnknownSkill(_)
                | D::UnknownRole(_)
                | D::UnknownCategory(_)
                | D::UnknownPrerequisite { .. }
                | D::UnknownGroup { .. }
                | D::UnknownRequirement { .. } => Code::NotFound,
                D::Cycle(_) => Code::Cycle,
                D::AlreadyExists { .. } | D::InUse { .. } => Code::Conflict,
                D::InvalidId { .. }
                | D::InvalidLevel(_)
                | D::InvalidInput(_)
                | D::SelfPrerequisite(_)
                | D::CategoryCycle(_) => Code::InvalidInput,
            },
            ApiError::Internal(_) => Code::Internal,
            ApiError::Unauthenticated => Code::Unauthenticated,
            ApiError::Limit { .. } => Code::LimitExceeded,
            ApiError::InvalidInput(_) => Code::InvalidInput,
            ApiError::Expired { .. } => Code::RevisionExpired,
            ApiError::ReadOnly { .. } => Code::ReadOnlyReplica,
            ApiError::Unavailable(_) => Code::Unavailable,
        }
    }

    /// The GraphQL error sent to the client; internal details go to the log only.
    pub fn into_graphql(self) -> async_graphql::Error {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error while answering a request");
        }
        let code = self.code();
        let base = async_graphql::Error::new(self.to_string());
        base.extend_with(|_, ext| {
            ext.set("code", code.name());
            match &self {
                ApiError::Domain(domain::Error::Cycle(cycle)) => {
                    ext.set(
                        "cycle",
                        cycle.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                    );
                }
                ApiError::Domain(domain::Error::InUse { users, .. }) => {
                    ext.set("usedBy", users.clone());
                }
                ApiError::Expired { oldest, .. } => {
                    ext.set("oldestSince", *oldest);
                }
                ApiError::ReadOnly {
                    writer: Some(writer),
                } => {
                    ext.set("writer", writer.as_str());
                }
                ApiError::Limit { name, limit, .. } => {
                    ext.set("limit", *name);
                    ext.set("max", *limit as u64);
                }
                _ => {}
            }
        })
    }
}

/// Turns any result whose error becomes an [`ApiError`] into a resolver result, with its code.
pub trait OrApi<T> {
    fn api(self) -> async_graphql::Result<T>;
}

impl<T, E: Into<ApiError>> OrApi<T> for Result<T, E> {
    fn api(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.into().into_graphql())
    }
}
