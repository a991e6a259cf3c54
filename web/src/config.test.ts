import { describe, expect, it } from 'vitest';
import { hostPath, readCsrf, resolveUrl, splitHost } from './config';

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

describe('splitHost', () => {
  it('takes the host from /h/{host}/ and makes it part of the router base', () => {
    expect(splitHost('/h/b.example/runbook/svc/ERR10001', '/')).toEqual({ host: 'b.example', basename: '/h/b.example' });
    expect(splitHost('/h/b.example', '/')).toEqual({ host: 'b.example', basename: '/h/b.example' });
    expect(splitHost('/portal/h/b.example/executions/1', '/portal')).toEqual({
      host: 'b.example',
      basename: '/portal/h/b.example',
    });
    expect(splitHost('/portal/h/b.example/', '/portal/')).toEqual({ host: 'b.example', basename: '/portal/h/b.example' });
  });
  it('leaves other paths to the default host', () => {
    for (const path of ['/', '/runbook/svc/ERR10001', '/h/', '/hosts/x', '/scopes/h/x', '/h/%E0%A4%A']) {
      expect(splitHost(path, '/')).toEqual({ host: null, basename: '/' });
    }
    expect(splitHost('/h/b.example/runbook/x', '/portal')).toEqual({ host: null, basename: '/portal' });
  });
});

describe('hostPath', () => {
  it('puts the host before the route, and nothing for the default host', () => {
    expect(hostPath('b.example', '/runbook/svc/ERR10001')).toBe('/h/b.example/runbook/svc/ERR10001');
    expect(hostPath('b.example', 'executions/1', '/portal/')).toBe('/portal/h/b.example/executions/1');
    expect(hostPath(null, '/scopes')).toBe('/scopes');
    expect(hostPath(null, '/', '/portal')).toBe('/portal/');
  });
  it('round-trips through splitHost', () => {
    for (const host of ['b.example', 'lightapi.net', 'a_b-c.d']) {
      const path = hostPath(host, '/executions/42', '/portal');
      expect(splitHost(path, '/portal')).toEqual({ host, basename: `/portal/h/${host}` });
    }
  });
});
