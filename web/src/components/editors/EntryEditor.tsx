/* Setting which procedure an error code starts at in a scope, or removing the inherited entry. */
import { useId, useState } from 'react';
import { SetEntry } from '../../queries';
import { localError, useWrite } from '../../lib/write';
import type { EntryLayer, WriteResult } from '../../types';
import { ConflictHelp, EditorShell, type WriteDoc } from './shell';

export function EntryEditor({
  scopeId,
  layer,
  procedureKeys,
  onSaved,
  onCancel,
  onReload,
}: {
  scopeId: string;
  layer?: EntryLayer;
  procedureKeys: string[];
  onSaved: (result: WriteResult) => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const [code, setCode] = useState(layer?.code ?? '');
  const [key, setKey] = useState(layer?.key ?? '');
  const [removeInherited, setRemoveInherited] = useState(layer ? layer.key == null : false);
  const write = useWrite({ fields: ['code', 'key'], scopeId, objectKey: code });
  const errors = write.error?.fields ?? {};
  const listId = useId();
  const send = async (dryRun: boolean) => {
    const local: Record<string, string> = {};
    if (!/^([A-Z]{3}[0-9]{5}|\*)$/.test(code)) local.code = 'An error code such as ERR10001, or * for the default entry.';
    if (!removeInherited && !key.trim()) local.key = 'Which procedure does this code start at?';
    if (Object.keys(local).length) {
      write.fail(localError(local));
      return;
    }
    const result = await write.run(
      SetEntry as WriteDoc<{ scopeId: string; code: string; key: string | null; expectedRevision: number | null; dryRun: boolean }>,
      { scopeId, code, key: removeInherited ? null : key.trim(), expectedRevision: layer?.revision ?? null, dryRun },
    );
    if (result && !dryRun) onSaved(result);
  };
  return (
    <EditorShell
      title={layer ? `Entry ${layer.code} in ${scopeId}` : `New entry in ${scopeId}`}
      busy={write.busy}
      result={write.result}
      error={write.error}
      onSubmit={() => void send(false)}
      onPreview={() => void send(true)}
      onCancel={onCancel}
      conflict={<ConflictHelp scopeId={scopeId} kind="ENTRY" objectKey={code} onReload={onReload} />}
    >
      <datalist id={listId}>
        {procedureKeys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <div className={`field${errors.code ? ' has-error' : ''}`} data-field="code">
        <label htmlFor="entry-code">Error code</label>
        <input id="entry-code" value={code} disabled={Boolean(layer)} onChange={(e) => setCode(e.target.value.toUpperCase())} placeholder="ERR10001 or *" />
        {errors.code ? <p className="field-error">{errors.code}</p> : null}
      </div>
      <div className="field checkbox">
        <input id="entry-remove" type="checkbox" checked={removeInherited} onChange={(e) => setRemoveInherited(e.target.checked)} />
        <label htmlFor="entry-remove">Remove the inherited entry for this code (no procedure)</label>
      </div>
      {!removeInherited ? (
        <div className={`field${errors.key ? ' has-error' : ''}`} data-field="key">
          <label htmlFor="entry-key">Starts at procedure</label>
          <input id="entry-key" list={listId} value={key} onChange={(e) => setKey(e.target.value)} spellCheck={false} />
          {errors.key ? <p className="field-error pre">{errors.key}</p> : null}
        </div>
      ) : null}
    </EditorShell>
  );
}
