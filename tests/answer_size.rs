//! The answer is bounded: queries that walk `next { target { … } }` through
//! the demo's loop (`collect-diagnostics` goes back to `triage`), wide
//! aliases and chained fragments are refused LIMIT_EXCEEDED quickly, as one
//! error without partial data, while the process's memory stays small; a
//! normal full-runbook query still answers, and the server answers others.

mod common;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

const LEDGER: &str = "com.acme.payments.ledger-1.0.0";

/// `next { target { … } }` nested `levels` times around `leaf`.
fn walk(levels: usize, leaf: &str) -> String {
    let mut inner = leaf.to_owned();
    for _ in 0..levels {
        inner = format!("next {{ label target {{ key title {inner} }} }}");
    }
    inner
}

fn deep() -> String {
    format!(
        "{{ runbook(serviceId: \"{LEDGER}\") {{ procedures {{ key {} }} }} }}",
        walk(6, "key")
    )
}

fn wide_aliases() -> String {
    let one = format!(
        "runbook(serviceId: \"{LEDGER}\") {{ procedures {{ {} }} branches {{ target {{ key }} }} }}",
        walk(4, "key")
    );
    let all: Vec<String> = (0..30).map(|i| format!("a{i}: {one}")).collect();
    format!("{{ {} }}", all.join(" "))
}

fn fragments() -> String {
    let mut text = format!("{{ runbook(serviceId: \"{LEDGER}\") {{ procedures {{ ...P0 }} }} }}\n");
    for i in 0..6 {
        text.push_str(&format!(
            "fragment P{i} on EffectiveProcedure {{ key body next {{ label target {{ ...P{} }} }} }}\n",
            i + 1
        ));
    }
    text.push_str("fragment P6 on EffectiveProcedure { key layers { id } }\n");
    text
}

/// The process's peak resident memory, in KiB (the server runs in it).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("readable");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmHWM")
}

#[tokio::test]
async fn answers_past_the_object_budget_are_refused_quickly_with_little_memory() {
    use light_runbook::{graphql::QueryLimits, http::HttpLimits};
    // A full runbook holds a few hundred objects; the walks below, many more.
    let limits = QueryLimits {
        answer_objects: 2_000,
        ..QueryLimits::default()
    };
    let app = common::spawn_app_with(true, limits, HttpLimits::default()).await;
    let before = peak_rss_kib();
    for (what, query) in [
        ("deep next/target", deep()),
        ("30 aliases", wide_aliases()),
        ("chained fragments", fragments()),
    ] {
        let started = Instant::now();
        let response = app.graphql(&query, json!({})).await;
        let took = started.elapsed();
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(
            errors.len(),
            1,
            "{what}: one error, {}",
            response.to_string().len()
        );
        assert_eq!(errors[0]["extensions"]["code"], "LIMIT_EXCEEDED", "{what}");
        let message = errors[0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("--max-answer-objects"),
            "{what}: {message}"
        );
        assert!(response["data"].is_null(), "{what}: no partial data");
        assert!(took < Duration::from_secs(20), "{what}: took {took:?}");
    }
    let grown_mib = peak_rss_kib().saturating_sub(before) / 1024;
    assert!(grown_mib < 200, "the peak memory grew by {grown_mib} MiB");
    // The server still answers, and a full runbook fits the budget.
    let full = format!(
        "{{ runbook(serviceId: \"{LEDGER}\") {{ serviceId lineage {{ id }} entries {{ code key procedure {{ key }} }} \
         procedures {{ key title kind body layers {{ id }} next {{ label condition to target {{ key title }} }} }} \
         branches {{ from label to condition layers {{ id }} target {{ key }} }} }} }}"
    );
    let data = app.data(&full, json!({})).await;
    let procedures = data["runbook"]["procedures"].as_array().map_or(0, Vec::len);
    assert!(procedures > 20, "{procedures} procedures");
}

#[tokio::test]
async fn the_budget_is_per_request_and_can_be_set_lower() {
    use light_runbook::{graphql::QueryLimits, http::HttpLimits};
    let limits = QueryLimits {
        answer_objects: 20,
        ..QueryLimits::default()
    };
    let app = common::spawn_app_with(true, limits, HttpLimits::default()).await;
    let small = format!("{{ runbook(serviceId: \"{LEDGER}\") {{ lineage {{ id }} }} }}");
    let procedures = format!("{{ runbook(serviceId: \"{LEDGER}\") {{ procedures {{ key }} }} }}");
    for _ in 0..3 {
        // The same small answer again and again: each request has its own budget.
        let data = app.data(&small, json!({})).await;
        assert!(data["runbook"]["lineage"].is_array());
        let (code, error) = app.error_code(&procedures, json!({})).await;
        assert_eq!(code, "LIMIT_EXCEEDED", "{error:#}");
    }
    let response: Value = app.graphql(&deep(), json!({})).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "LIMIT_EXCEEDED"
    );
}
