//! Escalations reach people. After a write that escalates an execution (a
//! person's move or the runbook reaching an ESCALATION step), the service
//! sends the escalation to every notifier of the executors file, addressed
//! to the effective contacts of the service's runbook, and records what came
//! of each delivery in one ESCALATION_NOTIFIED event. A delivery is one call
//! through its executor (its base URL, credentials and reach, as automation
//! has them) or one e-mail through the file's SMTP relay, not retried: a
//! failed one is recorded, with why, for a person to see and act on.

mod text;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    engine::{Change, Walk},
    events::NewEvent,
    executors::{Attempt, NotifierConfig, NotifyFormat, recipients},
    model::{AlertContext, Execution},
    service::Executions,
};
use crate::{
    domain::Contact,
    error::{ApiError, ApiErrorCode},
};

impl Executions {
    /// Whom an escalation of an alert's execution reaches: the contacts of
    /// the service's runbook for the code as it is now (the nearest scope
    /// that has any); none when the service or its runbook is gone.
    pub async fn contacts(&self, alert: &AlertContext) -> Result<Vec<Contact>, ApiError> {
        let runbook = self
            .runbooks()
            .runbook(&alert.host, &alert.service_id, Some(&alert.error_code))
            .await;
        match runbook {
            Ok(runbook) => Ok(runbook.contacts.clone()),
            Err(e) if e.code == ApiErrorCode::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Announces `escalated` (the ESCALATED event just written) in the background.
    pub(super) fn notify_in_background(&self, execution: &Execution, escalated: &NewEvent) {
        let this = self.clone();
        let execution = execution.clone();
        let escalated = escalated.clone();
        tokio::spawn(async move {
            if let Err(e) = this.notify(&execution, &escalated).await {
                tracing::error!(execution = %execution.id, error = %e.message, "cannot record an escalation's notifications");
            }
        });
    }

    async fn notify(&self, ex: &Execution, escalated: &NewEvent) -> Result<(), ApiError> {
        let contacts = self.contacts(&ex.state.context).await.unwrap_or_else(|e| {
            tracing::warn!(execution = %ex.id, error = %e.message, "no contacts for an escalation");
            Vec::new()
        });
        let message = self.escalation(ex, escalated, &contacts);
        let notifiers = self.inner.executors.notifiers();
        let deliveries = futures::future::join_all(
            notifiers
                .iter()
                .map(|(name, notifier)| self.deliver(ex, name, notifier, &message)),
        )
        .await;
        let names: Vec<String> = contacts.into_iter().map(|c| c.name).collect();
        let now = self.now_ms();
        let executors = &self.inner.executors;
        let change = |current: &Execution| -> Result<Option<Change>, ApiError> {
            let mut walk = Walk::new(current, now, executors);
            walk.notified(names.clone(), deliveries.clone());
            Ok(Some(walk.done()))
        };
        if let Some(written) = self.inner.store.update(&ex.id, &change).await? {
            self.published(written);
        }
        Ok(())
    }

    /// Sends the escalation to one notifier: what came of it, as recorded.
    async fn deliver(
        &self,
        ex: &Execution,
        name: &str,
        notifier: &NotifierConfig,
        message: &Value,
    ) -> Value {
        let key = format!("{}-escalation", ex.id);
        let mut record = match notifier.format {
            NotifyFormat::Email => self.mail(&key, &notifier.to, message).await,
            NotifyFormat::Json | NotifyFormat::Slack => {
                self.webhook(ex, &key, notifier, message).await
            }
        };
        record.insert("notifier".into(), name.into());
        record.insert("format".into(), notifier.format.as_str().into());
        Value::Object(record)
    }

    /// Sends the escalation as one call through the notifier's executor.
    async fn webhook(
        &self,
        ex: &Execution,
        key: &str,
        notifier: &NotifierConfig,
        message: &Value,
    ) -> Map<String, Value> {
        let executors = &self.inner.executors;
        let mut unresolved = BTreeSet::new();
        let automation = notifier.automation();
        let mut call = match executors.prepare(&automation, &ex.state.context, &mut unresolved) {
            Ok(call) => call,
            Err(error) => return record(false, json!({ "error": error })),
        };
        call.retries = 0;
        call.body = Some(match notifier.format {
            NotifyFormat::Slack => json!({ "text": text::text(message, text::Style::Slack) }),
            NotifyFormat::Json | NotifyFormat::Email => message.clone(),
        });
        let (delivered, status, error) = match executors.attempt(&call, key).await {
            Attempt::Success { status, .. } => (true, Some(status), None),
            Attempt::Failure { status, error, .. } => (false, status, Some(error)),
            Attempt::Timeout => (
                false,
                None,
                Some(format!("no answer within {} s", call.timeout.as_secs())),
            ),
        };
        let details = json!({"url": call.shown_url(), "httpStatus": status, "error": error});
        record(delivered, details)
    }

    /// Sends the escalation as one e-mail through the file's relay.
    async fn mail(&self, key: &str, to: &[String], message: &Value) -> Map<String, Value> {
        let (to, left_out) = recipients(message, to);
        let addresses: Vec<String> = to.iter().map(|m| m.email.to_string()).collect();
        let mut details = json!({ "recipients": addresses });
        if !left_out.is_empty() {
            details["leftOut"] = json!(left_out);
        }
        // `ExecutorsConfig::parse` refuses an email notifier without a relay.
        let Some(mailer) = self.inner.executors.mailer() else {
            details["error"] = json!("no smtp relay is configured");
            return record(false, details);
        };
        details["url"] = json!(mailer.shown());
        if to.is_empty() {
            details["error"] = json!(
                "no recipient: no contact has an e-mail address and the notifier has no `to`"
            );
            return record(false, details);
        }
        let body = text::text(message, text::Style::Plain);
        match mailer.send(key, &to, &text::subject(message), body).await {
            Ok(()) => record(true, details),
            Err(error) => {
                details["error"] = json!(error);
                record(false, details)
            }
        }
    }

    /// The escalation as the `json` format sends it (and the `slack` one reads it).
    fn escalation(&self, ex: &Execution, escalated: &NewEvent, contacts: &[Contact]) -> Value {
        let ctx = &ex.state.context;
        let step = ex
            .state
            .current
            .as_ref()
            .map(|key| {
                let title = ex.runbook.procedure(key).map(|p| p.title.as_str());
                json!({"key": key.as_str(), "title": title})
            })
            .unwrap_or(Value::Null);
        json!({
            "kind": "escalation",
            "executionId": ex.id.as_str(),
            "link": self.execution_link(&ctx.host, &ex.id),
            "runbookLink": self.runbook_link(&ctx.host, ctx.service_id.as_str(), ctx.error_code.as_str()),
            "host": ctx.host.as_str(),
            "serviceId": ctx.service_id.as_str(),
            "errorCode": ctx.error_code.as_str(),
            "environment": ctx.environment,
            "instance": ctx.instance,
            "labels": ctx.labels,
            "alert": {"statusCode": ctx.status_code, "message": ctx.message,
                      "description": ctx.description, "severity": ctx.severity},
            "escalatedBy": escalated.actor,
            "note": escalated.data.get("note"),
            "at": rfc3339(escalated.at_ms),
            "step": step,
            "contacts": contacts,
        })
    }
}

/// A delivery's record: whether it got there, and its details.
fn record(delivered: bool, details: Value) -> Map<String, Value> {
    let mut record = match details {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    record.insert("delivered".into(), delivered.into());
    record
}

fn rfc3339(ms: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
}
