//! The history query: only the conditions of the filters that are set, so
//! that each common filter reads through its index (`history_by_object`,
//! `history_by_uid`, `history_by_time`, or the primary key for a whole host).

use sqlx::{Database, Encode, QueryBuilder, Type};

use super::{change::HistoryFilter, sql_store::sql_int};
use crate::domain::Host;

/// The history query of `host` for `filter`, after `head` (the backend's
/// `SELECT … FROM history`): newest change first, then in object order.
pub(crate) fn query<DB>(head: &str, host: &Host, filter: &HistoryFilter) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    String: for<'v> Encode<'v, DB> + Type<DB>,
    i64: for<'v> Encode<'v, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new(head);
    query
        .push(" WHERE host = ")
        .push_bind(host.as_str().to_owned());
    if let Some(scope) = &filter.scope {
        query
            .push(" AND scope = ")
            .push_bind(scope.as_str().to_owned());
    }
    if let Some(object) = &filter.object {
        query
            .push(" AND object_kind = ")
            .push_bind(object.kind().to_owned())
            .push(" AND object_key = ")
            .push_bind(object.key());
    }
    if let Some(uid) = &filter.uid {
        query.push(" AND uid = ").push_bind(uid.clone());
    }
    if let Some(from_ms) = filter.from_ms {
        query.push(" AND at_ms >= ").push_bind(from_ms);
    }
    if let Some(to_ms) = filter.to_ms {
        query.push(" AND at_ms < ").push_bind(to_ms);
    }
    if let Some(before) = filter.before_change {
        query.push(" AND change_id < ").push_bind(sql_int(before));
    }
    query
        .push(" ORDER BY change_id DESC, seq LIMIT ")
        .push_bind(i64::from(filter.limit));
    query
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ObjectRef, ProcedureKey, ScopeId};

    #[test]
    fn only_the_filters_that_are_set_become_conditions() {
        let host = Host::parse("h").unwrap();
        let all = HistoryFilter {
            limit: 5,
            ..HistoryFilter::default()
        };
        let sql = query::<sqlx::Postgres>("SELECT * FROM history", &host, &all).into_string();
        assert_eq!(
            sql,
            "SELECT * FROM history WHERE host = $1 ORDER BY change_id DESC, seq LIMIT $2"
        );
        let some = HistoryFilter {
            scope: Some(ScopeId::parse("s").unwrap()),
            object: Some(ObjectRef::Procedure(ProcedureKey::parse("p").unwrap())),
            to_ms: Some(10),
            before_change: Some(u64::MAX),
            ..all
        };
        let sql = query::<sqlx::Sqlite>("SELECT * FROM history", &host, &some).into_string();
        assert_eq!(
            sql,
            "SELECT * FROM history WHERE host = ? AND scope = ? AND object_kind = ? \
             AND object_key = ? AND at_ms < ? AND change_id < ? \
             ORDER BY change_id DESC, seq LIMIT ?"
        );
    }
}
