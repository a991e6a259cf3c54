//! Running automated steps in the background, and resuming after a restart.
//!
//! For each attempt the driver first persists "attempt N started" (with the
//! `Idempotency-Key` it will send), then calls out, then persists the
//! result; a failed attempt that may be retried is recorded with its
//! backoff before the wait. Resuming after a restart is in `recovery`.

use std::{collections::BTreeSet, panic::AssertUnwindSafe};

use futures::FutureExt;

use serde_json::Value;

use super::{
    engine::{AutomationResult, Change, Walk},
    executors::{Attempt, Call, Executors},
    model::{Execution, ExecutionId, Outcome, PendingAutomation, Status},
    service::Executions,
};
use crate::error::ApiError;

/// What the driver does next with an execution.
enum Next {
    /// Nothing: it is not running automation (any more).
    Stop,
    /// Make an attempt of this call.
    Attempt(Box<(PendingAutomation, Call)>),
}

impl Executions {
    /// Starts a driver task for the execution, or asks the running one to look again.
    pub(super) fn drive_in_background(&self, id: ExecutionId) {
        {
            let Ok(mut driving) = self.inner.driving.lock() else {
                return;
            };
            if let Some(again) = driving.get_mut(&id) {
                *again = true;
                return;
            }
            driving.insert(id.clone(), false);
        }
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                // A panic would leave it RUNNING, to be tried again at every start.
                if AssertUnwindSafe(this.drive(&id))
                    .catch_unwind()
                    .await
                    .is_err()
                {
                    let reason = "driving its automated steps failed (a panic)";
                    this.hold(&id, reason).await;
                }
                let Ok(mut driving) = this.inner.driving.lock() else {
                    return;
                };
                if driving.get(&id) == Some(&true) {
                    driving.insert(id.clone(), false);
                } else {
                    driving.remove(&id);
                    return;
                }
            }
        });
    }

    /// Runs the execution's automated steps until it stops needing the service.
    async fn drive(&self, id: &ExecutionId) {
        loop {
            let next = match self.next_attempt(id).await {
                Ok(next) => next,
                Err(e) => {
                    tracing::error!(execution = %id, error = %e.message, "cannot drive");
                    return;
                }
            };
            let Next::Attempt(attempt) = next else {
                return;
            };
            let (pending, call) = *attempt;
            if let Err(e) = self.run_attempt(id, &pending, &call).await {
                tracing::error!(execution = %id, error = %e.message, "cannot record an attempt");
                return;
            }
        }
    }

    /// Reads the execution and records the start of its next attempt.
    async fn next_attempt(&self, id: &ExecutionId) -> Result<Next, ApiError> {
        let Some(current) = self.inner.store.get(id).await? else {
            return Ok(Next::Stop);
        };
        let Some(pending) = current
            .state
            .pending
            .clone()
            .filter(|_| current.status == Status::Running)
        else {
            return Ok(Next::Stop);
        };
        let call = match prepare(&self.inner.executors, &current, &pending) {
            Ok(call) => call,
            Err(error) => {
                let result = AutomationResult {
                    outcome: Outcome::Failure,
                    output: Value::Null,
                    http_status: None,
                    error: Some(error),
                };
                self.finish(id, &pending, "runbook", result).await?;
                return Ok(Next::Stop);
            }
        };
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
            let mut walk = Walk::new(current, now, executors);
            Ok(walk
                .begin_attempt(&pending.idempotency_key, &call)
                .then(|| walk.done()))
        };
        match self.inner.store.update(id, &change).await? {
            Some(written) => {
                let pending = written.execution.state.pending.clone();
                self.published(written);
                Ok(pending.map_or(Next::Stop, |p| Next::Attempt(Box::new((p, call)))))
            }
            None => Ok(Next::Stop),
        }
    }

    /// Makes one attempt (already recorded as started) and records its result.
    async fn run_attempt(
        &self,
        id: &ExecutionId,
        pending: &PendingAutomation,
        call: &Call,
    ) -> Result<(), ApiError> {
        let actor = format!("automation:{}", call.executor);
        let attempt = self
            .inner
            .executors
            .attempt(call, &pending.idempotency_key)
            .await;
        let retry_left = pending.attempts <= call.retries;
        let (retryable, result) = classify(attempt);
        if retryable && retry_left {
            let wait = call.backoff_before(pending.attempts);
            let error = result.error.clone().unwrap_or_default();
            let now = self.now_ms();
            let executors = &self.inner.executors;
            let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
                let mut walk = Walk::new(current, now, executors);
                Ok(walk
                    .retry_later(&pending.idempotency_key, &error, wait, &actor)
                    .then(|| walk.done()))
            };
            if let Some(written) = self.inner.store.update(id, &change).await? {
                self.published(written);
                self.inner.executors.sleeper().sleep(wait).await;
            }
            return Ok(());
        }
        self.finish(id, pending, &actor, result).await
    }

    /// Records how the pending automation ended, and walks on.
    async fn finish(
        &self,
        id: &ExecutionId,
        pending: &PendingAutomation,
        actor: &str,
        result: AutomationResult,
    ) -> Result<(), ApiError> {
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
            let mut walk = Walk::new(current, now, executors);
            Ok(walk
                .finish_automation(&pending.idempotency_key, actor, result.clone())
                .then(|| walk.done()))
        };
        if let Some(written) = self.inner.store.update(id, &change).await? {
            self.published(written);
        } else {
            tracing::info!(execution = %id, "an automation result arrived after the execution moved on");
        }
        Ok(())
    }
}

/// The call a pending automation makes, prepared from the pinned procedure.
pub(super) fn prepare(
    executors: &Executors,
    ex: &Execution,
    pending: &PendingAutomation,
) -> Result<Call, String> {
    let automation = ex
        .runbook
        .procedure(&pending.key)
        .and_then(|p| p.automation.as_ref())
        .ok_or_else(|| format!("procedure {} has no automation", pending.key))?;
    executors.prepare(automation, &ex.state.context, &mut BTreeSet::new())
}

/// Whether an attempt may be retried, and the result it gives if not.
fn classify(attempt: Attempt) -> (bool, AutomationResult) {
    match attempt {
        Attempt::Success { status, output } => (
            false,
            AutomationResult {
                outcome: Outcome::Success,
                output,
                http_status: Some(status),
                error: None,
            },
        ),
        Attempt::Failure {
            status,
            output,
            error,
            retryable,
        } => (
            retryable,
            AutomationResult {
                outcome: Outcome::Failure,
                output,
                http_status: status,
                error: Some(error),
            },
        ),
        Attempt::Timeout => (
            true,
            AutomationResult {
                outcome: Outcome::Timeout,
                output: Value::Null,
                http_status: None,
                error: Some("no answer within the timeout".into()),
            },
        ),
    }
}
