import { Link } from 'react-router';
import { historyPath } from '../../components/Editors';
import { Empty } from '../../components/States';
import type { ScopeData } from '../../types';
import type { Editing } from './EditorPanel';

function given(layer: Record<string, unknown>, fields: string[]): string[] {
  return fields.filter((f) => layer[f] != null);
}

/** A scope's own layers, as written (not merged), with their edit actions. */
export function ContentTab({ scope, edit }: { scope: ScopeData; edit: (e: Editing) => void }) {
  return (
    <div className="content-tab">
      <section aria-labelledby="procs-title">
        <div className="section-head">
          <h2 id="procs-title">Procedures ({scope.procedures.length})</h2>
          <button type="button" onClick={() => edit({ kind: 'procedure', key: null })}>
            Add procedure
          </button>
        </div>
        {scope.procedures.length === 0 ? (
          <Empty title="This scope writes no procedure." />
        ) : (
          <div className="table-wrap">
            <table className="layers">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Title</th>
                  <th scope="col">Writes</th>
                  <th scope="col">Rev.</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {scope.procedures.map((p) => (
                  <tr key={p.key} data-key={p.key} className={p.removed ? 'tombstone' : undefined}>
                    <td className="mono">{p.key}</td>
                    <td data-label="Title">{p.removed ? <em>removed here</em> : (p.title ?? <span className="muted">inherited</span>)}</td>
                    <td data-label="Writes" className="small">
                      {p.removed ? 'tombstone' : given(p as Record<string, unknown>, ['title', 'kind', 'body', 'automation', 'tags']).join(', ')}
                      {p.cleared.length ? <span className="muted"> · clears {p.cleared.join(', ')}</span> : null}
                    </td>
                    <td data-label="Revision" className="muted">{p.revision ?? '—'}</td>
                    <td className="row-actions">
                      {!p.removed ? (
                        <button type="button" onClick={() => edit({ kind: 'procedure', key: p.key })}>
                          Edit
                        </button>
                      ) : null}
                      {!p.removed ? (
                        <button type="button" onClick={() => edit({ kind: 'removeProcedure', key: p.key })}>
                          Remove
                        </button>
                      ) : null}
                      <button type="button" onClick={() => edit({ kind: 'deleteProcedure', key: p.key })}>
                        Delete layer
                      </button>
                      <Link to={historyPath(scope.id, 'PROCEDURE', p.key)}>History</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="branches-title">
        <div className="section-head">
          <h2 id="branches-title">Branches ({scope.branches.length})</h2>
          <button type="button" onClick={() => edit({ kind: 'branch', from: null, label: null })}>
            Add branch
          </button>
        </div>
        {scope.branches.length === 0 ? (
          <Empty title="This scope writes no branch." />
        ) : (
          <div className="table-wrap">
            <table className="layers">
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">Label</th>
                  <th scope="col">To</th>
                  <th scope="col">Order</th>
                  <th scope="col">Rev.</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {scope.branches.map((b) => (
                  <tr key={`${b.from}/${b.label}`} data-key={`${b.from}/${b.label}`} className={b.removed ? 'tombstone' : undefined}>
                    <td className="mono">{b.from}</td>
                    <td data-label="Label">{b.label}</td>
                    <td data-label="To" className="mono">{b.removed ? <em>removed here</em> : (b.to ?? <span className="muted">inherited</span>)}</td>
                    <td data-label="Order">{b.order ?? ''}</td>
                    <td data-label="Revision" className="muted">{b.revision ?? '—'}</td>
                    <td className="row-actions">
                      {!b.removed ? (
                        <button type="button" onClick={() => edit({ kind: 'branch', from: b.from, label: b.label })}>
                          Edit
                        </button>
                      ) : null}
                      {!b.removed ? (
                        <button type="button" onClick={() => edit({ kind: 'removeBranch', from: b.from, label: b.label })}>
                          Remove
                        </button>
                      ) : null}
                      <button type="button" onClick={() => edit({ kind: 'deleteBranch', from: b.from, label: b.label })}>
                        Delete layer
                      </button>
                      <Link to={historyPath(scope.id, 'BRANCH', `${b.from}/${b.label}`)}>History</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="entries-title">
        <div className="section-head">
          <h2 id="entries-title">Entries ({scope.entries.length})</h2>
          <button type="button" onClick={() => edit({ kind: 'entry', code: null })}>
            Set entry
          </button>
        </div>
        {scope.entries.length === 0 ? (
          <Empty title="This scope sets no entry." />
        ) : (
          <div className="table-wrap">
            <table className="layers">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Starts at</th>
                  <th scope="col">Rev.</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {scope.entries.map((e) => (
                  <tr key={e.code} data-key={e.code}>
                    <td className="mono">{e.code}</td>
                    <td data-label="Starts at" className="mono">{e.key ?? <em>removed here</em>}</td>
                    <td data-label="Revision" className="muted">{e.revision ?? '—'}</td>
                    <td className="row-actions">
                      <button type="button" onClick={() => edit({ kind: 'entry', code: e.code })}>
                        Edit
                      </button>
                      <button type="button" onClick={() => edit({ kind: 'deleteEntry', code: e.code })}>
                        Delete
                      </button>
                      <Link to={historyPath(scope.id, 'ENTRY', e.code)}>History</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="codes-title">
        <h2 id="codes-title">Error codes ({scope.errorCodes.length})</h2>
        {scope.errorCodes.length === 0 ? (
          <Empty title="This scope registers or patches no error code." />
        ) : (
          <details>
            <summary>Show the {scope.errorCodes.length} codes</summary>
            <div className="table-wrap">
              <table className="layers">
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">Status</th>
                    <th scope="col">Message</th>
                    <th scope="col">Severity</th>
                  </tr>
                </thead>
                <tbody>
                  {scope.errorCodes.map((c) => (
                    <tr key={c.code}>
                      <td className="mono">{c.code}</td>
                      <td data-label="Status">{c.statusCode ?? ''}</td>
                      <td data-label="Message">{c.message ?? ''}</td>
                      <td data-label="Severity">{c.severity ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        )}
      </section>
    </div>
  );
}
