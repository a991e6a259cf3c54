import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { ExecutionsQuery, ServicesQuery } from '../queries';
import { useCapabilities } from '../lib/capabilities';
import { StatusBadge } from '../components/Badges';
import { FINISHED } from '../lib/executions';
import { Empty, ErrorState, Loading } from '../components/States';
import { HostPicker } from '../components/HostPicker';
import { SearchBox, useSearch } from '../components/SearchBox';

const CODE = /^[A-Z]{3}[0-9]{5}$/;

/** Where the runbook of a service (and an error code) lives. */
export function runbookPath(serviceId: string, errorCode?: string | null): string {
  const base = `/runbook/${encodeURIComponent(serviceId)}`;
  return errorCode ? `${base}/${encodeURIComponent(errorCode)}` : base;
}

/** On call: find the runbook by service and error code. */
export function Home() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ServicesQuery });
  const navigate = useNavigate();
  const [service, setService] = useState('');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<{ service?: string; code?: string }>({});
  const services = data?.scopes.nodes ?? [];
  const more = Boolean(data?.scopes.pageInfo.hasNextPage);
  const suggested = useSearch(service, 10).hits.filter((h) => h.node.kind === 'SCOPE' && h.node.scopeKind === 'SERVICE');
  const caps = useCapabilities();
  const [executions] = useQuery({
    query: ExecutionsQuery,
    variables: { serviceId: null, status: null, after: null },
    pause: caps.executions !== 'available',
  });
  const open = (executions.data?.executions.nodes ?? []).filter((e) => !FINISHED.includes(e.status)).slice(0, 10);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const s = service.trim();
    const c = code.trim().toUpperCase();
    const next: typeof problem = {};
    if (!s) next.service = 'Which service is alerting? Its light-4j serviceId, e.g. com.acme.payments.ledger-1.0.0.';
    if (c && !CODE.test(c)) next.code = 'An error code is three capital letters and five digits, e.g. ERR10001.';
    setProblem(next);
    if (next.service || next.code) return;
    navigate(runbookPath(s, c || null));
  };

  return (
    <div className="page home">
      <h1>What is failing?</h1>
      <p className="lead">
        Open the runbook for a service and an error code: the decision tree, what to do at each step, who to call.
      </p>
      <form className="card search" onSubmit={submit} noValidate aria-label="Find a runbook">
        <div className="field">
          <label htmlFor="service">Service</label>
          <input
            id="service"
            name="service"
            list="services"
            autoComplete="off"
            spellCheck={false}
            placeholder="com.acme.payments.ledger-1.0.0"
            value={service}
            onChange={(e) => setService(e.target.value)}
            aria-invalid={problem.service ? true : undefined}
            aria-describedby={problem.service ? 'service-error' : undefined}
          />
          <datalist id="services">
            {suggested.map(({ node }) => (
              <option key={node.scopeId} value={node.scopeId}>
                {node.title.map((p) => p.text).join('')}
              </option>
            ))}
          </datalist>
          {problem.service ? (
            <p className="field-error" id="service-error">
              {problem.service}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="code">
            Error code <span className="muted">(optional)</span>
          </label>
          <input
            id="code"
            name="code"
            autoComplete="off"
            spellCheck={false}
            placeholder="ERR10001"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={problem.code ? true : undefined}
            aria-describedby={problem.code ? 'code-error' : undefined}
          />
          {problem.code ? (
            <p className="field-error" id="code-error">
              {problem.code}
            </p>
          ) : null}
        </div>
        <button type="submit" className="primary">
          Open runbook
        </button>
      </form>
      <HostPicker />
      <SearchBox />

      {open.length ? (
        <section aria-labelledby="open-executions-title" className="card">
          <h2 id="open-executions-title">Open executions</h2>
          <ul className="open-executions">
            {open.map((e) => (
              <li key={e.id}>
                <Link to={`/executions/${encodeURIComponent(e.id)}`}>
                  <span className="mono">{e.serviceId}</span> {e.errorCode}
                </Link>{' '}
                <StatusBadge status={e.status} /> <span className="muted small">at {e.current?.title ?? '—'}</span>
              </li>
            ))}
          </ul>
          <Link to="/executions">All executions</Link>
        </section>
      ) : null}

      <section aria-labelledby="services-title">
        <h2 id="services-title">Services</h2>
        {more ? (
          <p className="muted small">
            The first {services.length} services by id; search above for any other.
          </p>
        ) : null}
        {fetching && !data ? <Loading label="Loading services…" /> : null}
        {error ? <ErrorState error={error} retry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
        {data && services.length === 0 ? (
          <Empty title="No services yet.">
            Import runbooks with <code>light-runbook import</code>, or create a service scope under{' '}
            <Link to="/scopes">Scopes</Link>.
          </Empty>
        ) : null}
        <ul className="service-list">
          {services.map((s) => (
            <li key={s.id} className="card">
              <div>
                <strong>{s.name}</strong>
                <div className="muted mono small">{s.id}</div>
              </div>
              <div className="actions">
                <Link to={runbookPath(s.id)}>Runbook</Link>
                <Link to={`/scopes/${encodeURIComponent(s.id)}/effective`}>Provenance &amp; edit</Link>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
