-- Revisions, generations and history.
--
-- Every write is a change with a store-wide increasing id (`changes`). An
-- object's revision is the id of the last change that altered it (the scope
-- row's `revision` is the scope object's: name, kind, parents, owners,
-- contacts); a host's generation is the id of the last change that touched it
-- (`hosts`); `history` keeps every object's JSON form before and after each
-- change, with who made it.
--
-- Writers of a host serialize on its advisory lock and take their change id
-- while holding it, so the ids of one host's changes increase in commit order.
-- A rolled-back commit may leave a gap in the ids.

CREATE TABLE changes (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid       TEXT   NOT NULL,
    at_ms     BIGINT NOT NULL,
    operation TEXT   NOT NULL
);

-- A host keeps its row (and generation) when its last scope is deleted, so
-- that a cache of the host still sees the change.
CREATE TABLE hosts (
    host       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    generation BIGINT NOT NULL
);

ALTER TABLE procedures ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE branches ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE error_codes ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE history (
    host        TEXT COLLATE "C" NOT NULL,
    change_id   BIGINT  NOT NULL REFERENCES changes (id),
    -- Position within the change: hosts, then scopes, then objects in
    -- `domain::objects` order.
    seq         INTEGER NOT NULL,
    scope       TEXT COLLATE "C" NOT NULL,
    -- `ObjectRef::kind` and `ObjectRef::key`.
    object_kind TEXT COLLATE "C" NOT NULL,
    object_key  TEXT COLLATE "C" NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('CREATED', 'UPDATED', 'DELETED')),
    -- The object's JSON form (`domain::object_json`), text kept as written;
    -- NULL: it did not exist.
    before_json JSON,
    after_json  JSON,
    uid         TEXT    NOT NULL,
    at_ms       BIGINT  NOT NULL,
    operation   TEXT    NOT NULL,
    PRIMARY KEY (host, change_id, seq),
    CHECK ((action = 'CREATED') = (before_json IS NULL)),
    CHECK ((action = 'DELETED') = (after_json IS NULL))
);

-- The history of one scope or object, of one user, of a time range.
CREATE INDEX history_by_object ON history (host, scope, object_kind, object_key, change_id);
CREATE INDEX history_by_uid ON history (host, uid, change_id);
CREATE INDEX history_by_time ON history (host, at_ms);

-- Content written before this migration has no history: it becomes one
-- baseline change (only if there is content), which every existing object and
-- host is at.
INSERT INTO changes (uid, at_ms, operation)
SELECT 'system', (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 'migrate'
 WHERE EXISTS (SELECT 1 FROM scopes);

UPDATE scopes SET revision = (SELECT max(id) FROM changes);
UPDATE procedures SET revision = (SELECT max(id) FROM changes);
UPDATE branches SET revision = (SELECT max(id) FROM changes);
UPDATE entries SET revision = (SELECT max(id) FROM changes);
UPDATE error_codes SET revision = (SELECT max(id) FROM changes);

-- From now on every write gives each row the revision it is at.
ALTER TABLE scopes ALTER COLUMN revision DROP DEFAULT;
ALTER TABLE procedures ALTER COLUMN revision DROP DEFAULT;
ALTER TABLE branches ALTER COLUMN revision DROP DEFAULT;
ALTER TABLE entries ALTER COLUMN revision DROP DEFAULT;
ALTER TABLE error_codes ALTER COLUMN revision DROP DEFAULT;

INSERT INTO hosts (host, generation)
SELECT DISTINCT host, (SELECT max(id) FROM changes) FROM scopes;
