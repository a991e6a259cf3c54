/* Editing one branch of a scope: a new one, a redirect of an inherited one, or this scope's own layer. */
import { useId, useState } from 'react';
import { CreateBranch, UpdateBranch } from '../../queries';
import type { BranchInput } from '../../gql/graphql';
import { localError, useWrite } from '../../lib/write';
import type { BranchLayer, EffectiveBranch, WriteResult } from '../../types';
import { useLayerForm, useRevision, type Parsed } from './layerForm';
import { ConflictHelp, DraftOffer, EditorShell, LayerField, MergeNotice, type FieldMode, type LayerFetcher, type WriteDoc } from './shell';

export interface BranchEditorProps {
  scopeId: string;
  from: string | null;
  label: string | null;
  layer?: BranchLayer;
  inherited?: Pick<EffectiveBranch, 'to' | 'condition' | 'order'> | null;
  /** Procedure keys to offer for `from` and `to`. */
  procedureKeys: string[];
  onSaved: (result: WriteResult) => void;
  onCancel: () => void;
  onReload: () => void;
  /** The layer as the store has it now ("keep mine" resolves against it). */
  currentLayer?: LayerFetcher<BranchLayer>;
}

const BRANCH_FIELDS = ['from', 'label', 'to', 'condition', 'order'] as const;

const LABELS = { to: 'Leads to', condition: 'Condition', order: 'Order' };

/** How each field's text becomes the write's value. */
const PARSE: Record<'to' | 'condition' | 'order', (text: string) => Parsed> = {
  to: (text) => (text.trim() ? { value: text.trim() } : { error: 'Where does the branch lead? A procedure key.' }),
  condition: (text) => ({ value: text }),
  order: (text) => {
    const n = Number(text);
    return Number.isInteger(n) ? { value: n } : { error: 'The order is a whole number (branches are sorted by it).' };
  },
};

export function BranchEditor({
  scopeId,
  from: fromKey,
  label: branchLabel,
  layer,
  inherited,
  procedureKeys,
  onSaved,
  onCancel,
  onReload,
  currentLayer,
}: BranchEditorProps) {
  const hasParent = Boolean(inherited);
  const isNew = !layer;
  const form = useLayerForm(
    layer,
    (l: BranchLayer | undefined) => ({
      to: { initial: l?.to ?? inherited?.to ?? '', fallback: (hasParent ? 'inherit' : 'set') as FieldMode },
      condition: { initial: l?.condition ?? inherited?.condition ?? '', fallback: 'inherit' as FieldMode },
      order: { initial: String(l?.order ?? inherited?.order ?? ''), fallback: 'inherit' as FieldMode },
    }),
    { scope: scopeId, object: `branch:${fromKey ?? ''}/${branchLabel ?? ''}` },
  );
  const { modes, values, setMode, setValue } = form;
  const [from, setFrom] = useState(fromKey ?? '');
  const [label, setLabel] = useState(branchLabel ?? '');
  const objectKey = `${from}/${label}`;
  const write = useWrite({ fields: BRANCH_FIELDS, scopeId, objectKey });
  const { revision, setRevision, syncing, keepMine } = useRevision(layer?.revision ?? null, write, form.resolveWith, currentLayer);
  const errors = write.error?.fields ?? {};
  const listId = useId();

  const send = async (dryRun: boolean) => {
    const local: Record<string, string> = {};
    if (isNew && !from) local.from = 'Which step does the branch leave from?';
    if (isNew && !label.trim()) local.label = 'A branch needs a label: the answer that leads along it.';
    const { input, inherit } = form.collect(PARSE, local);
    if (Object.keys(local).length) {
      write.fail(localError(local));
      return;
    }
    const result = isNew
      ? await write.run(CreateBranch as WriteDoc<{ scopeId: string; from: string; label: string; input: BranchInput; dryRun: boolean }>, {
          scopeId,
          from,
          label: label.trim(),
          input: input as BranchInput,
          dryRun,
        })
      : await write.run(
          UpdateBranch as WriteDoc<{
            scopeId: string;
            from: string;
            label: string;
            input: BranchInput;
            inherit: string[];
            expectedRevision: number | null;
            dryRun: boolean;
          }>,
          { scopeId, from, label, input: input as BranchInput, inherit, expectedRevision: revision, dryRun },
        );
    if (result && !dryRun) {
      form.draft.sent();
      onSaved(result);
    }
  };

  const title = isNew
    ? hasParent
      ? `Redirect “${label}” from ${from} in ${scopeId}`
      : `New branch in ${scopeId}`
    : `Edit branch “${label}” from ${from} in ${scopeId}`;

  return (
    <EditorShell
      title={title}
      busy={write.busy || syncing}
      result={write.result}
      error={write.error}
      onSubmit={() => void send(false)}
      onPreview={() => void send(true)}
      onCancel={onCancel}
      conflict={<ConflictHelp scopeId={scopeId} kind="BRANCH" objectKey={objectKey} onReload={onReload} onKeepMine={keepMine} />}
    >
      {form.draft.offered ? (
        <DraftOffer savedAt={form.draft.offered.savedAt} onRestore={() => setRevision(form.draft.restore())} onDiscard={form.draft.discard} />
      ) : null}
      <MergeNotice taken={form.taken} conflicts={form.conflicts} labels={LABELS} onChoose={form.choose} />
      <datalist id={listId}>
        {procedureKeys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {isNew && !fromKey ? (
        <div className={`field${errors.from ? ' has-error' : ''}`} data-field="from">
          <label htmlFor="branch-from">From</label>
          <input id="branch-from" list={listId} value={from} onChange={(e) => setFrom(e.target.value)} spellCheck={false} aria-invalid={errors.from ? true : undefined} />
          {errors.from ? <p className="field-error">{errors.from}</p> : null}
        </div>
      ) : (
        <p className="small">
          From <code>{from}</code>
        </p>
      )}
      {isNew && !branchLabel ? (
        <div className={`field${errors.label ? ' has-error' : ''}`} data-field="label">
          <label htmlFor="branch-label">Label</label>
          <input id="branch-label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="still failing" aria-invalid={errors.label ? true : undefined} />
          {errors.label ? <p className="field-error">{errors.label}</p> : null}
        </div>
      ) : (
        <p className="small">
          Label <code>{label}</code>
          {revision != null ? <span className="muted"> · revision {revision}</span> : null}
        </p>
      )}
      <LayerField name="to" label="Leads to" mode={modes.to!} setMode={setMode('to')} error={errors.to} inherited={inherited?.to} hasParent={hasParent}>
        {(p) => (
          <input
            id={p.id}
            list={listId}
            spellCheck={false}
            value={values.to}
            onChange={(e) => setValue('to')(e.target.value)}
            aria-invalid={p.invalid}
            aria-describedby={p.describedBy}
          />
        )}
      </LayerField>
      <LayerField name="condition" label="Condition" mode={modes.condition!} setMode={setMode('condition')} error={errors.condition} inherited={inherited?.condition} hasParent={hasParent}>
        {(p) => (
          <input id={p.id} value={values.condition} onChange={(e) => setValue('condition')(e.target.value)} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
        )}
      </LayerField>
      <LayerField
        name="order"
        label="Order"
        mode={modes.order!}
        setMode={setMode('order')}
        error={errors.order}
        inherited={inherited?.order != null ? String(inherited.order) : null}
        hasParent={hasParent}
      >
        {(p) => (
          <input
            id={p.id}
            inputMode="numeric"
            value={values.order}
            onChange={(e) => setValue('order')(e.target.value)}
            aria-invalid={p.invalid}
            aria-describedby={p.describedBy}
          />
        )}
      </LayerField>
    </EditorShell>
  );
}
