-- The runbook graph, per host (tenant).
--
-- Vertices: `scopes`, and the procedures each scope defines.
-- Edges: `scope_parents` (inheritance, ordered) and `branches` (labelled,
-- between procedure keys).
-- Every content row belongs to one scope of one host and goes with it.
-- Patches are stored as the JSON the domain serializes: an absent field is
-- omitted, a cleared one is `null`.

CREATE TABLE scopes (
    host     TEXT    NOT NULL,
    id       TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    owners   TEXT    NOT NULL CHECK (json_valid(owners)),
    contacts TEXT    NOT NULL CHECK (json_valid(contacts)),
    -- Incremented each time the scope's document is written.
    revision INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (host, id)
) WITHOUT ROWID;

CREATE TABLE scope_parents (
    host     TEXT    NOT NULL,
    scope    TEXT    NOT NULL,
    -- 0-based position in the scope's ordered list of parents.
    position INTEGER NOT NULL,
    -- Not a foreign key: a document may name a parent that does not exist (yet).
    parent   TEXT    NOT NULL,
    PRIMARY KEY (host, scope, position),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Children lookups: which scopes name this one as a parent.
CREATE INDEX scope_parents_by_parent ON scope_parents (host, parent, scope);

CREATE TABLE procedures (
    host    TEXT    NOT NULL,
    scope   TEXT    NOT NULL,
    key     TEXT    NOT NULL,
    -- A tombstone (`removed: true`) has no patch.
    removed INTEGER NOT NULL CHECK (removed IN (0, 1)),
    patch   TEXT    CHECK (json_valid(patch)),
    PRIMARY KEY (host, scope, key),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE,
    CHECK (removed = (patch IS NULL))
) WITHOUT ROWID;

CREATE TABLE branches (
    host     TEXT    NOT NULL,
    scope    TEXT    NOT NULL,
    from_key TEXT    NOT NULL,
    label    TEXT    NOT NULL,
    removed  INTEGER NOT NULL CHECK (removed IN (0, 1)),
    patch    TEXT    CHECK (json_valid(patch)),
    PRIMARY KEY (host, scope, from_key, label),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE,
    CHECK (removed = (patch IS NULL))
) WITHOUT ROWID;

CREATE TABLE entries (
    host          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    -- An error code, or `*` for the default entry.
    code          TEXT NOT NULL,
    -- NULL removes an inherited entry.
    procedure_key TEXT,
    PRIMARY KEY (host, scope, code),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE error_codes (
    host  TEXT NOT NULL,
    scope TEXT NOT NULL,
    code  TEXT NOT NULL,
    patch TEXT NOT NULL CHECK (json_valid(patch)),
    PRIMARY KEY (host, scope, code),
    FOREIGN KEY (host, scope) REFERENCES scopes (host, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Definitions of a code across the scopes of a host, and the distinct codes.
CREATE INDEX error_codes_by_code ON error_codes (host, code);
