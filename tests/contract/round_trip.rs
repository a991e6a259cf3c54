//! A document read back is the document written, to the last detail.

use std::sync::Arc;

use light_runbook::{
    domain::{
        BranchChange, BranchId, BranchPatch, Contact, EntryCode, ErrorCodePatch, Patch,
        ProcedureChange, ProcedureKind, ProcedurePatch, ScopeDocument,
    },
    store::Store,
};
use serde_json::json;

use super::fixtures::{code, doc, host, key, label};

const HOST: &str = "acme.example";

/// A document that uses every part of the format: patches with absent, null
/// and set fields, tombstones, entries removed with null, unicode Markdown,
/// nested automation JSON, and parents in an order that is not sorted.
fn rich_document() -> ScopeDocument {
    let mut document = doc(HOST, "com.acme.ledger-1.0.0")
        .name("Ledger — grand livre 📒")
        .parents(&["zeta-template", "alpha-org", "mid.lob"])
        .build();
    document.scope.owners = vec!["alice".into(), "role:sre".into()];
    document.scope.contacts = vec![
        Contact {
            name: "SRE rota".into(),
            email: Some("sre@acme.example".into()),
            phone: None,
            chat: Some("#sre-ledger".into()),
        },
        Contact {
            name: "Zoë".into(),
            ..Contact::default()
        },
    ];
    let automation = json!({
        "executor": "k8s-job",
        "input": {"zeta": 1, "alpha": [1, 2.5, -3, null, true, "ünï"], "nested": {"deep": {}}},
        "big": 18_446_744_073_709_551_615_u64
    });
    let content = &mut document.content;
    content.procedures.insert(
        key("check-token"),
        ProcedureChange::Patch(ProcedurePatch {
            title: Patch::Set("Vérifier le jeton 🔑".into()),
            kind: Patch::Set(ProcedureKind::Decision),
            body: Patch::Set("# Étape 1\n\n```sh\ncurl -H 'Authorization: Bearer …' \"$URL\"\\\n```\n\t— 日本語 ✓\r\n".into()),
            automation: Patch::Set(automation.as_object().cloned().unwrap_or_default()),
            tags: Patch::Set(vec!["auth".into(), "tokens".into()]),
        }),
    );
    content.procedures.insert(
        key("restart"),
        ProcedureChange::Patch(ProcedurePatch {
            kind: Patch::Set(ProcedureKind::Automated),
            body: Patch::Clear,
            automation: Patch::Clear,
            tags: Patch::Set(Vec::new()),
            ..ProcedurePatch::default()
        }),
    );
    content.procedures.insert(
        key("override-nothing"),
        ProcedureChange::Patch(ProcedurePatch::default()),
    );
    content
        .procedures
        .insert(key("legacy"), ProcedureChange::Removed);
    let branch = |from: &str, name: &str| BranchId {
        from: key(from),
        label: label(name),
    };
    content.branches.insert(
        branch("check-token", "yes"),
        BranchChange::Patch(BranchPatch {
            to: Patch::Set(key("restart")),
            condition: Patch::Set("token.expired == true".into()),
            order: Patch::Set(-1),
        }),
    );
    content.branches.insert(
        branch("check-token", "non — toujours valide"),
        BranchChange::Patch(BranchPatch {
            condition: Patch::Clear,
            ..BranchPatch::default()
        }),
    );
    content
        .branches
        .insert(branch("check-token", "maybe"), BranchChange::Removed);
    content
        .entries
        .insert(EntryCode::Code(code("ERR10001")), Some(key("check-token")));
    content
        .entries
        .insert(EntryCode::Code(code("ERR10002")), None);
    content
        .entries
        .insert(EntryCode::Default, Some(key("restart")));
    content.error_codes.insert(
        code("ERR10001"),
        ErrorCodePatch {
            status_code: Patch::Set(401),
            message: Patch::Set("AUTH_TOKEN_EXPIRED".into()),
            description: Patch::Clear,
            severity: Patch::Absent,
        },
    );
    content
        .error_codes
        .insert(code("ERR10002"), ErrorCodePatch::default());
    document
}

pub async fn a_replaced_document_reads_back_exactly(store: Arc<dyn Store>) {
    let document = rich_document();
    let h = host(HOST);
    let written = store
        .replace_documents(std::slice::from_ref(&document))
        .await
        .expect("replace");
    assert_eq!(written, vec![document.scope.id.clone()]);
    assert!(!store.is_empty().await.expect("is_empty"));

    let by_id = store
        .documents(&h, std::slice::from_ref(&document.scope.id))
        .await
        .expect("documents");
    assert_eq!(by_id, vec![document.clone()]);
    assert_eq!(
        store.host_documents(&h).await.expect("host_documents"),
        vec![document.clone()]
    );
    // Its parents do not exist: the lineage is the scope alone.
    let lineage = store
        .lineage_documents(&h, &document.scope.id)
        .await
        .expect("lineage");
    assert_eq!(lineage, vec![document.clone()]);
    let scopes = store
        .scopes(&h, std::slice::from_ref(&document.scope.id))
        .await
        .expect("scopes");
    assert_eq!(scopes, vec![document.scope.clone()]);

    // Equal as JSON text too: the key order of automation objects is kept.
    let as_json = |d: &ScopeDocument| -> Vec<String> {
        d.content
            .procedures
            .values()
            .map(|change| match change {
                ProcedureChange::Patch(p) => serde_json::to_string(p).expect("json"),
                ProcedureChange::Removed => "removed".into(),
            })
            .collect()
    };
    assert_eq!(as_json(&by_id[0]), as_json(&document));
}
