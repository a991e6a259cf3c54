//! Checks that tie the `.aql` files to the code: each file is compiled in,
//! bound and called, and binds exactly the parameters its text names.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
};

use serde_json::json;

use super::*;
use crate::domain::{ObjectRef, ProcedureKey, ScopeId};

fn aql_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("aql")
}

/// The `.aql` files on disk, by name without extension.
fn files_on_disk() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(aql_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "aql") {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            files.insert(name, fs::read_to_string(&path).unwrap());
        }
    }
    files
}

/// The bind parameter names in an AQL text, as `bindVars` keys (`@@c` gives
/// `@c`), outside strings, quoted names and comments.
fn bind_names(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut names = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            q @ ('\'' | '"' | '`' | '´') => {
                i += 1;
                while i < chars.len() && chars[i] != q {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 1;
            }
            '@' => {
                let mut name = String::new();
                if chars.get(i + 1) == Some(&'@') {
                    name.push('@');
                    i += 1;
                }
                while let Some(c) = chars
                    .get(i + 1)
                    .filter(|c| c.is_alphanumeric() || **c == '_')
                {
                    name.push(*c);
                    i += 1;
                }
                names.insert(name);
            }
            _ => {}
        }
        i += 1;
    }
    names
}

/// Every query bound by its builder, with sample arguments.
fn samples() -> Vec<Bound> {
    let host = Host::parse("h").unwrap();
    let keys = vec!["h:s".to_owned()];
    let code = ErrorCode::parse("ERR10001").unwrap();
    let mut all = vec![
        ping(),
        is_empty(),
        hosts(),
        lineage(&host, "scopes/h:s"),
        lineage_shared(&host, "h", "scopes/h:s", &keys),
        documents(&keys),
        host_documents(&host),
        scopes(&keys),
        list_scopes(&host, Some(ScopeKind::Service), "", 10),
        children(&host, &keys),
        error_code_definitions(&host, &[code]),
        list_error_codes(&host, "", 10),
        remove_owned("procedures", &keys),
        insert_many("procedures", vec![json!({})]),
        remove_scopes(&keys),
        generation("h"),
        generations(&["h".to_owned()]),
        snapshot(&host, "h"),
        next_change(json!({ "_key": "changes", "value": 1 })),
        write_hosts(vec![json!({})]),
        history(&host, &HistoryFilter::default()),
        backfill_sort_code(),
        backfill_rseq(),
    ];
    all.extend(super::executions::samples());
    all
}

#[test]
fn the_history_query_binds_unset_filters_as_null_and_set_ones_as_given() {
    let host = Host::parse("h").unwrap();
    let all = history(
        &host,
        &HistoryFilter {
            limit: 5,
            ..HistoryFilter::default()
        },
    );
    for name in [
        "scope",
        "kind",
        "key",
        "uid",
        "from_ms",
        "to_ms",
        "before_change",
    ] {
        assert_eq!(all.vars[name], Value::Null, "{name}");
    }
    assert_eq!(all.vars["limit"], json!(5));
    let object = ObjectRef::Procedure(ProcedureKey::parse("check").unwrap());
    let filter = HistoryFilter {
        scope: Some(ScopeId::parse("svc").unwrap()),
        object: Some(object),
        uid: Some("alice".to_owned()),
        from_ms: Some(-1),
        to_ms: Some(2),
        before_change: Some(9),
        limit: 3,
    };
    let vars = history(&host, &filter).vars;
    let got: Vec<&Value> = [
        "host",
        "scope",
        "kind",
        "key",
        "uid",
        "from_ms",
        "to_ms",
        "before_change",
    ]
    .iter()
    .map(|n| &vars[*n])
    .collect();
    let expected = [
        json!("h"),
        json!("svc"),
        json!("procedure"),
        json!("check"),
        json!("alice"),
        json!(-1),
        json!(2),
        json!(9),
    ];
    assert_eq!(got, expected.iter().collect::<Vec<_>>());
}

#[test]
fn the_history_query_filters_and_sorts_in_the_documented_order() {
    let code: String = (HISTORY.text.lines())
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(code.contains("r.at_ms >= @from_ms") && code.contains("r.at_ms < @to_ms"));
    assert!(code.contains("r.change_id < @before_change"));
    // One direction for every sort attribute, or no index can serve the sort.
    assert!(code.contains("SORT r.change_id DESC, r.rseq DESC"));
    let sort = code.find("SORT").unwrap();
    assert!(
        code.find("LIMIT").unwrap() > sort,
        "the page is cut after sorting"
    );
}

#[test]
fn every_aql_file_is_compiled_in_and_every_compiled_query_is_a_file() {
    let on_disk = files_on_disk();
    let compiled: BTreeMap<String, String> = ALL
        .iter()
        .map(|q| (q.name.to_owned(), q.text.to_owned()))
        .collect();
    let disk_names: Vec<&String> = on_disk.keys().collect();
    let compiled_names: Vec<&String> = compiled.keys().collect();
    assert_eq!(disk_names, compiled_names);
    for (name, text) in &on_disk {
        assert_eq!(
            &compiled[name], text,
            "{name}.aql differs from what is compiled in"
        );
    }
}

#[test]
fn every_query_has_exactly_one_builder_in_the_samples() {
    let bound: Vec<&str> = samples().iter().map(|b| b.aql.name).collect();
    let mut sorted = bound.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        bound.len(),
        "a query is sampled twice: {bound:?}"
    );
    let mut all: Vec<&str> = ALL.iter().map(|q| q.name).collect();
    all.sort_unstable();
    assert_eq!(sorted, all);
}

#[test]
fn the_parameters_bound_for_each_query_are_exactly_those_its_text_names() {
    for sample in samples() {
        let in_text = bind_names(sample.aql.text);
        let in_code: BTreeSet<String> = sample.vars.keys().map(|k| (*k).to_owned()).collect();
        assert_eq!(
            in_text, in_code,
            "bind parameters of {}.aql",
            sample.aql.name
        );
    }
}

#[test]
fn every_query_builder_is_called_by_the_store() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/arango");
    let mut source = String::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if name.ends_with(".rs") && !name.contains("tests") {
            source.push_str(&fs::read_to_string(&path).unwrap());
        }
    }
    for q in ALL {
        let call = format!("queries::{}(", q.name);
        assert!(
            source.contains(&call),
            "{}.aql is never run (no `{call}` in the store)",
            q.name
        );
    }
}

#[test]
fn bind_names_ignore_strings_comments_and_quoted_names() {
    let text = r#"
        // a comment with @nope
        /* a block with @nope2 */
        FOR d IN @@coll FILTER d.mail == "x@nope3" AND d.y == 'a\'@nope4' AND d.`@nope5` == @yes
        RETURN @yes_too
    "#;
    let names: Vec<String> = bind_names(text).into_iter().collect();
    assert_eq!(names, ["@coll", "yes", "yes_too"]);
}

/// The lines between the projection markers, without their indentation.
fn projection(q: &Aql) -> Option<Vec<&'static str>> {
    let (_, rest) = q.text.split_once("// -- scope document projection")?;
    let (inside, _) = rest.split_once("// -- end of scope document projection --")?;
    Some(inside.lines().map(str::trim).collect())
}

#[test]
fn every_document_query_returns_the_same_projection_with_revisions() {
    let reference = projection(&LINEAGE).expect("lineage.aql has both projection markers");
    for q in [&DOCUMENTS, &HOST_DOCUMENTS, &SNAPSHOT, &LINEAGE_SHARED] {
        assert_eq!(projection(q), Some(reference.clone()), "{}.aql", q.name);
    }
    let text = reference.join("\n");
    assert_eq!(
        text.matches(r#""revision""#).count(),
        5,
        "one per kind of object: {text}"
    );
}

#[test]
fn the_lineage_is_one_breadth_first_traversal_with_global_uniqueness() {
    let code: Vec<&str> = (LINEAGE.text.lines())
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect();
    let text = code.join("\n");
    assert!(text.contains("OUTBOUND @start inherits"));
    assert!(text.contains(r#"order: "bfs""#) && text.contains(r#"uniqueVertices: "global""#));
    assert_eq!(text.matches("OUTBOUND").count(), 1);
}
