//! The clock that token time checks read, injected so tests never sleep.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

/// A source of the current time for `exp` and `nbf` checks.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;

    /// The current time in whole seconds since the Unix epoch (0 before it).
    fn unix_seconds(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// The current time in milliseconds since the Unix epoch (0 before it),
    /// as history and executions record it.
    fn unix_millis(&self) -> i64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// The operating system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still at a set instant until moved; for tests.
#[derive(Debug, Default)]
pub struct FixedClock {
    unix_seconds: AtomicU64,
}

impl FixedClock {
    /// A clock standing at `unix_seconds` seconds after the epoch.
    pub fn at(unix_seconds: u64) -> Self {
        Self {
            unix_seconds: AtomicU64::new(unix_seconds),
        }
    }

    /// Moves the clock to `unix_seconds` seconds after the epoch.
    pub fn set(&self, unix_seconds: u64) {
        self.unix_seconds.store(unix_seconds, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.unix_seconds.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_reports_the_instant_it_was_set_to() {
        let clock = FixedClock::at(1_700_000_000);
        assert_eq!(clock.unix_seconds(), 1_700_000_000);
        clock.set(42);
        assert_eq!(clock.unix_seconds(), 42);
        assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(42));
    }

    #[test]
    fn the_system_clock_is_after_2025() {
        assert!(SystemClock.unix_seconds() > 1_735_689_600);
    }
}
