import type { ExecutionEvent } from '../types';

type Delivery = {
  notifier: string;
  format?: string;
  delivered: boolean;
  httpStatus?: number;
  error?: string;
  recipients?: string[];
};

function deliveries(event: ExecutionEvent): { contacts: string[]; deliveries: Delivery[] } {
  const data = (event.data ?? {}) as { contacts?: unknown; deliveries?: unknown };
  const contacts = Array.isArray(data.contacts) ? data.contacts.filter((c): c is string => typeof c === 'string') : [];
  const list = Array.isArray(data.deliveries) ? (data.deliveries as Delivery[]) : [];
  return { contacts, deliveries: list.filter((d) => d && typeof d.notifier === 'string') };
}

/** Who an escalation was announced to, through which notifier, and whether it got there. */
export function Notifications({ notifying, events }: { notifying: boolean; events: readonly ExecutionEvent[] }) {
  const notified = events.filter((e) => e.kind === 'ESCALATION_NOTIFIED').pop();
  if (!notified) {
    return notifying ? (
      <section className="card notifications" aria-label="Notifications" data-state="sending">
        <h3>Notifying the contacts…</h3>
      </section>
    ) : null;
  }
  const { contacts, deliveries: sent } = deliveries(notified);
  const failed = sent.filter((d) => !d.delivered).length;
  return (
    <section
      className={`card notifications${failed ? ' automation-run-failed' : ''}`}
      aria-label="Notifications"
      data-state={failed ? 'failed' : 'delivered'}
    >
      <h3>
        Escalation sent{' '}
        <span className={`badge${failed ? ' badge-danger' : ''}`}>
          {failed ? `${failed} of ${sent.length} not delivered` : `delivered to ${sent.length}`}
        </span>
      </h3>
      <p className="small">To: {contacts.length ? contacts.join(', ') : 'no contact in the runbook'}</p>
      <ul className="small">
        {sent.map((d) => (
          <li key={d.notifier} data-delivered={d.delivered ? 'yes' : 'no'}>
            <span className="mono">{d.notifier}</span> ({d.format ?? 'json'}):{' '}
            {d.delivered ? `delivered${d.httpStatus ? ` (HTTP ${d.httpStatus})` : ''}` : `not delivered — ${d.error ?? 'no answer'}`}
            {d.recipients?.length ? ` to ${d.recipients.join(', ')}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
