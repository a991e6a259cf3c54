//! Rows of the execution tables, and their translation to and from the domain.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::{
    domain::{
        ProcedureKey,
        execution::{Event, EventKind, Execution, ExecutionId, NewEvent, Status},
    },
    store::{StoreError, StoreResult},
};

/// A row of `executions`.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct ExecutionRow {
    id: String,
    status: String,
    state: String,
    runbook: String,
    started_ms: i64,
    updated_ms: i64,
    last_alert_ms: i64,
    finished_ms: Option<i64>,
    next_seq: i64,
}

/// A row of `execution_events`.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct EventRow {
    execution_id: String,
    seq: i64,
    at_ms: i64,
    kind: String,
    procedure_key: Option<String>,
    actor: String,
    data: String,
}

fn corrupt(backend: &'static str, context: String, message: impl ToString) -> StoreError {
    StoreError::Corrupt {
        backend,
        context,
        message: message.to_string(),
    }
}

impl ExecutionRow {
    /// The execution, and the number its next event gets.
    pub(super) fn decode(self, backend: &'static str) -> StoreResult<(Execution, i64)> {
        let context = || format!("execution {}", self.id);
        let id =
            ExecutionId::parse(&self.id).ok_or_else(|| corrupt(backend, context(), "bad id"))?;
        let status = Status::parse(&self.status).ok_or_else(|| {
            corrupt(
                backend,
                context(),
                format!("unknown status {}", self.status),
            )
        })?;
        let state =
            serde_json::from_str(&self.state).map_err(|e| corrupt(backend, context(), e))?;
        let runbook =
            serde_json::from_str(&self.runbook).map_err(|e| corrupt(backend, context(), e))?;
        let execution = Execution {
            id,
            status,
            state,
            runbook: Arc::new(runbook),
            started_ms: self.started_ms,
            updated_ms: self.updated_ms,
            last_alert_ms: self.last_alert_ms,
            finished_ms: self.finished_ms,
        };
        Ok((execution, self.next_seq))
    }
}

impl EventRow {
    pub(super) fn decode(self, backend: &'static str) -> StoreResult<Event> {
        let context = || format!("event {} of execution {}", self.seq, self.execution_id);
        let execution = ExecutionId::parse(&self.execution_id)
            .ok_or_else(|| corrupt(backend, context(), "bad execution id"))?;
        let kind = EventKind::parse(&self.kind)
            .ok_or_else(|| corrupt(backend, context(), format!("unknown kind {}", self.kind)))?;
        let procedure = self
            .procedure_key
            .as_deref()
            .map(ProcedureKey::parse)
            .transpose()
            .map_err(|e| corrupt(backend, context(), e))?;
        let data: Map<String, Value> =
            serde_json::from_str(&self.data).map_err(|e| corrupt(backend, context(), e))?;
        Ok(Event {
            execution,
            seq: self.seq,
            event: NewEvent {
                kind,
                at_ms: self.at_ms,
                procedure,
                actor: self.actor,
                data,
            },
        })
    }
}

/// JSON text of a value, or a store error naming what it was.
pub(super) fn json<T: serde::Serialize>(backend: &'static str, value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Query {
        backend,
        context: "encoding an execution",
        message: e.to_string(),
    })
}

/// A lock key for (host, service, code): the first 8 bytes of their SHA-256.
pub(crate) fn lock_key(parts: [&str; 3]) -> i64 {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}
