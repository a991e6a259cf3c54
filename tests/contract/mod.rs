//! The `Store` contract: one suite that every backend passes.
//!
//! A backend's test file builds a fresh, empty store per test and expands
//! [`contract_suite!`] with it:
//!
//! ```ignore
//! mod contract;
//! contract_suite!(sqlite, fresh_store());
//! ```
//!
//! The factory returns a [`TestStore`]: the store, a [`Backdoor`] into its
//! database for the few tests that must break or corrupt it, and whatever must
//! live as long as the test (a temp dir, a database to drop).

mod changes;
mod concurrency;
mod documents;
mod failures;
mod fixtures;
mod history;
mod hosts;
mod lineage;
mod queries;
mod revisions;
mod round_trip;

use std::{any::Any, sync::Arc};

use async_trait::async_trait;
use light_runbook::{
    domain::{Host, ProcedureKey, ScopeId},
    store::Store,
};

pub use changes::*;
pub use concurrency::*;
pub use documents::*;
pub use failures::*;
pub use history::*;
pub use hosts::*;
pub use lineage::*;
pub use queries::*;
pub use revisions::*;
pub use round_trip::*;

/// Direct access to a backend's database, around the `Store` trait.
#[async_trait]
pub trait Backdoor: Send + Sync {
    /// From now on the database itself refuses every new error code row (a
    /// trigger that raises, a schema rule…), so that a write of a document
    /// with error codes fails in the middle of its transaction.
    async fn refuse_error_code_rows(&self);

    /// The stored revision of a scope row, `None` when there is no such scope.
    async fn revision(&self, host: &Host, scope: &ScopeId) -> Option<i64>;

    /// Overwrites the stored key of a procedure with `bad`, which does not
    /// parse as a procedure key.
    async fn corrupt_procedure_key(
        &self,
        host: &Host,
        scope: &ScopeId,
        key: &ProcedureKey,
        bad: &str,
    );
}

/// A fresh, empty store for one test.
pub struct TestStore {
    /// The store under test.
    pub store: Arc<dyn Store>,
    /// Access to its database around the trait.
    pub backdoor: Box<dyn Backdoor>,
    /// Dropped after the test: a temp dir, a guard that drops the database…
    _keep: Box<dyn Any + Send>,
}

impl TestStore {
    /// Bundles a store, its backdoor, and what must outlive the test.
    pub fn new(
        store: Arc<dyn Store>,
        backdoor: impl Backdoor + 'static,
        keep: impl Any + Send,
    ) -> Self {
        Self {
            store,
            backdoor: Box::new(backdoor),
            _keep: Box::new(keep),
        }
    }
}

/// Expands to `mod $backend { … }` with one `#[tokio::test]` per contract test,
/// each on a fresh store from `$factory.await` (a `TestStore`).
#[macro_export]
macro_rules! contract_suite {
    ($backend:ident, $factory:expr) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;

            $crate::contract_suite!(@store $factory;
                an_empty_store_is_empty,
                a_replaced_document_reads_back_exactly,
                replacing_is_idempotent_and_returns_only_the_changed_scope_ids,
                replacing_a_document_replaces_its_whole_content,
                hosts_are_isolated,
                hosts_are_listed_sorted,
                the_store_answers_a_ping,
                documents_and_scopes_by_id_ignore_missing_ids,
                the_lineage_is_the_scope_and_all_its_ancestors_only,
                the_lineage_stays_within_its_host,
                the_lineage_of_an_unknown_scope_is_empty,
                the_lineage_walk_terminates_on_a_cycle_of_stored_parents,
                scopes_are_listed_in_pages_by_id_optionally_of_one_kind,
                children_are_sorted_parent_child_pairs,
                error_code_definitions_sort_by_code_then_general_kind_first,
                error_codes_are_listed_distinct_sorted_and_paged,
                concurrent_replaces_end_in_one_written_state_never_a_mix,
                generation_starts_at_zero_and_becomes_the_id_of_each_change_to_the_host,
                an_unchanged_commit_returns_the_default_and_leaves_generation_and_history_alone,
                revisions_start_at_the_creating_change_and_move_only_for_changed_objects,
                a_stale_base_is_refused_and_writes_nothing,
                an_expectation_of_another_revision_conflicts_naming_the_object_and_both_revisions,
                an_expectation_of_no_revision_conflicts_with_an_existing_object,
                deleting_a_scope_removes_its_document_and_records_each_object_deleted,
                a_snapshot_holds_every_document_of_the_host_at_its_generation,
                history_records_each_changed_object_as_diff_gives_it_newest_first,
                history_filters_by_scope_object_and_uid,
                history_pages_by_time_range_change_cursor_and_limit,
                concurrent_commits_on_one_host_lose_no_update_and_take_increasing_ids,
            );
            $crate::contract_suite!(@backdoor $factory;
                a_replace_that_fails_midway_leaves_nothing_written,
                a_row_that_no_longer_parses_is_reported_as_corrupt,
                a_scope_row_revision_is_the_change_that_last_changed_the_scope_object,
            );
        }
    };
    (@store $factory:expr; $($test:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                let fixture: $crate::contract::TestStore = $factory.await;
                $crate::contract::$test(fixture.store.clone()).await;
            }
        )+
    };
    (@backdoor $factory:expr; $($test:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                let fixture: $crate::contract::TestStore = $factory.await;
                $crate::contract::$test(fixture.store.clone(), fixture.backdoor.as_ref()).await;
            }
        )+
    };
}
