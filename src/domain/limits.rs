//! The bounds of what one scope document, one lineage and one write may hold.
//! Every write path (the mutations, `importRunbook`, `restore`, the CLI's
//! `import` and `check`) refuses a document past them with an error naming
//! the limit and the field; resolution refuses a lineage past them, so a
//! store that holds one answers an error for that service rather than work
//! without end. The benchmark datasets stay well within them.

/// Most levels of parents above a scope (a scope directly under a root is one
/// level down): a lineage is at most this deep.
pub const MAX_LINEAGE_DEPTH: usize = 64;

/// Most scopes one lineage may hold, the scope itself included.
pub const MAX_LINEAGE_SCOPES: usize = 256;

/// Most parents one scope may name.
pub const MAX_PARENTS: usize = 16;

/// Most owners one scope may name.
pub const MAX_OWNERS: usize = 64;

/// Most contacts one scope may list.
pub const MAX_CONTACTS: usize = 32;

/// Most procedures (layers and removals) one document may hold.
pub const MAX_PROCEDURES: usize = 2_000;

/// Most branches (layers and removals) one document may hold.
pub const MAX_BRANCHES: usize = 4_000;

/// Most entries one document may set or remove.
pub const MAX_ENTRIES: usize = 2_000;

/// Most error codes one document may register or layer.
pub const MAX_ERROR_CODES: usize = 2_000;

/// Longest short text, in bytes (UTF-8): a scope's name, an owner, a
/// contact's fields, a procedure's title, an error
/// code's message and severity.
pub const MAX_TEXT_BYTES: usize = 1_000;

/// Longest long text, in bytes (UTF-8): a procedure's body, an error code's
/// description.
pub const MAX_LONG_TEXT_BYTES: usize = 64 * 1024;

/// Most tags one procedure may have.
pub const MAX_TAGS: usize = 32;

/// Longest tag, in bytes (UTF-8).
pub const MAX_TAG_BYTES: usize = 200;

/// Largest `automation` of one procedure, in bytes of compact JSON.
pub const MAX_AUTOMATION_BYTES: usize = 16 * 1024;

/// Deepest nesting of mappings and lists inside one `automation` (the
/// mapping itself is level 1).
pub const MAX_AUTOMATION_DEPTH: usize = 8;
