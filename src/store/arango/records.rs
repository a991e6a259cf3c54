//! The stored shape of a scope document: one scope vertex, and for each part
//! of its content a document (or edge) owned by the scope.
//!
//! Written records carry an envelope (`_key`, `owner`, `host`, `scope`,
//! `revision`, and `_from`/`_to` for edges) around a body; queries return the
//! bodies with their revision (`KEEP(...)` in AQL), which `rows.rs` reads back
//! into the domain. Patches are stored with the domain's own serde form, so an
//! absent field stays absent and `null` stays `null`.
//!
//! Every object of a document (`domain::ObjectRef`) is one stored document
//! with its own `revision`: the scope vertex (whose object also covers the
//! `inherits` edges, which carry none), and each procedure, branch, entry and
//! error code layer.

use serde::{Deserialize, Serialize};

use super::{keys, schema};
use crate::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, Contact, EntryCode, ErrorCode,
    ErrorCodePatch, Host, ObjectRef, ProcedureChange, ProcedureKey, ProcedurePatch, ScopeDocument,
    ScopeId, ScopeKind,
};

/// What a scope vertex says, as stored and as returned by queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeBody {
    /// The tenant.
    pub host: Host,
    /// The scope id.
    pub id: ScopeId,
    /// Human-readable name.
    pub name: String,
    /// What the scope stands for.
    pub kind: ScopeKind,
    /// Who may write the scope.
    pub owners: Vec<String>,
    /// Escalation contacts.
    pub contacts: Vec<Contact>,
}

/// A scope vertex as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeVertex {
    /// The document key (see `keys::scope_key`).
    #[serde(rename = "_key")]
    pub key: String,
    /// Hex of the id's bytes, for sorting and paging (see [`keys::sort_key`]).
    pub sort_id: String,
    /// The id of the last change that altered the scope object.
    pub revision: u64,
    /// What the vertex says.
    #[serde(flatten)]
    pub body: ScopeBody,
}

/// A parent edge (`inherits`, child to parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InheritsBody {
    /// The parent scope id (the edge's `_to` may name a scope that does not exist).
    pub parent: ScopeId,
    /// The parent's position in the scope's ordered parents, from 0.
    pub position: usize,
}

/// A scope's layer for a procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureBody {
    /// The procedure key.
    pub key: ProcedureKey,
    /// A tombstone: the scope removes the procedure.
    pub removed: bool,
    /// The field-level patch; absent on a tombstone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<ProcedurePatch>,
}

/// A scope's layer for a branch (`branches`, procedure to procedure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchBody {
    /// The procedure the branch leaves.
    pub from: ProcedureKey,
    /// The branch label.
    pub label: BranchLabel,
    /// A tombstone: the scope removes the branch.
    pub removed: bool,
    /// The field-level patch; absent on a tombstone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<BranchPatch>,
}

/// A scope's entry; `key: null` removes an inherited entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryBody {
    /// The code, or `*`.
    pub code: EntryCode,
    /// The entry procedure; `null` removes an inherited entry.
    pub key: Option<ProcedureKey>,
}

/// A scope's layer for an error code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorCodeBody {
    /// The error code.
    pub code: ErrorCode,
    /// The field-level patch.
    pub patch: ErrorCodePatch,
    /// Hex of the code's bytes, for sorting and paging (see
    /// [`keys::sort_key`]); written, never read back.
    #[serde(default, skip_deserializing)]
    pub sort_code: String,
}

/// A content document as written: the body inside its owner's envelope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Owned<T> {
    /// The document key.
    #[serde(rename = "_key")]
    pub key: String,
    /// The source vertex, for edges.
    #[serde(rename = "_from", skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The target vertex, for edges.
    #[serde(rename = "_to", skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The `_key` of the owning scope vertex; every owned document is found by it.
    pub owner: String,
    /// The owning scope's host.
    pub host: Host,
    /// The owning scope's id.
    pub scope: ScopeId,
    /// The id of the last change that altered this object; `None` on
    /// `inherits` edges (part of the scope object, whose revision the vertex holds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
    /// What the document says.
    #[serde(flatten)]
    pub body: T,
}

/// Everything written for one scope document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeRecords {
    /// Into `scopes`.
    pub vertex: ScopeVertex,
    /// Into `inherits`.
    pub inherits: Vec<Owned<InheritsBody>>,
    /// Into `procedures`.
    pub procedures: Vec<Owned<ProcedureBody>>,
    /// Into `branches`.
    pub branches: Vec<Owned<BranchBody>>,
    /// Into `entries`.
    pub entries: Vec<Owned<EntryBody>>,
    /// Into `error_codes`.
    pub error_codes: Vec<Owned<ErrorCodeBody>>,
}

/// The `_id` of a scope vertex.
pub fn scope_handle(key: &str) -> String {
    format!("{}/{key}", schema::SCOPES)
}

impl ScopeRecords {
    /// The records that store `doc`, each object at the revision `revision` gives it.
    pub fn from_document(doc: &ScopeDocument, revision: impl Fn(&ObjectRef) -> u64) -> Self {
        let (s, c) = (&doc.scope, &doc.content);
        let o = Owner {
            host: &s.host,
            scope: &s.id,
            key: keys::scope_key(&s.host, &s.id),
            revision: &revision,
        };
        Self {
            vertex: ScopeVertex {
                key: o.key.clone(),
                sort_id: keys::sort_key(s.id.as_str()),
                revision: revision(&ObjectRef::Scope),
                body: ScopeBody {
                    host: s.host.clone(),
                    id: s.id.clone(),
                    name: s.name.clone(),
                    kind: s.kind,
                    owners: s.owners.clone(),
                    contacts: s.contacts.clone(),
                },
            },
            inherits: (s.parents.iter().enumerate())
                .map(|(i, p)| o.inherits(i, p))
                .collect(),
            procedures: (c.procedures.iter())
                .map(|(k, ch)| o.procedure(k, ch))
                .collect(),
            branches: (c.branches.iter())
                .map(|(id, ch)| o.branch(id, ch))
                .collect(),
            entries: (c.entries.iter())
                .map(|(code, k)| o.entry(code, k))
                .collect(),
            error_codes: (c.error_codes.iter())
                .map(|(code, p)| o.error_code(code, p))
                .collect(),
        }
    }
}

/// The scope that owns content documents, and builds them.
struct Owner<'a> {
    host: &'a Host,
    scope: &'a ScopeId,
    /// The scope vertex's `_key`.
    key: String,
    /// The revision of each object.
    revision: &'a dyn Fn(&ObjectRef) -> u64,
}

impl Owner<'_> {
    fn wrap<T>(
        &self,
        key: String,
        ends: Option<(String, String)>,
        object: Option<ObjectRef>,
        body: T,
    ) -> Owned<T> {
        let (from, to) = ends.unzip();
        let (owner, host, scope) = (self.key.clone(), self.host.clone(), self.scope.clone());
        Owned {
            key,
            from,
            to,
            owner,
            host,
            scope,
            revision: object.map(|o| (self.revision)(&o)),
            body,
        }
    }

    fn inherits(&self, position: usize, parent: &ScopeId) -> Owned<InheritsBody> {
        let key = keys::inherits_key(self.host, self.scope, position);
        let ends = (
            scope_handle(&self.key),
            scope_handle(&keys::scope_key(self.host, parent)),
        );
        self.wrap(
            key,
            Some(ends),
            None,
            InheritsBody {
                parent: parent.clone(),
                position,
            },
        )
    }

    fn procedure(&self, key: &ProcedureKey, change: &ProcedureChange) -> Owned<ProcedureBody> {
        let (removed, patch) = match change {
            ProcedureChange::Removed => (true, None),
            ProcedureChange::Patch(p) => (false, Some(p.clone())),
        };
        let body = ProcedureBody {
            key: key.clone(),
            removed,
            patch,
        };
        let object = ObjectRef::Procedure(key.clone());
        self.wrap(
            keys::procedure_key(self.host, self.scope, key),
            None,
            Some(object),
            body,
        )
    }

    /// A branch edge runs between the owning scope's procedure vertices: from
    /// `from` to `to` when the layer sets `to`, otherwise back to `from` (a
    /// removal, or a patch that keeps the inherited target). The attributes,
    /// not `_from`/`_to`, are what is read back.
    fn branch(&self, id: &BranchId, change: &BranchChange) -> Owned<BranchBody> {
        let handle = |k: &ProcedureKey| {
            format!(
                "{}/{}",
                schema::PROCEDURES,
                keys::procedure_key(self.host, self.scope, k)
            )
        };
        let (removed, patch) = match change {
            BranchChange::Removed => (true, None),
            BranchChange::Patch(p) => (false, Some(p.clone())),
        };
        let to = match patch.as_ref().and_then(|p| p.to.as_set()) {
            Some(to) => handle(to),
            None => handle(&id.from),
        };
        let key = keys::branch_key(self.host, self.scope, &id.from, &id.label);
        let body = BranchBody {
            from: id.from.clone(),
            label: id.label.clone(),
            removed,
            patch,
        };
        let object = ObjectRef::Branch(id.clone());
        self.wrap(key, Some((handle(&id.from), to)), Some(object), body)
    }

    fn entry(&self, code: &EntryCode, key: &Option<ProcedureKey>) -> Owned<EntryBody> {
        let body = EntryBody {
            code: code.clone(),
            key: key.clone(),
        };
        let object = ObjectRef::Entry(code.clone());
        let key = keys::entry_key(self.host, self.scope, code);
        self.wrap(key, None, Some(object), body)
    }

    fn error_code(&self, code: &ErrorCode, patch: &ErrorCodePatch) -> Owned<ErrorCodeBody> {
        let body = ErrorCodeBody {
            code: code.clone(),
            patch: patch.clone(),
            sort_code: keys::sort_key(code.as_str()),
        };
        let object = ObjectRef::ErrorCode(code.clone());
        let key = keys::error_code_key(self.host, self.scope, code);
        self.wrap(key, None, Some(object), body)
    }
}
