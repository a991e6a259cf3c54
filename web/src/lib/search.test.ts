import { describe, expect, it } from 'vitest';
import { hitLabel, hitPath, searchable } from './search';

describe('search', () => {
  it('sends a query only when it has letters or digits within the bound', () => {
    expect(searchable('le')).toBe(true);
    expect(searchable(' l ')).toBe(false);
    expect(searchable('--')).toBe(false);
    expect(searchable('x'.repeat(201))).toBe(false);
    expect(searchable('größe')).toBe(true);
  });

  it('opens a service at its runbook, and other scopes at their page', () => {
    const svc = { scopeId: 'com.acme/ledger', scopeKind: 'SERVICE' };
    expect(hitPath({ ...svc, kind: 'SCOPE' })).toBe('/runbook/com.acme%2Fledger');
    expect(hitPath({ ...svc, kind: 'ERROR_CODE', key: 'ERR10001' })).toBe('/runbook/com.acme%2Fledger/ERR10001');
    expect(hitPath({ ...svc, kind: 'PROCEDURE', key: 'restart' })).toBe('/scopes/com.acme%2Fledger/effective');
    expect(hitPath({ kind: 'PROCEDURE', scopeId: 'framework', scopeKind: 'FRAMEWORK', key: 'x' })).toBe(
      '/scopes/framework',
    );
    expect(hitLabel({ kind: 'ERROR_CODE', scopeId: 'f', scopeKind: 'LINE_OF_BUSINESS' })).toBe(
      'error code of a line of business',
    );
  });
});
