//! The read rules: callers × hosts × policies, with the expected outcome per cell.

use super::{Caller, ReadPolicy, can_read, can_read_history};
use crate::{
    domain::Host,
    error::{ApiError, ApiErrorCode},
};

fn host(name: &str) -> Host {
    Host::parse(name).unwrap()
}

fn token(host_name: &str) -> Caller {
    Caller {
        uid: "dave".into(),
        host: host(host_name),
        roles: vec!["user".into()],
        scopes: vec!["portal.r".into()],
        email: None,
    }
}

fn code(result: Result<(), ApiError>) -> Option<ApiErrorCode> {
    result.err().map(|e| e.code)
}

const OFF: ReadPolicy = ReadPolicy {
    need_token: false,
    auth_enabled: false,
};
const OPEN: ReadPolicy = ReadPolicy {
    need_token: false,
    auth_enabled: true,
};
const CLOSED: ReadPolicy = ReadPolicy {
    need_token: true,
    auth_enabled: true,
};

/// A cell: who, as which caller, reads which host, under which policy; the
/// outcome of a read and of a history read.
type Row<'a> = (
    &'a str,
    Option<&'a Caller>,
    &'a str,
    ReadPolicy,
    Option<ApiErrorCode>,
    Option<ApiErrorCode>,
);

#[test]
fn reads_follow_the_caller_the_host_and_the_policy() {
    use ApiErrorCode::{Forbidden, Unauthenticated};
    let a = token("a.example");
    #[rustfmt::skip]
    let rows: [Row; 12] = [
        ("anonymous, default host",      None,     "default.example", OPEN,   None,                  Some(Unauthenticated)),
        ("anonymous, other host",        None,     "a.example",       OPEN,   Some(Unauthenticated), Some(Unauthenticated)),
        ("anonymous, unknown host",      None,     "nowhere.example", OPEN,   Some(Unauthenticated), Some(Unauthenticated)),
        ("anonymous, tokens needed",     None,     "default.example", CLOSED, Some(Unauthenticated), Some(Unauthenticated)),
        ("token, its host",              Some(&a), "a.example",       OPEN,   None,                  None),
        ("token, its host, closed",      Some(&a), "a.example",       CLOSED, None,                  None),
        ("token, default host",          Some(&a), "default.example", OPEN,   Some(Forbidden),       Some(Forbidden)),
        ("token, another host",          Some(&a), "b.example",       CLOSED, Some(Forbidden),       Some(Forbidden)),
        ("auth off, anonymous, default", None,     "default.example", OFF,    None,                  None),
        ("auth off, anonymous, other",   None,     "b.example",       OFF,    None,                  None),
        ("auth off, need token ignored", None,     "b.example",       ReadPolicy { need_token: true, auth_enabled: false }, None, None),
        ("auth off, caller elsewhere",   Some(&a), "b.example",       OFF,    None,                  None),
    ];
    let default = host("default.example");
    for (cell, caller, target, policy, read, history) in rows {
        let target = host(target);
        assert_eq!(
            code(can_read(caller, &target, &default, policy)),
            read,
            "{cell}: read"
        );
        assert_eq!(
            code(can_read_history(caller, &target, policy)),
            history,
            "{cell}: history"
        );
    }
}

#[test]
fn an_anonymous_refusal_is_the_same_whether_the_host_exists_or_not() {
    let default = host("default.example");
    let message = |name: &str| {
        can_read(None, &host(name), &default, OPEN)
            .err()
            .map(|e| e.message.replace(name, "HOST"))
    };
    assert_eq!(message("a.example"), message("nowhere.example"));
    assert!(message("a.example").is_some());
}
