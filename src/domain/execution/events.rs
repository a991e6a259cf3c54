//! The events of an execution: its path through the runbook, who or what
//! made each move, when, with notes and outputs. Append-only, numbered per
//! execution from 1.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::model::ExecutionId;
use crate::domain::ProcedureKey;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    /// The execution started (by an alert or a person), with the runbook it pinned.
    Started,
    /// Another alert for the same service and code joined the open execution.
    AlertJoined,
    /// The alert source reported the alert resolved (recorded; it does not finish the execution).
    AlertResolved,
    /// A procedure was entered.
    Entered,
    /// Placeholders of the procedure that no value fills: left as written.
    PlaceholdersUnresolved,
    /// The execution waits for a person.
    Waiting,
    /// A person completed the current step.
    StepCompleted,
    /// A branch was followed (by a person, a condition or an automation outcome).
    BranchTaken,
    /// Conditions could not decide (unparseable, or not evaluable): a person must.
    DecisionDeferred,
    /// A note.
    NoteAdded,
    /// An attempt of an automated step started (persisted before calling out).
    AutomationStarted,
    /// An attempt failed and will be retried.
    AutomationRetrying,
    /// An automated step finished: success, failure or timeout, with its output.
    AutomationFinished,
    /// An automated step cannot run (no or invalid automation, unknown executor).
    AutomationUnavailable,
    /// A person ran the current automated step again.
    StepRetried,
    /// A person took the execution on (`uid`): they answer for it now.
    Acknowledged,
    /// The responder changed (`from`, `to`, `note`).
    HandedOff,
    /// Something needs a person's attention (see `detail`).
    NeedsAttention,
    /// What came of announcing an escalation to the notifiers (`contacts`, `deliveries`).
    EscalationNotified,
    /// Finished: resolved.
    Resolved,
    /// Finished: escalated.
    Escalated,
    /// Finished: aborted.
    Aborted,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 22] = [
        Self::Started,
        Self::AlertJoined,
        Self::AlertResolved,
        Self::Entered,
        Self::PlaceholdersUnresolved,
        Self::Waiting,
        Self::StepCompleted,
        Self::BranchTaken,
        Self::DecisionDeferred,
        Self::NoteAdded,
        Self::AutomationStarted,
        Self::AutomationRetrying,
        Self::AutomationFinished,
        Self::AutomationUnavailable,
        Self::StepRetried,
        Self::Acknowledged,
        Self::HandedOff,
        Self::NeedsAttention,
        Self::EscalationNotified,
        Self::Resolved,
        Self::Escalated,
        Self::Aborted,
    ];

    /// The API's and the store's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Started => "STARTED",
            Self::AlertJoined => "ALERT_JOINED",
            Self::AlertResolved => "ALERT_RESOLVED",
            Self::Entered => "ENTERED",
            Self::PlaceholdersUnresolved => "PLACEHOLDERS_UNRESOLVED",
            Self::Waiting => "WAITING",
            Self::StepCompleted => "STEP_COMPLETED",
            Self::BranchTaken => "BRANCH_TAKEN",
            Self::DecisionDeferred => "DECISION_DEFERRED",
            Self::NoteAdded => "NOTE_ADDED",
            Self::AutomationStarted => "AUTOMATION_STARTED",
            Self::AutomationRetrying => "AUTOMATION_RETRYING",
            Self::AutomationFinished => "AUTOMATION_FINISHED",
            Self::AutomationUnavailable => "AUTOMATION_UNAVAILABLE",
            Self::StepRetried => "STEP_RETRIED",
            Self::Acknowledged => "ACKNOWLEDGED",
            Self::HandedOff => "HANDED_OFF",
            Self::NeedsAttention => "NEEDS_ATTENTION",
            Self::EscalationNotified => "ESCALATION_NOTIFIED",
            Self::Resolved => "RESOLVED",
            Self::Escalated => "ESCALATED",
            Self::Aborted => "ABORTED",
        }
    }

    /// Parses the store's name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// True for the events that finish an execution.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Resolved | Self::Escalated | Self::Aborted)
    }
}

/// An event not yet stored (the store numbers it).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub kind: EventKind,
    pub at_ms: i64,
    pub procedure: Option<ProcedureKey>,
    /// `uid` of a person, `automation:<executor>`, `condition`, `alert` or `system`.
    pub actor: String,
    /// Whatever else the kind carries: `label`, `note`, `output`, `attempt`, `error`, …
    pub data: Map<String, Value>,
}

impl NewEvent {
    /// An event of a kind, by an actor, at a time.
    pub fn new(kind: EventKind, at_ms: i64, actor: impl Into<String>) -> Self {
        Self {
            kind,
            at_ms,
            procedure: None,
            actor: actor.into(),
            data: Map::new(),
        }
    }

    /// About a procedure.
    pub fn at(mut self, key: &ProcedureKey) -> Self {
        self.procedure = Some(key.clone());
        self
    }

    /// With a data field (null values are left out).
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        let value = value.into();
        if !value.is_null() {
            self.data.insert(name.to_owned(), value);
        }
        self
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub execution: ExecutionId,
    /// 1, 2, … within the execution.
    pub seq: i64,
    pub event: NewEvent,
}
