-- Executions: runs of a service's runbook for an alert, and their events.
--
-- `state` holds the execution's JSON state (alert context, where it stands,
-- what it waits for, the automation in flight); `runbook` the runbook it
-- pinned when it started (written once). The columns beside them repeat what
-- queries filter on. Events are numbered per execution from 1.

CREATE TABLE executions (
    id            TEXT    NOT NULL PRIMARY KEY,
    host          TEXT    NOT NULL,
    service_id    TEXT    NOT NULL,
    error_code    TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (json_valid(state)),
    runbook       TEXT    NOT NULL CHECK (json_valid(runbook)),
    started_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    last_alert_ms INTEGER NOT NULL,
    finished_ms   INTEGER,
    -- The number the next event gets.
    next_seq      INTEGER NOT NULL
) WITHOUT ROWID;

-- Listing a host's executions newest first, and finding the open one of a service and code.
CREATE INDEX executions_by_host ON executions (host, id);
CREATE INDEX executions_by_service ON executions (host, service_id, error_code, status);
-- Recovery at start-up: the executions the service was walking.
CREATE INDEX executions_by_status ON executions (status);

CREATE TABLE execution_events (
    execution_id  TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    at_ms         INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    procedure_key TEXT,
    actor         TEXT    NOT NULL,
    data          TEXT    NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (execution_id, seq),
    FOREIGN KEY (execution_id) REFERENCES executions (id) ON DELETE CASCADE
) WITHOUT ROWID;
