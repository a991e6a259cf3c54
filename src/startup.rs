//! Building and running the HTTP application: open the store, seed the demo
//! when asked, bind the listener (port 0 works: the bound address is read back).

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context;
use tokio::net::TcpListener;

use crate::{
    alerts::AlertAuth,
    auth::{Authenticator, Clock, SystemClock},
    config::ServeArgs,
    demo,
    executions::{
        ExecutionSettings, Executions,
        executors::{Executors, ExecutorsConfig, TokioSleeper},
    },
    graphql::{self, QueryLimits, ReadPolicy},
    http::{
        self, AppState, HttpLimits, Metrics, MetricsAccess, alerts::AlertsState, cors::Cors,
        responses::ResponseCache, serve::ConnectionLimits,
    },
    runbooks::Runbooks,
    store,
    writes::{WriteBounds, WritePolicy, Writer},
};

/// A bound, not yet running, service.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    address: SocketAddr,
    connections: ConnectionLimits,
}

/// Everything the HTTP application is made of, besides its listener.
#[derive(Clone)]
pub struct Services {
    pub runbooks: Runbooks,
    /// Token verification; `None` when authentication is off.
    pub auth: Option<Arc<Authenticator>>,
    pub clock: Arc<dyn Clock>,
    pub write_scope: String,
    pub read_policy: ReadPolicy,
    pub query_limits: QueryLimits,
    pub http_limits: HttpLimits,
    /// Header timeout and connection cap of the accept loop.
    pub connection_limits: ConnectionLimits,
    /// Serve the schema as an Apollo Federation v2 subgraph.
    pub federation: bool,
    /// Browser origins allowed to call with credentials.
    pub cors: Cors,
    /// Executions and alert intake; `None` when the service runs without
    /// them (`Services::open`, as in tests of the read API only).
    pub executions: Option<Executions>,
    /// How alert senders authenticate.
    pub alert_auth: AlertAuth,
    /// Bound of the effective-runbook cache in bytes; 0: no cache.
    pub cache_max_bytes: u64,
    /// Bound of the response cache in bytes; 0 (or no runbook cache): none.
    pub response_cache_max_bytes: u64,
    /// Who may read `/metrics`.
    pub metrics_access: MetricsAccess,
    /// Whether `/graphiql` is served.
    pub graphiql: bool,
    /// Bounds of one write.
    pub write_bounds: WriteBounds,
}

impl Services {
    /// Open services over the given operations: no authentication, default limits.
    pub fn open(runbooks: Runbooks) -> Self {
        Self {
            runbooks,
            auth: None,
            clock: Arc::new(SystemClock),
            write_scope: crate::auth::DEFAULT_WRITE_SCOPE.to_owned(),
            read_policy: ReadPolicy::default(),
            query_limits: QueryLimits::default(),
            http_limits: HttpLimits::default(),
            connection_limits: ConnectionLimits::default(),
            federation: false,
            cors: Cors::default(),
            executions: None,
            alert_auth: AlertAuth {
                secret: None,
                scope: crate::auth::DEFAULT_WRITE_SCOPE.to_owned(),
            },
            cache_max_bytes: crate::cache::DEFAULT_RUNBOOK_CACHE_BYTES,
            response_cache_max_bytes: crate::http::responses::DEFAULT_RESPONSE_CACHE_BYTES,
            metrics_access: MetricsAccess::Public,
            graphiql: true,
            write_bounds: WriteBounds::default(),
        }
    }

    /// The services `serve`'s flags describe, over the given operations.
    pub fn from_args(args: &ServeArgs, runbooks: Runbooks) -> anyhow::Result<Self> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let config = args.auth.config()?;
        let switches = args.asked(config.has_key_source()).resolve()?;
        let auth = authenticator(&config, clock.clone())?;
        tracing::info!(
            profile = ?args.profile,
            graphiql = switches.graphiql,
            introspection = switches.introspection,
            reads_need_token = switches.reads_need_token,
            metrics = ?switches.metrics,
            "serving"
        );
        let mut query_limits = args.query_limits();
        query_limits.introspection = switches.introspection;
        Ok(Self {
            runbooks,
            auth,
            clock,
            write_scope: args.auth.write_scope.clone(),
            read_policy: ReadPolicy {
                need_token: switches.reads_need_token,
                auth_enabled: config.has_key_source(),
            },
            query_limits,
            http_limits: args.http_limits(),
            connection_limits: args.connection_limits(),
            federation: args.federation,
            cors: Cors::new(&args.cors_origins).map_err(anyhow::Error::msg)?,
            executions: None,
            alert_auth: AlertAuth {
                secret: args.executions.alert_secret()?,
                scope: (args.executions.alert_scope.clone())
                    .unwrap_or_else(|| args.auth.write_scope.clone()),
            },
            cache_max_bytes: args.cache_max_bytes,
            response_cache_max_bytes: args.response_cache_max_bytes,
            metrics_access: switches.metrics,
            graphiql: switches.graphiql,
            write_bounds: args.write_bounds(),
        })
    }

    /// The execution settings these services imply (auth, write scope) with the given flags.
    pub fn execution_settings(
        &self,
        public_url: &str,
        dedup: std::time::Duration,
    ) -> ExecutionSettings {
        ExecutionSettings {
            dedup_window: dedup,
            public_url: public_url.to_owned(),
            auth_enabled: self.auth.is_some(),
            write_scope: self.write_scope.clone(),
        }
    }
}

/// The token verifier `config` describes; `None` (with a warning) without a key.
fn authenticator(
    config: &crate::auth::AuthConfig,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Option<Arc<Authenticator>>> {
    if !config.has_key_source() {
        tracing::warn!(
            "authentication is off (no token key configured): anyone who can reach this service may read and write"
        );
        return Ok(None);
    }
    let authenticator =
        Authenticator::from_config(config, clock).context("cannot set up token verification")?;
    Ok(Some(Arc::new(authenticator)))
}

/// The executions on the store's execution store, as `serve`'s flags say.
async fn open_executions(
    args: &ServeArgs,
    services: &Services,
    store: Arc<dyn store::executions::ExecutionStore<crate::error::ApiError>>,
) -> anyhow::Result<Executions> {
    let flags = &args.executions;
    let config = match &flags.executors {
        Some(path) => ExecutorsConfig::load(path)?,
        None => ExecutorsConfig::default(),
    };
    let executors = Executors::new(config, Arc::new(TokioSleeper))?;
    let settings = services.execution_settings(
        &flags.public_url,
        std::time::Duration::from_secs(flags.alert_dedup_seconds),
    );
    Ok(Executions::new(
        services.runbooks.clone(),
        store,
        executors,
        services.clock.clone(),
        settings,
    ))
}

impl Application {
    /// Opens the store, imports the demo into an empty one unless told not to,
    /// and binds the listen address.
    pub async fn build(args: &ServeArgs) -> anyhow::Result<Self> {
        let url = args.store.url()?;
        let stores = store::open_stores(&url, &args.store.options())
            .await
            .with_context(|| format!("cannot open the store {}", redact(&url)))?;
        let runbooks = Runbooks::new(stores.runbooks, args.store.host.default_host.clone());
        let mut services = Services::from_args(args, runbooks)?;
        services.executions = Some(open_executions(args, &services, stores.executions).await?);
        if !args.no_demo {
            demo::seed_if_empty(
                services.runbooks.store().as_ref(),
                services.runbooks.default_host(),
                services.clock.as_ref(),
            )
            .await?;
        }
        Self::bind(args.listen, services).await
    }

    /// Binds a service.
    pub async fn bind(listen: SocketAddr, services: Services) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let address = listener
            .local_addr()
            .context("cannot read the bound address")?;
        if let Some(executions) = &services.executions {
            // Executions that were walking when the service stopped go on.
            executions
                .recover()
                .await
                .map_err(|e| anyhow::anyhow!("cannot resume executions: {}", e.message))?;
        }
        Ok(Self {
            listener,
            connections: services.connection_limits,
            router: app(services)?,
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
        http::serve::serve(
            self.listener,
            self.router,
            self.connections,
            shutdown_signal(),
        )
        .await
        .context("server failed")
    }
}

/// The whole service as a router.
pub fn app(services: Services) -> anyhow::Result<axum::Router> {
    let metrics = Metrics::install().map_err(anyhow::Error::msg)?;
    let mut services = services;
    services.runbooks = services.runbooks.with_cache(services.cache_max_bytes);
    // Reads are open exactly when tokens are not verified at all.
    services.read_policy.auth_enabled = services.auth.is_some();
    let writer = Writer::new(
        services.runbooks.store().clone(),
        services.clock.clone(),
        WritePolicy {
            auth_enabled: services.auth.is_some(),
            write_scope: services.write_scope.clone(),
        },
    )
    .with_bounds(services.write_bounds);
    let parts = graphql::SchemaParts {
        runbooks: services.runbooks.clone(),
        writer,
        read_policy: services.read_policy,
        limits: services.query_limits,
        executions: services.executions.clone(),
    };
    let schema = if services.federation {
        graphql::build_subgraph_schema(parts)
    } else {
        graphql::build_schema(parts)
    };
    let responses = match services.runbooks.cache() {
        Some(_) => ResponseCache::new(services.response_cache_max_bytes, services.read_policy),
        None => None,
    };
    let state = AppState {
        responses: responses.map(Arc::new),
        schema,
        runbooks: services.runbooks,
        auth: services.auth,
        metrics,
        cors: services.cors,
        alerts: AlertsState {
            executions: services.executions,
            auth: services.alert_auth,
        },
        metrics_access: services.metrics_access,
        graphiql: services.graphiql,
    };
    Ok(http::router(state, services.http_limits))
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
