import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  initialView,
  NODE_WIDTH,
  provenanceCounts,
  reachableFrom,
  READABLE_ZOOM,
  routedPath,
  SMALLEST_TEXT_PX,
} from './graph';
import type { Runbook } from '../types';

type P = Runbook['procedures'][number];
type B = Runbook['branches'][number];

const proc = (key: string, kind: P['kind'], provenance: P['provenance'], origin = 'light-4j'): P => ({
  key,
  title: `Title of ${key}`,
  kind,
  body: null,
  automation: kind === 'AUTOMATED' ? { executor: 'http' } : null,
  tags: [],
  provenance,
  origin: { id: origin },
  layers: [{ id: origin }],
  next: [],
});

const branch = (from: string, label: string, to: string, provenance: B['provenance'], origin = 'light-4j'): B => ({
  from,
  to,
  label,
  condition: null,
  order: null,
  provenance,
  origin: { id: origin },
  layers: [{ id: origin }],
});

// The README's worked example: the ledger overrides token-expired and redirects triage/unclear.
const runbook: Pick<Runbook, 'procedures' | 'branches' | 'entry'> = {
  entry: 'token-expired',
  procedures: [
    proc('token-expired', 'STEP', 'OVERRIDDEN'),
    proc('escalate', 'ESCALATION', 'INHERITED'),
    proc('triage', 'DECISION', 'INHERITED'),
    proc('restart-pod', 'AUTOMATED', 'LOCAL', 'com.acme.ledger-1.0.0'),
  ],
  branches: [
    branch('triage', 'auth error', 'token-expired', 'INHERITED'),
    branch('triage', 'unclear', 'escalate', 'OVERRIDDEN'),
    branch('token-expired', 'still failing', 'escalate', 'INHERITED'),
    branch('token-expired', 'restart', 'restart-pod', 'LOCAL', 'com.acme.ledger-1.0.0'),
    branch('restart-pod', 'retry', 'token-expired', 'LOCAL', 'com.acme.ledger-1.0.0'),
    branch('triage', 'gone', 'no-such-step', 'INHERITED'),
  ],
};

describe('buildGraph', () => {
  it('makes one node per procedure and one edge per branch between them', () => {
    const { nodes, edges } = buildGraph(runbook);
    expect(nodes.map((n) => n.id).sort()).toEqual(['escalate', 'restart-pod', 'token-expired', 'triage']);
    expect(edges.map((e) => e.id)).toEqual([
      'triage/auth error',
      'triage/unclear',
      'token-expired/still failing',
      'token-expired/restart',
      'restart-pod/retry',
    ]);
    const unclear = edges.find((e) => e.id === 'triage/unclear');
    expect(unclear).toMatchObject({ source: 'triage', target: 'escalate', label: 'unclear' });
  });

  it('highlights the entry and marks automated steps', () => {
    const { nodes } = buildGraph(runbook);
    const entry = nodes.filter((n) => n.data.entry);
    expect(entry.map((n) => n.id)).toEqual(['token-expired']);
    expect(entry[0]?.className).toContain('entry');
    expect(nodes.find((n) => n.id === 'triage')?.className).not.toContain('entry');
    const auto = nodes.find((n) => n.id === 'restart-pod');
    expect(auto?.data.automated).toBe(true);
    expect(auto?.className).toContain('kind-automated');
    expect(auto?.ariaLabel).toContain('automated');
  });

  it('colours nodes and edges by provenance only when asked, with the origin scope', () => {
    const plain = buildGraph(runbook);
    expect(plain.nodes.some((n) => n.className?.includes('prov-'))).toBe(false);
    const { nodes, edges } = buildGraph(runbook, { colourBy: 'provenance' });
    const cls = (id: string) => nodes.find((n) => n.id === id)?.className ?? '';
    expect(cls('token-expired')).toContain('prov-overridden');
    expect(cls('escalate')).toContain('prov-inherited');
    expect(cls('restart-pod')).toContain('prov-local');
    expect(nodes.find((n) => n.id === 'restart-pod')?.data.origin).toBe('com.acme.ledger-1.0.0');
    expect(edges.find((e) => e.id === 'triage/unclear')?.className).toContain('prov-overridden');
    expect(edges.find((e) => e.id === 'restart-pod/retry')?.className).toContain('prov-local');
    expect(nodes.find((n) => n.id === 'token-expired')?.ariaLabel).toContain('overridden from light-4j');
    expect(edges.find((e) => e.id === 'restart-pod/retry')?.ariaLabel).toContain('local, origin com.acme.ledger-1.0.0');
    expect(edges.find((e) => e.id === 'triage/unclear')?.data?.origin).toBe('light-4j');
  });

  it('lays the tree out top to bottom without overlapping nodes, loops included', () => {
    const { nodes } = buildGraph(runbook);
    const y = (id: string) => nodes.find((n) => n.id === id)!.position.y;
    expect(y('triage')).toBeLessThan(y('token-expired'));
    expect(y('token-expired')).toBeLessThan(y('escalate'));
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.position.x - b.position.x) >= 232 || Math.abs(a.position.y - b.position.y) >= 76;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
  });

  it('can highlight another entry, or none', () => {
    expect(buildGraph(runbook, { entry: 'triage' }).nodes.find((n) => n.data.entry)?.id).toBe('triage');
    expect(buildGraph(runbook, { entry: null }).nodes.some((n) => n.data.entry)).toBe(false);
  });

  it('counts procedures and branches by provenance', () => {
    expect(provenanceCounts(runbook)).toEqual({ INHERITED: 4, OVERRIDDEN: 2, LOCAL: 3 });
  });
});

describe('routed edges', () => {
  it('follow the route dagre laid out, label included', () => {
    const { nodes, edges } = buildGraph(runbook);
    const e = edges.find((x) => x.id === 'triage/unclear')!;
    expect(e.type).toBe('routed');
    expect(e.data!.points.length).toBeGreaterThanOrEqual(2);
    const source = nodes.find((n) => n.id === 'triage')!;
    const first = e.data!.points[0]!;
    // The route starts at the source node's box.
    expect(first.x).toBeGreaterThanOrEqual(source.position.x - 1);
    expect(first.x).toBeLessThanOrEqual(source.position.x + 233);
    expect(e.data!.labelX).not.toBeNull();
  });

  it('are smooth paths through every point', () => {
    expect(routedPath([])).toBe('');
    expect(routedPath([{ x: 0, y: 0 }, { x: 10, y: 20 }])).toMatch(/^M0,0 C[\d.,\s-]+ 10,20$/);
    expect(routedPath([{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 0 }]).match(/C/g)).toHaveLength(2);
  });
});

describe('reachableFrom', () => {
  it('keeps what an entry reaches, breadth first, loops included', () => {
    const part = reachableFrom(runbook, 'token-expired');
    expect(part.entry).toBe('token-expired');
    expect(part.procedures.map((p) => p.key)).toEqual(['token-expired', 'escalate', 'restart-pod']);
    expect(part.branches.map((b) => `${b.from}/${b.label}`)).toEqual([
      'token-expired/still failing',
      'token-expired/restart',
      'restart-pod/retry',
    ]);
    expect(reachableFrom(runbook, 'nope').procedures).toEqual([]);
  });
});

describe('graph extent', () => {
  it('covers every node and every route point', () => {
    const { nodes, edges, width, height } = buildGraph(runbook);
    for (const n of nodes) {
      expect(n.position.x + 232).toBeLessThanOrEqual(width);
      expect(n.position.y + 76).toBeLessThanOrEqual(height);
    }
    for (const e of edges) for (const p of e.data!.points) expect(p.x).toBeLessThanOrEqual(width);
  });
});

describe('the first view of a tree', () => {
  // A wide tree: a decision with six answers.
  const wide: Pick<Runbook, 'procedures' | 'branches' | 'entry'> = {
    entry: 'start',
    procedures: [
      proc('start', 'DECISION', 'INHERITED'),
      ...[1, 2, 3, 4, 5, 6].map((i) => proc(`answer-${i}`, 'STEP', 'INHERITED')),
      proc('end', 'RESOLUTION', 'INHERITED'),
    ],
    branches: [
      ...[1, 2, 3, 4, 5, 6].map((i) => branch('start', `answer ${i}`, `answer-${i}`, 'INHERITED')),
      branch('answer-1', 'done', 'end', 'INHERITED'),
    ],
  };
  const view = (tree: typeof wide, target: string, screen: { width: number; height: number }) => {
    const { nodes, edges, width, height } = buildGraph(tree);
    return { nodes, view: initialView(nodes, edges, target, { width, height }, screen) };
  };

  it('never draws text below 12 px, on a wide screen or a phone', () => {
    for (const screen of [
      { width: 1366, height: 700 },
      { width: 340, height: 440 },
    ]) {
      const { view: v } = view(wide, 'start', screen);
      expect(v.zoom * SMALLEST_TEXT_PX).toBeGreaterThanOrEqual(12);
    }
  });

  it('shows a small tree whole, centred', () => {
    const { nodes, view: v } = view(runbook, 'token-expired', { width: 1366, height: 700 });
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    for (const n of nodes) {
      const left = n.position.x * v.zoom + v.x;
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left + NODE_WIDTH * v.zoom).toBeLessThanOrEqual(1366);
    }
  });

  it('opens a tree too big to read whole on the step and what it leads to, or the step alone', () => {
    // Too wide to read whole on a phone: the entry at the top, centred across.
    const { nodes, view: phone } = view(wide, 'start', { width: 340, height: 440 });
    expect(phone.zoom).toBeCloseTo(READABLE_ZOOM);
    const entry = nodes.find((n) => n.id === 'start')!;
    const centre = (entry.position.x + NODE_WIDTH / 2) * phone.zoom + phone.x;
    expect(centre).toBeCloseTo(170);
    expect(entry.position.y * phone.zoom + phone.y).toBeCloseTo(16);
    // From `answer-1`, its neighbourhood (it and `end`) fits readably.
    const { nodes: all, view: near } = view(wide, 'answer-1', { width: 600, height: 700 });
    expect(near.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    for (const key of ['answer-1', 'end']) {
      const n = all.find((m) => m.id === key)!;
      const left = n.position.x * near.zoom + near.x;
      expect(left >= 0 && left + NODE_WIDTH * near.zoom <= 600).toBe(true);
    }
  });
});
