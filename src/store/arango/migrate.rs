//! Creating the schema (`migrate`) and checking it is there (`open`).
//!
//! `migrate` needs the right to create collections and indexes; it creates
//! whatever is missing, drops indexes an earlier schema had, and fills in
//! attributes that documents written by an earlier version lack. `open`
//! only reads: a user with read and write access to the documents can open
//! a store that `migrate` prepared, and a missing part is a configuration
//! error naming `light-runbook migrate`.
//!
//! Collection and index answers are read for `type`, `name` and `id` only:
//! attributes such as `status` are gone from 4.x.

use std::{collections::HashMap, time::Duration};

use http::Method;
use serde::Deserialize;
use serde_json::Value;

use super::{
    client::{Api, ApiError},
    cursor, errors, queries,
    schema::{self, COLLECTIONS, GRAPH, INDEXES, OBSOLETE_INDEXES},
};
use crate::store::{StoreError, StoreResult};

/// What the store reads of a collection's description.
#[derive(Deserialize)]
struct CollectionInfo {
    #[serde(rename = "type")]
    kind: u64,
}

/// What the store reads of an index's description.
#[derive(Deserialize)]
struct IndexInfo {
    id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct IndexList {
    indexes: Vec<IndexInfo>,
}

fn api_error(context: &'static str) -> impl Fn(ApiError) -> StoreError {
    move |e| errors::from_api(context, e)
}

/// Creates whatever of the schema is missing; leaves what exists alone.
pub async fn ensure(api: &Api, max_runtime: Duration) -> StoreResult<()> {
    for (name, edge) in COLLECTIONS {
        let body = schema::collection_body(name, edge);
        match api
            .call::<Value>(Method::POST, "_api/collection", Some(&body))
            .await
        {
            Ok(_) => tracing::info!(collection = name, "created ArangoDB collection"),
            Err(e) if e.num() == Some(schema::DUPLICATE_NAME) => {
                check_collection(api, name, edge).await?;
            }
            Err(e) => return Err(errors::from_api("create collection", e)),
        }
    }
    for (collection, name, fields, unique) in INDEXES {
        // Creating an index that exists with the same definition returns it unchanged.
        let body = schema::index_body(name, fields, unique);
        let path = format!("_api/index?collection={collection}");
        (api.call::<Value>(Method::POST, &path, Some(&body)).await)
            .map_err(api_error("create index"))?;
    }
    for (collection, name) in OBSOLETE_INDEXES {
        if let Some(id) = index_ids(api, collection).await?.remove(name) {
            let path = format!("_api/index/{id}");
            (api.call::<Value>(Method::DELETE, &path, None).await)
                .map_err(api_error("drop index"))?;
            tracing::info!(index = name, "dropped obsolete ArangoDB index");
        }
    }
    let graph = schema::graph_body();
    match api
        .call::<Value>(Method::POST, "_api/gharial", Some(&graph))
        .await
    {
        Ok(_) => tracing::info!(graph = GRAPH, "created ArangoDB named graph"),
        Err(e) if e.num() == Some(schema::GRAPH_DUPLICATE) => {}
        Err(e) => return Err(errors::from_api("create graph", e)),
    }
    backfill(api, max_runtime).await
}

/// Fills in attributes that documents written before them lack.
async fn backfill(api: &Api, max_runtime: Duration) -> StoreResult<()> {
    for bound in [queries::backfill_sort_code(), queries::backfill_rseq()] {
        cursor::fetch_all::<Value>(api, &bound, max_runtime)
            .await
            .map_err(|e| errors::from_api(bound.aql.name, e))?;
    }
    Ok(())
}

/// Checks that every collection, index and the graph exist, reading only.
pub async fn check(api: &Api) -> StoreResult<()> {
    let database = api.database();
    for (name, edge) in COLLECTIONS {
        check_collection(api, name, edge).await?;
    }
    for (collection, _) in COLLECTIONS {
        let found = index_ids(api, collection).await?;
        for (_, name, ..) in INDEXES.iter().filter(|(c, ..)| *c == collection) {
            if !found.contains_key(*name) {
                return Err(missing(format!("index {name} on {collection}"), database));
            }
        }
    }
    let path = format!("_api/gharial/{GRAPH}");
    match api.call::<Value>(Method::GET, &path, None).await {
        Ok(_) => Ok(()),
        Err(e) if e.num() == Some(errors::GRAPH_NOT_FOUND) => {
            Err(missing(format!("named graph {GRAPH}"), database))
        }
        Err(e) => Err(errors::from_api("read graph", e)),
    }
}

/// What `open` says when part of the schema is missing.
fn missing(what: String, database: &str) -> StoreError {
    StoreError::Config(format!(
        "the ArangoDB database {database:?} has no {what}: run `light-runbook migrate` \
         (as a user that may create collections and indexes) before opening the store"
    ))
}

/// A collection that exists must be of the right type (edge or document).
async fn check_collection(api: &Api, name: &str, edge: bool) -> StoreResult<()> {
    let path = format!("_api/collection/{name}");
    let info: CollectionInfo = match api.call(Method::GET, &path, None).await {
        Ok(info) => info,
        Err(e) if e.num() == Some(errors::COLLECTION_NOT_FOUND) => {
            return Err(missing(format!("collection {name}"), api.database()));
        }
        Err(e) => return Err(errors::from_api("read collection", e)),
    };
    let expected = schema::type_number(edge);
    if info.kind == expected {
        return Ok(());
    }
    let kind = |t: u64| if t == 3 { "an edge" } else { "a document" };
    Err(StoreError::Config(format!(
        "ArangoDB collection {name} exists as {} collection, not as {} collection",
        kind(info.kind),
        kind(expected)
    )))
}

/// The indexes of a collection: name to id (`collection/number`).
async fn index_ids(api: &Api, collection: &str) -> StoreResult<HashMap<String, String>> {
    let path = format!("_api/index?collection={collection}");
    let list: IndexList =
        (api.call(Method::GET, &path, None).await).map_err(api_error("list indexes"))?;
    Ok((list.indexes.into_iter()).map(|i| (i.name, i.id)).collect())
}
