//! What an execution is: the alert it answers, where it stands in its pinned
//! runbook, what it waits for, and the automation it has in flight.

use std::{
    collections::BTreeMap,
    fmt,
    hash::{BuildHasher, Hasher},
    sync::atomic::{AtomicU64, Ordering},
};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::pinned::PinnedRunbook;
use crate::domain::{ErrorCode, Host, ProcedureKey, ScopeId};

/// An execution's id: lowercase hex, time-ordered (newer ids sort after older ones).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExecutionId(String);

impl ExecutionId {
    /// A fresh id for an execution started at `now_ms`.
    pub fn generate(now_ms: i64) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(NEXT.fetch_add(1, Ordering::Relaxed));
        hasher.write_u32(std::process::id());
        let random = hasher.finish() & 0xffff_ffff;
        Self(format!("{:012x}{random:08x}", now_ms.max(0)))
    }

    /// Parses an id as clients give it: 1 to 64 characters of `[0-9a-z-]`.
    pub fn parse(value: &str) -> Option<Self> {
        let ok = !value.is_empty()
            && value.len() <= 64
            && value
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'-');
        ok.then(|| Self(value.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExecutionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an execution is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// The service is walking the runbook (automation in flight or about to start).
    Running,
    /// Waiting for a person (see `Awaiting`).
    Waiting,
    /// Stopped by something a person must look at (e.g. a restart during a
    /// non-repeatable automated step, or a runbook that loops without end).
    NeedsAttention,
    /// Finished: the problem is resolved.
    Resolved,
    /// Finished: handed over to people.
    Escalated,
    /// Finished: abandoned.
    Aborted,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 6] = [
        Self::Running,
        Self::Waiting,
        Self::NeedsAttention,
        Self::Resolved,
        Self::Escalated,
        Self::Aborted,
    ];

    /// The API's and the store's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "RUNNING",
            Self::Waiting => "WAITING",
            Self::NeedsAttention => "NEEDS_ATTENTION",
            Self::Resolved => "RESOLVED",
            Self::Escalated => "ESCALATED",
            Self::Aborted => "ABORTED",
        }
    }

    /// Parses the store's name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// True until the execution is resolved, escalated or aborted.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Running | Self::Waiting | Self::NeedsAttention)
    }
}

/// What a waiting execution needs from a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Awaiting {
    /// Carry out the current procedure and `completeStep`.
    CompleteStep,
    /// Pick one of the current procedure's branches with `chooseBranch`.
    ChooseBranch,
    /// The path ends here: `resolve` or `escalate`.
    Finish,
}

/// The alert (or the person) that started an execution, and what placeholders
/// and conditions can read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertContext {
    pub host: Host,
    pub service_id: ScopeId,
    pub error_code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
}

/// The placeholder names an alert fills (besides `labels.NAME`).
pub const PLACEHOLDERS: [&str; 9] = [
    "serviceId",
    "errorCode",
    "host",
    "environment",
    "instance",
    "statusCode",
    "message",
    "description",
    "severity",
];

/// Whether an alert can fill `name`: one of [`PLACEHOLDERS`] or `labels.NAME`.
pub fn is_placeholder(name: &str) -> bool {
    PLACEHOLDERS.contains(&name) || name.strip_prefix("labels.").is_some_and(|l| !l.is_empty())
}

/// Each `{{ name }}` of `text`: where it opens, where it ends (after `}}`),
/// and the name, trimmed.
pub fn placeholder_spans(text: &str) -> Vec<(usize, usize, &str)> {
    let mut spans = Vec::new();
    let mut done = 0;
    while let Some(open) = text[done..].find("{{").map(|o| done + o) {
        let Some(close) = text[open + 2..].find("}}").map(|c| open + 2 + c) else {
            break;
        };
        spans.push((open, close + 2, text[open + 2..close].trim()));
        done = close + 2;
    }
    spans
}

impl AlertContext {
    /// The value of a placeholder name (`serviceId`, `labels.team`, …), if it has one.
    pub fn placeholder(&self, name: &str) -> Option<String> {
        if let Some(label) = name.strip_prefix("labels.") {
            return self.labels.get(label).cloned();
        }
        match name {
            "serviceId" => Some(self.service_id.to_string()),
            "errorCode" => Some(self.error_code.to_string()),
            "host" => Some(self.host.to_string()),
            "environment" => self.environment.clone(),
            "instance" => self.instance.clone(),
            "statusCode" => self.status_code.map(|c| c.to_string()),
            "message" => self.message.clone(),
            "description" => self.description.clone(),
            "severity" => self.severity.clone(),
            _ => None,
        }
    }

    /// The variables a condition reads, as one JSON object.
    pub fn variables(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}

/// How an automated step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    Timeout,
}

impl Outcome {
    /// The branch label it follows (`success`, `failure`, `timeout`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Timeout => "timeout",
        }
    }
}

/// An automated step the execution stands at, not yet finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingAutomation {
    pub key: ProcedureKey,
    /// Attempts started so far (0: none yet).
    pub attempts: u32,
    /// True from the moment an attempt is recorded as started until its result is.
    pub in_flight: bool,
    /// Sent as `Idempotency-Key` on every attempt of this visit.
    pub idempotency_key: String,
}

/// The person answering for an open execution: who acknowledged it or was
/// handed it, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Responder {
    pub uid: String,
    pub since_ms: i64,
    /// When it was first acknowledged (a hand-off keeps it).
    pub acknowledged_ms: i64,
}

/// Everything about an execution besides its pinned runbook and timestamps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionState {
    pub context: AlertContext,
    /// The procedure it stands at (the last one, once finished).
    pub current: Option<ProcedureKey>,
    #[serde(default)]
    pub awaiting: Option<Awaiting>,
    #[serde(default)]
    pub pending: Option<PendingAutomation>,
    /// The previous step's output: an automation's response, or what a person entered.
    #[serde(default)]
    pub last_output: Option<Value>,
    #[serde(default)]
    pub last_outcome: Option<Outcome>,
    /// The HTTP status of the last automation, when it got one.
    #[serde(default)]
    pub last_http_status: Option<u16>,
    /// `uid` of the person who started it, or `alert`.
    pub started_by: String,
    /// Alerts that started or joined it.
    pub alert_count: u32,
    /// Procedures entered so far.
    pub visits: u32,
    /// Moves made without a person since a person last moved.
    pub automatic_moves: u32,
    /// Escalated, and the notifiers not yet told.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notifying: bool,
    /// Who answers for it; None until someone acknowledges it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responder: Option<Responder>,
}

/// One run of a runbook for one alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub id: ExecutionId,
    pub status: Status,
    pub state: ExecutionState,
    /// The runbook as it was resolved when the execution started.
    pub runbook: std::sync::Arc<PinnedRunbook>,
    pub started_ms: i64,
    pub updated_ms: i64,
    /// When the last alert started or joined it (the deduplication window slides from here).
    pub last_alert_ms: i64,
    pub finished_ms: Option<i64>,
}

impl Execution {
    /// The variables conditions read: the alert's, then `output`, `outcome` and `httpStatus`.
    pub fn variables(&self) -> Value {
        let mut vars = self.state.context.variables();
        let s = &self.state;
        vars.insert(
            "output".into(),
            s.last_output.clone().unwrap_or(Value::Null),
        );
        vars.insert("outcome".into(), json!(s.last_outcome.map(Outcome::as_str)));
        vars.insert("httpStatus".into(), json!(s.last_http_status));
        Value::Object(vars)
    }
}
