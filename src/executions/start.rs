//! Starting executions: pin the runbook, walk from its entry, and insert
//! the execution — or join the open one of the same service and code.

use std::sync::Arc;

use serde_json::Value;

use super::{
    engine::{Change, Walk},
    events::EventKind,
    executors::Executors,
    model::{AlertContext, Execution, ExecutionId, ExecutionState, Status},
    pinned::PinnedRunbook,
    service::{Executions, StartRequest, Started},
};
use crate::{
    error::ApiError,
    store::executions::{AlertKey, ExecutionFilter},
};

impl Executions {
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
                responder: None,
                notifying: false,
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
            unacknowledged: false,
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

    /// The effective runbook for the alert's service and code, pinned with
    /// the generation and revisions it was read at: one store round trip,
    /// whatever the lineage's depth.
    async fn pin(&self, ctx: &AlertContext) -> Result<PinnedRunbook, ApiError> {
        let (rb, generation, revisions) = self
            .inner
            .runbooks
            .runbook_with_revisions(&ctx.host, &ctx.service_id, &ctx.error_code)
            .await?;
        PinnedRunbook::pin(&rb, generation, &revisions).ok_or_else(|| {
            ApiError::not_found(format!(
                "service {} has no runbook entry for {}",
                ctx.service_id, ctx.error_code
            ))
        })
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
