import { Link } from 'react-router';
import type { WriteResult } from '../types';

function Parts({ sign, label, parts }: { sign: string; label: string; parts: { kind: string; key: string }[] }) {
  if (parts.length === 0) return null;
  return (
    <div className={`impact-parts impact-${label}`}>
      <span className="impact-label">
        <span aria-hidden="true">{sign}</span> {label}
      </span>{' '}
      {parts.map((p) => (
        <span key={`${p.kind}:${p.key}`} className="part">
          <span className="part-kind">{p.kind.toLowerCase()}</span> <code>{p.key}</code>
        </span>
      ))}
    </div>
  );
}

/** What a write did or would do: the services it reaches, and how. */
export function ImpactView({ result }: { result: WriteResult }) {
  const impact = result.impact;
  return (
    <section className={`impact card ${result.dryRun ? 'is-preview' : 'is-saved'}`} aria-label="Impact" aria-live="polite">
      <h3>
        {result.dryRun
          ? 'Preview — nothing is written yet'
          : result.changeId
            ? `Saved as change #${result.changeId}`
            : 'Nothing changed'}
      </h3>
      {result.changes.length ? (
        <p className="small">
          Objects {result.dryRun ? 'to change' : 'changed'}:{' '}
          {result.changes.map((c) => (
            <code key={`${c.scopeId}:${c.kind}:${c.key}`} className="part">
              {c.scopeId} {c.kind.toLowerCase()} {c.key}
            </code>
          ))}
        </p>
      ) : null}
      {impact.length === 0 ? (
        <p className="impact-none">No service’s effective runbook changes.</p>
      ) : (
        <>
          <p>
            <strong>
              {impact.length} service{impact.length > 1 ? 's' : ''}
            </strong>{' '}
            {result.dryRun ? 'would see' : 'see'} a different runbook:
          </p>
          <ul className="impact-list">
            {impact.map((i) => (
              <li key={i.serviceId} className="impact-service" data-service={i.serviceId}>
                <Link to={`/scopes/${encodeURIComponent(i.serviceId)}/effective`} className="mono">
                  {i.serviceId}
                </Link>
                <Parts sign="+" label="added" parts={i.added} />
                <Parts sign="−" label="removed" parts={i.removed} />
                <Parts sign="~" label="changed" parts={i.changed} />
                {i.newWarnings.length ? (
                  <ul className="impact-warnings">
                    {i.newWarnings.map((w, n) => (
                      <li key={n}>
                        <span className="badge badge-warn">{w.code}</span> {w.message}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {result.warnings.length ? (
        <div className="callout callout-warn">
          <strong>Warnings this change causes (they do not refuse it)</strong>
          <ul>
            {result.warnings.map((w, n) => (
              <li key={n}>
                <code>{w.code}</code> {w.scopeId}
                {w.key ? ` ${w.key}` : ''}: {w.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
