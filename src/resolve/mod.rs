//! Resolution: from a service's lineage of scope documents to its effective
//! runbook. Pure and synchronous: no I/O, no async, no knowledge of the store
//! or the API.
//!
//! - [`linearize`]: the C3 lineage of a scope.
//! - [`resolve`]: a service's effective runbook, whole or for one error code.
//! - [`lint`]: what in an effective runbook will hurt whoever follows it.
//! - [`Catalog`] and [`check_change`]: a whole host in memory, to validate a
//!   change before it is stored.

mod catalog;
mod check;
mod error_codes;
mod graph;
mod impact;
mod indexed;
mod lineage;
mod lint;
mod merge;
mod model;
mod runbook;

pub use catalog::Catalog;
pub use check::{ChangeReport, CheckBounds, CheckCut, Problem, check_change, check_change_within};
pub use error_codes::{ErrorCodeView, effective_error_code, registered_error_code};
pub use impact::{Part, PartKind, ServiceImpact, impact, impact_until};
pub use indexed::IndexedRunbook;
pub use lineage::linearize;
pub use lint::{Finding, Severity, lint};
pub use model::*;
pub use runbook::resolve;

#[cfg(test)]
mod tests;
