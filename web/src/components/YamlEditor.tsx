import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { syntaxErrors } from '../lib/yaml';
import type { LineError } from '../lib/errors';

/**
 * The editor's look, from the app's colours (custom properties reach into
 * the shadow root the editor lives in).
 */
const THEME = EditorView.theme({
  '&': {
    height: 'min(70vh, 640px)',
    minHeight: '320px',
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    fontSize: '0.85rem',
  },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.45' },
  '.cm-gutters': { backgroundColor: 'var(--surface)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 8%, transparent)' },
  '&.cm-focused': { outline: '2px solid var(--accent)' },
  '.cm-content': { caretColor: 'var(--text)' },
});

/** An error at a 1-based line (and column) as a diagnostic over the rest of that line. */
function atLine(state: EditorState, e: LineError): Diagnostic {
  const line = state.doc.line(Math.min(Math.max(e.line, 1), state.doc.lines));
  const from = Math.min(line.from + Math.max((e.column ?? 1) - 1, 0), line.to);
  return { from, to: Math.max(line.to, from), severity: 'error', message: e.message };
}

interface Props {
  id: string;
  value: string;
  onChange: (text: string) => void;
  disabled?: boolean;
  /** Errors the server found, marked at their lines until the text changes. */
  errors?: readonly LineError[];
  describedBy?: string;
}

/**
 * A YAML editor (CodeMirror, bundled): line numbers, highlighting, and
 * errors marked at their line — YAML syntax as you type, the server's
 * refusals after an import or preview. It lives in a shadow root, where
 * CodeMirror's styles are adopted style sheets rather than `<style>`
 * elements, which the app's Content Security Policy (`style-src 'self'`)
 * would block.
 */
export default function YamlEditor({ id, value, onChange, disabled = false, errors = [], describedBy }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const editable = useRef(new Compartment());
  useEffect(() => {
    if (!host.current) return;
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    shadow.replaceChildren(parent);
    const attributes: Record<string, string> = { id, 'aria-label': 'YAML', spellcheck: 'false' };
    if (describedBy) attributes['aria-describedby'] = describedBy;
    const v = new EditorView({
      parent,
      root: shadow,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          THEME,
          yaml(),
          lintGutter(),
          linter((v) => syntaxErrors(v.state.doc.toString()).map((e) => ({ ...e, severity: 'error' })), { delay: 300 }),
          editable.current.of(EditorView.editable.of(!disabled)),
          EditorView.contentAttributes.of(attributes),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once; the effects below keep it in step.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);
  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(EditorView.editable.of(!disabled)) });
  }, [disabled]);
  useEffect(() => {
    const v = view.current;
    if (v && errors.length) v.dispatch(setDiagnostics(v.state, errors.map((e) => atLine(v.state, e))));
  }, [errors]);
  return <div ref={host} className="yaml-editor" data-invalid={errors.length ? 'true' : undefined} />;
}
