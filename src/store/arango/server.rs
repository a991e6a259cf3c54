//! The server and the database: that the server is an ArangoDB of a
//! supported version (`GET /_api/version`), that the database exists
//! (`GET /_api/database/current`), creating and dropping it.
//!
//! Only attributes present in 3.11, 3.12 and 4.x are read: `server` and
//! `version` of the version, `name` of the database (4.x no longer sends
//! the database's `path`).

use http::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    client::{Api, ApiError},
    errors::{self, DATABASE_NOT_FOUND},
    schema::DUPLICATE_NAME,
};
use crate::store::{StoreError, StoreResult};

/// The oldest ArangoDB release the store supports (major, minor).
pub const OLDEST_SUPPORTED: (u64, u64) = (3, 11);

/// The database every server has, where databases are created and dropped.
const SYSTEM: &str = "_system";

/// What the store reads of `GET /_api/version`.
#[derive(Deserialize)]
struct VersionInfo {
    server: String,
    version: String,
}

/// What the store reads of `GET /_api/database/current`.
#[derive(Deserialize)]
struct DatabaseInfo {
    result: DatabaseName,
}

#[derive(Deserialize)]
struct DatabaseName {
    name: String,
}

/// Whether the database of a client exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// It exists and the user may use it.
    Exists,
    /// The server knows no database of that name.
    Missing,
}

/// Checks that the server is a supported ArangoDB and whether the client's
/// database exists.
pub async fn probe(api: &Api) -> StoreResult<Presence> {
    match api
        .call::<VersionInfo>(Method::GET, "_api/version", None)
        .await
    {
        Ok(info) => check_version(&info.server, &info.version)?,
        Err(e) if e.num() == Some(DATABASE_NOT_FOUND) => return Ok(Presence::Missing),
        Err(e) => return Err(not_arango(e)),
    }
    let info: DatabaseInfo = (api.call(Method::GET, "_api/database/current", None).await)
        .map_err(|e| errors::from_api("open database", e))?;
    if info.result.name != api.database() {
        return Err(errors::corrupt(
            "open database",
            format!("the server answered for database {:?}", info.result.name),
        ));
    }
    Ok(Presence::Exists)
}

/// A server that does not answer `/_api/version` as ArangoDB does.
fn not_arango(e: ApiError) -> StoreError {
    match e {
        ApiError::Arango { num: 0, .. } | ApiError::Decode(_) => StoreError::Unavailable {
            backend: errors::BACKEND,
            message: format!("the server does not answer as ArangoDB: {e}"),
        },
        other => errors::from_api("read server version", other),
    }
}

/// Refuses a server that is not ArangoDB, or older than [`OLDEST_SUPPORTED`].
pub fn check_version(server: &str, version: &str) -> StoreResult<()> {
    if server != "arango" {
        return Err(StoreError::Unavailable {
            backend: errors::BACKEND,
            message: format!("the server identifies as {server:?}, not as ArangoDB"),
        });
    }
    let mut parts = version.split(['.', '-']).map(|p| p.parse::<u64>().ok());
    let found = match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor),
        _ => {
            return Err(StoreError::Config(format!(
                "ArangoDB reports an unreadable version {version:?}"
            )));
        }
    };
    if found < OLDEST_SUPPORTED {
        let (major, minor) = OLDEST_SUPPORTED;
        return Err(StoreError::Config(format!(
            "ArangoDB {version} is not supported: the store needs {major}.{minor} or newer"
        )));
    }
    Ok(())
}

/// Creates the client's database (in `_system`, which needs the right to
/// create databases); one created meanwhile by another process is fine.
pub async fn create_database(api: &Api) -> StoreResult<()> {
    let system = api.in_database(SYSTEM);
    let version: VersionInfo =
        (system.call(Method::GET, "_api/version", None).await).map_err(not_arango)?;
    check_version(&version.server, &version.version)?;
    let body = json!({ "name": api.database() });
    match system
        .call::<Value>(Method::POST, "_api/database", Some(&body))
        .await
    {
        Ok(_) => {
            tracing::info!(database = api.database(), "created ArangoDB database");
            Ok(())
        }
        Err(e) if e.num() == Some(DUPLICATE_NAME) => Ok(()),
        Err(e) => Err(errors::from_api("create database", e)),
    }
}

/// Drops the client's database; one that does not exist is not an error.
pub async fn drop_database(api: &Api) -> StoreResult<()> {
    let system = api.in_database(SYSTEM);
    let path = format!(
        "_api/database/{}",
        percent_encoding::utf8_percent_encode(api.database(), percent_encoding::NON_ALPHANUMERIC)
    );
    match system.call::<Value>(Method::DELETE, &path, None).await {
        Ok(_) => Ok(()),
        Err(e) if e.num() == Some(DATABASE_NOT_FOUND) => Ok(()),
        Err(e) => Err(errors::from_api("drop database", e)),
    }
}

/// What `open` says about a database that does not exist.
pub fn missing_database(api: &Api) -> StoreError {
    StoreError::Config(format!(
        "the ArangoDB database {:?} does not exist: create it, or run `light-runbook migrate` \
         with a user that may create databases",
        api.database()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_3_11_on_are_accepted() {
        for v in [
            "3.11.0",
            "3.11.14",
            "3.12.4-2",
            "3.12.6",
            "4.0.0",
            "4.1.0-devel",
        ] {
            assert!(check_version("arango", v).is_ok(), "{v}");
        }
    }

    #[test]
    fn older_odd_and_foreign_servers_are_refused() {
        for (server, v) in [("arango", "3.10.14"), ("arango", "3.9.0")] {
            match check_version(server, v) {
                Err(StoreError::Config(m)) => assert!(m.contains("3.11 or newer"), "{m}"),
                other => panic!("{v}: {other:?}"),
            }
        }
        assert!(matches!(
            check_version("arango", "devel"),
            Err(StoreError::Config(_))
        ));
        assert!(matches!(
            check_version("nginx", "1.25.0"),
            Err(StoreError::Unavailable { .. })
        ));
    }
}
