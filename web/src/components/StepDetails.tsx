import type { ReactNode } from 'react';
import type { EffectiveProcedure, Runbook } from '../types';
import { KindBadge, ProvenanceBadge } from './Badges';
import { Markdown } from './Markdown';

/** An automation object, shown as what runs and with which input. */
export function Automation({ automation }: { automation: unknown }) {
  if (automation == null) {
    return <p className="muted">This step is automated, but no automation is configured.</p>;
  }
  const obj = typeof automation === 'object' ? (automation as Record<string, unknown>) : {};
  const executor = typeof obj.executor === 'string' ? obj.executor : null;
  return (
    <div className="automation" aria-label="Automation">
      <div>
        <span className="badge kind kind-automated">⚙ Automated</span>{' '}
        {executor ? (
          <>
            executor <code>{executor}</code>
          </>
        ) : null}
      </div>
      <details>
        <summary>Automation input</summary>
        <pre className="code">{JSON.stringify(automation, null, 2)}</pre>
      </details>
    </div>
  );
}

/** One step of a runbook: what to do, and where each answer leads. */
export function StepDetails({
  step,
  runbook,
  onSelect,
  showProvenance = false,
  actions,
}: {
  step: EffectiveProcedure;
  runbook: Pick<Runbook, 'procedures' | 'entry'>;
  onSelect: (key: string) => void;
  showProvenance?: boolean;
  actions?: ReactNode;
}) {
  const titles = new Map(runbook.procedures.map((p) => [p.key, p.title]));
  return (
    <article className="step-details" aria-labelledby="step-title">
      <div className="step-details-head">
        <KindBadge kind={step.kind} />
        {runbook.entry === step.key ? <span className="badge entry-badge">Entry</span> : null}
        {showProvenance ? <ProvenanceBadge provenance={step.provenance} origin={step.origin.id} /> : null}
      </div>
      <h2 id="step-title">{step.title}</h2>
      <div className="muted mono small">{step.key}</div>
      {showProvenance ? (
        <p className="small">
          Defined by {step.layers.map((l) => l.id).join(' → ')}
          {step.layers.length > 1 ? ' (general first; later layers override earlier ones field by field)' : ''}.
        </p>
      ) : null}
      {actions ? <div className="actions">{actions}</div> : null}
      <Markdown text={step.body} />
      {step.kind === 'AUTOMATED' ? <Automation automation={step.automation} /> : null}
      {step.tags.length ? (
        <div className="tags" aria-label="Tags">
          {step.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </div>
      ) : null}
      <h3>Next</h3>
      {step.next.length === 0 ? (
        <p className="muted">
          {step.kind === 'RESOLUTION'
            ? 'Resolved: nothing more to do.'
            : step.kind === 'ESCALATION'
              ? 'Hand over to the people named here.'
              : 'No branch leads on from this step.'}
        </p>
      ) : (
        <ul className="next-list">
          {step.next.map((b) => (
            <li key={b.label}>
              <button type="button" className="next" onClick={() => onSelect(b.to)}>
                <span className="next-label">{b.label}</span>
                <span className="next-to">→ {titles.get(b.to) ?? b.to}</span>
                {b.condition ? <span className="next-cond">when {b.condition}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
