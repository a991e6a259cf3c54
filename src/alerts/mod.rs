//! Alert intake: `POST /alerts` takes a light-4j status payload or a
//! Prometheus Alertmanager webhook, and starts an execution of the
//! service's runbook for each alert — or joins the open execution of the
//! same service and code when its last alert is within the deduplication
//! window. A webhook with bad alerts among good ones starts the good ones
//! and lists the bad (207); see `docs/executions.md`.

pub mod payload;
pub mod sender;

use serde_json::{Value, json};

pub use payload::{Alert, Problem};
pub use sender::{AlertAuth, Sender};

use crate::{
    error::{ApiError, ApiErrorCode},
    executions::{Executions, StartRequest},
};

/// How a payload was taken, as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Every alert was accepted (or the payload held none).
    All,
    /// Some alerts were accepted, some rejected.
    Some,
    /// None was accepted; the first rejection's code says why.
    None(ApiErrorCode),
}

/// The answer to a payload: how it was taken, and the JSON body listing
/// each alert accepted (with its execution) and each rejected (with why).
pub struct Receipt {
    pub taken: Taken,
    pub body: Value,
}

/// Starts (or joins) an execution for each alert of a payload.
pub async fn receive(executions: &Executions, sender: &Sender, body: &Value) -> Receipt {
    let default_host = executions.runbooks().default_host().clone();
    let (alerts, problems) = match payload::parse(body, &default_host) {
        Ok(parsed) => parsed,
        Err(problem) => {
            return receipt(
                Vec::new(),
                vec![(
                    rejected(&problem, ApiErrorCode::BadUserInput),
                    ApiErrorCode::BadUserInput,
                )],
            );
        }
    };
    let mut rejections: Vec<(Option<usize>, Value, ApiErrorCode)> = problems
        .iter()
        .map(|p| {
            (
                p.index,
                rejected(p, ApiErrorCode::BadUserInput),
                ApiErrorCode::BadUserInput,
            )
        })
        .collect();
    let mut accepted = Vec::new();
    for (index, alert) in alerts {
        match accept(executions, sender, &alert).await {
            Ok(mut result) => {
                result["index"] = json!(index);
                accepted.push(result);
            }
            Err(e) => {
                let field = e.field.clone().unwrap_or_default();
                let problem = Problem {
                    index: Some(index),
                    field,
                    message: e.message.clone(),
                };
                rejections.push((Some(index), rejected(&problem, e.code), e.code));
            }
        }
    }
    rejections.sort_by_key(|(index, _, _)| *index);
    receipt(
        accepted,
        rejections.into_iter().map(|(_, v, c)| (v, c)).collect(),
    )
}

/// Starts or joins an execution for one alert, or records a resolved one.
async fn accept(
    executions: &Executions,
    sender: &Sender,
    alert: &Alert,
) -> Result<Value, ApiError> {
    let ctx = &alert.context;
    if let Sender::Token(caller) = sender
        && caller.host != ctx.host
    {
        return Err(ApiError::new(
            ApiErrorCode::Forbidden,
            format!(
                "the token is for host {}, not host {}",
                caller.host, ctx.host
            ),
        )
        .on_field("host"));
    }
    let request = StartRequest {
        context: ctx.clone(),
        started_by: "alert".into(),
        deduplicate: true,
        alert: Some(alert.raw.clone()),
    };
    let runbook_link =
        executions.runbook_link(&ctx.host, ctx.service_id.as_str(), ctx.error_code.as_str());
    let mut result = json!({
        "serviceId": ctx.service_id.as_str(),
        "errorCode": ctx.error_code.as_str(),
        "host": ctx.host.as_str(),
        "runbookLink": runbook_link,
    });
    if alert.resolved {
        let noted = executions.alert_resolved(request).await?;
        result["action"] = json!(if noted.is_some() {
            "RESOLVED_RECORDED"
        } else {
            "RESOLVED_IGNORED"
        });
        if let Some(ex) = noted {
            describe(executions, &mut result, &ex);
        }
        return Ok(result);
    }
    let started = executions.start(request).await.map_err(|e| match e.field {
        Some(_) => e,
        None => e.on_field("serviceId"),
    })?;
    result["action"] = json!(if started.joined { "JOINED" } else { "STARTED" });
    describe(executions, &mut result, &started.execution);
    Ok(result)
}

fn describe(executions: &Executions, result: &mut Value, ex: &crate::executions::Execution) {
    result["executionId"] = json!(ex.id.as_str());
    result["status"] = json!(ex.status.as_str());
    result["link"] = json!(executions.execution_link(&ex.state.context.host, &ex.id));
}

fn rejected(problem: &Problem, code: ApiErrorCode) -> Value {
    json!({
        "index": problem.index,
        "field": problem.field,
        "code": code.as_str(),
        "message": problem.message,
    })
}

fn receipt(accepted: Vec<Value>, rejected: Vec<(Value, ApiErrorCode)>) -> Receipt {
    let taken = match (accepted.is_empty(), rejected.first()) {
        (_, None) => Taken::All,
        (false, Some(_)) => Taken::Some,
        (true, Some((_, code))) => Taken::None(*code),
    };
    let rejected: Vec<Value> = rejected.into_iter().map(|(v, _)| v).collect();
    Receipt {
        taken,
        body: json!({ "accepted": accepted, "rejected": rejected }),
    }
}
