//! The walk through a pinned runbook, as pure transitions: given an execution
//! and a move, the new state and the events that record it. Nothing here
//! waits or calls out; the service persists what a transition produces and
//! runs the automation it asks for.
//!
//! Entering a procedure: RESOLUTION and ESCALATION finish the execution; a
//! STEP waits for a person; a DECISION is decided by its branches'
//! conditions when they can decide (see [`decide::choose`]), else waits; an
//! AUTOMATED procedure with a usable `automation` is handed to the service
//! (status RUNNING), one without waits for a person to do it by hand.

mod decide;
mod moves;
mod responder;

use std::collections::BTreeSet;

pub use crate::domain::execution::Change;
pub use decide::{Choice, choose};
pub use moves::AutomationResult;
pub use responder::MAX_UID_BYTES;

use super::{
    events::{EventKind, NewEvent},
    executors::Executors,
    model::{Awaiting, Execution, PendingAutomation, Status},
    pinned::PinnedBranch,
    template::render,
};
use crate::domain::{ProcedureKey, ProcedureKind};

/// Most moves the service makes by itself before a person must look
/// (a runbook looping through automated steps and decisions).
pub const MAX_AUTOMATIC_MOVES: u32 = 100;

/// A transition in progress.
pub struct Walk<'a> {
    ex: Execution,
    events: Vec<NewEvent>,
    now: i64,
    executors: &'a Executors,
}

impl<'a> Walk<'a> {
    /// Starts a transition of `ex` at `now` (ms).
    pub fn new(ex: &Execution, now: i64, executors: &'a Executors) -> Self {
        Self {
            ex: ex.clone(),
            events: Vec::new(),
            now,
            executors,
        }
    }

    /// The execution as the transition left it so far.
    pub fn execution(&self) -> &Execution {
        &self.ex
    }

    /// Ends the transition.
    pub fn done(mut self) -> Change {
        self.ex.updated_ms = self.now;
        Change {
            execution: self.ex,
            events: self.events,
        }
    }

    /// Records an event at the transition's time.
    pub fn record(&mut self, kind: EventKind, actor: &str) -> &mut NewEvent {
        self.events.push(NewEvent::new(kind, self.now, actor));
        let last = self.events.len() - 1;
        &mut self.events[last]
    }

    /// Records an event at the procedure the execution stands at (if any).
    fn push_here(&mut self, mut event: NewEvent) {
        if let Some(current) = &self.ex.state.current {
            event = event.at(current);
        }
        self.push(event);
    }

    fn push(&mut self, event: NewEvent) {
        self.events.push(event);
    }

    /// Walks from `key`: enters it and keeps going while the service can
    /// decide by itself; stops at a person's step, an automation or the end.
    pub fn walk_from(&mut self, key: &ProcedureKey) {
        let mut key = key.clone();
        loop {
            let Some(kind) = self.enter(&key) else {
                return;
            };
            let branch = match kind {
                ProcedureKind::Resolution => return self.finish(Status::Resolved, "runbook", None),
                ProcedureKind::Escalation => {
                    return self.finish(Status::Escalated, "runbook", None);
                }
                ProcedureKind::Step => return self.wait(Awaiting::CompleteStep, Status::Waiting),
                ProcedureKind::Automated => return self.hand_to_automation(&key),
                ProcedureKind::Decision => match self.next(&key, true) {
                    Some(branch) => branch,
                    None => return,
                },
            };
            key = branch.to;
        }
    }

    /// Decides what follows `key` (done) and records it: the branch to take,
    /// or the wait for a person (None).
    pub fn next(&mut self, key: &ProcedureKey, decision: bool) -> Option<PinnedBranch> {
        let runbook = self.ex.runbook.clone();
        let branches: Vec<&PinnedBranch> = runbook.branches_from(key).collect();
        match choose(&branches, &self.ex.variables(), decision) {
            Choice::Take(_, _) if self.ex.state.automatic_moves >= MAX_AUTOMATIC_MOVES => {
                let reason = format!(
                    "{MAX_AUTOMATIC_MOVES} moves without a person: the runbook seems to loop"
                );
                self.push(
                    NewEvent::new(EventKind::NeedsAttention, self.now, "system")
                        .at(key)
                        .with("reason", reason),
                );
                self.wait(Awaiting::ChooseBranch, Status::NeedsAttention);
                None
            }
            Choice::Take(branch, reason) => {
                self.ex.state.automatic_moves += 1;
                self.take(&branch, "condition", None, Some(reason));
                Some(branch)
            }
            Choice::Choose(reason) => {
                if let Some(reason) = reason {
                    self.push(
                        NewEvent::new(EventKind::DecisionDeferred, self.now, "condition")
                            .at(key)
                            .with("reason", reason),
                    );
                }
                self.wait(Awaiting::ChooseBranch, Status::Waiting);
                None
            }
            Choice::End => {
                self.wait(Awaiting::Finish, Status::Waiting);
                None
            }
        }
    }

    /// Records a branch taken.
    pub fn take(
        &mut self,
        branch: &PinnedBranch,
        actor: &str,
        note: Option<String>,
        reason: Option<String>,
    ) {
        self.push(
            NewEvent::new(EventKind::BranchTaken, self.now, actor)
                .at(&branch.from)
                .with("label", branch.label.as_str())
                .with("to", branch.to.as_str())
                .with("note", note)
                .with("reason", reason),
        );
    }

    /// Enters a procedure: records it and any placeholders it cannot fill.
    /// None (after marking the execution NEEDS_ATTENTION) if the pinned
    /// runbook lacks it.
    fn enter(&mut self, key: &ProcedureKey) -> Option<ProcedureKind> {
        let runbook = self.ex.runbook.clone();
        self.ex.state.current = Some(key.clone());
        self.ex.state.visits += 1;
        let Some(procedure) = runbook.procedure(key) else {
            self.push(
                NewEvent::new(EventKind::NeedsAttention, self.now, "system")
                    .at(key)
                    .with(
                        "reason",
                        format!("procedure {key} is not in the pinned runbook"),
                    ),
            );
            self.wait(Awaiting::Finish, Status::NeedsAttention);
            return None;
        };
        self.push(
            NewEvent::new(EventKind::Entered, self.now, "runbook")
                .at(key)
                .with("title", procedure.title.as_str())
                .with("kind", procedure.kind.as_str()),
        );
        let ctx = &self.ex.state.context;
        let mut unresolved = BTreeSet::new();
        if let Some(body) = &procedure.body {
            render(body, ctx, &mut unresolved);
        }
        if let Some(automation) = &procedure.automation {
            // Errors are reported when the automation is handed over.
            let _ = self.executors.prepare(automation, ctx, &mut unresolved);
        }
        if !unresolved.is_empty() {
            let names: Vec<String> = unresolved.into_iter().collect();
            self.push(
                NewEvent::new(EventKind::PlaceholdersUnresolved, self.now, "runbook")
                    .at(key)
                    .with("placeholders", names),
            );
        }
        Some(procedure.kind)
    }

    /// Hands an AUTOMATED procedure to the service, or to a person when its
    /// automation cannot run.
    fn hand_to_automation(&mut self, key: &ProcedureKey) {
        let runbook = self.ex.runbook.clone();
        let automation = runbook.procedure(key).and_then(|p| p.automation.as_ref());
        let prepared = match automation {
            None => Err("the procedure has no automation".to_owned()),
            Some(a) => self
                .executors
                .prepare(a, &self.ex.state.context, &mut BTreeSet::new())
                .map(|_| ()),
        };
        match prepared {
            Ok(()) => {
                self.ex.status = Status::Running;
                self.ex.state.awaiting = None;
                self.ex.state.pending = Some(PendingAutomation {
                    key: key.clone(),
                    attempts: 0,
                    in_flight: false,
                    idempotency_key: format!("{}-{}", self.ex.id, self.ex.state.visits),
                });
            }
            Err(error) => {
                self.push(
                    NewEvent::new(EventKind::AutomationUnavailable, self.now, "runbook")
                        .at(key)
                        .with("error", error),
                );
                self.wait(Awaiting::CompleteStep, Status::Waiting);
            }
        }
    }

    /// Waits for a person.
    fn wait(&mut self, awaiting: Awaiting, status: Status) {
        self.ex.status = status;
        self.ex.state.awaiting = Some(awaiting);
        self.ex.state.pending = None;
        let event = NewEvent::new(EventKind::Waiting, self.now, "runbook").with(
            "awaiting",
            serde_json::to_value(awaiting).unwrap_or_default(),
        );
        self.push_here(event);
    }

    /// Records what came of announcing the escalation (on a finished execution).
    pub fn notified(&mut self, contacts: Vec<String>, deliveries: Vec<serde_json::Value>) {
        self.ex.state.notifying = false;
        let event = NewEvent::new(EventKind::EscalationNotified, self.now, "system")
            .with("contacts", contacts)
            .with("deliveries", deliveries);
        self.push_here(event);
    }

    /// Finishes the execution.
    pub fn finish(&mut self, status: Status, actor: &str, note: Option<String>) {
        let kind = match status {
            Status::Resolved => EventKind::Resolved,
            Status::Escalated => EventKind::Escalated,
            _ => EventKind::Aborted,
        };
        self.ex.status = status;
        self.ex.state.awaiting = None;
        self.ex.state.pending = None;
        self.ex.finished_ms = Some(self.now);
        // The service announces an escalation, then records what came of it.
        self.ex.state.notifying =
            status == Status::Escalated && !self.executors.notifiers().is_empty();
        let event = NewEvent::new(kind, self.now, actor).with("note", note);
        self.push_here(event);
    }
}
