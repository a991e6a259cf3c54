//! Error codes on their own: merged over a service's lineage, or as one scope
//! registers them, without resolving a whole runbook.

use std::{borrow::Borrow, collections::HashMap, sync::Arc};

use crate::domain::{ErrorCode, ErrorCodePatch, Scope, ScopeDocument, ScopeId};

use super::{
    merge::{ErrorCodeFields, Merged},
    model::{EffectiveErrorCode, Provenance, ResolveError, Source},
    runbook::{error_code, lineage_documents},
};

/// A merged error code with the scopes its source names.
pub type ErrorCodeView = (EffectiveErrorCode, HashMap<ScopeId, Arc<Scope>>);

/// `code` merged over `service`'s lineage; `None` when no scope of the
/// lineage registers it. Fails only when the lineage itself does not resolve.
pub fn effective_error_code<D: Borrow<ScopeDocument>>(
    service: &ScopeId,
    docs: &[D],
    code: &ErrorCode,
) -> Result<Option<EffectiveErrorCode>, ResolveError> {
    let by_id: HashMap<&ScopeId, &ScopeDocument> = docs
        .iter()
        .map(|d| (&d.borrow().scope.id, d.borrow()))
        .collect();
    let lineage = lineage_documents(&by_id, service)?;
    let merged = Merged::new(&lineage);
    Ok(merged
        .error_codes
        .get(code)
        .and_then(|layered| error_code(code, layered, service)))
}

/// `code` as one scope's layer states it, with that scope as its only source.
/// Relative to no service in particular, its provenance is `INHERITED`.
pub fn registered_error_code(
    scope: &ScopeId,
    code: &ErrorCode,
    patch: &ErrorCodePatch,
) -> EffectiveErrorCode {
    let fields = ErrorCodeFields::default().apply(patch);
    EffectiveErrorCode {
        code: code.clone(),
        status_code: fields.status_code,
        message: fields.message,
        description: fields.description,
        severity: fields.severity,
        source: Source {
            origin: scope.clone(),
            layers: vec![scope.clone()],
            provenance: Provenance::Inherited,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Host, Patch, Scope, ScopeContent, ScopeKind};

    fn doc(id: &str, parents: &[&str], code: Option<(&str, ErrorCodePatch)>) -> ScopeDocument {
        let mut content = ScopeContent::default();
        if let Some((c, patch)) = code {
            content
                .error_codes
                .insert(ErrorCode::parse(c).unwrap(), patch);
        }
        ScopeDocument {
            scope: Scope {
                host: Host::parse("h").unwrap(),
                id: ScopeId::parse(id).unwrap(),
                name: id.into(),
                kind: ScopeKind::Service,
                parents: parents
                    .iter()
                    .map(|p| ScopeId::parse(*p).unwrap())
                    .collect(),
                owners: vec![],
                contacts: vec![],
            },
            content,
        }
    }

    #[test]
    fn a_code_merges_field_by_field_over_the_lineage_without_an_entry() {
        let base = ErrorCodePatch {
            status_code: Patch::Set(401),
            severity: Patch::Set("ERROR".into()),
            ..Default::default()
        };
        let over = ErrorCodePatch {
            severity: Patch::Set("WARN".into()),
            ..Default::default()
        };
        let docs = [
            doc("fw", &[], Some(("ERR10001", base))),
            doc("svc", &["fw"], Some(("ERR10001", over))),
        ];
        let svc = ScopeId::parse("svc").unwrap();
        let code = ErrorCode::parse("ERR10001").unwrap();
        let merged = effective_error_code(&svc, &docs, &code).unwrap().unwrap();
        assert_eq!(merged.status_code, Some(401));
        assert_eq!(merged.severity.as_deref(), Some("WARN"));
        assert_eq!(merged.source.provenance, Provenance::Overridden);
        let other = ErrorCode::parse("ERR10002").unwrap();
        assert_eq!(effective_error_code(&svc, &docs, &other).unwrap(), None);
    }

    #[test]
    fn a_registered_code_reads_only_the_fields_its_scope_sets() {
        let patch = ErrorCodePatch {
            message: Patch::Set("M".into()),
            description: Patch::Clear,
            ..Default::default()
        };
        let scope = ScopeId::parse("fw").unwrap();
        let code = ErrorCode::parse("ERR10001").unwrap();
        let c = registered_error_code(&scope, &code, &patch);
        assert_eq!(c.message.as_deref(), Some("M"));
        assert_eq!(c.description, None);
        assert_eq!(c.source.layers, vec![scope]);
    }
}
