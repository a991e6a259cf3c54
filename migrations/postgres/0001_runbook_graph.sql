-- The runbook graph, per host (tenant).
--
-- Vertices: `scopes`, and the procedures each scope defines.
-- Edges: `scope_parents` (inheritance, ordered) and `branches` (labelled,
-- between procedure keys).
-- Every content row belongs to one scope of one host and goes with it.
--
-- Identifiers use the "C" collation so that ORDER BY and `>` (paging) agree
-- with the byte order the service sorts by, whatever the database's locale.
-- Patches use `json`, not `jsonb`: it keeps the text as the domain serialized
-- it (key order of automation objects included). An absent field is omitted,
-- a cleared one is `null`.

CREATE TABLE scopes (
    host     TEXT COLLATE "C" NOT NULL,
    id       TEXT COLLATE "C" NOT NULL,
    name     TEXT   NOT NULL,
    kind     TEXT   NOT NULL,
    owners   JSON   NOT NULL,
    contacts JSON   NOT NULL,
    -- Incremented each time the scope's document is written.
    revision BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (host, id)
);

CREATE TABLE scope_parents (
    host     TEXT COLLATE "C" NOT NULL,
    scope    TEXT COLLATE "C" NOT NULL,
    -- 0-based position in the scope's ordered list of parents.
    position INTEGER NOT NULL,
    -- Not a foreign key: a document may name a parent that does not exist (yet).
    parent   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (host, scope, position),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE
);

-- Children lookups: which scopes name this one as a parent.
CREATE INDEX scope_parents_by_parent ON scope_parents (host, parent, scope);

CREATE TABLE procedures (
    host    TEXT COLLATE "C" NOT NULL,
    scope   TEXT COLLATE "C" NOT NULL,
    key     TEXT COLLATE "C" NOT NULL,
    -- A tombstone (`removed: true`) has no patch.
    removed BOOLEAN NOT NULL,
    patch   JSON,
    PRIMARY KEY (host, scope, key),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE,
    CHECK (removed = (patch IS NULL))
);

CREATE TABLE branches (
    host     TEXT COLLATE "C" NOT NULL,
    scope    TEXT COLLATE "C" NOT NULL,
    from_key TEXT COLLATE "C" NOT NULL,
    label    TEXT COLLATE "C" NOT NULL,
    removed  BOOLEAN NOT NULL,
    patch    JSON,
    PRIMARY KEY (host, scope, from_key, label),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE,
    CHECK (removed = (patch IS NULL))
);

CREATE TABLE entries (
    host          TEXT COLLATE "C" NOT NULL,
    scope         TEXT COLLATE "C" NOT NULL,
    -- An error code, or `*` for the default entry.
    code          TEXT COLLATE "C" NOT NULL,
    -- NULL removes an inherited entry.
    procedure_key TEXT COLLATE "C",
    PRIMARY KEY (host, scope, code),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE
);

CREATE TABLE error_codes (
    host  TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    code  TEXT COLLATE "C" NOT NULL,
    patch JSON NOT NULL,
    PRIMARY KEY (host, scope, code),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE
);

-- Definitions of a code across the scopes of a host, and the distinct codes.
CREATE INDEX error_codes_by_code ON error_codes (host, code);
