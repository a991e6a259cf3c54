import { afterEach, describe, expect, it } from 'vitest';
import { clearDraft, draftKey, loadDraft, saveDraft } from './drafts';

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

describe('drafts', () => {
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('keeps a draft per host, scope and object until it is cleared', () => {
    (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
    const a = draftKey(null, 'svc', 'procedure:fix');
    const b = draftKey('tenant-b', 'svc', 'procedure:fix');
    expect(a).not.toBe(b);
    expect(draftKey('x', 'a:b', 'c')).not.toBe(draftKey('x:a', 'b', 'c'));
    saveDraft(a, { body: 'typing' }, new Date('2026-12-03T10:00:00Z'));
    expect(loadDraft(a)).toEqual({ savedAt: '2026-12-03T10:00:00.000Z', value: { body: 'typing' } });
    expect(loadDraft(b)).toBeNull();
    clearDraft(a);
    expect(loadDraft(a)).toBeNull();
  });

  it('treats unreadable drafts and a missing or failing storage as no draft', () => {
    expect(loadDraft('k')).toBeNull();
    saveDraft('k', 1);
    const broken = new MemoryStorage();
    broken.setItem('k', '{not json');
    broken.setItem('old', JSON.stringify({ value: 1 }));
    (globalThis as { localStorage?: unknown }).localStorage = broken;
    expect(loadDraft('k')).toBeNull();
    expect(loadDraft('old')).toBeNull();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => undefined,
    };
    expect(() => saveDraft('k', 'x')).not.toThrow();
  });
});
