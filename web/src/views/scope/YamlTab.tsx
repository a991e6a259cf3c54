import { useEffect, useMemo, useState } from 'react';
import type { TypedDocumentNode } from 'urql';
import { ImpactView } from '../../components/Impact';
import { ErrorDetails } from '../../components/States';
import { ImportRunbook } from '../../queries';
import { scopeToYaml } from '../../lib/yaml';
import { config } from '../../config';
import { useWrite } from '../../lib/write';
import type { ScopeData, WriteResult } from '../../types';

/**
 * The scope as one `light-runbook/v1` document (built here from its layers:
 * the server has no export query), editable and applied with `importRunbook`,
 * which replaces the scope's whole content, all or nothing.
 */
export function YamlTab({ scope, onSaved }: { scope: ScopeData; onSaved: (r: WriteResult) => void }) {
  const original = useMemo(() => scopeToYaml(scope, config.host), [scope]);
  const [text, setText] = useState(original);
  const dirty = text !== original;
  useEffect(() => setText(original), [original]);
  const write = useWrite({ fields: ['yaml'], aliases: { yaml: 'yaml' } });
  const send = async (dryRun: boolean) => {
    const result = await write.run(ImportRunbook as TypedDocumentNode<{ result: WriteResult }, { yaml: string; dryRun: boolean }>, {
      yaml: text,
      dryRun,
    });
    if (result && !dryRun) onSaved(result);
  };
  const fieldError = write.error ? Object.values(write.error.fields)[0] : undefined;
  return (
    <div className="yaml-tab">
      <p className="small">
        The scope <code>{scope.id}</code> as a runbooks-as-code document, in the format <code>light-runbook export</code> writes.
        Importing it replaces everything the scope holds; other scopes are untouched. Preview first to see which services it
        reaches.
      </p>
      <label htmlFor="yaml-text" className="visually-hidden">
        YAML of {scope.id}
      </label>
      <textarea
        id="yaml-text"
        className="mono yaml-editor"
        rows={24}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={fieldError ? true : undefined}
        aria-describedby={fieldError ? 'yaml-error' : undefined}
      />
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
        </div>
      ) : null}
      <div className="editor-buttons">
        <button type="button" onClick={() => void send(true)} disabled={write.busy}>
          Preview impact
        </button>
        <button type="button" className="primary" onClick={() => void send(false)} disabled={write.busy || !dirty}>
          {write.busy ? 'Working…' : 'Import'}
        </button>
        <button type="button" className="ghost" onClick={() => setText(original)} disabled={!dirty}>
          Revert
        </button>
      </div>
      {write.result ? <ImpactView result={write.result} /> : null}
    </div>
  );
}
