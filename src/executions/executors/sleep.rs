//! Waiting, injected: timeouts and retry backoff read a [`Sleeper`], so tests
//! can make time pass at once instead of sleeping.

use std::time::Duration;

use async_trait::async_trait;

/// Something that waits.
#[async_trait]
pub trait Sleeper: Send + Sync {
    /// Completes after `duration` (or whenever the implementation decides time has passed).
    async fn sleep(&self, duration: Duration);
}

/// Real time: tokio's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

#[async_trait]
impl Sleeper for TokioSleeper {
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}
