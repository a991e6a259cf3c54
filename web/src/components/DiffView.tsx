import { diffObjects, display, type FieldDiff } from '../lib/diff';

function Segments({ diff }: { diff: FieldDiff }) {
  const segments = diff.segments ?? [];
  if (diff.mode === 'words') {
    // One line before, one after, the words that differ marked in each.
    return (
      <pre className="diff-text">
        <span className="line-del">
          <span aria-hidden="true">− </span>
          {segments
            .filter((s) => !s.added)
            .map((s, i) => (s.removed ? <del key={i}>{s.text}</del> : <span key={i}>{s.text}</span>))}
        </span>
        {'\n'}
        <span className="line-ins">
          <span aria-hidden="true">+ </span>
          {segments
            .filter((s) => !s.removed)
            .map((s, i) => (s.added ? <ins key={i}>{s.text}</ins> : <span key={i}>{s.text}</span>))}
        </span>
      </pre>
    );
  }
  return (
    <pre className="diff-text">
      {segments.map((s, i) =>
        s.added ? (
          <ins key={i}>{s.text}</ins>
        ) : s.removed ? (
          <del key={i}>{s.text}</del>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </pre>
  );
}

const STATUS_LABEL: Record<FieldDiff['status'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  same: 'unchanged',
};

/**
 * Two versions of an object side by side, field by field: added and removed
 * fields, and changed ones with their text diff (lines for Markdown bodies,
 * words for one-line values). Unchanged fields are folded away.
 */
export function DiffView({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffObjects(before, after);
  const changed = rows.filter((r) => r.status !== 'same');
  const same = rows.filter((r) => r.status === 'same');
  if (before == null && after == null) return <p className="muted">Nothing before or after.</p>;
  return (
    <div className="diff">
      {before == null ? <p className="small muted">Created.</p> : null}
      {after == null ? <p className="small muted">Deleted.</p> : null}
      {changed.length === 0 ? <p className="muted small">No field changed.</p> : null}
      <table className="diff-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {changed.map((r) => (
            <tr key={r.field} className={`diff-${r.status}`} data-field={r.field}>
              <th scope="row">
                <code>{r.field}</code>
                <div className="muted small">{STATUS_LABEL[r.status]}</div>
              </th>
              <td>
                {r.status === 'changed' ? (
                  <Segments diff={r} />
                ) : r.status === 'added' ? (
                  <pre className="diff-text">
                    <ins>{display(r.after)}</ins>
                  </pre>
                ) : (
                  <pre className="diff-text">
                    <del>{display(r.before)}</del>
                  </pre>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {same.length ? (
        <details className="small">
          <summary>
            {same.length} unchanged field{same.length > 1 ? 's' : ''}
          </summary>
          <dl className="same-fields">
            {same.map((r) => (
              <div key={r.field}>
                <dt>
                  <code>{r.field}</code>
                </dt>
                <dd>
                  <pre className="diff-text">{display(r.after)}</pre>
                </dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </div>
  );
}
