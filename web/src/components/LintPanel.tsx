import { Link } from 'react-router';
import { useQuery } from 'urql';
import { LintQuery } from '../queries';
import { ErrorState } from './States';

const WORDS: Record<string, string> = { ERROR: 'error', WARNING: 'warning', INFO: 'note' };

/**
 * What lint found in a service's whole effective runbook, for its owner:
 * each finding in words, the scope that can fix it, and the step it is
 * about (a click selects it). Open when there is an error.
 */
export function LintPanel({
  serviceId,
  steps,
  onSelect,
}: {
  serviceId: string;
  /** The runbook's procedure keys: a finding about one of them selects it. */
  steps: ReadonlySet<string>;
  onSelect: (key: string) => void;
}) {
  const [{ data, error }, refetch] = useQuery({ query: LintQuery, variables: { serviceId } });
  if (error) return <ErrorState error={error} retry={() => refetch({ requestPolicy: 'network-only' })} title="The checks could not be run." />;
  const findings = data?.lint ?? [];
  const loaded = Boolean(data);
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  const errors = count('ERROR');
  return (
    <details
      className="card lint-panel"
      open={errors > 0}
      data-state={loaded ? 'done' : 'running'}
      data-findings={findings.length}
    >
      <summary>
        Checks:{' '}
        {!loaded
          ? 'running…'
          : findings.length === 0
          ? 'nothing found'
          : `${errors} error${errors === 1 ? '' : 's'}, ${count('WARNING')} warning${count('WARNING') === 1 ? '' : 's'}, ${count('INFO')} note${count('INFO') === 1 ? '' : 's'}`}
      </summary>
      <ul className="lint-findings">
        {findings.map((f) => (
          <li key={`${f.code}:${f.scopeId}:${f.key ?? ''}`} className={`lint-${f.severity.toLowerCase()}`} data-code={f.code}>
            <span className={`badge${f.severity === 'ERROR' ? ' badge-danger' : ''}`}>{WORDS[f.severity] ?? f.severity}</span>{' '}
            {f.key && steps.has(f.key) ? (
              <button type="button" className="link" onClick={() => onSelect(f.key!)}>
                {f.message}
              </button>
            ) : (
              f.message
            )}{' '}
            <span className="muted small">
              — fix in <Link to={`/scopes/${encodeURIComponent(f.scopeId)}`}>{f.scopeId}</Link>
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
