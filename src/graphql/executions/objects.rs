//! Executions, their pinned runbook and their events as GraphQL objects.

use std::{collections::BTreeSet, sync::Arc};

use async_graphql::{Context, Enum, Json, Object, SimpleObject};
use serde_json::Value;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::super::{enums::ProcedureKind, errors::gql};
use crate::executions::{
    self as ex, Execution, Executions,
    expr::Expr,
    pinned::{Layer, PinnedBranch, PinnedProcedure},
    template::render,
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

fn layers(layers: &[Layer]) -> Vec<PinnedLayer> {
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
    async fn id(&self) -> &str {
        self.0.id.as_str()
    }
    async fn host(&self) -> &str {
        self.0.state.context.host.as_str()
    }
    async fn service_id(&self) -> &str {
        self.0.state.context.service_id.as_str()
    }
    async fn error_code(&self) -> &str {
        self.0.state.context.error_code.as_str()
    }
    async fn environment(&self) -> Option<&str> {
        self.0.state.context.environment.as_deref()
    }
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
    /// Alerts that started or joined it.
    async fn alert_count(&self) -> i64 {
        i64::from(self.0.state.alert_count)
    }
    async fn started_at(&self) -> String {
        rfc3339(self.0.started_ms)
    }
    async fn updated_at(&self) -> String {
        rfc3339(self.0.updated_ms)
    }
    /// When the last alert started or joined it.
    async fn last_alert_at(&self) -> String {
        rfc3339(self.0.last_alert_ms)
    }
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
        Ok(ctx.data::<Executions>()?.execution_link(&self.0.id))
    }
    /// The deep link of the service's runbook for the error code.
    async fn runbook_link(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let c = &self.0.state.context;
        Ok(ctx
            .data::<Executions>()?
            .runbook_link(c.service_id.as_str(), c.error_code.as_str()))
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
    async fn entry(&self) -> &str {
        self.0.0.runbook.entry.as_str()
    }
    /// Reachable from the entry, breadth first.
    async fn procedures(&self) -> Vec<ExecutionProcedure> {
        let rb = &self.0.0.runbook;
        rb.procedures.iter().map(|p| self.0.procedure(p)).collect()
    }
    async fn branches(&self) -> Vec<ExecutionBranch> {
        let rb = &self.0.0.runbook;
        rb.branches.iter().cloned().map(ExecutionBranch).collect()
    }
}

/// A procedure of a pinned runbook, its body rendered with the alert's values.
pub struct ExecutionProcedure {
    execution: Arc<Execution>,
    procedure: PinnedProcedure,
}

#[Object]
impl ExecutionProcedure {
    async fn key(&self) -> &str {
        self.procedure.key.as_str()
    }
    async fn title(&self) -> &str {
        &self.procedure.title
    }
    async fn kind(&self) -> ProcedureKind {
        self.procedure.kind.into()
    }
    /// The body with placeholders filled from the alert; unfilled ones stay as written.
    async fn body(&self) -> Option<String> {
        let body = self.procedure.body.as_ref()?;
        Some(render(
            body,
            &self.execution.state.context,
            &mut BTreeSet::new(),
        ))
    }
    /// The body as written.
    async fn raw_body(&self) -> Option<&str> {
        self.procedure.body.as_deref()
    }
    /// Placeholders of the body and the automation that no value fills.
    async fn unresolved_placeholders(&self) -> Vec<String> {
        let ctx = &self.execution.state.context;
        let mut names = BTreeSet::new();
        if let Some(body) = &self.procedure.body {
            render(body, ctx, &mut names);
        }
        if let Some(a) = &self.procedure.automation {
            crate::executions::template::render_json(&Value::Object(a.clone()), ctx, &mut names);
        }
        names.into_iter().collect()
    }
    /// The automation object as written.
    async fn automation(&self) -> Option<Json<serde_json::Map<String, Value>>> {
        self.procedure.automation.clone().map(Json)
    }
    async fn tags(&self) -> &[String] {
        &self.procedure.tags
    }
    /// Every scope that defines it, general first, with its revision when pinned.
    async fn layers(&self) -> Vec<PinnedLayer> {
        layers(&self.procedure.layers)
    }
}

/// A branch of a pinned runbook.
pub struct ExecutionBranch(PinnedBranch);

#[Object]
impl ExecutionBranch {
    async fn from(&self) -> &str {
        self.0.from.as_str()
    }
    async fn label(&self) -> &str {
        self.0.label.as_str()
    }
    async fn to(&self) -> &str {
        self.0.to.as_str()
    }
    async fn condition(&self) -> Option<&str> {
        self.0.condition.as_deref()
    }
    /// Whether the condition is an expression the service can check by itself.
    async fn machine_checkable(&self) -> bool {
        self.0
            .condition
            .as_deref()
            .is_some_and(|c| Expr::parse(c).is_ok())
    }
    async fn order(&self) -> Option<i64> {
        self.0.order
    }
    async fn layers(&self) -> Vec<PinnedLayer> {
        layers(&self.0.layers)
    }
}

/// Something that happened in an execution.
pub struct ExecutionEvent(pub ex::Event);

#[Object]
impl ExecutionEvent {
    async fn execution_id(&self) -> &str {
        self.0.execution.as_str()
    }
    /// 1, 2, … within the execution.
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    /// STARTED, ALERT_JOINED, ALERT_RESOLVED, ENTERED, PLACEHOLDERS_UNRESOLVED,
    /// WAITING, STEP_COMPLETED, BRANCH_TAKEN, DECISION_DEFERRED, NOTE_ADDED,
    /// AUTOMATION_STARTED, AUTOMATION_RETRYING, AUTOMATION_FINISHED,
    /// AUTOMATION_UNAVAILABLE, NEEDS_ATTENTION, RESOLVED, ESCALATED or ABORTED.
    async fn kind(&self) -> &'static str {
        self.0.event.kind.as_str()
    }
    async fn at(&self) -> String {
        rfc3339(self.0.event.at_ms)
    }
    /// The procedure it concerns.
    async fn procedure(&self) -> Option<&str> {
        self.0.event.procedure.as_ref().map(|k| k.as_str())
    }
    /// `uid` of a person, `automation:<executor>`, `condition`, `runbook`, `alert` or `system`.
    async fn actor(&self) -> &str {
        &self.0.event.actor
    }
    /// The branch label, for BRANCH_TAKEN.
    async fn label(&self) -> Option<&str> {
        self.0.event.data.get("label").and_then(Value::as_str)
    }
    async fn note(&self) -> Option<&str> {
        self.0.event.data.get("note").and_then(Value::as_str)
    }
    /// An automation's or a person's output.
    async fn output(&self) -> Option<Json<Value>> {
        self.0.event.data.get("output").cloned().map(Json)
    }
    /// Everything the event carries (label, note, output, attempt, error, reason, …).
    async fn data(&self) -> Json<serde_json::Map<String, Value>> {
        Json(self.0.event.data.clone())
    }
}
