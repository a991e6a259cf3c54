//! A minimal dataset for tests of the read path: one lineage of any depth
//! over a star of any number of procedures.

use light_runbook::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, EntryCode, Host, InvalidId, Patch,
    ProcedureChange, ProcedureKey, ProcedureKind, ProcedurePatch, Scope, ScopeContent,
    ScopeDocument, ScopeId, ScopeKind,
};

/// A lineage of `depth` scopes in a line: `s0` (the framework, with
/// `procedures` procedures in a star from `p-0`, the entry for every code)
/// <- `s1` <- … <- `s{depth-1}` (the service). Each scope sets `p-0`'s body
/// to its own id, so the nearest one shows.
pub fn chain(
    host: &Host,
    depth: usize,
    procedures: usize,
) -> Result<Vec<ScopeDocument>, InvalidId> {
    let root = ProcedureKey::parse("p-0")?;
    (0..depth)
        .map(|i| {
            let mut content = ScopeContent::default();
            if i == 0 {
                for p in 0..procedures {
                    let patch = ProcedurePatch {
                        title: Patch::Set(format!("procedure {p}")),
                        kind: Patch::Set(match p {
                            0 => ProcedureKind::Decision,
                            _ => ProcedureKind::Step,
                        }),
                        ..ProcedurePatch::default()
                    };
                    let key = ProcedureKey::parse(format!("p-{p}"))?;
                    content
                        .procedures
                        .insert(key.clone(), ProcedureChange::Patch(patch));
                    if p > 0 {
                        let branch = BranchId {
                            from: root.clone(),
                            label: BranchLabel::parse(format!("to {p}"))?,
                        };
                        let to = BranchPatch {
                            to: Patch::Set(key),
                            ..BranchPatch::default()
                        };
                        content.branches.insert(branch, BranchChange::Patch(to));
                    }
                }
                content
                    .entries
                    .insert(EntryCode::Default, Some(root.clone()));
            }
            let body = Patch::Set(format!("s{i}"));
            match content.procedures.get_mut(&root) {
                Some(ProcedureChange::Patch(p)) => p.body = body,
                _ => {
                    let patch = ProcedurePatch {
                        body,
                        ..ProcedurePatch::default()
                    };
                    content
                        .procedures
                        .insert(root.clone(), ProcedureChange::Patch(patch));
                }
            }
            let scope = Scope {
                host: host.clone(),
                id: ScopeId::parse(format!("s{i}"))?,
                name: format!("scope {i}"),
                kind: match i {
                    0 => ScopeKind::Framework,
                    i if i + 1 == depth => ScopeKind::Service,
                    _ => ScopeKind::LineOfBusiness,
                },
                parents: match i {
                    0 => Vec::new(),
                    _ => vec![ScopeId::parse(format!("s{}", i - 1))?],
                },
                owners: Vec::new(),
                contacts: Vec::new(),
            };
            Ok(ScopeDocument { scope, content })
        })
        .collect()
}
