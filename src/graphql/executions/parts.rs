//! The parts of an execution as GraphQL objects: its pinned procedures and
//! branches, and its events.

use std::{collections::BTreeSet, sync::Arc};

use async_graphql::{Json, Object};
use serde_json::Value;

use super::{
    super::enums::ProcedureKind,
    objects::{PinnedLayer, layers, rfc3339},
};
use crate::executions::{
    self as ex, Execution,
    expr::Expr,
    pinned::{PinnedBranch, PinnedProcedure},
    template::{render, render_markdown},
};

/// A procedure of a pinned runbook, its body rendered with the alert's values.
pub struct ExecutionProcedure {
    pub(super) execution: Arc<Execution>,
    pub(super) procedure: PinnedProcedure,
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
    /// The body with placeholders filled from the alert, each value escaped
    /// so that it renders as literal text; unfilled ones stay as written.
    async fn body(&self) -> Option<String> {
        let body = self.procedure.body.as_ref()?;
        Some(render_markdown(
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
pub struct ExecutionBranch(pub(super) PinnedBranch);

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
    /// AUTOMATION_UNAVAILABLE, STEP_RETRIED, ACKNOWLEDGED, HANDED_OFF,
    /// NEEDS_ATTENTION, ESCALATION_NOTIFIED, RESOLVED, ESCALATED or ABORTED.
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
