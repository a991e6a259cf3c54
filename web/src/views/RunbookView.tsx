import { lazy } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { RunbookQuery } from '../queries';
import { Empty, ErrorState, LazyPart, Loading } from '../components/States';
import { TreeToggle } from '../components/TreeToggle';
import { StepDetails } from '../components/StepDetails';
import { StepList } from '../components/StepList';
import { ExecutionsPanel } from './ExecutionsView';
import type { Runbook } from '../types';

const RunbookGraph = lazy(() => import('../components/RunbookGraph'));

export function Contacts({ contacts }: { contacts: Runbook['contacts'] }) {
  if (contacts.length === 0) return <p className="muted">No escalation contacts in this service’s lineage.</p>;
  return (
    <ul className="contacts">
      {contacts.map((c) => (
        <li key={c.name}>
          <strong>{c.name}</strong>
          {c.phone ? (
            <>
              {' '}
              · <a href={`tel:${c.phone}`}>{c.phone}</a>
            </>
          ) : null}
          {c.email ? (
            <>
              {' '}
              · <a href={`mailto:${c.email}`}>{c.email}</a>
            </>
          ) : null}
          {c.chat ? <> · {c.chat}</> : null}
        </li>
      ))}
    </ul>
  );
}

export function Warnings({ warnings }: { warnings: Runbook['warnings'] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="callout callout-warn" role="note" aria-label="Warnings">
      <strong>
        {warnings.length} warning{warnings.length > 1 ? 's' : ''}
      </strong>
      <ul>
        {warnings.map((w, i) => (
          <li key={i} data-code={w.code}>
            {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** On call: a service's runbook for an error code, as a graph with the entry highlighted. */
export default function RunbookView() {
  const { serviceId = '', errorCode } = useParams();
  const [search, setSearch] = useSearchParams();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: RunbookQuery,
    variables: { serviceId, errorCode: errorCode ?? null },
  });
  const runbook = data?.runbook;
  const selectedKey = search.get('step') ?? runbook?.entry ?? runbook?.procedures[0]?.key ?? null;
  const select = (key: string) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('step', key);
        return next;
      },
      { replace: true },
    );
  const step = runbook?.procedures.find((p) => p.key === selectedKey) ?? null;
  const ec = runbook?.errorCode;

  return (
    <div className="page runbook-page">
      <header className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/">On call</Link> / runbook
          </p>
          <h1>
            {errorCode ? <span className="code-chip">{errorCode}</span> : null}{' '}
            <span className="mono service-id">{serviceId}</span>
          </h1>
          {ec ? (
            <p className="error-summary">
              {ec.statusCode ? <span className="badge">HTTP {ec.statusCode}</span> : null}{' '}
              {ec.severity ? <span className={`badge sev sev-${ec.severity.toLowerCase()}`}>{ec.severity}</span> : null}{' '}
              <strong>{ec.message}</strong> {ec.description ? <span>— {ec.description}</span> : null}
            </p>
          ) : errorCode && runbook ? (
            <p className="muted">
              {errorCode} is not registered by any scope of this service; the default runbook (<code>*</code>) applies.
            </p>
          ) : null}
        </div>
        <div className="actions">
          <Link to={`/scopes/${encodeURIComponent(serviceId)}/effective`}>Provenance &amp; edit</Link>
          {errorCode ? <Link to={`/runbook/${encodeURIComponent(serviceId)}`}>Whole runbook</Link> : null}
        </div>
      </header>

      {fetching && !data ? <Loading label="Loading the runbook…" /> : null}
      {error ? (
        <ErrorState
          error={error}
          retry={() => refetch({ requestPolicy: 'network-only' })}
          title={`No runbook for ${serviceId}${errorCode ? ` and ${errorCode}` : ''}.`}
        />
      ) : null}

      {runbook ? (
        <>
          <Warnings warnings={runbook.warnings} />
          {runbook.procedures.length === 0 ? (
            <Empty title="This runbook has no steps.">
              No procedure is effective for this service{errorCode ? ' and error code' : ''}.
            </Empty>
          ) : (
            <div className="runbook-layout">
              <section className="graph-pane" aria-label="Decision tree">
                <TreeToggle>
                  <LazyPart what="The tree" label="Drawing the tree…">
                    <RunbookGraph
                      runbook={runbook}
                      selected={selectedKey}
                      onSelect={select}
                      label={`Decision tree of ${serviceId}${errorCode ? ` for ${errorCode}` : ''}`}
                    />
                  </LazyPart>
                </TreeToggle>
                <details className="step-list-box" open>
                  <summary>Steps ({runbook.procedures.length})</summary>
                  <StepList runbook={runbook} selected={selectedKey} onSelect={select} />
                </details>
              </section>
              <aside className="detail-pane" aria-label="Selected step">
                {step ? <StepDetails step={step} runbook={runbook} onSelect={select} /> : null}
                <section className="card" aria-labelledby="contacts-title">
                  <h3 id="contacts-title">Escalation contacts</h3>
                  <Contacts contacts={runbook.contacts} />
                </section>
                <ExecutionsPanel serviceId={serviceId} errorCode={errorCode ?? null} />
                <section className="card small" aria-label="Lineage">
                  <h3>Lineage</h3>
                  <p>
                    {runbook.lineage.map((s, i) => (
                      <span key={s.id}>
                        {i > 0 ? ' › ' : ''}
                        <Link to={`/scopes/${encodeURIComponent(s.id)}`}>{s.id}</Link>
                      </span>
                    ))}
                  </p>
                </section>
              </aside>
            </div>
          )}
        </>
      ) : null}
    </div>
  );
}
