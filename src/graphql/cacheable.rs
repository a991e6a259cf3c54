//! Which answers the HTTP response cache may keep, and what they depend on.
//!
//! A query whose every root field is `runbook` (or `__typename`) answers
//! with content of the runbook's host and nothing else: everything reachable
//! from `EffectiveRunbook` (scopes, procedures, branches, entries, error
//! codes, contacts) is written content, and every write to a host moves its
//! generation. Such an answer is therefore a function of the request, of the
//! generation of each host it read — recorded here while it runs — and of
//! whether the caller may read those hosts. A test below holds the schema to
//! that: a field reaching other data (executions, say) under
//! `EffectiveRunbook` fails it.

use std::sync::{Mutex, PoisonError};

use async_graphql::{
    Positioned,
    parser::types::{ExecutableDocument, OperationDefinition, OperationType, Selection},
};

use crate::domain::Host;

/// The root fields whose answers may be kept.
const CACHEABLE_ROOTS: [&str; 2] = ["runbook", "__typename"];

/// The operations of `doc` that `request` may run: the one it names, else
/// all of them (async-graphql then refuses more than one).
pub fn selected_operations<'a>(
    request: &'a async_graphql::Request,
    doc: &'a ExecutableDocument,
) -> impl Iterator<Item = &'a Positioned<OperationDefinition>> {
    doc.operations
        .iter()
        .filter(move |(name, _)| match (&request.operation_name, name) {
            (Some(wanted), Some(name)) => wanted == name.as_str(),
            (Some(_), None) => false,
            (None, _) => true,
        })
        .map(|(_, op)| op)
}

/// Whether the operation a request runs is a query made only of cacheable
/// root fields (no fragments at the root, no other fields). A request that
/// does not parse, or names no single operation, is not.
pub fn is_cacheable(request: &async_graphql::Request) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let mut selected = selected_operations(request, &doc);
    let (Some(op), None) = (selected.next(), selected.next()) else {
        return false;
    };
    op.node.ty == OperationType::Query
        && op.node.selection_set.node.items.iter().all(|item| {
            matches!(&item.node, Selection::Field(field)
                if CACHEABLE_ROOTS.contains(&field.node.name.node.as_str()))
        })
}

/// The generation of every host a request read content of, recorded by the
/// resolvers that read it (request data, as an `Arc`; absent when the
/// answer will not be kept).
#[derive(Debug, Default)]
pub struct ReadGenerations(Mutex<Vec<(Host, u64)>>);

impl ReadGenerations {
    /// Records that content of `host` was read as of `generation`.
    pub fn record(&self, host: &Host, generation: u64) {
        let mut read = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !read.iter().any(|(h, g)| h == host && *g == generation) {
            read.push((host.clone(), generation));
        }
    }

    /// Everything recorded so far.
    pub fn take(&self) -> Vec<(Host, u64)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

    use super::*;

    fn request(query: &str) -> async_graphql::Request {
        async_graphql::Request::new(query)
    }

    #[test]
    fn only_queries_of_runbooks_are_cacheable() {
        for query in [
            "{ runbook(serviceId: \"a\") { entry } }",
            "query Q($s: String!) { a: runbook(serviceId: $s) { entry } __typename }",
        ] {
            assert!(is_cacheable(&request(query)), "{query}");
        }
        for query in [
            "{ runbook(serviceId: \"a\") { entry } scope(id: \"a\") { id } }",
            "{ scopes { edges { node { id } } } }",
            "{ ...F } fragment F on Query { runbook(serviceId: \"a\") { entry } }",
            "{ ... on Query { runbook(serviceId: \"a\") { entry } } }",
            "mutation { deleteScope(id: \"a\") { changeId } }",
            "subscription { executionEvents(id: \"1\") { kind } }",
            "{ __schema { types { name } } }",
            "{ runbook(",
            "query A { runbook(serviceId: \"a\") { entry } } query B { scope(id: \"a\") { id } }",
        ] {
            assert!(!is_cacheable(&request(query)), "{query}");
        }
        let two =
            "query A { runbook(serviceId: \"a\") { entry } } query B { scope(id: \"a\") { id } }";
        assert!(is_cacheable(&request(two).operation_name("A")));
        assert!(!is_cacheable(&request(two).operation_name("B")));
        assert!(!is_cacheable(&request(two).operation_name("C")));
    }

    #[test]
    fn generations_are_recorded_once_each() {
        let read = ReadGenerations::default();
        let (a, b) = (
            Host::parse("a.example").expect("host"),
            Host::parse("b.example").expect("host"),
        );
        read.record(&a, 7);
        read.record(&a, 7);
        read.record(&b, 3);
        read.record(&a, 8);
        assert_eq!(read.take(), vec![(a.clone(), 7), (b, 3), (a, 8)]);
    }

    /// The object types an answer under `EffectiveRunbook` can reach. Adding
    /// a field that reaches anything else (executions, history, alerts) makes
    /// cached answers depend on more than host content: it belongs out of
    /// `EffectiveRunbook`, or the response cache must learn to track it.
    #[test]
    fn everything_under_a_runbook_is_host_content() {
        let sdl = include_str!("../../schema.graphql");
        let doc = async_graphql::parser::parse_schema(sdl).expect("schema.graphql parses");
        let mut fields: HashMap<String, Vec<String>> = HashMap::new();
        for definition in &doc.definitions {
            if let TypeSystemDefinition::Type(ty) = definition
                && let TypeKind::Object(object) = &ty.node.kind
            {
                fields.insert(
                    ty.node.name.node.to_string(),
                    object
                        .fields
                        .iter()
                        .map(|f| named(&f.node.ty.node))
                        .collect(),
                );
            }
        }
        let mut reached = BTreeSet::new();
        let mut todo = vec!["EffectiveRunbook".to_owned()];
        while let Some(name) = todo.pop() {
            if let Some(types) = fields.get(&name)
                && reached.insert(name)
            {
                todo.extend(types.iter().cloned());
            }
        }
        let expected = [
            "Branch",
            "Contact",
            "EffectiveBranch",
            "EffectiveEntry",
            "EffectiveProcedure",
            "EffectiveRunbook",
            "Entry",
            "ErrorCode",
            "Procedure",
            "Removal",
            "Scope",
            "ScopeErrorCode",
            "Warning",
        ];
        assert_eq!(
            reached.iter().map(String::as_str).collect::<Vec<_>>(),
            expected
        );
    }

    fn named(ty: &Type) -> String {
        match &ty.base {
            BaseType::Named(name) => name.to_string(),
            BaseType::List(inner) => named(inner),
        }
    }
}
