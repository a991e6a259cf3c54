//! The map's teeth: ARCHITECTURE.md's invariants, checked by reading the
//! source. Each failure names the file and line of the arrow that runs the
//! wrong way.

mod scan;
mod web;

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use scan::Reference;

/// Outside crates that do I/O, async work, HTTP, SQL, ArangoDB or GraphQL.
const EFFECTFUL: &[&str] = &[
    "tokio",
    "tokio_util",
    "futures",
    "async_trait",
    "axum",
    "hyper",
    "hyper_util",
    "http",
    "tower",
    "tower_http",
    "reqwest",
    "sqlx",
    "rusqlite",
    "async_graphql",
    "async_graphql_axum",
    "arangors",
    "jsonwebtoken",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every product file under `src/` (test modules left out) with its text.
fn product_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut tests = BTreeSet::new();
    walk(&src(), &mut files);
    files.sort();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|file| {
            let text = fs::read_to_string(&file).expect("a source file reads");
            (file, text)
        })
        .collect();
    for (file, text) in &texts {
        tests.extend(scan::test_modules(file, text));
    }
    texts
        .into_iter()
        .filter(|(file, _)| !tests.iter().any(|test| file.starts_with(test)))
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ lists") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn room_of(file: &Path) -> String {
    scan::module_path(&src(), file)
        .first()
        .cloned()
        .unwrap_or_else(|| "crate".into())
}

fn all_references() -> Vec<(String, Reference)> {
    product_files()
        .iter()
        .flat_map(|(file, text)| {
            let room = room_of(file);
            scan::references(&src(), file, text, EFFECTFUL)
                .into_iter()
                .map(move |r| (room.clone(), r))
        })
        .collect()
}

fn describe(r: &Reference) -> String {
    let file = r
        .file
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(&r.file);
    format!("{}:{} names {}", file.display(), r.line, r.target)
}

/// The rooms and their ranks, read from ARCHITECTURE.md's table (`| 3 |
/// `store`, `auth` | … |`): the map is the source, this test its teeth.
fn ranks() -> BTreeMap<String, u32> {
    let map = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md reads");
    let mut ranks = BTreeMap::new();
    for line in map.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, rank, rooms, ..] = cells.as_slice() else {
            continue;
        };
        let Ok(rank) = rank.parse::<u32>() else {
            continue;
        };
        for room in rooms.split(',') {
            ranks.insert(room.trim().trim_matches('`').to_string(), rank);
        }
    }
    assert!(!ranks.is_empty(), "ARCHITECTURE.md has no table of rooms");
    ranks
}

fn fail_with(rule: &str, found: Vec<String>) {
    assert!(
        found.is_empty(),
        "{rule}:\n  {}\n(see ARCHITECTURE.md)",
        found.join("\n  ")
    );
}

#[test]
fn every_room_is_on_the_map() {
    let ranks = ranks();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for (file, _) in product_files() {
        let room = room_of(&file);
        if room != "crate" && !ranks.contains_key(&room) {
            missing.insert(room);
        }
    }
    fail_with(
        "rooms of src/ missing from ARCHITECTURE.md's table",
        missing.into_iter().collect(),
    );
}

#[test]
fn arrows_point_inward_only() {
    let ranks = ranks();
    let found = all_references()
        .into_iter()
        .filter(|(room, r)| !r.outside && &r.target != room)
        .filter(|(room, r)| match (ranks.get(room), ranks.get(&r.target)) {
            (Some(from), Some(to)) => to >= from,
            _ => false,
        })
        .map(|(room, r)| {
            format!(
                "{} (room {room} may not name an outer or equal room)",
                describe(&r)
            )
        })
        .collect();
    fail_with("arrows that run outward or sideways", found);
}

#[test]
fn the_pure_rooms_use_no_async_http_sql_or_graphql_crate() {
    let found = all_references()
        .into_iter()
        .filter(|(room, r)| r.outside && ["domain", "resolve", "format"].contains(&room.as_str()))
        .map(|(_, r)| describe(&r))
        .collect();
    fail_with("effectful crates in domain, resolve or format", found);
}

#[test]
fn the_store_knows_only_the_domain() {
    let found = all_references()
        .into_iter()
        .filter(|(room, r)| {
            room == "store" && !r.outside && !["store", "domain"].contains(&r.target.as_str())
        })
        .map(|(_, r)| describe(&r))
        .collect();
    fail_with("the store names a room other than domain", found);
}

#[test]
fn graphql_never_names_the_store() {
    let found = all_references()
        .into_iter()
        .filter(|(room, r)| room == "graphql" && !r.outside && r.target == "store")
        .map(|(_, r)| describe(&r))
        .collect();
    fail_with(
        "graphql reaches into the store (use the service layer)",
        found,
    );
}

/// The files that may ask the read service for its store: the service
/// itself and the composition root, which hands the one counted store to
/// the write path and the executions.
const ASKING_FOR_THE_STORE: &[&str] = &["src/runbooks.rs", "src/startup.rs"];

#[test]
fn only_the_composition_root_asks_the_read_service_for_its_store() {
    let mut found = Vec::new();
    for (file, text) in product_files() {
        let shown = file
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(&file)
            .display()
            .to_string();
        if ASKING_FOR_THE_STORE.contains(&shown.as_str()) {
            continue;
        }
        // An inline test block runs to the end of its file.
        let product = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in product.lines().enumerate() {
            if line.contains(".store()") && !line.trim_start().starts_with("//") {
                found.push(format!("{shown}:{} calls .store()", i + 1));
            }
        }
    }
    fail_with(
        "the store is asked for outside the composition root (add a method to the service layer)",
        found,
    );
}

#[test]
fn the_readme_layout_names_every_room() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md reads");
    let layout = readme
        .split("## Layout")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README.md has a Layout section");
    let missing = ranks()
        .into_keys()
        .filter(|room| {
            !layout.contains(&format!("src/{room}/")) && !layout.contains(&format!("src/{room}.rs"))
        })
        .collect();
    fail_with("rooms the README's Layout section does not name", missing);
}

#[test]
fn no_rust_file_is_over_400_lines() {
    let mut files = Vec::new();
    walk(&src(), &mut files);
    files.sort();
    let found = files
        .into_iter()
        .filter_map(|file| {
            let lines = fs::read_to_string(&file)
                .expect("a source file reads")
                .lines()
                .count();
            let shown = file
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap_or(&file)
                .display()
                .to_string();
            (lines > 400).then(|| format!("{shown}: {lines} lines"))
        })
        .collect();
    fail_with("Rust files over 400 lines (split them by idea)", found);
}

#[test]
fn the_web_app_has_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("web/src");
    let cycle = web::a_cycle(&web::import_graph(&root));
    let shown: Vec<String> = cycle
        .into_iter()
        .flatten()
        .map(|f| f.strip_prefix(&root).unwrap_or(&f).display().to_string())
        .collect();
    assert!(
        shown.is_empty(),
        "web/src imports in a circle: {}",
        shown.join(" -> ")
    );
}
