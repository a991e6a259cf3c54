import { useCallback, useState } from 'react';
import { useClient, type AnyVariables, type TypedDocumentNode } from 'urql';
import type { WriteResult } from '../types';
import { mapError, type FormContext, type MappedError } from './errors';

type WriteDoc<V extends AnyVariables> = TypedDocumentNode<{ result: WriteResult }, V>;

export interface WriteState {
  busy: boolean;
  /** The last answer: a dry run's preview, or what a save did. */
  result: WriteResult | null;
  error: MappedError | null;
}

/**
 * Runs one write mutation as a preview (`dryRun: true`) or for real, keeping
 * the answer and the refusal in the terms a form shows.
 */
export function useWrite(ctx: FormContext) {
  const client = useClient();
  const [state, setState] = useState<WriteState>({ busy: false, result: null, error: null });
  const run = useCallback(
    async <V extends AnyVariables & { dryRun: boolean }>(doc: WriteDoc<V>, variables: V): Promise<WriteResult | null> => {
      setState((s) => ({ ...s, busy: true }));
      const answer = await client.mutation(doc, variables, { requestPolicy: 'network-only' }).toPromise();
      const error = mapError(answer.error, ctx);
      const result = answer.data?.result ?? null;
      setState({ busy: false, result: error ? null : result, error });
      return error ? null : result;
    },
    // The context is a description of the form; its identity does not matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, ctx.scopeId, ctx.objectKey],
  );
  const reset = useCallback(() => setState({ busy: false, result: null, error: null }), []);
  const fail = useCallback((error: MappedError) => setState({ busy: false, result: null, error }), []);
  return { ...state, run, reset, fail };
}

/** A refusal found before sending (a client-side check). */
export function localError(fields: Record<string, string>): MappedError {
  return {
    code: 'BAD_USER_INPUT',
    summary: 'Some input is not valid.',
    fields,
    problems: [],
    general: [],
    conflict: false,
  };
}
