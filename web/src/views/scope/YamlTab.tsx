import { lazy, useCallback, useEffect, useState } from 'react';
import { useClient, type TypedDocumentNode } from 'urql';
import { ImpactView } from '../../components/Impact';
import { ErrorDetails, LazyPart } from '../../components/States';
import { DraftOffer } from '../../components/editors/shell';
import { ImportRunbook, ScopeQuery, ScopeRevisionQuery } from '../../queries';
import { scopeToYaml } from '../../lib/yaml';
import { config } from '../../config';
import { draftKey, useDraft } from '../../lib/drafts';
import type { ChangeMade, LineError } from '../../lib/errors';
import { useWrite } from '../../lib/write';
import type { ScopeData, WriteResult } from '../../types';

// The editor (CodeMirror) is loaded with the YAML tab, not with every scope page.
const YamlEditor = lazy(() => import('../../components/YamlEditor'));

/** No line marked (one array, so the editor's marks are not reset on every render). */
const NO_LINES: LineError[] = [];

type ImportVars = { yaml: string; dryRun: boolean; baseRevisions: { scopeId: string; revision: number }[] };

/** The document as read, and the scope's revision it was read at. */
interface Loaded {
  yaml: string;
  revision: number;
}

/** What others changed since the document was read, from a stale import's refusal. */
function ChangesSince({ changes }: { changes: ChangeMade[] }) {
  if (!changes.length) return null;
  return (
    <table className="changes-since" aria-label="Changed since you loaded it">
      <thead>
        <tr>
          <th>Object</th>
          <th>Fields</th>
          <th>Who</th>
          <th>When</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={`${c.changeId}:${c.kind}:${c.key}`}>
            <td>
              {c.kind.toLowerCase().replace('_', ' ')} <code>{c.key || c.scopeId}</code> {c.action.toLowerCase()}
            </td>
            <td>{c.fields.join(', ')}</td>
            <td>{c.uid}</td>
            <td>
              {new Date(c.at).toLocaleString()} ({c.operation})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The scope as one `light-runbook/v1` document (built here from its layers:
 * the server has no export query), editable and applied with `importRunbook`,
 * which replaces the scope's whole content, all or nothing. The scope's
 * revision is read before its content and sent with the import, so that the
 * import is refused when someone changed the scope since; unsent text is
 * kept as a draft in the browser.
 */
export function YamlTab({ scope, onSaved }: { scope: ScopeData; onSaved: (r: WriteResult) => void }) {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [text, setText] = useState('');
  const [revision, setRevision] = useState(0);
  const draft = useDraft<{ text: string; revision: number }>(draftKey(config.host, scope.id, 'yaml'));
  const load = useCallback(async () => {
    // The revision first: content read after it is at least as new, so an
    // import based on it never overwrites a change unseen.
    const history = await client.query(ScopeRevisionQuery, { scopeId: scope.id }, { requestPolicy: 'network-only' }).toPromise();
    const fresh = await client.query(ScopeQuery, { id: scope.id }, { requestPolicy: 'network-only' }).toPromise();
    const content = fresh.data?.scope;
    if (!content || history.error) return;
    const at = history.data?.history.nodes[0]?.changeId ?? 0;
    const yaml = scopeToYaml(content, config.host);
    setLoaded({ yaml, revision: at });
    setText(yaml);
    setRevision(at);
  }, [client, scope.id]);
  // Once per scope: the fresh read updates the cache the parent renders
  // from, so following the `scope` prop would read again and again.
  useEffect(() => {
    void load();
  }, [load]);
  const dirty = loaded !== null && text !== loaded.yaml;
  const keep = draft.keep;
  useEffect(() => {
    if (loaded) keep({ text, revision }, !dirty);
  }, [text, revision, dirty, loaded, keep]);
  const write = useWrite({ fields: ['yaml'], aliases: { yaml: 'yaml' } });
  const send = async (dryRun: boolean) => {
    const result = await write.run(ImportRunbook as TypedDocumentNode<{ result: WriteResult }, ImportVars>, {
      yaml: text,
      dryRun,
      baseRevisions: [{ scopeId: scope.id, revision }],
    });
    if (result && !dryRun) {
      draft.clear();
      onSaved(result);
      void load();
    }
  };
  const restore = () => {
    const kept = draft.offered?.value;
    draft.dismiss();
    if (kept) {
      setText(kept.text);
      setRevision(kept.revision);
    }
  };
  const fieldError = write.error ? Object.values(write.error.fields)[0] : undefined;
  return (
    <div className="yaml-tab">
      <p className="small">
        The scope <code>{scope.id}</code> as a runbooks-as-code document, in the format <code>light-runbook export</code> writes.
        Importing it replaces everything the scope holds; other scopes are untouched. Preview first to see which services it
        reaches. {loaded ? <span className="muted">Read at revision {revision}.</span> : <span className="muted">Loading…</span>}
      </p>
      {draft.offered ? <DraftOffer savedAt={draft.offered.savedAt} onRestore={restore} onDiscard={draft.clear} /> : null}
      <LazyPart what="The YAML editor" label="Loading the editor…">
        <YamlEditor
          id="yaml-text"
          value={text}
          disabled={!loaded}
          onChange={setText}
          errors={write.error?.lines ?? NO_LINES}
          describedBy={fieldError ? 'yaml-error' : undefined}
        />
      </LazyPart>
      {write.error ? (
        <div className={`callout ${write.error.conflict ? 'callout-conflict' : 'callout-error'}`} role="alert" id="yaml-error">
          <strong>{write.error.summary}</strong>
          {write.error.fields && Object.keys(write.error.fields).length ? (
            <ul className="messages">
              {Object.entries(write.error.fields).map(([field, message]) => (
                <li key={field} className="pre">
                  <code>{field}</code>: {message}
                </li>
              ))}
            </ul>
          ) : null}
          <ErrorDetails error={write.error} />
          {write.error.conflict ? (
            <>
              <ChangesSince changes={write.error.changes ?? []} />
              <p className="small">Nothing was written. Your text is kept here (and in this browser); reload to see theirs.</p>
              <button type="button" onClick={() => void load().then(write.reset)}>
                Discard mine, load theirs
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="editor-buttons">
        <button type="button" onClick={() => void send(true)} disabled={write.busy || !loaded}>
          Preview impact
        </button>
        <button type="button" className="primary" onClick={() => void send(false)} disabled={write.busy || !dirty}>
          {write.busy ? 'Working…' : 'Import'}
        </button>
        <button type="button" className="ghost" onClick={() => loaded && setText(loaded.yaml)} disabled={!dirty}>
          Revert
        </button>
      </div>
      {write.result ? <ImpactView result={write.result} /> : null}
    </div>
  );
}
