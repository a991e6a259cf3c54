//! Executions: a path through a service's effective runbook for one alert —
//! which procedure was visited, which branch was taken, by whom or by which
//! automation, when, with notes and outputs.
//!
//! An execution pins the runbook when it starts ([`pinned`]): later edits do
//! not change what an open execution follows, and it records the host
//! generation and the revision of every layer it follows. The walk itself
//! is pure ([`engine`]); [`Executions`] persists each move atomically
//! through an [`ExecutionStore`](crate::store::executions::ExecutionStore),
//! publishes its events, and runs automated steps in the background
//! ([`executors`]) with timeouts, retries and backoff read from an injected
//! [`Sleeper`](executors::Sleeper); an escalation is announced to the
//! configured notifiers (`notify`). See `docs/executions.md`.

mod driver;
pub mod engine;
pub mod executors;
pub mod expr;
pub mod markdown;
mod notify;
pub mod pinned;
mod recovery;
mod service;
mod start;
mod stream;
pub mod template;

pub use crate::domain::execution::{events, model};
pub use events::{Event, EventKind, NewEvent};
pub use model::{AlertContext, Awaiting, Execution, ExecutionId, Outcome, Status};
pub use service::{ExecutionSettings, Executions, Move, StartRequest, Started};
