//! Who may read what: pure decisions over a verified [`Caller`].
//!
//! With tokens configured, a token reads only its own host; a caller without
//! one reads only the default host (and nothing when reads need a token), and
//! never history or audit. With no key configured there are no tokens: every
//! read is open, as every write is.

use super::Caller;
use crate::{
    domain::Host,
    error::{ApiError, ApiErrorCode},
};

/// Who may read, as configured.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadPolicy {
    /// Refuse reads without a token, even of the default host.
    pub need_token: bool,
    /// Whether tokens are verified at all; when not, every read is open.
    /// The service sets it from its token configuration.
    pub auth_enabled: bool,
}

/// Whether `caller` may read `host`'s runbooks, contacts and executions.
///
/// A token reads its own host only. Without a token, only `default_host` is
/// readable, and only unless `need_token`; the refusal is the same whether or
/// not the named host holds anything.
pub fn can_read(
    caller: Option<&Caller>,
    host: &Host,
    default_host: &Host,
    policy: ReadPolicy,
) -> Result<(), ApiError> {
    if !policy.auth_enabled {
        return Ok(());
    }
    match caller {
        Some(caller) => same_host(caller, host),
        None if policy.need_token => Err(unauthenticated("reading")),
        None if host == default_host => Ok(()),
        None => Err(ApiError::new(
            ApiErrorCode::Unauthenticated,
            format!(
                "reading host {host} needs a token of that host; without one only the default host can be read"
            ),
        )),
    }
}

/// Whether `caller` may read `host`'s history and audit trail: a token of
/// that host, whatever the read policy says of other reads.
pub fn can_read_history(
    caller: Option<&Caller>,
    host: &Host,
    policy: ReadPolicy,
) -> Result<(), ApiError> {
    if !policy.auth_enabled {
        return Ok(());
    }
    token_of_host(caller, host, "reading history and audit").map(|_| ())
}

/// The caller, once it presented a token of `host`; `what` says what for.
pub fn token_of_host<'c>(
    caller: Option<&'c Caller>,
    host: &Host,
    what: &str,
) -> Result<&'c Caller, ApiError> {
    let caller = caller.ok_or_else(|| unauthenticated(what))?;
    same_host(caller, host)?;
    Ok(caller)
}

/// Refuses a token of another host.
pub(super) fn same_host(caller: &Caller, host: &Host) -> Result<(), ApiError> {
    if caller.host == *host {
        Ok(())
    } else {
        Err(ApiError::new(
            ApiErrorCode::Forbidden,
            format!("the token is for host {}, not host {host}", caller.host),
        ))
    }
}

pub(super) fn unauthenticated(what: &str) -> ApiError {
    ApiError::new(
        ApiErrorCode::Unauthenticated,
        format!("{what} needs a token; none was presented"),
    )
}
