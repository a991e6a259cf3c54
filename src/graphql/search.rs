//! `search`: services, error codes and procedures of a host by words, ranked,
//! with the matches marked, a page at a time.

use async_graphql::{Context, Enum, Object, SimpleObject, connection::Connection};

use super::{
    enums::ScopeKind,
    errors::gql,
    query::{connection, page_size_within, read_host},
};
use crate::{
    domain::search::{self as domain, MAX_OFFSET},
    error::ApiError,
    runbooks::Runbooks,
};

/// The largest page of hits.
pub const MAX_SEARCH_PAGE: i32 = 50;
const DEFAULT_SEARCH_PAGE: i32 = 10;

/// Search queries.
#[derive(Default)]
pub struct SearchQuery;

/// What a hit is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "SearchHitKind", remote = "domain::HitKind")]
pub enum HitKind {
    /// A scope (a service, template, line of business...), by id and name.
    Scope,
    /// A procedure as one scope writes it, by key, title, tags and body.
    Procedure,
    /// An error code as one scope registers it, by code, message and description.
    ErrorCode,
}

/// A run of a hit's text: a match of the query, or the text between.
#[derive(SimpleObject)]
pub struct TextPart {
    pub text: String,
    pub matched: bool,
}

/// One hit of a search.
#[derive(SimpleObject)]
pub struct SearchHit {
    pub kind: HitKind,
    /// The scope that has it (for a scope hit, the scope itself).
    pub scope_id: String,
    pub scope_kind: ScopeKind,
    /// The procedure key or error code; null for a scope.
    pub key: Option<String>,
    /// `id · name`, `key · title` or `code · message`, matches marked.
    pub title: Vec<TextPart>,
    /// Words of the body or description around the first match; may be empty.
    pub snippet: Vec<TextPart>,
}

fn parts(parts: Vec<domain::TextPart>) -> Vec<TextPart> {
    parts
        .into_iter()
        .map(|p| TextPart {
            text: p.text,
            matched: p.matched,
        })
        .collect()
}

impl From<domain::SearchHit> for SearchHit {
    fn from(hit: domain::SearchHit) -> Self {
        Self {
            kind: hit.kind.into(),
            scope_id: hit.scope.to_string(),
            scope_kind: hit.scope_kind.into(),
            key: (!hit.key.is_empty()).then_some(hit.key),
            title: parts(hit.title),
            snippet: parts(hit.snippet),
        }
    }
}

#[Object]
impl SearchQuery {
    /// Services, error codes and procedures of a host whose words start with
    /// every word of `query` (`ledg 42` finds `svc-ledger-0042`), best first:
    /// a match in a title weighs most, then tags, then bodies. At most 200
    /// characters and 8 words; pages of at most 50, to the 1,000th hit.
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Tenant; the default host when omitted.")] host: Option<String>,
        query: String,
        first: Option<i32>,
        #[graphql(desc = "The cursor of the last hit of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, SearchHit>> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = read_host(ctx, host.as_deref())?;
        let limit = page_size_within(first, DEFAULT_SEARCH_PAGE, MAX_SEARCH_PAGE)?;
        let offset = match after.as_deref() {
            None => 0,
            Some(cursor) => cursor
                .parse::<u32>()
                .ok()
                .filter(|n| *n < MAX_OFFSET)
                .map(|n| n + 1)
                .ok_or_else(|| {
                    let message = format!(
                        "after must be the cursor of a hit, below {MAX_OFFSET}; got {cursor:?}"
                    );
                    gql(ApiError::bad_input("after", message))
                })?,
        };
        let limit = limit.min(MAX_OFFSET.saturating_sub(offset));
        let mut hits = runbooks
            .search(&host, &query, offset, limit + 1)
            .await
            .map_err(gql)?;
        let has_next = hits.len() > limit as usize && offset + limit < MAX_OFFSET;
        hits.truncate(limit as usize);
        let numbered = hits.into_iter().zip(offset..);
        Ok(connection(
            after.is_some(),
            has_next,
            numbered,
            |(hit, n)| (n.to_string(), hit.into()),
        ))
    }
}
