-- Executions: runs of a service's runbook for an alert, and their events.
--
-- `state` holds the execution's JSON state (alert context, where it stands,
-- what it waits for, the automation in flight); `runbook` the runbook it
-- pinned when it started (written once). Both are JSON text as the service
-- wrote it. The columns beside them repeat what queries filter on. Events
-- are numbered per execution from 1. Identifiers use the "C" collation so
-- that ORDER BY and `<` (paging) agree with byte order.

CREATE TABLE executions (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    host          TEXT COLLATE "C" NOT NULL,
    service_id    TEXT COLLATE "C" NOT NULL,
    error_code    TEXT COLLATE "C" NOT NULL,
    status        TEXT   NOT NULL,
    state         TEXT   NOT NULL,
    runbook       TEXT   NOT NULL,
    started_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL,
    last_alert_ms BIGINT NOT NULL,
    finished_ms   BIGINT,
    -- The number the next event gets.
    next_seq      BIGINT NOT NULL
);

-- Listing a host's executions newest first, and finding the open one of a service and code.
CREATE INDEX executions_by_host ON executions (host, id);
CREATE INDEX executions_by_service ON executions (host, service_id, error_code, status);
-- Recovery at start-up: the executions the service was walking.
CREATE INDEX executions_by_status ON executions (status);

CREATE TABLE execution_events (
    execution_id  TEXT COLLATE "C" NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    at_ms         BIGINT NOT NULL,
    kind          TEXT   NOT NULL,
    procedure_key TEXT,
    actor         TEXT   NOT NULL,
    data          TEXT   NOT NULL,
    PRIMARY KEY (execution_id, seq)
);
