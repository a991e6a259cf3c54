//! Shared generation checks: concurrent requests for one host share one
//! `Store::generation` read, as long as that read STARTS after they arrived.
//!
//! A request must see every write committed before it arrived, so it may not
//! join a read already under way. Per host there is at most one read under
//! way (`running`) and one waiting for it to end (`queued`); a request joins
//! the queued read, or queues one, or starts one when none is under way. A
//! queued read has not started by construction, so whoever joins it sees
//! every write committed before the read begins, its own arrival included.
//! Under load N concurrent requests make about two reads instead of N; one
//! request alone makes exactly one.
//!
//! Reads run as spawned tasks, so a request that goes away (client gone,
//! timeout) never leaves a read half done for the others.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use futures::{
    FutureExt,
    future::{BoxFuture, Shared},
};

use crate::{
    domain::Host,
    store::{Store, StoreError},
};

type Read = Shared<BoxFuture<'static, Result<u64, Arc<StoreError>>>>;

#[derive(Default)]
struct Slots {
    running: Option<(u64, Read)>,
    queued: Option<(u64, Read)>,
}

/// The reads under way, per host.
#[derive(Default)]
pub(super) struct Checks {
    hosts: Mutex<HashMap<Host, Slots>>,
    next_id: std::sync::atomic::AtomicU64,
}

impl Checks {
    fn with_slots<T>(&self, host: &Host, f: impl FnOnce(&mut Slots) -> T) -> T {
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        f(hosts.entry(host.clone()).or_default())
    }

    /// The host's generation as read by a read that started after this call.
    pub(super) async fn generation(
        self: &Arc<Self>,
        store: &Arc<dyn Store>,
        host: &Host,
    ) -> Result<u64, StoreError> {
        let read = self.with_slots(host, |slots| {
            if let Some((_, queued)) = &slots.queued {
                return queued.clone();
            }
            let after = slots.running.as_ref().map(|(_, r)| r.clone());
            let id = self
                .next_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let read = self.read(id, store.clone(), host.clone(), after.clone());
            match after {
                Some(_) => slots.queued = Some((id, read.clone())),
                None => slots.running = Some((id, read.clone())),
            }
            read
        });
        read.await.map_err(|e| (*e).clone())
    }

    /// A read that waits for `after`, marks itself running, then reads.
    fn read(
        self: &Arc<Self>,
        id: u64,
        store: Arc<dyn Store>,
        host: Host,
        after: Option<Read>,
    ) -> Read {
        let checks = self.clone();
        let task = tokio::spawn(async move {
            if let Some(previous) = after {
                let _ = previous.await;
                checks.with_slots(&host, |slots| {
                    if slots.queued.as_ref().is_some_and(|(q, _)| *q == id) {
                        slots.running = slots.queued.take();
                    }
                });
            }
            // From here on no one joins this read: it starts now.
            let read = store.generation(&host).await.map_err(Arc::new);
            checks.with_slots(&host, |slots| {
                if slots.running.as_ref().is_some_and(|(r, _)| *r == id) {
                    slots.running = None;
                }
            });
            read
        });
        async move {
            task.await.unwrap_or_else(|e| {
                Err(Arc::new(StoreError::Config(format!(
                    "a generation check failed: {e}"
                ))))
            })
        }
        .boxed()
        .shared()
    }
}
