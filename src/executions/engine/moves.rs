//! The moves: a person's (complete a step, choose a branch, retry an
//! automated step, note, resolve, escalate, abort) and the automation's (an attempt starts, fails and is
//! retried, or finishes). Each checks that it is valid where the execution
//! stands; a refused move changes nothing.

use std::time::Duration;

use serde_json::{Value, json};

use super::{MAX_AUTOMATIC_MOVES, Walk};
use crate::{
    domain::ProcedureKind,
    error::{ApiError, ApiErrorCode},
    executions::{
        events::{EventKind, NewEvent},
        executors::{Call, OnRestart},
        model::{Awaiting, Outcome, Status},
    },
};

/// The result of an automated step, as the walk records it.
#[derive(Debug, Clone)]
pub struct AutomationResult {
    pub outcome: Outcome,
    pub output: Value,
    pub http_status: Option<u16>,
    pub error: Option<String>,
}

impl Walk<'_> {
    /// Refuses any move on a finished execution, and a person's step or
    /// branch while automation runs.
    pub(super) fn movable(&self, needs_person_turn: bool) -> Result<(), ApiError> {
        let status = self.ex.status;
        if !status.is_open() {
            return Err(ApiError::new(
                ApiErrorCode::Conflict,
                format!(
                    "the execution is {}: it takes no more moves",
                    status.as_str()
                ),
            ));
        }
        if needs_person_turn && status == Status::Running {
            return Err(ApiError::new(
                ApiErrorCode::Conflict,
                "automation is running this step; wait for it, or abort or escalate",
            ));
        }
        Ok(())
    }

    /// A person completed the current step, maybe with a note and an output.
    pub fn complete_step(
        &mut self,
        uid: &str,
        note: Option<String>,
        output: Option<Value>,
    ) -> Result<(), ApiError> {
        self.movable(true)?;
        let Some(key) = self.ex.state.current.clone() else {
            return Err(ApiError::bad_input(
                "id",
                "the execution stands at no procedure",
            ));
        };
        if self.ex.state.awaiting != Some(Awaiting::CompleteStep) {
            return Err(ApiError::bad_input(
                "id",
                format!(
                    "procedure {key} is not a step waiting to be completed: choose a branch, resolve or escalate"
                ),
            ));
        }
        self.push(
            NewEvent::new(EventKind::StepCompleted, self.now, uid)
                .at(&key)
                .with("note", note)
                .with("output", output.clone()),
        );
        self.ex.state.last_output = output;
        self.ex.state.automatic_moves = 0;
        if let Some(branch) = self.next(&key, false) {
            self.walk_from(&branch.to);
        }
        Ok(())
    }

    /// A person follows the branch labelled `label` out of the current procedure.
    pub fn choose_branch(
        &mut self,
        uid: &str,
        label: &str,
        note: Option<String>,
    ) -> Result<(), ApiError> {
        self.movable(true)?;
        let runbook = self.ex.runbook.clone();
        let Some(key) = self.ex.state.current.clone() else {
            return Err(ApiError::bad_input(
                "id",
                "the execution stands at no procedure",
            ));
        };
        let Some(branch) = runbook
            .branches_from(&key)
            .find(|b| b.label.as_str() == label)
        else {
            let labels: Vec<String> = runbook
                .branches_from(&key)
                .map(|b| format!("{:?}", b.label.as_str()))
                .collect();
            let valid = if labels.is_empty() {
                "none: resolve or escalate".to_owned()
            } else {
                labels.join(", ")
            };
            return Err(ApiError::bad_input(
                "label",
                format!(
                    "no branch labelled {label:?} leaves procedure {key}; its branches: {valid}"
                ),
            ));
        };
        self.ex.state.automatic_moves = 0;
        self.take(branch, uid, note, None);
        self.walk_from(&branch.to);
        Ok(())
    }

    /// A note, on any execution (finished ones too).
    pub fn add_note(&mut self, uid: &str, note: String) {
        let event = NewEvent::new(EventKind::NoteAdded, self.now, uid).with("note", note);
        self.push_here(event);
    }

    /// A person resolves, escalates or aborts an open execution.
    pub fn close(
        &mut self,
        status: Status,
        uid: &str,
        note: Option<String>,
    ) -> Result<(), ApiError> {
        self.movable(false)?;
        self.finish(status, uid, note);
        Ok(())
    }

    /// A person runs the current AUTOMATED step again: after it failed, could
    /// not run, or was interrupted by a restart. The retry is a new run of
    /// the step under the same rules as the first (its attempts and backoff,
    /// one `Idempotency-Key` for all of them, new because the last run's
    /// outcome is known).
    pub fn retry_step(&mut self, uid: &str, note: Option<String>) -> Result<(), ApiError> {
        self.movable(true)?;
        let Some(key) = self.ex.state.current.clone() else {
            return Err(ApiError::bad_input(
                "id",
                "the execution stands at no procedure",
            ));
        };
        let kind = self.ex.runbook.procedure(&key).map(|p| p.kind);
        if kind != Some(ProcedureKind::Automated) {
            return Err(ApiError::bad_input(
                "id",
                format!(
                    "procedure {key} is not an AUTOMATED step: only automation is retried; complete the step or choose a branch"
                ),
            ));
        }
        self.push(
            NewEvent::new(EventKind::StepRetried, self.now, uid)
                .at(&key)
                .with("note", note),
        );
        self.ex.state.automatic_moves = 0;
        self.ex.state.visits += 1;
        self.hand_to_automation(&key);
        Ok(())
    }

    /// Records that an attempt of the pending automation starts (before the call).
    /// False when the execution no longer waits for that automation.
    pub fn begin_attempt(&mut self, idempotency_key: &str, call: &Call) -> bool {
        let now = self.now;
        let Some(pending) = self.pending_mut(idempotency_key).filter(|p| !p.in_flight) else {
            return false;
        };
        pending.attempts += 1;
        pending.in_flight = true;
        let event = NewEvent::new(
            EventKind::AutomationStarted,
            now,
            format!("automation:{}", call.executor),
        )
        .at(&pending.key.clone())
        .with("attempt", pending.attempts)
        .with("attempts", call.retries + 1)
        .with("method", call.method.as_str())
        .with("url", call.shown_url())
        .with("request", call.redacted())
        .with("idempotencyKey", idempotency_key);
        self.push(event);
        true
    }

    /// Records a failed attempt that will be retried after `wait`.
    pub fn retry_later(
        &mut self,
        idempotency_key: &str,
        error: &str,
        wait: Duration,
        actor: &str,
    ) -> bool {
        let now = self.now;
        let Some(pending) = self.pending_mut(idempotency_key).filter(|p| p.in_flight) else {
            return false;
        };
        pending.in_flight = false;
        let event = NewEvent::new(EventKind::AutomationRetrying, now, actor)
            .at(&pending.key.clone())
            .with("attempt", pending.attempts)
            .with("error", error)
            .with("retryInSeconds", wait.as_secs_f64());
        self.push(event);
        true
    }

    /// The service restarted while an attempt was in flight: retry it
    /// (recorded) or stop for a person, as the automation asks.
    pub fn after_restart(&mut self, idempotency_key: &str, on_restart: OnRestart) -> bool {
        let Some(pending) = self
            .pending_mut(idempotency_key)
            .filter(|p| p.in_flight)
            .cloned()
        else {
            return false;
        };
        match on_restart {
            OnRestart::Retry => {
                let retried = self.retry_later(
                    idempotency_key,
                    "the service stopped during this attempt",
                    Duration::ZERO,
                    "system",
                );
                if let Some(last) = self.events.last_mut() {
                    last.data.insert("afterRestart".into(), json!(true));
                }
                retried
            }
            OnRestart::Attention => {
                let reason = format!(
                    "the service stopped during attempt {} of this automation (onRestart: attention): check whether it ran, then complete the step or choose a branch",
                    pending.attempts
                );
                self.push(
                    NewEvent::new(EventKind::NeedsAttention, self.now, "system")
                        .at(&pending.key)
                        .with("reason", reason),
                );
                self.wait(Awaiting::CompleteStep, Status::NeedsAttention);
                true
            }
        }
    }

    /// The service cannot go on with the execution by itself (it could not
    /// be resumed, or driving it failed): it stops for a person, with the
    /// reason, instead of being tried again.
    pub fn hold_for_person(&mut self, reason: &str) {
        let event = NewEvent::new(EventKind::NeedsAttention, self.now, "system")
            .with("reason", reason.to_owned());
        self.push_here(event);
        self.wait(Awaiting::CompleteStep, Status::NeedsAttention);
    }

    /// Records how the pending automation ended and follows the branch
    /// labelled by its outcome (`timeout` falls back to `failure`), or the
    /// branches' conditions, or waits for a person.
    pub fn finish_automation(
        &mut self,
        idempotency_key: &str,
        actor: &str,
        result: AutomationResult,
    ) -> bool {
        let Some(pending) = self.pending_mut(idempotency_key).cloned() else {
            return false;
        };
        let key = pending.key;
        self.push(
            NewEvent::new(EventKind::AutomationFinished, self.now, actor)
                .at(&key)
                .with("outcome", result.outcome.as_str())
                .with("attempts", pending.attempts)
                .with("httpStatus", result.http_status)
                .with("error", result.error)
                .with("output", result.output.clone()),
        );
        let state = &mut self.ex.state;
        state.pending = None;
        state.last_output = Some(result.output);
        state.last_outcome = Some(result.outcome);
        state.last_http_status = result.http_status;
        let runbook = self.ex.runbook.clone();
        let labels: &[&str] = match result.outcome {
            Outcome::Success => &["success"],
            Outcome::Failure => &["failure"],
            Outcome::Timeout => &["timeout", "failure"],
        };
        let labelled = labels
            .iter()
            .find_map(|l| runbook.branches_from(&key).find(|b| b.label.as_str() == *l));
        let next = match labelled {
            Some(branch) if self.ex.state.automatic_moves < MAX_AUTOMATIC_MOVES => {
                self.ex.state.automatic_moves += 1;
                let reason = format!("automation outcome {}", result.outcome.as_str());
                self.take(branch, actor, None, Some(reason));
                Some(branch.clone())
            }
            _ => self.next(&key, result.outcome != Outcome::Success),
        };
        match next {
            Some(branch) => self.walk_from(&branch.to),
            None if result.outcome != Outcome::Success && self.ex.status == Status::Waiting => {
                self.ex.status = Status::NeedsAttention;
            }
            None => {}
        }
        true
    }

    fn pending_mut(
        &mut self,
        idempotency_key: &str,
    ) -> Option<&mut crate::executions::model::PendingAutomation> {
        if self.ex.status != Status::Running {
            return None;
        }
        self.ex
            .state
            .pending
            .as_mut()
            .filter(|p| p.idempotency_key == idempotency_key)
    }
}
