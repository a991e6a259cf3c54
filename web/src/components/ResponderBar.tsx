import { useState } from 'react';
import { useClient, type AnyVariables, type TypedDocumentNode } from 'urql';
import { ErrorDetails } from './States';
import { mapError, type MappedError } from '../lib/errors';
import { FINISHED, openFor, when } from '../lib/executions';
import { AcknowledgeExecution, HandOffExecution } from '../queries';
import type { ExecutionData } from '../types';

type Move = TypedDocumentNode<{ execution: unknown }, AnyVariables>;

/** Who answers for the execution: acknowledge it, or hand it to someone else. */
export function ResponderBar({ exec, onMoved, offline }: { exec: ExecutionData; onMoved: () => void; offline: boolean }) {
  const client = useClient();
  const [to, setTo] = useState('');
  const [working, setBusy] = useState(false);
  const busy = working || offline;
  const [error, setError] = useState<MappedError | null>(null);
  const open = !FINISHED.includes(exec.status);
  const move = async (doc: Move, variables: Record<string, unknown>) => {
    setBusy(true);
    const answer = await client.mutation(doc, { id: exec.id, ...variables }).toPromise();
    setBusy(false);
    const mapped = mapError(answer.error, { fields: ['to'] });
    setError(mapped);
    if (!mapped) setTo('');
    onMoved();
  };
  const responder = exec.responder;
  return (
    <div className={`responder${!responder && open ? ' callout callout-warn' : ''}`} aria-label="Responder">
      {responder ? (
        <span>
          Responder: <strong className="responder-uid">{responder.uid}</strong>{' '}
          <span className="muted small">
            since {when(responder.since)}
            {responder.acknowledgedAt !== responder.since ? ` · acknowledged ${when(responder.acknowledgedAt)}` : ''}
          </span>
        </span>
      ) : open ? (
        <>
          <strong className="unacknowledged">Unacknowledged</strong>
          <span className="small">{openFor(exec.startedAt, Date.now())}</span>
          <button type="button" className="primary" disabled={busy} onClick={() => void move(AcknowledgeExecution as Move, {})}>
            Acknowledge
          </button>
        </>
      ) : (
        <span className="muted small">Nobody acknowledged it.</span>
      )}
      {open ? (
        <form
          className="responder"
          onSubmit={(e) => {
            e.preventDefault();
            if (to.trim()) void move(HandOffExecution as Move, { to: to.trim() });
          }}
        >
          <label htmlFor="hand-off-to">Hand off to</label>
          <input
            id="hand-off-to"
            value={to}
            placeholder="uid"
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={error?.fields.to ? true : undefined}
          />
          <button type="submit" disabled={busy || !to.trim()}>
            Hand off
          </button>
        </form>
      ) : null}
      {error ? (
        <div className="callout callout-error" role="alert">
          <strong>{error.fields.to ?? error.summary}</strong>
          <ErrorDetails error={error} />
        </div>
      ) : null}
    </div>
  );
}
