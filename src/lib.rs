//! light-runbook: runbooks as a graph of procedures and labelled branches,
//! inherited across scopes and resolved per service.

pub mod domain;
pub mod error;
pub mod format;
pub mod resolve;
pub mod store;
