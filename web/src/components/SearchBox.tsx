import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { SearchQuery } from '../queries';
import { hitLabel, hitPath, MAX_QUERY, searchable } from '../lib/search';
import { ErrorState } from './States';

/** How long typing must pause before a query is sent, in ms. */
const PAUSE_MS = 150;

interface Part {
  text: string;
  matched: boolean;
}

function Marked({ parts }: { parts: Part[] }) {
  return (
    <>
      {parts.map((p, i) => (p.matched ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

/**
 * The host's search hits for `text`, asked once typing pauses; nothing is
 * asked for a query with too little in it.
 */
export function useSearch(text: string, first: number) {
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const ready = searchable(query);
  const [{ data, fetching, error }] = useQuery({
    query: SearchQuery,
    variables: { query, first },
    pause: !ready,
  });
  const hits = ready ? (data?.search.edges ?? []) : [];
  const more = ready && Boolean(data?.search.pageInfo.hasNextPage);
  return { hits, ready, fetching: fetching && !data, error, more };
}

/**
 * Search the host's services, error codes and procedures as one types: the
 * server ranks and marks the matches, so a partial name (`ledg`) finds the
 * service among thousands. Arrow down moves from the box into the hits.
 */
export function SearchBox() {
  const id = useId();
  const [text, setText] = useState('');
  const list = useRef<HTMLUListElement>(null);
  const { hits, ready, fetching, error, more } = useSearch(text, 10);

  const intoHits = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowDown') return;
    e.preventDefault();
    list.current?.querySelector<HTMLAnchorElement>('a')?.focus();
  };
  const alongHits = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const links = Array.from(list.current?.querySelectorAll<HTMLAnchorElement>('a') ?? []);
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === 'ArrowDown' ? Math.min(at + 1, links.length - 1) : at - 1;
    if (next < 0) document.getElementById(`${id}-q`)?.focus();
    else links[next]?.focus();
  };

  return (
    <section className="card site-search" role="search" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Search</h2>
      <label htmlFor={`${id}-q`} className="muted small">
        Services, error codes and procedures: any part of a name, a code, words of a step
      </label>
      <input
        id={`${id}-q`}
        type="search"
        autoComplete="off"
        spellCheck={false}
        maxLength={MAX_QUERY}
        placeholder="ledger, ERR10001, restart pod…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={intoHits}
        aria-controls={`${id}-hits`}
      />
      {error ? <ErrorState error={error} /> : null}
      <p className="muted small" aria-live="polite">
        {!ready ? '' : fetching ? 'Searching…' : hits.length === 0 ? 'Nothing matches every word.' : ''}
      </p>
      <ul id={`${id}-hits`} className="search-hits" ref={list} onKeyDown={alongHits}>
        {hits.map(({ cursor, node }) => (
          <li key={cursor}>
            <Link to={hitPath(node)}>
              <span className="hit-title">
                <Marked parts={node.title} />
              </span>
              <span className="muted small hit-kind">
                {hitLabel(node)}
                {node.kind === 'SCOPE' ? '' : ` ${node.scopeId}`}
              </span>
              {node.snippet.length ? (
                <span className="small hit-snippet">
                  <Marked parts={node.snippet} />
                </span>
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
      {more ? (
        <p className="muted small">More match: add a word to narrow the search.</p>
      ) : null}
    </section>
  );
}
