//! A stand-in for an ArangoDB server in tests (no ArangoDB runs here): an
//! HTTP server on 127.0.0.1 that answers as one ArangoDB version does
//! (`tests/fixtures/arango/<version>.json`, composed from the response
//! attributes that version's HTTP API documentation gives), keeps just enough state to
//! answer consistently (databases, collections, indexes, the graph, open
//! cursors), and records every request for the test to check.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};
use tokio::sync::watch;

use super::{client::TRANSACTION_HEADER, queries};

/// The versions with fixtures.
pub const VERSIONS: [&str; 3] = ["3.11", "3.12", "4.x"];

/// The answers of `version`.
pub fn fixture(version: &str) -> Value {
    let text = match version {
        "3.11" => include_str!("../../../tests/fixtures/arango/3.11.json"),
        "3.12" => include_str!("../../../tests/fixtures/arango/3.12.json"),
        _ => include_str!("../../../tests/fixtures/arango/4.x.json"),
    };
    serde_json::from_str(text).expect("fixture is JSON")
}

/// One request as received: method, path with query, transaction header, body.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub trx: Option<String>,
    pub body: Value,
}

/// What the stand-in holds.
#[derive(Default)]
pub struct World {
    pub databases: HashSet<String>,
    pub collections: HashMap<String, u64>,
    pub indexes: HashMap<String, Vec<String>>,
    pub graph: bool,
    /// Rows each query (by file name) returns.
    pub rows: HashMap<&'static str, Vec<Value>>,
    /// Rows still to be fetched and the batch size, by cursor id.
    pub cursors: HashMap<String, (Vec<Value>, usize)>,
    /// Queries (by file name) that are never answered.
    pub hanging: HashSet<&'static str>,
    /// Queries (by file name) answered with this error (a fixture name) instead.
    pub failing: HashMap<&'static str, &'static str>,
    pub seen: Vec<Seen>,
}

/// A running stand-in.
#[derive(Clone)]
pub struct StandIn {
    answers: Arc<Value>,
    pub world: Arc<Mutex<World>>,
    /// The number of requests received so far.
    count: Arc<watch::Sender<usize>>,
}

impl StandIn {
    /// Starts a stand-in answering as `version`; returns it and its base URL.
    pub async fn start(version: &str) -> (Self, String) {
        let stand_in = Self {
            answers: Arc::new(fixture(version)["answers"].clone()),
            world: Arc::default(),
            count: Arc::new(watch::channel(0).0),
        };
        let app = Router::new().fallback(handle).with_state(stand_in.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (stand_in, format!("arangodb://root:pw@127.0.0.1:{port}"))
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.world.lock().unwrap().seen.clone()
    }

    /// Waits until a request matching `pred` has arrived.
    pub async fn wait_for(&self, pred: impl Fn(&Seen) -> bool) {
        let mut count = self.count.subscribe();
        count
            .wait_for(|_| self.seen().iter().any(&pred))
            .await
            .unwrap();
    }

    /// The answer `name`, with `fields` set in its body (or its `result` or `graph`).
    fn answer(&self, name: &str, fields: Value) -> Response {
        let a = &self.answers[name];
        assert!(a.is_object(), "no recorded answer {name}");
        let mut body = a["body"].clone();
        let inner = ["result", "graph"]
            .into_iter()
            .find(|k| body.get(*k).is_some_and(Value::is_object));
        let target = match inner {
            Some(k) => &mut body[k],
            None => &mut body,
        };
        if let (Some(t), Some(f)) = (target.as_object_mut(), fields.as_object()) {
            t.extend(f.clone());
        }
        let status = StatusCode::from_u16(a["status"].as_u64().unwrap() as u16).unwrap();
        (status, axum::Json(body)).into_response()
    }
}

/// The file name of the query with this text.
fn query_name(text: &str) -> &'static str {
    (queries::ALL.iter().find(|q| q.text == text)).map_or("unknown", |q| q.name)
}

async fn handle(
    State(s): State<StandIn>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("", |p| p.as_str()).to_owned();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let trx = (headers.get(TRANSACTION_HEADER)).map(|v| v.to_str().unwrap_or("?").to_owned());
    let hangs = {
        let mut world = s.world.lock().unwrap();
        world.seen.push(Seen {
            method: method.to_string(),
            path: path.clone(),
            trx,
            body: body.clone(),
        });
        path.ends_with("/_api/cursor")
            && world
                .hanging
                .contains(query_name(body["query"].as_str().unwrap_or("")))
    };
    s.count.send_modify(|n| *n += 1);
    if hangs {
        std::future::pending::<()>().await;
    }
    let Some(rest) = path.strip_prefix("/_db/") else {
        return s.answer("method_not_allowed", json!({}));
    };
    let (db, api) = rest.split_once('/').unwrap_or((rest, ""));
    if db == "_system" {
        return system(&s, &method, api, &body);
    }
    if !s.world.lock().unwrap().databases.contains(db) {
        return s.answer("database_not_found", json!({}));
    }
    database(&s, &method, api, &body, db)
}

fn system(s: &StandIn, method: &Method, api: &str, body: &Value) -> Response {
    let mut world = s.world.lock().unwrap();
    match (method.as_str(), api) {
        ("GET", "_api/version") => s.answer("version", json!({})),
        ("POST", "_api/database") => {
            world
                .databases
                .insert(body["name"].as_str().unwrap().to_owned());
            s.answer("database_created", json!({}))
        }
        ("DELETE", name) => {
            let name = name.trim_start_matches("_api/database/");
            if world.databases.remove(name) {
                s.answer("database_dropped", json!({}))
            } else {
                s.answer("database_not_found", json!({}))
            }
        }
        _ => s.answer("method_not_allowed", json!({})),
    }
}

fn database(s: &StandIn, method: &Method, api: &str, body: &Value, db: &str) -> Response {
    let (route, query) = api.split_once('?').unwrap_or((api, ""));
    let collection = query.strip_prefix("collection=").unwrap_or("");
    let mut world = s.world.lock().unwrap();
    let w = &mut *world;
    match (method.as_str(), route) {
        ("GET", "_api/version") => s.answer("version", json!({})),
        ("GET", "_api/database/current") => s.answer("database_current", json!({ "name": db })),
        ("POST", "_api/collection") => {
            let name = body["name"].as_str().unwrap().to_owned();
            if w.collections.contains_key(&name) {
                return s.answer("collection_duplicate", json!({}));
            }
            w.collections
                .insert(name.clone(), body["type"].as_u64().unwrap_or(2));
            s.answer(
                "collection_created",
                json!({ "name": name, "type": body["type"] }),
            )
        }
        ("GET", r) if r.starts_with("_api/collection/") => {
            let name = &r["_api/collection/".len()..];
            match w.collections.get(name) {
                Some(t) => s.answer("collection", json!({ "name": name, "type": t })),
                None => s.answer("collection_not_found", json!({})),
            }
        }
        ("POST", "_api/index") => {
            let name = body["name"].as_str().unwrap().to_owned();
            w.indexes
                .entry(collection.to_owned())
                .or_default()
                .push(name);
            s.answer("index", json!({}))
        }
        ("GET", "_api/index") => index_list(s, w, collection),
        ("DELETE", r) if r.starts_with("_api/index/") => {
            // Ids are `collection/<place in the list, from 1>` (see `index_list`).
            let (c, n) = r["_api/index/".len()..].split_once('/').unwrap_or(("", ""));
            let n: usize = n.parse().unwrap_or(0);
            match w.indexes.get_mut(c) {
                Some(names) if (1..=names.len()).contains(&n) => {
                    names.remove(n - 1);
                    s.answer("index_dropped", json!({}))
                }
                _ => s.answer("collection_not_found", json!({})),
            }
        }
        ("POST", "_api/gharial") if w.graph => s.answer("graph_duplicate", json!({})),
        ("POST", "_api/gharial") => {
            w.graph = true;
            s.answer("graph_created", json!({}))
        }
        ("GET", "_api/gharial/runbook") if w.graph => s.answer("graph", json!({})),
        ("GET", "_api/gharial/runbook") => s.answer("graph_not_found", json!({})),
        ("POST", "_api/cursor") => first_batch(s, w, body),
        ("POST", r) | ("PUT", r) if r.starts_with("_api/cursor/") => {
            let id = &r["_api/cursor/".len()..];
            if method == Method::PUT && s.answers.get("cursor_next_put").is_none() {
                return s.answer("method_not_allowed", json!({}));
            }
            next_batch(s, w, id)
        }
        ("DELETE", r) if r.starts_with("_api/cursor/") => {
            let id = &r["_api/cursor/".len()..];
            match w.cursors.remove(id) {
                Some(_) => s.answer("cursor_deleted", json!({})),
                None => s.answer("cursor_not_found", json!({})),
            }
        }
        ("POST", "_api/transaction/begin") => s.answer("transaction_begun", json!({})),
        ("PUT", r) if r.starts_with("_api/transaction/") => {
            s.answer("transaction_committed", json!({}))
        }
        ("DELETE", r) if r.starts_with("_api/transaction/") => {
            s.answer("transaction_aborted", json!({}))
        }
        _ => s.answer("method_not_allowed", json!({})),
    }
}

fn index_list(s: &StandIn, w: &World, collection: &str) -> Response {
    let answer = &s.answers["index_list"];
    let template = answer["body"]["indexes"][1].clone();
    let mut indexes = vec![answer["body"]["indexes"][0].clone()];
    for (i, name) in w.indexes.get(collection).into_iter().flatten().enumerate() {
        let mut index = template.clone();
        index["name"] = json!(name);
        index["id"] = json!(format!("{collection}/{}", i + 1));
        indexes.push(index);
    }
    let mut body = answer["body"].clone();
    body["indexes"] = json!(indexes);
    (StatusCode::OK, axum::Json(body)).into_response()
}

fn first_batch(s: &StandIn, w: &mut World, body: &Value) -> Response {
    let name = query_name(body["query"].as_str().unwrap_or(""));
    if let Some(error) = w.failing.get(name) {
        return s.answer(error, json!({}));
    }
    let rows = w.rows.get(name).cloned().unwrap_or_default();
    let size = body["batchSize"].as_u64().unwrap_or(1000) as usize;
    if rows.len() <= size {
        return batch(s, "cursor_last", rows);
    }
    let rest = rows[size..].to_vec();
    w.cursors.insert("1046".to_owned(), (rest, size));
    batch(s, "cursor_more", rows[..size].to_vec())
}

fn next_batch(s: &StandIn, w: &mut World, id: &str) -> Response {
    let Some((mut rows, size)) = w.cursors.remove(id) else {
        return s.answer("cursor_not_found", json!({}));
    };
    if rows.len() <= size {
        return batch(s, "cursor_last", rows);
    }
    let rest = rows.split_off(size);
    w.cursors.insert(id.to_owned(), (rest, size));
    batch(s, "cursor_more", rows)
}

fn batch(s: &StandIn, name: &str, rows: Vec<Value>) -> Response {
    let a = &s.answers[name];
    let mut body = a["body"].clone();
    body["result"] = Value::Array(rows);
    let status = StatusCode::from_u16(a["status"].as_u64().unwrap() as u16).unwrap();
    (status, axum::Json(body)).into_response()
}
