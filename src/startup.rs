//! Building and running the HTTP application: open the store, seed the demo
//! when asked, bind the listener (port 0 works: the bound address is read back).

use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::{
    config::ServeArgs,
    demo,
    graphql::{self, QueryLimits},
    http::{self, AppState, HttpLimits, Metrics},
    runbooks::Runbooks,
    store,
};

/// A bound, not yet running, service.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    address: SocketAddr,
}

impl Application {
    /// Opens the store, imports the demo into an empty one unless told not to,
    /// and binds the listen address.
    pub async fn build(args: &ServeArgs) -> anyhow::Result<Self> {
        let store = store::open(&args.store.store, &args.store.options())
            .await
            .with_context(|| format!("cannot open the store {}", redact(&args.store.store)))?;
        let runbooks = Runbooks::new(store, args.store.host.default_host.clone());
        if !args.no_demo {
            demo::seed_if_empty(&runbooks).await?;
        }
        Self::bind(
            args.listen,
            runbooks,
            args.query_limits(),
            args.http_limits(),
        )
        .await
    }

    /// Binds a service over the given operations.
    pub async fn bind(
        listen: SocketAddr,
        runbooks: Runbooks,
        query_limits: QueryLimits,
        http_limits: HttpLimits,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let address = listener
            .local_addr()
            .context("cannot read the bound address")?;
        Ok(Self {
            listener,
            router: app(runbooks, query_limits, http_limits)?,
            address,
        })
    }

    /// The address actually bound.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(address = %self.address, "light-runbook listening");
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server failed")
    }
}

/// The whole service as a router over the given operations.
pub fn app(
    runbooks: Runbooks,
    query_limits: QueryLimits,
    http_limits: HttpLimits,
) -> anyhow::Result<axum::Router> {
    let metrics = Metrics::install().map_err(anyhow::Error::msg)?;
    let state = AppState {
        schema: graphql::build_schema(runbooks.clone(), query_limits),
        runbooks,
        metrics,
    };
    Ok(http::router(state, http_limits))
}

/// A store URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("****"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
