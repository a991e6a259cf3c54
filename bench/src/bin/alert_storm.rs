//! The alert-storm load generator of `bench/run.sh`: sends one light-4j
//! alert per service of a dataset's `services.txt`, all in one burst, to a
//! running server's `POST /alerts`, then reads every execution back and
//! appends one JSON line to a results file: alerts/s over the burst, p50/p99
//! from each alert's sending to its execution's first step (the `at` of the
//! first `ENTERED` event, the server's own clock, on the same machine), and
//! the count check (every alert answered STARTED or JOINED, as many
//! executions as services, their alert counts summing to the alerts sent).
//!
//! ```text
//! cargo run --release -p light-runbook-bench --bin alert_storm -- URL SERVICES CODE COUNT OUT LABEL_JSON
//! ```

use std::{
    collections::BTreeMap,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, bail};
use serde_json::{Value, json};

/// One alert's answer.
struct Sent {
    service: String,
    sent_ms: i64,
    action: String,
    execution: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, services, code, count, out, label] = args.as_slice() else {
        bail!("usage: alert_storm URL SERVICES CODE COUNT OUT LABEL_JSON");
    };
    let count: usize = count.parse().context("COUNT is a number")?;
    let label: Value = serde_json::from_str(label).context("LABEL_JSON is JSON")?;
    let services: Vec<String> = std::fs::read_to_string(services)
        .with_context(|| format!("reading {services}"))?
        .lines()
        .filter(|l| !l.is_empty())
        .take(count)
        .map(str::to_owned)
        .collect();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(0)
        .build()?;
    let started = Instant::now();
    let sends = services.iter().map(|s| send(&client, url, s, code));
    let answers: Vec<anyhow::Result<Sent>> = futures::future::join_all(sends).await;
    let seconds = started.elapsed().as_secs_f64();
    let (sent, failures): (Vec<_>, Vec<_>) = answers.into_iter().partition(Result::is_ok);
    let sent: Vec<Sent> = sent.into_iter().filter_map(Result::ok).collect();
    for failure in failures.iter().filter_map(|f| f.as_ref().err()).take(5) {
        eprintln!("alert_storm: {failure:#}");
    }
    let mut result = check(&client, url, &sent, services.len()).await?;
    result["alerts"] = json!(services.len());
    result["failed"] = json!(failures.len());
    result["seconds"] = json!(seconds);
    result["alerts_per_s"] = json!(services.len() as f64 / seconds);
    // What was measured (store, dataset, run), beside the figures.
    if let (Some(fields), Some(out)) = (label.as_object(), result.as_object_mut()) {
        out.extend(fields.clone());
    }
    let line = format!("{result}\n");
    std::io::Write::write_all(
        &mut std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)?,
        line.as_bytes(),
    )?;
    print!("{line}");
    Ok(())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

async fn send(
    client: &reqwest::Client,
    url: &str,
    service: &str,
    code: &str,
) -> anyhow::Result<Sent> {
    let alert = json!({
        "statusCode": 503, "code": code, "severity": "ERROR",
        "message": "storm", "description": "an alert of the storm benchmark",
        "serviceId": service, "host": "lightapi.net", "environment": "bench",
    });
    let sent_ms = now_ms();
    let response = client
        .post(format!("{url}/alerts"))
        .json(&alert)
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await?;
    if !status.is_success() {
        bail!("{service}: {status} {body}");
    }
    let accepted = &body["accepted"][0];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    Ok(Sent {
        service: service.to_owned(),
        sent_ms,
        action: text(&accepted["action"]),
        execution: text(&accepted["executionId"]),
    })
}

/// Reads every execution back: latencies to the first step and the counts.
async fn check(
    client: &reqwest::Client,
    url: &str,
    sent: &[Sent],
    services: usize,
) -> anyhow::Result<Value> {
    let mut by_execution: BTreeMap<&str, Vec<&Sent>> = BTreeMap::new();
    for s in sent {
        by_execution.entry(&s.execution).or_default().push(s);
    }
    let query =
        "query ($id: String!) { execution(id: $id) { serviceId alertCount events { kind at } } }";
    let mut latencies = Vec::new();
    let mut alert_counts = 0;
    let mut wrong_service = 0;
    for (id, alerts) in &by_execution {
        let body: Value = client
            .post(format!("{url}/graphql"))
            .json(&json!({ "query": query, "variables": { "id": id } }))
            .send()
            .await?
            .json()
            .await?;
        let execution = &body["data"]["execution"];
        alert_counts += execution["alertCount"].as_u64().unwrap_or(0);
        wrong_service += alerts
            .iter()
            .filter(|a| execution["serviceId"] != a.service.as_str())
            .count();
        let first_step = execution["events"]
            .as_array()
            .and_then(|events| events.iter().find(|e| e["kind"] == "ENTERED"))
            .and_then(|e| e["at"].as_str())
            .and_then(|at| {
                time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()
            })
            .map(|at| i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX));
        if let (Some(at), Some(first)) = (first_step, alerts.iter().map(|a| a.sent_ms).min()) {
            latencies.push(at - first);
        }
    }
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
    };
    let action = |a: &str| sent.iter().filter(|s| s.action == a).count();
    Ok(json!({
        "started": action("STARTED"),
        "joined": action("JOINED"),
        "executions": by_execution.len(),
        "services": services,
        "alert_count_sum": alert_counts,
        "wrong_service": wrong_service,
        "first_step_p50_ms": pct(0.5),
        "first_step_p99_ms": pct(0.99),
        "first_step_max_ms": latencies.last(),
    }))
}
