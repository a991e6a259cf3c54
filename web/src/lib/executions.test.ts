import { describe, expect, it } from 'vitest';
import { websocketUrl } from '../client';
import { detectExecutions } from './capabilities';
import { buildGraph, pinnedGraphInput } from './graph';
import {
  automationRuns,
  duration,
  failed,
  mergeEvents,
  openFor,
  unacknowledgedFirst,
  withUnacknowledgedFirst,
  type AutomationRun,
} from './executions';
import type { ExecutionEvent } from '../types';

const event = (seq: number, kind: string): ExecutionEvent => ({
  seq,
  kind,
  at: '2026-11-26T03:00:00Z',
  procedure: null,
  actor: 'runbook',
  label: null,
  note: null,
  output: null,
  data: {},
});

describe('executions', () => {
  it('are detected from the schema’s query fields', () => {
    expect(detectExecutions([{ name: 'runbook' }, { name: 'executions' }])).toBe(true);
    expect(detectExecutions([{ name: 'runbook' }, { name: 'scope' }])).toBe(false);
    expect(detectExecutions(null)).toBe(false);
  });

  it('merge the events loaded with the page and those that arrive live, by sequence, once each', () => {
    const merged = mergeEvents([event(1, 'STARTED'), event(2, 'ENTERED')], [event(2, 'ENTERED'), event(3, 'WAITING')]);
    expect(merged.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('subscribe on the GraphQL path over ws or wss', () => {
    expect(websocketUrl('http://127.0.0.1:8080/graphql')).toBe('ws://127.0.0.1:8080/graphql');
    expect(websocketUrl('https://portal.example/runbook/graphql')).toBe('wss://portal.example/runbook/graphql');
  });

  it('draw the pinned runbook with the path walked and the current step marked', () => {
    const input = pinnedGraphInput({
      entry: 'triage',
      procedures: [
        { key: 'triage', title: 'Triage', kind: 'DECISION', tags: [], layers: [{ scopeId: 'light-4j' }] },
        { key: 'restart', title: 'Restart', kind: 'AUTOMATED', tags: [], layers: [{ scopeId: 'ledger' }] },
        { key: 'done', title: 'Resolved', kind: 'RESOLUTION', tags: [], layers: [{ scopeId: 'light-4j' }] },
      ],
      branches: [
        { from: 'triage', label: 'restart', to: 'restart' },
        { from: 'restart', label: 'success', to: 'done' },
      ],
    });
    expect(input.procedures[0]?.next).toEqual([{ label: 'restart', to: 'restart', condition: null, order: null }]);
    const { nodes, edges } = buildGraph(input, { classes: { triage: 'visited', restart: 'visited current' } });
    const cls = (id: string) => nodes.find((n) => n.id === id)?.className ?? '';
    expect(cls('triage')).toContain('entry');
    expect(cls('triage')).toContain('visited');
    expect(cls('restart')).toContain('current');
    expect(cls('done')).not.toContain('visited');
    expect(edges).toHaveLength(2);
  });
});

describe('automation runs', () => {
  const at = (second: number) => `2026-11-26T03:00:${String(second).padStart(2, '0')}Z`;
  const ev = (seq: number, kind: string, second: number, actor: string, data: Record<string, unknown> = {}, output: unknown = null) => ({
    ...event(seq, kind),
    at: at(second),
    procedure: 'restart',
    actor,
    data,
    output,
  });
  const request = { method: 'POST', url: 'https://ops.example/restart', headers: { Authorization: '[redacted]', 'X-Team': 'payments' }, body: { a: 1 } };

  it('gather each run’s attempts, duration, outcome and request, and mark a person’s retry as a run of its own', () => {
    const runs = automationRuns([
      ev(1, 'AUTOMATION_STARTED', 0, 'automation:ops', { attempt: 1, request }),
      ev(2, 'AUTOMATION_RETRYING', 1, 'automation:ops', { attempt: 1, error: 'HTTP 500' }),
      ev(3, 'AUTOMATION_STARTED', 2, 'automation:ops', { attempt: 2, request }),
      ev(4, 'AUTOMATION_FINISHED', 5, 'automation:ops', { outcome: 'failure', attempts: 2, httpStatus: 500, error: 'HTTP 500' }, { error: 'boom' }),
      ev(5, 'STEP_RETRIED', 30, 'alice', { note: 'node is back' }),
      ev(6, 'AUTOMATION_STARTED', 31, 'automation:ops', { attempt: 1, request }),
      ev(7, 'AUTOMATION_FINISHED', 32, 'automation:ops', { outcome: 'success', attempts: 1, httpStatus: 200 }, { ok: true }),
    ]);
    expect(runs).toHaveLength(2);
    const [first, second] = runs as [AutomationRun, AutomationRun];
    expect(first).toMatchObject({ executor: 'ops', attempts: 2, outcome: 'failure', httpStatus: 500, error: 'HTTP 500', durationMs: 5000, retriedBy: null });
    expect(first.request?.headers.Authorization).toBe('[redacted]');
    expect(first.output).toEqual({ error: 'boom' });
    expect(failed(first)).toBe(true);
    expect(second).toMatchObject({ attempts: 1, outcome: 'success', durationMs: 1000, retriedBy: 'alice' });
    expect(failed(second)).toBe(false);
  });

  it('count an unavailable automation as a failed run and a running one as neither', () => {
    const runs = automationRuns([
      ev(1, 'AUTOMATION_UNAVAILABLE', 0, 'runbook', { error: 'unknown executor ops' }),
      ev(2, 'STEP_RETRIED', 3, 'bob'),
      ev(3, 'AUTOMATION_STARTED', 4, 'automation:ops', { attempt: 1, request: { method: 'POST' } }),
    ]);
    expect(runs.map((r) => r.outcome)).toEqual(['unavailable', null]);
    const [unavailable, running] = runs as [AutomationRun, AutomationRun];
    expect(failed(unavailable)).toBe(true);
    expect(failed(running)).toBe(false);
    expect(running.request).toBeNull();
  });

  it('write durations for people', () => {
    expect([duration(null), duration(850), duration(4200), duration(185_000)]).toEqual(['', '850 ms', '4.2 s', '3 min 5 s']);
  });
});

describe('responders', () => {
  const row = (id: string, status: 'WAITING' | 'RESOLVED' | 'RUNNING', startedAt: string, responder: string | null) => ({
    id,
    status,
    startedAt,
    responder: responder ? { uid: responder, since: startedAt, acknowledgedAt: startedAt } : null,
  });

  it('list open unacknowledged executions first, the longest waiting on top, then the rest as given', () => {
    const rows = [
      row('newest-acked', 'WAITING', '2026-11-26T03:30:00Z', 'alice'),
      row('new-waiting', 'RUNNING', '2026-11-26T03:20:00Z', null),
      row('resolved', 'RESOLVED', '2026-11-26T03:10:00Z', null),
      row('old-waiting', 'WAITING', '2026-11-26T03:00:00Z', null),
    ];
    expect(unacknowledgedFirst(rows).map((r) => r.id)).toEqual(['old-waiting', 'new-waiting', 'newest-acked', 'resolved']);
  });

  it('put the unacknowledged executions the server found first, each execution once', () => {
    const waiting = [
      row('far-back', 'WAITING', '2026-11-25T23:00:00Z', null),
      row('new-waiting', 'RUNNING', '2026-11-26T03:20:00Z', null),
    ];
    const page = [
      row('newest-acked', 'WAITING', '2026-11-26T03:30:00Z', 'alice'),
      row('new-waiting', 'RUNNING', '2026-11-26T03:20:00Z', null),
      row('resolved', 'RESOLVED', '2026-11-26T03:10:00Z', null),
    ];
    expect(withUnacknowledgedFirst(waiting, page).map((r) => r.id)).toEqual([
      'far-back',
      'new-waiting',
      'newest-acked',
      'resolved',
    ]);
  });

  it('say how long an execution has been open', () => {
    const now = Date.parse('2026-11-26T04:05:30Z');
    expect(openFor('2026-11-26T03:53:00Z', now)).toBe('open 12 min');
    expect(openFor('2026-11-26T02:00:00Z', now)).toBe('open 2 h 5 min');
    expect(openFor('not a time', now)).toBe('');
  });
});
