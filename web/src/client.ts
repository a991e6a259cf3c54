import { Client, cacheExchange, fetchExchange } from 'urql';
import { config, readCsrf } from './config';

/**
 * The GraphQL client: cookies go along (`credentials: 'include'`) for the
 * portal's `accessToken` cookie, with the CSRF token the portal keeps as
 * `X-CSRF-TOKEN`. Mutations always go over POST (the server refuses GET ones).
 */
export function makeClient(url = config.graphqlUrl, csrfSource = config.csrfSource): Client {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
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
