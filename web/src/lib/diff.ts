import { diffLines, diffWordsWithSpace } from 'diff';

/** A run of text that is the same, added or removed. */
export interface Segment {
  text: string;
  added?: boolean;
  removed?: boolean;
}

/** One field of an object, before and after a change. */
export interface FieldDiff {
  field: string;
  status: 'added' | 'removed' | 'changed' | 'same';
  before?: unknown;
  after?: unknown;
  /** For changed fields: the text diff (words for one line, lines otherwise). */
  segments?: Segment[];
  /** Whether `segments` is a diff of lines or of words. */
  mode?: 'lines' | 'words';
}

/** JSON with sorted keys, so equal objects print the same. */
export function stableJson(value: unknown, indent = 2): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value), null, indent) ?? 'null';
}

/** How a value is shown in a diff: strings as they are, the rest as JSON. */
export function display(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return stableJson(value);
}

/** Whether two values are compared line by line (else word by word). */
export function isMultiLine(before: unknown, after: unknown): boolean {
  return display(before).includes('\n') || display(after).includes('\n');
}

/** The text diff of two values. */
export function textDiff(before: unknown, after: unknown): Segment[] {
  const a = display(before);
  const b = display(after);
  const multiLine = isMultiLine(before, after);
  const parts = multiLine ? diffLines(a, b) : diffWordsWithSpace(a, b);
  return parts.map((p) => ({
    text: p.value,
    ...(p.added ? { added: true } : {}),
    ...(p.removed ? { removed: true } : {}),
  }));
}

function fields(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Field-by-field diff of two versions of an object (history's `before` and
 * `after`; either may be null for a creation or a deletion). Fields keep the
 * order they have in `after`, then those only in `before`.
 */
export function diffObjects(before: unknown, after: unknown): FieldDiff[] {
  const a = fields(before);
  const b = fields(after);
  const order = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
  return order.map((field): FieldDiff => {
    const inA = field in a;
    const inB = field in b;
    if (!inA) return { field, status: 'added', after: b[field] };
    if (!inB) return { field, status: 'removed', before: a[field] };
    if (stableJson(a[field]) === stableJson(b[field])) {
      return { field, status: 'same', before: a[field], after: b[field] };
    }
    return {
      field,
      status: 'changed',
      before: a[field],
      after: b[field],
      segments: textDiff(a[field], b[field]),
      mode: isMultiLine(a[field], b[field]) ? 'lines' : 'words',
    };
  });
}

/** A one-line summary: `title changed; body changed; tags added`. */
export function summarize(diff: FieldDiff[]): string {
  const parts = diff.filter((d) => d.status !== 'same').map((d) => `${d.field} ${d.status}`);
  return parts.length ? parts.join('; ') : 'no field changed';
}
