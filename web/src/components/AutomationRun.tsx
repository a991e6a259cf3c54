import { duration, failed, when, type AutomationRun } from '../lib/executions';

const OUTCOME_WORDS: Record<string, string> = {
  success: 'Succeeded',
  failure: 'Failed',
  timeout: 'Timed out',
  unavailable: 'Could not run',
};

/** How the last run of an automated step went: outcome, why, what was sent, what came back. */
export function AutomationRunCard({ run }: { run: AutomationRun }) {
  const bad = failed(run);
  const headline = run.outcome ? (OUTCOME_WORDS[run.outcome] ?? run.outcome) : 'Running';
  const headers = run.request ? Object.entries(run.request.headers) : [];
  return (
    <section
      className={`card automation-run ${bad ? 'automation-run-failed' : ''}`}
      aria-labelledby="automation-run-title"
      data-outcome={run.outcome ?? 'running'}
    >
      <h3 id="automation-run-title">
        {bad ? 'Step failed: ' : 'Automation: '}
        <span className={`badge ${bad ? 'badge-danger' : ''}`}>{headline}</span>
      </h3>
      {run.error ? <p className="automation-error">{run.error}</p> : null}
      <dl className="facts">
        {run.httpStatus !== null ? (
          <>
            <dt>HTTP status</dt>
            <dd>{run.httpStatus}</dd>
          </>
        ) : null}
        <dt>Attempts</dt>
        <dd>{run.attempts}</dd>
        {run.durationMs !== null ? (
          <>
            <dt>Took</dt>
            <dd>{duration(run.durationMs)}</dd>
          </>
        ) : null}
        {run.executor ? (
          <>
            <dt>Executor</dt>
            <dd className="mono">{run.executor}</dd>
          </>
        ) : null}
        <dt>Started</dt>
        <dd>{when(run.startedAt)}</dd>
        {run.retriedBy ? (
          <>
            <dt>Retried by</dt>
            <dd>{run.retriedBy}</dd>
          </>
        ) : null}
      </dl>
      {run.request ? (
        <details>
          <summary className="small">
            Request: <span className="mono">{run.request.method} {run.request.url}</span>
          </summary>
          {headers.length ? (
            <ul className="small mono">
              {headers.map(([name, value]) => (
                <li key={name}>
                  {name}: {value}
                </li>
              ))}
            </ul>
          ) : null}
          {run.request.body != null ? <pre className="code">{JSON.stringify(run.request.body, null, 2)}</pre> : null}
        </details>
      ) : null}
      {run.output != null ? (
        <details>
          <summary className="small">Output</summary>
          <pre className="code">{JSON.stringify(run.output, null, 2)}</pre>
        </details>
      ) : null}
    </section>
  );
}
