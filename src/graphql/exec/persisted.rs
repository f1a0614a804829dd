//! Documents known by their hash: automatic persisted queries (Apollo's protocol, registered
//! by clients) and trusted documents (the index of the file the configuration read, when only
//! those may run).
//!
//! Knows the configuration, the error codes and the size scan only.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Request, ServerError};
use sha2::{Digest, Sha256};

use super::scan::scan;
use crate::config::{Limits, TrustedDocuments};
use crate::graphql::error::Code;

/// Puts the document a request names by hash into it (or, with trusted documents, checks the
/// one it sends), registering a document sent with its hash; refuses what the server's
/// persisted-query setting does not allow.
pub(super) fn resolve(
    request: &mut Request,
    persisted: Option<&PersistedQueries>,
    trusted: Option<&TrustedIndex>,
    limits: &Limits,
) -> Result<(), ServerError> {
    let hash = match persisted_hash(request) {
        Ok(hash) => hash,
        Err(message) => return Err(Code::InvalidInput.server_error(message, &[])),
    };
    if let Some(trusted) = trusted {
        return trusted.resolve(request, hash.as_deref());
    }
    let Some(hash) = hash else {
        return Ok(());
    };
    let Some(store) = persisted else {
        return Err(Code::PersistedQueryNotSupported.server_error(
            "persisted queries are turned off on this server: send the document",
            &[],
        ));
    };
    if request.query.is_empty() {
        match store.get(&hash) {
            Some(text) => request.query = text.to_string(),
            None => {
                return Err(
                    Code::PersistedQueryNotFound.server_error("PersistedQueryNotFound", &[])
                );
            }
        }
    } else {
        if sha256_hex(&request.query) != hash {
            return Err(Code::InvalidInput.server_error(
                "the persisted query's sha256Hash is not the hash of the document sent",
                &[],
            ));
        }
        // Only documents that pass the size scan are worth remembering.
        scan(&request.query, limits)?;
        store.insert(hash, &request.query);
    }
    Ok(())
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
    pub(super) fn new(bytes: u64) -> Self {
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
pub(super) struct TrustedIndex {
    by_id: HashMap<String, Arc<str>>,
}

impl TrustedIndex {
    pub(super) fn new(documents: &TrustedDocuments) -> Self {
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
            None if request.query.is_empty() => {
                Err(Code::PersistedQueryNotFound.server_error("PersistedQueryNotFound", &[]))
            }
            // A trusted document sent under another's hash, or under a wrong one.
            Some(_) | None if self.by_id.contains_key(&sha256_hex(&request.query)) => {
                Err(Code::InvalidInput.server_error(
                    "the persisted query's sha256Hash is not the hash of the document sent",
                    &[],
                ))
            }
            _ => Err(Code::DocumentNotTrusted.server_error(
                "this server runs only its trusted documents, and this is not one of them",
                &[],
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_hex_of_the_text() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
