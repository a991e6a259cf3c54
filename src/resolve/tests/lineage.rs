//! Lineage: C3 linearization as Python's MRO, and the errors that stop it.

use std::collections::HashMap;

use super::builder::*;
use crate::domain::{
    ScopeDocument,
    limits::{MAX_LINEAGE_DEPTH, MAX_LINEAGE_SCOPES},
};
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

/// A chain `s0` <- `s1` <- … of `n` scopes: `s0`'s lineage has `n - 1` levels of parents.
fn chain(n: usize) -> HashMap<crate::domain::ScopeId, ScopeDocument> {
    let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let parents: Vec<&str> = names.get(i + 1).map(String::as_str).into_iter().collect();
            (id(name), doc(name, TEMPLATE, &parents))
        })
        .collect()
}

#[test]
fn a_chain_at_the_depth_limit_linearizes_and_one_level_more_is_refused() {
    let at_limit = linearize(&id("s0"), &chain(MAX_LINEAGE_DEPTH + 1)).unwrap();
    assert_eq!(at_limit.len(), MAX_LINEAGE_DEPTH + 1);
    assert_eq!(at_limit.last(), Some(&id(&format!("s{MAX_LINEAGE_DEPTH}"))));
    for n in [MAX_LINEAGE_DEPTH + 2, 1000, 20_000] {
        let refused = linearize(&id("s0"), &chain(n));
        let expected = ResolveError::LineageTooDeep {
            scope: id("s0"),
            limit: MAX_LINEAGE_DEPTH,
            through: id(&format!("s{}", MAX_LINEAGE_DEPTH + 1)),
        };
        assert_eq!(refused, Err(expected), "a chain of {n}");
    }
    // Scopes nearer the root still resolve: only those past the bound fail.
    let docs = chain(1000);
    assert!(linearize(&id("s990"), &docs).is_ok());
    let message = linearize(&id("s0"), &docs).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "the lineage of s0 is more than {MAX_LINEAGE_DEPTH} levels of parents deep (the limit), through s65"
        )
    );
}

#[test]
fn a_lineage_of_more_scopes_than_the_limit_is_refused_however_shallow() {
    // top <- 16 groups <- 16 distinct scopes each: 273 scopes, 2 levels deep.
    let mut docs = HashMap::new();
    let groups: Vec<String> = (0..16).map(|g| format!("g{g}")).collect();
    for g in &groups {
        let leaves: Vec<String> = (0..16).map(|l| format!("{g}-l{l}")).collect();
        for leaf in &leaves {
            docs.insert(id(leaf), doc(leaf, TEMPLATE, &[]));
        }
        let parents: Vec<&str> = leaves.iter().map(String::as_str).collect();
        docs.insert(id(g), doc(g, TEMPLATE, &parents));
    }
    let parents: Vec<&str> = groups.iter().map(String::as_str).collect();
    docs.insert(id("top"), doc("top", TEMPLATE, &parents));
    assert_eq!(
        linearize(&id("top"), &docs),
        Err(ResolveError::LineageTooLarge {
            scope: id("top"),
            limit: MAX_LINEAGE_SCOPES
        })
    );
    assert_eq!(linearize(&id("g0"), &docs).map(|l| l.len()), Ok(17));
}
