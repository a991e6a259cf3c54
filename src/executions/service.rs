//! The executions service: starts executions (by alert, deduplicated, or by
//! hand), applies people's moves, answers queries, and hands automated
//! steps to the driver. Every change goes through the store atomically and
//! is then published on the event bus.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;
use tokio::sync::broadcast;

use super::{
    engine::{Change, Walk},
    events::{Event, EventKind},
    executors::Executors,
    model::{AlertContext, Execution, ExecutionId, Status},
};
use crate::{
    auth::{Caller, Clock},
    domain::Host,
    error::{ApiError, ApiErrorCode},
    runbooks::Runbooks,
    store::{
        RoundTrips, StoreResult,
        executions::{
            ExecutionFilter, ExecutionStore, InstrumentedExecutions, WriteError, Written,
        },
    },
};

/// How many events the bus keeps for slow subscribers before they reload from the store.
const BUS_CAPACITY: usize = 1024;

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
    RetryStep {
        note: Option<String>,
    },
    Acknowledge {
        note: Option<String>,
    },
    HandOff {
        to: String,
        note: Option<String>,
    },
    Note(String),
    Close {
        status: Status,
        note: Option<String>,
    },
}

impl Move {
    /// Refuses a note or an output past the long-text bound (64 KiB), before
    /// anything is read: an execution's events are kept for good.
    fn check(&self) -> Result<(), ApiError> {
        let (note, output) = match self {
            Move::CompleteStep { note, output } => (note.as_deref(), output.as_ref()),
            Move::ChooseBranch { note, .. }
            | Move::RetryStep { note }
            | Move::Acknowledge { note }
            | Move::HandOff { note, .. }
            | Move::Close { note, .. } => (note.as_deref(), None),
            Move::Note(note) => (Some(note.as_str()), None),
        };
        let limit = crate::domain::limits::MAX_LONG_TEXT_BYTES;
        if note.is_some_and(|n| n.len() > limit) {
            return Err(ApiError::bad_input(
                "note",
                format!("a note is at most {limit} bytes"),
            ));
        }
        let output_bytes = output.map_or(0, |o| o.to_string().len());
        if output_bytes > limit {
            return Err(ApiError::bad_input(
                "output",
                format!("an output is at most {limit} bytes as compact JSON, not {output_bytes}"),
            ));
        }
        Ok(())
    }
}

/// A store's answer in the API's terms: a refusal is the engine's own error.
impl From<WriteError<ApiError>> for ApiError {
    fn from(error: WriteError<ApiError>) -> Self {
        match error {
            WriteError::NotFound(id) => {
                ApiError::not_found(format!("no execution {id}")).on_field("id")
            }
            WriteError::Refused(refusal) => refusal,
            WriteError::Store(e) => e.into(),
        }
    }
}

/// Shared, cheap to clone.
#[derive(Clone)]
pub struct Executions {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) runbooks: Runbooks,
    pub(super) store: Arc<dyn ExecutionStore<ApiError>>,
    /// The execution store's round trips (the runbook store's are the runbooks').
    pub(super) round_trips: RoundTrips,
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
        store: Arc<dyn ExecutionStore<ApiError>>,
        executors: Executors,
        clock: Arc<dyn Clock>,
        settings: ExecutionSettings,
    ) -> Self {
        let (bus, _) = broadcast::channel(BUS_CAPACITY);
        let store = InstrumentedExecutions::new(store);
        Self {
            inner: Arc::new(Inner {
                round_trips: store.round_trips(),
                store: Arc::new(store),
                runbooks,
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

    /// The execution store round trips made so far (the runbook store's are
    /// [`Runbooks::round_trips`]).
    pub fn round_trips(&self) -> &RoundTrips {
        &self.inner.round_trips
    }

    /// The settings in force.
    pub fn settings(&self) -> &ExecutionSettings {
        &self.inner.settings
    }

    /// The current time in ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.inner.clock.unix_millis()
    }

    /// The deep link of an execution of `host`: `{public}/h/{host}/executions/{id}`.
    pub fn execution_link(&self, host: &Host, id: &ExecutionId) -> String {
        format!("{}/h/{host}/executions/{id}", self.base())
    }

    /// The deep link of a service's runbook for an error code in `host`:
    /// `{public}/h/{host}/runbook/{service}/{code}`. Host, service id and code
    /// are ids of `[A-Za-z0-9._-]` starting with a letter or digit, so each is
    /// one path segment as it is.
    pub fn runbook_link(&self, host: &Host, service: &str, code: &str) -> String {
        format!("{}/h/{host}/runbook/{service}/{code}", self.base())
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
        crate::auth::token_of_host(caller, host, "acting on executions")?;
        match caller {
            Some(c) if c.has_scope(&settings.write_scope) => Ok(c.uid.clone()),
            _ => Err(ApiError::new(
                ApiErrorCode::Forbidden,
                format!(
                    "the token lacks the scope {} needed to act on executions",
                    settings.write_scope
                ),
            )),
        }
    }

    /// Applies a person's move to an execution (after checking they may act on its host).
    pub async fn act(
        &self,
        id: &ExecutionId,
        caller: Option<&Caller>,
        action: Move,
    ) -> Result<Execution, ApiError> {
        action.check()?;
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
            let uid = self.actor(caller, &current.state.context.host)?;
            let mut walk = Walk::new(current, now, executors);
            match action.clone() {
                Move::CompleteStep { note, output } => walk.complete_step(&uid, note, output)?,
                Move::ChooseBranch { label, note } => walk.choose_branch(&uid, &label, note)?,
                Move::RetryStep { note } => walk.retry_step(&uid, note)?,
                Move::Acknowledge { note } => walk.acknowledge(&uid, note)?,
                Move::HandOff { to, note } => walk.hand_off(&uid, &to, note)?,
                Move::Note(note) => walk.add_note(&uid, note),
                Move::Close { status, note } => walk.close(status, &uid, note)?,
            }
            // Every move records an event; one that records none changed nothing.
            let change = walk.done();
            Ok((!change.events.is_empty()).then_some(change))
        };
        match self.inner.store.update(id, &change).await? {
            Some(written) => Ok(self.published(written)),
            None => self
                .inner
                .store
                .get(id)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("no execution {id}"))),
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

    /// Every event published from now on, as it is written (a receiver that
    /// falls more than the bus's capacity behind is told it lagged).
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.inner.bus.subscribe()
    }

    /// Publishes a write's events and starts the driver when automation is due.
    pub(super) fn published(&self, written: Written) -> Execution {
        let escalated = written
            .events
            .iter()
            .find(|e| e.event.kind == EventKind::Escalated);
        if let Some(escalated) = escalated
            && written.execution.state.notifying
        {
            self.notify_in_background(&written.execution, &escalated.event);
        }
        for event in written.events {
            // No subscriber is not an error.
            let _ = self.inner.bus.send(Arc::new(event));
        }
        if written.execution.status == Status::Running {
            self.drive_in_background(written.execution.id.clone());
        }
        written.execution
    }
}
