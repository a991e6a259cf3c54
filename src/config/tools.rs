//! The arguments of the commands that work on runbooks without serving
//! them: `import`, `export`, `check`, `lint`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{HostArgs, StoreArgs};

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
    /// SCOPE=REV, repeatable: the revision the file was based on (`export --scope ID` prints it;
    /// 0 for a new scope). A scope changed since writes nothing and exits 3, naming what
    /// changed. Revisions are not read from the YAML; scopes without one are unchecked.
    #[arg(long = "base-revision", value_name = "SCOPE=REV", value_parser = crate::writes::base::parse_flag)]
    pub base_revisions: Vec<(crate::domain::ScopeId, u64)>,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Export only these scopes (repeatable; revisions on stderr); default: all of the host.
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
    #[arg(long, env = "RUNBOOK_CHECK_STORE", hide_env_values = true)]
    pub store: Option<String>,
    #[command(flatten)]
    pub host: HostArgs,
}

/// The least severe finding that makes `lint` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Never: report only.
    Never,
}

/// `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Lint only these services (repeatable); default: every service of the host.
    #[arg(long = "service")]
    pub services: Vec<String>,
    /// Host to lint; default: the default host.
    #[arg(long)]
    pub host: Option<String>,
    /// Exit 1 when a finding at least this severe is found.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
}
