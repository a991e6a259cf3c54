//! The executions service: starts executions (by alert, deduplicated, or by
//! hand), applies people's moves, answers queries, and hands automated
//! steps to the driver. Every change goes through the store atomically and
//! is then published on the event bus.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;
use tokio::sync::broadcast;

use super::{
    engine::{Change, Walk},
    events::{Event, EventKind},
    executors::Executors,
    model::{AlertContext, Execution, ExecutionId, ExecutionState, Status},
    pinned::PinnedRunbook,
};
use crate::{
    auth::{Caller, Clock},
    domain::Host,
    error::{ApiError, ErrorCode},
    runbooks::Runbooks,
    store::{
        StoreResult,
        executions::{AlertKey, ExecutionFilter, ExecutionStore, Written},
    },
};

/// How many events the bus keeps for slow subscribers before they reload from the store.
const BUS_CAPACITY: usize = 1024;
/// How often pinning retries when the runbooks change while it reads them.
const PIN_ATTEMPTS: usize = 3;

/// Settings of the executions service.
#[derive(Debug, Clone)]
pub struct ExecutionSettings {
    /// An alert joins an open execution of the same service and code whose
    /// last alert is at most this old.
    pub dedup_window: Duration,
    /// The base of deep links, e.g. `http://127.0.0.1:8080`.
    pub public_url: String,
    /// Whether tokens are verified; when not, anyone may act, as `anonymous`.
    pub auth_enabled: bool,
    /// The token scope moves need.
    pub write_scope: String,
}

impl Default for ExecutionSettings {
    fn default() -> Self {
        Self {
            dedup_window: Duration::from_secs(900),
            public_url: "http://127.0.0.1:8080".into(),
            auth_enabled: false,
            write_scope: crate::auth::DEFAULT_WRITE_SCOPE.into(),
        }
    }
}

/// How an execution starts.
#[derive(Debug, Clone)]
pub struct StartRequest {
    pub context: AlertContext,
    /// `uid` of the person, or `alert`.
    pub started_by: String,
    /// Join an open execution of the same service and code instead of opening another.
    pub deduplicate: bool,
    /// The alert as received, recorded with the start (or the join).
    pub alert: Option<Value>,
}

/// A started (or joined) execution.
#[derive(Debug, Clone)]
pub struct Started {
    pub execution: Execution,
    /// True when the alert joined an open execution.
    pub joined: bool,
}

/// A person's move.
#[derive(Debug, Clone)]
pub enum Move {
    CompleteStep {
        note: Option<String>,
        output: Option<Value>,
    },
    ChooseBranch {
        label: String,
        note: Option<String>,
    },
    Note(String),
    Close {
        status: Status,
        note: Option<String>,
    },
}

/// Shared, cheap to clone.
#[derive(Clone)]
pub struct Executions {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) runbooks: Runbooks,
    pub(super) store: Arc<dyn ExecutionStore>,
    pub(super) executors: Executors,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) settings: ExecutionSettings,
    pub(super) bus: broadcast::Sender<Arc<Event>>,
    /// Executions a driver task is walking; `true` when asked to look again.
    pub(super) driving: Mutex<HashMap<ExecutionId, bool>>,
}

impl Executions {
    /// The service over a runbook store and an execution store.
    pub fn new(
        runbooks: Runbooks,
        store: Arc<dyn ExecutionStore>,
        executors: Executors,
        clock: Arc<dyn Clock>,
        settings: ExecutionSettings,
    ) -> Self {
        let (bus, _) = broadcast::channel(BUS_CAPACITY);
        Self {
            inner: Arc::new(Inner {
                runbooks,
                store,
                executors,
                clock,
                settings,
                bus,
                driving: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The runbook operations (hosts, resolution).
    pub fn runbooks(&self) -> &Runbooks {
        &self.inner.runbooks
    }

    /// The settings in force.
    pub fn settings(&self) -> &ExecutionSettings {
        &self.inner.settings
    }

    /// The current time in ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        let now = self.inner.clock.now();
        now.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    /// The deep link of an execution.
    pub fn execution_link(&self, id: &ExecutionId) -> String {
        format!("{}/executions/{id}", self.base())
    }

    /// The deep link of a service's runbook for an error code.
    pub fn runbook_link(&self, service: &str, code: &str) -> String {
        format!("{}/runbook/{service}/{code}", self.base())
    }

    fn base(&self) -> &str {
        self.inner.settings.public_url.trim_end_matches('/')
    }

    /// Who acts: the caller's `uid` once it may act on `host` (`anonymous` when auth is off).
    pub fn actor(&self, caller: Option<&Caller>, host: &Host) -> Result<String, ApiError> {
        let settings = &self.inner.settings;
        if !settings.auth_enabled {
            return Ok(caller.map_or_else(|| "anonymous".to_owned(), |c| c.uid.clone()));
        }
        crate::auth::can_read(caller, host, true)?;
        match caller {
            Some(c) if c.has_scope(&settings.write_scope) => Ok(c.uid.clone()),
            _ => Err(ApiError::new(
                ErrorCode::Forbidden,
                format!(
                    "the token lacks the scope {} needed to act on executions",
                    settings.write_scope
                ),
            )),
        }
    }

    /// Starts an execution, or joins the open one for the same service and
    /// code when deduplicating. The walk starts at once; automated steps
    /// run in the background.
    pub async fn start(&self, request: StartRequest) -> Result<Started, ApiError> {
        let runbook = self.pin(&request.context).await?;
        let now = self.now_ms();
        let ctx = request.context.clone();
        let execution = Execution {
            id: ExecutionId::generate(now),
            status: Status::Running,
            state: ExecutionState {
                context: ctx.clone(),
                current: None,
                awaiting: None,
                pending: None,
                last_output: None,
                last_outcome: None,
                last_http_status: None,
                started_by: request.started_by.clone(),
                alert_count: u32::from(request.deduplicate || request.alert.is_some()),
                visits: 0,
                automatic_moves: 0,
            },
            runbook: Arc::new(runbook),
            started_ms: now,
            updated_ms: now,
            last_alert_ms: now,
            finished_ms: None,
        };
        let executors = &self.inner.executors;
        let mut walk = Walk::new(&execution, now, executors);
        let entry = execution.runbook.entry.clone();
        walk.record(EventKind::Started, &request.started_by)
            .data
            .extend(started_data(&execution, request.alert.clone()));
        walk.walk_from(&entry);
        let new = walk.done();
        let (written, joined) = if request.deduplicate {
            let key = AlertKey {
                host: ctx.host.clone(),
                service: ctx.service_id.clone(),
                code: ctx.error_code.clone(),
            };
            let window =
                i64::try_from(self.inner.settings.dedup_window.as_millis()).unwrap_or(i64::MAX);
            let join = |current: &Execution| Ok(Some(join(current, &request, now, executors)));
            self.inner
                .store
                .start_or_join(&key, now.saturating_sub(window), &new, &join)
                .await?
        } else {
            (self.inner.store.insert(&new).await?, false)
        };
        let execution = self.published(written);
        Ok(Started { execution, joined })
    }

    /// Records that the alert source reports an alert resolved, on the open
    /// execution it would join. None when there is none.
    pub async fn alert_resolved(
        &self,
        request: StartRequest,
    ) -> Result<Option<Execution>, ApiError> {
        let ctx = &request.context;
        let filter = ExecutionFilter {
            host: ctx.host.clone(),
            service: Some(ctx.service_id.clone()),
            status: None,
            before: None,
        };
        let open = self
            .inner
            .store
            .list(&filter, 50)
            .await?
            .into_iter()
            .find(|e| e.status.is_open() && e.state.context.error_code == ctx.error_code);
        let Some(open) = open else {
            return Ok(None);
        };
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| {
            let mut walk = Walk::new(current, now, executors);
            walk.record(EventKind::AlertResolved, "alert")
                .data
                .extend(alert_data(request.alert.clone()));
            Ok(Some(walk.done()))
        };
        let written = self.inner.store.update(&open.id, &change).await?;
        Ok(written.map(|w| self.published(w)))
    }

    /// Applies a person's move to an execution (after checking they may act on its host).
    pub async fn act(
        &self,
        id: &ExecutionId,
        caller: Option<&Caller>,
        action: Move,
    ) -> Result<Execution, ApiError> {
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
            let uid = self.actor(caller, &current.state.context.host)?;
            let mut walk = Walk::new(current, now, executors);
            match action.clone() {
                Move::CompleteStep { note, output } => walk.complete_step(&uid, note, output)?,
                Move::ChooseBranch { label, note } => walk.choose_branch(&uid, &label, note)?,
                Move::Note(note) => walk.add_note(&uid, note),
                Move::Close { status, note } => walk.close(status, &uid, note)?,
            }
            Ok(Some(walk.done()))
        };
        match self.inner.store.update(id, &change).await? {
            Some(written) => Ok(self.published(written)),
            None => Err(ApiError::not_found(format!("no execution {id}"))),
        }
    }

    /// One execution.
    pub async fn get(&self, id: &ExecutionId) -> StoreResult<Option<Execution>> {
        self.inner.store.get(id).await
    }

    /// A page of executions, newest first.
    pub async fn list(&self, filter: &ExecutionFilter, limit: u32) -> StoreResult<Vec<Execution>> {
        self.inner.store.list(filter, limit).await
    }

    /// An execution's events after `after_seq`.
    pub async fn events(
        &self,
        id: &ExecutionId,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        self.inner.store.events(id, after_seq, limit).await
    }

    /// Publishes a write's events and starts the driver when automation is due.
    pub(super) fn published(&self, written: Written) -> Execution {
        for event in written.events {
            // No subscriber is not an error.
            let _ = self.inner.bus.send(Arc::new(event));
        }
        if written.execution.status == Status::Running {
            self.drive_in_background(written.execution.id.clone());
        }
        written.execution
    }

    /// The effective runbook for the alert's service and code, pinned with
    /// the generation and revisions it was read at (read again if the host
    /// changed meanwhile).
    async fn pin(&self, ctx: &AlertContext) -> Result<PinnedRunbook, ApiError> {
        let runbooks = &self.inner.runbooks;
        let store = runbooks.store();
        for _ in 0..PIN_ATTEMPTS {
            let before = store.generation(&ctx.host).await?;
            let rb = runbooks
                .runbook(&ctx.host, &ctx.service_id, Some(&ctx.error_code))
                .await?;
            let mut revisions = BTreeMap::new();
            for scope in PinnedRunbook::scopes_of(&rb) {
                let objects = store.revisions(&ctx.host, &scope).await?;
                revisions.insert(scope, objects);
            }
            if store.generation(&ctx.host).await? == before {
                return PinnedRunbook::pin(&rb, before, &revisions).ok_or_else(|| {
                    ApiError::not_found(format!(
                        "service {} has no runbook entry for {}",
                        ctx.service_id, ctx.error_code
                    ))
                });
            }
        }
        Err(ApiError::new(
            ErrorCode::Conflict,
            "the runbooks kept changing while the execution pinned them; try again",
        ))
    }
}

/// The change an alert makes when it joins an open execution.
fn join(current: &Execution, request: &StartRequest, now: i64, executors: &Executors) -> Change {
    let mut walk = Walk::new(current, now, executors);
    walk.record(EventKind::AlertJoined, &request.started_by)
        .data
        .extend(alert_data(request.alert.clone()));
    let mut change = walk.done();
    change.execution.state.alert_count += 1;
    change.execution.last_alert_ms = now;
    change
}

fn alert_data(alert: Option<Value>) -> serde_json::Map<String, Value> {
    alert.into_iter().map(|a| ("alert".to_owned(), a)).collect()
}

fn started_data(execution: &Execution, alert: Option<Value>) -> serde_json::Map<String, Value> {
    let mut data = alert_data(alert);
    let rb = &execution.runbook;
    data.insert("generation".into(), rb.generation.into());
    data.insert("entry".into(), rb.entry.as_str().into());
    data
}
