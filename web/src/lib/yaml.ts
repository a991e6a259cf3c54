import { parseAllDocuments, stringify } from 'yaml';
import type { ScopeData } from '../types';

type Fields = Record<string, unknown>;

/** A layer's fields as the YAML format writes them: given ones, then cleared ones as null. */
function layer(source: Fields, names: readonly string[], cleared: readonly string[]): Fields {
  const out: Fields = {};
  for (const name of names) {
    const value = source[name];
    if (cleared.includes(name)) out[name] = null;
    else if (value !== null && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * One scope's document in the `light-runbook/v1` format (the CLI's `export`
 * shape) of `host` (null: the default host), built from what `scope(id)` returns: its own fields and layers, not
 * merged. Importing it unchanged changes nothing; editing it and importing it
 * (`importRunbook`) replaces the scope's whole content.
 */
export function scopeToYaml(scope: ScopeData, host: string | null = null): string {
  const doc: Fields = { format: 'light-runbook/v1' };
  // Without a host the document goes to the service's default host on import.
  if (host) doc.host = host;
  Object.assign(doc, {
    scope: scope.id,
    name: scope.name,
    kind: scope.kind,
  });
  if (scope.parents.length) doc.parents = scope.parents.map((p) => p.id);
  if (scope.owners.length) doc.owners = [...scope.owners];
  if (scope.contacts.length) {
    doc.contacts = scope.contacts.map((c) => layer(c as Fields, ['name', 'email', 'phone', 'chat'], []));
  }
  if (scope.errorCodes.length) {
    doc.errorCodes = Object.fromEntries(
      [...scope.errorCodes]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((e) => [e.code, layer(e as Fields, ['statusCode', 'message', 'description', 'severity'], e.cleared)]),
    );
  }
  if (scope.procedures.length) {
    doc.procedures = Object.fromEntries(
      [...scope.procedures]
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((p) => [
          p.key,
          p.removed ? { removed: true } : layer(p as Fields, ['title', 'kind', 'body', 'automation', 'tags'], p.cleared),
        ]),
    );
  }
  if (scope.branches.length) {
    doc.branches = scope.branches.map((b) =>
      b.removed
        ? { from: b.from, label: b.label, removed: true }
        : { from: b.from, label: b.label, ...layer(b as Fields, ['to', 'condition', 'order'], b.cleared) },
    );
  }
  if (scope.entries.length) {
    doc.entries = Object.fromEntries(scope.entries.map((e) => [e.code, e.key ?? null]));
  }
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** YAML syntax errors of `text`, where they are, as the editor marks them. */
export function syntaxErrors(text: string): { from: number; to: number; message: string }[] {
  return parseAllDocuments(text).flatMap((doc) =>
    'errors' in doc
      ? doc.errors.map((e) => ({
          from: e.pos[0],
          to: Math.max(e.pos[1], e.pos[0] + 1),
          message: e.message.split('\n')[0] ?? e.message,
        }))
      : [],
  );
}
