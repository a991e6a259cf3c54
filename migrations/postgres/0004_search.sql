-- Search over a host's runbooks: scopes by id and name, procedures by key,
-- title, tags and body, error codes by code, message and description.
--
-- One GIN index per content table on the text-search vector of its rows,
-- read as runs of letters and digits (`com.acme.ledger-1` is the words `com
-- acme ledger 1`, as SQLite's FTS5 reads it) in the `simple` configuration:
-- lower-cased, no stemming, for ids and codes are not English. The search
-- statement (src/store/postgres/search.rs) repeats each expression exactly,
-- so the planner can use the index. Weights: A for what a hit shows as its
-- title, B for tags, C for bodies and descriptions. A tombstone (`removed`)
-- has no patch and is not indexed.

CREATE INDEX scopes_search ON scopes USING GIN ((
    setweight(to_tsvector('simple', regexp_replace(id || ' ' || name, '[^[:alnum:]]+', ' ', 'g')), 'A')
));

CREATE INDEX procedures_search ON procedures USING GIN ((
    setweight(to_tsvector('simple', regexp_replace(key || ' ' || coalesce(patch ->> 'title', ''), '[^[:alnum:]]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('simple', regexp_replace(coalesce(patch ->> 'tags', ''), '[^[:alnum:]]+', ' ', 'g')), 'B')
    || setweight(to_tsvector('simple', regexp_replace(coalesce(patch ->> 'body', ''), '[^[:alnum:]]+', ' ', 'g')), 'C')
)) WHERE patch IS NOT NULL;

CREATE INDEX error_codes_search ON error_codes USING GIN ((
    setweight(to_tsvector('simple', regexp_replace(code || ' ' || coalesce(patch ->> 'message', ''), '[^[:alnum:]]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('simple', regexp_replace(coalesce(patch ->> 'description', ''), '[^[:alnum:]]+', ' ', 'g')), 'C')
));
