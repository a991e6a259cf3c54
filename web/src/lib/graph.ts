import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { EffectiveBranch, EffectiveProcedure, Provenance, Runbook } from '../types';

/** What a procedure node shows. */
export interface StepNodeData extends Record<string, unknown> {
  key: string;
  title: string;
  kind: EffectiveProcedure['kind'];
  provenance: Provenance;
  origin: string;
  layers: string[];
  entry: boolean;
  automated: boolean;
  /** Colour by provenance (the service view) or by kind only (on call). */
  colourBy: 'provenance' | 'kind';
}

export type StepNode = Node<StepNodeData, 'step'>;

export interface BranchEdgeData extends Record<string, unknown> {
  label: string;
  condition: string | null;
  provenance: Provenance;
  origin: string;
  /** The route dagre laid out, from the source's border to the target's. */
  points: { x: number; y: number }[];
  /** Where dagre placed the label (it keeps room for it). */
  labelX: number | null;
  labelY: number | null;
}

export type BranchEdge = Edge<BranchEdgeData>;

export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 84;

export interface GraphOptions {
  colourBy?: 'provenance' | 'kind';
  /** The entry to highlight; defaults to the runbook's own entry. */
  entry?: string | null;
  /** Lay the graph out left to right (wide screens) or top to bottom. */
  direction?: 'TB' | 'LR';
  /** More classes for some nodes, by key (an execution's path: `visited`, `current`). */
  classes?: Record<string, string>;
}

export function provenanceClass(p: Provenance): string {
  return `prov-${p.toLowerCase()}`;
}

/** An edge's id: branches are identified by (from, label). */
export function edgeId(b: Pick<EffectiveBranch, 'from' | 'label'>): string {
  return `${b.from}/${b.label}`;
}

/**
 * Turns an effective runbook into React Flow nodes and edges laid out by
 * dagre: one node per procedure, one edge per effective branch, classes for
 * provenance (`prov-inherited|overridden|local`), kind (`kind-automated`…)
 * and the entry (`entry`). Branches to procedures not in the runbook (there
 * should be none: the server leaves dangling ones out) are dropped.
 */
export function buildGraph(
  runbook: Pick<Runbook, 'procedures' | 'branches' | 'entry'>,
  options: GraphOptions = {},
): { nodes: StepNode[]; edges: BranchEdge[]; width: number; height: number } {
  const colourBy = options.colourBy ?? 'kind';
  const entry = options.entry === undefined ? runbook.entry : options.entry;
  const keys = new Set(runbook.procedures.map((p) => p.key));

  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: options.direction ?? 'TB',
    nodesep: 36,
    ranksep: 64,
    edgesep: 16,
    marginx: 16,
    marginy: 16,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const p of runbook.procedures) {
    g.setNode(p.key, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  const branches = runbook.branches.filter((b) => keys.has(b.from) && keys.has(b.to));
  for (const b of branches) {
    g.setEdge(b.from, b.to, { label: b.label, width: Math.min(200, 10 + b.label.length * 8), height: 22 }, edgeId(b));
  }
  dagre.layout(g);

  const nodes: StepNode[] = runbook.procedures.map((p) => {
    const pos = g.node(p.key);
    const isEntry = entry != null && p.key === entry;
    const classes = ['step', `kind-${p.kind.toLowerCase()}`];
    if (colourBy === 'provenance') classes.push(provenanceClass(p.provenance));
    if (isEntry) classes.push('entry');
    const extra = options.classes?.[p.key];
    if (extra) classes.push(extra);
    return {
      id: p.key,
      type: 'step',
      position: { x: (pos?.x ?? 0) - NODE_WIDTH / 2, y: (pos?.y ?? 0) - NODE_HEIGHT / 2 },
      className: classes.join(' '),
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      ariaLabel: `${isEntry ? 'Entry step: ' : ''}${p.title} (${p.kind.toLowerCase()}${
        colourBy === 'provenance' ? `, ${p.provenance.toLowerCase()} from ${p.origin.id}` : ''
      })`,
      data: {
        key: p.key,
        title: p.title,
        kind: p.kind,
        provenance: p.provenance,
        origin: p.origin.id,
        layers: p.layers.map((l) => l.id),
        entry: isEntry,
        automated: p.kind === 'AUTOMATED',
        colourBy,
      },
    };
  });

  const edges: BranchEdge[] = branches.map((b) => {
    const laid = g.edge({ v: b.from, w: b.to, name: edgeId(b) }) as
      | { points?: { x: number; y: number }[]; x?: number; y?: number }
      | undefined;
    const classes = ['branch'];
    if (colourBy === 'provenance') classes.push(provenanceClass(b.provenance));
    return {
      id: edgeId(b),
      source: b.from,
      target: b.to,
      type: 'routed',
      label: b.label,
      className: classes.join(' '),
      ariaLabel: `${b.from} to ${b.to}: ${b.label}${
        colourBy === 'provenance' ? ` (${b.provenance.toLowerCase()}, origin ${b.origin.id})` : ''
      }`,
      data: {
        label: b.label,
        condition: b.condition ?? null,
        provenance: b.provenance,
        origin: b.origin.id,
        points: (laid?.points ?? []).map((p) => ({ x: p.x, y: p.y })),
        labelX: laid?.x ?? null,
        labelY: laid?.y ?? null,
      },
    };
  });

  // dagre's extent covers the routes and labels too, not only the nodes.
  const extent = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: extent.width ?? 0, height: extent.height ?? 0 };
}

/** Counts of the procedures and branches drawn, by provenance, for the legend. */
export function provenanceCounts(runbook: Pick<Runbook, 'procedures' | 'branches'>): Record<Provenance, number> {
  const counts: Record<Provenance, number> = { INHERITED: 0, OVERRIDDEN: 0, LOCAL: 0 };
  const keys = new Set(runbook.procedures.map((p) => p.key));
  for (const p of runbook.procedures) counts[p.provenance] += 1;
  for (const b of runbook.branches) if (keys.has(b.from) && keys.has(b.to)) counts[b.provenance] += 1;
  return counts;
}

/**
 * An SVG path through dagre's route points, smoothed (Catmull-Rom turned
 * into cubic Béziers) so back edges of retry loops curve around the nodes
 * instead of cutting through them.
 */
export function routedPath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const f = (n: number) => Math.round(n * 10) / 10;
  const [first] = points as [{ x: number; y: number }];
  if (points.length === 1) return `M${f(first.x)},${f(first.y)}`;
  let d = `M${f(first.x)},${f(first.y)}`;
  for (let i = 0; i < points.length - 1; i += 1) {
    const p0 = points[i - 1] ?? points[i]!;
    const p1 = points[i]!;
    const p2 = points[i + 1]!;
    const p3 = points[i + 2] ?? p2;
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C${f(c1.x)},${f(c1.y)} ${f(c2.x)},${f(c2.y)} ${f(p2.x)},${f(p2.y)}`;
  }
  return d;
}

/**
 * The part of a runbook reachable from one procedure, breadth first (as the
 * server answers for an error code), with that procedure as the entry.
 */
export function reachableFrom<R extends Pick<Runbook, 'procedures' | 'branches' | 'entry'>>(runbook: R, start: string): R {
  const byKey = new Map(runbook.procedures.map((p) => [p.key, p]));
  if (!byKey.has(start)) return { ...runbook, procedures: [], branches: [], entry: null };
  const order = [start];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i += 1) {
    for (const b of runbook.branches) {
      if (b.from === order[i] && byKey.has(b.to) && !seen.has(b.to)) {
        seen.add(b.to);
        order.push(b.to);
      }
    }
  }
  return {
    ...runbook,
    entry: start,
    procedures: order.map((k) => byKey.get(k)!),
    branches: runbook.branches.filter((b) => seen.has(b.from) && seen.has(b.to)),
  };
}

/** A runbook pinned by an execution, in the shape `buildGraph` draws. */
export interface PinnedRunbookLike {
  entry: string;
  procedures: {
    key: string;
    title: string;
    kind: EffectiveProcedure['kind'];
    body?: string | null;
    automation?: unknown;
    tags: string[];
    layers: { scopeId: string }[];
  }[];
  branches: { from: string; label: string; to: string; condition?: string | null; order?: number | null }[];
}

export function pinnedGraphInput(pinned: PinnedRunbookLike): Pick<Runbook, 'procedures' | 'branches' | 'entry'> {
  const origin = (layers: { scopeId: string }[]) => ({ id: layers[0]?.scopeId ?? '' });
  return {
    entry: pinned.entry,
    procedures: pinned.procedures.map((p) => ({
      key: p.key,
      title: p.title,
      kind: p.kind,
      body: p.body ?? null,
      automation: p.automation ?? null,
      tags: p.tags,
      provenance: 'INHERITED' as const,
      origin: origin(p.layers),
      layers: p.layers.map((l) => ({ id: l.scopeId })),
      next: pinned.branches
        .filter((b) => b.from === p.key)
        .map((b) => ({ label: b.label, to: b.to, condition: b.condition ?? null, order: b.order ?? null })),
    })),
    branches: pinned.branches.map((b) => ({
      from: b.from,
      to: b.to,
      label: b.label,
      condition: b.condition ?? null,
      order: b.order ?? null,
      provenance: 'INHERITED' as const,
      origin: { id: '' },
      layers: [],
    })),
  };
}

/** No title or branch label is drawn smaller than this at the first view (CSS px). */
export const MIN_READABLE_PX = 12;
/** The smallest of them as styled: branch labels (titles are 14 px). */
export const SMALLEST_TEXT_PX = 13;
/** The zoom at which the smallest text is just readable. */
export const READABLE_ZOOM = MIN_READABLE_PX / SMALLEST_TEXT_PX;
/** The largest zoom the tree is drawn at. */
export const MAX_ZOOM = 1.25;
/** Room kept between the tree and the canvas's edge (screen px). */
const MARGIN = 16;

type Size = { width: number; height: number };
type Box = Size & { x: number; y: number };
export type Viewport = { x: number; y: number; zoom: number };

function boundsOf(nodes: readonly StepNode[]): Box {
  const xs = nodes.map((n) => n.position.x);
  const ys = nodes.map((n) => n.position.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) + NODE_WIDTH - x, height: Math.max(...ys) + NODE_HEIGHT - y };
}

/**
 * The first view of a tree on a canvas of `screen` size: the whole tree when
 * its text is readable so; else the `target` step and the steps it leads
 * to; else the target alone at the top, at the smallest readable zoom. Never
 * a zoom that draws text under {@link MIN_READABLE_PX}.
 */
export function initialView(
  nodes: readonly StepNode[],
  edges: readonly BranchEdge[],
  target: string,
  extent: Size,
  screen: Size,
): Viewport {
  const fit = (box: Size) =>
    Math.min((screen.width - 2 * MARGIN) / box.width, (screen.height - 2 * MARGIN) / box.height, MAX_ZOOM);
  const centred = (box: Box, zoom: number): Viewport => ({
    zoom,
    x: (screen.width - box.width * zoom) / 2 - box.x * zoom,
    y: (screen.height - box.height * zoom) / 2 - box.y * zoom,
  });
  const whole = { x: 0, y: 0, ...extent };
  if (fit(whole) >= READABLE_ZOOM) return centred(whole, fit(whole));
  const near = new Set([target, ...edges.filter((e) => e.source === target).map((e) => e.target)]);
  const neighbourhood = nodes.filter((n) => near.has(n.id));
  const step = nodes.find((n) => n.id === target);
  if (!step) return centred(whole, READABLE_ZOOM);
  const box = boundsOf(neighbourhood);
  if (fit(box) >= READABLE_ZOOM) return centred(box, fit(box));
  return {
    zoom: READABLE_ZOOM,
    x: screen.width / 2 - (step.position.x + NODE_WIDTH / 2) * READABLE_ZOOM,
    y: MARGIN - step.position.y * READABLE_ZOOM,
  };
}
