import { describe, expect, it } from 'vitest';
import { sameField, threeWay, type FieldState } from './merge';

const set = (value: string): FieldState => ({ mode: 'set', value });
const inherit: FieldState = { mode: 'inherit', value: 'ignored' };
const clear: FieldState = { mode: 'clear', value: '' };

describe('threeWay', () => {
  it('keeps their change to a field I never touched', () => {
    const base = { title: set('T'), body: set('B') };
    const r = threeWay(base, { title: set('T'), body: set('mine') }, { title: set('theirs'), body: set('B') });
    expect(r.merged).toEqual({ title: set('theirs'), body: set('mine') });
    expect(r.theirs).toEqual(['title']);
    expect(r.mine).toEqual(['body']);
    expect(r.conflicts).toEqual([]);
  });

  it('shows a field both changed differently as a conflict, mine kept until chosen', () => {
    const base = { body: set('B'), kind: set('STEP') };
    const r = threeWay(base, { body: set('mine'), kind: set('STEP') }, { body: set('theirs'), kind: set('DECISION') });
    expect(r.conflicts).toEqual([{ field: 'body', mine: set('mine'), theirs: set('theirs') }]);
    expect(r.merged.body).toEqual(set('mine'));
    expect(r.merged.kind).toEqual(set('DECISION'));
  });

  it('treats the same change on both sides as no conflict', () => {
    const base = { body: set('B') };
    const r = threeWay(base, { body: set('same') }, { body: set('same') });
    expect(r.conflicts).toEqual([]);
    expect(r.mine).toEqual([]);
    expect(r.merged.body).toEqual(set('same'));
  });

  it('compares modes: a field they cleared or left to inheritance is their change', () => {
    const base = { title: set('T'), body: set('B'), tags: inherit };
    const r = threeWay(base, { title: set('T'), body: set('B'), tags: set('a, b') }, { title: clear, body: inherit, tags: inherit });
    expect(r.merged).toEqual({ title: clear, body: inherit, tags: set('a, b') });
    expect(r.theirs.sort()).toEqual(['body', 'title']);
    expect(r.mine).toEqual(['tags']);
  });

  it('sees my clearing against their new text as a conflict', () => {
    const r = threeWay({ body: set('B') }, { body: clear }, { body: set('theirs') });
    expect(r.conflicts.map((c) => c.field)).toEqual(['body']);
  });

  it('changes nothing when nobody changed anything', () => {
    const base = { title: set('T'), tags: inherit };
    const r = threeWay(base, base, base);
    expect(r).toEqual({ merged: base, theirs: [], mine: [], conflicts: [] });
  });
});

describe('sameField', () => {
  it('ignores the text of fields that are not set', () => {
    expect(sameField({ mode: 'inherit', value: 'a' }, { mode: 'inherit', value: 'b' })).toBe(true);
    expect(sameField(set('a'), set('b'))).toBe(false);
    expect(sameField(set(''), clear)).toBe(false);
  });
});
