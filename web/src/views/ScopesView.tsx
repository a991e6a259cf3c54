import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ScopesQuery } from '../queries';
import { scopeForest, type TreeItem } from '../lib/scopeTree';
import { ScopeKindBadge } from '../components/Badges';
import { Empty, ErrorState, Loading } from '../components/States';

function Tree({ items }: { items: TreeItem[] }) {
  return (
    <ul className="tree">
      {items.map((item) => (
        <li key={item.scope.id}>
          <div className="tree-row">
            <Link to={`/scopes/${encodeURIComponent(item.scope.id)}`} className="mono">
              {item.scope.id}
            </Link>{' '}
            <ScopeKindBadge kind={item.scope.kind} /> <span className="muted">{item.scope.name}</span>
            {item.alsoUnder.length ? <span className="muted small"> · also under {item.alsoUnder.join(', ')}</span> : null}
          </div>
          {item.children.length ? <Tree items={item.children} /> : null}
        </li>
      ))}
    </ul>
  );
}

const KINDS = ['', 'FRAMEWORK', 'ORGANIZATION', 'LINE_OF_BUSINESS', 'TEMPLATE', 'SERVICE'];

/** Platform team: every scope, as the inheritance tree. */
export function ScopesView() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ScopesQuery, variables: { after: null } });
  const [filter, setFilter] = useState('');
  const [kind, setKind] = useState('');
  const scopes = useMemo(() => data?.scopes.nodes ?? [], [data]);
  const forest = useMemo(() => scopeForest(scopes), [scopes]);
  const q = filter.trim().toLowerCase();
  const matches = scopes.filter(
    (s) => (!kind || s.kind === kind) && (!q || s.id.toLowerCase().includes(q) || s.name.toLowerCase().includes(q)),
  );

  return (
    <div className="page">
      <h1>Scopes</h1>
      <p className="lead">
        The framework, organizations, lines of business and templates whose runbooks services inherit. Open one to see and
        edit its own procedures, branches and entries, and preview which services a change reaches.
      </p>
      <div className="filters" role="search">
        <div className="field inline">
          <label htmlFor="scope-filter">Filter</label>
          <input id="scope-filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="id or name" />
        </div>
        <div className="field inline">
          <label htmlFor="scope-kind">Kind</label>
          <select id="scope-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k ? k.toLowerCase().replace(/_/g, ' ') : 'any'}
              </option>
            ))}
          </select>
        </div>
      </div>
      {fetching && !data ? <Loading label="Loading scopes…" /> : null}
      {error ? <ErrorState error={error} retry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
      {data && scopes.length === 0 ? <Empty title="No scopes yet." /> : null}
      {data?.scopes.pageInfo.hasNextPage ? (
        <p className="muted small">Showing the first {scopes.length} scopes.</p>
      ) : null}
      {q || kind ? (
        matches.length ? (
          <ul className="flat-list">
            {matches.map((s) => (
              <li key={s.id}>
                <Link to={`/scopes/${encodeURIComponent(s.id)}`} className="mono">
                  {s.id}
                </Link>{' '}
                <ScopeKindBadge kind={s.kind} /> <span className="muted">{s.name}</span>
              </li>
            ))}
          </ul>
        ) : (
          <Empty title="No scope matches." />
        )
      ) : (
        <Tree items={forest} />
      )}
    </div>
  );
}
