//! Every write, whatever its form (a single-object mutation, an import, a
//! restore), takes one path: read a consistent snapshot of the hosts it
//! touches, authorize the caller for every host and scope it names (before
//! reading, then before applying anything: `authorize`), apply the edits to
//! copies, validate every changed scope and every service below it, compute
//! the blast radius, and — unless it is a dry run — commit all of it in one
//! transaction, re-validating when another write got in first.

mod authorize;
pub mod base;
mod check;
mod edit;
pub mod import;
mod restore;
mod turns;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use serde_json::json;

use check::{Checked, Stop, Used};
pub use check::{DEFAULT_MAX_WRITE_SCOPES, DEFAULT_MAX_WRITE_SERVICES, WriteBounds};
pub use edit::{Edit, Mode, ObjectEdit};
pub use restore::Restore;
use turns::{Held, HostTurns};

use crate::{
    auth::{self, Caller, Clock},
    domain::{Host, ObjectRef, ScopeId},
    error::{ApiError, ApiErrorCode},
    resolve::{Catalog, Problem, ServiceImpact},
    store::{Actor, ChangeSet, CommitError, Store},
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
    bounds: WriteBounds,
}

/// A write as asked for.
pub struct WriteRequest<'a> {
    pub caller: Option<&'a Caller>,
    /// The edits, each for a host.
    pub edits: Vec<(Host, Edit)>,
    pub dry_run: bool,
    /// The operation's name for the history, e.g. `updateProcedure`.
    pub operation: &'static str,
    /// The revisions whole documents were based on: a scope changed since
    /// refuses the write (`CONFLICT`). Empty: no such check.
    pub bases: Vec<base::BaseRevision>,
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

/// One host's part of a write, checked against a snapshot.
struct Prepared {
    generation: u64,
    checked: Checked,
}

/// A write in progress: its caller, its turns and its stop.
struct Request<'a> {
    caller: Option<&'a Caller>,
    turns: Arc<Held>,
    stop: Stop,
}

impl Writer {
    /// A writer over a store, reading time from the clock.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, policy: WritePolicy) -> Self {
        Self {
            store,
            clock,
            policy,
            turns: HostTurns::default(),
            bounds: WriteBounds::default(),
        }
    }

    /// The writer with other bounds per write.
    pub fn with_bounds(mut self, bounds: WriteBounds) -> Self {
        self.bounds = bounds;
        self
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
        // Dropped with this future, also when the request is answered
        // without it: the check in progress then ends.
        let stop = Stop::default();
        let _stop_on_drop = stop.on_drop();
        let turns = self
            .turns
            .take(&by_host.keys().collect::<BTreeSet<_>>())
            .await;
        let progress = Request {
            caller: request.caller,
            turns: Arc::new(turns),
            stop,
        };
        // Early, so that a stale document is refused as such before its
        // check; again below, after the snapshot the commit is based on.
        base::check(self.store.as_ref(), &request.bases).await?;
        for _ in 0..ATTEMPTS {
            let mut prepared = BTreeMap::new();
            let mut used = Used::default();
            for (host, edits) in &by_host {
                let p = self.prepare(&progress, host, edits, used).await?;
                used.scopes += p.checked.put.len() + p.checked.delete.len();
                used.services += p.checked.services;
                prepared.insert(host.clone(), p);
            }
            base::check(self.store.as_ref(), &request.bases).await?;
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
            ApiErrorCode::Conflict,
            "other writes kept changing the same host; try again",
        ))
    }

    /// Prepares one host's part against a fresh snapshot: the check runs on
    /// a blocking thread, holding the write's turns until it ends (so the
    /// host's next write waits for it) and ending early once `stop` is set.
    async fn prepare(
        &self,
        request: &Request<'_>,
        host: &Host,
        edits: &[Edit],
        used: Used,
    ) -> Result<Prepared, ApiError> {
        let snapshot = self.store.snapshot(host).await?;
        let input = check::Input {
            policy: self.policy.clone(),
            caller: request.caller.cloned(),
            host: host.clone(),
            before: Catalog::new(snapshot.docs),
            edits: edits.to_vec(),
            bounds: self.bounds,
            used,
            stop: request.stop.clone(),
        };
        let turns = request.turns.clone();
        let checked = tokio::task::spawn_blocking(move || {
            let checked = check::check(input);
            drop(turns);
            checked
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "a write's check failed");
            ApiError::new(ApiErrorCode::Internal, "the write could not be checked")
        })??;
        Ok(Prepared {
            generation: snapshot.generation,
            checked,
        })
    }

    /// In a dry run, the expectations are checked against current revisions
    /// so that the preview says what the real write would say.
    async fn check_expectations(
        &self,
        prepared: &BTreeMap<Host, Prepared>,
    ) -> Result<(), ApiError> {
        for p in prepared.values() {
            for e in &p.checked.expect {
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
            change.put.extend(p.checked.put.iter().cloned());
            change
                .delete
                .extend(p.checked.delete.iter().map(|id| (host.clone(), id.clone())));
            change.expect.extend(p.checked.expect.iter().cloned());
            change.base.push((host.clone(), p.generation));
        }
        Ok(self.store.commit(&change).await?.change_id)
    }
}

fn outcome(prepared: &BTreeMap<Host, Prepared>, dry_run: bool) -> WriteOutcome {
    let mut outcome = WriteOutcome {
        dry_run,
        ..WriteOutcome::default()
    };
    for p in prepared.values() {
        outcome
            .scopes
            .extend(p.checked.put.iter().map(|d| d.scope.id.clone()));
        outcome.scopes.extend(p.checked.delete.iter().cloned());
        outcome.objects.extend(p.checked.objects.iter().cloned());
        outcome.impact.extend(p.checked.impact.iter().cloned());
        outcome.warnings.extend(p.checked.warnings.iter().cloned());
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
        ApiErrorCode::InvalidRunbook,
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
        ApiErrorCode::Conflict,
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
