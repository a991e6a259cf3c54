import { createClient as createWsClient } from 'graphql-ws/client';
import type { DocumentNode } from 'graphql';
import { Client, cacheExchange, fetchExchange, mapExchange, makeOperation, subscriptionExchange } from 'urql';
import { config, readCsrf } from './config';
import { liveConnection, reconnectDelay } from './lib/live';

/** The WebSocket URL of a GraphQL endpoint: http(s) → ws(s), same path. */
export function websocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Whether an operation declares a `$host` variable. */
export function declaresHost(query: DocumentNode): boolean {
  return query.definitions.some(
    (d) => d.kind === 'OperationDefinition' && (d.variableDefinitions ?? []).some((v) => v.variable.name.value === 'host'),
  );
}

/**
 * An operation's variables with the page's host set: every operation that
 * declares `$host` is sent for the host the page is under (null: the
 * service's default host), whatever the view passed.
 */
export function withHost(query: DocumentNode, variables: unknown, host: string | null): Record<string, unknown> {
  const given = variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
  return declaresHost(query) ? { ...given, host } : given;
}

/**
 * The GraphQL client: every operation goes for `host` (see `withHost`). cookies go along (`credentials: 'include'`) for the
 * portal's `accessToken` cookie, with the CSRF token the portal keeps as
 * `X-CSRF-TOKEN`. Mutations always go over POST (the server refuses GET ones).
 * Subscriptions (an execution's events) use graphql-transport-ws on the same
 * path, opened only while one is active; the browser sends the cookie with
 * the upgrade, and the CSRF token goes in `connection_init`. Its state is
 * reported to `lib/live`.
 */
export function makeClient(url = config.graphqlUrl, csrfSource = config.csrfSource, host = config.host): Client {
  const ws =
    typeof WebSocket !== 'undefined'
      ? createWsClient({
          url: websocketUrl(url),
          lazy: true,
          // A dropped connection (a restart, a network blip) is re-opened
          // for as long as a subscription needs it, with backoff; the
          // subscriptions are sent again and replay what they missed.
          retryAttempts: Infinity,
          shouldRetry: () => true,
          retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelay(retries, Math.random() * 250))),
          on: {
            connecting: () => liveConnection.connecting(),
            connected: () => liveConnection.set('connected'),
            closed: (event) => liveConnection.closed((event as { code?: number } | undefined)?.code),
          },
          connectionParams: () => {
            const csrf = readCsrf(csrfSource);
            return csrf ? { 'X-CSRF-TOKEN': csrf } : {};
          },
        })
      : null;
  return new Client({
    url,
    exchanges: [
      mapExchange({
        onOperation: (op) =>
          op.kind === 'teardown' ? op : makeOperation(op.kind, { ...op, variables: withHost(op.query, op.variables, host) }, op.context),
      }),
      cacheExchange,
      fetchExchange,
      ...(ws
        ? [
            subscriptionExchange({
              forwardSubscription: (request) => ({
                subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
              }),
            }),
          ]
        : []),
    ],
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => {
      const headers: Record<string, string> = {};
      const csrf = readCsrf(csrfSource);
      if (csrf) headers['X-CSRF-TOKEN'] = csrf;
      return { credentials: 'include', headers };
    },
  });
}
