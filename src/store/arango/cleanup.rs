//! A request that must reach the server when work is left unfinished:
//! deleting an unread cursor, aborting a stream transaction.
//!
//! The caller runs it on its error paths; if the future doing the work is
//! dropped instead (a client timeout, a caller that went away), `Drop`
//! sends it from a task of its own, so that a transaction does not hold its
//! exclusive locks until the server's idle timeout (60 s by default).

use http::Method;
use serde_json::Value;

use super::client::Api;

/// A request sent on [`Cleanup::run`] or on drop, unless disarmed first.
pub struct Cleanup {
    pending: Option<(Api, Method, String)>,
}

impl Cleanup {
    /// Arms `method path` on `api`.
    pub fn new(api: Api, method: Method, path: String) -> Self {
        Self {
            pending: Some((api, method, path)),
        }
    }

    /// The work finished: nothing to clean up.
    pub fn disarm(&mut self) {
        self.pending = None;
    }

    /// Sends the request now; a failure is logged, not returned (the
    /// server drops cursors and idle transactions by itself in the end).
    pub async fn run(&mut self) {
        if let Some((api, method, path)) = self.pending.take() {
            send(api, method, path).await;
        }
    }
}

async fn send(api: Api, method: Method, path: String) {
    if let Err(e) = api.call::<Value>(method.clone(), &path, None).await {
        tracing::warn!(%method, path, error = %e, "ArangoDB clean-up request failed");
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let Some((api, method, path)) = self.pending.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(send(api, method, path));
            }
            Err(_) => tracing::warn!(%method, path, "no runtime left to send an ArangoDB clean-up"),
        }
    }
}
