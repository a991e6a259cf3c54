//! Lineage: C3 linearization as Python's MRO, and the errors that stop it.

use std::collections::HashMap;

use super::builder::*;
use crate::domain::ScopeDocument;
use crate::resolve::{Catalog, ResolveError, linearize};

/// Scopes as `(id, parents)`.
type Hierarchy = &'static [(&'static str, &'static [&'static str])];

/// Scopes given as `(id, parents)`; kinds do not matter to the lineage.
fn scopes(list: &[(&str, &[&str])]) -> HashMap<crate::domain::ScopeId, ScopeDocument> {
    list.iter()
        .map(|(s, parents)| (id(s), doc(s, TEMPLATE, parents)))
        .collect()
}

// The classes of the C3 examples, as (class, bases).
const PYTHON_23_MRO_FIRST: Hierarchy = &[
    ("O", &[]),
    ("F", &["O"]),
    ("E", &["O"]),
    ("D", &["O"]),
    ("C", &["D", "F"]),
    ("B", &["D", "E"]),
    ("A", &["B", "C"]),
];
const PYTHON_23_MRO_SECOND: Hierarchy = &[
    ("O", &[]),
    ("F", &["O"]),
    ("E", &["O"]),
    ("D", &["O"]),
    ("C", &["D", "F"]),
    ("B", &["E", "D"]),
    ("A", &["B", "C"]),
];
const WIKIPEDIA_C3: Hierarchy = &[
    ("O", &[]),
    ("A", &["O"]),
    ("B", &["O"]),
    ("C", &["O"]),
    ("D", &["O"]),
    ("E", &["O"]),
    ("K1", &["A", "B", "C"]),
    ("K2", &["D", "B", "E"]),
    ("K3", &["D", "A"]),
    ("Z", &["K1", "K2", "K3"]),
];
const DIAMOND: Hierarchy = &[
    ("org", &[]),
    ("kafka", &["org"]),
    ("rest", &["org"]),
    ("svc", &["kafka", "rest"]),
];
const CHAIN: Hierarchy = &[
    ("light-4j", &[]),
    ("acme", &["light-4j"]),
    ("payments", &["acme"]),
    ("ledger", &["payments"]),
];

#[test]
fn the_lineage_is_the_c3_linearization_of_the_ordered_parents_as_python_mro() {
    let cases: &[(&str, Hierarchy, &str, &[&str])] = &[
        ("a root alone", &[("root", &[])], "root", &["root"]),
        (
            "a chain",
            CHAIN,
            "ledger",
            &["ledger", "payments", "acme", "light-4j"],
        ),
        (
            "a diamond",
            DIAMOND,
            "svc",
            &["svc", "kafka", "rest", "org"],
        ),
        (
            "python 2.3 mro, first example",
            PYTHON_23_MRO_FIRST,
            "A",
            &["A", "B", "C", "D", "E", "F", "O"],
        ),
        (
            "python 2.3 mro, second example",
            PYTHON_23_MRO_SECOND,
            "A",
            &["A", "B", "E", "C", "D", "F", "O"],
        ),
        (
            "wikipedia c3 example",
            WIKIPEDIA_C3,
            "Z",
            &["Z", "K1", "K2", "K3", "D", "A", "B", "C", "E", "O"],
        ),
        (
            "an intermediate class of the wikipedia example",
            WIKIPEDIA_C3,
            "K2",
            &["K2", "D", "B", "E", "O"],
        ),
    ];
    for (name, list, scope, expected) in cases {
        let lineage = linearize(&id(scope), &scopes(list));
        assert_eq!(lineage, Ok(ids(expected)), "{name}");
    }
}

#[test]
fn lineages_that_cannot_be_built_are_errors() {
    let cycle = |list: &[&str]| ResolveError::InheritanceCycle { scopes: ids(list) };
    let cases: &[(&str, Hierarchy, &str, ResolveError)] = &[
        (
            "a scope that does not exist",
            &[("a", &[])],
            "ghost",
            ResolveError::UnknownScope { scope: id("ghost") },
        ),
        (
            "a parent that does not exist, named by an ancestor",
            &[("svc", &["lob"]), ("lob", &["ghost"])],
            "svc",
            ResolveError::UnknownParent {
                scope: id("lob"),
                parent: id("ghost"),
            },
        ),
        (
            "a scope that is its own parent",
            &[("a", &["a"])],
            "a",
            cycle(&["a", "a"]),
        ),
        (
            "a longer cycle through the scope",
            &[("a", &["b"]), ("b", &["c"]), ("c", &["a"])],
            "a",
            cycle(&["a", "b", "c", "a"]),
        ),
        (
            "a cycle above the scope",
            &[("svc", &["x"]), ("x", &["y"]), ("y", &["x"])],
            "svc",
            cycle(&["x", "y", "x"]),
        ),
        (
            "parents whose orders conflict",
            &[
                ("A", &[]),
                ("B", &[]),
                ("X", &["A", "B"]),
                ("Y", &["B", "A"]),
                ("Z", &["X", "Y"]),
            ],
            "Z",
            ResolveError::Linearization {
                scope: id("Z"),
                conflicting: ids(&["A", "B"]),
            },
        ),
        (
            "the python docs' inconsistent hierarchy",
            &[
                ("O", &[]),
                ("X", &["O"]),
                ("Y", &["O"]),
                ("A", &["X", "Y"]),
                ("B", &["Y", "X"]),
                ("C", &["A", "B"]),
            ],
            "C",
            ResolveError::Linearization {
                scope: id("C"),
                conflicting: ids(&["X", "Y"]),
            },
        ),
        (
            "a parent listed twice (python: duplicate base class)",
            &[("b", &[]), ("a", &["b", "b"])],
            "a",
            ResolveError::Linearization {
                scope: id("a"),
                conflicting: ids(&["b"]),
            },
        ),
        (
            "a child listed before its own parent",
            &[("org", &[]), ("lob", &["org"]), ("svc", &["org", "lob"])],
            "svc",
            ResolveError::Linearization {
                scope: id("svc"),
                conflicting: ids(&["org", "lob"]),
            },
        ),
    ];
    for (name, list, scope, expected) in cases {
        let lineage = linearize(&id(scope), &scopes(list));
        assert_eq!(lineage.as_ref(), Err(expected), "{name}");
    }
}

#[test]
fn lineage_errors_read_as_sentences() {
    let cases = [
        (
            ResolveError::InheritanceCycle {
                scopes: ids(&["a", "b", "a"]),
            },
            "inheritance cycle: a -> b -> a",
        ),
        (
            ResolveError::Linearization {
                scope: id("Z"),
                conflicting: ids(&["A", "B"]),
            },
            "cannot linearize the parents of Z: the orders of A, B conflict",
        ),
        (
            ResolveError::UnknownParent {
                scope: id("lob"),
                parent: id("ghost"),
            },
            "scope lob names parent ghost, which does not exist",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(error.to_string(), text);
    }
}

#[test]
fn a_catalog_gives_the_same_lineage_as_linearize() {
    let docs = scopes(PYTHON_23_MRO_SECOND);
    let catalog = Catalog::new(docs.values().cloned());
    assert_eq!(catalog.lineage(&id("A")), linearize(&id("A"), &docs));
    assert_eq!(
        catalog.lineage(&id("nope")),
        Err(ResolveError::UnknownScope { scope: id("nope") })
    );
}

#[test]
fn a_chain_of_a_thousand_scopes_linearizes_without_recursion() {
    let names: Vec<String> = (0..1000).map(|i| format!("s{i}")).collect();
    let docs: HashMap<_, _> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let parents: Vec<&str> = names.get(i + 1).map(String::as_str).into_iter().collect();
            (id(n), doc(n, TEMPLATE, &parents))
        })
        .collect();
    let lineage = linearize(&id("s0"), &docs).unwrap();
    assert_eq!(lineage.len(), 1000);
    assert_eq!(lineage.last(), Some(&id("s999")));
}
