//! light-runbook: runbooks as a graph of procedures and labelled branches,
//! inherited across scopes and resolved per service.

pub mod alerts;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod executions;
pub mod format;
pub mod graphql;
pub mod http;
pub mod profile;
pub mod resolve;
pub mod runbooks;
pub mod secrets;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod writes;
