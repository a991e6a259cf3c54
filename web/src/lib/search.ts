/** Where a search hit leads, and when a query is worth sending. */

export interface HitTarget {
  kind: 'SCOPE' | 'PROCEDURE' | 'ERROR_CODE';
  scopeId: string;
  scopeKind: string;
  key?: string | null;
}

/** The shortest query sent as one types: one letter finds too much to help. */
export const MIN_QUERY = 2;

/** The server's bound on a query (`domain::search::MAX_QUERY_CHARS`). */
export const MAX_QUERY = 200;

/** Whether `text` is worth a request: some letters or digits, within the bound. */
export function searchable(text: string): boolean {
  const t = text.trim();
  return t.length >= MIN_QUERY && t.length <= MAX_QUERY && /[\p{L}\p{N}]/u.test(t);
}

/**
 * The page a hit opens: a service's runbook (at the error code, for a code
 * a service registers), else the scope's page, where inherited and own
 * content is shown with its provenance.
 */
export function hitPath(hit: HitTarget): string {
  const scope = encodeURIComponent(hit.scopeId);
  if (hit.scopeKind === 'SERVICE') {
    if (hit.kind === 'ERROR_CODE' && hit.key) return `/runbook/${scope}/${encodeURIComponent(hit.key)}`;
    if (hit.kind === 'SCOPE') return `/runbook/${scope}`;
    return `/scopes/${scope}/effective`;
  }
  return `/scopes/${scope}`;
}

/** What a hit is, in words. */
export function hitLabel(hit: HitTarget): string {
  const kind = hit.scopeKind.toLowerCase().replace(/_/g, ' ');
  switch (hit.kind) {
    case 'SCOPE':
      return kind;
    case 'PROCEDURE':
      return `procedure of a ${kind}`;
    case 'ERROR_CODE':
      return `error code of a ${kind}`;
  }
}
