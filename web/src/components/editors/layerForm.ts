/*
 * The field-mode machine every layer editor runs: each field of a layer is
 * left to inheritance, set here, or cleared (null). The hook keeps the modes
 * and the typed values, and turns them into a write's `input` and `inherit`
 * lists; each editor only says how its fields parse. It also keeps what the
 * form was loaded with (the base of a three-way resolve on conflict) and a
 * draft of unsent edits in the browser.
 */
import { useEffect, useState } from 'react';
import { config } from '../../config';
import { draftKey, useDraft } from '../../lib/drafts';
import { sameField, threeWay, type FieldConflict, type FieldState } from '../../lib/merge';
import type { useWrite } from '../../lib/write';
import type { FieldMode } from './shell';

/** A field as the form starts: its text and the mode to use when the layer does not say. */
export interface FieldStart {
  initial: string;
  fallback: FieldMode;
}

/** A field's text parsed for the write, or what is wrong with it. */
export type Parsed = { value: unknown } | { error: string };

/** A layer as the editors get it. */
export type AnyLayer = { cleared?: readonly string[] | null; revision?: number | null };

/** The mode a layer gives a field: cleared, set, or (absent) inherited. */
function initialMode(layer: Record<string, unknown> | undefined, cleared: readonly string[], field: string, fallback: FieldMode): FieldMode {
  if (!layer) return fallback;
  if (cleared.includes(field)) return 'clear';
  return layer[field] != null ? 'set' : 'inherit';
}

/** A draft of a form: my fields, what they were based on, and its revision. */
interface FormDraft<F extends string> {
  fields: Record<F, FieldState>;
  base: Record<F, FieldState>;
  revision: number | null;
}

/** The fields a layer gives the form. */
function statesOf<F extends string, L extends AnyLayer>(layer: L | undefined, start: (l: L | undefined) => Record<F, FieldStart>) {
  const raw = layer as unknown as Record<string, unknown> | undefined;
  const starts = start(layer);
  const names = Object.keys(starts) as F[];
  return Object.fromEntries(
    names.map((f) => [f, { mode: initialMode(raw, layer?.cleared ?? [], f, starts[f].fallback), value: starts[f].initial }]),
  ) as Record<F, FieldState>;
}

/**
 * The modes and values of a layer's fields, and what they make of a write.
 * `start` gives each field's start from a layer (the loaded one, or theirs
 * on conflict); `draftOf` names the object for its draft (scope, object).
 */
export function useLayerForm<F extends string, L extends AnyLayer>(
  layer: L | undefined,
  start: (l: L | undefined) => Record<F, FieldStart>,
  draftOf: { scope: string; object: string },
) {
  const [based, setBased] = useState(() => ({ layer, states: statesOf(layer, start), revision: layer?.revision ?? null }));
  const [fields, setFields] = useState(based.states);
  const [conflicts, setConflicts] = useState<FieldConflict<F>[]>([]);
  const [taken, setTaken] = useState<F[]>([]);
  const draft = useDraft<FormDraft<F>>(draftKey(config.host, draftOf.scope, draftOf.object));
  const names = Object.keys(based.states) as F[];
  const unchanged = names.every((f) => sameField(fields[f], based.states[f]));
  const keep = draft.keep;
  useEffect(() => {
    keep({ fields, base: based.states, revision: based.revision }, unchanged);
  }, [fields, based, unchanged, keep]);

  const modes = Object.fromEntries(names.map((f) => [f, fields[f].mode])) as Record<F, FieldMode>;
  const values = Object.fromEntries(names.map((f) => [f, fields[f].value])) as Record<F, string>;
  const setMode = (f: F) => (m: FieldMode) => setFields((s) => ({ ...s, [f]: { ...s[f], mode: m } }));
  const setValue = (f: F) => (v: string) => setFields((s) => ({ ...s, [f]: { ...s[f], value: v } }));

  /** Resolves my fields against theirs (the store's layer now), field by field. */
  const resolveWith = (theirs: L | undefined) => {
    const theirStates = statesOf(theirs, start);
    const r = threeWay(based.states, fields, theirStates);
    setFields(r.merged);
    setConflicts(r.conflicts);
    setTaken(r.theirs);
    setBased({ layer: theirs, states: theirStates, revision: theirs?.revision ?? null });
    return theirs?.revision ?? null;
  };
  /** Takes one side of a conflicting field. */
  const choose = (f: F, side: 'mine' | 'theirs') => {
    const c = conflicts.find((x) => x.field === f);
    if (!c) return;
    setFields((s) => ({ ...s, [f]: c[side] }));
    setConflicts((list) => list.filter((x) => x.field !== f));
  };
  /** Puts the kept draft back: my fields, over the base they were typed on. */
  const restoreDraft = () => {
    const kept = draft.offered?.value;
    draft.dismiss();
    if (!kept) return null;
    setBased((b) => ({ ...b, states: kept.base, revision: kept.revision }));
    setFields(kept.fields);
    return kept.revision;
  };

  /**
   * The write's `input` (set fields parsed, cleared ones null) and `inherit`
   * (fields this layer sets or clears today and leaves to inheritance now),
   * with the problems found in `local`.
   */
  const collect = (parse: Record<F, (text: string) => Parsed>, local: Record<string, string>) => {
    const input: Record<string, unknown> = {};
    const inherit: string[] = [];
    const raw = based.layer as unknown as Record<string, unknown> | undefined;
    const cleared = based.layer?.cleared ?? [];
    for (const f of names) {
      const mode = modes[f];
      if (conflicts.some((c) => c.field === f)) {
        local[f] = 'You and someone else both changed this: choose yours or theirs.';
      } else if (mode === 'inherit') {
        if (based.layer && (raw?.[f] != null || cleared.includes(f))) inherit.push(f);
      } else if (mode === 'clear') {
        input[f] = null;
      } else {
        const parsed = parse[f](values[f]);
        if ('error' in parsed) local[f] = parsed.error;
        else input[f] = parsed.value;
      }
    }
    return { input, inherit };
  };

  return {
    modes,
    values,
    setMode,
    setValue,
    collect,
    resolveWith,
    choose,
    conflicts,
    taken,
    draft: { offered: draft.offered, restore: restoreDraft, discard: draft.clear, sent: draft.clear },
  };
}

/**
 * The revision the next save expects. "Keep mine": fetch the object's
 * layer as the store has it now, resolve the form against it field by field
 * (`resolve`), and expect its revision. Saving waits (`syncing`) meanwhile.
 */
export function useRevision<L extends AnyLayer>(
  initial: number | null,
  write: ReturnType<typeof useWrite>,
  resolve: (theirs: L | undefined) => number | null,
  currentLayer?: () => Promise<L | undefined>,
) {
  const [revision, setRevision] = useState<number | null>(initial);
  const [syncing, setSyncing] = useState(false);
  const keepMine = currentLayer
    ? () => {
        setSyncing(true);
        void currentLayer().then((theirs) => {
          setRevision(resolve(theirs));
          write.reset();
          setSyncing(false);
        });
      }
    : undefined;
  return { revision, setRevision, syncing, keepMine };
}
