import { Component, Suspense, type ReactNode } from 'react';
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

/**
 * Holds a part of a page whose code is loaded on demand (the graph, a view):
 * should that code fail to load — the connection to the service lost before
 * it came — the part says so in its place, and the rest of the page stays
 * instead of the whole page being replaced by nothing.
 */
class LazyBoundary extends Component<{ what: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="state state-error lazy-failed" role="alert">
        <strong>{this.props.what} could not be loaded: the connection to the service was lost.</strong>
        <div>Reload once it is back; what you typed is kept.</div>
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}

/** A part loaded on demand: `label` while it loads, a notice in place if it cannot be. */
export function LazyPart({ what, label, children }: { what: string; label?: string; children: ReactNode }) {
  return (
    <LazyBoundary what={what}>
      <Suspense fallback={<Loading label={label} />}>{children}</Suspense>
    </LazyBoundary>
  );
}
