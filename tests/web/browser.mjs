// How the web tests start Chromium: Debian's package (no browser download),
// headless, with nothing that phones home, and no host name resolving but
// localhost, so a request to an outside host could not succeed anyway.

import { existsSync } from 'node:fs';

export function chromiumPath() {
  const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM`);
  }
  return path;
}

export function launchOptions() {
  return {
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  };
}

/** Whether a URL the page requested stays on this machine. */
export function loopbackOnly(url) {
  const u = new URL(url);
  if (['data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  const host = u.hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * A GraphQL client of the service at `base` from Node (another user, behind
 * the page's back): `graphql(query, variables)` answers the data, or throws
 * with the errors.
 */
export function graphqlAt(base) {
  return async function graphql(query, variables = {}) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}
