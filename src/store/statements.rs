//! The statement tables that make a SQL backend: each backend fills them with
//! its own SQL text, with the binds and result columns documented here.

/// A backend's SQL. Reads bind the host first; id lists are bound as one JSON
/// array of strings.
#[derive(Debug)]
pub(crate) struct Statements {
    /// Content rows of a scope and its ancestors. Binds: host, scope id.
    pub lineage_documents: &'static str,
    /// The lineage of a scope with versions: content rows of the lineage
    /// scopes whose `revision:objects:id` is not in a JSON array of such
    /// texts, then one row tagged `version` per lineage scope (revision in
    /// `num`, object count as text in `key1`). Binds: host, scope id, known.
    pub lineage_shared: &'static str,
    /// Content rows of the listed scopes. Binds: host, ids.
    pub documents: &'static str,
    /// Content rows of every scope of a host. Binds: host.
    pub host_documents: &'static str,
    /// Scope rows of the listed scopes, by id. Binds: host, ids.
    pub scopes: &'static str,
    /// A page of scope rows, by id. Binds: host, kind or NULL, after or NULL, limit.
    pub list_scopes: &'static str,
    /// Distinct (parent, child) pairs, sorted. Binds: host, parent ids.
    pub children: &'static str,
    /// Definition rows of the listed codes. Binds: host, codes.
    pub definitions: &'static str,
    /// A page of distinct codes, sorted. Binds: host, after or NULL, limit.
    pub list_error_codes: &'static str,
    /// Search hits (kind, scope, scope kind, key, title, body), best first.
    /// Binds: host, the backend's match expression, limit, offset.
    pub search: &'static str,
    /// The match expression of [`Statements::search`] for some terms.
    pub search_expression: fn(&crate::domain::search::SearchTerms) -> String,
    /// Distinct hosts, sorted. No binds.
    pub hosts: &'static str,
    /// One boolean: no scope at all. No binds.
    pub is_empty: &'static str,
    /// Any cheap statement. No binds.
    pub ping: &'static str,
    /// Refreshes the planner's statistics of the content tables. No binds.
    pub refresh_statistics: &'static str,
    /// The host's generation (one integer), no row when no change touched it.
    /// Binds: host.
    pub generation: &'static str,
    /// Revision rows (`decode::RevisionRow`) of every object of a scope, in no
    /// particular order. Binds: host, scope id.
    pub revisions: &'static str,
    /// `SELECT … FROM history` with the columns of `decode::HistoryRow`; the
    /// conditions, order and limit are appended (see `history.rs`).
    pub history: &'static str,
    /// Starts a read-only transaction whose statements all read one snapshot.
    pub begin_snapshot: &'static str,
    /// Starts a write transaction.
    pub begin_write: &'static str,
    /// Run once per host of a change, in host order, after `begin_write`. Binds: host.
    pub lock_host: Option<&'static str>,
    /// Writing a change.
    pub write: WriteSql,
}

/// A backend's statements for writing a change. Revisions and change ids are
/// bound as 64-bit integers.
#[derive(Debug)]
pub(crate) struct WriteSql {
    /// Inserts a change and returns its id. Binds: uid, at_ms, operation.
    pub insert_change: &'static str,
    /// Sets a host's generation, adding the host if new. Binds: host, change id.
    pub set_generation: &'static str,
    /// Inserts the history rows of a JSON array (see `encode::history`).
    /// Binds: change id, uid, at_ms, operation, rows.
    pub insert_history: &'static str,
    /// Inserts or updates a scope row. Binds: host, id, name, kind, owners
    /// (JSON), contacts (JSON), revision.
    pub upsert_scope: &'static str,
    /// Deletes a scope row; its parents and content go with it. Binds: host, id.
    pub delete_scope: &'static str,
    /// Deletes a scope's parents. Binds: host, id.
    pub clear_parents: &'static str,
    /// Inserts a scope's parents from a JSON array of ids, in order. Binds:
    /// host, id, array.
    pub insert_parents: &'static str,
    /// Deletes the rows of procedures, branches, entries and error codes, in
    /// that order, whose keys are in a JSON array (see `encode::ObjectRows`).
    /// Binds: host, id, keys.
    pub delete_rows: [&'static str; 4],
    /// Inserts the rows of a JSON array into procedures, branches, entries and
    /// error codes, in that order. Binds: host, id, array, revision.
    pub insert_rows: [&'static str; 4],
}
