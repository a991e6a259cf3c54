//! Builders for the documents and change sets the contract tests write.

use light_runbook::{
    domain::{
        BranchChange, BranchId, BranchLabel, BranchPatch, EntryCode, ErrorCode, ErrorCodePatch,
        Host, ObjectRef, Patch, ProcedureChange, ProcedureKey, ProcedureKind, ProcedurePatch,
        Scope, ScopeContent, ScopeDocument, ScopeId, ScopeKind,
    },
    store::{Actor, ChangeSet, Committed, Expectation, HistoryFilter, HistoryRecord, Store},
};

pub fn host(value: &str) -> Host {
    Host::parse(value).expect("test host")
}

pub fn id(value: &str) -> ScopeId {
    ScopeId::parse(value).expect("test scope id")
}

pub fn ids(values: &[&str]) -> Vec<ScopeId> {
    values.iter().map(|v| id(v)).collect()
}

pub fn key(value: &str) -> ProcedureKey {
    ProcedureKey::parse(value).expect("test procedure key")
}

pub fn code(value: &str) -> ErrorCode {
    ErrorCode::parse(value).expect("test error code")
}

pub fn label(value: &str) -> BranchLabel {
    BranchLabel::parse(value).expect("test branch label")
}

/// The ids of documents, in their order.
pub fn doc_ids(docs: &[ScopeDocument]) -> Vec<&str> {
    docs.iter().map(|d| d.scope.id.as_str()).collect()
}

/// Documents sorted by id, for comparing results that come in no particular order.
pub fn sorted(mut docs: Vec<ScopeDocument>) -> Vec<ScopeDocument> {
    docs.sort_by(|a, b| a.scope.id.cmp(&b.scope.id));
    docs
}

/// Starts a document: a SERVICE scope named after its id, without content.
pub fn doc(host_name: &str, scope_id: &str) -> Doc {
    Doc(ScopeDocument {
        scope: Scope {
            host: host(host_name),
            id: id(scope_id),
            name: format!("Scope {scope_id}"),
            kind: ScopeKind::Service,
            parents: Vec::new(),
            owners: Vec::new(),
            contacts: Vec::new(),
        },
        content: ScopeContent::default(),
    })
}

/// A document under construction.
pub struct Doc(ScopeDocument);

impl Doc {
    pub fn name(mut self, name: &str) -> Self {
        self.0.scope.name = name.to_owned();
        self
    }

    pub fn kind(mut self, kind: ScopeKind) -> Self {
        self.0.scope.kind = kind;
        self
    }

    pub fn parents(mut self, parents: &[&str]) -> Self {
        self.0.scope.parents = ids(parents);
        self
    }

    /// A complete STEP procedure with a title.
    pub fn procedure(mut self, key_name: &str, title: &str) -> Self {
        let patch = ProcedurePatch {
            title: Patch::Set(title.to_owned()),
            kind: Patch::Set(ProcedureKind::Step),
            ..ProcedurePatch::default()
        };
        self.0
            .content
            .procedures
            .insert(key(key_name), ProcedureChange::Patch(patch));
        self
    }

    pub fn removed_procedure(mut self, key_name: &str) -> Self {
        self.0
            .content
            .procedures
            .insert(key(key_name), ProcedureChange::Removed);
        self
    }

    pub fn branch(mut self, from: &str, branch_label: &str, to: &str) -> Self {
        let branch = BranchId {
            from: key(from),
            label: label(branch_label),
        };
        let patch = BranchPatch {
            to: Patch::Set(key(to)),
            ..BranchPatch::default()
        };
        self.0
            .content
            .branches
            .insert(branch, BranchChange::Patch(patch));
        self
    }

    /// An entry; `None` removes an inherited one.
    pub fn entry(mut self, entry_code: &str, target: Option<&str>) -> Self {
        let entry = EntryCode::parse(entry_code).expect("test entry code");
        self.0.content.entries.insert(entry, target.map(key));
        self
    }

    /// An error code with a message.
    pub fn error_code(mut self, error_code: &str, message: &str) -> Self {
        let patch = ErrorCodePatch {
            message: Patch::Set(message.to_owned()),
            ..ErrorCodePatch::default()
        };
        self.0.content.error_codes.insert(code(error_code), patch);
        self
    }

    pub fn build(self) -> ScopeDocument {
        self.0
    }
}

/// The procedure object `key_name`.
pub fn procedure(key_name: &str) -> ObjectRef {
    ObjectRef::Procedure(key(key_name))
}

/// Starts a change set by `alice` at 1 000 ms through `test`, changing nothing.
pub fn change() -> Change {
    Change(ChangeSet {
        put: Vec::new(),
        delete: Vec::new(),
        expect: Vec::new(),
        base: Vec::new(),
        actor: Actor {
            uid: "alice".to_owned(),
            at_ms: 1_000,
            operation: "test".to_owned(),
        },
    })
}

/// A change set under construction.
pub struct Change(ChangeSet);

impl Change {
    pub fn put(mut self, doc: &ScopeDocument) -> Self {
        self.0.put.push(doc.clone());
        self
    }

    pub fn delete(mut self, host_name: &str, scope_id: &str) -> Self {
        self.0.delete.push((host(host_name), id(scope_id)));
        self
    }

    /// Expects `object` of `scope_id` in `host_name` at `revision` (`None`: absent).
    pub fn expect(
        mut self,
        host_name: &str,
        scope_id: &str,
        object: ObjectRef,
        revision: Option<u64>,
    ) -> Self {
        self.0.expect.push(Expectation {
            host: host(host_name),
            scope: id(scope_id),
            object,
            revision,
        });
        self
    }

    pub fn base(mut self, host_name: &str, generation: u64) -> Self {
        self.0.base.push((host(host_name), generation));
        self
    }

    pub fn by(mut self, uid: &str, at_ms: i64, operation: &str) -> Self {
        self.0.actor = Actor {
            uid: uid.to_owned(),
            at_ms,
            operation: operation.to_owned(),
        };
        self
    }

    pub fn build(self) -> ChangeSet {
        self.0
    }

    /// Commits the change, which must succeed.
    pub async fn commit(self, store: &dyn Store) -> Committed {
        store.commit(&self.0).await.expect("the commit succeeds")
    }
}

/// Every history record of a host, newest first.
pub async fn all_history(store: &dyn Store, host_name: &str) -> Vec<HistoryRecord> {
    let filter = HistoryFilter {
        limit: 10_000,
        ..HistoryFilter::default()
    };
    store
        .history(&host(host_name), &filter)
        .await
        .expect("history")
}
