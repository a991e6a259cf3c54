/*
 * The live connection (the WebSocket subscriptions go over), as the pages
 * see it: `connected`, `lost` (it dropped and is being re-opened, with
 * backoff, by itself) or `idle` (no subscription needs it). The GraphQL
 * client reports into it; a page reads it with `useLiveConnection`.
 */
import { useSyncExternalStore } from 'react';

export type LiveState = 'idle' | 'connecting' | 'connected' | 'lost';

class LiveConnection {
  private state: LiveState = 'idle';
  private readonly listeners = new Set<() => void>();

  get current(): LiveState {
    return this.state;
  }

  set(next: LiveState) {
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  /** Opening again after a loss is still a loss until it is open. */
  connecting() {
    if (this.state !== 'lost') this.set('connecting');
  }

  /** A normal close (1000: nothing needs it) is idle; any other is a loss. */
  closed(code: number | undefined) {
    this.set(code === 1000 ? 'idle' : 'lost');
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}

export const liveConnection = new LiveConnection();

/** The live connection's state, re-rendering on each change. */
export function useLiveConnection(): LiveState {
  return useSyncExternalStore(liveConnection.subscribe, () => liveConnection.current);
}

/** Milliseconds before reconnect attempt `retries` (0-based): 0.5 s doubling to at most 10 s, plus `jitter`. */
export function reconnectDelay(retries: number, jitter = 0): number {
  return Math.min(500 * 2 ** Math.min(retries, 10), 10_000) + jitter;
}
