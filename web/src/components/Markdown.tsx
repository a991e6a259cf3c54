import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Raw HTML in a step's body is dropped (`skipHtml`), URLs go through
// react-markdown's default sanitizer (no `javascript:`), and images are shown
// as links: the page loads nothing from outside hosts.
const components: Components = {
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
