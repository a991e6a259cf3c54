import { describe, expect, it } from 'vitest';
import { CombinedError } from 'urql';
import { formField, mapError, mapGraphQLErrors } from './errors';

const procedureForm = { fields: ['key', 'title', 'kind', 'body', 'automation', 'tags'], scopeId: 'ledger', objectKey: 'half' };
const branchForm = { fields: ['from', 'label', 'to', 'condition', 'order'], scopeId: 'ledger', objectKey: 'triage/nowhere' };

describe('mapGraphQLErrors', () => {
  it('puts a BAD_USER_INPUT message under the field it names', () => {
    const m = mapGraphQLErrors(
      [{ message: 'invalid procedure key `Bad Key`', extensions: { code: 'BAD_USER_INPUT', field: 'key' } }],
      procedureForm,
    );
    expect(m.code).toBe('BAD_USER_INPUT');
    expect(m.fields).toEqual({ key: 'invalid procedure key `Bad Key`' });
    expect(m.general).toEqual([]);
    expect(m.conflict).toBe(false);
  });

  it('reads the last segment of a dotted field path', () => {
    expect(formField('procedures.half.kind', procedureForm)).toBe('kind');
    expect(formField('input', procedureForm)).toBeUndefined();
    const m = mapGraphQLErrors(
      [{ message: 'unknown procedure kind `x`', extensions: { code: 'BAD_USER_INPUT', field: 'procedures.half.kind' } }],
      procedureForm,
    );
    expect(m.fields.kind).toContain('unknown procedure kind');
  });

  it('keeps errors that name no form field as general messages', () => {
    const m = mapGraphQLErrors(
      [{ message: 'procedure half in scope ledger: bad', extensions: { code: 'BAD_USER_INPUT', field: 'input' } }],
      procedureForm,
    );
    expect(m.fields).toEqual({});
    expect(m.general).toEqual(['procedure half in scope ledger: bad']);
  });

  it('places INVALID_RUNBOOK problems on the field they concern and keeps them all', () => {
    const m = mapGraphQLErrors(
      [
        {
          message: 'the change does not resolve',
          extensions: {
            code: 'INVALID_RUNBOOK',
            problems: [
              {
                code: 'BRANCH_NOT_RESOLVED',
                scopeId: 'ledger',
                key: 'triage/nowhere',
                message: 'branch triage/nowhere of ledger does not resolve in its own lineage: no-such-step is not a procedure',
              },
              { code: 'DANGLING_BRANCH', scopeId: 'catalog', key: 'x/y', message: 'elsewhere' },
            ],
          },
        },
      ],
      branchForm,
    );
    expect(m.code).toBe('INVALID_RUNBOOK');
    expect(m.summary).toMatch(/would not resolve/);
    expect(m.fields.to).toContain('no-such-step');
    expect(m.problems).toHaveLength(2);
    expect(m.problems[0]?.field).toBe('to');
    expect(m.problems[1]?.field).toBeUndefined();
  });

  it('names the missing field of an incomplete procedure', () => {
    const m = mapGraphQLErrors(
      [
        {
          message: 'refused',
          extensions: {
            code: 'INVALID_RUNBOOK',
            problems: [
              {
                code: 'INCOMPLETE_PROCEDURE',
                scopeId: 'ledger',
                key: 'half',
                message: 'procedure half is incomplete in the lineage of ledger: no kind after merging (last defined by ledger)',
              },
            ],
          },
        },
      ],
      procedureForm,
    );
    expect(Object.keys(m.fields)).toEqual(['kind']);
  });

  it('flags a stale revision as a conflict', () => {
    const m = mapGraphQLErrors([{ message: 'revision 3 expected, 5 found', extensions: { code: 'CONFLICT' } }]);
    expect(m.conflict).toBe(true);
    expect(m.summary).toMatch(/changed this since you opened it/);
    expect(m.general).toEqual(['revision 3 expected, 5 found']);
  });
});

describe('mapError', () => {
  it('maps urql errors, network failures included', () => {
    expect(mapError(undefined)).toBeNull();
    const gql = new CombinedError({
      graphQLErrors: [{ message: 'no scope x', extensions: { code: 'NOT_FOUND', field: 'scopeId' } }],
    });
    expect(mapError(gql, { fields: ['scopeId'] })?.fields).toEqual({ scopeId: 'no scope x' });
    const network = new CombinedError({ networkError: new Error('Failed to fetch') });
    const m = mapError(network);
    expect(m?.code).toBe('NETWORK');
    expect(m?.summary).toMatch(/could not be reached/);
  });
});
