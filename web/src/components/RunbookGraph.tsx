import {
  Background,
  BaseEdge,
  getBezierPath,
  type EdgeProps,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  buildGraph,
  initialView,
  MAX_ZOOM,
  NODE_HEIGHT,
  NODE_WIDTH,
  READABLE_ZOOM,
  routedPath,
  type BranchEdge,
  type StepNode,
} from '../lib/graph';
import { useTheme } from './ThemeToggle';
import type { Runbook } from '../types';

const KIND_ICON: Record<string, string> = {
  STEP: '●',
  DECISION: '◆',
  AUTOMATED: '⚙',
  RESOLUTION: '✓',
  ESCALATION: '⚑',
};

const StepNodeView = memo(function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  return (
    <div className={`step-card${selected ? ' is-selected' : ''}`} data-key={data.key} data-provenance={data.provenance}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="step-top">
        <span className={`step-kind kind-${data.kind.toLowerCase()}`}>
          <span aria-hidden="true">{KIND_ICON[data.kind]}</span> {data.kind.toLowerCase()}
        </span>
        {data.entry ? <span className="step-entry">entry</span> : null}
        {data.automated ? <span className="step-auto" title="Carried out by automation">automated</span> : null}
      </div>
      <div className="step-title">{data.title}</div>
      {data.colourBy === 'provenance' ? (
        <div className="step-prov">
          {data.provenance.toLowerCase()} · {data.origin}
        </div>
      ) : (
        <div className="step-key">{data.key}</div>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

/** A branch drawn along the route dagre laid out, its label where dagre left room. */
function RoutedEdgeView(props: EdgeProps<BranchEdge>) {
  const { id, data, markerEnd, label, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const points = data?.points ?? [];
  const [fallback, fx, fy] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const path = points.length >= 2 ? routedPath(points) : fallback;
  const title = data?.origin ? `${data.label}: ${data.provenance.toLowerCase()}, origin ${data.origin}` : data?.label;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        label={label}
        labelX={data?.labelX ?? fx}
        labelY={data?.labelY ?? fy}
        labelBgPadding={[4, 2]}
        labelBgBorderRadius={3}
        labelShowBg
      />
      {/* A hover tooltip with the branch's provenance and origin scope. */}
      <path d={path} className="edge-hover" fill="none" stroke="transparent" strokeWidth={14}>
        <title>{title}</title>
      </path>
    </>
  );
}

const nodeTypes = { step: StepNodeView };
const edgeTypes = { routed: RoutedEdgeView };

export interface RunbookGraphProps {
  runbook: Pick<Runbook, 'procedures' | 'branches' | 'entry'>;
  colourBy?: 'provenance' | 'kind';
  selected?: string | null;
  onSelect?: (key: string) => void;
  /** An accessible name for the graph region. */
  label: string;
  /** More classes for some nodes, by key. */
  classes?: Record<string, string>;
}

function Graph({ runbook, colourBy = 'kind', selected, onSelect, label, classes }: RunbookGraphProps) {
  const { theme } = useTheme();
  const { nodes, edges, width, height } = useMemo(
    () => buildGraph(runbook, { colourBy, classes }),
    [runbook, colourBy, classes],
  );
  const shown = useMemo(() => nodes.map((n) => ({ ...n, selected: n.id === selected })), [nodes, selected]);
  const styledEdges = useMemo(
    () =>
      edges.map((e) => ({
        ...e,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        selected: false,
        // The answers of the selected step stand out (no animation: dashes mean "overridden").
        className: e.source === selected ? `${e.className} from-selected` : e.className,
      })),
    [edges, selected],
  );
  const flow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const chosen = useRef(selected);
  chosen.current = selected;
  // Whether the first view is set (for tests and tools that read the tree).
  const [viewSet, setViewSet] = useState(false);
  // The first view: the whole tree when it is readable so, else the selected
  // step (or the entry) and the steps it leads to, else that step alone at
  // the smallest readable zoom. The user zooms out from there.
  const start = useCallback(() => {
    const el = canvas.current;
    const target = nodes.find((n) => n.id === chosen.current) ?? nodes.find((n) => n.data.entry) ?? nodes[0];
    if (!el || !target) return;
    const view = initialView(nodes, edges, target.id, { width, height }, { width: el.clientWidth, height: el.clientHeight });
    void flow.setViewport(view).then(() => setViewSet(true));
  }, [nodes, edges, width, height, flow]);
  // Refit when the tree itself changes.
  useEffect(() => {
    const id = requestAnimationFrame(start);
    return () => cancelAnimationFrame(id);
  }, [start]);
  // Follow the selection: bring the selected step into view.
  useEffect(() => {
    const target = nodes.find((n) => n.id === selected);
    if (!target) return;
    const { x, y, zoom } = flow.getViewport();
    const el = canvas.current;
    const w = el?.clientWidth ?? 800;
    const h = el?.clientHeight ?? 600;
    const left = target.position.x * zoom + x;
    const top = target.position.y * zoom + y;
    const visible = left >= 0 && top >= 0 && left + NODE_WIDTH * zoom <= w && top + NODE_HEIGHT * zoom <= h;
    if (!visible) {
      void flow.setCenter(target.position.x + NODE_WIDTH / 2, target.position.y + NODE_HEIGHT / 2, {
        zoom: Math.max(zoom, READABLE_ZOOM),
        duration: 250,
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  return (
    <div
      className="graph"
      data-view={viewSet ? 'set' : 'pending'}
      role="region"
      aria-label={label}
      onKeyDown={(e) => {
        // Enter or Space on a focused step selects it (the nodes are focusable).
        const target = e.target as HTMLElement;
        if ((e.key === 'Enter' || e.key === ' ') && target.classList.contains('react-flow__node')) {
          const id = target.getAttribute('data-id');
          if (id) {
            e.preventDefault();
            onSelect?.(id);
          }
        }
      }}
    >
      {/* Outside the canvas, so that they never cover a step. */}
      <div className="graph-tools" role="toolbar" aria-label="Zoom the tree">
        <button type="button" onClick={() => void flow.zoomIn({ duration: 150 })} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => void flow.zoomOut({ duration: 150 })} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => void flow.fitView({ padding: 0.04, minZoom: 0.15, duration: 200 })}>
          Whole tree
        </button>
        <button type="button" onClick={start}>
          Reset view
        </button>
      </div>
      <div className="graph-canvas" ref={canvas}>
        <ReactFlow
          nodes={shown}
          edges={styledEdges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          nodesFocusable
          edgesFocusable={false}
          onNodeClick={(_, node) => onSelect?.(node.id)}
          minZoom={0.15}
          maxZoom={MAX_ZOOM}
          proOptions={{ hideAttribution: true }}
          colorMode={theme}
        >
          <Background gap={20} size={1} />
        </ReactFlow>
      </div>
    </div>
  );
}

/** A runbook's decision tree, laid out by dagre and drawn by React Flow. */
export default function RunbookGraph(props: RunbookGraphProps) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}
