//! The statement tables that make a SQL backend: each backend fills them with
//! its own SQL text, with the binds and result columns documented here.

/// A backend's SQL. `$host` is always the first bind; id lists are bound as
/// one JSON array of strings.
#[derive(Debug)]
pub(crate) struct Statements {
    /// Content rows of a scope and its ancestors. Binds: host, scope id.
    pub lineage_documents: &'static str,
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
    /// Distinct hosts, sorted. No binds.
    pub hosts: &'static str,
    /// One boolean: no scope at all. No binds.
    pub is_empty: &'static str,
    /// Any cheap statement. No binds.
    pub ping: &'static str,
    /// Starts a write transaction.
    pub begin_write: &'static str,
    /// Run once per host written, in host order, after `begin_write`. Binds: host.
    pub lock_host: Option<&'static str>,
    /// Writing one document.
    pub write: WriteSql,
}

/// A backend's statements for writing one document.
#[derive(Debug)]
pub(crate) struct WriteSql {
    /// Inserts or updates the scope row, bumping its revision. Binds: host, id,
    /// name, kind, owners (JSON), contacts (JSON).
    pub upsert_scope: &'static str,
    /// Deletes the scope's parents and content, one table each. Binds: host, id.
    pub clear_scope: [&'static str; 5],
    /// Inserts the rows of a JSON array into parents, procedures, branches,
    /// entries and error codes, in that order. Binds: host, id, array.
    pub insert_rows: [&'static str; 5],
}
