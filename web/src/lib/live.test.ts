import { describe, expect, it } from 'vitest';
import { liveConnection, reconnectDelay } from './live';

describe('the live connection', () => {
  it('is lost on an abnormal close, stays lost while reconnecting, and is back once connected', () => {
    const seen: string[] = [];
    const stop = liveConnection.subscribe(() => seen.push(liveConnection.current));
    liveConnection.connecting();
    liveConnection.set('connected');
    liveConnection.closed(1006);
    liveConnection.connecting();
    liveConnection.closed(1006);
    liveConnection.set('connected');
    liveConnection.closed(1000);
    stop();
    expect(seen).toEqual(['connecting', 'connected', 'lost', 'connected', 'idle']);
  });

  it('backs off from half a second, doubling, to at most ten seconds', () => {
    expect([0, 1, 2, 3, 4, 5, 30].map((n) => reconnectDelay(n))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(reconnectDelay(0, 120)).toBe(620);
  });
});
