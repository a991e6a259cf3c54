//! A concise builder for scope documents and helpers to read results:
//! `doc("svc", SERVICE, &["lob"]).step("a", "A").branch("a", "yes", "b")`.

use serde_json::Value;

use crate::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, Contact, EntryCode, ErrorCode,
    ErrorCodePatch, Host, Patch, ProcedureChange, ProcedureKey, ProcedureKind, ProcedurePatch,
    Scope, ScopeContent, ScopeDocument, ScopeId, ScopeKind,
};
use crate::resolve::{EffectiveRunbook, RemovedItem, ResolveError, resolve};

pub const FRAMEWORK: ScopeKind = ScopeKind::Framework;
pub const ORGANIZATION: ScopeKind = ScopeKind::Organization;
pub const LINE_OF_BUSINESS: ScopeKind = ScopeKind::LineOfBusiness;
pub const TEMPLATE: ScopeKind = ScopeKind::Template;
pub const SERVICE: ScopeKind = ScopeKind::Service;

pub fn id(s: &str) -> ScopeId {
    ScopeId::parse(s).unwrap()
}

pub fn ids(list: &[&str]) -> Vec<ScopeId> {
    list.iter().map(|s| id(s)).collect()
}

pub fn key(s: &str) -> ProcedureKey {
    ProcedureKey::parse(s).unwrap()
}

pub fn code(s: &str) -> ErrorCode {
    ErrorCode::parse(s).unwrap()
}

fn branch_id(from: &str, label: &str) -> BranchId {
    BranchId {
        from: key(from),
        label: BranchLabel::parse(label).unwrap(),
    }
}

/// A scope with no content.
pub fn doc(scope: &str, kind: ScopeKind, parents: &[&str]) -> ScopeDocument {
    ScopeDocument {
        scope: Scope {
            host: Host::parse("lightapi.net").unwrap(),
            id: id(scope),
            name: scope.to_uppercase(),
            kind,
            parents: ids(parents),
            owners: Vec::new(),
            contacts: Vec::new(),
        },
        content: ScopeContent::default(),
    }
}

/// A procedure patch, built field by field.
#[derive(Default)]
pub struct P(ProcedurePatch);

impl P {
    pub fn title(mut self, t: &str) -> Self {
        self.0.title = Patch::Set(t.to_owned());
        self
    }
    pub fn kind(mut self, k: ProcedureKind) -> Self {
        self.0.kind = Patch::Set(k);
        self
    }
    pub fn body(mut self, b: &str) -> Self {
        self.0.body = Patch::Set(b.to_owned());
        self
    }
    pub fn tags(mut self, t: &[&str]) -> Self {
        self.0.tags = Patch::Set(t.iter().map(|s| (*s).to_owned()).collect());
        self
    }
    /// `automation` from a JSON object.
    pub fn automation(mut self, v: Value) -> Self {
        self.0.automation = Patch::Set(v.as_object().unwrap().clone());
        self
    }
    pub fn clear_title(mut self) -> Self {
        self.0.title = Patch::Clear;
        self
    }
    pub fn clear_body(mut self) -> Self {
        self.0.body = Patch::Clear;
        self
    }
    pub fn clear_tags(mut self) -> Self {
        self.0.tags = Patch::Clear;
        self
    }
}

/// A branch patch, built field by field.
#[derive(Default)]
pub struct B(BranchPatch);

impl B {
    pub fn to(mut self, k: &str) -> Self {
        self.0.to = Patch::Set(key(k));
        self
    }
    pub fn clear_to(mut self) -> Self {
        self.0.to = Patch::Clear;
        self
    }
    pub fn condition(mut self, c: &str) -> Self {
        self.0.condition = Patch::Set(c.to_owned());
        self
    }
    pub fn order(mut self, o: i64) -> Self {
        self.0.order = Patch::Set(o);
        self
    }
}

/// An error code patch, built field by field.
#[derive(Default)]
pub struct E(ErrorCodePatch);

impl E {
    pub fn status(mut self, s: u16) -> Self {
        self.0.status_code = Patch::Set(s);
        self
    }
    pub fn message(mut self, m: &str) -> Self {
        self.0.message = Patch::Set(m.to_owned());
        self
    }
    pub fn severity(mut self, s: &str) -> Self {
        self.0.severity = Patch::Set(s.to_owned());
        self
    }
}

/// Builder methods on a document.
pub trait Build: Sized {
    fn proc(self, key: &str, f: impl FnOnce(P) -> P) -> Self;
    /// A complete procedure: a STEP with a title.
    fn step(self, k: &str, title: &str) -> Self {
        self.proc(k, |p| p.title(title).kind(ProcedureKind::Step))
    }
    fn remove(self, key: &str) -> Self;
    fn branch_with(self, from: &str, label: &str, f: impl FnOnce(B) -> B) -> Self;
    fn branch(self, from: &str, label: &str, to: &str) -> Self {
        self.branch_with(from, label, |b| b.to(to))
    }
    fn remove_branch(self, from: &str, label: &str) -> Self;
    /// `code` is `*` or an error code.
    fn entry(self, code: &str, key: &str) -> Self;
    /// `CODE: null`.
    fn no_entry(self, code: &str) -> Self;
    fn error_code(self, code: &str, f: impl FnOnce(E) -> E) -> Self;
    fn contact(self, name: &str) -> Self;
}

impl Build for ScopeDocument {
    fn proc(mut self, k: &str, f: impl FnOnce(P) -> P) -> Self {
        let patch = f(P::default()).0;
        self.content
            .procedures
            .insert(key(k), ProcedureChange::Patch(patch));
        self
    }
    fn remove(mut self, k: &str) -> Self {
        self.content
            .procedures
            .insert(key(k), ProcedureChange::Removed);
        self
    }
    fn branch_with(mut self, from: &str, label: &str, f: impl FnOnce(B) -> B) -> Self {
        let patch = f(B::default()).0;
        self.content
            .branches
            .insert(branch_id(from, label), BranchChange::Patch(patch));
        self
    }
    fn remove_branch(mut self, from: &str, label: &str) -> Self {
        self.content
            .branches
            .insert(branch_id(from, label), BranchChange::Removed);
        self
    }
    fn entry(mut self, c: &str, k: &str) -> Self {
        self.content
            .entries
            .insert(EntryCode::parse(c).unwrap(), Some(key(k)));
        self
    }
    fn no_entry(mut self, c: &str) -> Self {
        self.content
            .entries
            .insert(EntryCode::parse(c).unwrap(), None);
        self
    }
    fn error_code(mut self, c: &str, f: impl FnOnce(E) -> E) -> Self {
        self.content.error_codes.insert(code(c), f(E::default()).0);
        self
    }
    fn contact(mut self, name: &str) -> Self {
        self.scope.contacts.push(Contact {
            name: name.to_owned(),
            ..Contact::default()
        });
        self
    }
}

/// The whole runbook of `service`.
pub fn run(docs: &[ScopeDocument], service: &str) -> EffectiveRunbook {
    resolve(&id(service), docs, None).unwrap()
}

/// The runbook of `service` for one error code.
pub fn run_code(
    docs: &[ScopeDocument],
    service: &str,
    error_code: &str,
) -> Result<EffectiveRunbook, ResolveError> {
    resolve(&id(service), docs, Some(&code(error_code)))
}

/// The procedure keys in result order.
pub fn proc_keys(r: &EffectiveRunbook) -> Vec<&str> {
    r.procedures.iter().map(|p| p.key.as_str()).collect()
}

/// The branches in result order, as `from/label->to`.
pub fn branch_names(r: &EffectiveRunbook) -> Vec<String> {
    let name = |b: &crate::resolve::EffectiveBranch| format!("{}/{}->{}", b.from, b.label, b.to);
    r.branches.iter().map(name).collect()
}

/// The entries in result order, as `code->key`.
pub fn entry_names(r: &EffectiveRunbook) -> Vec<String> {
    r.entries
        .iter()
        .map(|e| format!("{}->{}", e.code, e.key))
        .collect()
}

/// The removals in result order, as `what by scope`.
pub fn removed_names(r: &EffectiveRunbook) -> Vec<String> {
    let what = |item: &RemovedItem| match item {
        RemovedItem::Procedure { key } => format!("procedure {key}"),
        RemovedItem::Branch { from, label } => format!("branch {from}/{label}"),
        RemovedItem::Entry { code } => format!("entry {code}"),
    };
    r.removed
        .iter()
        .map(|x| format!("{} by {}", what(&x.item), x.scope))
        .collect()
}

/// The warnings as `CODE scope key`.
pub fn warning_names(r: &EffectiveRunbook) -> Vec<String> {
    r.warnings
        .iter()
        .map(|w| {
            let scope = w.scope.as_ref().map_or("-", ScopeId::as_str);
            format!("{} {} {}", w.code, scope, w.key.as_deref().unwrap_or("-"))
        })
        .collect()
}
