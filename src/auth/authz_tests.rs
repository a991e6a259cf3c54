//! The authorization matrix: callers × operations, with the expected outcome per cell.

use super::{Caller, DEFAULT_WRITE_SCOPE, ReadPolicy, can_create, can_read, can_write};
use crate::{
    domain::{Host, ScopeId},
    error::{ApiError, ApiErrorCode},
};

const W: &str = DEFAULT_WRITE_SCOPE;

/// Tokens verified, reads of the default host open to anonymous callers.
const OPEN_READS: ReadPolicy = ReadPolicy {
    need_token: false,
    auth_enabled: true,
};

fn host() -> Host {
    Host::parse("lightapi.net").unwrap()
}

fn caller(uid: &str, host: &str, roles: &[&str], scopes: &[&str]) -> Caller {
    Caller {
        uid: uid.into(),
        host: Host::parse(host).unwrap(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        email: None,
    }
}

fn owners(scope: &str, owners: &[&str]) -> (ScopeId, Vec<String>) {
    (
        ScopeId::parse(scope).unwrap(),
        owners.iter().map(|o| o.to_string()).collect(),
    )
}

/// The target scope `acme-payments` (owned by alice and role payments-team)
/// followed by its ancestor `light-4j` (owned by bob and role framework-team).
fn target_and_ancestors() -> Vec<(ScopeId, Vec<String>)> {
    vec![
        owners("acme-payments", &["alice", "role:payments-team"]),
        owners("light-4j", &["bob", "role:framework-team"]),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Allowed,
    Unauthenticated,
    /// Forbidden, with a message containing this text.
    Forbidden(&'static str),
}

use Outcome::{Allowed, Forbidden, Unauthenticated};

fn outcome(result: Result<(), ApiError>) -> (Option<ApiErrorCode>, String) {
    match result {
        Ok(()) => (None, String::new()),
        Err(e) => (Some(e.code), e.message),
    }
}

fn check(cell: &str, result: Result<(), ApiError>, expected: Outcome) {
    let (code, message) = outcome(result);
    match expected {
        Allowed => assert_eq!(code, None, "{cell}: {message}"),
        Unauthenticated => assert_eq!(
            code,
            Some(ApiErrorCode::Unauthenticated),
            "{cell}: {message}"
        ),
        Forbidden(why) => {
            assert_eq!(code, Some(ApiErrorCode::Forbidden), "{cell}: {message}");
            assert!(
                message.contains(why),
                "{cell}: expected {why:?} in {message:?}"
            );
        }
    }
}

#[test]
fn the_authorization_matrix_holds_for_read_write_and_create() {
    let other_host = "the token is for host other.net, not host lightapi.net";
    let no_scope = "lacks the scope portal.w";
    #[rustfmt::skip]
    let rows: [(&str, Option<Caller>, [Outcome; 3]); 7] = [
        ("admin", Some(caller("root", "lightapi.net", &["user", "admin"], &["portal.r", W])),
            [Allowed, Allowed, Allowed]),
        ("owner by uid", Some(caller("alice", "lightapi.net", &["user"], &[W])),
            [Allowed, Allowed, Allowed]),
        ("owner by role", Some(caller("carol", "lightapi.net", &["user", "payments-team"], &[W])),
            [Allowed, Allowed, Allowed]),
        ("non-owner", Some(caller("dave", "lightapi.net", &["user"], &[W])),
            [Allowed, Forbidden("dave is not an owner of scope acme-payments"),
             Forbidden("dave owns none of the parent scopes (acme-payments)")]),
        ("owner and admin without the write scope", Some(caller("alice", "lightapi.net", &["admin"], &["portal.r"])),
            [Allowed, Forbidden(no_scope), Forbidden(no_scope)]),
        ("admin of another host", Some(caller("alice", "other.net", &["admin"], &[W])),
            [Forbidden(other_host), Forbidden(other_host), Forbidden(other_host)]),
        ("anonymous", None,
            [Allowed, Unauthenticated, Unauthenticated]),
    ];
    let parents = vec![owners("acme-payments", &["alice", "role:payments-team"])];
    for (who, caller, [read, write, create]) in rows {
        let caller = caller.as_ref();
        check(
            &format!("{who} reads"),
            can_read(caller, &host(), &host(), OPEN_READS),
            read,
        );
        let wrote = can_write(caller, &host(), W, &target_and_ancestors());
        check(&format!("{who} writes"), wrote, write);
        let created = can_create(caller, &host(), W, &parents);
        check(&format!("{who} creates"), created, create);
    }
}

#[test]
fn owning_an_ancestor_allows_creating_under_it_but_not_writing_its_descendants() {
    let bob = caller("bob", "lightapi.net", &["user"], &[W]);
    let framework = caller("erin", "lightapi.net", &["framework-team"], &[W]);
    for who in [&bob, &framework] {
        let wrote = can_write(Some(who), &host(), W, &target_and_ancestors());
        check(
            &who.uid,
            wrote,
            Forbidden("is not an owner of scope acme-payments"),
        );
        let parents = [owners("light-4j", &["bob", "role:framework-team"])];
        check(
            &who.uid,
            can_create(Some(who), &host(), W, &parents),
            Allowed,
        );
    }
}

#[test]
fn owning_any_one_of_several_parents_is_enough_to_create() {
    let carol = caller("carol", "lightapi.net", &["payments-team"], &[W]);
    let parents = [
        owners("light-4j", &["bob"]),
        owners("acme-payments", &["role:payments-team"]),
    ];
    check(
        "second parent",
        can_create(Some(&carol), &host(), W, &parents),
        Allowed,
    );
}

#[test]
fn only_an_admin_may_create_a_scope_without_parents() {
    let alice = caller("alice", "lightapi.net", &["user"], &[W]);
    let root = caller("root", "lightapi.net", &["admin"], &[W]);
    check(
        "owner",
        can_create(Some(&alice), &host(), W, &[]),
        Forbidden("only admin"),
    );
    check("admin", can_create(Some(&root), &host(), W, &[]), Allowed);
}

#[test]
fn writing_without_a_target_is_refused_except_for_an_admin() {
    let alice = caller("alice", "lightapi.net", &["user"], &[W]);
    let root = caller("root", "lightapi.net", &["admin"], &[W]);
    check(
        "owner",
        can_write(Some(&alice), &host(), W, &[]),
        Forbidden("no target scope"),
    );
    check("admin", can_write(Some(&root), &host(), W, &[]), Allowed);
}

#[test]
fn the_write_scope_is_the_one_configured() {
    let alice = caller("alice", "lightapi.net", &["user"], &["portal.w"]);
    let custom = can_write(Some(&alice), &host(), "runbook.w", &target_and_ancestors());
    check(
        "portal.w only",
        custom,
        Forbidden("lacks the scope runbook.w"),
    );
    let both = caller(
        "alice",
        "lightapi.net",
        &["user"],
        &["portal.w", "runbook.w"],
    );
    check(
        "runbook.w",
        can_write(Some(&both), &host(), "runbook.w", &target_and_ancestors()),
        Allowed,
    );
}

#[test]
fn a_role_named_like_a_scope_owner_id_is_matched_exactly() {
    let almost = caller("alic", "lightapi.net", &["payments"], &[W]);
    let wrote = can_write(Some(&almost), &host(), W, &target_and_ancestors());
    check("prefixes", wrote, Forbidden("is not an owner"));
}

#[test]
fn a_user_id_equal_to_a_role_name_does_not_own_that_roles_scope_nor_the_reverse() {
    let target = |entry: &str| vec![owners("team-scope", &[entry])];
    let uid_team_a = caller("team-a", "lightapi.net", &["user"], &[W]);
    let role_team_a = caller("bob", "lightapi.net", &["team-a"], &[W]);
    let uid_alice = caller("alice", "lightapi.net", &["user"], &[W]);
    let role_alice = caller("carl", "lightapi.net", &["alice"], &[W]);
    let not_owner = Forbidden("is not an owner of scope team-scope");
    for (who, entry, expected) in [
        (&uid_team_a, "role:team-a", not_owner),
        (&role_team_a, "role:team-a", Allowed),
        (&uid_alice, "alice", Allowed),
        (&uid_alice, "user:alice", Allowed),
        (&role_alice, "alice", not_owner),
        (&role_alice, "user:alice", not_owner),
        (&uid_alice, "role:alice", not_owner),
    ] {
        let cell = format!("{} ({:?}) against {entry}", who.uid, who.roles);
        check(
            &cell,
            can_write(Some(who), &host(), W, &target(entry)),
            expected,
        );
        let created = can_create(Some(who), &host(), W, &target(entry));
        assert_eq!(created.is_ok(), expected == Allowed, "{cell} creates");
    }
}
