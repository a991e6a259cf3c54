//! Document keys (`_key`) derived from domain identifiers.
//!
//! ArangoDB keys are 1 to 254 bytes of `A-Z a-z 0-9` and `_ - : . @ ( ) + , = ; $ ! * ' %`.
//! A key here is the parts of an identity (host, scope, procedure key, …)
//! joined by `:`, each part percent-escaped: every byte outside
//! `A-Z a-z 0-9 . _ -` becomes `%XX`. No escaped part contains `:`, and the
//! escaping is reversible, so distinct identities give distinct keys.
//! Hosts start with a letter or digit, so every such key does too.
//!
//! A key longer than 254 bytes (a 253-byte host with a 200-byte scope id
//! cannot fit any reversible form) becomes `_` followed by the 64 hex digits
//! of the SHA-256 of the long form. It cannot equal a readable key (those
//! never start with `_`), and two long forms share it only through a SHA-256
//! collision. Keys are an index, never read back: documents carry their
//! identity in plain attributes.

use sha2::{Digest, Sha256};

use crate::domain::{BranchLabel, EntryCode, ErrorCode, Host, ProcedureKey, ScopeId};

/// The longest key ArangoDB accepts, in bytes.
pub const MAX_KEY_BYTES: usize = 254;

/// Bytes kept as they are; all others are escaped.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

fn escape_into(out: &mut String, part: &str) {
    for b in part.bytes() {
        if is_plain(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push_str(&format!("{b:02X}"));
        }
    }
}

/// The key for an identity made of `parts`: readable when it fits, hashed when not.
pub fn key_of(parts: &[&str]) -> String {
    let mut key = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push(':');
        }
        escape_into(&mut key, part);
    }
    if key.len() <= MAX_KEY_BYTES {
        return key;
    }
    let digest = Sha256::digest(key.as_bytes());
    let mut hashed = String::with_capacity(65);
    hashed.push('_');
    for b in digest {
        hashed.push_str(&format!("{b:02x}"));
    }
    hashed
}

/// The key of a host's generation document in `hosts`.
pub fn host_key(host: &Host) -> String {
    key_of(&[host.as_str()])
}

/// The key of a scope vertex.
pub fn scope_key(host: &Host, scope: &ScopeId) -> String {
    key_of(&[host.as_str(), scope.as_str()])
}

/// The key of the `position`-th parent edge of a scope.
pub fn inherits_key(host: &Host, scope: &ScopeId, position: usize) -> String {
    key_of(&[host.as_str(), scope.as_str(), &position.to_string()])
}

/// The key of a scope's layer for a procedure.
pub fn procedure_key(host: &Host, scope: &ScopeId, key: &ProcedureKey) -> String {
    key_of(&[host.as_str(), scope.as_str(), key.as_str()])
}

/// The key of a scope's layer for a branch.
pub fn branch_key(
    host: &Host,
    scope: &ScopeId,
    from: &ProcedureKey,
    label: &BranchLabel,
) -> String {
    key_of(&[host.as_str(), scope.as_str(), from.as_str(), label.as_str()])
}

/// The key of a scope's entry for a code (`*` escapes to `%2A`).
pub fn entry_key(host: &Host, scope: &ScopeId, code: &EntryCode) -> String {
    key_of(&[host.as_str(), scope.as_str(), code.as_str()])
}

/// The key of a scope's layer for an error code.
pub fn error_code_key(host: &Host, scope: &ScopeId, code: &ErrorCode) -> String {
    key_of(&[host.as_str(), scope.as_str(), code.as_str()])
}

/// The order-preserving form of an ASCII identifier (a scope id, an error
/// code) for sorting and paging in AQL: lower-case hex of its bytes.
///
/// AQL compares strings with the ICU collation of the server's language,
/// not byte by byte, and languages differ: Danish sorts "aa" after "z",
/// Czech "ch" after "h", Lithuanian "y" with "i". The hex of ASCII bytes
/// has a digit `0`-`7` in every even place, so no two letters ever stand
/// side by side and no such contraction can form; what is left, digits
/// before `a`-`f`, is the same order in every language ICU knows. So `SORT`
/// and `>` on this form follow the byte order of the identifier, as the SQL
/// stores do, whatever language the server was started with.
pub fn sort_key(id: &str) -> String {
    id.bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// ArangoDB's rule for a user-defined `_key`.
    fn valid_arango_key(key: &str) -> bool {
        (1..=MAX_KEY_BYTES).contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-:.@()+,=;$!*'%".contains(&b))
    }

    fn tricky_labels() -> Vec<String> {
        let mut labels: Vec<String> = [
            "yes",
            "no",
            "a:b",
            "a%3Ab",
            "a b",
            "a%20b",
            "%",
            "%25",
            "x/y",
            "x\\y",
            "ümlaut",
            "日本語",
            "emoji 🚀",
            "tab\there",
            "'quoted'",
            "\"dq\"",
            "a.b",
            "a-b",
            "a_b",
            ":",
            "::",
            "*",
            "%2A",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        labels.push("é".repeat(100));
        labels.push("x".repeat(200));
        labels.push(format!("{}y", "x".repeat(199)));
        labels
    }

    #[test]
    fn keys_of_tricky_identities_are_valid_and_pairwise_distinct() {
        let hosts = ["h", "h.a", "h-a", "lightapi.net", &"H".repeat(253)];
        let scopes = ["s", "s.a", "a", "h:s", &"s".repeat(200), &"t".repeat(200)];
        let froms = ["a", "a-b", "ab"];
        let mut seen = HashSet::new();
        let mut count = 0;
        for host in hosts {
            let host = Host::parse(host).unwrap();
            for scope in scopes.iter().filter_map(|s| ScopeId::parse(*s).ok()) {
                for from in froms {
                    let from = ProcedureKey::parse(from).unwrap();
                    for label in tricky_labels() {
                        let label = BranchLabel::parse(label).unwrap();
                        let key = branch_key(&host, &scope, &from, &label);
                        assert!(valid_arango_key(&key), "invalid key {key:?}");
                        assert!(seen.insert(key.clone()), "collision on {key:?}");
                        count += 1;
                    }
                }
            }
        }
        assert_eq!(seen.len(), count);
    }

    #[test]
    fn joining_parts_differently_never_gives_the_same_key() {
        let pairs = [
            (vec!["a", "b:c"], vec!["a:b", "c"]),
            (vec!["a", "b%3Ac"], vec!["a", "b:c"]),
            (vec!["a", "bc"], vec!["ab", "c"]),
            (vec!["a", ""], vec!["a"]),
            (vec!["*"], vec!["%2A"]),
        ];
        for (left, right) in pairs {
            assert_ne!(key_of(&left), key_of(&right), "{left:?} vs {right:?}");
        }
    }

    #[test]
    fn short_keys_are_readable_and_long_ones_are_hashed() {
        let host = Host::parse("lightapi.net").unwrap();
        let scope = ScopeId::parse("light-4j").unwrap();
        assert_eq!(scope_key(&host, &scope), "lightapi.net:light-4j");
        let code = EntryCode::Default;
        assert_eq!(entry_key(&host, &scope, &code), "lightapi.net:light-4j:%2A");
        let long = Host::parse("h".repeat(253)).unwrap();
        let key = scope_key(&long, &scope);
        assert_eq!(key.len(), 65);
        assert!(key.starts_with('_') && valid_arango_key(&key), "{key}");
    }

    #[test]
    fn keys_are_deterministic() {
        let host = Host::parse("h").unwrap();
        let scope = ScopeId::parse("x".repeat(200)).unwrap();
        let code = ErrorCode::parse("ERR10001").unwrap();
        let big = Host::parse("g".repeat(253)).unwrap();
        assert_eq!(
            error_code_key(&host, &scope, &code),
            error_code_key(&host, &scope, &code)
        );
        assert_eq!(scope_key(&big, &scope), scope_key(&big, &scope));
    }

    #[test]
    fn sort_keys_order_like_the_bytes_of_the_id() {
        let mut ids: Vec<ScopeId> = ["b", "B", "a", "a-b", "a.b", "a_b", "a0", "ab", "Z", "9"]
            .into_iter()
            .map(|s| ScopeId::parse(s).unwrap())
            .collect();
        ids.sort();
        let hex: Vec<String> = ids.iter().map(|id| sort_key(id.as_str())).collect();
        let mut sorted = hex.clone();
        sorted.sort();
        assert_eq!(hex, sorted);
        assert!(hex.iter().all(|h| {
            h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        }));
    }

    #[test]
    fn no_two_letters_stand_side_by_side_in_a_sort_key() {
        // Every byte an id or an error code may hold (ASCII): a letter in the
        // hex is always between digits, so no collation contraction applies.
        let all: String = (0x20u8..0x7f).map(char::from).collect();
        for text in [all.as_str(), "AAB12345", "CHX00001", "aa-ch.zz_yy"] {
            let key = sort_key(text);
            let letters = key
                .as_bytes()
                .windows(2)
                .any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_alphabetic());
            assert!(!letters, "{text}: {key}");
        }
    }
}
