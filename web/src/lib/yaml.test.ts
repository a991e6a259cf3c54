import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scopeToYaml, syntaxErrors } from './yaml';
import type { ScopeData } from '../types';

const scope: ScopeData = {
  id: 'com.acme.ledger-1.0.0',
  name: 'Acme ledger',
  kind: 'SERVICE',
  revision: 3,
  owners: ['ledger-team'],
  contacts: [{ name: 'Ledger on-call', email: null, phone: '+1 555 0100', chat: null }],
  parents: [{ id: 'light-4j', name: 'light-4j', kind: 'FRAMEWORK' }],
  children: [],
  procedures: [
    { scopeId: 's', key: 'triage', removed: false, title: null, kind: null, body: null, automation: null, tags: null, cleared: ['tags'], revision: 1 },
    { scopeId: 's', key: 'escalate', removed: true, title: null, kind: null, body: null, automation: null, tags: null, cleared: [], revision: 1 },
    { scopeId: 's', key: 'unlock', removed: false, title: 'Unlock', kind: 'STEP', body: 'Run it.\nThen retry.\n', automation: null, tags: ['a'], cleared: [], revision: 2 },
  ],
  branches: [
    { scopeId: 's', from: 'token-expired', label: 'no', removed: false, to: 'page-ledger', condition: null, order: null, cleared: [], revision: 1 },
    { scopeId: 's', from: 'token-expired', label: 'yes', removed: false, to: null, condition: null, order: null, cleared: ['condition'], revision: 1 },
    { scopeId: 's', from: 'x', label: 'gone', removed: true, to: null, condition: null, order: null, cleared: [], revision: 1 },
  ],
  entries: [
    { scopeId: 's', code: 'ACM00001', key: 'unlock', revision: 1 },
    { scopeId: 's', code: '*', key: null, revision: 1 },
  ],
  errorCodes: [{ scopeId: 's', code: 'ERR10001', statusCode: null, message: null, description: null, severity: 'WARN', cleared: [], revision: 1 }],
};

describe('scopeToYaml', () => {
  it('writes the scope as a light-runbook/v1 document, layers as written', () => {
    const doc = parse(scopeToYaml(scope));
    expect(doc).toEqual({
      format: 'light-runbook/v1',
      scope: 'com.acme.ledger-1.0.0',
      name: 'Acme ledger',
      kind: 'SERVICE',
      parents: ['light-4j'],
      owners: ['ledger-team'],
      contacts: [{ name: 'Ledger on-call', phone: '+1 555 0100' }],
      errorCodes: { ERR10001: { severity: 'WARN' } },
      procedures: {
        escalate: { removed: true },
        triage: { tags: null },
        unlock: { title: 'Unlock', kind: 'STEP', body: 'Run it.\nThen retry.\n', tags: ['a'] },
      },
      branches: [
        { from: 'token-expired', label: 'no', to: 'page-ledger' },
        { from: 'token-expired', label: 'yes', condition: null },
        { from: 'x', label: 'gone', removed: true },
      ],
      entries: { ACM00001: 'unlock', '*': null },
    });
  });

  it('keeps Markdown bodies as block text', () => {
    expect(scopeToYaml(scope)).toContain('body: |\n      Run it.\n      Then retry.\n');
  });
});

describe('scopeToYaml under a host', () => {
  it('names the host right after the format, so importing it writes to that host', () => {
    const text = scopeToYaml(scope, 'b.example');
    expect(text.split('\n').slice(0, 3)).toEqual(['format: light-runbook/v1', 'host: b.example', 'scope: com.acme.ledger-1.0.0']);
    expect(parse(text).host).toBe('b.example');
    expect(parse(scopeToYaml(scope)).host).toBeUndefined();
    expect(parse(scopeToYaml(scope, null)).host).toBeUndefined();
  });
});

describe('syntaxErrors', () => {
  it('finds none in a well-formed document', () => {
    expect(syntaxErrors('scope: a\nprocedures:\n  look: {title: Look}\n')).toEqual([]);
  });

  it('places an error where it is, in each document of the text', () => {
    const text = 'scope: a\n---\nscope: b\nprocedures:\n  look: {title: Look\n';
    const errors = syntaxErrors(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.from).toBeGreaterThanOrEqual(text.indexOf('look:'));
    expect(errors[0]!.message).not.toContain('\n');
  });
});
