//! The response cache: whole `/graphql` answers kept as the bytes sent, for
//! the question an incident asks thousands of times.
//!
//! Only error-free answers of queries made of `runbook` root fields are kept
//! (`graphql::is_cacheable` says why that is sound), each with the generation
//! of every host it read. A POST with the same body, content type and answer
//! type (from `Accept`) gets the kept bytes again only when the caller may
//! read each of those hosts and each host's generation is still the recorded
//! one: the same shared check
//! the runbook cache makes, so a write through any replica shows on the very
//! next request. Memory is bounded by `--response-cache-max-bytes`; the cache
//! needs the runbook cache (which knows generations) and is off without it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use quick_cache::{Weighter, sync::Cache};

use super::protocol::Answer;
use crate::{
    auth::{Caller, can_read},
    domain::Host,
    graphql::ReadPolicy,
    runbooks::Runbooks,
};

/// The default bound: 16 MiB, some thousands of answers.
pub const DEFAULT_RESPONSE_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// A request as sent: its content type and body, and the answer type its
/// `Accept` chose (the answer's `Content-Type` depends on it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponseKey {
    content_type: Option<HeaderValue>,
    answer: Answer,
    body: Bytes,
}

impl ResponseKey {
    pub fn new(headers: &HeaderMap, body: &Bytes, answer: Answer) -> Self {
        Self {
            content_type: headers.get(header::CONTENT_TYPE).cloned(),
            answer,
            body: body.clone(),
        }
    }
}

/// An answer as sent, with what it was read from.
#[derive(Debug)]
struct Kept {
    generations: Vec<(Host, u64)>,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<ResponseKey, Arc<Kept>> for ByBytes {
    fn weight(&self, key: &ResponseKey, kept: &Arc<Kept>) -> u64 {
        let headers: usize = kept
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        let hosts: usize = kept
            .generations
            .iter()
            .map(|(h, _)| h.as_str().len() + 32)
            .sum();
        (key.body.len() + kept.body.len() + headers + hosts + 256) as u64
    }
}

/// The cache (see the module docs).
pub struct ResponseCache {
    entries: Cache<ResponseKey, Arc<Kept>, ByBytes>,
    read_policy: ReadPolicy,
}

fn record(result: &'static str) {
    metrics::counter!("response_cache_lookups_total", "result" => result).increment(1);
}

impl ResponseCache {
    /// A cache of at most `max_bytes`; None when that is 0 (off).
    pub fn new(max_bytes: u64, read_policy: ReadPolicy) -> Option<Self> {
        if max_bytes == 0 {
            return None;
        }
        // An answer weighs some kilobytes; the estimate only sizes tables.
        let estimated_items = usize::try_from(max_bytes / 4096).unwrap_or(usize::MAX);
        Some(Self {
            entries: Cache::with_weighter(estimated_items.max(16), max_bytes, ByBytes),
            read_policy,
        })
    }

    /// The kept answer to `key`, when there is one, the caller may read
    /// every host it was read from, and none of them has changed since.
    pub async fn get(
        &self,
        key: &ResponseKey,
        caller: Option<&Caller>,
        runbooks: &Runbooks,
    ) -> Option<Response> {
        let Some(kept) = self.entries.get(key) else {
            record("miss");
            return None;
        };
        runbooks.cache()?;
        for (host, generation) in &kept.generations {
            if can_read(caller, host, runbooks.default_host(), self.read_policy).is_err() {
                // Executed instead, the request gets the refusal it deserves.
                record("refused");
                return None;
            }
            match runbooks.checked_generation(host).await {
                Some(Ok(now)) if now == *generation => {}
                // Changed, or unknown: executed instead (a store error is
                // then reported by the query that meets it).
                _ => {
                    record("stale");
                    return None;
                }
            }
        }
        record("hit");
        let mut response = Response::new(Body::from(kept.body.clone()));
        *response.headers_mut() = kept.headers.clone();
        Some(response)
    }

    /// Keeps `response`, the answer to `key` read at `generations`, and
    /// returns it to be sent.
    pub async fn keep(
        &self,
        key: ResponseKey,
        generations: Vec<(Host, u64)>,
        response: Response,
    ) -> Response {
        let (parts, body) = response.into_parts();
        // The body of a GraphQL answer is one buffer already.
        let body = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(body) => body,
            Err(e) => {
                // Cannot happen for a buffered body; say so rather than send half.
                tracing::error!(error = %e, "an answer could not be read back");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the answer could not be read back",
                )
                    .into_response();
            }
        };
        // The request's bytes may share a larger buffer of the connection's;
        // a kept key owns exactly its own.
        let key = ResponseKey {
            body: Bytes::copy_from_slice(&key.body),
            ..key
        };
        self.entries.insert(
            key,
            Arc::new(Kept {
                generations,
                headers: parts.headers.clone(),
                body: body.clone(),
            }),
        );
        metrics::gauge!("response_cache_bytes").set(self.entries.weight() as f64);
        Response::from_parts(parts, Body::from(body))
    }
}
