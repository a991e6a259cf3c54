//! Command-line and environment configuration: every option is a flag and an
//! environment variable (`RUNBOOK_*`); a typo is an error at start.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand};

use crate::{domain::Host, graphql::QueryLimits, http::HttpLimits, store::StoreOptions};

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
    Serve(ServeArgs),
    /// Validate YAML runbooks and write them to the store in one transaction.
    Import(ImportArgs),
    /// Write the store's runbooks as YAML to standard output.
    Export(ExportArgs),
    /// Validate YAML runbooks, alone or applied over a store's content; exits 1 on errors.
    Check(CheckArgs),
    /// Create or upgrade the store's schema.
    Migrate(StoreArgs),
    /// Print the GraphQL schema (SDL), as checked in at schema.graphql.
    Schema,
}

/// Where the runbooks are kept.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Store URL: sqlite://PATH, postgres://USER@HOST:PORT/DB or arangodb://USER:PASSWORD@HOST:PORT/DB.
    #[arg(
        long,
        env = "RUNBOOK_STORE",
        default_value = "sqlite://light-runbook.db"
    )]
    pub store: String,
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

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
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
    /// Refuse `__schema`/`__type` introspection.
    #[arg(long, env = "RUNBOOK_NO_INTROSPECTION")]
    pub no_introspection: bool,
    /// Largest request body, in bytes.
    #[arg(long, env = "RUNBOOK_BODY_LIMIT", default_value_t = HttpLimits::default().body_bytes)]
    pub body_limit: usize,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, env = "RUNBOOK_REQUEST_TIMEOUT", default_value_t = HttpLimits::default().timeout.as_secs())]
    pub request_timeout: u64,
}

impl ServeArgs {
    /// The query limits these flags describe.
    pub fn query_limits(&self) -> QueryLimits {
        QueryLimits {
            depth: self.max_depth,
            complexity: self.max_complexity,
            aliases: self.max_aliases,
            introspection: !self.no_introspection,
        }
    }

    /// The HTTP limits these flags describe.
    pub fn http_limits(&self) -> HttpLimits {
        HttpLimits {
            body_bytes: self.body_limit,
            timeout: Duration::from_secs(self.request_timeout),
        }
    }
}

/// `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// YAML files or directories (every *.yml / *.yaml inside, recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Validate and report what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Export only these scopes (repeatable); default: every scope of the host.
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    /// Host to export; default: the default host.
    #[arg(long)]
    pub host: Option<String>,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// YAML files or directories.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Check the files applied over this store's content (default: the files alone).
    #[arg(long, env = "RUNBOOK_CHECK_STORE")]
    pub store: Option<String>,
    #[command(flatten)]
    pub host: HostArgs,
}
