//! Running one AQL query through a cursor: `POST /_api/cursor`, then
//! `POST /_api/cursor/{id}` for every further batch (the form that exists
//! from 3.11 on and the only one in 4.x; `PUT` is deprecated in 3.11 and
//! removed in 4.x).
//!
//! Every query carries `maxRuntime`, a little below the client's request
//! timeout, so that the server stops a query the client no longer waits
//! for. A cursor that is left with batches unread (an error, an answer that
//! does not read, the caller giving up) is deleted rather than left to its
//! time to live on the server.

use std::time::Duration;

use http::Method;
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};

use super::{
    cleanup::Cleanup,
    client::{Api, ApiError},
    queries::Bound,
};

/// Results fetched per HTTP round trip of a cursor.
pub const BATCH_SIZE: u32 = 1000;

/// One batch of a cursor.
#[derive(Deserialize)]
struct Batch {
    result: Vec<Value>,
    #[serde(rename = "hasMore", default)]
    more: bool,
    #[serde(default)]
    id: Option<String>,
}

/// The body of `POST /_api/cursor` for `bound`.
pub fn request_body(bound: &Bound, max_runtime: Duration) -> Value {
    let mut options = json!({ "maxRuntime": max_runtime.as_secs_f64() });
    if bound.aql.warnings_expected {
        // A warning here is an expected outcome, whatever the server's
        // `--query.fail-on-warning` says.
        options["failOnWarning"] = json!(false);
    }
    json!({
        "query": bound.aql.text,
        "bindVars": bound.vars,
        "batchSize": BATCH_SIZE,
        "options": options,
    })
}

/// Runs `bound` and reads every batch as rows of `T`.
pub async fn fetch_all<T: DeserializeOwned>(
    api: &Api,
    bound: &Bound,
    max_runtime: Duration,
) -> Result<Vec<T>, ApiError> {
    let body = request_body(bound, max_runtime);
    let mut batch: Batch = api.call(Method::POST, "_api/cursor", Some(&body)).await?;
    let mut rows = Vec::new();
    let Some(id) = batch.id.clone().filter(|_| batch.more) else {
        read_rows(&mut rows, batch.result)?;
        return Ok(rows);
    };
    // Deletes the cursor unless every batch was read.
    let mut open = Cleanup::new(api.clone(), Method::DELETE, format!("_api/cursor/{id}"));
    loop {
        if let Err(e) = read_rows(&mut rows, std::mem::take(&mut batch.result)) {
            open.run().await;
            return Err(e);
        }
        if !batch.more {
            open.disarm();
            return Ok(rows);
        }
        let next = format!("_api/cursor/{id}");
        batch = match api.call(Method::POST, &next, None).await {
            Ok(batch) => batch,
            Err(e) => {
                open.run().await;
                return Err(e);
            }
        };
    }
}

fn read_rows<T: DeserializeOwned>(rows: &mut Vec<T>, batch: Vec<Value>) -> Result<(), ApiError> {
    rows.reserve(batch.len());
    for value in batch {
        rows.push(serde_json::from_value(value).map_err(|e| ApiError::Decode(e.to_string()))?);
    }
    Ok(())
}
