//! A scope's owner entry: a user id or a role, never both.
//!
//! `role:NAME` names a role; `user:NAME` or a bare `NAME` names a user id.
//! Keeping the two apart means a user whose id happens to equal a role's
//! name does not own that role's scopes, and the reverse.

use std::fmt;

/// The prefix of an owner entry that names a role.
pub const ROLE_PREFIX: &str = "role:";
/// The optional prefix of an owner entry that names a user id.
pub const USER_PREFIX: &str = "user:";

/// Who an owner entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    /// A user id, matched against a token's `uid` only.
    User(&'a str),
    /// A role, matched against a token's roles only.
    Role(&'a str),
}

/// Why an owner entry cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidOwner(String);

impl fmt::Display for InvalidOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidOwner {}

impl<'a> Owner<'a> {
    /// Reads an owner entry; a blank entry, or a prefix with nothing (or only
    /// spaces) after it, is refused. The name is matched exactly as written.
    pub fn parse(entry: &'a str) -> Result<Self, InvalidOwner> {
        let (owner, name) = if let Some(name) = entry.strip_prefix(ROLE_PREFIX) {
            (Owner::Role(name), name)
        } else if let Some(name) = entry.strip_prefix(USER_PREFIX) {
            (Owner::User(name), name)
        } else {
            (Owner::User(entry), entry)
        };
        if name.trim().is_empty() {
            return Err(InvalidOwner(format!(
                "owner {entry:?} needs a name \
                 (`role:NAME` for a role, `NAME` or `user:NAME` for a user id)"
            )));
        }
        Ok(owner)
    }

    /// Whether this entry names the caller with user id `uid` and `roles`.
    pub fn matches<'r>(self, uid: &str, mut roles: impl Iterator<Item = &'r str>) -> bool {
        match self {
            Owner::User(name) => name == uid,
            Owner::Role(name) => roles.any(|r| r == name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_says_whether_an_owner_is_a_role_or_a_user() {
        assert_eq!(Owner::parse("role:sre"), Ok(Owner::Role("sre")));
        assert_eq!(Owner::parse("user:alice"), Ok(Owner::User("alice")));
        assert_eq!(Owner::parse("alice"), Ok(Owner::User("alice")));
        assert_eq!(Owner::parse("team-a"), Ok(Owner::User("team-a")));
    }

    #[test]
    fn a_prefix_without_a_name_is_refused() {
        for entry in ["", " ", "role:", "user:", "role: ", "user:\t\n"] {
            assert!(Owner::parse(entry).is_err(), "{entry:?}");
        }
    }

    #[test]
    fn a_role_entry_matches_roles_only_and_a_user_entry_user_ids_only() {
        let role = Owner::Role("team-a");
        assert!(role.matches("bob", ["team-a"].into_iter()));
        assert!(!role.matches("team-a", ["user"].into_iter()));
        let user = Owner::User("alice");
        assert!(user.matches("alice", std::iter::empty()));
        assert!(!user.matches("bob", ["alice"].into_iter()));
    }
}
