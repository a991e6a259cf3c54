//! The check step of a write, for one host: apply the edits to copies of a
//! snapshot, validate every changed scope and every service below it, and
//! compute the blast radius. Pure CPU work, run off the async runtime; it
//! keeps to the write's bounds and ends as soon as nobody waits for it.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use serde_json::json;

use super::{
    Edit, Mode, ObjectEdit, WritePolicy, authorize,
    edit::{self, Working},
    refused,
};
use crate::{
    auth::Caller,
    domain::{Host, ObjectRef, ScopeDocument, ScopeId, ScopeKind},
    error::{ApiError, ApiErrorCode},
    resolve::{self, Catalog, CheckBounds, CheckCut, Problem, ServiceImpact},
    store::Expectation,
};

/// The default of `--max-write-scopes`.
pub const DEFAULT_MAX_WRITE_SCOPES: usize = 10_000;

/// The default of `--max-write-services`.
pub const DEFAULT_MAX_WRITE_SERVICES: usize = 10_000;

/// Bounds of one write, whatever the hosts it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteBounds {
    /// Most scopes one write may change or delete.
    pub max_scopes: usize,
    /// Most services one write may reach (each is re-checked).
    pub max_services: usize,
}

impl Default for WriteBounds {
    fn default() -> Self {
        Self {
            max_scopes: DEFAULT_MAX_WRITE_SCOPES,
            max_services: DEFAULT_MAX_WRITE_SERVICES,
        }
    }
}

/// Set when nobody waits for a write any more: its check ends at the next
/// scope or service.
#[derive(Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// Whether the stop was asked for.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A guard that asks for the stop when dropped: held by the request's
    /// future, it fires when the request is answered without it (a timeout,
    /// a client gone) as well as after the write ends.
    pub fn on_drop(&self) -> StopOnDrop {
        StopOnDrop(self.clone())
    }
}

/// Asks for its [`Stop`] when dropped.
pub struct StopOnDrop(Stop);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.0.store(true, Ordering::Relaxed);
    }
}

/// What one host's part of a write uses of the write's bounds so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct Used {
    pub scopes: usize,
    pub services: usize,
}

/// What the check step needs, owned so that it can run on another thread.
pub struct Input {
    pub policy: WritePolicy,
    pub caller: Option<Caller>,
    pub host: Host,
    pub before: Catalog,
    pub edits: Vec<Edit>,
    pub bounds: WriteBounds,
    pub used: Used,
    pub stop: Stop,
}

/// One host's part of a write, checked.
pub struct Checked {
    pub put: Vec<ScopeDocument>,
    pub delete: Vec<ScopeId>,
    pub objects: Vec<(ScopeId, ObjectRef)>,
    pub impact: Vec<ServiceImpact>,
    pub warnings: Vec<Problem>,
    pub expect: Vec<Expectation>,
    /// The services the part reaches.
    pub services: usize,
}

/// Checks one host's part of a write.
pub fn check(input: Input) -> Result<Checked, ApiError> {
    let Input {
        policy,
        caller,
        host,
        before,
        edits,
        bounds,
        used,
        stop,
    } = input;
    let caller = caller.as_ref();
    authorize::targets(&policy, caller, &host, &before, &edits)?;
    let (working, expect) = apply(&host, &before, &edits)?;
    let (put, delete) = changes(&before, working)?;
    authorize::changes(&policy, caller, &host, &before, &put, &delete)?;
    let scopes = used.scopes + put.len() + delete.len();
    if scopes > bounds.max_scopes {
        return Err(too_many(
            "--max-write-scopes",
            "scopes",
            bounds.max_scopes,
            scopes,
        ));
    }
    let after = before.with(&put).without(&delete);
    refuse_orphans(&after, &delete)?;
    let changed: Vec<ScopeId> = put.iter().map(|d| d.scope.id.clone()).collect();
    let is_stopped = || stop.is_set();
    let within = CheckBounds {
        max_services: bounds.max_services.saturating_sub(used.services),
        stop: &is_stopped,
    };
    let report = match resolve::check_change_within(&before, &after, &changed, &within) {
        Ok(report) => report,
        Err(CheckCut::TooManyServices { reached }) => {
            let count = used.services + reached;
            return Err(too_many(
                "--max-write-services",
                "services",
                bounds.max_services,
                count,
            ));
        }
        Err(CheckCut::Stopped) => return Err(stopped(&host)),
    };
    if !report.errors.is_empty() {
        return Err(refused(&report.errors));
    }
    let mut services = report.affected_services.clone();
    services.extend(delete.iter().filter(|id| is_service(&before, id)).cloned());
    let impact = resolve::impact_until(&before, &after, &services, &is_stopped)
        .ok_or_else(|| stopped(&host))?;
    Ok(Checked {
        objects: changed_objects(&before, &put, &delete),
        impact,
        warnings: report.warnings,
        services: report.affected_services.len(),
        put,
        delete,
        expect,
    })
}

/// Applies the edits to working copies of the documents they touch, with
/// the revisions the object edits expect.
fn apply(
    host: &Host,
    before: &Catalog,
    edits: &[Edit],
) -> Result<(Working, Vec<Expectation>), ApiError> {
    let mut working: Working = BTreeMap::new();
    let mut expect = Vec::new();
    for e in edits {
        match e {
            Edit::Put(doc) => {
                if &doc.scope.host != host {
                    return Err(ApiError::bad_input(
                        "host",
                        "a document's host differs from its edit's",
                    ));
                }
                working.insert(doc.scope.id.clone(), Some(doc.clone()));
            }
            Edit::Object(object_edit) => {
                working
                    .entry(object_edit.scope.clone())
                    .or_insert_with(|| before.get(&object_edit.scope).cloned());
                edit::apply(&mut working, host, object_edit)?;
                if let Some(revision) = expectation(object_edit) {
                    expect.push(Expectation {
                        host: host.clone(),
                        scope: object_edit.scope.clone(),
                        object: object_edit.object.clone(),
                        revision,
                    });
                }
            }
        }
    }
    Ok((working, expect))
}

fn refuse_orphans(after: &Catalog, delete: &[ScopeId]) -> Result<(), ApiError> {
    for id in delete {
        let children = after.children(id);
        if !children.is_empty() {
            let names: Vec<&str> = children.iter().map(ScopeId::as_str).collect();
            return Err(ApiError::bad_input(
                "id",
                format!(
                    "scope {id} still has children ({}): delete or re-parent them first",
                    names.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn changed_objects(
    before: &Catalog,
    put: &[ScopeDocument],
    delete: &[ScopeId],
) -> Vec<(ScopeId, ObjectRef)> {
    put.iter()
        .flat_map(|d| {
            crate::domain::diff(before.get(&d.scope.id), Some(d))
                .into_iter()
                .map(|c| (d.scope.id.clone(), c.object))
        })
        .chain(delete.iter().map(|id| (id.clone(), ObjectRef::Scope)))
        .collect()
}

fn expectation(edit: &ObjectEdit) -> Option<Option<u64>> {
    match (edit.mode, edit.expected) {
        (Mode::Create, _) => Some(None),
        (_, Some(revision)) => Some(Some(revision)),
        (_, None) => None,
    }
}

/// Splits the working copies into changed documents and deleted scopes,
/// validating every changed document by the format's rules.
fn changes(
    before: &Catalog,
    working: Working,
) -> Result<(Vec<ScopeDocument>, Vec<ScopeId>), ApiError> {
    let (mut put, mut delete) = (Vec::new(), Vec::new());
    for (id, doc) in working {
        match doc {
            Some(doc) if before.get(&id) != Some(&doc) => {
                edit::validate(&doc)?;
                put.push(doc);
            }
            Some(_) => {}
            None if before.get(&id).is_some() => delete.push(id),
            None => {}
        }
    }
    Ok((put, delete))
}

fn is_service(catalog: &Catalog, id: &ScopeId) -> bool {
    catalog
        .get(id)
        .is_some_and(|d| d.scope.kind == ScopeKind::Service)
}

/// A write past one of its bounds: the flag that sets it, the bound and the count.
fn too_many(flag: &'static str, what: &str, max: usize, count: usize) -> ApiError {
    ApiError::new(
        ApiErrorCode::LimitExceeded,
        format!("the write reaches {count} {what}; at most {max} per write ({flag})"),
    )
    .with_details("limit", json!({ "name": flag, "max": max, "count": count }))
}

/// The answer of a check nobody waits for any more (it is never sent).
fn stopped(host: &Host) -> ApiError {
    metrics::counter!("runbook_write_checks_stopped_total", "host" => host.as_str().to_owned())
        .increment(1);
    tracing::debug!(%host, "the request went away; the write's check stopped");
    ApiError::new(
        ApiErrorCode::Internal,
        "the request went away before its write was checked",
    )
}
