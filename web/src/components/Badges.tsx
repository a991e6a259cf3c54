import type { ExecutionStatus, ProcedureKind, Provenance } from '../types';

const KIND_LABEL: Record<ProcedureKind, string> = {
  STEP: 'Step',
  DECISION: 'Decision',
  AUTOMATED: 'Automated',
  RESOLUTION: 'Resolution',
  ESCALATION: 'Escalation',
};

const KIND_ICON: Record<ProcedureKind, string> = {
  STEP: '●',
  DECISION: '◆',
  AUTOMATED: '⚙',
  RESOLUTION: '✓',
  ESCALATION: '⚑',
};

export function KindBadge({ kind }: { kind: ProcedureKind }) {
  return (
    <span className={`badge kind kind-${kind.toLowerCase()}`}>
      <span aria-hidden="true">{KIND_ICON[kind]}</span> {KIND_LABEL[kind]}
    </span>
  );
}

export function ProvenanceBadge({ provenance, origin }: { provenance: Provenance; origin?: string }) {
  return (
    <span className={`badge prov prov-${provenance.toLowerCase()}`} title={origin ? `origin: ${origin}` : undefined}>
      {provenance.toLowerCase()}
      {origin ? <span className="badge-origin"> · {origin}</span> : null}
    </span>
  );
}

export function ScopeKindBadge({ kind }: { kind: string }) {
  return <span className={`badge scope-kind scope-${kind.toLowerCase()}`}>{kind.toLowerCase().replace(/_/g, ' ')}</span>;
}

/** An execution's status as a coloured badge. */
export function StatusBadge({ status }: { status: ExecutionStatus }) {
  return <span className={`badge exec-status status-${status.toLowerCase()}`}>{status.toLowerCase().replace('_', ' ')}</span>;
}
