//! The JSON Schema states every bound of `domain::limits` it can (`maxItems`,
//! `maxProperties`, `maxLength`) with the same value, and names the others in
//! its description; a new limit must be placed here before the test passes.

use serde_json::Value;

use crate::domain::{condition, limits::*};

const SCHEMA: &str = include_str!("../../../schema/light-runbook-v1.schema.json");
const LIMITS: &str = include_str!("../../domain/limits.rs");

/// Where the schema states a limit.
enum Stated {
    /// At these JSON pointers, keyword and value.
    At(&'static [&'static str]),
    /// In the schema's description, as this phrase.
    Described(&'static str),
}

/// Every limit of `domain::limits`, its value and where the schema states it.
fn placed() -> Vec<(&'static str, usize, Stated)> {
    use Stated::{At, Described};
    vec![
        (
            "MAX_LINEAGE_DEPTH",
            MAX_LINEAGE_DEPTH,
            Described("a lineage at most 64 levels"),
        ),
        (
            "MAX_LINEAGE_SCOPES",
            MAX_LINEAGE_SCOPES,
            Described("and 256 scopes"),
        ),
        (
            "MAX_PARENTS",
            MAX_PARENTS,
            At(&["/properties/parents/maxItems"]),
        ),
        (
            "MAX_OWNERS",
            MAX_OWNERS,
            At(&["/properties/owners/maxItems"]),
        ),
        (
            "MAX_CONTACTS",
            MAX_CONTACTS,
            At(&["/properties/contacts/maxItems"]),
        ),
        (
            "MAX_PROCEDURES",
            MAX_PROCEDURES,
            At(&["/properties/procedures/maxProperties"]),
        ),
        (
            "MAX_BRANCHES",
            MAX_BRANCHES,
            At(&["/properties/branches/maxItems"]),
        ),
        (
            "MAX_ENTRIES",
            MAX_ENTRIES,
            At(&["/properties/entries/maxProperties"]),
        ),
        (
            "MAX_ERROR_CODES",
            MAX_ERROR_CODES,
            At(&["/properties/errorCodes/maxProperties"]),
        ),
        (
            "MAX_TEXT_BYTES",
            MAX_TEXT_BYTES,
            At(&[
                "/$defs/nonBlank/maxLength",
                "/$defs/shortText/maxLength",
                "/$defs/contact/properties/email/maxLength",
                "/$defs/contact/properties/phone/maxLength",
                "/$defs/contact/properties/chat/maxLength",
            ]),
        ),
        (
            "MAX_LONG_TEXT_BYTES",
            MAX_LONG_TEXT_BYTES,
            At(&["/$defs/longText/maxLength"]),
        ),
        (
            "MAX_TAGS",
            MAX_TAGS,
            At(&["/$defs/procedurePatch/properties/tags/oneOf/1/maxItems"]),
        ),
        (
            "MAX_TAG_BYTES",
            MAX_TAG_BYTES,
            At(&["/$defs/procedurePatch/properties/tags/oneOf/1/items/maxLength"]),
        ),
        (
            "MAX_AUTOMATION_BYTES",
            MAX_AUTOMATION_BYTES,
            Described("an automation is at most 16384 bytes"),
        ),
        (
            "MAX_AUTOMATION_DEPTH",
            MAX_AUTOMATION_DEPTH,
            Described("and 8 levels deep"),
        ),
    ]
}

/// The names of the `pub const`s of `domain/limits.rs`.
fn declared() -> Vec<&'static str> {
    LIMITS
        .lines()
        .filter_map(|line| line.strip_prefix("pub const "))
        .filter_map(|rest| rest.split(':').next())
        .collect()
}

#[test]
fn the_schema_states_every_document_limit_with_its_value() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let description = schema["description"].as_str().unwrap_or_default();
    let placed = placed();
    let names: Vec<&str> = placed.iter().map(|(name, ..)| *name).collect();
    assert_eq!(names, declared(), "every limit is placed, in order");
    for (name, value, stated) in placed {
        match stated {
            Stated::At(pointers) => {
                for pointer in pointers {
                    let found = schema.pointer(pointer).and_then(Value::as_u64);
                    assert_eq!(found, u64::try_from(value).ok(), "{name} at {pointer}");
                }
            }
            Stated::Described(phrase) => {
                assert!(phrase.contains(&value.to_string()), "{name}: {phrase}");
                assert!(description.contains(phrase), "{name}: {description}");
            }
        }
    }
}

#[test]
fn the_schema_bounds_a_condition_as_the_condition_parser_does() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let max = schema.pointer("/$defs/conditionText/maxLength");
    assert_eq!(
        max.and_then(Value::as_u64),
        u64::try_from(condition::MAX_BYTES).ok()
    );
    let condition = schema.pointer("/$defs/branchPatch/properties/condition/$ref");
    assert_eq!(condition, Some(&Value::from("#/$defs/conditionText")));
}
