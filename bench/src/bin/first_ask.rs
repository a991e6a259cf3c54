//! The first-ask load generator of `bench/run.sh`: asks a running server
//! for `runbook(serviceId, errorCode)` once for every service of a list, in
//! the list's order, over CONNECTIONS keep-alive connections at once (each
//! takes the next service when its answer is in), and stops after the last
//! answer. Appends one JSON line to a results file in the shape of
//! `bench/wrk.lua`'s: requests, seconds, req/s, p50/p90/p99/mean latency in
//! µs, and the failures (socket errors; non-2xx; answers with GraphQL
//! errors, counted as non-2xx).
//!
//! ```text
//! cargo run --release -p light-runbook-bench --bin first_ask -- URL SERVICES CODE CONNECTIONS OUT LABEL_JSON
//! ```

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use serde_json::{Value, json};

/// The fields asked for, the same as `bench/wrk.lua` asks.
const FIELDS: &str = include_str!("../../runbook-fields.graphql");

/// What the connections saw.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    socket_errors: u64,
    refused: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, services, code, connections, out, label] = args.as_slice() else {
        bail!("usage: first_ask URL SERVICES CODE CONNECTIONS OUT LABEL_JSON");
    };
    let connections: usize = connections.parse().context("CONNECTIONS is a number")?;
    let label: Value = serde_json::from_str(label).context("LABEL_JSON is JSON")?;
    let services: Arc<Vec<String>> = Arc::new(
        std::fs::read_to_string(services)
            .with_context(|| format!("reading {services}"))?
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let query = format!(
        "query($s: String!, $c: String) {{ runbook(serviceId: $s, errorCode: $c) {{ {FIELDS} }} }}"
    );
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers = (0..connections.max(1)).map(|_| {
        let (client, services, next) = (client.clone(), services.clone(), next.clone());
        let (endpoint, query, code) = (format!("{url}/graphql"), query.clone(), code.clone());
        tokio::spawn(async move {
            let mut tally = Tally::default();
            while let Some(service) = services.get(next.fetch_add(1, Ordering::Relaxed)) {
                let body = json!({ "query": query, "variables": { "s": service, "c": code } });
                let sent = Instant::now();
                match ask(&client, &endpoint, &body).await {
                    Ok(true) => {}
                    Ok(false) => tally.refused += 1,
                    Err(_) => tally.socket_errors += 1,
                }
                let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                tally.latencies_us.push(micros);
            }
            tally
        })
    });
    let mut all = Tally::default();
    for worker in futures::future::join_all(workers).await {
        let tally = worker.context("a connection's task failed")?;
        all.latencies_us.extend(tally.latencies_us);
        all.socket_errors += tally.socket_errors;
        all.refused += tally.refused;
    }
    let seconds = started.elapsed().as_secs_f64();
    let line = summary(all, seconds, label);
    std::io::Write::write_all(
        &mut std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)?,
        format!("{line}\n").as_bytes(),
    )?;
    println!("{line}");
    Ok(())
}

/// One question: true when answered 2xx without GraphQL errors.
async fn ask(client: &reqwest::Client, endpoint: &str, body: &Value) -> reqwest::Result<bool> {
    let response = client.post(endpoint).json(body).send().await?;
    let ok = response.status().is_success();
    let answer: Value = response.json().await?;
    Ok(ok && answer.get("errors").is_none())
}

/// The result line, in `bench/wrk.lua`'s shape.
fn summary(mut tally: Tally, seconds: f64, label: Value) -> Value {
    let latencies = &mut tally.latencies_us;
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    let requests = latencies.len();
    let mean = latencies.iter().sum::<u64>() as f64 / requests.max(1) as f64;
    json!({
        "requests": requests,
        "seconds": seconds,
        "rps": requests as f64 / seconds,
        "p50_us": pct(0.5),
        "p90_us": pct(0.9),
        "p99_us": pct(0.99),
        "mean_us": mean,
        "errors": tally.socket_errors,
        "non_2xx": tally.refused,
        "label": label,
    })
}
