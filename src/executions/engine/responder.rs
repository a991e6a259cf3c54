//! Who answers for an execution: a person acknowledges it (takes it on), and
//! the responder hands it to someone else. Both are open-execution moves
//! that leave the walk where it stands.

use super::Walk;
use crate::{
    error::{ApiError, ApiErrorCode},
    executions::{
        events::{EventKind, NewEvent},
        model::Responder,
    },
};

/// Most bytes of a `uid` an execution is handed to.
pub const MAX_UID_BYTES: usize = 200;

impl Walk<'_> {
    /// `uid` takes the execution on. Acknowledging it again as its responder
    /// changes nothing; one that someone else answers for is CONFLICT (they,
    /// or anyone, hand it off instead).
    pub fn acknowledge(&mut self, uid: &str, note: Option<String>) -> Result<(), ApiError> {
        self.movable(false)?;
        match &self.ex.state.responder {
            Some(r) if r.uid == uid => return Ok(()),
            Some(r) => {
                return Err(ApiError::new(
                    ApiErrorCode::Conflict,
                    format!(
                        "{} answers for this execution already; to take it over, hand it off to yourself",
                        r.uid
                    ),
                ));
            }
            None => {}
        }
        self.ex.state.responder = Some(Responder {
            uid: uid.to_owned(),
            since_ms: self.now,
            acknowledged_ms: self.now,
        });
        self.push_here(NewEvent::new(EventKind::Acknowledged, self.now, uid).with("note", note));
        Ok(())
    }

    /// `uid` hands the execution to `to` (themselves included, to take it
    /// over). Handing it to its responder changes nothing.
    pub fn hand_off(&mut self, uid: &str, to: &str, note: Option<String>) -> Result<(), ApiError> {
        self.movable(false)?;
        check_uid(to)?;
        let previous = self.ex.state.responder.clone();
        if previous.as_ref().is_some_and(|r| r.uid == to) {
            return Ok(());
        }
        self.ex.state.responder = Some(Responder {
            uid: to.to_owned(),
            since_ms: self.now,
            acknowledged_ms: previous.as_ref().map_or(self.now, |r| r.acknowledged_ms),
        });
        self.push_here(
            NewEvent::new(EventKind::HandedOff, self.now, uid)
                .with("from", previous.map(|r| r.uid))
                .with("to", to.to_owned())
                .with("note", note),
        );
        Ok(())
    }
}

/// A `uid` to hand an execution to: 1 to 200 bytes, no spaces or control characters.
fn check_uid(to: &str) -> Result<(), ApiError> {
    if to.is_empty() || to.len() > MAX_UID_BYTES {
        return Err(ApiError::bad_input(
            "to",
            format!("a uid is 1 to {MAX_UID_BYTES} bytes"),
        ));
    }
    if to.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::bad_input(
            "to",
            "a uid has no spaces or control characters",
        ));
    }
    Ok(())
}
