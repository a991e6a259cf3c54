import { describe, expect, it } from 'vitest';
import { readCsrf, resolveUrl } from './config';

const env = {
  sessionStorage: { getItem: (k: string) => (k === 'csrf' ? 'from-session' : null) },
  localStorage: { getItem: (k: string) => (k === 'token' ? 'from-local' : null) },
  meta: (n: string) => (n === 'csrf-token' ? 'from-meta' : undefined),
  cookie: () => 'a=1; XSRF-TOKEN=from%20cookie; b=2',
};

describe('readCsrf', () => {
  it('reads the token from the configured place', () => {
    expect(readCsrf('sessionStorage:csrf', env)).toBe('from-session');
    expect(readCsrf('localStorage:token', env)).toBe('from-local');
    expect(readCsrf('meta:csrf-token', env)).toBe('from-meta');
    expect(readCsrf('cookie:XSRF-TOKEN', env)).toBe('from cookie');
  });

  it('sends nothing when there is no token or no source', () => {
    expect(readCsrf('sessionStorage:other', env)).toBeUndefined();
    expect(readCsrf('none', env)).toBeUndefined();
    const throwing = { ...env, sessionStorage: { getItem: () => { throw new Error('denied'); } } };
    expect(readCsrf('sessionStorage:csrf', throwing)).toBeUndefined();
  });
});

describe('resolveUrl', () => {
  it('resolves a relative API URL against the page', () => {
    expect(resolveUrl('/graphql', 'https://portal.example/app/runbook/x')).toBe('https://portal.example/graphql');
    expect(resolveUrl('graphql', 'https://portal.example/runbook/')).toBe('https://portal.example/runbook/graphql');
  });
});
