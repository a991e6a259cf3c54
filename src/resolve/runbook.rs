//! A service's effective runbook: its lineage merged, validated, and cut down
//! to what an error code reaches.

use std::{
    borrow::Borrow,
    collections::{BTreeMap, HashMap, HashSet},
};

use crate::domain::{EntryCode, ErrorCode, ProcedureKey, ScopeDocument, ScopeId};

use super::{
    graph::{Graph, not_effective},
    lineage::{Lookup, linearize_in},
    merge::{Layered, Merged},
    model::{
        EffectiveEntry, EffectiveErrorCode, EffectiveRunbook, ResolveError, Warning, WarningCode,
    },
};

/// A service's effective runbook from the documents of its lineage (any
/// order; extra documents are ignored).
///
/// With `error_code`, the runbook holds the entry used and what it reaches;
/// without, every effective procedure, branch and entry.
/// The documents may be owned or shared (`Arc<ScopeDocument>`).
pub fn resolve<D: Borrow<ScopeDocument>>(
    service: &ScopeId,
    docs: &[D],
    error_code: Option<&ErrorCode>,
) -> Result<EffectiveRunbook, ResolveError> {
    let by_id: HashMap<&ScopeId, &ScopeDocument> = docs
        .iter()
        .map(|d| (&d.borrow().scope.id, d.borrow()))
        .collect();
    resolve_in(&by_id, service, error_code)
}

/// The documents of `scope`'s lineage, the scope first.
pub(crate) fn lineage_documents<'a>(
    docs: &'a impl Lookup,
    scope: &ScopeId,
) -> Result<Vec<&'a ScopeDocument>, ResolveError> {
    linearize_in(docs, scope)?
        .iter()
        .map(|id| {
            docs.doc(id)
                .ok_or_else(|| ResolveError::UnknownScope { scope: id.clone() })
        })
        .collect()
}

/// [`resolve`] over any [`Lookup`].
pub(crate) fn resolve_in(
    docs: &impl Lookup,
    service: &ScopeId,
    error_code: Option<&ErrorCode>,
) -> Result<EffectiveRunbook, ResolveError> {
    let lineage = lineage_documents(docs, service)?;
    let merged = Merged::new(&lineage);
    let graph = Graph::build(&merged, service)?;
    let all_entries = entries(&merged, service);
    let mut runbook = EffectiveRunbook {
        service_id: service.clone(),
        lineage: lineage.iter().map(|d| d.scope.clone()).collect(),
        entry: None,
        error_code: None,
        procedures: Vec::new(),
        branches: Vec::new(),
        entries: Vec::new(),
        removed: merged.removals(),
        contacts: lineage
            .iter()
            .find(|d| !d.scope.contacts.is_empty())
            .map(|d| d.scope.contacts.clone())
            .unwrap_or_default(),
        warnings: Vec::new(),
    };
    match error_code {
        Some(code) => for_code(&mut runbook, &merged, &graph, all_entries, code)?,
        None => whole(&mut runbook, &graph, all_entries),
    }
    Ok(runbook)
}

/// Fills in everything: procedures by key, every branch, every usable entry.
fn whole(
    runbook: &mut EffectiveRunbook,
    graph: &Graph,
    entries: BTreeMap<EntryCode, EffectiveEntry>,
) {
    let keys: Vec<ProcedureKey> = graph.procedures.keys().cloned().collect();
    (runbook.procedures, runbook.branches) = graph.select(&keys);
    runbook.warnings = graph.dangling.iter().map(|(_, w)| w.clone()).collect();
    for entry in entries.into_values() {
        if graph.procedures.contains_key(&entry.key) {
            runbook.entries.push(entry);
        } else {
            runbook.warnings.push(entry_warning(&entry));
        }
    }
}

/// Fills in what the entry for `code` reaches; dangling-branch warnings only
/// for branches that leave a reachable procedure.
fn for_code(
    runbook: &mut EffectiveRunbook,
    merged: &Merged,
    graph: &Graph,
    mut entries: BTreeMap<EntryCode, EffectiveEntry>,
    code: &ErrorCode,
) -> Result<(), ResolveError> {
    let mut skipped = Vec::new();
    let mut used = None;
    for candidate in [EntryCode::Code(code.clone()), EntryCode::Default] {
        let Some(entry) = entries.remove(&candidate) else {
            continue;
        };
        if graph.procedures.contains_key(&entry.key) {
            used = Some(entry);
            break;
        }
        skipped.push(entry_warning(&entry));
    }
    let entry = used.ok_or_else(|| ResolveError::NoEntry {
        service: runbook.service_id.clone(),
        code: code.clone(),
    })?;
    let keys = graph.reachable(&entry.key);
    let reached: HashSet<&ProcedureKey> = keys.iter().collect();
    (runbook.procedures, runbook.branches) = graph.select(&keys);
    runbook.warnings = graph
        .dangling
        .iter()
        .filter(|(from, _)| reached.contains(from))
        .map(|(_, w)| w.clone())
        .chain(skipped)
        .collect();
    runbook.error_code = merged
        .error_codes
        .get(code)
        .and_then(|l| error_code(code, l, &runbook.service_id));
    runbook.entry = Some(entry.key.clone());
    runbook.entries = vec![entry];
    Ok(())
}

/// Every merged entry, usable or not, by code.
fn entries(merged: &Merged, service: &ScopeId) -> BTreeMap<EntryCode, EffectiveEntry> {
    merged
        .entries
        .iter()
        .filter_map(|(code, layered)| {
            let def = layered.definition(service)?;
            Some((
                code.clone(),
                EffectiveEntry {
                    code: code.clone(),
                    key: def.fields.clone(),
                    scope: def.last,
                    provenance: def.source.provenance,
                },
            ))
        })
        .collect()
}

pub(crate) fn error_code(
    code: &ErrorCode,
    layered: &Layered<super::merge::ErrorCodeFields>,
    service: &ScopeId,
) -> Option<EffectiveErrorCode> {
    let def = layered.definition(service)?;
    let f = def.fields;
    Some(EffectiveErrorCode {
        code: code.clone(),
        status_code: f.status_code,
        message: f.message.clone(),
        description: f.description.clone(),
        severity: f.severity.clone(),
        source: def.source,
    })
}

fn entry_warning(entry: &EffectiveEntry) -> Warning {
    Warning {
        code: WarningCode::EntryNotEffective,
        message: format!(
            "entry {} (set by {}) is skipped: {}",
            entry.code,
            entry.scope,
            not_effective(&[&entry.key])
        ),
        scope: Some(entry.scope.clone()),
        key: Some(entry.code.to_string()),
    }
}
