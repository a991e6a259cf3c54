import { lazy, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useClient, useQuery } from 'urql';
import { useCapabilities } from '../lib/capabilities';
import { mapError, type MappedError } from '../lib/errors';
import { ExecutionsQuery, StartExecution } from '../queries';
import { Empty, ErrorState, LazyPart, Loading } from '../components/States';
import { StatusBadge } from '../components/Badges';
import { FINISHED, openFor, unacknowledged, unacknowledgedFirst, when, withUnacknowledgedFirst } from '../lib/executions';
import type { ExecutionStatus, ExecutionSummary } from '../types';

/*
 * Executions: one run of a service's runbook for an alert. Feature-detected
 * by introspection: on a server whose schema has no `executions`, these views
 * say that executions are not available there.
 */

const ExecutionView = lazy(() => import('./ExecutionView'));

const STATUSES: ExecutionStatus[] = ['WAITING', 'NEEDS_ATTENTION', 'RUNNING', 'RESOLVED', 'ESCALATED', 'ABORTED'];

function Unavailable({ state }: { state: 'available' | 'unavailable' | 'unknown' }) {
  if (state === 'unknown') {
    return <p>Whether this server offers executions could not be found out (its schema introspection is off).</p>;
  }
  return <p>Executions are not available on this server.</p>;
}

/** Starts an execution and opens it. */
function useStart() {
  const client = useClient();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MappedError | null>(null);
  const start = async (serviceId: string, errorCode: string, environment?: string) => {
    setBusy(true);
    const answer = await client
      .mutation(StartExecution, { serviceId, errorCode, environment: environment || null, instance: null })
      .toPromise();
    setBusy(false);
    const mapped = mapError(answer.error, { fields: ['serviceId', 'errorCode', 'environment'] });
    setError(mapped);
    if (answer.data?.execution) navigate(`/executions/${encodeURIComponent(answer.data.execution.id)}`);
  };
  return { start, busy, error };
}

/** The executions of a page, open ones nobody has acknowledged first. */
function ExecutionRows({ rows }: { rows: ExecutionSummary[] }) {
  const now = Date.now();
  return (
    <div className="table-wrap">
      <table className="layers executions-table">
        <thead>
          <tr>
            <th scope="col">Execution</th>
            <th scope="col">Service / code</th>
            <th scope="col">Status</th>
            <th scope="col">At</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {unacknowledgedFirst(rows).map((e) => (
            <tr key={e.id} data-execution={e.id} data-acknowledged={unacknowledged(e) ? 'no' : 'yes'}>
              <td>
                <Link to={`/executions/${encodeURIComponent(e.id)}`} className="mono">
                  {e.id}
                </Link>
              </td>
              <td>
                <span className="mono small">{e.serviceId}</span> <span className="code-chip small">{e.errorCode}</span>
                {e.environment ? <span className="muted small"> · {e.environment}</span> : null}
              </td>
              <td>
                <StatusBadge status={e.status} />
                {e.awaiting ? <div className="muted small">{e.awaiting.toLowerCase().replace('_', ' ')}</div> : null}
                {unacknowledged(e) ? (
                  <div className="small unacknowledged">{openFor(e.startedAt, now)}, unacknowledged</div>
                ) : e.responder && !FINISHED.includes(e.status) ? (
                  <div className="muted small">
                    {openFor(e.startedAt, now)}, {e.responder.uid}
                  </div>
                ) : null}
              </td>
              <td>{e.current?.title ?? ''}</td>
              <td className="small">
                {when(e.startedAt)}
                <div className="muted">
                  by {e.startedBy}
                  {e.alertCount > 1 ? ` · ${e.alertCount} alerts` : ''}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Beside a runbook: its open executions, and starting one. */
export function ExecutionsPanel({ serviceId, errorCode }: { serviceId: string; errorCode: string | null }) {
  const caps = useCapabilities();
  const available = caps.executions === 'available';
  const [{ data, fetching, error }] = useQuery({
    query: ExecutionsQuery,
    variables: { serviceId, status: null, after: null },
    pause: !available,
    requestPolicy: 'cache-and-network',
  });
  const { start, busy, error: startError } = useStart();
  const open = (data?.executions.nodes ?? []).filter(
    (e) => !FINISHED.includes(e.status) && (!errorCode || e.errorCode === errorCode),
  );
  return (
    <section className="card executions-panel" aria-labelledby="executions-title" data-executions={caps.executions}>
      <h3 id="executions-title">Executions</h3>
      {caps.fetching ? <Loading label="Checking the server…" /> : null}
      {!caps.fetching && !available ? (
        <>
          <Unavailable state={caps.executions} />
          <p className="muted small">
            Follow the steps by hand for {serviceId}
            {errorCode ? ` / ${errorCode}` : ''}.
          </p>
        </>
      ) : null}
      {available ? (
        <>
          {fetching && !data ? <Loading label="Loading executions…" /> : null}
          {error ? <ErrorState error={error} /> : null}
          {data && open.length === 0 ? <p className="muted">No open execution{errorCode ? ` for ${errorCode}` : ''}.</p> : null}
          {open.length ? (
            <ul className="open-executions">
              {open.map((e) => (
                <li key={e.id}>
                  <Link to={`/executions/${encodeURIComponent(e.id)}`}>Join {e.id}</Link> <StatusBadge status={e.status} />{' '}
                  <span className="muted small">
                    {e.errorCode} · at {e.current?.title ?? '—'}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {errorCode ? (
            <button type="button" className="primary" disabled={busy} onClick={() => void start(serviceId, errorCode)}>
              {busy ? 'Starting…' : `Start an execution for ${errorCode}`}
            </button>
          ) : (
            <p className="muted small">Open the runbook of an error code to start an execution.</p>
          )}
          {startError ? <ErrorState mapped={startError} /> : null}
        </>
      ) : null}
    </section>
  );
}

function ExecutionList() {
  const caps = useCapabilities();
  const available = caps.executions === 'available';
  const [status, setStatus] = useState<ExecutionStatus | ''>('');
  const [service, setService] = useState('');
  const [after, setAfter] = useState<string | null>(null);
  const [onlyUnacknowledged, setOnlyUnacknowledged] = useState(false);
  const serviceId = service.trim() || null;
  const [{ data, fetching, error }, refetchPage] = useQuery({
    query: ExecutionsQuery,
    variables: { serviceId, status: status || null, unacknowledged: onlyUnacknowledged, after },
    pause: !available,
    requestPolicy: 'cache-and-network',
  });
  // Every open execution nobody answers for comes first, whichever page of
  // the others is shown: the server finds them, not the loaded page.
  const waitingWanted = available && !status && !onlyUnacknowledged;
  const [waiting, refetchWaiting] = useQuery({
    query: ExecutionsQuery,
    variables: { serviceId, status: null, unacknowledged: true, after: null },
    pause: !waitingWanted,
    requestPolicy: 'cache-and-network',
  });
  const refetch = () => {
    refetchPage({ requestPolicy: 'network-only' });
    if (waitingWanted) refetchWaiting({ requestPolicy: 'network-only' });
  };
  const { start, busy, error: startError } = useStart();
  const [form, setForm] = useState({ serviceId: '', errorCode: '', environment: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void start(form.serviceId.trim(), form.errorCode.trim().toUpperCase(), form.environment.trim());
  };
  const waitingRows = waitingWanted ? (waiting.data?.executions.nodes ?? []) : [];
  const rows = withUnacknowledgedFirst(waitingRows, data?.executions.nodes ?? []);
  const moreWaiting = waitingWanted && waiting.data?.executions.pageInfo.hasNextPage;

  return (
    <div className="page">
      <h1>Executions</h1>
      {caps.fetching ? <Loading label="Checking the server…" /> : null}
      {!caps.fetching && !available ? (
        <div className="card executions-panel" data-executions={caps.executions}>
          <Unavailable state={caps.executions} />
          <p>
            Open a runbook from <Link to="/">On call</Link> to work through its steps.
          </p>
        </div>
      ) : null}
      {available ? (
        <>
          <p className="lead">
            Runs of a service’s runbook for an alert: alerts start them, automation and checkable conditions move them on,
            people do the rest.
          </p>
          <form className="card search" onSubmit={submit} aria-label="Start an execution">
            <div className="field">
              <label htmlFor="start-service">Service</label>
              <input
                id="start-service"
                value={form.serviceId}
                onChange={(e) => setForm({ ...form, serviceId: e.target.value })}
                placeholder="com.acme.payments.ledger-1.0.0"
                spellCheck={false}
              />
              {startError?.fields.serviceId ? <p className="field-error">{startError.fields.serviceId}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="start-code">Error code</label>
              <input
                id="start-code"
                value={form.errorCode}
                onChange={(e) => setForm({ ...form, errorCode: e.target.value })}
                placeholder="ERR10001"
                spellCheck={false}
              />
              {startError?.fields.errorCode ? <p className="field-error">{startError.fields.errorCode}</p> : null}
            </div>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Starting…' : 'Start'}
            </button>
          </form>
          {startError && !Object.keys(startError.fields).length ? <ErrorState mapped={startError} /> : null}
          <div className="filters">
            <div className="field inline">
              <label htmlFor="exec-status">Status</label>
              <select id="exec-status" value={status} onChange={(e) => setStatus(e.target.value as ExecutionStatus | '')}>
                <option value="">any</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s.toLowerCase().replace('_', ' ')}
                  </option>
                ))}
              </select>
            </div>
            <div className="field inline">
              <label htmlFor="exec-service">Service</label>
              <input id="exec-service" value={service} onChange={(e) => setService(e.target.value)} placeholder="serviceId" />
            </div>
            <label className="inline-check">
              <input
                type="checkbox"
                checked={onlyUnacknowledged}
                onChange={(e) => {
                  setOnlyUnacknowledged(e.target.checked);
                  setAfter(null);
                }}
              />{' '}
              Unacknowledged only
            </label>
            <button type="button" onClick={refetch}>
              Refresh
            </button>
          </div>
          {fetching && !data ? <Loading label="Loading executions…" /> : null}
          {error ? <ErrorState error={error} retry={refetch} /> : null}
          {moreWaiting ? (
            <p className="small unacknowledged" role="status">
              More than {waitingRows.length} executions are unacknowledged: the {waitingRows.length} newest are first
              below; “Unacknowledged only” lists them all.
            </p>
          ) : null}
          {data && rows.length === 0 ? (
            <Empty title="No execution.">Alerts posted to /alerts start them; so does the form above.</Empty>
          ) : null}
          {rows.length ? <ExecutionRows rows={rows} /> : null}
          {data?.executions.pageInfo.hasNextPage ? (
            <button type="button" onClick={() => setAfter(data.executions.pageInfo.endCursor ?? null)}>
              Older executions
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** `/executions` and `/executions/{id}`. */
export function ExecutionsView() {
  const { id } = useParams();
  const caps = useCapabilities();
  if (!id) return <ExecutionList />;
  if (caps.fetching) return <Loading label="Checking the server…" />;
  if (caps.executions !== 'available') {
    return (
      <div className="page">
        <h1>Execution {id}</h1>
        <div className="card executions-panel" data-executions={caps.executions}>
          <Unavailable state={caps.executions} />
        </div>
      </div>
    );
  }
  return (
    <LazyPart what="The execution">
      <ExecutionView id={id} />
    </LazyPart>
  );
}
