//! The documents of `executions`, `execution_events` and `alert_keys`, and
//! their translation to and from the domain. State and pinned runbook are
//! stored as JSON objects (not text, as in the SQL tables), so that they can
//! be read with AQL and the web UI.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{errors, keys};
use crate::{
    domain::{
        ProcedureKey,
        execution::{
            Change, Event, EventKind, Execution, ExecutionId, ExecutionState, PinnedRunbook, Status,
        },
    },
    store::{StoreResult, executions::AlertKey, failure},
};

/// An `executions` document as the queries return it (without `_id`, `_rev`).
#[derive(Debug, Deserialize)]
pub struct ExecutionDoc {
    id: String,
    status: String,
    state: ExecutionState,
    runbook: PinnedRunbook,
    started_ms: i64,
    updated_ms: i64,
    last_alert_ms: i64,
    finished_ms: Option<i64>,
    next_seq: i64,
}

/// An `execution_events` document as the queries return it.
#[derive(Debug, Deserialize)]
pub struct EventDoc {
    execution_id: String,
    seq: i64,
    at_ms: i64,
    kind: String,
    procedure_key: Option<String>,
    actor: String,
    data: Map<String, Value>,
}

fn encode<T: serde::Serialize>(value: &T) -> StoreResult<Value> {
    serde_json::to_value(value).map_err(|e| failure::encode_error(errors::BACKEND, &e))
}

/// The whole `executions` document of `execution`, whose next event gets `next_seq`.
pub fn execution_doc(execution: &Execution, next_seq: i64) -> StoreResult<Value> {
    let ctx = &execution.state.context;
    Ok(json!({
        "_key": execution.id.as_str(),
        "id": execution.id.as_str(),
        "host": ctx.host.as_str(),
        "service_id": ctx.service_id.as_str(),
        "error_code": ctx.error_code.as_str(),
        "status": execution.status.as_str(),
        "state": encode(&execution.state)?,
        "runbook": encode(&*execution.runbook)?,
        "started_ms": execution.started_ms,
        "updated_ms": execution.updated_ms,
        "last_alert_ms": execution.last_alert_ms,
        "finished_ms": execution.finished_ms,
        "next_seq": next_seq,
    }))
}

/// The `execution_events` documents of a change's events, numbered from
/// `next_seq`, with the events as stored.
pub fn event_docs(change: &Change, next_seq: i64) -> StoreResult<(Vec<Value>, Vec<Event>)> {
    let id = &change.execution.id;
    let mut docs = Vec::with_capacity(change.events.len());
    let mut events = Vec::with_capacity(change.events.len());
    for (seq, event) in (next_seq..).zip(&change.events) {
        docs.push(json!({
            "_key": keys::key_of(&[id.as_str(), &seq.to_string()]),
            "execution_id": id.as_str(),
            "seq": seq,
            "at_ms": event.at_ms,
            "kind": event.kind.as_str(),
            "procedure_key": event.procedure.as_ref().map(ProcedureKey::as_str),
            "actor": event.actor,
            "data": event.data,
        }));
        events.push(Event {
            execution: id.clone(),
            seq,
            event: event.clone(),
        });
    }
    Ok((docs, events))
}

/// The `alert_keys` document of `key`: the execution it last opened or joined.
pub fn alert_key_doc(key: &AlertKey, execution: &Execution) -> Value {
    let parts = [key.host.as_str(), key.service.as_str(), key.code.as_str()];
    json!({
        "_key": keys::key_of(&parts),
        "host": parts[0],
        "service_id": parts[1],
        "error_code": parts[2],
        "execution_id": execution.id.as_str(),
        "last_alert_ms": execution.last_alert_ms,
    })
}

impl ExecutionDoc {
    /// The execution, and the number its next event gets.
    pub fn decode(self) -> StoreResult<(Execution, i64)> {
        let context = || format!("execution {}", self.id);
        let id = ExecutionId::parse(&self.id)
            .ok_or_else(|| errors::corrupt(&context(), "bad id".to_owned()))?;
        let status = Status::parse(&self.status).ok_or_else(|| {
            errors::corrupt(&context(), format!("unknown status {}", self.status))
        })?;
        let execution = Execution {
            id,
            status,
            state: self.state,
            runbook: Arc::new(self.runbook),
            started_ms: self.started_ms,
            updated_ms: self.updated_ms,
            last_alert_ms: self.last_alert_ms,
            finished_ms: self.finished_ms,
        };
        Ok((execution, self.next_seq))
    }
}

impl EventDoc {
    /// The stored event.
    pub fn decode(self) -> StoreResult<Event> {
        let context = || format!("event {} of execution {}", self.seq, self.execution_id);
        let execution = ExecutionId::parse(&self.execution_id)
            .ok_or_else(|| errors::corrupt(&context(), "bad execution id".to_owned()))?;
        let kind = EventKind::parse(&self.kind)
            .ok_or_else(|| errors::corrupt(&context(), format!("unknown kind {}", self.kind)))?;
        let procedure = (self.procedure_key.as_deref())
            .map(ProcedureKey::parse)
            .transpose()
            .map_err(|e| errors::corrupt(&context(), e.to_string()))?;
        Ok(Event {
            execution,
            seq: self.seq,
            event: crate::domain::execution::NewEvent {
                kind,
                at_ms: self.at_ms,
                procedure,
                actor: self.actor,
                data: self.data,
            },
        })
    }
}
