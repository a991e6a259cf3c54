import type { CombinedError } from 'urql';

/** One problem of an INVALID_RUNBOOK refusal (`extensions.problems`). */
export interface Problem {
  code: string;
  scope: string;
  key: string | null;
  message: string;
  /** The form field it belongs to, when it belongs to one. */
  field?: string;
}

/** A refused request, in the terms a form needs. */
export interface MappedError {
  /** `extensions.code` of the first error, or NETWORK / HTTP_<status>. */
  code: string;
  /** One line for the top of the form. */
  summary: string;
  /** Message per form field (`extensions.field`, or a problem placed on a field). */
  fields: Record<string, string>;
  /** Problems of an INVALID_RUNBOOK refusal. */
  problems: Problem[];
  /** Errors that belong to no field. */
  general: string[];
  /** A stale `expectedRevision` (or a create of something that exists). */
  conflict: boolean;
  /** On a stale import: what others changed since its base revision (`extensions.revision.changes`). */
  changes?: ChangeMade[];
  /** On a refused YAML import: where each error is (`extensions.yamlErrors`). */
  lines?: LineError[];
}

/** An error at a line (1-based) of a YAML text. */
export interface LineError {
  line: number;
  column: number | null;
  message: string;
}

function asLineErrors(value: unknown): LineError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e) => {
    const { line, column, message } = (e ?? {}) as { line?: unknown; column?: unknown; message?: unknown };
    if (typeof line !== 'number' || typeof message !== 'string') return [];
    return [{ line, column: typeof column === 'number' ? column : null, message }];
  });
}

/** One change someone made since a document was read. */
export interface ChangeMade {
  changeId: number;
  scopeId: string;
  kind: string;
  key: string;
  action: string;
  fields: string[];
  uid: string;
  at: string;
  operation: string;
}

function asChanges(value: unknown): ChangeMade[] {
  const list = (value as { changes?: unknown } | undefined)?.changes;
  return Array.isArray(list) ? (list.filter((c) => c && typeof c === 'object') as ChangeMade[]) : [];
}

interface RawError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** Which form the error is shown in: its fields, and the object it edits. */
export interface FormContext {
  /** Field names the form shows, e.g. `['key', 'title', 'kind', 'body']`. */
  fields: readonly string[];
  /** Aliases from server field names to form fields, e.g. `{ input: 'yaml' }`. */
  aliases?: Record<string, string>;
  /** The scope edited, to single out problems about this object. */
  scopeId?: string;
  /** The object's key as problems name it: a procedure key, `from/label`, or a code. */
  objectKey?: string;
}

const SUMMARIES: Record<string, string> = {
  BAD_USER_INPUT: 'Some input was not accepted.',
  INVALID_RUNBOOK: 'The change was refused: the runbooks would not resolve.',
  CONFLICT: 'Someone changed this since you opened it.',
  NOT_FOUND: 'Not found.',
  UNAUTHENTICATED: 'You are not signed in, or your session has expired.',
  FORBIDDEN: 'You may not do this.',
  LIMIT_EXCEEDED: 'The request was too large for the server’s limits.',
  INTERNAL: 'The server failed; the details are in its log.',
  UNAVAILABLE: 'The server is busy or cannot reach its store; nothing was changed. Try again in a moment.',
  NETWORK: 'The server could not be reached.',
};

/** Which form field a problem of INVALID_RUNBOOK belongs to, if any. */
function problemField(p: Problem, ctx: FormContext): string | undefined {
  const has = (f: string) => ctx.fields.includes(f);
  switch (p.code) {
    case 'BRANCH_NOT_RESOLVED':
    case 'INCOMPLETE_BRANCH':
      return has('to') ? 'to' : undefined;
    case 'ENTRY_NOT_RESOLVED':
      return has('key') ? 'key' : undefined;
    case 'INCOMPLETE_PROCEDURE': {
      const missing = ['title', 'kind'].find((f) => new RegExp(`\\bno ${f}\\b`).test(p.message) && has(f));
      return missing;
    }
    case 'UNKNOWN_PARENT':
    case 'INHERITANCE_CYCLE':
    case 'LINEARIZATION':
      return has('parents') ? 'parents' : undefined;
    default:
      return undefined;
  }
}

/** The form field an `extensions.field` path names: `procedures.x.title` → `title`. */
export function formField(path: string, ctx: FormContext): string | undefined {
  if (ctx.aliases?.[path]) return ctx.aliases[path];
  if (ctx.fields.includes(path)) return path;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    const part = parts[i] as string;
    if (ctx.aliases?.[part]) return ctx.aliases[part];
    if (ctx.fields.includes(part)) return part;
  }
  return undefined;
}

function asProblems(value: unknown): Problem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    if (!v || typeof v !== 'object') return [];
    const o = v as Record<string, unknown>;
    return [
      {
        code: String(o.code ?? ''),
        scope: String(o.scopeId ?? o.scope ?? ''),
        key: o.key == null ? null : String(o.key),
        message: String(o.message ?? ''),
      },
    ];
  });
}

/**
 * Maps the errors of a GraphQL response to what a form shows: messages under
 * the fields they name, INVALID_RUNBOOK problems (on a field where one fits),
 * a conflict flag for stale revisions, and the rest as general messages.
 */
export function mapGraphQLErrors(errors: readonly RawError[], ctx: FormContext = { fields: [] }): MappedError {
  const fields: Record<string, string> = {};
  const problems: Problem[] = [];
  const general: string[] = [];
  const changes: ChangeMade[] = [];
  const lines: LineError[] = [];
  let code = '';
  for (const e of errors) {
    const ext = e.extensions ?? {};
    const c = typeof ext.code === 'string' ? ext.code : 'ERROR';
    if (!code) code = c;
    lines.push(...asLineErrors(ext.yamlErrors));
    if (c === 'CONFLICT') changes.push(...asChanges(ext.revision));
    if (c === 'INVALID_RUNBOOK') {
      const list = asProblems(ext.problems);
      if (list.length === 0) general.push(e.message);
      for (const p of list) {
        const mine = !ctx.objectKey || !p.key || p.key === ctx.objectKey;
        const sameScope = !ctx.scopeId || p.scope === ctx.scopeId;
        const field = mine && sameScope ? problemField(p, ctx) : undefined;
        if (field) {
          p.field = field;
          fields[field] = fields[field] ? `${fields[field]}\n${p.message}` : p.message;
        }
        problems.push(p);
      }
      continue;
    }
    const path = typeof ext.field === 'string' ? ext.field : undefined;
    const field = path ? formField(path, ctx) : undefined;
    if (field) {
      fields[field] = fields[field] ? `${fields[field]}\n${e.message}` : e.message;
    } else {
      general.push(e.message);
    }
  }
  code = code || 'ERROR';
  return {
    general: [...new Set(general)],
    code,
    summary: SUMMARIES[code] ?? 'The request failed.',
    fields,
    problems,
    conflict: code === 'CONFLICT',
    changes,
    lines,
  };
}

/** The same, from urql's CombinedError (network failures included). */
export function mapError(error: CombinedError | undefined | null, ctx?: FormContext): MappedError | null {
  if (!error) return null;
  if (error.graphQLErrors.length > 0) {
    return mapGraphQLErrors(
      error.graphQLErrors.map((g) => ({ message: g.message, extensions: g.extensions as Record<string, unknown> })),
      ctx,
    );
  }
  const status = (error.response as Response | undefined)?.status;
  const code = status ? `HTTP_${status}` : 'NETWORK';
  const message = error.networkError?.message ?? error.message;
  return {
    code,
    summary:
      status === 401
        ? SUMMARIES.UNAUTHENTICATED!
        : status === 413
          ? 'The request was too large.'
          : status
            ? `The server answered ${status}.`
            : SUMMARIES.NETWORK!,
    fields: {},
    problems: [],
    general: message ? [message] : [],
    conflict: false,
  };
}
