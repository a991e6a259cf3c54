import { useEffect, useState } from 'react';
import { Link, NavLink, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ScopeKindBadge } from '../components/Badges';
import { ImpactView } from '../components/Impact';
import { ErrorState, Loading } from '../components/States';
import { RunbookQuery, ScopeQuery } from '../queries';
import type { WriteResult } from '../types';
import { ContentTab } from './scope/ContentTab';
import { EditorPanel, type Editing } from './scope/EditorPanel';
import { EffectiveTab } from './scope/EffectiveTab';
import { HistoryTab } from './scope/HistoryTab';
import { YamlTab } from './scope/YamlTab';
import { Contacts } from './RunbookView';

type Tab = 'content' | 'effective' | 'yaml' | 'history';

/** A scope: its place in the tree, its own layers, and (for a service) its effective runbook. */
export default function ScopeView() {
  const { id = '', tab: tabParam } = useParams();
  const [{ data, fetching, error }, refetchScope] = useQuery({ query: ScopeQuery, variables: { id } });
  const scope = data?.scope;
  const isService = scope?.kind === 'SERVICE';
  const tab: Tab =
    tabParam === 'effective' || tabParam === 'yaml' || tabParam === 'history' ? tabParam : 'content';
  const [runbookState, refetchRunbook] = useQuery({
    query: RunbookQuery,
    variables: { serviceId: id, errorCode: null },
    pause: !isService || tab !== 'effective',
  });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saved, setSaved] = useState<WriteResult | null>(null);
  useEffect(() => {
    setEditing(null);
    setSaved(null);
  }, [id, tab]);

  const reload = () => {
    refetchScope({ requestPolicy: 'network-only' });
    if (isService) refetchRunbook({ requestPolicy: 'network-only' });
  };
  const onSaved = (result: WriteResult) => {
    setEditing(null);
    setSaved(result);
    reload();
  };
  const edit = (e: Editing | null) => {
    setSaved(null);
    setEditing(e);
  };

  if (fetching && !data) return <Loading label={`Loading ${id}…`} />;
  if (error && !scope) return <ErrorState error={error} retry={() => refetchScope({ requestPolicy: 'network-only' })} />;
  if (!scope) {
    return (
      <div className="page">
        <h1>No scope {id}</h1>
        <p>
          Nothing by that id in this host. <Link to="/scopes">Browse the scopes</Link>.
        </p>
      </div>
    );
  }

  const base = `/scopes/${encodeURIComponent(scope.id)}`;
  const tabs: [Tab, string, string][] = [
    ['content', 'Own content', base],
    ...(isService ? ([['effective', 'Provenance', `${base}/effective`]] as [Tab, string, string][]) : []),
    ['yaml', 'YAML', `${base}/yaml`],
    ['history', 'History', `${base}/history`],
  ];

  return (
    <div className="page scope-page">
      <header className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/scopes">Scopes</Link> / {scope.kind.toLowerCase().replace(/_/g, ' ')}
          </p>
          <h1>
            {scope.name} <ScopeKindBadge kind={scope.kind} />
          </h1>
          <p className="mono muted scope-id">{scope.id}</p>
        </div>
        <div className="actions">
          {isService ? <Link to={`/runbook/${encodeURIComponent(scope.id)}`}>On-call view</Link> : null}
        </div>
      </header>
      <div className="scope-facts">
        <div>
          <span className="fact-label">Parents</span>{' '}
          {scope.parents.length
            ? scope.parents.map((p, i) => (
                <span key={p.id}>
                  {i ? ', ' : ''}
                  <Link to={`/scopes/${encodeURIComponent(p.id)}`}>{p.id}</Link>
                </span>
              ))
            : 'none (a root)'}
        </div>
        <div>
          <span className="fact-label">Children</span>{' '}
          {scope.children.length
            ? scope.children.map((c, i) => (
                <span key={c.id}>
                  {i ? ', ' : ''}
                  <Link to={`/scopes/${encodeURIComponent(c.id)}`}>{c.id}</Link>
                </span>
              ))
            : 'none'}
        </div>
        <div>
          <span className="fact-label">Owners</span> {scope.owners.length ? scope.owners.join(', ') : 'none'}
        </div>
        {scope.contacts.length ? (
          <div>
            <span className="fact-label">Contacts</span>
            <Contacts contacts={scope.contacts} />
          </div>
        ) : null}
      </div>
      {error ? (
        <ErrorState error={error} retry={() => refetchScope({ requestPolicy: 'network-only' })} title="Part of this scope could not be loaded." />
      ) : null}
      <nav className="tabs" aria-label="Scope views">
        {tabs.map(([t, label, to]) => (
          <NavLink key={t} to={to} end aria-current={t === tab ? 'page' : undefined} className={t === tab ? 'active' : undefined}>
            {label}
          </NavLink>
        ))}
      </nav>
      {saved ? (
        <div className="saved-notice">
          <ImpactView result={saved} />
          <button type="button" className="ghost" onClick={() => setSaved(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {tab === 'content' ? (
        <>
          {editing ? (
            <EditorPanel
              scope={scope}
              editing={editing}
              procedureKeys={scope.procedures.map((p) => p.key)}
              onSaved={onSaved}
              onCancel={() => setEditing(null)}
              onReload={reload}
            />
          ) : null}
          <ContentTab scope={scope} edit={edit} />
        </>
      ) : null}
      {tab === 'effective' && isService ? (
        <EffectiveTab
          scope={scope}
          runbookState={runbookState}
          refetchRunbook={reload}
          editing={editing}
          edit={edit}
          onSaved={onSaved}
          onReload={reload}
        />
      ) : null}
      {tab === 'effective' && !isService ? <p>Only a service has an effective runbook of its own.</p> : null}
      {tab === 'yaml' ? <YamlTab scope={scope} onSaved={onSaved} /> : null}
      {tab === 'history' ? <HistoryTab scopeId={scope.id} onSaved={onSaved} /> : null}
    </div>
  );
}
