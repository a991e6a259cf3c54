//! Command-line and environment configuration: every option is a flag and an
//! environment variable (`RUNBOOK_*`); a typo is an error at start.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand};

pub mod tools;

pub use tools::{CheckArgs, ExportArgs, ImportArgs, LintArgs};

use crate::{
    domain::Host,
    graphql::QueryLimits,
    http::{HttpLimits, serve::ConnectionLimits},
    profile::{Asked, MetricsMode, Profile},
    secrets,
    store::StoreOptions,
};

/// light-runbook: runbooks as a graph, inherited across scopes, resolved per service.
#[derive(Debug, Parser)]
#[command(name = "light-runbook", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API (imports the demo runbooks into an empty store unless --no-demo).
    Serve(Box<ServeArgs>),
    /// Validate YAML runbooks and write them to the store in one transaction.
    Import(ImportArgs),
    /// Write the store's runbooks as YAML to standard output.
    Export(ExportArgs),
    /// Validate YAML runbooks, alone or applied over a store's content; exits 1 on errors.
    Check(CheckArgs),
    /// Report what in services' effective runbooks will hurt whoever follows them; exits 1 at --fail-on.
    Lint(LintArgs),
    /// Create or upgrade the store's schema.
    Migrate(StoreArgs),
    /// Print the GraphQL schema (SDL), as checked in at schema.graphql.
    Schema(SchemaArgs),
}

/// `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the Apollo Federation v2 subgraph schema instead, as checked in at schema.subgraph.graphql.
    #[arg(long)]
    pub federation: bool,
}

/// Where the runbooks are kept.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Store URL: sqlite://PATH, postgres://USER@HOST:PORT/DB or arangodb://USER:PASSWORD@HOST:PORT/DB. A password here shows in `ps`: give it in RUNBOOK_STORE or --store-password-file instead.
    #[arg(
        long,
        env = "RUNBOOK_STORE",
        hide_env_values = true,
        default_value = "sqlite://light-runbook.db"
    )]
    pub store: String,
    /// File holding the store's password, set into the store URL (which must name a user and no password).
    #[arg(long, env = "RUNBOOK_STORE_PASSWORD_FILE")]
    pub store_password_file: Option<PathBuf>,
    /// Most connections the store's pool opens.
    #[arg(long, env = "RUNBOOK_STORE_MAX_CONNECTIONS", default_value_t = 10)]
    pub store_max_connections: u32,
    /// Seconds to wait for a store connection before failing.
    #[arg(long, env = "RUNBOOK_STORE_ACQUIRE_TIMEOUT", default_value_t = 5)]
    pub store_acquire_timeout: u64,
    #[command(flatten)]
    pub host: HostArgs,
}

impl StoreArgs {
    /// The store URL, with the password of `--store-password-file` when given.
    pub fn url(&self) -> anyhow::Result<String> {
        match &self.store_password_file {
            Some(path) => {
                secrets::url_with_password(&self.store, &secrets::read_secret_file(path)?)
            }
            None => Ok(self.store.clone()),
        }
    }

    /// The pool options these flags describe.
    pub fn options(&self) -> StoreOptions {
        StoreOptions {
            max_connections: self.store_max_connections,
            acquire_timeout: Duration::from_secs(self.store_acquire_timeout),
            ..StoreOptions::default()
        }
    }
}

/// The tenant used when a document or request names none.
#[derive(Debug, Clone, Args)]
pub struct HostArgs {
    /// Host (tenant) used when a request or YAML document names none.
    #[arg(long = "default-host", env = "RUNBOOK_DEFAULT_HOST", default_value = "lightapi.net", value_parser = parse_host)]
    pub default_host: Host,
}

fn parse_host(s: &str) -> Result<Host, String> {
    Host::parse(s).map_err(|e| e.to_string())
}

/// Token verification and access rules. With no key configured,
/// authentication is off: reads and writes are open to anyone who can reach
/// the service (writes are recorded as `anonymous`).
#[derive(Debug, Clone, Args)]
pub struct AuthArgs {
    /// Shared secret for HS256 tokens, at least 32 bytes. A flag shows in `ps`: prefer RUNBOOK_JWT_HS256_SECRET or --jwt-hs256-secret-file.
    #[arg(long, env = "RUNBOOK_JWT_HS256_SECRET", hide_env_values = true)]
    pub jwt_hs256_secret: Option<String>,
    /// File holding the HS256 secret (one trailing line ending is ignored).
    #[arg(
        long,
        env = "RUNBOOK_JWT_HS256_SECRET_FILE",
        conflicts_with = "jwt_hs256_secret"
    )]
    pub jwt_hs256_secret_file: Option<PathBuf>,
    /// PEM file with the RSA public key for RS256 tokens.
    #[arg(long, env = "RUNBOOK_JWT_RSA_PEM")]
    pub jwt_rsa_pem: Option<PathBuf>,
    /// PEM file with the P-256 public key for ES256 tokens.
    #[arg(long, env = "RUNBOOK_JWT_EC_PEM")]
    pub jwt_ec_pem: Option<PathBuf>,
    /// JWKS file with RS256/ES256 public keys, chosen by the token's `kid`.
    #[arg(long, env = "RUNBOOK_JWT_JWKS")]
    pub jwt_jwks: Option<PathBuf>,
    /// Required token issuer (`iss`), e.g. urn:com:networknt:oauth2:v1.
    #[arg(long, env = "RUNBOOK_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,
    /// Required token audience (`aud`), e.g. urn:com.networknt.
    #[arg(long, env = "RUNBOOK_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,
    /// Clock skew allowed on `exp` and `nbf`, in seconds (at most 300).
    #[arg(long, env = "RUNBOOK_JWT_LEEWAY", default_value_t = crate::auth::DEFAULT_LEEWAY_SECONDS)]
    pub jwt_leeway: u64,
    /// Token scope (`scp`) that writes need.
    #[arg(long, env = "RUNBOOK_WRITE_SCOPE", default_value = crate::auth::DEFAULT_WRITE_SCOPE)]
    pub write_scope: String,
    /// Refuse reads without a valid token (by default anonymous callers read the default host only).
    #[arg(long, env = "RUNBOOK_READS_NEED_TOKEN")]
    pub reads_need_token: bool,
}

impl AuthArgs {
    /// The authentication settings these flags describe; reads the secret file.
    pub fn config(&self) -> anyhow::Result<crate::auth::AuthConfig> {
        let mut config = crate::auth::AuthConfig::new().with_leeway_seconds(self.jwt_leeway);
        let secret = secrets::value_or_file(
            self.jwt_hs256_secret.as_deref(),
            self.jwt_hs256_secret_file.as_deref(),
        )?;
        if let Some(secret) = secret {
            config = config.with_hs256_secret(secret);
        }
        if let Some(path) = &self.jwt_rsa_pem {
            config = config.with_rsa_pem_file(path);
        }
        if let Some(path) = &self.jwt_ec_pem {
            config = config.with_ec_pem_file(path);
        }
        if let Some(path) = &self.jwt_jwks {
            config = config.with_jwks_file(path);
        }
        if let Some(issuer) = &self.jwt_issuer {
            config = config.with_issuer(issuer);
        }
        if let Some(audience) = &self.jwt_audience {
            config = config.with_audience(audience);
        }
        Ok(config)
    }
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub auth: AuthArgs,
    /// Address to listen on.
    #[arg(long, env = "RUNBOOK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Do not import the demo runbooks into an empty store.
    #[arg(long, env = "RUNBOOK_NO_DEMO")]
    pub no_demo: bool,
    /// Deepest field nesting a query may have.
    #[arg(long, env = "RUNBOOK_MAX_DEPTH", default_value_t = QueryLimits::default().depth)]
    pub max_depth: usize,
    /// Highest complexity a query may have.
    #[arg(long, env = "RUNBOOK_MAX_COMPLEXITY", default_value_t = QueryLimits::default().complexity)]
    pub max_complexity: usize,
    /// Most aliased fields a query may have.
    #[arg(long, env = "RUNBOOK_MAX_ALIASES", default_value_t = QueryLimits::default().aliases)]
    pub max_aliases: usize,
    /// Most objects of the runbook tree (procedures, branches, targets,
    /// layers) one answer may hold; past it the query is refused LIMIT_EXCEEDED.
    #[arg(long, env = "RUNBOOK_MAX_ANSWER_OBJECTS", default_value_t = QueryLimits::default().answer_objects)]
    pub max_answer_objects: usize,
    /// Refuse `__schema`/`__type` introspection, the subgraph's `_service`, and
    /// field suggestions in errors.
    #[arg(long, env = "RUNBOOK_NO_INTROSPECTION")]
    pub no_introspection: bool,
    /// `production`: no GraphiQL or introspection, reads and /metrics need a token, a token key is required (stricter flags such as --metrics off still apply).
    #[arg(long, env = "RUNBOOK_PROFILE", value_enum, default_value_t = Profile::Default)]
    pub profile: Profile,
    /// Do not serve the GraphiQL page at /graphiql.
    #[arg(long, env = "RUNBOOK_NO_GRAPHIQL")]
    pub no_graphiql: bool,
    /// Who may read /metrics: `public`, `token` (an access token of any host, or the --metrics-token-file secret) or `off`; default: `token` when reads need a token or a metrics token is given, else `public`.
    #[arg(long, env = "RUNBOOK_METRICS", value_enum)]
    pub metrics: Option<MetricsMode>,
    /// File holding a static bearer secret (at least 32 bytes) for metrics scrapers, e.g. Prometheus' `authorization.credentials_file`.
    #[arg(long, env = "RUNBOOK_METRICS_TOKEN_FILE")]
    pub metrics_token_file: Option<PathBuf>,
    /// Largest request body, in bytes.
    #[arg(long, env = "RUNBOOK_BODY_LIMIT", default_value_t = HttpLimits::default().body_bytes)]
    pub body_limit: usize,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, env = "RUNBOOK_REQUEST_TIMEOUT", default_value_t = HttpLimits::default().timeout.as_secs())]
    pub request_timeout: u64,
    /// Seconds a client may take to send a request's headers; also how long a kept-alive connection may stay idle. Past it the connection is closed.
    #[arg(long, env = "RUNBOOK_HEADER_TIMEOUT", default_value_t = crate::http::serve::DEFAULT_HEADER_TIMEOUT_SECONDS, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a client may take to send a request's body before it is answered 408.
    #[arg(long, env = "RUNBOOK_BODY_TIMEOUT", default_value_t = crate::http::DEFAULT_BODY_TIMEOUT_SECONDS, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout: u64,
    /// Most connections served at once; past it new clients wait until one closes.
    #[arg(long, env = "RUNBOOK_MAX_CONNECTIONS", default_value_t = crate::http::serve::DEFAULT_MAX_CONNECTIONS, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Serve the schema as an Apollo Federation v2 subgraph (adds `_service`, `_entities` and the entities), for a supergraph gateway.
    #[arg(long, env = "RUNBOOK_FEDERATION")]
    pub federation: bool,
    /// Browser origin allowed to call the service with credentials, e.g. https://portal.example.com (repeatable; the variable is comma-separated).
    #[arg(long = "cors-origin", value_name = "ORIGIN", env = "RUNBOOK_CORS_ORIGINS", value_delimiter = ',', value_parser = crate::http::cors::parse_origin)]
    pub cors_origins: Vec<String>,
    /// Most bytes (estimated) the effective-runbook cache holds; 0 turns it off.
    #[arg(long, env = "RUNBOOK_CACHE_MAX_BYTES", default_value_t = crate::cache::DEFAULT_RUNBOOK_CACHE_BYTES)]
    pub cache_max_bytes: u64,
    /// Most bytes the response cache (whole answers to `runbook` queries) holds; 0 turns it off, as does turning off the runbook cache.
    #[arg(long, env = "RUNBOOK_RESPONSE_CACHE_MAX_BYTES", default_value_t = crate::http::responses::DEFAULT_RESPONSE_CACHE_BYTES)]
    pub response_cache_max_bytes: u64,
    /// Most scopes one write (a mutation, an import, a restore) may change or delete; past it the write is refused LIMIT_EXCEEDED.
    #[arg(long, env = "RUNBOOK_MAX_WRITE_SCOPES", default_value_t = crate::writes::DEFAULT_MAX_WRITE_SCOPES, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_write_scopes: usize,
    /// Most services one write may reach, each re-checked; past it the write is refused LIMIT_EXCEEDED before any is checked.
    #[arg(long, env = "RUNBOOK_MAX_WRITE_SERVICES", default_value_t = crate::writes::DEFAULT_MAX_WRITE_SERVICES, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_write_services: usize,
    #[command(flatten)]
    pub executions: ExecutionArgs,
}

impl ServeArgs {
    /// The bounds of one write these flags set.
    pub fn write_bounds(&self) -> crate::writes::WriteBounds {
        crate::writes::WriteBounds {
            max_scopes: self.max_write_scopes,
            max_services: self.max_write_services,
        }
    }
}

/// Alerts and executions.
#[derive(Debug, Clone, Args)]
pub struct ExecutionArgs {
    /// Base URL of the deep links printed in responses (`{url}/executions/{id}`).
    #[arg(
        long,
        env = "RUNBOOK_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,
    /// Shared secret alert senders may present in `X-Alert-Secret` instead of a token. A flag shows in `ps`: prefer RUNBOOK_ALERT_SECRET or --alert-secret-file.
    #[arg(long, env = "RUNBOOK_ALERT_SECRET", hide_env_values = true)]
    pub alert_secret: Option<String>,
    /// File holding the alert secret (one trailing line ending is ignored).
    #[arg(
        long,
        env = "RUNBOOK_ALERT_SECRET_FILE",
        conflicts_with = "alert_secret"
    )]
    pub alert_secret_file: Option<PathBuf>,
    /// Token scope (`scp`) a bearer token needs to post alerts; default: the write scope.
    #[arg(long, env = "RUNBOOK_ALERT_SCOPE")]
    pub alert_scope: Option<String>,
    /// Seconds after its last alert during which an alert joins an open
    /// execution of the same service and code instead of starting another.
    #[arg(long, env = "RUNBOOK_ALERT_DEDUP_SECONDS", default_value_t = 900)]
    pub alert_dedup_seconds: u64,
    /// YAML file naming the HTTP executors automated steps may call.
    #[arg(long, env = "RUNBOOK_EXECUTORS")]
    pub executors: Option<PathBuf>,
}

impl ServeArgs {
    /// The query limits these flags describe.
    pub fn query_limits(&self) -> QueryLimits {
        QueryLimits {
            depth: self.max_depth,
            complexity: self.max_complexity,
            aliases: self.max_aliases,
            introspection: !self.no_introspection,
            answer_objects: self.max_answer_objects,
        }
    }

    /// What the profile and the exposure flags ask for, given whether a token key is configured.
    pub fn asked(&self, has_key: bool) -> Asked<'_> {
        Asked {
            profile: self.profile,
            has_key,
            reads_need_token: self.auth.reads_need_token,
            no_introspection: self.no_introspection,
            no_graphiql: self.no_graphiql,
            metrics: self.metrics,
            metrics_token_file: self.metrics_token_file.as_deref(),
        }
    }

    /// The HTTP limits these flags describe.
    pub fn http_limits(&self) -> HttpLimits {
        HttpLimits {
            body_bytes: self.body_limit,
            timeout: Duration::from_secs(self.request_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
        }
    }

    /// The connection limits these flags describe.
    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: Duration::from_secs(self.header_timeout),
            max_connections: self.max_connections,
        }
    }
}

impl ExecutionArgs {
    /// The alert secret, from its flag or its file.
    pub fn alert_secret(&self) -> anyhow::Result<Option<String>> {
        secrets::value_or_file(
            self.alert_secret.as_deref(),
            self.alert_secret_file.as_deref(),
        )
    }
}
