//! The accept loop: HTTP/1.1 connections served by hyper with bounds that
//! `axum::serve` does not set, so slow or idle clients cannot hold the
//! service's sockets.
//!
//! - A client must send a request's headers within the header timeout, which
//!   also bounds how long a kept-alive connection may sit idle between
//!   requests; past it, the connection is closed without an answer.
//! - At most `max_connections` connections are served at once. Past that the
//!   service accepts no more until one closes: new clients wait in the
//!   kernel's listen queue instead of being refused.
//! - Request bodies are bounded by the router's body timeout
//!   ([`super::body_timeout`]).
//!
//! hyper's HTTP/1 builder is used directly, not hyper-util's version-sniffing
//! one: that one reads the first bytes of a connection to tell HTTP/1 from
//! HTTP/2 with no timeout, so a client that sends nothing would escape the
//! header timeout. WebSocket upgrades are kept (`with_upgrades`).

use std::{future::Future, io, sync::Arc, time::Duration};

use hyper::server::conn::http1;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore, watch},
};

/// Bounds on connections, applied by [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Longest time a client may take to send a request's headers, and
    /// longest a kept-alive connection may stay idle.
    pub header_timeout: Duration,
    /// Most connections served at once.
    pub max_connections: u32,
}

/// The default header timeout, in seconds.
pub const DEFAULT_HEADER_TIMEOUT_SECONDS: u64 = 10;

/// The default cap on open connections: under the usual soft limit of 1024
/// open files, with room for the store's pool and the log.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 512;

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECONDS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the
/// open connections finish their requests (idle ones close at once).
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections as usize));
    let (stop, stopping) = watch::channel(false);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => slot.map_err(io::Error::other)?,
        };
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
        };
        let connection = Connection {
            builder: builder.clone(),
            router: router.clone(),
            stopping: stopping.clone(),
            _slot: slot,
        };
        tokio::spawn(connection.run(stream));
    }
    // Every connection holds a slot until it ends: having them all back
    // means every connection has finished.
    let _ = stop.send(true);
    let _all = slots
        .acquire_many(limits.max_connections)
        .await
        .map_err(io::Error::other)?;
    Ok(())
}

/// One accepted connection and what it needs.
struct Connection {
    builder: http1::Builder,
    router: axum::Router,
    stopping: watch::Receiver<bool>,
    /// Given back when the connection ends.
    _slot: OwnedSemaphorePermit,
}

impl Connection {
    async fn run(mut self, stream: TcpStream) {
        let service = TowerToHyperService::new(self.router);
        let connection = self
            .builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        tokio::pin!(connection);
        let result = tokio::select! {
            result = connection.as_mut() => result,
            // The value only ever changes to `true`; a closed channel means
            // the loop is gone, a stop as well.
            _ = self.stopping.changed() => {
                connection.as_mut().graceful_shutdown();
                connection.await
            }
        };
        if let Err(e) = result {
            tracing::debug!(error = %e, "connection ended with an error");
        }
    }
}

/// Waits after a failed accept that is not the client's doing (such as
/// running out of file descriptors), so the loop does not spin.
async fn accept_failed(e: io::Error) {
    let client_side = matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    );
    if !client_side {
        tracing::error!(error = %e, "cannot accept a connection");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
