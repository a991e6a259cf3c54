import { useRef, useState, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Raw HTML in a step's body is dropped (`skipHtml`), URLs go through
// react-markdown's default sanitizer (no `javascript:`), and images are shown
// as links: the page loads nothing from outside hosts. A code block has a
// button that copies its text (a command to paste into a terminal).
function CodeBlock({ children }: { children?: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pre.current?.innerText ?? '');
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="code-block">
      <pre ref={pre}>{children}</pre>
      <button type="button" className="copy-button small" onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text' : 'Copy'}
      </button>
    </div>
  );
}

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  img: ({ src, alt }) => (
    <a href={typeof src === 'string' ? src : undefined} target="_blank" rel="noopener noreferrer nofollow">
      [image: {alt || src}]
    </a>
  ),
};

export function Markdown({ text }: { text: string | null | undefined }) {
  if (!text) return <p className="muted">No instructions written for this step.</p>;
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
