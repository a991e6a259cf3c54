import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { declaresHost, withHost } from '../client';

describe('withHost', () => {
  const runbook = parse('query Runbook($host: String, $serviceId: String!) { runbook(host: $host, serviceId: $serviceId) { entry } }');
  const byId = parse('mutation ($id: String!) { abort(id: $id) { status } }');
  it('sends the page host with every operation that declares $host', () => {
    expect(declaresHost(runbook)).toBe(true);
    expect(withHost(runbook, { serviceId: 's' }, 'b.example')).toEqual({ serviceId: 's', host: 'b.example' });
    // A host a view passed is overridden: the page's host wins.
    expect(withHost(runbook, { serviceId: 's', host: 'other' }, 'b.example')).toEqual({ serviceId: 's', host: 'b.example' });
    expect(withHost(runbook, { serviceId: 's' }, null)).toEqual({ serviceId: 's', host: null });
  });
  it('leaves operations without $host alone', () => {
    expect(declaresHost(byId)).toBe(false);
    expect(withHost(byId, { id: '1' }, 'b.example')).toEqual({ id: '1' });
    expect(withHost(byId, undefined, 'b.example')).toEqual({});
  });
});
