//! What the read queries return, and how it becomes the domain again.
//!
//! Document rows arrive as raw JSON parts and are read part by part, so that a
//! part that no longer reads is reported as `StoreError::Corrupt` naming its
//! collection, host, scope and key, as the SQL stores name their rows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

use super::{
    errors,
    records::{BranchBody, EntryBody, ErrorCodeBody, ProcedureBody, ScopeBody},
    schema,
};
use crate::{
    domain::{
        BranchChange, BranchId, ObjectRef, ProcedureChange, Scope, ScopeContent, ScopeDocument,
        ScopeId,
    },
    store::{StoreError, StoreResult},
};

/// One scope document as the document queries return it, each part still JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    /// The scope vertex with its revision.
    pub scope: Value,
    /// Parent ids in order.
    pub parents: Vec<Value>,
    /// Procedure layers with their revisions.
    pub procedures: Vec<Value>,
    /// Branch layers with their revisions.
    pub branches: Vec<Value>,
    /// Entries with their revisions.
    pub entries: Vec<Value>,
    /// Error code layers with their revisions.
    pub error_codes: Vec<Value>,
}

/// One scope vertex with its parents, as the scope queries return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeRow {
    /// The scope vertex.
    pub scope: ScopeBody,
    /// Parent ids in order.
    pub parents: Vec<ScopeId>,
}

/// A stored document with the revision of each of its objects.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDocument {
    /// The document.
    pub doc: ScopeDocument,
    /// The revision of every object of the document.
    pub revisions: BTreeMap<ObjectRef, u64>,
}

impl ScopeRow {
    /// The scope vertex in the domain.
    pub fn into_scope(self) -> Scope {
        let b = self.scope;
        Scope {
            host: b.host,
            id: b.id,
            name: b.name,
            kind: b.kind,
            parents: self.parents,
            owners: b.owners,
            contacts: b.contacts,
        }
    }
}

/// Where the parts of one row come from, to name a part that does not read.
struct At {
    host: String,
    scope: String,
}

impl At {
    fn corrupt(&self, collection: &str, key: &str, message: impl std::fmt::Display) -> StoreError {
        errors::corrupt(
            &format!(
                "collection {collection}, host {}, scope {}, key {key}",
                self.host, self.scope
            ),
            message.to_string(),
        )
    }

    /// Reads one part; `key` names it when it does not read.
    fn part<T: DeserializeOwned>(
        &self,
        collection: &str,
        key: &str,
        value: &Value,
    ) -> StoreResult<T> {
        T::deserialize(value).map_err(|e| self.corrupt(collection, key, e))
    }

    /// The `revision` of a stored object: absent (written before revisions
    /// were kept) reads as 0; anything but a whole number is corrupt.
    fn revision(&self, collection: &str, key: &str, value: &Value) -> StoreResult<u64> {
        match value.get("revision") {
            None | Some(Value::Null) => Ok(0),
            Some(r) => r.as_u64().ok_or_else(|| {
                self.corrupt(collection, key, format!("revision {r} is not a count"))
            }),
        }
    }
}

/// A string attribute for naming a part, whatever its type.
fn text(value: &Value, attribute: &str) -> String {
    match value.get(attribute) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "?".to_owned(),
    }
}

impl DocumentRow {
    /// The stored document and its objects' revisions.
    pub fn decode(self) -> StoreResult<StoredDocument> {
        let at = At {
            host: text(&self.scope, "host"),
            scope: text(&self.scope, "id"),
        };
        let body: ScopeBody = at.part(schema::SCOPES, &at.scope, &self.scope)?;
        let mut out = Decoded::default();
        let revision = at.revision(schema::SCOPES, &at.scope, &self.scope)?;
        out.revisions.insert(ObjectRef::Scope, revision);
        let parents = (self.parents.iter())
            .map(|p| at.part(schema::INHERITS, &p.to_string(), p))
            .collect::<StoreResult<Vec<ScopeId>>>()?;
        self.procedures
            .iter()
            .try_for_each(|v| out.procedure(&at, v))?;
        self.branches.iter().try_for_each(|v| out.branch(&at, v))?;
        self.entries.iter().try_for_each(|v| out.entry(&at, v))?;
        self.error_codes
            .iter()
            .try_for_each(|v| out.error_code(&at, v))?;
        let scope = ScopeRow {
            scope: body,
            parents,
        }
        .into_scope();
        Ok(StoredDocument {
            doc: ScopeDocument {
                scope,
                content: out.content,
            },
            revisions: out.revisions,
        })
    }
}

/// The content of a document being read, with its objects' revisions.
#[derive(Default)]
struct Decoded {
    content: ScopeContent,
    revisions: BTreeMap<ObjectRef, u64>,
}

impl Decoded {
    fn procedure(&mut self, at: &At, v: &Value) -> StoreResult<()> {
        let key = text(v, "key");
        let p: ProcedureBody = at.part(schema::PROCEDURES, &key, v)?;
        let change = match (p.removed, p.patch) {
            (true, _) => ProcedureChange::Removed,
            (false, Some(patch)) => ProcedureChange::Patch(patch),
            (false, None) => return Err(at.corrupt(schema::PROCEDURES, &key, UNPATCHED)),
        };
        let revision = at.revision(schema::PROCEDURES, &key, v)?;
        self.revisions
            .insert(ObjectRef::Procedure(p.key.clone()), revision);
        self.content.procedures.insert(p.key, change);
        Ok(())
    }

    fn branch(&mut self, at: &At, v: &Value) -> StoreResult<()> {
        let key = format!("{}/{}", text(v, "from"), text(v, "label"));
        let b: BranchBody = at.part(schema::BRANCHES, &key, v)?;
        let change = match (b.removed, b.patch) {
            (true, _) => BranchChange::Removed,
            (false, Some(patch)) => BranchChange::Patch(patch),
            (false, None) => return Err(at.corrupt(schema::BRANCHES, &key, UNPATCHED)),
        };
        let id = BranchId {
            from: b.from,
            label: b.label,
        };
        let revision = at.revision(schema::BRANCHES, &key, v)?;
        self.revisions
            .insert(ObjectRef::Branch(id.clone()), revision);
        self.content.branches.insert(id, change);
        Ok(())
    }

    fn entry(&mut self, at: &At, v: &Value) -> StoreResult<()> {
        let key = text(v, "code");
        let e: EntryBody = at.part(schema::ENTRIES, &key, v)?;
        let revision = at.revision(schema::ENTRIES, &key, v)?;
        self.revisions
            .insert(ObjectRef::Entry(e.code.clone()), revision);
        self.content.entries.insert(e.code, e.key);
        Ok(())
    }

    fn error_code(&mut self, at: &At, v: &Value) -> StoreResult<()> {
        let key = text(v, "code");
        let c: ErrorCodeBody = at.part(schema::ERROR_CODES, &key, v)?;
        let revision = at.revision(schema::ERROR_CODES, &key, v)?;
        self.revisions
            .insert(ObjectRef::ErrorCode(c.code.clone()), revision);
        self.content.error_codes.insert(c.code, c.patch);
        Ok(())
    }
}

/// Why a layer that is not a tombstone but has no patch does not read.
const UNPATCHED: &str = "neither removed nor patched";
