//! The text of an escalation, from the fields the `json` format sends: in
//! Slack's mrkdwn for the `slack` format, plain for e-mail.

use serde_json::Value;

/// How a text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Slack's mrkdwn, every value escaped.
    Slack,
    /// Plain text, as an e-mail body.
    Plain,
}

impl Style {
    /// A value as this style writes it.
    fn value(self, text: &str) -> String {
        match self {
            Self::Slack => escape(text),
            Self::Plain => text.to_owned(),
        }
    }

    /// A link to `url` named `label`.
    fn link(self, url: &str, label: &str) -> String {
        match self {
            Self::Slack => format!("<{url}|{label}>"),
            Self::Plain => format!("{label}: {url}"),
        }
    }
}

/// Text for Slack's mrkdwn with `&`, `<` and `>` escaped, so no value from
/// an alert, a note or a contact can make a link or a mention (`<!channel>`).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One string field of the escalation, by its path.
fn field<'a>(m: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(m, |v, k| v.get(*k))
        .and_then(Value::as_str)
}

/// An e-mail's subject: one line, whatever the alert's fields hold.
pub fn subject(m: &Value) -> String {
    let mut subject = format!(
        "Escalated: {} on {}",
        field(m, &["errorCode"]).unwrap_or_default(),
        field(m, &["serviceId"]).unwrap_or_default(),
    );
    if let Some(environment) = field(m, &["environment"]) {
        subject.push_str(&format!(" ({environment})"));
    }
    subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The escalation's text in `style`, from its fields.
pub fn text(m: &Value, style: Style) -> String {
    let field = |path: &[&str]| field(m, path).map(|v| style.value(v));
    let what = format!(
        "{} on {}",
        field(&["errorCode"]).unwrap_or_default(),
        field(&["serviceId"]).unwrap_or_default(),
    );
    let link = field(&["link"]).unwrap_or_default();
    let mut text = match style {
        Style::Slack => format!(":rotating_light: *Escalated*: {}", style.link(&link, &what)),
        Style::Plain => format!("Escalated: {what}"),
    };
    if let Some(environment) = field(&["environment"]) {
        text.push_str(&format!(" ({environment})"));
    }
    text.push_str(&format!(
        " by {}",
        field(&["escalatedBy"]).unwrap_or_default()
    ));
    if style == Style::Plain {
        text.push_str(&format!("\n{}", style.link(&link, "The execution")));
    }
    if let Some(note) = field(&["note"]) {
        text.push_str(&format!("\n> {}", note.replace('\n', "\n> ")));
    }
    if let Some(message) = field(&["alert", "message"]) {
        text.push_str(&format!("\nAlert: {message}"));
    }
    if let Some(title) = field(&["step", "title"]) {
        text.push_str(&format!("\nAt step: {title}"));
    }
    let contacts = contacts(m, style);
    text.push_str(&if contacts.is_empty() {
        "\nContacts: none in the runbook".to_owned()
    } else {
        format!("\nContacts: {}", contacts.join("; "))
    });
    let runbook = field(&["runbookLink"]).unwrap_or_default();
    text.push_str(&format!("\n{}", style.link(&runbook, "The runbook")));
    text
}

/// Each contact as `name (email, phone, chat)`.
fn contacts(m: &Value, style: Style) -> Vec<String> {
    let Some(list) = m["contacts"].as_array() else {
        return Vec::new();
    };
    list.iter()
        .map(|c| {
            let part = |k: &str| c.get(k).and_then(Value::as_str).map(|v| style.value(v));
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
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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
        let text = text(&m, Style::Slack);
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
        let text = text(&json!({"contacts": []}), Style::Slack);
        assert!(text.contains("Contacts: none in the runbook"));
    }

    #[test]
    fn the_plain_text_keeps_values_as_written_and_spells_links_out() {
        let m = json!({
            "link": "https://runbooks.example.com/h/x/executions/1",
            "runbookLink": "https://runbooks.example.com/h/x/runbook/s/E",
            "errorCode": "ERR10001", "serviceId": "com.acme.svc-1.0.0",
            "environment": "prod", "escalatedBy": "alice", "note": "a < b & c",
            "contacts": [{"name": "Payments on-call", "email": "pay@example.com"}],
        });
        let text = text(&m, Style::Plain);
        assert_eq!(
            text,
            "Escalated: ERR10001 on com.acme.svc-1.0.0 (prod) by alice\n\
             The execution: https://runbooks.example.com/h/x/executions/1\n\
             > a < b & c\n\
             Contacts: Payments on-call (pay@example.com)\n\
             The runbook: https://runbooks.example.com/h/x/runbook/s/E"
        );
    }

    #[test]
    fn a_subject_is_one_line_whatever_the_alert_says() {
        let m = json!({"errorCode": "ERR10001", "serviceId": "svc",
                       "environment": "prod\r\nBcc: victim@example.com"});
        assert_eq!(
            subject(&m),
            "Escalated: ERR10001 on svc (prod  Bcc: victim@example.com)"
        );
    }
}
