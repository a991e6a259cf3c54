import { useQuery } from 'urql';
import { CapabilitiesQuery } from '../queries';

/** What this server offers beyond runbooks, found by introspection. */
export interface Capabilities {
  /** `available` / `unavailable`, or `unknown` while loading or when introspection is off. */
  executions: 'available' | 'unavailable' | 'unknown';
  subscriptions: boolean;
  fetching: boolean;
}

/** Whether the schema's query fields include executions. */
export function detectExecutions(fields: readonly { name: string }[] | null | undefined): boolean {
  return (fields ?? []).some((f) => /^executions?$/i.test(f.name));
}

export function useCapabilities(): Capabilities {
  const [{ data, error, fetching }] = useQuery({ query: CapabilitiesQuery, requestPolicy: 'cache-first' });
  if (fetching && !data) return { executions: 'unknown', subscriptions: false, fetching: true };
  if (error || !data) return { executions: 'unknown', subscriptions: false, fetching: false };
  return {
    executions: detectExecutions(data.query?.fields) ? 'available' : 'unavailable',
    subscriptions: Boolean(data.subscription.subscriptionType),
    fetching: false,
  };
}
