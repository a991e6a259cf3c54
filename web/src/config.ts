/**
 * Where the app finds its API and how it authenticates, read once at start.
 *
 * Sources, first found wins:
 * 1. `window.lightRunbookConfig = { graphql, csrf, basename }`, set by a host
 *    page (the light-portal shell) before the app's script runs;
 * 2. `<meta name="light-runbook:graphql|csrf|basename" content="...">` in
 *    index.html;
 * 3. defaults: `/graphql`, `sessionStorage:csrf`, `/`.
 *
 * `graphql` may be relative (`graphql`, `../runbook/graphql`): it is resolved
 * against the document's base URL, so the app works behind a path prefix.
 *
 * `csrf` names where the portal keeps its CSRF token, sent as `X-CSRF-TOKEN`
 * on every request: `sessionStorage:KEY`, `localStorage:KEY`, `meta:NAME`
 * (a `<meta name=NAME content=TOKEN>`), `cookie:NAME`, or `none`. It is read
 * for every request, so a token that appears after login is picked up.
 */
export interface AppConfig {
  graphqlUrl: string;
  csrfSource: string;
  /** The router's base path: the configured one, plus `/h/{host}` when the page is under a host. */
  basename: string;
  /** The base path as configured, without the host. */
  configuredBasename: string;
  /** The host (tenant) the page is under, from `/h/{host}/...`; null for the service's default host. */
  host: string | null;
}

/**
 * Splits a page path into the host it is under and the router's base path.
 * Under `{basename}/h/{host}/...` the host is that segment and the router's
 * base is `{basename}/h/{host}`, so every link and navigation inside the app
 * keeps the host; any other path is the default host (old links keep working).
 */
export function splitHost(pathname: string, basename: string): { host: string | null; basename: string } {
  const base = basename.replace(/\/+$/, '');
  if (!pathname.startsWith(`${base}/h/`)) return { host: null, basename };
  const segment = pathname.slice(base.length + 3).split('/')[0];
  if (!segment) return { host: null, basename };
  let host: string;
  try {
    host = decodeURIComponent(segment);
  } catch {
    return { host: null, basename };
  }
  return { host, basename: `${base}/h/${segment}` };
}

/** The path of an app route under a host: `{basename}/h/{host}{path}`, or `{basename}{path}` for the default host. */
export function hostPath(host: string | null, path: string, basename = '/'): string {
  const base = basename.replace(/\/+$/, '');
  const route = path.startsWith('/') ? path : `/${path}`;
  return host ? `${base}/h/${encodeURIComponent(host)}${route}` : `${base}${route}`;
}

declare global {
  interface Window {
    lightRunbookConfig?: Partial<{ graphql: string; csrf: string; basename: string }>;
  }
}

function meta(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const el = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`);
  const value = el?.content?.trim();
  return value ? value : undefined;
}

export function resolveUrl(url: string, base: string): string {
  try {
    return new URL(url, base).toString();
  } catch {
    return url;
  }
}

export function readConfig(): AppConfig {
  const w = typeof window !== 'undefined' ? window.lightRunbookConfig : undefined;
  const graphql = w?.graphql ?? meta('light-runbook:graphql') ?? '/graphql';
  const csrf = w?.csrf ?? meta('light-runbook:csrf') ?? 'sessionStorage:csrf';
  const basename = w?.basename ?? meta('light-runbook:basename') ?? '/';
  const base = typeof document !== 'undefined' ? document.baseURI : 'http://localhost/';
  const pathname = typeof location !== 'undefined' ? location.pathname : '/';
  const underHost = splitHost(pathname, basename);
  return { graphqlUrl: resolveUrl(graphql, base), csrfSource: csrf, configuredBasename: basename, ...underHost };
}

/** The CSRF token named by `source`, or undefined when there is none. */
export function readCsrf(source: string, env: CsrfEnv = browserEnv()): string | undefined {
  const at = source.indexOf(':');
  const kind = at < 0 ? source : source.slice(0, at);
  const name = at < 0 ? '' : source.slice(at + 1);
  try {
    switch (kind) {
      case 'sessionStorage':
        return env.sessionStorage?.getItem(name) ?? undefined;
      case 'localStorage':
        return env.localStorage?.getItem(name) ?? undefined;
      case 'meta':
        return env.meta(name);
      case 'cookie': {
        for (const part of env.cookie().split(';')) {
          const [k, ...v] = part.trim().split('=');
          if (k === name) return decodeURIComponent(v.join('='));
        }
        return undefined;
      }
      default:
        return undefined;
    }
  } catch {
    // Storage can throw (privacy modes, sandboxed frames): no token then.
    return undefined;
  }
}

export interface CsrfEnv {
  sessionStorage?: Pick<Storage, 'getItem'>;
  localStorage?: Pick<Storage, 'getItem'>;
  meta: (name: string) => string | undefined;
  cookie: () => string;
}

function browserEnv(): CsrfEnv {
  return {
    sessionStorage: typeof sessionStorage !== 'undefined' ? sessionStorage : undefined,
    localStorage: typeof localStorage !== 'undefined' ? localStorage : undefined,
    meta,
    cookie: () => (typeof document !== 'undefined' ? document.cookie : ''),
  };
}

export const config: AppConfig = readConfig();
