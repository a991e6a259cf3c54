//! Writes take turns per host: a write waits only for writes of the same
//! hosts, never for another tenant's. A write of several hosts takes their
//! turns in host order, so two such writes cannot wait for each other.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, Mutex, PoisonError},
};

use tokio::sync::{Mutex as Turn, OwnedMutexGuard};

use crate::domain::Host;

/// One async lock per host with a write in progress or waiting.
#[derive(Clone, Default)]
pub struct HostTurns {
    // Only hosts in use stay in the map: idle ones are dropped as turns are
    // handed out, so a caller naming many hosts cannot grow it for good.
    turns: Arc<Mutex<HashMap<Host, Arc<Turn<()>>>>>,
}

/// The turns a write holds, released when dropped.
pub struct Held {
    _guards: Vec<OwnedMutexGuard<()>>,
}

impl HostTurns {
    /// Waits for the turn of each host, in host order (a `BTreeSet` is sorted).
    pub async fn take(&self, hosts: &BTreeSet<&Host>) -> Held {
        let mut guards = Vec::with_capacity(hosts.len());
        for host in hosts {
            let turn = self.turn_of(host);
            guards.push(turn.lock_owned().await);
        }
        Held { _guards: guards }
    }

    fn turn_of(&self, host: &Host) -> Arc<Turn<()>> {
        // No code panics while holding this map lock, and its content stays
        // valid even if one did: recover rather than propagate the poison.
        let mut turns = self.turns.lock().unwrap_or_else(PoisonError::into_inner);
        turns.retain(|_, turn| Arc::strong_count(turn) > 1);
        turns.entry(host.clone()).or_default().clone()
    }

    /// How many hosts have a write in progress or waiting (for tests).
    #[cfg(test)]
    fn in_use(&self) -> usize {
        let mut turns = self.turns.lock().unwrap_or_else(PoisonError::into_inner);
        turns.retain(|_, turn| Arc::strong_count(turn) > 1);
        turns.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(name: &str) -> Host {
        Host::parse(name).expect("host")
    }

    #[tokio::test]
    async fn a_host_busy_with_a_write_does_not_hold_up_another_host() {
        let turns = HostTurns::default();
        let (a, b) = (host("a.example"), host("b.example"));
        let held_a = turns.take(&BTreeSet::from([&a])).await;
        // Would wait forever if the hosts shared one lock.
        let held_b = turns.take(&BTreeSet::from([&b])).await;
        assert_eq!(turns.in_use(), 2);
        drop((held_a, held_b));
        assert_eq!(turns.in_use(), 0, "idle hosts leave the map");
    }

    #[tokio::test]
    async fn the_same_host_waits_until_the_turn_is_released() {
        let turns = HostTurns::default();
        let a = host("a.example");
        let held = turns.take(&BTreeSet::from([&a])).await;
        let waiting = {
            let (turns, a) = (turns.clone(), a.clone());
            tokio::spawn(async move { drop(turns.take(&BTreeSet::from([&a])).await) })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(held);
        waiting.await.expect("the second write gets its turn");
    }
}
