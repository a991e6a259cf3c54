//! Escalations reach people. After a write that escalates an execution (a
//! person's move or the runbook reaching an ESCALATION step), the service
//! sends the escalation to every notifier of the executors file, addressed
//! to the effective contacts of the service's runbook, and records what came
//! of each delivery in one ESCALATION_NOTIFIED event. A delivery is one call
//! through its executor (its base URL, credentials and reach, as automation
//! has them), not retried: a failed one is recorded, with why, for a person
//! to see and act on.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    engine::{Change, Walk},
    events::NewEvent,
    executors::{Attempt, NotifierConfig, NotifyFormat},
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
        let executors = &self.inner.executors;
        let mut unresolved = BTreeSet::new();
        let mut call =
            match executors.prepare(&notifier.automation(), &ex.state.context, &mut unresolved) {
                Ok(call) => call,
                Err(error) => {
                    return json!({"notifier": name, "format": notifier.format.as_str(),
                                  "delivered": false, "error": error});
                }
            };
        call.retries = 0;
        call.body = Some(match notifier.format {
            NotifyFormat::Json => message.clone(),
            NotifyFormat::Slack => json!({ "text": slack_text(message) }),
        });
        let url = call.shown_url();
        let key = format!("{}-escalation", ex.id);
        let (delivered, status, error) = match executors.attempt(&call, &key).await {
            Attempt::Success { status, .. } => (true, Some(status), None),
            Attempt::Failure { status, error, .. } => (false, status, Some(error)),
            Attempt::Timeout => (
                false,
                None,
                Some(format!("no answer within {} s", call.timeout.as_secs())),
            ),
        };
        json!({"notifier": name, "format": notifier.format.as_str(), "url": url,
               "delivered": delivered, "httpStatus": status, "error": error})
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

fn rfc3339(ms: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
}

/// Text for Slack's mrkdwn with `&`, `<` and `>` escaped, so no value from
/// an alert, a note or a contact can make a link or a mention (`<!channel>`).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The `slack` format's text, from the escalation's fields.
fn slack_text(m: &Value) -> String {
    let field = |path: &[&str]| {
        path.iter()
            .try_fold(m, |v, k| v.get(*k))
            .and_then(Value::as_str)
            .map(escape)
    };
    let mut text = format!(
        ":rotating_light: *Escalated*: <{}|{} on {}>",
        field(&["link"]).unwrap_or_default(),
        field(&["errorCode"]).unwrap_or_default(),
        field(&["serviceId"]).unwrap_or_default(),
    );
    if let Some(environment) = field(&["environment"]) {
        text.push_str(&format!(" ({environment})"));
    }
    text.push_str(&format!(
        " by {}",
        field(&["escalatedBy"]).unwrap_or_default()
    ));
    if let Some(note) = field(&["note"]) {
        text.push_str(&format!("\n> {}", note.replace('\n', "\n> ")));
    }
    if let Some(message) = field(&["alert", "message"]) {
        text.push_str(&format!("\nAlert: {message}"));
    }
    if let Some(title) = field(&["step", "title"]) {
        text.push_str(&format!("\nAt step: {title}"));
    }
    let contacts: Vec<String> = m["contacts"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|c| {
                    let part = |k: &str| c.get(k).and_then(Value::as_str).map(escape);
                    let reach: Vec<String> = ["email", "phone", "chat"]
                        .iter()
                        .filter_map(|k| part(k))
                        .collect();
                    let name = part("name").unwrap_or_default();
                    if reach.is_empty() {
                        name
                    } else {
                        format!("{name} ({})", reach.join(", "))
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    text.push_str(&if contacts.is_empty() {
        "\nContacts: none in the runbook".to_owned()
    } else {
        format!("\nContacts: {}", contacts.join("; "))
    });
    text.push_str(&format!(
        "\n<{}|The runbook>",
        field(&["runbookLink"]).unwrap_or_default()
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slack_text_escapes_every_value_so_none_becomes_a_link_or_a_mention() {
        let m = json!({
            "link": "https://runbooks.example.com/h/x/executions/1",
            "runbookLink": "https://runbooks.example.com/h/x/runbook/s/E",
            "errorCode": "ERR10001", "serviceId": "com.acme.svc-1.0.0",
            "environment": "prod", "escalatedBy": "alice",
            "note": "<!channel> call <https://evil.example|the bank> & run",
            "alert": {"message": "db <down>"},
            "step": {"title": "Restart"},
            "contacts": [{"name": "Payments on-call", "email": "pay@example.com", "chat": "<#C123>"}],
        });
        let text = slack_text(&m);
        assert!(
            text.contains("&lt;!channel&gt; call &lt;https://evil.example|the bank&gt; &amp; run"),
            "{text}"
        );
        assert!(text.contains("Alert: db &lt;down&gt;"));
        assert!(text.contains("Payments on-call (pay@example.com, &lt;#C123&gt;)"));
        assert!(text.starts_with(":rotating_light: *Escalated*: <https://runbooks.example.com/h/x/executions/1|ERR10001 on com.acme.svc-1.0.0> (prod) by alice"));
        // The only links are the two the service made.
        assert_eq!(text.matches('<').count(), 2, "{text}");
    }

    #[test]
    fn without_contacts_the_text_says_so() {
        let text = slack_text(&json!({"contacts": []}));
        assert!(text.contains("Contacts: none in the runbook"));
    }
}
