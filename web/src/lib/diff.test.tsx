import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { diffObjects, stableJson, summarize, textDiff } from './diff';
import { DiffView } from '../components/DiffView';

const before = { title: 'Token expired', kind: 'STEP', body: 'Renew the token.\nThen retry.\n', tags: ['auth'] };
const after = { title: 'Token expired', kind: 'DECISION', body: 'Renew the token.\nRotate the secret in vault.\n', automation: { executor: 'http' } };

describe('diffObjects', () => {
  it('reports every field as added, removed, changed or the same', () => {
    const rows = diffObjects(before, after);
    const status = Object.fromEntries(rows.map((r) => [r.field, r.status]));
    expect(status).toEqual({ title: 'same', kind: 'changed', body: 'changed', automation: 'added', tags: 'removed' });
    expect(summarize(rows)).toBe('kind changed; body changed; automation added; tags removed');
  });

  it('diffs multi-line text by lines and one-line text by words', () => {
    const body = textDiff(before.body, after.body);
    expect(body.filter((s) => s.removed).map((s) => s.text)).toEqual(['Then retry.\n']);
    expect(body.filter((s) => s.added).map((s) => s.text)).toEqual(['Rotate the secret in vault.\n']);
    const words = textDiff('Page the owner', 'Page the ledger owner');
    expect(words.filter((s) => s.added).map((s) => s.text.trim())).toEqual(['ledger']);
  });

  it('treats a creation and a deletion as all fields added or removed', () => {
    expect(diffObjects(null, { to: 'x' })).toEqual([{ field: 'to', status: 'added', after: 'x' }]);
    expect(diffObjects({ to: 'x' }, null)).toEqual([{ field: 'to', status: 'removed', before: 'x' }]);
  });

  it('compares objects by content, whatever their key order', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
    expect(diffObjects({ automation: { a: 1, b: 2 } }, { automation: { b: 2, a: 1 } })[0]?.status).toBe('same');
  });
});

describe('DiffView', () => {
  it('renders insertions and deletions, and folds unchanged fields', () => {
    const html = renderToStaticMarkup(<DiffView before={before} after={after} />);
    expect(html).toContain('<ins>Rotate the secret in vault.\n</ins>');
    expect(html).toContain('<del>Then retry.\n</del>');
    expect(html).toContain('data-field="kind"');
    expect(html).toContain('1 unchanged field');
    expect(html).not.toContain('data-field="title"');
  });

  it('says when an object was created', () => {
    const html = renderToStaticMarkup(<DiffView before={null} after={{ to: 'escalate' }} />);
    expect(html).toContain('Created.');
    expect(html).toContain('<ins>escalate</ins>');
  });
});

describe('DiffView of one-line values', () => {
  it('shows the line before and the line after, the changed words marked in each', () => {
    const html = renderToStaticMarkup(
      <DiffView before={{ title: 'Token expired (rotate the secret)' }} after={{ title: 'Token expired (second edit)' }} />,
    );
    expect(html).toMatch(/class="line-del".*<del>rotate<\/del>/);
    expect(html).toMatch(/class="line-ins".*<ins>second<\/ins>/);
    expect(html).not.toMatch(/class="line-ins".*<del>/);
  });
});
