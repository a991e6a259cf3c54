//! The domain: plain types for scopes, procedures, branches, entries and error
//! codes. Nothing here knows of HTTP, GraphQL or a database.

pub mod condition;
pub mod content;
pub mod execution;
pub mod history;
pub mod ids;
pub mod limits;
pub mod objects;
pub mod owner;
pub mod page;
pub mod patch;
pub mod scope;
pub mod search;

pub use content::{
    BranchChange, BranchId, BranchPatch, ErrorCodePatch, ProcedureChange, ProcedureKind,
    ProcedurePatch, ScopeContent, ScopeDocument,
};
pub use ids::{BranchLabel, EntryCode, ErrorCode, Host, InvalidId, ProcedureKey, ScopeId};
pub use objects::{ObjectChange, ObjectRef, diff, object_json, objects, set_object};
pub use owner::Owner;
pub use patch::Patch;
pub use scope::{Contact, Scope, ScopeKind};
