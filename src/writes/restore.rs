//! Restores: an object put back as it was after a change of its history.
//! The restore is itself a new change, and takes the one write path.

use serde_json::Map;

use super::{Edit, Mode, ObjectEdit, WriteOutcome, WriteRequest, Writer};
use crate::{
    auth::Caller,
    domain::{Host, ObjectRef, ScopeId},
    error::ApiError,
    store::HistoryFilter,
};

/// A restore as asked for.
pub struct Restore<'a> {
    pub caller: Option<&'a Caller>,
    pub host: Host,
    pub scope: ScopeId,
    pub object: ObjectRef,
    /// The change whose result the object gets back.
    pub change: u64,
    /// The revision the object must still have.
    pub expected: Option<u64>,
    pub dry_run: bool,
}

impl Writer {
    /// Puts `restore.object` back as change `restore.change` left it (or
    /// previews that, for a dry run). A change that deleted the whole scope
    /// is refused: a scope comes back with an import.
    pub async fn restore(&self, restore: Restore<'_>) -> Result<WriteOutcome, ApiError> {
        let Restore {
            caller,
            host,
            scope,
            object,
            change,
            expected,
            dry_run,
        } = restore;
        // Authorized before the history is read: what it holds is no answer
        // for a caller who may not write the scope.
        self.may_write(caller, &host, &scope).await?;
        let filter = HistoryFilter {
            scope: Some(scope.clone()),
            object: Some(object.clone()),
            before_change: Some(change + 1),
            limit: 1,
            ..HistoryFilter::default()
        };
        let record = self
            .store
            .history(&host, &filter)
            .await?
            .into_iter()
            .find(|r| r.change_id == change)
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "change {change} did not change {object} of scope {scope}"
                ))
                .on_field("changeId")
            })?;
        let (mode, set) = match (&object, record.after) {
            (ObjectRef::Scope, None) => {
                return Err(ApiError::bad_input(
                    "changeId",
                    "that change deleted the scope; restore it with importRunbook",
                ));
            }
            (ObjectRef::Scope, Some(v)) => {
                (Mode::Update, v.as_object().cloned().unwrap_or_default())
            }
            (_, Some(v)) => (Mode::Replace, v.as_object().cloned().unwrap_or_default()),
            (_, None) => (Mode::Drop, Map::new()),
        };
        let edit = ObjectEdit {
            scope,
            object,
            mode,
            set,
            unset: Vec::new(),
            expected,
        };
        self.write(WriteRequest {
            caller,
            edits: vec![(host, Edit::Object(edit))],
            dry_run,
            operation: "restore",
            bases: Vec::new(),
        })
        .await
    }
}
