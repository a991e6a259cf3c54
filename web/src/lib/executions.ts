/*
 * Executions as data: which statuses are final, how a time is shown, and how
 * the events loaded with a page and those of the live feed are merged.
 */
import type { ExecutionEvent, ExecutionStatus, ExecutionSummary } from '../types';

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

/** What an automated run sent, as the execution recorded it (credentials redacted by the service). */
export type RecordedRequest = {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
};

/** One run of an automated step: its attempts up to the outcome. */
export type AutomationRun = {
  procedure: string;
  /** The executor's name (`automation:<executor>` without the prefix). */
  executor: string | null;
  attempts: number;
  startedAt: string;
  finishedAt: string | null;
  /** Milliseconds from the first attempt's start to the outcome. */
  durationMs: number | null;
  /** `success`, `failure`, `timeout`, `unavailable`; null while it runs. */
  outcome: string | null;
  httpStatus: number | null;
  error: string | null;
  output: unknown;
  request: RecordedRequest | null;
  /** The `uid` of the person who asked for this run (null for the first). */
  retriedBy: string | null;
};

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const number = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const fields = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function recordedRequest(value: unknown): RecordedRequest | null {
  const r = fields(value);
  const method = text(r.method);
  const url = text(r.url);
  if (!method || !url) return null;
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(fields(r.headers))) if (typeof v === 'string') headers[name] = v;
  return { method, url, headers, body: r.body ?? null };
}

/** Whether a run ended in anything but success. */
export const failed = (run: AutomationRun): boolean => run.outcome !== null && run.outcome !== 'success';

/**
 * The runs of automated steps, in order, from an execution's events: a run
 * opens at its first AUTOMATION_STARTED (or a person's STEP_RETRIED) and
 * ends at AUTOMATION_FINISHED or AUTOMATION_UNAVAILABLE.
 */
export function automationRuns(events: readonly ExecutionEvent[]): AutomationRun[] {
  const runs: AutomationRun[] = [];
  const open = new Map<string, AutomationRun>();
  const start = (e: ExecutionEvent, procedure: string, retriedBy: string | null): AutomationRun => {
    const run: AutomationRun = {
      procedure,
      executor: null,
      attempts: 0,
      startedAt: e.at,
      finishedAt: null,
      durationMs: null,
      outcome: null,
      httpStatus: null,
      error: null,
      output: null,
      request: null,
      retriedBy,
    };
    runs.push(run);
    open.set(procedure, run);
    return run;
  };
  for (const e of events) {
    const procedure = e.procedure;
    if (!procedure) continue;
    const data = fields(e.data);
    if (e.kind === 'STEP_RETRIED') {
      start(e, procedure, e.actor);
    } else if (e.kind === 'AUTOMATION_STARTED') {
      const run = open.get(procedure) ?? start(e, procedure, null);
      if (run.attempts === 0) run.startedAt = e.at;
      run.attempts = number(data.attempt) ?? run.attempts + 1;
      run.executor = e.actor.replace(/^automation:/, '');
      run.request = recordedRequest(data.request) ?? run.request;
    } else if (e.kind === 'AUTOMATION_FINISHED' || e.kind === 'AUTOMATION_UNAVAILABLE') {
      const run = open.get(procedure) ?? start(e, procedure, null);
      open.delete(procedure);
      run.finishedAt = e.at;
      const took = Date.parse(e.at) - Date.parse(run.startedAt);
      run.durationMs = Number.isNaN(took) ? null : took;
      run.outcome = e.kind === 'AUTOMATION_UNAVAILABLE' ? 'unavailable' : (text(data.outcome) ?? 'failure');
      run.attempts = number(data.attempts) ?? run.attempts;
      run.httpStatus = number(data.httpStatus);
      run.error = text(data.error);
      run.output = e.output ?? null;
    }
  }
  return runs;
}

/** A duration for people: 850 ms, 4.2 s, 3 min 5 s. */
export function duration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Minutes since `since`, as the list and the page say it: "open 12 min", "open 2 h 5 min". */
export function openFor(since: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (Number.isNaN(minutes)) return '';
  return minutes < 60 ? `open ${minutes} min` : `open ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Whether an execution is open with nobody answering for it. */
export const unacknowledged = (e: Pick<ExecutionSummary, 'status' | 'responder'>): boolean =>
  !FINISHED.includes(e.status) && !e.responder;

/**
 * Open executions nobody has acknowledged first (oldest first: they have
 * waited longest), then the rest in the order given (newest first).
 */
export function unacknowledgedFirst<T extends Pick<ExecutionSummary, 'status' | 'responder' | 'startedAt'>>(
  rows: readonly T[],
): T[] {
  const waiting = rows.filter(unacknowledged).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  return [...waiting, ...rows.filter((e) => !unacknowledged(e))];
}

/**
 * The unacknowledged executions the server found (across every page), then
 * the page's rows without them: each execution once, the waiting ones first.
 */
export function withUnacknowledgedFirst<T extends Pick<ExecutionSummary, 'id' | 'status' | 'responder' | 'startedAt'>>(
  waiting: readonly T[],
  page: readonly T[],
): T[] {
  const ids = new Set(waiting.map((e) => e.id));
  return unacknowledgedFirst([...waiting, ...page.filter((e) => !ids.has(e.id))]);
}
