/*
 * What every editor shares: the form's shell (buttons, refusal, impact), one
 * field of a layer with its mode, the help shown on a conflict, the
 * three-way resolve's choices and a kept draft's offer.
 */
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { AnyVariables, TypedDocumentNode } from 'urql';
import type { MappedError } from '../../lib/errors';
import type { FieldConflict, FieldState } from '../../lib/merge';
import type { ProcedureKind, WriteResult } from '../../types';
import { ImpactView } from '../Impact';
import { ErrorDetails } from '../States';

/** How a form field relates to the layer: left to inheritance, given, or cleared (null). */
export type FieldMode = 'inherit' | 'set' | 'clear';

/**
 * The words for the modes, the same in every editor, summary and conflict
 * view: *Inherit* (the layer does not write the field), *Set here*, *Clear*
 * (the layer writes null, hiding what it would inherit; `null` in the YAML,
 * "clears" in a scope's content).
 */
export const MODE_WORDS: Record<FieldMode, string> = { inherit: 'Inherit', set: 'Set here', clear: 'Clear' };

export const KINDS: ProcedureKind[] = ['STEP', 'DECISION', 'AUTOMATED', 'RESOLUTION', 'ESCALATION'];

/** The history page of one object. */
export function historyPath(scopeId: string, kind: string, key: string): string {
  return `/scopes/${encodeURIComponent(scopeId)}/history?kind=${kind}&key=${encodeURIComponent(key)}`;
}

/** Buttons, the refusal and the impact of an editor. */
export function EditorShell({
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
export function LayerField({
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
  // With nothing above to inherit from, inheriting leaves the field unset.
  const labels: Record<FieldMode, string> = hasParent
    ? MODE_WORDS
    : { ...MODE_WORDS, inherit: `${MODE_WORDS.inherit} (nothing above: unset)` };
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
      {mode === 'clear' ? (
        <p className="muted small">{MODE_WORDS.clear}: this layer writes nothing here, hiding what it would inherit.</p>
      ) : null}
      {error ? (
        <p className="field-error pre" id={errId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A conflict explained, with the two ways out. */
export function ConflictHelp({
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

export type WriteDoc<V extends AnyVariables> = TypedDocumentNode<{ result: WriteResult }, V>;

/** Fetches an object's layer as the store has it now, for "keep mine". */
export type LayerFetcher<L> = () => Promise<L | undefined>;

/** Shows a field's state in a few words. */
function shown(state: FieldState): string {
  if (state.mode !== 'set') return `(${MODE_WORDS[state.mode]})`;
  return state.value === '' ? '(empty)' : state.value;
}

/**
 * After "keep mine": which of their changes were taken, and each field both
 * changed differently, side by side, to choose.
 */
export function MergeNotice<F extends string>({
  taken,
  conflicts,
  labels,
  onChoose,
}: {
  taken: F[];
  conflicts: FieldConflict<F>[];
  labels: Record<F, string>;
  onChoose: (field: F, side: 'mine' | 'theirs') => void;
}) {
  if (!taken.length && !conflicts.length) return null;
  return (
    <div className="callout callout-warn merge-notice" role="status">
      {taken.length ? (
        <p>
          Their changes kept: {taken.map((f) => labels[f]).join(', ')}. Your own changes stay; save to write them over theirs.
        </p>
      ) : null}
      {conflicts.map((c) => (
        <div key={c.field} className="merge-choice" data-field={c.field}>
          <p>
            <strong>{labels[c.field]}</strong>: you and someone else both changed it.
          </p>
          <div className="merge-sides">
            <div className="merge-side">
              <span className="muted small">Yours</span>
              <pre className="mono">{shown(c.mine)}</pre>
              <button type="button" onClick={() => onChoose(c.field, 'mine')}>
                Use mine
              </button>
            </div>
            <div className="merge-side">
              <span className="muted small">Theirs</span>
              <pre className="mono">{shown(c.theirs)}</pre>
              <button type="button" onClick={() => onChoose(c.field, 'theirs')}>
                Use theirs
              </button>
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

/** A kept draft of this form, offered back. */
export function DraftOffer({ savedAt, onRestore, onDiscard }: { savedAt: string; onRestore: () => void; onDiscard: () => void }) {
  return (
    <div className="callout draft-offer" role="status">
      <p>You have unsent edits here from {new Date(savedAt).toLocaleString()} (kept in this browser).</p>
      <div className="actions">
        <button type="button" onClick={onRestore}>
          Restore my draft
        </button>
        <button type="button" className="ghost" onClick={onDiscard}>
          Discard it
        </button>
      </div>
    </div>
  );
}
