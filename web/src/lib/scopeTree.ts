/** A scope as the scope list gives it. */
export interface ScopeNode {
  id: string;
  name: string;
  kind: string;
  parents: { id: string }[];
}

export interface TreeItem {
  scope: ScopeNode;
  children: TreeItem[];
  /** Other parents this scope also sits under (multiple inheritance). */
  alsoUnder: string[];
}

const KIND_ORDER = ['FRAMEWORK', 'ORGANIZATION', 'LINE_OF_BUSINESS', 'TEMPLATE', 'SERVICE'];

function byKindThenId(a: ScopeNode, b: ScopeNode): number {
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  return k !== 0 ? k : a.id.localeCompare(b.id);
}

/**
 * The scopes as a forest: roots are scopes without parents; a scope with
 * several parents is placed under its first parent and notes the others.
 */
export function scopeForest(scopes: readonly ScopeNode[]): TreeItem[] {
  const byId = new Map(scopes.map((s) => [s.id, s]));
  const children = new Map<string, ScopeNode[]>();
  const roots: ScopeNode[] = [];
  for (const s of scopes) {
    const first = s.parents.find((p) => byId.has(p.id));
    if (!first) roots.push(s);
    else children.set(first.id, [...(children.get(first.id) ?? []), s]);
  }
  const seen = new Set<string>();
  const build = (s: ScopeNode): TreeItem => {
    seen.add(s.id);
    const kids = (children.get(s.id) ?? []).filter((c) => !seen.has(c.id)).sort(byKindThenId);
    return {
      scope: s,
      children: kids.map(build),
      alsoUnder: s.parents.slice(1).map((p) => p.id),
    };
  };
  return roots.sort(byKindThenId).map(build);
}
