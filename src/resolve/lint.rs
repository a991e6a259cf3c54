//! Lint: what in a service's effective runbook (resolved whole, every entry)
//! will hurt the person or the automation that follows it, found before an
//! alert does. Each finding has a stable code, a severity and the scope that
//! can fix it. Pure: the runbook in, the findings out.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use crate::domain::{
    ProcedureKey, ProcedureKind, ScopeId,
    execution::model::{is_placeholder, placeholder_spans},
};

use super::model::EffectiveRunbook;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; nothing breaks.
    Info,
    /// Someone following it will be stuck or surprised.
    Warning,
    /// An execution cannot end well.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "INFO",
            Self::Warning => "WARNING",
            Self::Error => "ERROR",
        }
    }
}

/// One thing lint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable, for scripts and for silencing: e.g. `NO_WAY_OUT`.
    pub code: &'static str,
    pub severity: Severity,
    /// The scope whose document can fix it.
    pub scope: ScopeId,
    /// The procedure key or entry code it is about, when there is one.
    pub key: Option<String>,
    pub message: String,
}

/// Every finding of `runbook` (resolved without an error code: all
/// procedures, branches and entries), most severe first, then by scope and key.
pub fn lint(runbook: &EffectiveRunbook) -> Vec<Finding> {
    let mut found = Vec::new();
    let kinds: BTreeMap<&ProcedureKey, ProcedureKind> = (runbook.procedures.iter())
        .map(|p| (&p.key, p.kind))
        .collect();
    let mut next: BTreeMap<&ProcedureKey, Vec<&ProcedureKey>> = BTreeMap::new();
    let mut answers: BTreeMap<&ProcedureKey, Vec<&str>> = BTreeMap::new();
    for b in &runbook.branches {
        next.entry(&b.from).or_default().push(&b.to);
        answers.entry(&b.from).or_default().push(b.label.as_str());
    }
    let reachable = reach(runbook.entries.iter().map(|e| &e.key), &next);
    let ends = reaching_an_end(&kinds, &next);
    for p in &runbook.procedures {
        let out = answers.get(&p.key).map_or(&[][..], Vec::as_slice);
        let finding = |code, severity, message: String| Finding {
            code,
            severity,
            // The nearest scope that writes the procedure: it can fix it.
            scope: (p.source.layers.last()).unwrap_or(&p.source.origin).clone(),
            key: Some(p.key.to_string()),
            message,
        };
        if !reachable.contains(&p.key) {
            let message = format!("`{}` is reached from no entry: no alert leads to it", p.key);
            found.push(finding("UNREACHABLE", Severity::Warning, message));
        }
        let terminal = matches!(
            p.kind,
            ProcedureKind::Resolution | ProcedureKind::Escalation
        );
        if !terminal && !ends.contains(&p.key) {
            let message = format!(
                "from `{}` no path reaches a resolution or an escalation: an execution there ends only when a person closes it by hand",
                p.key
            );
            found.push(finding("NO_WAY_OUT", Severity::Error, message));
        }
        if p.kind == ProcedureKind::Decision && out.len() < 2 {
            let message = format!(
                "decision `{}` has {} answer{}: a question needs at least two",
                p.key,
                out.len(),
                if out.len() == 1 { "" } else { "s" }
            );
            found.push(finding(
                "DECISION_WITHOUT_CHOICE",
                Severity::Warning,
                message,
            ));
        }
        let on_failure = out.contains(&"failure");
        if p.kind == ProcedureKind::Automated && !on_failure {
            let message = format!(
                "automated step `{}` has no `failure` branch: when its automation fails, it waits for a person",
                p.key
            );
            found.push(finding(
                "AUTOMATION_WITHOUT_FAILURE",
                Severity::Warning,
                message,
            ));
        }
        let unknown = unknown_placeholders(p.body.as_deref(), p.automation.as_ref());
        if !unknown.is_empty() {
            let names: Vec<String> = unknown.iter().map(|n| format!("{{{{{n}}}}}")).collect();
            let message = format!(
                "`{}` uses {} that no alert fills: left as written when it runs",
                p.key,
                names.join(", ")
            );
            found.push(finding("UNKNOWN_PLACEHOLDER", Severity::Warning, message));
        }
        if p.kind == ProcedureKind::Escalation && runbook.contacts.is_empty() {
            let message = format!(
                "escalation `{}` reaches nobody: no scope of the lineage has contacts",
                p.key
            );
            let mut f = finding("ESCALATION_WITHOUT_CONTACT", Severity::Error, message);
            f.scope = runbook.service_id.clone();
            found.push(f);
        }
    }
    for e in &runbook.entries {
        if kinds.get(&e.key) == Some(&ProcedureKind::Resolution) {
            found.push(Finding {
                code: "ENTRY_IS_RESOLUTION",
                severity: Severity::Warning,
                scope: e.scope.clone(),
                key: Some(e.code.to_string()),
                message: format!(
                    "entry {} starts at resolution `{}`: the alert is closed before anyone looks",
                    e.code, e.key
                ),
            });
        }
    }
    for scope in &runbook.lineage {
        if scope.owners.is_empty() {
            found.push(Finding {
                code: "NO_OWNER",
                severity: Severity::Info,
                scope: scope.id.clone(),
                key: None,
                message: format!(
                    "scope {} has no owner: nobody but an admin may change it",
                    scope.id
                ),
            });
        }
    }
    found.sort_by(|a, b| {
        (b.severity.cmp(&a.severity))
            .then_with(|| a.scope.cmp(&b.scope))
            .then_with(|| a.key.cmp(&b.key))
            .then_with(|| a.code.cmp(b.code))
    });
    found
}

/// The placeholder names in a body and in every string of an automation
/// that no alert can fill, each once, sorted.
fn unknown_placeholders(
    body: Option<&str>,
    automation: Option<&serde_json::Map<String, Value>>,
) -> BTreeSet<String> {
    fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::String(s) => out.push(s),
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut texts: Vec<&str> = body.into_iter().collect();
    for value in automation.into_iter().flat_map(|m| m.values()) {
        strings(value, &mut texts);
    }
    (texts.iter())
        .flat_map(|t| placeholder_spans(t))
        .map(|(_, _, name)| name)
        .filter(|name| !is_placeholder(name))
        .map(str::to_owned)
        .collect()
}

/// The procedures reachable from `starts`.
fn reach<'a>(
    starts: impl Iterator<Item = &'a ProcedureKey>,
    next: &BTreeMap<&'a ProcedureKey, Vec<&'a ProcedureKey>>,
) -> BTreeSet<&'a ProcedureKey> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<&ProcedureKey> = starts.collect();
    while let Some(key) = queue.pop_front() {
        if seen.insert(key) {
            queue.extend(next.get(key).into_iter().flatten().copied());
        }
    }
    seen
}

/// The procedures from which some path reaches a RESOLUTION or an
/// ESCALATION (themselves included): backwards from the ends.
fn reaching_an_end<'a>(
    kinds: &BTreeMap<&'a ProcedureKey, ProcedureKind>,
    next: &BTreeMap<&'a ProcedureKey, Vec<&'a ProcedureKey>>,
) -> BTreeSet<&'a ProcedureKey> {
    let mut before: BTreeMap<&ProcedureKey, Vec<&ProcedureKey>> = BTreeMap::new();
    for (from, tos) in next {
        for to in tos {
            before.entry(*to).or_default().push(*from);
        }
    }
    let ends = (kinds.iter())
        .filter(|(_, k)| matches!(k, ProcedureKind::Resolution | ProcedureKind::Escalation))
        .map(|(key, _)| *key);
    reach(ends, &before)
}
