//! The one place where errors become GraphQL errors with a stable `extensions.code`.
//!
//! Codes are the contract; messages may improve. Domain errors keep their message (a cycle names
//! itself, a conflict lists who is in the way). Storage errors are logged in full and sent only
//! as `internal error`: sled's text never reaches a client.
//!
//! async-graphql converts anything `Display` into an error through a blanket `From`, which would
//! copy an internal message into the response and drop the code. So resolvers never use `?` on a
//! catalog or domain result directly: they call [`OrApi::api`] first.

use async_graphql::ErrorExtensions;

use crate::catalog;
use crate::domain;

/// The stable codes clients can branch on.
pub mod code {
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const CYCLE: &str = "CYCLE";
    pub const INVALID_INPUT: &str = "INVALID_INPUT";
    pub const CONFLICT: &str = "CONFLICT";
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    pub const LIMIT_EXCEEDED: &str = "LIMIT_EXCEEDED";
    pub const INTERNAL: &str = "INTERNAL";
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
}

impl From<catalog::Error> for ApiError {
    fn from(e: catalog::Error) -> Self {
        match e {
            catalog::Error::Domain(e) => ApiError::Domain(e),
            catalog::Error::Store(e) => ApiError::Internal(e.to_string()),
        }
    }
}

impl ApiError {
    fn code(&self) -> &'static str {
        use domain::Error as D;
        match self {
            ApiError::Domain(e) => match e {
                D::UnknownSkill(_)
                | D::UnknownRole(_)
                | D::UnknownCategory(_)
                | D::UnknownPrerequisite { .. }
                | D::UnknownRequirement { .. } => code::NOT_FOUND,
                D::Cycle(_) => code::CYCLE,
                D::AlreadyExists { .. } | D::InUse { .. } => code::CONFLICT,
                D::InvalidId { .. }
                | D::InvalidLevel(_)
                | D::InvalidInput(_)
                | D::SelfPrerequisite(_)
                | D::CategoryCycle(_) => code::INVALID_INPUT,
            },
            ApiError::Internal(_) => code::INTERNAL,
            ApiError::Unauthenticated => code::UNAUTHENTICATED,
            ApiError::Limit { .. } => code::LIMIT_EXCEEDED,
            ApiError::InvalidInput(_) => code::INVALID_INPUT,
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
            ext.set("code", code);
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
