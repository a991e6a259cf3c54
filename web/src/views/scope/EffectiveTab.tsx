import { lazy } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { UseQueryState } from 'urql';
import { ProvenanceBadge } from '../../components/Badges';
import { historyPath } from '../../components/Editors';
import { Empty, ErrorState, LazyPart, Loading } from '../../components/States';
import { TreeToggle } from '../../components/TreeToggle';
import { StepDetails } from '../../components/StepDetails';
import { StepList } from '../../components/StepList';
import { LintPanel } from '../../components/LintPanel';
import type { RunbookQuery } from '../../gql/graphql';
import { provenanceCounts, reachableFrom } from '../../lib/graph';
import type { ScopeData } from '../../types';
import { Warnings } from '../RunbookView';
import { EditorPanel, type Editing } from './EditorPanel';

const RunbookGraph = lazy(() => import('../../components/RunbookGraph'));

/**
 * Service owner: the service's effective runbook coloured by provenance, what
 * it inherits, overrides, adds and removes, and its own layers to edit.
 */
export function EffectiveTab({
  scope,
  runbookState,
  refetchRunbook,
  editing,
  edit,
  onSaved,
  onReload,
}: {
  scope: ScopeData;
  runbookState: UseQueryState<RunbookQuery>;
  refetchRunbook: () => void;
  editing: Editing | null;
  edit: (e: Editing | null) => void;
  onSaved: Parameters<typeof EditorPanel>[0]['onSaved'];
  onReload: () => void;
}) {
  const [search, setSearch] = useSearchParams();
  const { data, fetching, error } = runbookState;
  const runbook = data?.runbook;
  if (fetching && !data) return <Loading label="Resolving the service’s runbook…" />;
  if (error) return <ErrorState error={error} retry={refetchRunbook} title={`${scope.id} does not resolve.`} />;
  if (!runbook) return null;
  // The tree drawn: every procedure, or what one entry reaches.
  const code = search.get('code') || null;
  const entry = code ? runbook.entries.find((e) => e.code === code) : undefined;
  const tree = entry ? reachableFrom(runbook, entry.key) : runbook;

  const selectedKey = search.get('step') ?? tree.entry ?? runbook.procedures[0]?.key ?? null;
  const setCode = (c: string) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (c) next.set('code', c);
        else next.delete('code');
        next.delete('step');
        return next;
      },
      { replace: true },
    );
  const select = (key: string) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('step', key);
        return next;
      },
      { replace: true },
    );
  const step = runbook.procedures.find((p) => p.key === selectedKey) ?? null;
  const counts = provenanceCounts(runbook);
  const ownLayer = step ? scope.procedures.find((p) => p.key === step.key) : undefined;
  const procedureKeys = runbook.procedures.map((p) => p.key);
  const overridden = [
    ...runbook.procedures.filter((p) => p.provenance === 'OVERRIDDEN').map((p) => ({ kind: 'procedure', key: p.key, origin: p.origin.id, from: p.key })),
    ...runbook.branches
      .filter((b) => b.provenance === 'OVERRIDDEN')
      .map((b) => ({ kind: 'branch', key: `${b.from}/${b.label}`, origin: b.origin.id, from: b.from })),
  ];
  const added = [
    ...runbook.procedures.filter((p) => p.provenance === 'LOCAL').map((p) => ({ kind: 'procedure', key: p.key, from: p.key })),
    ...runbook.branches.filter((b) => b.provenance === 'LOCAL').map((b) => ({ kind: 'branch', key: `${b.from}/${b.label}`, from: b.from })),
    ...runbook.entries.filter((e) => e.provenance === 'LOCAL').map((e) => ({ kind: 'entry', key: `${e.code} → ${e.key}`, from: e.key })),
  ];

  const editor = editing ? (
    <EditorPanel
      scope={scope}
      editing={editing}
      procedureKeys={procedureKeys}
      onSaved={onSaved}
      onCancel={() => edit(null)}
      onReload={onReload}
    />
  ) : null;

  return (
    <div className="effective-tab">
      <div className="legend" aria-label="Provenance legend">
        <ProvenanceBadge provenance="INHERITED" /> {counts.INHERITED} from ancestors
        <ProvenanceBadge provenance="OVERRIDDEN" /> {counts.OVERRIDDEN} changed by {scope.id}
        <ProvenanceBadge provenance="LOCAL" /> {counts.LOCAL} only in {scope.id}
        <span className="muted small">(procedures and branches)</span>
      </div>
      <Warnings warnings={runbook.warnings} />
      <div className="runbook-layout">
        <section className="graph-pane" aria-label="Effective decision tree">
          <div className="field inline tree-code">
            <label htmlFor="tree-code">Tree</label>
            <select id="tree-code" value={code ?? ''} onChange={(e) => setCode(e.target.value)}>
              <option value="">every procedure ({runbook.procedures.length})</option>
              {runbook.entries.map((e) => (
                <option key={e.code} value={e.code}>
                  {e.code === '*' ? 'default entry (*)' : e.code} → {e.key}
                </option>
              ))}
            </select>
          </div>
          {tree.procedures.length === 0 ? (
            <Empty title="No effective procedure." />
          ) : (
            <TreeToggle>
              <LazyPart what="The tree" label="Drawing the tree…">
                <RunbookGraph
                  runbook={tree}
                  colourBy="provenance"
                  selected={selectedKey}
                  onSelect={select}
                  label={`Effective runbook of ${scope.id}, coloured by provenance`}
                />
              </LazyPart>
            </TreeToggle>
          )}
          <LintPanel serviceId={scope.id} steps={new Set(runbook.procedures.map((p) => p.key))} onSelect={select} />
          <details className="step-list-box">
            <summary>All {runbook.procedures.length} procedures</summary>
            <StepList runbook={runbook} selected={selectedKey} onSelect={select} provenance />
          </details>
        </section>
        <aside className="detail-pane" aria-label="Selected procedure">
          {editor}
          {step && !editing ? (
            <StepDetails
              step={step}
              runbook={runbook}
              onSelect={select}
              showProvenance
              actions={
                <>
                  {ownLayer && !ownLayer.removed ? (
                    <button type="button" className="primary" onClick={() => edit({ kind: 'procedure', key: step.key, inherited: step.provenance === 'OVERRIDDEN' ? step : null })}>
                      Edit {scope.id}’s layer
                    </button>
                  ) : (
                    <button type="button" className="primary" onClick={() => edit({ kind: 'procedure', key: step.key, inherited: step })}>
                      Override in this service
                    </button>
                  )}
                  {step.provenance !== 'LOCAL' ? (
                    <button type="button" onClick={() => edit({ kind: 'removeProcedure', key: step.key })}>
                      Remove from this service
                    </button>
                  ) : null}
                  {ownLayer ? (
                    <button type="button" onClick={() => edit({ kind: 'deleteProcedure', key: step.key })}>
                      {step.provenance === 'OVERRIDDEN' ? 'Drop override' : 'Delete'}
                    </button>
                  ) : null}
                  <button type="button" onClick={() => edit({ kind: 'branch', from: step.key, label: null })}>
                    Add branch from here
                  </button>
                  <Link to={historyPath(scope.id, 'PROCEDURE', step.key)}>History</Link>
                </>
              }
            />
          ) : null}
          {step && !editing && step.next.length ? (
            <section className="card" aria-labelledby="branches-of-step">
              <h3 id="branches-of-step">Branches from {step.key}</h3>
              <ul className="branch-rows">
                {runbook.branches
                  .filter((b) => b.from === step.key)
                  .map((b) => {
                    const own = scope.branches.find((l) => l.from === b.from && l.label === b.label);
                    return (
                      <li key={b.label} data-branch={`${b.from}/${b.label}`}>
                        <div>
                          <strong>{b.label}</strong> → <code>{b.to}</code> <ProvenanceBadge provenance={b.provenance} origin={b.origin.id} />
                        </div>
                        <div className="row-actions">
                          <button
                            type="button"
                            onClick={() =>
                              edit({ kind: 'branch', from: b.from, label: b.label, inherited: b.provenance === 'LOCAL' ? null : b })
                            }
                          >
                            {own && !own.removed ? 'Edit' : 'Redirect here'}
                          </button>
                          {b.provenance !== 'LOCAL' ? (
                            <button type="button" onClick={() => edit({ kind: 'removeBranch', from: b.from, label: b.label })}>
                              Remove
                            </button>
                          ) : null}
                          {own ? (
                            <button type="button" onClick={() => edit({ kind: 'deleteBranch', from: b.from, label: b.label })}>
                              {b.provenance === 'OVERRIDDEN' ? 'Drop override' : 'Delete'}
                            </button>
                          ) : null}
                        </div>
                      </li>
                    );
                  })}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>

      <div className="provenance-summary">
        <section className="card" aria-labelledby="ov-title">
          <h3 id="ov-title">Overrides ({overridden.length})</h3>
          {overridden.length === 0 ? (
            <p className="muted">{scope.id} overrides nothing it inherits.</p>
          ) : (
            <ul>
              {overridden.map((o) => (
                <li key={`${o.kind}:${o.key}`}>
                  {o.kind} <button type="button" className="link" onClick={() => select(o.from)}>{o.key}</button>{' '}
                  <span className="muted">over {o.origin}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="add-title">
          <h3 id="add-title">Adds ({added.length})</h3>
          {added.length === 0 ? (
            <p className="muted">{scope.id} adds nothing of its own.</p>
          ) : (
            <ul>
              {added.map((a) => (
                <li key={`${a.kind}:${a.key}`}>
                  {a.kind} <button type="button" className="link" onClick={() => select(a.from)}>{a.key}</button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="rm-title">
          <h3 id="rm-title">Removes ({runbook.removed.length})</h3>
          {runbook.removed.length === 0 ? (
            <p className="muted">Nothing is removed in the lineage.</p>
          ) : (
            <ul>
              {runbook.removed.map((r) => (
                <li key={`${r.kind}:${r.key}:${r.label ?? ''}`}>
                  {r.kind.toLowerCase()} <code>{r.label ? `${r.key}/${r.label}` : r.key}</code>{' '}
                  <span className="muted">by {r.scope?.id ?? 'unknown'}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="entries-eff-title">
          <h3 id="entries-eff-title">Entries ({runbook.entries.length})</h3>
          <details>
            <summary>Show every error code’s entry</summary>
            <ul className="entries">
              {runbook.entries.map((e) => (
                <li key={e.code}>
                  <Link to={`/runbook/${encodeURIComponent(scope.id)}/${e.code === '*' ? '' : encodeURIComponent(e.code)}`} className="mono">
                    {e.code}
                  </Link>{' '}
                  → <code>{e.key}</code> <ProvenanceBadge provenance={e.provenance} origin={e.scope?.id} />
                </li>
              ))}
            </ul>
          </details>
        </section>
      </div>
    </div>
  );
}
