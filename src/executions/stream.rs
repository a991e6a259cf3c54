//! An execution's events as a stream: what is stored first, then what
//! happens, in order, without gaps or repeats. The bus is one broadcast
//! channel filtered by execution; a subscriber that falls behind (or sees a
//! gap) reads the missing events back from the store. The stream ends after
//! the event that finishes the execution.

use std::{collections::VecDeque, sync::Arc};

use futures::Stream;
use tokio::sync::broadcast::{Receiver, error::RecvError};

use super::{
    events::{Event, EventKind},
    model::ExecutionId,
    service::Executions,
};
use crate::error::ApiError;

/// Events read from the store at a time.
const PAGE: u32 = 500;

struct Cursor {
    executions: Executions,
    id: ExecutionId,
    bus: Receiver<Arc<Event>>,
    /// The last event delivered.
    last: i64,
    backlog: VecDeque<Event>,
    /// Whether the backlog must be (re)read from the store first.
    reload: bool,
    finished: bool,
}

impl Executions {
    /// The events of an execution after `after_seq` (0: all), then live ones.
    pub fn event_stream(
        &self,
        id: ExecutionId,
        after_seq: i64,
    ) -> impl Stream<Item = Result<Event, ApiError>> + Send + 'static + use<> {
        let cursor = Cursor {
            bus: self.inner.bus.subscribe(),
            executions: self.clone(),
            id,
            last: after_seq,
            backlog: VecDeque::new(),
            reload: true,
            finished: false,
        };
        futures::stream::unfold(cursor, |mut cursor| async move {
            match cursor.next().await {
                Ok(Some(event)) => Some((Ok(event), cursor)),
                Ok(None) => None,
                Err(e) => {
                    cursor.finished = true;
                    Some((Err(e), cursor))
                }
            }
        })
    }
}

impl Cursor {
    async fn next(&mut self) -> Result<Option<Event>, ApiError> {
        loop {
            if self.finished {
                return Ok(None);
            }
            if self.reload {
                self.reload = false;
                let events = self.executions.events(&self.id, self.last, PAGE).await?;
                self.reload = events.len() == PAGE as usize;
                self.backlog.extend(events);
            }
            if let Some(event) = self.backlog.pop_front() {
                if event.seq <= self.last {
                    continue;
                }
                return Ok(Some(self.deliver(event)));
            }
            match self.bus.recv().await {
                Ok(event) if event.execution != self.id || event.seq <= self.last => {}
                Ok(event) if event.seq == self.last + 1 => {
                    return Ok(Some(self.deliver(event.as_ref().clone())));
                }
                Ok(_) | Err(RecvError::Lagged(_)) => self.reload = true,
                Err(RecvError::Closed) => return Ok(None),
            }
        }
    }

    fn deliver(&mut self, event: Event) -> Event {
        self.last = event.seq;
        let kind = event.event.kind;
        // With notifiers, an escalation's stream goes on to what came of announcing it.
        let announced =
            kind == EventKind::Escalated && !self.executions.inner.executors.notifiers().is_empty();
        if (kind.is_final() && !announced) || kind == EventKind::EscalationNotified {
            self.finished = true;
        }
        event
    }
}
