import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery, type TypedDocumentNode } from 'urql';
import { DiffView } from '../../components/DiffView';
import { ConfirmWrite } from '../../components/Editors';
import { Empty, ErrorState, Loading } from '../../components/States';
import { HistoryQuery, Restore } from '../../queries';
import { diffObjects, summarize } from '../../lib/diff';
import type { Change, ObjectKind, WriteResult } from '../../types';

const KINDS: ObjectKind[] = ['SCOPE', 'PROCEDURE', 'BRANCH', 'ENTRY', 'ERROR_CODE'];

function when(at: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString();
}

/** Every version of a scope's objects (or of one), newest first, with diffs. */
export function HistoryTab({ scopeId, onSaved }: { scopeId: string; onSaved: (r: WriteResult) => void }) {
  const [search, setSearch] = useSearchParams();
  const kind = (search.get('kind') as ObjectKind | null) ?? null;
  const key = search.get('key') ?? '';
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: HistoryQuery,
    variables: { scopeId, kind, key: kind ? key : '', after },
    requestPolicy: 'cache-and-network',
  });
  const [restoring, setRestoring] = useState<Change | null>(null);
  const changes = data?.history.nodes ?? [];

  const setFilter = (k: string, v: string) =>
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      if (v) next.set(k, v);
      else next.delete(k);
      if (k === 'kind' && !v) next.delete('key');
      return next;
    });

  return (
    <div className="history-tab">
      <div className="filters">
        <div className="field inline">
          <label htmlFor="history-kind">Object</label>
          <select id="history-kind" value={kind ?? ''} onChange={(e) => setFilter('kind', e.target.value)}>
            <option value="">everything in the scope</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k.toLowerCase().replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        {kind && kind !== 'SCOPE' ? (
          <div className="field inline">
            <label htmlFor="history-key">Key</label>
            <input id="history-key" value={key} onChange={(e) => setFilter('key', e.target.value)} placeholder="key, from/label or code" />
          </div>
        ) : null}
      </div>
      {restoring ? (
        <ConfirmWrite
          key={restoring.changeId}
          title={`Restore ${restoring.kind.toLowerCase()} ${restoring.key || scopeId} as of change #${restoring.changeId}`}
          explanation="Puts the object back as it was after this change. It is itself a new change, kept in the history."
          doc={Restore as TypedDocumentNode<{ result: WriteResult }, { scopeId: string; kind: ObjectKind; key: string; changeId: number; dryRun: boolean }>}
          variables={{ scopeId, kind: restoring.kind, key: restoring.key, changeId: restoring.changeId }}
          confirmLabel="Restore"
          onSaved={(r) => {
            setRestoring(null);
            refetch({ requestPolicy: 'network-only' });
            onSaved(r);
          }}
          onCancel={() => setRestoring(null)}
          onReload={() => refetch({ requestPolicy: 'network-only' })}
          conflictKind={restoring.kind}
          conflictKey={restoring.key}
          scopeId={scopeId}
        />
      ) : null}
      {fetching && !data ? <Loading label="Loading the history…" /> : null}
      {error ? <ErrorState error={error} retry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
      {data && changes.length === 0 ? (
        <Empty title="No change recorded yet.">
          Changes made through the API (and imports) are kept here; the demo data was loaded before history began.
        </Empty>
      ) : null}
      <ol className="history-list">
        {changes.map((c) => (
          <li key={`${c.changeId}:${c.kind}:${c.key}`} className="card history-item" data-change={c.changeId}>
            <details open={changes.length <= 3}>
              <summary>
                <span className="badge">#{c.changeId}</span> <span className={`badge action-${c.action.toLowerCase()}`}>{c.action.toLowerCase()}</span>{' '}
                {c.kind.toLowerCase().replace('_', ' ')} <code>{c.key || scopeId}</code> <span className="muted">by</span> {c.uid}{' '}
                <span className="muted">
                  · {when(c.at)} · {c.operation}
                </span>
                <div className="small muted">{summarize(diffObjects(c.before, c.after))}</div>
              </summary>
              <DiffView before={c.before} after={c.after} />
              <div className="actions">
                {c.after != null ? (
                  <button type="button" onClick={() => setRestoring(c)}>
                    Restore this version
                  </button>
                ) : null}
                {!kind ? (
                  <Link to={`?kind=${c.kind}&key=${encodeURIComponent(c.key)}`}>Only this object</Link>
                ) : null}
              </div>
            </details>
          </li>
        ))}
      </ol>
      {data?.history.pageInfo.hasNextPage ? (
        <button type="button" onClick={() => setAfter(data.history.pageInfo.endCursor ?? null)}>
          Older changes
        </button>
      ) : null}
      {after ? (
        <button type="button" className="ghost" onClick={() => setAfter(null)}>
          Back to the newest
        </button>
      ) : null}
    </div>
  );
}
