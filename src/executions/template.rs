//! Placeholders in procedure bodies and automation inputs: `{{serviceId}}`,
//! `{{errorCode}}`, `{{environment}}`, `{{instance}}`, `{{host}}`,
//! `{{statusCode}}`, `{{severity}}`, `{{message}}`, `{{description}}` and
//! `{{labels.NAME}}`, filled from the alert. A placeholder without a value
//! stays exactly as written and is reported, never silently emptied.

use std::collections::BTreeSet;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::{
    markdown::{self, Contexts},
    model::{AlertContext, placeholder_spans},
};

/// Bytes left as they are when a value is put into a URL: RFC 3986's unreserved set.
const URL_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Fills placeholders with the alert's values. Unfilled ones are added to
/// `unresolved` (by name) and left in the text as written.
pub fn render(text: &str, ctx: &AlertContext, unresolved: &mut BTreeSet<String>) -> String {
    render_with(text, ctx, unresolved, |value, _| value.to_owned())
}

/// Like [`render`], percent-encoding each value (for URLs and paths).
pub fn render_url(text: &str, ctx: &AlertContext, unresolved: &mut BTreeSet<String>) -> String {
    render_with(text, ctx, unresolved, |value, _| {
        utf8_percent_encode(value, URL_VALUE).collect()
    })
}

/// Like [`render`] for a Markdown body: each value is escaped for where it
/// sits (see [`super::markdown`]), so it renders as literal text.
pub fn render_markdown(
    text: &str,
    ctx: &AlertContext,
    unresolved: &mut BTreeSet<String>,
) -> String {
    let contexts = Contexts::of(text);
    render_with(text, ctx, unresolved, |value, at| {
        markdown::escape(value, contexts.at(at))
    })
}

/// Fills placeholders, each value written by `write(value, byte offset of
/// the placeholder in text)`.
fn render_with(
    text: &str,
    ctx: &AlertContext,
    unresolved: &mut BTreeSet<String>,
    write: impl Fn(&str, usize) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (open, end, name) in placeholder_spans(text) {
        out.push_str(&text[done..open]);
        match ctx.placeholder(name) {
            Some(value) => out.push_str(&write(&value, open)),
            None => {
                unresolved.insert(name.to_owned());
                out.push_str(&text[open..end]);
            }
        }
        done = end;
    }
    out.push_str(&text[done..]);
    out
}

/// Fills placeholders in every string of a JSON value (keys are left alone).
pub fn render_json(value: &Value, ctx: &AlertContext, unresolved: &mut BTreeSet<String>) -> Value {
    match value {
        Value::String(s) => Value::String(render(s, ctx, unresolved)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| render_json(v, ctx, unresolved))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), render_json(v, ctx, unresolved)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ErrorCode, Host, ScopeId};

    fn ctx() -> AlertContext {
        AlertContext {
            host: Host::parse("lightapi.net").unwrap(),
            service_id: ScopeId::parse("com.acme.ledger-1.0.0").unwrap(),
            error_code: ErrorCode::parse("ERR10001").unwrap(),
            environment: Some("prod".into()),
            instance: None,
            labels: [("team".to_owned(), "pay ments".to_owned())].into(),
            status_code: Some(401),
            message: None,
            description: None,
            severity: None,
        }
    }

    #[test]
    fn every_listed_placeholder_is_filled_from_a_full_alert_and_no_other_is() {
        use crate::domain::execution::model::{PLACEHOLDERS, is_placeholder};
        let full = AlertContext {
            instance: Some("i-1".into()),
            message: Some("m".into()),
            description: Some("d".into()),
            severity: Some("S1".into()),
            ..ctx()
        };
        for name in PLACEHOLDERS {
            assert!(full.placeholder(name).is_some(), "{name}");
            assert!(is_placeholder(name));
        }
        assert!(full.placeholder("labels.team").is_some() && is_placeholder("labels.team"));
        for name in ["nope", "labels.", "ServiceId"] {
            assert!(
                full.placeholder(name).is_none() && !is_placeholder(name),
                "{name}"
            );
        }
    }

    #[test]
    fn known_placeholders_are_filled_and_unknown_ones_stay_visible() {
        let mut unresolved = BTreeSet::new();
        let text = render(
            "{{serviceId}} in {{ environment }} on {{instance}} for {{labels.team}}, {{nope}} {{",
            &ctx(),
            &mut unresolved,
        );
        assert_eq!(
            text,
            "com.acme.ledger-1.0.0 in prod on {{instance}} for pay ments, {{nope}} {{"
        );
        assert_eq!(
            unresolved.into_iter().collect::<Vec<_>>(),
            ["instance", "nope"]
        );
    }

    #[test]
    fn url_values_are_percent_encoded_and_json_strings_rendered() {
        let mut unresolved = BTreeSet::new();
        let url = render_url(
            "/x?team={{labels.team}}&s={{statusCode}}",
            &ctx(),
            &mut unresolved,
        );
        assert_eq!(url, "/x?team=pay%20ments&s=401");
        let body = render_json(
            &serde_json::json!({"a": ["{{errorCode}}", 1], "{{k}}": "{{host}}"}),
            &ctx(),
            &mut unresolved,
        );
        assert_eq!(
            body,
            serde_json::json!({"a": ["ERR10001", 1], "{{k}}": "lightapi.net"})
        );
        assert!(unresolved.is_empty());
    }
}
