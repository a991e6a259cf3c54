import type { Runbook } from '../types';

/** The steps as a plain list: the keyboard's and the small screen's way through the tree. */
export function StepList({
  runbook,
  selected,
  onSelect,
  provenance = false,
}: {
  runbook: Pick<Runbook, 'procedures' | 'entry'>;
  selected: string | null;
  onSelect: (key: string) => void;
  provenance?: boolean;
}) {
  return (
    <ol className="step-list" aria-label="Steps">
      {runbook.procedures.map((p) => (
        <li key={p.key}>
          <button
            type="button"
            aria-current={p.key === selected ? 'step' : undefined}
            className={`step-list-item kind-${p.kind.toLowerCase()}${provenance ? ` prov-${p.provenance.toLowerCase()}` : ''}`}
            onClick={() => onSelect(p.key)}
          >
            <span className="step-list-title">{p.title}</span>
            <span className="step-list-meta">
              {p.key === runbook.entry ? 'entry · ' : ''}
              {p.kind.toLowerCase()}
              {provenance ? ` · ${p.provenance.toLowerCase()}` : ''}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}
