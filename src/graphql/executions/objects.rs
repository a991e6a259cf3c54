//! Executions, their pinned runbook and their events as GraphQL objects.

use std::sync::Arc;

use async_graphql::{Context, Enum, Json, Object, SimpleObject};
use serde_json::Value;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::super::errors::gql;
pub use super::parts::{ExecutionBranch, ExecutionEvent, ExecutionProcedure};
use crate::executions::{
    self as ex, Execution, Executions,
    pinned::{Layer, PinnedProcedure},
};

/// Where an execution is in its life.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ExecutionStatus", remote = "ex::Status")]
pub enum ExecutionStatus {
    /// The service is walking the runbook (automation in flight).
    Running,
    /// Waiting for a person (see `awaiting`).
    Waiting,
    /// Stopped by something a person must look at (see the events).
    NeedsAttention,
    /// Finished: resolved.
    Resolved,
    /// Finished: handed over to people.
    Escalated,
    /// Finished: abandoned.
    Aborted,
}

/// What a waiting execution needs from a person.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Awaiting", remote = "ex::Awaiting")]
pub enum Awaiting {
    /// Carry out the current procedure, then `completeStep`.
    CompleteStep,
    /// Pick a branch of the current procedure with `chooseBranch`.
    ChooseBranch,
    /// The path ends here: `resolve` or `escalate`.
    Finish,
}

/// RFC 3339 text of a time in ms since the epoch.
pub(super) fn rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// Who answers for an open execution.
#[derive(SimpleObject)]
pub struct ExecutionResponder {
    /// The responder's `uid`.
    pub uid: String,
    /// Since when they answer for it (acknowledged, or handed it), RFC 3339.
    pub since: String,
    /// When the execution was first acknowledged, RFC 3339.
    pub acknowledged_at: String,
}

/// What the alert that started the execution said, beside its code,
/// environment, instance and labels.
#[derive(SimpleObject)]
pub struct AlertFacts {
    /// The HTTP status the light-4j status carries.
    pub status_code: Option<i64>,
    pub message: Option<String>,
    pub description: Option<String>,
    pub severity: Option<String>,
}

/// An alert label.
#[derive(SimpleObject)]
pub struct Label {
    pub name: String,
    pub value: String,
}

/// One scope's layer of a pinned object.
#[derive(SimpleObject)]
pub struct PinnedLayer {
    pub scope_id: String,
    /// The object's revision in that scope when the execution started.
    pub revision: Option<i64>,
}

pub(super) fn layers(layers: &[Layer]) -> Vec<PinnedLayer> {
    layers
        .iter()
        .map(|l| PinnedLayer {
            scope_id: l.scope.to_string(),
            revision: l.revision.and_then(|r| i64::try_from(r).ok()),
        })
        .collect()
}

/// One execution.
#[derive(Clone)]
pub struct ExecutionObject(pub Arc<Execution>);

impl From<Execution> for ExecutionObject {
    fn from(e: Execution) -> Self {
        Self(Arc::new(e))
    }
}

impl ExecutionObject {
    fn procedure(&self, p: &PinnedProcedure) -> ExecutionProcedure {
        ExecutionProcedure {
            execution: self.0.clone(),
            procedure: p.clone(),
        }
    }
}

#[Object(name = "Execution")]
impl ExecutionObject {
    /// The execution's id (time-ordered).
    async fn id(&self) -> &str {
        self.0.id.as_str()
    }
    /// The tenant.
    async fn host(&self) -> &str {
        self.0.state.context.host.as_str()
    }
    /// The service (its light-4j serviceId).
    async fn service_id(&self) -> &str {
        self.0.state.context.service_id.as_str()
    }
    /// The error code whose runbook it follows.
    async fn error_code(&self) -> &str {
        self.0.state.context.error_code.as_str()
    }
    /// The alert's environment, when it named one.
    async fn environment(&self) -> Option<&str> {
        self.0.state.context.environment.as_deref()
    }
    /// The alert's instance, when it named one.
    async fn instance(&self) -> Option<&str> {
        self.0.state.context.instance.as_deref()
    }
    /// The alert's labels.
    async fn labels(&self) -> Vec<Label> {
        let labels = &self.0.state.context.labels;
        labels
            .iter()
            .map(|(name, value)| Label {
                name: name.clone(),
                value: value.clone(),
            })
            .collect()
    }
    /// Where it is in its life.
    async fn status(&self) -> ExecutionStatus {
        self.0.status.into()
    }
    /// What a person must do next (null while running or once finished).
    async fn awaiting(&self) -> Option<Awaiting> {
        self.0.state.awaiting.map(Into::into)
    }
    /// The procedure it stands at (the last one, once finished).
    async fn current(&self) -> Option<ExecutionProcedure> {
        let key = self.0.state.current.as_ref()?;
        self.0.runbook.procedure(key).map(|p| self.procedure(p))
    }
    /// The branches leaving the current procedure.
    async fn choices(&self) -> Vec<ExecutionBranch> {
        let Some(key) = &self.0.state.current else {
            return Vec::new();
        };
        self.0
            .runbook
            .branches_from(key)
            .cloned()
            .map(ExecutionBranch)
            .collect()
    }
    /// `uid` of the person who started it, or `alert`.
    async fn started_by(&self) -> &str {
        &self.0.state.started_by
    }
    /// Escalated, and the notifiers not told yet: an ESCALATION_NOTIFIED
    /// event follows (and the event stream goes on until it).
    async fn notifying(&self) -> bool {
        self.0.state.notifying
    }
    /// Who answers for it; null until someone acknowledges it.
    async fn responder(&self) -> Option<ExecutionResponder> {
        self.0.state.responder.as_ref().map(|r| ExecutionResponder {
            uid: r.uid.clone(),
            since: rfc3339(r.since_ms),
            acknowledged_at: rfc3339(r.acknowledged_ms),
        })
    }
    /// The alert's status, message, description and severity, as it sent them.
    async fn alert(&self) -> AlertFacts {
        let c = &self.0.state.context;
        AlertFacts {
            status_code: c.status_code.map(i64::from),
            message: c.message.clone(),
            description: c.description.clone(),
            severity: c.severity.clone(),
        }
    }
    /// Alerts that started or joined it.
    async fn alert_count(&self) -> i64 {
        i64::from(self.0.state.alert_count)
    }
    /// When it started, RFC 3339.
    async fn started_at(&self) -> String {
        rfc3339(self.0.started_ms)
    }
    /// When it last changed, RFC 3339.
    async fn updated_at(&self) -> String {
        rfc3339(self.0.updated_ms)
    }
    /// When the last alert started or joined it.
    async fn last_alert_at(&self) -> String {
        rfc3339(self.0.last_alert_ms)
    }
    /// When it finished, RFC 3339.
    async fn finished_at(&self) -> Option<String> {
        self.0.finished_ms.map(rfc3339)
    }
    /// The previous step's output (an automation's response, or what a person entered).
    async fn last_output(&self) -> Option<Json<Value>> {
        self.0.state.last_output.clone().map(Json)
    }
    /// The last automation's outcome: `success`, `failure` or `timeout`.
    async fn last_outcome(&self) -> Option<&'static str> {
        self.0.state.last_outcome.map(ex::Outcome::as_str)
    }
    /// The deep link of this execution.
    async fn link(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let host = &self.0.state.context.host;
        Ok(ctx.data::<Executions>()?.execution_link(host, &self.0.id))
    }
    /// Whom an escalation reaches: the contacts of the service's runbook for
    /// the code as it is now (the nearest scope that has any); none when
    /// the service or its runbook is gone.
    async fn contacts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::super::scope::ContactObject>> {
        let contacts = ctx
            .data::<Executions>()?
            .contacts(&self.0.state.context)
            .await
            .map_err(gql)?;
        Ok(contacts.iter().map(Into::into).collect())
    }
    /// The deep link of the service's runbook for the error code.
    async fn runbook_link(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let c = &self.0.state.context;
        Ok(ctx.data::<Executions>()?.runbook_link(
            &c.host,
            c.service_id.as_str(),
            c.error_code.as_str(),
        ))
    }
    /// The runbook pinned when the execution started.
    async fn runbook(&self) -> PinnedRunbookObject {
        PinnedRunbookObject(self.clone())
    }
    /// The events, in order, after `afterSeq` (default: all), at most `first` (default 500).
    async fn events(
        &self,
        ctx: &Context<'_>,
        after_seq: Option<i64>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<ExecutionEvent>> {
        let limit = super::super::query::page_size(first.or(Some(500)))?;
        let events = ctx
            .data::<Executions>()?
            .events(&self.0.id, after_seq.unwrap_or(0), limit)
            .await
            .map_err(|e| gql(e.into()))?;
        Ok(events.into_iter().map(ExecutionEvent).collect())
    }
}

/// The pinned runbook of an execution.
pub struct PinnedRunbookObject(ExecutionObject);

#[Object(name = "PinnedRunbook")]
impl PinnedRunbookObject {
    /// The host's generation the runbook was resolved at.
    async fn generation(&self) -> i64 {
        i64::try_from(self.0.0.runbook.generation).unwrap_or(i64::MAX)
    }
    /// The service first, then its ancestors.
    async fn lineage(&self) -> Vec<String> {
        self.0
            .0
            .runbook
            .lineage
            .iter()
            .map(ToString::to_string)
            .collect()
    }
    /// The procedure the error code enters at.
    async fn entry(&self) -> &str {
        self.0.0.runbook.entry.as_str()
    }
    /// Reachable from the entry, breadth first.
    async fn procedures(&self) -> Vec<ExecutionProcedure> {
        let rb = &self.0.0.runbook;
        rb.procedures.iter().map(|p| self.0.procedure(p)).collect()
    }
    /// The branches among them, grouped by `from`, in branch order.
    async fn branches(&self) -> Vec<ExecutionBranch> {
        let rb = &self.0.0.runbook;
        rb.branches.iter().cloned().map(ExecutionBranch).collect()
    }
}
