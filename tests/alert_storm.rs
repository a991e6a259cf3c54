//! What an alert costs and what a burst of them does, over HTTP: an alert
//! for a service never asked before costs one runbook-store round trip (the
//! lineage with its revisions) and one execution-store write, whatever the
//! lineage's depth; with the runbook cache on, as `serve` runs, that read
//! decodes only the documents not shared yet (in practice the service's
//! own) and a platform write is pinned by the very next alert; a burst of
//! alerts for distinct services starts one execution each, and a second
//! burst joins them, none lost.

mod common;
mod exec_support;

use std::collections::{BTreeMap, BTreeSet};

use common::Backend;
use exec_support::{ExecApp, Setup, import, light4j, spawn};
use light_runbook::{
    domain::ScopeId,
    executions::{Event, EventKind},
    store::{RoundTrips, executions::ExecutionFilter},
};
use serde_json::Value;

const CODE: &str = "ERR10001";

/// A framework with the entry step `check`, `depth - 2` lines of business in
/// a line under it, each overriding `check`'s body, and `services` services
/// `svc-N` under the last one (or under the framework when `depth` is 2),
/// each overriding it too: a `depth`-level lineage for every service.
fn lineage(depth: usize, services: usize) -> String {
    let mut yaml = String::from(
        "scope: platform\nname: Platform\nkind: FRAMEWORK\n\
         procedures:\n  check: {title: Check, kind: STEP, body: platform}\n\
         entries: {\"*\": check}\n",
    );
    let mut parent = "platform".to_owned();
    for level in 1..depth.saturating_sub(1) {
        yaml.push_str(&format!(
            "---\nscope: lob-{level}\nname: Level {level}\nkind: LINE_OF_BUSINESS\n\
             parents: [{parent}]\nprocedures:\n  check: {{body: level {level}}}\n"
        ));
        parent = format!("lob-{level}");
    }
    for s in 0..services {
        yaml.push_str(&format!(
            "---\nscope: svc-{s}\nname: Service {s}\nkind: SERVICE\n\
             parents: [{parent}]\nprocedures:\n  check: {{body: service {s}}}\n"
        ));
    }
    yaml
}

async fn app(backend: Backend, depth: usize, services: usize) -> ExecApp {
    spawn(Setup {
        backend,
        runbooks: lineage(depth, services),
        ..Setup::default()
    })
    .await
}

/// The calls counted since `before`, by method.
fn since(trips: &RoundTrips, before: &BTreeMap<&'static str, u64>) -> BTreeMap<&'static str, u64> {
    trips
        .by_method()
        .into_iter()
        .map(|(m, n)| (m, n - before.get(m).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Sends an alert and returns its answer's action and execution id, with
/// the round trips it cost on the runbook store and the execution store.
async fn costed_alert(app: &ExecApp, service: &str) -> (Value, Value, Value) {
    let (reads, writes) = (
        app.executions.runbooks().round_trips(),
        app.executions.round_trips(),
    );
    let (reads_before, writes_before) = (reads.by_method(), writes.by_method());
    let (status, body) = app.alert(&light4j(service, CODE)).await;
    assert_eq!(status, 200, "{body:#}");
    let cost = serde_json::json!({
        "reads": since(reads, &reads_before),
        "writes": since(writes, &writes_before),
    });
    let accepted = &body["accepted"][0];
    (
        accepted["action"].clone(),
        accepted["executionId"].clone(),
        cost,
    )
}

async fn an_alert_for_a_service_never_asked_costs_one_read_and_one_write_at_any_depth(
    backend: Backend,
) {
    let one_each = serde_json::json!({
        "reads": {"lineage_revisions_at": 1},
        "writes": {"execution_start_or_join": 1},
    });
    for depth in [2, 6] {
        let app = app(backend, depth, 3).await;
        for service in ["svc-0", "svc-2"] {
            let (action, id, cost) = costed_alert(&app, service).await;
            assert_eq!(action, "STARTED", "depth {depth}, {service}");
            assert_eq!(cost, one_each, "depth {depth}, {service}");
            // The pin still holds every layer with the revision it was read at:
            // the one import wrote them all, so each is the runbook's generation.
            let execution = app.execution(id.as_str().unwrap_or_default()).await;
            let runbook = &execution["runbook"];
            let check = &runbook["procedures"][0];
            assert_eq!(check["key"], "check");
            assert_eq!(check["body"], format!("service {}", &service[4..]));
            let layers = check["layers"].as_array().expect("layers");
            assert_eq!(layers.len(), depth, "{check:#}");
            for layer in layers {
                assert_eq!(layer["revision"], runbook["generation"], "{check:#}");
            }
        }
        // A repeat joins the open execution at the same cost.
        let (action, _, cost) = costed_alert(&app, "svc-0").await;
        assert_eq!((action, cost), (Value::from("JOINED"), one_each.clone()));
        // The server still answers other callers.
        let (_, _, cost) = costed_alert(&app, "svc-1").await;
        assert_eq!(cost, one_each);
    }
}

async fn with_the_cache_on_an_alert_decodes_only_what_is_not_shared_and_pins_a_platform_write_at_once(
    backend: Backend,
) {
    let app = spawn(Setup {
        backend,
        runbooks: lineage(4, 3),
        cache_bytes: Some(64 << 20),
        ..Setup::default()
    })
    .await;
    let one_each = serde_json::json!({
        "reads": {"lineage_shared": 1},
        "writes": {"execution_start_or_join": 1},
    });
    let runbooks = app.executions.runbooks();
    let decoded = || {
        runbooks
            .cache()
            .expect("the cache is on")
            .shared()
            .decoded()
    };
    let (action, _, cost) = costed_alert(&app, "svc-0").await;
    assert_eq!((action, cost), (Value::from("STARTED"), one_each.clone()));
    assert_eq!(decoded(), 4, "the first alert decodes its whole lineage");
    let (action, _, cost) = costed_alert(&app, "svc-1").await;
    assert_eq!((action, cost), (Value::from("STARTED"), one_each.clone()));
    assert_eq!(decoded(), 5, "the next decodes only its service's document");

    // The platform changes; the next alert pins the change, read in its one
    // round trip, with the platform layer at the change's revision.
    import(
        app.executions.runbooks(),
        "scope: platform\nname: Platform\nkind: FRAMEWORK\n\
         procedures:\n  check: {title: Check again, kind: STEP, body: platform}\n\
         entries: {\"*\": check}\n",
    )
    .await;
    let (action, id, cost) = costed_alert(&app, "svc-2").await;
    assert_eq!((action, cost), (Value::from("STARTED"), one_each));
    assert_eq!(decoded(), 7, "the changed platform and the new service");
    let execution = app.execution(id.as_str().unwrap_or_default()).await;
    let runbook = &execution["runbook"];
    let check = &runbook["procedures"][0];
    assert_eq!(check["title"], "Check again", "{check:#}");
    let layers = check["layers"].as_array().expect("layers");
    let platform: Vec<&Value> = layers
        .iter()
        .filter(|l| l["scopeId"] == "platform")
        .collect();
    assert_eq!(platform.len(), 1, "{check:#}");
    assert_eq!(platform[0]["revision"], runbook["generation"], "{check:#}");
    for layer in layers.iter().filter(|l| l["scopeId"] != "platform") {
        let (at, now) = (layer["revision"].as_u64(), runbook["generation"].as_u64());
        assert!(at < now, "only the platform changed: {check:#}");
    }
}

/// Sends one alert per service, all at once: the answers' (service, action, id).
async fn burst(app: &ExecApp, services: &[String]) -> Vec<(String, String, String)> {
    let sends = services.iter().map(|service| async move {
        let (status, body) = app.alert(&light4j(service, CODE)).await;
        assert_eq!(status, 200, "{service}: {body:#}");
        let accepted = &body["accepted"][0];
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        assert_eq!(text(&accepted["serviceId"]), *service, "{body:#}");
        (
            service.clone(),
            text(&accepted["action"]),
            text(&accepted["executionId"]),
        )
    });
    futures::future::join_all(sends).await
}

/// The events of `kind` published so far on `bus`, per execution.
fn published(
    bus: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<Event>>,
    kind: EventKind,
) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    while let Ok(event) = bus.try_recv() {
        if event.event.kind == kind {
            *seen.entry(event.execution.as_str().to_owned()).or_insert(0) += 1;
        }
    }
    seen
}

async fn two_hundred_alerts_for_two_hundred_services_at_once_all_start_and_none_is_lost(
    backend: Backend,
) {
    let app = app(backend, 4, 200).await;
    let services: Vec<String> = (0..200).map(|s| format!("svc-{s}")).collect();
    let mut bus = app.executions.subscribe();
    let first = burst(&app, &services).await;
    assert!(
        first.iter().all(|(_, action, _)| action == "STARTED"),
        "{first:?}"
    );
    let ids: BTreeSet<&str> = first.iter().map(|(_, _, id)| id.as_str()).collect();
    assert_eq!(ids.len(), 200, "one execution per service");
    let started = published(&mut bus, EventKind::Started);
    assert_eq!(
        started.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        ids
    );
    assert!(started.values().all(|n| *n == 1), "{started:?}");

    // The same burst again joins every one of them: no second execution.
    let second = burst(&app, &services).await;
    for ((service, _, id), (_, action, joined)) in first.iter().zip(&second) {
        assert_eq!((action.as_str(), joined), ("JOINED", id), "{service}");
    }
    let joined = published(&mut bus, EventKind::AlertJoined);
    assert_eq!(joined.len(), 200);
    assert!(published(&mut bus, EventKind::Started).is_empty());

    // The store holds exactly one execution per service, with both alerts.
    for (service, _, id) in &first {
        let filter = ExecutionFilter {
            host: common::host(),
            service: Some(ScopeId::parse(service.as_str()).expect("service id")),
            status: None,
            before: None,
            unacknowledged: false,
        };
        let stored = app.executions.list(&filter, 10).await.expect("listed");
        assert_eq!(stored.len(), 1, "{service}");
        assert_eq!(stored[0].id.as_str(), id.as_str());
        assert_eq!(stored[0].state.alert_count, 2, "{service}");
    }
}

on_every_backend!(
    an_alert_for_a_service_never_asked_costs_one_read_and_one_write_at_any_depth,
    with_the_cache_on_an_alert_decodes_only_what_is_not_shared_and_pins_a_platform_write_at_once,
    two_hundred_alerts_for_two_hundred_services_at_once_all_start_and_none_is_lost,
);
