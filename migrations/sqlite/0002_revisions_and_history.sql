-- Revisions, generations and history.
--
-- Every write is a change with a store-wide increasing id (`changes`). An
-- object's revision is the id of the last change that altered it (the scope
-- row's `revision` is the scope object's: name, kind, parents, owners,
-- contacts); a host's generation is the id of the last change that touched it
-- (`hosts`); `history` keeps every object's JSON form before and after each
-- change, with who made it.

CREATE TABLE changes (
    -- AUTOINCREMENT: ids are never reused, even after the newest is deleted.
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    uid       TEXT    NOT NULL,
    at_ms     INTEGER NOT NULL,
    operation TEXT    NOT NULL
);

-- A host keeps its row (and generation) when its last scope is deleted, so
-- that a cache of the host still sees the change.
CREATE TABLE hosts (
    host       TEXT    NOT NULL PRIMARY KEY,
    generation INTEGER NOT NULL
) WITHOUT ROWID;

ALTER TABLE procedures ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE branches ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE error_codes ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE history (
    host        TEXT    NOT NULL,
    change_id   INTEGER NOT NULL REFERENCES changes (id),
    -- Position within the change: hosts, then scopes, then objects in
    -- `domain::objects` order.
    seq         INTEGER NOT NULL,
    scope       TEXT    NOT NULL,
    -- `ObjectRef::kind` and `ObjectRef::key`.
    object_kind TEXT    NOT NULL,
    object_key  TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('CREATED', 'UPDATED', 'DELETED')),
    -- The object's JSON form (`domain::object_json`); NULL: it did not exist.
    before_json TEXT    CHECK (json_valid(before_json)),
    after_json  TEXT    CHECK (json_valid(after_json)),
    uid         TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    operation   TEXT    NOT NULL,
    PRIMARY KEY (host, change_id, seq),
    CHECK ((action = 'CREATED') = (before_json IS NULL)),
    CHECK ((action = 'DELETED') = (after_json IS NULL))
) WITHOUT ROWID;

-- The history of one scope or object, of one user, of a time range.
CREATE INDEX history_by_object ON history (host, scope, object_kind, object_key, change_id);
CREATE INDEX history_by_uid ON history (host, uid, change_id);
CREATE INDEX history_by_time ON history (host, at_ms);

-- Content written before this migration has no history: it becomes one
-- baseline change (only if there is content), which every existing object and
-- host is at.
INSERT INTO changes (uid, at_ms, operation)
SELECT 'system', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'migrate'
 WHERE EXISTS (SELECT 1 FROM scopes);

UPDATE scopes SET revision = (SELECT max(id) FROM changes);
UPDATE procedures SET revision = (SELECT max(id) FROM changes);
UPDATE branches SET revision = (SELECT max(id) FROM changes);
UPDATE entries SET revision = (SELECT max(id) FROM changes);
UPDATE error_codes SET revision = (SELECT max(id) FROM changes);

INSERT INTO hosts (host, generation)
SELECT DISTINCT host, (SELECT max(id) FROM changes) FROM scopes;
