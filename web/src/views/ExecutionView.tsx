import { lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useClient, useQuery, useSubscription, type AnyVariables, type TypedDocumentNode } from 'urql';
import { KindBadge, StatusBadge } from '../components/Badges';
import { Markdown } from '../components/Markdown';
import { ErrorDetails, ErrorState, LazyPart, Loading } from '../components/States';
import { TreeToggle } from '../components/TreeToggle';
import { Automation } from '../components/StepDetails';
import { AutomationRunCard } from '../components/AutomationRun';
import { ResponderBar } from '../components/ResponderBar';
import { Notifications } from '../components/Notifications';
import { mapError, type MappedError } from '../lib/errors';
import { draftKey, useDraft } from '../lib/drafts';
import { config } from '../config';
import { FINISHED, automationRuns, mergeEvents, when } from '../lib/executions';
import { useLiveConnection } from '../lib/live';
import { pinnedGraphInput } from '../lib/graph';
import {
  AbortExecution,
  AddNote,
  ChooseBranch,
  CompleteStep,
  EscalateExecution,
  ExecutionEventsSubscription,
  ExecutionQuery,
  ResolveExecution,
  RetryStep,
} from '../queries';
import type { ExecutionData, ExecutionEvent } from '../types';

const RunbookGraph = lazy(() => import('../components/RunbookGraph'));

type Move = TypedDocumentNode<{ execution: unknown }, AnyVariables>;

/** An event's name for people; a failed automation says so in words. */
function eventName(e: ExecutionEvent): { name: string; failed: boolean } {
  const outcome = (e.data as Record<string, unknown> | null)?.outcome;
  if (e.kind === 'AUTOMATION_FINISHED' && outcome !== 'success') {
    return { name: outcome === 'timeout' ? 'automation timed out' : 'automation failed', failed: true };
  }
  if (e.kind === 'AUTOMATION_UNAVAILABLE') return { name: 'automation could not run', failed: true };
  return { name: e.kind.toLowerCase().replace(/_/g, ' '), failed: false };
}

/** The events, newest first. */
function Timeline({ events }: { events: ExecutionEvent[] }) {
  return (
    <ol className="timeline" aria-label="Events">
      {[...events].reverse().map((e) => {
        const { name, failed } = eventName(e);
        return (
          <li key={e.seq} className={`event event-${e.kind.toLowerCase()}${failed ? ' event-failed' : ''}`} data-kind={e.kind}>
            <div>
              <span className={`badge${failed ? ' badge-danger' : ''}`}>{name}</span>
              {e.procedure ? <code> {e.procedure}</code> : null}
              {e.label ? <strong> “{e.label}”</strong> : null} <span className="muted small">by {e.actor}</span>
            </div>
            <div className="muted small">
              #{e.seq} · {when(e.at)}
            </div>
            {e.note ? <p className="event-note">{e.note}</p> : null}
            {e.output != null ? (
              <details>
                <summary className="small">Output</summary>
                <pre className="code">{JSON.stringify(e.output, null, 2)}</pre>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

type CloseKind = 'resolve' | 'escalate' | 'abort';

const CLOSE_WORDS: Record<CloseKind, { title: string; button: string; says: string }> = {
  resolve: { title: 'Resolve this execution?', button: 'Resolve now', says: 'It finishes the execution as resolved.' },
  escalate: {
    title: 'Escalate this execution?',
    button: 'Escalate now',
    says: 'It finishes the execution as escalated and notifies the contacts through the notifiers the service has.',
  },
  abort: { title: 'Abort this execution?', button: 'Abort now', says: 'It finishes the execution as aborted: nothing more is done.' },
};

/** Resolving, escalating and aborting ask first, with a reason. */
function ConfirmClose({
  kind,
  reason,
  setReason,
  busy,
  onCancel,
  onConfirm,
}: {
  kind: CloseKind;
  reason: string;
  setReason: (text: string) => void;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const words = CLOSE_WORDS[kind];
  return (
    <div className="callout callout-warn confirm-close" role="group" aria-labelledby="confirm-close-title">
      <strong id="confirm-close-title">{words.title}</strong>
      <p className="small">{words.says}</p>
      <div className="field">
        <label htmlFor="confirm-reason">Reason (required)</label>
        <textarea id="confirm-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </div>
      <div className="editor-buttons">
        <button type="button" className="primary" disabled={busy || !reason.trim()} onClick={onConfirm}>
          {words.button}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** What a person can do now, by what the execution awaits. */
function Actions({ exec, onMoved, offline }: { exec: ExecutionData; onMoved: () => void; offline: boolean }) {
  const client = useClient();
  // A note being typed is kept in the browser until it is sent.
  const noteDraft = useDraft<string>(draftKey(config.host, exec.serviceId, `execution:${exec.id}:note`));
  const [note, setNoteText] = useState(() => noteDraft.offered?.value ?? '');
  const keepNote = noteDraft.keep;
  const setNote = (text: string) => {
    if (noteDraft.offered) noteDraft.dismiss();
    setNoteText(text);
  };
  useEffect(() => keepNote(note, note === ''), [note, keepNote]);
  const [output, setOutput] = useState('');
  const [confirming, setConfirming] = useState<CloseKind | null>(null);
  const [working, setBusy] = useState(false);
  // Without the connection no move can be sent: every button waits for it.
  const busy = working || offline;
  const [error, setError] = useState<MappedError | null>(null);
  const open = !FINISHED.includes(exec.status);
  // An automated step waiting for a person (failed, could not run, interrupted) can be run again.
  const retryable = open && exec.status !== 'RUNNING' && exec.current?.kind === 'AUTOMATED';
  const titles = new Map(exec.runbook.procedures.map((p) => [p.key, p.title]));

  const move = async (doc: Move, variables: Record<string, unknown>) => {
    setBusy(true);
    const answer = await client.mutation(doc, { id: exec.id, ...variables }).toPromise();
    setBusy(false);
    const mapped = mapError(answer.error, { fields: ['note', 'output', 'label'] });
    setError(mapped);
    if (!mapped) {
      noteDraft.clear();
      setNote('');
      setOutput('');
    }
    onMoved();
  };
  const completeStep = () => {
    let parsed: unknown = null;
    if (output.trim()) {
      try {
        parsed = JSON.parse(output);
      } catch (e) {
        setError({
          code: 'BAD_USER_INPUT',
          summary: 'The output is not JSON.',
          fields: { output: (e as Error).message },
          problems: [],
          general: [],
          conflict: false,
        });
        return;
      }
    }
    void move(CompleteStep as Move, { note: note || null, output: parsed });
  };

  return (
    <section className="card exec-actions" aria-labelledby="exec-actions-title">
      <h3 id="exec-actions-title">{open ? 'What now' : 'Finished'}</h3>
      {offline ? (
        <div className="callout callout-warn offline-note" role="status">
          <strong>The connection to the service is lost.</strong> Moves are disabled until it is back; it reconnects by
          itself and catches up on what happened meanwhile. The runbook stays readable, and a note being typed is kept.
        </div>
      ) : null}
      {exec.status === 'RUNNING' ? (
        <Loading label="Automation is running; this page follows it live." />
      ) : null}
      {exec.status === 'NEEDS_ATTENTION' ? (
        <div className="callout callout-warn" role="note">
          <strong>Needs attention.</strong> See the last events: an automation failed, a restart interrupted a step, or the
          runbook looped.
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="exec-note">Note{open ? ' (optional)' : ''}</label>
        <textarea id="exec-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {exec.awaiting === 'COMPLETE_STEP' ? (
        <>
          <div className="field">
            <label htmlFor="exec-output">Output (JSON, optional: what the next conditions read)</label>
            <textarea
              id="exec-output"
              rows={2}
              className="mono"
              value={output}
              onChange={(e) => setOutput(e.target.value)}
              aria-invalid={error?.fields.output ? true : undefined}
            />
            {error?.fields.output ? <p className="field-error">{error.fields.output}</p> : null}
          </div>
          <button type="button" className="primary" disabled={busy} onClick={completeStep}>
            Complete step
          </button>
        </>
      ) : null}
      {retryable ? (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void move(RetryStep as Move, { note: note || null })}
        >
          Retry the step
        </button>
      ) : null}
      {exec.awaiting === 'CHOOSE_BRANCH' || (exec.status === 'NEEDS_ATTENTION' && exec.choices.length) ? (
        <ul className="next-list" aria-label="Choose a branch">
          {exec.choices.map((c) => (
            <li key={c.label}>
              <button
                type="button"
                className="next"
                disabled={busy}
                onClick={() => void move(ChooseBranch as Move, { label: c.label, note: note || null })}
              >
                <span className="next-label">{c.label}</span>
                <span className="next-to">→ {titles.get(c.to) ?? c.to}</span>
                {c.condition ? (
                  <span className="next-cond">
                    when {c.condition}
                    {c.machineCheckable ? ' (checked by the service)' : ''}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {open && confirming ? (
        <ConfirmClose
          kind={confirming}
          reason={note}
          setReason={setNote}
          busy={busy}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const doc = { resolve: ResolveExecution, escalate: EscalateExecution, abort: AbortExecution }[confirming];
            setConfirming(null);
            void move(doc as Move, { note });
          }}
        />
      ) : null}
      {open && !confirming ? (
        <div className="editor-buttons">
          <button
            type="button"
            className={exec.awaiting === 'FINISH' ? 'primary' : undefined}
            disabled={busy}
            onClick={() => setConfirming('resolve')}
          >
            Resolve
          </button>
          <button type="button" disabled={busy} onClick={() => setConfirming('escalate')}>
            Escalate
          </button>
          <button
            type="button"
            disabled={busy || !note.trim()}
            onClick={() => void move(AddNote as Move, { note })}
            title="Write a note first"
          >
            Add note
          </button>
          <button type="button" className="ghost" disabled={busy} onClick={() => setConfirming('abort')}>
            Abort
          </button>
        </div>
      ) : (
        <>
          <p>
            This execution is {exec.status.toLowerCase()}
            {exec.finishedAt ? ` since ${when(exec.finishedAt)}` : ''}; notes can still be added.
          </p>
          <button type="button" disabled={busy || !note.trim()} onClick={() => void move(AddNote as Move, { note })}>
            Add note
          </button>
        </>
      )}
      {error ? (
        <div className={`callout ${error.conflict ? 'callout-conflict' : 'callout-error'}`} role="alert">
          <strong>{error.conflict ? 'The execution moved on meanwhile; this page now shows where it is.' : error.summary}</strong>
          <ErrorDetails error={error} />
        </div>
      ) : null}
    </section>
  );
}

/** One execution: where it stands, what to do, and its events as they happen. */
export default function ExecutionView({ id }: { id: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ExecutionQuery, variables: { id } });
  const exec = data?.execution;
  const finished = exec ? FINISHED.includes(exec.status) : false;
  // Subscribe after the events loaded with the page. When the connection
  // drops, subscribe again from the last event seen: the server replays
  // what was missed once it is back.
  const live = useLiveConnection();
  const afterSeq = useRef<number | null>(null);
  if (exec && afterSeq.current === null) afterSeq.current = exec.events.reduce((m, e) => Math.max(m, e.seq), 0);
  const [collected, setCollected] = useState<ExecutionEvent[]>([]);
  const events = useMemo(() => mergeEvents(exec?.events ?? [], collected), [exec?.events, collected]);
  const lastSeen = events.length ? (events[events.length - 1]?.seq ?? 0) : 0;
  const [resumeFrom, setResumeFrom] = useState<number | null>(null);
  const lastSeenRef = useRef(lastSeen);
  lastSeenRef.current = lastSeen;
  useEffect(() => {
    if (live === 'lost') setResumeFrom(lastSeenRef.current);
  }, [live]);
  const [sub] = useSubscription(
    {
      query: ExecutionEventsSubscription,
      variables: { id, afterSeq: resumeFrom ?? afterSeq.current },
      // A finished execution's feed ends, unless its escalation is still being announced.
      pause: afterSeq.current === null || (finished && !exec?.notifying),
    },
    (previous: ExecutionEvent[] = [], next) => [...previous, next.executionEvents],
  );
  useEffect(() => {
    if (sub.data?.length) setCollected((c) => mergeEvents(c, sub.data ?? []));
  }, [sub.data]);
  // Each event may move the execution, and so may a reconnect: read it again.
  const seen = collected.length;
  useEffect(() => {
    if (seen > 0) refetch({ requestPolicy: 'network-only' });
  }, [seen, refetch]);
  const wasLost = useRef(false);
  useEffect(() => {
    if (live === 'lost') wasLost.current = true;
    if (live === 'connected' && wasLost.current) {
      wasLost.current = false;
      refetch({ requestPolicy: 'network-only' });
    }
  }, [live, refetch]);
  const offline = live === 'lost' && !finished;

  const graph = useMemo(() => (exec ? pinnedGraphInput(exec.runbook) : null), [exec]);
  const classes = useMemo(() => {
    const map: Record<string, string> = {};
    for (const e of events) if (e.kind === 'ENTERED' && e.procedure) map[e.procedure] = 'visited';
    if (exec?.current) map[exec.current.key] = 'visited current';
    return map;
  }, [events, exec?.current]);
  // The step shown is in the address (`?step=`): each step the execution
  // moves to is a history entry, so Back shows the one before.
  const [params, setParams] = useSearchParams();
  const selected = params.get('step');
  const setSelected = useCallback(
    (key: string | null, replace = false) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (key) next.set('step', key);
          else next.delete('step');
          return next;
        },
        { replace },
      ),
    [setParams],
  );
  const runs = useMemo(() => automationRuns(events), [events]);
  const currentKey = exec?.current?.key ?? null;
  const lastCurrent = useRef<string | null>(null);
  // Set by this person's own move: the next step is brought into view and focused.
  const movedHere = useRef(false);
  const focusPending = useRef(false);
  useEffect(() => {
    if (!currentKey) return;
    const before = lastCurrent.current;
    lastCurrent.current = currentKey;
    // The page opened on the current step: that is where Back returns to.
    if (before === null && !params.has('step')) setSelected(currentKey, true);
    if (before === null || before === currentKey) return;
    setSelected(currentKey);
    if (movedHere.current) {
      movedHere.current = false;
      focusPending.current = true;
    }
  }, [currentKey, setSelected, params]);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const shownKey = selected ?? currentKey;
  useEffect(() => {
    if (!focusPending.current || shownKey !== currentKey || !titleRef.current) return;
    focusPending.current = false;
    titleRef.current.focus({ preventScroll: true });
    titleRef.current.scrollIntoView({ block: 'start' });
  }, [shownKey, currentKey]);
  const ownMove = () => {
    movedHere.current = true;
    refetch({ requestPolicy: 'network-only' });
  };

  if (fetching && !data) return <Loading label="Loading the execution…" />;
  if (error && !exec) return <ErrorState error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!exec || !graph) {
    return (
      <div className="page">
        <h1>No execution {id}</h1>
        <p>
          <Link to="/executions">All executions</Link>
        </p>
      </div>
    );
  }
  const current = exec.current;
  const shown = exec.runbook.procedures.find((p) => p.key === shownKey) ?? null;
  const lastRun = shown ? runs.filter((r) => r.procedure === shown.key).pop() ?? null : null;
  const liveState = finished ? 'finished' : offline ? 'reconnecting' : sub.error ? 'offline' : 'live';

  return (
    <div className="page execution-page" data-status={exec.status}>
      <header className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/executions">Executions</Link> / {exec.id}
          </p>
          <h1>
            <span className="code-chip">{exec.errorCode}</span> <span className="mono service-id">{exec.serviceId}</span>
          </h1>
          <p className="error-summary">
            <StatusBadge status={exec.status} />
            {exec.awaiting ? <span className="badge">awaits: {exec.awaiting.toLowerCase().replace('_', ' ')}</span> : null}
            <span className={`badge live-${liveState}`} aria-live="polite">
              {liveState === 'live'
                ? '● live'
                : liveState === 'reconnecting'
                  ? 'connection lost — reconnecting…'
                  : liveState === 'offline'
                    ? 'live updates lost — reload'
                    : 'finished'}
            </span>
            <span className="muted small">
              started {when(exec.startedAt)} by {exec.startedBy}
              {exec.environment ? ` · ${exec.environment}` : ''}
              {exec.instance ? ` · ${exec.instance}` : ''}
              {exec.alertCount > 1 ? ` · ${exec.alertCount} alerts` : ''}
            </span>
          </p>
          {exec.alert.message || exec.alert.statusCode || exec.alert.severity ? (
            <p className="small alert-facts" aria-label="The alert">
              {exec.alert.statusCode ? <span className="badge">HTTP {exec.alert.statusCode}</span> : null}
              {exec.alert.severity ? <span className="badge">{exec.alert.severity}</span> : null}{' '}
              {exec.alert.message ?? ''}
              {exec.alert.description ? <span className="muted"> — {exec.alert.description}</span> : null}
            </p>
          ) : null}
          {exec.contacts.length ? (
            <p className="small exec-contacts" aria-label="Escalation contacts">
              Escalation contacts:{' '}
              {exec.contacts
                .map((c) => [c.name, [c.email, c.phone, c.chat].filter(Boolean).join(', ')].filter(Boolean).join(' — '))
                .join('; ')}
            </p>
          ) : null}
          <ResponderBar exec={exec} offline={offline} onMoved={() => refetch({ requestPolicy: 'network-only' })} />
          {exec.labels.length ? (
            <p className="small">
              {exec.labels.map((l) => (
                <span key={l.name} className="tag">
                  {l.name}={l.value}
                </span>
              ))}
            </p>
          ) : null}
        </div>
        <div className="actions">
          <Link to={`/runbook/${encodeURIComponent(exec.serviceId)}/${encodeURIComponent(exec.errorCode)}`}>Runbook today</Link>
        </div>
      </header>
      <div className="runbook-layout">
        <section className="graph-pane" aria-label="The pinned runbook">
          <TreeToggle>
            <LazyPart what="The tree" label="Drawing the tree…">
              <RunbookGraph
                runbook={graph}
                selected={selected ?? current?.key ?? null}
                onSelect={setSelected}
                classes={classes}
                label={`Runbook pinned by execution ${exec.id}; the current step is marked`}
              />
            </LazyPart>
          </TreeToggle>
          <p className="muted small">
            Pinned at generation {exec.runbook.generation}: later edits do not change what this execution follows.
          </p>
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Events ({events.length})</h2>
            <Timeline events={events} />
          </section>
        </section>
        <aside className="detail-pane" aria-label="Current step">
          <Actions exec={exec} offline={offline} onMoved={ownMove} />
          {shown ? (
            <article className="step-details" aria-labelledby="exec-step-title">
              <div className="step-details-head">
                <KindBadge kind={shown.kind} />
                {shown.key === current?.key ? <span className="badge entry-badge">Current</span> : null}
                {shown.key === exec.runbook.entry ? <span className="badge">Entry</span> : null}
              </div>
              <h2 id="exec-step-title" ref={titleRef} tabIndex={-1}>
                {shown.title}
              </h2>
              <div className="muted mono small">{shown.key}</div>
              {shown.key === current?.key && current.unresolvedPlaceholders.length ? (
                <div className="callout callout-warn small">
                  No value for {current.unresolvedPlaceholders.map((p) => `{{${p}}}`).join(', ')}: left as written.
                </div>
              ) : null}
              <Markdown text={shown.key === current?.key ? current.body : shown.body} />
              {shown.kind === 'AUTOMATED' ? <Automation automation={shown.automation} /> : null}
            </article>
          ) : null}
          {lastRun ? <AutomationRunCard run={lastRun} /> : null}
          <Notifications notifying={exec.notifying} events={events} />
          {exec.lastOutput != null ? (
            <section className="card">
              <h3>Last output {exec.lastOutcome ? <span className="badge">{exec.lastOutcome}</span> : null}</h3>
              <pre className="code">{JSON.stringify(exec.lastOutput, null, 2)}</pre>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
