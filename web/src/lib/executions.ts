/*
 * Executions as data: which statuses are final, how a time is shown, and how
 * the events loaded with a page and those of the live feed are merged.
 */
import type { ExecutionEvent, ExecutionStatus } from '../types';

/** The statuses an execution ends in. */
export const FINISHED: ExecutionStatus[] = ['RESOLVED', 'ESCALATED', 'ABORTED'];

/** A time as the reader's locale writes it (the text itself when it is not a time). */
export function when(at: string | null | undefined): string {
  if (!at) return '';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString();
}

/** Events of several lists, each once (by sequence), in order. */
export function mergeEvents(...lists: readonly (readonly ExecutionEvent[])[]): ExecutionEvent[] {
  const bySeq = new Map<number, ExecutionEvent>();
  for (const list of lists) for (const e of list) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
