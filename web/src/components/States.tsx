import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { mapError, type MappedError } from '../lib/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** A failed request: what went wrong in words, the server's messages, and a retry. */
export function ErrorState({
  error,
  mapped,
  retry,
  title,
}: {
  error?: CombinedError;
  mapped?: MappedError | null;
  retry?: () => void;
  title?: string;
}) {
  const m = mapped ?? mapError(error);
  if (!m) return null;
  return (
    <div className="state state-error" role="alert">
      <strong>{title ?? m.summary}</strong>
      <ErrorDetails error={m} />
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** The general messages and the INVALID_RUNBOOK problems of an error. */
export function ErrorDetails({ error, skipFieldProblems = false }: { error: MappedError; skipFieldProblems?: boolean }) {
  const problems = skipFieldProblems ? error.problems.filter((p) => !p.field) : error.problems;
  return (
    <>
      {error.general.length ? (
        <ul className="messages">
          {error.general.map((m, i) => (
            <li key={i} className="pre">
              {m}
            </li>
          ))}
        </ul>
      ) : null}
      {problems.length ? (
        <ul className="problems" aria-label="Problems">
          {problems.map((p, i) => (
            <li key={i}>
              <code className="badge badge-danger">{p.code}</code> <span className="muted">{p.scope}</span>
              {p.key ? <code> {p.key}</code> : null}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <span className="muted small error-code">Error code: {error.code}</span>
    </>
  );
}
