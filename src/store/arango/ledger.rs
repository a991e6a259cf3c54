//! The stored shape of the change bookkeeping: the store-wide change counter
//! (`counters`), each host's generation (`hosts`) and the history of every
//! object a change altered (`history`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::keys;
use crate::{
    domain::{Host, ObjectRef, ScopeId},
    store::{Action, Actor, HistoryRecord},
};

/// The `_key` of the change counter in `counters`.
pub const CHANGE_COUNTER: &str = "changes";

/// The change counter: the id of the last change committed in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterDoc {
    /// [`CHANGE_COUNTER`].
    #[serde(rename = "_key")]
    pub key: String,
    /// The last change id handed out.
    pub value: u64,
}

impl CounterDoc {
    /// The counter as the first change creates it: change 1 handed out.
    pub fn first() -> Self {
        Self {
            key: CHANGE_COUNTER.to_owned(),
            value: 1,
        }
    }
}

/// A host's generation: the id of the last change that touched it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostDoc {
    /// `keys::host_key` of the host.
    #[serde(rename = "_key")]
    pub key: String,
    /// The host.
    pub host: Host,
    /// The id of the last change that touched the host.
    pub generation: u64,
}

impl HostDoc {
    /// The document that puts `host` at `generation`.
    pub fn new(host: &Host, generation: u64) -> Self {
        Self {
            key: keys::host_key(host),
            host: host.clone(),
            generation,
        }
    }
}

/// A host and its generation, as `generations.aql` returns them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GenerationRow {
    /// The host.
    pub host: Host,
    /// Its generation.
    pub generation: u64,
}

/// One object's version in the history, as stored in `history`.
///
/// `before` and `after` are the object's JSON form (`domain::object_json`),
/// `null` when the object did not (or no longer does) exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryDoc {
    /// `change_id:seq`: one record per object per change.
    #[serde(rename = "_key", default, skip_serializing_if = "String::is_empty")]
    pub doc_key: String,
    /// The change that altered the object.
    pub change_id: u64,
    /// The record's place in its change: host, scope id, then object order.
    pub seq: u32,
    /// `-seq`: sorting by `change_id` and `rseq`, both descending, lists a
    /// change's records in `seq` order with one index (see `schema::INDEXES`).
    #[serde(default)]
    pub rseq: i64,
    /// The host of the scope.
    pub host: Host,
    /// The scope the object belongs to.
    pub scope: ScopeId,
    /// `ObjectRef::kind`.
    pub kind: String,
    /// `ObjectRef::key`.
    pub key: String,
    /// `Action::as_str`.
    pub action: String,
    /// The object before the change.
    #[serde(default)]
    pub before: Option<Value>,
    /// The object after the change.
    #[serde(default)]
    pub after: Option<Value>,
    /// Who made the change.
    pub uid: String,
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Through which operation.
    pub operation: String,
}

/// The fields of one history record that identify it and what changed.
pub struct Version<'a> {
    /// The change.
    pub change_id: u64,
    /// The record's place in the change.
    pub seq: u32,
    /// The scope's host.
    pub host: &'a Host,
    /// The scope.
    pub scope: &'a ScopeId,
    /// The object.
    pub object: &'a ObjectRef,
    /// Its JSON form before.
    pub before: Option<Value>,
    /// Its JSON form after.
    pub after: Option<Value>,
}

impl HistoryDoc {
    /// The record of one object's change, by `actor`.
    pub fn new(version: Version<'_>, actor: &Actor) -> Self {
        let action = match (&version.before, &version.after) {
            (None, _) => Action::Created,
            (Some(_), None) => Action::Deleted,
            (Some(_), Some(_)) => Action::Updated,
        };
        Self {
            doc_key: format!("{}:{}", version.change_id, version.seq),
            change_id: version.change_id,
            seq: version.seq,
            rseq: -i64::from(version.seq),
            host: version.host.clone(),
            scope: version.scope.clone(),
            kind: version.object.kind().to_owned(),
            key: version.object.key(),
            action: action.as_str().to_owned(),
            before: version.before,
            after: version.after,
            uid: actor.uid.clone(),
            at_ms: actor.at_ms,
            operation: actor.operation.clone(),
        }
    }

    /// The record in the domain; a stored kind, key or action that does not
    /// parse is reported with the record's key.
    pub fn into_record(self) -> Result<HistoryRecord, String> {
        let object = ObjectRef::parse(&self.kind, &self.key)
            .map_err(|e| format!("history {}: {e}", self.doc_key))?;
        let action = Action::parse(&self.action)
            .ok_or_else(|| format!("history {}: unknown action {:?}", self.doc_key, self.action))?;
        Ok(HistoryRecord {
            change_id: self.change_id,
            host: self.host,
            scope: self.scope,
            object,
            action,
            before: self.before,
            after: self.after,
            actor: Actor {
                uid: self.uid,
                at_ms: self.at_ms,
                operation: self.operation,
            },
        })
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
