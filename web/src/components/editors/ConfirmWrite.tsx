/* One-click writes (remove, delete, restore), previewed first. */
import { useEffect, type ReactNode } from 'react';
import type { AnyVariables } from 'urql';
import { useWrite } from '../../lib/write';
import type { WriteResult } from '../../types';
import { ConflictHelp, EditorShell, type WriteDoc } from './shell';

export function ConfirmWrite<V extends AnyVariables & { dryRun: boolean }>({
  title,
  explanation,
  doc,
  variables,
  confirmLabel,
  onSaved,
  onCancel,
  onReload,
  conflictKind,
  conflictKey,
  scopeId,
}: {
  title: string;
  explanation: ReactNode;
  doc: WriteDoc<V>;
  variables: Omit<V, 'dryRun'>;
  confirmLabel: string;
  onSaved: (result: WriteResult) => void;
  onCancel: () => void;
  onReload: () => void;
  conflictKind: string;
  conflictKey: string;
  scopeId: string;
}) {
  const write = useWrite({ fields: [], scopeId, objectKey: conflictKey });
  const send = async (dryRun: boolean) => {
    const result = await write.run(doc, { ...variables, dryRun } as V);
    if (result && !dryRun) onSaved(result);
  };
  // Preview at once: the point is to see the impact before confirming.
  useEffect(() => {
    void send(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <EditorShell
      title={title}
      busy={write.busy}
      result={write.result}
      error={write.error}
      onSubmit={() => void send(false)}
      onPreview={() => void send(true)}
      onCancel={onCancel}
      saveLabel={confirmLabel}
      conflict={<ConflictHelp scopeId={scopeId} kind={conflictKind} objectKey={conflictKey} onReload={onReload} />}
    >
      <p>{explanation}</p>
    </EditorShell>
  );
}
