//! The response cache: serialized answers of read-only GraphQL requests.
//!
//! Every answer to a query is a function of the request as sent (document, operation,
//! variables and extensions), the graph revision it read, and who asked (anonymous or admin).
//! The key is exactly that: the raw request bytes, the revision of the snapshot the request
//! pinned (with the catalog's lineage, which a replica's reload of a snapshot moves, since the
//! same revision number may then name another graph), and the caller's scope. So:
//! - a write never needs to find the entries it makes stale: its revision is in no key yet;
//!   the first request that sees a newer revision empties the cache to free the memory;
//! - an answer of an older revision is never served after a write is acknowledged, because
//!   the catalog publishes the new snapshot before the write returns, and every request that
//!   starts afterwards pins it (and asks for a key with the new revision);
//! - admin and anonymous answers never mix, even for queries that answer the same today.
//!
//! Only queries are stored (a mutation or subscription is never looked up: its bytes never
//! match a stored query's), and only answers without errors: a timeout or an internal error
//! must not be remembered. Concurrent identical requests compute once (moka's
//! `try_get_with` coalesces them); waiters receive the same answer, errors included.
//!
//! Bounded by bytes (`--response-cache-mb`, 0 turns it off), evicting the least useful
//! entries first (moka's TinyLFU). Answers carry an `ETag` (the revision and a hash of the
//! body); a GET that presents it in `If-None-Match` gets `304 Not Modified`.
//!
//! Parsed documents are cached apart from answers, in `graphql::exec::documents`.

use std::hash::{BuildHasher, Hash};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::http::HeaderValue;
use moka::future::Cache;

/// What an answer depends on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    revision: u64,
    /// The catalog's lineage: a replica that reloads a snapshot may reach a revision number
    /// again with another graph.
    lineage: u64,
    admin: bool,
    /// `true` for GET (the URL's query string), `false` for a POST body: the two encode the
    /// same request differently, and must not collide.
    get: bool,
    request: Bytes,
}

impl Key {
    pub fn new(revision: u64, admin: bool, get: bool, request: Bytes) -> Self {
        Key {
            revision,
            lineage: 0,
            admin,
            get,
            request,
        }
    }

    /// The same request, read at `revision` of `lineage` by a caller of that scope.
    pub fn scoped(self, revision: u64, lineage: u64, admin: bool) -> Self {
        Key {
            revision,
            lineage,
            admin,
            ..self
        }
    }

    pub fn lineage(&self) -> u64 {
        self.lineage
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_get(&self) -> bool {
        self.get
    }
}

/// A stored answer: the serialized JSON and what its entity tags are made of.
#[derive(Debug)]
pub struct Answer {
    pub body: Bytes,
    /// The revision and a hash of the body.
    tag: String,
}

impl Answer {
    pub fn new(revision: u64, body: Bytes) -> Self {
        let hash = rustc_hash::FxBuildHasher.hash_one(&body[..]);
        Answer {
            body,
            tag: format!("r{revision}-{hash:016x}"),
        }
    }

    /// The entity tag of this answer as sent with one media type or the other: the same
    /// bytes as `application/json` and as `application/graphql-response+json` are two
    /// representations, and a strong tag names one (RFC 9110 §8.8.1).
    pub fn etag(&self, graphql_response: bool) -> HeaderValue {
        let kind = if graphql_response { 'g' } else { 'j' };
        HeaderValue::from_str(&format!("\"{}-{kind}\"", self.tag))
            .expect("an entity tag of hex digits is a valid header value")
    }

    /// Whether an `If-None-Match` header names `etag` (in a list, weakly, or as `*`).
    pub fn matches(etag: &HeaderValue, if_none_match: &HeaderValue) -> bool {
        let Ok(tags) = if_none_match.to_str() else {
            return false;
        };
        let ours = etag.to_str().unwrap_or("");
        tags.split(',').map(str::trim).any(|tag| {
            tag == "*" || tag == ours || tag.strip_prefix("W/").is_some_and(|t| t == ours)
        })
    }
}

pub struct ResponseCache {
    answers: Cache<Key, Arc<Answer>>,
    /// The newest lineage and revision seen, packed so that one `fetch_max` orders them
    /// (the lineage in the top 16 bits); older entries are dropped when it moves.
    revision: AtomicU64,
}

impl ResponseCache {
    /// A cache holding up to `bytes` of keys and answers; `None` when `bytes` is 0.
    pub fn new(bytes: u64) -> Option<Self> {
        if bytes == 0 {
            return None;
        }
        let answers = Cache::builder()
            .max_capacity(bytes)
            .weigher(|key: &Key, answer: &Arc<Answer>| {
                // The bookkeeping of an entry is about a hundred bytes besides the two buffers.
                u32::try_from(key.request.len() + answer.body.len() + 128).unwrap_or(u32::MAX)
            })
            .build();
        Some(ResponseCache {
            answers,
            revision: AtomicU64::new(0),
        })
    }

    /// Notes the revision a request reads; a newer one than seen so far makes every stored
    /// answer stale, so they go at once instead of waiting for eviction.
    pub fn observe(&self, lineage: u64, revision: u64) {
        const REVISION_BITS: u32 = 48;
        let packed =
            (lineage.min(0xFFFF) << REVISION_BITS) | revision.min((1 << REVISION_BITS) - 1);
        if self.revision.fetch_max(packed, Ordering::AcqRel) < packed {
            self.answers.invalidate_all();
        }
    }

    pub async fn get(&self, key: &Key) -> Option<Arc<Answer>> {
        self.answers.get(key).await
    }

    /// The stored answer for `key`, or the one `compute` gives, stored when it is `Ok`.
    /// Concurrent calls for one key run `compute` once; the others wait and share its result.
    pub async fn get_or_compute<E: Send + Sync + 'static>(
        &self,
        key: Key,
        compute: impl Future<Output = Result<Arc<Answer>, E>>,
    ) -> Result<Arc<Answer>, Arc<E>> {
        self.answers.try_get_with(key, compute).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entity_tag_matches_itself_in_a_list_weak_or_strong_and_star() {
        let answer = Answer::new(7, Bytes::from_static(b"{\"data\":{}}"));
        let etag = answer.etag(false);
        let tag = etag.to_str().unwrap().to_owned();
        assert!(tag.starts_with("\"r7-"));
        for header in [
            tag.clone(),
            format!("\"x\", {tag}"),
            format!("W/{tag}"),
            "*".into(),
        ] {
            let header = HeaderValue::from_str(&header).unwrap();
            assert!(Answer::matches(&etag, &header), "{header:?}");
        }
        let stale = HeaderValue::from_static("\"r7-0000000000000000-j\"");
        assert!(!Answer::matches(&etag, &stale));
        assert!(
            !Answer::matches(&answer.etag(true), &HeaderValue::from_str(&tag).unwrap()),
            "each media type has its own tag"
        );
        let other = Answer::new(8, Bytes::from_static(b"{\"data\":{}}"));
        assert_ne!(other.etag(false), etag, "the revision is part of the tag");
    }
}
