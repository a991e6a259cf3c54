/*
 * The field-mode machine every layer editor runs: each field of a layer is
 * left to inheritance, set here, or cleared (null). The hook keeps the modes
 * and the typed values, and turns them into a write's `input` and `inherit`
 * lists; each editor only says how its fields parse.
 */
import { useState } from 'react';
import type { useWrite } from '../../lib/write';
import type { FieldMode, RevisionFetcher } from './shell';

/** A field as the form starts: its text and the mode to use when the layer does not say. */
export interface FieldStart {
  initial: string;
  fallback: FieldMode;
}

/** A field's text parsed for the write, or what is wrong with it. */
export type Parsed = { value: unknown } | { error: string };

/** The mode a layer gives a field: cleared, set, or (absent) inherited. */
function initialMode(layer: Record<string, unknown> | undefined, cleared: readonly string[], field: string, fallback: FieldMode): FieldMode {
  if (!layer) return fallback;
  if (cleared.includes(field)) return 'clear';
  return layer[field] != null ? 'set' : 'inherit';
}

/** The modes and values of a layer's fields, and what they make of a write. */
export function useLayerForm<F extends string>(
  layer: { cleared?: readonly string[] | null } | undefined,
  fields: Record<F, FieldStart>,
) {
  const names = Object.keys(fields) as F[];
  const raw = layer as unknown as Record<string, unknown> | undefined;
  const cleared = layer?.cleared ?? [];
  const isNew = !layer;
  const [modes, setModes] = useState(
    () => Object.fromEntries(names.map((f) => [f, initialMode(raw, cleared, f, fields[f].fallback)])) as Record<F, FieldMode>,
  );
  const [values, setValues] = useState(() => Object.fromEntries(names.map((f) => [f, fields[f].initial])) as Record<F, string>);
  const setMode = (f: F) => (m: FieldMode) => setModes((s) => ({ ...s, [f]: m }));
  const setValue = (f: F) => (v: string) => setValues((s) => ({ ...s, [f]: v }));

  /**
   * The write's `input` (set fields parsed, cleared ones null) and `inherit`
   * (fields this layer sets or clears today and leaves to inheritance now),
   * with the problems found in `local`.
   */
  const collect = (parse: Record<F, (text: string) => Parsed>, local: Record<string, string>) => {
    const input: Record<string, unknown> = {};
    const inherit: string[] = [];
    for (const f of names) {
      const mode = modes[f];
      if (mode === 'inherit') {
        if (!isNew && (raw?.[f] != null || cleared.includes(f))) inherit.push(f);
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

  return { modes, values, setMode, setValue, collect };
}

/**
 * "Keep mine": take the object's current revision so the next save goes over
 * theirs. Saving waits (`syncing`) until the revision is known.
 */
export function useRevision(initial: number | null, write: ReturnType<typeof useWrite>, currentRevision?: RevisionFetcher) {
  const [revision, setRevision] = useState<number | null>(initial);
  const [syncing, setSyncing] = useState(false);
  const keepMine = currentRevision
    ? () => {
        setSyncing(true);
        void currentRevision().then((r) => {
          setRevision(r);
          write.reset();
          setSyncing(false);
        });
      }
    : undefined;
  return { revision, syncing, keepMine };
}
