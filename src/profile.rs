//! Profiles and the exposure switches of `serve`: GraphiQL, introspection,
//! whether reads need a token, and who may read `/metrics`.
//!
//! `--profile production` turns GraphiQL and introspection off, makes reads
//! need a token, serves `/metrics` to token bearers only, and refuses to start
//! without a token key. Flags that make it stricter still apply
//! (`--metrics off`, every limit and timeout); none can loosen it:
//! `--metrics public` is refused. HS256 secrets under 32 bytes are refused in
//! every profile.

use std::path::Path;

use clap::ValueEnum;

use crate::{
    auth::{MIN_HS256_SECRET_BYTES, Secret},
    http::MetricsAccess,
    secrets,
};

/// A set of defaults for `serve`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// Open by default: GraphiQL, introspection, public reads and metrics.
    #[default]
    Default,
    /// Locked down: see the module documentation.
    Production,
}

/// Who may read `/metrics`, as the flag says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsMode {
    /// Anyone.
    Public,
    /// A valid access token of any host, or the `--metrics-token-file` secret.
    Token,
    /// Not served.
    Off,
}

/// What `serve`'s profile and flags ask for, before resolution.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub profile: Profile,
    /// Whether any token key is configured.
    pub has_key: bool,
    pub reads_need_token: bool,
    pub no_introspection: bool,
    pub no_graphiql: bool,
    pub metrics: Option<MetricsMode>,
    pub metrics_token_file: Option<&'a Path>,
}

/// The switches the service runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switches {
    pub graphiql: bool,
    pub introspection: bool,
    pub reads_need_token: bool,
    pub metrics: MetricsAccess,
}

const KEY_FLAGS: &str = "--jwt-hs256-secret(-file), --jwt-rsa-pem, --jwt-ec-pem or --jwt-jwks";

impl Asked<'_> {
    /// The switches, or why this combination cannot start.
    pub fn resolve(&self) -> anyhow::Result<Switches> {
        let production = self.profile == Profile::Production;
        if production && !self.has_key {
            anyhow::bail!("--profile production needs a token key: {KEY_FLAGS}");
        }
        let reads_need_token = self.reads_need_token || production;
        if reads_need_token && !self.has_key {
            anyhow::bail!("--reads-need-token needs a token key ({KEY_FLAGS})");
        }
        Ok(Switches {
            graphiql: !(self.no_graphiql || production),
            introspection: !(self.no_introspection || production),
            reads_need_token,
            metrics: self.metrics_access(production, reads_need_token)?,
        })
    }

    fn metrics_access(
        &self,
        production: bool,
        reads_need_token: bool,
    ) -> anyhow::Result<MetricsAccess> {
        let wants_token = reads_need_token || self.metrics_token_file.is_some();
        let mode = self.metrics.unwrap_or(if wants_token {
            MetricsMode::Token
        } else {
            MetricsMode::Public
        });
        if self.metrics_token_file.is_some() && mode != MetricsMode::Token {
            anyhow::bail!("--metrics-token-file is used only with --metrics token");
        }
        match mode {
            MetricsMode::Public if production => anyhow::bail!(
                "--profile production serves /metrics with a token or not at all: \
                 use --metrics token or --metrics off"
            ),
            MetricsMode::Public => Ok(MetricsAccess::Public),
            MetricsMode::Off => Ok(MetricsAccess::Off),
            MetricsMode::Token => {
                let bearer = self
                    .metrics_token_file
                    .map(read_metrics_token)
                    .transpose()?;
                if bearer.is_none() && !self.has_key {
                    anyhow::bail!(
                        "--metrics token needs a token key ({KEY_FLAGS}) or --metrics-token-file"
                    );
                }
                Ok(MetricsAccess::Token { bearer })
            }
        }
    }
}

/// The scrapers' secret, as long as an HS256 secret must be.
fn read_metrics_token(path: &Path) -> anyhow::Result<Secret> {
    let token = secrets::read_secret_file(path)?;
    if token.len() < MIN_HS256_SECRET_BYTES {
        anyhow::bail!(
            "the metrics token in {} has {} bytes; at least {MIN_HS256_SECRET_BYTES} are required",
            path.display(),
            token.len()
        );
    }
    Ok(Secret::new(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(profile: Profile, has_key: bool) -> Asked<'static> {
        Asked {
            profile,
            has_key,
            reads_need_token: false,
            no_introspection: false,
            no_graphiql: false,
            metrics: None,
            metrics_token_file: None,
        }
    }

    #[test]
    fn the_default_profile_is_open_and_production_is_locked_down() {
        let open = asked(Profile::Default, false).resolve().unwrap();
        assert!(open.graphiql && open.introspection && !open.reads_need_token);
        assert_eq!(open.metrics, MetricsAccess::Public);
        let locked = asked(Profile::Production, true).resolve().unwrap();
        assert!(!locked.graphiql && !locked.introspection && locked.reads_need_token);
        assert_eq!(locked.metrics, MetricsAccess::Token { bearer: None });
    }

    #[test]
    fn production_takes_metrics_off_but_refuses_public_metrics_and_a_missing_key() {
        let off = Asked {
            metrics: Some(MetricsMode::Off),
            ..asked(Profile::Production, true)
        };
        assert_eq!(off.resolve().unwrap().metrics, MetricsAccess::Off);
        let public = Asked {
            metrics: Some(MetricsMode::Public),
            ..asked(Profile::Production, true)
        };
        let err = public.resolve().unwrap_err().to_string();
        assert!(err.contains("--metrics token or --metrics off"), "{err}");
        let err = asked(Profile::Production, false).resolve().unwrap_err();
        assert!(err.to_string().contains("needs a token key"), "{err}");
    }

    #[test]
    fn token_metrics_need_a_key_or_a_metrics_token_and_reads_needing_a_token_default_to_token() {
        let no_key = Asked {
            metrics: Some(MetricsMode::Token),
            ..asked(Profile::Default, false)
        };
        let err = no_key.resolve().unwrap_err().to_string();
        assert!(err.contains("or --metrics-token-file"), "{err}");
        let reads = Asked {
            reads_need_token: true,
            ..asked(Profile::Default, true)
        };
        assert_eq!(
            reads.resolve().unwrap().metrics,
            MetricsAccess::Token { bearer: None }
        );
    }
}
