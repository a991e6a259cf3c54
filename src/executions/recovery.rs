//! Resuming after a restart. At start-up, [`Executions::recover`] finds the
//! executions that were RUNNING: one whose attempt was in flight when the
//! service stopped is retried (recorded as a retry after restart, same
//! `Idempotency-Key`) or, when its automation says `onRestart: attention`,
//! marked NEEDS_ATTENTION; then the walk goes on. An escalation whose
//! notifications were never recorded (the service stopped between the
//! escalation and the deliveries) is notified then, once, with the same
//! `Idempotency-Key`, so a receiver that saw the first try can drop this one.
//!
//! An execution that cannot be resumed — its pinned runbook holds a
//! condition past the bounds (written before they existed), or resuming it
//! fails or panics — is marked NEEDS_ATTENTION with the reason (an event),
//! so it is no longer RUNNING and never tried again at the next start; the
//! start goes on with the others.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{
    driver::prepare,
    engine::{Change, Walk},
    events::EventKind,
    model::{Execution, ExecutionId},
    pinned::PinnedRunbook,
    service::Executions,
};
use crate::{
    domain::condition,
    error::{ApiError, ApiErrorCode},
};

impl Executions {
    /// Resumes every execution that was RUNNING when the service stopped,
    /// holds for a person each one that cannot be resumed, and sends the
    /// notifications of every escalation still `notifying`. Returns how many
    /// executions it found to resume or notify.
    pub async fn recover(&self) -> Result<usize, ApiError> {
        let ids = self.inner.store.running().await?;
        for id in &ids {
            if let Err(reason) = self.resume(id).await {
                let reason = format!("cannot resume after a restart: {reason}");
                self.hold(id, &reason).await;
            }
        }
        if !ids.is_empty() {
            tracing::info!(count = ids.len(), "resumed running executions");
        }
        let unnotified = self.inner.store.unnotified().await?;
        for id in &unnotified {
            if let Err(reason) = self.renotify(id).await {
                tracing::error!(execution = %id, reason, "cannot send an escalation's notifications after a restart");
            }
        }
        if !unnotified.is_empty() {
            tracing::info!(
                count = unnotified.len(),
                "notifying escalations the last run did not"
            );
        }
        Ok(ids.len() + unnotified.len())
    }

    /// Sends the notifications of an escalation that has none recorded,
    /// from its last `ESCALATED` event.
    async fn renotify(&self, id: &ExecutionId) -> Result<(), String> {
        let read = |e: crate::store::StoreError| {
            format!("it cannot be read: {}", ApiError::from(e).message)
        };
        let Some(current) = self.inner.store.get(id).await.map_err(read)? else {
            return Ok(());
        };
        let mut escalated = None;
        let mut after = 0;
        loop {
            let page = self
                .inner
                .store
                .events(id, after, EVENT_PAGE)
                .await
                .map_err(read)?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            let full = page.len() == EVENT_PAGE as usize;
            if let Some(e) = page
                .into_iter()
                .rev()
                .find(|e| e.event.kind == EventKind::Escalated)
            {
                escalated = Some(e.event);
            }
            if !full {
                break;
            }
        }
        let escalated = escalated.ok_or("it has no ESCALATED event")?;
        self.notify_in_background(&current, &escalated);
        Ok(())
    }

    /// Resumes one execution; the reason when it cannot be.
    async fn resume(&self, id: &ExecutionId) -> Result<(), String> {
        let current = match self.inner.store.get(id).await {
            Ok(Some(current)) => current,
            Ok(None) => return Ok(()),
            Err(e) => return Err(format!("it cannot be read: {e}")),
        };
        if let Some(reason) = poisoned(&current.runbook) {
            return Err(reason);
        }
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
            catch_unwind(AssertUnwindSafe(|| {
                let pending = current.state.pending.as_ref().filter(|p| p.in_flight)?;
                let on_restart = prepare(executors, current, pending)
                    .map(|call| call.on_restart)
                    .unwrap_or_default();
                let mut walk = Walk::new(current, now, executors);
                walk.after_restart(&pending.idempotency_key, on_restart)
                    .then(|| walk.done())
            }))
            .map_err(|_| ApiError::new(ApiErrorCode::Internal, "the walk failed (a panic)"))
        };
        match self.inner.store.update(id, &change).await {
            Ok(Some(written)) => {
                self.published(written);
            }
            Ok(None) => self.drive_in_background(id.clone()),
            Err(e) => return Err(ApiError::from(e).message),
        }
        Ok(())
    }

    /// Marks the execution NEEDS_ATTENTION with the reason; logged when
    /// even that fails (the store is unreachable, or the row unreadable).
    pub(super) async fn hold(&self, id: &ExecutionId, reason: &str) {
        tracing::error!(execution = %id, reason, "held for a person");
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
            let mut walk = Walk::new(current, now, executors);
            walk.hold_for_person(reason);
            Ok(Some(walk.done()))
        };
        match self.inner.store.update(id, &change).await {
            Ok(Some(written)) => {
                self.published(written);
            }
            Ok(None) => {}
            Err(e) => {
                let message = ApiError::from(e).message;
                tracing::error!(execution = %id, error = %message, "cannot mark it either");
            }
        }
    }
}

/// Events read per round trip when looking for an escalation.
const EVENT_PAGE: u32 = 500;

/// Why the pinned runbook cannot be walked: a branch condition past the
/// bounds, which a runbook written before the bounds existed may hold.
fn poisoned(runbook: &PinnedRunbook) -> Option<String> {
    runbook.branches.iter().find_map(|b| {
        let text = b.condition.as_deref()?;
        let e = condition::bound_violation(text)?;
        Some(format!(
            "the condition of the branch from `{}` labelled `{}` in the pinned runbook is refused: {}; \
             check the alert, then complete the step or choose a branch",
            b.from, b.label, e.message
        ))
    })
}
