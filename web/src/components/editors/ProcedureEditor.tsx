/* Editing one procedure of a scope: a new one, an override, or this scope's own layer. */
import { useMemo, useState } from 'react';
import { CreateProcedure, UpdateProcedure } from '../../queries';
import type { ProcedureInput } from '../../gql/graphql';
import type { FormContext } from '../../lib/errors';
import { localError, useWrite } from '../../lib/write';
import type { EffectiveProcedure, ProcedureKind, ProcedureLayer, WriteResult } from '../../types';
import { useLayerForm, useRevision, type Parsed } from './layerForm';
import { ConflictHelp, DraftOffer, EditorShell, KINDS, LayerField, MergeNotice, type FieldMode, type LayerFetcher, type WriteDoc } from './shell';
import { MarkdownInput } from './MarkdownInput';

export interface ProcedureEditorProps {
  scopeId: string;
  /** The key; null for a new procedure (the form asks for one). */
  procedureKey: string | null;
  /** This scope's layer, when it has one (then the editor updates it). */
  layer?: ProcedureLayer;
  /** The procedure as the scope inherits it, when it does (an override). */
  inherited?: EffectiveProcedure | null;
  onSaved: (result: WriteResult) => void;
  onCancel: () => void;
  /** Refetches the layer (conflict: load theirs). */
  onReload: () => void;
  /** The layer as the store has it now ("keep mine" resolves against it). */
  currentLayer?: LayerFetcher<ProcedureLayer>;
}

const PROCEDURE_FIELDS = ['key', 'title', 'kind', 'body', 'automation', 'tags'] as const;

const LABELS = { title: 'Title', kind: 'Kind', body: 'Body', automation: 'Automation', tags: 'Tags' };

/** How each field's text becomes the write's value. */
const PARSE: Record<'title' | 'kind' | 'body' | 'automation' | 'tags', (text: string) => Parsed> = {
  title: (text) => (text.trim() ? { value: text.trim() } : { error: 'A title is needed (or let it inherit).' }),
  kind: (text) => ({ value: text as ProcedureKind }),
  body: (text) => ({ value: text }),
  automation: (text) => {
    try {
      const parsed: unknown = text.trim() ? JSON.parse(text) : null;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { error: 'Automation is a JSON object, e.g. {"executor": "http", "input": {…}}.' };
      }
      return { value: parsed };
    } catch (e) {
      return { error: `Not valid JSON: ${(e as Error).message}` };
    }
  },
  tags: (text) => ({
    value: text
      .split(/[,\n]/)
      .map((t) => t.trim())
      .filter(Boolean),
  }),
};

export function ProcedureEditor({
  scopeId,
  procedureKey,
  layer,
  inherited,
  onSaved,
  onCancel,
  onReload,
  currentLayer,
}: ProcedureEditorProps) {
  const hasParent = Boolean(inherited);
  const isNew = !layer;
  const fallback: FieldMode = hasParent ? 'inherit' : 'set';
  const form = useLayerForm(
    layer,
    (l: ProcedureLayer | undefined) => {
      const automation = l?.automation ?? inherited?.automation;
      return {
        title: { initial: l?.title ?? inherited?.title ?? '', fallback },
        kind: { initial: l?.kind ?? inherited?.kind ?? 'STEP', fallback },
        body: { initial: l?.body ?? inherited?.body ?? '', fallback },
        automation: { initial: automation != null ? JSON.stringify(automation, null, 2) : '', fallback: 'inherit' as FieldMode },
        tags: { initial: (l?.tags ?? inherited?.tags ?? []).join(', '), fallback: 'inherit' as FieldMode },
      };
    },
    { scope: scopeId, object: `procedure:${procedureKey ?? ''}` },
  );
  const { modes, values, setMode, setValue } = form;
  const [key, setKey] = useState(procedureKey ?? '');
  const ctx: FormContext = useMemo(() => ({ fields: PROCEDURE_FIELDS, scopeId, objectKey: key }), [scopeId, key]);
  const write = useWrite(ctx);
  const { revision, setRevision, syncing, keepMine } = useRevision(layer?.revision ?? null, write, form.resolveWith, currentLayer);
  const errors = write.error?.fields ?? {};

  const send = async (dryRun: boolean) => {
    const local: Record<string, string> = {};
    if (isNew && !/^[a-z0-9][a-z0-9-]*$/.test(key)) {
      local.key = 'A key is lower-case letters, digits and dashes, starting with a letter or digit (e.g. unlock-ledger).';
    }
    const { input, inherit } = form.collect(PARSE, local);
    if (Object.keys(local).length) {
      write.fail(localError(local));
      return;
    }
    const result = isNew
      ? await write.run(CreateProcedure as WriteDoc<{ scopeId: string; key: string; input: ProcedureInput; dryRun: boolean }>, {
          scopeId,
          key,
          input: input as ProcedureInput,
          dryRun,
        })
      : await write.run(
          UpdateProcedure as WriteDoc<{
            scopeId: string;
            key: string;
            input: ProcedureInput;
            inherit: string[];
            expectedRevision: number | null;
            dryRun: boolean;
          }>,
          { scopeId, key, input: input as ProcedureInput, inherit, expectedRevision: revision, dryRun },
        );
    if (result && !dryRun) {
      form.draft.sent();
      onSaved(result);
    }
  };

  const title = isNew
    ? hasParent
      ? `Override ${key} in ${scopeId}`
      : `New procedure in ${scopeId}`
    : `Edit ${key} in ${scopeId}`;

  return (
    <EditorShell
      title={title}
      busy={write.busy || syncing}
      result={write.result}
      error={write.error}
      onSubmit={() => void send(false)}
      onPreview={() => void send(true)}
      onCancel={onCancel}
      conflict={<ConflictHelp scopeId={scopeId} kind="PROCEDURE" objectKey={key} onReload={onReload} onKeepMine={keepMine} />}
    >
      {form.draft.offered ? (
        <DraftOffer savedAt={form.draft.offered.savedAt} onRestore={() => setRevision(form.draft.restore())} onDiscard={form.draft.discard} />
      ) : null}
      <MergeNotice taken={form.taken} conflicts={form.conflicts} labels={LABELS} onChoose={form.choose} />
      {isNew && !procedureKey ? (
        <div className={`field${errors.key ? ' has-error' : ''}`} data-field="key">
          <label htmlFor="proc-key">Key</label>
          <input
            id="proc-key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            spellCheck={false}
            placeholder="unlock-ledger"
            aria-invalid={errors.key ? true : undefined}
            aria-describedby={errors.key ? 'proc-key-error' : undefined}
          />
          {errors.key ? (
            <p className="field-error" id="proc-key-error" role="alert">
              {errors.key}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="small">
          Key <code>{key}</code>
          {revision != null ? <span className="muted"> · revision {revision}</span> : null}
        </p>
      )}
      <LayerField name="title" label="Title" mode={modes.title!} setMode={setMode('title')} error={errors.title} inherited={inherited?.title} hasParent={hasParent}>
        {(p) => (
          <input id={p.id} value={values.title} onChange={(e) => setValue('title')(e.target.value)} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
        )}
      </LayerField>
      <LayerField name="kind" label="Kind" mode={modes.kind!} setMode={setMode('kind')} error={errors.kind} inherited={inherited?.kind} hasParent={hasParent}>
        {(p) => (
          <select id={p.id} value={values.kind} onChange={(e) => setValue('kind')(e.target.value)} aria-invalid={p.invalid} aria-describedby={p.describedBy}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k.toLowerCase()}
              </option>
            ))}
          </select>
        )}
      </LayerField>
      <LayerField name="body" label="Body (Markdown)" mode={modes.body!} setMode={setMode('body')} error={errors.body} inherited={inherited?.body} hasParent={hasParent}>
        {(p) => (
          <MarkdownInput
            id={p.id}
            value={values.body!}
            onChange={setValue('body')}
            invalid={p.invalid}
            describedBy={p.describedBy}
          />
        )}
      </LayerField>
      <LayerField
        name="automation"
        label="Automation (JSON)"
        mode={modes.automation!}
        setMode={setMode('automation')}
        error={errors.automation}
        inherited={inherited?.automation != null ? JSON.stringify(inherited.automation) : null}
        hasParent={hasParent}
      >
        {(p) => (
          <textarea
            id={p.id}
            rows={6}
            className="mono"
            spellCheck={false}
            value={values.automation}
            onChange={(e) => setValue('automation')(e.target.value)}
            aria-invalid={p.invalid}
            aria-describedby={p.describedBy}
          />
        )}
      </LayerField>
      <LayerField name="tags" label="Tags (comma-separated)" mode={modes.tags!} setMode={setMode('tags')} error={errors.tags} inherited={inherited?.tags.join(', ')} hasParent={hasParent}>
        {(p) => (
          <input id={p.id} value={values.tags} onChange={(e) => setValue('tags')(e.target.value)} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
        )}
      </LayerField>
    </EditorShell>
  );
}
