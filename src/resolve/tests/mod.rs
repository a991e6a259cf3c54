//! Tests of resolution, table-driven where cases share a shape; test names
//! are sentences.

mod branches;
mod builder;
mod check;
mod entries;
mod impact;
mod lineage;
mod lint;
mod procedures;
mod runbook;
