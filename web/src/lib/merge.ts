/*
 * The three-way resolve of a form whose save met someone else's change:
 * field by field from the base (what the form was loaded with), theirs (the
 * store now) and mine (the form now). A field only I changed is mine, a
 * field only they changed is theirs, and a field both changed differently
 * is a conflict the user chooses (mine stays in the form until then).
 */

/** A form field as a layer has it: its mode and (when set) its text. */
export interface FieldState {
  mode: 'inherit' | 'set' | 'clear';
  value: string;
}

/** One field both sides changed differently. */
export interface FieldConflict<F extends string> {
  field: F;
  mine: FieldState;
  theirs: FieldState;
}

/** The resolved fields, which side each came from, and the conflicts. */
export interface Resolution<F extends string> {
  merged: Record<F, FieldState>;
  /** Fields taken from theirs (only they changed them). */
  theirs: F[];
  /** Fields kept from mine (only I changed them). */
  mine: F[];
  conflicts: FieldConflict<F>[];
}

/** Whether two field states mean the same: the text counts only when set. */
export function sameField(a: FieldState, b: FieldState): boolean {
  return a.mode === b.mode && (a.mode !== 'set' || a.value === b.value);
}

/** Resolves every field of `base` from base, mine and theirs. */
export function threeWay<F extends string>(
  base: Record<F, FieldState>,
  mine: Record<F, FieldState>,
  theirs: Record<F, FieldState>,
): Resolution<F> {
  const out: Resolution<F> = { merged: { ...mine }, theirs: [], mine: [], conflicts: [] };
  for (const field of Object.keys(base) as F[]) {
    const [b, m, t] = [base[field], mine[field], theirs[field]];
    const iChanged = !sameField(b, m);
    const theyChanged = !sameField(b, t);
    if (!iChanged) {
      out.merged[field] = t;
      if (theyChanged) out.theirs.push(field);
    } else if (!theyChanged || sameField(m, t)) {
      out.merged[field] = m;
      if (!sameField(m, t)) out.mine.push(field);
    } else {
      out.merged[field] = m;
      out.conflicts.push({ field, mine: m, theirs: t });
    }
  }
  return out;
}
