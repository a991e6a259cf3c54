//! Who may read and write what: pure decisions over a verified [`Caller`].
//!
//! A token acts only within its own host (reads: [`super::read`]). Writing needs the write scope in
//! `scp`; role `admin` then writes everything in its host, anyone else only
//! the scopes they own. Scopes list their owners as user ids (`NAME` or
//! `user:NAME`) and roles (`role:NAME`), each matched against its own kind only.

use crate::{
    domain::{Host, Owner, ScopeId},
    error::{ApiError, ApiErrorCode},
};

use super::{Caller, read::token_of_host};

/// The scope a token needs in `scp` to write, unless configured otherwise.
pub const DEFAULT_WRITE_SCOPE: &str = "portal.w";

/// The role that may write every scope of its host.
pub const ADMIN_ROLE: &str = "admin";

/// Whether `caller` may change an existing scope of `host`.
///
/// `owners_of_target_and_ancestors` starts with the target scope and its
/// owners; only the target's own owners count (ownership of an ancestor does
/// not extend to its descendants), the rest is accepted for context.
pub fn can_write(
    caller: Option<&Caller>,
    host: &Host,
    write_scope: &str,
    owners_of_target_and_ancestors: &[(ScopeId, Vec<String>)],
) -> Result<(), ApiError> {
    let caller = writer(caller, host, write_scope)?;
    if caller.has_role(ADMIN_ROLE) {
        return Ok(());
    }
    let Some((target, owners)) = owners_of_target_and_ancestors.first() else {
        return Err(forbidden("no target scope was given to check ownership of"));
    };
    if owns(caller, owners) {
        Ok(())
    } else {
        Err(forbidden(format!(
            "{} is not an owner of scope {target} (by user id or `role:` entry) and is not {ADMIN_ROLE}",
            caller.uid
        )))
    }
}

/// Whether `caller` may create a scope of `host` under the given parents.
///
/// The caller must own at least one parent, or be `admin`; a scope without
/// parents can only be created by an `admin`.
pub fn can_create(
    caller: Option<&Caller>,
    host: &Host,
    write_scope: &str,
    owners_of_parents: &[(ScopeId, Vec<String>)],
) -> Result<(), ApiError> {
    let caller = writer(caller, host, write_scope)?;
    if caller.has_role(ADMIN_ROLE) {
        return Ok(());
    }
    if owners_of_parents.is_empty() {
        return Err(forbidden(format!(
            "only {ADMIN_ROLE} may create a scope without parents"
        )));
    }
    if owners_of_parents
        .iter()
        .any(|(_, owners)| owns(caller, owners))
    {
        return Ok(());
    }
    let parents: Vec<&str> = owners_of_parents
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    Err(forbidden(format!(
        "{} owns none of the parent scopes ({}) and is not {ADMIN_ROLE}",
        caller.uid,
        parents.join(", ")
    )))
}

/// Whether `caller` may write anything of `host` at all: a token of this
/// host with the write scope. Checked before a write reads anything, so a
/// caller refused here learns nothing of the host's content.
pub fn can_write_host(
    caller: Option<&Caller>,
    host: &Host,
    write_scope: &str,
) -> Result<(), ApiError> {
    writer(caller, host, write_scope).map(|_| ())
}

/// The checks every write shares: a caller, of this host, with the write scope.
fn writer<'c>(
    caller: Option<&'c Caller>,
    host: &Host,
    write_scope: &str,
) -> Result<&'c Caller, ApiError> {
    let caller = token_of_host(caller, host, "writing")?;
    if !caller.has_scope(write_scope) {
        return Err(forbidden(format!(
            "the token lacks the scope {write_scope} needed to write"
        )));
    }
    Ok(caller)
}

/// Whether `owners` names the caller: a user entry by its user id, a
/// `role:` entry by one of its roles. An entry that cannot be read names no one.
fn owns(caller: &Caller, owners: &[String]) -> bool {
    owners.iter().any(|entry| {
        Owner::parse(entry)
            .is_ok_and(|owner| owner.matches(&caller.uid, caller.roles.iter().map(String::as_str)))
    })
}

fn forbidden(message: impl Into<String>) -> ApiError {
    ApiError::new(ApiErrorCode::Forbidden, message)
}
