-- Search over a host's runbooks: scopes by id and name, procedures by key,
-- title, tags and body, error codes by code, message and description.
--
-- `search_index` is an FTS5 table (unicode61 words, prefix queries); each of
-- its rows is named by one `search_keys` row (same rowid): which host, scope,
-- kind of hit and key. Triggers on the content tables keep both current in
-- the transaction that writes the content, so search is never stale. A
-- tombstone (`removed`) is not indexed. The title column holds what a hit
-- shows as its title (`id · name`, `key · title`, `code · message`).

CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    body,
    tags,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TABLE search_keys (
    rowid INTEGER PRIMARY KEY,
    host  TEXT NOT NULL,
    scope TEXT NOT NULL,
    -- scope | procedure | errorCode
    kind  TEXT NOT NULL,
    -- The procedure key or error code; '' for a scope.
    key   TEXT NOT NULL,
    UNIQUE (host, scope, kind, key)
);

-- Scopes.

CREATE TRIGGER search_scope_insert AFTER INSERT ON scopes BEGIN
    INSERT INTO search_keys (host, scope, kind, key) VALUES (NEW.host, NEW.id, 'scope', '');
    INSERT INTO search_index (rowid, title, body, tags)
        SELECT rowid, NEW.id || ' · ' || NEW.name, '', '' FROM search_keys
        WHERE host = NEW.host AND scope = NEW.id AND kind = 'scope' AND key = '';
END;

CREATE TRIGGER search_scope_update AFTER UPDATE OF name ON scopes BEGIN
    UPDATE search_index SET title = NEW.id || ' · ' || NEW.name
        WHERE rowid = (SELECT rowid FROM search_keys
                       WHERE host = NEW.host AND scope = NEW.id AND kind = 'scope' AND key = '');
END;

-- A scope goes with everything it defines, whether or not the cascade of its
-- content rows runs their triggers.
CREATE TRIGGER search_scope_delete AFTER DELETE ON scopes BEGIN
    DELETE FROM search_index
        WHERE rowid IN (SELECT rowid FROM search_keys WHERE host = OLD.host AND scope = OLD.id);
    DELETE FROM search_keys WHERE host = OLD.host AND scope = OLD.id;
END;

-- Procedures.

CREATE TRIGGER search_procedure_insert AFTER INSERT ON procedures WHEN NEW.patch IS NOT NULL BEGIN
    INSERT INTO search_keys (host, scope, kind, key) VALUES (NEW.host, NEW.scope, 'procedure', NEW.key);
    INSERT INTO search_index (rowid, title, body, tags)
        SELECT rowid,
               NEW.key || ' · ' || coalesce(json_extract(NEW.patch, '$.title'), ''),
               coalesce(json_extract(NEW.patch, '$.body'), ''),
               coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.patch, '$.tags')), '')
        FROM search_keys
        WHERE host = NEW.host AND scope = NEW.scope AND kind = 'procedure' AND key = NEW.key;
END;

CREATE TRIGGER search_procedure_delete AFTER DELETE ON procedures BEGIN
    DELETE FROM search_index
        WHERE rowid = (SELECT rowid FROM search_keys
                       WHERE host = OLD.host AND scope = OLD.scope AND kind = 'procedure' AND key = OLD.key);
    DELETE FROM search_keys
        WHERE host = OLD.host AND scope = OLD.scope AND kind = 'procedure' AND key = OLD.key;
END;

CREATE TRIGGER search_procedure_update AFTER UPDATE ON procedures BEGIN
    DELETE FROM search_index
        WHERE rowid = (SELECT rowid FROM search_keys
                       WHERE host = OLD.host AND scope = OLD.scope AND kind = 'procedure' AND key = OLD.key);
    DELETE FROM search_keys
        WHERE host = OLD.host AND scope = OLD.scope AND kind = 'procedure' AND key = OLD.key;
    INSERT INTO search_keys (host, scope, kind, key)
        SELECT NEW.host, NEW.scope, 'procedure', NEW.key WHERE NEW.patch IS NOT NULL;
    INSERT INTO search_index (rowid, title, body, tags)
        SELECT rowid,
               NEW.key || ' · ' || coalesce(json_extract(NEW.patch, '$.title'), ''),
               coalesce(json_extract(NEW.patch, '$.body'), ''),
               coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.patch, '$.tags')), '')
        FROM search_keys
        WHERE host = NEW.host AND scope = NEW.scope AND kind = 'procedure' AND key = NEW.key;
END;

-- Error codes.

CREATE TRIGGER search_error_code_insert AFTER INSERT ON error_codes BEGIN
    INSERT INTO search_keys (host, scope, kind, key) VALUES (NEW.host, NEW.scope, 'errorCode', NEW.code);
    INSERT INTO search_index (rowid, title, body, tags)
        SELECT rowid,
               NEW.code || ' · ' || coalesce(json_extract(NEW.patch, '$.message'), ''),
               coalesce(json_extract(NEW.patch, '$.description'), ''),
               ''
        FROM search_keys
        WHERE host = NEW.host AND scope = NEW.scope AND kind = 'errorCode' AND key = NEW.code;
END;

CREATE TRIGGER search_error_code_delete AFTER DELETE ON error_codes BEGIN
    DELETE FROM search_index
        WHERE rowid = (SELECT rowid FROM search_keys
                       WHERE host = OLD.host AND scope = OLD.scope AND kind = 'errorCode' AND key = OLD.code);
    DELETE FROM search_keys
        WHERE host = OLD.host AND scope = OLD.scope AND kind = 'errorCode' AND key = OLD.code;
END;

CREATE TRIGGER search_error_code_update AFTER UPDATE ON error_codes BEGIN
    UPDATE search_index
        SET title = NEW.code || ' · ' || coalesce(json_extract(NEW.patch, '$.message'), ''),
            body = coalesce(json_extract(NEW.patch, '$.description'), '')
        WHERE rowid = (SELECT rowid FROM search_keys
                       WHERE host = NEW.host AND scope = NEW.scope AND kind = 'errorCode' AND key = NEW.code);
END;

-- What is already stored.

INSERT INTO search_keys (host, scope, kind, key) SELECT host, id, 'scope', '' FROM scopes;
INSERT INTO search_keys (host, scope, kind, key)
    SELECT host, scope, 'procedure', key FROM procedures WHERE patch IS NOT NULL;
INSERT INTO search_keys (host, scope, kind, key) SELECT host, scope, 'errorCode', code FROM error_codes;

INSERT INTO search_index (rowid, title, body, tags)
    SELECT k.rowid, s.id || ' · ' || s.name, '', ''
    FROM search_keys k JOIN scopes s ON s.host = k.host AND s.id = k.scope
    WHERE k.kind = 'scope';
INSERT INTO search_index (rowid, title, body, tags)
    SELECT k.rowid,
           p.key || ' · ' || coalesce(json_extract(p.patch, '$.title'), ''),
           coalesce(json_extract(p.patch, '$.body'), ''),
           coalesce((SELECT group_concat(value, ' ') FROM json_each(p.patch, '$.tags')), '')
    FROM search_keys k JOIN procedures p ON p.host = k.host AND p.scope = k.scope AND p.key = k.key
    WHERE k.kind = 'procedure';
INSERT INTO search_index (rowid, title, body, tags)
    SELECT k.rowid,
           e.code || ' · ' || coalesce(json_extract(e.patch, '$.message'), ''),
           coalesce(json_extract(e.patch, '$.description'), ''),
           ''
    FROM search_keys k JOIN error_codes e ON e.host = k.host AND e.scope = k.scope AND e.code = k.key
    WHERE k.kind = 'errorCode';
