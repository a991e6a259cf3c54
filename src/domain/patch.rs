//! `Patch<T>`: one field of a layered definition: not given, cleared with `null`, or set.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field of a scope's definition of a procedure, branch or error code.
///
/// A more specific scope gives only the fields it changes: an absent field
/// inherits, `null` clears the inherited value, a value replaces it whole.
///
/// In serde, use it with `#[serde(default, skip_serializing_if = "Patch::is_absent")]`:
/// a missing field reads as `Absent`, `null` as `Clear`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Not given: the inherited value stays.
    #[default]
    Absent,
    /// `null`: the inherited value is cleared.
    Clear,
    /// A value that replaces the inherited one whole (lists and objects too).
    Set(T),
}

impl<T> Patch<T> {
    /// True when the field was not given.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// The value, when one is set.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Self::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Applies this patch over an inherited value.
    pub fn apply(&self, inherited: Option<T>) -> Option<T>
    where
        T: Clone,
    {
        match self {
            Self::Absent => inherited,
            Self::Clear => None,
            Self::Set(v) => Some(v.clone()),
        }
    }

    /// `Set` for `Some`, `Clear` for `None`.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Self::Clear, Self::Set)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Set(v) => v.serialize(s),
            Self::Absent | Self::Clear => s.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.map_or(Self::Clear, Self::Set))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::Patch;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Doc {
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        title: Patch<String>,
    }

    #[test]
    fn absent_null_and_value_round_trip_through_json() {
        for (text, patch) in [
            ("{}", Patch::Absent),
            (r#"{"title":null}"#, Patch::Clear),
            (r#"{"title":"x"}"#, Patch::Set("x".to_owned())),
        ] {
            let doc: Doc = serde_json::from_str(text).unwrap();
            assert_eq!(doc.title, patch);
            assert_eq!(serde_json::to_string(&doc).unwrap(), text);
        }
    }

    #[test]
    fn apply_keeps_clears_or_replaces() {
        let inherited = Some(1);
        assert_eq!(Patch::Absent.apply(inherited), Some(1));
        assert_eq!(Patch::<i32>::Clear.apply(inherited), None);
        assert_eq!(Patch::Set(2).apply(inherited), Some(2));
    }
}
