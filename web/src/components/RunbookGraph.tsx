import {
  Background,
  BaseEdge,
  getBezierPath,
  type EdgeProps,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo } from 'react';
import { buildGraph, routedPath, type BranchEdge, type StepNode } from '../lib/graph';
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
  return (
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
}

function Graph({ runbook, colourBy = 'kind', selected, onSelect, label }: RunbookGraphProps) {
  const { theme } = useTheme();
  const { nodes, edges } = useMemo(() => buildGraph(runbook, { colourBy }), [runbook, colourBy]);
  const shown = useMemo(() => nodes.map((n) => ({ ...n, selected: n.id === selected })), [nodes, selected]);
  const styledEdges = useMemo(
    () =>
      edges.map((e) => ({
        ...e,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        selected: false,
        animated: e.source === selected,
      })),
    [edges, selected],
  );
  const flow = useReactFlow();
  // Refit when the tree itself changes (another service, code or edit).
  useEffect(() => {
    const id = requestAnimationFrame(() => flow.fitView({ padding: 0.15, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(id);
  }, [nodes, flow]);

  return (
    <div className="graph" role="region" aria-label={label}>
      <ReactFlow
        nodes={shown}
        edges={styledEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        nodesFocusable
        edgesFocusable={false}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        onSelectionChange={({ nodes: picked }) => {
          const first = picked[0];
          if (first && first.id !== selected) onSelect?.(first.id);
        }}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
        minZoom={0.15}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        colorMode={theme}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
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
