//! Every write, whatever its form (a single-object mutation, an import, a
//! restore), takes one path: read a consistent snapshot of the hosts it
//! touches, authorize the caller for every host and scope it names (before
//! reading, then before applying anything: `authorize`), apply the edits to
//! copies, validate every changed scope and every service below it, compute
//! the blast radius, and — unless it is a dry run — commit all of it in one
//! transaction, re-validating when another write got in first.

mod authorize;
mod edit;
mod restore;
mod turns;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use serde_json::json;

use edit::Working;
pub use edit::{Edit, Mode, ObjectEdit};
pub use restore::Restore;
use turns::HostTurns;

use crate::{
    auth::{self, Caller, Clock},
    domain::{Host, ObjectRef, ScopeDocument, ScopeId},
    error::{ApiError, ErrorCode},
    resolve::{self, Catalog, Problem, ServiceImpact},
    store::{Actor, ChangeSet, CommitError, Expectation, Store},
};

/// How often a write is validated again when writes of other processes keep
/// getting in first (writes of this process wait for each other instead).
const ATTEMPTS: usize = 10;

/// Who may write, and how writes are attributed.
#[derive(Clone)]
pub struct WritePolicy {
    /// Whether tokens are verified at all; when not, anyone may write, as `anonymous`.
    pub auth_enabled: bool,
    /// The token scope (`scp`) writes need, e.g. `portal.w`.
    pub write_scope: String,
}

/// Carries out writes against a store.
#[derive(Clone)]
pub struct Writer {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    policy: WritePolicy,
    /// Writes of this process to the same host take turns: validating against
    /// a snapshot only to find it stale is wasted work. Writes of other hosts
    /// do not wait; other processes are caught by the store's generation
    /// check and retried.
    turns: HostTurns,
}

/// A write as asked for.
pub struct WriteRequest<'a> {
    pub caller: Option<&'a Caller>,
    /// The edits, each for a host.
    pub edits: Vec<(Host, Edit)>,
    pub dry_run: bool,
    /// The operation's name for the history, e.g. `updateProcedure`.
    pub operation: &'static str,
}

/// What a write did, or would do in a dry run.
#[derive(Debug, Clone, Default)]
pub struct WriteOutcome {
    pub dry_run: bool,
    /// The change id; every object the write changed now has it as its
    /// revision. 0 for a dry run or a write that changed nothing.
    pub change_id: u64,
    /// Scopes the write changes (or deletes), sorted.
    pub scopes: Vec<ScopeId>,
    /// Every object that changes: scope, object.
    pub objects: Vec<(ScopeId, ObjectRef)>,
    /// Services whose effective runbook changes, and how.
    pub impact: Vec<ServiceImpact>,
    /// New warnings the change causes.
    pub warnings: Vec<Problem>,
}

/// One host's part of a write, prepared against a snapshot.
struct Prepared {
    generation: u64,
    put: Vec<ScopeDocument>,
    delete: Vec<ScopeId>,
    objects: Vec<(ScopeId, ObjectRef)>,
    impact: Vec<ServiceImpact>,
    warnings: Vec<Problem>,
    expect: Vec<Expectation>,
}

impl Writer {
    /// A writer over a store, reading time from the clock.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, policy: WritePolicy) -> Self {
        Self {
            store,
            clock,
            policy,
            turns: HostTurns::default(),
        }
    }

    /// Refuses a caller who may not write scope `scope` of `host`, for a
    /// write that reads something of the scope (its history) first.
    pub async fn may_write(
        &self,
        caller: Option<&Caller>,
        host: &Host,
        scope: &ScopeId,
    ) -> Result<(), ApiError> {
        authorize::hosts(&self.policy, caller, [host])?;
        if !self.policy.auth_enabled {
            return Ok(());
        }
        let owners = self.store.scopes(host, std::slice::from_ref(scope)).await?;
        let owners = owners.into_iter().next().map(|s| s.owners);
        auth::can_write(
            caller,
            host,
            &self.policy.write_scope,
            &[(scope.clone(), owners.unwrap_or_default())],
        )
    }

    /// Carries out a write (or previews it, for a dry run).
    pub async fn write(&self, request: WriteRequest<'_>) -> Result<WriteOutcome, ApiError> {
        let mut by_host: BTreeMap<Host, Vec<Edit>> = BTreeMap::new();
        for (host, edit) in request.edits {
            by_host.entry(host).or_default().push(edit);
        }
        authorize::hosts(&self.policy, request.caller, by_host.keys())?;
        let _turns = self
            .turns
            .take(&by_host.keys().collect::<BTreeSet<_>>())
            .await;
        for _ in 0..ATTEMPTS {
            let mut prepared = BTreeMap::new();
            for (host, edits) in &by_host {
                prepared.insert(
                    host.clone(),
                    self.prepare(request.caller, host, edits).await?,
                );
            }
            let outcome = outcome(&prepared, request.dry_run);
            if request.dry_run {
                self.check_expectations(&prepared).await?;
                return Ok(outcome);
            }
            if outcome.objects.is_empty() {
                return Ok(outcome);
            }
            match self
                .commit(request.caller, request.operation, &prepared)
                .await
            {
                Ok(change_id) => {
                    return Ok(WriteOutcome {
                        change_id,
                        ..outcome
                    });
                }
                Err(CommitError::Stale { host }) => {
                    tracing::debug!(%host, "host changed during a write; validating again");
                }
                Err(CommitError::Conflict {
                    scope,
                    object,
                    expected,
                    actual,
                }) => {
                    return Err(conflict(&scope, &object, expected, actual));
                }
                Err(CommitError::Store(e)) => return Err(e.into()),
            }
        }
        Err(ApiError::new(
            ErrorCode::Conflict,
            "other writes kept changing the same host; try again",
        ))
    }

    async fn prepare(
        &self,
        caller: Option<&Caller>,
        host: &Host,
        edits: &[Edit],
    ) -> Result<Prepared, ApiError> {
        let snapshot = self.store.snapshot(host).await?;
        let before = Catalog::new(snapshot.docs);
        authorize::targets(&self.policy, caller, host, &before, edits)?;
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
        let (put, delete) = changes(&before, working)?;
        authorize::changes(&self.policy, caller, host, &before, &put, &delete)?;
        let after = before.with(&put).without(&delete);
        for id in &delete {
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
        let changed: Vec<ScopeId> = put.iter().map(|d| d.scope.id.clone()).collect();
        let report = resolve::check_change(&before, &after, &changed);
        if !report.errors.is_empty() {
            return Err(refused(&report.errors));
        }
        let mut services = report.affected_services.clone();
        services.extend(delete.iter().filter(|id| is_service(&before, id)).cloned());
        let objects = put
            .iter()
            .flat_map(|d| {
                crate::domain::diff(before.get(&d.scope.id), Some(d))
                    .into_iter()
                    .map(|c| (d.scope.id.clone(), c.object))
            })
            .chain(delete.iter().map(|id| (id.clone(), ObjectRef::Scope)))
            .collect();
        Ok(Prepared {
            generation: snapshot.generation,
            impact: resolve::impact(&before, &after, &services),
            warnings: report.warnings,
            put,
            delete,
            objects,
            expect,
        })
    }

    /// In a dry run, the expectations are checked against current revisions
    /// so that the preview says what the real write would say.
    async fn check_expectations(
        &self,
        prepared: &BTreeMap<Host, Prepared>,
    ) -> Result<(), ApiError> {
        for p in prepared.values() {
            for e in &p.expect {
                let revisions = self.store.revisions(&e.host, &e.scope).await?;
                let actual = revisions
                    .iter()
                    .find(|(o, _)| o == &e.object)
                    .map(|(_, r)| *r);
                if actual != e.revision {
                    return Err(conflict(&e.scope, &e.object, e.revision, actual));
                }
            }
        }
        Ok(())
    }

    async fn commit(
        &self,
        caller: Option<&Caller>,
        operation: &'static str,
        prepared: &BTreeMap<Host, Prepared>,
    ) -> Result<u64, CommitError> {
        let mut change = ChangeSet {
            put: Vec::new(),
            delete: Vec::new(),
            expect: Vec::new(),
            base: Vec::new(),
            actor: Actor {
                uid: caller.map_or_else(|| "anonymous".to_owned(), |c| c.uid.clone()),
                at_ms: self.clock.unix_millis(),
                operation: operation.to_owned(),
            },
        };
        for (host, p) in prepared {
            change.put.extend(p.put.iter().cloned());
            change
                .delete
                .extend(p.delete.iter().map(|id| (host.clone(), id.clone())));
            change.expect.extend(p.expect.iter().cloned());
            change.base.push((host.clone(), p.generation));
        }
        Ok(self.store.commit(&change).await?.change_id)
    }
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
        .is_some_and(|d| d.scope.kind == crate::domain::ScopeKind::Service)
}

fn outcome(prepared: &BTreeMap<Host, Prepared>, dry_run: bool) -> WriteOutcome {
    let mut outcome = WriteOutcome {
        dry_run,
        ..WriteOutcome::default()
    };
    for p in prepared.values() {
        outcome
            .scopes
            .extend(p.put.iter().map(|d| d.scope.id.clone()));
        outcome.scopes.extend(p.delete.iter().cloned());
        outcome.objects.extend(p.objects.iter().cloned());
        outcome.impact.extend(p.impact.iter().cloned());
        outcome.warnings.extend(p.warnings.iter().cloned());
    }
    outcome.scopes.sort();
    outcome.scopes.dedup();
    outcome
}

/// A refused write: the problems, each with its code, scope and key.
pub fn refused(problems: &[Problem]) -> ApiError {
    let list: Vec<_> = problems
        .iter()
        .map(|p| json!({ "code": p.code, "scope": p.scope.as_str(), "key": p.key, "message": p.message }))
        .collect();
    let first = problems
        .first()
        .map_or_else(String::new, |p| p.message.clone());
    let more = match problems.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more problem(s))", n - 1),
    };
    ApiError::new(
        ErrorCode::InvalidRunbook,
        format!("the change is refused: {first}{more}"),
    )
    .with_details("problems", json!(list))
}

fn conflict(
    scope: &ScopeId,
    object: &ObjectRef,
    expected: Option<u64>,
    actual: Option<u64>,
) -> ApiError {
    let show = |r: Option<u64>| r.map_or_else(|| "none (absent)".to_owned(), |r| r.to_string());
    ApiError::new(
        ErrorCode::Conflict,
        format!(
            "{object} of scope {scope} is at revision {}, not {}: reload it and try again",
            show(actual),
            show(expected)
        ),
    )
    .with_details(
        "revision",
        json!({ "expected": expected, "actual": actual }),
    )
}
