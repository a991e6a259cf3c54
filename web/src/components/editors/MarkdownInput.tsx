import { useState } from 'react';
import { Markdown } from '../Markdown';

/** A Markdown body being written, and how it will read (the same rendering as the step page). */
export function MarkdownInput({
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  invalid?: boolean;
  describedBy?: string;
}) {
  const [preview, setPreview] = useState(false);
  return (
    <div className="markdown-input">
      <div className="markdown-modes" role="group" aria-label="Write or preview the body">
        <button type="button" aria-pressed={!preview} onClick={() => setPreview(false)}>
          Write
        </button>
        <button type="button" aria-pressed={preview} onClick={() => setPreview(true)}>
          Preview
        </button>
      </div>
      {preview ? (
        <div className="markdown-preview" role="region" aria-label="Preview of the body">
          {value.trim() ? <Markdown text={value} /> : <p className="muted">Nothing written yet.</p>}
        </div>
      ) : (
        <textarea
          id={id}
          rows={8}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={describedBy}
        />
      )}
    </div>
  );
}
