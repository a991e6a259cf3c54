//! Reading alert payloads: a light-4j status, or a Prometheus Alertmanager
//! webhook with one or more alerts. Each problem names the field at fault.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::{
    domain::{ErrorCode, Host, ScopeId},
    executions::AlertContext,
};

/// One alert as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub context: AlertContext,
    /// Alertmanager's `status: resolved`: the alert stopped firing.
    pub resolved: bool,
    /// The alert as received (recorded in the execution's events).
    pub raw: Value,
}

/// A problem with one alert (or the whole payload when `index` is None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub index: Option<usize>,
    /// The path of the field at fault, e.g. `alerts[1].labels.service_id`.
    pub field: String,
    pub message: String,
}

/// The alerts of a payload (by position) and the problems of the others.
pub type Parsed = (Vec<(usize, Alert)>, Vec<Problem>);

/// Most alerts one webhook may carry.
pub const MAX_ALERTS: usize = 1_000;

/// Reads a payload. A payload whose shape is wrong is one problem with no index.
pub fn parse(body: &Value, default_host: &Host) -> Result<Parsed, Problem> {
    let whole = |field: &str, message: String| Problem {
        index: None,
        field: field.into(),
        message,
    };
    let Value::Object(object) = body else {
        return Err(whole("body", "the payload must be a JSON object".into()));
    };
    let Some(alerts) = object.get("alerts") else {
        return Ok(match light4j(object, default_host) {
            Ok(alert) => (vec![(0, alert)], Vec::new()),
            Err((field, message)) => (Vec::new(), vec![problem(0, field, message)]),
        });
    };
    let Value::Array(alerts) = alerts else {
        return Err(whole("alerts", "`alerts` must be an array".into()));
    };
    if alerts.is_empty() || alerts.len() > MAX_ALERTS {
        return Err(whole(
            "alerts",
            format!("a webhook carries 1 to {MAX_ALERTS} alerts"),
        ));
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (i, alert) in alerts.iter().enumerate() {
        match alertmanager(alert, default_host) {
            Ok(alert) => good.push((i, alert)),
            Err((field, message)) if field.is_empty() => {
                bad.push(problem(i, format!("alerts[{i}]"), message));
            }
            Err((field, message)) => bad.push(problem(i, format!("alerts[{i}].{field}"), message)),
        }
    }
    Ok((good, bad))
}

fn problem(index: usize, field: String, message: String) -> Problem {
    Problem {
        index: Some(index),
        field,
        message,
    }
}

/// The field at fault and what is wrong with it.
type FieldError = (String, String);

fn field_error(field: &str, message: impl Into<String>) -> FieldError {
    (field.to_owned(), message.into())
}

/// A light-4j status payload plus `serviceId`, `host`, `environment`, `instance`, `labels`.
fn light4j(o: &Map<String, Value>, default_host: &Host) -> Result<Alert, FieldError> {
    let text = |name: &str| optional_text(o, name);
    let status_code = match o.get("statusCode") {
        None | Some(Value::Null) => None,
        Some(v) => Some(status_code(v).ok_or_else(|| {
            field_error("statusCode", "statusCode must be a number from 100 to 599")
        })?),
    };
    let labels = match o.get("labels") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(map)) => string_map(map, "labels")?,
        Some(_) => return Err(field_error("labels", "labels must be an object of strings")),
    };
    let context = AlertContext {
        host: host(text("host")?, default_host, "host")?,
        service_id: required(text("serviceId")?, "serviceId", ScopeId::parse)?,
        error_code: required(text("code")?, "code", ErrorCode::parse)?,
        environment: text("environment")?,
        instance: text("instance")?,
        labels,
        status_code,
        message: text("message")?,
        description: text("description")?,
        severity: text("severity")?,
    };
    Ok(Alert {
        context,
        resolved: false,
        raw: Value::Object(o.clone()),
    })
}

/// One alert of an Alertmanager webhook: its labels name the service and code.
fn alertmanager(alert: &Value, default_host: &Host) -> Result<Alert, FieldError> {
    let Value::Object(o) = alert else {
        return Err(field_error("", "an alert must be an object"));
    };
    let labels = match o.get("labels") {
        Some(Value::Object(map)) => string_map(map, "labels")?,
        _ => {
            return Err(field_error(
                "labels",
                "an alert needs `labels` (an object of strings)",
            ));
        }
    };
    let annotations = match o.get("annotations") {
        Some(Value::Object(map)) => string_map(map, "annotations")?,
        None | Some(Value::Null) => BTreeMap::new(),
        Some(_) => {
            return Err(field_error(
                "annotations",
                "annotations must be an object of strings",
            ));
        }
    };
    let label = |names: &[&str]| names.iter().find_map(|n| labels.get(*n).cloned());
    let service = label(&["service_id", "serviceId"]).ok_or_else(|| {
        field_error(
            "labels.service_id",
            "the alert needs a label service_id (or serviceId)",
        )
    })?;
    let code = label(&["error_code", "code"]).ok_or_else(|| {
        field_error(
            "labels.error_code",
            "the alert needs a label error_code (or code)",
        )
    })?;
    let status_code = match label(&["status_code", "statusCode"]) {
        None => None,
        Some(s) => Some(status_code(&Value::String(s)).ok_or_else(|| {
            field_error(
                "labels.status_code",
                "status_code must be a number from 100 to 599",
            )
        })?),
    };
    let resolved = match o.get("status").and_then(Value::as_str) {
        None | Some("firing") => false,
        Some("resolved") => true,
        Some(other) => {
            return Err(field_error(
                "status",
                format!("status must be firing or resolved, not {other:?}"),
            ));
        }
    };
    let context = AlertContext {
        host: host(label(&["host"]), default_host, "labels.host")?,
        service_id: ScopeId::parse(service)
            .map_err(|e| field_error("labels.service_id", e.to_string()))?,
        error_code: ErrorCode::parse(code)
            .map_err(|e| field_error("labels.error_code", e.to_string()))?,
        environment: label(&["environment", "env"]),
        instance: label(&["instance"]),
        status_code,
        message: annotations
            .get("summary")
            .or(annotations.get("message"))
            .cloned(),
        description: annotations.get("description").cloned(),
        severity: label(&["severity"]),
        labels,
    };
    Ok(Alert {
        context,
        resolved,
        raw: alert.clone(),
    })
}

fn optional_text(o: &Map<String, Value>, name: &str) -> Result<Option<String>, FieldError> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(field_error(name, format!("{name} must be a string"))),
    }
}

fn required<T, E: ToString>(
    value: Option<String>,
    field: &str,
    parse: impl FnOnce(String) -> Result<T, E>,
) -> Result<T, FieldError> {
    let value = value.ok_or_else(|| field_error(field, format!("{field} is required")))?;
    parse(value).map_err(|e| field_error(field, e.to_string()))
}

fn host(value: Option<String>, default_host: &Host, field: &str) -> Result<Host, FieldError> {
    match value {
        None => Ok(default_host.clone()),
        Some(h) => Host::parse(h).map_err(|e| field_error(field, e.to_string())),
    }
}

fn status_code(value: &Value) -> Option<u16> {
    let n = match value {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    u16::try_from(n).ok().filter(|c| (100..=599).contains(c))
}

fn string_map(
    map: &Map<String, Value>,
    field: &str,
) -> Result<BTreeMap<String, String>, FieldError> {
    map.iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            _ => Err(field_error(
                &format!("{field}.{k}"),
                format!("{field}.{k} must be a string"),
            )),
        })
        .collect()
}
