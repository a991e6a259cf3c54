import { Link, useParams } from 'react-router';
import { useCapabilities } from '../lib/capabilities';
import { Loading } from '../components/States';

/*
 * Executions (start or join a run of a runbook, complete steps, choose
 * branches, notes, live updates over the GraphQL subscription) are being
 * built on the server. Until the server's schema offers them, this is a
 * placeholder that says so; it detects them by introspection, so a server
 * that has them is told apart from one that does not.
 */

function Message({ state }: { state: 'available' | 'unavailable' | 'unknown' }) {
  if (state === 'available') {
    return (
      <p>
        This server offers executions, but this version of the web app has no views for them yet. Use{' '}
        <a href="/graphiql">GraphiQL</a> meanwhile.
      </p>
    );
  }
  if (state === 'unknown') {
    return <p>Whether this server offers executions could not be found out (its schema introspection is off).</p>;
  }
  return <p>Executions are not available on this server.</p>;
}

/** The placeholder beside a runbook. */
export function ExecutionsPanel({ serviceId, errorCode }: { serviceId: string; errorCode: string | null }) {
  const caps = useCapabilities();
  return (
    <section className="card executions-panel" aria-labelledby="executions-title" data-executions={caps.executions}>
      <h3 id="executions-title">Executions</h3>
      {caps.fetching ? (
        <Loading label="Checking the server…" />
      ) : (
        <>
          <Message state={caps.executions} />
          <p className="muted small">
            Follow the steps above by hand for {serviceId}
            {errorCode ? ` / ${errorCode}` : ''}.
          </p>
        </>
      )}
    </section>
  );
}

/** `/executions` and `/executions/{id}`. */
export function ExecutionsView() {
  const { id } = useParams();
  const caps = useCapabilities();
  return (
    <div className="page">
      <h1>Executions{id ? ` / ${id}` : ''}</h1>
      <div className="card executions-panel" data-executions={caps.executions}>
        {caps.fetching ? <Loading label="Checking the server…" /> : <Message state={caps.executions} />}
        <p>
          Open a runbook from <Link to="/">On call</Link> to work through its steps.
        </p>
      </div>
    </div>
  );
}
