//! Resolution: from a service's lineage of scope documents to its effective
//! runbook. Pure and synchronous: no I/O, no async, no knowledge of the store
//! or the API.

mod model;

pub use model::*;
