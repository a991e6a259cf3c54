import { describe, expect, it } from 'vitest';
import { websocketUrl } from '../client';
import { detectExecutions } from './capabilities';
import { buildGraph, pinnedGraphInput } from './graph';
import { mergeEvents } from './executions';
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
