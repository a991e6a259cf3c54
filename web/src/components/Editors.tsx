import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { AnyVariables, TypedDocumentNode } from 'urql';
import {
  CreateBranch,
  CreateProcedure,
  SetEntry,
  UpdateBranch,
  UpdateProcedure,
} from '../queries';
import type { BranchInput, ProcedureInput } from '../gql/graphql';
import type { FormContext, MappedError } from '../lib/errors';
import { localError, useWrite } from '../lib/write';
import type { BranchLayer, EffectiveBranch, EffectiveProcedure, EntryLayer, ProcedureKind, ProcedureLayer, WriteResult } from '../types';
import { ImpactView } from './Impact';
import { ErrorDetails } from './States';

/** How a form field relates to the layer: left to inheritance, given, or cleared (null). */
export type FieldMode = 'inherit' | 'set' | 'clear';

export const KINDS: ProcedureKind[] = ['STEP', 'DECISION', 'AUTOMATED', 'RESOLUTION', 'ESCALATION'];

/** The history page of one object. */
export function historyPath(scopeId: string, kind: string, key: string): string {
  return `/scopes/${encodeURIComponent(scopeId)}/history?kind=${kind}&key=${encodeURIComponent(key)}`;
}

/** Buttons, the refusal and the impact of an editor. */
function EditorShell({
  title,
  children,
  busy,
  result,
  error,
  onSubmit,
  onPreview,
  onCancel,
  conflict,
  saveLabel = 'Save',
}: {
  title: string;
  children: ReactNode;
  busy: boolean;
  result: WriteResult | null;
  error: MappedError | null;
  onSubmit: () => void;
  onPreview: () => void;
  onCancel: () => void;
  conflict?: ReactNode;
  saveLabel?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'nearest' });
    heading.current?.focus({ preventScroll: true });
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="editor card" onSubmit={submit} aria-labelledby={id} noValidate>
      <h3 id={id} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {children}
      {error ? (
        <div className={`callout ${error.conflict ? 'callout-conflict' : 'callout-error'}`} role="alert">
          <strong>{error.summary}</strong>
          {error.conflict && conflict ? conflict : null}
          <ErrorDetails error={error} skipFieldProblems />
        </div>
      ) : null}
      <div className="editor-buttons">
        <button type="button" onClick={onPreview} disabled={busy}>
          Preview impact
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Working…' : saveLabel}
        </button>
        <button type="button" className="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {result ? <ImpactView result={result} /> : null}
    </form>
  );
}

function ModeSelect({
  id,
  mode,
  onChange,
  labels,
}: {
  id: string;
  mode: FieldMode;
  onChange: (m: FieldMode) => void;
  labels: Record<FieldMode, string>;
}) {
  return (
    <select id={id} className="mode" value={mode} onChange={(e) => onChange(e.target.value as FieldMode)}>
      <option value="inherit">{labels.inherit}</option>
      <option value="set">{labels.set}</option>
      <option value="clear">{labels.clear}</option>
    </select>
  );
}

/** One field of a layer: its mode, its input, its inherited value and its error. */
function LayerField({
  name,
  label,
  mode,
  setMode,
  error,
  inherited,
  hasParent,
  children,
}: {
  name: string;
  label: string;
  mode: FieldMode;
  setMode: (m: FieldMode) => void;
  error?: string;
  inherited?: string | null;
  hasParent: boolean;
  children: (props: { id: string; disabled: boolean; describedBy?: string; invalid?: boolean }) => ReactNode;
}) {
  const id = useId();
  const errId = `${id}-error`;
  const labels: Record<FieldMode, string> = hasParent
    ? { inherit: 'inherit', set: 'set here', clear: 'clear (null)' }
    : { inherit: 'not set', set: 'set', clear: 'null' };
  return (
    <div className={`field layer-field mode-${mode}${error ? ' has-error' : ''}`} data-field={name}>
      <div className="layer-field-head">
        <label htmlFor={`${id}-input`}>{label}</label>
        <ModeSelect id={`${id}-mode`} mode={mode} onChange={setMode} labels={labels} />
        <span className="visually-hidden">
          <label htmlFor={`${id}-mode`}>{label}: how this layer sets it</label>
        </span>
      </div>
      {mode === 'set'
        ? children({ id: `${id}-input`, disabled: false, describedBy: error ? errId : undefined, invalid: Boolean(error) })
        : null}
      {mode === 'inherit' && hasParent ? (
        <p className="muted small inherited-value">
          Inherits{inherited ? <>: {inherited.length > 140 ? `${inherited.slice(0, 140)}…` : inherited}</> : '.'}
        </p>
      ) : null}
      {mode === 'clear' ? <p className="muted small">Cleared: the inherited value is replaced by nothing.</p> : null}
      {error ? (
        <p className="field-error pre" id={errId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function initialMode(layer: Record<string, unknown> | undefined, cleared: readonly string[], field: string, fallback: FieldMode): FieldMode {
  if (!layer) return fallback;
  if (cleared.includes(field)) return 'clear';
  return layer[field] != null ? 'set' : 'inherit';
}

/** A conflict explained, with the two ways out. */
function ConflictHelp({
  scopeId,
  kind,
  objectKey,
  onReload,
  onKeepMine,
}: {
  scopeId: string;
  kind: string;
  objectKey: string;
  onReload: () => void;
  onKeepMine?: () => void;
}) {
  return (
    <div className="conflict-help">
      <p>
        This {kind.toLowerCase().replace('_', ' ')} was changed by someone else after you opened it, so your save was refused
        and nothing was written. Your edits are still in the form.
      </p>
      <div className="actions">
        <Link to={historyPath(scopeId, kind, objectKey)}>See what changed</Link>
        <button type="button" onClick={onReload}>
          Discard mine, load theirs
        </button>
        {onKeepMine ? (
          <button type="button" onClick={onKeepMine}>
            Keep mine (save over theirs)
          </button>
        ) : null}
      </div>
    </div>
  );
}

type WriteDoc<V extends AnyVariables> = TypedDocumentNode<{ result: WriteResult }, V>;

/** Fetches an object's current revision, for "keep mine". */
export type RevisionFetcher = () => Promise<number | null>;

// ---------------------------------------------------------------------------
// Procedures

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
  currentRevision?: RevisionFetcher;
}

const PROCEDURE_FIELDS = ['key', 'title', 'kind', 'body', 'automation', 'tags'] as const;

export function ProcedureEditor({
  scopeId,
  procedureKey,
  layer,
  inherited,
  onSaved,
  onCancel,
  onReload,
  currentRevision,
}: ProcedureEditorProps) {
  const hasParent = Boolean(inherited);
  const isNew = !layer;
  const fallback: FieldMode = hasParent ? 'inherit' : 'set';
  const l = layer as unknown as Record<string, unknown> | undefined;
  const cleared = layer?.cleared ?? [];
  const [key, setKey] = useState(procedureKey ?? '');
  const [revision, setRevision] = useState<number | null>(layer?.revision ?? null);
  const [syncing, setSyncing] = useState(false);
  const [modes, setModes] = useState<Record<string, FieldMode>>(() => ({
    title: initialMode(l, cleared, 'title', fallback),
    kind: initialMode(l, cleared, 'kind', fallback),
    body: initialMode(l, cleared, 'body', hasParent ? 'inherit' : 'set'),
    automation: initialMode(l, cleared, 'automation', 'inherit'),
    tags: initialMode(l, cleared, 'tags', 'inherit'),
  }));
  const [values, setValues] = useState(() => ({
    title: layer?.title ?? inherited?.title ?? '',
    kind: (layer?.kind ?? inherited?.kind ?? 'STEP') as ProcedureKind,
    body: layer?.body ?? inherited?.body ?? '',
    automation:
      (layer?.automation ?? inherited?.automation) != null
        ? JSON.stringify(layer?.automation ?? inherited?.automation, null, 2)
        : '',
    tags: (layer?.tags ?? inherited?.tags ?? []).join(', '),
  }));
  const ctx: FormContext = useMemo(() => ({ fields: PROCEDURE_FIELDS, scopeId, objectKey: key }), [scopeId, key]);
  const write = useWrite(ctx);
  const errors = write.error?.fields ?? {};
  const setMode = (f: string) => (m: FieldMode) => setModes((s) => ({ ...s, [f]: m }));
  const setValue = (f: keyof typeof values) => (v: string) => setValues((s) => ({ ...s, [f]: v }));

  const build = (): { input: ProcedureInput; inherit: string[] } | null => {
    const local: Record<string, string> = {};
    const input: ProcedureInput = {};
    const inherit: string[] = [];
    if (isNew && !/^[a-z0-9][a-z0-9-]*$/.test(key)) {
      local.key = 'A key is lower-case letters, digits and dashes, starting with a letter or digit (e.g. unlock-ledger).';
    }
    for (const f of ['title', 'kind', 'body', 'automation', 'tags'] as const) {
      const mode = modes[f];
      if (mode === 'inherit') {
        if (!isNew && (l?.[f] != null || cleared.includes(f))) inherit.push(f);
        continue;
      }
      if (mode === 'clear') {
        (input as Record<string, unknown>)[f] = null;
        continue;
      }
      switch (f) {
        case 'title':
          if (!values.title.trim()) local.title = 'A title is needed (or let it inherit).';
          input.title = values.title.trim();
          break;
        case 'kind':
          input.kind = values.kind;
          break;
        case 'body':
          input.body = values.body;
          break;
        case 'automation': {
          try {
            const parsed: unknown = values.automation.trim() ? JSON.parse(values.automation) : null;
            if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
              local.automation = 'Automation is a JSON object, e.g. {"executor": "http", "input": {…}}.';
            } else {
              input.automation = parsed;
            }
          } catch (e) {
            local.automation = `Not valid JSON: ${(e as Error).message}`;
          }
          break;
        }
        case 'tags':
          input.tags = values.tags
            .split(/[,\n]/)
            .map((t) => t.trim())
            .filter(Boolean);
          break;
      }
    }
    if (Object.keys(local).length) {
      write.fail(localError(local));
      return null;
    }
    return { input, inherit };
  };

  const send = async (dryRun: boolean) => {
    const built = build();
    if (!built) return;
    let result: WriteResult | null;
    if (isNew) {
      result = await write.run(CreateProcedure as WriteDoc<{ scopeId: string; key: string; input: ProcedureInput; dryRun: boolean }>, {
        scopeId,
        key,
        input: built.input,
        dryRun,
      });
    } else {
      result = await write.run(
        UpdateProcedure as WriteDoc<{
          scopeId: string;
          key: string;
          input: ProcedureInput;
          inherit: string[];
          expectedRevision: number | null;
          dryRun: boolean;
        }>,
        { scopeId, key, input: built.input, inherit: built.inherit, expectedRevision: revision, dryRun },
      );
    }
    if (result && !dryRun) onSaved(result);
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
      conflict={
        <ConflictHelp
          scopeId={scopeId}
          kind="PROCEDURE"
          objectKey={key}
          onReload={onReload}
          onKeepMine={
            currentRevision
              ? () => {
                  // Saving waits until the current revision is known.
                  setSyncing(true);
                  void currentRevision().then((r) => {
                    setRevision(r);
                    write.reset();
                    setSyncing(false);
                  });
                }
              : undefined
          }
        />
      }
    >
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
          <textarea id={p.id} rows={8} value={values.body} onChange={(e) => setValue('body')(e.target.value)} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
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

// ---------------------------------------------------------------------------
// Branches

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
  currentRevision?: RevisionFetcher;
}

const BRANCH_FIELDS = ['from', 'label', 'to', 'condition', 'order'] as const;

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
  currentRevision,
}: BranchEditorProps) {
  const hasParent = Boolean(inherited);
  const isNew = !layer;
  const l = layer as unknown as Record<string, unknown> | undefined;
  const cleared = layer?.cleared ?? [];
  const [from, setFrom] = useState(fromKey ?? '');
  const [label, setLabel] = useState(branchLabel ?? '');
  const [revision, setRevision] = useState<number | null>(layer?.revision ?? null);
  const [syncing, setSyncing] = useState(false);
  const [modes, setModes] = useState<Record<string, FieldMode>>(() => ({
    to: initialMode(l, cleared, 'to', hasParent ? 'inherit' : 'set'),
    condition: initialMode(l, cleared, 'condition', 'inherit'),
    order: initialMode(l, cleared, 'order', 'inherit'),
  }));
  const [values, setValues] = useState(() => ({
    to: layer?.to ?? inherited?.to ?? '',
    condition: layer?.condition ?? inherited?.condition ?? '',
    order: String(layer?.order ?? inherited?.order ?? ''),
  }));
  const objectKey = `${from}/${label}`;
  const write = useWrite({ fields: BRANCH_FIELDS, scopeId, objectKey });
  const errors = write.error?.fields ?? {};
  const setMode = (f: string) => (m: FieldMode) => setModes((s) => ({ ...s, [f]: m }));
  const listId = useId();

  const send = async (dryRun: boolean) => {
    const local: Record<string, string> = {};
    const input: BranchInput = {};
    const inherit: string[] = [];
    if (isNew && !from) local.from = 'Which step does the branch leave from?';
    if (isNew && !label.trim()) local.label = 'A branch needs a label: the answer that leads along it.';
    for (const f of ['to', 'condition', 'order'] as const) {
      const mode = modes[f];
      if (mode === 'inherit') {
        if (!isNew && (l?.[f] != null || cleared.includes(f))) inherit.push(f);
        continue;
      }
      if (mode === 'clear') {
        (input as Record<string, unknown>)[f] = null;
        continue;
      }
      if (f === 'to') {
        if (!values.to.trim()) local.to = 'Where does the branch lead? A procedure key.';
        input.to = values.to.trim();
      } else if (f === 'condition') {
        input.condition = values.condition;
      } else {
        const n = Number(values.order);
        if (!Number.isInteger(n)) local.order = 'The order is a whole number (branches are sorted by it).';
        input.order = n;
      }
    }
    if (Object.keys(local).length) {
      write.fail(localError(local));
      return;
    }
    const result = isNew
      ? await write.run(CreateBranch as WriteDoc<{ scopeId: string; from: string; label: string; input: BranchInput; dryRun: boolean }>, {
          scopeId,
          from,
          label: label.trim(),
          input,
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
          { scopeId, from, label, input, inherit, expectedRevision: revision, dryRun },
        );
    if (result && !dryRun) onSaved(result);
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
      conflict={
        <ConflictHelp
          scopeId={scopeId}
          kind="BRANCH"
          objectKey={objectKey}
          onReload={onReload}
          onKeepMine={
            currentRevision
              ? () => {
                  // Saving waits until the current revision is known.
                  setSyncing(true);
                  void currentRevision().then((r) => {
                    setRevision(r);
                    write.reset();
                    setSyncing(false);
                  });
                }
              : undefined
          }
        />
      }
    >
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
            onChange={(e) => setValues((s) => ({ ...s, to: e.target.value }))}
            aria-invalid={p.invalid}
            aria-describedby={p.describedBy}
          />
        )}
      </LayerField>
      <LayerField name="condition" label="Condition" mode={modes.condition!} setMode={setMode('condition')} error={errors.condition} inherited={inherited?.condition} hasParent={hasParent}>
        {(p) => (
          <input id={p.id} value={values.condition} onChange={(e) => setValues((s) => ({ ...s, condition: e.target.value }))} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
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
            onChange={(e) => setValues((s) => ({ ...s, order: e.target.value }))}
            aria-invalid={p.invalid}
            aria-describedby={p.describedBy}
          />
        )}
      </LayerField>
    </EditorShell>
  );
}

// ---------------------------------------------------------------------------
// Entries

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

// ---------------------------------------------------------------------------
// One-click writes (remove, delete, restore), previewed first.

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
